"""The static site's pages as HTML: the map and its embed (folium's map, the app's controls,
legends and panel), and the pages that read without JavaScript (each country, route and
event, the sources, each stored document, the data). `site` decides which files there are.

Every piece of content comes from the app's functions (panel, charts, legends, reader,
publish); this module lays them out and links them. Every link is relative to the page it is
on (`rel`), so the site works under any path; every string of its own goes through `_`.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode

from . import charts, i18n, indicators, mapview, panel, publish, reader, siteviews
from . import selection as sel
from .dataset import Dataset
from .i18n import _, ngettext
from .mapstyle import FAVICON
from .markup import day
from .model import FIVE

# the app's link to its reader, with the reader's language after the fact's id when not English
_READER_LINK = re.compile(
    r'href="' + re.escape(panel.READER_PAGE) + r'\?fact=([^"#&]+)(?:&(?:amp;)?lang=[a-z]+)?"'
)


def rel(frm: str, to: str) -> str:
    """The relative URL from the file at site path `frm` ("country/KAZ/" is a directory page,
    "assets/x.json" a file, "" the root page) to site path `to`, which may end in a "#fragment"
    or a "?query"."""
    found = re.match(r"([^#?]*)(.*)", to, re.DOTALL)
    target, tail = found.groups() if found else (to, "")
    base = frm if frm.endswith("/") else posixpath.dirname(frm)
    out = posixpath.relpath(target.rstrip("/") or ".", base.rstrip("/") or ".")
    if out == ".":
        out = "./"
    elif not target or target.endswith("/"):
        out += "/"
    return f"{out}{tail}"


def lang_dir(lang: str) -> str:
    """Where a language's pages live: the root for the source language, else `<code>/`."""
    return "" if lang == i18n.SOURCE else f"{lang}/"


def script_json(value: Any) -> str:
    """Compact JSON that can sit in a <script> element: no "<", ">" or "&" in it."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


NOREFERRER = ' rel="noopener noreferrer"'  # a link to another site (a source's own address)


def _a(href: str, text: str, extra: str = "") -> str:
    return f'<a href="{escape(href, quote=True)}"{extra}>{escape(text)}</a>'


@dataclass(frozen=True)
class Assets:
    """Site paths of the assets every page shares."""

    leaflet_js: str
    leaflet_css: str
    site_js: str
    site_css: str
    basemap: str


@dataclass(frozen=True)
class Lang:
    """One language's build: its code, every language built, the site's public URL (for
    canonical links), the data version's words (on every page)."""

    code: str
    languages: tuple[str, ...]
    base_url: str | None
    version: str

    @property
    def dir(self) -> str:
        return lang_dir(self.code)


@dataclass(frozen=True)
class MapData:
    """A language's assets for the map pages (site paths): each colouring's map over the days,
    each panel, the days' labels, each colouring's CSV; and the slider's first and last day."""

    states: dict[str, str]
    panels: dict[str, str]
    names: dict[str, str]
    labels: str
    csv: dict[str, str]
    days: tuple[dt.date, dt.date]


# --- links ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Links:
    """Where a language's facts are read: the app's reader links become the site's."""

    lang: Lang
    documents: Mapping[str, str]  # fact id -> the stored document its excerpt is in
    owners: Mapping[str, str]  # fact id -> the page that shows it

    def fact(self, fact_id: str) -> str:
        """The site path of a fact's passage in its document, else of the fact on its page."""
        doc = self.documents.get(fact_id)
        target = f"sources/{doc}/" if doc else self.owners.get(fact_id, "sources/")
        return f"{self.lang.dir}{target}#fact-{fact_id}"

    def relinker(self, at: str) -> Callable[[str], str]:
        """Rewrites the app's links to its reader (`sources?fact=<id>`) in HTML placed at site
        path `at` (a page, or an asset whose links the page resolves against its address)."""

        def sub(m: re.Match[str]) -> str:
            return f'href="{escape(rel(at, self.fact(m.group(1))), quote=True)}"'

        return lambda html: _READER_LINK.sub(sub, html)


def links_for(ds: Dataset, lang: Lang) -> Links:
    documents: dict[str, str] = {}
    owners: dict[str, str] = {}
    for ref in ds.fact_refs():
        f = ref.fact
        if f.excerpt is not None and (doc := reader.document_of(ds, f.source)) is not None:
            documents[f.id] = doc
        if ref.kind.value in ("route", "event", "country"):
            owners[f.id] = f"{ref.kind.value}/{ref.owner}/"
        else:  # the region's: shown on every country's page
            owners[f.id] = f"country/{min(ref.concerns, default=FIVE[0])}/"
    return Links(lang, documents, owners)


# --- the page's frame -----------------------------------------------------------------------


def _language_name(code: str) -> str:
    """A language's name in itself ("Deutsch"), or its code if Babel does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(code).get_display_name(code) or code)
    except (UnknownLocaleError, ValueError):
        return code


def _top(lang: Lang, path: str) -> str:
    e = escape
    inner = path[len(lang.dir) :]
    items = "".join(
        _a(rel(path, lang.dir + target), label)
        for target, label in (("", _("Map")), ("sources/", _("Sources")), ("data/", _("Data")))
    )
    others = "".join(
        _a(
            rel(path, lang_dir(code) + inner),
            _language_name(code),
            f' hreflang="{e(code, quote=True)}" lang="{e(code, quote=True)}"',
        )
        for code in lang.languages
        if code != lang.code
    )
    langs = f'<span class="site-langs">{others}</span>' if others else ""
    site = _("Site")
    return (
        f'<header class="site-top">'
        f"{_a(rel(path, lang.dir), publish.app_title(), ' class=site-name')}"
        f'<nav aria-label="{e(site, quote=True)}">{items}</nav>{langs}</header>'
    )


def shell(
    lang: Lang,
    path: str,
    title: str,
    body: str,
    assets: Assets,
    *,
    head: str = "",
    scripts: str = "",
    body_class: str = "",
    frame: bool = True,
    description: str = "",
) -> str:
    """A page of the site at site path `path`: its head (the data version, the style, the
    canonical address when the site's URL is known), then with `frame` the site's header and
    footer around `body`."""
    e = escape
    inner = path[len(lang.dir) :]
    meta = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        f'<meta name="atlas-data-version" content="{e(lang.version, quote=True)}">',
        f'<link rel="icon" href="{e(FAVICON, quote=True)}">',
        f'<link rel="stylesheet" href="{e(rel(path, assets.site_css), quote=True)}">',
    ]
    if description:
        meta.append(f'<meta name="description" content="{e(description, quote=True)}">')
    if lang.base_url:
        meta.append(f'<link rel="canonical" href="{e(lang.base_url + path, quote=True)}">')
        if len(lang.languages) > 1:
            meta += [
                f'<link rel="alternate" hreflang="{e(code, quote=True)}" '
                f'href="{e(lang.base_url + lang_dir(code) + inner, quote=True)}">'
                for code in lang.languages
            ]
    top = _top(lang, path) if frame else ""
    licence = _a(rel(path, "licences/leaflet.txt"), "Leaflet")
    foot = (
        f'<footer class="site-foot"><p>{e(lang.version)} · {e(_(publish.NATURAL_EARTH))} · '
        f"{licence} (BSD-2-Clause)</p></footer>"
        if frame
        else ""
    )
    cls = f' class="{e(body_class, quote=True)}"' if body_class else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{e(lang.code, quote=True)}">'
        f"<head>{''.join(meta)}{head}</head>"
        f"<body{cls}>{top}{body}{foot}{scripts}</body></html>\n"
    )


# --- the map's code -------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCode:
    """folium's map in the parts a page places: its style, its element, its script, and the
    script's names of the map and of the layers the site's script works on."""

    css: str
    div: str
    script: str
    names: dict[str, str]


def _stable_ids(root: Any) -> None:
    """Number every element in order, so that the same map gives the same code (folium names
    its variables with random ids: every build would change every page)."""
    n = 0
    stack = [root]
    while stack:
        el = stack.pop(0)
        el._id = f"{n:x}"
        n += 1
        stack[:0] = list(el._children.values())


def map_code(ds: Dataset, basemap: Mapping[str, Any], basemap_href: str, key: str) -> MapCode:
    """The app's map (`mapview.base_map` and `mapview.layers`: every layer, the routes on,
    nothing selected) coloured by `key` as of today, its neighbours fetched from
    `basemap_href` (relative to the page)."""
    spec = ds.catalogue.indicators[key]
    m = mapview.base_map(basemap, ds, basemap_href)
    m.default_js = []  # the page loads Leaflet itself, from the site's assets
    m.default_css = []
    groups = mapview.layers(ds, indicators.compute(ds, key), spec.label, None, True)
    for g in groups:
        g.add_to(m)
    root: Any = m.get_root()
    _stable_ids(root)
    root.render()
    by_layer = {g.layer_name: g for g in groups}

    def child(group: str, layer: str) -> str:
        named = by_layer[group]._children.values()
        return next((c.get_name() for c in named if getattr(c, "layer_name", "") == layer), "")

    names = {
        "map": m.get_name(),
        "countries": child(mapview.CHOROPLETH, "Countries"),
        "routes": by_layer[mapview.ROUTES].get_name(),
        "routeHits": child(mapview.ROUTES, "Route hit area"),
        "events": by_layer[mapview.EVENTS].get_name(),
        "eventMarks": child(mapview.EVENTS, "Events"),
    }
    css = "".join(
        c.render()
        for name, c in root.header._children.items()
        if name not in ("meta_http", m.get_name())
    )
    script = root.script.render()
    if re.search(r"</script", script, re.IGNORECASE):
        raise ValueError("the map's script would close its <script> element early")
    return MapCode(css, root.html.render().strip(), script, names)


# --- the map page and the embed -------------------------------------------------------------


def _config(
    ds: Dataset, page: str, data: MapData, code: MapCode, lang: Lang, embed: bool
) -> dict[str, Any]:
    """What the page's script needs, every address relative to the page."""
    return {
        "lang": lang.code,
        "default": ds.catalogue.default_key(),
        "states": {k: rel(page, v) for k, v in data.states.items()},
        "panels": {k: rel(page, v) for k, v in data.panels.items()},
        "names": data.names,
        "csv": {k: rel(page, v) for k, v in data.csv.items()},
        "days": {
            "lo": data.days[0].isoformat(),
            "hi": data.days[1].isoformat(),
            "labels": rel(page, data.labels),
        },
        "map": code.names,
        "pages": {"map": rel(page, lang.dir), "embed": rel(page, lang.dir + "embed/")},
        "embed": embed,
    }


def _options(items: Sequence[tuple[str, str]], chosen: str | None = None) -> str:
    return "".join(
        f'<option value="{escape(v, quote=True)}"{" selected" if v == chosen else ""}>'
        f"{escape(label)}</option>"
        for v, label in items
    )


def _legends(ds: Dataset, key: str, lang: Lang) -> str:
    """The legends and the note under them, as the map page shows them (`cache.legends`): the
    colouring's as of today, the routes', "Map as of <day> · <data version> · made with
    Natural Earth" (the day is the reader's, written by the page's script)."""
    spec = ds.catalogue.indicators[key]
    shown = indicators.compute(ds, key)
    as_of = escape(_("Map as of {day}")).replace("{day}", siteviews.DAY_SLOT)
    note = (
        f"<span data-site-asof hidden>{as_of} · </span>{escape(lang.version)} · "
        f"{escape(_(publish.NATURAL_EARTH))}"
    )
    return (
        f'<div class="site-legends"><div id="site-legend-indicator">'
        f"{panel.legend_html(spec, shown, False, ds.names())}</div>"
        f'<div id="site-legend-routes">{panel.routes_legend_html(style=False)}</div>'
        f'<p class="atlas-note" id="site-map-note">{note}</p></div>'
    )


def _map_head(page: str, assets: Assets, code: MapCode) -> str:
    href = escape(rel(page, assets.leaflet_css), quote=True)
    return f'<link rel="stylesheet" href="{href}">{code.css}'


def _scripts(page: str, assets: Assets, code: MapCode, config: Mapping[str, Any]) -> str:
    return (
        f'<script id="site-config" type="application/json">{script_json(config)}</script>'
        f'<script src="{escape(rel(page, assets.leaflet_js), quote=True)}"></script>'
        f"<script>{code.script}</script>"
        f'<script src="{escape(rel(page, assets.site_js), quote=True)}"></script>'
    )


def lead() -> str:
    return _(
        "Kazakhstan, Uzbekistan, Kyrgyzstan, Tajikistan and Turkmenistan: the ties that keep "
        "each close to Moscow and the signals of distance, its ties to the EU and China, with "
        "sources. Click a country, a route or an event, or choose one from the lists beside the "
        "map (below it on a phone)."
    )


def _share(day_shown: dt.date) -> str:
    """The share box: the link and the embed code (the script writes the view's address into
    publish's embed code), the colouring's CSV."""
    e = escape
    template = publish.embed_code("./", sel.View(), title=publish.app_title(), site=True)
    csv = _("The values of this colouring (CSV, as of {day})").format(day=day(day_shown))
    embed = _("Embed code (an iframe {px} px high)").format(px=publish.EMBED_HEIGHT)
    return (
        f'<details class="site-share"><summary>{e(_("Share"))}</summary>'
        f'<label>{e(_("Link to this view"))}<input id="site-share-link" readonly></label>'
        f"<label>{e(embed)}"
        f'<textarea id="site-share-embed" rows="3" readonly></textarea></label>'
        f'<template id="site-embed-template">{template}</template>'
        f'<p><a id="site-share-csv" href="">{e(csv)}</a></p></details>'
    )


def _controls(ds: Dataset, key: str, days: tuple[dt.date, dt.date]) -> str:
    """What the app shows above the map: the colouring, the day, the routes, sharing."""
    e = escape
    lo, hi = days
    n = (hi - lo).days
    colourings = _options([(k, s.label) for k, s in ds.catalogue.indicators.items()], key)
    return (
        f'<div class="site-controls">'
        f'<label>{e(_("Colour the map by"))}<select id="site-indicator">{colourings}</select>'
        f'</label><label class="site-day">{e(_("As of"))} '
        f'<output id="site-day-label" for="site-day">{e(day(hi))}</output>'
        f'<input type="range" id="site-day" min="0" max="{n}" value="{n}" step="1"></label>'
        f'<button type="button" id="site-today" disabled>{e(_("Today"))}</button>'
        f'<label class="site-check"><input type="checkbox" id="site-routes" checked> '
        f"{e(_('Energy export routes'))}</label>{_share(hi)}</div>"
    )


def _side(ds: Dataset) -> str:
    """Beside the map, as in the app: the lists to choose from, then the panel."""
    e = escape
    countries = [(c.props.iso3, c.props.name) for c in ds.countries]
    lines = [
        (f"route:{r.props.id}", _("Route: {name}").format(name=r.props.name)) for r in ds.routes
    ]
    lines += [
        (f"event:{v.props.id}", _("Event: {name}").format(name=v.props.name)) for v in ds.events
    ]
    intro = _(
        "Click a country, a route or an event on the map to read what the sources say about "
        "it: its ties to Moscow, the EU and China, each with its source."
    )
    return (
        f'<aside class="site-side">'
        f'<label>{e(_("Country"))}<select id="site-country"><option value="">'
        f"{e(_('Choose a country, or click the map'))}</option>{_options(countries)}</select>"
        f'</label><label>{e(_("Energy route or event"))}<select id="site-line"><option value="">'
        f"{e(_('Choose a route or event, or click it'))}</option>{_options(lines)}</select>"
        f'</label><button type="button" id="site-clear" disabled>{e(_("Clear selection"))}</button>'
        f'<div id="site-panel" aria-live="polite"><p>{e(intro)}</p></div>'
        f'<button type="button" id="site-more" hidden>{e(_("Show more facts"))}</button></aside>'
    )


def _page_lists(ds: Dataset, lang: Lang, page: str) -> str:
    """Links to every country's, route's and event's page (they read without JavaScript)."""
    e = escape
    groups = [
        (_("Countries"), [(f"country/{c.props.iso3}/", c.props.name) for c in ds.countries]),
        (_("Energy export routes"), [(f"route/{r.props.id}/", r.props.name) for r in ds.routes]),
        (
            _("Dated events"),
            [
                (f"event/{v.props.id}/", f"{day(v.props.date)}: {v.props.name}")
                for v in sorted(ds.events, key=lambda v: (v.props.date, v.props.id))
            ],
        ),
    ]
    navs = "".join(
        f'<nav aria-label="{e(title, quote=True)}"><h2>{e(title)}</h2><ul>'
        + "".join(f"<li>{_a(rel(page, lang.dir + target), label)}</li>" for target, label in items)
        + "</ul></nav>"
        for title, items in groups
    )
    return f'<div class="site-pages">{navs}</div>'


def map_page(
    ds: Dataset, lang: Lang, assets: Assets, data: MapData, basemap: Mapping[str, Any]
) -> str:
    """index.html: the map with the app's controls, legends and panel."""
    e = escape
    page = lang.dir
    key = ds.catalogue.default_key() or next(iter(ds.catalogue.indicators))
    code = map_code(ds, basemap, rel(page, assets.basemap), key)
    signals = _(
        "This map counts every kind of signal: the choice of signals in the link is the app’s "
        "(its Compare page)."
    )
    no_script = _(
        "The map needs JavaScript; every panel reads without it, on the pages listed below the map."
    )
    body = (
        f'<main class="site-main">'
        f"<h1>{e(_('Central Asia between Russia, the EU and China, since February 2022'))}</h1>"
        f'<p class="site-lead">{e(lead())}</p>'
        f'<noscript><p class="site-notice">{e(no_script)}</p></noscript>'
        f"{_controls(ds, key, data.days)}"
        f'<p class="site-notice" id="site-signals" hidden>{e(signals)}</p>'
        f'<div class="site-columns"><div class="site-mapcol"><div class="site-map">{code.div}'
        f"</div>{_legends(ds, key, lang)}</div>{_side(ds)}</div>"
        f"{_page_lists(ds, lang, page)}</main>"
    )
    return shell(
        lang,
        page,
        publish.app_title(),
        body,
        assets,
        head=_map_head(page, assets, code),
        scripts=_scripts(page, assets, code, _config(ds, page, data, code, lang, False)),
        body_class="site-mappage",
        description=lead(),
    )


def embed_page(
    ds: Dataset, lang: Lang, assets: Assets, data: MapData, basemap: Mapping[str, Any]
) -> str:
    """embed/index.html: the map, its legend and the panel within 600 px, for an iframe."""
    e = escape
    page = lang.dir + "embed/"
    key = ds.catalogue.default_key() or next(iter(ds.catalogue.indicators))
    code = map_code(ds, basemap, rel(page, assets.basemap), key)
    intro = _("Click a country, a route or an event on the map to read what the sources say.")
    open_full = _("Open this view in the full atlas")
    body = (
        f'<main class="site-embed-main"><div class="site-map">{code.div}</div>'
        f'<div class="site-embed-side">{_legends(ds, key, lang)}'
        f'<div id="site-panel" aria-live="polite"><p>{e(intro)}</p></div>'
        f'<button type="button" id="site-more" hidden>{e(_("Show more facts"))}</button>'
        f'<p class="site-open"><a id="site-open" href="{e(rel(page, lang.dir), quote=True)}" '
        f'target="_blank" rel="noopener">{e(open_full)}</a></p>'
        f"</div></main>"
    )
    return shell(
        lang,
        page,
        publish.app_title(),
        body,
        assets,
        head=_map_head(page, assets, code),
        scripts=_scripts(page, assets, code, _config(ds, page, data, code, lang, True)),
        body_class="site-embed",
        frame=False,
    )


# --- pages without a map --------------------------------------------------------------------


def _back(ds: Dataset, lang: Lang, page: str, view: sel.View) -> str:
    """A link to the map showing `view`."""
    query = urlencode(sel.to_query_params(view, ds.catalogue.default_key()))
    link = _a(rel(page, lang.dir) + "?" + query, _("Open on the map"))
    return f'<p class="site-back">{link}</p>'


def country_page(
    ds: Dataset, lang: Lang, assets: Assets, links: Links, iso3: str, table: siteviews.Table
) -> str:
    """A country's whole panel as of today: every fact, grouped by category, and the region's
    (the app's panel without a page of facts: `panel.country_html` with no view)."""
    page = f"{lang.dir}country/{iso3}/"
    relink = links.relinker(page)
    content = (
        relink(panel.country_head_html(ds, iso3, None, style=False))
        + "".join(charts.chart_html(c) for c in charts.country_charts(ds, iso3))
        + relink(panel.country_html(ds, iso3, table, None, head=False, style=False))
    )
    view = sel.View(sel.Selection("country", iso3))
    body = f'<main class="site-page">{_back(ds, lang, page, view)}{content}</main>'
    title = f"{ds.names().get(iso3, iso3)} · {publish.app_title()}"
    return shell(lang, page, title, body, assets)


def line_page(
    ds: Dataset, lang: Lang, assets: Assets, links: Links, kind: sel.SelectionKind, ident: str
) -> str:
    """A route's or an event's panel as a page."""
    page = f"{lang.dir}{kind}/{ident}/"
    if kind == "route":
        route = ds.route(ident)
        name, content = (route.props.name if route else ident), panel.route_html(ds, ident, False)
    else:
        event = ds.event(ident)
        name, content = (event.props.name if event else ident), panel.event_html(ds, ident, False)
    view = sel.View(sel.Selection(kind, ident))
    body = (
        f'<main class="site-page">{_back(ds, lang, page, view)}'
        f"{links.relinker(page)(content)}</main>"
    )
    return shell(lang, page, f"{name} · {publish.app_title()}", body, assets)


SOURCE_COLUMNS = (
    ("title", "Title"),
    ("outlet", "Outlet"),
    ("kind", "Kind of source"),
    ("published", "Published"),
    ("accessed", "Read"),
    ("url", "Address"),
    ("licence", "Licence"),
    ("attribution", "Attribution"),
)


def sources_page(ds: Dataset, lang: Lang, assets: Assets) -> str:
    """The stored documents (each a page of its own) and the reference sources."""
    e = escape
    page = f"{lang.dir}sources/"
    docs = "".join(
        f"<li>{_a(rel(page, f'{page}{d.id}/'), ' · '.join(named))}</li>"
        for d in reader.documents(ds)
        if (named := [str(d.published or ""), d.outlet, d.title])
    )
    head = "".join(f"<th>{e(_(label))}</th>" for _key, label in SOURCE_COLUMNS)

    def cell(key: str, value: str) -> str:
        if key == "url" and value:
            return f"<td>{_a(value, value, NOREFERRER)}</td>"
        return f"<td>{e(value)}</td>"

    rows = "".join(
        "<tr>" + "".join(cell(k, row[k]) for k, _label in SOURCE_COLUMNS) + "</tr>"
        for row in reader.source_rows(ds.sources)
    )
    about = _(
        "Every claim on the map quotes one of these documents. Highlighted text is quoted by a "
        "fact (its id and countries in the margin); grey dotted text is quoted by none."
    )
    stored = _("Stored documents")
    body = (
        f'<main class="site-page"><h1>{e(_("Sources"))}</h1><p class="site-lead">{e(about)}</p>'
        f"<h2>{e(stored)}</h2><ul>{docs}</ul>"
        f'<h2>{e(_("Reference sources"))}</h2><div class="site-table"><table><thead><tr>'
        f"{head}</tr></thead><tbody>{rows}</tbody></table></div></main>"
    )
    return shell(lang, page, f"{_('Sources')} · {publish.app_title()}", body, assets)


def document_page(ds: Dataset, lang: Lang, assets: Assets, doc_id: str) -> str:
    """A stored document for reading, each quoted excerpt highlighted (the app's reader)."""
    e = escape
    page = f"{lang.dir}sources/{doc_id}/"
    doc = ds.sources[doc_id]
    spans = reader.spans(ds, doc_id)
    out = reader.render(ds.texts[doc_id], spans)
    cov = out.coverage
    original = f"<p>{_a(doc.url, _('Original'), NOREFERRER)}</p>" if doc.url else ""
    note = f'<p class="atlas-meta">{e(doc.note)}</p>' if doc.note else ""
    uncited = "".join(f"<li>{e(s)}</li>" for s in reader.uncited_sentences(ds.texts[doc_id], spans))
    quoted = _("{cited} of {all}").format(cited=cov.cited_sentences, all=cov.sentences)
    numbers = (
        f'<p class="site-numbers">{e(_("Facts quoting this document"))}: '
        f"<b>{len(out.anchors)}</b> · {e(_('Body sentences quoted'))}: <b>{e(quoted)}</b></p>"
    )
    folded = ngettext(
        "Page furniture folded away ({n} lines)",
        "Page furniture folded away ({n} lines)",
        out.furniture_blocks,
    ).format(n=out.furniture_blocks)
    back = _a(rel(page, lang.dir + "sources/"), _("Sources"))
    body = (
        f'<main class="site-page site-reader"><p class="site-back">{back}</p>'
        f'<h1>{e(doc.title)}</h1><p class="atlas-meta">{e(reader.byline(doc))}</p>'
        f"{original}{note}{numbers}{out.main.removeprefix(reader.STYLE)}"
        f"<details><summary>{e(folded)}</summary>{out.furniture.removeprefix(reader.STYLE)}"
        f"</details><details><summary>{e(_('Sentences no fact quotes'))}</summary>"
        f"<ul>{uncited}</ul></details></main>"
    )
    return shell(lang, page, f"{doc.title} · {publish.app_title()}", body, assets)


def data_page(
    ds: Dataset,
    lang: Lang,
    assets: Assets,
    files: Sequence[tuple[str, str]],
    views: Mapping[str, str],
    today: dt.date,
) -> str:
    """The downloads: (label, site path) of each file, and each colouring's CSV by its key."""
    e = escape
    page = f"{lang.dir}data/"

    def items(pairs: Sequence[tuple[str, str]]) -> str:
        return "".join(
            f"<li>{_a(rel(page, path), label, ' download')}</li>" for label, path in pairs
        )

    specs = ds.catalogue.indicators
    per_view = items([(specs[k].label, path) for k, path in views.items()])
    about = _("Everything on the map, as files. Each fact row carries its full citation.")
    heading = _("The values of each colouring of the map (CSV, as of {day})").format(day=day(today))
    body = (
        f'<main class="site-page"><h1>{e(_("Data"))}</h1>'
        f'<p class="site-lead">{e(about)} {e(lang.version)}.</p><ul>{items(files)}</ul>'
        f"<h2>{e(heading)}</h2><ul>{per_view}</ul></main>"
    )
    return shell(lang, page, f"{_('Data')} · {publish.app_title()}", body, assets)


def not_found(base: str | None) -> str:
    """404.html: served at whatever address was missed, so it links by the public URL only."""
    title = escape(publish.app_title())
    link = f'<p><a href="{escape(base, quote=True)}">{title}</a></p>' if base else ""
    nothing = _("No page at this address.")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>404 · {title}</title></head>"
        '<body style="font-family:system-ui,sans-serif;margin:2rem">'
        f"<h1>404</h1><p>{escape(nothing)}</p>{link}</body></html>\n"
    )
