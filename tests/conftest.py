"""Fixtures and settings for every tier: a writable copy of the shipped data, and how many
workers `-n auto` starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.shipped import copy_shipped


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject's addopts): the fast tier (`-m "not e2e"`, the default) runs on
    one worker per CPU; a run that selects browser tests runs in this process, one test at a
    time, as those tests time a real server and browser that share the CPUs (and a worker
    each would start its own server). An explicit `-n N` is taken as given."""
    if config.getoption("markexpr") == "not e2e":
        return None  # pytest-xdist's own count: the CPUs this process may use
    return 0


@pytest.fixture
def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of data/ and seeds/ that a test may break; returns (data_dir, seeds_dir)."""
    return copy_shipped(tmp_path)
