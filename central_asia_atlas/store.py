"""Read data/*.geojson and seeds/ into validated, typed objects; report every problem found.

Loading never raises on bad data: each problem becomes a `Problem` naming the file, the
feature, the fact and the field, and whatever is valid is kept, so nothing valid is lost.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

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
from .catalogue import Catalogue, CategoricalSpec, ComputedSpec, NumericSpec
from .model import (
    FIVE,
    CountryProps,
    EventProps,
    Fact,
    IndicatorValue,
    Kind,
    RegionProps,
    RouteProps,
    Source,
)
from .provenance import check_excerpt, read_source_text

ROOT = Path(__file__).resolve().parent.parent
# The shipped directories. CENTRAL_ASIA_ATLAS_DATA / _SEEDS override them (so that a test or
# a curator can serve a copy of the data): read them through current_data_dir/current_seeds_dir.
DATA_DIR = ROOT / "data"
SEEDS_DIR = ROOT / "seeds"
SOURCES_FILE = "sources.yaml"
BASEMAP_FILE = "basemap.geojson"  # the neighbours drawn under the five (see mapview)
MAX_FILE_BYTES = 20 * 1024 * 1024
CAPITAL_TOLERANCE_DEG = 0.1  # how far (degrees) a capital may lie outside its simplified shape

FILES: dict[Kind, str] = {
    Kind.country: "countries.geojson",
    Kind.region: "region.geojson",
    Kind.route: "routes.geojson",
    Kind.event: "events.geojson",
}
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


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as precisely as possible."""

    file: str
    message: str
    feature: str | None = None
    fact: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [_one_line(self.file)]
        if self.feature:
            where.append(f"feature {_one_line(self.feature)}")
        if self.fact:
            where.append(f"fact {_one_line(self.fact)}")
        if self.field:
            where.append(f"field {_one_line(self.field)}")
        return f"{', '.join(where)}: {_one_line(self.message)}"


def _one_line(text: str) -> str:
    """Names and messages may quote the data: escape line breaks and other control characters,
    so that each problem prints as exactly one line."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


@dataclass(frozen=True)
class Feature(Generic[P]):
    props: P
    geometry: BaseGeometry | None


@dataclass(frozen=True)
class FactRef:
    """A fact and where it is stored (kind of feature and its id)."""

    fact: Fact
    kind: Kind
    owner: str

    @property
    def concerns(self) -> frozenset[str]:
        """The countries the fact concerns: those it names, and the country that holds it."""
        extra = {self.owner} if self.kind is Kind.country else set()
        return frozenset(self.fact.countries) | extra


@dataclass(frozen=True)
class Dataset:
    countries: tuple[Feature[CountryProps], ...] = ()
    region: RegionProps | None = None
    routes: tuple[Feature[RouteProps], ...] = ()
    events: tuple[Feature[EventProps], ...] = ()
    sources: Mapping[str, Source] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)  # source id -> document text
    problems: tuple[Problem, ...] = ()
    catalogue: Catalogue = field(default_factory=Catalogue)
    warnings: tuple[Problem, ...] = ()  # see checks.run: reported, but the data is OK

    @property
    def ok(self) -> bool:
        return not self.problems

    def country(self, iso3: str) -> Feature[CountryProps] | None:
        return next((c for c in self.countries if c.props.iso3 == iso3), None)

    def route(self, route_id: str) -> Feature[RouteProps] | None:
        return next((r for r in self.routes if r.props.id == route_id), None)

    def event(self, event_id: str) -> Feature[EventProps] | None:
        return next((e for e in self.events if e.props.id == event_id), None)

    def fact_refs(self) -> Iterator[FactRef]:
        for c in self.countries:
            for f in c.props.facts:
                yield FactRef(f, Kind.country, c.props.iso3)
        if self.region is not None:
            for f in self.region.facts:
                yield FactRef(f, Kind.region, self.region.id)
        for r in self.routes:
            for f in r.props.facts:
                yield FactRef(f, Kind.route, r.props.id)
        for e in self.events:
            for f in e.props.facts:
                yield FactRef(f, Kind.event, e.props.id)

    @cached_property
    def _fact_index(self) -> dict[str, FactRef]:
        return {ref.fact.id: ref for ref in self.fact_refs()}

    def fact(self, fact_id: str) -> Fact | None:
        ref = self._fact_index.get(fact_id)
        return ref.fact if ref else None

    def fact_ref(self, fact_id: str) -> FactRef | None:
        return self._fact_index.get(fact_id)

    @cached_property
    def _by_country(self) -> dict[str, tuple[FactRef, ...]]:
        """Each country's facts, oldest first (every panel rerun asks; computed once)."""
        out: dict[str, list[FactRef]] = {}
        for r in sorted(self._fact_index.values(), key=lambda r: (r.fact.date, r.fact.id)):
            for iso3 in r.concerns:
                out.setdefault(iso3, []).append(r)
        return {k: tuple(v) for k, v in out.items()}

    def facts_for_country(self, iso3: str) -> list[FactRef]:
        """Every fact that concerns `iso3`, wherever it is stored, oldest first."""
        return list(self._by_country.get(iso3, ()))

    @cached_property
    def region_only_facts(self) -> tuple[FactRef, ...]:
        """Facts about the region as a whole (stored on the region, naming no single country)."""
        return tuple(r for r in self.fact_refs() if r.kind is Kind.region and not r.fact.countries)

    @cached_property
    def latest_fact_date(self) -> dt.date | None:
        return max((ref.fact.date for ref in self.fact_refs()), default=None)

    @cached_property
    def dated_span(self) -> tuple[dt.date, dt.date] | None:
        """The earliest and latest day a fact or an event is dated (None: nothing dated).
        Every map rerun asks (its day slider); computed once."""
        dates = [r.fact.date for r in self.fact_refs()] + [e.props.date for e in self.events]
        return (min(dates), max(dates)) if dates else None

    def counts(self) -> dict[str, int]:
        return {
            "facts": len(self._fact_index),
            "sources": len(self.sources),
            "countries": len(self.countries),
            "routes": len(self.routes),
            "events": len(self.events),
        }


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


# libyaml's parser when PyYAML has it (its wheels do), about 7x faster than the pure-Python
# one (0.03 s instead of 0.2 s for sources.yaml at every server start). Only libyaml's
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


# --- cross-checks ----------------------------------------------------------------------


def _check_facts(
    refs: list[tuple[str, FactRef]],
    sources: Mapping[str, Source],
    texts: Mapping[str, str],
    seeds_label: str,
    problems: list[Problem],
) -> dict[int, Fact | None]:
    """Check every fact against the others and its source.

    Returns the changes to make, keyed by `id()` of the fact object (two facts may share an
    id string: the first is kept, the later one dropped): None drops a fact whose problem was
    reported; a Fact replaces one whose relations to missing facts were taken out.
    """
    bad: set[int] = set()
    seen: dict[str, str] = {}
    for file, ref in refs:
        f, owner = ref.fact, ref.owner
        if f.id in seen:
            problems.append(
                Problem(file, f"duplicate fact id (also in {seen[f.id]})", owner, f.id, "id")
            )
            bad.add(id(f))
            continue
        seen[f.id] = f"{file}, feature {owner}"
        src = sources.get(f.source)
        if src is None:
            problems.append(
                Problem(
                    file,
                    f"unknown source {f.source!r} (not in sources.yaml)",
                    owner,
                    f.id,
                    "source",
                )
            )
            bad.add(id(f))
            continue
        if src.file:
            if f.excerpt is None or f.start is None or f.end is None:
                problems.append(
                    Problem(
                        file,
                        f"source {src.id!r} is a stored document: give the "
                        "excerpt with its start and end",
                        owner,
                        f.id,
                        "excerpt",
                    )
                )
                bad.add(id(f))
                continue
            text = texts.get(src.id)
            if text is None:
                problems.append(
                    Problem(
                        file,
                        f"text of source {src.id!r} could not be read ({seeds_label}/{src.file})",
                        owner,
                        f.id,
                        "source",
                    )
                )
                bad.add(id(f))
                continue
            msg = check_excerpt(text, f.excerpt, f.start, f.end)
            if msg:
                problems.append(
                    Problem(file, f"{msg} in {seeds_label}/{src.file}", owner, f.id, "excerpt")
                )
                bad.add(id(f))
        elif f.excerpt is not None:
            problems.append(
                Problem(
                    file,
                    f"source {src.id!r} has no stored text in seeds/, so an "
                    "excerpt cannot be checked: put the words in 'note'",
                    owner,
                    f.id,
                    "excerpt",
                )
            )
            bad.add(id(f))
    changes: dict[int, Fact | None] = dict.fromkeys(bad)
    kept = {ref.fact.id for _, ref in refs if id(ref.fact) not in bad}
    for file, ref in refs:
        if id(ref.fact) in bad:
            continue
        dangling = [i for i, rel in enumerate(ref.fact.relations) if rel.fact not in kept]
        for i in dangling:
            other = ref.fact.relations[i].fact
            why = "which is left out (see its problem)" if other in seen else "unknown"
            problems.append(
                Problem(
                    file,
                    f"relation to fact {other!r}, {why}; the relation is left out",
                    ref.owner,
                    ref.fact.id,
                    f"relations.{i}.fact",
                )
            )
        if dangling:
            rels = [r for i, r in enumerate(ref.fact.relations) if i not in dangling]
            changes[id(ref.fact)] = ref.fact.model_copy(update={"relations": rels})
    return changes


def _unique(
    features: list[Feature[P]], file: str, what: str, problems: list[Problem]
) -> list[Feature[P]]:
    """The features with the first of each id; each later duplicate is reported and left out."""
    seen: set[str] = set()
    out = []
    for feat in features:
        fid: str = getattr(feat.props, "id")  # noqa: B009
        if fid in seen:
            problems.append(Problem(file, f"duplicate {what} id", fid, None, "id"))
            continue
        seen.add(fid)
        out.append(feat)
    return out


def _apply(facts: list[Fact], changes: Mapping[int, Fact | None]) -> list[Fact] | None:
    """`facts` with `changes` (from _check_facts) made; None when nothing changes."""
    if not any(id(f) in changes for f in facts):
        return None
    return [g for f in facts if (g := changes.get(id(f), f)) is not None]


def _drop(feature: Feature[P], changes: Mapping[int, Fact | None]) -> Feature[P]:
    kept = _apply(getattr(feature.props, "facts"), changes)  # noqa: B009
    if kept is None:
        return feature
    return Feature(feature.props.model_copy(update={"facts": kept}), feature.geometry)


def _indicator_problem(
    spec: cat.AnySpec,
    val: IndicatorValue,
    iso3: str,
    index: Mapping[str, FactRef],
    catalogue: Catalogue,
) -> tuple[str | None, str]:
    """What is wrong with one stored indicator value, and in which field; (None, "") if nothing."""
    if isinstance(spec, CategoricalSpec):
        if spec.class_for(val.value) is None:
            allowed = ", ".join(repr(c.value) for c in spec.classes)
            return f"value {val.value!r} is not one of {allowed}", "value"
        for name in ("period", "statistics"):
            if getattr(val, name) is not None:
                return f"a categorical value takes no {name}", name
    elif isinstance(spec, NumericSpec):
        wrong = cat.check_number(spec, val.value)
        if wrong:
            return wrong, "value"
        if val.period is None:
            return "a numeric value needs its period (YYYY, or YYYY-MM/YYYY-MM)", "period"
        try:
            cat.parse_period(val.period)
        except ValueError as exc:
            return str(exc), "period"
        if val.statistics is None:
            known = ", ".join(catalogue.statistics)
            return f"a numeric value needs its statistics (one of: {known})", "statistics"
        if val.statistics not in catalogue.statistics:
            known = ", ".join(catalogue.statistics)
            return f"unknown statistics {val.statistics!r} (known: {known})", "statistics"
    missing = [fid for fid in val.facts if fid not in index]
    if missing:
        return f"no such fact(s): {', '.join(missing)} (a value needs facts that back it)", "facts"
    unrelated = [fid for fid in val.facts if iso3 not in index[fid].concerns]
    if unrelated:
        return f"fact(s) {', '.join(unrelated)} do not concern {iso3}", "facts"
    return None, ""


def _check_indicators(
    countries: list[Feature[CountryProps]],
    index: Mapping[str, FactRef],
    file: str,
    catalogue: Catalogue,
    problems: list[Problem],
) -> list[Feature[CountryProps]]:
    specs = catalogue.indicators
    out = []
    for c in countries:
        iso3 = c.props.iso3
        kept = {}
        for key, history in c.props.indicators.items():
            spec = specs.get(key)
            if spec is None or isinstance(spec, ComputedSpec):
                why = (
                    f"unknown indicator (not in {cat.CATALOGUE_FILE}; known: {', '.join(specs)})"
                    if spec is None
                    else "this indicator is computed from the facts' signals; do not store it"
                )
                problems.append(Problem(file, why, iso3, None, f"indicators.{key}"))
                continue
            good = []
            for i, val in enumerate(history):
                where = f"indicators.{key}" if len(history) == 1 else f"indicators.{key}.{i}"
                message, fld = _indicator_problem(spec, val, iso3, index, catalogue)
                if message:
                    problems.append(Problem(file, message, iso3, None, f"{where}.{fld}"))
                else:
                    good.append(val)
            if good:
                kept[key] = good
        if kept != c.props.indicators:
            c = Feature(c.props.model_copy(update={"indicators": kept}), c.geometry)
        out.append(c)
    return out


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


def _check_signals(
    refs: list[tuple[str, FactRef]], catalogue: Catalogue, problems: list[Problem]
) -> dict[int, Fact]:
    """Facts citing a signal the catalogue does not know: reported, and the signal left out."""
    changes: dict[int, Fact] = {}
    for file, ref in refs:
        unknown = [i for i, s in enumerate(ref.fact.signals) if s not in catalogue.signals]
        for i in unknown:
            problems.append(
                Problem(
                    file,
                    f"unknown signal {ref.fact.signals[i]!r} (not in {cat.CATALOGUE_FILE}); "
                    "the signal is left out",
                    ref.owner,
                    ref.fact.id,
                    f"signals.{i}",
                )
            )
        if unknown:
            kept = [s for i, s in enumerate(ref.fact.signals) if i not in unknown]
            changes[id(ref.fact)] = ref.fact.model_copy(update={"signals": kept})
    return changes


def check_basemap(data_dir: Path, problems: list[Problem]) -> None:
    """The basemap is a readable FeatureCollection of polygons. (The map leaves out what it
    cannot draw and still shows the five; this says so instead of failing silently.)"""
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


def current_data_dir() -> Path:
    """data/, or the directory CENTRAL_ASIA_ATLAS_DATA names now (read at call time)."""
    return Path(os.environ.get("CENTRAL_ASIA_ATLAS_DATA", DATA_DIR))


def current_seeds_dir() -> Path:
    """seeds/, or the directory CENTRAL_ASIA_ATLAS_SEEDS names now (read at call time)."""
    return Path(os.environ.get("CENTRAL_ASIA_ATLAS_SEEDS", SEEDS_DIR))


def load(data_dir: Path | None = None, seeds_dir: Path | None = None) -> Dataset:
    """Load and check everything. Never raises on bad data: see `Dataset.problems`.

    Without arguments, the directories come from CENTRAL_ASIA_ATLAS_DATA and
    CENTRAL_ASIA_ATLAS_SEEDS as they are now (read at call time, so that a test running the
    app in-process can point it at a copy), else data/ and seeds/.
    """
    data_dir = data_dir if data_dir is not None else current_data_dir()
    seeds_dir = seeds_dir if seeds_dir is not None else current_seeds_dir()
    problems: list[Problem] = []
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
        check_basemap(data_dir, problems)
    countries: list[Feature[CountryProps]] = loaded[Kind.country]
    regions: list[Feature[RegionProps]] = loaded[Kind.region]
    routes: list[Feature[RouteProps]] = loaded[Kind.route]
    events: list[Feature[EventProps]] = loaded[Kind.event]

    cfile = f"{data_dir.name}/{FILES[Kind.country]}"
    seen_iso: set[str] = set()
    unique_countries = []
    for c in countries:
        if c.props.iso3 in seen_iso:
            problems.append(Problem(cfile, "duplicate country", c.props.iso3, None, "iso3"))
            continue
        seen_iso.add(c.props.iso3)
        unique_countries.append(c)
    countries = unique_countries
    # a file that could not be read at all is one problem, not five more
    whole_file = any(p.file == cfile and not (p.feature or p.fact or p.field) for p in problems)
    for iso3 in FIVE:
        if iso3 in seen_iso or whole_file or not data_dir.is_dir():
            continue
        if any(p.file == cfile and p.feature == iso3 for p in problems):
            msg = f"country {iso3} is left out for the problem(s) above (all five must be present)"
        else:
            msg = f"country {iso3} is missing (all five must be present)"
        problems.append(Problem(cfile, msg, iso3))
    if len(regions) > 1:
        problems.append(
            Problem(f"{data_dir.name}/{FILES[Kind.region]}", "expected one region feature")
        )
    route_file = f"{data_dir.name}/{FILES[Kind.route]}"
    event_file = f"{data_dir.name}/{FILES[Kind.event]}"
    routes = _unique(routes, route_file, "route", problems)
    events = _unique(events, event_file, "event", problems)

    region = regions[0].props if regions else None
    draft = Dataset(tuple(countries), region, tuple(routes), tuple(events), sources, texts)
    file_of = {
        Kind.country: cfile,
        Kind.region: f"{data_dir.name}/{FILES[Kind.region]}",
        Kind.route: route_file,
        Kind.event: event_file,
    }
    refs = [(file_of[r.kind], r) for r in draft.fact_refs()]
    changes = _check_facts(refs, sources, texts, seeds_dir.name, problems)
    for key, fixed in _check_signals(refs, catalogue, problems).items():
        if key not in changes:
            changes[key] = fixed
        elif (other := changes[key]) is not None:  # relations mended too: keep both mends
            changes[key] = other.model_copy(update={"signals": fixed.signals})
    source_refs = (
        [(cfile, c.props.iso3, "capital.source", c.props.capital.source) for c in countries]
        + [
            (route_file, r.props.id, f"geometry_sources.{i}", sid)
            for r in routes
            for i, sid in enumerate(r.props.geometry_sources)
        ]
        + [(event_file, e.props.id, "place_source", e.props.place_source) for e in events]
    )
    for file, owner, where, sid in source_refs:
        if sid not in sources:
            problems.append(Problem(file, f"unknown source {sid!r}", owner, None, where))
    countries = [_drop(c, changes) for c in countries]
    routes = [_drop(r, changes) for r in routes]
    events = [_drop(e, changes) for e in events]
    region_facts = _apply(region.facts, changes) if region is not None else None
    if region is not None and region_facts is not None:
        region = region.model_copy(update={"facts": region_facts})
    clean = Dataset(tuple(countries), region, tuple(routes), tuple(events), sources, texts)
    index = {r.fact.id: r for r in clean.fact_refs()}
    countries = _check_indicators(countries, index, cfile, catalogue, problems)
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
