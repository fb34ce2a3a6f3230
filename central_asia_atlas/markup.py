"""Data text made literal for Streamlit's markdown (labels, captions, notices)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from . import i18n

# Any ASCII punctuation may be backslash-escaped in CommonMark. Escaped here: what markdown,
# Streamlit's LaTeX ($), colour and badge directives (:red[...]), links and images (![..](..)),
# autolinks (https://, www., a@b), character references (&lt;), raw HTML, emphasis, code,
# headings, lists and tables could read as syntax. ("-" is left alone: on one line, it could
# only start a list item, and names such as EU-Kazakhstan stay searchable.)
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+.!|~$:&@])")


def md(text: str) -> str:
    """`text` as Streamlit markdown that shows exactly `text`, on one line.

    For every place that renders markdown (st.markdown, st.caption, st.info, expander and
    widget labels): a name, a note or a value from a link can then neither fetch an image,
    make a link, colour text nor inject HTML.
    """
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def day(d: dt.date) -> str:
    """A day as the reader's language writes it: "7 October 2025", "7 октября 2025"."""
    from babel.dates import format_date

    return format_date(d, "d MMMM y", locale=i18n.locale())


def dated(d: dt.date, precision: str = "day") -> str:
    """A fact's date as far as it is known: "7 October 2025", "October 2025" or "2025"."""
    from babel.dates import format_date

    if precision == "year":
        return f"{d.year}"
    if precision == "month":
        return format_date(d, "LLLL y", locale=i18n.locale())
    return day(d)


def month_abbr(d: dt.date) -> str:
    """A month's short name, standing alone: "Sep", "сент."."""
    from babel.dates import format_date

    return format_date(d, "LLL", locale=i18n.locale())


def percent(share: float) -> str:
    """A share (0..1) as a whole percentage in the reader's language: "80%", "80 %"."""
    from babel.numbers import format_percent

    return format_percent(share, locale=i18n.locale())


def slider_date_format() -> str:
    """The day sliders' date format (day.js tokens, drawn by the browser, which writes month
    names in English only): "D MMM YYYY" in English; a language whose month names differ
    gives a numeric format in its catalog ("DD.MM.YYYY")."""
    # TRANSLATORS: a date format in day.js tokens (D, DD, MM, MMM, YYYY) for the day sliders.
    # The browser writes month names (MMM) in English only: use a numeric format, DD.MM.YYYY.
    return i18n._("D MMM YYYY")


def number(x: float) -> str:
    """A number as the reader's language writes it, to one decimal: "1,234.5", "1 234,5"."""
    from babel.numbers import format_decimal

    return format_decimal(x, "#,##0.#", locale=i18n.locale())


def and_list(items: Sequence[str]) -> str:
    """Items as prose in the reader's language: "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return i18n._("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


class Html(str):
    """HTML built by this package, for st.html to show as it is.

    st.html takes an object's ``_repr_html_()`` before ``str()``, and only a plain string is
    dedented and stripped first: two regular-expression passes over the whole text of a
    country's panel, at every click's rerun of every session (py-spy, benchmarks/results.md).
    The package's HTML has no indentation or surrounding space to remove, so this skips work
    that would change nothing (tests/app/test_map_payload.py pins the path). Still a str for
    everything else.
    """

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str.__str__(self)
