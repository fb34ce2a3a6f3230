"""The server's CPU time per click's rerun, with N protocol sessions clicking at once.

    .venv/bin/python benchmarks/cpu.py                  # 1x, 19 sessions, 16 bursts
    .venv/bin/python benchmarks/cpu.py --scale 10 --bursts 30

One headless browser clicks the five countries twice and records what it sends; then N
protocol sessions (benchmarks/wsload.py, in a process of its own) replay those clicks in
bursts, all at once, with no browser running. Around each burst the server's CPU time (user
plus system, /proc/<pid>/stat) is read, and the load generator's too. Prints the median CPU
per rerun (the first 2 bursts are warm-up) and the protocol sessions' request-to-panel p50 and
p95. This is the harness behind the per-change figures in benchmarks/results.md; it measures
work, not latency, so it is less noisy than the 20-session browser figure, but runs minutes
apart still differ by 10-20% on a shared machine: compare changes run against run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # central_asia_atlas

import crowd
import probes
import scaled
import servers

WARM_UP = 2  # bursts not counted


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", type=int, default=1, help="times the shipped facts (1)")
    ap.add_argument("--sessions", type=int, default=19, help="protocol sessions (19)")
    ap.add_argument("--bursts", type=int, default=16, help="bursts, warm-up included (16)")
    args = ap.parse_args()
    if args.bursts <= WARM_UP:
        ap.error(f"--bursts must be more than {WARM_UP}")
    with tempfile.TemporaryDirectory() as tmp:
        copy = scaled.make_copies([args.scale], Path(tmp) / "data")[args.scale]
        target = servers.app_target(args.scale, copy.data, copy.seeds)
        srv = servers.Server(target, "cpu")
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
            except BaseException:
                srv.stop()
                raise
        names = {c.iso3: c.name for c in countries}
        chain = crowd.chain_of(first, clicks, names)
        load = crowd.Load(srv.url, target, chain, args.sessions)
        results, server, generator = [], [], []
        try:
            for j in range(args.bursts):
                s0, g0 = cpu_seconds(srv.proc.pid), cpu_seconds(load.proc.pid)
                load.burst(j % len(chain.clicks), time.time() + 0.05)
                r = load.results()
                server.append(cpu_seconds(srv.proc.pid) - s0)
                generator.append(cpu_seconds(load.proc.pid) - g0)
                if j >= WARM_UP:
                    results += r
                time.sleep(0.3)
        finally:
            load.close()
            srv.stop()
    n = args.sessions
    per_rerun = statistics.median(server[WARM_UP:]) / n * 1000
    gen = statistics.median(generator[WARM_UP:]) / n * 1000
    shown = sorted(x["panel_ms"] for x in results if x.get("panel_ms") is not None)
    errors = sum(1 for x in results if x.get("error"))
    p50, p95 = shown[len(shown) // 2], shown[int(len(shown) * 0.95)]
    print(
        f"scale {args.scale}x, {n} sessions, {args.bursts - WARM_UP} bursts: server CPU per "
        f"rerun {per_rerun:.1f} ms (load generator {gen:.1f} ms); request to panel p50 "
        f"{p50:.0f} ms, p95 {p95:.0f} ms; errors {errors}"
    )


if __name__ == "__main__":
    main()
