"""The interface's catalogs are complete and up to date (see docs/translating.md).

The strings are extracted with Babel's own API from what `babel.cfg` names (the package, the
app's frame, the pages), with the keywords `scripts/i18n.sh extract` uses. Every language with
a catalog is checked the same way, so a third one needs no change here.
"""

from __future__ import annotations

import ast
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from central_asia_atlas import i18n
from tests.support.paths import ROOT

LOCALE = ROOT / "central_asia_atlas" / "locale"
POT = LOCALE / "messages.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}  # as scripts/i18n.sh extract
METHOD_MAP = [
    ("central_asia_atlas/**.py", "python"),
    ("app_frame.py", "python"),
    ("pages/**.py", "python"),
]
CATALOGS = sorted(p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/messages.po"))
_PLACEHOLDER = re.compile(r"\{(\w*)\}")

MsgId = str | tuple[str, str]


def extracted() -> dict[MsgId, list[str]]:
    """Every marked string of the code: msgid (a pair for plurals) -> the files it is in."""
    found: dict[MsgId, list[str]] = {}
    for filename, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        msgid: MsgId = message if isinstance(message, str) else (message[0], message[1])
        found.setdefault(msgid, []).append(filename)
    return found


CODE = extracted()


def _key(m: Message) -> MsgId:
    return m.id if isinstance(m.id, str) else (m.id[0], m.id[1])


def _catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def test_the_interface_has_strings_to_translate() -> None:
    assert len(CODE) > 300
    assert "Map" in CODE and ("{n} fact", "{n} facts") in CODE


def test_the_committed_template_is_what_extract_gives_now() -> None:
    """Run `scripts/i18n.sh extract` (then `update`) when this fails."""
    template = {_key(m) for m in _catalog(POT) if m.id}
    assert sorted(map(str, set(CODE) - template)) == [], "in the code, not in messages.pot"
    assert sorted(map(str, template - set(CODE))) == [], "in messages.pot, not in the code"


def _calls(tree: ast.AST) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name in KEYWORDS:
                yield node


SOURCES = sorted(
    [
        *(ROOT / "central_asia_atlas").glob("*.py"),
        ROOT / "app_frame.py",
        *(ROOT / "pages").glob("*.py"),
    ],
    key=str,
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_every_marked_string_is_one_pybabel_finds(path: Path) -> None:
    """A `_()` inside an f-string's braces is invisible to pybabel (its tokenizer does not
    enter them on Python 3.11), and an f-string given to `_()` is no msgid at all: either would
    stay in English in every language. The syntax tree sees both."""
    known = {s for k in CODE for s in (k if isinstance(k, tuple) else (k,))}
    wrong = []
    for call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
        name = ast.unparse(call.func)
        for arg in call.args[:2] if name.endswith("ngettext") else call.args[:1]:
            if isinstance(arg, ast.JoinedStr):
                wrong.append(f"line {call.lineno}: an f-string given to {name}")
            elif isinstance(arg, ast.Constant) and arg.value not in known:
                wrong.append(f"line {call.lineno}: {arg.value!r} is not extracted")
    assert wrong == []


def test_there_is_a_russian_catalog() -> None:
    assert "ru" in CATALOGS and "ru" in i18n.languages()


@pytest.mark.parametrize("lang", CATALOGS)
def test_every_string_is_translated_and_none_is_fuzzy(lang: str) -> None:
    catalog = _catalog(LOCALE / lang / "LC_MESSAGES" / "messages.po", lang)
    messages = {_key(m): m for m in catalog if m.id}
    problems = []
    for msgid in CODE:
        m = messages.get(msgid)
        if m is None:
            problems.append(f"missing: {msgid!r}")
        elif m.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        elif isinstance(m.string, tuple):
            if len(m.string) != catalog.num_plurals or not all(s.strip() for s in m.string):
                problems.append(f"not every plural form ({catalog.num_plurals}): {msgid!r}")
        elif not m.string.strip():
            problems.append(f"empty: {msgid!r}")
    assert problems == []
    assert not catalog.fuzzy, "the catalog's header is marked fuzzy"


@pytest.mark.parametrize("lang", CATALOGS)
def test_every_translation_keeps_the_placeholders(lang: str) -> None:
    """{n}, {day}, {list}, ...: the same names as the English (a missing or misspelt one would
    raise, or drop a value, when the page formats the string)."""
    catalog = _catalog(LOCALE / lang / "LC_MESSAGES" / "messages.po", lang)
    wrong = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        ids = (m.id,) if isinstance(m.id, str) else m.id
        want = set(_PLACEHOLDER.findall(ids[-1]))
        for s in (m.string,) if isinstance(m.string, str) else m.string:
            if set(_PLACEHOLDER.findall(s)) != want:
                wrong.append(f"{ids[0]!r}: {s!r}")
    assert wrong == []


def test_the_russian_plural_forms_are_russian_ones() -> None:
    catalog = _catalog(LOCALE / "ru" / "LC_MESSAGES" / "messages.po", "ru")
    assert catalog.num_plurals == 3
    with i18n.use("ru"):
        forms = [i18n.ngettext("{n} fact", "{n} facts", n).format(n=n) for n in (1, 3, 5, 21, 111)]
    assert forms == ["1 факт", "3 факта", "5 фактов", "21 факт", "111 фактов"]


@pytest.mark.parametrize("lang", CATALOGS)
def test_the_committed_mo_is_the_compilation_of_the_po(lang: str) -> None:
    """The app reads the .mo (Community Cloud has no build step): `scripts/i18n.sh compile`."""
    folder = LOCALE / lang / "LC_MESSAGES"
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(folder / "messages.po", lang))
    assert (folder / "messages.mo").read_bytes() == compiled.getvalue()
