"""About: what each indicator means, caveats, licences, how to curate; the map in words."""

from pathlib import Path

import streamlit as st

from central_asia_atlas import summary
from central_asia_atlas.cache import dataset
from central_asia_atlas.markup import md
from central_asia_atlas.runtime import run_through_entrypoint

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
    "- The counts of signals on each side say how much the sources cite, not how much it "
    "weighs: EAEU membership and a UN abstention count one each. A side with no cited signal "
    "may simply be one the sources are silent on. 'No data' means no source in this "
    "collection says.\n"
    "- Trade shares come from different statistics (national offices, China's customs, "
    "Eurostat, the Eurasian Development Bank) that can differ widely, above all for "
    "Kyrgyzstan; each number names whose it is, and a share we computed from two published "
    "values says so in its fact's note. Some years are missing where no source was found."
)

st.header("Licences and attributions")
st.dataframe(
    summary.licence_rows(ds),
    hide_index=True,
    column_config={"url": st.column_config.LinkColumn("URL")},
)

st.header("Adding a source, a fact or an indicator")
st.markdown(
    "With the project's command line, never by hand: `python -m central_asia_atlas add-source`, "
    "`add-fact` (a paraphrase, or for a document kept in `seeds/` its verbatim excerpt, whose "
    "offsets it finds), `add-value`, `add-event`, `add-route`, `import`, and `edit-…` / "
    "`remove-…` to correct. Each command validates the whole dataset and changes nothing if "
    "the change adds a problem. A new indicator, class, bin or signal is an entry in "
    "`data/indicators.yaml`; `python -m central_asia_atlas validate` names the file, entry and "
    "field of any mistake."
)
guide = Path(__file__).resolve().parent.parent / "docs" / "curation.md"
if guide.is_file():
    with st.expander("The curation guide (docs/curation.md)"):
        st.markdown(guide.read_text(encoding="utf-8"))
