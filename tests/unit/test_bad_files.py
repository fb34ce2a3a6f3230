"""Files that are broken as files: wrong encodings, far too large, unreadable, too deeply nested,
missing directories. The loader and `validate` report each one, located, and keep the rest.

(Schema, geometry and excerpt problems inside well-formed files are tested in test_store.py;
the app's error banner in tests/app/test_error_page.py.)
"""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from central_asia_atlas import dataset, store
from central_asia_atlas.__main__ import main
from tests.support import datasets
from tests.support.paths import ROOT

SEED_FACTS = frozenset({"kaz-rebuke", "uzb-aid", "region-summit", "route-oil", "event-meeting"})
REGION_FACTS = frozenset({"region-summit", "region-summit-ref"})


def _latin1(path: Path) -> None:
    """Re-encode a UTF-8 file as Latin-1 / cp1252 (what a Windows editor may save)."""
    raw = path.read_bytes()
    encoded = raw.decode("utf-8").encode("cp1252")
    assert encoded != raw, "the file must hold a non-ASCII character (’ or —) to re-encode"
    path.write_bytes(encoded)


def _utf16(path: Path) -> None:
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def _bom(path: Path) -> None:
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def _sparse(path: Path) -> None:
    """Make `path` a (sparse) file just over the size limit, without writing that much."""
    with path.open("r+b") as fh:
        fh.truncate(store.MAX_FILE_BYTES + 1)


def _deep_json(path: Path) -> None:
    path.write_text('{"type": "FeatureCollection", "features": ' + "[" * 200_000 + "]" * 200_000)


def _long_number(path: Path) -> None:
    path.write_text('{"type": "FeatureCollection", "features": [], "x": 1' + "0" * 10_000 + "}")


def _nan_coordinates(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["geometry"]["coordinates"][0] = [math.nan, math.inf]
    text = json.dumps(doc)  # Python writes NaN and Infinity, which JSON does not allow
    assert "NaN, Infinity" in text
    path.write_text(text, encoding="utf-8")


def _bad_yaml_date(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "published: '2022-10-27'" in text
    path.write_text(text.replace("published: '2022-10-27'", "published: 2022-13-45"))


def _deep_yaml(path: Path) -> None:
    path.write_text("sources: " + "[" * 100_000 + "]" * 100_000 + "\n")


def _python_tag(path: Path) -> None:
    path.write_text("sources: !!python/object/apply:os.system ['touch PWNED']\n", encoding="utf-8")


def _directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _symlink_loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path)


def _rmtree(path: Path) -> None:
    shutil.rmtree(path)


@dataclass(frozen=True)
class Case:
    file: str  # relative to the root holding data/ and seeds/
    breaker: Callable[[Path], None]
    message: str  # expected in the problem's text
    label: str  # how the problem names the file
    facts: frozenset[str]  # the facts still loaded
    countries: int = 5
    routes: int = 1
    events: int = 1
    sources: int = 3


ALL = datasets.ALL_FACTS
CASES = {
    "countries cp1252": Case(
        "data/countries.geojson",
        _latin1,
        "not valid UTF-8",
        "data/countries.geojson",
        ALL - {"kaz-rebuke", "kaz-un-vote", "uzb-aid"},
        countries=0,
    ),
    "countries utf-16": Case(
        "data/countries.geojson",
        _utf16,
        "not valid UTF-8",
        "data/countries.geojson",
        ALL - {"kaz-rebuke", "kaz-un-vote", "uzb-aid"},
        countries=0,
    ),
    "countries with BOM": Case(
        "data/countries.geojson",
        _bom,
        "Unexpected UTF-8 BOM",
        "data/countries.geojson",
        ALL - {"kaz-rebuke", "kaz-un-vote", "uzb-aid"},
        countries=0,
    ),
    "countries over the size limit": Case(
        "data/countries.geojson",
        _sparse,
        "over the",
        "data/countries.geojson",
        ALL - {"kaz-rebuke", "kaz-un-vote", "uzb-aid"},
        countries=0,
    ),
    "routes nested 200,000 deep": Case(
        "data/routes.geojson",
        _deep_json,
        "malformed JSON",
        "data/routes.geojson",
        ALL - {"route-oil"},
        routes=0,
    ),
    "events with a 10,000-digit number": Case(
        "data/events.geojson",
        _long_number,
        "malformed JSON",
        "data/events.geojson",
        ALL - {"event-meeting"},
        events=0,
    ),
    "route with NaN coordinates": Case(
        "data/routes.geojson",
        _nan_coordinates,
        "outside WGS84",
        "data/routes.geojson",
        ALL - {"route-oil"},
        routes=0,
    ),
    "region file is a directory": Case(
        "data/region.geojson",
        _directory,
        "file not found",
        "data/region.geojson",
        ALL - REGION_FACTS,
    ),
    "routes file is a symlink loop": Case(
        "data/routes.geojson",
        _symlink_loop,
        "file not found",
        "data/routes.geojson",
        ALL - {"route-oil"},
        routes=0,
    ),
    # dates stay text in YAML, so an impossible one fails its own source, not the whole file
    "sources with an impossible date": Case(
        "seeds/sources.yaml",
        _bad_yaml_date,
        "feature source seed-report, field published: Input should be a valid date",
        "seeds/sources.yaml",
        frozenset({"kaz-un-vote", "region-summit-ref"}),
        sources=2,
    ),
    "sources nested 100,000 deep": Case(
        "seeds/sources.yaml",
        _deep_yaml,
        "not valid YAML",
        "seeds/sources.yaml",
        frozenset(),
        sources=0,
    ),
    "sources with a python tag": Case(
        "seeds/sources.yaml",
        _python_tag,
        "not valid YAML",
        "seeds/sources.yaml",
        frozenset(),
        sources=0,
    ),
    "seed document cp1252": Case(
        f"seeds/{datasets.SEED_FILE}",
        _latin1,
        "not valid UTF-8",
        f"seeds/{datasets.SEED_FILE}",
        ALL - SEED_FACTS,
    ),
    "seed document over the size limit": Case(
        f"seeds/{datasets.SEED_FILE}",
        _sparse,
        "over the",
        f"seeds/{datasets.SEED_FILE}",
        ALL - SEED_FACTS,
    ),
    "data directory missing": Case(
        "data",
        _rmtree,
        "data directory not found",
        "data",
        frozenset(),
        countries=0,
        routes=0,
        events=0,
    ),
    "seeds directory missing": Case(
        "seeds",
        _rmtree,
        "seeds directory not found",
        "seeds",
        frozenset(),
        sources=0,
    ),
}


def _break(root: Path, case: Case) -> None:
    case.breaker(root / case.file)


@pytest.mark.parametrize("name", list(CASES))
def test_broken_file_is_reported_and_the_rest_is_kept(
    name: str, minimal_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES[name]
    data, seeds = minimal_dirs
    root = data.parent
    _break(root, case)
    # a file over the limit is refused from its size alone, never read
    read = store.read_source_text

    def spy(path: Path) -> str:
        assert path.stat().st_size <= store.MAX_FILE_BYTES, f"read {path} despite its size"
        return read(path)

    monkeypatch.setattr(store, "read_source_text", spy)

    ds = store.load(data, seeds)

    texts = [str(p) for p in ds.problems]
    hits = [t for t in texts if case.message in t]
    assert hits, texts
    assert any(case.label in t for t in hits), hits
    kept = {ref.fact.id for ref in ds.fact_refs()}
    assert kept == case.facts
    assert len(ds.countries) == case.countries
    assert len(ds.routes) == case.routes
    assert len(ds.events) == case.events
    assert len(ds.sources) == case.sources
    assert not (root / "PWNED").exists() and not Path("PWNED").exists()


@pytest.mark.parametrize("name", list(CASES))
def test_validate_reports_broken_file_without_traceback(
    name: str, minimal_dirs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    data, seeds = minimal_dirs
    _break(data.parent, case)

    code = main(["validate", "--data", str(data), "--seeds", str(seeds)])

    out, err = capsys.readouterr()
    assert code == 1
    assert case.message in out
    assert "FAILED" in err
    assert "Traceback" not in out + err


def test_unreadable_file_is_reported(
    minimal_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the server may not read (permissions, I/O error) is a problem, not a crash."""
    data, seeds = minimal_dirs
    read = store.read_source_text

    def denied(path: Path) -> str:
        if path.name == "events.geojson":
            raise PermissionError(13, "Permission denied", str(path))
        return read(path)

    monkeypatch.setattr(store, "read_source_text", denied)
    ds = store.load(data, seeds)
    assert [str(p) for p in ds.problems] == [
        "data/events.geojson: cannot be read: Permission denied"
    ]
    assert {ref.fact.id for ref in ds.fact_refs()} == ALL - {"event-meeting"}


def test_load_reads_the_directories_from_the_environment_at_call_time(
    minimal_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's cached loader calls load() without arguments; a test or a curator points it
    at a copy with CENTRAL_ASIA_ATLAS_DATA / CENTRAL_ASIA_ATLAS_SEEDS, even after import."""
    data, seeds = minimal_dirs
    monkeypatch.setenv("CENTRAL_ASIA_ATLAS_DATA", str(data))
    monkeypatch.setenv("CENTRAL_ASIA_ATLAS_SEEDS", str(seeds))
    ds = store.load()
    assert ds.ok, [str(p) for p in ds.problems]
    assert {ref.fact.id for ref in ds.fact_refs()} == ALL
    monkeypatch.setenv("CENTRAL_ASIA_ATLAS_DATA", str(data.parent / "nowhere"))
    assert any("data directory not found" in str(p) for p in store.load().problems)


def test_sparse_helper_makes_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x")
    _sparse(path)
    assert os.stat(path).st_size == store.MAX_FILE_BYTES + 1


BASEMAP_CASES = {
    "truncated": ('{"type": "FeatureCollection", "features": [', "malformed JSON"),
    "not UTF-8": (b'{"type": "FeatureCollection", "name": "\xe9", "features": []}', "UTF-8"),
    "not a collection": ('{"type": "Feature"}', "expected a GeoJSON FeatureCollection"),
    "a line among polygons": (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, '
        '"geometry": {"type": "LineString", "coordinates": [[60, 40], [61, 41]]}}]}',
        "1 feature(s) without a Polygon or MultiPolygon geometry (#0) are not drawn",
    ),
}


@pytest.mark.parametrize("name", list(BASEMAP_CASES))
def test_a_broken_basemap_is_reported_and_nothing_else_is_lost(
    name: str, minimal_dirs: tuple[Path, Path]
) -> None:
    data, seeds = minimal_dirs
    content, message = BASEMAP_CASES[name]
    path = data / dataset.BASEMAP_FILE
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    ds = store.load(data, seeds)
    assert [str(p) for p in ds.problems] == [next(str(p) for p in ds.problems if message in str(p))]
    assert str(ds.problems[0]).startswith("data/basemap.geojson: ")
    assert {ref.fact.id for ref in ds.fact_refs()} == ALL


def test_the_shipped_basemap_passes_the_check() -> None:
    problems: list[dataset.Problem] = []
    store.check_basemap(dataset.ROOT / "data", problems)
    assert problems == []
    assert (dataset.ROOT / "data" / dataset.BASEMAP_FILE).is_file()


def test_the_fast_yaml_loader_reads_the_shipped_files_as_pyyaml_safe_loader_does() -> None:
    """store.load_yaml uses libyaml's parser (PyYAML's yaml._yaml.CParser, an internal: this
    pins it) with Python's composer, and must read every document as SafeLoader does."""
    import yaml

    assert yaml.__with_libyaml__, "PyYAML without libyaml: the loader falls back, slowly"
    assert store._SafeLoader is not yaml.SafeLoader
    assert "CParser" in [c.__name__ for c in store._SafeLoader.__mro__]

    class PlainDatesAsText(yaml.SafeLoader):
        yaml_implicit_resolvers = store._NO_DATES

    for path in [ROOT / "seeds" / "sources.yaml", ROOT / "data" / "indicators.yaml"]:
        text = path.read_text(encoding="utf-8")
        assert store.load_yaml(text) == yaml.load(text, Loader=PlainDatesAsText)
        assert store.load_yaml(text, dates_as_text=False) == yaml.safe_load(text)
    assert store.load_yaml("d: 2023-06-09\n") == {"d": "2023-06-09"}  # dates stay text
    with pytest.raises(yaml.YAMLError):
        store.load_yaml("a: [1, 2\n")
