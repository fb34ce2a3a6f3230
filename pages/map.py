"""Home page: the five states coloured by an indicator; click one (or a route) for its facts."""

import streamlit as st

from central_asia_atlas import cache, mapview, panel
from central_asia_atlas import viewstate as vs
from central_asia_atlas.indicators import INDICATORS
from central_asia_atlas.markup import md
from central_asia_atlas.model import FIVE

cache.run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame
ss = st.session_state
ds = cache.dataset()
opts = vs.choices(ds)
cb = vs.Callbacks(ss, opts.known)  # the widgets' and the map's callbacks
vs.start(ss, st.query_params.to_dict(), INDICATORS, opts.known)  # a new session: the link's view
as_of, signals = vs.as_of(ss), vs.signals(ss)  # the Timeline page's day, the Compare's signals
table = cache.indicator_table_at(as_of, signals)
for notice in vs.notices(ss):
    st.info(md(notice), icon=":material/link_off:")
chosen = vs.sync_widgets(ss).selection  # widgets show the canonical view

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
        on_change=cb.on_view,
    )
    routes = c2.toggle("Energy export routes", key="w_routes", on_change=cb.on_view)
    picked = (chosen.kind, chosen.id) if chosen else None
    layers = cache.map_layers(key, as_of, signals, picked, routes, bool(ss.get("w_tiles", False)))
    cache.map_component(layers, height=mapview.HEIGHT, on_change=cb.on_map)
    if caption := vs.context_caption(as_of, signals):
        st.caption(caption)
    st.html(panel.legend_html(INDICATORS[key], table[key]))
    if routes:
        st.html(panel.routes_legend_html())
    st.checkbox(
        "Online background map (loads OpenStreetMap tiles from the internet)", key="w_tiles"
    )
with right:
    st.selectbox(
        "Country",
        list(FIVE),
        key="w_country",
        format_func=lambda k: opts.names.get(k, k),
        index=None,
        placeholder="Choose a country, or click the map",
        on_change=cb.on_country,
    )
    st.selectbox(
        "Energy route or event",
        list(opts.lines),
        key="w_line",
        format_func=lambda k: opts.lines.get(k, k),
        index=None,
        placeholder="Choose a route or event, or click it",
        on_change=cb.on_line,
    )
    st.button("Clear selection", on_click=cb.clear, disabled=not chosen, icon=":material/close:")
    if chosen is None:
        st.markdown(
            "Click a country, a route or an event on the map to read what the sources "
            "say about it, in their own words."
        )
    elif chosen.kind == "country":
        st.html(panel.country_html(ds, chosen.id, table))
    else:
        st.html((panel.route_html if chosen.kind == "route" else panel.event_html)(ds, chosen.id))
if want := vs.url_update(ss, st.query_params.to_dict()):
    st.query_params.from_dict(want)
