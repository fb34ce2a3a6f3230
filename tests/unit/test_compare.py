"""Compare: the countries-by-signals matrix, its counts, links and chart."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import pytest

from central_asia_atlas import compare, store
from central_asia_atlas.indicators import compute
from central_asia_atlas.model import FIVE, Signal
from tests import pages_data


@pytest.fixture
def ds(tmp_path: Path) -> store.Dataset:
    return pages_data.load(tmp_path)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def test_matrix_lists_the_facts_behind_each_cell(ds: store.Dataset) -> None:
    m = compare.matrix(ds)
    assert set(m) == set(FIVE)
    assert m["KAZ"] == {
        Signal.rebuked_kremlin: ("kaz-rebuke",),
        Signal.refused_recognition: ("kaz-refused",),
        Signal.eu_engagement: ("region-summit",),
    }
    assert m["TJK"] == {Signal.eu_engagement: ("region-summit",)}
    assert compare.matrix(ds, as_of=dt.date(2022, 6, 30))["TJK"] == {}


def test_counts_follow_the_chosen_signals_like_the_indicator(ds: store.Dataset) -> None:
    m = compare.matrix(ds)
    assert compare.counts(m) == {"KAZ": 3, "UZB": 2, "KGZ": 1, "TJK": 1, "TKM": 1}
    chosen = [Signal.rebuked_kremlin, Signal.humanitarian_aid_ukraine]
    assert compare.counts(m, chosen) == {"KAZ": 1, "UZB": 1, "KGZ": 0, "TJK": 0, "TKM": 0}
    indicator = compute(ds, "distance_signals", signals=chosen)
    assert {k: int(v.value) for k, v in indicator.items()} == compare.counts(m, chosen)


def test_every_cited_cell_links_to_each_of_its_facts(ds: store.Dataset) -> None:
    m = compare.matrix(ds)
    page = compare.matrix_html(ds, m, [Signal.eu_engagement])
    links = Links()
    links.feed(page)
    expected = [f"sources?fact={i}" for cited in m.values() for ids in cited.values() for i in ids]
    assert sorted(links.hrefs) == sorted(expected)
    assert "(not counted)" in page  # the signals left out are marked so
    assert links.tags.count("tr") == 1 + len(FIVE)


def test_html_escapes_names_and_summaries(ds: store.Dataset) -> None:
    page = compare.matrix_html(ds, compare.matrix(ds))
    assert "&lt;publicly&gt;" in page and "<publicly>" not in page


def test_chart_has_one_block_per_cited_chosen_signal(ds: store.Dataset) -> None:
    m = compare.matrix(ds)
    frame = compare.counts_frame(ds, m, [Signal.eu_engagement, Signal.rebuked_kremlin])
    assert len(frame) == 5 + 1  # the summit for all five, the rebuke for Kazakhstan
    spec = compare.chart(ds, m).to_dict()
    assert spec["encoding"]["x"]["field"] == "kinds"
    assert len(spec["encoding"]["color"]["scale"]["range"]) == len(Signal)
    assert len(set(compare.SIGNAL_COLORS.values())) == len(Signal)


def test_parse_signals() -> None:
    assert compare.parse_signals(None) is None
    assert compare.parse_signals("rebuked_kremlin") is None
    assert compare.parse_signals(["rebuked_kremlin", "nonsense"]) == [Signal.rebuked_kremlin]
    assert compare.parse_signals([]) == []
