"""Find each excerpt in its source text and verify its character offsets."""

from __future__ import annotations

from pathlib import Path


def read_source_text(path: Path) -> str:
    """Decode a source document exactly: UTF-8, no newline translation, no stripping."""
    return path.read_bytes().decode("utf-8")


def occurrences(text: str, excerpt: str) -> list[int]:
    """Every start offset at which `excerpt` stands verbatim in `text`."""
    found: list[int] = []
    i = text.find(excerpt)
    while i != -1:
        found.append(i)
        i = text.find(excerpt, i + 1)
    return found


def check_excerpt(text: str, excerpt: str, start: int, end: int) -> str | None:
    """None when text[start:end] == excerpt, else a message that says how to fix it."""
    if text[start:end] == excerpt:
        return None
    found = occurrences(text, excerpt)
    if not found:
        return (
            "excerpt is not in the source text (not a verbatim quotation: "
            "check every character, quotes and dashes included)"
        )
    at = ", ".join(f"{i}-{i + len(excerpt)}" for i in found[:3])
    return f"excerpt does not stand at {start}-{end}; it stands at {at}"


def anchor(text: str, excerpt: str) -> tuple[int, int] | None:
    """Offsets of `excerpt` when it occurs exactly once, else None."""
    found = occurrences(text, excerpt)
    if len(found) != 1:
        return None
    return found[0], found[0] + len(excerpt)
