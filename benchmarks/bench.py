"""Benchmark the app against the floor (a bare streamlit-folium app), from 1x to 10x the facts.

    .venv/bin/python benchmarks/bench.py            # 3 rounds, scales 1, 2, 5, 10 (~15 min)
    .venv/bin/python benchmarks/bench.py --quick    # 1 round, scales 1 and 10, 8 sessions

Each round starts a fresh server per target (the floor, then the app on each copy of the data,
the order reversed every other round, so that machine noise hits all of them) and measures:
start to interactive map, the first view's bytes, click-to-panel for the five countries with
the bytes each click receives and the server time of its rerun, the route toggle, and RSS. In
every round, for the floor and the scales of --concurrent, it then opens --sessions sessions
on the same server and makes them click at once. Prints the tables and writes them,
with a plot, to benchmarks/results.md (and results.png). Server logs go to benchmarks/out/.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # central_asia_atlas

import crowd
import probes
import report
import scaled
from servers import OUT, ROOT, Server, Target, app_target, floor_target

CLICK_PASSES = 3  # each round clicks the five this many times; the crowd replays that many bursts


def run_round(
    browser: Any, target: Target, countries: list[probes.Country], rnd: int, sessions: int
) -> dict[str, Any]:
    """One fresh server for one target: first view, clicks, toggles, RSS, maybe N at once."""
    keys = probes.keys_of(countries)
    srv = Server(target, f"{target.name}-round{rnd}")
    res: dict[str, Any] = {"target": target.name, "scale": target.scale, "round": rnd}
    s: probes.Session | None = None
    try:
        srv.start()
        s = probes.open_session(browser, srv.url, keys)
        res["cold_start_s"] = time.perf_counter() - srv.t_start
        probes.settle(s.page, s.net, 0, probes.FIRST_VIEW_QUIET_MS)
        res["first_bytes"] = s.net.http_bytes + s.net.ws_bytes
        res["first_map"] = s.net.by_kind["map"]
        first_view = list(s.net.reruns_sent)
        order = probes.click_order(s, target, countries) * CLICK_PASSES
        clicks = [probes.click_country(s, target, keys, c) for c in order]
        res["clicks"] = [{k: v for k, v in c.items() if k != "_reruns_sent"} for c in clicks]
        if target.route_toggle is not None:
            res["route_toggle"] = probes.toggle_routes(s, target, keys)
        res["rss1_mb"] = srv.rss()
        if sessions > 1:
            res["sessions"] = sessions
            names = {c.iso3: c.name for c in countries}
            chain = crowd.chain_of(first_view, clicks, names)
            try:
                res["alone"] = crowd.alone(srv.url, target, chain)
                send_ms = report.pct([c["click_to_send_ms"] for c in res["clicks"]], 0.5)
                res["crowd"] = crowd.crowd(
                    browser, srv.url, target, keys, countries, chain, sessions, send_ms
                )
            except Exception as exc:  # a timeout under load is a result, not the end of the run
                res["concurrent_error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
            res["rssN_mb"] = srv.rss()
        res["foreign"] = list(s.net.foreign_requests)
        res["exceptions"] = srv.exceptions()
    except Exception as exc:
        raise RuntimeError(
            f"{target.name}, round {rnd}: {exc}\n--- {srv.log_path} (end) ---\n{srv.log_tail()}"
        ) from exc
    finally:
        if s is not None:
            s.close()
        srv.stop()
    return res


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3, help="rounds per target (default 3)")
    ap.add_argument("--scales", type=ints, default=[1, 2, 5, 10], help="facts multipliers")
    ap.add_argument("--sessions", type=int, default=20, help="concurrent sessions (default 20)")
    ap.add_argument(
        "--concurrent", type=ints, default=[1, 10], help="scales with the concurrent test"
    )
    ap.add_argument("--quick", action="store_true", help="1 round, scales 1 and 10, 8 sessions")
    ap.add_argument("--no-write", action="store_true", help="print only; keep results.md")
    args = ap.parse_args()
    if args.quick:
        args.rounds, args.scales, args.sessions, args.concurrent = 1, [1, 10], 8, [1, 10]
    command = "benchmarks/bench.py " + " ".join(sys.argv[1:])

    # SIGTERM (e.g. a CI timeout) unwinds like Ctrl-C, so every server and the browser stop.
    signal.signal(signal.SIGTERM, _interrupt)
    started = dt.datetime.now(dt.UTC)
    cpu0 = report.cpu_times()
    tree = report.tree_state()
    loads = [report.loadavg()]
    countries = probes.load_countries()
    # Byte-code of the app's own modules, as a deployed server has it after its first start
    # (this machine sets PYTHONDONTWRITEBYTECODE=1, so every start would otherwise compile
    # the package's 8,600 lines again, about 0.35 s, which the floor, with no modules of its
    # own, never pays; the installed libraries are compiled by pip for both).
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "central_asia_atlas")], check=True
    )
    rounds: list[dict[str, Any]] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        copies = scaled.make_copies(args.scales, Path(tmp) / "data")
        print("facts:", {f"{k}x": c.facts for k, c in copies.items()}, flush=True)
        floor_dir = Path(tmp) / "floor"
        floor_dir.mkdir()
        targets = [floor_target(floor_dir)] + [
            app_target(k, c.data, c.seeds) for k, c in copies.items()
        ]
        with probes.browser_ctx() as browser:
            for rnd in range(1, args.rounds + 1):
                order = targets if rnd % 2 else targets[::-1]
                for t in order:
                    # The crowd runs in every round: its p95 is then over 3 x 15 clicks made
                    # at different moments of the run, not over one round's 15, where the p95
                    # is the second-slowest click and one slow moment of the machine decides it.
                    conc = t.scale == 0 or t.scale in args.concurrent
                    try:
                        r = run_round(browser, t, countries, rnd, args.sessions if conc else 1)
                    except Exception as exc:  # keep what the other rounds measured
                        print(f"round {rnd} {t.name}: FAILED: {exc}", flush=True)
                        failures.append(f"{t.name}, round {rnd}: {str(exc).splitlines()[0]}")
                        continue
                    r["facts"] = copies[t.scale].facts if t.scale else None
                    lat = [c["latency_ms"] for c in r["clicks"]]
                    kb = [c["received"] / 1000 for c in r["clicks"]]
                    line = (
                        f"round {rnd} {t.name:7}: start {r['cold_start_s']:.2f} s, click p50 "
                        f"{report.pct(lat, 0.5):.0f} ms, {report.pct(kb, 0.5):.1f} KB/click, "
                        f"RSS {r['rss1_mb']:.0f} MB"
                    )
                    if "concurrent_error" in r:
                        line += f"; {r['sessions']} at once: {r['concurrent_error']}"
                    if "crowd" in r:
                        cl = [c["latency_ms"] for c in r["crowd"]["browser"]]
                        pl = [c["panel_ms"] for c in r["crowd"]["protocol"]]
                        al = [c["panel_ms"] for c in r["alone"]]
                        line += (
                            f"; {r['sessions']} at once: browser p50 {report.pct(cl, 0.5):.0f} / "
                            f"p95 {report.pct(cl, 0.95):.0f} ms, protocol p50 "
                            f"{report.pct(pl, 0.5):.0f} / p95 {report.pct(pl, 0.95):.0f} ms "
                            f"(alone p50 {report.pct(al, 0.5):.0f} ms), RSS {r['rssN_mb']:.0f} MB"
                        )
                    print(f"{line}; exceptions {len(r['exceptions'])}; load {report.loadavg()}")
                    sys.stdout.flush()
                    rounds.append(r)
                    loads.append(report.loadavg())
    finished = dt.datetime.now(dt.UTC)
    loads.append(report.loadavg())
    cpu1 = report.cpu_times()
    busy = 100 * (cpu1[0] - cpu0[0]) / max(1, cpu1[1] - cpu0[1])
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "raw.json").write_text(json.dumps(rounds, indent=1, default=str))
    s = report.summarise(rounds)
    lines = report.table(s)
    checks = report.targets_table(report.targets(s))
    print("\n".join([*lines, "", *checks]))
    if not args.no_write:
        meta = {
            "started": started,
            "finished": finished,
            "tree": tree,
            "command": f".venv/bin/python {command.strip()}",
            "rounds": args.rounds,
            "sessions": args.sessions,
            "concurrent": ", ".join(["floor", *(f"{k}x" for k in args.concurrent)]),
            "loads": loads,
            "busy": busy,
            "failures": failures,
        }
        report.write_results(s, lines, checks, meta, report.plot(s))
        print(f"wrote {report.RESULTS}")


if __name__ == "__main__":
    main()
