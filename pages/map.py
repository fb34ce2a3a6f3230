"""Map page (placeholder until the map lands): the dataset's counts."""

import streamlit as st

from central_asia_atlas.cache import dataset

ds = dataset()
st.title("Central Asia between Russia, the EU and China")
st.write(ds.counts())
