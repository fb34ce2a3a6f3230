"""The reader's language: interface strings from gettext catalogs (managed with Babel's
`pybabel extract/update/compile`, see docs/translating.md), and the data's own translations.

One language per page run, never a process-wide `gettext.install`: the app layer (and the
static site's builder) runs each page inside `use(lang)`, which sets a context variable that
`_` and the data's `text` read. A Streamlit session's script runs in its own thread, so two
readers in two languages never see each other's. The catalogs are loaded once per language
and shared read-only.

English is the source language (the msgids are the English text). Another language is a
compiled catalog under locale/<lang>/LC_MESSAGES/ and its translations in the data
(`languages` in data/indicators.yaml); no code names a language but English.
"""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

SOURCE = "en"  # the language the code and the data are written in
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
_LANG_CODE = re.compile(r"^[a-z]{2,3}$")

_current: ContextVar[str] = ContextVar("atlas_language", default=SOURCE)


def languages() -> tuple[str, ...]:
    """English and every language with a compiled catalog, in the order of their codes."""
    found = sorted(
        p.parent.parent.name
        for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")
        if _LANG_CODE.match(p.parent.parent.name)
    )
    return (SOURCE, *[code for code in found if code != SOURCE])


@functools.cache
def catalog(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of `lang` (English, or a language without one: the msgids)."""
    if lang == SOURCE:
        return gettext.NullTranslations()
    from babel.support import Translations

    return Translations.load(str(LOCALE_DIR), [lang], DOMAIN)


def parse(value: object) -> str | None:
    """A language code from a link or a widget (`?lang=ru`), if it is one of `languages`."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else None
    code = str(value).strip().lower() if value is not None else ""
    return code if code in languages() else None


@contextmanager
def use(lang: str | None) -> Iterator[str]:
    """Run the block in `lang` (None, or one without a catalog: English)."""
    code = lang if lang in languages() else SOURCE
    token = _current.set(code)
    try:
        yield code
    finally:
        _current.reset(token)


def current() -> str:
    """The language of the page being made."""
    return _current.get()


def _(message: str) -> str:
    """An interface string in the current language (the English msgid if untranslated)."""
    return catalog(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """An interface string with a count, in the current language's plural forms."""
    return catalog(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction where it is defined; translate it with `_` where shown."""
    return message


def text(obj: Any, field: str) -> str:
    """A field of the data (a fact's summary, an indicator's label) in the current language:
    its translation in the object's `i18n`, else the field as written (English)."""
    own: str = getattr(obj, field)
    if current() == SOURCE:
        return own
    translated: Mapping[str, Mapping[str, str]] = getattr(obj, "i18n", None) or {}
    return translated.get(current(), {}).get(field) or own


def name(code: str) -> str:
    """A language's name as its readers write it: "English", "Русский"."""
    from babel import Locale

    own = Locale.parse(code).get_display_name(code) or code
    return own[:1].upper() + own[1:]


def in_every_language(message: str) -> str:
    """`message` in every language, each once ("Language · Язык"): a label that its reader
    finds whichever language the page is in (the language switch's)."""
    return " · ".join(dict.fromkeys(catalog(code).gettext(message) for code in languages()))


def locale() -> str:
    """The current language as a Babel locale identifier (for dates and numbers)."""
    return current()
