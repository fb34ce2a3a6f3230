"""`python -m central_asia_atlas validate`, run as a user runs it (a subprocess): exit 0 and a
count line on valid data; otherwise exit 1, one line per problem naming file, feature, fact and
field, and never a traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from central_asia_atlas import store
from tests.unit import synthetic
from tests.unit.bad_inputs import CASES, Case, build, expected_file

ROOT = Path(__file__).resolve().parents[2]


def _validate(*args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CENTRAL_ASIA_ATLAS_")}
    env["PYTHONIOENCODING"] = "utf-8"
    cmd = [sys.executable, "-m", "central_asia_atlas", "validate", *args]
    if code is not None:  # run the CLI after `code` (e.g. a lower size limit)
        cmd = [sys.executable, "-c", code, "validate", *args]
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def _no_traceback(run: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in run.stdout + run.stderr, run.stderr


def test_valid_data_exits_0_with_the_counts(tmp_path: Path) -> None:
    data, seeds = synthetic.write(tmp_path, synthetic.docs())
    run = _validate("--data", str(data), "--seeds", str(seeds))
    _no_traceback(run)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == "OK: 7 facts, 3 sources, 5 countries, 1 routes, 1 events\n"
    assert run.stderr == ""


def test_options_after_the_subcommand_too(tmp_path: Path) -> None:
    data, seeds = synthetic.write(tmp_path, synthetic.docs())
    env = {k: v for k, v in os.environ.items() if not k.startswith("CENTRAL_ASIA_ATLAS_")}
    cmd = [sys.executable, "-m", "central_asia_atlas", "--data", str(data)]
    run = subprocess.run(
        [*cmd, "--seeds", str(seeds), "validate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and run.stdout.startswith("OK: 7 facts"), run.stdout + run.stderr


def test_shipped_data_validates() -> None:
    run = _validate()
    _no_traceback(run)
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.fullmatch(
        r"OK: \d+ facts, \d+ sources, 5 countries, \d+ routes, \d+ events\n", run.stdout
    ), run.stdout


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
    lines = run.stdout.splitlines()
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


def test_file_over_the_size_limit_via_the_cli(tmp_path: Path) -> None:
    data, seeds = synthetic.write(tmp_path, synthetic.docs())
    size = (data / "routes.geojson").stat().st_size
    code = (
        "import sys; from central_asia_atlas import store; "
        f"store.MAX_FILE_BYTES = {size - 1}; "
        "from central_asia_atlas.__main__ import main; raise SystemExit(main(sys.argv[1:]))"
    )
    run = _validate("--data", str(data), "--seeds", str(seeds), code=code)
    _no_traceback(run)
    assert run.returncode == 1
    assert f"data/routes.geojson: file is {size:,} bytes, over the {size - 1:,}-byte limit" in (
        run.stdout
    )
