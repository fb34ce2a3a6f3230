"""Pydantic models of the GeoJSON properties and the sources file: the data contract."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from . import i18n

ISO3 = Literal["KAZ", "UZB", "KGZ", "TJK", "TKM"]
FIVE: tuple[ISO3, ...] = ("KAZ", "UZB", "KGZ", "TJK", "TKM")

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,79}$")]
Line = Annotated[str, StringConstraints(min_length=1, max_length=400, pattern=r"^[^\n\r]+$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,59}$")]  # catalogue keys


class Strict(BaseModel):
    """Base: unknown fields are an error, objects are frozen (cached data is never mutated)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]


LONG_TEXTS = ("note", "description")  # the fields that may run over several lines
# Every field name some model translates (a set lookup keeps other attributes fast).
_ALL_TRANSLATABLE = frozenset(
    {
        "summary",
        "date_note",
        "note",
        "name",
        "place",
        "operator",
        "capacity",
        "geometry_note",
        "attribution",
        "label",
        "description",
        "unit",
        "no_data_label",
        "positive_label",
        "negative_label",
        "title",
    }
)


class Translated(Strict):
    """A model whose reader-facing words the data also gives in other languages:
    ``i18n: {ru: {summary: "..."}}`` holds, per language code, the fields of `TRANSLATABLE`.

    Reading such a field gives it in the language of the page being made (`i18n.use`): its
    translation, or the English where there is none. So every renderer shows the reader's
    language without asking for it, and code that must see the data as written (validation,
    curation) runs outside `i18n.use`, in English.
    """

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ()
    i18n: dict[LangCode, dict[str, Text]] = {}

    def __getattribute__(self, name: str) -> Any:
        if name in _ALL_TRANSLATABLE and (lang := i18n.current()) != i18n.SOURCE:
            cls = object.__getattribute__(self, "__class__")
            if name in cls.TRANSLATABLE:
                own = object.__getattribute__(self, "__dict__")
                translated = own.get("i18n", {}).get(lang, {}).get(name)
                if translated:
                    return translated
        return super().__getattribute__(name)

    @field_validator("i18n")
    @classmethod
    def _translatable_fields_only(
        cls, value: dict[str, dict[str, str]]
    ) -> dict[str, dict[str, str]]:
        for lang, fields in value.items():
            unknown = sorted(set(fields) - set(cls.TRANSLATABLE))
            if unknown:
                raise ValueError(
                    f"{lang}: {', '.join(unknown)} cannot be translated here "
                    f"(translatable: {', '.join(cls.TRANSLATABLE) or 'nothing'})"
                )
            for name, text in fields.items():
                if name not in LONG_TEXTS and ("\n" in text or "\r" in text or len(text) > 600):
                    raise ValueError(f"{lang}.{name}: one line of at most 600 characters")
        return value


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


class DatePrecision(StrEnum):
    """How much of a fact's date is known: the day, only the month, or only the year.

    A month is written as its first day (2020-12-01), a year as 1 January (2020-01-01); the
    panel, the timeline and the exports show "December 2020" and "2020", and the "as of" filter
    counts such a fact from the end of its month or year (the day by which it is surely known).
    """

    day = "day"
    month = "month"
    year = "year"


def period_end(day: dt.date, precision: DatePrecision) -> dt.date:
    """The last day of the month or year a date of that precision stands for (itself: a day)."""
    if precision is DatePrecision.year:
        return dt.date(day.year, 12, 31)
    if precision is DatePrecision.month:
        following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return day


class Relation(Translated):
    TRANSLATABLE = ("note",)

    kind: RelationKind
    fact: Id
    note: Line


class SourceKind(StrEnum):
    """Who says it: shown beside every fact, on the Sources page and in the exports."""

    official_statistics = "official statistics"
    government = "government"
    international_organisation = "international organisation"
    newsroom = "newsroom"
    think_tank = "think tank"
    opinion = "opinion"
    state_media = "state media"
    aggregator = "aggregator"
    dataset = "dataset"
    software = "software"
    company = "company"  # a firm's own statement (CPC, Gazprom, KazMunayGas)


BANNED_HOSTS = ("news-pravda.com",)  # a pro-Kremlin network of mirrors: never a source
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/]+\S*$")]


class Source(Strict):
    id: Id
    title: Line
    outlet: Line
    author: Line | None = None
    published: dt.date | None = None
    url: Url | None = None
    accessed: dt.date | None = None  # the day a web source was read
    kind: SourceKind
    file: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._-]+\.txt$")] | None = None
    licence: Line | None = None
    attribution: Line | None = None
    part_of: Id | None = None  # e.g. a teaser printed on the page of another source
    # A repost cited because the original is not stored: the reposting outlet (the URL is its
    # page); `outlet` then names the original publisher.
    via: Line | None = None
    # the language of the document (a stored one's excerpts are marked with it); default English
    language: LangCode = "en"
    note: Text | None = None

    @property
    def credit(self) -> str:
        """Who published it, and through whom it was read: "Trend, via MENAFN" (in the
        reader's language)."""
        if not self.via:
            return self.outlet
        return self.outlet + ", " + i18n._("via {outlet}").format(outlet=self.via)

    @field_validator("url")
    @classmethod
    def _not_a_banned_host(cls, url: str | None) -> str | None:
        host = (urlsplit(url).hostname or "") if url else ""
        if any(host == b or host.endswith("." + b) for b in BANNED_HOSTS) or re.fullmatch(
            r"pravda-[a-z]+\.com", host
        ):
            raise ValueError(
                f"{host} is one of the news-pravda mirrors (a pro-Kremlin network): "
                "cite the original publisher"
            )
        return url

    @model_validator(mode="after")
    def _web_source_has_accessed(self) -> Source:
        if self.url and self.file is None and self.accessed is None:
            raise ValueError("a web source needs `accessed`, the day it was read (YYYY-MM-DD)")
        if self.accessed and self.published and self.accessed < self.published:
            raise ValueError("accessed is before published")
        return self


class Fact(Translated):
    TRANSLATABLE = ("summary", "date_note", "note")

    id: Id
    category: Category
    date: dt.date  # the day of the event or statement the fact reports (not of its report)
    date_precision: DatePrecision
    date_note: Line | None = None
    summary: Line
    source: Id
    excerpt: Text | None = None
    start: Annotated[int, Field(ge=0)] | None = None
    end: Annotated[int, Field(ge=0)] | None = None
    countries: list[ISO3] = []
    actors: list[Actor] = []
    signals: list[Key] = []  # signal ids from data/indicators.yaml (checked by the loader)
    relations: list[Relation] = []
    note: Text | None = None

    @property
    def period_end(self) -> dt.date:
        """The last day of the date's period: the day itself, or its month's or year's end."""
        return period_end(self.date, self.date_precision)

    @field_validator("date_precision")
    @classmethod
    def _date_fits_its_precision(
        cls, precision: DatePrecision, info: ValidationInfo
    ) -> DatePrecision:
        # a field validator, so that the problem names the field date_precision
        day = info.data.get("date")
        if day is None or precision is DatePrecision.day:
            return precision
        if precision is DatePrecision.month and day.day != 1:
            raise ValueError(
                f"a date known to the month is written as the month's first day "
                f"({day:%Y-%m}-01), not {day}"
            )
        if precision is DatePrecision.year and (day.month, day.day) != (1, 1):
            raise ValueError(
                f"a date known to the year is written as 1 January ({day.year}-01-01), not {day}"
            )
        return precision

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


Period = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}/\d{4}-\d{2})?$")]


class IndicatorValue(Translated):
    """A stored value: a class value (categorical) or a number (numeric), with its facts.

    A numeric value also gives its `period` ("2023", or a part-year "2023-01/2023-09") and its
    `statistics` (an id from the catalogue's statistics: who produced the number). Which kind of
    value an indicator takes is the catalogue's to say; the loader checks it. Its `note` is the
    reader's to see (the panel, the CSV), so the data gives it in every language too.

    A number we computed from two published ones (a share: partner trade over total trade, both
    of one office and one period) says so: `computed: true`, the facts stating both inputs
    cited, and the `note` saying how ("computed: 12.4 / 65.9, both Uzbekistan's statistics,
    2024").
    """

    TRANSLATABLE = ("note",)

    value: str | int | float
    facts: Annotated[list[Id], Field(min_length=1)]
    since: dt.date | None = None  # the value holds from this day; default: its earliest fact
    period: Period | None = None
    statistics: Id | None = None
    computed: bool = False
    note: Line | None = None

    @model_validator(mode="after")
    def _computed_names_its_inputs(self) -> IndicatorValue:
        if self.computed and not (self.note and any(ch.isdigit() for ch in self.note)):
            raise ValueError(
                "a computed value says in its note how it was computed and from which figures "
                "(e.g. 'computed: 12.4 / 65.9, both Uzbekistan's statistics, 2024')"
            )
        return self

    @field_validator("value", mode="before")
    @classmethod
    def _text_or_number(cls, value: Any) -> Any:
        # strictly: "10" stays text (so a numeric indicator reports it), True is no number
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(
                f"value {value!r} is not a number and not a class name: give a JSON number "
                "(21.3) for a numeric indicator, a class value (text) for a categorical one"
            )
        return value


class Capital(Translated):
    TRANSLATABLE = ("name",)

    name: Line
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    source: Id


class CountryProps(Translated):
    TRANSLATABLE = ("name",)

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


class RegionProps(Translated):
    TRANSLATABLE = ("name",)

    id: Id
    name: Line
    facts: list[Fact] = []


class Commodity(StrEnum):
    oil = "oil"
    gas = "gas"
    oil_by_tanker = "oil by tanker"


class RouteStatus(StrEnum):
    """Global Energy Monitor's status classes."""

    operating = "operating"
    construction = "construction"
    proposed = "proposed"
    shelved = "shelved"
    cancelled = "cancelled"
    idle = "idle"


class GeometryQuality(StrEnum):
    traced = "traced"
    schematic = "schematic"


class RouteProps(Translated):
    TRANSLATABLE = ("name", "operator", "capacity", "geometry_note", "attribution")

    id: Id
    name: Line
    commodity: Commodity
    transits_russia: bool
    status: RouteStatus
    reversed_flow: bool = False  # operating, in the opposite direction to the one it was built for
    operator: Line
    capacity: Line | None = None
    length_km: Annotated[float, Field(gt=0)] | None = None
    countries: list[ISO3] = []
    geometry_quality: GeometryQuality
    geometry_note: Line | None = None
    geometry_sources: Annotated[list[Id], Field(min_length=1)]
    attribution: Line
    facts: list[Fact] = []


class EventProps(Translated):
    TRANSLATABLE = ("name", "place")

    id: Id
    name: Line
    date: dt.date
    end_date: dt.date | None = None
    place: Line
    place_source: Id
    countries: list[ISO3] = []
    facts: Annotated[list[Fact], Field(min_length=1)]

    def known_on(self, day: dt.date | None) -> bool:
        """Whether the event has begun by `day` (None: today, every event)."""
        return day is None or self.date <= day

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
