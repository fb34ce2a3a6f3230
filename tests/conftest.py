"""Shared fixtures: a writable copy of the shipped data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.paths import DATA, SEEDS


@pytest.fixture
def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of data/ and seeds/ that a test may break; returns (data_dir, seeds_dir)."""
    data = tmp_path / "data"
    seeds = tmp_path / "seeds"
    shutil.copytree(DATA, data)
    shutil.copytree(SEEDS, seeds)
    return data, seeds
