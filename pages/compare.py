"""Compare: the five by the signals of distance from Moscow that the sources cite."""

import streamlit as st

from central_asia_atlas import compare, timeline
from central_asia_atlas.cache import dataset, run_through_entrypoint
from central_asia_atlas.indicators import SIGNAL_LABELS
from central_asia_atlas.model import Signal

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
ss = st.session_state
st.title("Compare")
st.caption(
    "Which kinds of signal of distance from Moscow the sources cite for each country. "
    "Choose which kinds count: the map's signal-count colouring follows your choice."
)
current = compare.parse_signals(ss.get("signals"))
ss["cmp_signals"] = list(Signal) if current is None else current


def keep_choice() -> None:
    ss["signals"] = [Signal(v) for v in ss["cmp_signals"]]


chosen = st.multiselect(
    "Signals that count",
    list(Signal),
    key="cmp_signals",
    format_func=lambda s: SIGNAL_LABELS[Signal(s)],
    on_change=keep_choice,
)
as_of = timeline.parse_as_of(ss.get("as_of"))
if as_of is not None:
    st.info(
        f"As of {as_of:%d %B %Y}, the day chosen on the Timeline page.", icon=":material/event:"
    )
m = compare.matrix(ds, as_of)
st.html(compare.matrix_html(ds, m, chosen))
if chosen:
    st.altair_chart(compare.chart(ds, m, chosen), width="stretch")
else:
    st.warning("No signal is chosen: every country counts zero.")
