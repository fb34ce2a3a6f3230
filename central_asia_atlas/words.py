"""The interface's words for the data's own kinds (categories, kinds of source, relations, route
status and commodity, side and signal names come from the catalogue), in the reader's language.

Each enum's English words are marked with `N_` here, where pybabel finds them, and translated
with `_` when shown; the data keeps its enum values as they are.
"""

from __future__ import annotations

from collections.abc import Iterable

from .i18n import N_, _
from .model import (
    Category,
    Commodity,
    DatePrecision,
    GeometryQuality,
    RelationKind,
    RouteStatus,
    SourceKind,
)

_CATEGORY = {
    Category.stance: N_("stance"),
    Category.aid: N_("aid"),
    Category.trade: N_("trade"),
    Category.energy: N_("energy"),
    Category.diplomacy: N_("diplomacy"),
    Category.governance: N_("governance"),
    Category.reform: N_("reform"),
    Category.geopolitics: N_("geopolitics"),
    Category.sanctions: N_("sanctions"),
    Category.economy: N_("economy"),
    Category.context: N_("context"),
}
_SOURCE_KIND = {
    SourceKind.official_statistics: N_("official statistics"),
    SourceKind.government: N_("government"),
    SourceKind.international_organisation: N_("international organisation"),
    SourceKind.newsroom: N_("newsroom"),
    SourceKind.think_tank: N_("think tank"),
    SourceKind.opinion: N_("opinion"),
    SourceKind.state_media: N_("state media"),
    SourceKind.aggregator: N_("aggregator"),
    SourceKind.dataset: N_("dataset"),
    SourceKind.software: N_("software"),
    SourceKind.company: N_("company"),
}
_RELATION = {
    RelationKind.superseded_by: N_("Superseded by a later fact"),
    RelationKind.supersedes: N_("Supersedes an earlier fact"),
    RelationKind.disagrees_with: N_("Sources disagree"),
    RelationKind.corroborates: N_("Corroborated by"),
}
_STATUS = {
    RouteStatus.operating: N_("operating"),
    RouteStatus.construction: N_("under construction"),
    RouteStatus.proposed: N_("proposed"),
    RouteStatus.shelved: N_("shelved"),
    RouteStatus.cancelled: N_("cancelled"),
    RouteStatus.idle: N_("idle"),
}
_COMMODITY = {
    Commodity.oil: N_("oil"),
    Commodity.gas: N_("gas"),
    Commodity.oil_by_tanker: N_("oil by tanker"),
}
_QUALITY = {GeometryQuality.traced: N_("traced"), GeometryQuality.schematic: N_("schematic")}
_PRECISION = {
    DatePrecision.day: N_("day"),
    DatePrecision.month: N_("month"),
    DatePrecision.year: N_("year"),
}


def category(value: Category) -> str:
    return _(_CATEGORY.get(value, value.value))


def source_kind(value: SourceKind) -> str:
    return _(_SOURCE_KIND.get(value, value.value))


def relation(value: RelationKind) -> str:
    return _(_RELATION.get(value, value.value))


def status(value: RouteStatus) -> str:
    return _(_STATUS.get(value, value.value))


def commodity(value: Commodity) -> str:
    return _(_COMMODITY.get(value, value.value))


def quality(value: GeometryQuality) -> str:
    return _(_QUALITY.get(value, value.value))


def precision(value: DatePrecision) -> str:
    return _(_PRECISION.get(value, value.value))


# The columns of the tables the pages show. On screen a column's header is its name in the
# reader's language; in a CSV file it stays the English name (a stable key for scripts).
# TRANSLATORS: these are the headers of the tables' columns (the English is the CSV's name).
_COLUMNS = (
    N_("id"),
    N_("date"),
    N_("date_precision"),
    N_("date_note"),
    N_("end_date"),
    N_("category"),
    N_("summary"),
    N_("countries"),
    N_("country"),
    N_("stored_in"),
    N_("actors"),
    N_("signals"),
    N_("source"),
    N_("source_title"),
    N_("outlet"),
    N_("via"),
    N_("author"),
    N_("published"),
    N_("url"),
    N_("source_kind"),
    N_("accessed"),
    N_("excerpt"),
    N_("start"),
    N_("end"),
    N_("note"),
    N_("indicator"),
    N_("label"),
    N_("value"),
    N_("number"),
    N_("unit"),
    N_("period"),
    N_("statistics"),
    N_("since"),
    N_("facts"),
    N_("outlets"),
    N_("urls"),
    N_("name"),
    N_("commodity"),
    N_("status"),
    N_("transits_russia"),
    N_("operator"),
    N_("capacity"),
    N_("length_km"),
    N_("geometry_quality"),
    N_("geometry_note"),
    N_("geometry_sources"),
    N_("place"),
    N_("lon"),
    N_("lat"),
    N_("kind"),
    N_("title"),
    N_("licence"),
    N_("attribution"),
    N_("what"),
    N_("link"),
)
_COLUMN_SET = frozenset(_COLUMNS)


def column(name: str) -> str:
    """A table column's header in the reader's language (its name, if it is not one of ours)."""
    return _(name) if name in _COLUMN_SET else name


def headers(names: Iterable[str]) -> dict[str, str]:
    """{column: header} for st.dataframe's column_config: every column named for the reader."""
    return {name: column(str(name)) for name in names}
