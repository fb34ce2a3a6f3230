"""The two apps under test and their Streamlit servers (free port, health poll, log to a file)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
START_TIMEOUT_S = 90


@dataclass
class Target:
    name: str  # "floor", or "app" plus the scale ("app-1x", "app-10x")
    script: Path  # main script passed to `streamlit run`
    panel_selector: str  # CSS selector of the element that shows the clicked country's name
    route_toggle: Callable[[Any], Any] | None = None  # returns a locator to click, or None
    cwd: Path = ROOT  # where the server runs (for data/ and .streamlit/config.toml)
    env: dict[str, str] = field(default_factory=dict)  # extra environment for the server
    scale: int = 0  # facts multiplier of the data it serves (0: the floor)


FLOOR_CONFIG = """\
# The floor runs with Streamlit's defaults: only what it needs to serve Leaflet offline.
[server]
enableStaticServing = true
headless = true

[browser]
gatherUsageStats = false
"""


def floor_target(tmp: Path) -> Target:
    """A copy of floor_app.py next to a copy of static/ (Streamlit serves <script dir>/static),
    run in `tmp` with a config of its own: a bare app has Streamlit's defaults, not the
    app's tuning in .streamlit/config.toml (no full garbage collection after every run,
    small elements as references)."""
    if not (ROOT / "static" / "leaflet" / "leaflet.js").is_file():
        sys.exit("static/leaflet/leaflet.js is missing: the floor app serves the app's Leaflet")
    shutil.copy2(ROOT / "benchmarks" / "floor_app.py", tmp / "floor_app.py")
    shutil.copytree(ROOT / "static" / "leaflet", tmp / "static" / "leaflet", dirs_exist_ok=True)
    (tmp / "data").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "data" / "countries.geojson", tmp / "data" / "countries.geojson")
    (tmp / ".streamlit").mkdir(exist_ok=True)
    (tmp / ".streamlit" / "config.toml").write_text(FLOOR_CONFIG, encoding="utf-8")
    return Target(
        name="floor",
        script=tmp / "floor_app.py",
        panel_selector='[data-testid="stMain"] [data-testid="stMarkdownContainer"]',
        cwd=tmp,
    )


def app_target(scale: int, data: Path, seeds: Path) -> Target:
    """The app serving a copy of the data (see scaled.py) through the env override."""
    return Target(
        name=f"app-{scale}x",
        script=ROOT / "streamlit_app.py",
        panel_selector='[data-testid="stMain"] h1, [data-testid="stMain"] h2, '
        '[data-testid="stMain"] h3',
        route_toggle=lambda page: page.locator('[data-testid="stMain"] label').filter(
            has_text="Energy export routes"
        ),
        env={"CENTRAL_ASIA_ATLAS_DATA": str(data), "CENTRAL_ASIA_ATLAS_SEEDS": str(seeds)},
        scale=scale,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


EXCEPTION = re.compile(r"Traceback \(most recent call last\)|^\S*Error: |Uncaught app exception")


class Server:
    def __init__(self, target: Target, tag: str) -> None:
        self.target = target
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        OUT.mkdir(parents=True, exist_ok=True)
        self.log_path = OUT / f"{tag}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.t_start = 0.0

    def start(self) -> None:
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.target.script)]
        cmd += ["--server.port", str(self.port), "--server.address", "127.0.0.1"]
        cmd += ["--server.headless", "true", "--server.fileWatcherType", "none"]
        cmd += ["--server.runOnSave", "false", "--browser.gatherUsageStats", "false"]
        log = self.log_path.open("wb")
        self.t_start = time.perf_counter()
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.target.cwd,
            env={**os.environ, **self.target.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT_S
        health = f"{self.url}_stcore/health"
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.target.name} server exited; see {self.log_path}")
            with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=2) as r:
                if r.status == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.target.name} server not healthy in {START_TIMEOUT_S} s")
            # wait on the starting process between polls (returns at once if it exits)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=0.02)

    def rss(self) -> float:
        assert self.proc is not None
        return rss_mb(self.proc.pid)

    def exceptions(self) -> list[str]:
        """Lines of the server log that report an exception (tracebacks, uncaught errors)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [line for line in text.splitlines() if EXCEPTION.search(line)]

    def log_tail(self, n: int = 25) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-n:])

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
