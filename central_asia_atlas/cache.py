"""The cached loaders: the checked dataset, the basemap, and the views and exports built from
them once per process (or per view) and shared read-only by every session.

The app layer is this module, `component` (the map component) and `runtime` (warm-up, page
runs, entry-point guard): the only modules of the package that import Streamlit.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import html
import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import streamlit as st

from . import (
    charts,
    i18n,
    images,
    indicators,
    panel,
    publish,
    standalone,
    store,
    summary,
    viewstate,
)
from .dataset import Dataset
from .indicators import IndicatorResult
from .markup import Html
from .selection import View

if TYPE_CHECKING:
    pass

# folium, streamlit-folium and mapview (which imports folium) are imported by the functions
# that build the map (`component`), not here: app_frame.py imports this module, and the page
# sends its widgets before the map (see mapstyle). At a server's start the warm-up imports
# folium and mapview first (runtime.start_warm_up).


_P = ParamSpec("_P")
_R = TypeVar("_R")


def looked_up_first(maxsize: int) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """A process-wide memo in front of a cached function that every click's rerun calls.

    A hit is a dictionary lookup. `st.cache_resource` hashes the arguments of each call first,
    at every rerun of every session, a cost that showed in a profile of many sessions clicking
    at once (py-spy, benchmarks/results.md). The key holds the
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
    reach (`gc.freeze`): a full collection over them is slow, and ran during the first view
    and, now and then, during a click's rerun (benchmarks/results.md).
    """
    gc.freeze()
    ds = store.load()
    gc.freeze()
    return ds


@st.cache_resource(show_spinner=False)
def basemap() -> dict[str, Any]:
    """The neighbours for the base map (Natural Earth, clipped), read once per process."""
    from . import mapview

    return mapview.load_basemap()


@looked_up_first(64)
@st.cache_resource(show_spinner=False, max_entries=64)
def indicator_table_at(
    as_of: dt.date | None, signals: tuple[str, ...] | None, lang: str
) -> dict[str, dict[str, IndicatorResult]]:
    """Every indicator's value for each of the five, {indicator key: {iso3: result}}, as of a
    day (None: today) and counting only the chosen signals (None: all), its labels and notes
    in `lang`.

    Every cached view here takes the language as its last argument: what it holds is made in
    that language (`i18n.use`), and two readers in two languages never share an entry.
    """
    ds = dataset()
    with i18n.use(lang):
        return {
            key: indicators.compute(ds, key, as_of=as_of, signals=signals)
            for key in ds.catalogue.indicators
        }


@looked_up_first(256)
@st.cache_resource(show_spinner=False, max_entries=256)
def fact_groups(iso3: str, as_of: dt.date | None, lang: str) -> Mapping[str, str]:
    """The panel's groups of facts for a country and day (`panel.fact_groups`: it counts the
    country's facts, so it grows with the data), read-only since sessions share it."""
    with i18n.use(lang):
        return MappingProxyType(panel.fact_groups(dataset(), iso3, as_of))


@looked_up_first(256)
@st.cache_resource(show_spinner=False, max_entries=256)
def country_panel(
    iso3: str,
    as_of: dt.date | None,
    signals: tuple[str, ...] | None,
    view: panel.FactsView,
    lang: str,
) -> tuple[Html, Html, bool]:
    """A country's panel as the map page shows it: (header HTML with the catalogue's charts,
    body HTML, whether the view holds more facts than it shows), built once per country, day,
    signals and view of the facts, and shared by sessions (a click's rerun then only looks it
    up: with 20 sessions clicking at once, every millisecond counts 20 times)."""
    ds = dataset()
    table = indicator_table_at(as_of, signals, lang)
    with i18n.use(lang):
        head = panel.country_head_html(ds, iso3, as_of, style=False) + "".join(
            charts.chart_html(c) for c in charts.country_charts(ds, iso3, as_of)
        )
        body = panel.country_html(ds, iso3, table, as_of, head=False, view=view, style=False)
    return Html(head), Html(body), panel.facts_in_view(ds, iso3, as_of, view)[1] > 0


@looked_up_first(64)
@st.cache_resource(show_spinner=False, max_entries=64)
def line_panel(kind: str, ident: str, lang: str) -> Html:
    """A route's or an event's panel (`kind` "route" or "event"), built once per process."""
    build = panel.route_html if kind == "route" else panel.event_html
    with i18n.use(lang):
        return Html(build(dataset(), ident, style=False))


@looked_up_first(256)
@st.cache_resource(show_spinner=False, max_entries=256)
def legends(
    key: str,
    as_of: dt.date | None,
    signals: tuple[str, ...] | None,
    routes: bool,
    note: str,
    lang: str,
) -> Html | None:
    """The indicator's legend and the routes' (if shown), with `note` (plain text, escaped)
    under them, as one element: each element costs something in every click's rerun of every
    session. None if there is nothing to show."""
    spec = dataset().catalogue.indicators.get(key)
    parts = []
    with i18n.use(lang):
        if spec is not None:
            table = indicator_table_at(as_of, signals, lang)[key]
            parts.append(panel.legend_html(spec, table, style=False, names=dataset().names()))
        if routes:
            parts.append(panel.routes_legend_html(style=False))
    if note:
        parts.append(f'<p class="atlas-note">{html.escape(note)}</p>')
    return Html("".join(parts)) if parts else None


@looked_up_first(64)
@st.cache_resource(show_spinner=False, max_entries=64)
def map_in_words(
    key: str, as_of: dt.date | None, signals: tuple[str, ...] | None, lang: str
) -> Html:
    """The map of a view in words (`summary.map_in_words`), the map page's text alternative.
    Made in `lang`, the page's language."""
    ds = dataset()
    table = indicator_table_at(as_of, signals, lang).get(key, {})
    with i18n.use(lang):
        spec = ds.catalogue.indicators.get(key)
        label = spec.label if spec else key
        return Html(summary.map_in_words(ds, table, label, as_of, signals))


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
# Built on demand (a download button's callable), once per view and day, shared by sessions;
# the view holds its language (`View.lang`), so the cache is keyed by it, and the builders
# make each file in it.


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
