"""Indicator values computed from the synthetic dataset: stored values, no data, "as of" dates,
and the transparent count of signals of distance from Moscow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from central_asia_atlas import store
from central_asia_atlas.indicators import (
    COUNT_COLORS,
    INDICATORS,
    NO_DATA,
    NO_DATA_COLOR,
    OI_YELLOW,
    SIGNAL_LABELS,
    compute,
    signal_facts,
)
from central_asia_atlas.model import FIVE, Signal
from tests.unit import synthetic


def _load(tmp_path: Path, d: dict[str, Any] | None = None) -> store.Dataset:
    ds = store.load(*synthetic.write(tmp_path, d if d is not None else synthetic.docs()))
    assert ds.problems == (), [str(p) for p in ds.problems]
    return ds


@pytest.fixture
def ds(tmp_path: Path) -> store.Dataset:
    return _load(tmp_path)


def test_every_indicator_has_distinct_class_values_and_colours() -> None:
    for spec in INDICATORS.values():
        values = [c.value for c in spec.classes]
        assert len(values) == len(set(values)), spec.key
        assert NO_DATA not in values
        assert all(c.color.startswith("#") and len(c.color) == 7 for c in spec.classes)
        assert NO_DATA_COLOR not in {c.color for c in spec.classes}
    assert set(SIGNAL_LABELS) == set(Signal)


def test_stored_value_with_its_facts(ds: store.Dataset) -> None:
    res = compute(ds, "un_es11_1")
    assert set(res) == set(FIVE)
    kaz = res["KAZ"]
    assert (kaz.value, kaz.label, kaz.color, kaz.facts) == (
        "abstained",
        "Abstained",
        OI_YELLOW,
        ("kaz-un-vote",),
    )
    for iso3 in ("UZB", "KGZ", "TJK", "TKM"):
        assert res[iso3].value == NO_DATA
        assert res[iso3].color == NO_DATA_COLOR
        assert res[iso3].facts == ()


@pytest.mark.parametrize("key", sorted(INDICATORS))
def test_every_result_with_a_value_carries_existing_fact_ids(ds: store.Dataset, key: str) -> None:
    for as_of in (None, dt.date(2022, 3, 5), dt.date(2022, 1, 1)):
        for iso3, r in compute(ds, key, as_of=as_of).items():
            assert r.iso3 == iso3
            if r.value in (NO_DATA, "0"):
                assert r.facts == ()  # nothing to cite: no value, or no signal
                continue
            assert r.facts, (key, iso3, r)
            for fid in r.facts:
                ref = ds.fact_ref(fid)
                assert ref is not None and iso3 in ref.concerns
                assert as_of is None or ref.fact.date <= as_of


def test_as_of_before_the_earliest_fact_gives_no_data(ds: store.Dataset) -> None:
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 3, 1))["KAZ"].value == NO_DATA
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 3, 2))["KAZ"].value == "abstained"
    assert compute(ds, "kremlin_rebuke", as_of=dt.date(2022, 6, 16))["KAZ"].value == NO_DATA
    assert compute(ds, "kremlin_rebuke", as_of=dt.date(2022, 6, 17))["KAZ"].value == "rebuked"


def test_as_of_before_an_explicit_since_gives_no_data(tmp_path: Path) -> None:
    d = synthetic.docs()
    synthetic.props(d, "countries.geojson", "KAZ")["indicators"]["un_es11_1"]["since"] = (
        "2022-04-01"
    )
    ds = _load(tmp_path, d)
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 3, 15))["KAZ"].value == NO_DATA
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 4, 1))["KAZ"].value == "abstained"
    assert compute(ds, "un_es11_1")["KAZ"].value == "abstained"


def test_note_of_a_stored_value_is_passed_on(tmp_path: Path) -> None:
    d = synthetic.docs()
    synthetic.props(d, "countries.geojson", "UZB")["indicators"]["humanitarian_aid"]["note"] = (
        "Reported by one source."
    )
    ds = _load(tmp_path, d)
    assert compute(ds, "humanitarian_aid")["UZB"].note == "Reported by one source."


def test_distance_signals_counts_distinct_kinds(ds: store.Dataset) -> None:
    res = compute(ds, "distance_signals")
    # KAZ: UN vote, rebuke, EU summit; UZB: aid, EU summit; the others: EU summit
    assert {iso3: r.value for iso3, r in res.items()} == {
        "KAZ": "3",
        "UZB": "2",
        "KGZ": "1",
        "TJK": "1",
        "TKM": "1",
    }
    assert set(res["KAZ"].facts) == {"kaz-un-vote", "kaz-rebuke", "region-summit"}
    assert res["KAZ"].color == COUNT_COLORS[3]
    assert res["KAZ"].label == "3 signals" and res["KGZ"].label == "1 signal"
    assert res["KAZ"].note == "; ".join(
        SIGNAL_LABELS[s]
        for s in (Signal.un_vote_not_with_russia, Signal.rebuked_kremlin, Signal.eu_engagement)
    )


def test_a_second_fact_of_the_same_kind_adds_a_fact_not_a_signal(tmp_path: Path) -> None:
    d = synthetic.docs()
    synthetic.fact(d, "route-oil")["signals"] = ["rebuked_kremlin"]
    ds = _load(tmp_path, d)
    kaz = compute(ds, "distance_signals")["KAZ"]
    assert kaz.value == "3"
    assert set(kaz.facts) == {"kaz-un-vote", "kaz-rebuke", "region-summit", "route-oil"}
    assert signal_facts(ds, "KAZ")[Signal.rebuked_kremlin] == ("kaz-rebuke", "route-oil")


def test_distance_signals_counts_only_the_chosen_kinds(ds: store.Dataset) -> None:
    res = compute(ds, "distance_signals", signals=[Signal.rebuked_kremlin, Signal.eu_engagement])
    assert {iso3: r.value for iso3, r in res.items()} == {
        "KAZ": "2",
        "UZB": "1",
        "KGZ": "1",
        "TJK": "1",
        "TKM": "1",
    }
    assert set(res["KAZ"].facts) == {"kaz-rebuke", "region-summit"}
    none = compute(ds, "distance_signals", signals=[Signal.refused_recognition])
    assert {r.value for r in none.values()} == {"0"}
    assert {r.facts for r in none.values()} == {()}
    assert {r.note for r in none.values()} == {None}


def test_distance_signals_as_of_a_date(ds: store.Dataset) -> None:
    res = compute(ds, "distance_signals", as_of=dt.date(2022, 3, 5))
    assert res["KAZ"].value == "1" and res["KAZ"].facts == ("kaz-un-vote",)
    assert res["UZB"].value == "0" and res["UZB"].facts == ()
    assert signal_facts(ds, "UZB", as_of=dt.date(2022, 3, 10)) == {
        Signal.humanitarian_aid_ukraine: ("uzb-aid",)
    }


def test_signal_count_never_exceeds_the_top_class(tmp_path: Path) -> None:
    d = synthetic.docs()
    synthetic.fact(d, "route-oil")["signals"] = [s.value for s in Signal]
    ds = _load(tmp_path, d)
    kaz = compute(ds, "distance_signals")["KAZ"]
    spec = INDICATORS["distance_signals"]
    assert kaz.value == spec.classes[-1].value == str(len(Signal))


def test_unknown_indicator_key_raises_key_error(ds: store.Dataset) -> None:
    with pytest.raises(KeyError):
        compute(ds, "popularity")


def _with_history(tmp_path: Path) -> store.Dataset:
    """KAZ's UN-vote indicator as a history: 'did not vote' from its fact, then 'for' later."""
    d = synthetic.docs()
    kaz = synthetic.props(d, "countries.geojson", "KAZ")
    first = kaz["indicators"]["un_es11_1"]
    kaz["indicators"]["un_es11_1"] = [
        first,
        {"value": "for", "facts": first["facts"], "since": "2023-01-01", "note": "later"},
    ]
    return _load(tmp_path, d)


def test_history_gives_the_latest_value_by_default(tmp_path: Path) -> None:
    res = compute(_with_history(tmp_path), "un_es11_1")["KAZ"]
    assert (res.value, res.note) == ("for", "later")


def test_history_as_of_gives_the_value_holding_that_day(tmp_path: Path) -> None:
    ds = _with_history(tmp_path)
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 6, 1))["KAZ"].value == "abstained"
    assert compute(ds, "un_es11_1", as_of=dt.date(2023, 1, 1))["KAZ"].value == "for"
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 3, 1))["KAZ"].value == NO_DATA


def test_as_of_cites_only_facts_dated_on_or_before_it(tmp_path: Path) -> None:
    d = synthetic.docs()
    kaz = synthetic.props(d, "countries.geojson", "KAZ")
    # back the vote with a second, later fact of KAZ's: before that day only the first counts
    later = next(f["id"] for f in kaz["facts"] if f["date"] > "2022-03-02")
    kaz["indicators"]["un_es11_1"]["facts"].append(later)
    ds = _load(tmp_path, d)
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 3, 5))["KAZ"].facts == ("kaz-un-vote",)
    assert set(compute(ds, "un_es11_1")["KAZ"].facts) == {"kaz-un-vote", later}


def test_a_bad_entry_in_a_history_drops_only_that_entry(tmp_path: Path) -> None:
    d = synthetic.docs()
    kaz = synthetic.props(d, "countries.geojson", "KAZ")
    first = kaz["indicators"]["un_es11_1"]
    kaz["indicators"]["un_es11_1"] = [first, {"value": "maybe", "facts": first["facts"]}]
    ds = store.load(*synthetic.write(tmp_path, d))
    assert [p.field for p in ds.problems] == ["indicators.un_es11_1.1.value"]
    assert compute(ds, "un_es11_1")["KAZ"].value == "abstained"
