"""Python code run in a fresh interpreter at the repository's root, for tests of what a module
imports or leaves in memory, which must not depend on what the test process imported first."""

from __future__ import annotations

import subprocess
import sys

from .paths import ROOT


def run(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` with this interpreter; fails (with its standard error) if the code does."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return out
