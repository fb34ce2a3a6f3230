"""The atlas as a static site, which any static host or CDN serves to any number of readers:
`python -m central_asia_atlas build-site OUT [--base-url URL]`.

What it writes (docs/publishing.md says how to publish it):

- `index.html`, the map, and `embed/index.html`, the view for an iframe (600 px high);
- `country/<ISO3>/`, `route/<id>/`, `event/<id>/`: each panel as a page that reads without
  JavaScript; `sources/`, and a page per stored document with its excerpts highlighted;
- `data/`: the app's downloads, the data version in each name;
- `assets/`: Leaflet, the site's script and style, the basemap, each colouring's map over the
  days and each panel, each named by a hash of its content (a CDN may keep them for ever);
  pages carry the data version and are cached briefly (`_headers` says so where the host
  reads it);
- every other language of `i18n.languages()` under its code (`ru/...`), English at the root.

The pages come from `sitepages`, the "as of a day" variants from `siteviews`, and everything
in them from the app's own functions. Every link is relative (the site works under any path)
and nothing is fetched from another origin.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from . import exports, i18n, indicators, mapview, panel, publish, reader, siteviews, standalone
from . import selection as sel
from .dataset import BASEMAP_FILE, ROOT, Dataset, current_data_dir
from .i18n import _
from .sitepages import (
    Assets,
    Lang,
    Links,
    MapData,
    country_page,
    data_page,
    document_page,
    embed_page,
    line_page,
    links_for,
    map_page,
    not_found,
    rel,
    script_json,
    sources_page,
)
from .timeline import date_range
from .viewstate import day_range

STATIC = ROOT / "static"
SITE_STATIC = STATIC / "site"
MANIFEST = "site-manifest.json"  # every file of a build: a directory holding one may be rebuilt
ASSETS = "assets/"
HASH_CHARS = 10
IMMUTABLE = "public, max-age=31536000, immutable"


class SiteError(Exception):
    """The site cannot be built as asked (a directory that is not a site, a bad URL)."""


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_CHARS]


def version_slug(ds: Dataset) -> str:
    """The data version as file names carry it: the latest fact's day and the facts' count."""
    v = publish.data_version(ds)
    return f"{v.latest.isoformat() if v.latest else 'undated'}-{v.facts}"


def base_url_of(raw: str | None) -> str | None:
    """The site's public URL ending in "/" (for canonical links and the sitemap), or None."""
    if raw is None:
        return None
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SiteError(f"the base URL must be an http(s) URL without query or fragment: {raw!r}")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{quote(path)}"


# --- the files ------------------------------------------------------------------------------


@dataclass
class Output:
    """The files of a build, in memory until `write`: site path -> bytes."""

    files: dict[str, bytes] = field(default_factory=dict)

    def put(self, path: str, data: bytes | str) -> str:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if self.files.get(path, raw) != raw:
            raise SiteError(f"two different files for {path}")
        self.files[path] = raw
        return path

    def asset(self, stem: str, ext: str, data: bytes | str) -> str:
        """An asset named by its content: `assets/<stem>.<hash>.<ext>`."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        return self.put(f"{ASSETS}{stem}.{content_hash(raw)}.{ext}", raw)

    def page(self, path: str, html: str) -> str:
        """The page at directory `path` ("" is the root, "country/KAZ/" a country's)."""
        return self.put(f"{path}index.html", html)

    def pages(self) -> list[str]:
        return sorted(p for p in self.files if p.endswith(".html"))


def check_target(target: Path) -> None:
    """Refuse a `target` that is neither new, nor empty, nor an earlier build: nothing but a
    site this command wrote is ever emptied."""
    if target.exists() and not target.is_dir():
        raise SiteError(f"{target} is not a directory")
    if target.is_dir() and any(target.iterdir()) and not (target / MANIFEST).is_file():
        raise SiteError(
            f"{target} is not empty and holds no {MANIFEST}: give a new or empty directory, "
            "or one that build-site wrote"
        )


def write(out: Output, target: Path) -> None:
    """Write the build into `target` (see `check_target`), replacing an earlier build."""
    check_target(target)
    if target.is_dir():
        for child in target.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    target.mkdir(parents=True, exist_ok=True)
    listing = {p: content_hash(b) for p, b in sorted(out.files.items())}
    files = {**out.files, MANIFEST: (json.dumps(listing, indent=1) + "\n").encode()}
    for path, data in files.items():
        dest = target / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


# --- assets ---------------------------------------------------------------------------------


def _unstyled(block: str) -> str:
    return block.removeprefix("<style>").removesuffix("</style>").strip()


def shared_assets(out: Output, basemap: Mapping[str, Any]) -> Assets:
    """Leaflet (its images named by content), the site's script, its style (the panel's, the
    reader's and its own), the basemap; and Leaflet's licence."""
    css, js = standalone.leaflet_files(
        lambda name, png: rel(ASSETS, out.asset(Path(name).stem, "png", png))
    )
    style = "\n".join(
        [
            _unstyled(panel.STYLE),
            _unstyled(reader.STYLE),
            (SITE_STATIC / "site.css").read_text(encoding="utf-8"),
        ]
    )
    out.put("licences/leaflet.txt", (standalone.LEAFLET_DIR / "LICENSE").read_bytes())
    return Assets(
        leaflet_js=out.asset("leaflet", "js", js),
        leaflet_css=out.asset("leaflet", "css", css),
        site_js=out.asset("site", "js", (SITE_STATIC / "site.js").read_bytes()),
        site_css=out.asset("site", "css", style),
        basemap=out.asset("basemap", "json", mapview.basemap_json(basemap)),
    )


def map_data(
    ds: Dataset, out: Output, links: Links, today: dt.date, csv: Mapping[str, str]
) -> MapData:
    """A language's assets for the map and the embed: each colouring over the days, each
    panel (a country's with its pieces over the days), the slider's days' labels."""
    lang = links.lang.code
    spans = siteviews.stretches(siteviews.change_days(ds))
    by_day = siteviews.tables(ds, spans)
    states = {
        key: out.asset(
            f"map-{lang}-{key}", "json", script_json(siteviews.map_states(ds, key, spans, by_day))
        )
        for key in ds.catalogue.indicators
    }
    lo, hi = day_range(*date_range(ds, today))
    labels = out.asset(f"days-{lang}", "json", script_json(siteviews.day_labels(lo, hi)))
    relink = links.relinker(ASSETS)  # the page resolves a panel's links against its address
    panels: dict[str, str] = {}
    names: dict[str, str] = {}
    for c in ds.countries:
        key = f"country:{c.props.iso3}"
        stem = f"ties-{lang}-{c.props.iso3}"

        def store(html: str, stem: str = stem) -> str:  # beside the panel, in assets/
            return out.asset(stem, "json", script_json(html)).removeprefix(ASSETS)

        parts = siteviews.country_panel(ds, c.props.iso3, spans, by_day, relink, store)
        panels[key] = out.asset(f"panel-{lang}-country-{c.props.iso3}", "json", script_json(parts))
        names[key] = c.props.name
    lines: list[tuple[sel.SelectionKind, str, str]] = [
        *(("route", r.props.id, r.props.name) for r in ds.routes),
        *(("event", v.props.id, v.props.name) for v in ds.events),
    ]
    for kind, ident, name in lines:
        parts = siteviews.line_panel(ds, kind, ident, relink)
        panels[f"{kind}:{ident}"] = out.asset(
            f"panel-{lang}-{kind}-{ident}", "json", script_json(parts)
        )
        names[f"{kind}:{ident}"] = name
    return MapData(states, panels, names, labels, dict(csv), (lo, hi))


def data_files(
    ds: Dataset, out: Output, lang: Lang, today: dt.date, data_dir: Path
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The app's downloads under data/, the data version in each name: (label, site path) of
    each, and each colouring's CSV of what the map shows (as of `today`) by its key."""
    v = version_slug(ds)
    base = f"{lang.dir}data/"
    files = [
        (
            _("Facts (CSV, one row per fact)"),
            out.put(f"{base}facts-{v}.csv", exports.facts_csv(ds)),
        ),
        (
            _("Indicator values (CSV)"),
            out.put(f"{base}indicator-values-{v}.csv", exports.values_csv(ds)),
        ),
        (
            _("Sources (CSL-JSON)"),
            out.put(f"{base}sources-{v}.csl.json", exports.sources_csl_json(ds)),
        ),
        (_("Sources (BibTeX)"), out.put(f"{base}sources-{v}.bib", exports.sources_bibtex(ds))),
    ]
    for name, raw in exports.geojson_files(data_dir).items():
        label = _("{name} (GeoJSON, as shipped)").format(name=name)
        files.append((label, out.put(f"{base}{name.removesuffix('.geojson')}-{v}.geojson", raw)))
    views = {
        key: out.put(
            f"{base}view-{key}-{v}.csv", publish.shown_csv(ds, sel.View(indicator=key), today)
        )
        for key in ds.catalogue.indicators
    }
    return files, views


# --- the build ------------------------------------------------------------------------------


def build(
    ds: Dataset,
    base_url: str | None = None,
    today: dt.date | None = None,
    languages: Sequence[str] | None = None,
    data_dir: Path | None = None,
) -> Output:
    """Every file of the site, in memory (see `write`), for each of `languages` (default: every
    language with a catalog), the slider ending on `today` (default: the day of the build);
    the GeoJSON downloads and the basemap from `data_dir` (default: the data in force)."""
    today = today or dt.date.today()
    data_dir = data_dir or current_data_dir()
    base = base_url_of(base_url)
    codes = tuple(languages or i18n.languages())
    out = Output()
    neighbours = mapview.load_basemap(data_dir / BASEMAP_FILE)
    assets = shared_assets(out, neighbours)
    for code in codes:
        with i18n.use(code):
            lang = Lang(code, codes, base, publish.data_version(ds).text)
            _build_language(ds, out, lang, assets, neighbours, today, data_dir)
    out.put(".nojekyll", b"")  # GitHub Pages: serve the files as they are
    out.put("_headers", f"/{ASSETS}*\n  Cache-Control: {IMMUTABLE}\n")  # Netlify, Cloudflare
    out.put("404.html", not_found(base))
    if base:
        urls = "".join(
            f"<url><loc>{escape(base + p.removesuffix('index.html'))}</loc></url>"
            for p in out.pages()
            if p.endswith("index.html") and not p.endswith("embed/index.html")
        )
        out.put(
            "sitemap.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n',
        )
        out.put("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n")
    return out


def _build_language(
    ds: Dataset,
    out: Output,
    lang: Lang,
    assets: Assets,
    basemap: Mapping[str, Any],
    today: dt.date,
    data_dir: Path,
) -> None:
    links = links_for(ds, lang)
    files, views = data_files(ds, out, lang, today, data_dir)
    data = map_data(ds, out, links, today, views)
    out.page(lang.dir, map_page(ds, lang, assets, data, basemap))
    out.page(f"{lang.dir}embed/", embed_page(ds, lang, assets, data, basemap))
    table = {key: indicators.compute(ds, key) for key in ds.catalogue.indicators}
    for c in ds.countries:
        iso3 = c.props.iso3
        out.page(f"{lang.dir}country/{iso3}/", country_page(ds, lang, assets, links, iso3, table))
    for r in ds.routes:
        out.page(
            f"{lang.dir}route/{r.props.id}/",
            line_page(ds, lang, assets, links, "route", r.props.id),
        )
    for v in ds.events:
        out.page(
            f"{lang.dir}event/{v.props.id}/",
            line_page(ds, lang, assets, links, "event", v.props.id),
        )
    out.page(f"{lang.dir}sources/", sources_page(ds, lang, assets))
    for d in reader.documents(ds):
        out.page(f"{lang.dir}sources/{d.id}/", document_page(ds, lang, assets, d.id))
    out.page(f"{lang.dir}data/", data_page(ds, lang, assets, files, views, today))


def build_site(
    ds: Dataset,
    target: Path,
    base_url: str | None = None,
    today: dt.date | None = None,
    data_dir: Path | None = None,
) -> Output:
    """Build the site and write it into `target` (see `build` and `write`)."""
    check_target(target)  # before the build's seconds, not after
    out = build(ds, base_url, today, data_dir=data_dir)
    write(out, target)
    return out
