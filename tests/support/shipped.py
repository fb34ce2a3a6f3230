"""The shipped data (data/ and seeds/ of the repository), loaded once per test process: the
loaded dataset is frozen, so the tests that only read it share one load."""

from __future__ import annotations

from functools import cache

from central_asia_atlas import store
from central_asia_atlas.dataset import Dataset

from .paths import DATA, SEEDS


@cache
def shipped() -> Dataset:
    """The shipped data as `store.load()` gives it, read from data/ and seeds/ whatever the
    environment says (a test may point the app at a copy meanwhile)."""
    return store.load(DATA, SEEDS)


INDICATORS = shipped().catalogue.indicators  # the shipped catalogue's indicators, by key
DEFAULT = shipped().catalogue.default_key() or ""  # what the map is coloured by at first
SIGNALS = shipped().catalogue.signals
