"""timeline page (being written)."""

import streamlit as st

st.title("Timeline")
st.write("This page is being written.")
