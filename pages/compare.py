"""Compare: the five side by side, by the signals the sources cite on each side."""

import streamlit as st

from central_asia_atlas import compare, markup
from central_asia_atlas import viewstate as vs
from central_asia_atlas.cache import dataset, keep_url, session_view
from central_asia_atlas.i18n import _, ngettext
from central_asia_atlas.runtime import run_through_entrypoint

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
ss = st.session_state
session_view()  # the link's view (day, signals) into the session, on any page
signals = ds.catalogue.signals
st.title(_("Compare"))
st.caption(
    _(
        "For each country, the kinds of signal the sources cite, grouped by side: ties to "
        "Moscow, signals of distance from it, ties to the EU and to China, each side counted "
        "the same way. Choose which kinds count: the map's counts follow your choice."
    )
)
current = vs.signals(ss, signals)
ss["cmp_signals"] = list(signals) if current is None else list(current)


def keep_choice() -> None:
    vs.set_signals(ss, ss["cmp_signals"])


# made in the run's language (a widget may call its format_func outside the run)
signal_names = {
    s: f"{ds.catalogue.side_label(sig.side)}: {sig.label}" for s, sig in signals.items()
}
with st.expander(_("Signals that count")):
    chosen = st.multiselect(
        _("Signals that count"),
        list(signals),
        key="cmp_signals",
        format_func=signal_names.__getitem__,
        on_change=keep_choice,
        label_visibility="collapsed",
        placeholder=_("Choose options"),
    )
st.caption(
    ngettext(
        "{n} of {total} kinds of signal count.",
        "{n} of {total} kinds of signal count.",
        len(signals),
    ).format(n=len(chosen), total=len(signals))
)
as_of = vs.as_of(ss)
if as_of is not None:
    st.info(
        _("As of {day}, the day chosen on the map or the Timeline.").format(day=markup.day(as_of)),
        icon=":material/event:",
    )
m = compare.matrix(ds, as_of)
st.html(compare.matrix_html(ds, m, chosen))
if chosen:
    st.altair_chart(compare.chart(ds, m, chosen), width="stretch")
else:
    st.warning(_("No signal is chosen: every country counts zero."))
keep_url(ss)
