"""Small charts for a country's panel: the catalogue's line charts (trade shares by partner).

Each chart is a plain Vega-Lite spec and its data (``st.vega_lite_chart(data, spec)``), not an
Altair chart: Altair takes a quarter of a second to import, and the map page would pay it at
every server start (tests/unit/test_panel.py checks that the map page's modules do not import
it). The data is an Arrow table, made once per country and day (the panel's charts are
cached): Streamlit sends an Arrow table as it is, while a DataFrame is converted at every rerun.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from .catalogue import ChartSpec, NumericSpec
from .indicators import series
from .markup import and_list, day
from .store import Dataset


@dataclass(frozen=True)
class CountryChart:
    spec: ChartSpec
    data: pa.Table  # the DRAWN columns
    vega: dict[str, Any]  # the Vega-Lite spec, without data
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


def _missing_line(missing: list[str], as_of: dt.date | None) -> str:
    if not missing:
        return ""
    when = f" by {day(as_of)}" if as_of else ""
    return f" No value in the data for {and_list(missing)}{when}."


def axis_top(highest: float, ticks: int = 4) -> float:
    """The y axis's last value: the first multiple of a round step (1, 2, 2.5 or 5 times a
    power of ten) at or above `highest`, with about `ticks` steps from zero."""
    if not highest > 0:
        return 1.0
    raw = highest / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return math.ceil(highest / step - 1e-9) * step


def country_charts(ds: Dataset, iso3: str, as_of: dt.date | None = None) -> list[CountryChart]:
    """Each catalogue chart that has at least one value for the country, as of the day."""
    out = []
    for chart in ds.catalogue.charts:
        frame = _frame(ds, chart, iso3, as_of)
        if frame.empty:
            continue
        # The legend lists the partners with a value; the others are named under the chart
        # (a legend entry with no line read as a line the reader could not find).
        shown = set(frame["partner"])
        drawn = [s for s in chart.series if s.label in shown]
        labels, colors = [s.label for s in drawn], [s.color for s in drawn]
        missing = [s.label for s in chart.series if s.label not in shown]
        unit = str(frame["unit"].iloc[0])
        vega = {
            # The whole chart, title and axes included (Streamlit fits the spec to its
            # height): at 150 px the plot was 50 px high, with one gridline, and the highest
            # points sat above the last labelled value.
            "height": 210,
            "title": {"text": chart.title, "anchor": "start", "fontSize": 13},
            "mark": {"type": "line", "point": {"filled": True, "size": 60}},
            "encoding": {
                "x": {
                    "field": "mid",
                    "type": "temporal",
                    "title": None,
                    "axis": {"format": "%Y", "tickCount": "year"},
                },
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": unit,
                    # an axis that ends at a labelled value above the highest point
                    "scale": {"domain": [0, axis_top(float(frame["value"].max()))]},
                    "axis": {"tickCount": 4},
                },
                "color": {
                    "field": "partner",
                    "type": "nominal",
                    "scale": {"domain": labels, "range": colors},
                    "legend": {"title": None, "orient": "right"},
                },
                "tooltip": [
                    {"field": "partner", "type": "nominal", "title": "Partner"},
                    {"field": "reading", "type": "nominal", "title": "Value"},
                ],
            },
        }
        out.append(
            CountryChart(
                chart,
                pa.Table.from_pandas(frame[DRAWN]),
                vega,
                _source_line(frame) + _missing_line(missing, as_of),
                len(frame),
            )
        )
    return out
