"""Sources: each stored document for reading, every quoted excerpt highlighted; reference list."""

import streamlit as st

from central_asia_atlas import panel, reader
from central_asia_atlas.cache import dataset
from central_asia_atlas.markup import md
from central_asia_atlas.runtime import run_through_entrypoint

run_through_entrypoint()  # a deep link on a fresh server: go through the app's frame

ds = dataset()
st.title("Sources")
st.caption(
    "Every claim on the map quotes one of these documents. Highlighted text is quoted by a "
    "fact (its id and countries in the margin); grey dotted text is quoted by none."
)
link = reader.follow(ds, st.query_params.get("fact"))
if link.problem:
    st.warning(md(link.problem))
if link.fact and not link.document:  # a fact with no stored text: the fact and its source
    st.subheader("The linked fact")
    st.html(panel.fact_card_html(ds, link.fact))
elif link.note:
    st.info(md(link.note), icon=":material/info:")
if link.document:
    st.session_state["source_doc"] = link.document  # the linked passage's document

docs = {d.id: f"{d.published} · {d.outlet} · {d.title}" for d in reader.documents(ds)}
if docs:
    doc_id = st.selectbox(
        "Document",
        list(docs),
        format_func=docs.__getitem__,
        key="source_doc",
        on_change=lambda: st.query_params.pop("fact", None),
    )
    doc = ds.sources[doc_id]
    st.text(reader.byline(doc))
    if doc.url:
        st.link_button("Original", doc.url, icon=":material/open_in_new:")
    if doc.note:
        st.caption(md(doc.note))
    spans = reader.spans(ds, doc_id)
    target = link.fact if link.document == doc_id else None
    out = reader.render(ds.texts[doc_id], spans, target)
    cov = out.coverage
    c1, c2 = st.columns(2)
    c1.metric("Facts quoting this document", len(out.anchors))
    c2.metric("Body sentences quoted", f"{cov.cited_sentences} of {cov.sentences}")
    st.progress(cov.share, text=f"Coverage: {cov.share:.0%} of the body's sentences")
    st.html(out.main)
    with st.expander(f"Page furniture folded away ({out.furniture_blocks} lines)"):
        st.html(out.furniture)
    with st.expander("Sentences no fact quotes"):
        for sentence in reader.uncited_sentences(ds.texts[doc_id], spans):
            st.text(sentence)
    if target is not None:
        st.html(reader.scroll_script(target), unsafe_allow_javascript=True)

st.header("Reference sources")
st.dataframe(
    reader.source_rows(ds.sources),
    hide_index=True,
    column_config={"url": st.column_config.LinkColumn("URL")},
)
