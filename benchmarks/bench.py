"""Benchmark the app against the floor (a bare streamlit-folium app) in headless Chromium.

    .venv/bin/python benchmarks/bench.py --rounds 5

Rounds alternate floor and app (and which of the two goes first) so that machine noise hits
both. Each round starts a fresh server per app and measures: cold start, bytes of the first
view, click-to-panel latency for the five countries, bytes per rerun, remounts of the map,
route-toggle-to-map-updated (app only), server RSS after 1 and after N concurrent sessions,
and, in a subprocess, the AppTest time of one rerun with a selection. Prints the table and
writes it to benchmarks/results.md. Server logs go to benchmarks/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
RESULTS = ROOT / "benchmarks" / "results.md"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000
QUIET_MS = 400  # no new rerun for this long (> streamlit-folium's 250 ms debounce) = settled
FIRST_VIEW_QUIET_MS = 2000  # the first view: no rerun for this long = settled

# ---------------------------------------------------------------------------------------------
# JavaScript run in the page. The st_folium component is a same-origin iframe whose window
# holds the Leaflet map as `window.map`; the parent page can reach it through contentWindow.
# ---------------------------------------------------------------------------------------------
BENCH_JS = r"""
window.__bench = window.__bench || {
  now() { return performance.timeOrigin + performance.now(); },
  countryLayers(w, key) {
    const out = [];
    w.map.eachLayer((l) => {
      const p = l.feature && l.feature.properties;
      const country = p && (p.kind === undefined || p.kind === 'country');
      const same = country && (p.iso3 === key[0] || p.id === key[0] || p.name === key[1]);
      if (same && l._path && l._path.isConnected) {
        out.push(l);
      }
    });
    return out;
  },
  mapWindow(keys) {
    for (const f of document.querySelectorAll('iframe')) {
      let w = null;
      try { w = f.contentWindow; } catch (e) { continue; }
      if (!w || !w.map || !w.L || typeof w.map.eachLayer !== 'function') continue;
      const all = keys.every((k) => window.__bench.countryLayers(w, k).length > 0);
      if (all) return {frame: f, win: w};
    }
    return null;
  },
  panelShows(sel, text) {
    for (const el of document.querySelectorAll(sel)) {
      if (el.closest('iframe')) continue;
      if ((el.textContent || '').trim() === text) return true;
    }
    return false;
  },
  watchPanel(sel, text) {
    const b = window.__bench;
    b.panelT = null;
    if (b.obs) b.obs.disconnect();
    const check = () => {
      if (b.panelT === null && b.panelShows(sel, text)) { b.panelT = b.now(); b.obs.disconnect(); }
    };
    b.obs = new MutationObserver(check);
    b.obs.observe(document.body, {childList: true, subtree: true, characterData: true});
  },
  armClick(keys) {
    const b = window.__bench, mw = b.mapWindow(keys);
    b.downT = null;
    b.sendT = null;
    b.hookSend();
    mw.win.__benchMark = 'same-map';
    mw.win.addEventListener('mousedown', () => { b.downT = b.now(); }, {capture: true, once: true});
    return true;
  },
  sameMap(keys) {
    const mw = window.__bench.mapWindow(keys);
    return !!(mw && mw.win.__benchMark === 'same-map');
  },
  clickPoint(keys, key, candidates) {
    const mw = window.__bench.mapWindow(keys);
    if (!mw) return null;
    mw.frame.scrollIntoView({block: 'center'});
    const w = mw.win, map = w.map;
    const paths = new Set(window.__bench.countryLayers(w, key).map((l) => l._path));
    const fr = mw.frame.getBoundingClientRect();
    const cr = map.getContainer().getBoundingClientRect();
    for (const [lat, lng] of candidates) {
      const pt = map.latLngToContainerPoint(w.L.latLng(lat, lng));
      const x = cr.left + pt.x, y = cr.top + pt.y;
      if (x < cr.left + 4 || y < cr.top + 4 || x > cr.right - 4 || y > cr.bottom - 4) continue;
      const el = w.document.elementFromPoint(x, y);
      if (el && paths.has(el)) {
        return {x: fr.left + mw.frame.clientLeft + x, y: fr.top + mw.frame.clientTop + y};
      }
    }
    return null;
  },
  hookSend() {
    // time of the first websocket message the page sends after a click (the rerun request)
    const b = window.__bench;
    if (b.sendHooked || typeof WebSocket === 'undefined') return;
    b.sendHooked = true;
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (...a) {
      if (b.sendT === null) b.sendT = b.now();
      return send.apply(this, a);
    };
  },
  pathCount(keys) {
    const mw = window.__bench.mapWindow(keys);
    return mw ? mw.win.document.querySelectorAll('.leaflet-overlay-pane path').length : -1;
  },
};
"""


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------
@dataclass
class Target:
    name: str
    script: Path  # main script passed to `streamlit run`
    panel_selector: str  # CSS selector of the element that shows the clicked country's name
    panel_text: str  # "name" or "iso3": what that element shows
    route_toggle: Callable[[Any], Any] | None = None  # returns a locator to click, or None
    cwd: Path = ROOT  # where the server runs (for data/ and .streamlit/config.toml)
    env: dict[str, str] = field(default_factory=dict)  # extra environment for the server


def floor_target(tmp: Path) -> Target:
    """A copy of floor_app.py next to a copy of static/ (Streamlit serves <script dir>/static)."""
    if not (ROOT / "static" / "leaflet" / "leaflet.js").is_file():
        sys.exit("static/leaflet/leaflet.js is missing: the floor app serves the app's Leaflet")
    shutil.copy2(ROOT / "benchmarks" / "floor_app.py", tmp / "floor_app.py")
    shutil.copytree(ROOT / "static", tmp / "static", dirs_exist_ok=True)
    return Target(
        name="floor",
        script=tmp / "floor_app.py",
        panel_selector='[data-testid="stMain"] [data-testid="stMarkdownContainer"]',
        panel_text="name",
    )


def app_target() -> Target:
    return Target(
        name="app",
        script=ROOT / "streamlit_app.py",
        panel_selector='[data-testid="stMain"] h1, [data-testid="stMain"] h2, '
        '[data-testid="stMain"] h3',
        panel_text="name",
        route_toggle=lambda page: page.locator('[data-testid="stMain"] label').filter(
            has_text="Energy export routes"
        ),
    )


# ---------------------------------------------------------------------------------------------
# Countries and click points (computed from data/countries.geojson, never typed in)
# ---------------------------------------------------------------------------------------------
@dataclass
class Country:
    iso3: str
    name: str
    candidates: list[list[float]]  # [lat, lng] points inside the shape, best first


def load_countries() -> list[Country]:
    from shapely.geometry import Point, shape

    raw = json.loads((ROOT / "data" / "countries.geojson").read_text(encoding="utf-8"))
    out = []
    for f in raw["features"]:
        geom = shape(f["geometry"])
        rep = geom.representative_point()
        minx, miny, maxx, maxy = geom.bounds
        pts = [rep]
        steps = 12
        for i in range(1, steps):
            for j in range(1, steps):
                p = Point(minx + (maxx - minx) * i / steps, miny + (maxy - miny) * j / steps)
                if geom.contains(p):
                    pts.append(p)
        pts.sort(key=lambda p: p.distance(rep))
        # keep points well inside the shape first: a click near a border can hit a neighbour
        inner = [p for p in pts if geom.boundary.distance(p) > 0.3] or pts
        cands = [[p.y, p.x] for p in inner[:40]]
        out.append(Country(f["properties"]["iso3"], f["properties"]["name"], cands))
    return out


# ---------------------------------------------------------------------------------------------
# Server
# ---------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


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
        cmd = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(self.target.script),
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--server.runOnSave",
            "false",
            "--browser.gatherUsageStats",
            "false",
        ]
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
        deadline = time.monotonic() + 60
        health = f"{self.url}_stcore/health"
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.target.name} server exited; see {self.log_path}")
            with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=2) as r:
                if r.status == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.target.name} server not healthy in 60 s")
            time.sleep(0.02)  # polling a process that is starting; not part of any figure

    def rss(self) -> float:
        assert self.proc is not None
        return rss_mb(self.proc.pid)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# Network accounting through the Chrome DevTools Protocol
# ---------------------------------------------------------------------------------------------
@dataclass
class Net:
    http_bytes: int = 0
    ws_bytes: int = 0
    ws_sent_bytes: int = 0
    foreign_requests: list[str] = field(default_factory=list)
    finished: int = 0  # script_finished messages
    last_rerun_t: float = 0.0
    map_args: list[int] = field(default_factory=list)  # json_args sizes of st_folium deltas
    map_refs: int = 0  # st_folium deltas sent as a cache reference
    sent_ts: list[float] = field(default_factory=list)  # CDP timestamps (s) of frames sent
    finished_ts: list[float] = field(default_factory=list)  # ... of script_finished received

    def snapshot(self) -> tuple[int, int, int, int, int]:
        return (
            self.http_bytes,
            self.ws_bytes,
            len(self.map_args),
            self.finished,
            self.ws_sent_bytes,
        )


def attach_net(context: Any, page: Any) -> Net:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    net = Net()
    cdp = context.new_cdp_session(page)

    def on_request(ev: dict[str, Any]) -> None:
        url = ev["request"]["url"]
        host = url.split("/")[2].split(":")[0] if "://" in url else ""
        if url.startswith(("http", "ws")) and host not in ("127.0.0.1", "localhost"):
            net.foreign_requests.append(url)

    def on_finished(ev: dict[str, Any]) -> None:
        net.http_bytes += int(ev.get("encodedDataLength", 0))

    def on_frame(ev: dict[str, Any]) -> None:
        resp = ev["response"]
        data = resp.get("payloadData", "")
        payload = base64.b64decode(data) if resp.get("opcode") == 2 else data.encode()
        net.ws_bytes += len(payload)
        try:
            msg = ForwardMsg.FromString(payload)
        except Exception:
            return
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            net.finished += 1
            net.finished_ts.append(float(ev.get("timestamp", 0.0)))
            net.last_rerun_t = time.perf_counter()
        elif kind in ("new_session", "session_status_changed"):
            net.last_rerun_t = time.perf_counter()
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            if el.WhichOneof("type") == "component_instance":
                ci = el.component_instance
                if "folium" in ci.component_name:
                    net.map_args.append(len(ci.json_args.encode()) + len(ci.special_args))
        elif kind == "ref_hash":
            net.map_refs += 1

    def on_sent(ev: dict[str, Any]) -> None:
        resp = ev["response"]
        data = resp.get("payloadData", "")
        n = len(base64.b64decode(data)) if resp.get("opcode") == 2 else len(data.encode())
        net.ws_sent_bytes += n
        net.sent_ts.append(float(ev.get("timestamp", 0.0)))

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.webSocketFrameReceived", on_frame)
    cdp.on("Network.webSocketFrameSent", on_sent)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    return net


def pump_until(page: Any, cond: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Let Playwright dispatch CDP events until cond() holds (synchronisation, not a figure)."""
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        page.wait_for_timeout(10)


def settle(page: Any, net: Net, finished_before: int, quiet_ms: float = QUIET_MS) -> None:
    """Wait for a rerun to finish and for quiet_ms without another one (debounced follow-ups)."""
    pump_until(page, lambda: net.finished > finished_before, 30, "script_finished")
    start = time.perf_counter()
    pump_until(
        page,
        lambda: (time.perf_counter() - max(start, net.last_rerun_t)) * 1000 > quiet_ms,
        30,
        "a quiet period",
    )


# ---------------------------------------------------------------------------------------------
# One round of one target
# ---------------------------------------------------------------------------------------------
@dataclass
class Session:
    context: Any
    page: Any
    net: Net


def open_session(browser: Any, url: str, keys: list[list[str]]) -> Session:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(BENCH_JS)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    net = attach_net(context, page)
    page.goto(url)
    wait_map(page, keys)
    return Session(context, page, net)


def wait_map(page: Any, keys: list[list[str]]) -> None:
    page.wait_for_function(
        "(keys) => !!window.__bench.mapWindow(keys)", arg=keys, polling="raf", timeout=TIMEOUT_MS
    )


def click_country(s: Session, target: Target, keys: list[list[str]], c: Country) -> dict[str, Any]:
    page, net = s.page, s.net
    text = c.name if target.panel_text == "name" else c.iso3
    pt = page.evaluate(
        "([keys, key, cands]) => window.__bench.clickPoint(keys, key, cands)",
        [keys, [c.iso3, c.name], c.candidates],
    )
    if pt is None:
        raise RuntimeError(f"{target.name}: no clickable point found inside {c.name}")
    page.evaluate("([keys]) => window.__bench.armClick(keys)", [keys])
    page.evaluate(
        "([sel, text]) => window.__bench.watchPanel(sel, text)", [target.panel_selector, text]
    )
    before = net.snapshot()
    n_sent, n_fin = len(net.sent_ts), len(net.finished_ts)
    page.mouse.click(pt["x"], pt["y"])
    page.wait_for_function(
        "() => window.__bench.panelT !== null", polling="raf", timeout=TIMEOUT_MS
    )
    settle(page, net, before[3])
    t = page.evaluate("() => [window.__bench.downT, window.__bench.panelT, window.__bench.sendT]")
    same = page.evaluate("([keys]) => window.__bench.sameMap(keys)", [keys])
    after = net.snapshot()
    return {
        "country": c.iso3,
        "latency_ms": t[1] - t[0],
        "click_to_send_ms": (t[2] - t[0]) if t[2] is not None else None,
        "rerun_http": after[0] - before[0],
        "rerun_ws": after[1] - before[1],
        "rerun_map_args": sum(net.map_args[before[2] :]),
        "reruns": after[3] - before[3],
        "sent_ws": after[4] - before[4],
        # rerun request sent -> script_finished received, both on Chromium's network clock:
        # the server's script run plus the transfer of what it sends
        "server_ms": (net.finished_ts[n_fin] - net.sent_ts[n_sent]) * 1000
        if len(net.finished_ts) > n_fin and len(net.sent_ts) > n_sent
        else None,
        "remounted": not same,
    }


def run_round(browser: Any, target: Target, countries: list[Country], sessions: int, rnd: int):
    keys = [[c.iso3, c.name] for c in countries]
    srv = Server(target, f"{target.name}-round{rnd}")
    res: dict[str, Any] = {"target": target.name, "round": rnd}
    extra: list[Session] = []
    s: Session | None = None
    try:
        srv.start()
        s = open_session(browser, srv.url, keys)
        res["cold_start_s"] = time.perf_counter() - srv.t_start
        # the map, once drawn, may post its first value and cause one more rerun: wait for it
        settle(s.page, s.net, 0, FIRST_VIEW_QUIET_MS)
        res["first_reruns"] = s.net.finished
        res["first_http"] = s.net.http_bytes
        res["first_ws"] = s.net.ws_bytes
        res["first_map_args"] = sum(s.net.map_args)
        # click the five countries, never the one the panel already shows
        order = list(countries)
        shown = [
            c
            for c in order
            if s.page.evaluate(
                "([sel, t]) => window.__bench.panelShows(sel, t)",
                [target.panel_selector, c.name if target.panel_text == "name" else c.iso3],
            )
        ]
        order = [c for c in order if c not in shown] + shown
        res["clicks"] = [click_country(s, target, keys, c) for c in order]
        if target.route_toggle is not None:
            res["route_toggle"] = toggle_routes(s, target, keys)
        res["rss1_mb"] = srv.rss()
        res["foreign"] = list(s.net.foreign_requests)
        for _ in range(sessions - 1):
            extra.append(open_session(browser, srv.url, keys))
        for e in extra:
            settle(e.page, e.net, 0, FIRST_VIEW_QUIET_MS)
        res["rssN_mb"] = srv.rss()
        res["foreign"] += [u for e in extra for u in e.net.foreign_requests]
    except Exception as exc:
        tail = "\n".join(srv.log_path.read_text(errors="replace").splitlines()[-25:])
        raise RuntimeError(
            f"{target.name}, round {rnd}: {exc}\n--- {srv.log_path} (end) ---\n{tail}"
        ) from exc
    finally:
        for e in extra:
            with contextlib.suppress(Exception):
                e.context.close()
        if s is not None:
            with contextlib.suppress(Exception):
                s.context.close()
        srv.stop()
    return res


def toggle_routes(s: Session, target: Target, keys: list[list[str]]) -> list[float]:
    """Toggle the route layer on and off; ms from mousedown until the map's paths change."""
    assert target.route_toggle is not None
    out = []
    for _ in range(2):
        before_paths = s.page.evaluate("([keys]) => window.__bench.pathCount(keys)", [keys])
        loc = target.route_toggle(s.page)
        box = loc.bounding_box()
        s.page.evaluate(
            """([keys, n]) => {
                 const b = window.__bench; b.downT = null; b.mapT = null;
                 window.addEventListener('mousedown', () => { b.downT = b.now(); },
                                         {capture: true, once: true});
                 const poll = () => {
                   const c = b.pathCount(keys);
                   if (c !== n && c >= 0) { b.mapT = b.now(); return; }
                   requestAnimationFrame(poll);
                 };
                 requestAnimationFrame(poll);
               }""",
            [keys, before_paths],
        )
        finished = s.net.finished
        s.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        s.page.wait_for_function("() => window.__bench.mapT !== null", timeout=TIMEOUT_MS)
        settle(s.page, s.net, finished)
        t = s.page.evaluate("() => [window.__bench.downT, window.__bench.mapT]")
        out.append(t[1] - t[0])
    return out


# ---------------------------------------------------------------------------------------------
# AppTest: time of one rerun with a selection (run in a subprocess per target)
# ---------------------------------------------------------------------------------------------
def apptest_worker(which: str, script: str, reps: int) -> None:
    import streamlit_folium
    from streamlit.testing.v1 import AppTest

    countries = load_countries()
    selected: dict[str, Any] = {"value": None}
    original = streamlit_folium._component_func

    def component(*args: Any, **kwargs: Any) -> Any:
        # AppTest cannot click a component: render it as usual, then return what the
        # browser would send after a click on the selected country.
        value = original(*args, **kwargs)
        c = selected["value"]
        if c is None:
            return value
        return {
            "last_active_drawing": {
                "type": "Feature",
                "properties": {"iso3": c.iso3, "name": c.name},
                "geometry": None,
            }
        }

    streamlit_folium._component_func = component
    at = AppTest.from_file(script, default_timeout=60)
    at.run()
    if at.exception:
        raise RuntimeError(f"{which}: {at.exception}")
    # The app selects through its "Country" selectbox (the same path as a map click's
    # callback); the floor has no widget, so its component returns a click's value.
    box = [b for b in at.selectbox if b.key == "w_country"]
    times = []
    for i in range(reps):
        c = countries[i % len(countries)]
        if box:
            box[0].set_value(c.iso3)
        else:
            selected["value"] = c
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1000)
        if at.exception:
            raise RuntimeError(f"{which}: {at.exception}")
        texts = [m.value for m in at.markdown] + [h.proto.body for h in at.get("html")]
        if not any(t.strip() == c.name or f"<h3>{c.name}</h3>" in t for t in texts):
            raise RuntimeError(f"{which}: AppTest rerun did not show {c.name}")
        box = [b for b in at.selectbox if b.key == "w_country"]
    print(json.dumps({"apptest_ms": times}))


def run_apptest(target: Target, reps: int) -> list[float]:
    cmd = [sys.executable, __file__, "--apptest-worker", target.name, str(target.script)]
    cmd += ["--reps", str(reps)]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise RuntimeError(f"AppTest worker {target.name} failed:\n{p.stderr[-3000:]}")
    return list(json.loads(p.stdout.strip().splitlines()[-1])["apptest_ms"])


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def machine() -> dict[str, str]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = "unknown"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return {
        "nproc": str(os.cpu_count()),
        "memory": mem,
        "cpu": cpu,
        "python": platform.python_version(),
    }


def loadavg() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def summarise(rounds: list[dict[str, Any]], apptest: dict[str, list[float]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("floor", "app"):
        rs = [r for r in rounds if r["target"] == name]
        clicks = [c for r in rs for c in r["clicks"]]
        lat = [c["latency_ms"] for c in clicks]
        toggles = [t for r in rs for t in r.get("route_toggle", [])]
        out[name] = {
            "click_p50": pct(lat, 0.5),
            "click_p90": pct(lat, 0.9),
            "click_send_p50": pct(
                [c["click_to_send_ms"] for c in clicks if c["click_to_send_ms"] is not None], 0.5
            ),
            "send_panel_p50": pct(
                [
                    c["latency_ms"] - c["click_to_send_ms"]
                    for c in clicks
                    if c["click_to_send_ms"] is not None
                ],
                0.5,
            ),
            "clicks": len(lat),
            "reruns_per_click": statistics.mean(c["reruns"] for c in clicks),
            "first_reruns": pct([r["first_reruns"] for r in rs], 0.5),
            "remounts": sum(c["remounted"] for c in clicks),
            "toggle_p50": pct(toggles, 0.5) if toggles else None,
            "toggles": len(toggles),
            "cold_start": pct([r["cold_start_s"] for r in rs], 0.5),
            "first_kb": pct([(r["first_http"] + r["first_ws"]) / 1000 for r in rs], 0.5),
            "first_http_kb": pct([r["first_http"] / 1000 for r in rs], 0.5),
            "first_ws_kb": pct([r["first_ws"] / 1000 for r in rs], 0.5),
            "first_map_kb": pct([r["first_map_args"] / 1000 for r in rs], 0.5),
            "rerun_kb": pct([(c["rerun_ws"] + c["rerun_http"]) / 1000 for c in clicks], 0.5),
            "rerun_map_kb": pct([c["rerun_map_args"] / 1000 for c in clicks], 0.5),
            "map_max_kb": max(
                [r["first_map_args"] / 1000 for r in rs]
                + [c["rerun_map_args"] / 1000 for c in clicks]
            ),
            "sent_kb": pct([c["sent_ws"] / 1000 for c in clicks], 0.5),
            "server_p50": pct([c["server_ms"] for c in clicks if c.get("server_ms")], 0.5),
            "rss1": pct([r["rss1_mb"] for r in rs], 0.5),
            "rssN": pct([r["rssN_mb"] for r in rs], 0.5),
            "rssN_max": max(r["rssN_mb"] for r in rs),
            "apptest": pct(apptest.get(name, []), 0.5),
            "foreign": sum(len(r["foreign"]) for r in rs),
        }
    return out


def fmt(x: float | None, nd: int = 0) -> str:
    if x is None:
        return "n/a"
    return f"{x:,.{nd}f}"


def ratio(a: float | None, f: float | None) -> str:
    if a is None or f is None or f == 0:
        return "n/a"
    return f"{a / f:.2f}x"


def table(s: dict[str, Any], sessions: int) -> list[str]:
    f, a = s["floor"], s["app"]
    rows = [
        ("Click-to-panel p50 (ms)", "click_p50", 0),
        ("Click-to-panel p90 (ms)", "click_p90", 0),
        ("… click to rerun request sent, p50 (ms)", "click_send_p50", 0),
        ("… rerun request to panel shown, p50 (ms)", "send_panel_p50", 0),
        ("… rerun request to script finished (server + transfer), p50 (ms)", "server_p50", 0),
        ("Reruns per click", "reruns_per_click", 2),
        ("Script runs for the first view", "first_reruns", 0),
        ("Map remounts on selection change", "remounts", 0),
        ("Route toggle to map updated p50 (ms)", "toggle_p50", 0),
        ("Cold start: process start to map interactive (s)", "cold_start", 2),
        ("First view downloaded, HTTP + websocket (KB)", "first_kb", 0),
        ("… of which HTTP (KB)", "first_http_kb", 0),
        ("… of which websocket (KB)", "first_ws_kb", 0),
        ("… of which map component args (KB)", "first_map_kb", 1),
        ("Downloaded per rerun after a click (KB)", "rerun_kb", 1),
        ("… of which map component args (KB)", "rerun_map_kb", 1),
        ("Largest map component args of any render (KB)", "map_max_kb", 1),
        ("Uploaded per click, websocket (KB)", "sent_kb", 1),
        ("Server RSS, 1 session (MB)", "rss1", 0),
        (f"Server RSS, {sessions} concurrent sessions (MB)", "rssN", 0),
        ("AppTest: one rerun with a selection (ms)", "apptest", 0),
        ("Requests to hosts other than loopback", "foreign", 0),
    ]
    lines = ["| Measure | Floor | App | App / floor |", "|---|---:|---:|---:|"]
    for label, k, nd in rows:
        fv, av = f.get(k), a.get(k)
        if k == "toggle_p50":
            fv = None
        r = ratio(av, fv) if k not in ("remounts", "foreign") else "n/a"
        lines.append(f"| {label} | {fmt(fv, nd)} | {fmt(av, nd)} | {r} |")
    return lines


def targets_check(s: dict[str, Any], sessions: int) -> list[str]:
    f, a = s["floor"], s["app"]

    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    click = a["click_p50"] / f["click_p50"]
    cold = a["cold_start"] / f["cold_start"]
    payload = a["map_max_kb"]
    return [
        "| Target (issue 5, point 4) | Measured | Verdict | Margin |",
        "|---|---:|---|---:|",
        f"| Click-to-panel p50 <= 1.0x floor | {click:.2f}x | {mark(click <= 1.0)} "
        f"| {1.0 - click:+.2f}x |",
        f"| Map payload per render <= 250 KB (largest) | {payload:.1f} KB "
        f"| {mark(payload <= 250)} "
        f"| {250 - payload:+.1f} KB |",
        f"| No remount when the selection changes | {a['remounts']} of {a['clicks']} clicks "
        f"| {mark(a['remounts'] == 0)} | |",
        f"| RSS <= 300 MB with {sessions} sessions | {a['rssN']:.0f} MB (max {a['rssN_max']:.0f})"
        f" | {mark(a['rssN_max'] <= 300)} | {300 - a['rssN_max']:+.0f} MB |",
        f"| Cold start <= 1.5x floor | {cold:.2f}x | {mark(cold <= 1.5)} | {1.5 - cold:+.2f}x |",
        f"| Stretch: click-to-panel p50 <= 0.5x floor | {click:.2f}x | {mark(click <= 0.5)} "
        f"| {0.5 - click:+.2f}x |",
    ]


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
@contextlib.contextmanager
def browser_ctx() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5, help="rounds per app (default 5)")
    ap.add_argument("--sessions", type=int, default=10, help="concurrent sessions for RSS")
    ap.add_argument("--apptest-reps", type=int, default=5, help="AppTest reruns per round")
    ap.add_argument("--no-write", action="store_true", help="print only; keep results.md")
    ap.add_argument("--only", choices=["floor", "app"], help="measure one app (no table)")
    ap.add_argument("--apptest-worker", nargs=2, metavar=("NAME", "SCRIPT"), help=argparse.SUPPRESS)
    ap.add_argument("--reps", type=int, default=5, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.apptest_worker:
        apptest_worker(args.apptest_worker[0], args.apptest_worker[1], args.reps)
        return

    # SIGTERM (e.g. a CI timeout) unwinds like Ctrl-C, so every server and the browser stop.
    signal.signal(signal.SIGTERM, _interrupt)
    started = dt.datetime.now(dt.UTC)
    cpu0 = cpu_times()
    tree = tree_state()
    loads = [loadavg()]
    countries = load_countries()
    rounds: list[dict[str, Any]] = []
    apptest: dict[str, list[float]] = {"floor": [], "app": []}
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        floor = floor_target(Path(tmp))
        app = app_target()
        pair = [t for t in (floor, app) if args.only in (None, t.name)]
        with browser_ctx() as browser:
            for rnd in range(1, args.rounds + 1):
                order = pair if rnd % 2 else pair[::-1]
                for t in order:
                    r = run_round(browser, t, countries, args.sessions, rnd)
                    lat = [c["latency_ms"] for c in r["clicks"]]
                    print(
                        f"round {rnd} {t.name:5}: cold {r['cold_start_s']:.2f} s, "
                        f"click p50 {pct(lat, 0.5):.0f} ms, RSS {r['rss1_mb']:.0f}/"
                        f"{r['rssN_mb']:.0f} MB, load {loadavg()}",
                        flush=True,
                    )
                    rounds.append(r)
                    loads.append(loadavg())
                for t in order:
                    apptest[t.name] += run_apptest(t, args.apptest_reps)
    finished = dt.datetime.now(dt.UTC)
    cpu1 = cpu_times()
    busy = 100 * (cpu1[0] - cpu0[0]) / max(1, cpu1[1] - cpu0[1])
    (OUT / "raw.json").write_text(json.dumps({"rounds": rounds, "apptest": apptest}, indent=1))
    if args.only:
        print(json.dumps(rounds, indent=1))
        return
    s = summarise(rounds, apptest)
    lines = table(s, args.sessions)
    checks = targets_check(s, args.sessions)
    print("\n".join([*lines, "", *checks]))
    if not args.no_write:
        write_results(s, lines, checks, args, started, finished, loads, tree, busy)


MARKER = "<!-- Everything below this line is kept when bench.py rewrites the file. -->"

HOW = """\
How each figure is taken (see `benchmarks/bench.py`):

- **Click-to-panel**: a real mouse click (Playwright) on a point inside each country's shape
  in the map's iframe; from the `mousedown` (page clock) until a MutationObserver sees the
  panel show the country's name (floor: the `st.write` text; app: the panel's heading). The two
  sub-rows split it at the first websocket message the page sends after the click (the rerun
  request that streamlit-folium posts after its 250 ms debounce). "Script finished" is when
  the browser receives the server's `script_finished` message, on Chromium's network clock
  (CDP timestamps of the websocket frames).
- **Reruns per click**: `script_finished` messages counted on the websocket until 400 ms pass
  without another rerun.
- **Remounts**: a marker set on the map iframe's `window` before each click must still be
  there after the rerun.
- **Route toggle**: mouse click on the app's "Energy export routes" toggle until the number of
  SVG paths in the map changes (app only, there is no floor equivalent).
- **Cold start**: from starting the `streamlit run` process to the map being interactive
  (Leaflet map in the iframe with all five country paths drawn), fresh browser context.
- **Bytes**: response sizes as the browser received them (CDP `Network.loadingFinished`
  `encodedDataLength`) plus websocket frames received (CDP `Network.webSocketFrameReceived`,
  decoded payload length). "Map component args" is the JSON of the st_folium element in the
  decoded Streamlit messages (0 when Streamlit sends it as a cached reference).
- **RSS**: `VmRSS` of the Streamlit server process after the clicks of one session, then with
  all sessions open at once (each with its map interactive).
- **AppTest**: `streamlit.testing.v1.AppTest`, wall time of one `run()` that selects a country
  (app: its Country selectbox; floor: the component returns a click on that country, since
  AppTest cannot click a component), median over the reruns.
- Figures are medians over rounds (latencies: over all clicks); ratios are app / floor;
  1 KB = 1000 bytes; 1 MB = 2^20 bytes (RSS).
"""


def tree_state() -> str:
    def git(*a: str) -> str:
        p = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=30)
        return p.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "streamlit_app.py", "pages", "central_asia_atlas")
    dirty += git(
        "status", "--porcelain", "--", "static", "data", "benchmarks", ":!benchmarks/results.md"
    )
    if dirty:
        n = len(dirty.splitlines())
        return f"commit {head} plus {n} uncommitted or untracked path(s) in the app's files"
    return f"commit {head}"


def write_results(s, lines, checks, args, started, finished, loads, tree, busy) -> None:
    m = machine()
    kept = ""
    if RESULTS.exists():
        old = RESULTS.read_text(encoding="utf-8")
        if MARKER in old:
            kept = old.split(MARKER, 1)[1].lstrip("\n")
    text = [
        "# Benchmark results: the app against a bare streamlit-folium app",
        "",
        f"Run: {started:%Y-%m-%d %H:%M}–{finished:%H:%M} UTC on {tree}; "
        f"`.venv/bin/python benchmarks/bench.py --rounds {args.rounds}` "
        f"({args.rounds} rounds per app, alternating floor and app; {s['floor']['clicks']} "
        f"clicks per app; {args.sessions} concurrent sessions for memory).",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} memory, Python {m['python']}, "
        f"headless Chromium. How busy: load average (1/5/15 min) at the start and after each "
        f"round: " + "; ".join(loads) + f". All CPUs were busy {busy:.0f}% of the run "
        "(benchmark included). Other work shared the machine, so read the ratios, "
        "not the absolute times.",
        "",
        *lines,
        "",
        *checks,
        "",
        HOW,
        MARKER,
        "",
        kept,
    ]
    RESULTS.write_text("\n".join(text).rstrip() + "\n", encoding="utf-8")


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    f = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = f[3] + f[4]
    return sum(f) - idle, sum(f)


if __name__ == "__main__":
    main()
