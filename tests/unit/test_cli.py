"""`python -m central_asia_atlas validate`, run in-process through `main(argv)` (and, for the
console's encoding and a reader that goes away, as a subprocess): exit 0 and a count line on
valid data; otherwise exit 1, one line per problem naming file, feature, fact and
field, and never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from central_asia_atlas import store
from tests.support import datasets
from tests.support.bad_inputs import CASES, Case, build, expected_file
from tests.support.cli import Run, clean_env, run_cli, run_process
from tests.support.paths import ROOT


def _validate(*args: str) -> Run:
    return run_cli("validate", *args)


def _no_traceback(run: Run) -> None:
    assert "Traceback" not in run.stdout + run.stderr, run.stderr


def test_valid_data_exits_0_with_the_counts(tmp_path: Path) -> None:
    data, seeds = datasets.write(tmp_path, datasets.docs())
    run = _validate("--data", str(data), "--seeds", str(seeds))
    _no_traceback(run)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == (
        "own facts: KAZ 2, UZB 1, KGZ 0, TJK 0, TKM 0\n"
        "after 2022-10-27: 0% of facts (0 of 7)\n"  # the seed document's own date
        "OK: 7 facts, 3 sources, 5 countries, 1 routes, 1 events\n"
    )
    assert run.stderr == ""


def test_options_after_the_subcommand_too(tmp_path: Path) -> None:
    data, seeds = datasets.write(tmp_path, datasets.docs())
    run = run_cli("--data", str(data), "--seeds", str(seeds), "validate")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1].startswith("OK: 7 facts"), run.stdout


def test_shipped_data_validates() -> None:
    run = _validate()
    _no_traceback(run)
    assert run.returncode == 0, run.stdout + run.stderr
    *warnings, own, later, ok = run.stdout.splitlines()
    assert all(w.startswith("warning: seeds/sources.yaml, feature source ") for w in warnings)
    assert re.fullmatch(r"own facts: KAZ \d+, UZB \d+, KGZ \d+, TJK \d+, TKM \d+", own), own
    assert re.fullmatch(r"after \d{4}-\d{2}-\d{2}: \d+% of facts \(\d+ of \d+\)", later), later
    assert re.fullmatch(r"OK: \d+ facts, \d+ sources, 5 countries, \d+ routes, \d+ events", ok)


def _where(line: str) -> tuple[str, str | None, str | None, str | None]:
    """Parse 'FILE[, feature F][, fact X][, field Y]: message' back into its parts."""
    head = line.split(": ", 1)[0]
    parts = head.split(", ")
    found: dict[str, str] = {}
    for part in parts[1:]:
        key, _, value = part.partition(" ")
        found[key] = value
    return parts[0], found.get("feature"), found.get("fact"), found.get("field")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_reports_each_problem_on_one_line(case: Case, tmp_path: Path) -> None:
    data, seeds = build(tmp_path, case)
    run = _validate("--data", str(data), "--seeds", str(seeds))
    _no_traceback(run)
    assert run.returncode == 1, run.stdout
    lines = [line for line in run.stdout.splitlines() if not line.startswith("warning: ")]
    n = len(store.load(data, seeds).problems)
    assert len(lines) == n, lines
    assert re.fullmatch(rf"FAILED: {n} problem\(s\); loaded \d+ facts, .*\n", run.stderr)
    parsed = [_where(line) for line in lines]
    for e in case.expect:
        fact = None if e.fact is None else e.fact.replace("\n", "\\n")  # printed escaped
        where = (expected_file(e, data, seeds), e.feature, fact, e.field)
        hits = [line for line, p in zip(lines, parsed, strict=True) if p == where]
        assert hits, f"no line for {where} in {lines}"
        assert any(e.message in line for line in hits), hits


def test_file_over_the_size_limit_via_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, seeds = datasets.write(tmp_path, datasets.docs())
    size = (data / "routes.geojson").stat().st_size
    monkeypatch.setattr(store, "MAX_FILE_BYTES", size - 1)
    run = _validate("--data", str(data), "--seeds", str(seeds))
    _no_traceback(run)
    assert run.returncode == 1
    assert f"data/routes.geojson: file is {size:,} bytes, over the {size - 1:,}-byte limit" in (
        run.stdout
    )


def test_a_console_that_cannot_show_a_character_gets_an_escape(tmp_path: Path) -> None:
    d = datasets.docs()
    datasets.fact(d, "route-oil")["id"] = "route-\u00e9t\u00e9"  # not a valid id
    data, seeds = datasets.write(tmp_path, d)
    args = ("-m", "central_asia_atlas", "validate", "--data", str(data), "--seeds", str(seeds))
    run = run_process(*args, env=clean_env(PYTHONIOENCODING="ascii"))
    _no_traceback(run)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "data/routes.geojson, feature test-pipeline, fact route-\\xe9t\\xe9, field id: "
        "String should match pattern '^[a-z0-9][a-z0-9-]{1,79}$'"
    ]


def test_output_cut_short_by_the_reader_is_no_error(tmp_path: Path) -> None:
    """`validate | head -1` with thousands of problems: no BrokenPipeError, no traceback."""
    d = datasets.docs()
    facts = datasets.props(d, "routes.geojson", "test-pipeline")["facts"]
    template = datasets.fact(d, "route-oil")
    facts[:] = [{**template, "id": f"fact-{i}", "category": "weather"} for i in range(3000)]
    data, seeds = datasets.write(tmp_path, d)
    cmd = [sys.executable, "-m", "central_asia_atlas", "validate"]
    proc = subprocess.Popen(
        [*cmd, "--data", str(data), "--seeds", str(seeds)],
        cwd=ROOT,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away while thousands of lines remain unwritten
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=120) == 1
    assert first.startswith("data/routes.geojson, feature test-pipeline, fact fact-0")
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def _anchor(data: Path, seeds: Path) -> Run:
    return run_cli("anchor", "--data", str(data), "--seeds", str(seeds))


def test_anchor_fills_missing_and_wrong_offsets(tmp_path: Path) -> None:
    d = datasets.docs()
    oil = datasets.fact(d, "route-oil")
    start, end = oil.pop("start"), oil.pop("end")
    kaz = datasets.fact(d, "kaz-rebuke")
    kaz["start"] += 1
    kaz["end"] += 1
    data, seeds = datasets.write(tmp_path, d)
    assert _validate("--data", str(data), "--seeds", str(seeds)).returncode == 1

    run = _anchor(data, seeds)

    _no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert sorted(run.stdout.splitlines()) == [
        f"countries.geojson, feature KAZ, fact kaz-rebuke: offsets ({kaz['start'] - 1}, "
        f"{kaz['end'] - 1})",
        f"routes.geojson, feature test-pipeline, fact route-oil: offsets ({start}, {end})",
    ]
    ds = store.load(data, seeds)
    assert ds.problems == ()
    f = ds.fact("route-oil")
    assert f is not None and (f.start, f.end) == (start, end)
    again = _anchor(data, seeds)
    assert (again.returncode, again.stdout) == (0, "")  # nothing left to do


def test_anchor_leaves_an_ambiguous_excerpt_to_the_curator(tmp_path: Path) -> None:
    d = datasets.docs()
    oil = datasets.fact(d, "route-oil")
    oil["excerpt"] = "the"
    del oil["start"], oil["end"]
    data, seeds = datasets.write(tmp_path, d)
    before = (data / "routes.geojson").read_bytes()
    run = _anchor(data, seeds)
    _no_traceback(run)
    n = datasets.SEED_TEXT.count("the")
    assert n > 1
    assert run.returncode == 1
    assert run.stderr.splitlines() == [
        f"routes.geojson, feature test-pipeline, fact route-oil: excerpt occurs {n} times "
        f"in {datasets.SEED_FILE}; set start/end by hand"
    ]
    assert (data / "routes.geojson").read_bytes() == before


@pytest.mark.parametrize(
    ("file", "content"),
    [
        ("events.geojson", '{"type": "FeatureCollection", "features": [,]}'),
        ("events.geojson", '["not", "a", "collection"]'),
        ("routes.geojson", '{"type": "FeatureCollection", "features": [1]}'),
        ("sources.yaml", "sources: [1, 2]\n"),
        ("sources.yaml", "sources: [unclosed\n"),
        (datasets.SEED_FILE, "caf\u00e9".encode("cp1252")),
    ],
)
def test_anchor_on_malformed_data_says_so_without_traceback(
    tmp_path: Path, file: str, content: str | bytes
) -> None:
    d = datasets.docs()
    for f in ("route-oil", "kaz-rebuke"):  # so that anchor reads the seed
        del datasets.fact(d, f)["start"]
    d[file] = content
    data, seeds = datasets.write(tmp_path, d)
    run = _anchor(data, seeds)
    _no_traceback(run)
    assert run.returncode == 1
    assert len(run.stderr.splitlines()) == 1
    assert "run `validate` to locate the problem" in run.stderr


@pytest.mark.parametrize("name", [n for n in datasets.DATA_FILES if n.endswith(".geojson")])
def test_stable_layout_round_trips(name: str) -> None:
    from central_asia_atlas.curation import dump_collection

    doc = datasets.docs()[name]
    text = dump_collection(doc)
    assert json.loads(text) == doc
    assert dump_collection(json.loads(text)) == text
    assert json.loads(dump_collection({"features": []})) == {"features": []}
