"""Timeline: dated facts and events on a time axis; the map's indicators as of a chosen day."""

import datetime as dt

import streamlit as st

from central_asia_atlas import markup, timeline
from central_asia_atlas import viewstate as vs
from central_asia_atlas.cache import dataset, keep_url, session_view
from central_asia_atlas.model import Category
from central_asia_atlas.runtime import run_through_entrypoint

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
ss = st.session_state
session_view()  # the link's view (day, signals) into the session, on any page
st.title("Timeline")
st.caption("Every dated fact and event. Hover a point for its summary; click a fact to read it.")

frame = timeline.timeline_frame(ds)
c1, c2, c3 = st.columns([2, 2, 1])
countries = c1.multiselect("Countries", list(timeline.COUNTRY_COLORS), key="tl_countries")
kinds = [c.value for c in Category] + ["event"]
categories = c2.multiselect("Categories", kinds, key="tl_categories")
color_by = c3.radio("Rows by", ["country", "category"], horizontal=True, key="tl_color_by")
recent = st.toggle("Since 2022 only", value=True, key="tl_recent")
since = timeline.RECENT_FROM if recent else None
matching = timeline.filter_timeline(frame, countries, categories)  # of any date
shown = timeline.filter_timeline(matching, since=since)
hidden = matching["id"].nunique() - shown["id"].nunique()
newest = f", the newest dated {markup.day(max(shown['date']))}" if len(shown) else ""
st.write(
    f"{shown['id'].nunique()} fact(s) and event(s) shown{newest}; {hidden} earlier hidden. "
    "The axis runs on to today."
)
if len(shown):
    st.altair_chart(timeline.chart(shown, color_by, dt.date.today()), width="stretch")
with st.expander("The same as a table"):
    st.dataframe(
        shown,
        hide_index=True,
        column_config={"link": st.column_config.LinkColumn("Passage", display_text="read")},
    )

st.header("The map as of a day")
st.caption(
    "The choropleth's indicators recomputed from the facts dated on or before this day. "
    "The map page follows the day chosen here, and this slider the map's (until you go back "
    "to today)."
)
lo, hi = timeline.date_range(ds, dt.date.today())
chosen = vs.as_of(ss)  # the day the link or another page chose (see session_view above)
ss["tl_as_of"] = min(max(chosen or hi, lo), hi)


def keep_day() -> None:
    vs.set_as_of(ss, ss["tl_as_of"])


def back_to_today() -> None:
    vs.set_as_of(ss, None)


day = st.slider(
    "As of", min_value=lo, max_value=hi, key="tl_as_of", on_change=keep_day, format="D MMM YYYY"
)
st.button("Back to today", on_click=back_to_today, disabled=chosen is None)
signals = vs.signals(ss, ds.catalogue.signals)
st.dataframe(timeline.indicators_as_of(ds, day, signals))
if signals is not None:
    st.caption("The signal count uses the signals chosen on the Compare page.")
keep_url(ss)
