"""Publishing a view of the map: share link, embed code, citation, PNG/SVG, standalone HTML, CSV.

Pure Python (no Streamlit): the map page calls these through cached wrappers in cache.py.
Every builder takes the dataset and a `MapView` (indicator, selection, route layer, "as of"
day, chosen signals), so each export shows exactly what the reader sees on the map, with the
same colours, the sources behind the shown values, and the data version.

Images are drawn on the server with geopandas and matplotlib (Agg, no browser). SVG text is
kept as text (``svg.fonttype: none``): a newsroom's graphics desk can restyle and translate
it, a screen reader and a search engine can read it, and the file stays small; matplotlib
XML-escapes every string it writes, and mathtext is off for every text we draw
(``parse_math=False``), so a ``$`` in a name stays a dollar sign.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import re
import textwrap
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlencode, urlsplit, urlunsplit

from shapely.geometry import Point, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from . import indicators, mapstyle
from . import selection as sel
from .dataset import ROOT
from .exports import csv_safe
from .markup import day
from .model import FIVE

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure

    from .catalogue import AnySpec
    from .dataset import Dataset
    from .indicators import IndicatorResult

__all__ = [
    "MapView",
    "citation",
    "csv_safe",
    "data_version",
    "embed_code",
    "map_png",
    "map_svg",
    "share_url",
    "shown_csv",
    "standalone_html",
]

APP_TITLE = "Central Asia between Russia, the EU and China"
LEAFLET_DIR = ROOT / "static" / "leaflet"
EMBED_HEIGHT = 600  # px: the embedded view (map and compact panel) fits an iframe this high
EMBED_MAP_HEIGHT = 400  # px: the map in it, with room for its legend and data version
NATURAL_EARTH = "made with Natural Earth"
MAX_SOURCE_LINES = 5  # the image's source line; the CSV lists every source

# The image: 12 inches wide at 150 dpi = 1800 px (a newsroom asks for >= 1600); its height
# follows the map's aspect and the length of the title and source line (about 1100 px).
FIG_WIDTH = 12.0
MAP_SHARE = 0.70  # of the width; the legend takes the rest
PNG_DPI = 150
COUNTRY_ALPHA = 0.85  # as mapview draws the choropleth (fillOpacity), over the same water
_WEB_MERCATOR = "EPSG:3857"  # Leaflet's projection: the image looks like the map
_DRAW_LOCK = threading.Lock()  # rcParams are global: one drawing at a time per process


class DataVersion(NamedTuple):
    """The data's version: the date of the latest curated fact, and how many facts there are."""

    latest: dt.date | None
    facts: int

    @property
    def text(self) -> str:
        day = self.latest.isoformat() if self.latest else "no facts"
        return f"Data version {day} ({self.facts} fact{'s' if self.facts != 1 else ''})"


def data_version(ds: Dataset) -> DataVersion:
    """(latest fact date, number of facts): shown in the map's footer and in every export."""
    return DataVersion(ds.latest_fact_date, ds.counts()["facts"])


@dataclass(frozen=True)
class MapView:
    """What an export shows: the map page's view, its "as of" day, the chosen signals."""

    indicator: str
    selection: sel.Selection | None = None
    routes: bool = True
    as_of: dt.date | None = None  # None: today (every fact)
    signals: tuple[str, ...] | None = None  # the Compare page's choice (None: all)

    @classmethod
    def of(
        cls,
        view: sel.View,
        default: str,
        as_of: dt.date | None = None,
        signals: tuple[str, ...] | None = None,
    ) -> MapView:
        """From the page's canonical `selection.View` (its indicator None: `default`)."""
        return cls(view.indicator or default, view.selection, view.routes, as_of, signals)

    def query_params(self) -> dict[str, str]:
        """The query parameters the map page restores this view from (see viewstate.start)."""
        params = sel.to_query_params(
            sel.View(self.selection, self.indicator, self.routes), self.indicator
        )
        if self.as_of is not None:
            params["as_of"] = self.as_of.isoformat()
        return params


# --- links, embed code, citation ---------------------------------------------------------


def _app_root(base_url: str) -> str:
    """`base_url` without query or fragment, ending in "/" (the map is the app's root page)."""
    parts = urlsplit(base_url.strip())
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def share_url(base_url: str, view: MapView, **extra: str) -> str:
    """The absolute link that restores `view` on the map page.

    `base_url` is the app's root (the map is its default page), as st.context.url gives it
    on the map page; a query or fragment in it is dropped.
    """
    params = {**extra, **view.query_params()}
    return f"{_app_root(base_url)}?{urlencode(params)}"


def embed_code(
    base_url: str,
    view: MapView,
    width: int | str = "100%",
    height: int | str = EMBED_HEIGHT,
    title: str = APP_TITLE,
) -> str:
    """Copy-paste iframe code: ``?embed=true`` plus the view; every attribute value escaped."""
    src = share_url(base_url, view, embed="true")

    def attr(value: object) -> str:
        return html.escape(str(value), quote=True)

    return (
        f'<iframe src="{attr(src)}" width="{attr(width)}" height="{attr(height)}" '
        f'title="{attr(title)}" aria-label="{attr(title)}" style="border:0" '
        'loading="lazy"></iframe>'
    )


def _shown_day(view: MapView, today: dt.date | None) -> dt.date:
    return view.as_of or today or dt.date.today()


def citation(ds: Dataset, view: MapView, url: str, accessed: dt.date) -> str:
    """One line to cite the view: title, URL, data version, day accessed."""
    label = _spec(ds, view.indicator).label
    return (
        f"{APP_TITLE}: “{label}”, map as of {day(_shown_day(view, accessed))}. "
        f"{data_version(ds).text}. {url} (accessed {day(accessed)})."
    )


# --- what is shown -----------------------------------------------------------------------


def _spec(ds: Dataset, key: str) -> AnySpec:
    return ds.catalogue.indicators[key]


def results(ds: Dataset, view: MapView) -> dict[str, IndicatorResult]:
    """The indicator's value for each of the five, as the map shows it for `view`."""
    return indicators.compute(ds, view.indicator, as_of=view.as_of, signals=view.signals)


def _shown_facts(shown: Mapping[str, IndicatorResult]) -> list[str]:
    return list(dict.fromkeys(f for iso3 in FIVE if iso3 in shown for f in shown[iso3].facts))


def outlets(ds: Dataset, shown: Mapping[str, IndicatorResult]) -> list[str]:
    """The outlets of the facts behind the shown values, each once, alphabetically."""
    found = set()
    for fid in _shown_facts(shown):
        fact = ds.fact(fid)
        src = ds.sources.get(fact.source) if fact else None
        if src is not None:
            found.add(src.outlet)
    return sorted(found, key=str.casefold)


def source_line(ds: Dataset, shown: Mapping[str, IndicatorResult]) -> str:
    """ "Sources: <outlets>; made with Natural Earth" """
    names = outlets(ds, shown)
    return f"Sources: {'; '.join(names) if names else 'no facts cited'}; {NATURAL_EARTH}"


@dataclass(frozen=True)
class LegendEntry:
    value: str
    label: str
    color: str
    count: int  # how many of the five fall in it


def legend(ds: Dataset, key: str, shown: Mapping[str, IndicatorResult]) -> list[LegendEntry]:
    """The indicator's classes, "no data" last, with how many of the five fall in each."""
    spec = _spec(ds, key)
    counts: dict[str, int] = {}
    for res in shown.values():
        v = indicators.legend_value(spec, res)
        counts[v] = counts.get(v, 0) + 1
    return [
        LegendEntry(value, label, color, counts.get(value, 0))
        for value, label, color in indicators.legend_entries(spec)
    ]


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


def shown_rows(ds: Dataset, view: MapView, today: dt.date | None = None) -> list[dict[str, object]]:
    """One row per country: the value the map shows, its unit and period, its facts, sources."""
    spec = _spec(ds, view.indicator)
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
                "indicator": view.indicator,
                "indicator_label": spec.label,
                "value": "" if no_data else (reading.number if reading else res.value),
                "unit": unit if reading else "",
                "period": reading.period.text if reading else "",
                "statistics": (reading.statistics or "") if reading else "",
                "shown": res.label,
                "legend_class": labels.get(indicators.legend_value(spec, res), res.value),
                "note": res.note or "",
                "as_of": _shown_day(view, today).isoformat(),
                "fact_ids": "; ".join(res.facts),
                "source_titles": "; ".join(s.title for s in srcs),
                "source_urls": "; ".join(dict.fromkeys(s.url for s in srcs if s.url)),
                "data_version": version,
            }
        )
    return rows


def shown_csv(ds: Dataset, view: MapView, today: dt.date | None = None) -> str:
    """CSV of exactly what the map shows (formula-like cells neutralised, see `csv_safe`)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(SHOWN_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_safe(shown_rows(ds, view, today)))
    return out.getvalue()


# --- images: PNG and SVG -----------------------------------------------------------------


# matplotlib and geopandas are imported when an image is first drawn, not with the app
# (a third of a second of every cold start otherwise).


def _project(geoms: Sequence[BaseGeometry | None]) -> gpd.GeoSeries:
    import geopandas as gpd

    return gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(_WEB_MERCATOR)


def _xy(lon: float, lat: float) -> tuple[float, float]:
    p = _project([Point(lon, lat)]).iloc[0]
    return float(p.x), float(p.y)


def _label_point(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "Polygon"]
    return polylabel(max(parts, key=lambda p: p.area), tolerance=0.05) if parts else geom.centroid


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]


def _text(target: Any, x: float, y: float, s: str, **kw: Any) -> None:
    """Text with mathtext off: data text is drawn as given (a "$" stays a dollar sign)."""
    target.text(x, y, s, parse_math=False, **kw)


def _draw(
    ds: Dataset, view: MapView, basemap: Mapping[str, Any] | None, today: dt.date | None
) -> Figure:
    from matplotlib import patheffects
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    from . import mapview  # folium: imported when a map is drawn

    halo = [patheffects.withStroke(linewidth=2.5, foreground="#ffffff")]
    spec = _spec(ds, view.indicator)
    shown = results(ds, view)
    (south, west), (north, east) = mapview.FIT_BOUNDS
    x0, y0 = _xy(west, south)
    x1, y1 = _xy(east, north)

    # Layout in inches: title band, the map (its width fixed, its height by its aspect), and
    # the source line; the legend beside the map.
    title_lines = _wrap(spec.label, 95)[:2]
    lines = _wrap(source_line(ds, shown), 175)
    if len(lines) > MAX_SOURCE_LINES:
        lines = [
            *lines[: MAX_SOURCE_LINES - 1],
            lines[MAX_SOURCE_LINES - 1] + " … (all in the CSV)",
        ]
    foot_lines = [*lines, data_version(ds).text]
    width = FIG_WIDTH
    top = 0.55 + 0.3 * len(title_lines)
    map_w = width * MAP_SHARE
    map_h = map_w * (y1 - y0) / (x1 - x0)
    bottom = 0.25 + 0.17 * len(foot_lines)
    height = top + map_h + bottom
    fig = Figure(figsize=(width, height), facecolor="#ffffff")
    FigureCanvasAgg(fig)

    def fy(inches_from_top: float) -> float:
        return 1 - inches_from_top / height

    _text(
        fig,
        0.15 / width,
        fy(0.15),
        "\n".join(title_lines),
        fontsize=16,
        fontweight="bold",
        va="top",
        ha="left",
    )
    sub = f"As of {day(_shown_day(view, today))} · {APP_TITLE}"
    _text(
        fig,
        0.15 / width,
        fy(0.2 + 0.3 * len(title_lines)),
        sub,
        fontsize=11,
        color="#444444",
        va="top",
        ha="left",
    )
    _text(
        fig,
        0.15 / width,
        0.1 / height,
        "\n".join(foot_lines),
        fontsize=8.5,
        color="#333333",
        va="bottom",
        ha="left",
        linespacing=1.35,
    )

    # The map, in Leaflet's projection, over the map's water colour.
    ax = fig.add_axes((0.15 / width, bottom / height, map_w / width, map_h / height))
    ax.set_facecolor(mapview.WATER)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_edgecolor("#999999")

    base = basemap if basemap is not None else mapview.load_basemap()
    neighbours = [shape(f["geometry"]) for f in base["features"]]
    if neighbours:
        _project(neighbours).plot(
            ax=ax, facecolor=mapview.LAND, edgecolor=mapview.LAND_EDGE, linewidth=0.6
        )
        ax.collections[-1].set_gid("neighbours")
    for name, lat, lon in mapview.label_points(base):
        if not west + 2 < lon < east - 1:  # a name at the edge would be cut off
            continue
        x, y = _xy(lon, lat)
        _text(
            ax,
            x,
            y,
            name,
            fontsize=9,
            fontstyle="italic",
            color=mapview.LABEL,
            ha="center",
            va="center",
            path_effects=halo,
            clip_on=True,
        )

    for c in ds.countries:
        if c.geometry is None:
            continue
        res = shown.get(c.props.iso3)
        color = res.color if res else indicators.NO_DATA_COLOR
        shapes = _project([c.geometry])
        n = len(ax.collections)
        shapes.plot(ax=ax, facecolor=color, alpha=COUNTRY_ALPHA, edgecolor="none", linewidth=0)
        for coll in ax.collections[n:]:
            coll.set_gid(f"country-{c.props.iso3}")
        shapes.boundary.plot(ax=ax, color=mapview.COUNTRY_EDGE, linewidth=0.9)
    chosen = view.selection
    if chosen is not None and chosen.kind == "country":
        country = ds.country(chosen.id)
        if country is not None and country.geometry is not None:
            _project([country.geometry]).plot(
                ax=ax, facecolor="none", edgecolor=mapview.HIGHLIGHT, linewidth=2.8
            )
            ax.collections[-1].set_gid(f"selected-{chosen.id}")

    if view.routes:
        _draw_routes(ds, ax, chosen)
    for c in ds.countries:
        if c.geometry is None:
            continue
        cap = c.props.capital
        # not on the capital's marker and name (drawn to its right)
        room = c.geometry.difference(
            box(cap.lon - 1.0, cap.lat - 1.0, cap.lon + 4.5, cap.lat + 1.0)
        )
        pt = _project([_label_point(room if not room.is_empty else c.geometry)]).iloc[0]
        _text(
            ax,
            pt.x,
            pt.y,
            c.props.name,
            fontsize=10.5,
            fontweight="bold",
            color="#1a1a1a",
            ha="center",
            va="center",
            path_effects=halo,
            clip_on=True,
        )
        x, y = _xy(cap.lon, cap.lat)
        ax.plot(
            [x],
            [y],
            marker="o",
            markersize=4.5,
            markerfacecolor="#ffffff",
            markeredgecolor="#000000",
            markeredgewidth=0.8,
            zorder=6,
        )
        _text(
            ax,
            x,
            y,
            "  " + cap.name,
            fontsize=8,
            color="#222222",
            ha="left",
            va="center",
            path_effects=halo,
            clip_on=True,
            zorder=6,
        )

    # The legend, to the right: the indicator's classes with "no data", then the routes.
    ax.set_xlabel("")  # geopandas labels the projected axes: not for readers
    ax.set_ylabel("")
    lg_left = (0.45 + map_w) / width
    lg = fig.add_axes((lg_left, bottom / height, 1 - lg_left - 0.1 / width, map_h / height))
    lg.set_axis_off()
    lg.set_xlim(0, 1)
    lg.set_ylim(0, 1)
    y = 0.99
    for line in _wrap(spec.label, 34)[:4]:
        _text(lg, 0.0, y, line, fontsize=10, fontweight="bold", va="top")
        y -= 0.032
    y -= 0.012
    for entry in legend(ds, view.indicator, shown):
        lg.add_patch(
            Rectangle(
                (0.0, y - 0.024),
                0.07,
                0.024,
                facecolor=entry.color,
                alpha=COUNTRY_ALPHA,
                edgecolor="#555555",
                linewidth=0.6,
            )
        )
        wrapped = _wrap(f"{entry.label} ({entry.count})", 36)[:2]
        for i, line in enumerate(wrapped):
            _text(lg, 0.1, y - 0.012 - 0.028 * i, line, fontsize=9, va="center")
        y -= 0.038 + 0.028 * (len(wrapped) - 1)
    if view.routes:
        y -= 0.03
        _text(lg, 0.0, y, "Energy export routes", fontsize=10, fontweight="bold", va="top")
        y -= 0.05
        for color, dashed, label in (
            (mapstyle.ROUTE_VIA_RUSSIA, False, "Transits Russia"),
            (mapstyle.ROUTE_AVOIDING_RUSSIA, False, "Avoids Russia"),
            ("#555555", True, "Dashed: schematic line or proposed route"),
        ):
            lg.add_line(
                Line2D(
                    [0.0, 0.07],
                    [y, y],
                    color=color,
                    linewidth=2.4,
                    linestyle=_DASH if dashed else "-",
                )
            )
            _text(lg, 0.1, y, label, fontsize=9, va="center")
            y -= 0.038
        lg.plot(
            [0.035],
            [y],
            marker="o",
            markersize=7,
            markerfacecolor=mapstyle.EVENT_FILL,
            markeredgecolor="#ffffff",
        )
        _text(lg, 0.1, y, "Dated event", fontsize=9, va="center")
    return fig


# Leaflet's dash "8 6" (px) at 0.75 pt per px; dashes are not scaled by the line width.
_DASH = (0, (6.0, 4.5))


def _draw_routes(ds: Dataset, ax: Any, chosen: sel.Selection | None) -> None:
    from . import mapview  # folium: imported when a map is drawn

    picked = chosen.id if chosen is not None and chosen.kind == "route" else None
    for f in mapview.route_features(ds)["features"]:
        p = f["properties"]
        if not f["geometry"]:
            continue
        line = _project([shape(f["geometry"])])
        wide = p["id"] == picked
        line.plot(
            ax=ax, color=mapview.ROUTE_CASING, linewidth=5.0 if wide else 3.6, alpha=0.9, zorder=4
        )
        line.plot(
            ax=ax,
            color=p["color"],
            linewidth=3.6 if wide else 2.2,
            zorder=4,
            linestyle=_DASH if p["dashed"] else "-",
            capstyle="butt" if p["dashed"] else "round",
        )
        ax.collections[-1].set_gid(f"route-{p['id']}")
    picked_event = chosen.id if chosen is not None and chosen.kind == "event" else None
    for f in mapview.event_features(ds)["features"]:
        lon, lat = f["geometry"]["coordinates"]
        x, y = _xy(lon, lat)
        big = picked_event in f["properties"]["ids"].split(",")
        ax.plot(
            [x],
            [y],
            marker="o",
            markersize=9 if big else 7,
            markerfacecolor=mapstyle.EVENT_FILL,
            markeredgecolor="#ffffff",
            markeredgewidth=1.5,
            alpha=0.9,
            zorder=5,
        )


_RC: Any = {
    "svg.fonttype": "none",  # text stays text (see the module docstring)
    "svg.hashsalt": "central-asia-atlas",  # stable ids: the same view gives the same file
    "text.usetex": False,  # never hand data text to LaTeX
    "text.parse_math": False,  # nor to mathtext: "$" is a dollar sign (also per text)
    "lines.scale_dashes": False,
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs everywhere
}


def _render(
    ds: Dataset,
    view: MapView,
    fmt: str,
    basemap: Mapping[str, Any] | None,
    today: dt.date | None,
) -> bytes:
    label = _spec(ds, view.indicator).label
    meta: dict[str, str | None]
    if fmt == "svg":
        meta = {
            "Title": label,
            "Date": None,
            "Creator": APP_TITLE,
            "Description": f"{source_line(ds, results(ds, view))}. {data_version(ds).text}",
        }
    else:
        meta = {"Title": label, "Software": APP_TITLE, "Source": data_version(ds).text}
    import matplotlib

    matplotlib.use("Agg")  # no display: draw into memory only
    with _DRAW_LOCK, matplotlib.rc_context(_RC):
        fig = _draw(ds, view, basemap, today)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=meta)
    return buf.getvalue()


def map_png(
    ds: Dataset,
    view: MapView,
    basemap: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The view as a PNG, 1800 px wide: map, legend with "no data", title, day, sources."""
    return _render(ds, view, "png", basemap, today)


def map_svg(
    ds: Dataset,
    view: MapView,
    basemap: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The view as an SVG (text as text, every data string XML-escaped by matplotlib)."""
    return _render(ds, view, "svg", basemap, today)


# --- standalone HTML ---------------------------------------------------------------------

_CSS_URL = re.compile(r"url\((['\"]?)images/([A-Za-z0-9_.-]+\.png)\1\)")


def leaflet_inline() -> str:
    """Leaflet's CSS (its images as data: URLs) and JS, as inline <style> and <script>."""
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")

    def data_url(m: re.Match[str]) -> str:
        png = (LEAFLET_DIR / "images" / m.group(2)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    css = _CSS_URL.sub(data_url, css)
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)  # no .map request
    if "</" in css or re.search(r"</script", js, re.IGNORECASE):
        raise ValueError("Leaflet's files would close their inline tags early")
    return f"<style>{css}</style>\n<script>{js}</script>"


_PAGE_CSS = """<style>
html, body { margin: 0; padding: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto,
  sans-serif; }
.atlas-box { position: absolute; z-index: 1000; background: rgba(255,255,255,.94);
  color: #1a1a1a; padding: 8px 10px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,.3);
  font-size: 12px; line-height: 1.45; max-width: min(380px, 80vw); }
.atlas-title { top: 10px; left: 54px; }
.atlas-title h1 { font-size: 15px; margin: 0; }
.atlas-legend-box { bottom: 30px; left: 10px; max-height: 45vh; overflow: auto; }
.atlas-foot { bottom: 30px; right: 10px; max-width: min(460px, 60vw); }
.atlas-swatch { display: inline-block; width: 14px; height: 11px; margin-right: 6px;
  vertical-align: middle; border: 1px solid #555; }
.atlas-line { display: inline-block; width: 24px; height: 0; margin-right: 6px;
  vertical-align: middle; border-top-width: 4px; }
.atlas-meta { color: #444; }
@media (max-width: 600px) { .atlas-foot { left: 10px; bottom: auto; top: 70px; } }
</style>"""


def _legend_html(entries: Iterable[LegendEntry], routes: bool) -> str:
    e = html.escape
    rows = "".join(
        f'<div data-class="{e(x.value, quote=True)}"><span class="atlas-swatch" '
        f'style="background:{e(x.color, quote=True)};opacity:{COUNTRY_ALPHA}"></span>'
        f'{e(x.label)} <span class="atlas-meta">({x.count})</span></div>'
        for x in entries
    )
    if routes:
        rows += '<div style="margin-top:6px"><b>Energy export routes</b></div>' + "".join(
            f'<div><span class="atlas-line" style="border-top:4px {style} {color}"></span>'
            f"{e(label)}</div>"
            for color, style, label in (
                (mapstyle.ROUTE_VIA_RUSSIA, "solid", "Transits Russia"),
                (mapstyle.ROUTE_AVOIDING_RUSSIA, "solid", "Avoids Russia"),
                ("#555555", "dashed", "Dashed: schematic line or proposed route"),
            )
        )
    return rows


def standalone_html(
    ds: Dataset,
    view: MapView,
    app_url: str,
    basemap: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> str:
    """One self-contained HTML file of the view (folium, Leaflet inlined, no tiles, no CDN).

    Opened from file:// it makes no request at all. Tooltips carry names and values only;
    the facts' excerpts stay in the app, which the file links back to.
    """
    import folium

    from . import mapview  # folium: imported when a map is drawn

    spec = _spec(ds, view.indicator)
    shown = results(ds, view)
    base = basemap if basemap is not None else mapview.load_basemap()
    m = mapview.base_map(base, ds)
    m.default_js = []  # Leaflet is inlined below: no <script src>, no <link href>
    m.default_css = []
    for group in mapview.layers(ds, shown, spec.label, view.selection, view.routes):
        group.add_to(m)
    e = html.escape
    link = share_url(app_url, view)
    as_of_day = day(_shown_day(view, today))
    boxes = (
        f'<div class="atlas-box atlas-title"><h1>{e(spec.label)}</h1>'
        f'<div class="atlas-meta">As of {e(as_of_day)} · {e(APP_TITLE)}</div></div>'
        f'<div class="atlas-box atlas-legend-box" id="atlas-legend">'
        f"{_legend_html(legend(ds, view.indicator, shown), view.routes)}</div>"
        f'<div class="atlas-box atlas-foot" id="atlas-foot">{e(source_line(ds, shown))}.<br>'
        f"{e(data_version(ds).text)}. "
        f'<a href="{e(link, quote=True)}" target="_blank" rel="noopener">'
        "Open this view in the app</a> (every value with its sources’ own words).</div>"
    )
    root: Any = m.get_root()
    root.title = e(f"{spec.label} · {APP_TITLE}")
    root.header.add_child(folium.Element(leaflet_inline()), name="leaflet_inline")
    root.header._children.move_to_end("leaflet_inline", last=False)  # before the map's CSS
    root.header.add_child(folium.Element(_PAGE_CSS), name="atlas_page_css")
    root.html.add_child(folium.Element(boxes), name="atlas_boxes")
    text: str = root.render()
    return text
