"""Pydantic models of the GeoJSON properties and the sources file: the data contract."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

ISO3 = Literal["KAZ", "UZB", "KGZ", "TJK", "TKM"]
FIVE: tuple[ISO3, ...] = ("KAZ", "UZB", "KGZ", "TJK", "TKM")

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")]
Line = Annotated[str, StringConstraints(min_length=1, max_length=400, pattern=r"^[^\n\r]+$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class Strict(BaseModel):
    """Base: unknown fields are an error, objects are frozen (cached data is never mutated)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Category(StrEnum):
    stance = "stance"
    aid = "aid"
    trade = "trade"
    energy = "energy"
    diplomacy = "diplomacy"
    governance = "governance"
    reform = "reform"
    geopolitics = "geopolitics"
    sanctions = "sanctions"
    economy = "economy"
    context = "context"


class Signal(StrEnum):
    """Kinds of cited 'signals of distance from Moscow' (counted per country, see indicators)."""

    un_vote_not_with_russia = "un_vote_not_with_russia"
    rebuked_kremlin = "rebuked_kremlin"
    humanitarian_aid_ukraine = "humanitarian_aid_ukraine"
    refused_recognition = "refused_recognition"
    eu_engagement = "eu_engagement"
    reducing_dependence_on_russia = "reducing_dependence_on_russia"


class Actor(StrEnum):
    """Outside powers and bodies a fact speaks of."""

    EU = "EU"
    RUS = "RUS"
    CHN = "CHN"
    TUR = "TUR"
    UN = "UN"
    USA = "USA"
    UKR = "UKR"
    WB = "WB"


class RelationKind(StrEnum):
    superseded_by = "superseded_by"  # this fact is outdated; the other one is later
    supersedes = "supersedes"
    disagrees_with = "disagrees_with"  # sources give different values; both kept
    corroborates = "corroborates"


class Relation(Strict):
    kind: RelationKind
    fact: Id
    note: Line


class SourceKind(StrEnum):
    opinion = "opinion"
    news_report = "news report"
    teaser = "teaser"
    reference = "reference"
    dataset = "dataset"
    software = "software"


class Source(Strict):
    id: Id
    title: Line
    outlet: Line
    author: Line | None = None
    published: dt.date | None = None
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    kind: SourceKind
    file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+\.txt$")] | None = None
    licence: Line | None = None
    attribution: Line | None = None
    part_of: Id | None = None  # e.g. a teaser printed on the page of another source
    note: Text | None = None


class Fact(Strict):
    id: Id
    category: Category
    date: dt.date
    date_note: Line | None = None
    summary: Line
    source: Id
    excerpt: Text | None = None
    start: Annotated[int, Field(ge=0)] | None = None
    end: Annotated[int, Field(ge=0)] | None = None
    countries: list[ISO3] = []
    actors: list[Actor] = []
    signals: list[Signal] = []
    relations: list[Relation] = []
    note: Text | None = None

    @model_validator(mode="after")
    def _excerpt_and_offsets_together(self) -> Fact:
        given = [self.excerpt is not None, self.start is not None, self.end is not None]
        if any(given) and not all(given):
            raise ValueError("excerpt, start and end go together: give all three or none")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("end must be greater than start")
        if self.signals and not self.countries:
            raise ValueError("a fact with signals must name the countries it concerns")
        return self


class IndicatorValue(Strict):
    value: Line
    facts: Annotated[list[Id], Field(min_length=1)]
    since: dt.date | None = None  # the value holds from this day; default: its earliest fact
    note: Line | None = None


class Capital(Strict):
    name: Line
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    source: Id


class CountryProps(Strict):
    iso3: ISO3
    iso_n3: Annotated[str, StringConstraints(pattern=r"^\d{3}$")]
    name: Line
    capital: Capital
    # Each indicator holds one value, or a history of values (each from its own `since` day).
    indicators: dict[str, list[IndicatorValue]] = {}
    facts: list[Fact] = []

    @field_validator("indicators", mode="before")
    @classmethod
    def _single_value_is_a_history_of_one(cls, raw: Any) -> Any:
        if isinstance(raw, dict):
            return {k: [v] if isinstance(v, dict | IndicatorValue) else v for k, v in raw.items()}
        return raw


class RegionProps(Strict):
    id: Id
    name: Line
    facts: list[Fact] = []


class Commodity(StrEnum):
    oil = "oil"
    gas = "gas"
    oil_by_tanker = "oil by tanker"


class RouteStatus(StrEnum):
    operating = "operating"
    proposed = "proposed"
    reversed = "operating (reversed flow)"


class GeometryQuality(StrEnum):
    traced = "traced"
    schematic = "schematic"


class RouteProps(Strict):
    id: Id
    name: Line
    commodity: Commodity
    transits_russia: bool
    status: RouteStatus
    operator: Line
    capacity: Line | None = None
    length_km: Annotated[float, Field(gt=0)] | None = None
    countries: list[ISO3] = []
    geometry_quality: GeometryQuality
    geometry_note: Line | None = None
    geometry_sources: Annotated[list[Id], Field(min_length=1)]
    attribution: Line
    facts: list[Fact] = []


class EventProps(Strict):
    id: Id
    name: Line
    date: dt.date
    end_date: dt.date | None = None
    place: Line
    place_source: Id
    countries: list[ISO3] = []
    facts: Annotated[list[Fact], Field(min_length=1)]

    @field_validator("end_date")
    @classmethod
    def _dates_in_order(cls, end_date: dt.date | None, info: ValidationInfo) -> dt.date | None:
        # a field validator (not a model one) so that the error names the field end_date
        date = info.data.get("date")
        if end_date is not None and date is not None and end_date < date:
            raise ValueError("end_date is before date")
        return end_date


class Kind(StrEnum):
    """The kinds of feature collection in data/."""

    country = "country"
    region = "region"
    route = "route"
    event = "event"
