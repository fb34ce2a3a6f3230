"""The loaded data's types (a located `Problem`, `Feature`, `FactRef`, `Dataset`) and where
the files are. Loading is `store`'s; the rules across the loaded data are `checks`'.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel
from shapely.geometry.base import BaseGeometry

from .catalogue import Catalogue
from .model import CountryProps, EventProps, Fact, Kind, RegionProps, RouteProps, Source

ROOT = Path(__file__).resolve().parent.parent
# The shipped directories. CENTRAL_ASIA_ATLAS_DATA / _SEEDS override them (so that a test or
# a curator can serve a copy of the data): read them through current_data_dir/current_seeds_dir.
DATA_DIR = ROOT / "data"
SEEDS_DIR = ROOT / "seeds"
SOURCES_FILE = "sources.yaml"
BASEMAP_FILE = "basemap.geojson"  # the neighbours drawn under the five (see mapview)

FILES: dict[Kind, str] = {
    Kind.country: "countries.geojson",
    Kind.region: "region.geojson",
    Kind.route: "routes.geojson",
    Kind.event: "events.geojson",
}


def current_data_dir() -> Path:
    """data/, or the directory CENTRAL_ASIA_ATLAS_DATA names now (read at call time)."""
    return Path(os.environ.get("CENTRAL_ASIA_ATLAS_DATA", DATA_DIR))


def current_seeds_dir() -> Path:
    """seeds/, or the directory CENTRAL_ASIA_ATLAS_SEEDS names now (read at call time)."""
    return Path(os.environ.get("CENTRAL_ASIA_ATLAS_SEEDS", SEEDS_DIR))


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

    def names(self) -> dict[str, str]:
        """Each country's name by its ISO3 code."""
        return {c.props.iso3: c.props.name for c in self.countries}

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

    @cached_property
    def _known_from(self) -> dict[str, dt.date]:
        out = {}
        for ref in self.fact_refs():
            f = ref.fact
            src = self.sources.get(f.source)
            end = f.period_end
            if src is not None and src.published is not None and src.published < end:
                end = max(src.published, f.date)
            out[f.id] = end
        return out

    def known_from(self, fact: Fact) -> dt.date:
        """The first day a fact is surely known: its day; for a fact known only to the month
        or the year, the end of that month or year, or its source's publication if earlier."""
        return self._known_from.get(fact.id, fact.period_end)

    def known_on(self, fact: Fact, day: dt.date | None) -> bool:
        """Whether `fact` is known on `day` (None: today, every fact): the one rule of the
        "as of a day" filter, which the map, the panel, the summary and the exports share."""
        return day is None or self.known_from(fact) <= day

    def facts_for_country(self, iso3: str, as_of: dt.date | None = None) -> list[FactRef]:
        """Every fact that concerns `iso3`, wherever it is stored, oldest first; with `as_of`,
        only those known on that day (`known_on`)."""
        return [r for r in self._by_country.get(iso3, ()) if self.known_on(r.fact, as_of)]

    @cached_property
    def _region_only(self) -> tuple[FactRef, ...]:
        return tuple(r for r in self.fact_refs() if r.kind is Kind.region and not r.fact.countries)

    def region_only_facts(self, as_of: dt.date | None = None) -> list[FactRef]:
        """Facts about the region as a whole (stored on the region, naming no single country),
        known on `as_of` (None: every one)."""
        return [r for r in self._region_only if self.known_on(r.fact, as_of)]

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
