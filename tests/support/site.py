"""The built static site, for the unit and browser tests: one build of the shipped data per
test session (the real command, run in-process), and readers of its pages and assets."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .cli import run_cli
from .paths import ROOT

BASE_URL = "https://maps.example.org/atlas/"  # the --base-url the shared build is given
_CONFIG = re.compile(r'<script id="site-config" type="application/json">(.*?)</script>', re.S)


def build_shipped(target: Path, *extra: str) -> Path:
    """`python -m central_asia_atlas build-site TARGET --base-url BASE_URL` on the shipped
    data, in this process; fails loudly if the command does."""
    data, seeds = str(ROOT / "data"), str(ROOT / "seeds")
    run = run_cli("--data", data, "--seeds", seeds, "build-site", str(target), *extra)
    assert run.returncode == 0, run.stderr + run.stdout
    assert run.stdout.startswith("OK: "), run.stdout
    return target


def files(site: Path) -> dict[str, bytes]:
    """Site path -> bytes of every file of a built site."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def config(html: str) -> dict[str, Any]:
    """The map page's or the embed's configuration for its script."""
    found = _CONFIG.search(html)
    assert found, "no site-config in the page"
    data: dict[str, Any] = json.loads(found.group(1))
    return data


@dataclass
class Tags(HTMLParser):
    """Every start tag of a page with its attributes, and its text (outside scripts)."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    _skip: int = 0

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def parse(html: str) -> Tags:
    t = Tags()
    t.feed(html)
    t.close()
    return t
