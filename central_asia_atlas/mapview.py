"""The folium map: a fixed base map, and the layers that change (choropleth, highlight, routes).

The base map (water, neighbours, capitals, the fixed view) generates the same code on every
rerun, so the st_folium component never remounts; whatever changes with the user's choices is
built by `layers()` and handed to st_folium's `feature_group_to_add`. Only ids, names and
values go to the browser; excerpts stay on the server for the side panel.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from .indicators import OI_BLUE, OI_VERMILLION, IndicatorResult
from .model import GeometryQuality, RouteStatus
from .selection import Selection
from .store import BASEMAP_FILE, Dataset, current_data_dir

# Vendored Leaflet, served by Streamlit's static file serving (see .streamlit/config.toml).
STATIC_URL = "/app/static/leaflet"
LEAFLET_JS = [("leaflet", f"{STATIC_URL}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet.css")]

# The view: the five states, with room for the Caspian and the routes to the Black Sea.
FIT_BOUNDS = [[35.0, 46.0], [55.5, 88.0]]  # [[south, west], [north, east]]
LIMITS: dict[str, Any] = {"min_lat": 24.0, "max_lat": 60.0, "min_lon": 26.0, "max_lon": 100.0}
HEIGHT = 540
MAX_ZOOM = 8
BASEMAP_GRID = 0.01  # degrees

WATER = "#c6dbef"
LAND = "#f4f1ea"
LAND_EDGE = "#b3ab9c"
LABEL = "#6b6459"
COUNTRY_EDGE = "#3b3b3b"
HIGHLIGHT = "#000000"

# Routes: Okabe-Ito vermillion (through Russia) vs blue (avoiding Russia), a colour-blind-safe
# pair, drawn over a white casing so they stand out from the choropleth beneath.
ROUTE_VIA_RUSSIA = OI_VERMILLION
ROUTE_AVOIDING_RUSSIA = OI_BLUE
ROUTE_CASING = "#ffffff"
DASH = "8 6"
EVENT_FILL = "#1a1a1a"

# CSS classes on the SVG paths: they let the browser tests find what is drawn.
CLS_COUNTRY = "atlas-country"
CLS_HIGHLIGHT = "atlas-highlight"
CLS_ROUTE = "atlas-route"
CLS_ROUTE_HIT = "atlas-route-hit"
CLS_EVENT = "atlas-event"

# Layer names (the FeatureGroups passed to st_folium).
CHOROPLETH = "Choropleth"
SELECTED = "Selection"
ROUTES = "Energy export routes"
EVENTS = "Dated events"
TILES = "Online tiles"

_CSS = f"""<style>
.leaflet-container {{ background: {WATER}; }}
.leaflet-container .leaflet-control-attribution {{ font-size: 11px; }}
.leaflet-container .leaflet-tooltip {{ font-size: 12px; }}
.leaflet-tooltip.atlas-label, .leaflet-tooltip.atlas-capital {{ background: none;
  border: none; box-shadow: none; padding: 0; white-space: nowrap; }}
.leaflet-tooltip.atlas-label::before, .leaflet-tooltip.atlas-capital::before {{ display: none; }}
.leaflet-tooltip.atlas-label {{ color: {LABEL}; font: italic 12px/1.2 sans-serif;
  text-shadow: 0 0 3px {LAND}, 0 0 3px {LAND}; }}
.leaflet-tooltip.atlas-capital {{ color: #222; font: 11px/1.2 sans-serif; margin-left: 2px;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff; }}
</style>"""


def load_basemap(path: Path | None = None, grid: float = BASEMAP_GRID) -> dict[str, Any]:
    """The neighbours (Natural Earth, clipped to the region) as a slim FeatureCollection.

    Coordinates are snapped to a `grid`-degree grid (about 1 km): finer than a pixel up to
    the maximum zoom, and the base map the browser receives on every rerun is a fifth smaller.
    A missing or unreadable file, or a shape that cannot be read, is left out: the map then
    shows the five states on water, and the data check reports the problem.
    By default it reads the data directory in force (see store.current_data_dir).
    """
    path = path if path is not None else current_data_dir() / BASEMAP_FILE
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        raw = doc.get("features", []) if isinstance(doc, dict) else []
    except (OSError, ValueError):
        raw = []
    features = []
    for f in raw if isinstance(raw, list) else []:
        if not isinstance(f, dict) or not isinstance(f.get("geometry"), dict):
            continue
        try:
            geom = shapely.set_precision(shape(f["geometry"]), grid)
        except Exception:  # noqa: S112 -- shapely raises several types for malformed input
            continue
        if geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon"):
            continue
        props: dict[str, Any] = f.get("properties") or {}
        if not isinstance(props, dict):
            props = {}
        features.append(
            {
                "type": "Feature",
                "properties": {"name": str(props.get("name", ""))},
                "geometry": dict(mapping(geom)),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def label_points(
    basemap: Mapping[str, Any], min_area: float = 8.0
) -> list[tuple[str, float, float]]:
    """(name, lat, lon) for labelling the larger neighbours inside the view.

    Each point is the pole of inaccessibility of the neighbour's largest part in view,
    computed from the shapes; no coordinate is typed in by hand.
    """
    (south, west), (north, east) = FIT_BOUNDS
    view = box(west - 2, south - 2, east + 2, north + 2)
    out = []
    for f in basemap["features"]:
        part = shape(f["geometry"]).intersection(view)
        if part.is_empty or part.area < min_area:
            continue
        polys = list(getattr(part, "geoms", [part]))
        largest = max((p for p in polys if p.geom_type == "Polygon"), key=lambda p: p.area)
        pt = polylabel(largest, tolerance=0.1)
        out.append((str(f["properties"]["name"]), round(pt.y, 2), round(pt.x, 2)))
    return sorted(out)


def _inert(marker: folium.CircleMarker) -> folium.CircleMarker:
    """In the labels pane and deaf to the mouse (folium's CircleMarker drops these options).

    A click on anything clickable makes st_folium resend its last value, so whatever is not
    a country, route or event must not take clicks.
    """
    marker.options["interactive"] = False
    marker.options["pane"] = "atlas-labels"
    return marker


def _neighbours(basemap: Mapping[str, Any], dataset: Dataset) -> folium.GeoJson:
    source = dataset.sources.get("natural-earth")
    credit = (source.attribution or source.outlet) if source else "Natural Earth"
    return folium.GeoJson(
        dict(basemap),
        name="Neighbours",
        style_function=lambda _f: {
            "fillColor": LAND,
            "fillOpacity": 1.0,
            "color": LAND_EDGE,
            "weight": 0.8,
        },
        interactive=False,
        pane="atlas-basemap",
        attribution=html.escape(credit),
    )


def _label(text: str, class_name: str, direction: str) -> folium.Tooltip:
    # Not direction="center": Leaflet centres by the label's width, measured before the
    # component's leaflet.css has loaded (so as wide as the map), which shifts it far left.
    return folium.Tooltip(
        html.escape(text),
        permanent=True,
        direction=direction,
        class_name=class_name,
        opacity=1.0,
    )


def _geojson_geometry(geom: BaseGeometry | None) -> dict[str, Any]:
    return dict(mapping(geom)) if geom is not None else {}


def base_map(basemap: Mapping[str, Any], dataset: Dataset) -> folium.Map:
    """The part of the map that never changes. Same inputs, same generated code."""
    m = folium.Map(
        location=[45.0, 66.0],
        zoom_start=4,
        tiles=None,
        min_zoom=3,
        max_zoom=MAX_ZOOM,
        zoom_snap=0.25,
        zoom_delta=0.5,
        max_bounds=True,
        max_bounds_viscosity=1.0,
        attribution_control=True,
        **LIMITS,
    )
    # Only the vendored Leaflet: no jQuery, Bootstrap, Font Awesome or CDN of any kind.
    m.default_js = list(LEAFLET_JS)
    m.default_css = list(LEAFLET_CSS)
    root: Any = m.get_root()
    root.header.add_child(folium.Element(_CSS), name="atlas_css")
    # Basemap below the tile pane (200), so optional online tiles cover it; labels on top.
    folium.map.CustomPane("atlas-basemap", z_index=150, pointer_events=False).add_to(m)
    folium.map.CustomPane("atlas-labels", z_index=640, pointer_events=False).add_to(m)
    if basemap["features"]:
        _neighbours(basemap, dataset).add_to(m)
    # Labels are permanent tooltips on invisible or small circle markers: no marker icon
    # (an icon image would be one more request), no pointer events.
    for name, lat, lon in label_points(basemap):
        _inert(
            folium.CircleMarker(
                [lat, lon],
                radius=0,
                stroke=False,
                fill=False,
                tooltip=_label(name, "atlas-label", "right"),
            )
        ).add_to(m)
    for c in dataset.countries:
        cap = c.props.capital
        _inert(
            folium.CircleMarker(
                [cap.lat, cap.lon],
                radius=3,
                color="#000000",
                weight=1,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1.0,
                tooltip=_label(cap.name, "atlas-capital", "right"),
            )
        ).add_to(m)
    folium.FitBounds(FIT_BOUNDS).add_to(m)
    FastClick(MAP_RETURNS).add_to(m)
    return m


# What the page asks the map component to report, in the order streamlit-folium builds it.
MAP_RETURNS = ("last_object_clicked_count", "last_active_drawing")


class FastClick(MacroElement):
    """Send a click on a map feature to Streamlit at once, not after a 250 ms debounce.

    streamlit-folium (0.27.4, pinned) reports every map event through
    `debounce(updateComponentValue, 250)`, so a click waits a quarter of a second before the
    page reruns. Leaflet calls a map's own click handlers after the clicked layer's, when
    streamlit-folium has already stored the feature in `window.__GLOBAL_DATA__`; this handler
    then posts the very value the debounced call would post (the `returned` keys, which are
    stored under the same names) and records it as `previous_data`, so the debounced call
    finds nothing new and sends nothing: one rerun per click, as before, a quarter of a second
    sooner. Should the component's internals change, it does nothing and the debounce
    still works. tests/unit/test_mapview.py checks the pinned bundle for what this relies on.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map, order) {
  map.on("click", function () {
    var gd = window.__GLOBAL_DATA__, st = window.Streamlit;
    if (!gd || !st || !Array.isArray(gd.returned_objects)) return;
    var want = gd.returned_objects;
    if (want.some(function (k) { return order.indexOf(k) < 0; })) return;
    var data = {};
    order.forEach(function (k) { if (want.indexOf(k) >= 0) data[k] = gd[k]; });
    if (JSON.stringify(gd.previous_data) !== JSON.stringify(data)) {
      gd.previous_data = data;
      st.setComponentValue(data);
    }
  });
})({{ this._parent.get_name() }}, {{ this.order }});
{% endmacro %}"""
    )

    def __init__(self, returned: Sequence[str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FastClick"
        self.order = json.dumps(list(returned))


def _tip(*lines: str) -> str:
    """Tooltip HTML: the first line bold, every line escaped."""
    first, *rest = lines
    return "<br>".join([f"<b>{html.escape(first)}</b>", *(html.escape(x) for x in rest)])


def country_features(
    dataset: Dataset, results: Mapping[str, IndicatorResult], indicator_label: str
) -> dict[str, Any]:
    """The five states with just what the browser needs: kind, id, colour, tooltip."""
    feats = []
    for c in dataset.countries:
        res = results.get(c.props.iso3)
        value = res.label if res else "No data"
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "country",
                    "id": c.props.iso3,
                    "color": res.color if res else "#d9d9d9",
                    "tip": _tip(c.props.name, f"{indicator_label}: {value}"),
                },
                "geometry": _geojson_geometry(c.geometry),
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def route_color(transits_russia: bool) -> str:
    return ROUTE_VIA_RUSSIA if transits_russia else ROUTE_AVOIDING_RUSSIA


def route_dashed(quality: GeometryQuality, status: RouteStatus) -> bool:
    """Dashed where the line is schematic or the route is only proposed."""
    return quality is GeometryQuality.schematic or status is RouteStatus.proposed


def route_features(dataset: Dataset) -> dict[str, Any]:
    feats = []
    for r in dataset.routes:
        p = r.props
        via = "through Russia" if p.transits_russia else "avoiding Russia"
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "route",
                    "id": p.id,
                    "color": route_color(p.transits_russia),
                    "dashed": route_dashed(p.geometry_quality, p.status),
                    "tip": _tip(p.name, f"{p.commodity.value}, {via}", p.status.value),
                },
                "geometry": _geojson_geometry(r.geometry),
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def events_at_same_place(dataset: Dataset) -> dict[tuple[float, float], list[str]]:
    """Event ids grouped by their point, oldest first: one marker per place on the map."""
    places: dict[tuple[float, float], list[tuple[str, str]]] = {}
    for e in dataset.events:
        if e.geometry is None:
            continue
        key = (round(e.geometry.x, 5), round(e.geometry.y, 5))
        places.setdefault(key, []).append((e.props.date.isoformat(), e.props.id))
    return {k: [i for _, i in sorted(v)] for k, v in places.items()}


def event_features(dataset: Dataset) -> dict[str, Any]:
    """One marker per place; its id is the oldest event there (the panel lists the others)."""
    feats = []
    for (lon, lat), ids in events_at_same_place(dataset).items():
        events = [e.props for i in ids if (e := dataset.event(i)) is not None]
        lines = [f"{p.date.isoformat()}: {p.name}" for p in events]
        title = events[0].place if len(events) > 1 else events[0].name
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "event",
                    "id": ids[0],
                    "ids": ",".join(ids),
                    "tip": _tip(title, *lines),
                },
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _country_style(feature: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "fillColor": feature["properties"]["color"],
        "fillOpacity": 0.85,
        "color": COUNTRY_EDGE,
        "weight": 1.2,
    }


def _route_style(feature: Mapping[str, Any], selected: str | None) -> dict[str, Any]:
    p = feature["properties"]
    return {
        "color": p["color"],
        "weight": 6 if p["id"] == selected else 3.5,
        "opacity": 1.0,
        "dashArray": DASH if p["dashed"] else None,
        "lineCap": "butt" if p["dashed"] else "round",
    }


def _tooltip() -> folium.GeoJsonTooltip:
    return folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True)


def layers(
    dataset: Dataset,
    results: Mapping[str, IndicatorResult],
    indicator_label: str,
    selection: Selection | None,
    show_routes: bool,
    online_tiles: bool = False,
) -> list[folium.FeatureGroup]:
    """Everything that changes with the user's choices, as FeatureGroups for st_folium."""
    groups: list[folium.FeatureGroup] = []
    if online_tiles:
        tiles = folium.FeatureGroup(name=TILES)
        folium.TileLayer("OpenStreetMap", max_zoom=19).add_to(tiles)
        groups.append(tiles)

    choropleth = folium.FeatureGroup(name=CHOROPLETH)
    countries = country_features(dataset, results, indicator_label)
    if countries["features"]:  # (folium's tooltip refuses an empty collection)
        folium.GeoJson(
            countries,
            name="Countries",
            style_function=_country_style,
            highlight_function=lambda _f: {"weight": 3, "color": HIGHLIGHT},
            tooltip=_tooltip(),
            class_name=CLS_COUNTRY,
        ).add_to(choropleth)
    groups.append(choropleth)

    selected = folium.FeatureGroup(name=SELECTED)
    if selection is not None and selection.kind == "country":
        country = dataset.country(selection.id)
        if country is not None:
            folium.GeoJson(
                {
                    "type": "Feature",
                    "properties": {"id": selection.id},
                    "geometry": _geojson_geometry(country.geometry),
                },
                style_function=lambda _f: {
                    "fill": False,
                    "color": HIGHLIGHT,
                    "weight": 4,
                },
                interactive=False,
                class_name=CLS_HIGHLIGHT,
            ).add_to(selected)
    groups.append(selected)

    if show_routes:
        routes = folium.FeatureGroup(name=ROUTES)
        data = route_features(dataset)
        sel_route = selection.id if selection is not None and selection.kind == "route" else None
        if data["features"]:
            _route_layers(data, sel_route, routes)
        groups.append(routes)

        events = folium.FeatureGroup(name=EVENTS)
        places = event_features(dataset)
        sel_event = selection.id if selection is not None and selection.kind == "event" else None
        if places["features"]:
            folium.GeoJson(
                places,
                name="Events",
                marker=folium.CircleMarker(radius=7),
                style_function=lambda f: {
                    "radius": 10 if sel_event in f["properties"]["ids"].split(",") else 7,
                    "color": "#ffffff",
                    "weight": 2,
                    "fill": True,
                    "fillColor": EVENT_FILL,
                    "fillOpacity": 0.9,
                    "className": CLS_EVENT,  # pointToLayer builds the marker from this style
                },
                tooltip=_tooltip(),
                class_name=CLS_EVENT,
            ).add_to(events)
        groups.append(events)
    return groups


def _route_layers(data: dict[str, Any], selected: str | None, group: folium.FeatureGroup) -> None:
    """A white casing, the coloured line, and a wide invisible line on top to catch clicks."""
    folium.GeoJson(
        data,
        name="Route casing",
        style_function=lambda f: {
            "color": ROUTE_CASING,
            "weight": 9 if f["properties"]["id"] == selected else 6,
            "opacity": 0.9,
        },
        interactive=False,
    ).add_to(group)
    folium.GeoJson(
        data,
        name="Routes",
        style_function=lambda f: _route_style(f, selected),
        interactive=False,
        class_name=CLS_ROUTE,
    ).add_to(group)
    folium.GeoJson(
        data,
        name="Route hit area",
        style_function=lambda _f: {"color": "#000000", "weight": 16, "opacity": 0.0},
        highlight_function=lambda _f: {"opacity": 0.15},
        tooltip=_tooltip(),
        class_name=CLS_ROUTE_HIT,
    ).add_to(group)


def feature_counts(groups: Sequence[folium.FeatureGroup]) -> dict[str, int]:
    """Per layer name, the number of clickable features it draws (for tests and the caption)."""
    out: dict[str, int] = {}
    for g in groups:
        n = 0
        child: Any
        for child in g._children.values():
            data = getattr(child, "data", None)
            if isinstance(data, dict) and child.layer_name not in ("Route casing", "Routes"):
                n += len(data.get("features", [])) if "features" in data else 1
        out[g.layer_name] = n
    return out
