"""The indicator catalogue (data/indicators.yaml): indicators, classes, bins, signals, sides.

Pure models and a loader that never raises on bad data: each broken entry becomes one located
problem (file, entry, field) and every valid entry is kept. Nothing here knows an indicator's
key: the catalogue is data, and `indicators` is the one engine that computes any of them.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    Field,
    StrictFloat,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from .i18n import N_, _, ngettext
from .markup import month_abbr, number
from .model import Id, Key, Line, Text, Translated

CATALOGUE_FILE = "indicators.yaml"
NO_DATA = "no data"
NO_DATA_LABEL = N_("No data")
NO_DATA_COLOR = "#d9d9d9"

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Number = StrictInt | StrictFloat


class Side(StrEnum):
    """Where a signal points."""

    towards_moscow = "towards_moscow"
    away_from_moscow = "away_from_moscow"
    towards_eu = "towards_eu"
    towards_china = "towards_china"


class SideSpec(Translated):
    TRANSLATABLE = ("label",)

    label: Line
    color: Colour


class SignalSpec(Translated):
    TRANSLATABLE = ("label",)

    id: Key
    side: Side
    label: Line


class StatisticsSpec(Translated):
    TRANSLATABLE = ("label",)

    id: Id
    label: Line


class ClassSpec(Translated):
    TRANSLATABLE = ("label",)

    value: Line
    label: Line
    color: Colour


class Bin(Translated):
    TRANSLATABLE = ("label",)

    min: Number
    max: Number
    label: Line | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Bin:
        if not self.min < self.max:
            raise ValueError(f"a bin's min ({self.min}) must be below its max ({self.max})")
        return self


class _Spec(Translated):
    TRANSLATABLE: ClassVar[tuple[str, ...]] = ("label", "description")

    key: Key
    label: Line
    description: Text


class CategoricalSpec(_Spec):
    kind: Literal["categorical"]
    classes: Annotated[list[ClassSpec], Field(min_length=1)]

    @model_validator(mode="after")
    def _distinct(self) -> CategoricalSpec:
        values = [c.value for c in self.classes]
        if len(set(values)) != len(values) or NO_DATA in values:
            raise ValueError(f"class values must be distinct and not {NO_DATA!r}")
        return self

    def class_for(self, value: object) -> ClassSpec | None:
        return next((c for c in self.classes if c.value == value), None)


class NumericSpec(_Spec):
    TRANSLATABLE = ("label", "description", "unit", "no_data_label")

    kind: Literal["numeric"]
    unit: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    min: Number | None = None  # the values' allowed range (a share: 0 to 100)
    max: Number | None = None
    # statistics, most preferred first, for when two give the same period
    prefer: list[Id] = Field(default_factory=list)
    bins: Annotated[list[Bin], Field(min_length=1)]
    palette: Annotated[list[Colour], Field(min_length=1)]
    no_data_label: Line = NO_DATA_LABEL
    # How many years from the map's year a value may be and still be drawn (OWID's
    # tolerance); drawn, it is marked as of another period. 0: only the map's year.
    tolerance: Annotated[int, Field(ge=0, le=10)] = 0

    @model_validator(mode="after")
    def _bins_sorted_and_coloured(self) -> NumericSpec:
        for i, (a, b) in enumerate(zip(self.bins, self.bins[1:], strict=False)):
            if b.min < a.max:
                raise ValueError(
                    f"bins must be sorted and must not overlap: bin {i + 1} "
                    f"({b.min}–{b.max}) starts below the end of bin {i} ({a.min}–{a.max})"
                )
        if len(self.palette) != len(self.bins):
            raise ValueError(
                f"palette has {len(self.palette)} colours for {len(self.bins)} bins: "
                "give one colour per bin"
            )
        if self.min is not None and self.max is not None and not self.min < self.max:
            raise ValueError("min must be below max")
        return self

    def bin_label(self, b: Bin) -> str:
        return b.label or f"{number(b.min)}–{number(b.max)} {self.unit}"

    def no_data(self) -> str:
        """The "no data" class's words: the catalogue's own, or the interface's."""
        return self.no_data_label if "no_data_label" in self.model_fields_set else _(NO_DATA_LABEL)

    def bin_for(self, x: float) -> int | None:
        """The index of the bin holding x (a bin holds its min; the last also its max)."""
        for i, b in enumerate(self.bins):
            last = i == len(self.bins) - 1
            if b.min <= x < b.max or (last and x == b.max):
                return i
        return None


class ComputedSpec(_Spec):
    TRANSLATABLE = ("label", "description", "positive_label", "negative_label")

    kind: Literal["computed"]
    sides: Annotated[list[Side], Field(min_length=1)]
    # a balance: the kinds cited on `sides` minus those cited on these
    minus_sides: list[Side] = Field(default_factory=list)
    palette: Annotated[list[Colour], Field(min_length=2)]
    positive_label: Line | None = None
    negative_label: Line | None = None

    @model_validator(mode="after")
    def _palette_fits(self) -> ComputedSpec:
        if self.minus_sides and len(self.palette) % 2 == 0:
            raise ValueError("a balance needs an odd number of colours (-k … 0 … +k)")
        if set(self.sides) & set(self.minus_sides):
            raise ValueError("a side cannot be both counted and subtracted")
        return self

    @property
    def is_balance(self) -> bool:
        return bool(self.minus_sides)

    @property
    def reach(self) -> int:
        """The largest count (or, for a balance, |difference|) with a colour of its own."""
        return len(self.palette) // 2 if self.is_balance else len(self.palette) - 1

    def color_for(self, n: int) -> str:
        k = self.reach
        n = max(-k, min(k, n)) if self.is_balance else max(0, min(k, n))
        return self.palette[n + k if self.is_balance else n]

    def class_label(self, n: int) -> str:
        k = self.reach
        if not self.is_balance:
            n = min(n, k)
            if n >= k:
                return ngettext("{n} or more kind cited", "{n} or more kinds cited", n).format(n=n)
            return ngettext("{n} kind cited", "{n} kinds cited", n).format(n=n)
        n = max(-k, min(k, n))
        if n == 0:
            return _("0 (as many of each)")
        sign = "+" if n > 0 else "−"
        more = _("{n} or more").format(n=abs(n)) if abs(n) >= k else str(abs(n))
        side = self.positive_label if n > 0 else self.negative_label
        return f"{sign}{more}" + (f" ({side})" if side else "")

    def classes(self) -> list[tuple[int, str, str]]:
        """(count, label, colour) for every colour of the palette, in legend order."""
        k = self.reach
        counts = range(k, -k - 1, -1) if self.is_balance else range(k + 1)
        return [(n, self.class_label(n), self.color_for(n)) for n in counts]


IndicatorSpec = Annotated[CategoricalSpec | NumericSpec | ComputedSpec, Field(discriminator="kind")]
_INDICATOR: TypeAdapter[CategoricalSpec | NumericSpec | ComputedSpec] = TypeAdapter(IndicatorSpec)
AnySpec = CategoricalSpec | NumericSpec | ComputedSpec


class SeriesSpec(Translated):
    TRANSLATABLE = ("label",)

    indicator: Key
    label: Line
    color: Colour


class ChartSpec(Translated):
    TRANSLATABLE = ("title",)

    id: Id
    title: Line
    series: Annotated[list[SeriesSpec], Field(min_length=1)]


# --- periods ---------------------------------------------------------------------------

_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})/(\d{4})-(\d{2}))?$")


@dataclass(frozen=True, order=True)
class Period:
    """A year ("2023") or a run of months ("2023-01/2023-09", read "Jan–Sep 2023")."""

    start: dt.date
    end: dt.date  # the period's last day
    text: str = field(compare=False)

    @property
    def is_year(self) -> bool:
        return self.start.month == 1 and self.end.month == 12 and self.start.year == self.end.year

    @property
    def label(self) -> str:
        if self.is_year:
            return str(self.start.year)
        a, b = self.start, self.end
        if a.year == b.year:
            return f"{month_abbr(a)}–{month_abbr(b)} {a.year}"
        return f"{month_abbr(a)} {a.year}–{month_abbr(b)} {b.year}"


def parse_period(text: str) -> Period:
    """Parse a period; ValueError says what is wrong."""
    m = _PERIOD.match(text)
    if not m:
        raise ValueError(f"period {text!r} is not YYYY or YYYY-MM/YYYY-MM")
    if m.group(2) is None:
        y = int(m.group(1))
        return Period(dt.date(y, 1, 1), dt.date(y, 12, 31), text)
    y1, m1, y2, m2 = (int(g) for g in m.groups())
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        raise ValueError(f"period {text!r} has a month outside 01–12")
    start = dt.date(y1, m1, 1)
    nxt = dt.date(y2 + (m2 == 12), m2 % 12 + 1, 1)
    end = nxt - dt.timedelta(days=1)
    if end < start:
        raise ValueError(f"period {text!r} ends before it starts")
    return Period(start, end, text)


def _num(x: float) -> str:
    return f"{x:g}"


def format_number(x: float, unit: str) -> str:
    """21.3 with "%" -> "21.3 %"; 1234.5 with "bn" -> "1,234.5 bn" (in Russian "1 234,5")."""
    return f"{number(x)} {unit}"


# --- the catalogue ---------------------------------------------------------------------


@dataclass(frozen=True)
class Catalogue:
    sides: dict[Side, SideSpec] = field(default_factory=dict)
    signals: dict[str, SignalSpec] = field(default_factory=dict)
    statistics: dict[str, StatisticsSpec] = field(default_factory=dict)
    indicators: dict[str, AnySpec] = field(default_factory=dict)
    charts: tuple[ChartSpec, ...] = ()
    default: str | None = None
    # The languages besides English that every reader-facing text of the data must be given in
    # (`validate` reports each text missing one); a language with a catalog but not listed
    # here shows the English text where a translation is missing.
    languages: tuple[str, ...] = ()

    def default_key(self) -> str | None:
        """The map's default colouring: the catalogue's `default`, else its first indicator."""
        if self.default in self.indicators:
            return self.default
        return next(iter(self.indicators), None)

    def side_label(self, side: Side) -> str:
        spec = self.sides.get(side)
        return spec.label if spec else side.value.replace("_", " ")

    def signals_of(self, sides: Iterable[Side]) -> list[str]:
        wanted = set(sides)
        return [s.id for s in self.signals.values() if s.side in wanted]

    def signal_label(self, signal_id: str) -> str:
        spec = self.signals.get(signal_id)
        return spec.label if spec else signal_id

    def statistics_label(self, stat_id: str | None) -> str | None:
        if stat_id is None:
            return None
        spec = self.statistics.get(stat_id)
        return spec.label if spec else stat_id


Report = Callable[[str, str | None, str | None], None]  # (message, entry, field)


def _field(err: Any, prefix: str = "") -> str | None:
    loc = ".".join(str(p) for p in err["loc"] if p not in ("categorical", "numeric", "computed"))
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc = "kind"
    return (prefix + loc).rstrip(".") or None


def _message(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown field (not in the catalogue's schema)"
    if err["type"] == "missing":
        return "required field is missing"
    if err["type"] == "union_tag_invalid":
        return (
            f"unknown kind {err.get('input', {}).get('kind')!r}: "
            "expected categorical, numeric or computed"
        )
    if err["type"] == "union_tag_not_found":
        return "kind is missing: categorical, numeric or computed"
    if err["type"] in ("enum", "literal_error"):
        return f"{err['msg']} (got {err.get('input')!r})"
    return str(err["msg"]).removeprefix("Value error, ")


def _entries(doc: dict[str, Any], section: str, report: Report) -> list[Any]:
    raw = doc.get(section, [])
    if raw is None:
        return []
    if not isinstance(raw, list):
        report(f"'{section}' must be a list", None, section)
        return []
    return raw


def build(doc: Any, report: Report) -> Catalogue:
    """The catalogue from a parsed YAML document; each problem goes to `report`."""
    if not isinstance(doc, dict):
        report("expected a mapping with sides, signals, statistics and indicators", None, None)
        return Catalogue()
    known = {
        "default",
        "languages",
        "sides",
        "signals",
        "statistics",
        "charts",
        "indicators",
        "vote_classes",
    }
    for extra in sorted(set(doc) - known, key=str):
        report("unknown section (not in the catalogue's schema)", None, str(extra))

    sides: dict[Side, SideSpec] = {}
    raw_sides = doc.get("sides") or {}
    if not isinstance(raw_sides, dict):
        report("'sides' must be a mapping of side to label and colour", None, "sides")
        raw_sides = {}
    for name, item in raw_sides.items():
        try:
            side = Side(name)
        except ValueError:
            allowed = ", ".join(s.value for s in Side)
            report(f"unknown side {name!r} (known: {allowed})", f"side {name}", "sides")
            continue
        try:
            sides[side] = SideSpec.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                report(_message(err), f"side {name}", _field(err, f"sides.{name}."))

    def each(section: str, model: Any, name_key: str) -> list[Any]:
        out = []
        seen: set[str] = set()
        for i, item in enumerate(_entries(doc, section, report)):
            name = item.get(name_key) if isinstance(item, dict) else None
            entry = f"{section[:-1] if section != 'statistics' else 'statistics'} " + (
                str(name) if name else f"#{i}"
            )
            try:
                parsed = (
                    model.validate_python(item)
                    if isinstance(model, TypeAdapter)
                    else (model.model_validate(item))
                )
            except ValidationError as exc:
                for err in exc.errors():
                    report(_message(err), entry, _field(err))
                continue
            ident = getattr(parsed, name_key)
            if ident in seen:
                report(f"duplicate {name_key} {ident!r}", entry, name_key)
                continue
            seen.add(ident)
            out.append(parsed)
        return out

    signals = {s.id: s for s in each("signals", SignalSpec, "id")}
    statistics = {s.id: s for s in each("statistics", StatisticsSpec, "id")}
    indicators: dict[str, AnySpec] = {}
    listed = {
        str(i.get("key"))
        for i in _entries(doc, "indicators", lambda *a: None)
        if isinstance(i, dict)
    }
    for spec in each("indicators", _INDICATOR, "key"):
        entry = f"indicator {spec.key}"
        if isinstance(spec, NumericSpec):
            unknown = [s for s in spec.prefer if s not in statistics]
            if unknown:
                report(f"prefer names unknown statistics: {', '.join(unknown)}", entry, "prefer")
                continue
            lo, hi = spec.min, spec.max
            if (lo is not None and spec.bins[0].min < lo) or (
                hi is not None and spec.bins[-1].max > hi
            ):
                report(f"bins reach outside the range {lo}–{hi}", entry, "bins")
                continue
        if isinstance(spec, ComputedSpec):
            missing = [s.value for s in spec.sides + spec.minus_sides if s not in sides]
            if missing:
                report(f"sides not declared under 'sides': {', '.join(missing)}", entry, "sides")
                continue
        indicators[spec.key] = spec
    charts = []
    for chart in each("charts", ChartSpec, "id"):
        # a series whose indicator was left out for its own problem is not a second problem
        bad = [
            s.indicator
            for s in chart.series
            if not isinstance(indicators.get(s.indicator), NumericSpec)
            and not (s.indicator in listed and s.indicator not in indicators)
        ]
        if bad:
            report(
                f"series name indicators that are not numeric indicators: {', '.join(bad)}",
                f"chart {chart.id}",
                "series",
            )
            continue
        charts.append(chart)
    default = doc.get("default")
    if default is not None and (not isinstance(default, str) or default not in indicators):
        report(f"default names no indicator of the catalogue: {default!r}", None, "default")
        default = None
    return Catalogue(
        sides, signals, statistics, indicators, tuple(charts), default, _languages(doc, report)
    )


def _languages(doc: dict[str, Any], report: Report) -> tuple[str, ...]:
    raw = doc.get("languages") or []
    if not isinstance(raw, list):
        report("'languages' must be a list of language codes (ru, kk, uz)", None, "languages")
        return ()
    good = []
    for i, code in enumerate(raw):
        if isinstance(code, str) and re.fullmatch(r"[a-z]{2,3}", code) and code != "en":
            good.append(code)
        else:
            report(
                f"{code!r} is not a language code (two or three letters, not en)",
                None,
                f"languages.{i}",
            )
    return tuple(dict.fromkeys(good))


def check_number(spec: NumericSpec, value: object) -> str | None:
    """What is wrong with a stored number for `spec`, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return (
            f"value {value!r} is not a number: a numeric indicator takes a JSON number "
            '(21.3, not "21.3")'
        )
    if math.isnan(value) or math.isinf(value):
        return "value is not a finite number"
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        return f"value {value:g} is outside {_num(spec.min or 0)}–{_num(spec.max or 0)}"
    return None
