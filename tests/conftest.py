"""Shared fixtures: paths to the shipped data and a writable copy of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of data/ and seeds/ that a test may break; returns (data_dir, seeds_dir)."""
    data = tmp_path / "data"
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "seeds", seeds)
    return data, seeds
