"""The map in words: a plain-text summary of each country, an alternative to the map for
screen readers, and the licences and attributions of everything the app draws on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from html import escape
from typing import TYPE_CHECKING

from . import words
from .catalogue import CategoricalSpec, ComputedSpec, NumericSpec
from .i18n import N_, _, ngettext
from .indicators import NO_DATA, IndicatorResult, compute, legend_entries, signals_by_side
from .markup import and_list, dated, day
from .model import SourceKind

if TYPE_CHECKING:
    from .dataset import Dataset


def country_summary(
    ds: Dataset,
    iso3: str,
    as_of: dt.date | None = None,
    signals: Iterable[str] | None = None,
) -> list[str]:
    """Sentences that say, in words, what the map shows for `iso3` (one paragraph each)."""
    country = ds.country(iso3)
    if country is None:
        return [_("{id}: no data.").format(id=iso3)]
    p = country.props
    refs = ds.facts_for_country(iso3, as_of)
    out = [_("{country}. Capital: {capital}.").format(country=p.name, capital=p.capital.name)]
    if refs:
        sources = {r.fact.source for r in refs}
        first, last = refs[0].fact.date, refs[-1].fact.date
        cite = ngettext(
            "The sources cite {n} fact about {country}, dated {first} to {last}, {from_sources}.",
            "The sources cite {n} facts about {country}, dated {first} to {last}, {from_sources}.",
            len(refs),
        )
        from_sources = ngettext("from {n} source", "from {n} sources", len(sources))
        out.append(
            cite.format(
                n=len(refs),
                country=p.name,
                first=day(first),
                last=day(last),
                from_sources=from_sources.format(n=len(sources)),
            )
        )
    elif as_of:
        out.append(_("No fact about {country} is recorded by then.").format(country=p.name))
    else:
        out.append(_("No fact about {country} is recorded.").format(country=p.name))
    known, unknown = [], []
    for key, spec in ds.catalogue.indicators.items():
        if isinstance(spec, ComputedSpec):
            continue
        res = compute(ds, key, as_of=as_of)[iso3]
        if res.value == NO_DATA and res.reading is None:
            unknown.append(spec.label)
        else:
            known.append(f"{spec.label}: {res.label}")
    if known:
        out.append(_("Indicators. {list}.").format(list="; ".join(known)))
    if unknown:
        out.append(_("No data for: {list}.").format(list="; ".join(unknown)))
    cat = ds.catalogue
    chosen = None if signals is None else set(signals)
    for side, cited in signals_by_side(ds, iso3, as_of).items():
        counted = [s for s in cited if chosen is None or s in chosen]
        total = len([s for s in cat.signals_of([side]) if chosen is None or s in chosen])
        name = cat.side_label(side)
        if counted:
            cited_line = ngettext(
                "{side} cited ({n} of {total} kinds): {list}.",
                "{side} cited ({n} of {total} kinds): {list}.",
                total,
            )
            out.append(
                cited_line.format(
                    side=name,
                    n=len(counted),
                    total=total,
                    list="; ".join(cat.signal_label(s) for s in counted),
                )
            )
        else:
            none_line = ngettext(
                "{side}: none cited (of {total} kinds counted).",
                "{side}: none cited (of {total} kinds counted).",
                total,
            )
            out.append(none_line.format(side=name, total=total))
    routes = [r.props for r in ds.routes if iso3 in r.props.countries]
    if routes:
        via = {True: _("through Russia"), False: _("not through Russia")}
        parts = [
            f"{r.name} ({words.commodity(r.commodity)}, {words.status(r.status)}, "
            f"{via[r.transits_russia]})"
            for r in routes
        ]
        out.append(_("Energy export routes: {list}.").format(list="; ".join(parts)))
    events = [e.props for e in ds.events if iso3 in e.props.countries and e.props.known_on(as_of)]
    if events:
        parts = [f"{e.name} ({e.place}, {day(e.date)})" for e in events]
        out.append(_("Events: {list}.").format(list="; ".join(parts)))
    if refs:
        latest = refs[-1].fact
        when = dated(latest.date, latest.date_precision)
        out.append(_("Latest fact ({date}): {summary}").format(date=when, summary=latest.summary))
    return out


def indicator_notes(ds: Dataset) -> list[tuple[str, str, str]]:
    """(label, description, how it is derived and drawn) for every indicator of the catalogue."""
    cat = ds.catalogue
    out = []
    for spec in cat.indicators.values():
        classes = ", ".join(label for _value, label, _colour in legend_entries(spec))
        if isinstance(spec, ComputedSpec):
            sides = and_list([cat.side_label(s) for s in spec.sides])
            minus = and_list([cat.side_label(s) for s in spec.minus_sides])
            if minus:
                how = _(
                    "Computed from the facts' signals: the kinds of signal cited on the side "
                    "'{sides}', minus those on the side '{minus}' (counted per kind, not per "
                    "fact). Classes: {classes}."
                ).format(sides=sides, minus=minus, classes=classes)
            else:
                how = _(
                    "Computed from the facts' signals: the kinds of signal cited on the side "
                    "'{sides}' (counted per kind, not per fact). Classes: {classes}."
                ).format(sides=sides, classes=classes)
        elif isinstance(spec, NumericSpec):
            prefer = ", ".join(cat.statistics_label(s) or s for s in spec.prefer)
            if prefer:
                how = _(
                    "A number in {unit} stored for the country by period, with its statistics "
                    "and the facts that state it; the map shows the latest period over by the "
                    "'as of' day, and where two statistics give the same period, the first of: "
                    "{prefer}. Bins: {classes}."
                ).format(unit=spec.unit, prefer=prefer, classes=classes)
            else:
                how = _(
                    "A number in {unit} stored for the country by period, with its statistics "
                    "and the facts that state it; the map shows the latest period over by the "
                    "'as of' day. Bins: {classes}."
                ).format(unit=spec.unit, classes=classes)
        else:
            assert isinstance(spec, CategoricalSpec)
            how = _(
                "Curated: a value stored for the country, backed by the facts it lists; it holds "
                "from its earliest fact's date. Classes: {classes}."
            ).format(classes=classes)
        out.append((spec.label, spec.description, how))
    return out


def as_html(paragraphs: Iterable[str]) -> str:
    """Paragraphs as escaped HTML."""
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)


def seed_caveat(ds: Dataset) -> str:
    """What the stored documents are (kind, outlet, date), in one sentence."""
    docs = sorted(
        (s for s in ds.sources.values() if s.file and s.part_of is None),
        key=lambda s: (s.published is None, s.published),
    )
    parts = [
        _("{kind} ({credit}, {date})").format(
            kind=_(_DOCUMENT_KINDS[s.kind])
            if s.kind in _DOCUMENT_KINDS
            else words.source_kind(s.kind),
            credit=s.credit,
            date=day(s.published) if s.published else _("undated"),
        )
        for s in docs
    ]
    if not parts:
        return ""
    return _("The stored source documents are {list}.").format(list=and_list(parts))


_DOCUMENT_KINDS = {
    SourceKind.opinion: N_("an opinion piece"),
    SourceKind.newsroom: N_("a news report"),
}


# Software the app ships or runs on in the browser; data licences come from sources.yaml.
SOFTWARE = (
    (
        N_("Leaflet 1.9.4 (vendored in static/leaflet)"),
        "BSD-2-Clause",
        "© Volodymyr Agafonkin, CloudMade",
    ),
    ("Streamlit", "Apache-2.0", "Snowflake Inc"),
    ("folium", "MIT", N_("Rob Story and contributors")),
    ("Vega-Altair", "BSD-3-Clause", "Vega-Altair Developers"),
    ("streamlit-folium", N_("not stated in the installed package's metadata"), "Randy Zwitch"),
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
    rows += [
        {"what": _(w), "licence": _(lic), "attribution": _(a), "url": ""} for w, lic, a in SOFTWARE
    ]
    return rows


# --- The map page's text alternative ------------------------------------------------------


def colouring(ds: Dataset, results: Mapping[str, IndicatorResult], indicator_label: str) -> str:
    """What the map is coloured by and each country's value, as its tooltip gives it."""
    values = "; ".join(
        f"{c.props.name}: {r.label if (r := results.get(c.props.iso3)) else _('No data')}"
        for c in ds.countries
    )
    return _("Coloured by {indicator}: {values}.").format(indicator=indicator_label, values=values)


def map_in_words(
    ds: Dataset,
    results: Mapping[str, IndicatorResult],
    indicator_label: str,
    as_of: dt.date | None = None,
    signals: Iterable[str] | None = None,
) -> str:
    """The map of a view in words, as HTML: its colouring, then each country's summary as of
    the day (`country_summary`). The map page shows it under the map, for every reader; it is
    the map's text alternative for a screen reader."""
    chosen = None if signals is None else list(signals)
    parts = [f"<p>{escape(colouring(ds, results, indicator_label))}</p>"]
    for c in ds.countries:
        parts.append(f"<div>{as_html(country_summary(ds, c.props.iso3, as_of, chosen))}</div>")
    return f'<div class="atlas-words">{"".join(parts)}</div>'  # (styled in panel.STYLE)
