"""Sources: each stored document for reading, every quoted excerpt highlighted; reference list."""

import streamlit as st

from central_asia_atlas import panel, reader, words
from central_asia_atlas.cache import dataset, keep_url, session_view
from central_asia_atlas.i18n import _, ngettext
from central_asia_atlas.markup import md, percent
from central_asia_atlas.runtime import run_through_entrypoint

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
session_view()  # the link's view (its language too) into the session, on any page
st.title(_("Sources"))
st.caption(
    _(
        "Every claim on the map quotes one of these documents. Highlighted text is quoted by a "
        "fact (its id and countries in the margin); grey dotted text is quoted by none."
    )
)
link = reader.follow(ds, st.query_params.get("fact"))
if link.problem:
    st.warning(md(link.problem))
if link.fact and not link.document:  # a fact with no stored text: the fact and its source
    st.subheader(_("The linked fact"))
    st.html(panel.fact_card_html(ds, link.fact))
elif link.note:
    st.info(md(link.note), icon=":material/info:")
if link.document:
    st.session_state["source_doc"] = link.document  # the linked passage's document

docs = {
    d.id: f"{d.published or _('undated')} · {d.outlet} · {d.title}" for d in reader.documents(ds)
}
if docs:
    doc_id = st.selectbox(
        _("Document"),
        list(docs),
        format_func=docs.__getitem__,
        key="source_doc",
        on_change=lambda: st.query_params.pop("fact", None),
    )
    doc = ds.sources[doc_id]
    st.text(reader.byline(doc))
    if doc.url:
        st.link_button(_("Original"), doc.url, icon=":material/open_in_new:")
    if doc.note:  # the curators' note on the document, in the document's language
        st.html(reader.note_html(doc))
    spans = reader.spans(ds, doc_id)
    target = link.fact if link.document == doc_id else None
    out = reader.render(ds.texts[doc_id], spans, target, lang=doc.language)
    cov = out.coverage
    c1, c2 = st.columns(2)
    c1.metric(_("Facts quoting this document"), len(out.anchors))
    c2.metric(
        _("Body sentences quoted"),
        _("{n} of {total}").format(n=cov.cited_sentences, total=cov.sentences),
    )
    st.progress(
        cov.share,
        text=_("Coverage: {share} of the body's sentences").format(share=percent(cov.share)),
    )
    st.html(out.main)
    n = out.furniture_blocks
    folded = ngettext(
        "Page furniture folded away ({n} lines)", "Page furniture folded away ({n} lines)", n
    )
    with st.expander(folded.format(n=n)):
        st.html(out.furniture)
    with st.expander(_("Sentences no fact quotes")):
        st.html(reader.sentences_html(reader.uncited_sentences(ds.texts[doc_id], spans), doc))
    if target is not None:
        st.html(reader.scroll_script(target), unsafe_allow_javascript=True)

st.header(_("Reference sources"))
rows = reader.source_rows(ds.sources)
st.dataframe(
    rows,
    hide_index=True,
    column_config={
        **words.headers(rows[0] if rows else ()),
        "url": st.column_config.LinkColumn(_("URL")),
    },
)
keep_url(st.session_state)
