"""The only Streamlit import of the package: cached wrappers around the pure loaders."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import html
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import streamlit as st

from . import charts, images, indicators, mapstyle, panel, publish, standalone, store, viewstate
from .dataset import Dataset
from .indicators import IndicatorResult
from .markup import Html
from .selection import Selection, View

if TYPE_CHECKING:
    import folium

# folium, streamlit-folium and mapview (which imports folium) are imported by the functions
# that build the map, not here: app_frame.py imports this module,
# and the page sends its widgets before the map (see mapstyle). At a server's start the
# warm-up imports folium and mapview first (start_warm_up).


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _looked_up_first(maxsize: int) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """A process-wide memo in front of a cached function that every click's rerun calls.

    A hit is a dictionary lookup. `st.cache_resource` hashes the arguments of each call first
    (about 0.1 ms for a date and a tuple), at every rerun of every session: 0.66 ms per rerun,
    of 12, with 20 sessions clicking (py-spy, benchmarks/results.md). The key holds the
    dataset in use, and each entry holds the dataset it was made from (so its id cannot be
    reused): after the dataset is reloaded (`st.cache_resource.clear()`, as the tests do),
    nothing made from the old one is returned. A miss goes through the Streamlit cache.
    """

    def wrap(fn: Callable[_P, _R]) -> Callable[_P, _R]:
        memo: dict[Any, tuple[Dataset, _R]] = {}
        lock = threading.Lock()

        @functools.wraps(fn)
        def looked_up(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            ds = dataset()
            key = (id(ds), args, tuple(sorted(kwargs.items())))
            hit = memo.get(key)
            if hit is not None and hit[0] is ds:
                return hit[1]
            value = fn(*args, **kwargs)
            with lock:
                memo[key] = (ds, value)
                while len(memo) > maxsize:  # the oldest first (dicts keep their order)
                    memo.pop(next(iter(memo)))
            return value

        return looked_up

    return wrap


@st.cache_resource(show_spinner=False)
def dataset() -> Dataset:
    """The validated dataset, loaded once per server process and shared read-only.

    Every object in it is frozen, so no session can change what another one sees.

    Before and after loading, the objects alive so far (the imported libraries, then the
    dataset, all kept for the life of the process) are moved out of the garbage collector's
    reach (`gc.freeze`): a full collection over them took 80-100 ms, and ran during the first
    view and, now and then, during a click's rerun (benchmarks/results.md).
    """
    gc.freeze()
    ds = store.load()
    gc.freeze()
    return ds


_warmed = threading.Event()  # set when the warm-up has ended (or was never started)
_warmed.set()


def start_warm_up() -> None:
    """At server start (streamlit_app.py): make what the first view needs, in a thread.

    The first browser then still loads Streamlit's own frontend, a second or more in which
    the server has nothing else to do. Made: the libraries the map page imports when it
    builds the map (folium, and the folium plugins streamlit-folium imports; not
    streamlit-folium itself, whose component is only declared by an import inside a script
    run), the checked dataset, the neighbours and today's indicators. A page's first run waits
    for the end of it (`wait_for_warm_up`), so no two threads import the same modules at once.
    """
    _warmed.clear()
    threading.Thread(target=_warm_up, name="atlas-warm-up", daemon=True).start()


def _warm_up() -> None:
    try:
        import folium.plugins  # noqa: F401

        from . import mapview  # noqa: F401

        dataset()
        basemap()
        indicator_table_at(None, None)  # the map's first view: today, every signal
    except Exception:  # the first run makes it again, and shows the error to the reader
        logging.getLogger(__name__).exception("warm-up failed; the first run retries")
    finally:
        _warmed.set()


def wait_for_warm_up(timeout: float = 60.0) -> None:
    """Before a page's run (app_frame.py): let a warm-up still under way end first."""
    _warmed.wait(timeout)


@st.cache_resource(show_spinner=False)
def basemap() -> dict[str, Any]:
    """The neighbours for the base map (Natural Earth, clipped), read once per process."""
    from . import mapview

    return mapview.load_basemap()


@_looked_up_first(64)
@st.cache_resource(show_spinner=False, max_entries=64)
def indicator_table_at(
    as_of: dt.date | None, signals: tuple[str, ...] | None
) -> dict[str, dict[str, IndicatorResult]]:
    """Every indicator's value for each of the five, {indicator key: {iso3: result}}, as of a
    day (None: today) and counting only the chosen signals (None: all).

    The Timeline page keeps its day in `st.session_state["as_of"]` (a date; absent: today) and
    the Compare page its choice in `st.session_state["signals"]` (signal ids; absent: all).
    """
    ds = dataset()
    return {
        key: indicators.compute(ds, key, as_of=as_of, signals=signals)
        for key in ds.catalogue.indicators
    }


@_looked_up_first(256)
@st.cache_resource(show_spinner=False, max_entries=256)
def fact_groups(iso3: str, as_of: dt.date | None) -> Mapping[str, str]:
    """The panel's groups of facts for a country and day (`panel.fact_groups`: it counts the
    country's facts, so it grows with the data), read-only since sessions share it."""
    return MappingProxyType(panel.fact_groups(dataset(), iso3, as_of))


@_looked_up_first(256)
@st.cache_resource(show_spinner=False, max_entries=256)
def country_panel(
    iso3: str, as_of: dt.date | None, signals: tuple[str, ...] | None, view: panel.FactsView
) -> tuple[Html, Html, bool]:
    """A country's panel as the map page shows it: (header HTML with the catalogue's charts,
    body HTML, whether the view holds more facts than it shows), built once per country, day,
    signals and view of the facts, and shared by sessions (a click's rerun then only looks it
    up: with 20 sessions clicking at once, every millisecond counts 20 times)."""
    ds = dataset()
    head = panel.country_head_html(ds, iso3, as_of, style=False) + "".join(
        charts.chart_html(c) for c in charts.country_charts(ds, iso3, as_of)
    )
    table = indicator_table_at(as_of, signals)
    body = panel.country_html(ds, iso3, table, as_of, head=False, view=view, style=False)
    return Html(head), Html(body), panel.facts_in_view(ds, iso3, as_of, view)[1] > 0


@_looked_up_first(64)
@st.cache_resource(show_spinner=False, max_entries=64)
def line_panel(kind: str, ident: str) -> Html:
    """A route's or an event's panel (`kind` "route" or "event"), built once per process."""
    build = panel.route_html if kind == "route" else panel.event_html
    return Html(build(dataset(), ident, style=False))


@_looked_up_first(256)
@st.cache_resource(show_spinner=False, max_entries=256)
def legends(
    key: str, as_of: dt.date | None, signals: tuple[str, ...] | None, routes: bool, note: str
) -> Html | None:
    """The indicator's legend and the routes' (if shown), with `note` (plain text, escaped)
    under them, as one element: each element costs something in every click's rerun of every
    session. None if there is nothing to show."""
    spec = dataset().catalogue.indicators.get(key)
    parts = []
    if spec is not None:
        parts.append(panel.legend_html(spec, indicator_table_at(as_of, signals)[key], style=False))
    if routes:
        parts.append(panel.routes_legend_html(style=False))
    if note:
        parts.append(f'<p class="atlas-note">{html.escape(note)}</p>')
    return Html("".join(parts)) if parts else None


# --- the session's view (see viewstate: its one owner) -----------------------------------


def session_view() -> View:
    """Start the session's view from the link (on whichever page the reader lands), and
    return the whole view: the map's part, the day and the signals that count."""
    ds = dataset()
    cat = ds.catalogue
    ss: Any = st.session_state
    known = viewstate.choices(ds).known
    params = st.query_params.to_dict()
    viewstate.start(ss, params, cat.indicators, known, cat.default_key(), cat.signals)
    return viewstate.view(ss, cat.signals)


def keep_url(ss: Any) -> None:
    """A page other than the map: its URL carries the view's day and signals."""
    want = viewstate.shared_url_update(ss, st.query_params.to_dict(), dataset().catalogue.signals)
    if want is not None:
        st.query_params.from_dict(want)


# --- publishing a view (images, standalone HTML, CSV) -------------------------------------
# Built on demand (a download button's callable), once per view and day, shared by sessions.


@st.cache_data(show_spinner=False, max_entries=64)
def view_image(view: View, fmt: str, today: dt.date) -> bytes:
    """The view as PNG (`fmt` "png") or SVG ("svg")."""
    build = images.map_png if fmt == "png" else images.map_svg
    return build(dataset(), view, basemap(), today)


@st.cache_data(show_spinner=False, max_entries=64)
def view_html(view: View, app_url: str, today: dt.date) -> str:
    """The view as one self-contained HTML file that links back to `app_url`."""
    return standalone.standalone_html(dataset(), view, app_url, basemap(), today)


@st.cache_data(show_spinner=False, max_entries=64)
def view_csv(view: View, today: dt.date) -> str:
    """The values the view shows, as CSV."""
    return publish.shown_csv(dataset(), view, today)


@st.cache_resource(show_spinner=False)
def data_version() -> publish.DataVersion:
    return publish.data_version(dataset())


# --- the map component ------------------------------------------------------------------
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
def map_base() -> MapBase:
    """The base map's part of the arguments; the neighbours come from static/ when it holds
    the same basemap (mapview.basemap_url), else they are inlined."""
    from . import mapview

    neighbours = basemap()
    url = mapview.basemap_url(neighbours)
    base = base_payload(mapview.base_map(neighbours, dataset(), url, shapes=True))
    # folium, branca, jinja2, pandas and pyarrow were imported just now (see mapstyle), after
    # the dataset was frozen: kept for the life of the process, they are frozen too, or every
    # full collection walks them again (30-50 ms each, during the clicks of 20 sessions).
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
) -> str:
    """The changing layers' script for one view (indicator, day, signals, selection, toggles).

    After a click on the map, the layers the map has already (it drew the highlight itself):
    the map element stays byte-identical, so the rerun resends no map. See
    mapview.layers_to_draw; a map not yet on the page (first run, back from another page) is
    sent the view as it is.
    """
    from . import mapview

    ss = st.session_state
    mounted = map_base().hash_key in ss
    drawn = ss.get(MAP_DRAWN) if mounted else None
    clicked = ss.get(MAP_CLICKED) if mounted else None
    view = (key, as_of, signals, routes, tiles)
    new = mapview.layers_to_draw(view, selection, drawn, clicked)
    if new is not drawn:
        ss[MAP_CLICKED] = None
    ss[MAP_DRAWN] = new
    return _map_layers(key, as_of, signals, new.selection, routes, tiles, new.token)


@_looked_up_first(256)
@st.cache_resource(show_spinner=False, max_entries=256)
def _map_layers(
    key: str,
    as_of: dt.date | None,
    signals: tuple[str, ...] | None,
    selection: tuple[str, str] | None,
    routes: bool,
    tiles: bool,
    token: int,
) -> str:
    from . import mapview

    results = indicator_table_at(as_of, signals).get(key, {})  # {}: no catalogue, no colours
    spec = dataset().catalogue.indicators.get(key)
    chosen = Selection(selection[0], selection[1]) if selection else None  # type: ignore[arg-type]
    groups = mapview.layers(
        dataset(), results, spec.label if spec else "No indicator", chosen, routes, tiles, token
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
    import streamlit_folium as sf

    from . import mapview

    base = map_base()

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


def run_through_entrypoint() -> None:
    """Make sure a page runs inside app_frame.py (page config, navigation, banner).

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


# --- runs at once --------------------------------------------------------------------------
# Streamlit runs each session's script in a thread of its own, and Python runs one thread at a
# time. With 20 sessions clicking at once, 20 runs shared the interpreter in 5 ms turns and
# every one of them finished near the end (a click's panel arrived after 0.7 s in all of
# them). One run at a time, the others waiting their turn (first come, first served), does the
# same work with the least switching: a thread that lets go of the interpreter (to write to a
# socket, to hash a message) waits for it again behind every other runnable thread, and
# Streamlit's event loop, which sends the runs' messages, is one of them. Measured with 20
# sessions clicking at once (benchmarks/results.md): the protocol sessions' p95 286 ms with one
# run at a time, 386 ms with 4 and 427 ms with 2; the browser's p95 430, 515 and 599 ms. The
# cost: a long run holds the others up for its length (a warm run of the Data page takes about
# 90 ms, a new day on the map about 70 ms); downloads are built outside the runs.
RUNS_AT_ONCE = 1
_runs = threading.BoundedSemaphore(RUNS_AT_ONCE)
_in_run = threading.local()  # this thread holds a turn (a fragment inside its page's run)


@contextlib.contextmanager
def page_run() -> Iterator[None]:
    """Around a page's run (app_frame.py) or a fragment's (a fragment's rerun does not go
    through the page): wait for one of RUNS_AT_ONCE turns. Inside a turn the thread holds
    already (the fragment's part of a full run), it does nothing."""
    if getattr(_in_run, "held", False):
        yield
        return
    with _runs:
        _in_run.held = True
        try:
            yield
        finally:
            _in_run.held = False
