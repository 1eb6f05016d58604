"""The situation map as one SVG string: boundaries, a dot per place coloured by its control status, a legend.

The input is what :func:`sitroom.analyse.ground.places` returns (the state of each place at a date);
nothing is fetched and no script or stylesheet is needed, so the SVG works inline in a page, saved to
a file or offline. Place names, actors and sources come from source text: the document is built with
``xml.etree.ElementTree``, which escapes every text and attribute, after characters that XML 1.0
cannot carry at all have been dropped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .boundaries import Bbox, Boundaries, Projection, load_boundaries, path_data
from .labels import Dot, place_labels

if TYPE_CHECKING:
    from ...analyse.ground import PlaceState

SVG_NS = "http://www.w3.org/2000/svg"

# status -> (fill colour, legend label). Statuses from the extractor first, then ones an LLM extractor
# or a later lexicon may give; anything else is drawn grey under its own name.
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "captured": ("#c0392b", "captured"),
    "contested": ("#e67e22", "contested"),
    "threatened": ("#b7950b", "threatened / attacked"),
    "attacked": ("#8e44ad", "attacked"),
    "liberated": ("#2471a3", "liberated"),
    "mentioned": ("#7f8c8d", "mentioned"),
}
OTHER_COLOUR = "#5d6d7e"
SEA = "#dde8f0"
LAND = "#efefe9"
LAND_STROKE = "#b3b3aa"
REGION = "#fbfaf4"
REGION_STROKE = "#8c8c82"

MARGIN_DEGREES = 0.8
NEAR_DEGREES = 3.0  # places up to this far outside Ukraine's bounding box widen the frame; others are listed
MIN_SPAN_DEGREES = 2.5  # fit="places": the frame is at least this wide and tall
LEGEND_ROW = 18
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """Text that XML 1.0 can carry (control characters and lone surrogates dropped); ET escapes the rest."""
    return _NOT_XML.sub("", str(value))


def colour_of(status: str) -> str:
    return STATUS_STYLE.get(status, (OTHER_COLOUR, status))[0]


def _day(value: datetime | None) -> str:
    return value.date().isoformat() if value else "unknown"


def describe(place: PlaceState) -> str:
    """One line for a place's tooltip: name, status and by whom, since when, first and last report."""
    status = place.status + (f" by {place.by}" if place.by else "")
    parts = [f"{place.name}: {status}"]
    if place.since:
        parts.append(f"since {_day(place.since)}")
    parts.append(f"first report {_day(place.first_report)}, last report {_day(place.last_report)}")
    if place.disputed:
        rivals = "; ".join(f"{s} per {', '.join(v)}" for s, v in sorted(place.rival.items()))
        parts.append(f"disputed ({rivals})" if rivals else "disputed")
    if place.sources:
        shown = ", ".join(place.sources[:5]) + (f" and {len(place.sources) - 5} more" if len(place.sources) > 5 else "")
        parts.append(f"sources: {shown}")
    return xml_text(" · ".join(parts))


@dataclass(frozen=True, slots=True)
class MapLayout:
    """Where each place went: drawn, outside the frame, or without coordinates."""

    frame: Bbox
    drawn: list[PlaceState]
    outside: list[PlaceState]
    unlocated: list[PlaceState]


def layout(
    places: Iterable[PlaceState], boundaries: Boundaries, margin: float = MARGIN_DEGREES, fit: str = "ukraine"
) -> MapLayout:
    """Which places are drawn and the frame around them.

    ``fit="ukraine"``: Ukraine with a margin, widened to take in places near it (Kursk, Belgorod,
    Transnistria). ``fit="places"``: the drawn places with a margin (at least :data:`MIN_SPAN_DEGREES`
    each way), to zoom in on a front. Either way places further than :data:`NEAR_DEGREES` beyond
    Ukraine (Moscow, Brussels) are not drawn but listed in the legend.
    """
    if fit not in ("ukraine", "places"):
        raise ValueError(f"fit must be 'ukraine' or 'places', not {fit!r}")
    ukraine = boundaries.ukraine_bbox()
    near = ukraine.grow(NEAR_DEGREES)
    drawn, outside, unlocated = [], [], []
    for p in places:
        if p.lat is None or p.lon is None:
            unlocated.append(p)
        elif near.contains(p.lon, p.lat) and boundaries.clip.contains(p.lon, p.lat):
            drawn.append(p)
        else:
            outside.append(p)
    points = [(p.lon, p.lat) for p in drawn if p.lon is not None and p.lat is not None]
    if not points:
        return MapLayout(ukraine.grow(margin), drawn, outside, unlocated)
    around = Bbox.around(points)
    if fit == "places":
        frame = _at_least(around.grow(0.6), MIN_SPAN_DEGREES)
    else:  # keep a little land around places at the edge
        frame = ukraine.grow(margin)
        grown = around.grow(0.3)
        frame = frame.including(grown.lon_min, grown.lat_min).including(grown.lon_max, grown.lat_max)
    c = boundaries.clip
    frame = Bbox(
        max(frame.lon_min, c.lon_min),
        max(frame.lat_min, c.lat_min),
        min(frame.lon_max, c.lon_max),
        min(frame.lat_max, c.lat_max),
    )
    return MapLayout(frame, drawn, outside, unlocated)


def _at_least(box: Bbox, span: float) -> Bbox:
    lon_pad = max(0.0, span - (box.lon_max - box.lon_min)) / 2
    lat_pad = max(0.0, span - (box.lat_max - box.lat_min)) / 2
    return Bbox(box.lon_min - lon_pad, box.lat_min - lat_pad, box.lon_max + lon_pad, box.lat_max + lat_pad)


def _sub(parent: ET.Element, tag: str, text: str | None = None, /, **attrs: object) -> ET.Element:
    el = ET.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def render_map(
    places: Iterable[PlaceState],
    *,
    at: datetime | None = None,
    boundaries: Boundaries | None = None,
    width: int = 960,
    labels: bool = True,
    svg_id: str = "sitroom-map",
    details_id: str | None = None,
    fit: str = "ukraine",
) -> str:
    """The map of ``places`` (the state at ``at``) as an SVG document string, ready to inline in HTML.

    ``fit``: ``"ukraine"`` (the whole country) or ``"places"`` (zoom to the places drawn); see :func:`layout`.
    ``svg_id`` prefixes the element ids (title, description, clip path): give each map on one page its own.
    ``details_id`` names an element of the page where ``static/map.js`` writes the description of the
    place clicked (or focused and chosen with Enter); each place is focusable either way.
    """
    boundaries = boundaries or load_boundaries()
    plan = layout(places, boundaries, fit=fit)
    project = Projection(plan.frame, width)
    map_h = project.height
    statuses = Counter(p.status for p in plan.drawn)
    legend_rows = _legend_rows(statuses, plan)
    height = map_h + 12 + LEGEND_ROW * len(legend_rows)
    title = "Control of places" + (f" on {at.date().isoformat()}" if at else " (latest reports)")

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width} {height:.0f}",
            "width": str(width),
            "height": f"{height:.0f}",
            "role": "img",
            "id": svg_id,
            "aria-labelledby": f"{svg_id}-title {svg_id}-desc",
            "class": "sitroom-map",
            "font-family": "system-ui, sans-serif",
        },
    )
    if details_id:
        svg.set("data-details", xml_text(details_id))
    _sub(svg, "title", title, id=f"{svg_id}-title")
    _sub(
        svg,
        "desc",
        f"{len(plan.drawn)} places on a map of Ukraine and its neighbours, coloured by reported control status.",
        id=f"{svg_id}-desc",
    )
    defs = _sub(svg, "defs")
    clip = _sub(defs, "clipPath", id=f"{svg_id}-clip")
    _sub(clip, "rect", x=0, y=0, width=width, height=f"{map_h:.1f}")
    ground = _sub(svg, "g", class_="map", clip_path=f"url(#{svg_id}-clip)")
    _sub(ground, "rect", x=0, y=0, width=width, height=f"{map_h:.1f}", fill=SEA, class_="sea")
    land = _sub(ground, "g", class_="countries", fill=LAND, stroke=LAND_STROKE, stroke_width="0.8")
    for area in boundaries.countries:
        if area.code == "UA":
            continue  # Ukraine is drawn by its regions
        path = _sub(land, "path", d=path_data(area.polygons, project), fill_rule="evenodd", data_code=area.code)
        _sub(path, "title", area.name)
    regions = _sub(ground, "g", class_="regions", fill=REGION, stroke=REGION_STROKE, stroke_width="0.7")
    for area in boundaries.regions:
        path = _sub(regions, "path", d=path_data(area.polygons, project), fill_rule="evenodd", data_code=area.code)
        _sub(path, "title", area.name)

    dots = _sub(ground, "g", class_="places", stroke="#ffffff", stroke_width="1.2")
    # least recent first, so the latest reports are drawn on top
    ordered = sorted(plan.drawn, key=lambda s: (s.last_report or datetime.min, s.name))
    spots = [Dot(p.name, *project(p.lon or 0.0, p.lat or 0.0), 7 if p.disputed else 5) for p in ordered]
    for p, spot in zip(ordered, spots, strict=True):
        attrs: dict[str, object] = {
            "cx": f"{spot.x:.1f}",
            "cy": f"{spot.y:.1f}",
            "r": spot.r,
            "fill": colour_of(p.status),
            "class": "place",
            "tabindex": 0,
            "data-name": p.name,
            "data-status": p.status,
        }
        if p.by:
            attrs["data-by"] = p.by
        if p.disputed:
            attrs.update(
                {"stroke": "#111111", "stroke-width": "1.5", "stroke-dasharray": "3 2", "data-disputed": "true"}
            )
        circle = ET.SubElement(dots, "circle", {k: xml_text(v) for k, v in attrs.items()})
        _sub(circle, "title", describe(p))
    hidden = 0
    if labels:
        text = _sub(ground, "g", class_="labels", font_size="11", fill="#222222")
        # the labels of the most important places claim their spots first
        rank = sorted(range(len(ordered)), key=lambda i: _importance(ordered[i]))
        spots_ranked = [spots[i] for i in rank]
        for i, label in zip(rank, place_labels(spots_ranked, width, map_h), strict=True):
            if label is None:
                hidden += 1
                continue
            _sub(
                text,
                "text",
                ordered[i].name,
                x=f"{label.x:.1f}",
                y=f"{label.y:.1f}",
                text_anchor=label.anchor,
                stroke="#ffffff",
                stroke_width="3",
                paint_order="stroke",
                stroke_linejoin="round",
            )
    if hidden:
        legend_rows.append(
            ("hidden-labels", f"{hidden} labels left out where they would overlap: hover or choose a dot", None)
        )
        height += LEGEND_ROW
        svg.set("viewBox", f"0 0 {width} {height:.0f}")
        svg.set("height", f"{height:.0f}")

    legend = _sub(svg, "g", class_="legend", font_size="12", fill="#222222")
    for i, (kind, row_text, colour) in enumerate(legend_rows):
        y = map_h + 12 + i * LEGEND_ROW
        if colour:
            swatch = {"cx": 16, "cy": f"{y + 6:.1f}", "r": 5, "fill": colour, "class": "swatch", "stroke": "#ffffff"}
            if kind == "disputed":
                swatch.update(fill="#ffffff", stroke="#111111", stroke_dasharray="3 2", r=6)
            _sub(legend, "circle", **swatch)
        _sub(legend, "text", row_text, x=28, y=f"{y + 10:.1f}", data_row=kind)
    return ET.tostring(svg, encoding="unicode")


def _importance(p: PlaceState) -> tuple[int, int, float, str]:
    """Disputed first, then captured, contested, the rest; the most recently reported first."""
    order = {"captured": 0, "contested": 1}
    latest = p.last_report.timestamp() if p.last_report else 0.0
    return (0 if p.disputed else 1, order.get(p.status, 2), -latest, p.name)


def _legend_rows(statuses: Counter[str], plan: MapLayout) -> list[tuple[str, str, str | None]]:
    rows: list[tuple[str, str, str | None]] = []
    known = [s for s in STATUS_STYLE if s in statuses or s in ("captured", "contested", "threatened")]
    for status in [*known, *sorted(s for s in statuses if s not in STATUS_STYLE)]:
        label = STATUS_STYLE.get(status, (OTHER_COLOUR, status))[1]
        rows.append((status, f"{label} ({statuses.get(status, 0)})", colour_of(status)))
    if any(p.disputed for p in plan.drawn):
        rows.append(("disputed", "dashed ring: disputed (another source reports a conflicting status)", "#ffffff"))
    if plan.outside:
        names = ", ".join(p.name for p in plan.outside[:8]) + (" …" if len(plan.outside) > 8 else "")
        rows.append(("outside", f"outside this map: {len(plan.outside)} ({names})", None))
    if plan.unlocated:
        rows.append(("unlocated", f"without coordinates: {len(plan.unlocated)}", None))
    return rows


__all__ = ["STATUS_STYLE", "MapLayout", "colour_of", "describe", "layout", "render_map", "xml_text"]
