"""Data: tables of facts, routes and events with filters; downloads with full citations."""

import streamlit as st

from central_asia_atlas import exports
from central_asia_atlas.cache import dataset
from central_asia_atlas.dataset import current_data_dir
from central_asia_atlas.model import FIVE, Category
from central_asia_atlas.runtime import run_through_entrypoint

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
st.title("Data")
st.caption("Everything on the map, as tables and files. Each fact row carries its full citation.")

countries = st.multiselect("Countries (filters every table)", FIVE, key="data_countries")
st.header("Facts")
c2, c3 = st.columns(2)
categories = c2.multiselect("Categories", [c.value for c in Category], key="data_categories")
text = c3.text_input("Contains", key="data_text")
facts = exports.filter_facts(exports.facts_frame(ds), countries, categories, text)
st.write(f"{len(facts)} fact(s)")
st.dataframe(
    exports.with_passage_links(facts),
    hide_index=True,
    column_config={
        "passage": st.column_config.LinkColumn("Passage", display_text="read"),
        "url": st.column_config.LinkColumn("URL"),
        "date": st.column_config.DateColumn("Date"),
    },
)

st.header("Indicator values")
st.caption(
    "Every value stored for a country: class values and numbers by period, with whose "
    "statistics each number is and the facts behind it (computed counts are on the Compare page)."
)
st.dataframe(
    exports.filter_countries(exports.values_frame(ds), countries, "country"), hide_index=True
)

st.header("Routes")
st.dataframe(exports.filter_countries(exports.routes_frame(ds), countries), hide_index=True)
st.header("Events")
st.dataframe(exports.filter_countries(exports.events_frame(ds), countries), hide_index=True)

st.header("Downloads")
downloads = (
    ("Facts (CSV, one row per fact)", exports.facts_csv(ds), "facts.csv", "text/csv"),
    ("Indicator values (CSV)", exports.values_csv(ds), "indicator-values.csv", "text/csv"),
    (
        "Sources (CSL-JSON)",
        exports.sources_csl_json(ds),
        "sources.csl.json",
        "application/vnd.citationstyles.csl+json",
    ),
    ("Sources (BibTeX)", exports.sources_bibtex(ds), "sources.bib", "application/x-bibtex"),
)
for col, (label, payload, file_name, mime) in zip(st.columns(4), downloads, strict=True):
    col.download_button(label, payload, file_name=file_name, mime=mime, icon=":material/download:")
for name, data in exports.geojson_files(current_data_dir()).items():
    st.download_button(
        f"{name} (GeoJSON, as shipped)",
        data,
        file_name=name,
        mime="application/geo+json",
        icon=":material/download:",
    )
