"""Tables and downloads: facts with full citations (CSV), routes, events, sources as CSL-JSON
or BibTeX, and the GeoJSON files exactly as shipped."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from . import words
from .i18n import _
from .model import (
    Category,
    Commodity,
    DatePrecision,
    GeometryQuality,
    RouteStatus,
    Source,
    SourceKind,
)
from .reader import reader_link

if TYPE_CHECKING:
    import pandas as pd

    from .dataset import Dataset

FACT_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "date_note",
    "category",
    "summary",
    "countries",
    "stored_in",
    "actors",
    "signals",
    "source",
    "source_title",
    "outlet",
    "via",
    "author",
    "published",
    "url",
    "source_kind",
    "accessed",
    "excerpt",
    "start",
    "end",
    "note",
)


def _join(items: Any) -> str:
    return "; ".join(str(getattr(i, "value", i)) for i in items)


def facts_frame(ds: Dataset) -> pd.DataFrame:
    """One row per fact, oldest first, with the full citation of its source."""
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    rows = []
    for ref in ds.fact_refs():
        f = ref.fact
        src = ds.sources.get(f.source)
        rows.append(
            {
                "id": f.id,
                "date": f.date,
                "date_precision": f.date_precision.value,
                "date_note": f.date_note or "",
                "category": f.category.value,
                "summary": f.summary,
                "countries": _join(sorted(ref.concerns)),
                "stored_in": f"{ref.kind.value}:{ref.owner}",
                "actors": _join(f.actors),
                "signals": _join(f.signals),
                "source": f.source,
                "source_title": src.title if src else "",
                "outlet": src.outlet if src else "",
                "via": (src.via or "") if src else "",
                "author": (src.author or "") if src else "",
                "published": src.published if src else None,
                "url": (src.url or "") if src else "",
                "source_kind": src.kind.value if src else "",
                "accessed": src.accessed if src else None,
                "excerpt": f.excerpt or "",
                "start": f.start,
                "end": f.end,
                "note": f.note or "",
            }
        )
    frame = pd.DataFrame(rows, columns=list(FACT_COLUMNS))
    frame["start"] = frame["start"].astype("Int64")
    frame["end"] = frame["end"].astype("Int64")
    return frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def filter_facts(
    frame: pd.DataFrame,
    countries: list[str] | None = None,
    categories: list[str] | None = None,
    text: str = "",
) -> pd.DataFrame:
    """Rows concerning any of `countries`, of any of `categories`, containing `text`."""
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    keep = pd.Series(True, index=frame.index)
    if countries:
        keep &= frame["countries"].map(lambda c: bool(set(c.split("; ")) & set(countries)))
    if categories:
        keep &= frame["category"].isin(categories)
    if text.strip():
        needle = text.strip().lower()
        hay = frame["summary"] + " " + frame["excerpt"] + " " + frame["id"]
        keep &= hay.str.lower().str.contains(needle, regex=False)
    return frame[keep].reset_index(drop=True)


def filter_countries(
    frame: pd.DataFrame, countries: list[str] | None = None, column: str = "countries"
) -> pd.DataFrame:
    """Rows (routes, events; values by `column="country"`) that name any of `countries`."""
    if not countries:
        return frame
    keep = frame[column].map(lambda c: bool(set(c.split("; ")) & set(countries)))
    return frame[keep].reset_index(drop=True)


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, prefixed with "'"; else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


T = TypeVar("T")


def csv_safe(rows: T) -> T:
    """A copy of a frame or of rows (dicts or lists) for CSV: formula-like text cells neutralised.

    Every CSV the app offers goes through this; the data itself keeps the verbatim text.
    Numbers are left alone (a negative number is a number, not a formula).
    """
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    if isinstance(rows, pd.DataFrame):
        out = rows.copy()
        for col in out.columns:
            if not pd.api.types.is_numeric_dtype(out[col]):
                out[col] = out[col].map(csv_cell)
        return cast(T, out)
    if not isinstance(rows, Iterable):
        raise TypeError(f"csv_safe takes a DataFrame or rows, not {type(rows).__name__}")
    return cast(
        T,
        [
            {k: csv_cell(v) for k, v in row.items()}
            if isinstance(row, Mapping)
            else [csv_cell(v) for v in row]
            for row in rows
        ],
    )


def facts_csv(ds: Dataset) -> bytes:
    """The facts as UTF-8 CSV, one row per fact, formula-like cells neutralised (`csv_safe`)."""
    text: str = csv_safe(facts_frame(ds)).to_csv(index=False)
    return text.encode("utf-8")


VALUE_COLUMNS = (
    "country",
    "indicator",
    "label",
    "value",
    "number",
    "unit",
    "period",
    "statistics",
    "since",
    "note",
    "facts",
    "outlets",
    "urls",
)


def values_frame(ds: Dataset) -> pd.DataFrame:
    """Every stored indicator value (class values and numbers by period), one row each, with
    whose statistics it is and the facts and sources behind it."""
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    from .catalogue import NumericSpec, parse_period

    rows = []
    for c in ds.countries:
        for key, history in c.props.indicators.items():
            spec = ds.catalogue.indicators.get(key)
            for v in history:
                srcs = [
                    s
                    for fid in v.facts
                    if (f := ds.fact(fid)) is not None and (s := ds.sources.get(f.source))
                ]
                rows.append(
                    {
                        "country": c.props.iso3,
                        "indicator": key,
                        "label": spec.label if spec else key,
                        # text in one column (a table column takes one type), the number apart
                        "value": str(v.value),
                        "number": float(v.value) if isinstance(v.value, int | float) else None,
                        "unit": spec.unit if isinstance(spec, NumericSpec) else "",
                        "period": parse_period(v.period).label if v.period else "",
                        "statistics": ds.catalogue.statistics_label(v.statistics) or "",
                        "since": v.since,
                        "note": v.note or "",
                        "facts": "; ".join(v.facts),
                        "outlets": "; ".join(dict.fromkeys(s.outlet for s in srcs)),
                        "urls": "; ".join(dict.fromkeys(s.url for s in srcs if s.url)),
                    }
                )
    frame = pd.DataFrame(rows, columns=list(VALUE_COLUMNS))
    return frame.sort_values(["indicator", "country"], kind="stable").reset_index(drop=True)


def values_csv(ds: Dataset) -> bytes:
    """The stored indicator values as UTF-8 CSV (formula-like cells neutralised)."""
    text: str = csv_safe(values_frame(ds)).to_csv(index=False)
    return text.encode("utf-8")


def routes_frame(ds: Dataset) -> pd.DataFrame:
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    rows = [
        {
            "id": r.props.id,
            "name": r.props.name,
            "commodity": r.props.commodity.value,
            "status": r.props.status.value,
            "transits_russia": r.props.transits_russia,
            "operator": r.props.operator,
            "capacity": r.props.capacity or "",
            "length_km": r.props.length_km,
            "countries": _join(r.props.countries),
            "geometry_quality": r.props.geometry_quality.value,
            "geometry_note": r.props.geometry_note or "",
            "geometry_sources": _join(r.props.geometry_sources),
            "facts": len(r.props.facts),
        }
        for r in ds.routes
    ]
    columns = [
        "id",
        "name",
        "commodity",
        "status",
        "transits_russia",
        "operator",
        "capacity",
        "length_km",
        "countries",
        "geometry_quality",
        "geometry_note",
        "geometry_sources",
        "facts",
    ]
    return pd.DataFrame(rows, columns=columns)


def events_frame(ds: Dataset) -> pd.DataFrame:
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    rows = [
        {
            "id": e.props.id,
            "name": e.props.name,
            "date": e.props.date,
            "end_date": e.props.end_date,
            "place": e.props.place,
            "countries": _join(e.props.countries),
            "lon": e.geometry.x if e.geometry is not None else None,
            "lat": e.geometry.y if e.geometry is not None else None,
            "facts": len(e.props.facts),
        }
        for e in ds.events
    ]
    columns = ["id", "name", "date", "end_date", "place", "countries", "lon", "lat", "facts"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


# --- citation files ----------------------------------------------------------------------

_CSL_TYPE = {
    SourceKind.opinion: "article-newspaper",
    SourceKind.newsroom: "article-newspaper",
    SourceKind.state_media: "article-newspaper",
    SourceKind.official_statistics: "dataset",
    SourceKind.government: "webpage",
    SourceKind.international_organisation: "report",
    SourceKind.think_tank: "report",
    SourceKind.aggregator: "webpage",
    SourceKind.company: "webpage",
    SourceKind.dataset: "dataset",
    SourceKind.software: "software",
}


def _date_parts(d: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[d.year, d.month, d.day]]}


def csl_item(src: Source) -> dict[str, Any]:
    """One source as a CSL-JSON item (authors as literal names: no guessing of name parts)."""
    item: dict[str, Any] = {
        "id": src.id,
        "type": _CSL_TYPE[src.kind],
        "title": src.title,
        "container-title": src.outlet,
    }
    if src.author:
        item["author"] = [{"literal": src.author}]
    if src.published:
        item["issued"] = _date_parts(src.published)
    if src.url:
        item["URL"] = src.url
    if src.kind is SourceKind.opinion:
        item["genre"] = "opinion"
    notes = [n for n in (src.licence and _licence(src.licence), src.attribution) if n]
    if notes:
        item["note"] = "; ".join(notes)
    return item


def _licence(licence: str) -> str:
    return _("Licence: {licence}").format(licence=licence)


def sources_csl_json(ds: Dataset) -> str:
    items = [csl_item(s) for s in sorted(ds.sources.values(), key=lambda s: s.id)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


_BIB_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bib(value: str) -> str:
    """Escape a value for a braced BibTeX field."""

    def esc(m: re.Match[str]) -> str:
        ch = m.group(1)
        if ch == "\\":
            return r"\textbackslash{}"
        if ch in "^~":
            return rf"\{ch}{{}}"
        return "\\" + ch

    return _BIB_SPECIAL.sub(esc, value)


def sources_bibtex(ds: Dataset) -> str:
    entries = []
    for s in sorted(ds.sources.values(), key=lambda s: s.id):
        kind = "article" if _CSL_TYPE[s.kind] == "article-newspaper" else "misc"
        fields = [("title", "{" + _bib(s.title) + "}")]
        fields.append(("journal" if kind == "article" else "publisher", _bib(s.outlet)))
        if s.author:
            fields.append(("author", "{" + _bib(s.author) + "}"))
        if s.published:
            fields.append(("date", s.published.isoformat()))
            fields.append(("year", str(s.published.year)))
        if s.url:
            fields.append(("url", s.url))
        notes = [n for n in (s.licence and _licence(s.licence), s.attribution) if n]
        if notes:
            fields.append(("note", _bib("; ".join(notes))))
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        entries.append(f"@{kind}{{{s.id},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


# --- GeoJSON as shipped ------------------------------------------------------------------


def geojson_files(data_dir: Path) -> dict[str, bytes]:
    """File name -> bytes of every GeoJSON file in `data_dir`, exactly as shipped."""
    return {p.name: p.read_bytes() for p in sorted(data_dir.glob("*.geojson"))}


def with_passage_links(frame: pd.DataFrame) -> pd.DataFrame:
    """The facts table with a relative link to each quoted passage on the Sources page."""
    out = frame.copy()
    has_text = out["excerpt"].astype(bool)
    out.insert(1, "passage", out["id"].map(reader_link).where(has_text, None))
    return out


# The columns that hold one of the data's kinds: on screen, their words (see `readable`).
_WORDS: dict[str, Any] = {
    "category": lambda v: words.category(Category(v)),
    "date_precision": lambda v: words.precision(DatePrecision(v)),
    "source_kind": lambda v: words.source_kind(SourceKind(v)),
    "commodity": lambda v: words.commodity(Commodity(v)),
    "status": lambda v: words.status(RouteStatus(v)),
    "geometry_quality": lambda v: words.quality(GeometryQuality(v)),
}


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the page shows it: the data's kinds (category, kind of source, route status,
    ...) in the reader's words. Filter before (the kinds' values are the filters' keys); the
    CSV files keep the values, as stable keys."""
    out = frame.copy()
    for col, word in _WORDS.items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, word=word: word(v) if v else v)
    return out
