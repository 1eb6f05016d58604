"""The benchmark corpora. (1) The bundled examples (plus the shared seed, if present), cycled to a word count.
(2) A synthetic corpus of any size in the same style, deterministic by seed (``synth_documents``, below).

Both are deterministic. (1): documents are read in path order and repeated in that order until the target word
count is reached, so two runs on two machines time exactly the same texts.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"
SEED = REPO.parent / "shared" / "seed" / "2025-11-20-commentary.txt"
# Relative dates ("in February") need a reference. Texts without a publication date get this one, not
# their `retrieved` time (which is "now" for files, and would make every run's corpus different).
DEFAULT_PUBLISHED = datetime(2025, 11, 20, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class BenchText:
    """One text to process and the date it was published (ISO 8601, so it crosses process boundaries)."""

    text: str
    published: str

    @property
    def words(self) -> int:
        return count_words(self.text)


def count_words(text: str) -> int:
    """Words as the benchmark counts them: whitespace-separated pieces."""
    return len(text.split())


def default_sources() -> list[Path]:
    """The example corpus and, when this checkout sits next to ``shared/``, the seed commentary."""
    return [EXAMPLES, *([SEED] if SEED.exists() else [])]


def load_base(sources: Iterable[Path]) -> list[BenchText]:
    """Every document sitroom's ingest reads from ``sources``, in path order. Unreadable inputs are an error."""
    from sitroom.ingest import iter_documents

    texts: list[BenchText] = []
    for item in iter_documents([str(path) for path in sources]):
        if item.error is not None:
            raise RuntimeError(f"benchmark corpus: cannot read {item.target}: {item.error}")
        for document in item.documents:
            if not document.text.strip():
                continue
            when = document.published or DEFAULT_PUBLISHED
            texts.append(BenchText(text=document.text, published=when.isoformat()))
    if not texts:
        raise RuntimeError("benchmark corpus: no documents found")
    return texts


def cycle_to_words(base: Sequence[BenchText], words: int) -> list[BenchText]:
    """Repeat ``base`` in order until at least ``words`` words (always at least one text)."""
    if not base:
        raise ValueError("no texts to cycle")
    out: list[BenchText] = []
    total = 0
    while total < words or not out:
        text = base[len(out) % len(base)]
        out.append(text)
        total += text.words
    return out


def digest(texts: Sequence[BenchText]) -> str:
    """SHA-256 over the texts and dates, to tell whether two results timed the same corpus."""
    h = hashlib.sha256()
    for text in texts:
        h.update(text.published.encode())
        h.update(b"\0")
        h.update(text.text.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def save(texts: Sequence[BenchText], path: Path) -> None:
    path.write_text(json.dumps([asdict(t) for t in texts], ensure_ascii=False), encoding="utf-8")


def load(path: Path) -> list[BenchText]:
    return [BenchText(**row) for row in json.loads(path.read_text(encoding="utf-8"))]


# --- Synthetic corpus -------------------------------------------------------------------------------
#
# ``synth_documents(n, seed)`` writes news in the example corpus's style from its own vocabulary:
# articles with a dateline, a byline and an outlet, attributed quotes with hedges, places with who is
# said to hold them, plan provisions with figures, predictions with deadlines, strikes with numbers;
# plus statements, analysts' posts and desk notes. Some documents are syndicated copies of an earlier
# article (the same body under another outlet, with a distribution line) and some re-report an earlier
# story in other words, from another outlet, days later.
#
# Every document is a pure function of (seed, index): its own ``random.Random`` seeded with a string
# (hashed with SHA-512 by ``random``, so stable across runs and machines). A copy or a re-report
# rebuilds its origin from the origin's index, so nothing is kept between documents and generating
# a million of them takes no more memory than one. The first k documents of an n-document corpus
# are the k-document corpus.

SYNTH_SEED = 20251120
SYNTH_START = datetime(2025, 11, 1, tzinfo=UTC)
SYNTH_PER_DAY = 400  # documents per day: 100,000 documents span 250 days
_COPY_SHARE, _REREPORT_SHARE = 0.08, 0.07
_KIND_WEIGHTS = (("article", 80), ("statement", 7), ("post", 8), ("note", 5))

_OUTLET_FIRST = ("Northgate", "Danube", "Lakeside", "Harbourline", "Steppe", "Granite", "Baltic Shore",
                 "Carpathian", "Westbrook", "Eastmarch", "Riverside", "Highland", "Old Port", "Signal",
                 "Compass", "Lantern")
_OUTLET_SECOND = ("Wire", "Post", "Herald", "Dispatch", "Gazette", "Review", "Bulletin", "Monitor",
                  "Chronicle", "Record")
_GIVEN = ("Anna", "Marek", "Olena", "Tobias", "Ines", "Pavlo", "Greta", "Samir", "Lucia", "Henrik", "Daria",
          "Tomasz", "Helen", "Jonas", "Irina", "Colm", "Mira", "Felix", "Sofia", "Owen")
_FAMILY = ("Kovalenko", "Brandt", "Okafor", "Lindqvist", "Moreau", "Hale", "Petrenko", "Novak", "Castell",
           "Weir", "Sandoval", "Fischer", "Holm", "Marchetti", "Dunmore", "Varga", "Ostrowski", "Quinn")
_DATELINES = ("KYIV", "MOSCOW", "WASHINGTON", "BRUSSELS", "GENEVA", "LONDON", "PARIS", "BERLIN", "ISTANBUL",
              "ABU DHABI", "KHARKIV", "ZAPORIZHZHIA", "DNIPRO", "WARSAW")
# (name as written, role as written): public figures of the story, described as the corpus does.
_SPEAKERS = {
    "UA": (("Volodymyr Zelensky", "Ukraine's president"), ("Rustem Umerov", "Ukraine's national security secretary"),
           ("Andrii Sybiha", "Ukraine's foreign minister"), ("Oleksandr Syrskyi", "Ukraine's commander-in-chief")),
    "RU": (("Dmitry Peskov", "the Kremlin spokesman"), ("Yuri Ushakov", "a Kremlin foreign-policy aide"),
           ("Sergei Lavrov", "Russia's foreign minister"), ("Valery Gerasimov", "Russia's chief of the General Staff")),
    "US": (("Steve Witkoff", "the US special envoy"), ("Marco Rubio", "the US secretary of state"),
           ("Donald Trump", "the US president")),
    "EU": (("Kaja Kallas", "the EU's foreign-policy chief"), ("Friedrich Merz", "the German chancellor"),
           ("Emmanuel Macron", "the French president"), ("Keir Starmer", "the British prime minister")),
}
_UNNAMED = ("two officials familiar with the talks", "a senior European diplomat", "a person close to the talks",
            "a US official who asked not to be named", "a Ukrainian military spokesman", "people briefed on the text")
_FRONT = ("Kupiansk", "Pokrovsk", "Myrnohrad", "Huliaipole", "Vovchansk", "Siversk", "Kostiantynivka", "Lyman",
          "Orikhiv", "Kurakhove", "Chasiv Yar", "Toretsk", "Kramatorsk", "Sloviansk", "Druzhkivka", "Borova")
_CITIES = ("Kyiv", "Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Sumy", "Kryvyi Rih", "Lviv", "Chernihiv",
           "Poltava", "Mykolaiv", "Kherson")
_VENUES = ("Geneva", "Abu Dhabi", "Istanbul", "Miami", "Riyadh", "Berlin", "Moscow", "Doha")
_PLANS = ("28-point plan", "19-point plan", "20-point plan", "European counter-proposal")
_HEDGED_SAY = ("may", "could", "is likely to", "appears ready to")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


@dataclass(frozen=True, slots=True)
class Story:
    """What happened, before any wording: what an article and its re-reports have in common."""

    family: str  # control, plan, talks, strike, money
    place: str
    city: str
    venue: str
    plan: str
    side: str  # whose official leads the story
    figure: int
    number: int  # a plan point or a count


@dataclass(frozen=True, slots=True)
class SynthDocument:
    """One generated file: where it goes under the corpus folder and its bytes (UTF-8 text)."""

    index: int
    path: str
    text: str
    kind: str
    role: str  # original, copy (syndicated), re-report
    origin: int | None  # the index of the document it copies or re-reports

    @property
    def body_words(self) -> int:
        return count_words(self.text.split("\n---\n", 1)[-1])


def _rng(seed: int, what: str, index: int) -> random.Random:
    return random.Random(f"sitroom-synth:{seed}:{what}:{index}")


def _published(seed: int, index: int) -> datetime:
    minute = _rng(seed, "time", index).randrange(6 * 60, 23 * 60)
    return SYNTH_START + timedelta(days=index // SYNTH_PER_DAY, minutes=minute)


def _outlet(rng: random.Random) -> str:
    return f"{rng.choice(_OUTLET_FIRST)} {rng.choice(_OUTLET_SECOND)}"


def _role(seed: int, index: int) -> tuple[str, int | None]:
    """original, or a copy / re-report of an earlier original (never of another copy)."""
    rng = _rng(seed, "role", index)
    roll = rng.random()
    if index == 0 or roll >= _COPY_SHARE + _REREPORT_SHARE:
        return "original", None
    back = min(index, SYNTH_PER_DAY // 2 if roll < _COPY_SHARE else 3 * SYNTH_PER_DAY)
    origin = index - rng.randint(1, back)
    if _role(seed, origin)[0] != "original" or _kind(seed, origin) != "article":
        return "original", None
    return ("copy" if roll < _COPY_SHARE else "re-report"), origin


def _kind(seed: int, index: int) -> str:
    rng = _rng(seed, "kind", index)
    return rng.choices([k for k, _ in _KIND_WEIGHTS], weights=[w for _, w in _KIND_WEIGHTS])[0]


def _story(seed: int, index: int) -> Story:
    rng = _rng(seed, "story", index)
    family = rng.choices(("control", "plan", "talks", "strike", "money"), weights=(30, 25, 20, 15, 10))[0]
    return Story(family=family, place=rng.choice(_FRONT), city=rng.choice(_CITIES), venue=rng.choice(_VENUES),
                 plan=rng.choice(_PLANS), side=rng.choice(("UA", "RU", "US", "EU")),
                 figure=rng.choice((600_000, 800_000, 100, 140, 90, 210, 60, 45)), number=rng.randint(2, 28))


def _speaker(rng: random.Random, side: str) -> tuple[str, str]:
    return rng.choice(_SPEAKERS[side])


def _day_word(rng: random.Random, when: datetime) -> str:
    return rng.choice((_WEEKDAYS[when.weekday()], "on " + _WEEKDAYS[when.weekday()], "late on Thursday",
                       "earlier this week", "in a statement"))


def _deadline(rng: random.Random, when: datetime) -> str:
    ahead = when + timedelta(days=rng.randint(5, 120))
    return rng.choice((f"by {ahead.day} {_MONTHS[ahead.month - 1]}", f"by the end of {_MONTHS[ahead.month - 1]}",
                       f"before {_MONTHS[ahead.month - 1]} {ahead.year}", "by the end of the year",
                       f"within {rng.choice((30, 60, 90, 100))} days"))


def _control(rng: random.Random, story: Story, when: datetime) -> list[str]:
    ru, ru_role = _speaker(rng, "RU")
    ua, ua_role = _speaker(rng, "UA")
    place = story.place
    claim = rng.choice((
        f"Russia's defence ministry said its forces had captured {place}, a claim that could not be "
        "independently verified.",
        f"Russian troops have encircled {place}, {ru}, {ru_role}, claimed {_day_word(rng, when)}.",
        f"{ru} said Russian units had taken full control of {place} and were clearing the outskirts.",
        f"According to the Russian General Staff, {place} has been under Russian control since {when.day - 1 or 1} "
        f"{_MONTHS[when.month - 1]}.",
    ))
    denial = rng.choice((
        f"Ukraine's General Staff denied that {place} had fallen, saying fighting continued in the northern districts.",
        f"\"{place} is holding,\" {ua}, {ua_role}, said. \"Our units are in the city centre.\"",
        f"Ukrainian officials said the town remained contested and that Russian assault groups had been pushed back "
        f"from {place}.",
        f"{ua} dismissed the claim as propaganda, saying Ukrainian forces still hold {place}.",
    ))
    extra = rng.choice((
        f"Analysts said the loss of {place} would reportedly expose supply roads towards {rng.choice(_FRONT)}.",
        f"It is unclear whether Ukrainian units can hold {place} through the winter.",
        f"Fighting has been reported around {rng.choice(_FRONT)} as well, with both sides claiming gains.",
    ))
    return [claim, denial, extra]


def _plan(rng: random.Random, story: Story, when: datetime) -> list[str]:
    plan, n = story.plan, story.number
    who = rng.choice(_UNNAMED)
    troops = story.figure if story.figure > 1000 else 600_000
    billions = story.figure if story.figure < 1000 else 100
    provision = rng.choice((
        f"Under the {plan}, Ukraine's armed forces would be capped at {troops:,} troops, {who} said.",
        f"Point {n} of the {plan} would bar Ukraine from joining NATO and commits the alliance not to expand further.",
        f"The {plan} calls for a ${billions} billion reconstruction fund drawn from frozen Russian assets.",
        f"According to the text, the {plan} would freeze the front line in the Zaporizhzhia and Kherson regions.",
        f"The {plan} provides for elections in Ukraine within 100 days of signing, {who} said.",
        f"The draft would grant Ukraine security guarantees modelled on NATO's Article 5, according to {who}.",
    ))
    side = rng.choice(("UA", "RU", "EU"))
    name, role = _speaker(rng, side)
    stance = rng.choice((
        f"{name}, {role}, said the {plan} was \"a basis for further work\" but not a final text.",
        f"{name} rejected the {plan}, saying it would reward aggression.",
        f"{name} said his government backs the {plan} in principle.",
        f"{name}, {role}, said the text {rng.choice(_HEDGED_SAY)} change again before any signing.",
    ))
    caution = f"The {plan} has not been published, and {who} cautioned that the wording was still moving."
    return [provision, stance, caution]


def _talks(rng: random.Random, story: Story, when: datetime) -> list[str]:
    name, role = _speaker(rng, story.side)
    other, other_role = _speaker(rng, rng.choice(("UA", "RU", "US")))
    return [
        rng.choice((
            f"Delegations from Washington and Kyiv will meet in {story.venue} {_day_word(rng, when)}, {who_says(rng)}.",
            f"{name}, {role}, said talks in {story.venue} had been \"productive\" and would continue next week.",
            f"Negotiators are expected in {story.venue} for a new round, {who_says(rng)}.",
        )),
        rng.choice((
            f"{name} said a deal could be signed {_deadline(rng, when)}.",
            f"{other}, {other_role}, expects a ceasefire {_deadline(rng, when)}.",
            f"{other} predicted that Kyiv would give its answer {_deadline(rng, when)}.",
        )),
        rng.choice((
            "Few expect a breakthrough, and officials on both sides reportedly remain far apart on territory.",
            f"It is unclear whether {other} will attend in person.",
            "The Kremlin has not confirmed the date.",
        )),
    ]


def who_says(rng: random.Random) -> str:
    return rng.choice(_UNNAMED) + " said"


def _strike(rng: random.Random, story: Story, when: datetime) -> list[str]:
    drones, missiles = 60 + story.number * 17 % 400, story.number % 40 + 3
    dead, hurt = story.number % 12 + 1, story.number % 30 + 4
    city = story.city
    return [
        rng.choice((
            f"Russia launched {drones} drones and {missiles} missiles at Ukraine overnight, the air force said.",
            f"An overnight attack on {city} involved {drones} drones and {missiles} missiles, officials said.",
        )),
        rng.choice((
            f"At least {dead} people were killed and {hurt} injured in {city}, the regional governor said.",
            f"{dead} people died in {city} and {hurt} were wounded, according to emergency services.",
        )),
        rng.choice((
            f"About {story.number * 11_000:,} households in {city} were left without power.",
            f"The energy ministry said repairs in {city} {rng.choice(_HEDGED_SAY)} take several days.",
        )),
    ]


def _money(rng: random.Random, story: Story, when: datetime) -> list[str]:
    name, role = _speaker(rng, "EU")
    amount = story.figure if story.figure < 1000 else 140
    return [
        rng.choice((
            f"The European Commission proposed a reparations loan of EUR {amount}bn backed by frozen Russian assets.",
            f"{name}, {role}, said Europe would cover Ukraine's needs with EUR {amount}bn over two years.",
        )),
        rng.choice((
            "Belgium, where most of the assets are held, reportedly still opposes the plan.",
            f"{name} said a decision {rng.choice(_HEDGED_SAY)} come {_deadline(rng, when)}.",
        )),
    ]


_BACKGROUND = (
    "The war, now in its fourth year, has killed tens of thousands of soldiers on both sides.",
    "Russia occupies about a fifth of Ukraine's territory, including Crimea, which it annexed in 2014.",
    "Western officials say Moscow has little reason to compromise while its troops advance, however slowly.",
    "Kyiv has repeatedly said it will not cede land that Russian forces have failed to capture.",
    "European governments, which were not consulted on the first draft, want a seat at the table.",
    "The Kremlin says any settlement must address what it calls the root causes of the conflict.",
    "Ukraine's energy grid has lost roughly half of its generating capacity since the autumn.",
    "Prisoner exchanges have continued throughout, the last one involving 84 people on each side.",
    "Neither side has published a full account of its losses, and casualty figures cannot be verified.",
    "Officials in Washington say the president wants an agreement before the end of the year.",
    "Diplomats caution that the wording of several clauses is still being negotiated line by line.",
    "Markets in Moscow rose on the reports, while the hryvnia was little changed.",
)

_FAMILIES = {"control": _control, "plan": _plan, "talks": _talks, "strike": _strike, "money": _money}
_HEADLINES = {
    "control": ("Russia claims {place}; Kyiv says fighting goes on", "Battle for {place} enters a new phase",
                "Conflicting claims over {place}"),
    "plan": ("What the {plan} says, point by point", "New details of the {plan} emerge",
             "Kyiv weighs the {plan}"),
    "talks": ("Negotiators head to {venue}", "Talks in {venue} end without a deal", "A new round in {venue}"),
    "strike": ("Overnight attack on {city}", "{city} counts the cost of another night of strikes",
               "Drones and missiles target {city}"),
    "money": ("Europe weighs a reparations loan", "The fight over frozen assets", "Brussels puts a number on aid"),
}


def _paragraphs(seed: int, story_index: int, wording: random.Random, when: datetime) -> tuple[str, list[str]]:
    """A headline and the body paragraphs of the story ``story_index`` told with ``wording``."""
    story = _story(seed, story_index)
    headline = wording.choice(_HEADLINES[story.family]).format(**asdict(story))
    lead = _FAMILIES[story.family](wording, story, when)
    paragraphs = [" ".join(lead[:2]), *lead[2:]]
    others = [f for f in _FAMILIES if f != story.family]
    for family in wording.sample(others, wording.randint(3, 4)):
        side_story = _story(seed, story_index * 7 + len(paragraphs) + 1_000_003)
        sentences = _FAMILIES[family](wording, side_story, when)
        paragraphs.append(" ".join(sentences[: wording.randint(2, len(sentences))]))
    paragraphs.insert(wording.randint(2, len(paragraphs)), " ".join(wording.sample(_BACKGROUND, 3)))
    return headline, paragraphs


def _front_matter(fields: dict[str, str]) -> str:
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\n\n"


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:48]


def synth_document(index: int, seed: int = SYNTH_SEED) -> SynthDocument:
    """The document at ``index`` of the corpus of ``seed`` (independent of the corpus size)."""
    when = _published(seed, index)
    kind = _kind(seed, index)
    role, origin = _role(seed, index) if kind == "article" else ("original", None)
    rng = _rng(seed, "words", index)
    if origin is not None:  # after its origin: same day at the earliest, minutes to hours later
        later = _published(seed, origin) + timedelta(minutes=rng.randint(15, 240))
        day_end = SYNTH_START + timedelta(days=index // SYNTH_PER_DAY, hours=23, minutes=59)
        when = max(when, min(later, day_end))
    outlet = _outlet(rng)
    author = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"
    stamp = when.strftime("%Y-%m-%dT%H:%M:00Z")
    if role == "copy" and origin is not None:
        source = synth_document(origin, seed)
        body = source.text.split("\n---\n\n", 1)[1].rstrip("\n")
        title = source.text.split("\ntitle: ", 1)[1].split("\n", 1)[0]
        body += f"\n\nThis story was distributed by {outlet} under licence. Reporting by {author}.\n"
    else:
        story_index = origin if origin is not None else index
        title, paragraphs = _paragraphs(seed, story_index, rng, when)
        if kind == "article":
            dateline = f"{rng.choice(_DATELINES)}, {when.day} {_MONTHS[when.month - 1]} ({outlet}) — "
            body = dateline + "\n\n".join(paragraphs) + "\n"
        elif kind == "statement":
            name, role_text = _speaker(rng, rng.choice(("UA", "EU")))
            outlet = f"Office of {name}"
            author = name
            body = (f"Statement by {name}, {role_text}.\n\n" + "\n\n".join(paragraphs[:3])
                    + f"\n\n{rng.choice(_DATELINES).title()}, {when.day} {_MONTHS[when.month - 1]} {when.year}\n")
        elif kind == "post":
            outlet = f"{rng.choice(_FAMILY)} on Ukraine"
            mine = rng.choice(("I expect", "My guess is that", "I think"))
            body = (f"# {title}\n\n" + "\n\n".join(paragraphs) + f"\n\n{mine} the {_story(seed, index).plan} will "
                    f"be revised again {_deadline(rng, when)}.\n")
        else:  # note
            outlet = "Desk notes"
            body = (f"# Notes, {_WEEKDAYS[when.weekday()]} {when.day} {_MONTHS[when.month - 1]}\n\n"
                    + "\n\n".join(f"- {p}" for p in paragraphs) + "\n")
    fields = {"source": outlet, "url": f"https://example.net/{_slug(outlet)}/{when:%Y/%m/%d}/{index}-{_slug(title)}",
              "author": author, "published": stamp, "kind": kind, "title": title}
    if kind == "note":
        del fields["url"]
    text = _front_matter(fields) + body
    path = f"{when:%Y-%m}/{when:%d}/{index:07d}-{_slug(outlet)}-{_slug(title)[:32]}.md"
    return SynthDocument(index=index, path=path, text=text, kind=kind, role=role, origin=origin)


def synth_documents(n: int, seed: int = SYNTH_SEED, start: int = 0) -> Iterator[SynthDocument]:
    """Documents ``start`` … ``start + n - 1`` of the corpus of ``seed``, one at a time."""
    for index in range(start, start + n):
        yield synth_document(index, seed)


@dataclass(frozen=True, slots=True)
class SynthSummary:
    documents: int
    bytes: int
    body_words: int
    sha256: str  # over every path and text in order
    roles: dict[str, int]
    kinds: dict[str, int]

    @property
    def mean_words(self) -> float:
        return self.body_words / self.documents if self.documents else 0.0


def write_synth(folder: Path, n: int, seed: int = SYNTH_SEED) -> SynthSummary:
    """Write ``n`` documents under ``folder`` (month/day subfolders), streaming: memory does not grow with ``n``."""
    h = hashlib.sha256()
    size = words = 0
    roles: dict[str, int] = {}
    kinds: dict[str, int] = {}
    for doc in synth_documents(n, seed):
        path = folder / doc.path
        path.parent.mkdir(parents=True, exist_ok=True)
        data = doc.text.encode("utf-8")
        path.write_bytes(data)
        h.update(doc.path.encode() + b"\0" + data + b"\0")
        size += len(data)
        words += doc.body_words
        roles[doc.role] = roles.get(doc.role, 0) + 1
        kinds[doc.kind] = kinds.get(doc.kind, 0) + 1
    return SynthSummary(documents=n, bytes=size, body_words=words, sha256=h.hexdigest(), roles=roles, kinds=kinds)


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.corpus",
                                     description="Write a synthetic corpus in the example corpus's style.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("-n", "--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=SYNTH_SEED)
    args = parser.parse_args(argv)
    summary = write_synth(args.folder, args.documents, args.seed)
    print(json.dumps({**asdict(summary), "mean_words": round(summary.mean_words, 1)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
