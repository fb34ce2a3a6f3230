"""Timeline: rows per fact and country, filters, the chart spec, indicators as of a day."""

from __future__ import annotations

import datetime as dt

import pytest

from central_asia_atlas import dataset, markup, timeline


def test_one_row_per_fact_and_country_it_concerns(ds: dataset.Dataset) -> None:
    frame = timeline.timeline_frame(ds)
    facts = frame[frame["kind"] == "fact"]
    assert set(facts["id"]) == {r.fact.id for r in ds.fact_refs()}
    assert len(facts[facts["id"] == "region-summit"]) == 5  # concerns all five
    assert list(facts[facts["id"] == "kaz-epca"]["country"]) == ["Kazakhstan"]
    events = frame[frame["kind"] == "event"]
    assert set(events["country"]) == {"Kazakhstan", "Uzbekistan"}
    assert set(events["category"]) == {"event"}
    assert list(frame["date"]) == sorted(frame["date"])
    assert frame.loc[frame["id"] == "uzb-aid", "link"].iloc[0] == "sources?fact=uzb-aid"


def test_filters(ds: dataset.Dataset) -> None:
    frame = timeline.timeline_frame(ds)
    uzb = timeline.filter_timeline(frame, countries=["UZB"])
    assert set(uzb["id"]) == {"uzb-aid", "region-summit", "event-summit", "test-summit"}
    aid = timeline.filter_timeline(frame, categories=["aid"])
    assert set(aid["id"]) == {"uzb-aid"}
    events = timeline.filter_timeline(frame, categories=["event"])
    assert set(events["kind"]) == {"event"}
    late = timeline.filter_timeline(frame, since=dt.date(2023, 1, 1))
    assert set(late["id"]) == {"uzb-aid", "kgz-teaser"}


@pytest.mark.parametrize("color_by", ["country", "category"])
def test_chart_spec(ds: dataset.Dataset, color_by: timeline.ColorBy) -> None:
    frame = timeline.timeline_frame(ds)
    spec = timeline.chart(frame, color_by).to_dict()
    enc = spec["encoding"]
    assert enc["x"]["field"] == "date" and enc["x"]["type"] == "temporal"
    assert enc["y"]["field"] == color_by == enc["color"]["field"]
    assert {t["field"] for t in enc["tooltip"]} >= {"summary", "when", "id"}
    assert enc["href"]["field"] == "link"
    domain, colors = enc["color"]["scale"]["domain"], enc["color"]["scale"]["range"]
    assert set(domain) == set(frame[color_by]) and len(colors) == len(domain)
    assert len(set(colors)) == len(colors)  # one colour per row
    values = next(iter(spec["datasets"].values()))
    assert len(values) == len(frame)
    # the tooltip's date as far as it is known: "27 October 2022", "October 2022" or "2022"
    assert {v["when"] for v in values} == {
        markup.dated(d, p) for d, p in zip(frame["date"], frame["date_precision"], strict=True)
    }


def test_palettes_are_distinct() -> None:
    assert len(set(timeline.COUNTRY_COLORS.values())) == len(timeline.COUNTRY_COLORS)
    assert len(set(timeline.CATEGORY_COLORS.values())) == len(timeline.CATEGORY_COLORS)


def test_date_range_and_parse(ds: dataset.Dataset) -> None:
    lo, hi = timeline.date_range(ds)
    assert (lo, hi) == (dt.date(2020, 3, 1), dt.date(2023, 6, 9))
    assert timeline.date_range(ds, dt.date(2030, 1, 1))[1] == dt.date(2030, 1, 1)
    assert timeline.parse_as_of("2022-10-27") == dt.date(2022, 10, 27)
    assert timeline.parse_as_of(dt.datetime(2022, 10, 27, 12)) == dt.date(2022, 10, 27)
    assert timeline.parse_as_of("27/10/2022") is None
    assert timeline.parse_as_of(None) is None


def test_indicators_as_of_a_day(ds: dataset.Dataset) -> None:
    before = timeline.indicators_as_of(ds, dt.date(2020, 2, 29))
    after = timeline.indicators_as_of(ds, dt.date(2020, 3, 1))
    epca = "EU Enhanced Partnership and Cooperation Agreement (EPCA)"
    assert before.loc[epca, "Kazakhstan"] == "No data"
    assert after.loc[epca, "Kazakhstan"] == "Signed and in force"
    signals = "Signals of distance from Moscow (kinds cited)"
    eu = "Ties to the EU (kinds cited)"
    assert timeline.indicators_as_of(ds, dt.date(2022, 6, 16)).loc[signals, "Kazakhstan"] == (
        "0 kinds cited"
    )
    latest = timeline.indicators_as_of(ds, None)
    assert latest.loc[signals, "Kazakhstan"] == "2 kinds cited"  # rebuke, UN vote
    assert latest.loc[eu, "Kazakhstan"] == "1 kind cited"  # the EU summit
    only = timeline.indicators_as_of(ds, None, ["eu_engagement"])
    assert only.loc[signals, "Kazakhstan"] == "0 kinds cited"
    assert only.loc[eu, "Kazakhstan"] == "1 kind cited"
    assert list(latest.columns) == [
        "Kazakhstan",
        "Uzbekistan",
        "Kyrgyzstan",
        "Tajikistan",
        "Turkmenistan",
    ]


def test_chart_axis_runs_on_to_today(ds: dataset.Dataset) -> None:
    """With today, the axis ends on today, marked by a line and its label, so the gap after
    the newest fact shows; the points are the same."""
    frame = timeline.timeline_frame(ds)
    today = dt.date(2026, 12, 2)
    spec = timeline.chart(frame, "country", today).to_dict()
    points, rule, text = spec["layer"]
    newest = max(frame["date"])
    assert newest < today
    assert points["encoding"]["x"]["scale"]["domain"] == [
        min(frame["date"]).isoformat(),
        "2026-12-02",
    ]
    assert rule["mark"]["type"] == "rule" and text["mark"]["type"] == "text"
    marks = [v for k, v in spec["datasets"].items() if len(v) == 1]
    assert marks == [[{"date": "2026-12-02", "label": "today, 2 December 2026"}]]
    counts = sorted(len(v) for v in spec["datasets"].values())
    assert counts == [1, len(frame)]
    # without a day, one chart as before, its axis fitted to the points
    plain = timeline.chart(frame, "country").to_dict()
    assert "layer" not in plain and "scale" not in plain["encoding"]["x"]
