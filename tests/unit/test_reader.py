"""Reader: excerpts highlighted at the right offsets, text escaped, furniture folded, coverage."""

from __future__ import annotations

import html
from collections import defaultdict
from html.parser import HTMLParser

import pytest

from central_asia_atlas import dataset, reader
from central_asia_atlas.reader import BlockKind, Span
from tests.support import datasets
from tests.support.shipped import shipped


class Marks(HTMLParser):
    """Collects, per fact id, the text inside marks naming it; the ids; the nesting depth."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: dict[str, str] = defaultdict(str)
        self.ids: list[str] = []
        self.stack: list[list[str]] = []
        self.max_depth = 0
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "mark":
            self.stack.append((a.get("data-facts") or "").split())
            self.max_depth = max(self.max_depth, len(self.stack))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for facts in self.stack:
            for f in facts:
                self.text[f] += data


def parse(markup: str) -> Marks:
    p = Marks()
    p.feed(markup)
    return p


def test_every_excerpt_is_highlighted_exactly_at_its_offsets(ds: dataset.Dataset) -> None:
    spans = reader.spans(ds, "doc")
    assert {s.fact for s in spans} == {
        "kaz-rebuke",
        "kaz-refused",
        "uzb-aid",
        "region-summit",
        "kgz-teaser",
    }
    out = reader.render(ds.texts["doc"], spans)
    marks = parse(out.main)
    for s in spans:
        assert marks.text[s.fact] == ds.texts["doc"][s.start : s.end]
        assert marks.ids.count(f"fact-{s.fact}") == 1
    assert set(out.anchors) == {s.fact for s in spans}


def test_overlapping_excerpts_are_cut_into_pieces_never_nested(ds: dataset.Dataset) -> None:
    spans = reader.spans(ds, "doc")
    rebuke = next(s for s in spans if s.fact == "kaz-rebuke")
    refused = next(s for s in spans if s.fact == "kaz-refused")
    assert rebuke.start < refused.start < rebuke.end < refused.end  # they do overlap
    marks = parse(reader.render(ds.texts["doc"], spans).main)
    assert marks.max_depth == 1
    assert marks.text["kaz-rebuke"] == datasets.REBUKE
    assert marks.text["kaz-refused"] == datasets.REFUSED


def test_two_excerpts_starting_at_the_same_character_both_get_an_anchor() -> None:
    text = "Alpha beta gamma delta. Second sentence here."
    spans = [Span("one", 0, 10), Span("two", 0, 16)]
    marks = parse(reader.render(text, spans).main)
    assert "fact-one" in marks.ids and "fact-two" in marks.ids
    assert marks.text["one"] == "Alpha beta"
    assert marks.text["two"] == "Alpha beta gamma"


def test_html_in_the_source_text_and_summaries_is_escaped(ds: dataset.Dataset) -> None:
    out = reader.render(ds.texts["doc"], reader.spans(ds, "doc"))
    assert "<script>" not in out.main and "<b>" not in out.main
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out.main
    assert "&lt;publicly&gt;" in out.main  # a fact summary in the margin
    assert "script" not in parse(out.main).tags


def test_the_target_fact_alone_is_marked_as_target(ds: dataset.Dataset) -> None:
    out = reader.render(ds.texts["doc"], reader.spans(ds, "doc"), target="uzb-aid")
    assert out.main.count("src-target") == 1 + reader.STYLE.count("src-target")
    assert 'id="fact-uzb-aid" class="src-hl src-target"' in out.main


def test_page_furniture_is_folded_unless_a_fact_quotes_it(ds: dataset.Dataset) -> None:
    text = ds.texts["doc"]
    out = reader.render(text, reader.spans(ds, "doc"))
    assert "Join EUobserver today" in out.furniture and "Join EUobserver today" not in out.main
    assert "Something else entirely" in out.furniture
    assert out.furniture_blocks == 3
    start = text.index("Join EUobserver today")
    quoted = [Span("furniture-fact", start, start + len("Join EUobserver today"))]
    out = reader.render(text, quoted)
    assert "Join EUobserver today" in out.main and "Join EUobserver today" not in out.furniture


def test_teasers_after_the_article_stay_visible_with_their_headline(ds: dataset.Dataset) -> None:
    kinds = {b.text: b.kind for b in reader.blocks(ds.texts["doc"], reader.spans(ds, "doc"))}
    assert kinds["Teaser headline about Kyrgyzstan"] is BlockKind.teaser
    assert kinds[datasets.TEASER] is BlockKind.teaser
    assert kinds["Latest News"] is BlockKind.furniture
    # with no fact quoting it, the teaser is furniture too
    kinds = {b.text: b.kind for b in reader.blocks(ds.texts["doc"])}
    assert kinds[datasets.TEASER] is BlockKind.furniture


def test_markdown_markup_is_hidden_but_offsets_still_count_it() -> None:
    text = "## **Heading here**\n\nBy [Someone](#)\n\nBody sentence one. Body two."
    start = text.index("Heading")
    out = reader.render(text, [Span("h", start, start + len("Heading here**"))])
    marks = parse(out.main)
    assert marks.text["h"] == "Heading here"  # the ** is hidden
    assert "##" not in out.main and "](#)" not in out.main and "By Someone" in out.main


def test_coverage_counts_body_sentences_that_a_fact_quotes(ds: dataset.Dataset) -> None:
    spans = reader.spans(ds, "doc")
    cov = reader.coverage(ds.texts["doc"], spans)
    assert (cov.sentences, cov.cited_sentences) == (5, 4)
    assert cov.share == pytest.approx(0.8)
    assert reader.uncited_sentences(ds.texts["doc"], spans) == ["Nobody quotes this sentence."]
    main = reader.render(ds.texts["doc"], spans).main
    assert 'class="src-uncited"' in main
    # the facts beside a paragraph: a note, not one complementary landmark per paragraph
    assert "<aside" not in main and 'role="note" aria-label="1 fact quotes this paragraph"' in main
    assert reader.coverage(ds.texts["doc"], []).cited_sentences == 0


def test_crlf_line_ends_keep_offsets() -> None:
    text = "First line is a heading\r\n\r\nThe body says one thing. And another.\r\n"
    start = text.index("The body")
    span = Span("x", start, start + len("The body says one thing."))
    blocks = reader.blocks(text, [span])
    assert [b.kind for b in blocks] == [BlockKind.heading, BlockKind.body]
    assert all(text[b.start : b.end] == b.text and "\r" not in b.text for b in blocks)
    assert parse(reader.render(text, [span]).main).text["x"] == "The body says one thing."


def test_documents_exclude_teasers_and_teasers_resolve_to_their_page(ds: dataset.Dataset) -> None:
    assert [d.id for d in reader.documents(ds)] == ["doc"]
    assert reader.document_of(ds, "doc-teaser") == "doc"
    assert reader.document_of(ds, "doc") == "doc"
    assert reader.document_of(ds, "ref") is None
    assert reader.document_of(ds, "no-such-source") is None


def test_reference_rows_list_url_licence_and_attribution(ds: dataset.Dataset) -> None:
    rows = reader.source_rows(ds.sources)
    assert [r["id"] for r in rows] == ["ref"]
    assert rows[0]["url"] == "https://example.org/ref"
    assert rows[0]["licence"] == "CC BY 4.0"
    assert rows[0]["attribution"] == "Reference Outlet (CC BY)"


def test_scroll_script_names_the_anchor_as_a_js_string() -> None:
    script = reader.scroll_script("kaz-rebuke")
    assert '"fact-kaz-rebuke"' in script and "scrollIntoView" in script


def test_shipped_documents_fold_furniture_and_anchor_every_fact() -> None:
    ds = shipped()
    docs = reader.documents(ds)
    assert len(docs) >= 2
    euo = next(d for d in docs if "Join EUobserver today" in ds.texts[d.id])
    out = reader.render(ds.texts[euo.id], reader.spans(ds, euo.id))
    for line in ("Join EUobserver today", "Latest News", "Stakeholders' Highlights"):
        assert html.escape(line) in out.furniture
        assert html.escape(line) not in out.main
    assert "Could the central Asian" in out.main
    for doc in docs:
        spans = reader.spans(ds, doc.id)
        marks = parse(reader.render(ds.texts[doc.id], spans).main)
        for s in spans:
            assert f"fact-{s.fact}" in marks.ids
            quoted = ds.texts[doc.id][s.start : s.end]
            if not set(quoted) & set("*#[]<>"):  # no markdown markup hidden from display
                # an excerpt across a paragraph break is marked in both paragraphs
                assert "".join(marks.text[s.fact].split()) == "".join(quoted.split())
    quoted = [
        r.fact.id
        for r in ds.fact_refs()
        if r.fact.excerpt is not None and reader.document_of(ds, r.fact.source) is not None
    ]
    anchored = {s.fact for d in docs for s in reader.spans(ds, d.id)}
    assert set(quoted) == anchored


def test_scroll_script_survives_the_html_sanitiser() -> None:
    """DOMPurify (st.html) drops an element whose text has '<' before a letter, digit, '/' or
    '!' (except the closing tag), so the script must contain none."""
    import re

    body = reader.scroll_script("kaz-rebuke")
    inner = body.removeprefix("<script>").removesuffix("</script>")
    assert not re.search(r"<[\w/!]", inner)


def test_follow_a_link(ds: dataset.Dataset) -> None:
    assert reader.follow(ds, None) == reader.Link()
    assert reader.follow(ds, "uzb-aid") == reader.Link(fact="uzb-aid", document="doc")
    assert reader.follow(ds, "kgz-teaser").document == "doc"
    ref = reader.follow(ds, "kaz-epca")
    assert ref.document is None and ref.note is not None
    assert "The EU-Kazakhstan agreement entered into force" in ref.note
    assert "A reference {with} braces" in ref.note
    missing = reader.follow(ds, "nope")
    assert missing.fact is None and missing.problem is not None


def test_byline(ds: dataset.Dataset) -> None:
    assert reader.byline(ds.sources["doc"]) == "Test Outlet · A. Writer · 2023-06-09 · opinion"
    assert reader.byline(ds.sources["ref"]) == (
        "Reference Outlet · no author named · undated · think tank · read 2026-11-30"
    )
