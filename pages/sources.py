"""Sources: each stored document for reading, every quoted excerpt highlighted; reference list."""

import streamlit as st

from central_asia_atlas import reader
from central_asia_atlas.cache import dataset

ds = dataset()
st.title("Sources")
st.caption(
    "Every claim on the map quotes one of these documents. Highlighted text is quoted by a "
    "fact (its id and countries in the margin); grey dotted text is quoted by none."
)
docs = reader.documents(ds)
fact_id = st.query_params.get("fact")
ref = ds.fact_ref(fact_id) if fact_id else None
target_doc = reader.document_of(ds, ref.fact.source) if ref else None
if fact_id and ref is None:
    st.warning("The linked fact is not in the data (it may have been renamed or removed).")
elif ref is not None and target_doc is None:
    src = ds.sources.get(ref.fact.source)
    st.info(f"Fact {ref.fact.id}: {ref.fact.summary}", icon=":material/info:")
    st.caption(f"Reference source, no stored text: {src.title if src else ref.fact.source}")
if target_doc is not None:
    st.session_state["source_doc"] = target_doc

if docs:
    titles = {d.id: f"{d.published} · {d.outlet} · {d.title}" for d in docs}
    doc_id = st.selectbox(
        "Document",
        list(titles),
        format_func=titles.__getitem__,
        key="source_doc",
        on_change=lambda: st.query_params.pop("fact", None),
    )
    doc = ds.sources[doc_id]
    st.markdown(f"**{doc.outlet}** · {doc.author or 'no author'} · {doc.published} · {doc.kind}")
    if doc.url:
        st.link_button("Original", doc.url, icon=":material/open_in_new:")
    if doc.note:
        st.caption(doc.note)
    spans = reader.spans(ds, doc_id)
    target = ref.fact.id if ref is not None and target_doc == doc_id else None
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
