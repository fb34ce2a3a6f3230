"""About: what each indicator means, caveats, licences, how to curate; the map in words."""

from pathlib import Path

import streamlit as st

from central_asia_atlas import summary
from central_asia_atlas.cache import dataset, run_through_entrypoint
from central_asia_atlas.markup import md

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
st.title("About this atlas")
st.markdown(
    "Where the five Central Asian states stand between Russia, the EU and China since "
    "Russia's invasion of Ukraine in 2022, claim by claim. Every fact quotes its source; "
    "the **Sources** page shows each quotation in place."
)

st.header("The map in words")
st.caption("A plain-text alternative to the map: what it shows for each country.")
for country in ds.countries:
    with st.expander(md(country.props.name)):
        st.html(summary.as_html(summary.country_summary(ds, country.props.iso3)))

st.header("Indicators: what they mean and how they are derived")
st.caption("From the catalogue, data/indicators.yaml: a new indicator is one entry there.")
for label, description, how in summary.indicator_notes(ds):
    st.subheader(md(label))
    st.markdown(md(description))
    st.caption(md(how))

st.header("Caveats")
st.markdown(
    f"- {md(summary.seed_caveat(ds))} An opinion piece argues a case; a news report of one day "
    "speaks of that day. Each fact carries its own date.\n"
    "- Route lines marked *schematic* show that a route exists, not where it runs; see "
    "each route's geometry note.\n"
    "- A country with no cited signal is not shown to be close to Moscow: the sources may "
    "simply be silent. 'No data' means no source in this collection says."
)

st.header("Licences and attributions")
st.dataframe(
    summary.licence_rows(ds),
    hide_index=True,
    column_config={"url": st.column_config.LinkColumn("URL")},
)

st.header("Adding a source")
st.markdown(
    "Copy the document byte-for-byte into `seeds/`, add it to `seeds/sources.yaml`, add facts "
    "with verbatim excerpts to `data/*.geojson`, fill offsets with "
    "`python -m central_asia_atlas anchor`, then check everything with "
    "`python -m central_asia_atlas validate` (it names the file, feature, fact and field of "
    "every problem)."
)
guide = Path(__file__).resolve().parent.parent / "docs" / "curation.md"
if guide.is_file():
    with st.expander("The curation guide (docs/curation.md)"):
        st.markdown(guide.read_text(encoding="utf-8"))
