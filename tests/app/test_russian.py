"""Every page in Russian (`?lang=ru`): nothing the page shows is left in English by accident.

Each page runs through the app's frame (as a reader gets it) with `?lang=ru`; every text it
shows is collected: labels, help, placeholders and options of widgets, titles, headers,
captions, markdown, notices, metrics, expander and button labels, table headers, the charts'
titles and the words in their data, and the text and the `title`/`aria-label` of the HTML
(panel, legends, matrix). What is allowed to stay in Latin script is said here, and why:

- text marked with its own language (a quotation, a stored document: `lang="en"`), which the
  page shows as it was written, for screen readers in that language;
- the data's proper names: the sources' outlets, authors, titles, attributions and licences
  (a title is the publisher's, as published), the words the data's Russian translations keep
  in Latin (bne IntelliNews, KNOMAD), and URLs, ids, file names and code;
- the few words of `ALLOWED`, the same in both languages, and the language switch (labelled
  in every language on purpose), and the curators' guide (docs/curation.md, written in
  English only, and titled so).

Every other Latin word fails the test, with where it was found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from central_asia_atlas import i18n, store
from central_asia_atlas.dataset import FILES
from central_asia_atlas.model import FIVE
from tests.support.paths import ROOT

APP = str(ROOT / "app_frame.py")
DS = store.load()
GUIDE = (ROOT / "docs" / "curation.md").read_text(encoding="utf-8")

# The same in Russian text: file formats, names of software and services, units of layout.
ALLOWED = {
    "CSV",
    "PNG",
    "SVG",
    "HTML",
    "URL",
    "GeoJSON",
    "BibTeX",
    "CSL",
    "JSON",
    "iframe",
    "OpenStreetMap",
    "Natural",
    "Earth",
    "Leaflet",
    "Streamlit",
    "folium",
    "Vega",
    "Altair",
    "streamlit",
    "Snowflake",
    "Inc",
    "Rob",
    "Story",
    "Volodymyr",
    "Agafonkin",
    "CloudMade",
    "Randy",
    "Zwitch",
    "Developers",
    "Apache",
    "MIT",
    "BSD",
    "Clause",
    "id",
    "Id",
    *FIVE,  # the five's ISO codes, as the data and the links name them
}
# Widgets whose options are the data's own words (document titles, as published).
DATA_OPTIONS = {"source_doc"}
# Elements that repeat, in English, what is the data's or the browser's and not the interface's.
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w./-]+\.(?:geojson|yaml|json|csv|md|py|bib)\b")
_CODE = re.compile(r"`[^`]*`|:material/\w+:|:[a-z]+(?=\[)")  # code; icons, directives
_ID = re.compile(r"\b[\w]+(?:[-_][\w]+)+\b|\b\w*\d\w*\b")
_QUOTED_PARAM = re.compile(r"\w+=\\?'[^']*'")  # a link's own value, quoted in a notice
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


def _data_words() -> set[str]:
    """The Latin words of the data's proper names and of its Russian translations."""
    texts: list[str] = []
    for s in DS.sources.values():
        texts += [s.outlet, s.author or "", s.title, s.via or "", s.attribution or ""]
        texts += [s.licence or "", s.id]
    for obj in _translated(DS):
        texts += [str(v) for v in obj.i18n.get("ru", {}).values()]
    words = set()
    for t in texts:
        words |= set(_WORD.findall(_ID.sub(" ", _URL.sub(" ", t))))
    return words


def _translated(ds: Any) -> Iterator[Any]:
    from central_asia_atlas.checks import _catalogue_texts, _texts

    files = {k: "" for k in FILES}
    for _file, _feature, _fact, obj, _prefix in _texts(ds, files):
        yield obj
    for _entry, obj, _prefix in _catalogue_texts(ds.catalogue):
        yield obj


DATA_WORDS = _data_words()


class _Visible(HTMLParser):
    """The text an HTML element shows (and its titles and labels), leaving out what is marked
    with a language other than Russian, and style and script."""

    VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "wbr", "col", "area", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[bool] = []  # per open element: is it left out?

    def _skipping(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        skip = tag in ("style", "script") or (a.get("lang") not in (None, "ru"))
        if not skip and not self._skipping():
            self.out += [v for k, v in attrs if k in ("title", "aria-label") and v]
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping():
            self.out.append(data)


def _html_text(body: str) -> str:
    parser = _Visible()
    parser.feed(body)
    return " ".join(parser.out)


def _chart_text(spec: Any) -> Iterator[str]:
    """A Vega-Lite spec's titles (and the words of any data written into it)."""
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in ("title", "country", "category", "kind", "side", "label") and isinstance(
                v, str
            ):
                yield v
            else:
                yield from _chart_text(v)
    elif isinstance(spec, list):
        for v in spec:
            yield from _chart_text(v)


def _walk(node: Any) -> Iterator[Any]:
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def shown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) for every text the page shows."""
    for el in _walk(at._tree):
        proto = getattr(el, "proto", None)
        kind = type(el).__name__
        if proto is None:
            continue
        key = getattr(el, "key", None)
        name = proto.DESCRIPTOR.name
        if name == "Html":
            yield kind, _html_text(proto.body)
            continue
        if name == "Markdown" and proto.body.strip() == GUIDE.strip():
            continue  # the curators' guide, in English only (its expander says so)
        if key == "w_lang":
            continue  # the language switch: in every language, on purpose
        if name == "VegaLiteChart":
            for text in _chart_text(json.loads(proto.spec or "{}")):
                yield "chart", text
            for dataset in proto.datasets:  # the rows' names, categories, kinds, sides
                rows = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
                for col in set(rows.columns) & {"country", "category", "kind", "side", "label"}:
                    yield f"chart data {col}", " | ".join(map(str, set(rows[col])))
            continue
        if name == "Arrow":
            config = json.loads(proto.columns or "{}")
            for col, conf in config.items():
                label = conf.get("label") if isinstance(conf, dict) else None
                yield f"table header {col}", label or col
            frame = el.value
            for col in frame.columns:
                if str(col) not in config:
                    yield "table header", str(col)
            if frame.index.name:
                yield "table index", str(frame.index.name)
            continue
        for field, value in proto.ListFields():
            if field.name in ("label", "help", "placeholder", "body", "text", "title"):
                yield f"{kind} {field.name}", str(value)
            elif field.name == "options" and key not in DATA_OPTIONS:
                shown = (getattr(v, "content", v) for v in value)  # pills: option messages
                yield f"{kind} options", " | ".join(str(v) for v in shown)
            elif field.name == "code_text" and proto.language != "html":  # embed code: HTML
                yield f"{kind} code", str(value)


def english(at: AppTest) -> list[str]:
    """Where a Latin word that is neither allowed nor the data's shows, with the word."""
    found = []
    for where, text in shown_texts(at):
        plain = _ID.sub(" ", _CODE.sub(" ", _QUOTED_PARAM.sub(" ", _URL.sub(" ", text))))
        for word in _WORD.findall(plain):
            if word not in ALLOWED and word not in DATA_WORDS:
                found.append(f"{where}: {word!r} in {text[:120]!r}")
    return found


def russian(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "ru"
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    if page is not None:
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_russian_is_a_language_of_the_atlas() -> None:
    assert "ru" in i18n.languages()


def test_the_map_page_with_a_country_and_the_share_dialog_is_in_russian() -> None:
    at = russian(country="KAZ")
    assert "Казахстан" in "".join(h.value for h in at.html)
    at.button(key="w_share").click().run()
    assert not at.exception
    labels = sorted(b.proto.label for b in at.get("download_button"))
    assert labels == ["PNG", "SVG", "Данные CSV", "Карта HTML"]
    assert english(at) == []


def test_a_route_and_an_event_panel_are_in_russian() -> None:
    at = russian(route=DS.routes[0].props.id)
    assert english(at) == []
    at.selectbox(key="w_line").select(f"event:{DS.events[0].props.id}").run()
    assert not at.exception and english(at) == []


def test_the_map_is_labelled_in_russian() -> None:
    """The base map's names (the five's capitals, the neighbours) and the layers' tooltips."""
    at = russian(country="KGZ")
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    base, layers = args["script"], args["feature_group"]
    assert "Бишкек" in base and "Китай" in base and "Афганистан" in base
    assert "Bishkek" not in base and "Afghanistan" not in base
    # the tooltips are in the layers' JSON, which writes "\u041a..." for "К..."
    assert json.dumps("Кыргызстан")[1:-1] in layers and "Kyrgyzstan" not in layers


def test_a_link_that_asks_for_nonsense_is_answered_in_russian() -> None:
    at = russian(country="RUS", routes="maybe")
    notices = [i.value for i in at.info]
    assert len(notices) == 2 and all("из ссылки пропущен" in n for n in notices), notices
    assert english(at) == []


@pytest.mark.parametrize("page", ["sources", "timeline", "compare", "data", "about"])
def test_every_other_page_is_in_russian(page: str) -> None:
    assert english(russian(page)) == []


def test_the_sources_page_with_a_linked_fact_is_in_russian() -> None:
    fact = next(r.fact for r in DS.fact_refs() if r.fact.excerpt)
    at = russian("sources", fact=fact.id)
    assert english(at) == []
    # the document itself stays in its language, marked so
    assert any('lang="en"' in h.value and "<mark" in h.value for h in at.html)


def test_a_fact_without_a_stored_text_is_linked_in_russian() -> None:
    fact = next(r.fact for r in DS.fact_refs() if r.fact.excerpt is None)
    at = russian("sources", fact=fact.id)
    assert english(at) == []


def test_the_timeline_by_category_and_back_to_today_is_in_russian() -> None:
    at = russian("timeline", as_of="2024-01-01")
    at.radio(key="tl_color_by").set_value("category").run()
    assert not at.exception and english(at) == []
