"""The map component: the streamlit-folium component called with the arguments st_folium
would pass, the base map's part computed once per process and the layers once per view.

Everything that leans on streamlit-folium's internals (its private `_component_func`,
`_get_html`, `_get_header`, `_get_map_string`, `_get_feature_group_string`, `get_full_id`,
`generate_js_hash`) is here, and tests/unit/test_upstream_contracts.py pins each of them: an
upgrade of streamlit-folium is a one-file checklist.

"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import streamlit as st

from . import i18n, mapstyle
from .cache import basemap, dataset, indicator_table_at, looked_up_first
from .selection import Selection

if TYPE_CHECKING:
    import folium

# streamlit-folium's st_folium renders the whole folium figure on every rerun (a second or
# so here: folium re-parses each element's rendered script, the basemap included, as a Jinja
# template). The base map never changes, so its part of the component's arguments is computed
# once per process; the feature groups once per view. `map_component` then passes exactly the
# arguments st_folium would (tests/unit/test_mapview.py checks that they are equal).

MAP_KEY = "atlas_map"
MAP_RETURNS = mapstyle.MAP_RETURNS  # st_folium's order
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
    import streamlit_folium as sf

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
    import folium
    import streamlit_folium as sf

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
def map_base(lang: str) -> MapBase:
    """The base map's part of the arguments, its names (capitals, neighbours) in `lang`; the
    neighbours come from static/ when it holds the same basemap (mapview.basemap_url), else
    they are inlined. Another language is another base map (the component remounts once, at
    the language switch)."""
    from . import mapview

    neighbours = basemap()
    url = mapview.basemap_url(neighbours)
    with i18n.use(lang):
        base = base_payload(mapview.base_map(neighbours, dataset(), url, shapes=True, frame=True))
    # folium, branca, jinja2, pandas and pyarrow were imported just now (see mapstyle), after
    # the dataset was frozen: kept for the life of the process, they are frozen too, or every
    # full collection walks them again, during other sessions' clicks (benchmarks/results.md).
    gc.freeze()
    return base


MAP_DRAWN = "atlas_map_drawn"  # mapview.Drawn: the layers this session's map was last sent
MAP_CLICKED = "atlas_map_clicked"  # (kind, id) the map has highlighted itself since then


def map_layers(
    key: str,
    as_of: dt.date | None,
    signals: tuple[str, ...] | None,
    selection: tuple[str, str] | None,
    routes: bool,
    tiles: bool,
    lang: str,
) -> str:
    """The changing layers' script for one view (indicator, day, signals, selection, toggles,
    language: the tooltips').

    After a click on the map, the layers the map has already (it drew the highlight itself):
    the map element stays byte-identical, so the rerun resends no map. See
    mapview.layers_to_draw; a map not yet on the page (first run, back from another page) is
    sent the view as it is.
    """
    from . import mapview

    ss = st.session_state
    mounted = map_base(lang).hash_key in ss
    drawn = ss.get(MAP_DRAWN) if mounted else None
    clicked = ss.get(MAP_CLICKED) if mounted else None
    view = (key, as_of, signals, routes, tiles, lang)
    new = mapview.layers_to_draw(view, selection, drawn, clicked)
    if new is not drawn:
        ss[MAP_CLICKED] = None
    ss[MAP_DRAWN] = new
    return _map_layers(key, as_of, signals, new.selection, routes, tiles, new.token, lang)


@looked_up_first(256)
@st.cache_resource(show_spinner=False, max_entries=256)
def _map_layers(
    key: str,
    as_of: dt.date | None,
    signals: tuple[str, ...] | None,
    selection: tuple[str, str] | None,
    routes: bool,
    tiles: bool,
    token: int,
    lang: str,
) -> str:
    from . import mapview

    results = indicator_table_at(as_of, signals, lang).get(key, {})  # {}: no catalogue
    spec = dataset().catalogue.indicators.get(key)
    chosen = Selection(selection[0], selection[1]) if selection else None  # type: ignore[arg-type]
    with i18n.use(lang):
        label = spec.label if spec else i18n._("No indicator")
        groups = mapview.layers(dataset(), results, label, chosen, routes, tiles, token)
    script, js, css = layers_payload(groups)
    if js or css:  # a layer that needs other assets would break the offline promise
        raise RuntimeError(f"map layers need assets beyond Leaflet: {js + css}")
    return script


def map_component(layers: str, height: int, on_change: Callable[[], None], lang: str) -> None:
    """Show the map: the cached base map plus `layers`, with st_folium's own component.

    As with st_folium(key=MAP_KEY, returned_objects=MAP_RETURNS, use_container_width=True),
    the component's latest value lands in st.session_state[MAP_KEY] before `on_change` runs;
    only the default differs (see MAP_DEFAULT).
    """
    import streamlit_folium as sf

    from . import mapview

    base = map_base(lang)

    def _changed() -> None:
        value = st.session_state.get(base.hash_key, {})
        st.session_state[MAP_KEY] = value
        # what the map highlighted at the click (mapview.ClickSelect), for map_layers
        st.session_state[MAP_CLICKED] = mapview.clicked_feature(value) or st.session_state.get(
            MAP_CLICKED
        )
        on_change()

    # The lists go as tuples (the same JSON): Streamlit asks of every other argument whether
    # it is a data frame, a test that runs typing's slow protocol checks (a tuple is ruled out
    # at once), at each rerun of every session.
    sf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.map_id,
        key=base.hash_key,
        height=height,
        width=None,
        returned_objects=MAP_RETURNS,
        default=MAP_DEFAULT,
        zoom=None,
        center=None,
        feature_group=layers,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=base.css_links,
        js_links=base.js_links,
        on_change=_changed,
        wrap_longitude=False,
    )
