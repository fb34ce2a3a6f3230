"""One engine for every indicator of the catalogue: the value of each of the five, as of a day.

Categorical values come from the stored class values, numeric ones from the stored numbers
(the latest period on or before the day), computed ones from the facts' signals. Nothing here
names an indicator: which indicators exist, their classes, bins and colours are all data
(data/indicators.yaml, see `catalogue`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .catalogue import (
    NO_DATA,
    NO_DATA_COLOR,
    NO_DATA_LABEL,
    AnySpec,
    CategoricalSpec,
    ComputedSpec,
    NumericSpec,
    Period,
    Side,
    format_number,
    parse_period,
)
from .dataset import Dataset
from .i18n import _, ngettext
from .model import FIVE, IndicatorValue

__all__ = ["NO_DATA", "NO_DATA_COLOR", "IndicatorResult", "compute", "legend_entries"]

# Okabe-Ito colours (colour-blind safe), for what the map draws besides the choropleth.
OI_BLUE = "#0072B2"
OI_VERMILLION = "#D55E00"


@dataclass(frozen=True)
class Reading:
    """One stored number as the panel shows it: value, period, whose statistics, via whom."""

    number: float
    period: Period
    statistics: str | None  # the statistics' label
    via: str | None  # the outlet of the source of the first fact
    facts: tuple[str, ...]
    text: str  # "21.3 % (Jan–Sep 2023, national statistics, via bne IntelliNews)"


@dataclass(frozen=True)
class IndicatorResult:
    iso3: str
    value: str  # a class value, a bin's label, a count as text, or NO_DATA
    label: str  # what the map and the panel show
    color: str
    facts: tuple[str, ...]
    note: str | None = None
    reading: Reading | None = None  # numeric: the value the map uses
    others: tuple[Reading, ...] = ()  # numeric: other statistics for the same period
    map_year: int | None = None  # numeric: the year the map shows (see `map_year`)
    # numeric: the value is of another period than the full map year (shown, and marked)
    other_period: bool = False


def _no_data(iso3: str, spec: AnySpec) -> IndicatorResult:
    label = spec.no_data() if isinstance(spec, NumericSpec) else _(NO_DATA_LABEL)
    return IndicatorResult(iso3, NO_DATA, label, NO_DATA_COLOR, ())


def signal_facts(
    dataset: Dataset, iso3: str, as_of: dt.date | None = None
) -> dict[str, tuple[str, ...]]:
    """For each kind of signal cited for `iso3`: the ids of the facts that cite it."""
    out: dict[str, list[str]] = {}
    for ref in dataset.facts_for_country(iso3, as_of):
        for sig in ref.fact.signals:
            out.setdefault(sig, []).append(ref.fact.id)
    return {s: tuple(ids) for s, ids in out.items()}


def signals_by_side(
    dataset: Dataset, iso3: str, as_of: dt.date | None = None
) -> dict[Side, dict[str, tuple[str, ...]]]:
    """The signals cited for `iso3`, grouped by side in the catalogue's order."""
    cited = signal_facts(dataset, iso3, as_of)
    out: dict[Side, dict[str, tuple[str, ...]]] = {side: {} for side in Side}
    for sig in dataset.catalogue.signals.values():
        if sig.id in cited:
            out[sig.side][sig.id] = cited[sig.id]
    return out


def _start(dataset: Dataset, value: IndicatorValue) -> dt.date:
    """The day from which a stored value holds: its `since`, else the day its earliest fact is
    known from (`Dataset.known_from`)."""
    if value.since is not None:
        return value.since
    dates = [dataset.known_from(f) for fid in value.facts if (f := dataset.fact(fid)) is not None]
    return min(dates) if dates else dt.date.max


def _facts_by(dataset: Dataset, value: IndicatorValue, as_of: dt.date | None) -> tuple[str, ...]:
    return tuple(
        fid
        for fid in value.facts
        if (f := dataset.fact(fid)) is not None and dataset.known_on(f, as_of)
    )


def value_as_of(
    dataset: Dataset, history: Sequence[IndicatorValue], as_of: dt.date | None
) -> tuple[IndicatorValue, tuple[str, ...]] | None:
    """The stored value that holds on `as_of` (the latest one without it) and its facts then.

    A value holds from its start day, and only with the facts dated on or before `as_of`:
    a value whose every fact is later has nothing to stand on that day.
    """
    for value in sorted(history, key=lambda v: _start(dataset, v), reverse=True):
        if as_of is not None and _start(dataset, value) > as_of:
            continue
        facts = _facts_by(dataset, value, as_of)
        if facts:
            return value, facts
    return None


def _via(dataset: Dataset, facts: Sequence[str]) -> str | None:
    for fid in facts:
        fact = dataset.fact(fid)
        src = dataset.sources.get(fact.source) if fact else None
        if src is not None:
            return src.credit
    return None


def reading(
    dataset: Dataset, spec: NumericSpec, value: IndicatorValue, facts: tuple[str, ...]
) -> Reading:
    """A stored number with what the reader needs to weigh it."""
    period = parse_period(value.period or "")
    stats = dataset.catalogue.statistics_label(value.statistics)
    via = _via(dataset, facts)
    number = float(value.value)  # the loader only keeps numbers for numeric indicators
    via_text = _("via {outlet}").format(outlet=via) if via else None
    where = ", ".join(x for x in (period.label, stats, via_text) if x)
    return Reading(
        number, period, stats, via, facts, f"{format_number(number, spec.unit)} ({where})"
    )


def readings(
    dataset: Dataset, spec: NumericSpec, history: Sequence[IndicatorValue], as_of: dt.date | None
) -> list[tuple[IndicatorValue, Reading]]:
    """Every stored number known on `as_of` (its period over, its facts dated by then),
    latest period first; for one period, the catalogue's preferred statistics first."""
    rank = {s: i for i, s in enumerate(spec.prefer)}
    out = []
    for value in history:
        period = parse_period(value.period or "")
        if as_of is not None and (period.end > as_of or _start(dataset, value) > as_of):
            continue
        facts = _facts_by(dataset, value, as_of)
        if facts:
            out.append((value, reading(dataset, spec, value, facts)))
    out.sort(
        key=lambda vr: (
            -vr[1].period.end.toordinal(),
            -(vr[1].period.end - vr[1].period.start).days,
            rank.get(vr[0].statistics or "", len(rank)),
        )
    )
    return out


def series(
    dataset: Dataset, spec: NumericSpec, iso3: str, as_of: dt.date | None = None
) -> list[Reading]:
    """A country's readings known on `as_of`, one per period (the preferred statistics), oldest
    period first, without the part-years whose whole year is known (for a chart)."""
    country = dataset.country(iso3)
    history = country.props.indicators.get(spec.key, []) if country else []
    best: dict[Period, Reading] = {}
    for _value, r in readings(dataset, spec, history, as_of):
        best.setdefault(r.period, r)
    # a part of a year whose whole year is known too is left out of the line (it would zigzag)
    years = {p.start.year for p in best if p.is_year}
    kept = [r for p, r in best.items() if p.is_year or not (p.start.year == p.end.year in years)]
    return sorted(kept, key=lambda r: (r.period.end, r.period.start))


def map_year(found: Mapping[str, Sequence[tuple[IndicatorValue, Reading]]]) -> int | None:
    """The year a numeric colouring shows: the latest full year for which more than half of
    the countries that have any value have one (known on the day; so one country's early
    figures do not pull the map to a year the others have not reached), else the year most of
    them have. It follows the "as of" day: a year's figures count once the facts that state
    them are known. None: no full year at all (then each country's latest)."""
    having: dict[int, set[str]] = {}
    for iso3, rs in found.items():
        for _value, r in rs:
            if r.period.is_year:
                having.setdefault(r.period.start.year, set()).add(iso3)
    if not having:
        return None
    valued = sum(1 for rs in found.values() if rs)
    majority = [y for y, who in having.items() if len(who) * 2 > valued]
    if majority:
        return max(majority)
    return max(having, key=lambda y: (len(having[y]), y))


def _pick(
    found: Sequence[tuple[IndicatorValue, Reading]], year: int | None, tolerance: int
) -> tuple[IndicatorValue, Reading] | None:
    """The reading the map shows for one country: the full map year if there is one (the
    preferred statistics first), else the nearest period within `tolerance` years of it (the
    later of two as near), else none. Without a map year, the latest reading."""
    if not found:
        return None
    if year is None:
        return found[0]
    for value, r in found:
        if r.period.is_year and r.period.start.year == year:
            return value, r

    def distance(r: Reading) -> int:
        lo, hi = r.period.start.year, r.period.end.year
        return 0 if lo <= year <= hi else min(abs(year - lo), abs(year - hi))

    near = [(v, r) for v, r in found if distance(r) <= tolerance]
    if not near:
        return None
    return min(near, key=lambda vr: (distance(vr[1]), -vr[1].period.end.toordinal()))


def _numeric(
    spec: NumericSpec,
    iso3: str,
    found: Sequence[tuple[IndicatorValue, Reading]],
    year: int | None,
) -> IndicatorResult:
    picked = _pick(found, year, spec.tolerance)
    if picked is None:
        if found:  # a value the map's year cannot show: said, not drawn
            latest = found[0][1]
            beyond = ngettext(
                "No value within {n} year of {year}; the latest: {latest}",
                "No value within {n} years of {year}; the latest: {latest}",
                spec.tolerance,
            ).format(n=spec.tolerance, year=year, latest=latest.text)
            return replace(_no_data(iso3, spec), note=beyond, map_year=year)
        return replace(_no_data(iso3, spec), map_year=year)
    value, best = picked
    others = tuple(r for _value, r in found if r.period == best.period and r is not best)
    other_period = year is not None and not (best.period.is_year and best.period.start.year == year)
    index = spec.bin_for(best.number)
    note = value.note
    if others:
        also = "; ".join(o.text for o in others)
        also_text = _("Other statistics for the same period: {list}").format(list=also)
        note = (note + " " if note else "") + also_text
    if index is None:  # outside every bin: shown, but in no class
        return IndicatorResult(
            iso3,
            NO_DATA,
            best.text,
            NO_DATA_COLOR,
            best.facts,
            note,
            best,
            others,
            year,
            other_period,
        )
    label = spec.bin_label(spec.bins[index])
    return IndicatorResult(
        iso3,
        label,
        best.text,
        spec.palette[index],
        best.facts,
        note,
        best,
        others,
        year,
        other_period,
    )


def _numeric_all(
    dataset: Dataset, spec: NumericSpec, as_of: dt.date | None
) -> dict[str, IndicatorResult]:
    """The five's values of a numeric indicator, for one map year (see `map_year`)."""
    found: dict[str, list[tuple[IndicatorValue, Reading]]] = {}
    for iso3 in FIVE:
        country = dataset.country(iso3)
        history = country.props.indicators.get(spec.key, []) if country else []
        found[iso3] = readings(dataset, spec, history, as_of)
    year = map_year(found)
    return {iso3: _numeric(spec, iso3, found[iso3], year) for iso3 in FIVE}


def _computed(
    dataset: Dataset,
    spec: ComputedSpec,
    iso3: str,
    as_of: dt.date | None,
    chosen: set[str] | None,
) -> IndicatorResult:
    cat = dataset.catalogue
    cited = signal_facts(dataset, iso3, as_of)

    def kinds(sides: Iterable[Side]) -> list[str]:
        return [s for s in cat.signals_of(sides) if s in cited and (chosen is None or s in chosen)]

    plus, minus = kinds(spec.sides), kinds(spec.minus_sides)
    n = len(plus) - len(minus)
    facts = tuple(dict.fromkeys(i for s in plus + minus for i in cited[s]))
    parts = []
    if plus:
        head = f"{cat.side_label(spec.sides[0])}: " if spec.is_balance else ""
        parts.append(head + "; ".join(cat.signal_label(s) for s in plus))
    if minus:
        parts.append(
            f"{cat.side_label(spec.minus_sides[0])}: "
            + "; ".join(cat.signal_label(s) for s in minus)
        )
    if spec.is_balance:
        sign = "+" if n > 0 else "−" if n < 0 else ""
        label = f"{sign}{abs(n)} " + _("({plus} against {minus})").format(
            plus=len(plus), minus=len(minus)
        )
    else:
        label = ngettext("{n} kind cited", "{n} kinds cited", n).format(n=n)
    return IndicatorResult(iso3, str(n), label, spec.color_for(n), facts, " · ".join(parts) or None)


def _categorical(
    dataset: Dataset, spec: CategoricalSpec, iso3: str, as_of: dt.date | None
) -> IndicatorResult:
    country = dataset.country(iso3)
    history = country.props.indicators.get(spec.key, []) if country else []
    held = value_as_of(dataset, history, as_of)
    found = spec.class_for(held[0].value) if held else None
    if held is None or found is None:
        return _no_data(iso3, spec)
    value, facts = held
    return IndicatorResult(iso3, found.value, found.label, found.color, facts, value.note)


def compute(
    dataset: Dataset,
    key: str,
    as_of: dt.date | None = None,
    signals: Iterable[str] | None = None,
) -> dict[str, IndicatorResult]:
    """The value of indicator `key` for each of the five, from facts dated on or before `as_of`.

    Categorical: the stored value holding on the day. Numeric: the latest period that is over
    by the day and whose facts are dated by then; of two statistics for that period, the one
    the catalogue prefers (the other is kept in `others`). Computed: the kinds of signal cited
    by then, counting only `signals` when given (the Compare page's choice).
    """
    spec = dataset.catalogue.indicators[key]
    chosen = None if signals is None else set(signals)
    if isinstance(spec, NumericSpec):
        return _numeric_all(dataset, spec, as_of)
    out: dict[str, IndicatorResult] = {}
    for iso3 in FIVE:
        if isinstance(spec, ComputedSpec):
            out[iso3] = _computed(dataset, spec, iso3, as_of, chosen)
        else:
            out[iso3] = _categorical(dataset, spec, iso3, as_of)
    return out


def legend_entries(spec: AnySpec) -> list[tuple[str, str, str]]:
    """(class value, label, colour) of every class of the indicator, "no data" last."""
    if isinstance(spec, CategoricalSpec):
        entries = [(c.value, c.label, c.color) for c in spec.classes]
        no_data = _(NO_DATA_LABEL)
    elif isinstance(spec, NumericSpec):
        entries = [
            (spec.bin_label(b), spec.bin_label(b), c)
            for b, c in zip(spec.bins, spec.palette, strict=True)
        ]
        no_data = spec.no_data()
    else:
        entries = [(str(n), label, color) for n, label, color in spec.classes()]
        no_data = _(NO_DATA_LABEL)
    return [*entries, (NO_DATA, no_data, NO_DATA_COLOR)]


def legend_value(spec: AnySpec, result: IndicatorResult) -> str:
    """The legend entry a result falls in (a computed count beyond the palette: its last)."""
    if isinstance(spec, ComputedSpec) and result.value != NO_DATA:
        k = spec.reach
        n = int(result.value)
        return str(max(-k, min(k, n)) if spec.is_balance else min(k, n))
    return result.value
