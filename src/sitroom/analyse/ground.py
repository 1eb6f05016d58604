"""The ground: who controls each place, since when, on whose word, and where the reports disagree.

Every place fact with a control status is a *report* (place, time, status, by whom, voiced by
whom, how surely). A report that *denies* a capture ("Kyiv denies that Kupiansk has fallen") is read
as a report that the place is contested. Reports are walked in time order:

* the **status at a date** is decided by the reports of the ``window`` days up to the latest report
  before that date: the status with the most distinct voices wins, ties go to the latest report;
* the place is **disputed** when another, conflicting status (captured vs contested or threatened,
  see ``link/data/linking.json``) is voiced by someone else in that window;
* **since** is the first report of the current status after the last report of another status
  that fell outside the window, so a town contested on Monday and captured on Friday (window 3
  days) is captured since Friday: a change, not a dispute.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from ..link.corpus import Corpus, FactRef
from ..link.groups import conflicting_status

WINDOW_DAYS = 3


@dataclass(frozen=True, slots=True)
class ControlReport:
    place: str
    when: datetime | None
    status: str  # captured | contested | threatened (after reading denials)
    by: str | None
    voice: str
    certainty: str
    document_id: str
    source: str | None
    evidence: str
    fact_id: int | None


@dataclass(slots=True)
class PlaceState:
    name: str
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    feature: str
    status: str
    by: str | None
    since: datetime | None
    first_report: datetime | None
    last_report: datetime | None
    sources: list[str]
    disputed: bool = False
    rival: dict[str, list[str]] = field(default_factory=dict)  # conflicting status -> voices
    reports: list[ControlReport] = field(default_factory=list)
    report_count: int | None = None  # how many reports there are when ``reports`` holds the latest only

    @property
    def reports_total(self) -> int:
        return len(self.reports) if self.report_count is None else self.report_count

    def latest_reports(self, n: int | None) -> PlaceState:
        """This state with its latest ``n`` reports only (None: all), counting them all."""
        if n is None or len(self.reports) <= n:
            return self
        return replace(self, reports=self.reports[len(self.reports) - n :], report_count=self.reports_total)

    def to_dict(self, with_reports: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "status": self.status,
            "by": self.by,
            "since": _iso(self.since),
            "first_report": _iso(self.first_report),
            "last_report": _iso(self.last_report),
            "sources": self.sources,
            "disputed": self.disputed,
            "rival": self.rival,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "feature": self.feature,
            "reports_total": self.reports_total,
        }
        if with_reports:
            out["reports"] = [
                {
                    "when": _iso(r.when),
                    "status": r.status,
                    "by": r.by,
                    "voice": r.voice,
                    "certainty": r.certainty,
                    "document_id": r.document_id,
                    "source": r.source,
                    "evidence": r.evidence,
                    "fact_id": r.fact_id,
                }
                for r in self.reports
            ]
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlaceState:
        """The inverse of ``to_dict`` (a stored state read back)."""
        reports = [
            ControlReport(
                place=data["name"],
                when=_date(r["when"]),
                status=r["status"],
                by=r["by"],
                voice=r["voice"],
                certainty=r["certainty"],
                document_id=r["document_id"],
                source=r["source"],
                evidence=r["evidence"],
                fact_id=r["fact_id"],
            )
            for r in data.get("reports", [])
        ]
        return cls(
            name=data["name"],
            lat=data["lat"],
            lon=data["lon"],
            country=data["country"],
            admin1=data["admin1"],
            feature=data["feature"],
            status=data["status"],
            by=data["by"],
            since=_date(data["since"]),
            first_report=_date(data["first_report"]),
            last_report=_date(data["last_report"]),
            sources=list(data["sources"]),
            disputed=bool(data["disputed"]),
            rival={k: list(v) for k, v in data["rival"].items()},
            reports=reports,
            report_count=data.get("reports_total"),
        )


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def conflicting(a: str, b: str) -> bool:
    return conflicting_status(a, b)


def report_of(ref: FactRef, corpus: Corpus) -> ControlReport | None:
    place = ref.fact
    status = place.status
    if status == "mentioned":
        return None
    if ref.certainty == "denied":
        if status != "captured":
            return None
        status = "contested"
    return ControlReport(
        place=place.name,
        when=ref.published,
        status=status,
        by=place.by,
        voice=ref.voice,
        certainty=ref.certainty,
        document_id=ref.document_id,
        source=corpus.source_of(ref.document_id),
        evidence=ref.context,
        fact_id=ref.id,
    )


def reports_by_place(corpus: Corpus) -> dict[str, list[ControlReport]]:
    out: dict[str, list[ControlReport]] = defaultdict(list)
    for ref in corpus.facts.get("places", []):
        report = report_of(ref, corpus)
        if report is not None and report.when is not None:
            out[report.place].append(report)
    for reports in out.values():
        reports.sort(key=lambda r: r.when or datetime.min)
    return out


def _decide(window: list[ControlReport]) -> tuple[str, str | None, dict[str, list[str]]]:
    voices: dict[str, set[str]] = defaultdict(set)
    latest: dict[str, int] = {}
    for i, r in enumerate(window):
        voices[r.status].add(r.voice)
        latest[r.status] = i
    status = max(voices, key=lambda s: (len(voices[s]), latest[s]))
    by_counts = Counter(r.by for r in window if r.status == status and r.by)
    by = by_counts.most_common(1)[0][0] if by_counts else None
    # a conflicting status counts only when someone else voices it (one voice changing its own
    # account in the window is not a dispute; contradictions.control applies the same rule)
    rival = {
        s: sorted(v)
        for s, v in voices.items()
        if s != status and conflicting(s, status) and len(v | voices[status]) > 1
    }
    return status, by, rival


@dataclass(frozen=True, slots=True)
class Step:
    """The decided status of a place just after ``report``."""

    report: ControlReport
    status: str
    by: str | None
    rival: dict[str, list[str]]


def timeline(reports: list[ControlReport], window_days: int = WINDOW_DAYS) -> list[Step]:
    """Re-decide the status after each report (dated reports only, in time order), in one pass."""
    span = timedelta(days=window_days)
    steps: list[Step] = []
    window: deque[ControlReport] = deque()
    for r in reports:
        if r.when is None:
            continue
        window.append(r)
        while window and window[0].when is not None and window[0].when < r.when - span:
            window.popleft()
        status, by, rival = _decide(list(window))
        steps.append(Step(r, status, by, rival))
    return steps


def state(
    name: str, reports: list[ControlReport], at: datetime | None = None, window_days: int = WINDOW_DAYS
) -> PlaceState | None:
    """The place's state at ``at`` (default: after the last report), or None if no report by then."""
    steps = [st for st in timeline(reports, window_days) if at is None or (st.report.when and st.report.when <= at)]
    if not steps:
        return None
    final = steps[-1]
    since = final.report.when
    for st in reversed(steps):
        if st.status != final.status:
            break
        since = st.report.when
    seen = [st.report for st in steps]
    return PlaceState(
        name=name,
        lat=None,
        lon=None,
        country=None,
        admin1=None,
        feature="city",
        status=final.status,
        by=final.by,
        since=since,
        first_report=seen[0].when,
        last_report=seen[-1].when,
        sources=list(dict.fromkeys(r.source or r.voice for r in seen)),
        disputed=bool(final.rival),
        rival=final.rival,
        reports=seen,
    )


@dataclass(frozen=True, slots=True)
class StatusChange:
    place: str
    when: datetime
    before: str
    after: str
    by: str | None
    evidence: ControlReport


def changes(name: str, reports: list[ControlReport], window_days: int = WINDOW_DAYS) -> list[StatusChange]:
    """Moments the decided status of a place changed."""
    out: list[StatusChange] = []
    previous: str | None = None
    for st in timeline(reports, window_days):
        if previous is not None and st.status != previous and st.report.when is not None:
            out.append(StatusChange(name, st.report.when, previous, st.status, st.by, st.report))
        previous = st.status
    return out


def _locate(corpus: Corpus, states: Iterable[PlaceState]) -> None:
    where: dict[str, Any] = {}
    for ref in corpus.facts.get("places", []):
        where.setdefault(ref.fact.name, ref.fact)
    for s in states:
        fact = where.get(s.name)
        if fact is not None:
            s.lat, s.lon, s.country, s.admin1, s.feature = fact.lat, fact.lon, fact.country, fact.admin1, fact.feature


def places(corpus: Corpus, at: datetime | None = None, window_days: int = WINDOW_DAYS) -> list[PlaceState]:
    """Every place with at least one control report by ``at``, most recently reported first."""
    out = []
    for name, reports in reports_by_place(corpus).items():
        s = state(name, reports, at, window_days)
        if s is not None:
            out.append(s)
    _locate(corpus, out)
    out.sort(key=lambda s: (s.last_report or datetime.min, s.name), reverse=True)
    return out


def geojson(states: Iterable[PlaceState]) -> dict[str, Any]:
    """A GeoJSON FeatureCollection (RFC 7946: lon, lat in WGS 84) of the places that have coordinates."""
    features = []
    for s in states:
        if s.lat is None or s.lon is None:
            continue
        props = s.to_dict(with_reports=False)
        props.pop("lat")
        props.pop("lon")
        props["reports"] = props.pop("reports_total")
        features.append(
            {
                "type": "Feature",
                "id": s.name,
                "geometry": {"type": "Point", "coordinates": [round(s.lon, 6), round(s.lat, 6)]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


__all__ = [
    "WINDOW_DAYS",
    "ControlReport",
    "PlaceState",
    "StatusChange",
    "Step",
    "changes",
    "conflicting",
    "geojson",
    "places",
    "report_of",
    "reports_by_place",
    "state",
    "timeline",
]
