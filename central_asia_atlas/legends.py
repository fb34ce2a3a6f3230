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
from .indicators import IndicatorResult, legend_entries, legend_value
from .mapstyle import EVENT_FILL, ROUTE_AVOIDING_RUSSIA, ROUTE_NOT_OPERATING, ROUTE_VIA_RUSSIA

Mark = Literal["fill", "line", "dashed", "dot", "ring"]


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


def indicator_legend(spec: AnySpec, results: Mapping[str, IndicatorResult]) -> Legend:
    """Every class (or bin, with its unit) of the indicator, "no data" last, each with how many
    of the five fall in it on the map."""
    counts: dict[str, int] = {}
    for res in results.values():
        value = legend_value(spec, res)
        counts[value] = counts.get(value, 0) + 1
    entries = tuple(
        Entry(value, label, color, "fill", counts.get(value, 0))
        for value, label, color in legend_entries(spec)
    )
    return Legend(spec.label, spec.description, entries)


ROUTES_TITLE = "Energy export routes"
ROUTES = Legend(
    ROUTES_TITLE,
    "",
    (
        Entry("via-russia", "Transits Russia", ROUTE_VIA_RUSSIA, "line"),
        Entry("avoiding-russia", "Avoids Russia", ROUTE_AVOIDING_RUSSIA, "line"),
        Entry(
            "dashed",
            "Dashed: schematic line, or not operating (proposed, under construction, shelved, "
            "cancelled, idle)",
            ROUTE_NOT_OPERATING,
            "dashed",
        ),
        Entry("event", "Dated event (e.g. a disruption)", EVENT_FILL, "dot"),
        Entry(
            "event-beyond",
            "Event beyond the map (Brussels, Beijing, ...), marked at its edge",
            EVENT_FILL,
            "ring",
        ),
    ),
)


def routes_legend() -> Legend:
    """The routes by kind (through Russia or not) and status (solid: operating on a traced
    line; dashed: the rest), then the events' markers."""
    return ROUTES
