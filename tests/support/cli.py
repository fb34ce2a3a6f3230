"""The curation CLI, run in-process (`__main__.main(argv)`) or, for a few smoke tests of the real
entry point, as a subprocess; both give the same `Run` (exit code, standard output and error)."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass

from central_asia_atlas.__main__ import main

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
