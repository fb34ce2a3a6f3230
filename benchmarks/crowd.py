"""The concurrent-sessions test: one real browser and N-1 protocol sessions click at once.

The browser's click-to-panel is the figure (the same probe as the single-session clicks); the
other sessions (wsload.py) replay the messages the round's first browser session sent, so the
server does for each of them what it does for a browser. Before the crowd, one protocol session
alone replays the same clicks: the protocol sessions' own single-session reference.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import probes
from servers import Target

WSLOAD = Path(__file__).resolve().parent / "wsload.py"
LEAD_S = 0.3  # a burst is announced this long before its moment
PAUSE_S = 0.3  # between bursts


@dataclass
class Chain:
    """What a browser sent: the rerun requests of its first view, then those of each click."""

    initial: list[bytes]
    clicks: list[list[bytes]]
    names: list[str]  # the country each click selects


class Load:
    """wsload.py in its own process, with `n` protocol sessions that have their first view."""

    def __init__(self, url: str, target: Target, chain: Chain, n: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(WSLOAD)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        b64 = lambda m: base64.b64encode(m).decode()  # noqa: E731
        cfg = {
            "url": url,
            "sessions": n,
            "panel": "floor" if target.scale == 0 else "app",
            "initial": [b64(m) for m in chain.initial],
            "clicks": [[b64(m) for m in step] for step in chain.clicks],
            "names": chain.names,
        }
        self._send(json.dumps(cfg))
        ready = self._read()
        if ready.get("ready") != n or None in ready.get("first_view_ms", [None]):
            raise RuntimeError(f"protocol sessions not ready: {ready}")

    def _send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"wsload.py exited ({self.proc.poll()})")
        return dict(json.loads(line))

    def burst(self, j: int, at: float) -> None:
        self._send(f"burst {j} {at!r}")

    def results(self) -> list[dict[str, Any]]:
        return list(self._read()["results"])

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._send("quit")
            self.proc.wait(timeout=10)
        if self.proc.poll() is None:
            self.proc.kill()


def chain_of(first_view: list[bytes], clicks: list[dict[str, Any]], names: dict[str, str]) -> Chain:
    return Chain(
        first_view, [c["_reruns_sent"] for c in clicks], [names[c["country"]] for c in clicks]
    )


def alone(url: str, target: Target, chain: Chain) -> list[dict[str, Any]]:
    """One protocol session replays the clicks, the server otherwise idle."""
    load = Load(url, target, chain, 1)
    out = []
    try:
        for j in range(len(chain.clicks)):
            load.burst(j, time.time())
            out += load.results()
            time.sleep(PAUSE_S)
    finally:
        load.close()
    return out


def crowd(
    browser: Any,
    url: str,
    target: Target,
    keys: list[list[str]],
    countries: list[probes.Country],
    chain: Chain,
    sessions: int,
    send_ms: float,
) -> dict[str, Any]:
    """`sessions` - 1 protocol sessions and one browser click at the same moment, per burst.

    A browser's request leaves `send_ms` after its click (its JavaScript; the single-session
    median): the protocol sessions send theirs that long after the moment, so that all the
    requests of a burst reach the server together, the browser's among them.
    """
    load = Load(url, target, chain, sessions - 1)
    user: probes.Session | None = None
    out: dict[str, Any] = {"browser": [], "protocol": []}
    try:
        user = probes.open_session(browser, url, keys)
        probes.settle(user.page, user.net, 0, probes.FIRST_VIEW_QUIET_MS)
        order = probes.click_order(user, target, countries)
        for j in range(len(chain.clicks)):
            c = order[j % len(order)]
            pt = probes.arm(user, target, keys, c)
            before = user.net.snapshot()
            n_sent, n_fin = len(user.net.sent_ts), len(user.net.finished_ts)
            at = time.time() + LEAD_S
            load.burst(j, at + send_ms / 1000)
            time.sleep(max(0.0, at - time.time()))
            user.page.mouse.click(pt["x"], pt["y"])
            user.page.wait_for_function(
                "() => window.__bench.panelT !== null", polling="raf", timeout=probes.TIMEOUT_MS
            )
            probes.settle(user.page, user.net, before["finished"])
            out["browser"].append(
                {"country": c.iso3, **probes.measured(user, keys, before, n_sent, n_fin)}
            )
            out["protocol"] += load.results()
            time.sleep(PAUSE_S)
    finally:
        if user is not None:
            user.close()
        load.close()
    return out
