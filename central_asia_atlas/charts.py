"""Small charts for a country's panel: the catalogue's line charts (trade shares by partner)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import pandas as pd

from .catalogue import ChartSpec, NumericSpec
from .indicators import series
from .store import Dataset


@dataclass(frozen=True)
class CountryChart:
    spec: ChartSpec
    chart: alt.Chart
    source_line: str  # "Sources: national statistics via Trend (2021–2023); ..."
    points: int


# The columns the chart draws (the others make its source line): the page sends only these.
DRAWN = ["partner", "mid", "value", "reading"]


def _frame(ds: Dataset, chart: ChartSpec, iso3: str, as_of: dt.date | None) -> pd.DataFrame:
    rows = []
    for s in chart.series:
        spec = ds.catalogue.indicators.get(s.indicator)
        if not isinstance(spec, NumericSpec):
            continue
        for r in series(ds, spec, iso3, as_of):
            rows.append(
                {
                    "partner": s.label,
                    "mid": r.period.start + (r.period.end - r.period.start) / 2,
                    "period": r.period.label,
                    "value": r.number,
                    "unit": spec.unit,
                    "statistics": r.statistics or "",
                    "via": r.via or "",
                    "reading": r.text,
                }
            )
    return pd.DataFrame(
        rows,
        columns=["partner", "mid", "period", "value", "unit", "statistics", "via", "reading"],
    )


def _source_line(frame: pd.DataFrame) -> str:
    parts = []
    for (stats, via), group in frame.groupby(["statistics", "via"], sort=False):
        years = sorted({p for p in group["period"]})
        who = stats or "statistics not stated"
        parts.append(f"{who}" + (f" via {via}" if via else "") + f" ({', '.join(years)})")
    return "Sources: " + "; ".join(parts) + "." if parts else ""


def country_charts(ds: Dataset, iso3: str, as_of: dt.date | None = None) -> list[CountryChart]:
    """Each catalogue chart that has at least one value for the country, as of the day."""
    out = []
    for chart in ds.catalogue.charts:
        frame = _frame(ds, chart, iso3, as_of)
        if frame.empty:
            continue
        labels = [s.label for s in chart.series]
        colors = [s.color for s in chart.series]
        unit = frame["unit"].iloc[0]
        base = alt.Chart(frame[DRAWN]).encode(
            x=alt.X("mid:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("value:Q", title=unit, scale=alt.Scale(zero=True)),
            color=alt.Color(
                "partner:N",
                scale=alt.Scale(domain=labels, range=colors),
                legend=alt.Legend(title=None, orient="right"),
            ),
            tooltip=[
                alt.Tooltip("partner:N", title="Partner"),
                alt.Tooltip("reading:N", title="Value"),
            ],
        )
        lines = base.mark_line(point=alt.OverlayMarkDef(size=60, filled=True))
        out.append(
            CountryChart(
                chart,
                lines.properties(
                    height=150, title=alt.Title(chart.title, anchor="start", fontSize=13)
                ),
                _source_line(frame),
                len(frame),
            )
        )
    return out
