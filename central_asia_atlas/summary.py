"""The map in words: a plain-text summary of each country, an alternative to the map for
screen readers, and the licences and attributions of everything the app draws on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING

from .indicators import INDICATORS, NO_DATA, SIGNAL_LABELS, compute, signal_facts
from .model import Signal, SourceKind

if TYPE_CHECKING:
    from .store import Dataset


def _day(d: dt.date) -> str:
    return f"{d.day} {d:%B %Y}"


def _list(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def country_summary(
    ds: Dataset,
    iso3: str,
    as_of: dt.date | None = None,
    signals: Iterable[Signal] | None = None,
) -> list[str]:
    """Sentences that say, in words, what the map shows for `iso3` (one paragraph each)."""
    country = ds.country(iso3)
    if country is None:
        return [f"{iso3}: no data."]
    p = country.props
    refs = [r for r in ds.facts_for_country(iso3) if as_of is None or r.fact.date <= as_of]
    out = [f"{p.name}. Capital: {p.capital.name}."]
    if refs:
        sources = {r.fact.source for r in refs}
        first, last = refs[0].fact.date, refs[-1].fact.date
        out.append(
            f"The sources cite {len(refs)} fact{'s' if len(refs) != 1 else ''} about "
            f"{p.name}, dated {_day(first)} to {_day(last)}, from {len(sources)} "
            f"source{'s' if len(sources) != 1 else ''}."
        )
    else:
        out.append(f"No fact about {p.name} is recorded" + (" by then." if as_of else "."))
    known, unknown = [], []
    chosen = None if signals is None else list(signals)
    for key, spec in INDICATORS.items():
        if spec.computed:
            continue
        res = compute(ds, key, as_of=as_of)[iso3]
        if res.value == NO_DATA:
            unknown.append(spec.label)
        else:
            known.append(f"{spec.label}: {res.label}")
    if known:
        out.append("Indicators. " + "; ".join(known) + ".")
    if unknown:
        out.append("No data for: " + "; ".join(unknown) + ".")
    cited = signal_facts(ds, iso3, as_of)
    counted = [s for s in Signal if s in cited and (chosen is None or s in chosen)]
    total = len(Signal) if chosen is None else len(chosen)
    if counted:
        out.append(
            f"Signals of distance from Moscow cited ({len(counted)} of {total}): "
            + "; ".join(SIGNAL_LABELS[s] for s in counted)
            + "."
        )
    else:
        out.append(f"No signal of distance from Moscow is cited (of {total} kinds counted).")
    routes = [r.props for r in ds.routes if iso3 in r.props.countries]
    if routes:
        parts = [
            f"{r.name} ({r.commodity.value}, {r.status.value}, "
            f"{'through Russia' if r.transits_russia else 'not through Russia'})"
            for r in routes
        ]
        out.append("Energy export routes: " + "; ".join(parts) + ".")
    events = [
        e.props
        for e in ds.events
        if iso3 in e.props.countries and (as_of is None or e.props.date <= as_of)
    ]
    if events:
        parts = [f"{e.name} ({e.place}, {_day(e.date)})" for e in events]
        out.append("Events: " + "; ".join(parts) + ".")
    if refs:
        latest = refs[-1].fact
        out.append(f"Latest fact ({_day(latest.date)}): {latest.summary}")
    return out


def as_html(paragraphs: Iterable[str]) -> str:
    """Paragraphs as escaped HTML."""
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def seed_caveat(ds: Dataset) -> str:
    """What the stored documents are (kind, outlet, date), in one sentence."""
    docs = sorted(
        (
            s
            for s in ds.sources.values()
            if s.file and s.part_of is None and s.kind.value != "teaser"
        ),
        key=lambda s: (s.published is None, s.published),
    )
    kinds = {SourceKind.opinion: "an opinion piece", SourceKind.news_report: "a news report"}
    parts = [
        f"{kinds.get(s.kind, s.kind.value)} ({s.outlet}, "
        f"{_day(s.published) if s.published else 'undated'})"
        for s in docs
    ]
    return f"The stored source documents are {_list(parts)}." if parts else ""


# Software the app ships or runs on in the browser; data licences come from sources.yaml.
SOFTWARE = (
    (
        "Leaflet 1.9.4 (vendored in static/leaflet)",
        "BSD-2-Clause",
        "© Volodymyr Agafonkin, CloudMade",
    ),
    ("Streamlit", "Apache-2.0", "Snowflake Inc"),
    ("folium", "MIT", "Rob Story and contributors"),
    ("Vega-Altair", "BSD-3-Clause", "Vega-Altair Developers"),
    ("streamlit-folium", "not stated in the installed package's metadata", "Randy Zwitch"),
)


def licence_rows(ds: Dataset) -> list[dict[str, str]]:
    """Every source with a stated licence, then the software, for the attributions table."""
    rows = [
        {
            "what": s.title,
            "licence": s.licence or "",
            "attribution": s.attribution or s.outlet,
            "url": s.url or "",
        }
        for s in sorted(ds.sources.values(), key=lambda s: s.id)
        if s.licence
    ]
    rows += [{"what": w, "licence": lic, "attribution": a, "url": ""} for w, lic, a in SOFTWARE]
    return rows
