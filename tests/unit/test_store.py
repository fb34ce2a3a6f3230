"""The loader: valid data loads whole; each kind of bad input is reported where it stands
(file, feature, fact, field) and the valid rest is still loaded."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from central_asia_atlas import dataset, store
from central_asia_atlas.model import FIVE, Kind
from tests.support import datasets
from tests.support.bad_inputs import CASES, Case, build, expected_file


def _fact_ids(ds: dataset.Dataset) -> set[str]:
    return {ref.fact.id for ref in ds.fact_refs()}


def test_valid_synthetic_dataset_loads_whole(minimal_ds: dataset.Dataset) -> None:
    assert minimal_ds.problems == ()
    assert minimal_ds.ok
    assert minimal_ds.counts() == {
        "facts": 7,
        "sources": 3,
        "countries": 5,
        "routes": 1,
        "events": 1,
    }
    assert _fact_ids(minimal_ds) == datasets.ALL_FACTS
    assert [c.props.iso3 for c in minimal_ds.countries] == list(FIVE)
    assert set(minimal_ds.texts) == {"seed-report"}
    assert minimal_ds.texts["seed-report"] == datasets.SEED_TEXT  # \r\n kept as is


def test_facts_for_country_gathers_facts_wherever_stored(minimal_ds: dataset.Dataset) -> None:
    kaz = [(r.fact.id, r.kind, r.owner) for r in minimal_ds.facts_for_country("KAZ")]
    # oldest first; own facts, region facts naming it, route and event facts naming it
    assert kaz == [
        ("kaz-un-vote", Kind.country, "KAZ"),
        ("kaz-rebuke", Kind.country, "KAZ"),
        ("event-meeting", Kind.event, "test-meeting"),
        ("region-summit", Kind.region, "central-asia"),
        ("region-summit-ref", Kind.region, "central-asia"),
        ("route-oil", Kind.route, "test-pipeline"),
    ]
    tjk = [r.fact.id for r in minimal_ds.facts_for_country("TJK")]
    assert tjk == ["region-summit", "region-summit-ref"]


def test_lookups(minimal_ds: dataset.Dataset) -> None:
    kaz = minimal_ds.country("KAZ")
    assert kaz is not None and kaz.geometry is not None
    assert kaz.geometry.geom_type == "Polygon"
    assert minimal_ds.country("RUS") is None
    route = minimal_ds.route("test-pipeline")
    assert route is not None and route.geometry is not None
    assert route.geometry.geom_type == "LineString"
    assert minimal_ds.route("nope") is None
    event = minimal_ds.event("test-meeting")
    assert event is not None and event.props.date == dt.date(2022, 10, 27)
    assert minimal_ds.event("nope") is None
    f = minimal_ds.fact("uzb-aid")
    assert f is not None and f.date == dt.date(2022, 3, 10)
    assert minimal_ds.fact("nope") is None
    ref = minimal_ds.fact_ref("route-oil")
    assert ref is not None and (ref.kind, ref.owner) == (Kind.route, "test-pipeline")
    assert ref.concerns == frozenset({"KAZ"})


def test_html_in_a_text_field_is_kept_as_text(tmp_path: Path) -> None:
    """The loader neither rejects nor alters markup: escaping happens when rendering."""
    markup = '<script>alert("x")</script> & <b>bold</b> &amp;'
    d = datasets.docs()
    datasets.fact(d, "route-oil")["summary"] = markup
    datasets.fact(d, "route-oil")["note"] = markup
    datasets.props(d, "countries.geojson", "KGZ")["name"] = markup
    ds = store.load(*datasets.write(tmp_path, d))
    assert ds.problems == ()
    f = ds.fact("route-oil")
    assert f is not None and f.summary == markup and f.note == markup
    kgz = ds.country("KGZ")
    assert kgz is not None and kgz.props.name == markup


@pytest.mark.parametrize("value", [["moscow_balance"], {"key": "moscow_balance"}, 3, "nope"])
def test_a_default_that_names_no_indicator_is_reported_and_dropped(
    value: object, tmp_path: Path
) -> None:
    """Found by the fuzz test below: a list as `default` raised TypeError (unhashable)."""
    d = datasets.docs()
    d["indicators.yaml"]["default"] = value
    ds = store.load(*datasets.write(tmp_path, d))
    assert ds.catalogue.default is None
    [problem] = [p for p in ds.problems if p.field == "default"]
    assert problem.file == "data/indicators.yaml" and repr(value) in problem.message


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_located_and_the_rest_is_kept(case: Case, tmp_path: Path) -> None:
    data, seeds = build(tmp_path, case)
    ds = store.load(data, seeds)

    got = [(p.file, p.feature, p.fact, p.field) for p in ds.problems]
    for e in case.expect:
        where = (expected_file(e, data, seeds), e.feature, e.fact, e.field)
        matching = [p for p in ds.problems if (p.file, p.feature, p.fact, p.field) == where]
        assert matching, f"expected a problem at {where}; got {got}"
        assert any(e.message in p.message for p in matching), [p.message for p in matching]
    if case.extra.get("exact", True):
        assert len(ds.problems) == len(case.expect), [str(p) for p in ds.problems]
    else:
        assert len(ds.problems) >= len(case.expect)

    # nothing valid lost
    assert _fact_ids(ds) == datasets.ALL_FACTS - case.lost_facts
    assert {c.props.iso3 for c in ds.countries} == datasets.ALL_COUNTRIES - case.lost_countries
    assert len(ds.routes) == 1 - case.lost_routes
    assert len(ds.events) == 1 - case.lost_events
    assert set(ds.sources) == datasets.ALL_SOURCES - case.lost_sources
    expected_indicators = {
        "KAZ": {"un_es11_1", "kremlin_rebuke"},
        "UZB": {"humanitarian_aid"},
        "KGZ": set(),
        "TJK": set(),
        "TKM": set(),
    }
    expected_indicators.update(case.extra.get("indicators", {}))
    for c in ds.countries:
        backed = {
            key
            for key, history in c.props.indicators.items()
            if all(ds.fact(fid) is not None for val in history for fid in val.facts)
        }
        assert set(c.props.indicators) == backed, "an indicator kept without its facts"
        if not (case.lost_facts & {"kaz-rebuke", "kaz-un-vote", "uzb-aid"}):
            assert set(c.props.indicators) == expected_indicators[c.props.iso3]
    for fid, n in case.extra.get("relations", {}).items():
        f = ds.fact(fid)
        assert f is not None and len(f.relations) == n


def test_duplicate_fact_id_keeps_the_first(tmp_path: Path) -> None:
    d = datasets.docs()
    datasets.fact(d, "event-meeting")["id"] = "route-oil"
    ds = store.load(*datasets.write(tmp_path, d))
    ref = ds.fact_ref("route-oil")
    assert ref is not None and ref.kind is Kind.route
    assert ref.fact.excerpt == "A pipeline carries oil across the steppe."
    event = ds.event("test-meeting")
    assert event is not None and event.props.facts == []


def test_unknown_feature_property_keeps_the_feature(tmp_path: Path) -> None:
    d = datasets.docs()
    datasets.props(d, "countries.geojson", "KAZ")["flag"] = "x"
    ds = store.load(*datasets.write(tmp_path, d))
    assert [(p.feature, p.field) for p in ds.problems] == [("KAZ", "flag")]
    kaz = ds.country("KAZ")
    assert kaz is not None
    assert {f.id for f in kaz.props.facts} == {"kaz-rebuke", "kaz-un-vote"}
    assert set(kaz.props.indicators) == {"un_es11_1", "kremlin_rebuke"}


def test_unknown_feature_property_with_another_error_drops_the_feature(tmp_path: Path) -> None:
    d = datasets.docs()
    p = datasets.props(d, "routes.geojson", "test-pipeline")
    p["flag"] = "x"
    p["commodity"] = "water"
    ds = store.load(*datasets.write(tmp_path, d))
    assert sorted((p.feature, p.field) for p in ds.problems) == [
        ("test-pipeline", "commodity"),
        ("test-pipeline", "flag"),
    ]
    assert ds.routes == ()


def test_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, seeds = datasets.write(tmp_path, datasets.docs())
    files = [data / f for f in datasets.DATA_FILES] + [seeds / "sources.yaml"]
    files.append(seeds / datasets.SEED_FILE)
    limit = (data / "events.geojson").stat().st_size - 1
    too_big = {f"{p.parent.name}/{p.name}" for p in files if p.stat().st_size > limit}
    assert "data/events.geojson" in too_big and len(too_big) < len(files)
    monkeypatch.setattr(store, "MAX_FILE_BYTES", limit)
    ds = store.load(data, seeds)
    refused = {p.file for p in ds.problems if f"over the {limit:,}-byte limit" in p.message}
    assert refused == too_big, [str(p) for p in ds.problems]
    assert len(ds.events) == 0
    assert len(ds.countries) == (0 if "data/countries.geojson" in too_big else 5)


def test_problem_prints_on_one_line() -> None:
    p = dataset.Problem("data/x.geojson", "bad\nvalue\r\u2028", "f\n1", "a\tb", "c")
    assert str(p) == r"data/x.geojson, feature f\n1, fact a\tb, field c: bad\nvalue\r\u2028"
    assert "\n" not in str(p)
    assert str(dataset.Problem("data/x.geojson", "plain")) == "data/x.geojson: plain"


def test_shipped_data_copy_breaks_where_we_break_it(data_copy: tuple[Path, Path]) -> None:
    """On a copy of the shipped data: alter the first fact with an excerpt by one character;
    exactly that fact is reported and left out, every other fact is kept."""
    data, seeds = data_copy
    before = store.load(data, seeds)
    assert before.problems == (), [str(p) for p in before.problems]
    target = None
    for name in datasets.DATA_FILES:
        doc = json.loads((data / name).read_text(encoding="utf-8"))
        for feat in doc["features"]:
            for f in feat["properties"].get("facts", []):
                if f.get("excerpt"):
                    target = (name, f["id"])
                    f["excerpt"] = f["excerpt"][:-1] + ("#" if f["excerpt"][-1] != "#" else "%")
                    break
            if target:
                break
        if target:
            (data / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            break
    assert target is not None, "the shipped data has no fact with an excerpt"
    after = store.load(data, seeds)
    assert [(p.file, p.fact, p.field) for p in after.problems if p.fact == target[1]] == [
        (f"data/{target[0]}", target[1], "excerpt")
    ]
    assert _fact_ids(after) == _fact_ids(before) - {target[1]}


# --- fuzzing: whatever a value becomes, loading reports it and never raises ---------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a parsed document."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        doc = doc[step]
    doc[path[-1]] = value


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_value_replaced_anywhere_is_reported_not_raised(data: st.DataObject) -> None:
    d = datasets.docs()
    name = data.draw(st.sampled_from([*datasets.DATA_FILES, "sources.yaml"]))
    path = data.draw(st.sampled_from(_paths(d[name])))
    _replace(d[name], path, data.draw(json_values))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, seeds_dir = datasets.write(Path(tmp), d)
        ds = store.load(data_dir, seeds_dir)  # must not raise
        for p in ds.problems:
            assert p.file and p.message
            assert len(str(p).splitlines()) == 1
        # a problem or not, every fact kept is checked: its source exists, its words stand
        for ref in ds.fact_refs():
            src = ds.sources[ref.fact.source]
            if src.file:
                f = ref.fact
                assert f.start is not None and f.end is not None
                assert ds.texts[src.id][f.start : f.end] == f.excerpt
        if not ds.problems:
            assert len(ds.countries) == 5


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([*datasets.DATA_FILES, "sources.yaml", datasets.SEED_FILE]),
    st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
)
def test_any_bytes_in_any_file_are_reported_not_raised(name: str, content: bytes) -> None:
    d = datasets.docs()
    d[name] = content
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, seeds_dir = datasets.write(Path(tmp), d)
        ds = store.load(data_dir, seeds_dir)  # must not raise
    label = f"{'seeds' if name in ('sources.yaml', datasets.SEED_FILE) else 'data'}/{name}"
    if name == datasets.SEED_FILE:  # each fact quoting the seed is reported and left out
        for fid in ("kaz-rebuke", "uzb-aid", "region-summit", "route-oil", "event-meeting"):
            assert ds.fact(fid) is None and any(p.fact == fid for p in ds.problems)
    else:  # the file itself is reported (random bytes are never a valid collection)
        assert any(p.file == label for p in ds.problems), [str(p) for p in ds.problems]
    assert all(len(str(p).splitlines()) == 1 for p in ds.problems)


def test_the_country_and_region_indexes_hold_what_a_scan_finds(tmp_path: Path) -> None:
    """Dataset._by_country, region_only_facts, latest_fact_date and dated_span (computed once,
    read at every panel rerun) against a plain scan of every fact and event."""
    d = datasets.docs()
    del datasets.fact(d, "region-summit-ref")["countries"]  # about the region as a whole
    ds = store.load(*datasets.write(tmp_path, d))
    assert not ds.problems, ds.problems
    refs = list(ds.fact_refs())
    for iso3 in FIVE:
        scan = sorted(
            (r for r in refs if iso3 in r.concerns), key=lambda r: (r.fact.date, r.fact.id)
        )
        assert [r.fact.id for r in ds.facts_for_country(iso3)] == [r.fact.id for r in scan]
        assert scan  # every country has facts: the comparison is not vacuous
    region = [r.fact.id for r in refs if r.kind is Kind.region and not r.fact.countries]
    assert [r.fact.id for r in ds.region_only_facts()] == region and region
    assert ds.latest_fact_date == max(r.fact.date for r in refs)
    dates = [r.fact.date for r in refs] + [e.props.date for e in ds.events]
    assert ds.dated_span == (min(dates), max(dates)) and ds.events
    assert ds.facts_for_country("XXX") == []
