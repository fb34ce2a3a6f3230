"""Plain-text summaries: what the map shows for each country, in words."""

from __future__ import annotations

import datetime as dt
import html

from central_asia_atlas import dataset, indicators, summary
from central_asia_atlas.model import FIVE
from tests.support import shipped as shipped_data
from tests.support.datasets import HOSTILE, sample


def test_kazakhstan_in_words(ds: dataset.Dataset) -> None:
    text = summary.country_summary(ds, "KAZ")
    assert text[0] == "Kazakhstan. Capital: Kazakhstan City."
    assert text[1] == (
        "The sources cite 5 facts about Kazakhstan, dated 1 March 2020 to 27 October 2022, "
        "from 2 sources."
    )
    joined = "\n".join(text)
    assert "EU Enhanced Partnership and Cooperation Agreement (EPCA): Signed and in force" in (
        joined
    )
    assert "Signals of distance from Moscow cited (2 of 6 kinds)" in joined
    assert "Ties to the EU cited (1 of 3 kinds)" in joined
    assert "Ties to Moscow: none cited (of 9 kinds counted)." in joined
    assert "Test pipeline (oil, operating, through Russia)" in joined
    assert "Test summit (Astana, 27 October 2022)" in joined
    assert text[-1] == "Latest fact (27 October 2022): All five met the EU in one summit"


def test_as_of_and_chosen_signals_change_the_words(ds: dataset.Dataset) -> None:
    early = "\n".join(summary.country_summary(ds, "KAZ", as_of=dt.date(2020, 3, 1)))
    assert "cite 1 fact about Kazakhstan" in early
    assert "Signals of distance from Moscow: none cited" in early
    assert "Events:" not in early
    one = "\n".join(summary.country_summary(ds, "KAZ", signals=["rebuked_kremlin"]))
    assert "cited (1 of 1 kinds): Publicly rebuked Kremlin claims." in one


def test_a_country_with_few_facts_and_an_unknown_one(ds: dataset.Dataset) -> None:
    tjk = "\n".join(summary.country_summary(ds, "TJK"))
    assert "cite 1 fact about Tajikistan" in tjk and "No data for:" in tjk
    assert summary.country_summary(ds, "XYZ") == ["XYZ: no data."]


def test_html_is_escaped(ds: dataset.Dataset) -> None:
    html = summary.as_html(["a <b> & c", "second"])
    assert html == "<p>a &lt;b&gt; &amp; c</p><p>second</p>"


def test_seed_caveat_names_kind_outlet_and_date(ds: dataset.Dataset) -> None:
    assert summary.seed_caveat(ds) == (
        "The stored source documents are an opinion piece (Test Outlet, 9 June 2023)."
    )
    shipped = summary.seed_caveat(shipped_data.shipped())
    assert "an opinion piece (EUobserver, 19 August 2022)" in shipped
    assert "a news report (AFP, via The Moscow Times, 27 October 2022)" in shipped


def test_licences_list_data_sources_and_software(ds: dataset.Dataset) -> None:
    rows = summary.licence_rows(ds)
    assert rows[0]["licence"] == "CC BY 4.0" and rows[0]["url"] == "https://example.org/ref"
    assert any(r["what"].startswith("Leaflet") and r["licence"] == "BSD-2-Clause" for r in rows)


def test_every_shipped_country_has_a_summary() -> None:
    ds = shipped_data.shipped()
    for iso3 in FIVE:
        text = summary.country_summary(ds, iso3)
        assert len(text) >= 3 and all(text)


def test_the_map_in_words_gives_the_colouring_and_each_country(ds: dataset.Dataset) -> None:
    key = "distance_signals"
    results = indicators.compute(ds, key)
    label = ds.catalogue.indicators[key].label
    text = summary.map_in_words(ds, results, label)
    line = summary.colouring(ds, results, label)
    assert line.startswith(f"Coloured by {label}: ")
    assert html.escape(line) in text
    for c in ds.countries:
        assert f"{c.props.name}: {results[c.props.iso3].label}" in line
        assert html.escape(summary.country_summary(ds, c.props.iso3)[0]) in text
    early = summary.map_in_words(ds, results, label, as_of=dt.date(2020, 3, 1))
    assert early != text  # as of the day


def test_the_map_in_words_is_escaped() -> None:
    ds = sample(HOSTILE)
    results = indicators.compute(ds, "distance_signals")
    text = summary.map_in_words(ds, results, HOSTILE)
    assert "<script" not in text and "&lt;script&gt;" in text
