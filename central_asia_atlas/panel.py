"""The side panel and the legends as HTML: pure functions, every piece of data text escaped."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from . import words
from .catalogue import AnySpec, ComputedSpec
from .dataset import Dataset, FactRef
from .i18n import _, ngettext
from .indicators import NO_DATA, NO_DATA_COLOR, IndicatorResult, signals_by_side
from .legends import Legend, indicator_legend, routes_legend
from .mapstyle import events_at_same_place
from .markup import dated, day, month_abbr, number
from .model import Category, EventProps, Fact, Kind, Source, SourceKind
from .reader import READER_PAGE as READER_PAGE  # re-exported: the page a passage opens in
from .reader import reader_link

STYLE = """<style>
.atlas-panel h3, .atlas-panel-head h3 { margin: 0 0 .2rem 0; }
.atlas-panel-head .atlas-meta { opacity: .78; font-size: .85rem; }
.atlas-panel h4 { margin: 1rem 0 .3rem 0; font-size: 1rem; }
.atlas-panel h4[data-category] { text-transform: capitalize; }
.atlas-panel .atlas-meta, .atlas-legend .atlas-meta { opacity: .78; font-size: .85rem; }
.atlas-panel table { font-size: .85rem; border-collapse: collapse; width: 100%; }
.atlas-panel td, .atlas-panel th { padding: .15rem .4rem;
  border-bottom: 1px solid rgba(128,128,128,.25); text-align: left; vertical-align: top; }
.atlas-fact { margin: .5rem 0 .9rem 0; }
.atlas-fact blockquote { margin: .3rem 0; padding: .2rem .7rem; border-left: 4px solid #999;
  background: rgba(128,128,128,.10); font-style: normal; }
.atlas-badge { display: inline-block; font-size: .7rem; padding: 0 .35rem; border-radius: .3rem;
  background: #e8e1d3; color: #333; text-transform: uppercase; letter-spacing: .03em; }
.atlas-badge.atlas-state { background: #f6d5b8; color: #5a2a00; }
.atlas-ties { display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; }
.atlas-ties > div { flex: 1 1 14rem; min-width: 12rem; }
.atlas-ties h4 { border-bottom: 3px solid; padding-bottom: .1rem; text-transform: none; }
.atlas-ties ul { margin: .2rem 0 .4rem 1.1rem; padding: 0; font-size: .88rem; }
.atlas-ties li { margin: .1rem 0; }
.atlas-panel a, .atlas-legend a { color: inherit; text-decoration: underline; }
.atlas-relation { font-size: .85rem; border-left: 4px solid #E69F00; padding-left: .5rem;
  margin: .3rem 0; }
.atlas-swatch { display: inline-block; width: 1rem; height: .8rem; margin-right: .4rem;
  vertical-align: middle; border: 1px solid #555; }
.atlas-line { display: inline-block; width: 1.8rem; height: 0; margin-right: .4rem;
  vertical-align: middle; border-top-width: 4px; }
.atlas-legend { font-size: .85rem; line-height: 1.5; }
.atlas-legend + .atlas-legend { margin-top: 1rem; }
.atlas-note { font-size: .875rem; opacity: .75; margin: .5rem 0 0 0; }
.atlas-chart { margin: .6rem 0 .4rem 0; }
.atlas-chart-title { font-weight: 600; font-size: .9rem; }
.atlas-chart-keys { display: flex; flex-wrap: wrap; gap: 0 .9rem; font-size: .8rem; }
.atlas-chart-keys .atlas-line { width: 1.2rem; border-top-width: 3px; border-top-style: solid; }
.atlas-plot { position: relative; max-width: 34rem; margin-top: .2rem; }
.atlas-plot img { display: block; width: 100%; height: auto; }
.atlas-over span { position: absolute; font-size: .7rem; line-height: 1; white-space: nowrap; }
.atlas-over .atlas-y { transform: translate(-100%, -50%); opacity: .75; }
.atlas-over .atlas-year { transform: translateX(-50%); opacity: .75; }
.atlas-over .atlas-unit { opacity: .75; }
.atlas-over .atlas-end { transform: translateY(-50%); font-weight: 600; }
.atlas-over .atlas-dot { width: 8px; height: 8px; border-radius: 50%; cursor: default;
  transform: translate(-50%, -50%); }
.atlas-over .atlas-dot:hover { box-shadow: 0 0 0 2px currentColor; }
.atlas-over .atlas-dot.atlas-part { background: transparent; border: 2px solid; width: 6px;
  height: 6px; }
.atlas-chart-keys .atlas-part-key { display: inline-block; width: 6px; height: 6px;
  border: 2px solid currentColor; border-radius: 50%; margin-right: .35rem; }
.atlas-chart figcaption { font-size: .8rem; opacity: .7; margin-top: .2rem; }
.atlas-words { font-size: .9rem; }
.atlas-words > div > p:first-child { font-weight: 600; margin: .9rem 0 .2rem 0; }
.atlas-words p { margin: 0 0 .4rem 0; }
</style>"""


def focusable_box_script(selector: str, label: str) -> str:
    """A script that makes the box `selector` (a panel that scrolls in a box of its own) a
    named region the keyboard can reach and scroll: tabindex 0, role region, `label`.

    A box whose content overflows must take the focus when nothing in it can (WCAG 2.1.1;
    axe's scrollable-region-focusable), or a keyboard cannot scroll it."""
    sel, name = _js_string(selector), _js_string(label)
    return (
        "<script>(function(){var n=0;function go(){"
        f"var box=document.querySelector({sel});"
        "if(box){box.tabIndex=0;box.setAttribute('role','region');"
        f"box.setAttribute('aria-label',{name});return;}}"
        "if(100>++n){setTimeout(go,100);}}go();})();</script>"
    )


def _js_string(text: str) -> str:
    """A JavaScript string literal that no text can end the script element with."""
    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _style(style: bool) -> str:
    """STYLE, or nothing for a page that shows it once (the map page: `st.html(STYLE)`), so
    that each element it resends on a rerun does not carry its own copy."""
    return STYLE if style else ""


def _date(d: dt.date | None) -> str:
    return day(d) if d else _("undated")


def _source_line(src: Source | None, source_id: str) -> str:
    if src is None:
        missing = _("Source {id} (not in the sources list)").format(id=source_id)
        return f'<span class="atlas-meta">{escape(missing)}</span>'
    via = ", " + escape(_("via {outlet}").format(outlet=src.via)) if src.via else ""
    parts = [f"<b>{escape(src.outlet)}</b>{via}"]
    if src.author:
        parts.append(escape(src.author))
    parts.append(escape(_date(src.published)))
    parts.append(f"<i>{escape(src.title)}</i>")
    kind_cls = "atlas-badge atlas-state" if src.kind is SourceKind.state_media else "atlas-badge"
    parts.append(
        f'<span class="{kind_cls}" data-source-kind="{escape(src.kind.value, quote=True)}">'
        f"{escape(words.source_kind(src.kind))}</span>"
    )
    if src.accessed:
        parts.append(escape(_("read {day}").format(day=_date(src.accessed))))
    link = (
        f' · <a href="{escape(src.url, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(_('source'))}</a>"
        if src.url
        else ""
    )
    return f'<span class="atlas-meta">{" · ".join(parts)}{link}</span>'


def _relations_html(fact: Fact, dataset: Dataset) -> str:
    out = []
    for rel in fact.relations:
        other = dataset.fact(rel.fact)
        target = (
            f"{escape(other.summary)} ({escape(dated(other.date, other.date_precision))})"
            if other
            else escape(_("fact {id}").format(id=rel.fact))
        )
        out.append(
            f'<div class="atlas-relation" data-relation="{escape(rel.kind.value, quote=True)}">'
            f"<b>{escape(words.relation(rel.kind))}:</b> {target}. "
            f"{escape(rel.note)}</div>"
        )
    return "".join(out)


def fact_html(ref: FactRef, dataset: Dataset) -> str:
    """One fact: date and summary, the source's own words as a quotation, the source, links."""
    f = ref.fact
    src = dataset.sources.get(f.source)
    date = escape(dated(f.date, f.date_precision)) + (
        f" ({escape(f.date_note)})" if f.date_note else ""
    )
    where = ""
    if ref.kind is Kind.route:
        route = dataset.route(ref.owner)
        name = route.props.name if route else ref.owner
        where = " · " + escape(_("route: {name}").format(name=name))
    elif ref.kind is Kind.event:
        event = dataset.event(ref.owner)
        name = event.props.name if event else ref.owner
        where = " · " + escape(_("event: {name}").format(name=name))
    elif ref.kind is Kind.region:
        where = " · " + escape(_("region-wide"))
    head = f'<div class="atlas-meta">{date}{where}</div><div>{escape(f.summary)}</div>'
    if f.excerpt is not None:
        lang = escape(src.language if src is not None else "en", quote=True)
        body = f'<blockquote lang="{lang}">{escape(f.excerpt)}</blockquote>'
        reader = (
            f' · <a href="{escape(reader_link(f.id), quote=True)}">'
            + escape(_("passage in the source"))
            + "</a>"
        )
        badge = ""
    else:
        body = ""
        reader = ""
        badge = '<span class="atlas-badge">' + escape(_("reference")) + "</span> "
    note = (
        '<div class="atlas-meta">' + escape(_("Note: {note}").format(note=f.note)) + "</div>"
        if f.note
        else ""
    )
    state = (
        '<div class="atlas-meta" data-state-media="1">'
        + escape(
            _("Only source: state media. This says what the government says, not that it is so.")
        )
        + "</div>"
        if src is not None and src.kind is SourceKind.state_media
        else ""
    )
    return (
        f'<div class="atlas-fact" id="{escape(fact_anchor(f.id), quote=True)}" '
        f'data-fact="{escape(f.id, quote=True)}">{badge}{head}{body}'
        f"{note}{state}{_relations_html(f, dataset)}<div>{_source_line(src, f.source)}{reader}"
        "</div></div>"
    )


def fact_card_html(dataset: Dataset, fact_id: str) -> str:
    """One fact on its own (the Sources page's landing for a fact with no stored text)."""
    ref = dataset.fact_ref(fact_id)
    if ref is None:
        return ""
    return _panel("fact", fact_id, fact_html(ref, dataset))


def fact_anchor(fact_id: str) -> str:
    """The id of a fact's block in the panel (the ties lists link to it)."""
    return f"fact-{fact_id}"


def facts_html(refs: Iterable[FactRef], dataset: Dataset) -> str:
    """Facts grouped by category (in the schema's order), oldest first within each group."""
    groups: dict[Category, list[FactRef]] = {}
    for ref in sorted(refs, key=lambda r: (r.fact.date, r.fact.id)):
        groups.setdefault(ref.fact.category, []).append(ref)
    if not groups:
        return no_facts_html()
    out = []
    for cat in Category:
        if cat in groups:
            items = "".join(fact_html(r, dataset) for r in groups[cat])
            out.append(
                f'<h4 data-category="{escape(cat.value, quote=True)}">'
                f"{escape(words.category(cat))}</h4>"
                f"{items}"
            )
    return "".join(out)


def _panel(kind: str, ident: str, inner: str, style: bool = True) -> str:
    return (
        f'{_style(style)}<section class="atlas-panel" data-kind="{escape(kind, quote=True)}" '
        f'data-id="{escape(ident, quote=True)}">{inner}</section>'
    )


def indicator_rows(
    dataset: Dataset, iso3: str, table: Mapping[str, Mapping[str, IndicatorResult]]
) -> str:
    """Every indicator of the catalogue with the country's value; a number with its period and
    statistics, and any other statistics for the same period beside it."""
    rows = []
    for key, spec in dataset.catalogue.indicators.items():
        res = table.get(key, {}).get(iso3)
        if res is None:
            continue
        colour = res.color if res.value != NO_DATA else NO_DATA_COLOR
        # a computed count's note lists its signals: the ties lists above show them already
        shown_note = res.note and not res.others and not isinstance(spec, ComputedSpec)
        note = f'<div class="atlas-meta">{escape(res.note or "")}</div>' if shown_note else ""
        others = "".join(
            '<div class="atlas-relation" data-relation="disagrees_with"><b>'
            + escape(_("Other statistics, same period:"))
            + f"</b> {escape(o.text)}</div>"
            for o in res.others
        )
        rows.append(
            f'<tr data-indicator="{escape(key, quote=True)}"><th>{escape(spec.label)}</th>'
            f'<td><span class="atlas-swatch" style="background:{escape(colour, quote=True)}">'
            f"</span>{escape(res.label)}{note}{others}</td></tr>"
        )
    return f"<table>{''.join(rows)}</table>"


TIE_LINKS = 4  # the latest facts linked per signal; the others are counted


def _fact_links(dataset: Dataset, ids: Sequence[str], shown: Collection[str] | None) -> str:
    """Links to the latest facts of a signal, each shown as its month and titled with (the
    start of) its summary: to the fact in the panel if it is there, else on the Sources page."""
    facts = sorted(
        (f for fid in ids if (f := dataset.fact(fid)) is not None),
        key=lambda f: (f.date, f.id),
        reverse=True,
    )
    links = []
    for f in facts[:TIE_LINKS]:
        here = shown is None or f.id in shown
        href = f"#{fact_anchor(f.id)}" if here else reader_link(f.id)
        title = f.summary if len(f.summary) <= 120 else f.summary[:119] + "…"
        links.append(
            f'<a href="{escape(href, quote=True)}" title="{escape(title, quote=True)}">'
            f"{escape(_short_date(f))}</a>"
        )
    more = len(facts) - TIE_LINKS
    rest = " " + ngettext("and {n} more", "and {n} more", more).format(n=more) if more > 0 else ""
    return ", ".join(links) + escape(rest)


def _short_date(f: Fact) -> str:
    """A fact's month and year ("Sep 2023"), or its year when that is all that is known."""
    return str(f.date.year) if f.date_precision == "year" else f"{month_abbr(f.date)} {f.date.year}"


def ties_html(
    dataset: Dataset,
    iso3: str,
    as_of: dt.date | None = None,
    shown: Collection[str] | None = None,
) -> str:
    """The signals cited for the country, one short list per side, each linking to its facts."""
    cat = dataset.catalogue
    blocks = []
    for side, cited in signals_by_side(dataset, iso3, as_of).items():
        colour = cat.sides[side].color if side in cat.sides else "#999999"
        if cited:
            items = [
                f'<li data-signal="{escape(sig, quote=True)}">{escape(cat.signal_label(sig))} '
                f'<span class="atlas-meta">({_fact_links(dataset, ids, shown)})</span></li>'
                for sig, ids in cited.items()
            ]
            body = f"<ul>{''.join(items)}</ul>"
        else:
            body = '<p class="atlas-meta">' + escape(_("None cited in the sources here.")) + "</p>"
        blocks.append(
            f'<div data-side="{escape(side.value, quote=True)}"><h4 style="border-color:'
            f'{escape(colour, quote=True)}">{escape(cat.side_label(side))} ({len(cited)})</h4>'
            f"{body}</div>"
        )
    return f'<div class="atlas-ties">{"".join(blocks)}</div>'


LATEST, QUOTED, ALL, REGION = "latest", "quoted", "all", "region"


@dataclass(frozen=True)
class FactsView:
    """Which of a country's facts the panel shows: the latest, all, one category, or the
    region-wide ones; at most `limit` of them (newest first), the rest on demand."""

    group: str = LATEST
    limit: int = 8


def fact_groups(dataset: Dataset, iso3: str, as_of: dt.date | None = None) -> dict[str, str]:
    """The choices of `FactsView.group` for the country, each labelled with its count."""
    refs = dataset.facts_for_country(iso3, as_of)
    counts: dict[str, int] = {}
    for r in refs:
        counts[r.fact.category.value] = counts.get(r.fact.category.value, 0) + 1
    quoted = sum(1 for r in refs if r.fact.excerpt is not None)
    out = {LATEST: _("Latest"), ALL: _("All {n}").format(n=len(refs))}
    if quoted:
        out[QUOTED] = _("Quoted from stored documents {n}").format(n=quoted)
    out.update(
        {
            c.value: f"{words.category(c).capitalize()} {counts[c.value]}"
            for c in Category
            if c.value in counts
        }
    )
    if region := dataset.region_only_facts(as_of):
        out[REGION] = _("Central Asia as a whole {n}").format(n=len(region))
    return out


def facts_in_view(
    dataset: Dataset, iso3: str, as_of: dt.date | None, view: FactsView
) -> tuple[list[FactRef], int]:
    """The facts the view shows (newest first) and how many more it holds."""
    if view.group == REGION:
        refs = dataset.region_only_facts(as_of)
    else:
        refs = dataset.facts_for_country(iso3, as_of)
        if view.group == QUOTED:
            refs = [r for r in refs if r.fact.excerpt is not None]
        elif view.group not in (LATEST, ALL):
            refs = [r for r in refs if r.fact.category.value == view.group]
    refs = sorted(refs, key=lambda r: (r.fact.date, r.fact.id), reverse=True)
    return refs[: view.limit], max(0, len(refs) - view.limit)


def country_html(
    dataset: Dataset,
    iso3: str,
    table: Mapping[str, Mapping[str, IndicatorResult]],
    as_of: dt.date | None = None,
    head: bool = True,
    view: FactsView | None = None,
    style: bool = True,
) -> str:
    """Name and capital, the ties on each side, every indicator value, then the facts that
    concern the country. With head=False the name is left out: the page shows
    `country_head_html` and the trade chart (see charts) above the rest.

    Without `view`, every fact, grouped by category, and the region's. With a view, only the
    facts it holds (so that what a click sends stays bounded as the data grows); the ties link
    to a fact in the panel when it is shown, else to the fact on the Sources page.
    With style=False, without the style block (see `_style`).
    """
    c = dataset.country(iso3)
    if c is None:
        missing = escape(_("No country {id} in the data.").format(id=iso3))
        return _panel("country", iso3, f"<p>{missing}</p>", style)
    if view is None:
        refs = dataset.facts_for_country(iso3, as_of)
        region = dataset.region_only_facts(as_of)
        region_part = (
            "<h4>" + escape(_("Central Asia as a whole")) + f"</h4>{facts_html(region, dataset)}"
            if region
            else ""
        )
        facts_part = f"{facts_html(refs, dataset)}{region_part}"
        shown = {r.fact.id for r in refs + region}
    else:
        picked, more = facts_in_view(dataset, iso3, as_of, view)
        label = fact_groups(dataset, iso3, as_of).get(view.group, view.group)
        rest = (
            f'<p class="atlas-meta" data-more="{more}">'
            + escape(
                ngettext(
                    '{n} more: choose "Show more facts" below.',
                    '{n} more: choose "Show more facts" below.',
                    more,
                ).format(n=more)
            )
            + "</p>"
            if more
            else ""
        )
        body = "".join(fact_html(r, dataset) for r in picked) or no_facts_html()
        facts_part = f"{facts_heading_html(label, view.group)}{body}{rest}"
        shown = {r.fact.id for r in picked}
    inner = (
        (_head(dataset, iso3, as_of) if head else "")
        + ties_and_indicators_html(dataset, iso3, table, as_of, shown)
        + facts_part
    )
    return _panel("country", iso3, inner, style)


def ties_and_indicators_html(
    dataset: Dataset,
    iso3: str,
    table: Mapping[str, Mapping[str, IndicatorResult]],
    as_of: dt.date | None = None,
    shown: Collection[str] | None = None,
) -> str:
    """The part of a country's panel between its head and its facts: the ties on each side
    (linking to the facts in `shown`, the others on the Sources page), then every indicator."""
    ties, shown_values = _("Ties on each side"), _("Indicators")
    return (
        f"<h4>{escape(ties)}</h4>{ties_html(dataset, iso3, as_of, shown)}"
        f"<h4>{escape(shown_values)}</h4>{indicator_rows(dataset, iso3, table)}"
    )


def facts_heading_html(group_label: str, group: str = LATEST) -> str:
    """The heading over a page of a country's facts (`group_label`: see `fact_groups`)."""
    heading = _("Facts: {group}, newest first").format(group=group_label)
    return f'<h4 data-facts="{escape(group, quote=True)}">{escape(heading)}</h4>'


def no_facts_html() -> str:
    """What the panel says where it has no fact to show."""
    none = _("No sourced facts yet.")
    return f'<p class="atlas-meta">{escape(none)}</p>'


def country_head_html(
    dataset: Dataset, iso3: str, as_of: dt.date | None = None, style: bool = True
) -> str:
    """The country's name, capital and how many facts the panel holds."""
    return (
        f'{_style(style)}<header class="atlas-panel-head" data-kind="country" '
        f'data-id="{escape(iso3, quote=True)}">{_head(dataset, iso3, as_of)}</header>'
    )


def _head(dataset: Dataset, iso3: str, as_of: dt.date | None) -> str:
    c = dataset.country(iso3)
    if c is None:
        return ""
    p = c.props
    n = len(dataset.facts_for_country(iso3, as_of))
    day = " · " + _("as of {day}").format(day=_date(as_of)) if as_of else ""
    facts = ngettext("{n} sourced fact", "{n} sourced facts", n).format(n=n)
    line = _("Capital: {capital}").format(capital=p.capital.name) + f" · {facts}{day}"
    return f'<h3>{escape(p.name)}</h3><div class="atlas-meta">{escape(line)}</div>'


def _attr_table(rows: Iterable[tuple[str, str | None]]) -> str:
    body = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows if v is not None
    )
    return f"<table>{body}</table>"


def _names(dataset: Dataset, iso3s: Iterable[str]) -> str | None:
    names = []
    for iso in iso3s:
        c = dataset.country(iso)
        names.append(c.props.name if c else iso)
    return ", ".join(names) or None


def route_html(dataset: Dataset, route_id: str, style: bool = True) -> str:
    r = dataset.route(route_id)
    if r is None:
        missing = escape(_("No route {id} in the data.").format(id=route_id))
        return _panel("route", route_id, f"<p>{missing}</p>", style)
    p = r.props
    geometry_sources = ", ".join(
        dataset.sources[s].outlet if s in dataset.sources else s for s in p.geometry_sources
    )
    rows = [
        (_("Commodity"), words.commodity(p.commodity)),
        (_("Transits Russia"), _("yes") if p.transits_russia else _("no")),
        (_("Status"), words.status(p.status)),
        (_("Operator"), p.operator),
        (_("Capacity"), p.capacity),
        (_("Length"), _("{n} km").format(n=number(round(p.length_km))) if p.length_km else None),
        (_("Countries"), _names(dataset, p.countries)),
        (_("Line on the map"), words.quality(p.geometry_quality)),
        (_("About the line"), p.geometry_note),
        (_("Line drawn from"), geometry_sources),
        (_("Attribution"), p.attribution),
    ]
    refs = [ref for ref in dataset.fact_refs() if ref.kind is Kind.route and ref.owner == p.id]
    inner = f"<h3>{escape(p.name)}</h3>{_attr_table(rows)}{facts_html(refs, dataset)}"
    return _panel("route", p.id, inner, style)


def _event_body(dataset: Dataset, p: EventProps) -> str:
    src = dataset.sources.get(p.place_source)
    rows = [
        (_("Date"), _date(p.date)),
        (_("Until"), _date(p.end_date) if p.end_date else None),
        (_("Place"), p.place),
        (_("Place located by"), src.outlet if src else p.place_source),
        (_("Countries"), _names(dataset, p.countries)),
    ]
    refs = [ref for ref in dataset.fact_refs() if ref.kind is Kind.event and ref.owner == p.id]
    return f"{_attr_table(rows)}{facts_html(refs, dataset)}"


def event_html(dataset: Dataset, event_id: str, style: bool = True) -> str:
    """The event, then the other events marked at the same place (one marker on the map)."""
    e = dataset.event(event_id)
    if e is None:
        missing = escape(_("No event {id} in the data.").format(id=event_id))
        return _panel("event", event_id, f"<p>{missing}</p>", style)
    p = e.props
    others = next((ids for ids in events_at_same_place(dataset).values() if p.id in ids), [])
    more = [o.props for i in others if i != p.id and (o := dataset.event(i)) is not None]
    also = "".join(
        f'<details data-event="{escape(o.id, quote=True)}"><summary>{escape(_date(o.date))}: '
        f"{escape(o.name)}</summary>{_event_body(dataset, o)}</details>"
        for o in more
    )
    also_part = "<h4>" + escape(_("Also at this place")) + f"</h4>{also}" if more else ""
    inner = f"<h3>{escape(p.name)}</h3>{_event_body(dataset, p)}{also_part}"
    return _panel("event", p.id, inner, style)


_MARKS = {
    "fill": '<span class="atlas-swatch" style="background:{c}"></span>',
    "line": '<span class="atlas-line" style="border-top: 4px solid {c}"></span>',
    "dashed": '<span class="atlas-line" style="border-top: 4px dashed {c}"></span>',
    # both keep a light ring so that they read on a dark theme too
    "dot": '<span class="atlas-swatch" style="background:{c};border:2px solid #fff;'
    'outline:1px solid #999;border-radius:50%;width:.7rem;height:.7rem"></span>',
    "ring": '<span class="atlas-swatch" style="background:#fff;border:3px solid {c};'
    'outline:1px solid #999;border-radius:50%;width:.45rem;height:.45rem"></span>',
    "outline": '<span class="atlas-swatch" style="background:transparent;'
    'border:2px dashed {c};outline:1px solid #fff"></span>',
}


def legend_entries_html(legend: Legend) -> str:
    """A legend's entries, each its mark, words and count (see legends: the one model)."""
    return "".join(
        f'<div data-class="{escape(e.value, quote=True)}">'
        f"{_MARKS[e.mark].format(c=escape(e.color, quote=True))}{escape(e.label)}"
        + (f' <span class="atlas-meta">({e.count})</span>' if e.count is not None else "")
        + "</div>"
        for e in legend.entries
    )


def legend_block_html(legend: Legend, style: bool = True) -> str:
    """A legend with its title and description, as the map page and the site show it."""
    about = (
        f'<div class="atlas-meta">{escape(legend.description)}</div>' if legend.description else ""
    )
    notes = "".join(
        f'<div class="atlas-meta atlas-legend-note">{escape(n)}</div>' for n in legend.notes
    )
    return (
        f'{_style(style)}<div class="atlas-legend"><b>{escape(legend.title)}</b>{about}'
        f"{legend_entries_html(legend)}{notes}</div>"
    )


def legend_html(
    spec: AnySpec,
    results: Mapping[str, IndicatorResult],
    style: bool = True,
    names: Mapping[str, str] | None = None,
) -> str:
    """Every class (or bin, with its unit) of the indicator, and "No data", with how many of
    the five fall in each (and, for a number, the map's year and the periods that differ)."""
    return legend_block_html(indicator_legend(spec, results, names), style)


def routes_legend_html(style: bool = True) -> str:
    """The routes by kind and status, and the events."""
    return legend_block_html(routes_legend(), style)
