"""A view of the map as a PNG or SVG image, drawn on the server (geopandas and matplotlib, Agg).

The image looks like the map: Leaflet's projection, the same colours, the same legend (from
`legends`, the one legend model), with the title, the day, the source line and the data
version. SVG text is kept as text (``svg.fonttype: none``): a newsroom's graphics desk can
restyle and translate it, a screen reader and a search engine can read it, and the file stays
small; matplotlib XML-escapes every string it writes, and mathtext is off for every text we
draw (``parse_math=False``), so a ``$`` in a name stays a dollar sign.

matplotlib and geopandas are imported when an image is first drawn, not with the app.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from . import i18n, indicators
from . import selection as sel
from .i18n import _
from .legends import OTHER_PERIOD_COLOR, Entry, Legend, indicator_legend, routes_legend
from .mapstyle import EVENT_FILL
from .markup import day
from .publish import (
    MAX_SOURCE_LINES,
    app_title,
    data_version,
    indicator_key,
    results,
    shown_day,
    source_line,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .dataset import Dataset

# 12 inches wide at 150 dpi = 1800 px (a newsroom asks for >= 1600); the height follows the
# map's aspect and the length of the title and source line (about 1100 px).
FIG_WIDTH = 12.0
MAP_SHARE = 0.70  # of the width; the legend takes the rest
PNG_DPI = 150
COUNTRY_ALPHA = 0.85  # as mapview draws the choropleth (fillOpacity), over the same water
_WEB_MERCATOR = "EPSG:3857"  # Leaflet's projection: the image looks like the map
_DRAW_LOCK = threading.Lock()  # rcParams are global: one drawing at a time per process
# Leaflet's dash "8 6" (px) at 0.75 pt per px; dashes are not scaled by the line width.
_DASH: tuple[float, tuple[float, float]] = (0, (6.0, 4.5))
_HALO_COLOR = "#ffffff"

_RC: Any = {
    "svg.fonttype": "none",  # text stays text (see the module docstring)
    "svg.hashsalt": "central-asia-atlas",  # stable ids: the same view gives the same file
    "text.usetex": False,  # never hand data text to LaTeX
    "text.parse_math": False,  # nor to mathtext: "$" is a dollar sign (also per text)
    "lines.scale_dashes": False,
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs everywhere
}


def _project(geoms: Sequence[BaseGeometry | None]) -> gpd.GeoSeries:
    import geopandas as gpd

    return gpd.GeoSeries(list(geoms), crs="EPSG:4326").to_crs(_WEB_MERCATOR)


_EARTH_RADIUS = 6378137.0  # EPSG:3857's sphere, in metres


def _xy(lon: float, lat: float) -> tuple[float, float]:
    """A point in Web Mercator (EPSG:3857), as `_project` puts it, without a GeoSeries each
    time (the image places a few dozen names and markers)."""
    x = math.radians(lon) * _EARTH_RADIUS
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * _EARTH_RADIUS
    return x, y


def _label_point(geom: BaseGeometry) -> BaseGeometry:
    parts = [p for p in getattr(geom, "geoms", [geom]) if p.geom_type == "Polygon"]
    return polylabel(max(parts, key=lambda p: p.area), tolerance=0.05) if parts else geom.centroid


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]


def _text(target: Any, x: float, y: float, s: str, **kw: Any) -> None:
    """Text with mathtext off: data text is drawn as given (a "$" stays a dollar sign)."""
    target.text(x, y, s, parse_math=False, **kw)


def _halo() -> list[Any]:
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.5, foreground=_HALO_COLOR)]


@dataclass(frozen=True)
class _Layout:
    """Where things go, in inches: the title band, the map (its width fixed, its height by its
    aspect), the source line below; the legend beside the map."""

    title: list[str]
    foot: list[str]
    width: float
    top: float
    map_w: float
    map_h: float
    bottom: float

    @property
    def height(self) -> float:
        return self.top + self.map_h + self.bottom

    def fy(self, inches_from_top: float) -> float:
        return 1 - inches_from_top / self.height


def _layout(title: str, sources: str, version: str, bounds: tuple[float, ...]) -> _Layout:
    x0, y0, x1, y1 = bounds
    title_lines = _wrap(title, 95)[:2]
    lines = _wrap(sources, 175)
    if len(lines) > MAX_SOURCE_LINES:
        last = lines[MAX_SOURCE_LINES - 1] + " … " + _("(all in the CSV)")
        lines = [*lines[: MAX_SOURCE_LINES - 1], last]
    foot = [*lines, version]
    map_w = FIG_WIDTH * MAP_SHARE
    return _Layout(
        title_lines,
        foot,
        FIG_WIDTH,
        top=0.55 + 0.3 * len(title_lines),
        map_w=map_w,
        map_h=map_w * (y1 - y0) / (x1 - x0),
        bottom=0.25 + 0.17 * len(foot),
    )


def _draw_texts(fig: Figure, lay: _Layout, subtitle: str) -> None:
    """The title, the day under it, and the source line and data version at the foot."""
    left = 0.15 / lay.width
    title = "\n".join(lay.title)
    _text(fig, left, lay.fy(0.15), title, fontsize=16, fontweight="bold", va="top", ha="left")
    y_sub = lay.fy(0.2 + 0.3 * len(lay.title))
    _text(fig, left, y_sub, subtitle, fontsize=11, color="#444444", va="top", ha="left")
    foot = "\n".join(lay.foot)
    y_foot = 0.1 / lay.height
    _text(fig, left, y_foot, foot, fontsize=8.5, color="#333333", va="bottom", linespacing=1.35)


def _map_axes(fig: Figure, lay: _Layout, bounds: tuple[float, ...]) -> Axes:
    """The map's axes, in Leaflet's projection, over the map's water colour."""
    from . import mapview  # folium: imported when a map is drawn

    x0, y0, x1, y1 = bounds
    rect = (
        0.15 / lay.width,
        lay.bottom / lay.height,
        lay.map_w / lay.width,
        lay.map_h / lay.height,
    )
    ax = fig.add_axes(rect)
    ax.set_facecolor(mapview.WATER)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_edgecolor("#999999")
    return ax


def _draw_neighbours(ax: Axes, base: Mapping[str, Any], west: float, east: float) -> None:
    from . import mapview

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
        style = {"fontsize": 9, "fontstyle": "italic", "color": mapview.LABEL}
        _text(ax, x, y, name, ha="center", va="center", path_effects=_halo(), clip_on=True, **style)


def _draw_countries(
    ax: Axes, ds: Dataset, shown: Mapping[str, Any], chosen: sel.Selection | None
) -> None:
    """The choropleth, each country's shape tagged with its ISO3; the selected outlined."""
    from . import mapview

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
        if res is not None and res.other_period:  # another period than the map's: outlined
            shapes.boundary.plot(ax=ax, color=OTHER_PERIOD_COLOR, linewidth=1.8, linestyle=_DASH)
            ax.collections[-1].set_gid(f"other-period-{c.props.iso3}")
    if chosen is not None and chosen.kind == "country":
        country = ds.country(chosen.id)
        if country is not None and country.geometry is not None:
            _project([country.geometry]).plot(
                ax=ax, facecolor="none", edgecolor=mapview.HIGHLIGHT, linewidth=2.8
            )
            ax.collections[-1].set_gid(f"selected-{chosen.id}")


def _draw_routes(ds: Dataset, ax: Axes, chosen: sel.Selection | None) -> None:
    from . import mapview

    picked = chosen.id if chosen is not None and chosen.kind == "route" else None
    for f in mapview.route_features(ds)["features"]:
        p = f["properties"]
        if not f["geometry"]:
            continue
        line = _project([shape(f["geometry"])])
        wide = p["id"] == picked
        casing_w = 5.0 if wide else 3.6
        line.plot(ax=ax, color=mapview.ROUTE_CASING, linewidth=casing_w, alpha=0.9, zorder=4)
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
        x, y = _xy(*f["geometry"]["coordinates"])
        big = picked_event in f["properties"]["ids"].split(",")
        edge = bool(f["properties"]["edge"])
        ax.plot(
            [x],
            [y],
            marker="o",
            markersize=9 if big else 7,
            markerfacecolor="#ffffff" if edge else EVENT_FILL,
            markeredgecolor=EVENT_FILL if edge else "#ffffff",
            markeredgewidth=2.2 if edge else 1.5,
            alpha=0.9,
            zorder=5,
        )


def _draw_names(ax: Axes, ds: Dataset) -> None:
    """Each country's name where it has room, and its capital with a marker."""
    for c in ds.countries:
        if c.geometry is None:
            continue
        cap = c.props.capital
        # not on the capital's marker and name (drawn to its right)
        room = c.geometry.difference(
            box(cap.lon - 1.0, cap.lat - 1.0, cap.lon + 4.5, cap.lat + 1.0)
        )
        pt = _project([_label_point(room if not room.is_empty else c.geometry)]).iloc[0]
        name_style = {"fontsize": 10.5, "fontweight": "bold", "color": "#1a1a1a"}
        _text(
            ax,
            pt.x,
            pt.y,
            c.props.name,
            ha="center",
            va="center",
            **name_style,
            path_effects=_halo(),
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
            path_effects=_halo(),
            clip_on=True,
            zorder=6,
        )


def _legend_mark(lg: Axes, entry: Entry, y: float) -> None:
    """An entry's mark, as the page's legend draws it (see legends)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    if entry.mark == "outline":  # a value of another period: outlined, as on the map
        lg.add_patch(
            Rectangle(
                (0.0, y - 0.012),
                0.07,
                0.024,
                facecolor="none",
                edgecolor=entry.color,
                linewidth=1.6,
                linestyle=(0, (3, 2)),
            )
        )
    elif entry.mark == "fill":
        lg.add_patch(
            Rectangle(
                (0.0, y - 0.012),
                0.07,
                0.024,
                facecolor=entry.color,
                alpha=COUNTRY_ALPHA,
                edgecolor="#555555",
                linewidth=0.6,
            )
        )
    elif entry.mark in ("line", "dashed"):
        dash: Any = _DASH if entry.mark == "dashed" else "-"
        lg.add_line(Line2D([0.0, 0.07], [y, y], color=entry.color, linewidth=2.4, linestyle=dash))
    else:  # "dot" or "ring": the events' markers
        ring = entry.mark == "ring"
        lg.plot(
            [0.035],
            [y],
            marker="o",
            markersize=7,
            markerfacecolor="#ffffff" if ring else entry.color,
            markeredgecolor=entry.color if ring else "#ffffff",
            markeredgewidth=1.5,
        )


def _draw_legend_block(lg: Axes, legend: Legend, y: float) -> float:
    """A legend's title and entries from `y` down; where the next block may start."""
    for line in _wrap(legend.title, 34)[:4]:
        _text(lg, 0.0, y, line, fontsize=10, fontweight="bold", va="top")
        y -= 0.032
    y -= 0.024
    for entry in legend.entries:
        count = f" ({entry.count})" if entry.count is not None else ""
        wrapped = _wrap(entry.label + count, 36)
        _legend_mark(lg, entry, y)
        for i, line in enumerate(wrapped):
            _text(lg, 0.1, y - 0.028 * i, line, fontsize=9, va="center")
        y -= 0.038 + 0.028 * (len(wrapped) - 1)
    for note in legend.notes:
        for line in _wrap(note, 40):
            _text(lg, 0.0, y, line, fontsize=8.5, color="#444444", va="center")
            y -= 0.028
    return y - 0.03


def _draw_legend(fig: Figure, lay: _Layout, legends: Sequence[Legend]) -> None:
    """The legends to the right of the map: the indicator's, then the routes' if shown."""
    left = (0.45 + lay.map_w) / lay.width
    lg = fig.add_axes(
        (left, lay.bottom / lay.height, 1 - left - 0.1 / lay.width, lay.map_h / lay.height)
    )
    lg.set_axis_off()
    lg.set_xlim(0, 1)
    lg.set_ylim(0, 1)
    y = 0.99
    for legend in legends:
        y = _draw_legend_block(lg, legend, y)


def _draw(
    ds: Dataset, view: sel.View, basemap: Mapping[str, Any] | None, today: dt.date | None
) -> Figure:
    """The whole image: title and day, the map (neighbours, choropleth, routes, names), the
    legends and the source line."""
    from matplotlib.figure import Figure

    from . import mapview  # folium: imported when a map is drawn

    spec = ds.catalogue.indicators[indicator_key(ds, view)]
    shown = results(ds, view)
    (south, west), (north, east) = mapview.FIT_BOUNDS
    bounds = (*_xy(west, south), *_xy(east, north))
    lay = _layout(spec.label, source_line(ds, shown), data_version(ds).text, bounds)
    # The figure keeps matplotlib's plain canvas while it is drawn on: geopandas asks for a
    # redraw after each layer it plots, which an Agg canvas would render in full every time.
    # savefig renders once, with the format's own backend.
    fig = Figure(figsize=(lay.width, lay.height), facecolor="#ffffff")
    as_of = _("As of {day}").format(day=day(shown_day(view, today)))
    _draw_texts(fig, lay, f"{as_of} · {app_title()}")
    ax = _map_axes(fig, lay, bounds)
    base = basemap if basemap is not None else mapview.load_basemap()
    _draw_neighbours(ax, base, west, east)
    _draw_countries(ax, ds, shown, view.selection)
    if view.routes:
        _draw_routes(ds, ax, view.selection)
    _draw_names(ax, ds)
    ax.set_xlabel("")  # geopandas labels the projected axes: not for readers
    ax.set_ylabel("")
    legends = [indicator_legend(spec, shown, ds.names())]
    legends += [routes_legend()] if view.routes else []
    _draw_legend(fig, lay, legends)
    return fig


def _render(
    ds: Dataset,
    view: sel.View,
    fmt: str,
    basemap: Mapping[str, Any] | None,
    today: dt.date | None,
) -> bytes:
    label = ds.catalogue.indicators[indicator_key(ds, view)].label
    meta: dict[str, str | None]
    if fmt == "svg":
        meta = {
            "Title": label,
            "Date": None,
            "Creator": app_title(),
            "Description": f"{source_line(ds, results(ds, view))}. {data_version(ds).text}",
        }
    else:
        meta = {"Title": label, "Software": app_title(), "Source": data_version(ds).text}
    import matplotlib

    matplotlib.use("Agg")  # no display: draw into memory only
    with _DRAW_LOCK, matplotlib.rc_context(_RC):
        fig = _draw(ds, view, basemap, today)
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=PNG_DPI, metadata=meta)
    return buf.getvalue()


def map_png(
    ds: Dataset,
    view: sel.View,
    basemap: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The view as a PNG, 1800 px wide: map, legend with "no data", title, day, sources, in
    the view's language."""
    with i18n.use(view.lang):
        return _render(ds, view, "png", basemap, today)


def map_svg(
    ds: Dataset,
    view: sel.View,
    basemap: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The view as an SVG (text as text, every data string XML-escaped by matplotlib), in the
    view's language."""
    with i18n.use(view.lang):
        return _render(ds, view, "svg", basemap, today)
