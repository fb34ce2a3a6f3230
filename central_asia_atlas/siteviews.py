"""The static site's views over days: what the map, its legend and each panel show, rendered by
the app's own functions for every stretch of days over which it stays the same.

Every "as of a day" rule compares the day asked with a day the data names: the day a fact is
known from (`Dataset.known_from`), a stored value's `since`, a number's period's end. Between
two consecutive such days (`change_days`) the map, the legends and the panels are the same, so
the site renders each of them once per stretch (`stretches`) and keeps a piece of HTML only
where it differs from the one before (`variants`). The browser then picks the variant whose
stretch holds the reader's day, and shows the facts whose Python-rendered `data-known-from` is
on or before it; it never computes a value, a colour or a count.

A rendered day ("as of 7 October 2025") cannot be made once per stretch: it is left as an
empty `<span data-site-day>` that the browser fills with the day's label, rendered here too
(`day_labels`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import Any

from . import charts, indicators, mapview, panel
from .catalogue import parse_period
from .dataset import Dataset, Feature
from .indicators import IndicatorResult
from .markup import day
from .viewstate import FACTS_PAGE

Table = Mapping[str, Mapping[str, IndicatorResult]]  # {indicator key: {iso3: result}}
Relink = Callable[[str], str]  # rewrites the app's links in rendered HTML for the site

DAY_SLOT = "<span data-site-day></span>"  # where the browser writes the reader's day
_KNOWN = re.compile(r'<div class="atlas-fact" id="[^"]*" data-fact="([^"]+)"')


def change_days(ds: Dataset) -> list[dt.date]:
    """Every day from which what the map, a legend or a panel shows can change, in order."""
    days = {ds.known_from(ref.fact) for ref in ds.fact_refs()}
    for c in ds.countries:
        for history in c.props.indicators.values():
            for value in history:
                if value.since is not None:
                    days.add(value.since)
                if value.period:
                    days.add(parse_period(value.period).end)
    return sorted(days)


@dataclass(frozen=True)
class Stretch:
    """Days from `start` (None: since ever) until the day before `end` (None: for ever), all
    showing what `day` shows."""

    start: dt.date | None
    end: dt.date | None
    day: dt.date


def stretches(days: Sequence[dt.date]) -> list[Stretch]:
    """The stretches between consecutive change days, the first one before them all."""
    if not days:
        return [Stretch(None, None, dt.date(2022, 2, 24))]
    out = [Stretch(None, days[0], days[0] - dt.timedelta(days=1))]
    for i, d in enumerate(days):
        out.append(Stretch(d, days[i + 1] if i + 1 < len(days) else None, d))
    return out


def _iso(d: dt.date | None) -> str:
    return d.isoformat() if d is not None else ""


def variants(spans: Iterable[Stretch], render: Callable[[dt.date], Any]) -> list[list[Any]]:
    """[start, end, what `render` gives] for each run of stretches that render the same, as
    ISO days ("" for an open end); the browser shows the one whose days hold its day."""
    out: list[list[Any]] = []
    for s in spans:
        shown = render(s.day)
        if out and out[-1][2] == shown:
            out[-1][1] = _iso(s.end)
        else:
            out.append([_iso(s.start), _iso(s.end), shown])
    return out


def tables(ds: Dataset, spans: Sequence[Stretch]) -> dict[dt.date | None, Table]:
    """Every indicator's results for the five, on each stretch's day and today (None), as the
    app's cache computes them (`cache.indicator_table_at`, every signal counted)."""
    out: dict[dt.date | None, Table] = {}
    for when in [*(s.day for s in spans), None]:
        out[when] = {
            key: indicators.compute(ds, key, as_of=when) for key in ds.catalogue.indicators
        }
    return out


def day_labels(lo: dt.date, hi: dt.date) -> list[str]:
    """The reader's label of every day from `lo` to `hi` (the slider's days), in order."""
    return [day(lo + dt.timedelta(days=i)) for i in range((hi - lo).days + 1)]


def _day_slot(html: str, when: dt.date | None) -> str:
    """`html` rendered as of `when`, with the day's own words left to the browser."""
    if when is None:
        return html
    said = escape(day(when))
    for m in re.finditer(re.escape(said), html):
        if html.rfind("<", 0, m.start()) > html.rfind(">", 0, m.start()):
            raise ValueError(f"the day {said!r} is written inside a tag: {html[:200]!r}")
    return html.replace(said, DAY_SLOT)


# --- the map -------------------------------------------------------------------------------


def map_state(ds: Dataset, key: str, results: Mapping[str, IndicatorResult]) -> dict[str, Any]:
    """What the map shows of indicator `key` with `results`: each country's style and tooltip
    (mapview's, as the app's map draws them) and the legend (panel's, as the app's page)."""
    spec = ds.catalogue.indicators[key]
    features = mapview.country_features(ds, results, spec.label)["features"]
    return {
        "countries": {
            f["properties"]["id"]: {
                "style": mapview._country_style(f),
                "tip": f["properties"]["tip"],
            }
            for f in features
        },
        "legend": panel.legend_html(spec, results, style=False, names=ds.names()),
    }


def map_states(
    ds: Dataset, key: str, spans: Sequence[Stretch], by_day: Mapping[dt.date | None, Table]
) -> dict[str, Any]:
    """The map of indicator `key` over every stretch of days (`v`) and today (`t`)."""
    # The states need no shape: drawn once per results, which most stretches share.
    shapeless = replace(ds, countries=tuple(Feature(c.props, None) for c in ds.countries))
    drawn: dict[tuple[IndicatorResult, ...], dict[str, Any]] = {}

    def state(when: dt.date | None) -> dict[str, Any]:
        results = by_day[when][key]
        same = tuple(results[iso3] for iso3 in sorted(results))
        if same not in drawn:
            drawn[same] = map_state(shapeless, key, results)
        return drawn[same]

    return {"v": variants(spans, state), "t": state(None)}


# --- panels --------------------------------------------------------------------------------


def _slot(
    spans: Sequence[Stretch], render: Callable[[dt.date | None], str], says_day: bool = False
) -> dict[str, Any]:
    """A piece of a panel: its variants over the stretches (`v`) and as of today (`t`). With
    `says_day`, the piece writes the day it is as of (the head, the charts' source lines),
    which is left to the browser (`DAY_SLOT`)."""

    def shown(d: dt.date) -> str:
        return _day_slot(render(d), d) if says_day else render(d)

    return {"v": variants(spans, shown), "t": render(None)}


def known_from_attrs(html: str, ds: Dataset) -> str:
    """Each fact block of `html` with the first day it is known (`data-known-from`)."""

    def add(m: re.Match[str]) -> str:
        fact = ds.fact(m.group(1))
        if fact is None:
            raise ValueError(f"no fact {m.group(1)!r} in the data")
        return f'{m.group(0)} data-known-from="{ds.known_from(fact).isoformat()}"'

    return _KNOWN.sub(add, html)


Store = Callable[[str], str]  # keeps a piece of HTML as a file; returns its relative address


def country_panel(
    ds: Dataset,
    iso3: str,
    spans: Sequence[Stretch],
    by_day: Mapping[dt.date | None, Table],
    relink: Relink,
    store: Store | None = None,
) -> list[Any]:
    """A country's panel, as the map page shows it (`cache.country_panel`): its head and
    charts, then its ties and indicators, then its facts, newest first, a page at a time.

    A list of parts, in order: HTML, a slot (variants by day), or the facts (`f`: [known from,
    HTML], newest first; `none`: what shows without any; `page`: how many at a time).

    With `store`, the ties and indicators of each past stretch (about 13 KB each, and most of
    the panel's variants) are files of their own, fetched when a day in their stretch is shown
    (`{"src": address}`); today's (`t`) and the last stretch's, which holds the slider's
    latest days, stay in the panel, so that a click needs one file.
    """

    def head(d: dt.date | None) -> str:
        return relink(panel.country_head_html(ds, iso3, d, style=False))

    def plots(d: dt.date | None) -> str:
        return relink("".join(charts.chart_html(c) for c in charts.country_charts(ds, iso3, d)))

    def body(d: dt.date | None) -> str:
        return relink(panel.ties_and_indicators_html(ds, iso3, by_day[d], d))

    refs = sorted(ds.facts_for_country(iso3), key=lambda r: (r.fact.date, r.fact.id), reverse=True)
    facts = [
        [ds.known_from(r.fact).isoformat(), relink(known_from_attrs(panel.fact_html(r, ds), ds))]
        for r in refs
    ]
    label = panel.fact_groups(ds, iso3).get(panel.LATEST, panel.LATEST)
    section = f'data-kind="country" data-id="{escape(iso3, quote=True)}"'
    ties = _slot(spans, body)
    if store is not None:
        ties["v"] = [
            [start, end, html if not end else {"src": store(html)}]
            for start, end, html in ties["v"]
        ]
    return [
        _slot(spans, head, says_day=True),
        _slot(spans, plots, says_day=True),
        f'<section class="atlas-panel" {section}>',
        ties,
        panel.facts_heading_html(label),
        {"f": facts, "none": panel.no_facts_html(), "page": FACTS_PAGE},
        "</section>",
    ]


def line_panel(ds: Dataset, kind: str, ident: str, relink: Relink) -> list[Any]:
    """A route's or an event's panel (the same on every day, as in the app)."""
    build = panel.route_html if kind == "route" else panel.event_html
    return [relink(build(ds, ident, style=False))]


def pick(
    parts: Sequence[Any],
    when: dt.date | None,
    shown: int | None = None,
    load: Callable[[str], str] | None = None,
) -> str:
    """The panel's HTML as the browser puts it together for `when` (None: today): the variant
    of each slot that holds the day (`load` reads one kept in a file of its own), then the
    first `shown` facts known by then (all of them with None). The browser does the same in
    static/site/site.js; the tests compare the two."""
    out = []
    iso = _iso(when)
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif "f" in part:
            known = [html for since, html in part["f"] if when is None or since <= iso]
            out.append("".join(known[:shown]) if known else part["none"])
        elif when is None:
            out.append(part["t"])
        else:
            got = next(v[2] for v in part["v"] if v[0] <= iso and (not v[1] or iso < v[1]))
            if isinstance(got, dict):
                if load is None:
                    raise ValueError(f"a variant in a file of its own: {got['src']}")
                got = load(got["src"])
            out.append(got)
    return "".join(out)


def pick_state(states: Mapping[str, Any], when: dt.date | None) -> dict[str, Any]:
    """The map's state for `when` (None: today), as the browser picks it."""
    if when is None:
        return dict(states["t"])
    iso = _iso(when)
    return dict(next(v[2] for v in states["v"] if v[0] <= iso and (not v[1] or iso < v[1])))
