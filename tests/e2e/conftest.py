"""Browser-test fixtures: a real Streamlit server, and Chromium with every non-loopback request
blocked and recorded (each test asserts that none was made).

A browser test that cannot run fails: a missing Chromium or a server that does not come up
is an error, never a skip.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
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


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    srv = start_server(ARTIFACTS / "streamlit-server.log")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


def launch(pw: Playwright) -> Browser:
    if not Path(CHROMIUM).is_file():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: the browser tests need it")
    return pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    b = launch(playwright_instance)
    yield b
    b.close()


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


@pytest.fixture
def offline() -> Offline:
    return Offline()


@pytest.fixture
def page(browser: Browser, offline: Offline) -> Iterator[Page]:
    """A fresh browser context per test, routed through `offline`.

    After the test, asserts that no request left the machine.
    """
    pg = offline_page(browser, offline)
    yield pg
    pg.context.close()
    assert offline.blocked == [], f"requests to other hosts: {offline.blocked}"
