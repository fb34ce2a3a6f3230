"""Data: tables of facts, routes and events with filters; downloads with full citations."""

from typing import Any

import streamlit as st

from central_asia_atlas import exports, words
from central_asia_atlas.cache import dataset, keep_url, session_view
from central_asia_atlas.dataset import current_data_dir
from central_asia_atlas.i18n import _, ngettext
from central_asia_atlas.model import FIVE, Category
from central_asia_atlas.runtime import run_through_entrypoint

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
session_view()  # the link's view (its language too) into the session, on any page
names = ds.names()
st.title(_("Data"))
st.caption(
    _("Everything on the map, as tables and files. Each fact row carries its full citation.")
)


def table(frame: Any, **config: Any) -> None:
    """A table, its columns named and the data's kinds in words for the reader."""
    shown = exports.readable(frame)
    st.dataframe(shown, hide_index=True, column_config={**words.headers(shown.columns), **config})


countries = st.multiselect(
    _("Countries (filters every table)"),
    FIVE,
    key="data_countries",
    format_func=lambda iso3: names.get(iso3, iso3),
    placeholder=_("Choose options"),
)
st.header(_("Facts"))
c2, c3 = st.columns(2)
category_names = {c.value: words.category(c) for c in Category}
categories = c2.multiselect(
    _("Categories"),
    list(category_names),
    key="data_categories",
    format_func=category_names.__getitem__,
    placeholder=_("Choose options"),
)
text = c3.text_input(_("Contains"), key="data_text")
facts = exports.filter_facts(exports.facts_frame(ds), countries, categories, text)
st.write(ngettext("{n} fact(s)", "{n} fact(s)", len(facts)).format(n=len(facts)))
table(
    exports.with_passage_links(facts),
    passage=st.column_config.LinkColumn(_("Passage"), display_text=_("read")),
    url=st.column_config.LinkColumn(_("URL")),
    date=st.column_config.DateColumn(_("Date")),
)

st.header(_("Indicator values"))
st.caption(
    _(
        "Every value stored for a country: class values and numbers by period, with whose "
        "statistics each number is and the facts behind it (computed counts are on the Compare "
        "page)."
    )
)
table(exports.filter_countries(exports.values_frame(ds), countries, "country"))

st.header(_("Routes"))
table(exports.filter_countries(exports.routes_frame(ds), countries))
st.header(_("Events"))
table(exports.filter_countries(exports.events_frame(ds), countries))

st.header(_("Downloads"))
downloads = (
    (_("Facts (CSV, one row per fact)"), exports.facts_csv(ds), "facts.csv", "text/csv"),
    (_("Indicator values (CSV)"), exports.values_csv(ds), "indicator-values.csv", "text/csv"),
    (
        _("Sources (CSL-JSON)"),
        exports.sources_csl_json(ds),
        "sources.csl.json",
        "application/vnd.citationstyles.csl+json",
    ),
    (_("Sources (BibTeX)"), exports.sources_bibtex(ds), "sources.bib", "application/x-bibtex"),
)
for col, (label, payload, file_name, mime) in zip(st.columns(4), downloads, strict=True):
    col.download_button(label, payload, file_name=file_name, mime=mime, icon=":material/download:")
for name, data in exports.geojson_files(current_data_dir()).items():
    st.download_button(
        _("{file} (GeoJSON, as shipped)").format(file=name),
        data,
        file_name=name,
        mime="application/geo+json",
        icon=":material/download:",
    )
keep_url(st.session_state)
