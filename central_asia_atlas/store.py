"""Read data/*.geojson and seeds/ into validated, typed objects; report every problem found.

Loading never raises on bad data: each problem becomes a `Problem` naming the file, the
feature, the fact and the field, and whatever is valid is kept, so nothing valid is lost.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import shapely
import yaml
from pydantic import BaseModel, ValidationError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from . import catalogue as cat
from . import checks
from .catalogue import Catalogue
from .dataset import (
    BASEMAP_FILE,
    FILES,
    SOURCES_FILE,
    Dataset,
    Feature,
    Problem,
    current_data_dir,
    current_seeds_dir,
)
from .model import (
    CountryProps,
    EventProps,
    Fact,
    IndicatorValue,
    Kind,
    RegionProps,
    RouteProps,
    Source,
)
from .provenance import read_source_text

MAX_FILE_BYTES = 20 * 1024 * 1024
CAPITAL_TOLERANCE_DEG = 0.1  # how far (degrees) a capital may lie outside its simplified shape

GEOMETRY_TYPES: dict[Kind, tuple[str, ...]] = {
    Kind.country: ("Polygon", "MultiPolygon"),
    Kind.region: (),  # unlocated: geometry null
    Kind.route: ("LineString", "MultiLineString"),
    Kind.event: ("Point",),
}
PROPS: dict[Kind, type[BaseModel]] = {
    Kind.country: CountryProps,
    Kind.region: RegionProps,
    Kind.route: RouteProps,
    Kind.event: EventProps,
}
P = TypeVar("P", bound=BaseModel)

# --- reading files ---------------------------------------------------------------------


def _read_text(path: Path, label: str, problems: list[Problem]) -> str | None:
    if not path.is_file():
        problems.append(Problem(label, f"file not found at {path}"))
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.append(
            Problem(
                label, f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit; refused"
            )
        )
        return None
    try:
        return read_source_text(path)
    except UnicodeDecodeError as exc:
        problems.append(Problem(label, f"not valid UTF-8 (byte {exc.start}): save it as UTF-8"))
        return None
    except OSError as exc:  # unreadable (permissions, a directory, an I/O error)
        problems.append(Problem(label, f"cannot be read: {exc.strerror or exc}"))
        return None


def _loc(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc)  # empty for a rule on the whole object


def _errors(
    exc: ValidationError, file: str, feature: str | None, fact: str | None, prefix: str = ""
) -> list[Problem]:
    out = []
    for err in exc.errors():
        where = prefix + _loc(tuple(err["loc"]))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field (not in the schema)"
        elif err["type"] == "missing":
            msg = "required field is missing"
        out.append(Problem(file, msg, feature, fact, where.rstrip(".") or None))
    return out


# libyaml's parser when PyYAML has it (its wheels do), several times faster than the
# pure-Python one at every server start. Only libyaml's
# scanner and parser: the nodes are composed by PyYAML's Python composer, as with SafeLoader,
# because libyaml's own composer recurses in C and crashes the process on a file nested
# 100,000 deep (tests/unit/test_bad_files.py), where Python's raises RecursionError.
def _safe_loader() -> type[Any]:
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml: the same documents, more slowly
        return yaml.SafeLoader

    class FastSafeLoader(Composer, CParser, SafeConstructor, Resolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    return FastSafeLoader


_SafeLoader = _safe_loader()
# Safe YAML that leaves dates as text, so that one impossible date fails only its source.
_NO_DATES = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_DatesAsText: type[Any] = type(
    "_DatesAsText", (_SafeLoader,), {"yaml_implicit_resolvers": _NO_DATES}
)


def load_yaml(text: str, *, dates_as_text: bool = True) -> Any:
    """Safe YAML; dates stay text unless `dates_as_text` is False (curation writes the same)."""
    return yaml.load(text, Loader=_DatesAsText if dates_as_text else _SafeLoader)  # noqa: S506


def load_sources(
    seeds_dir: Path, problems: list[Problem]
) -> tuple[dict[str, Source], dict[str, str]]:
    label = f"{seeds_dir.name}/{SOURCES_FILE}"
    raw = _read_text(seeds_dir / SOURCES_FILE, label, problems)
    if raw is None:
        return {}, {}
    try:
        doc = load_yaml(raw)
    except yaml.YAMLError as exc:
        problems.append(Problem(label, f"not valid YAML: {exc}".replace("\n", " ")))
        return {}, {}
    except (ValueError, RecursionError) as exc:  # e.g. a date like 2023-13-45; nesting too deep
        problems.append(Problem(label, f"not valid YAML: {exc}".replace("\n", " ")))
        return {}, {}
    items = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(label, "expected a mapping with a list under 'sources'"))
        return {}, {}
    sources: dict[str, Source] = {}
    texts: dict[str, str] = {}
    for i, item in enumerate(items):
        sid = item.get("id") if isinstance(item, dict) else None
        name = str(sid) if sid else f"#{i}"
        try:
            src = Source.model_validate(item)
        except ValidationError as exc:
            problems.extend(_errors(exc, label, f"source {name}", None))
            continue
        if src.id in sources:
            problems.append(Problem(label, "duplicate source id", f"source {src.id}", None, "id"))
            continue
        sources[src.id] = src
        if src.file:
            text = _read_text(seeds_dir / src.file, f"{seeds_dir.name}/{src.file}", problems)
            if text is not None:
                texts[src.id] = text
    for src in sources.values():
        if src.part_of and src.part_of not in sources:
            problems.append(
                Problem(
                    label,
                    f"part_of names unknown source {src.part_of!r}",
                    f"source {src.id}",
                    None,
                    "part_of",
                )
            )
    return sources, texts


def _feature_name(props: Any, index: int) -> str:
    if isinstance(props, dict):
        for key in ("iso3", "id"):
            if isinstance(props.get(key), str) and props[key]:
                return str(props[key])
    return f"#{index}"


def _geometry(
    kind: Kind, raw: Any, file: str, name: str, problems: list[Problem]
) -> tuple[bool, BaseGeometry | None]:
    expected = GEOMETRY_TYPES[kind]
    if not expected:
        if raw is not None:
            problems.append(
                Problem(file, "geometry must be null (unlocated feature)", name, None, "geometry")
            )
            return False, None
        return True, None
    if raw is None:
        problems.append(
            Problem(
                file,
                f"geometry is missing: expected {' or '.join(expected)}",
                name,
                None,
                "geometry",
            )
        )
        return False, None
    if not isinstance(raw, dict) or raw.get("type") not in expected:
        got = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
        problems.append(
            Problem(
                file,
                f"geometry type {got!r}, expected {' or '.join(expected)}",
                name,
                None,
                "geometry",
            )
        )
        return False, None
    try:
        with warnings.catch_warnings():  # NaN coordinates warn here; they are reported below
            warnings.simplefilter("ignore", RuntimeWarning)
            geom = shape(raw)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        problems.append(Problem(file, f"malformed coordinates: {exc}", name, None, "geometry"))
        return False, None
    if geom.is_empty:
        problems.append(Problem(file, "geometry is empty", name, None, "geometry"))
        return False, None
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        problems.append(
            Problem(
                file,
                "coordinates outside WGS84 lon/lat range (are they [lon, lat]?)",
                name,
                None,
                "geometry",
            )
        )
        return False, None
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        problems.append(Problem(file, f"invalid geometry: {reason}", name, None, "geometry"))
        return False, None
    return True, geom


def _facts(raw: Any, file: str, name: str, problems: list[Problem]) -> list[Fact]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append(Problem(file, "facts must be a list", name, None, "facts"))
        return []
    facts = []
    for i, item in enumerate(raw):
        fid = item.get("id") if isinstance(item, dict) else None
        fact_name = str(fid) if fid else f"#{i}"
        try:
            facts.append(Fact.model_validate(item))
        except ValidationError as exc:
            problems.extend(_errors(exc, file, name, fact_name))
    return facts


class _DuplicateKeys:
    """JSON object hook that reports a key given twice in one object: json keeps only the last
    value, so a second "facts" list, say, would silently hide the first."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file, self.problems = file, problems

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in pairs:
            if key in obj:
                whole = dict(pairs)
                name = whole.get("iso3") or whole.get("id")
                name = name if isinstance(name, str) else None
                is_fact = "category" in whole or "summary" in whole
                self.problems.append(
                    Problem(
                        self.file,
                        f"key {key!r} appears twice in one object and JSON keeps only the "
                        "last value: keep one",
                        None if is_fact else name,
                        name if is_fact else None,
                        key,
                    )
                )
            obj[key] = value
        return obj


def load_collection(kind: Kind, data_dir: Path, problems: list[Problem]) -> list[Feature[Any]]:
    file = f"{data_dir.name}/{FILES[kind]}"
    raw = _read_text(data_dir / FILES[kind], file, problems)
    if raw is None:
        return []
    try:
        doc = json.loads(raw, object_pairs_hook=_DuplicateKeys(file, problems))
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(file, f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        )
        return []
    except (ValueError, RecursionError) as exc:  # a number too long, nesting too deep
        problems.append(Problem(file, f"malformed JSON: {exc}"))
        return []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(Problem(file, "expected a GeoJSON FeatureCollection"))
        return []
    if not isinstance(doc.get("features"), list):
        problems.append(Problem(file, "FeatureCollection has no 'features' list"))
        return []
    out: list[Feature[Any]] = []
    for index, feat in enumerate(doc["features"]):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            problems.append(Problem(file, "not a GeoJSON Feature", f"#{index}"))
            continue
        props = feat.get("properties")
        name = _feature_name(props, index)
        if not isinstance(props, dict):
            problems.append(Problem(file, "properties must be an object", name, None, "properties"))
            continue
        geom_ok, geom = _geometry(kind, feat.get("geometry"), file, name, problems)
        # facts and indicators are validated one by one, so one bad item does not sink the rest
        facts = _facts(props.get("facts"), file, name, problems)
        rest = {k: v for k, v in props.items() if k != "facts"}
        if kind is Kind.country and "indicators" in props:
            rest["indicators"] = _indicators(props["indicators"], file, name, problems)
        parsed = _props(PROPS[kind], {**rest, "facts": facts}, file, name, problems)
        if parsed is None or not geom_ok:
            continue
        if isinstance(parsed, CountryProps) and not _capital_inside(parsed, geom, file, problems):
            continue
        out.append(Feature(parsed, geom))
    return out


def _indicators(raw: Any, file: str, name: str, problems: list[Problem]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        problems.append(Problem(file, "indicators must be an object", name, None, "indicators"))
        return {}
    out: dict[str, Any] = {}
    for key, item in raw.items():
        # one value, or a history of values: each entry is checked on its own
        entries = list(enumerate(item)) if isinstance(item, list) else [(None, item)]
        kept = []
        for i, entry in entries:
            where = f"indicators.{key}." if i is None else f"indicators.{key}.{i}."
            try:
                kept.append(IndicatorValue.model_validate(entry))
            except ValidationError as exc:
                problems.extend(_errors(exc, file, name, None, where))
        if kept:
            out[key] = kept
    return out


def _props(
    model: type[BaseModel], data: dict[str, Any], file: str, name: str, problems: list[Problem]
) -> BaseModel | None:
    """Validate a feature's properties; unknown fields are reported and left out, the rest kept."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(_errors(exc, file, name, None))
        errors = exc.errors()
    unknown = {e["loc"][0] for e in errors if e["type"] == "extra_forbidden" and len(e["loc"]) == 1}
    if len(unknown) < len(errors):
        return None
    try:
        return model.model_validate({k: v for k, v in data.items() if k not in unknown})
    except ValidationError:  # cannot happen: the same data, less the fields it did not know
        return None


def _capital_inside(
    props: CountryProps, geom: BaseGeometry | None, file: str, problems: list[Problem]
) -> bool:
    """A country's capital lies in (or next to) its shape. This catches a shape written as
    [lat, lon]: at these latitudes and longitudes the swapped numbers stay within WGS84 range."""
    cap = props.capital
    if geom is None or geom.distance(shapely.Point(cap.lon, cap.lat)) <= CAPITAL_TOLERANCE_DEG:
        return True
    problems.append(
        Problem(
            file,
            f"the capital {cap.name} (lat {cap.lat}, lon {cap.lon}) lies outside the shape: "
            "are the coordinates in [lon, lat] order?",
            props.iso3,
            None,
            "geometry",
        )
    )
    return False


def load_catalogue(data_dir: Path, problems: list[Problem]) -> Catalogue:
    """data/indicators.yaml as a Catalogue; each broken entry one located problem."""
    label = f"{data_dir.name}/{cat.CATALOGUE_FILE}"
    raw = _read_text(data_dir / cat.CATALOGUE_FILE, label, problems)
    if raw is None:
        return Catalogue()
    try:
        doc = load_yaml(raw, dates_as_text=False)
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        problems.append(Problem(label, f"not valid YAML: {exc}".replace("\n", " ")))
        return Catalogue()

    def report(message: str, entry: str | None, fld: str | None) -> None:
        problems.append(Problem(label, message, entry, None, fld))

    return cat.build(doc, report)


def check_basemap(data_dir: Path, problems: list[Problem], languages: tuple[str, ...] = ()) -> None:
    """The basemap is a readable FeatureCollection of polygons, each neighbour named in every
    one of the catalogue's `languages` (``i18n: {ru: {name: ...}}``: the map's labels). (The
    map leaves out what it cannot draw and still shows the five; this says so instead of
    failing silently.)"""
    label = f"{data_dir.name}/{BASEMAP_FILE}"
    raw = _read_text(data_dir / BASEMAP_FILE, label, problems)
    if raw is None:
        return
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        problems.append(Problem(label, f"malformed JSON: {exc}"))
        return
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        problems.append(Problem(label, "expected a GeoJSON FeatureCollection"))
        return
    bad = [
        i
        for i, f in enumerate(doc["features"])
        if not isinstance(f, dict)
        or not isinstance(f.get("geometry"), dict)
        or f["geometry"].get("type") not in ("Polygon", "MultiPolygon")
    ]
    if bad:
        which = ", ".join(f"#{i}" for i in bad[:5]) + (", ..." if len(bad) > 5 else "")
        problems.append(
            Problem(
                label,
                f"{len(bad)} feature(s) without a Polygon or MultiPolygon geometry ({which}) "
                "are not drawn",
            )
        )
    problems.extend(_untranslated_neighbours(label, doc["features"], languages))


def _untranslated_neighbours(
    label: str, features: list[Any], languages: tuple[str, ...]
) -> Iterator[Problem]:
    from babel import Locale

    for lang in languages:
        language = Locale.parse(lang).english_name or lang
        for f in features:
            props = f.get("properties") if isinstance(f, dict) else None
            if not isinstance(props, dict) or not props.get("name"):
                continue
            names = props.get("i18n")
            given = names.get(lang) if isinstance(names, dict) else None
            name = given.get("name") if isinstance(given, dict) else None
            if not isinstance(name, str) or not name.strip():
                yield Problem(
                    label,
                    f"no {language} ({lang}) text for name",
                    str(props["name"]),
                    None,
                    f"i18n.{lang}.name",
                )


def _apply(facts: list[Fact], changes: Mapping[int, Fact | None]) -> list[Fact] | None:
    """`facts` with `changes` (see checks.facts) made; None when nothing changes."""
    if not any(id(f) in changes for f in facts):
        return None
    return [g for f in facts if (g := changes.get(id(f), f)) is not None]


def _mended(feature: Feature[P], changes: Mapping[int, Fact | None]) -> Feature[P]:
    kept = _apply(getattr(feature.props, "facts"), changes)  # noqa: B009
    if kept is None:
        return feature
    return Feature(feature.props.model_copy(update={"facts": kept}), feature.geometry)


def _read_all(
    data_dir: Path, seeds_dir: Path, problems: list[Problem]
) -> tuple[dict[str, Source], dict[str, str], Catalogue, dict[Kind, list[Feature[Any]]]]:
    """Every file, each item validated on its own (sources, texts, catalogue, features)."""
    if not seeds_dir.is_dir():
        problems.append(Problem(str(seeds_dir), "seeds directory not found"))
    if not data_dir.is_dir():
        problems.append(Problem(str(data_dir), "data directory not found"))
    sources, texts = load_sources(seeds_dir, problems) if seeds_dir.is_dir() else ({}, {})
    catalogue = load_catalogue(data_dir, problems) if data_dir.is_dir() else Catalogue()
    loaded = {
        kind: load_collection(kind, data_dir, problems) if data_dir.is_dir() else []
        for kind in FILES
    }
    if (data_dir / BASEMAP_FILE).exists():  # optional: without it the five stand on water
        check_basemap(data_dir, problems, catalogue.languages)
    return sources, texts, catalogue, loaded


def load(data_dir: Path | None = None, seeds_dir: Path | None = None) -> Dataset:
    """Load and check everything. Never raises on bad data: see `Dataset.problems`.

    Without arguments, the directories come from CENTRAL_ASIA_ATLAS_DATA and
    CENTRAL_ASIA_ATLAS_SEEDS as they are now (read at call time, so that a test running the
    app in-process can point it at a copy), else data/ and seeds/.
    """
    data_dir = data_dir if data_dir is not None else current_data_dir()
    seeds_dir = seeds_dir if seeds_dir is not None else current_seeds_dir()
    problems: list[Problem] = []
    sources, texts, catalogue, loaded = _read_all(data_dir, seeds_dir, problems)
    files = {kind: f"{data_dir.name}/{name}" for kind, name in FILES.items()}

    countries = checks.unique(loaded[Kind.country], files[Kind.country], "country", problems)
    if data_dir.is_dir():
        checks.all_five(countries, files[Kind.country], problems)
    regions = loaded[Kind.region]
    if len(regions) > 1:
        problems.append(Problem(files[Kind.region], "expected one region feature"))
    region = regions[0].props if regions else None
    routes = checks.unique(loaded[Kind.route], files[Kind.route], "route", problems)
    events = checks.unique(loaded[Kind.event], files[Kind.event], "event", problems)

    draft = Dataset(tuple(countries), region, tuple(routes), tuple(events), sources, texts)
    refs = [(files[r.kind], r) for r in draft.fact_refs()]
    changes = checks.facts(refs, sources, texts, seeds_dir.name, problems)
    changes = checks.merge(changes, checks.signals(refs, catalogue, problems))
    countries = [_mended(c, changes) for c in countries]
    routes = [_mended(r, changes) for r in routes]
    events = [_mended(e, changes) for e in events]
    if region is not None and (region_facts := _apply(region.facts, changes)) is not None:
        region = region.model_copy(update={"facts": region_facts})
    clean = Dataset(
        tuple(countries), region, tuple(routes), tuple(events), sources, texts, (), catalogue
    )
    index = {r.fact.id: r for r in clean.fact_refs()}
    countries = checks.indicators(countries, index, files[Kind.country], catalogue, problems)
    extra, warns = checks.run(clean, data_dir, seeds_dir)
    return Dataset(
        tuple(countries),
        region,
        tuple(routes),
        tuple(events),
        sources,
        texts,
        tuple(problems + extra),
        catalogue,
        tuple(warns),
    )
