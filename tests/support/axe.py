"""axe-core in a real browser, in every frame of a page: the accessibility check of the browser
tests (tests/e2e/test_accessibility.py).

axe-core comes from the npm package, pinned in tests/e2e/axe/package.json (and its lock) and
installed by the README's test command (`npm ci` there, see scripts/test.sh): a local file, put
into each frame as a script, so the check asks nothing of the network. Each frame is checked
as a document of its own (`iframes: false`): the map component's frame is a page a screen
reader enters, and needs its own landmarks, heading and names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Frame, Page

from .paths import ROOT

AXE_DIR = ROOT / "tests" / "e2e" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and Deque's best practices.
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
SEVERE = ("serious", "critical")


@cache
def axe_source(path: Path = AXE_JS) -> str:
    """The pinned axe-core; missing, the test fails and says how to install it."""
    if not path.is_file():
        raise RuntimeError(
            f"axe-core not found at {path}: run scripts/test.sh, or npm ci --prefix {AXE_DIR}"
        )
    return path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    """One rule broken in one frame, with the elements that break it."""

    rule: str
    impact: str
    frame: str  # the frame's URL path (the page itself: "/")
    help: str
    targets: tuple[str, ...]
    summaries: tuple[str, ...]

    def __str__(self) -> str:
        nodes = "".join(
            f"\n    {t}\n      {s}" for t, s in zip(self.targets, self.summaries, strict=True)
        )
        return f"{self.rule} ({self.impact}) in {self.frame}: {self.help}{nodes}"


def _frame_name(frame: Frame) -> str:
    url = frame.url
    path = url.split("://", 1)[-1].split("/", 1)[-1] if "://" in url else url
    return "/" + path.split("?", 1)[0]


def check_frame(frame: Frame, tags: Sequence[str] = TAGS) -> list[Violation]:
    """Run axe-core on one frame's document (its own frames aside)."""
    if not frame.evaluate("() => typeof window.axe === 'object'"):
        frame.evaluate(axe_source())
    options = {
        "runOnly": {"type": "tag", "values": list(tags)},
        "resultTypes": ["violations"],
        "iframes": False,
    }
    found: list[dict[str, Any]] = frame.evaluate(
        "(options) => axe.run(document, options).then((r) => r.violations)", options
    )
    name = _frame_name(frame)
    return [
        Violation(
            v["id"],
            v.get("impact") or "",
            name,
            v["help"],
            tuple(" ".join(map(str, n["target"])) for n in v["nodes"]),
            tuple((n.get("failureSummary") or "").replace("\n", " ")[:300] for n in v["nodes"]),
        )
        for v in found
    ]


@dataclass(frozen=True)
class Report:
    frames: tuple[str, ...]  # the frames checked, by their URL path
    violations: tuple[Violation, ...]


def check_page(page: Page, tags: Sequence[str] = TAGS) -> Report:
    """axe-core in every frame of `page`: the page and each iframe in it (the map's too)."""
    frames: list[str] = []
    out: list[Violation] = []
    for frame in page.frames:
        if frame.is_detached() or frame.url in ("", "about:blank"):
            continue
        frames.append(_frame_name(frame))
        out += check_frame(frame, tags)
    return Report(tuple(frames), tuple(out))


def severe(violations: Iterable[Violation]) -> list[Violation]:
    """The serious and critical ones (the tests allow none)."""
    return [v for v in violations if v.impact in SEVERE]
