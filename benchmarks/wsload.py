"""Sessions that speak Streamlit's websocket protocol, for the concurrent-sessions test.

Twenty headless Chromium windows on this machine's two CPUs would measure the browsers
fighting the server for the CPUs (the floor's own p95 was 8x its p50 that way), not the
server under twenty users, whose browsers run on their own machines. So the test runs one real
browser (whose click-to-panel is the figure) and the other sessions here: each one replays,
byte for byte, the messages a real browser sent on the same server (its first rerun request,
then its clicks in order, captured through CDP), and times each answer. A replayed click is
the browser's own message: the same widget states, the same map value, the same list of
messages it holds (so the server sends references, as it would to the browser).

Run by bench.py as a subprocess (its own CPU time stays out of the server's process):

    stdin, first line: {"url", "sessions", "initial": [b64, ...], "clicks": [[b64, ...], ...],
                        "panel": "app" | "floor", "names": [country name per click]}
                       (the rerun requests of the first view, then those of each click)
    stdout: {"ready": n, "first_view_ms": [...]}      once every session has its first view
    stdin:  "burst J AT"   every session sends click J at the epoch time AT
    stdout: {"burst": J, "results": [{"panel_ms", "done_ms", "error"}, ...]}
    stdin:  "quit"
"""

from __future__ import annotations

import asyncio
import base64
import json
import sys
import time
import urllib.request
from http.cookies import SimpleCookie
from typing import Any

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

TIMEOUT_S = 60


def xsrf_cookie(url: str) -> str:
    """The _streamlit_xsrf cookie the page sets (a browser sends it back on the websocket)."""
    with urllib.request.urlopen(url, timeout=10) as r:
        jar = SimpleCookie()
        for header in r.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    morsel = jar.get("_streamlit_xsrf")
    return morsel.value if morsel else ""


def shows_panel(msg: ForwardMsg, panel: str, name: str) -> bool:
    """Does this message put the country's panel on the page (as the browser probe sees it)?"""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return False
    el = msg.delta.new_element
    if panel == "app":  # the panel's header (panel.country_head_html) naming the country
        return el.WhichOneof("type") == "html" and (
            "atlas-panel-head" in el.html.body and f">{name}<" in el.html.body
        )
    return el.WhichOneof("type") == "markdown" and el.markdown.body.strip() == name


class Session:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.cache: dict[str, ForwardMsg] = {}  # hash -> message, for references

    async def next_msg(self) -> ForwardMsg:
        raw = await asyncio.wait_for(self.ws.recv(), TIMEOUT_S)
        msg = ForwardMsg.FromString(raw if isinstance(raw, bytes) else raw.encode())
        if msg.WhichOneof("type") == "ref_hash":
            return self.cache.get(msg.ref_hash, msg)
        if msg.hash:
            self.cache[msg.hash] = msg
        return msg

    async def rerun(self, backs: list[bytes], panel: str, name: str | None) -> dict[str, Any]:
        """Send the rerun requests in turn (each after the previous run finished); ms from the
        first until the panel shows `name`, and until the last script_finished."""
        t0 = time.perf_counter()
        out: dict[str, Any] = {"panel_ms": None, "done_ms": None, "error": None}
        try:
            for back in backs:
                await self.ws.send(back)
                while True:
                    msg = await self.next_msg()
                    if out["panel_ms"] is None and name and shows_panel(msg, panel, name):
                        out["panel_ms"] = (time.perf_counter() - t0) * 1000
                    if msg.WhichOneof("type") == "script_finished":
                        break
            out["done_ms"] = (time.perf_counter() - t0) * 1000
        except Exception as exc:  # a timeout or a closed socket is a result, not the end
            out["error"] = f"{type(exc).__name__}: {exc}"
        if name and out["panel_ms"] is None and out["error"] is None:
            out["error"] = "the panel did not show the country"
        return out


async def open_session(url: str, cookie: str) -> Session:
    ws_url = url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
    ws = await connect(
        ws_url,
        subprotocols=["streamlit", cookie] if cookie else ["streamlit"],  # type: ignore[list-item]
        additional_headers={"Cookie": f"_streamlit_xsrf={cookie}", "Origin": url.rstrip("/")},
        max_size=None,
        compression=None,
    )
    return Session(ws)


async def main() -> None:
    loop = asyncio.get_running_loop()
    cfg = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
    url, panel, names = cfg["url"], cfg["panel"], cfg["names"]
    initial = [base64.b64decode(m) for m in cfg["initial"]]
    clicks = [[base64.b64decode(m) for m in step] for step in cfg["clicks"]]
    cookie = xsrf_cookie(url)
    sessions = [await open_session(url, cookie) for _ in range(cfg["sessions"])]
    first = await asyncio.gather(*(s.rerun(initial, panel, None) for s in sessions))
    print(json.dumps({"ready": len(sessions), "first_view_ms": [f["done_ms"] for f in first]}))
    sys.stdout.flush()
    while True:
        line = (await loop.run_in_executor(None, sys.stdin.readline)).split()
        if not line or line[0] == "quit":
            break
        j, at = int(line[1]), float(line[2])
        await asyncio.sleep(max(0.0, at - time.time()))
        res = await asyncio.gather(*(s.rerun(clicks[j], panel, names[j]) for s in sessions))
        print(json.dumps({"burst": j, "results": list(res)}))
        sys.stdout.flush()
    for s in sessions:
        await s.ws.close()


if __name__ == "__main__":
    asyncio.run(main())
