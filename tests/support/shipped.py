"""The shipped data (data/ and seeds/ of the repository), loaded once per test process: the
loaded dataset is frozen, so the tests that only read it share one load."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

from central_asia_atlas import store
from central_asia_atlas.dataset import Dataset

from .paths import DATA, SEEDS


@cache
def shipped() -> Dataset:
    """The shipped data as `store.load()` gives it, read from data/ and seeds/ whatever the
    environment says (a test may point the app at a copy meanwhile)."""
    return store.load(DATA, SEEDS)


def copy_shipped(root: Path, english_only: bool = False) -> tuple[Path, Path]:
    """A copy of data/ and seeds/ under `root` that a test may change: (data_dir, seeds_dir).
    With `english_only`, its catalogue requires no other language (for a test of what a
    command does, not of the translations a change must carry)."""
    data, seeds = root / "data", root / "seeds"
    shutil.copytree(DATA, data)
    shutil.copytree(SEEDS, seeds)
    if english_only:
        catalogue = data / "indicators.yaml"
        text = catalogue.read_text(encoding="utf-8")
        catalogue.write_text(text.replace("\nlanguages: [ru]\n", "\n"), encoding="utf-8")
        assert "\nlanguages:" not in catalogue.read_text(encoding="utf-8")
    return data, seeds


INDICATORS = shipped().catalogue.indicators  # the shipped catalogue's indicators, by key
DEFAULT = shipped().catalogue.default_key() or ""  # what the map is coloured by at first
SIGNALS = shipped().catalogue.signals
