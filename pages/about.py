"""about page (being written)."""

import streamlit as st

st.title("About")
st.write("This page is being written.")
