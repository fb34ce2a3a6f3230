"""Home page: the five states coloured by an indicator; click one (or a route) for its facts."""

from dataclasses import replace

import streamlit as st

from central_asia_atlas import compare, mapview, panel, timeline
from central_asia_atlas import selection as sel
from central_asia_atlas.cache import (
    dataset,
    indicator_table_at,
    map_component,
    map_layers,
    run_through_entrypoint,
)
from central_asia_atlas.indicators import INDICATORS
from central_asia_atlas.markup import md
from central_asia_atlas.model import FIVE

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame
DEFAULT_INDICATOR = "distance_signals"
ss = st.session_state
ds = dataset()
# The Timeline page's "as of" day and the Compare page's choice of signals apply here too;
# a link may carry the day (?as_of=YYYY-MM-DD).
link_day = st.query_params.get("as_of")
if "as_of" not in ss and "atlas_view" not in ss and timeline.parse_as_of(link_day):
    ss["as_of"] = timeline.parse_as_of(link_day)
as_of = timeline.parse_as_of(ss.get("as_of"))
chosen_signals = compare.parse_signals(ss.get("signals"))
signals = None if chosen_signals is None else tuple(s.value for s in chosen_signals)
table = indicator_table_at(as_of, signals)
names = {c.props.iso3: c.props.name for c in ds.countries}
lines = {
    **{f"route:{r.props.id}": f"Route: {r.props.name}" for r in ds.routes},
    **{f"event:{e.props.id}": f"Event: {e.props.name}" for e in ds.events},
}
known = {
    "country": set(FIVE),
    "route": {r.props.id for r in ds.routes},
    "event": {e.props.id for e in ds.events},
}
if "atlas_view" not in ss:  # a new session: restore the view a deep link asks for
    view, notices = sel.from_query_params(st.query_params.to_dict(), INDICATORS, known)
    ss.atlas_view = replace(view, indicator=view.indicator or DEFAULT_INDICATOR)
    if link_day and timeline.parse_as_of(link_day) is None:
        notices.append("Ignored as_of from the link: give a day as YYYY-MM-DD.")
    ss.atlas_notices = notices  # kept over reruns (the map's first report reruns the page)
for notice in ss.get("atlas_notices", []):
    st.info(md(notice), icon=":material/link_off:")


def select(new: sel.Selection | None) -> None:
    ss.atlas_view = replace(ss.atlas_view, selection=new)
    ss.atlas_notices = []  # the reader has moved on from the link


def on_map() -> None:  # runs before the page script, so the panel shows the new click
    picked = sel.from_map_event(ss.get("atlas_map"), known)
    if picked is not None:
        select(picked)


def on_country() -> None:
    select(sel.Selection("country", ss.w_country) if ss.w_country else None)


def on_line() -> None:
    kind, _, ident = (ss.w_line or "").partition(":")
    select(sel.Selection(kind, ident) if ident else None)  # type: ignore[arg-type]


def on_view() -> None:
    ss.atlas_view = replace(ss.atlas_view, indicator=ss.w_indicator, routes=ss.w_routes)


view: sel.View = ss.atlas_view
chosen = view.selection
# Widgets show the canonical view (it survives page switches; widget state does not).
ss.w_indicator, ss.w_routes = view.indicator, view.routes
ss.w_country = chosen.id if chosen and chosen.kind == "country" else None
ss.w_line = f"{chosen.kind}:{chosen.id}" if chosen and chosen.kind != "country" else None

st.markdown("#### Central Asia between Russia, the EU and China, since February 2022")
st.caption(
    "Kazakhstan, Uzbekistan, Kyrgyzstan, Tajikistan and Turkmenistan: each fact quotes its "
    "source's own words. Click a country, a route or an event, or choose one on the right."
)
left, right = st.columns([3, 2], gap="medium")
with left:
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    key = c1.selectbox(
        "Colour the map by",
        list(INDICATORS),
        key="w_indicator",
        format_func=lambda k: INDICATORS[k].label,
        on_change=on_view,
    )
    show_routes = c2.toggle("Energy export routes", key="w_routes", on_change=on_view)
    tiles = bool(ss.get("w_tiles", False))
    results = table[key]
    picked = (chosen.kind, chosen.id) if chosen else None
    map_component(
        map_layers(key, as_of, signals, picked, show_routes, tiles),
        height=mapview.HEIGHT,
        on_change=on_map,
    )
    if as_of is not None or signals is not None:
        st.caption(
            (f"Indicators as of {as_of:%-d %B %Y} (Timeline page). " if as_of else "")
            + (
                "The signal count uses the signals chosen on the Compare page."
                if signals is not None
                else ""
            )
        )
    st.html(panel.legend_html(INDICATORS[key], results))
    if show_routes:
        st.html(panel.routes_legend_html())
    st.checkbox(
        "Online background map (loads OpenStreetMap tiles from the internet)", key="w_tiles"
    )
with right:
    st.selectbox(
        "Country",
        list(FIVE),
        key="w_country",
        format_func=lambda k: names.get(k, k),
        index=None,
        placeholder="Choose a country, or click the map",
        on_change=on_country,
    )
    st.selectbox(
        "Energy route or event",
        list(lines),
        key="w_line",
        format_func=lambda k: lines.get(k, k),
        index=None,
        placeholder="Choose a route or event, or click it",
        on_change=on_line,
    )
    st.button(
        "Clear selection",
        on_click=select,
        args=(None,),
        disabled=chosen is None,
        icon=":material/close:",
    )
    if chosen is None:
        st.markdown(
            "Click a country, a route or an event on the map to read what the sources "
            "say about it, in their own words."
        )
    elif chosen.kind == "country":
        st.html(panel.country_html(ds, chosen.id, table))
    elif chosen.kind == "route":
        st.html(panel.route_html(ds, chosen.id))
    else:
        st.html(panel.event_html(ds, chosen.id))

want = sel.to_query_params(ss.atlas_view, DEFAULT_INDICATOR)
if as_of is not None:
    want["as_of"] = as_of.isoformat()
if st.query_params.to_dict() != want:
    st.query_params.from_dict(want)
