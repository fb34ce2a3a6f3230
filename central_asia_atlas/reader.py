"""Source documents for reading: blocks, highlighted excerpts, folded page furniture, coverage.

A stored document is split into blocks (its non-blank lines), each classified as body text,
heading, caption, meta line or page furniture (subscription prompts, link lists, repeats).
Every excerpt that a fact quotes is wrapped in `<mark>` around escaped text; the first piece
of each excerpt carries `id="fact-<fact id>"` so that a link can scroll to it. Overlapping
excerpts are cut into pieces at every boundary, so marks never overlap. Sentences of the body
that no fact quotes are flagged, and `coverage()` counts them.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import quote

from . import i18n, words
from .i18n import _, ngettext
from .model import Source

if TYPE_CHECKING:
    from .dataset import Dataset


class BlockKind(StrEnum):
    body = "body"
    heading = "heading"
    caption = "caption"
    meta = "meta"
    teaser = "teaser"  # after the article: a teaser of another article that a fact cites
    furniture = "furniture"


# Page furniture: lines a reader of the article does not need (matched on the stripped line).
FURNITURE = tuple(
    re.compile(p)
    for p in (
        r"^Listen to article$",
        r"^Read and decide$",
        r"^Join EUobserver( today)?$",
        r"^Become an expert on Europe$",
        r"^Get instant access to all articles",
        r"^\.\.\. ?or subscribe as a group$",
        r"^Support quality EU news$",
        r"^Join us$",
        r"^Latest News$",
        r"^Stakeholders' Highlights$",
        r"^\d{1,2}\.\s",  # numbered link lists
    )
)
# The article ends at (and includes) the first line matching one of these; what follows is
# the rest of the web page.
END_OF_ARTICLE = tuple(
    re.compile(p)
    for p in (
        r"^The views expressed in this opinion piece",
        r"^Original url:",
    )
)
CAPTION = tuple(
    re.compile(p)
    for p in (
        r"^•",
        r"\(Photo: [^)]*\)$",
        r"\*\*[^*]+\*\*$",  # a photo credit in bold at the end of the line
    )
)
_LINK = re.compile(r"(\[)[^\]\n]*(\]\([^)\n]*\))")
_AUTOLINK = re.compile(r"^(<)https?://[^>\s]+(>)$")
_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_BOLD = re.compile(r"\*\*")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’')]*\s+(?=[\"“‘(]?[A-Z0-9])")
_MAX_HEADING_WORDS = 12


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Span:
    """The excerpt of one fact in a document."""

    fact: str
    start: int
    end: int
    countries: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True)
class Coverage:
    sentences: int
    cited_sentences: int
    chars: int
    cited_chars: int

    @property
    def share(self) -> float:
        """Share of the body's sentences that at least one fact quotes (0..1)."""
        return self.cited_sentences / self.sentences if self.sentences else 0.0


@dataclass(frozen=True)
class Rendered:
    """HTML of a document: the article and what follows it, and the folded page furniture."""

    main: str
    furniture: str
    furniture_blocks: int
    coverage: Coverage
    anchors: tuple[str, ...]  # fact ids that have an anchor in the HTML


# --- blocks ------------------------------------------------------------------------------


def _classify(line: str, words_limit: int = _MAX_HEADING_WORDS) -> BlockKind:
    s = line.strip()
    if any(p.search(s) for p in FURNITURE):
        return BlockKind.furniture
    if _HEADING_MARK.match(s):
        return BlockKind.heading
    if any(p.search(s) for p in CAPTION):
        return BlockKind.caption
    if _AUTOLINK.match(s) or s.startswith("By ["):
        return BlockKind.meta
    if len(s.split()) <= words_limit and not s.endswith((".", ",", ";", '."', ".”")):
        return BlockKind.heading
    return BlockKind.body


def blocks(text: str, spans: Sequence[Span] = ()) -> list[Block]:
    """The document's non-blank lines, classified. Lines that carry an excerpt are never
    furniture; after the end of the article, only cited lines (and their headline) are kept
    visible, as teasers."""
    out: list[Block] = []
    seen: set[str] = set()
    ended = False
    for m in re.finditer(r"[^\n]*\S[^\n]*", text):
        line = m.group(0)
        start = m.start() + (len(line) - len(line.lstrip()))
        end = m.end() - (len(line) - len(line.rstrip()))
        stripped = text[start:end]
        cited = any(s.start < end and s.end > start for s in spans)
        kind = _classify(stripped)
        if ended:
            kind = BlockKind.teaser if cited else BlockKind.furniture
            if cited and out and out[-1].kind is BlockKind.furniture:
                prev = out[-1]
                if _classify(prev.text) is BlockKind.heading:
                    out[-1] = Block(prev.start, prev.end, BlockKind.teaser, prev.text)
        elif kind is not BlockKind.furniture and stripped in seen and len(stripped) > 20:
            kind = BlockKind.furniture  # the same text printed twice on the page
        elif any(p.search(stripped) for p in END_OF_ARTICLE):
            kind = BlockKind.meta
            ended = True
        if kind is BlockKind.furniture and cited and not ended:
            kind = BlockKind.body
        seen.add(stripped)
        out.append(Block(start, end, kind, stripped))
    return out


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence offsets within text[start:end] (a simple splitter: ., ! or ? then a capital)."""
    out = []
    cur = start
    for m in _SENTENCE_END.finditer(text, start, end):
        out.append((cur, m.start() + len(m.group(0).rstrip())))
        cur = m.end()
    if cur < end:
        out.append((cur, end))
    return out


def _hidden(block: Block) -> list[tuple[int, int]]:
    """Offsets of markup characters to hide in display (markdown heading marks, bold, links)."""
    t, o = block.text, block.start
    out = []
    if m := _HEADING_MARK.match(t):
        out.append((o, o + m.end()))
    for m in _BOLD.finditer(t):
        out.append((o + m.start(), o + m.end()))
    for m in _LINK.finditer(t):
        out.append((o + m.start(1), o + m.end(1)))
        out.append((o + m.start(2), o + m.end(2)))
    if m := _AUTOLINK.match(t):
        out.append((o + m.start(1), o + m.end(1)))
        out.append((o + m.start(2), o + m.end(2)))
    return out


# --- spans -------------------------------------------------------------------------------


def documents(ds: Dataset) -> list[Source]:
    """The stored documents to read: sources with a file that are not part of another one."""
    docs = [s for s in ds.sources.values() if s.file and s.part_of is None and s.id in ds.texts]
    return sorted(docs, key=lambda s: (s.published is None, s.published, s.id))


def document_of(ds: Dataset, source_id: str) -> str | None:
    """The document (source id) whose text holds the excerpts of `source_id`."""
    src = ds.sources.get(source_id)
    if src is None:
        return None
    if src.part_of and src.part_of in ds.sources:
        return src.part_of
    if src.file:
        for doc in documents(ds):
            if doc.file == src.file:
                return doc.id
    return None


def spans(ds: Dataset, doc_id: str) -> list[Span]:
    """Every fact's excerpt in document `doc_id` (its own facts and those of its teasers)."""
    text = ds.texts.get(doc_id)
    if text is None:
        return []
    out = []
    for ref in ds.fact_refs():
        f = ref.fact
        if f.start is None or f.end is None or f.excerpt is None:
            continue
        if document_of(ds, f.source) != doc_id or text[f.start : f.end] != f.excerpt:
            continue
        out.append(Span(f.id, f.start, f.end, tuple(sorted(ref.concerns)), f.summary))
    return sorted(out, key=lambda s: (s.start, s.end, s.fact))


def uncited_sentences(text: str, spans_: Sequence[Span]) -> list[str]:
    """The body sentences that no fact quotes, in order."""
    out = []
    for b in blocks(text, spans_):
        if b.kind is BlockKind.body:
            for a, z in sentences(text, b.start, b.end):
                if not any(s.start < z and s.end > a for s in spans_):
                    out.append(text[a:z])
    return out


def coverage(text: str, spans_: Sequence[Span]) -> Coverage:
    """How much of the article's body text the facts quote, by sentence and by character."""
    n = cited = chars = cited_chars = 0
    for b in blocks(text, spans_):
        if b.kind is not BlockKind.body:
            continue
        for a, z in sentences(text, b.start, b.end):
            n += 1
            cited += any(s.start < z and s.end > a for s in spans_)
        chars += b.end - b.start
        covered = [
            (max(s.start, b.start), min(s.end, b.end))
            for s in spans_
            if s.start < b.end and s.end > b.start
        ]
        cited_chars += _union_length(covered)
    return Coverage(n, cited, chars, cited_chars)


def _union_length(intervals: Iterable[tuple[int, int]]) -> int:
    total, cur_a, cur_z = 0, None, None
    for a, z in sorted(intervals):
        if cur_z is None or a > cur_z:
            if cur_z is not None and cur_a is not None:
                total += cur_z - cur_a
            cur_a, cur_z = a, z
        else:
            cur_z = max(cur_z, z)
    if cur_z is not None and cur_a is not None:
        total += cur_z - cur_a
    return total


# --- HTML --------------------------------------------------------------------------------

# Greys as the theme's own text colour made lighter (opacity), never a fixed grey: the page is
# light or dark as the reader chose, and a fixed #444 read 1.9:1 on the dark theme. At .75 and
# over, text keeps 6:1 on white and 9:1 on the dark background (WCAG AA: 4.5:1). Marks set both
# their colours.
STYLE = """<style>
.src-doc{font-size:1rem;line-height:1.6}
.src-row{display:flex;gap:1.25rem;align-items:flex-start;margin:0 0 .6rem 0}
.src-text{flex:1 1 auto;max-width:46rem;margin:0}
.src-aside{flex:0 0 15rem;font-size:.85rem;opacity:.9}
.src-aside a{color:inherit;text-decoration:underline}
.src-heading{font-weight:700}
.src-caption,.src-meta{font-style:italic;opacity:.85}
.src-teaser{border-left:3px solid #999;padding-left:.5rem}
.src-doc mark{background:#fde68a;color:#000;padding:0 .05em}
.src-doc mark.src-target{background:#f59e0b;outline:3px solid #0072B2;scroll-margin-top:6rem}
.src-uncited{opacity:.75;text-decoration:underline dotted}
.src-furniture{opacity:.85;font-size:.9rem}
</style>"""


def _fact_link(fact_id: str) -> str:
    return f'<a href="#fact-{html.escape(fact_id)}">{html.escape(fact_id)}</a>'


def _render_block(
    text: str,
    block: Block,
    spans_: Sequence[Span],
    target: str | None,
    anchored: set[str],
) -> tuple[str, list[Span]]:
    """HTML of one block's text, and the spans whose anchor it carries."""
    a0, z0 = block.start, block.end
    inside = [s for s in spans_ if s.start < z0 and s.end > a0]
    hidden = _hidden(block)
    sents = sentences(text, a0, z0) if block.kind is BlockKind.body else []
    cuts = {a0, z0}
    for s in inside:
        cuts.update(p for p in (s.start, s.end) if a0 < p < z0)
    for a, z in hidden + sents:
        cuts.update((a, z))
    points = sorted(p for p in cuts if a0 <= p <= z0)
    uncited = [(a, z) for a, z in sents if not any(s.start < z and s.end > a for s in spans_)]
    runs: list[tuple[tuple[str, ...], list[str], list[Span]]] = []
    anchors_here: list[Span] = []
    for a, z in itertools.pairwise(points):
        if a >= z:
            continue
        covering = [s for s in inside if s.start <= a and s.end >= z]
        is_hidden = any(h_a <= a and z <= h_z for h_a, h_z in hidden)
        piece = "" if is_hidden else html.escape(text[a:z])
        new = [s for s in covering if s.fact not in anchored]
        for s in new:
            anchored.add(s.fact)
            anchors_here.append(s)
        if covering:
            key: tuple[str, ...] = ("mark", *(s.fact for s in covering))
        elif any(u_a <= a and z <= u_z for u_a, u_z in uncited):
            key = ("uncited",)
        else:
            key = ("plain",)
        if runs and runs[-1][0] == key and not new:
            runs[-1][1].append(piece)
        elif piece or new:
            runs.append((key, [piece], new))
    parts: list[str] = []
    for key, pieces, new in runs:
        body = "".join(pieces)
        if key[0] == "mark":
            ids = key[1:]
            for s in new[1:]:
                parts.append(f'<mark id="fact-{html.escape(s.fact)}" class="src-anchor"></mark>')
            cls = "src-hl src-target" if target in ids else "src-hl"
            id_attr = f' id="fact-{html.escape(new[0].fact)}"' if new else ""
            title = html.escape(_("Quoted by: {ids}").format(ids=", ".join(ids)))
            parts.append(
                f'<mark{id_attr} class="{cls}" data-facts="{html.escape(" ".join(ids))}"'
                f' title="{title}">{body}</mark>'
            )
        elif key[0] == "uncited":
            uncited_title = html.escape(_("No fact quotes this"), quote=True)
            parts.append(f'<span class="src-uncited" title="{uncited_title}">{body}</span>')
        else:
            parts.append(body)
    return "".join(parts), anchors_here


def _aside(anchors_here: Sequence[Span]) -> str:
    if not anchors_here:
        return ""
    items = []
    for s in anchors_here:
        where = ", ".join(s.countries) or _("region")
        items.append(
            f"<li>{_fact_link(s.fact)} <span>({html.escape(where)})</span>"
            f"<br><span>{html.escape(s.summary)}</span></li>"
        )
    return '<ul style="margin:0;padding-left:1rem">' + "".join(items) + "</ul>"


def render(
    text: str, spans_: Sequence[Span], target: str | None = None, lang: str | None = None
) -> Rendered:
    """The document as HTML: the readable text with marks and margin notes, and the furniture.

    `lang` is the document's own language (its `lang` attribute: a screen reader reads it in
    that language, whatever the interface's); the margin notes are in the reader's."""
    anchored: set[str] = set()
    main: list[str] = []
    furniture: list[str] = []
    teaser_heading_done = False
    for b in blocks(text, spans_):
        inner, anchors_here = _render_block(text, b, spans_, target, anchored)
        if b.kind is BlockKind.furniture:
            furniture.append(f'<p class="src-furniture">{inner}</p>')
            continue
        if b.kind is BlockKind.teaser and not teaser_heading_done:
            also = _("Also on the page: teasers of other articles, cited as their own sources")
            main.append(f'<p class="src-meta">{html.escape(also)}</p>')
            teaser_heading_done = True
        tag = "p"
        aside = _aside(anchors_here)
        # a note beside its paragraph, not a landmark: one <aside> per paragraph made dozens of
        # complementary landmarks, several named alike (axe: landmark-unique)
        n = len(anchors_here)
        label = ngettext("{n} fact quotes this paragraph", "{n} facts quote this paragraph", n)
        note = f' role="note" aria-label="{html.escape(label.format(n=n))}"' if aside else ""
        main.append(
            f'<div class="src-row"><{tag} class="src-text src-{b.kind.value}"{own_lang(lang)}>'
            f"{inner}"
            f'</{tag}><div class="src-aside"{note}>{aside}</div></div>'
        )
    return Rendered(
        main=STYLE + '<div class="src-doc">' + "".join(main) + "</div>",
        furniture=f'{STYLE}<div class="src-doc"{own_lang(lang)}>{"".join(furniture)}</div>',
        furniture_blocks=len(furniture),
        coverage=coverage(text, spans_),
        anchors=tuple(sorted(anchored)),
    )


def own_lang(lang: str | None) -> str:
    """A `lang` attribute for text in its own language (empty without one)."""
    return f' lang="{html.escape(lang, quote=True)}"' if lang else ""


def note_html(src: Source) -> str:
    """A source's note (the curators', written in the language of the document it describes),
    as a caption marked with that language."""
    return (
        f'<p class="src-caption"{own_lang(src.language)} style="font-size:.875rem;opacity:.8">'
        f"{html.escape(src.note or '')}</p>"
    )


def sentences_html(sentences_: Sequence[str], src: Source) -> str:
    """Sentences of a document, one per line, escaped and marked with its language."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences_)
    return f'<ul class="src-sentences"{own_lang(src.language)}>{items}</ul>'


READER_PAGE = "sources"  # the sources reader page, relative to the app's root


def reader_link(fact_id: str) -> str:
    """Relative link to the highlighted passage in the sources reader, in the reader's
    language (the link opens a new session, which takes its language from the link)."""
    link = f"{READER_PAGE}?fact={quote(fact_id, safe='')}"
    lang = i18n.current()
    return link if lang == i18n.SOURCE else f"{link}&lang={quote(lang, safe='')}"


def scroll_script(fact_id: str) -> str:
    """A script that scrolls the page to the anchor of `fact_id` once it is in the DOM."""
    target = json.dumps(f"fact-{fact_id}")
    return (
        "<script>(function(){var n=0;function go(){"
        "var d=(window.parent&&window.parent.document)||document;"
        f"var el=d.getElementById({target});"
        "if(el){el.scrollIntoView({block:'center'});el.setAttribute('tabindex','-1');"
        "el.focus({preventScroll:true});return;}"
        "if(100>++n){setTimeout(go,100);}}go();})();</script>"
    )


def source_rows(sources: Mapping[str, Source]) -> list[dict[str, str]]:
    """Reference sources (no stored text): title, outlet, kind, dates, URL, licence,
    attribution."""
    rows = []
    for s in sorted(sources.values(), key=lambda s: s.id):
        if s.file:
            continue
        rows.append(
            {
                "id": s.id,
                "title": s.title,
                "outlet": s.outlet,
                "kind": s.kind.value,
                "published": s.published.isoformat() if s.published else "",
                "accessed": s.accessed.isoformat() if s.accessed else "",
                "url": s.url or "",
                "licence": s.licence or "",
                "attribution": s.attribution or "",
            }
        )
    return rows


@dataclass(frozen=True)
class Link:
    """Where a `sources?fact=<id>` link leads: the fact, its document, or why neither."""

    fact: str | None = None
    document: str | None = None
    problem: str | None = None  # shown to the reader when the link cannot be followed
    note: str | None = None  # for a fact from a reference source (no stored text)


def follow(ds: Dataset, fact_id: str | None) -> Link:
    """Resolve the `fact` query parameter of the Sources page."""
    if not fact_id:
        return Link()
    ref = ds.fact_ref(fact_id)
    if ref is None:
        return Link(problem=_("The linked fact is not in the data (it may have been renamed)."))
    doc = document_of(ds, ref.fact.source)
    if doc is None:
        src = ds.sources.get(ref.fact.source)
        title = src.title if src else ref.fact.source
        note = _("Fact {id}: {summary} Source (no stored text): {title}.").format(
            id=ref.fact.id, summary=ref.fact.summary, title=title
        )
        return Link(fact=ref.fact.id, note=note)
    return Link(fact=ref.fact.id, document=doc)


def byline(src: Source) -> str:
    """One line naming a source: outlet, author, date, kind, the day it was read (plain text)."""
    published = src.published.isoformat() if src.published else _("undated")
    parts = [src.outlet, src.author or _("no author named"), published]
    read = [_("read {day}").format(day=src.accessed.isoformat())] if src.accessed else []
    return " · ".join([*parts, words.source_kind(src.kind), *read])
