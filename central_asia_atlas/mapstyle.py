"""What the panel, the legends and the page share with the map, without folium.

The map page shows its select boxes and panel before the map is built: importing folium,
streamlit-folium and pandas takes a noticeable part of a server's first view, and the browser
uses that time to draw the widgets (tests/unit/test_panel.py checks the page's modules import none
of them). `mapview` builds the map and re-exports these names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .indicators import OI_BLUE, OI_VERMILLION

if TYPE_CHECKING:
    from .dataset import Dataset

HEIGHT = 540  # px: the map on the map page
# What the map component reports (streamlit-folium's returned_objects, in its order).
MAP_RETURNS = ("last_object_clicked_count", "last_active_drawing")

# Routes: Okabe-Ito vermillion (through Russia) vs blue (avoiding Russia), a colour-blind-safe
# pair, drawn over a white casing so they stand out from the choropleth beneath.
ROUTE_VIA_RUSSIA = OI_VERMILLION
ROUTE_AVOIDING_RUSSIA = OI_BLUE
ROUTE_NOT_OPERATING = "#777777"  # the legend's dashed sample: any route, dashed
EVENT_FILL = "#1a1a1a"

# The tab's icon: a globe, as an SVG data: URL (no request, to this host or another). An emoji
# icon made Streamlit import its emoji catalogue at a server's first view, and a
# ":material/...:" icon is fetched from fonts.gstatic.com (benchmarks/results.md).
FAVICON = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E"
    "%3Ccircle cx='16' cy='16' r='14' fill='%230072B2'/%3E"
    "%3Cg fill='none' stroke='%23fff' stroke-width='2'%3E"
    "%3Cellipse cx='16' cy='16' rx='6' ry='14'/%3E%3Cpath d='M2 16h28M5 9h22M5 23h22'/%3E"
    "%3C/g%3E%3C/svg%3E"
)


def events_at_same_place(dataset: Dataset) -> dict[tuple[float, float], list[str]]:
    """Event ids grouped by their point, oldest first: one marker per place on the map."""
    places: dict[tuple[float, float], list[tuple[str, str]]] = {}
    for e in dataset.events:
        if e.geometry is None:
            continue
        key = (round(e.geometry.x, 5), round(e.geometry.y, 5))
        places.setdefault(key, []).append((e.props.date.isoformat(), e.props.id))
    return {k: [i for _, i in sorted(v)] for k, v in places.items()}
