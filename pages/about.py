"""About: what each indicator means, caveats, licences, how to curate; the map in words."""

from pathlib import Path

import streamlit as st

from central_asia_atlas import i18n, summary, words
from central_asia_atlas.cache import dataset, keep_url, session_view
from central_asia_atlas.i18n import _
from central_asia_atlas.markup import md
from central_asia_atlas.runtime import run_through_entrypoint

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
session_view()  # the link's view (its language too) into the session, on any page
st.title(_("About this atlas"))
st.markdown(
    _(
        "Where the five Central Asian states stand between Russia, the EU and China since "
        "Russia's invasion of Ukraine in 2022, claim by claim. Every fact quotes its source; "
        "the **Sources** page shows each quotation in place."
    )
)

st.header(_("The map in words"))
st.caption(_("A plain-text alternative to the map: what it shows for each country."))
for country in ds.countries:
    with st.expander(md(country.props.name)):
        st.html(summary.as_html(summary.country_summary(ds, country.props.iso3)))

st.header(_("Indicators: what they mean and how they are derived"))
st.caption(_("From the catalogue, data/indicators.yaml: a new indicator is one entry there."))
for label, description, how in summary.indicator_notes(ds):
    st.subheader(md(label))
    st.markdown(md(description))
    st.caption(md(how))

st.header(_("Caveats"))
caveats = (
    md(summary.seed_caveat(ds))
    + " "
    + _(
        "An opinion piece argues a case; a news report of one day speaks of that day. Each "
        "fact carries its own date."
    ),
    _(
        "Route lines marked *schematic* show that a route exists, not where it runs; see each "
        "route's geometry note."
    ),
    _(
        "The counts of signals on each side say how much the sources cite, not how much it "
        "weighs: EAEU membership and a UN abstention count one each. A side with no cited "
        "signal may simply be one the sources are silent on. 'No data' means no source in this "
        "collection says."
    ),
    _(
        "Trade shares come from different statistics (national offices, China's customs, "
        "Eurostat, the Eurasian Development Bank) that can differ widely, above all for "
        "Kyrgyzstan; each number names whose it is, and a share we computed from two published "
        "values says so in its fact's note. Some years are missing where no source was found."
    ),
)
st.markdown("\n".join(f"- {c}" for c in caveats))

st.header(_("Licences and attributions"))
rows = summary.licence_rows(ds)
st.dataframe(
    rows,
    hide_index=True,
    column_config={
        **words.headers(rows[0] if rows else ()),
        "url": st.column_config.LinkColumn(_("URL")),
    },
)

st.header(_("Adding a source, a fact or an indicator"))
st.markdown(
    _(
        "With the project's command line, never by hand: `python -m central_asia_atlas "
        "add-source`, `add-fact` (a paraphrase, or for a document kept in `seeds/` its verbatim "
        "excerpt, whose offsets it finds), `add-value`, `add-event`, `add-route`, `import`, and "
        "`edit-…` / `remove-…` to correct. Each command validates the whole dataset and changes "
        "nothing if the change adds a problem. A new indicator, class, bin or signal is an entry "
        "in `data/indicators.yaml`; `python -m central_asia_atlas validate` names the file, "
        "entry and field of any mistake."
    )
)
guide = Path(__file__).resolve().parent.parent / "docs" / "curation.md"
if guide.is_file():
    # The curators' guide is written in English only: a reader in another language is told so.
    title = _("The curation guide (docs/curation.md)")
    if i18n.current() != i18n.SOURCE:
        title = _("{title}, in English").format(title=title)
    with st.expander(title):
        st.markdown(guide.read_text(encoding="utf-8"))
keep_url(st.session_state)
