"""The benchmark's report: summary figures, the tables, the targets, a plot, results.md."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path
from typing import Any

from servers import ROOT

RESULTS = ROOT / "benchmarks" / "results.md"
PLOT = ROOT / "benchmarks" / "results.png"
MARKER = "<!-- Everything below this line is kept when bench.py rewrites the file. -->"


def pct(xs: list[float], q: float) -> float:
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summarise(rounds: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per target (floor, app-1x, ...): medians over rounds, latencies over all clicks."""
    out: dict[str, dict[str, Any]] = {}
    for name in dict.fromkeys(r["target"] for r in rounds):
        rs = [r for r in rounds if r["target"] == name]
        clicks = [c for r in rs for c in r["clicks"]]
        lat = [c["latency_ms"] for c in clicks]
        conc = [c for r in rs for c in r.get("crowd", {}).get("browser", [])]
        proto = [c for r in rs for c in r.get("crowd", {}).get("protocol", [])]
        alone = [c for r in rs for c in r.get("alone", [])]
        kinds = {
            k: pct([c["by_kind"][k] / 1000 for c in clicks], 0.5) for k in clicks[0]["by_kind"]
        }
        out[name] = {
            "scale": rs[0]["scale"],
            "facts": rs[0].get("facts"),
            "clicks": len(lat),
            "click_p50": pct(lat, 0.5),
            "click_p90": pct(lat, 0.9),
            "send_p50": pct([c["click_to_send_ms"] for c in clicks], 0.5),
            "server_p50": pct([c["server_ms"] for c in clicks], 0.5),
            "server_p90": pct([c["server_ms"] for c in clicks], 0.9),
            "kb_click": pct([c["received"] / 1000 for c in clicks], 0.5),
            "kb_click_max": max(c["received"] / 1000 for c in clicks),
            "kb_kind": kinds,
            "map_resent": sum(c["map_elements"] for c in clicks),
            "reruns_per_click": sum(c["reruns"] for c in clicks) / max(1, len(clicks)),
            "remounts": sum(c["remounted"] for c in clicks),
            "toggle_p50": pct([t for r in rs for t in r.get("route_toggle", [])], 0.5),
            "cold_start": pct([r["cold_start_s"] for r in rs], 0.5),
            "first_kb": pct([r["first_bytes"] / 1000 for r in rs], 0.5),
            "first_map_kb": pct([r["first_map"] / 1000 for r in rs], 0.5),
            "rss1": pct([r["rss1_mb"] for r in rs], 0.5),
            "sessions": max((r.get("sessions", 0) for r in rs), default=0),
            "conc_p50": pct([c["latency_ms"] for c in conc], 0.5) if conc else None,
            "conc_p95": pct([c["latency_ms"] for c in conc], 0.95) if conc else None,
            "conc_n": len(conc),
            "conc_p95_rounds": [
                pct([c["latency_ms"] for c in r["crowd"]["browser"]], 0.95)
                for r in rs
                if r.get("crowd", {}).get("browser")
            ],
            "proto_p50": pct([c["panel_ms"] for c in proto], 0.5) if proto else None,
            "proto_p95": pct([c["panel_ms"] for c in proto], 0.95) if proto else None,
            "proto_done_p95": pct([c["done_ms"] for c in proto], 0.95) if proto else None,
            "proto_n": len(proto),
            "proto_errors": sum(1 for c in proto + alone if c["error"]) if proto else None,
            "alone_p50": pct([c["panel_ms"] for c in alone], 0.5) if alone else None,
            "alone_done_p50": pct([c["done_ms"] for c in alone], 0.5) if alone else None,
            "conc_rss": max((r["rssN_mb"] for r in rs if "rssN_mb" in r), default=None),
            "conc_error": next(
                (r["concurrent_error"] for r in rs if "concurrent_error" in r), None
            ),
            "exceptions": sum(len(r["exceptions"]) for r in rs),
            "foreign": sum(len(r["foreign"]) for r in rs),
        }
    return out


def fmt(x: float | list[float] | None, nd: int = 0) -> str:
    if isinstance(x, list):
        return " / ".join(fmt(v, nd) for v in x) if x else "n/a"
    if x is None or x != x:  # None or NaN
        return "n/a"
    return f"{x:,.{nd}f}"


def ratio(a: float | None, f: float | None) -> str:
    if a is None or f is None or f == 0 or a != a or f != f:
        return "n/a"
    return f"{a / f:.2f}x"


ROWS = [
    ("Facts in the data", "facts", 0, False),
    ("Click-to-panel p50 (ms)", "click_p50", 0, True),
    ("Click-to-panel p90 (ms)", "click_p90", 0, True),
    ("… click to rerun request sent, p50 (ms)", "send_p50", 0, False),
    ("Server time per rerun p50 (ms; request to script_finished)", "server_p50", 0, True),
    ("Server time per rerun p90 (ms)", "server_p90", 0, True),
    ("Received per click p50 (KB)", "kb_click", 1, True),
    ("Received per click, largest (KB)", "kb_click_max", 1, True),
    ("… map element, p50 (KB)", "kb_map", 1, False),
    ("… panel HTML, p50 (KB)", "kb_panel", 1, False),
    ("… chart elements (Vega-Lite), p50 (KB)", "kb_charts", 1, False),
    ("… everything else, p50 (KB)", "kb_other", 1, False),
    ("Map elements resent in full, all clicks", "map_resent", 0, False),
    ("Reruns per click", "reruns_per_click", 2, False),
    ("Map remounts on selection change", "remounts", 0, False),
    ("Route toggle to map updated p50 (ms)", "toggle_p50", 0, False),
    ("Start to interactive map (s)", "cold_start", 2, True),
    ("First view received, HTTP + websocket (KB)", "first_kb", 0, True),
    ("… of which map element (KB)", "first_map_kb", 1, True),
    ("Server RSS, 1 session (MB)", "rss1", 0, True),
    ("Sessions clicking at once (1 browser, the rest protocol sessions)", "sessions", 0, False),
    ("… the browser's click-to-panel p50 (ms)", "conc_p50", 0, True),
    ("… the browser's click-to-panel p95 (ms)", "conc_p95", 0, True),
    ("… the browser's clicks timed (all rounds)", "conc_n", 0, False),
    ("… the browser's p95 in each round, in turn (ms)", "conc_p95_rounds", 0, False),
    ("… protocol sessions: request to panel p50 (ms)", "proto_p50", 0, True),
    ("… protocol sessions: request to panel p95 (ms)", "proto_p95", 0, True),
    ("… protocol sessions: request to rerun finished p95 (ms)", "proto_done_p95", 0, True),
    ("… one protocol session alone: request to panel p50 (ms)", "alone_p50", 0, True),
    ("… protocol answers timed", "proto_n", 0, False),
    ("… protocol errors (timeouts, panel not shown)", "proto_errors", 0, False),
    ("… server RSS (MB)", "conc_rss", 0, True),
    ("Server exceptions in the log", "exceptions", 0, False),
    ("Requests to hosts other than loopback", "foreign", 0, False),
]


def _value(s: dict[str, Any], key: str) -> Any:
    if key.startswith("kb_") and key[3:] in s["kb_kind"]:
        return s["kb_kind"][key[3:]]
    return s.get(key)


def table(s: dict[str, dict[str, Any]]) -> list[str]:
    apps = [n for n in s if n != "floor"]
    head = "| Measure | Floor | " + " | ".join(f"App {s[n]['scale']}x" for n in apps) + " |"
    lines = [head, "|---|" + "---:|" * (1 + len(apps))]
    f = s["floor"]
    for label, key, nd, with_ratio in ROWS:
        cells = [fmt(_value(f, key), nd) if key != "facts" else "n/a"]
        for n in apps:
            v = _value(s[n], key)
            cell = fmt(v, nd)
            if with_ratio and v is not None:
                cell += f" ({ratio(v, _value(f, key))})"
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def targets(s: dict[str, dict[str, Any]], max_rss: float = 300) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for issue 12's targets, ratios against the floor of this run."""
    f = s["floor"]
    by_scale = {v["scale"]: v for n, v in s.items() if n != "floor"}
    out = []
    for scale, limit in ((1, 0.35), (5, 0.5), (10, 0.5)):
        if scale in by_scale:
            r = by_scale[scale]["click_p50"] / f["click_p50"]
            out.append(
                (f"Click-to-panel p50 <= {limit}x floor at {scale}x", f"{r:.2f}x", r <= limit)
            )
    for scale, limit in ((1, 40), (10, 60)):
        if scale in by_scale:
            kb = by_scale[scale]["kb_click"]
            out.append(
                (f"Received per click <= {limit} KB at {scale}x", f"{kb:.1f} KB", kb <= limit)
            )
    if 1 in by_scale:
        r = by_scale[1]["cold_start"] / f["cold_start"]
        out.append(("Start to interactive map <= 1.2x floor (1x)", f"{r:.2f}x", r <= 1.2))
    for scale, a in sorted(by_scale.items()):
        n = a["sessions"]
        if a["conc_error"]:
            out.append(
                (
                    f"{n} sessions at {scale}x: the browser's p95 <= 3x its single p50",
                    f"not measured ({a['conc_error']})",
                    False,
                )
            )
        if a["conc_p95"] is None:
            continue
        r = a["conc_p95"] / a["click_p50"]
        out.append(
            (
                f"{n} sessions at {scale}x: the browser's click-to-panel p95 <= 3x its "
                "single-session p50",
                f"{r:.2f}x",
                r <= 3,
            )
        )
        errors = a["proto_errors"] or 0
        out.append(
            (
                f"{n} sessions at {scale}x: every protocol session shown its panel",
                f"{a['proto_n'] - errors} of {a['proto_n']}",
                errors == 0,
            )
        )
        out.append(
            (
                f"{n} sessions at {scale}x: no server exception",
                str(a["exceptions"]),
                a["exceptions"] == 0,
            )
        )
        out.append(
            (
                f"{n} sessions at {scale}x: RSS <= {max_rss:.0f} MB",
                f"{a['conc_rss']:.0f} MB",
                a["conc_rss"] <= max_rss,
            )
        )
    return out


def targets_table(checks: list[tuple[str, str, bool]]) -> list[str]:
    lines = ["| Target (issue 12) | Measured | Verdict |", "|---|---:|---|"]
    for name, got, ok in checks:
        lines.append(f"| {name} | {got} | {'met' if ok else '**missed**'} |")
    return lines


def plot(s: dict[str, dict[str, Any]], path: Path = PLOT) -> Path | None:
    """Click-to-panel, bytes per click and RSS against the facts multiplier, floor as a line."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    apps = sorted((v for n, v in s.items() if n != "floor"), key=lambda v: v["scale"])
    xs = [a["scale"] for a in apps]
    f = s["floor"]
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.6))
    panels = [
        ("Click-to-panel (ms)", [("p50", "click_p50"), ("p90", "click_p90")], "click_p50"),
        ("Received per click (KB)", [("p50", "kb_click"), ("largest", "kb_click_max")], "kb_click"),
        ("Server RSS (MB)", [("1 session", "rss1"), ("concurrent", "conc_rss")], "rss1"),
    ]
    for ax, (title, series, floor_key) in zip(axes, panels, strict=True):
        for label, key in series:
            pts = [(x, a[key]) for x, a in zip(xs, apps, strict=True) if a.get(key) is not None]
            if pts:
                ax.plot(*zip(*pts, strict=True), marker="o", label=f"app {label}")
        if f.get(floor_key) is not None:
            ax.axhline(f[floor_key], color="grey", linestyle="--", label="floor")
        ax.set_title(title)
        ax.set_xlabel("facts (x shipped)")
        ax.set_xticks(xs)
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


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


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    f = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = f[3] + f[4]
    return sum(f) - idle, sum(f)


def tree_state() -> str:
    def git(*a: str) -> str:
        p = subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True, timeout=30)
        return p.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git(
        "status",
        "--porcelain",
        "--",
        "streamlit_app.py",
        "app_frame.py",
        "pages",
        "central_asia_atlas",
        "static",
        "data",
        "seeds",
        "benchmarks",
        ":!benchmarks/results.md",
        ":!benchmarks/results.png",
    )
    if dirty:
        n = len(dirty.splitlines())
        return f"commit {head} plus {n} uncommitted or untracked path(s) in the app's files"
    return f"commit {head}"


HOW = """\
How each figure is taken (see `benchmarks/`: `bench.py` runs it; `servers.py`, `probes.py`,
`scaled.py`, `report.py`):

- **Data**: at the start, data/ and seeds/ are copied once; the app serves the copy (1x) and
  copies with every fact repeated 2, 5 and 10 times under new ids (`scaled.py`; each copy loads
  with no problem), through CENTRAL_ASIA_ATLAS_DATA / _SEEDS. The floor is the same in every
  column (its data does not grow).
- **Click-to-panel**: a real mouse click (Playwright) on a point inside each country's shape
  in the map's iframe; from the `mousedown` (page clock) until a MutationObserver sees the
  panel show the country's name (floor: the `st.write` text; app: the panel's heading).
- **Server time per rerun**: from the rerun request leaving the browser to the server's
  `script_finished` arriving, both CDP timestamps of the websocket frames (loopback, so mostly
  the script run).
- **Received per click**: websocket frames received (CDP `Network.webSocketFrameReceived`,
  decoded payload) plus HTTP responses (`Network.loadingFinished`), from the click until the
  rerun has settled (400 ms without another). Each Streamlit message is decoded to split it:
  the map element (0 when Streamlit sends a reference to the one the browser has), the panel's
  HTML (since 2 December 2026 with its charts: an SVG image and HTML labels), Vega-Lite
  chart elements (the panel's charts until then), everything else.
- **Start to interactive map**: from starting the `streamlit run` process to the map being
  interactive (Leaflet map in the iframe with all five country paths drawn), fresh context.
  The package's byte-code is compiled before the rounds, as on a deployed server after its
  first start (this machine sets PYTHONDONTWRITEBYTECODE=1; the floor has no modules of its
  own; the libraries are compiled by pip for both).
- **Concurrent sessions** (`crowd.py`, `wsload.py`): one browser session, measured with the
  same click probe, and the rest protocol sessions: each replays, byte for byte, the rerun
  requests the round's first browser session sent (its first view, then its clicks in order),
  so the server does for it what it does for a browser, and times the answer (request to the
  message that shows the panel; to `script_finished`). In each of the bursts every session
  clicks at the same moment (the protocol sessions send as long after it as a browser's
  request takes to leave, the single-session median). The crowd runs in every round (until
  2 December 2026, in the last one only): the browser's p95 is over all rounds' crowd clicks,
  and each round's own p95 is shown beside it. The target compares the browser's p95 with its
  own single-session p50. Twenty Chromium windows would share this machine's two CPUs
  with the server (the floor's own p95 was 8x its p50 that way); users' browsers run on their
  own machines. Before the crowd, one protocol session alone replays the same clicks: the
  reference for the protocol figures. RSS of the server after; exceptions in the log.
- **RSS**: `VmRSS` of the Streamlit server process.
- Latencies over all clicks of all rounds, the rest medians over rounds; ratios in brackets
  are app / floor; 1 KB = 1000 bytes; 1 MB = 2^20 bytes (RSS).
"""


def _load_note(before: str, nproc: str) -> str:
    """What the load before the run says about the figures."""
    first = float(before.split(" / ")[0])
    if first < max(1.0, float(nproc) / 2):
        return (
            "The machine was otherwise quiet before the run (1-minute load "
            f"{first:.2f}); the load during it is the benchmark's own (servers and browsers)."
        )
    return "Other work shared the machine, so read the ratios, not the absolute times."


def write_results(
    s: dict[str, Any],
    lines: list[str],
    checks: list[str],
    meta: dict[str, Any],
    plot_path: Path | None,
) -> None:
    m = machine()
    kept = ""
    if RESULTS.exists():
        old = RESULTS.read_text(encoding="utf-8")
        if MARKER in old:
            kept = old.split(MARKER, 1)[1].lstrip("\n")
    facts = ", ".join(f"{v['scale']}x: {v['facts']:,}" for n, v in s.items() if n != "floor")
    text = [
        "# Benchmark results: the app against a bare streamlit-folium app, as the data grows",
        "",
        f"Run: {meta['started']:%Y-%m-%d %H:%M}–{meta['finished']:%H:%M} UTC on {meta['tree']}; "
        f"`{meta['command']}` ({meta['rounds']} round(s), each target in turn, the order "
        f"reversed every other round; {meta['sessions']} concurrent sessions at "
        f"{meta['concurrent']}). Facts: {facts}.",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} memory, Python {m['python']}, "
        f"headless Chromium. Load average (1/5/15 min) before: {meta['loads'][0]}; after: "
        f"{meta['loads'][-1]}; after each target: "
        + "; ".join(meta["loads"][1:-1])
        + f". All CPUs were busy {meta['busy']:.0f}% of the run (benchmark included). "
        + _load_note(meta["loads"][0], m["nproc"]),
        "",
        *lines,
        "",
        *checks,
        "",
    ]
    if meta.get("failures"):
        text += ["Rounds that failed (left out of the figures):", ""]
        text += [f"- {f}" for f in meta["failures"]] + [""]
    if plot_path is not None:
        text += [f"![Click-to-panel, bytes per click and RSS by data size]({plot_path.name})", ""]
    text += [HOW, MARKER, "", kept]
    RESULTS.write_text("\n".join(text).rstrip() + "\n", encoding="utf-8")
