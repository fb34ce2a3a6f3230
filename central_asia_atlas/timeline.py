"""Every dated fact and event on a time axis (an Altair spec), and the indicators as of a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from . import words
from .i18n import N_, _
from .indicators import compute
from .markup import dated, day
from .model import FIVE, Category, DatePrecision
from .reader import reader_link

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd
    from altair.utils.schemapi import UndefinedType

    from .dataset import Dataset

REGION = "region"  # the id of the row of facts that name no single country
REGION_NAME = N_("Region-wide")
EVENT = "event"  # the category of an event's row (events have no category of their own)
RECENT_FROM = dt.date(2022, 1, 1)  # the chart starts here by default (the war began in 2022)
# Okabe-Ito (colour-blind safe); grey for facts that name no single country.
COUNTRY_COLORS = {
    "KAZ": "#0072B2",
    "UZB": "#E69F00",
    "KGZ": "#009E73",
    "TJK": "#CC79A7",
    "TKM": "#D55E00",
    REGION: "#7f7f7f",
}
# Okabe-Ito plus Paul Tol's muted scheme. On the chart colour repeats the row (the category
# or country is also given by position and in the tooltip), so no reader depends on colour.
CATEGORY_COLORS = dict(
    zip(
        [c.value for c in Category],
        [
            "#0072B2",
            "#009E73",
            "#E69F00",
            "#D55E00",
            "#CC79A7",
            "#56B4E9",
            "#882255",
            "#332288",
            "#117733",
            "#999933",
            "#7f7f7f",
        ],
        strict=True,
    )
)
ColorBy = Literal["country", "category"]
COLUMNS = [
    "date",
    "date_precision",
    "end_date",
    "kind",
    "id",
    "category",
    "country",
    "country_id",
    "summary",
    "source",
    "link",
]


def _names(ds: Dataset) -> dict[str, str]:
    return {c.props.iso3: c.props.name for c in ds.countries}


def country_names(ds: Dataset) -> dict[str, str]:
    """The rows the chart may have, id -> name: the five (ISO3), then the region's facts."""
    names = _names(ds)
    return {**{iso3: names.get(iso3, iso3) for iso3 in FIVE}, REGION: _(REGION_NAME)}


def category_name(value: str) -> str:
    """A category (or "event") in the reader's language."""
    if value == EVENT:
        return _("event")
    return words.category(Category(value)) if value in Category.__members__ else value


def timeline_frame(ds: Dataset) -> pd.DataFrame:
    """One row per fact (or event) and country it concerns; region-wide when it names none."""
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    names = country_names(ds)
    rows = []
    for ref in ds.fact_refs():
        f = ref.fact
        link = reader_link(f.id)
        concerns: list[str | None] = [*sorted(ref.concerns)] or [None]
        for iso3 in concerns:
            rows.append(
                {
                    "date": f.date,
                    "date_precision": f.date_precision.value,
                    "end_date": None,
                    "kind": "fact",
                    "id": f.id,
                    "category": f.category.value,
                    "country": names.get(iso3 or REGION, iso3),
                    "country_id": iso3 or REGION,
                    "summary": f.summary,
                    "source": f.source,
                    "link": link,
                }
            )
    for e in ds.events:
        p = e.props
        places: list[str | None] = [*sorted(p.countries)] or [None]
        for iso3 in places:
            rows.append(
                {
                    "date": p.date,
                    "date_precision": "day",
                    "end_date": p.end_date,
                    "kind": "event",
                    "id": p.id,
                    "category": EVENT,
                    "country": names.get(iso3 or REGION, iso3),
                    "country_id": iso3 or REGION,
                    "summary": f"{p.name} ({p.place})",
                    "source": p.place_source,
                    "link": None,
                }
            )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values(["date", "id", "country"], kind="stable").reset_index(drop=True)


def filter_timeline(
    frame: pd.DataFrame,
    countries: Iterable[str] | None = None,
    categories: Iterable[str] | None = None,
    since: dt.date | None = None,
) -> pd.DataFrame:
    """Rows for any of `countries` (ISO3, or REGION) and `categories` (events pass any category
    filter only if 'event' is chosen), dated on or after `since`."""
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    keep = pd.Series(True, index=frame.index)
    countries, categories = list(countries or []), list(categories or [])
    if countries:
        keep &= frame["country_id"].isin(countries)
    if categories:
        keep &= frame["category"].isin(categories)
    if since is not None:
        keep &= frame["date"] >= since
    return frame[keep].reset_index(drop=True)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows as the page's table shows them: the kinds, categories and precisions in the
    reader's words (filter before: the values are the filters' keys)."""
    return frame.drop(columns=["country_id"]).assign(
        kind=frame["kind"].map(category_name),
        category=frame["category"].map(category_name),
        date_precision=frame["date_precision"].map(lambda p: words.precision(DatePrecision(p))),
    )


def chart(
    frame: pd.DataFrame, color_by: ColorBy = "country", today: dt.date | None = None
) -> alt.Chart | alt.LayerChart:
    """Points on a time axis, one row per country (or category); click a fact to read it.

    With `today`, the axis runs on to today, marked by a dashed line: where the points stop
    before it, the reader sees how far the data goes (the newest fact may be months old)."""
    import altair as alt  # here, not at the top: the map page imports this module
    import pandas as pd

    # Rows and colours by id (ISO3, or a category's value); the chart shows their names.
    ids = frame["country_id"] if color_by == "country" else frame["category"]
    palette = COUNTRY_COLORS if color_by == "country" else CATEGORY_COLORS
    present = set(ids)
    keys = [k for k in palette if k in present] + sorted(present - set(palette))  # e.g. "event"
    if color_by == "country":
        named = dict(zip(frame["country_id"], frame["country"], strict=True))
    else:
        named = {k: category_name(k) for k in keys}
    domain = [named[k] for k in keys]
    colors = [palette.get(k, "#000000") for k in keys]
    kinds = {"fact": _("fact"), "event": _("event")}
    data = frame.assign(
        date=frame["date"].map(lambda d: d.isoformat()),
        end_date=frame["end_date"].map(lambda d: d.isoformat() if d else ""),
        when=[dated(d, p) for d, p in zip(frame["date"], frame["date_precision"], strict=True)],
        category=frame["category"].map(category_name),
        kind=frame["kind"].map(kinds),
    )
    end = today if len(frame) else None  # the axis runs on to it (else fitted to the points)
    axis: alt.Scale | UndefinedType = alt.Undefined
    if end is not None:
        axis = alt.Scale(domain=[min(min(frame["date"]), end).isoformat(), end.isoformat()])
    spec: alt.Chart = (
        alt.Chart(data, title=_("Facts and events by date"))
        .mark_point(filled=True, size=90, opacity=0.85)
        .encode(
            x=alt.X("date:T", title=_("Date"), scale=axis),
            y=alt.Y(f"{color_by}:N", title=None, sort=domain),
            color=alt.Color(
                f"{color_by}:N",
                scale=alt.Scale(domain=domain, range=colors),
                legend=None,
            ),
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=list(kinds.values()), range=["circle", "diamond"]),
                title=_("Kind"),
            ),
            href=alt.Href("link:N"),
            tooltip=[
                alt.Tooltip("when:N", title=_("Date")),
                alt.Tooltip("country:N", title=_("Country")),
                alt.Tooltip("category:N", title=_("Category")),
                alt.Tooltip("summary:N", title=_("Summary")),
                alt.Tooltip("id:N", title=_("Id")),
                alt.Tooltip("source:N", title=_("Source")),
            ],
        )
        .properties(height=alt.Step(34))
    )
    if end is None:
        return spec
    today_label = _("today, {day}").format(day=day(end))
    mark = pd.DataFrame({"date": [end.isoformat()], "label": [today_label]})
    line = alt.Chart(mark).encode(
        x="date:T", tooltip=[alt.Tooltip("label:N", title=_("Axis ends"))]
    )
    rule = line.mark_rule(strokeDash=[4, 3], color="#888888")
    text = line.mark_text(align="right", baseline="bottom", dx=-2, dy=-3, color="#888888").encode(
        y=alt.value(0), text="label:N"
    )
    return alt.LayerChart(layer=[spec, rule, text])


def date_range(ds: Dataset, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The earliest and latest day a fact or event is dated (and at least `today`).

    The two always differ (a slider needs a range), even with no dated fact at all.
    """
    if ds.dated_span is None:
        day = today or dt.date(2022, 2, 24)
        return day - dt.timedelta(days=1), day
    lo, hi = ds.dated_span
    if today is not None:
        hi = max(hi, today)
    if lo == hi:
        lo = hi - dt.timedelta(days=1)
    return lo, hi


def parse_as_of(value: object) -> dt.date | None:
    """A date from a session value or a query parameter ('YYYY-MM-DD'); None if not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def indicators_as_of(
    ds: Dataset, as_of: dt.date | None, signals: Iterable[str] | None = None
) -> pd.DataFrame:
    """Each indicator's class label for each of the five, from facts dated on or before
    `as_of` (rows: indicators; columns: countries)."""
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    names = _names(ds)
    chosen = None if signals is None else list(signals)
    rows = []
    for key, spec in ds.catalogue.indicators.items():
        results = compute(ds, key, as_of=as_of, signals=chosen)
        row = {"indicator": spec.label}
        row.update({names.get(iso3, iso3): results[iso3].label for iso3 in FIVE})
        rows.append(row)
    columns = ["indicator", *(names.get(i, i) for i in FIVE)]
    frame = pd.DataFrame(rows, columns=columns).set_index("indicator")
    return frame.rename_axis(_(INDICATOR))


INDICATOR = N_("indicator")  # the table's first column
