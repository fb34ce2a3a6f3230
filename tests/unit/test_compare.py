"""Compare: the countries-by-signals matrix, its counts, links and chart."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

from central_asia_atlas import compare, dataset
from central_asia_atlas.catalogue import Side
from central_asia_atlas.indicators import compute
from central_asia_atlas.model import FIVE


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


def test_matrix_lists_the_facts_behind_each_cell(ds: dataset.Dataset) -> None:
    m = compare.matrix(ds)
    assert set(m) == set(FIVE)
    assert m["KAZ"] == {
        "rebuked_kremlin": ("kaz-rebuke",),
        "refused_recognition": ("kaz-refused",),
        "eu_engagement": ("region-summit",),
    }
    assert m["TJK"] == {"eu_engagement": ("region-summit",)}
    assert compare.matrix(ds, as_of=dt.date(2022, 6, 30))["TJK"] == {}


def test_each_side_is_counted_like_its_indicator(ds: dataset.Dataset) -> None:
    m = compare.matrix(ds)
    per = compare.side_counts(ds, m)
    assert per["KAZ"] == {
        Side.towards_moscow: 0,
        Side.away_from_moscow: 2,
        Side.towards_eu: 1,
        Side.towards_china: 0,
    }
    distance = compute(ds, "distance_signals")
    assert {k: int(v.value) for k, v in distance.items()} == {
        k: c[Side.away_from_moscow] for k, c in per.items()
    }
    chosen = ["rebuked_kremlin", "humanitarian_aid_ukraine"]
    few = compare.side_counts(ds, m, chosen)
    assert {k: c[Side.away_from_moscow] for k, c in few.items()} == {
        "KAZ": 1,
        "UZB": 1,
        "KGZ": 0,
        "TJK": 0,
        "TKM": 0,
    }
    indicator = compute(ds, "distance_signals", signals=chosen)
    assert {k: int(v.value) for k, v in indicator.items()} == {
        k: c[Side.away_from_moscow] for k, c in few.items()
    }


def test_every_cited_cell_links_to_each_of_its_facts(ds: dataset.Dataset) -> None:
    m = compare.matrix(ds)
    page = compare.matrix_html(ds, m, ["eu_engagement"])
    links = Links()
    links.feed(page)
    expected = [f"sources?fact={i}" for cited in m.values() for ids in cited.values() for i in ids]
    assert sorted(links.hrefs) == sorted(expected)
    assert "(not counted)" in page  # the signals left out are marked so
    assert links.tags.count("tr") == 2 + len(FIVE)  # two header rows: sides, then signals


def test_columns_are_grouped_by_side_with_a_count_per_side(ds: dataset.Dataset) -> None:
    page = compare.matrix_html(ds, compare.matrix(ds))
    for side in Side:
        assert f'scope="colgroup" colspan="{len(compare.by_side(ds)[side]) + 1}"' in page
        assert f'<td class="cmp-count" data-side="{side.value}">' in page
    assert page.index('data-side="towards_moscow"') < page.index('data-side="away_from_moscow"')
    assert "Ties to Moscow: counted" in page and "Signals of distance from Moscow: counted" in page


def test_html_escapes_names_and_summaries(ds: dataset.Dataset) -> None:
    page = compare.matrix_html(ds, compare.matrix(ds))
    assert "&lt;publicly&gt;" in page and "<publicly>" not in page


def test_chart_has_one_bar_per_country_and_side(ds: dataset.Dataset) -> None:
    m = compare.matrix(ds)
    frame = compare.counts_frame(ds, m, ["eu_engagement", "rebuked_kremlin"])
    assert len(frame) == 5 * 4
    kaz = frame[frame["country"] == ds.country("KAZ").props.name]  # type: ignore[union-attr]
    assert dict(zip(kaz["side"], kaz["kinds"], strict=True))["Ties to the EU"] == 1
    spec = compare.chart(ds, m).to_dict()
    assert spec["encoding"]["x"]["field"] == "kinds"
    assert len(spec["encoding"]["color"]["scale"]["range"]) == len(Side)


def test_parse_signals() -> None:
    known = ["rebuked_kremlin", "eu_engagement"]
    assert compare.parse_signals(None, known) is None
    assert compare.parse_signals("rebuked_kremlin", known) is None
    assert compare.parse_signals(["rebuked_kremlin", "nonsense"], known) == ["rebuked_kremlin"]
    assert compare.parse_signals([], known) == []
