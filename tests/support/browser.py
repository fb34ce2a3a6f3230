"""What the browser tests share: a real Streamlit server on a free port, Chromium with every
request to a host other than loopback blocked and recorded, and the map inside its component
iframe (its frame, a panel, points to click computed from the shipped shapes and checked with
the browser's own hit test).

A browser test that cannot run fails: a missing Chromium or a server that does not come up is
an error, never a skip. The fixtures that use these are in tests/e2e/conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    Frame,
    FrameLocator,
    Locator,
    Page,
    Playwright,
    Route,
    expect,
)
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from central_asia_atlas import i18n

from .paths import ROOT
from .shipped import shipped

ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"  # server logs (ignored by git)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
STARTUP_SECONDS = 60

# The map component's iframe, by its address: its title is the map's own (mapview.Words).
IFRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
LOAD_MS = 60_000  # a page's first load, the map drawn
STEP_MS = 20_000  # one step after it (a click's rerun, a toggle)


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes]


def start_server(
    log: Path,
    port: int | None = None,
    *,
    env: Mapping[str, str] | None = None,
    python: str = sys.executable,
) -> Server:
    """`streamlit run streamlit_app.py` on a free port; returns once /_stcore/health answers.

    `env` adds environment variables (e.g. CENTRAL_ASIA_ATLAS_DATA to serve a copy of the
    data); `python` is the interpreter to run it with (e.g. a fresh virtual environment's).
    """
    port = port or free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    out = log.open("wb")
    cmd = [
        python,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return Server(url, log, proc)
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.terminate()
            raise RuntimeError(f"streamlit did not answer within {STARTUP_SECONDS}s; see {log}")
        # wait a moment for the process to exit (then reported above), else poll again
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=0.2)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


# --- the browser, offline --------------------------------------------------------------------


def launch(pw: Playwright) -> Browser:
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: the browser tests need it")
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass
class Offline:
    """Requests to any host but the loopback one, each aborted and recorded."""

    blocked: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        scheme = urlsplit(route.request.url).scheme
        if scheme in ("data", "blob", "about") or host in LOOPBACK:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


def offline_page(
    browser: Browser, offline: Offline, width: int = 1400, height: int = 1000, **options: Any
) -> Page:
    """A page in a new context of its own (`options`: a phone's touch screen, a colour
    scheme), every request routed through `offline`. Close it with `page.context.close()`."""
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    context.route("**/*", offline.handle)
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


# --- the map ---------------------------------------------------------------------------------


def map_of(page: Page, timeout: float = LOAD_MS) -> tuple[Frame, FrameLocator]:
    """The map's frame, once the page shows it with the five countries drawn."""
    frame_locator = page.frame_locator(IFRAME)
    expect(frame_locator.locator("path.atlas-country")).to_have_count(5, timeout=timeout)
    handle = page.locator(IFRAME).element_handle()
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_function("() => window.map && window.map.getZoom() > 0", timeout=timeout)
    return frame, frame_locator


def open_map(page: Page, server: Server, query: str = "") -> tuple[Frame, FrameLocator]:
    page.goto(f"{server.url}/{query}")
    return map_of(page)


def panel(page: Page, kind: str, ident: str) -> Locator:
    return page.locator(f'section.atlas-panel[data-kind="{kind}"][data-id="{ident}"]')


def candidate_points(area: BaseGeometry, avoid: BaseGeometry, n: int = 12) -> list[Point]:
    """Points inside `area`, farthest from `avoid` (routes, markers) and from the border first."""
    minx, miny, maxx, maxy = area.bounds
    pts = []
    steps = 24
    for i in range(1, steps):
        for j in range(1, steps):
            p = Point(minx + (maxx - minx) * i / steps, miny + (maxy - miny) * j / steps)
            if area.contains(p):
                clearance = min(p.distance(avoid), area.boundary.distance(p))
                pts.append((clearance, p))
    pts.sort(key=lambda cp: -cp[0])
    return [p for _, p in pts[:n]]


def country_points(iso3: str, avoid: BaseGeometry | None = None) -> list[Point]:
    """`candidate_points` in the largest part of the country's shipped shape, clear of `avoid`
    (default: the routes, events and capitals)."""
    country = shipped().country(iso3)
    assert country is not None and country.geometry is not None
    parts = list(getattr(country.geometry, "geoms", [country.geometry]))
    largest = max(parts, key=lambda g: g.area)
    return candidate_points(largest, obstacles() if avoid is None else avoid)


def obstacles() -> BaseGeometry:
    """What lies on top of the shipped countries: routes, event markers, capitals."""
    ds = shipped()
    parts: list[BaseGeometry] = [r.geometry for r in ds.routes if r.geometry is not None]
    parts += [e.geometry for e in ds.events if e.geometry is not None]
    parts += [Point(c.props.capital.lon, c.props.capital.lat) for c in ds.countries]
    return unary_union(parts)


def click_where(
    frame: Frame, frame_locator: FrameLocator, points: Iterable[Point], css: str, tap: bool = False
) -> tuple[float, float]:
    """Click (or `tap`, on a touch screen) the first point whose topmost element (the
    browser's hit test) matches `css`."""
    for p in points:
        x, y, hit = frame.evaluate(
            """([lat, lng, css]) => {
                const pt = window.map.latLngToContainerPoint([lat, lng]);
                const box = document.getElementById('map_div').getBoundingClientRect();
                const el = document.elementFromPoint(box.left + pt.x, box.top + pt.y);
                return [pt.x, pt.y, !!(el && el.matches(css))];
            }""",
            [p.y, p.x, css],
        )
        if hit:
            target = frame_locator.locator("#map_div")
            (target.tap if tap else target.click)(position={"x": x, "y": y})
            return p.y, p.x
    raise AssertionError(f"no point to click shows {css} on top")


def container_point(frame: Frame, lat: float, lng: float) -> dict[str, float]:
    x, y = frame.evaluate(
        "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]); "
        "return [p.x, p.y]; }",
        [lat, lng],
    )
    return {"x": x, "y": y}


def click_at(frame_locator: FrameLocator, frame: Frame, lat: float, lng: float) -> None:
    frame_locator.locator("#map_div").click(position=container_point(frame, lat, lng))


# --- a page's language and its script run ----------------------------------------------------


def lang_query(lang: str) -> list[str]:
    """The query parameter that asks for `lang` (none for the source language, English)."""
    return [] if lang == i18n.SOURCE else [f"lang={lang}"]


def settle(page: Page, timeout: float = LOAD_MS) -> None:
    """Wait until Streamlit's script run is over."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=timeout
    )


def choose(page: Page, box: str, option: str) -> None:
    """Pick `option` in the select box named `box` as a reader would with a long list: type
    its name into the box and click it (Streamlit's list draws only the options in view)."""
    combo = page.get_by_role("combobox", name=box)
    combo.click()
    combo.press_sequentially(option[:24])
    page.get_by_role("option", name=option, exact=True).click()
