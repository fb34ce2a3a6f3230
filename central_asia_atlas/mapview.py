"""The folium map: a fixed base map, and the layers that change (choropleth, highlight, routes).

The base map (water, neighbours, capitals, the fixed view) generates the same code on every
rerun, so the st_folium component never remounts; whatever changes with the user's choices is
built by `layers()` and handed to st_folium's `feature_group_to_add`. Only ids, names and
values go to the browser; excerpts stay on the server for the side panel.

Bytes per click: the browser draws the selection itself (`ClickSelect`), at the click, so the
layers a click's rerun sends are the ones the browser already has and Streamlit sends them as
a reference; the neighbours come from a static file the browser caches (`basemap_url`).
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import shapely
from branca.element import MacroElement
from jinja2 import Template
from shapely.geometry import box, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from . import i18n, summary, words
from .dataset import BASEMAP_FILE, ROOT, Dataset, current_data_dir
from .i18n import _, current
from .indicators import IndicatorResult
from .legends import OTHER_PERIOD_COLOR
from .mapstyle import (
    EVENT_FILL,
    MAP_RETURNS,
    ROUTE_AVOIDING_RUSSIA,
    ROUTE_VIA_RUSSIA,
    events_at_same_place,
)
from .mapstyle import (
    HEIGHT as HEIGHT,  # re-exported: the page and tests read mapview.HEIGHT
)
from .markup import day
from .model import GeometryQuality, RouteStatus
from .selection import Selection

# Vendored Leaflet, served by Streamlit's static file serving (see .streamlit/config.toml).
STATIC_URL = "/app/static/leaflet"
LEAFLET_JS = [("leaflet", f"{STATIC_URL}/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC_URL}/leaflet.css")]

# The view: the five states, with room for the Caspian and the routes to the Black Sea.
FIT_BOUNDS = [[35.0, 46.0], [55.5, 88.0]]  # [[south, west], [north, east]]
LIMITS: dict[str, Any] = {"min_lat": 24.0, "max_lat": 60.0, "min_lon": 26.0, "max_lon": 100.0}
MAX_ZOOM = 8
BASEMAP_GRID = 0.01  # degrees

WATER = "#c6dbef"
LAND = "#f4f1ea"
LAND_EDGE = "#b3ab9c"
LABEL = "#6b6459"
COUNTRY_EDGE = "#3b3b3b"
HIGHLIGHT = "#000000"
HIGHLIGHT_WEIGHT = 4

# The basemap as a static file (served by Streamlit from static/, cached by the browser): the
# map element then carries its URL instead of the whole GeoJSON. See `basemap_url`.
STATIC_DIR = ROOT / "static"
BASEMAP_STATIC = "atlas/basemap.json"

# Routes: see mapstyle (ROUTE_VIA_RUSSIA, ROUTE_AVOIDING_RUSSIA), over a white casing.
ROUTE_CASING = "#ffffff"
DASH = "8 6"
# Line widths and marker radii, (normal, selected): the layers draw the first, the browser
# (ClickSelect) the second, for a click on the map as for a selection from a select box or link.
ROUTE_WEIGHT = (3.5, 6)
CASING_WEIGHT = (6, 9)
EVENT_RADIUS = (7, 10)

# CSS classes on the SVG paths: they let the browser tests find what is drawn.
CLS_COUNTRY = "atlas-country"
CLS_HIGHLIGHT = "atlas-highlight"
CLS_ROUTE = "atlas-route"
CLS_ROUTE_CASING = "atlas-route-casing"
CLS_ROUTE_HIT = "atlas-route-hit"
CLS_EVENT = "atlas-event"
CLS_KEYED = "atlas-keyed"  # a feature the keyboard reaches (see Accessible)

SR_ONLY = "atlas-sr"  # read by screen readers, not drawn: the frame's heading and description

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
/* Countries, routes and events take the focus (Accessible). A mouse click focuses a shape too,
   and the browser drew a rectangle around it, over the map's own highlight: no ring for that.
   Reached by the keyboard, the shape is ringed along its own outline: a black line in a white
   halo, seen on every fill, the water and the basemap; a route's wide hit area shows as a
   band along it. */
.leaflet-container path.leaflet-interactive:focus {{ outline: none; }}
.leaflet-container path.leaflet-interactive:focus-visible {{ stroke: #000; stroke-opacity: 1;
  stroke-width: 4px; stroke-dasharray: none;
  filter: drop-shadow(0 0 1.5px #fff) drop-shadow(0 0 1.5px #fff) drop-shadow(0 0 1px #fff); }}
.leaflet-container path.{CLS_ROUTE_HIT}:focus-visible {{ stroke-opacity: .45;
  stroke-width: 14px; }}
.{SR_ONLY} {{ position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }}
</style>"""


def load_basemap(path: Path | None = None, grid: float = BASEMAP_GRID) -> dict[str, Any]:
    """The neighbours (Natural Earth, clipped to the region) as a slim FeatureCollection.

    Coordinates are snapped to a `grid`-degree grid (about 1 km): finer than a pixel up to
    the maximum zoom, and the base map the browser receives on every rerun is a fifth smaller.
    A missing or unreadable file, or a shape that cannot be read, is left out: the map then
    shows the five states on water, and the data check reports the problem.
    By default it reads the data directory in force (see dataset.current_data_dir).
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
        kept: dict[str, Any] = {"name": str(props.get("name", ""))}
        names = _translated_names(props.get("i18n"))
        if names:
            kept["i18n"] = names
        features.append({"type": "Feature", "properties": kept, "geometry": dict(mapping(geom))})
    return {"type": "FeatureCollection", "features": features}


def _translated_names(value: Any) -> dict[str, dict[str, str]]:
    """A neighbour's name in other languages, as the data gives it (``i18n: {ru: {name:}}``)."""
    if not isinstance(value, dict):
        return {}
    return {
        str(lang): {"name": fields["name"]}
        for lang, fields in value.items()
        if isinstance(fields, dict) and isinstance(fields.get("name"), str) and fields["name"]
    }


def neighbour_name(props: Mapping[str, Any]) -> str:
    """A neighbour's name in the reader's language (its English name where none is given)."""
    translated = props.get("i18n", {}).get(i18n.current(), {}).get("name")
    return str(translated or props.get("name", ""))


def label_points(
    basemap: Mapping[str, Any], min_area: float = 8.0
) -> list[tuple[str, float, float]]:
    """(name, lat, lon) for labelling the larger neighbours inside the view, each name in the
    reader's language.

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
        out.append((neighbour_name(f["properties"]), round(pt.y, 2), round(pt.x, 2)))
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
        attribution=_credit(dataset),
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


def basemap_json(basemap: Mapping[str, Any]) -> str:
    """The basemap as the static file holds it (compact JSON): the shapes and their English
    names; the labels, in the reader's language, are in the base map's code."""
    slim = {
        **basemap,
        "features": [
            {**f, "properties": {"name": f["properties"].get("name", "")}}
            for f in basemap["features"]
        ],
    }
    return json.dumps(slim, separators=(",", ":"), ensure_ascii=False)


def write_basemap_static(basemap: Mapping[str, Any], static_dir: Path = STATIC_DIR) -> Path:
    """Write the static copy of the (slimmed) basemap; run it after data/basemap.geojson
    changes (tests/unit/test_mapview.py fails while the shipped copy is stale)."""
    path = static_dir / BASEMAP_STATIC
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(basemap_json(basemap), encoding="utf-8")
    return path


def basemap_url(basemap: Mapping[str, Any], static_dir: Path = STATIC_DIR) -> str | None:
    """The URL of the static copy of `basemap`, versioned by its content; None if there is
    none or it differs (a data directory with another basemap: the map then inlines it).

    The browser fetches it once and caches it, so the map element carries a URL, not the whole
    GeoJSON. The version (`?v=`, a hash of the content) makes a changed file a new URL.
    """
    try:
        shipped = (static_dir / BASEMAP_STATIC).read_bytes()
    except OSError:
        return None
    if shipped != basemap_json(basemap).encode("utf-8"):
        return None
    return f"/app/static/{BASEMAP_STATIC}?v={hashlib.sha256(shipped).hexdigest()[:12]}"


class StaticBasemap(MacroElement):
    """The neighbours, fetched from a static URL (same style as `_neighbours`, never clickable).

    The map is interactive before the basemap arrives; a failed fetch leaves the five on water.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map, url, opts) {
  fetch(url).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
    if (data) L.geoJSON(data, opts).addTo(map);
  }).catch(function () {});
})({{ this._parent.get_name() }}, {{ this.url }}, {{ this.opts }});
{% endmacro %}"""
    )

    def __init__(self, url: str, attribution: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "StaticBasemap"
        self.url = json.dumps(url)
        self.opts = json.dumps(
            {
                "style": {
                    "fillColor": LAND,
                    "fillOpacity": 1.0,
                    "color": LAND_EDGE,
                    "weight": 0.8,
                },
                "interactive": False,
                "pane": "atlas-basemap",
                "attribution": attribution,
            }
        )


def _credit(dataset: Dataset) -> str:
    source = dataset.sources.get("natural-earth")
    return html.escape((source.attribution or source.outlet) if source else "Natural Earth")


VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1.0" />'
_FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


class ZoomableMap(folium.Map):
    """folium's Map, whose page lets the reader zoom.

    folium's template (0.20) writes `<meta name="viewport" content="width=device-width,
    initial-scale=1.0, maximum-scale=1.0, user-scalable=no">` into the page's head, and
    streamlit-folium copies that head into the component's frame: on a phone, a reader could not
    pinch to enlarge the map's labels or the tooltips (WCAG 1.4.4; axe: meta-viewport). The
    header it renders is written again with `VIEWPORT`, which sets no limit.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # folium's returns None
        super().render(**kwargs)  # type: ignore[no-untyped-call]
        root: Any = self.get_root()
        header = root.header
        name = self.get_name()
        element = header._children.get(name)
        if element is not None:
            text = _FOLIUM_VIEWPORT.sub(VIEWPORT, element.render())
            header.add_child(folium.Element(text), name=name)  # same name: same place


def base_map(
    basemap: Mapping[str, Any],
    dataset: Dataset,
    basemap_src: str | None = None,
    shapes: bool = False,
    frame: bool = False,
) -> folium.Map:
    """The part of the map that never changes. Same inputs, same generated code.

    With `basemap_src` (see `basemap_url`) the browser fetches the neighbours from that URL;
    without it they are inlined in the map's code. With `shapes`, it holds the five states'
    and the routes' shapes, which the layers then send without (`SharedShapes`). With
    `frame`, the map is the page of streamlit-folium's frame, which it makes a main landmark
    with a heading (`Accessible`).
    """
    m = ZoomableMap(
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
    if basemap_src is not None:
        StaticBasemap(basemap_src, _credit(dataset)).add_to(m)
    elif basemap["features"]:
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
    if shapes:
        SharedShapes(dataset).add_to(m)
    FocusInPlace().add_to(m)
    Accessible(frame).add_to(m)
    FastClick(MAP_RETURNS).add_to(m)
    ClickSelect().add_to(m)
    return m


class FocusInPlace(MacroElement):
    """Focus the map at a mouse press without scrolling the page: a click stays where it was.

    Leaflet's keyboard handler (1.9.4, vendored) focuses the map's container at every
    mousedown with a plain `focus()`, and restores the scroll of the map's own window only.
    When the map's frame reaches below the fold, the browser scrolls the page to bring the
    whole frame into view: the page moves between the press and the release, the release lands
    on another feature or on none, and the click is lost or selects what was beside the
    pointer. This focuses the container first, in the capture phase and with `preventScroll`;
    Leaflet then finds it focused and leaves it (tests/e2e/test_map.py clicks a map whose
    frame reaches below the fold).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (box) {
  box.addEventListener("mousedown", function () {
    if (document.activeElement !== box) box.focus({preventScroll: true});
  }, true);
})({{ this._parent.get_name() }}.getContainer());
{% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "FocusInPlace"


# The browser-side name of the function that gives the map its words (see Accessible, Words).
WORDS_JS = "atlasWords"


class Accessible(MacroElement):
    """The map for a keyboard and a screen reader.

    Leaflet's vector shapes take no focus. Each country, route (its wide hit area) and event
    marker is given, as it is drawn, `tabindex=0`, the role of a button and a name: its
    tooltip's text (a country and the indicator's value; a route's name, kind and status; an
    event's date and name). Tab, or the arrow keys once on one, go from one to the next (in the
    order drawn: the countries, the routes, the events; Home and End to the first and last);
    Escape goes back to the map itself, where Leaflet's arrow keys pan and + and - zoom. A
    focused feature shows its tooltip and its highlight as under a pointer, and is panned
    into view. Enter or Space clicks it: a click event on its shape, which Leaflet hands to
    streamlit-folium, FastClick and ClickSelect exactly as a mouse's, so the server gets the
    same component value; ClickSelect then moves the focus to the panel's heading.

    The map is a region named by its words (`Words`, sent with the layers in the reader's
    language): a title, and a description (each country's value, and the keys). In the map
    component's frame (`frame`), streamlit-folium's page becomes a main landmark headed by the
    title, and the frame element in the app's page is titled with it.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map, o) {
  var doc = document, box = map.getContainer();
  var root = o.frame ? doc.getElementById(o.frame) : null, title = null;
  var desc = doc.createElement("p");
  desc.id = "atlas-map-desc";
  desc.className = o.sr;
  box.insertBefore(desc, box.firstChild);
  box.setAttribute("role", "region");
  box.setAttribute("aria-describedby", desc.id);
  if (root) {
    title = doc.createElement("h1");
    title.id = "atlas-map-title";
    title.className = o.sr;
    root.insertBefore(title, root.firstChild);
    root.setAttribute("role", "main");
    root.setAttribute("aria-labelledby", title.id);
  }
  window[o.words] = function (w) {
    if (w.lang) doc.documentElement.lang = w.lang;
    if (title) title.textContent = w.title;
    box.setAttribute("aria-label", w.title);
    box.setAttribute("aria-roledescription", w.map);
    desc.textContent = w.desc;
    try { if (root && window.frameElement) window.frameElement.title = w.title; } catch (e) {}
  };
  // The tooltip's lines, as one text; a heading line that the next repeats ("name", then
  // "date: name", an event's) is said once.
  function name(tip) {
    var t = doc.createElement("template");
    t.innerHTML = String(tip || "").replace(/<br\\s*\\/?>/gi, "\\n");
    var lines = t.content.textContent.split("\\n").map(function (x) { return x.trim(); })
      .filter(Boolean);
    if (lines.length > 1 && lines[1].slice(-lines[0].length - 2) === ": " + lines[0]) {
      lines.shift();
    }
    return lines.join(", ");
  }
  function at(l) { return l.getLatLng ? l.getLatLng() : l.getCenter(); }
  function all() { return Array.prototype.slice.call(box.querySelectorAll("path." + o.keyed)); }
  function click(l) {
    var p = map.latLngToContainerPoint(at(l)), r = box.getBoundingClientRect();
    l._path.dispatchEvent(new MouseEvent("click", {bubbles: true, cancelable: true, view: window,
      detail: 0, clientX: r.left + p.x, clientY: r.top + p.y}));
  }
  // Pan the map until the feature is in view, whole if it fits, else its centre.
  function show(l) {
    var r = l._path.getBoundingClientRect(), m = box.getBoundingClientRect(), pad = 12;
    if (r.width > m.width - 2 * pad || r.height > m.height - 2 * pad) {
      if (!map.getBounds().contains(at(l))) map.panTo(at(l), {animate: false});
      return;
    }
    var dx = Math.min(0, r.left - m.left - pad) || Math.max(0, r.right - m.right + pad);
    var dy = Math.min(0, r.top - m.top - pad) || Math.max(0, r.bottom - m.bottom + pad);
    if (dx || dy) map.panBy([dx, dy], {animate: false});
  }
  function go(from, step) {
    var list = all(), i = list.indexOf(from);
    var next = step === "first" ? list[0] : step === "last" ? list[list.length - 1]
      : list[Math.max(0, Math.min(list.length - 1, i + step))];
    if (next && next !== from) next.focus({preventScroll: true});
  }
  var keys = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first",
    End: "last"};
  map.on("layeradd", function (e) {
    var l = e.layer, c = l.options && l.options.className, p = l._path;
    if (!p || !l.feature || o.kinds.indexOf(c) < 0 || !l.options.interactive) return;
    p.setAttribute("tabindex", "0");
    p.setAttribute("role", "button");
    p.setAttribute("aria-label", name(l.feature.properties.tip));
    p.classList.add(o.keyed);
    var keyed = false;
    p.addEventListener("focus", function () {
      if (!p.matches(":focus-visible")) return;  // a mouse's press: the pointer is on it
      keyed = true;
      show(l);
      l.fire("mouseover", {latlng: at(l)}, true);  // highlight and tooltip, as under a pointer
    });
    p.addEventListener("blur", function () {
      if (keyed) l.fire("mouseout", {latlng: at(l)}, true);
      keyed = false;
    });
    p.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !ev.repeat) { ev.preventDefault(); click(l); }
      else if (ev.key === " ") ev.preventDefault();  // a button acts when Space is released
      else if (ev.key === "Escape") box.focus({preventScroll: true});
      else if (keys[ev.key] !== undefined) { ev.preventDefault(); go(p, keys[ev.key]); }
    });
    p.addEventListener("keyup", function (ev) {
      if (ev.key === " ") { ev.preventDefault(); click(l); }
    });
  });
})({{ this._parent.get_name() }}, {{ this.options }});
{% endmacro %}"""
    )

    def __init__(self, frame: bool = False) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Accessible"
        self.options = json.dumps(
            {
                "frame": "root" if frame else None,  # streamlit-folium's page: <div id="root">
                "words": WORDS_JS,
                "sr": SR_ONLY,
                "kinds": [CLS_COUNTRY, CLS_ROUTE_HIT, CLS_EVENT],
                "keyed": CLS_KEYED,
            }
        )


class Words(MacroElement):
    """The map's words for the view, in the reader's language (see Accessible): its title, its
    role's name, and a description of what it shows, with the keys."""

    _template = Template(
        """{% macro script(this, kwargs) %}
window.{{ this.fn }} && window.{{ this.fn }}({{ this.words }});
{% endmacro %}"""
    )

    def __init__(self, title: str, desc: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Words"
        self.fn = WORDS_JS
        self.title = title
        self.desc = desc
        words = {"title": title, "map": _("map"), "desc": desc, "lang": current()}
        self.words = _js_json(words)


SHAPES = "atlasShapes"  # the key that marks a layer's data as "shapes from the base map"


class SharedShapes(MacroElement):
    """The five states' and the routes' shapes, in the base map, for `SharedGeoJson` layers.

    The layers change with every view (colours, tooltips, the routes toggle) and the page sends
    them at every rerun: with the shapes in them, Streamlit serialised, hashed and compared
    them at every click of every session, though the browser already had them. In the
    base map the shapes are sent once, when the map mounts. Leaflet's `addData` is wrapped so
    that a layer's data marked with `SHAPES` (a kind, then each feature's properties) becomes
    the full collection again, each feature with its shape from here; any other data passes
    through unchanged.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (shapes, key) {
  var add = L.GeoJSON.prototype.addData;
  L.GeoJSON.prototype.addData = function (data) {
    if (data && typeof data[key] === "string") {
      var kind = shapes[data[key]] || {};
      data = {type: "FeatureCollection", features: data.features.map(function (p) {
        return {type: "Feature", properties: p, geometry: kind[p.id] || null};
      })};
    }
    return add.call(this, data);
  };
})({{ this.shapes }}, {{ this.key }});
{% endmacro %}"""
    )

    def __init__(self, dataset: Dataset) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "SharedShapes"
        shapes = {
            "country": {c.props.iso3: _geojson_geometry(c.geometry) for c in dataset.countries},
            "route": {r.props.id: _geojson_geometry(r.geometry) for r in dataset.routes},
        }
        self.shapes = _js_json(shapes)
        self.key = _js_json(SHAPES)


def _js_json(value: Any) -> str:
    """JSON for a script element: "<", ">" and "&" escaped, so no data can close the tag."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class SharedGeoJson(folium.GeoJson):
    """A GeoJson layer of `kind` ("country" or "route") whose shapes the base map holds.

    Styles, highlights and tooltips are built from the full features, as for any GeoJson; what
    the layer's script then carries is each feature's properties, marked for SharedShapes,
    which puts the shapes back in the browser. Rendered by folium alone (the standalone HTML
    export, with no shared shapes), the script still carries the full features: folium writes
    it during `render`, before the data is swapped.
    """

    def __init__(self, data: dict[str, Any], kind: str, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self._features = self.data
        self._kind = kind

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]  # folium's returns None
        self.data = self._features
        super().render(**kwargs)  # type: ignore[no-untyped-call]
        self.data = {
            SHAPES: self._kind,
            "features": [f["properties"] for f in self._features["features"]],
        }


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


# The browser-side name of the function that shows a selection (see ClickSelect).
SELECT_JS = "atlasSelect"
KINDS = ("country", "route", "event")


class ClickSelect(MacroElement):
    """Show a selection in the browser: the country's outline, the route or event emphasised.

    The base map defines `window.atlasSelect(kind, id)` and calls it at a click on a country,
    a route or an event (right after FastClick has posted the click), so the highlight appears
    with the click and the server need not send the map again: after a click the page resends
    the same layers, which Streamlit sends as a reference to what the browser already has. For
    a selection made in a select box or a link, the layers end with a call to it (`Select`).
    The outline is drawn from the clicked country's own feature: no second copy of its shape.
    It reads what streamlit-folium stores at a click (`__GLOBAL_DATA__`: the click count and
    the clicked feature, `last_active_drawing`), pinned by tests/unit/test_mapview.py.
    Where the panel stacks below the map (a phone), it scrolls the page to the clicked
    feature's panel once the panel arrives (tests/e2e/test_map.py taps a map on a phone).
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map, o) {
  var outline = null, seen = 0;
  function each(fn) {
    map.eachLayer(function (l) {
      var p = l.feature && l.feature.properties, c = l.options && l.options.className;
      if (p && c) fn(l, p, c);
    });
  }
  window[o.fn] = function (kind, id) {
    if (outline) { map.removeLayer(outline); outline = null; }
    var shape = null;
    each(function (l, p, c) {
      var on = p.kind === kind && (p.id === id || (p.ids || "").split(",").indexOf(id) >= 0);
      if (l._path && l._path.getAttribute("role") === "button") {  // reached by the keyboard
        if (on) l._path.setAttribute("aria-current", "true");
        else l._path.removeAttribute("aria-current");
      }
      if (c === o.country) { if (on) shape = l.feature.geometry; }
      else if (c === o.route) l.setStyle({weight: o.routeW[+on]});
      else if (c === o.casing) l.setStyle({weight: o.casingW[+on]});
      else if (c === o.event && l.setRadius) l.setRadius(o.eventR[+on]);
    });
    if (!shape) return;
    outline = L.geoJSON(shape, {style: o.outline, interactive: false, className: o.highlight});
    outline.addTo(map);
    each(function (l, p, c) { if (o.front.indexOf(c) >= 0) l.bringToFront(); });
  };
  // streamlit-folium reports a click with the layer's toGeoJSON(): the whole shape, sent to
  // the server (Kazakhstan's is the largest), parsed and deep-copied there at every rerun of
  // the session. The server reads only the properties, so the layers report just those.
  function lite() { return {type: "Feature", properties: this.feature.properties, geometry: null}; }
  map.on("layeradd", function (e) { if (e.layer.feature) e.layer.toGeoJSON = lite; });
  map.on("click", function (e) {
    var gd = window.__GLOBAL_DATA__;
    if (!gd || gd.last_object_clicked_count === seen) return;  // not a click on a feature
    seen = gd.last_object_clicked_count;
    var p = gd.last_active_drawing && gd.last_active_drawing.properties;
    // a click with no pointer behind it (detail 0): Enter or Space (Accessible), or a screen
    // reader's click
    var keyed = !!(e && e.originalEvent && e.originalEvent.detail === 0);
    if (p && o.kinds.indexOf(p.kind) >= 0 && typeof p.id === "string") {
      window[o.fn](p.kind, p.id);
      reveal(p.kind, p.id, keyed);
    }
  });
  // Where the panel stacks below the map (a phone), a click would change nothing in view: once
  // the clicked feature's panel arrives, scroll the page to it. Beside the map, nothing moves.
  // Chosen by the keyboard, the panel's heading takes the focus: the reader goes on from the
  // panel, and a screen reader says where they are.
  function reveal(kind, id, keyed) {
    var top, doc, frame = window.frameElement;
    try { top = window.parent; doc = top.document; } catch (e) { return; }
    if (!frame || top === window) return;
    var attrs = '[data-kind="' + CSS.escape(kind) + '"][data-id="' + CSS.escape(id) + '"]';
    var sel = o.panel.map(function (c) { return c + attrs; }).join(", ");
    var until = Date.now() + 15000, watch = null;
    function show() {
      var el = doc.querySelector(sel);
      if (!el && Date.now() < until) return false;
      if (watch) watch.disconnect();
      var heading = el && keyed ? el.querySelector(o.heading) : null;
      if (heading) {
        if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
        heading.focus();
      } else if (el && el.getBoundingClientRect().top >= frame.getBoundingClientRect().bottom - 1) {
        el.scrollIntoView({behavior: "smooth", block: "start"});
      }
      return true;
    }
    if (!show()) {
      watch = new top.MutationObserver(show);
      watch.observe(doc.body, {childList: true, subtree: true});
    }
  }
})({{ this._parent.get_name() }}, {{ this.options }});
{% endmacro %}"""
    )

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "ClickSelect"
        self.options = json.dumps(
            {
                "fn": SELECT_JS,
                "kinds": list(KINDS),
                "country": CLS_COUNTRY,
                "route": CLS_ROUTE,
                "casing": CLS_ROUTE_CASING,
                "event": CLS_EVENT,
                "highlight": CLS_HIGHLIGHT,
                "routeW": list(ROUTE_WEIGHT),
                "casingW": list(CASING_WEIGHT),
                "eventR": list(EVENT_RADIUS),
                "outline": {"fill": False, "color": HIGHLIGHT, "weight": HIGHLIGHT_WEIGHT},
                # drawn over the outline, in their own order: casing, line, hit area, events
                "front": [CLS_ROUTE_CASING, CLS_ROUTE, CLS_ROUTE_HIT, CLS_EVENT],
                # the top of a panel (panel.py): a country's header, a route's or event's section
                "panel": ["header.atlas-panel-head", "section.atlas-panel"],
                "heading": "h3",  # the panel's heading in it, focused after a keyboard's choice
            }
        )


class Select(MacroElement):
    """The end of the layers' code: show the server's selection (or none) with ClickSelect's
    function, which also clears the highlight of an earlier click. `token` only makes the code
    differ (0 or 1) when the same view must be drawn again (see component.map_layers)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
window.{{ this.fn }} && window.{{ this.fn }}({{ this.args }});
{% endmacro %}"""
    )

    def __init__(self, selection: Selection | None, token: int = 0) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Select"
        self.fn = SELECT_JS
        self.selection = selection
        kind, ident = (selection.kind, selection.id) if selection is not None else (None, None)
        self.args = ", ".join(_js_json(x) for x in (kind, ident, token))  # ids come from data


View = tuple[Any, ...]  # what the layers depend on besides the selection (see component.map_layers)
Picked = tuple[str, str]  # (kind, id) of a selection


@dataclass(frozen=True)
class Drawn:
    """The layers a session's map was last sent: its view, its selection, its token."""

    view: View
    selection: Picked | None
    token: int = 0


def clicked_feature(value: Any) -> Picked | None:
    """(kind, id) of the feature a map value reports as clicked, as ClickSelect reads it."""
    feature = value.get("last_active_drawing") if isinstance(value, Mapping) else None
    props = feature.get("properties") if isinstance(feature, Mapping) else None
    if not isinstance(props, Mapping):
        return None
    kind, ident = props.get("kind"), props.get("id")
    return (kind, ident) if kind in KINDS and isinstance(ident, str) else None


def layers_to_draw(
    view: View, selection: Picked | None, drawn: Drawn | None, clicked: Picked | None
) -> Drawn:
    """Which layers to send: `drawn` itself when the browser already shows this view.

    `drawn` is what the map was last sent (None: a new map); `clicked` the feature the browser
    has highlighted itself since (ClickSelect), None if nothing was clicked since. When the
    reader's click made the selection, the browser shows it already: the same layers go again
    (byte-identical, so Streamlit sends a reference, and the component redraws nothing).
    Otherwise the layers show `selection`; if that is the code sent last while the browser has
    drawn a click since, the token flips so that the code differs and the map is redrawn.
    """
    if drawn is not None and clicked is not None:
        if drawn.view == view and clicked == selection:
            return drawn
        if (drawn.view, drawn.selection) == (view, selection):
            return Drawn(view, selection, 1 - drawn.token)
    return Drawn(view, selection, drawn.token if drawn is not None else 0)


def _tip(*lines: str) -> str:
    """Tooltip HTML: the first line bold, every line escaped."""
    first, *rest = lines
    return "<br>".join([f"<b>{html.escape(first)}</b>", *(html.escape(x) for x in rest)])


def country_features(
    dataset: Dataset, results: Mapping[str, IndicatorResult], indicator_label: str
) -> dict[str, Any]:
    """The five states with just what the browser needs: kind, id, colour, tooltip, and
    whether the value is of another period than the map's year (outlined)."""
    feats = []
    for c in dataset.countries:
        res = results.get(c.props.iso3)
        value = res.label if res else _("No data")
        lines = [c.props.name, f"{indicator_label}: {value}"]
        other = bool(res and res.other_period)
        if res is not None and other:
            lines.append(
                _("Another period than the map's {year} (outlined)").format(year=res.map_year)
            )
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "country",
                    "id": c.props.iso3,
                    "color": res.color if res else "#d9d9d9",
                    "other": other,
                    "tip": _tip(*lines),
                },
                "geometry": _geojson_geometry(c.geometry),
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def map_words(
    dataset: Dataset, results: Mapping[str, IndicatorResult], indicator_label: str
) -> tuple[str, str]:
    """The map's title and description for a screen reader (see Words): what it is coloured by,
    each country's value as its tooltip gives it, and the keys that work on it."""
    title = _("Map of the five Central Asian states, coloured by {indicator}").format(
        indicator=indicator_label
    )
    keys = _(
        "Tab or the arrow keys go from one country, route or event to the next, and Enter "
        "opens its panel; on the map itself, the arrow keys pan and + and − zoom."
    )
    return title, f"{summary.colouring(dataset, results, indicator_label)} {keys}"


def route_color(transits_russia: bool) -> str:
    return ROUTE_VIA_RUSSIA if transits_russia else ROUTE_AVOIDING_RUSSIA


def route_dashed(quality: GeometryQuality, status: RouteStatus) -> bool:
    """Dashed where the line is schematic or the route is not operating (GEM's other classes:
    proposed, construction, shelved, cancelled, idle)."""
    return quality is GeometryQuality.schematic or status is not RouteStatus.operating


def route_features(dataset: Dataset) -> dict[str, Any]:
    feats = []
    for r in dataset.routes:
        p = r.props
        via = _("through Russia") if p.transits_russia else _("avoiding Russia")
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "route",
                    "id": p.id,
                    "color": route_color(p.transits_russia),
                    "dashed": route_dashed(p.geometry_quality, p.status),
                    "tip": _tip(
                        p.name, f"{words.commodity(p.commodity)}, {via}", words.status(p.status)
                    ),
                },
                "geometry": _geojson_geometry(r.geometry),
            }
        )
    return {"type": "FeatureCollection", "features": feats}


EDGE_INSET = 1.5  # degrees: how far inside the map's limits an event beyond them is marked


def at_the_edge(lon: float, lat: float) -> tuple[float, float] | None:
    """Where an event beyond the map's limits (a signing in Brussels, a summit in Beijing) is
    marked: the nearest point just inside the edge, towards its place; None if it is inside."""
    if (
        LIMITS["min_lon"] <= lon <= LIMITS["max_lon"]
        and LIMITS["min_lat"] <= lat <= LIMITS["max_lat"]
    ):
        return None
    lo_x, hi_x = LIMITS["min_lon"] + EDGE_INSET, LIMITS["max_lon"] - EDGE_INSET
    lo_y, hi_y = LIMITS["min_lat"] + EDGE_INSET, LIMITS["max_lat"] - EDGE_INSET
    return min(max(lon, lo_x), hi_x), min(max(lat, lo_y), hi_y)


def event_features(dataset: Dataset) -> dict[str, Any]:
    """One marker per place; its id is the oldest event there (the panel lists the others).
    A place beyond the map's limits is marked at the edge, towards it, and its tooltip says so."""
    feats = []
    for (lon, lat), ids in events_at_same_place(dataset).items():
        events = [e.props for i in ids if (e := dataset.event(i)) is not None]
        lines = [f"{day(p.date)}: {p.name}" for p in events]
        title = events[0].place if len(events) > 1 else events[0].name
        edge = at_the_edge(lon, lat)
        if edge is not None:
            where = _("In {place}, beyond the map: marked at its edge")
            lines.append(where.format(place=events[0].place))
        x, y = edge or (lon, lat)
        feats.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "event",
                    "id": ids[0],
                    "ids": ",".join(ids),
                    "tip": _tip(title, *lines),
                    "edge": edge is not None,
                },
                "geometry": {"type": "Point", "coordinates": [x, y]},
            }
        )
    return {"type": "FeatureCollection", "features": feats}


def _country_style(feature: Mapping[str, Any]) -> dict[str, Any]:
    if feature["properties"].get("other"):  # another period than the map's year: outlined
        return {
            "fillColor": feature["properties"]["color"],
            "fillOpacity": 0.85,
            "color": OTHER_PERIOD_COLOR,
            "weight": 2.5,
            "dashArray": "5 4",
        }
    return {
        "fillColor": feature["properties"]["color"],
        "fillOpacity": 0.85,
        "color": COUNTRY_EDGE,
        "weight": 1.2,
    }


def _route_style(feature: Mapping[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    return {
        "color": p["color"],
        "weight": ROUTE_WEIGHT[0],
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
    token: int = 0,
) -> list[folium.FeatureGroup]:
    """Everything that changes with the user's choices, as FeatureGroups for st_folium.

    The selection is drawn in the browser (`Select`, then ClickSelect's function): the
    country's outline from its own choropleth feature, the route or event emphasised.
    """
    groups: list[folium.FeatureGroup] = []
    if online_tiles:
        tiles = folium.FeatureGroup(name=TILES)
        folium.TileLayer("OpenStreetMap", max_zoom=19).add_to(tiles)
        groups.append(tiles)

    choropleth = folium.FeatureGroup(name=CHOROPLETH)
    countries = country_features(dataset, results, indicator_label)
    if countries["features"]:  # (folium's tooltip refuses an empty collection)
        SharedGeoJson(
            countries,
            "country",
            name="Countries",
            style_function=_country_style,
            highlight_function=lambda _f: {"weight": 3, "color": HIGHLIGHT},
            tooltip=_tooltip(),
            class_name=CLS_COUNTRY,
        ).add_to(choropleth)
    groups.append(choropleth)

    if show_routes:
        routes = folium.FeatureGroup(name=ROUTES)
        data = route_features(dataset)
        if data["features"]:
            _route_layers(data, routes)
        groups.append(routes)

        events = folium.FeatureGroup(name=EVENTS)
        places = event_features(dataset)
        if places["features"]:
            folium.GeoJson(
                places,
                name="Events",
                marker=folium.CircleMarker(radius=EVENT_RADIUS[0]),
                style_function=lambda f: {
                    "radius": EVENT_RADIUS[0],
                    # beyond the map, marked at its edge: a ring, not a dot
                    "color": EVENT_FILL if f["properties"]["edge"] else "#ffffff",
                    "weight": 3 if f["properties"]["edge"] else 2,
                    "fill": True,
                    "fillColor": "#ffffff" if f["properties"]["edge"] else EVENT_FILL,
                    "fillOpacity": 0.9,
                    "className": CLS_EVENT,  # pointToLayer builds the marker from this style
                },
                tooltip=_tooltip(),
                class_name=CLS_EVENT,
            ).add_to(events)
        groups.append(events)

    # Last, so that the routes and events it emphasises are drawn (see ClickSelect).
    selected = folium.FeatureGroup(name=SELECTED)
    Words(*map_words(dataset, results, indicator_label)).add_to(selected)
    Select(selection, token).add_to(selected)
    groups.append(selected)
    return groups


def _route_layers(data: dict[str, Any], group: folium.FeatureGroup) -> None:
    """A white casing, the coloured line, and a wide invisible line on top to catch clicks."""
    SharedGeoJson(
        data,
        "route",
        name="Route casing",
        style_function=lambda _f: {
            "color": ROUTE_CASING,
            "weight": CASING_WEIGHT[0],
            "opacity": 0.9,
        },
        interactive=False,
        class_name=CLS_ROUTE_CASING,
    ).add_to(group)
    SharedGeoJson(
        data,
        "route",
        name="Routes",
        style_function=_route_style,
        interactive=False,
        class_name=CLS_ROUTE,
    ).add_to(group)
    SharedGeoJson(
        data,
        "route",
        name="Route hit area",
        style_function=lambda _f: {"color": "#000000", "weight": 16, "opacity": 0.0},
        highlight_function=lambda _f: {"opacity": 0.15},
        tooltip=_tooltip(),
        class_name=CLS_ROUTE_HIT,
    ).add_to(group)


def feature_counts(groups: Sequence[folium.FeatureGroup]) -> dict[str, int]:
    """Per layer name, the number of clickable features it draws (for tests and the caption);
    for the selection group, 1 if it shows a selection."""
    out: dict[str, int] = {}
    for g in groups:
        n = 0
        child: Any
        for child in g._children.values():
            data = getattr(child, "data", None)
            if isinstance(child, Select):
                n += child.selection is not None
            elif isinstance(data, dict) and child.layer_name not in ("Route casing", "Routes"):
                n += len(data.get("features", [])) if "features" in data else 1
        out[g.layer_name] = n
    return out
