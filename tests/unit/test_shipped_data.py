"""The shipped data passes every check."""

from central_asia_atlas import store
from central_asia_atlas.model import FIVE


def test_shipped_data_has_no_problems() -> None:
    ds = store.load()
    assert [str(p) for p in ds.problems] == []
    assert sorted(c.props.iso3 for c in ds.countries) == sorted(FIVE)
