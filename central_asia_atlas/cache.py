"""The only Streamlit import of the package: cached wrappers around the pure loaders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import folium
import streamlit as st
import streamlit_folium as sf

from . import indicators, mapview, store
from .indicators import IndicatorResult
from .model import Signal
from .selection import Selection


@st.cache_resource(show_spinner=False)
def dataset() -> store.Dataset:
    """The validated dataset, loaded once per server process and shared read-only.

    Every object in it is frozen, so no session can change what another one sees.
    """
    return store.load()


@st.cache_resource(show_spinner=False)
def basemap() -> dict[str, Any]:
    """The neighbours for the base map (Natural Earth, clipped), read once per process."""
    return mapview.load_basemap()


@st.cache_resource(show_spinner=False)
def indicator_table() -> dict[str, dict[str, IndicatorResult]]:
    """Every indicator's current value for each of the five: {indicator key: {iso3: result}}."""
    ds = dataset()
    return {key: indicators.compute(ds, key) for key in indicators.INDICATORS}


@st.cache_resource(show_spinner=False, max_entries=64)
def indicator_table_at(
    as_of: dt.date | None, signals: tuple[str, ...] | None
) -> dict[str, dict[str, IndicatorResult]]:
    """Like `indicator_table`, as of a day and counting only the chosen signals.

    The Timeline page keeps its day in `st.session_state["as_of"]` (a date; absent: today) and
    the Compare page its choice in `st.session_state["signals"]` (Signal values; absent: all).
    """
    ds = dataset()
    chosen = None if signals is None else [Signal(s) for s in signals]
    return {
        key: indicators.compute(ds, key, as_of=as_of, signals=chosen)
        for key in indicators.INDICATORS
    }


# --- the map component ------------------------------------------------------------------
# streamlit-folium's st_folium renders the whole folium figure on every rerun (a second or
# so here: folium re-parses each element's rendered script, the basemap included, as a Jinja
# template). The base map never changes, so its part of the component's arguments is computed
# once per process; the feature groups once per view. `map_component` then passes exactly the
# arguments st_folium would (tests/unit/test_mapview.py checks that they are equal).

MAP_KEY = "atlas_map"
MAP_RETURNS = mapview.MAP_RETURNS  # st_folium's order
# The one difference from st_folium: its default count is None, while the component starts
# counting at 0, so the user's first pan or zoom "changed" the value and reran the page for
# nothing. With 0 the component reports only clicks (measured: one rerun fewer per visit).
MAP_DEFAULT: dict[str, Any] = {"last_object_clicked_count": 0, "last_active_drawing": None}


@dataclass(frozen=True)
class MapBase:
    script: str
    header: str
    html: str
    map_id: str
    js_links: tuple[str, ...]
    css_links: tuple[str, ...]
    hash_key: str  # the component's key: it changes only if the base map's code changes


def _links(element: Any) -> tuple[list[str], list[str]]:
    js: list[str] = []
    css: list[str] = []
    stack = [element]
    while stack:
        el = stack.pop(0)
        js += [src for _, src in getattr(el, "default_js", [])]
        css += [href for _, href in getattr(el, "default_css", [])]
        stack[:0] = list(getattr(el, "_children", {}).values())
    return js, css


def base_payload(base: folium.Map, key: str = MAP_KEY) -> MapBase:
    """What st_folium derives from the base map (uncached; see `map_base`)."""
    base.render()  # type: ignore[no-untyped-call]
    html = sf._get_html(base)
    header = sf._get_header(base)
    script = sf._get_map_string(base)
    js, css = _links(base)
    return MapBase(
        script,
        header,
        html,
        sf.get_full_id(base),
        tuple(dict.fromkeys(js)),
        tuple(dict.fromkeys(css)),
        sf.generate_js_hash(script, key, False),
    )


def layers_payload(
    groups: list[folium.FeatureGroup],
) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    """The feature groups as st_folium sends them: one script, plus their asset links."""
    parent = folium.Map(tiles=None)  # only its variable name is used (renamed to map_div)
    script = "".join(sf._get_feature_group_string(g, parent, i) for i, g in enumerate(groups))
    js: list[str] = []
    css: list[str] = []
    for g in groups:
        g_js, g_css = _links(g)
        js += g_js
        css += g_css
    return script, tuple(dict.fromkeys(js)), tuple(dict.fromkeys(css))


@st.cache_resource(show_spinner=False)
def map_base() -> MapBase:
    return base_payload(mapview.base_map(basemap(), dataset()))


@st.cache_resource(show_spinner=False, max_entries=256)
def map_layers(
    key: str,
    as_of: dt.date | None,
    signals: tuple[str, ...] | None,
    selection: tuple[str, str] | None,
    routes: bool,
    tiles: bool,
) -> str:
    """The changing layers' script for one view (indicator, day, signals, selection, toggles)."""
    results = indicator_table_at(as_of, signals)[key]
    chosen = Selection(selection[0], selection[1]) if selection else None  # type: ignore[arg-type]
    groups = mapview.layers(
        dataset(), results, indicators.INDICATORS[key].label, chosen, routes, tiles
    )
    script, js, css = layers_payload(groups)
    if js or css:  # a layer that needs other assets would break the offline promise
        raise RuntimeError(f"map layers need assets beyond Leaflet: {js + css}")
    return script


def map_component(layers: str, height: int, on_change: Callable[[], None]) -> None:
    """Show the map: the cached base map plus `layers`, with st_folium's own component.

    As with st_folium(key=MAP_KEY, returned_objects=MAP_RETURNS, use_container_width=True),
    the component's latest value lands in st.session_state[MAP_KEY] before `on_change` runs;
    only the default differs (see MAP_DEFAULT).
    """
    base = map_base()

    def _changed() -> None:
        st.session_state[MAP_KEY] = st.session_state.get(base.hash_key, {})
        on_change()

    sf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.map_id,
        key=base.hash_key,
        height=height,
        width=None,
        returned_objects=list(MAP_RETURNS),
        default=MAP_DEFAULT,
        zoom=None,
        center=None,
        feature_group=layers,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(base.css_links),
        js_links=list(base.js_links),
        on_change=_changed,
        wrap_longitude=False,
    )


def run_through_entrypoint() -> None:
    """Make sure a page runs inside streamlit_app.py's frame (config, navigation, banner).

    Streamlit treats a `pages/` folder beside the entrypoint as a legacy multipage app until
    some session calls st.navigation. So on a fresh server, the first visit to a deep link such
    as /sources?fact=... would run the page file on its own. Every page calls this first: in
    that case it switches the server to st.navigation mode and reruns, which goes through the
    entrypoint and lands on the same page (the page hash is derived from its URL path), query
    parameters kept. Otherwise it does nothing.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
