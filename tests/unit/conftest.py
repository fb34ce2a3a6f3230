"""Fixtures the unit tests share: the synthetic datasets of tests/support/datasets.py, written
to the test's own temporary directory (a test may break its copy) and loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from central_asia_atlas import store
from central_asia_atlas.dataset import Dataset
from tests.support import datasets


@pytest.fixture
def ds(tmp_path: Path) -> Dataset:
    """The document-rich dataset (`datasets.documents()`), loaded without a problem."""
    return datasets.load_documents(tmp_path)


@pytest.fixture
def minimal_dirs(tmp_path: Path) -> tuple[Path, Path]:
    """The minimal dataset (`datasets.docs()`) written to data/ and seeds/: (data, seeds)."""
    return datasets.write(tmp_path, datasets.docs())


@pytest.fixture
def minimal_ds(minimal_dirs: tuple[Path, Path]) -> Dataset:
    """The minimal dataset, loaded without a problem."""
    loaded = store.load(*minimal_dirs)
    assert loaded.problems == (), [str(p) for p in loaded.problems]
    return loaded
