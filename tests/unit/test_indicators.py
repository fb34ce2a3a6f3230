"""Indicator values computed from the synthetic dataset: stored values, no data, "as of" dates,
and the transparent count of signals of distance from Moscow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from central_asia_atlas import dataset, store
from central_asia_atlas.catalogue import ComputedSpec
from central_asia_atlas.indicators import NO_DATA, NO_DATA_COLOR, compute, signal_facts
from central_asia_atlas.model import FIVE
from tests.support import datasets

OI_YELLOW = "#F0E442"  # "abstained" in the catalogue fixture
DISTANCE = ("un_vote_not_with_russia", "rebuked_kremlin", "humanitarian_aid_ukraine")


def _load(tmp_path: Path, d: dict[str, Any] | None = None) -> dataset.Dataset:
    ds = store.load(*datasets.write(tmp_path, d if d is not None else datasets.docs()))
    assert ds.problems == (), [str(p) for p in ds.problems]
    return ds


def test_every_indicator_of_the_fixture_is_computed_for_the_five(
    minimal_ds: dataset.Dataset,
) -> None:
    assert minimal_ds.catalogue.indicators
    for key in minimal_ds.catalogue.indicators:
        res = compute(minimal_ds, key)
        assert set(res) == set(FIVE), key


def test_stored_value_with_its_facts(minimal_ds: dataset.Dataset) -> None:
    res = compute(minimal_ds, "un_es11_1")
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


def test_every_result_with_a_value_carries_existing_fact_ids(minimal_ds: dataset.Dataset) -> None:
    for key, as_of in [
        (k, d)
        for k in minimal_ds.catalogue.indicators
        for d in (None, dt.date(2022, 3, 5), dt.date(2022, 1, 1))
    ]:
        for iso3, r in compute(minimal_ds, key, as_of=as_of).items():
            assert r.iso3 == iso3
            if r.value in (NO_DATA, "0"):
                assert r.facts == ()  # nothing to cite: no value, or no signal
                continue
            assert r.facts, (key, iso3, r)
            for fid in r.facts:
                ref = minimal_ds.fact_ref(fid)
                assert ref is not None and iso3 in ref.concerns
                assert as_of is None or ref.fact.date <= as_of


def test_as_of_before_the_earliest_fact_gives_no_data(minimal_ds: dataset.Dataset) -> None:
    assert compute(minimal_ds, "un_es11_1", as_of=dt.date(2022, 3, 1))["KAZ"].value == NO_DATA
    assert compute(minimal_ds, "un_es11_1", as_of=dt.date(2022, 3, 2))["KAZ"].value == "abstained"
    assert compute(minimal_ds, "kremlin_rebuke", as_of=dt.date(2022, 6, 16))["KAZ"].value == NO_DATA
    assert (
        compute(minimal_ds, "kremlin_rebuke", as_of=dt.date(2022, 6, 17))["KAZ"].value == "rebuked"
    )


def test_as_of_before_an_explicit_since_gives_no_data(tmp_path: Path) -> None:
    d = datasets.docs()
    datasets.props(d, "countries.geojson", "KAZ")["indicators"]["un_es11_1"]["since"] = "2022-04-01"
    ds = _load(tmp_path, d)
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 3, 15))["KAZ"].value == NO_DATA
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 4, 1))["KAZ"].value == "abstained"
    assert compute(ds, "un_es11_1")["KAZ"].value == "abstained"


def test_note_of_a_stored_value_is_passed_on(tmp_path: Path) -> None:
    d = datasets.docs()
    datasets.props(d, "countries.geojson", "UZB")["indicators"]["humanitarian_aid"]["note"] = (
        "Reported by one source."
    )
    ds = _load(tmp_path, d)
    assert compute(ds, "humanitarian_aid")["UZB"].note == "Reported by one source."


def test_distance_signals_counts_distinct_kinds(minimal_ds: dataset.Dataset) -> None:
    res = compute(minimal_ds, "distance_signals")
    # KAZ: UN vote, rebuke; UZB: aid; the others: none (the EU summit is a tie to the EU)
    assert {iso3: r.value for iso3, r in res.items()} == {
        "KAZ": "2",
        "UZB": "1",
        "KGZ": "0",
        "TJK": "0",
        "TKM": "0",
    }
    spec = minimal_ds.catalogue.indicators["distance_signals"]
    assert isinstance(spec, ComputedSpec)
    assert set(res["KAZ"].facts) == {"kaz-un-vote", "kaz-rebuke"}
    assert res["KAZ"].color == spec.palette[2]
    assert res["KAZ"].label == "2 kinds cited" and res["UZB"].label == "1 kind cited"
    assert res["KAZ"].note == "; ".join(minimal_ds.catalogue.signal_label(s) for s in DISTANCE[:2])
    eu = compute(minimal_ds, "eu_ties")
    assert {r.value for r in eu.values()} == {"1"}  # the summit, for all five
    assert eu["TKM"].facts == ("region-summit",)


def test_both_sides_are_counted_the_same_way_and_the_balance_subtracts(tmp_path: Path) -> None:
    d = datasets.docs()
    datasets.fact(d, "route-oil")["signals"] = ["russian_energy", "eaeu_member"]
    ds = _load(tmp_path, d)
    ties = compute(ds, "ties_to_moscow")["KAZ"]
    assert (ties.value, ties.label) == ("2", "2 kinds cited")
    assert set(ties.facts) == {"route-oil"}
    balance = compute(ds, "moscow_balance")
    assert balance["KAZ"].value == "0"  # 2 kinds of distance against 2 ties
    assert balance["KAZ"].label == "0 (2 against 2)"
    assert balance["UZB"].value == "1" and balance["UZB"].label == "+1 (1 against 0)"
    assert "Ties to Moscow: " in (balance["KAZ"].note or "")
    spec = ds.catalogue.indicators["moscow_balance"]
    assert isinstance(spec, ComputedSpec) and spec.is_balance
    assert balance["KAZ"].color == spec.palette[len(spec.palette) // 2]  # the middle: neutral
    datasets.fact(d, "route-oil")["signals"] += [
        "csto_member",
        "russian_nuclear",
        "russian_military_presence",
    ]
    ds = store.load(*datasets.write(tmp_path / "more", d))
    lean = compute(ds, "moscow_balance")["KAZ"]
    assert lean.value == "-3" and lean.label.startswith("−3") and lean.color == spec.color_for(-3)


def test_a_second_fact_of_the_same_kind_adds_a_fact_not_a_signal(tmp_path: Path) -> None:
    d = datasets.docs()
    datasets.fact(d, "route-oil")["signals"] = ["rebuked_kremlin"]
    ds = _load(tmp_path, d)
    kaz = compute(ds, "distance_signals")["KAZ"]
    assert kaz.value == "2"
    assert set(kaz.facts) == {"kaz-un-vote", "kaz-rebuke", "route-oil"}
    assert signal_facts(ds, "KAZ")["rebuked_kremlin"] == ("kaz-rebuke", "route-oil")


def test_distance_signals_counts_only_the_chosen_kinds(minimal_ds: dataset.Dataset) -> None:
    res = compute(minimal_ds, "distance_signals", signals=["rebuked_kremlin", "eu_engagement"])
    assert {iso3: r.value for iso3, r in res.items()} == {
        "KAZ": "1",
        "UZB": "0",
        "KGZ": "0",
        "TJK": "0",
        "TKM": "0",
    }
    assert set(res["KAZ"].facts) == {"kaz-rebuke"}
    none = compute(minimal_ds, "distance_signals", signals=["refused_recognition"])
    assert {r.value for r in none.values()} == {"0"}
    assert {r.facts for r in none.values()} == {()}
    assert {r.note for r in none.values()} == {None}


def test_distance_signals_as_of_a_date(minimal_ds: dataset.Dataset) -> None:
    res = compute(minimal_ds, "distance_signals", as_of=dt.date(2022, 3, 5))
    assert res["KAZ"].value == "1" and res["KAZ"].facts == ("kaz-un-vote",)
    assert res["UZB"].value == "0" and res["UZB"].facts == ()
    assert signal_facts(minimal_ds, "UZB", as_of=dt.date(2022, 3, 10)) == {
        "humanitarian_aid_ukraine": ("uzb-aid",)
    }


def test_signal_count_never_exceeds_the_top_class(tmp_path: Path) -> None:
    d = datasets.docs()
    every = list(datasets.catalogue_signals())
    datasets.fact(d, "route-oil")["signals"] = every
    ds = _load(tmp_path, d)
    spec = ds.catalogue.indicators["distance_signals"]
    assert isinstance(spec, ComputedSpec)
    kaz = compute(ds, "distance_signals")["KAZ"]
    assert int(kaz.value) == len(ds.catalogue.signals_of(spec.sides))  # the count itself
    assert kaz.color == spec.palette[-1]  # coloured as the top class ("n or more")
    assert spec.class_label(99).endswith("or more kinds cited")


def test_unknown_indicator_key_raises_key_error(minimal_ds: dataset.Dataset) -> None:
    with pytest.raises(KeyError):
        compute(minimal_ds, "popularity")


def _with_history(tmp_path: Path) -> dataset.Dataset:
    """KAZ's UN-vote indicator as a history: 'did not vote' from its fact, then 'for' later."""
    d = datasets.docs()
    kaz = datasets.props(d, "countries.geojson", "KAZ")
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
    d = datasets.docs()
    kaz = datasets.props(d, "countries.geojson", "KAZ")
    # back the vote with a second, later fact of KAZ's: before that day only the first counts
    later = next(f["id"] for f in kaz["facts"] if f["date"] > "2022-03-02")
    kaz["indicators"]["un_es11_1"]["facts"].append(later)
    ds = _load(tmp_path, d)
    assert compute(ds, "un_es11_1", as_of=dt.date(2022, 3, 5))["KAZ"].facts == ("kaz-un-vote",)
    assert set(compute(ds, "un_es11_1")["KAZ"].facts) == {"kaz-un-vote", later}


def test_a_bad_entry_in_a_history_drops_only_that_entry(tmp_path: Path) -> None:
    d = datasets.docs()
    kaz = datasets.props(d, "countries.geojson", "KAZ")
    first = kaz["indicators"]["un_es11_1"]
    kaz["indicators"]["un_es11_1"] = [first, {"value": "maybe", "facts": first["facts"]}]
    ds = store.load(*datasets.write(tmp_path, d))
    assert [p.field for p in ds.problems] == ["indicators.un_es11_1.1.value"]
    assert compute(ds, "un_es11_1")["KAZ"].value == "abstained"
