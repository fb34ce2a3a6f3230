"""AppTest of the pages beyond the map: sources, timeline, compare, data, about.

Most tests run a page against a small synthetic dataset (tests/datasets.py) put in place of
the loader; one per page runs it against the shipped data, which is being filled in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from central_asia_atlas import cache, dataset, store
from central_asia_atlas.markup import md
from tests.support import datasets
from tests.support.paths import ROOT

PAGES = ("sources", "timeline", "compare", "data", "about")


def page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / f"{name}.py"), default_timeout=60)


@pytest.fixture
def synthetic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dataset.Dataset]:
    """The synthetic dataset in place of the shipped one, for every page run in the test."""
    data, seeds = datasets.write(tmp_path, datasets.documents())
    ds = store.load(data, seeds)
    assert ds.ok
    monkeypatch.setattr(store, "load", lambda *a, **k: ds)
    monkeypatch.setattr(dataset, "DATA_DIR", data)
    cache.dataset.clear()
    yield ds
    cache.dataset.clear()


@pytest.fixture
def shipped() -> Iterator[None]:
    """The shipped data; `cache.dataset()` after a run is what the page saw."""
    cache.dataset.clear()
    yield
    cache.dataset.clear()


class Storages:
    """Records the in-memory media stores that AppTest creates, to read downloads back."""

    def __init__(self) -> None:
        self.made: list[MemoryMediaFileStorage] = []

    def read(self, url: str) -> bytes:
        name = url.rsplit("/", 1)[-1]
        for s in reversed(self.made):
            try:
                return bytes(s.get_file(name).content)
            except Exception:  # not in this store; try the previous one
                continue
        raise AssertionError(f"no media file behind {url}")


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> Storages:
    storages = Storages()
    from streamlit.testing.v1 import app_test

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            storages.made.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)
    return storages


def html_of(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def downloads(at: AppTest) -> dict[str, str]:
    return {b.proto.label: b.proto.url for b in at.get("download_button")}


# --- every page --------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_with_the_shipped_data(name: str, shipped: None) -> None:
    at = page(name).run()
    assert not at.exception, at.exception
    assert at.title and at.title[0].value


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_with_synthetic_data(name: str, synthetic: dataset.Dataset) -> None:
    at = page(name).run()
    assert not at.exception, at.exception


def test_the_app_lists_every_page(shipped: None) -> None:
    text = (ROOT / "app_frame.py").read_text(encoding="utf-8")
    for name in PAGES:
        assert f'"pages/{name}.py"' in text and f'url_path="{name}"' in text


# --- sources -----------------------------------------------------------------------------


def test_sources_deep_link_opens_the_document_and_marks_the_passage(
    synthetic: dataset.Dataset,
) -> None:
    at = page("sources")
    at.query_params["fact"] = "kaz-refused"
    at.run()
    assert not at.exception
    assert at.selectbox(key="source_doc").value == "doc"
    body = html_of(at)
    assert 'id="fact-kaz-refused" class="src-hl src-target"' in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert" not in body
    scripts = [h.proto.body for h in at.get("html") if "scrollIntoView" in h.proto.body]
    assert len(scripts) == 1 and '"fact-kaz-refused"' in scripts[0]
    assert any("4 of 5" in str(m.value) for m in at.metric)


def test_sources_without_a_link_scroll_nowhere(synthetic: dataset.Dataset) -> None:
    at = page("sources").run()
    assert "src-target" not in html_of(at).replace(".src-doc mark.src-target", "")
    assert not any("scrollIntoView" in h.proto.body for h in at.get("html"))
    assert "Join EUobserver today" in html_of(at)  # in the furniture expander
    assert at.expander[0].label.startswith("Page furniture folded away (3")


def test_sources_deep_link_to_a_teaser_fact_opens_its_page(synthetic: dataset.Dataset) -> None:
    at = page("sources")
    at.query_params["fact"] = "kgz-teaser"
    at.run()
    assert at.selectbox(key="source_doc").value == "doc"
    assert 'id="fact-kgz-teaser" class="src-hl src-target"' in html_of(at)


def test_sources_link_to_a_reference_fact_or_an_unknown_fact(synthetic: dataset.Dataset) -> None:
    at = page("sources")
    at.query_params["fact"] = "kaz-epca"
    at.run()
    card = next(h.value for h in at.html if 'data-kind="fact"' in h.value)
    assert "The EU-Kazakhstan agreement entered into force" in card
    # who says it: the source's outlet, kind and link are on the card
    assert "Reference Outlet" in card and 'data-source-kind="think tank"' in card
    assert 'href="https://example.org/ref"' in card
    at = page("sources")
    at.query_params["fact"] = "no-such-fact"
    at.run()
    assert not at.exception and "not in the data" in at.warning[0].value


def test_sources_lists_reference_sources(synthetic: dataset.Dataset) -> None:
    at = page("sources").run()
    refs = at.dataframe[0].value
    assert list(refs["id"]) == ["ref"]
    assert refs.loc[0, "licence"] == "CC BY 4.0"


def test_choosing_another_document_drops_the_deep_link(shipped: None) -> None:
    from central_asia_atlas import reader

    ds = store.load()
    docs = reader.documents(ds)
    assert len(docs) >= 2
    first = reader.spans(ds, docs[0].id)
    assert first, "the first document should be quoted by at least one fact"
    at = page("sources")
    at.query_params["fact"] = first[0].fact
    at.run()
    assert at.selectbox(key="source_doc").value == docs[0].id
    assert f'id="fact-{first[0].fact}"' in html_of(at)
    at.selectbox(key="source_doc").set_value(docs[1].id).run()
    assert not at.exception
    assert "fact" not in at.query_params
    assert at.selectbox(key="source_doc").value == docs[1].id
    assert not any("scrollIntoView" in h.proto.body for h in at.get("html"))


# --- data --------------------------------------------------------------------------------


def test_data_filters_change_the_facts_table(synthetic: dataset.Dataset) -> None:
    at = page("data").run()
    assert len(at.dataframe[0].value) == 7
    values = at.dataframe[1].value  # the indicator values stored for the countries
    assert len(values) == sum(
        len(h) for c in synthetic.countries for h in c.props.indicators.values()
    )
    assert len(at.dataframe[2].value) == 1 and len(at.dataframe[3].value) == 1
    at.multiselect(key="data_countries").set_value(["UZB"]).run()
    assert set(at.dataframe[0].value["id"]) == {"uzb-aid", "region-summit", "event-summit"}
    assert set(at.dataframe[1].value["country"]) <= {"UZB"}
    assert len(at.dataframe[2].value) == 0  # the test pipeline runs through Kazakhstan only
    assert list(at.dataframe[3].value["id"]) == ["test-summit"]
    at.multiselect(key="data_countries").set_value(["TJK"]).run()
    assert len(at.dataframe[3].value) == 0
    at.multiselect(key="data_countries").set_value(["UZB"]).run()
    at.multiselect(key="data_categories").set_value(["aid"]).run()
    assert list(at.dataframe[0].value["id"]) == ["uzb-aid"]
    at.multiselect(key="data_countries").set_value([]).run()
    at.multiselect(key="data_categories").set_value([]).run()
    at.text_input(key="data_text").input("refused").run()
    assert list(at.dataframe[0].value["id"]) == ["kaz-refused"]


def test_data_downloads_are_valid(synthetic: dataset.Dataset, media: Storages) -> None:
    at = page("data").run()
    urls = downloads(at)
    rows = list(
        csv.DictReader(io.StringIO(media.read(urls["Facts (CSV, one row per fact)"]).decode()))
    )
    assert len(rows) == 7 and {r["id"] for r in rows} == {r.fact.id for r in synthetic.fact_refs()}
    assert all(r["source_title"] and r["outlet"] for r in rows)
    items = json.loads(media.read(urls["Sources (CSL-JSON)"]))
    assert {i["id"] for i in items} == {"doc", "doc-teaser", "ref"}
    assert media.read(urls["Sources (BibTeX)"]).decode().count("@") == 3
    for name in dataset.FILES.values():
        raw = media.read(urls[f"{name} (GeoJSON, as shipped)"])
        assert raw == (dataset.DATA_DIR / name).read_bytes()
        assert json.loads(raw)["type"] == "FeatureCollection"


def test_data_downloads_with_the_shipped_data(shipped: None, media: Storages) -> None:
    at = page("data").run()
    urls = downloads(at)
    rows = list(
        csv.DictReader(io.StringIO(media.read(urls["Facts (CSV, one row per fact)"]).decode()))
    )
    assert len(rows) == cache.dataset().counts()["facts"]
    for name in dataset.FILES.values():
        doc = json.loads(media.read(urls[f"{name} (GeoJSON, as shipped)"]))
        assert doc["type"] == "FeatureCollection"


def test_dates_are_dates(synthetic: dataset.Dataset) -> None:
    at = page("data").run()
    assert isinstance(at.dataframe[0].value["date"].iloc[0], dt.date)


# --- timeline ----------------------------------------------------------------------------


def test_timeline_filters_change_what_is_shown(synthetic: dataset.Dataset) -> None:
    at = page("timeline").run()
    assert len(at.get("vega_lite_chart")) == 1
    everything = {r.fact.id for r in synthetic.fact_refs()} | {"test-summit"}
    assert set(at.dataframe[0].value["id"]) == everything - {"kaz-epca"}  # 2020: before 2022
    assert "1 earlier hidden" in at.markdown[0].value
    at.toggle(key="tl_recent").set_value(False).run()
    assert set(at.dataframe[0].value["id"]) == everything
    at.multiselect(key="tl_countries").set_value(["UZB"]).run()
    assert set(at.dataframe[0].value["id"]) == {
        "uzb-aid",
        "region-summit",
        "event-summit",
        "test-summit",
    }
    at.multiselect(key="tl_categories").set_value(["aid"]).run()
    assert list(at.dataframe[0].value["id"]) == ["uzb-aid"]
    at.radio(key="tl_color_by").set_value("category").run()
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    points, today_line, _label = spec["layer"]  # the axis runs on to today, marked
    assert points["encoding"]["color"]["field"] == "category"
    assert today_line["mark"]["type"] == "rule"
    assert points["encoding"]["x"]["scale"]["domain"][-1] == dt.date.today().isoformat()
    at.multiselect(key="tl_countries").set_value(["TJK"]).run()
    assert not at.get("vega_lite_chart") and len(at.dataframe[0].value) == 0


def test_as_of_slider_recomputes_indicators_and_is_kept_for_the_map(
    synthetic: dataset.Dataset,
) -> None:
    epca = "EU Enhanced Partnership and Cooperation Agreement (EPCA)"
    at = page("timeline").run()
    assert "as_of" not in at.session_state
    assert at.dataframe[1].value.loc[epca, "Kazakhstan"] == "Signed and in force"
    at.slider(key="tl_as_of").set_value(dt.date(2020, 3, 1)).run()
    assert at.session_state["as_of"] == dt.date(2020, 3, 1)
    assert at.query_params["as_of"] == "2020-03-01"
    signals = at.dataframe[1].value.loc["Signals of distance from Moscow (kinds cited)"]
    assert signals["Kazakhstan"] == "0 kinds cited"
    assert at.dataframe[1].value.loc[epca, "Kazakhstan"] == "Signed and in force"
    at.button[0].click().run()  # back to today
    assert "as_of" not in at.session_state and "as_of" not in at.query_params
    assert at.slider(key="tl_as_of").value == dt.date.today()  # the latest day again
    signals = at.dataframe[1].value.loc["Signals of distance from Moscow (kinds cited)"]
    assert signals["Kazakhstan"] == "2 kinds cited"  # the rebuke and the refusal


def test_as_of_from_a_shared_link(synthetic: dataset.Dataset) -> None:
    at = page("timeline")
    at.query_params["as_of"] = "2020-02-29"
    at.run()
    assert at.session_state["as_of"] == dt.date(2020, 2, 29)
    assert at.slider(key="tl_as_of").value == dt.date(2020, 3, 1)  # clamped to the first fact
    epca = "EU Enhanced Partnership and Cooperation Agreement (EPCA)"
    assert at.dataframe[1].value.loc[epca, "Kazakhstan"] == "Signed and in force"


def test_timeline_uses_the_signals_chosen_on_compare(synthetic: dataset.Dataset) -> None:
    at = page("timeline")
    at.session_state["signals"] = ["eu_engagement"]
    at.run()
    table = at.dataframe[1].value
    assert table.loc["Signals of distance from Moscow (kinds cited)", "Kazakhstan"] == (
        "0 kinds cited"
    )
    assert table.loc["Ties to the EU (kinds cited)", "Kazakhstan"] == "1 kind cited"


# --- compare -----------------------------------------------------------------------------


def test_compare_choice_is_kept_for_the_map_and_changes_the_counts(
    synthetic: dataset.Dataset,
) -> None:
    at = page("compare").run()
    assert "signals" not in at.session_state
    assert len(at.multiselect(key="cmp_signals").value) == len(synthetic.catalogue.signals)
    body = html_of(at)
    assert body.count('href="sources?fact=') == 2 + 1 + 5  # KAZ: 2, UZB: aid, summit x5
    assert "(not counted)" not in body
    at.multiselect(key="cmp_signals").set_value(["rebuked_kremlin"]).run()
    assert at.session_state["signals"] == ["rebuked_kremlin"]
    body = html_of(at)
    assert body.count("(not counted)") == len(synthetic.catalogue.signals) - 1
    away = '<td class="cmp-count" data-side="away_from_moscow">'
    assert body.count(away + "1</td>") == 1 and body.count(away + "0</td>") == 4
    at.multiselect(key="cmp_signals").set_value([]).run()
    assert at.session_state["signals"] == [] and at.warning


def test_compare_follows_a_choice_made_earlier_and_the_as_of_day(
    synthetic: dataset.Dataset,
) -> None:
    at = page("compare")
    at.session_state["signals"] = ["eu_engagement", "rebuked_kremlin"]
    at.session_state["as_of"] = dt.date(2022, 6, 30)
    at.run()
    assert list(at.multiselect(key="cmp_signals").value) == ["eu_engagement", "rebuked_kremlin"]
    assert "30 June 2022" in at.info[0].value
    body = html_of(at)
    assert "sources?fact=region-summit" not in body  # dated 27 October 2022
    assert "sources?fact=kaz-rebuke" in body


# --- about -------------------------------------------------------------------------------


def test_about_gives_each_country_in_words_and_every_indicator(synthetic: dataset.Dataset) -> None:
    at = page("about").run()
    labels = [e.label for e in at.expander]
    for name in datasets.NAMES.values():
        assert name in labels
    body = html_of(at)
    assert "Kazakhstan. Capital: Kazakhstan City." in body
    assert "Signals of distance from Moscow cited (2 of 6 kinds)" in body
    assert "Ties to Moscow: none cited" in body  # both sides, in words
    subheaders = [s.value for s in at.subheader]
    assert subheaders == [md(spec.label) for spec in synthetic.catalogue.indicators.values()]
    licences = at.dataframe[0].value
    assert "CC BY 4.0" in set(licences["licence"])
    # (data text in markdown is escaped: markup.md)
    caveat = md("an opinion piece (Test Outlet, 9 June 2023)")
    assert any(caveat in m.value for m in at.markdown)
