"""The only Streamlit import of the package: cached wrappers around the pure loaders."""

from __future__ import annotations

import streamlit as st

from . import store


@st.cache_resource(show_spinner=False)
def dataset() -> store.Dataset:
    """The validated dataset, loaded once per server process and shared read-only.

    Every object in it is frozen, so no session can change what another one sees.
    """
    return store.load()
