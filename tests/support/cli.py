"""The curation CLI, run in-process (`__main__.main(argv)`) or, for a few smoke tests of the real
entry point, as a subprocess; both give the same `Run` (exit code, standard output and error).
`remember_loads` puts in loaders that load each distinct input once, for tests that load the same
files again and again."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from central_asia_atlas import store
from central_asia_atlas.__main__ import main
from central_asia_atlas.curation import LOCK_FILE
from central_asia_atlas.dataset import Dataset

from .paths import ROOT


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str) -> Run:
    """`python -m central_asia_atlas ARGS` in this process: what it prints, its exit code (an
    argparse usage error exits 2, as from the shell). The data directories must be given
    (--data/--seeds) or come from the environment the test sets."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
            code = exc.code if isinstance(exc.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the variables that point the loader elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CENTRAL_ASIA_ATLAS_")}
    return {**env, "PYTHONIOENCODING": "utf-8", **extra}


def run_process(*args: str, env: dict[str, str] | None = None) -> Run:
    """`python ARGS` in a subprocess at the repository's root (the real entry point)."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Run(done.returncode, done.stdout, done.stderr)


# --- the loaders, remembered by what they read ----------------------------------------------
#
# The curation commands load the whole data before and after each change (and `validate` once
# more), and parse seeds/sources.yaml several times per command; the tests repeat the same
# commands on the same copy of the shipped data. Both loaders are functions of what they read,
# so in-process each distinct input is loaded once: valid while a test changes files, not the
# loaders' settings (no monkeypatching of `store`).

_real_load = store.load
_real_load_yaml = store.load_yaml
_datasets: dict[str, Dataset] = {}
_documents: dict[tuple[str, bool], Any] = {}


def _fingerprint(data_dir: Path, seeds_dir: Path) -> str | None:
    """What `store.load(data_dir, seeds_dir)` depends on: the two directories' names (problems
    name files as "data/countries.geojson"), the name and bytes of every file in them (through
    symbolic links, as the loader reads them; the curation lock apart, which it never reads)
    and today's date (nothing may be dated after it). None when a directory is missing."""
    if not data_dir.is_dir() or not seeds_dir.is_dir():
        return None
    digest = hashlib.sha256()
    digest.update(f"{data_dir.name}\0{seeds_dir.name}\0{dt.date.today()}\0".encode())
    for d in (data_dir, seeds_dir):
        for path in sorted(p for p in d.rglob("*") if p.is_file() and p.name != LOCK_FILE):
            digest.update(f"{path.relative_to(d.parent)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def remembered_load(data_dir: Path | None = None, seeds_dir: Path | None = None) -> Dataset:
    """`store.load`, once per distinct content: files with the same names and bytes load to the
    same frozen dataset. A result that names its directories' absolute paths (a file that
    cannot be read) is not kept."""
    if data_dir is None or seeds_dir is None:
        return _real_load(data_dir, seeds_dir)
    key = _fingerprint(data_dir, seeds_dir)
    if key is None:
        return _real_load(data_dir, seeds_dir)
    found = _datasets.get(key)
    if found is None:
        found = _real_load(data_dir, seeds_dir)
        said = " ".join(str(p) for p in (*found.problems, *found.warnings))
        if str(data_dir.parent) not in said and str(seeds_dir.parent) not in said:
            _datasets[key] = found
    return found


def remembered_load_yaml(text: str, *, dates_as_text: bool = True) -> Any:
    """`store.load_yaml`, once per distinct text; each caller gets a copy of its own to change.
    A text that does not parse raises each time, as it does."""
    key = (text, dates_as_text)
    if key not in _documents:
        _documents[key] = _real_load_yaml(text, dates_as_text=dates_as_text)
    return copy.deepcopy(_documents[key])


def remember_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put the remembered loaders wherever a module of the package holds the real ones (as
    `store.load`, or imported by name)."""
    swaps = {id(_real_load): remembered_load, id(_real_load_yaml): remembered_load_yaml}
    for name, module in list(sys.modules.items()):
        if name == "central_asia_atlas" or name.startswith("central_asia_atlas."):
            for attr, value in list(vars(module).items()):
                if id(value) in swaps:
                    monkeypatch.setattr(module, attr, swaps[id(value)])
