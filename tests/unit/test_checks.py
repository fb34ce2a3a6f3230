"""The checks across the data (checks.run, called last by store.load): each fires on a crafted
bad copy of the shipped data and names file, feature, fact and field; the shipped data passes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from central_asia_atlas import checks, dataset, store
from central_asia_atlas.curation import dump_collection
from tests.support.cli import run_cli
from tests.support.shipped import shipped

Doc = dict[str, Any]


def edit(data: Path, file: str, change: Callable[[Doc], None]) -> None:
    path = data / file
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(dump_collection(doc), encoding="utf-8")


def first(doc: Doc) -> Doc:
    props: Doc = doc["features"][0]["properties"]
    return props


def new_problems(data: Path, seeds: Path, before: dataset.Dataset) -> list[dataset.Problem]:
    old = set(before.problems)
    return [p for p in store.load(data, seeds).problems if p not in old]


def test_the_shipped_data_passes_the_checks() -> None:
    ds = shipped()
    problems, warnings = checks.run(ds, dataset.DATA_DIR, dataset.SEEDS_DIR)
    assert problems == [], [str(p) for p in problems]
    assert all(w.file == "seeds/sources.yaml" and w.feature for w in warnings)


def test_a_swapped_route_point_is_named(data_copy: tuple[Path, Path]) -> None:
    data, seeds = data_copy
    before = store.load(data, seeds)
    rid: list[str] = []

    def swap(doc: Doc) -> None:
        # a route point east of 62°E: written [lat, lon], its "latitude" is beyond the map's
        # northern edge (a swapped point west of it, in the Caucasus, stays inside the box)
        feat = next(
            f
            for f in doc["features"]
            if f["geometry"]["type"] == "LineString"
            and any(x > 62 for x, _ in f["geometry"]["coordinates"][1:2])
        )
        rid.append(feat["properties"]["id"])
        line = feat["geometry"]["coordinates"]
        line[1] = [line[1][1], line[1][0]]

    edit(data, "routes.geojson", swap)
    (p,) = new_problems(data, seeds, before)
    assert (p.file, p.feature, p.fact, p.field) == ("data/routes.geojson", rid[0], None, "geometry")
    assert "point 1 (of " in p.message and "outside the map's region" in p.message
    assert "likely swapped" in p.message


def test_an_event_far_away_is_outside_but_not_swapped(data_copy: tuple[Path, Path]) -> None:
    data, seeds = data_copy
    before = store.load(data, seeds)
    edit(
        data,
        "events.geojson",
        lambda d: d["features"][0].update(
            geometry={"type": "Point", "coordinates": [151.2, -33.9]}  # Sydney
        ),
    )
    (p,) = new_problems(data, seeds, before)
    eid = json.loads((data / "events.geojson").read_text())["features"][0]["properties"]["id"]
    assert (p.file, p.feature, p.field) == ("data/events.geojson", eid, "geometry")
    x0, y0, x1, y1 = checks.REGION
    assert p.message == (
        f"the point at lon 151.2, lat -33.9 lies outside the map's region "
        f"(lon {x0:g}..{x1:g}, lat {y0:g}..{y1:g})"
    )


@pytest.mark.parametrize("file", ["countries.geojson", "region.geojson", "routes.geojson"])
def test_a_fact_in_the_future(data_copy: tuple[Path, Path], file: str) -> None:
    data, seeds = data_copy
    before = store.load(data, seeds)
    where: list[str] = []

    def future(doc: Doc) -> None:
        for feat in doc["features"]:
            props = feat["properties"]
            for fact in props.get("facts", []):
                if not where:
                    fact["date"] = "2030-01-01"
                    where.extend([props.get("iso3") or props["id"], fact["id"]])

    edit(data, file, future)
    found = new_problems(data, seeds, before)
    assert [(p.file, p.feature, p.fact, p.field) for p in found] == [
        (f"data/{file}", where[0], where[1], "date")
    ]
    assert found[0].message.startswith("date 2030-01-01 is in the future (after today, ")


def test_an_event_in_the_future(data_copy: tuple[Path, Path]) -> None:
    data, seeds = data_copy
    ds = store.load(data, seeds)
    ev = ds.events[0]
    problems, _ = checks.run(ds, data, seeds, today=ev.props.date - dt.timedelta(days=1))
    mine = [p for p in problems if p.feature == ev.props.id and p.fact is None]
    assert [(p.file, p.field) for p in mine][:1] == [("data/events.geojson", "date")]
    assert mine[0].message.startswith(f"date {ev.props.date} is in the future")


def test_a_source_published_or_accessed_in_the_future(data_copy: tuple[Path, Path]) -> None:
    data, seeds = data_copy
    before = store.load(data, seeds)
    path = seeds / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    accessed: 2026-11-23\n", "    accessed: 2031-02-03\n", 1)
    path.write_text(text, encoding="utf-8")
    found = new_problems(data, seeds, before)
    assert len(found) == 1
    p = found[0]
    assert (p.file, p.field) == ("seeds/sources.yaml", "accessed")
    assert p.feature is not None and p.feature.startswith("source ")
    assert p.message.startswith("accessed 2031-02-03 is in the future")


def test_a_fact_dated_after_its_source(data_copy: tuple[Path, Path]) -> None:
    data, seeds = data_copy
    before = store.load(data, seeds)
    src = before.sources["afp-moscow-times-2022-10-27"]
    assert src.published == dt.date(2022, 10, 27)
    ref = next(
        r for r in before.fact_refs() if r.fact.source == src.id and r.kind.value == "country"
    )

    def later(doc: Doc) -> None:
        for feat in doc["features"]:
            for fact in feat["properties"].get("facts", []):
                if fact["id"] == ref.fact.id:
                    fact["date"] = "2022-11-05"

    edit(data, "countries.geojson", later)
    (p,) = new_problems(data, seeds, before)
    assert (p.file, p.feature, p.fact, p.field) == (
        "data/countries.geojson",
        ref.owner,
        ref.fact.id,
        "date",
    )
    assert p.message.startswith(
        "fact dated 2022-11-05, after its source 'afp-moscow-times-2022-10-27' was published "
        "(2022-10-27)"
    )


def test_one_url_per_source(data_copy: tuple[Path, Path]) -> None:
    data, seeds = data_copy
    before = store.load(data, seeds)
    path = seeds / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    # a second source with the URL of the EUobserver piece, spelled with an upper-case host
    # and a trailing slash
    text += (
        "  - id: test-copy-of-the-opinion\n"
        "    title: A repost\n"
        "    outlet: Test\n"
        "    url: https://EUOBSERVER.com/opinion/155808/\n"
        "    accessed: 2026-12-01\n"
        "    kind: aggregator\n"
    )
    path.write_text(text, encoding="utf-8")
    (p,) = new_problems(data, seeds, before)
    assert (p.file, p.feature, p.field) == (
        "seeds/sources.yaml",
        "source test-copy-of-the-opinion",
        "url",
    )
    assert "also the URL of source 'euobserver-2023-06-09-de-ruyt'" in p.message


def test_normalise_url() -> None:
    n = checks.normalise_url
    assert (
        n("HTTPS://Example.ORG/a/b/") == n("https://example.org/a/b") == "https://example.org/a/b"
    )
    assert n("https://example.org/A") != n("https://example.org/a")  # paths are case-sensitive
    assert n("https://example.org/a?x=1") != n("https://example.org/a?x=2")


def test_an_uncited_source_is_a_warning_and_validate_still_passes(
    data_copy: tuple[Path, Path],
) -> None:
    data, seeds = data_copy
    with (seeds / "sources.yaml").open("a", encoding="utf-8") as out:
        out.write(
            "  - id: test-nobody-cites-me\n    title: Unused\n    outlet: Test\n    kind: dataset\n"
        )
    ds = store.load(data, seeds)
    assert ds.problems == (), [str(p) for p in ds.problems]
    assert [str(w) for w in ds.warnings if "test-nobody" in str(w)] == [
        "seeds/sources.yaml, feature source test-nobody-cites-me: no fact, capital, route "
        "geometry or event place cites this source"
    ]
    run = run_cli("validate", "--data", str(data), "--seeds", str(seeds))
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert "warning: seeds/sources.yaml, feature source test-nobody-cites-me: " in run.stdout
    assert lines[-3].startswith("own facts: KAZ ")
    # after the latest stored document's publication (the seeds' own dates, not a fixed day)
    latest = max(s.published for s in ds.sources.values() if s.file and s.published)
    assert lines[-2].startswith(f"after {latest.isoformat()}: ") and "% of facts (" in lines[-2]
    assert lines[-1].startswith("OK: ")
    # the warnings come before the coverage lines
    warn_at = max(i for i, line in enumerate(lines) if line.startswith("warning: "))
    assert warn_at < len(lines) - 3
