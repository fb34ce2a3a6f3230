"""The only Streamlit import of the package: cached wrappers around the pure loaders."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from . import indicators, mapview, store
from .indicators import IndicatorResult
from .model import Signal


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
