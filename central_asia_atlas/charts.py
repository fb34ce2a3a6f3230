"""Small charts for a country's panel: the catalogue's line charts (trade shares by partner).

Each chart is drawn here, into the panel's HTML, not as a Vega-Lite element: a Vega-Lite
chart was two more elements in every click's rerun (the chart and its source line) and the
browser's heaviest work after the click (with 20 sessions clicking at once, leaving them out
gained little: benchmarks/results.md has the A/B), and a first click no longer fetches Vega's
scripts. Every text from the data is escaped; each point carries its reading as a
tooltip and the plot's image a text alternative listing every reading.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from dataclasses import dataclass
from html import escape

from .catalogue import ChartSpec, NumericSpec
from .dataset import Dataset
from .i18n import _
from .indicators import series
from .markup import and_list, day


@dataclass(frozen=True)
class Point:
    mid: dt.date  # the middle of the period, where the point sits on the time axis
    value: float
    period: str  # "2023", "Jan–Sep 2023"
    reading: str  # "21.3 % (Jan–Sep 2023, national statistics, via bne IntelliNews)"
    full_year: bool = True  # a year's value (on the line); else a part of a year (a ring)


@dataclass(frozen=True)
class Line:
    label: str  # the partner: "EU"
    color: str
    points: tuple[Point, ...]  # oldest first


@dataclass(frozen=True)
class CountryChart:
    spec: ChartSpec
    lines: tuple[Line, ...]  # the partners with at least one value, in the catalogue's order
    unit: str
    top: float  # the value axis runs from 0 to here (axis_top)
    step: float  # between its labelled values
    source_line: str  # "Sources: national statistics via Trend (2021–2023); ..."

    @property
    def points(self) -> int:
        return sum(len(line.points) for line in self.lines)


def _source_line(rows: list[tuple[str, str, str]]) -> str:
    """(statistics, via, period) of each point, grouped by statistics and outlet in order."""
    groups: dict[tuple[str, str], set[str]] = {}
    for stats, via, period in rows:
        groups.setdefault((stats, via), set()).add(period)
    parts = [
        (stats or _("statistics not stated"))
        + (" " + _("via {outlet}").format(outlet=via) if via else "")
        + f" ({', '.join(sorted(periods))})"
        for (stats, via), periods in groups.items()
    ]
    return _("Sources: {list}.").format(list="; ".join(parts)) if parts else ""


def _missing_line(missing: list[str], as_of: dt.date | None) -> str:
    if not missing:
        return ""
    when = " " + _("by {day}").format(day=day(as_of)) if as_of else ""
    return " " + _("No value in the data for {partners}{when}.").format(
        partners=and_list(missing), when=when
    )


def axis_step(highest: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) for about `ticks` steps from zero to
    `highest`."""
    if not highest > 0:
        return 0.25
    raw = highest / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def axis_top(highest: float, ticks: int = 4) -> float:
    """The value axis's last value: the first multiple of axis_step at or above `highest`."""
    if not highest > 0:
        return 1.0
    step = axis_step(highest, ticks)
    return math.ceil(highest / step - 1e-9) * step


def country_charts(ds: Dataset, iso3: str, as_of: dt.date | None = None) -> list[CountryChart]:
    """Each catalogue chart that has at least one value for the country, as of the day."""
    out = []
    for chart in ds.catalogue.charts:
        lines, rows, units, missing = [], [], [], []
        for s in chart.series:
            spec = ds.catalogue.indicators.get(s.indicator)
            found = series(ds, spec, iso3, as_of) if isinstance(spec, NumericSpec) else []
            if not found or not isinstance(spec, NumericSpec):
                # the legend lists the partners with a value; the others are named under the
                # chart (a legend entry with no line read as a line the reader could not find)
                missing.append(s.label)
                continue
            units.append(spec.unit)
            points = []
            for r in found:
                mid = r.period.start + (r.period.end - r.period.start) / 2
                points.append(Point(mid, r.number, r.period.label, r.text, r.period.is_year))
                rows.append((r.statistics or "", r.via or "", r.period.label))
            lines.append(Line(s.label, s.color, tuple(points)))
        if not lines:
            continue
        highest = max(p.value for line in lines for p in line.points)
        out.append(
            CountryChart(
                chart,
                tuple(lines),
                units[0],
                axis_top(highest),
                axis_step(highest),
                _source_line(rows) + _missing_line(missing, as_of),
            )
        )
    return out


# --- drawing ---------------------------------------------------------------------------------
#
# Streamlit's st.html passes its HTML through DOMPurify's HTML profile, which removes inline
# <svg>. So the plot's lines and grid are an SVG image (an <img> with a data: URL, which the
# profile keeps), and everything a reader reads or points at is HTML laid over it at the same
# coordinates, in percent of the plot: the axis values, the years, each line's last value and
# the points, each with its reading as its tooltip (a title). The text then takes the page's
# font and the theme's colour, which an image cannot. The image's alt text lists every reading.

W, H = 440, 180  # the plot's own units; it is drawn at the panel's width, keeping its shape
LEFT, RIGHT, TOP, BOTTOM = 34, 44, 22, 22  # the plot's margins: labels, end values, unit, years
GRID = "#808080"  # the grid and ticks: mid grey, drawn faint, reads on a light and a dark theme
END_GAP = 13  # the least distance between two end values, in the plot's units (a line of text)


def e(text: str) -> str:
    """Data text as it goes into the HTML's or the SVG's text and attributes."""
    return escape(text, quote=True)


def _num(v: float) -> str:
    return f"{v:.10g}"


def _years(lines: tuple[Line, ...]) -> tuple[int, int]:
    """The first year and the year after the last, so a year's point sits mid-band."""
    days = [p.mid for line in lines for p in line.points]
    return min(days).year, max(days).year + 1


def _spread(ys: list[float], gap: float, low: float, high: float) -> list[float]:
    """The end labels' heights (in order of `ys`), moved apart to at least `gap`."""
    order = sorted(range(len(ys)), key=ys.__getitem__)
    placed: list[float] = []
    for i in order:
        y = max(ys[i], placed[-1] + gap) if placed else ys[i]
        placed.append(y)
    shift = max(0.0, placed[-1] - high) if placed else 0.0  # pushed off the bottom: move up
    out = [0.0] * len(ys)
    for i, y in zip(order, placed, strict=True):
        out[i] = max(low, y - shift)
    return out


@dataclass(frozen=True)
class Frame:
    """Where a day and a value sit in the plot, in its own units (W by H): time across, a band
    per year from `first` to the start of `end`; the value up from 0 to `top`."""

    first: int
    end: int
    top: float

    @classmethod
    def of(cls, chart: CountryChart) -> Frame:
        first, end = _years(chart.lines)
        return cls(first, end, chart.top)

    def x(self, d: dt.date) -> float:
        start = dt.date(self.first, 1, 1)
        span = (dt.date(self.end, 1, 1) - start).days
        return round(LEFT + (d - start).days / span * (W - RIGHT - LEFT), 1)

    def y(self, v: float) -> float:
        return round(H - BOTTOM - v / self.top * (H - BOTTOM - TOP), 1)

    def year_labels(self) -> list[int]:
        every = max(1, math.ceil((self.end - self.first) / 7))  # at most about seven
        return [y for y in range(self.first, self.end) if (y - self.first) % every == 0]


def ticks(chart: CountryChart) -> list[float]:
    """The value axis's labelled values: 0, a round step, ..., its top."""
    return [round(i * chart.step, 10) for i in range(round(chart.top / chart.step) + 1)]


def plot_svg(chart: CountryChart) -> str:
    """The plot's image: the grid at each labelled value, a tick between years and a line per
    partner through its points (the points and all text are HTML: see chart_html)."""
    f = Frame.of(chart)
    x0, x1, y1 = LEFT, W - RIGHT, H - BOTTOM
    parts = [
        f'<line x1="{x0}" x2="{x1}" y1="{f.y(v)}" y2="{f.y(v)}" stroke="{GRID}" '
        f'stroke-opacity="{0.6 if v == 0 else 0.3}"/>'
        for v in ticks(chart)
    ]
    for year in range(f.first, f.end + 1):
        at = f.x(dt.date(year, 1, 1))
        parts.append(
            f'<line x1="{at}" x2="{at}" y1="{y1}" y2="{y1 + 4}" stroke="{GRID}" '
            'stroke-opacity=".6"/>'
        )
    for line in chart.lines:
        years = [p for p in line.points if p.full_year]  # part-years are rings off the line
        if len(years) > 1:
            path = " ".join(f"{f.x(p.mid)},{f.y(p.value)}" for p in years)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{e(line.color)}" '
                'stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" '
        f'height="{H}">{"".join(parts)}</svg>'
    )


def text_alternative(chart: CountryChart) -> str:
    """What the chart shows, as one text: its title, unit and every reading of every line."""
    said = "; ".join(
        f"{line.label}: " + ", ".join(p.reading for p in line.points) for line in chart.lines
    )
    return f"{chart.spec.title} ({chart.unit}). {said}."


def _at(x: float, y: float) -> str:
    """A style placing an element at (x, y) of the plot, in percent of its width and height."""
    return f"left:{_num(round(x / W * 100, 2))}%;top:{_num(round(y / H * 100, 2))}%"


def chart_html(chart: CountryChart) -> str:
    """The chart as the panel shows it: its title, its key, the plot (the image with its labels
    and points over it) and its source line. Well-formed XML as well as HTML."""
    f = Frame.of(chart)
    y1 = H - BOTTOM
    over = [f'<span class="atlas-unit" style="{_at(0, 0)}">{e(chart.unit)}</span>']
    over += [
        f'<span class="atlas-y" style="{_at(LEFT - 5, f.y(v))}">{_num(v)}</span>'
        for v in ticks(chart)
    ]
    over += [
        f'<span class="atlas-year" style="{_at(f.x(dt.date(year, 7, 2)), y1 + 5)}">{year}</span>'
        for year in f.year_labels()
    ]
    for line in chart.lines:
        over += [
            f'<span class="atlas-dot{"" if p.full_year else " atlas-part"}" '
            f'style="{_at(f.x(p.mid), f.y(p.value))};'
            + (f"background:{e(line.color)}" if p.full_year else f"border-color:{e(line.color)}")
            + f'" title="{e(line.label)}: {e(p.reading)}"></span>'
            for p in line.points
        ]
    heights = _spread([f.y(line.points[-1].value) for line in chart.lines], END_GAP, TOP, y1)
    over += [
        f'<span class="atlas-end" style="{_at(f.x(line.points[-1].mid) + 7, b)}">'
        f"{_num(line.points[-1].value)}</span>"
        for line, b in zip(chart.lines, heights, strict=True)
    ]
    image = base64.b64encode(plot_svg(chart).encode()).decode("ascii")
    keys = "".join(
        f'<span><span class="atlas-line" style="border-top-color:{e(line.color)}"></span>'
        f"{e(line.label)}</span>"
        for line in chart.lines
    )
    if any(not p.full_year for line in chart.lines for p in line.points):
        part = e(_("part of a year"))
        keys += f'<span><span class="atlas-part-key"></span>{part}</span>'
    return (
        f'<figure class="atlas-chart" data-chart="{e(chart.spec.id)}">'
        f'<div class="atlas-chart-title">{e(chart.spec.title)}</div>'
        f'<div class="atlas-chart-keys">{keys}</div>'
        f'<div class="atlas-plot"><img src="data:image/svg+xml;base64,{image}" '
        f'alt="{e(text_alternative(chart))}" width="{W}" height="{H}"/>'
        f'<div class="atlas-over" aria-hidden="true">{"".join(over)}</div></div>'
        f"<figcaption>{e(chart.source_line)}</figcaption></figure>"
    )
