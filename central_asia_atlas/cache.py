"""The only Streamlit import of the package: cached wrappers around the pure loaders."""

from __future__ import annotations

from typing import Any

import streamlit as st

from . import indicators, mapview, store
from .indicators import IndicatorResult


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
