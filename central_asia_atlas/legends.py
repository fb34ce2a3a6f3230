"""The legends' one model: what each legend says, in which colours, with how many of the five.

Every renderer draws from these entries: the map page's legend (panel.legend_html), the
PNG and SVG images and the standalone HTML (publish), and the static site. Same words, same
colours everywhere; tests/unit/test_legends.py compares what each renderer shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from .catalogue import AnySpec
from .i18n import _
from .indicators import IndicatorResult, legend_entries, legend_value
from .mapstyle import EVENT_FILL, ROUTE_AVOIDING_RUSSIA, ROUTE_NOT_OPERATING, ROUTE_VIA_RUSSIA

Mark = Literal["fill", "line", "dashed", "dot", "ring", "outline"]


@dataclass(frozen=True)
class Entry:
    """One line of a legend: a mark in a colour, its words, and how many of the five fall in it
    (None where a count means nothing, as for the routes)."""

    value: str  # what the map's data calls it (a class value, a bin's label, a route kind)
    label: str
    color: str
    mark: Mark = "fill"
    count: int | None = None


@dataclass(frozen=True)
class Legend:
    title: str
    description: str
    entries: tuple[Entry, ...]
    notes: tuple[str, ...] = ()  # under the entries: e.g. which countries show another period


OTHER_PERIOD = "other-period"  # the entry and the map's mark for a value of another period
OTHER_PERIOD_COLOR = "#1a1a1a"


def indicator_legend(
    spec: AnySpec,
    results: Mapping[str, IndicatorResult],
    names: Mapping[str, str] | None = None,
) -> Legend:
    """Every class (or bin, with its unit) of the indicator, "no data" last, each with how many
    of the five fall in it on the map. A number's legend says the map's year, and names each
    country shown with a value of another period (outlined on the map), with its period."""
    counts: dict[str, int] = {}
    for res in results.values():
        value = legend_value(spec, res)
        counts[value] = counts.get(value, 0) + 1
    entries = [
        Entry(value, label, color, "fill", counts.get(value, 0))
        for value, label, color in legend_entries(spec)
    ]
    notes: list[str] = []
    year = next((r.map_year for r in results.values() if r.map_year is not None), None)
    if year is not None:
        notes.append(
            _("Values for {year}, each with its statistics (see the panel).").format(year=year)
        )
        other = [r for r in results.values() if r.other_period and r.reading is not None]
        if other:
            label = _("Another period than {year} (outlined)").format(year=year)
            entries.append(Entry(OTHER_PERIOD, label, OTHER_PERIOD_COLOR, "outline", len(other)))
            shown = [
                f"{(names or {}).get(r.iso3, r.iso3)}: {r.reading.period.label}"
                for r in other
                if r.reading
            ]
            notes.append(_("Periods differ: {list}.").format(list="; ".join(shown)))
    by_stats: dict[str, list[str]] = {}
    for r in results.values():
        if r.reading is not None:
            name = (names or {}).get(r.iso3, r.iso3)
            stats = r.reading.statistics or _("statistics not stated")
            by_stats.setdefault(stats, []).append(name)
    if len(by_stats) > 1:
        parts = [f"{stats} ({', '.join(who)})" for stats, who in by_stats.items()]
        notes.append(_("Statistics differ: {list}.").format(list="; ".join(parts)))
    return Legend(spec.label, spec.description, tuple(entries), tuple(notes))


def routes_legend() -> Legend:
    """The routes by kind (through Russia or not) and status (solid: operating on a traced
    line; dashed: the rest), then the events' markers."""
    return Legend(
        _("Energy export routes"),
        "",
        (
            Entry("via-russia", _("Transits Russia"), ROUTE_VIA_RUSSIA, "line"),
            Entry("avoiding-russia", _("Avoids Russia"), ROUTE_AVOIDING_RUSSIA, "line"),
            Entry(
                "dashed",
                _(
                    "Dashed: schematic line, or not operating (proposed, under construction, "
                    "shelved, cancelled, idle)"
                ),
                ROUTE_NOT_OPERATING,
                "dashed",
            ),
            Entry("event", _("Dated event (e.g. a disruption)"), EVENT_FILL, "dot"),
            Entry(
                "event-beyond",
                _("Event beyond the map (Brussels, Beijing, ...), marked at its edge"),
                EVENT_FILL,
                "ring",
            ),
        ),
    )
