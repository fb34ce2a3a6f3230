"""Make the README's screenshots of the map with a real browser, not by hand.

    .venv/bin/python scripts/screenshots.py            # starts its own server
    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:8501

Writes docs/img/map-routes.png (the default colouring, energy routes on, a route selected),
docs/img/map-kyrgyzstan.png (Kyrgyzstan selected: its trade chart and its ties on each side)
and docs/img/map-trade-share.png (the map coloured by the catalogue's first numeric indicator).
Like the browser tests, it blocks every request to a host other than the app's and fails if one
was made.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from central_asia_atlas import store  # noqa: E402
from central_asia_atlas.catalogue import NumericSpec  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    Offline,
    launch,
    offline_page,
    start_server,
    stop_server,
)
from tests.support.browser import MAP_IFRAME  # noqa: E402

IFRAME = MAP_IFRAME
OUT = ROOT / "docs" / "img"
CATALOGUE = store.load().catalogue
NUMERIC = next(k for k, s in CATALOGUE.indicators.items() if isinstance(s, NumericSpec))
SHOTS = {
    "map-routes.png": ("?route=cpc&routes=1", "route", "cpc"),
    "map-kyrgyzstan.png": ("?country=KGZ&routes=0", "country", "KGZ"),
    "map-trade-share.png": (f"?country=UZB&indicator={NUMERIC}&routes=0", "country", "UZB"),
}


def shoot(page: Page, base: str, query: str, kind: str, ident: str, path: Path) -> None:
    page.goto(f"{base}/{query}")
    frame = page.frame_locator(IFRAME)
    expect(frame.locator("path.atlas-country")).to_have_count(5, timeout=60_000)
    if "routes=1" in query:
        expect(frame.locator("path.atlas-route").first).to_be_visible(timeout=30_000)
    box = page.locator(f'section.atlas-panel[data-kind="{kind}"][data-id="{ident}"]')
    expect(box).to_be_visible(timeout=30_000)
    if kind == "country":
        expect(frame.locator("path.atlas-highlight")).to_have_count(1)
    page.mouse.move(0, 0)  # no hover tooltip in the picture
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an app already running (default: start one)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    server = None if args.url else start_server(ROOT / "tests/e2e/artifacts/screenshots.log")
    base = args.url.rstrip("/") if args.url else server.url  # type: ignore[union-attr]
    offline = Offline()
    try:
        with sync_playwright() as pw:
            browser = launch(pw)
            page = offline_page(browser, offline, width=1400, height=1100)
            for name, (query, kind, ident) in SHOTS.items():
                shoot(page, base, query, kind, ident, args.out / name)
                print(f"wrote {args.out / name}")
            browser.close()
    finally:
        if server is not None:
            stop_server(server)
    if offline.blocked:
        print(f"requests to other hosts were made: {offline.blocked}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
