"""Timeline: dated facts and events on a time axis; the map's indicators as of a chosen day."""

import datetime as dt

import streamlit as st

from central_asia_atlas import markup, timeline, words
from central_asia_atlas import viewstate as vs
from central_asia_atlas.cache import dataset, keep_url, session_view
from central_asia_atlas.i18n import _, ngettext
from central_asia_atlas.model import Category
from central_asia_atlas.runtime import run_through_entrypoint

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
ss = st.session_state
session_view()  # the link's view (day, signals) into the session, on any page
st.title(_("Timeline"))
st.caption(_("Every dated fact and event. Hover a point for its summary; click a fact to read it."))

frame = timeline.timeline_frame(ds)
rows = timeline.country_names(ds)
c1, c2, c3 = st.columns([2, 2, 1])
countries = c1.multiselect(
    _("Countries"),
    list(rows),
    key="tl_countries",
    format_func=rows.__getitem__,
    placeholder=_("Choose options"),
)
kinds = {k: timeline.category_name(k) for k in [c.value for c in Category] + [timeline.EVENT]}
categories = c2.multiselect(
    _("Categories"),
    list(kinds),
    key="tl_categories",
    format_func=kinds.__getitem__,
    placeholder=_("Choose options"),
)
row_kinds = {"country": _("country"), "category": _("category")}
color_by = c3.radio(
    _("Rows by"),
    list(row_kinds),
    horizontal=True,
    key="tl_color_by",
    format_func=row_kinds.__getitem__,
)
recent = st.toggle(_("Since 2022 only"), value=True, key="tl_recent")
since = timeline.RECENT_FROM if recent else None
matching = timeline.filter_timeline(frame, countries, categories)  # of any date
shown = timeline.filter_timeline(matching, since=since)
hidden = matching["id"].nunique() - shown["id"].nunique()
n = shown["id"].nunique()
if len(shown):
    count = ngettext(
        "{n} fact(s) and event(s) shown, the newest dated {day}; {hidden} earlier hidden.",
        "{n} fact(s) and event(s) shown, the newest dated {day}; {hidden} earlier hidden.",
        n,
    ).format(n=n, day=markup.day(max(shown["date"])), hidden=hidden)
else:
    count = ngettext(
        "{n} fact(s) and event(s) shown; {hidden} earlier hidden.",
        "{n} fact(s) and event(s) shown; {hidden} earlier hidden.",
        n,
    ).format(n=n, hidden=hidden)
st.write(count + " " + _("The axis runs on to today."))
if len(shown):
    st.altair_chart(timeline.chart(shown, color_by, dt.date.today()), width="stretch")
with st.expander(_("The same as a table")):
    table = timeline.readable(shown)
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            **words.headers(table.columns),
            "link": st.column_config.LinkColumn(_("Passage"), display_text=_("read")),
        },
    )

st.header(_("The map as of a day"))
st.caption(
    _(
        "The choropleth's indicators recomputed from the facts dated on or before this day. "
        "The map page follows the day chosen here, and this slider the map's (until you go back "
        "to today)."
    )
)
lo, hi = timeline.date_range(ds, dt.date.today())
chosen = vs.as_of(ss)  # the day the link or another page chose (see session_view above)
ss["tl_as_of"] = min(max(chosen or hi, lo), hi)


def keep_day() -> None:
    vs.set_as_of(ss, ss["tl_as_of"])


def back_to_today() -> None:
    vs.set_as_of(ss, None)


day = st.slider(
    _("As of"),
    min_value=lo,
    max_value=hi,
    key="tl_as_of",
    on_change=keep_day,
    format=markup.slider_date_format(),
)
st.button(_("Back to today"), on_click=back_to_today, disabled=chosen is None)
signals = vs.signals(ss, ds.catalogue.signals)
st.dataframe(timeline.indicators_as_of(ds, day, signals))
if signals is not None:
    st.caption(_("The signal count uses the signals chosen on the Compare page."))
keep_url(ss)
