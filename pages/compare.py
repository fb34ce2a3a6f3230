"""compare page (being written)."""

import streamlit as st

st.title("Compare")
st.write("This page is being written.")
