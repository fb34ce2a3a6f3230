"""Publishing a view of the map: share link, embed code, citation, data version, and the CSV of
exactly what the view shows. Images are `images`' (PNG, SVG), the self-contained HTML file
`standalone`'s.

Pure Python (no Streamlit): the map page calls these through cached wrappers in cache.py.
Every builder takes the dataset and a `selection.View` (indicator, selection, route layer,
"as of" day, chosen signals), so each export shows exactly what the reader sees on the map,
with the same colours, the sources behind the shown values, and the data version.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import urlencode, urlsplit, urlunsplit

from . import i18n, indicators
from . import selection as sel
from .exports import csv_safe
from .i18n import N_, _, ngettext
from .markup import day
from .model import FIVE

if TYPE_CHECKING:
    from .catalogue import AnySpec
    from .dataset import Dataset
    from .indicators import IndicatorResult

APP_TITLE = N_("Central Asia between Russia, the EU and China")
EMBED_HEIGHT = 600  # px: the embedded view (map and compact panel) fits an iframe this high
EMBED_MAP_HEIGHT = 400  # px: the map in it, with room for its legend and data version
NATURAL_EARTH = N_("made with Natural Earth")
MAX_SOURCE_LINES = 5  # the image's source line; the CSV lists every source


def app_title() -> str:
    """The atlas's name in the reader's language."""
    return _(APP_TITLE)


class DataVersion(NamedTuple):
    """The data's version: the date of the latest curated fact, and how many facts there are."""

    latest: dt.date | None
    facts: int

    @property
    def text(self) -> str:
        day = self.latest.isoformat() if self.latest else _("no facts")
        facts = ngettext("{n} fact", "{n} facts", self.facts).format(n=self.facts)
        return _("Data version {day} ({facts})").format(day=day, facts=facts)


def data_version(ds: Dataset) -> DataVersion:
    """(latest fact date, number of facts): shown in the map's footer and in every export."""
    return DataVersion(ds.latest_fact_date, ds.counts()["facts"])


# --- links, embed code, citation ---------------------------------------------------------


def _app_root(base_url: str) -> str:
    """`base_url` without query or fragment, ending in "/" (the map is the app's root page)."""
    parts = urlsplit(base_url.strip())
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def share_url(base_url: str, view: sel.View, page: str = "", **extra: str) -> str:
    """The absolute link that restores `view` on the map page.

    `base_url` is the app's root (the map is its default page), as st.context.url gives it
    on the map page, or the static site's root; a query or fragment in it is dropped. `page`
    is a path below the root (the site's embed page: `SITE_EMBED_PAGE`).
    """
    params = {**extra, **sel.to_query_params(view, view.indicator)}
    return f"{_app_root(base_url)}{page}?{urlencode(params)}"


# The static site (`site`, `python -m central_asia_atlas build-site`): where it is published,
# if anywhere, and its page for an iframe. The app's Share dialog then gives embed code that
# points at the site, which serves any number of readers from static files (docs/publishing.md).
SITE_URL_ENV = "CENTRAL_ASIA_ATLAS_SITE_URL"
SITE_EMBED_PAGE = "embed/"


def site_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The published static site's root URL (the environment variable SITE_URL_ENV, which a
    root-level secret of that name sets on Streamlit Community Cloud), or None if none is set
    or it is not an http(s) URL."""
    raw = (os.environ if environ is None else environ).get(SITE_URL_ENV, "").strip()
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return _app_root(raw)


def embed_url(base_url: str, view: sel.View, site: bool = False) -> str:
    """The address an iframe of `view` loads: the app's view with ``?embed=true``, or with
    `site` the static site's embed page (`base_url` then being the site's root)."""
    if site:
        return share_url(base_url, view, SITE_EMBED_PAGE)
    return share_url(base_url, view, embed="true")


def embed_code(
    base_url: str,
    view: sel.View,
    width: int | str = "100%",
    height: int | str = EMBED_HEIGHT,
    title: str | None = None,
    site: bool = False,
) -> str:
    """Copy-paste iframe code: the app's ``?embed=true`` plus the view, or with `site` the
    static site's embed page (see `embed_url`); every attribute value escaped. The frame's
    title (for screen readers) is the atlas's name in the view's language."""
    src = embed_url(base_url, view, site)
    if title is None:
        with i18n.use(view.lang):
            title = app_title()

    def attr(value: object) -> str:
        return html.escape(str(value), quote=True)

    return (
        f'<iframe src="{attr(src)}" width="{attr(width)}" height="{attr(height)}" '
        f'title="{attr(title)}" aria-label="{attr(title)}" style="border:0" '
        'loading="lazy"></iframe>'
    )


def shown_day(view: sel.View, today: dt.date | None) -> dt.date:
    """The day the view shows: its own, or today."""
    return view.as_of or today or dt.date.today()


def citation(ds: Dataset, view: sel.View, url: str, accessed: dt.date) -> str:
    """One line to cite the view, in its language: title, URL, data version, day accessed."""
    with i18n.use(view.lang):
        return _citation(ds, view, url, accessed)


def _citation(ds: Dataset, view: sel.View, url: str, accessed: dt.date) -> str:
    label = _spec(ds, indicator_key(ds, view)).label
    return _("{title}: “{label}”, map as of {day}. {version}. {url} (accessed {accessed}).").format(
        title=app_title(),
        label=label,
        day=day(shown_day(view, accessed)),
        version=data_version(ds).text,
        url=url,
        accessed=day(accessed),
    )


# --- what is shown -----------------------------------------------------------------------


def indicator_key(ds: Dataset, view: sel.View) -> str:
    """The indicator the view colours by: its own, or the catalogue's default."""
    return view.indicator or ds.catalogue.default_key() or ""


def _spec(ds: Dataset, key: str) -> AnySpec:
    return ds.catalogue.indicators[key]


def results(ds: Dataset, view: sel.View) -> dict[str, IndicatorResult]:
    """The indicator's value for each of the five, as the map shows it for `view`."""
    return indicators.compute(ds, indicator_key(ds, view), as_of=view.as_of, signals=view.signals)


def _shown_facts(shown: Mapping[str, IndicatorResult]) -> list[str]:
    return list(dict.fromkeys(f for iso3 in FIVE if iso3 in shown for f in shown[iso3].facts))


def outlets(ds: Dataset, shown: Mapping[str, IndicatorResult]) -> list[str]:
    """The outlets of the facts behind the shown values, each once, alphabetically."""
    found = set()
    for fid in _shown_facts(shown):
        fact = ds.fact(fid)
        src = ds.sources.get(fact.source) if fact else None
        if src is not None:
            found.add(src.credit)
    return sorted(found, key=str.casefold)


def source_line(ds: Dataset, shown: Mapping[str, IndicatorResult]) -> str:
    """ "Sources: <outlets>; made with Natural Earth" """
    names = outlets(ds, shown)
    listed = "; ".join(names) if names else _("no facts cited")
    return _("Sources: {list}; {natural_earth}").format(list=listed, natural_earth=_(NATURAL_EARTH))


def _names(ds: Dataset) -> dict[str, str]:
    return {c.props.iso3: c.props.name for c in ds.countries}


# --- CSV of what is shown ----------------------------------------------------------------

SHOWN_COLUMNS = (
    "country",
    "iso3",
    "indicator",
    "indicator_label",
    "value",
    "unit",
    "period",
    "map_year",
    "other_period",
    "statistics",
    "shown",
    "legend_class",
    "note",
    "as_of",
    "fact_ids",
    "source_titles",
    "source_urls",
    "data_version",
)


def shown_rows(
    ds: Dataset, view: sel.View, today: dt.date | None = None
) -> list[dict[str, object]]:
    """One row per country: the value the map shows, its unit and period, its facts, sources."""
    spec = _spec(ds, indicator_key(ds, view))
    shown = results(ds, view)
    names = _names(ds)
    version = data_version(ds).text
    labels = {value: label for value, label, _ in indicators.legend_entries(spec)}
    unit = getattr(spec, "unit", "")
    rows: list[dict[str, object]] = []
    for iso3 in FIVE:
        res = shown.get(iso3)
        if res is None:
            continue
        reading = res.reading
        srcs = []
        for fid in res.facts:
            fact = ds.fact(fid)
            src = ds.sources.get(fact.source) if fact else None
            if src is not None and src not in srcs:
                srcs.append(src)
        no_data = res.value == indicators.NO_DATA
        rows.append(
            {
                "country": names.get(iso3, iso3),
                "iso3": iso3,
                "indicator": indicator_key(ds, view),
                "indicator_label": spec.label,
                "value": "" if no_data else (reading.number if reading else res.value),
                "unit": unit if reading else "",
                "period": reading.period.text if reading else "",
                "map_year": res.map_year or "",
                "other_period": ("yes" if res.other_period else "no") if reading else "",
                "statistics": (reading.statistics or "") if reading else "",
                "shown": res.label,
                "legend_class": labels.get(indicators.legend_value(spec, res), res.value),
                "note": res.note or "",
                "as_of": shown_day(view, today).isoformat(),
                "fact_ids": "; ".join(res.facts),
                "source_titles": "; ".join(s.title for s in srcs),
                "source_urls": "; ".join(dict.fromkeys(s.url for s in srcs if s.url)),
                "data_version": version,
            }
        )
    return rows


def shown_csv(ds: Dataset, view: sel.View, today: dt.date | None = None) -> str:
    """CSV of exactly what the map shows (formula-like cells neutralised, see `csv_safe`), its
    values in the view's language (its column names are stable English keys)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(SHOWN_COLUMNS), lineterminator="\n")
    writer.writeheader()
    with i18n.use(view.lang):
        writer.writerows(csv_safe(shown_rows(ds, view, today)))
    return out.getvalue()
