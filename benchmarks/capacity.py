"""Capacity: how many sessions one replica holds, and two or three behind HAProxy (issue 28).

    .venv/bin/python benchmarks/capacity.py              # ~15 min; prints a Markdown section
    .venv/bin/python benchmarks/capacity.py --quick      # one replica and three, fewer steps

A headless browser opens the map and clicks the five countries twice on a server of its own;
what it sent is replayed by protocol sessions (wsload.py: the same bytes a browser sends, so
the server does for each what it does for a browser). For each setup (one replica reached
directly; then 1, 2 and 3 replicas behind HAProxy, started by scripts/cluster.sh with
deploy/haproxy.cfg) the number of sessions grows in steps; in each step every session clicks
once every --period seconds (10 s), the sessions' clicks spread evenly over the period, for
--window seconds, and each click is timed from its request to the message that shows the
country's panel. A setup holds the largest number of sessions whose p95 stayed under 1 s with
no error. Before the first setup's ramp, --idle sessions are opened and left idle: the
server's RSS per idle session.

The load generator is this process (asyncio, one websocket per session) and runs on the same
two CPUs as the replicas and HAProxy: the total is bound by this machine's CPUs, not by the
number of replicas; the CPU each part used is reported beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # central_asia_atlas, scripts

import crowd
import probes
import report
import servers
import wsload

from scripts import cluster as cl

LIMIT_MS = 1000.0  # a click's panel p95 must stay under this
STEPS = [25, 50, 100, 200, 300, 400, 500, 600, 800, 1000, 1200]
OPEN_AT_ONCE = 8  # sessions opening (first view) at the same time while the pool grows


def cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def capture_chain() -> crowd.Chain:
    """What a browser sends: its first view, then ten clicks (the five countries twice)."""
    target = servers.app_target(1, servers.ROOT / "data", servers.ROOT / "seeds")
    srv = servers.Server(target, "capacity-capture")
    countries = probes.load_countries()
    keys = probes.keys_of(countries)
    with probes.browser_ctx() as browser:
        srv.start()
        try:
            s = probes.open_session(browser, srv.url, keys)
            probes.settle(s.page, s.net, 0, probes.FIRST_VIEW_QUIET_MS)
            first = list(s.net.reruns_sent)
            order = probes.click_order(s, target, countries) * 2
            clicks = [probes.click_country(s, target, keys, c) for c in order]
            s.close()
        finally:
            srv.stop()
    return crowd.chain_of(first, clicks, {c.iso3: c.name for c in countries})


class Pool:
    """Protocol sessions on one URL, each with its first view."""

    def __init__(self, url: str, chain: crowd.Chain) -> None:
        self.url, self.chain = url, chain
        self.sessions: list[wsload.Session] = []
        self.clicked: list[int] = []  # clicks each session has made (its next in the chain)
        self.cookie = wsload.xsrf_cookie(url)

    async def grow(self, n: int) -> None:
        async def one() -> wsload.Session:
            s = await wsload.open_session(self.url, self.cookie)
            r = await s.rerun(self.chain.initial, "app", None)
            if r["error"]:
                raise RuntimeError(f"first view: {r['error']}")
            return s

        while len(self.sessions) < n:
            k = min(OPEN_AT_ONCE, n - len(self.sessions))
            self.sessions += await asyncio.gather(*(one() for _ in range(k)))
            self.clicked += [0] * k

    async def steady(self, n: int, period: float, window: float) -> list[dict[str, Any]]:
        """The first `n` sessions each click once per `period` (evenly spread) for `window`
        seconds; the others stay idle."""
        loop = asyncio.get_running_loop()
        clicks = self.chain.clicks
        t0 = loop.time() + 0.5
        results: list[dict[str, Any]] = []

        async def clicker(i: int, s: wsload.Session) -> None:
            k = 0
            while (at := t0 + period * (i / n + k)) < t0 + window:
                await asyncio.sleep(max(0.0, at - loop.time()))
                # each session goes on through the chain (a click repeated would change no
                # value, and Streamlit would rightly send no panel)
                j = (i + self.clicked[i]) % len(clicks)
                self.clicked[i] += 1
                results.append(await s.rerun(clicks[j], "app", self.chain.names[j]))
                k += 1

        await asyncio.gather(*(clicker(i, s) for i, s in enumerate(self.sessions[:n])))
        return results

    async def close(self) -> None:
        for s in self.sessions:
            await s.ws.close()


def pct(xs: list[float], q: float) -> float:
    return report.pct(xs, q)


async def ramp(
    url: str, pids: list[int], chain: crowd.Chain, args: argparse.Namespace, idle: bool
) -> dict[str, Any]:
    out: dict[str, Any] = {"steps": []}
    pool = Pool(url, chain)
    try:
        if idle:  # RSS per idle session, before any click
            await pool.grow(1)
            await asyncio.sleep(2)
            rss0 = sum(servers.rss_mb(p) for p in pids)
            await pool.grow(1 + args.idle)
            await asyncio.sleep(2)
            rss1 = sum(servers.rss_mb(p) for p in pids)
            out["idle"] = {"sessions": args.idle, "rss0_mb": rss0, "rss_mb": rss1}
        for n in args.steps:
            await pool.grow(n)
            before = {p: cpu_s(p) for p in pids}
            gen0, t0 = cpu_s(os.getpid()), time.monotonic()
            res = await pool.steady(n, args.period, args.window)
            wall = time.monotonic() - t0
            shown = [r["panel_ms"] for r in res if r["panel_ms"] is not None]
            errors = sum(1 for r in res if r["error"])
            step = {
                "sessions": n,
                "clicks": len(res),
                "p50_ms": pct(shown, 0.5),
                "p95_ms": pct(shown, 0.95),
                "errors": errors,
                "servers_cpu": sum(cpu_s(p) - before[p] for p in pids) / wall,
                "generator_cpu": (cpu_s(os.getpid()) - gen0) / wall,
                "rss_mb": [round(servers.rss_mb(p)) for p in pids],
                "load": report.loadavg(),
            }
            out["steps"].append(step)
            print(json.dumps(step), flush=True)
            if step["p95_ms"] >= LIMIT_MS or errors:
                break
    finally:
        await pool.close()
    held = [s["sessions"] for s in out["steps"] if s["p95_ms"] < LIMIT_MS and not s["errors"]]
    out["held"] = max(held) if held else 0
    out["stopped"] = not out["steps"] or out["steps"][-1]["sessions"] != out["held"]
    return out


def one_direct(chain: crowd.Chain, args: argparse.Namespace) -> dict[str, Any]:
    target = servers.app_target(1, servers.ROOT / "data", servers.ROOT / "seeds")
    srv = servers.Server(target, "capacity-direct")
    srv.start()
    try:
        assert srv.proc is not None
        res = asyncio.run(ramp(srv.url, [srv.proc.pid], chain, args, idle=True))
        res["exceptions"] = srv.exceptions()
        return res
    finally:
        srv.stop()


def behind_haproxy(n: int, chain: crowd.Chain, args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="capacity-") as tmp:
        run = ["--run-dir", tmp]
        port = servers.free_port()
        sh = str(servers.ROOT / "scripts" / "cluster.sh")
        subprocess.run([sh, "start", "--replicas", str(n), "--port", str(port), *run], check=True)
        try:
            c = cl.Cluster(Path(tmp))
            pids = [r.pid for r in c.replicas()]
            proxy = c.state()["haproxy_pid"]
            h0, t0 = cpu_s(proxy), time.monotonic()
            res = asyncio.run(ramp(f"http://127.0.0.1:{port}/", pids, chain, args, idle=False))
            res["haproxy_cpu"] = (cpu_s(proxy) - h0) / (time.monotonic() - t0)
            text = "\n".join(p.read_text(errors="replace") for p in Path(tmp).glob("r*.log"))
            res["exceptions"] = [x for x in text.splitlines() if servers.EXCEPTION.search(x)]
            return res
        finally:
            subprocess.run([sh, "stop", *run], check=True)


def markdown(
    runs: dict[str, dict[str, Any]], args: argparse.Namespace, meta: dict[str, str]
) -> str:
    m = report.machine()
    lines = [
        f"## Capacity: sessions per replica, and replicas behind HAProxy (issue 28, "
        f"{meta['date']})",
        "",
        f"Run: {meta['date']} on {meta['commit']}; `{meta['command']}`. Machine: "
        f"{m['nproc']} CPUs ({m['cpu']}), {m['memory']}, Python {m['python']}. Load average "
        f"(1/5/15 min) before: {meta['load_before']}; after: {meta['load_after']}.",
        "",
        f"Every session clicks once every {args.period:g} s (the sessions' clicks spread evenly "
        f"over that time) for {args.window:g} s per step; a click is timed from its request to "
        "the message that shows its panel. Held: the most sessions whose p95 stayed under 1 s "
        "with no error. The load generator (this process) shares the two CPUs with the "
        "replicas and HAProxy.",
        "",
        "| Setup | Sessions held | p95 at that step (ms) | Clicks/s | Replicas' CPU | HAProxy CPU "
        "| Generator CPU | RSS per replica at the end (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, r in runs.items():
        step = next((s for s in r["steps"] if s["sessions"] == r["held"]), None)
        last = r["steps"][-1] if r["steps"] else None
        lines.append(
            f"| {name} | {r['held']}{'' if r['stopped'] else '+'} | "
            f"{step['p95_ms']:.0f} | {r['held'] / args.period:.1f} | "
            f"{step['servers_cpu']:.2f} | {r.get('haproxy_cpu', 0):.2f} | "
            f"{step['generator_cpu']:.2f} | {last['rss_mb'] if last else ''} |"
            if step
            else f"| {name} | 0 | | | | | | |"
        )
    lines += ["", "Each step, in turn (sessions: p50 / p95 ms, errors):", ""]
    for name, r in runs.items():
        steps = "; ".join(
            f"{s['sessions']}: {s['p50_ms']:.0f} / {s['p95_ms']:.0f}"
            + (f", {s['errors']} errors" if s["errors"] else "")
            for s in r["steps"]
        )
        lines.append(f"- {name}: {steps}; server exceptions: {len(r['exceptions'])}")
    for idle in (r["idle"] for r in runs.values() if "idle" in r):
        per = (idle["rss_mb"] - idle["rss0_mb"]) / idle["sessions"]
        lines += [
            "",
            f"RSS per idle session (one replica, {idle['sessions']} sessions with their first "
            f"view, no click): {per:.2f} MB ({idle['rss0_mb']:.0f} MB with one session, "
            f"{idle['rss_mb']:.0f} MB with {idle['sessions'] + 1}).",
        ]
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--period", type=float, default=10.0, help="seconds between a session's clicks")
    ap.add_argument("--window", type=float, default=20.0, help="seconds measured per step")
    ap.add_argument("--idle", type=int, default=100, help="idle sessions for RSS per session")
    ap.add_argument("--replicas", default="direct,1,2,3", help="setups, e.g. direct,1,2,3")
    ap.add_argument("--steps", type=lambda t: [int(x) for x in t.split(",")], default=STEPS)
    ap.add_argument("--quick", action="store_true", help="direct and 3 replicas, 3 steps")
    ap.add_argument("--out", type=Path, help="also write the Markdown section to this file")
    args = ap.parse_args()
    if args.quick:
        args.replicas, args.steps, args.window, args.idle = "direct,3", [25, 100, 200], 10, 30
    meta = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": report.tree_state(),
        "command": "benchmarks/capacity.py " + " ".join(sys.argv[1:]),
        "load_before": report.loadavg(),
    }
    chain = capture_chain()
    runs: dict[str, dict[str, Any]] = {}
    for setup in args.replicas.split(","):
        if setup == "direct":
            name = "1 replica, direct"
            runs[name] = one_direct(chain, args)
        else:
            name = f"{setup} replica{'s' if setup != '1' else ''} behind HAProxy"
            runs[name] = behind_haproxy(int(setup), chain, args)
        print(name, "holds", runs[name]["held"], flush=True)
    meta["load_after"] = report.loadavg()
    text = markdown(runs, args, meta)
    print(text)
    if args.out:
        args.out.write_text(text)
    servers.OUT.mkdir(parents=True, exist_ok=True)
    (servers.OUT / "capacity.json").write_text(json.dumps({"meta": meta, "runs": runs}, indent=1))


if __name__ == "__main__":
    main()
