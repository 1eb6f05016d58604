"""sitroom.web.geo.render_map: the situation map as SVG — valid, one dot per place, colours, escaping, projection."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sitroom.analyse import ground
from sitroom.analyse.ground import PlaceState
from sitroom.errors import ConfigError
from sitroom.web.geo import STATUS_STYLE, Boundaries, layout, load_boundaries, render_map

from ..story_kit import Doc, corpus_of, day

NS = {"s": "http://www.w3.org/2000/svg"}


@pytest.fixture(scope="module")
def boundaries() -> Boundaries:
    return load_boundaries()


def place(
    name: str,
    lat: float | None,
    lon: float | None,
    status: str = "captured",
    by: str | None = "Russia",
    disputed: bool = False,
) -> PlaceState:
    return PlaceState(
        name=name,
        lat=lat,
        lon=lon,
        country="UA",
        admin1=None,
        feature="city",
        status=status,
        by=by,
        since=datetime(2025, 11, 20, tzinfo=UTC),
        first_report=datetime(2025, 11, 18, tzinfo=UTC),
        last_report=datetime(2025, 11, 21, tzinfo=UTC),
        sources=["Meridian Wire", "Harbor Post"],
        disputed=disputed,
        rival={"contested": ["General Staff"]} if disputed else {},
    )


def circles(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(".//s:circle[@class='place']", NS)


def path_points(d: str) -> list[list[tuple[float, float]]]:
    rings = []
    for sub in re.findall(r"M([^Z]*)Z", d):
        rings.append([(float(x), float(y)) for x, y in (pt.split(",") for pt in sub.split("L"))])
    return rings


def inside(x: float, y: float, rings: list[list[tuple[float, float]]]) -> bool:
    """Even-odd ray casting over every ring (what fill-rule evenodd draws)."""
    hit = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


def region_path(svg: str, code: str) -> str:
    el = ET.fromstring(svg).find(f".//s:g[@class='regions']/s:path[@data-code='{code}']", NS)
    assert el is not None, code
    return el.attrib["d"]


def test_the_map_is_valid_svg_with_a_title_boundaries_and_a_legend(boundaries):
    svg = render_map([place("Pokrovsk", 48.28, 37.18)], at=datetime(2025, 11, 25), boundaries=boundaries)
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.attrib["role"] == "img"
    assert root.find("s:title", NS).text == "Control of places on 2025-11-25"
    assert len(root.findall(".//s:g[@class='regions']/s:path", NS)) == 27
    countries = {p.attrib["data-code"] for p in root.findall(".//s:g[@class='countries']/s:path", NS)}
    assert {"RU", "BY", "PL", "SK", "HU", "RO", "MD"} <= countries
    legend = [t.text for t in root.findall(".//s:g[@class='legend']/s:text", NS)]
    assert "captured (1)" in legend and "contested (0)" in legend


def test_one_circle_per_place_coloured_by_status(boundaries):
    states = [
        place("Pokrovsk", 48.28, 37.18, "captured"),
        place("Kupiansk", 49.71, 37.61, "contested"),
        place("Kherson", 46.64, 32.61, "threatened"),
        place("Balakliia", 49.46, 36.86, "liberated", by="Ukraine"),
    ]
    found = {c.attrib["data-name"]: c for c in circles(render_map(states, boundaries=boundaries))}
    assert sorted(found) == sorted(s.name for s in states)
    for s in states:
        assert found[s.name].attrib["fill"] == STATUS_STYLE[s.status][0]
        assert found[s.name].attrib["data-status"] == s.status
    assert len({c.attrib["fill"] for c in found.values()}) == 4


def test_a_status_the_palette_does_not_know_is_drawn_grey_and_named_in_the_legend(boundaries):
    svg = render_map([place("Siversk", 48.87, 38.10, "encircled")], boundaries=boundaries)
    [c] = circles(svg)
    assert c.attrib["fill"] not in {colour for colour, _ in STATUS_STYLE.values()}
    assert "encircled (1)" in [t.text for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]


def test_the_title_gives_name_status_actor_and_first_and_last_report(boundaries):
    [c] = circles(render_map([place("Pokrovsk", 48.28, 37.18, disputed=True)], boundaries=boundaries))
    title = c.find("s:title", NS).text
    assert title.startswith("Pokrovsk: captured by Russia")
    assert "since 2025-11-20" in title
    assert "first report 2025-11-18, last report 2025-11-21" in title
    assert "disputed (contested per General Staff)" in title
    assert "sources: Meridian Wire, Harbor Post" in title
    assert c.attrib["data-disputed"] == "true" and "stroke-dasharray" in c.attrib


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        'Kupiansk" onload="alert(1)',
        "Tom & Jerry's <b>village</b>",
        "]]><svg onload=alert(1)>",
    ],
)
def test_hostile_names_and_actors_are_escaped(boundaries, name):
    actor = '"/><script>alert(2)</script>'
    svg = render_map([place(name, 48.5, 35.0, by=actor)], boundaries=boundaries, details_id='x" onclick="y')
    root = ET.fromstring(svg)  # still well-formed
    assert "<script" not in svg and "<b>" not in svg
    for el in root.iter():
        assert not el.tag.endswith("script")
        assert not [a for a in el.attrib if a.lower().startswith("on")]
    [c] = circles(svg)
    assert c.attrib["data-name"] == name and c.attrib["data-by"] == actor
    assert c.find("s:title", NS).text.startswith(f"{name}: captured by {actor}")
    labels = [t.text for t in root.findall(".//s:g[@class='labels']/s:text", NS)]
    assert labels == [name]


def test_characters_xml_cannot_carry_are_dropped_not_passed_through(boundaries):
    svg = render_map([place("Bad\x00\x07name\ufffe", 48.5, 35.0)], boundaries=boundaries)
    [c] = circles(svg)
    assert c.attrib["data-name"] == "Badname"


def test_the_projection_puts_cities_inside_their_regions(boundaries):
    cities = {
        "Kyiv": (50.45, 30.52, "UA-30"),
        "Lviv": (49.84, 24.03, "UA-46"),
        "Kharkiv": (49.99, 36.23, "UA-63"),
        "Odesa": (46.48, 30.72, "UA-51"),
        "Simferopol": (44.95, 34.10, "UA-43"),
    }
    svg = render_map([place(n, lat, lon) for n, (lat, lon, _) in cities.items()], boundaries=boundaries)
    dots = {c.attrib["data-name"]: (float(c.attrib["cx"]), float(c.attrib["cy"])) for c in circles(svg)}
    regions = ET.fromstring(svg).findall(".//s:g[@class='regions']/s:path", NS)
    ukraine = [pt for r in regions for ring in path_points(r.attrib["d"]) for pt in ring]
    for name, (_, _, code) in cities.items():
        x, y = dots[name]
        assert inside(x, y, path_points(region_path(svg, code))), name
        others = [c for *_, c in cities.values() if c != code]
        assert not any(inside(x, y, path_points(region_path(svg, o))) for o in others), name
    xs = [x for x, _ in ukraine]
    ys = [y for _, y in ukraine]
    kx, ky = dots["Kyiv"]
    assert min(xs) < kx < max(xs) and min(ys) < ky < max(ys)


def test_far_places_are_listed_not_drawn_and_near_ones_widen_the_frame(boundaries):
    states = [
        place("Moscow", 55.75, 37.62, "threatened", by="Ukraine"),
        place("Kursk", 51.73, 36.19, "threatened", by="Ukraine"),
        place("Nowhere", None, None),
    ]
    plan = layout(states, boundaries)
    assert [p.name for p in plan.drawn] == ["Kursk"]
    assert [p.name for p in plan.outside] == ["Moscow"] and [p.name for p in plan.unlocated] == ["Nowhere"]
    assert plan.frame.contains(36.19, 51.73) and not plan.frame.contains(37.62, 55.75)
    svg = render_map(states, boundaries=boundaries)
    assert [c.attrib["data-name"] for c in circles(svg)] == ["Kursk"]
    legend = [t.text for t in ET.fromstring(svg).findall(".//s:g[@class='legend']/s:text", NS)]
    assert "outside this map: 1 (Moscow)" in legend and "without coordinates: 1" in legend


def test_the_map_of_an_analysed_corpus(boundaries):
    contested = Doc("Fighting went on in Kupiansk.", "Harbor Post", day(2)).place(
        "Kupiansk", "contested", lat=49.71, lon=37.61
    )
    captured = Doc("Russian forces captured Kupiansk.", "Coast Wire", day(3)).place(
        "Kupiansk", "captured", by="Russian forces", lat=49.71, lon=37.61
    )
    states = ground.places(corpus_of(contested, captured))
    [c] = circles(render_map(states, at=day(4), boundaries=boundaries))
    assert c.attrib["data-status"] == "captured" and c.attrib["data-disputed"] == "true"
    assert "Kupiansk: captured by Russian forces" in c.find("s:title", NS).text


def test_missing_boundaries_say_how_to_build_them(tmp_path: Path):
    with pytest.raises(ConfigError, match="make assets"):
        load_boundaries(tmp_path / "nope.geojson")


def test_a_label_that_would_run_off_the_right_edge_goes_left_of_its_dot(boundaries):
    svg = render_map(
        [place("Lviv", 49.84, 24.03), place("A very long village name near Luhansk", 48.57, 39.3)],
        boundaries=boundaries,
    )
    labels = {t.text: t for t in ET.fromstring(svg).findall(".//s:g[@class='labels']/s:text", NS)}
    dots = {c.attrib["data-name"]: float(c.attrib["cx"]) for c in circles(svg)}
    assert labels["Lviv"].attrib["text-anchor"] == "start" and float(labels["Lviv"].attrib["x"]) > dots["Lviv"]
    far = labels["A very long village name near Luhansk"]
    assert far.attrib["text-anchor"] == "end" and float(far.attrib["x"]) < dots["A very long village name near Luhansk"]


def test_labels_never_overlap_and_those_without_room_are_counted(boundaries):
    from sitroom.web.geo.labels import Dot, overlaps, place_labels

    same_spot = [Dot(f"Village {i}", 100.0, 100.0, 5) for i in range(5)]
    spots = place_labels(same_spot, 400, 400)
    assert [s.anchor if s else None for s in spots] == ["start", "end", "middle", "middle", None]
    boxes = [s.box for s in spots if s]
    assert not any(overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    edge = place_labels([Dot("Right edge town", 395.0, 10.0, 5)], 400, 400)
    assert edge[0] is not None and edge[0].anchor == "end"  # not right (off the map), not above (off the top)

    crowd = [place(f"Hamlet {i}", 48.0, 37.5, "contested") for i in range(6)]
    svg = render_map([place("Pokrovsk", 48.28, 37.18, disputed=True), *crowd], boundaries=boundaries)
    root = ET.fromstring(svg)
    labels = [t.text for t in root.findall(".//s:g[@class='labels']/s:text", NS)]
    assert "Pokrovsk" in labels  # the disputed place claims its spot first
    hidden = 7 - len(labels)
    assert len(circles(svg)) == 7 and hidden >= 2  # six at one spot: four spots at most
    legend = [t.text for t in root.findall(".//s:g[@class='legend']/s:text", NS)]
    assert f"{hidden} labels left out where they would overlap: hover or choose a dot" in legend


def test_fit_places_zooms_to_the_places(boundaries):
    front = [place("Pokrovsk", 48.28, 37.18), place("Kupiansk", 49.71, 37.61), place("Kyiv", 50.45, 30.52)]
    whole = layout(front, boundaries).frame
    zoomed = layout(front[:2], boundaries, fit="places").frame
    assert zoomed.lon_max - zoomed.lon_min < (whole.lon_max - whole.lon_min) / 3
    assert zoomed.contains(37.18, 48.28) and zoomed.contains(37.61, 49.71) and not zoomed.contains(30.52, 50.45)
    assert zoomed.lon_max - zoomed.lon_min >= 2.5  # two places close together still get a readable frame
    with pytest.raises(ValueError):
        layout(front, boundaries, fit="world")
    svg = render_map(front[:2], boundaries=boundaries, fit="places")
    assert len(circles(svg)) == 2
