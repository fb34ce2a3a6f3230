"""Browser probes: headless Chromium (Playwright) on a server's page, with the network seen
through the Chrome DevTools Protocol (CDP).

The st_folium component is a same-origin iframe whose window holds the Leaflet map as
`window.map`; the page reaches it through contentWindow (BENCH_JS). Bytes are counted from CDP
(`Network.loadingFinished`, `Network.webSocketFrameReceived` / `...Sent`), and each Streamlit
message received is decoded to say what the bytes carried (map element, panel, charts, other).
"""

from __future__ import annotations

import base64
import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from servers import ROOT, Target

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 60_000
QUIET_MS = 400  # no new rerun for this long (> streamlit-folium's 250 ms debounce) = settled
FIRST_VIEW_QUIET_MS = 1500  # the first view: no rerun for this long = settled

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


@contextlib.contextmanager
def browser_ctx() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


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
# Network accounting through CDP
# ---------------------------------------------------------------------------------------------
KINDS = ("map", "panel", "charts", "other")


@dataclass
class Net:
    http_bytes: int = 0
    ws_bytes: int = 0
    ws_sent_bytes: int = 0
    foreign_requests: list[str] = field(default_factory=list)
    finished: int = 0  # script_finished messages
    last_rerun_t: float = 0.0
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    map_elements: int = 0  # st_folium elements received in full
    refs: int = 0  # elements received as a reference (Streamlit's forward-message cache)
    sent_ts: list[float] = field(default_factory=list)  # CDP timestamps (s) of frames sent
    finished_ts: list[float] = field(default_factory=list)  # ... of script_finished received
    reruns_sent: list[bytes] = field(default_factory=list)  # rerun requests, as sent (crowd.py)

    def snapshot(self) -> dict[str, Any]:
        return {
            "http": self.http_bytes,
            "ws": self.ws_bytes,
            "sent": self.ws_sent_bytes,
            "finished": self.finished,
            "maps": self.map_elements,
            "refs": self.refs,
            **{f"kind_{k}": v for k, v in self.by_kind.items()},
        }


def _kind(msg: Any) -> str:
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return "other"
    el = msg.delta.new_element
    which = el.WhichOneof("type")
    if which == "component_instance" and "folium" in el.component_instance.component_name:
        return "map"
    if which == "html" and "atlas-panel" in el.html.body:
        return "panel"
    if which in ("arrow_vega_lite_chart", "vega_lite_chart"):
        return "charts"
    return "other"


def attach_net(context: Any, page: Any) -> Net:
    from streamlit.proto.BackMsg_pb2 import BackMsg
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
            net.by_kind["other"] += len(payload)
            return
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            net.finished += 1
            net.finished_ts.append(float(ev.get("timestamp", 0.0)))
            net.last_rerun_t = time.perf_counter()
        elif kind in ("new_session", "session_status_changed"):
            net.last_rerun_t = time.perf_counter()
        elif kind == "ref_hash":
            net.refs += 1
        what = _kind(msg)
        net.map_elements += what == "map"
        net.by_kind[what] += len(payload)

    def on_sent(ev: dict[str, Any]) -> None:
        resp = ev["response"]
        data = resp.get("payloadData", "")
        raw = base64.b64decode(data) if resp.get("opcode") == 2 else data.encode()
        net.ws_sent_bytes += len(raw)
        net.sent_ts.append(float(ev.get("timestamp", 0.0)))
        with contextlib.suppress(Exception):
            if BackMsg.FromString(raw).WhichOneof("type") == "rerun_script":
                net.reruns_sent.append(raw)

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
    pump_until(page, lambda: net.finished > finished_before, 60, "script_finished")
    start = time.perf_counter()
    pump_until(
        page,
        lambda: (time.perf_counter() - max(start, net.last_rerun_t)) * 1000 > quiet_ms,
        60,
        "a quiet period",
    )


# ---------------------------------------------------------------------------------------------
# Sessions and clicks
# ---------------------------------------------------------------------------------------------
@dataclass
class Session:
    context: Any
    page: Any
    net: Net

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.context.close()


def keys_of(countries: list[Country]) -> list[list[str]]:
    return [[c.iso3, c.name] for c in countries]


def open_session(browser: Any, url: str, keys: list[list[str]], wait: bool = True) -> Session:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(BENCH_JS)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    net = attach_net(context, page)
    page.goto(url)
    if wait:
        wait_map(page, keys)
    return Session(context, page, net)


def wait_map(page: Any, keys: list[list[str]]) -> None:
    page.wait_for_function(
        "(keys) => !!window.__bench.mapWindow(keys)", arg=keys, polling="raf", timeout=TIMEOUT_MS
    )


def shows(s: Session, target: Target, c: Country) -> bool:
    return bool(
        s.page.evaluate(
            "([sel, t]) => window.__bench.panelShows(sel, t)", [target.panel_selector, c.name]
        )
    )


def arm(s: Session, target: Target, keys: list[list[str]], c: Country) -> dict[str, float]:
    """Find a point inside the country to click, and start watching for its panel."""
    pt = s.page.evaluate(
        "([keys, key, cands]) => window.__bench.clickPoint(keys, key, cands)",
        [keys, [c.iso3, c.name], c.candidates],
    )
    if pt is None:
        raise RuntimeError(f"{target.name}: no clickable point found inside {c.name}")
    s.page.evaluate("([keys]) => window.__bench.armClick(keys)", [keys])
    s.page.evaluate(
        "([sel, text]) => window.__bench.watchPanel(sel, text)", [target.panel_selector, c.name]
    )
    return dict(pt)


def measured(s: Session, keys: list[list[str]], before: dict[str, Any], n_sent: int, n_fin: int):
    """The figures of one click, once its rerun has settled."""
    net = s.net
    t = s.page.evaluate("() => [window.__bench.downT, window.__bench.panelT, window.__bench.sendT]")
    same = s.page.evaluate("([keys]) => window.__bench.sameMap(keys)", [keys])
    after = net.snapshot()
    delta = {k: after[k] - before[k] for k in after}
    return {
        "latency_ms": t[1] - t[0],
        "click_to_send_ms": (t[2] - t[0]) if t[2] is not None else None,
        "received": delta["ws"] + delta["http"],
        "by_kind": {k: delta[f"kind_{k}"] for k in KINDS},
        "map_elements": delta["maps"],
        "refs": delta["refs"],
        "reruns": delta["finished"],
        "sent": delta["sent"],
        # rerun request sent -> script_finished received, both on Chromium's network clock:
        # the server's script run plus the transfer of what it sends (loopback)
        "server_ms": (net.finished_ts[n_fin] - net.sent_ts[n_sent]) * 1000
        if len(net.finished_ts) > n_fin and len(net.sent_ts) > n_sent
        else None,
        "remounted": not same,
    }


def click_country(s: Session, target: Target, keys: list[list[str]], c: Country) -> dict[str, Any]:
    pt = arm(s, target, keys, c)
    before = s.net.snapshot()
    n_sent, n_fin = len(s.net.sent_ts), len(s.net.finished_ts)
    n_reruns = len(s.net.reruns_sent)
    s.page.mouse.click(pt["x"], pt["y"])
    s.page.wait_for_function(
        "() => window.__bench.panelT !== null", polling="raf", timeout=TIMEOUT_MS
    )
    settle(s.page, s.net, before["finished"])
    out = {"country": c.iso3, **measured(s, keys, before, n_sent, n_fin)}
    out["_reruns_sent"] = s.net.reruns_sent[n_reruns:]  # for crowd.py to replay; not reported
    return out


def click_order(s: Session, target: Target, countries: list[Country]) -> list[Country]:
    """The five, never starting with the one the panel already shows."""
    shown = [c for c in countries if shows(s, target, c)]
    return [c for c in countries if c not in shown] + shown


def toggle_routes(s: Session, target: Target, keys: list[list[str]]) -> list[float]:
    """Toggle the route layer off and on; ms from mousedown until the map's paths change."""
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
