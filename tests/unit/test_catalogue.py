"""The indicator catalogue as data: every broken entry is one located problem, the rest kept;
numeric values by period with their statistics, legend and tooltip text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from central_asia_atlas import dataset, panel, store
from central_asia_atlas.catalogue import NumericSpec, format_number, parse_period
from central_asia_atlas.indicators import NO_DATA, compute, legend_entries, series
from tests.support import datasets
from tests.support.shipped import shipped

SHARE = "trade_share_china"


def _entry(doc: dict[str, Any], key: str) -> dict[str, Any]:
    return next(i for i in doc["indicators"] if i["key"] == key)


def _broken(tmp_path: Path, change: Any) -> dataset.Dataset:
    d = datasets.docs()
    change(d["indicators.yaml"], d)
    return store.load(*datasets.write(tmp_path, d))


def _where(ds: dataset.Dataset) -> list[tuple[str, str | None, str | None]]:
    return [(p.file, p.feature, p.field) for p in ds.problems]


CASES: list[tuple[str, Any, tuple[str, str | None, str | None], str]] = [
    (
        "unknown kind",
        lambda c, d: _entry(c, "governance").update(kind="ranking"),
        ("data/indicators.yaml", "indicator governance", "kind"),
        "unknown kind 'ranking'",
    ),
    (
        "bins unsorted",
        lambda c, d: _entry(c, SHARE).update(bins=[{"min": 10, "max": 20}, {"min": 0, "max": 10}]),
        ("data/indicators.yaml", f"indicator {SHARE}", None),
        "sorted",
    ),
    (
        "bins overlapping",
        lambda c, d: _entry(c, SHARE).update(
            bins=[{"min": 0, "max": 15}, {"min": 10, "max": 20}],
            palette=["#eeeeee", "#333333"],
        ),
        ("data/indicators.yaml", f"indicator {SHARE}", None),
        "overlap",
    ),
    (
        "numeric without unit",
        lambda c, d: _entry(c, SHARE).pop("unit"),
        ("data/indicators.yaml", f"indicator {SHARE}", "unit"),
        "required field is missing",
    ),
    (
        "colour not a colour",
        lambda c, d: _entry(c, "governance")["classes"][0].update(color="green-ish"),
        ("data/indicators.yaml", "indicator governance", "classes.0.color"),
        "pattern",
    ),
    (
        "palette shorter than the bins",
        lambda c, d: _entry(c, SHARE).update(palette=["#eeeeee"]),
        ("data/indicators.yaml", f"indicator {SHARE}", None),
        "one colour per bin",
    ),
    (
        "signal with an unknown side",
        lambda c, d: c["signals"][0].update(side="towards_mars"),
        ("data/indicators.yaml", f"signal {datasets.catalogue()['signals'][0]['id']}", "side"),
        "towards_mars",
    ),
]


@pytest.mark.parametrize(("name", "change", "where", "says"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_catalogue_entry_is_one_located_problem(
    tmp_path: Path, name: str, change: Any, where: tuple[str, str | None, str | None], says: str
) -> None:
    ds = _broken(tmp_path, change)
    catalogue_problems = [p for p in ds.problems if p.file == "data/indicators.yaml"]
    assert len(catalogue_problems) == 1, [str(p) for p in ds.problems]
    assert (
        catalogue_problems[0].file,
        catalogue_problems[0].feature,
        catalogue_problems[0].field,
    ) == where
    assert says in catalogue_problems[0].message
    # the rest of the catalogue is kept
    assert len(ds.catalogue.indicators) >= len(datasets.catalogue()["indicators"]) - 1
    assert "un_es11_1" in ds.catalogue.indicators


def _values(tmp_path: Path, *values: dict[str, Any], sources: int = 1) -> dataset.Dataset:
    """KAZ with China trade shares, each backed by a KAZ fact from the voting-record source."""
    d = datasets.docs()
    kaz = datasets.props(d, "countries.geojson", "KAZ")
    for i, v in enumerate(values):
        kaz["facts"].append(
            {
                "id": f"kaz-share-{i}",
                "category": "trade",
                "date": v.pop("fact_date", "2024-02-01"),
                "date_precision": "day",
                "summary": f"Share {i}",
                "source": "ref-un",
                "countries": ["KAZ"],
            }
        )
        kaz["indicators"].setdefault(SHARE, []).append({"facts": [f"kaz-share-{i}"], **v})
    return store.load(*datasets.write(tmp_path, d))


BAD_VALUES: list[tuple[str, dict[str, Any], str, str]] = [
    (
        "a string for a number",
        {"value": "21.3", "period": "2023", "statistics": "national"},
        "value",
        "not a number",
    ),
    (
        "a share above 100",
        {"value": 121.3, "period": "2023", "statistics": "national"},
        "value",
        "outside 0–100",
    ),
    (
        "a share below 0",
        {"value": -1, "period": "2023", "statistics": "national"},
        "value",
        "outside 0–100",
    ),
    (
        "a period that does not parse",
        {"value": 21.3, "period": "2023-13/2023-14", "statistics": "national"},
        "period",
        "month outside",
    ),
    ("no period", {"value": 21.3, "statistics": "national"}, "period", "needs its period"),
    (
        "unknown statistics",
        {"value": 21.3, "period": "2023", "statistics": "gossip"},
        "statistics",
        "unknown statistics",
    ),
    (
        "a true for a number",
        {"value": True, "period": "2023", "statistics": "national"},
        "value",
        "not a number",
    ),
]


@pytest.mark.parametrize(
    ("name", "value", "fld", "says"), BAD_VALUES, ids=[b[0] for b in BAD_VALUES]
)
def test_a_wrong_value_for_a_numeric_indicator_is_located_and_the_rest_kept(
    tmp_path: Path, name: str, value: dict[str, Any], fld: str, says: str
) -> None:
    good = {"value": 18.6, "period": "2022", "statistics": "national"}
    ds = _values(tmp_path, good, value)
    assert len(ds.problems) == 1, [str(p) for p in ds.problems]
    p = ds.problems[0]
    assert (p.file, p.feature, p.field) == (
        "data/countries.geojson",
        "KAZ",
        f"indicators.{SHARE}.1.{fld}",
    )
    assert says in p.message
    assert compute(ds, SHARE)["KAZ"].reading.number == 18.6  # type: ignore[union-attr]


def test_a_class_value_given_a_number_is_an_error(tmp_path: Path) -> None:
    d = datasets.docs()
    datasets.props(d, "countries.geojson", "KAZ")["indicators"]["un_es11_1"]["value"] = 3
    ds = store.load(*datasets.write(tmp_path, d))
    assert [(p.feature, p.field) for p in ds.problems] == [("KAZ", "indicators.un_es11_1.value")]


def test_periods_parse_and_read_as_people_write_them() -> None:
    assert parse_period("2023").label == "2023"
    p = parse_period("2023-01/2023-09")
    assert (p.start, p.end, p.label) == (dt.date(2023, 1, 1), dt.date(2023, 9, 30), "Jan–Sep 2023")
    assert parse_period("2022-10/2023-09").label == "Oct 2022–Sep 2023"
    for bad in ("23", "2023-1/2023-9", "2023-09/2023-01", "2023/2024"):
        with pytest.raises(ValueError):
            parse_period(bad)
    assert format_number(21.3, "%") == "21.3 %" and format_number(45, "% of GDP") == "45 % of GDP"


def test_the_map_shows_the_latest_full_year_known_by_the_day(tmp_path: Path) -> None:
    ds = _values(
        tmp_path,
        {"value": 14.2, "period": "2021", "statistics": "national", "fact_date": "2022-02-01"},
        {
            "value": 21.3,
            "period": "2023-01/2023-09",
            "statistics": "national",
            "fact_date": "2023-10-20",
        },
    )
    assert ds.ok, [str(p) for p in ds.problems]
    now = compute(ds, SHARE)["KAZ"]
    # the map's year is the latest full year (2021); a part of a later year is the chart's
    assert now.map_year == 2021 and not now.other_period
    assert now.label == "14.2 % (2021, national statistics, via Test Reference)"
    assert now.value == "10–20 %" and now.facts == ("kaz-share-0",)
    before = compute(ds, SHARE, as_of=dt.date(2023, 10, 1))["KAZ"]  # period over, not yet out
    assert before.label.startswith("14.2 % (2021,")
    assert compute(ds, SHARE, as_of=dt.date(2022, 1, 15))["KAZ"].value == NO_DATA
    spec = ds.catalogue.indicators[SHARE]
    assert isinstance(spec, NumericSpec)
    assert [r.period.label for r in series(ds, spec, "KAZ")] == ["2021", "Jan–Sep 2023"]


def _two_countries(tmp_path: Path, tolerance: int) -> dataset.Dataset:
    """UZB with a full 2024, KAZ with Jan–Sep 2023 only; the share's tolerance as given."""
    d = datasets.docs()
    for iso3, value, period, fid in (
        ("UZB", 18.8, "2024", "uzb-share"),
        ("KAZ", 21.3, "2023-01/2023-09", "kaz-share"),
    ):
        props = datasets.props(d, "countries.geojson", iso3)
        props["facts"].append(
            {
                "id": fid,
                "category": "trade",
                "date": "2025-02-01",
                "date_precision": "day",
                "summary": "Share",
                "source": "ref-un",
                "countries": [iso3],
            }
        )
        props.setdefault("indicators", {})[SHARE] = [
            {"value": value, "period": period, "statistics": "national", "facts": [fid]}
        ]
    cat = d["indicators.yaml"]
    spec = next(i for i in cat["indicators"] if i["key"] == SHARE)
    spec["tolerance"] = tolerance
    return store.load(*datasets.write(tmp_path, d))


@pytest.mark.parametrize("tolerance", [0, 1, 2])
def test_a_value_of_another_period_is_drawn_only_within_the_tolerance_and_marked(
    tmp_path: Path, tolerance: int
) -> None:
    ds = _two_countries(tmp_path, tolerance)
    assert ds.ok, [str(p) for p in ds.problems]
    shown = compute(ds, SHARE)
    assert shown["UZB"].map_year == shown["KAZ"].map_year == 2024
    assert shown["UZB"].label.startswith("18.8 % (2024,") and not shown["UZB"].other_period
    kaz = shown["KAZ"]
    if tolerance == 0:  # a year away: not drawn, and the panel says why
        assert kaz.value == NO_DATA and kaz.reading is None
        assert kaz.note is not None and "No value within 0 years of 2024" in kaz.note
        assert "Jan–Sep 2023" in kaz.note
    else:  # drawn, and never unmarked: the map outlines it, the legend names its period
        assert kaz.label.startswith("21.3 % (Jan–Sep 2023,") and kaz.other_period
        legend = panel.legend_html(ds.catalogue.indicators[SHARE], shown, names=ds.names())
        assert "Another period than 2024" in legend and "Kazakhstan: Jan–Sep 2023" in legend


def test_two_statistics_for_one_period_both_kept_the_preferred_on_the_map(tmp_path: Path) -> None:
    ds = _values(
        tmp_path,
        {"value": 35.0, "period": "2024", "statistics": "china-customs"},
        {"value": 20.5, "period": "2024", "statistics": "national"},
    )
    assert ds.ok, [str(p) for p in ds.problems]
    kaz = compute(ds, SHARE)["KAZ"]
    assert kaz.reading is not None and kaz.reading.statistics == "national statistics"
    assert [o.statistics for o in kaz.others] == ["China's customs"]
    table = {SHARE: compute(ds, SHARE)}
    html = panel.indicator_rows(ds, "KAZ", table)
    assert (
        "20.5 % (2024, national statistics" in html and "35 % (2024, China&#x27;s customs" in html
    )
    assert 'data-relation="disagrees_with"' in html
    spec = ds.catalogue.indicators[SHARE]
    assert isinstance(spec, NumericSpec)
    assert len(series(ds, spec, "KAZ")) == 1  # the chart draws one point per period


def test_the_numeric_legend_reads_the_bins_with_their_unit(tmp_path: Path) -> None:
    ds = _values(tmp_path, {"value": 21.3, "period": "2023", "statistics": "national"})
    spec = ds.catalogue.indicators[SHARE]
    labels = [label for _, label, _ in legend_entries(spec)]
    assert labels[:4] == ["0–5 %", "5–10 %", "10–20 %", "20–30 %"] and labels[-1] == "No data"
    html = panel.legend_html(spec, compute(ds, SHARE))
    assert '<div data-class="20–30 %">' in html and '20–30 % <span class="atlas-meta">(1)' in html
    assert 'data-class="no data"' in html and 'No data <span class="atlas-meta">(4)' in html


def test_a_new_indicator_is_one_catalogue_entry(tmp_path: Path) -> None:
    d = datasets.docs()
    d["indicators.yaml"]["indicators"].append(
        {
            "key": "gas_exports_bcm",
            "kind": "numeric",
            "label": "Gas exports (bcm)",
            "description": "Pipeline gas exports in the year.",
            "unit": "bcm",
            "bins": [{"min": 0, "max": 10}, {"min": 10, "max": 50}],
            "palette": ["#deebf7", "#3182bd"],
        }
    )
    datasets.props(d, "countries.geojson", "KAZ")["indicators"]["gas_exports_bcm"] = {
        "value": 12,
        "period": "2022",
        "statistics": "government",
        "facts": ["kaz-un-vote"],
    }
    ds = store.load(*datasets.write(tmp_path, d))
    assert ds.ok, [str(p) for p in ds.problems]
    assert compute(ds, "gas_exports_bcm")["KAZ"].value == "10–50 bcm"


def test_the_shipped_catalogue_is_valid_and_covers_both_sides() -> None:
    ds = shipped()
    assert not [str(p) for p in ds.problems if p.file.endswith("indicators.yaml")]
    sides = {s.side for s in ds.catalogue.signals.values()}
    assert {s.value for s in sides} == {
        "towards_moscow",
        "away_from_moscow",
        "towards_eu",
        "towards_china",
    }
    default = ds.catalogue.indicators[ds.catalogue.default_key() or ""]
    # the map's default colouring weighs both sides of Moscow, not one alone
    assert getattr(default, "minus_sides", None) and getattr(default, "sides", None)


def test_the_chart_line_leaves_out_a_part_year_once_the_whole_year_is_known(
    tmp_path: Path,
) -> None:
    ds = _values(
        tmp_path,
        {
            "value": 21.3,
            "period": "2023-01/2023-11",
            "statistics": "national",
            "fact_date": "2023-12-10",
        },
        {"value": 21.9, "period": "2023", "statistics": "national", "fact_date": "2024-02-01"},
        {
            "value": 20.1,
            "period": "2025-01/2025-11",
            "statistics": "national",
            "fact_date": "2025-12-10",
        },
    )
    spec = ds.catalogue.indicators[SHARE]
    assert isinstance(spec, NumericSpec)
    assert [r.period.label for r in series(ds, spec, "KAZ")] == ["2023", "Jan–Nov 2025"]
    # the map still knew the part-year before the whole year was over
    early = compute(ds, SHARE, as_of=dt.date(2024, 2, 1))["KAZ"]
    assert early.reading is not None and early.reading.period.label == "2023"
    autumn = compute(ds, SHARE, as_of=dt.date(2023, 12, 15))["KAZ"]
    assert autumn.reading is not None and autumn.reading.period.label == "Jan–Nov 2023"
