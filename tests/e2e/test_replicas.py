"""Several replicas behind HAProxy: readers stay on theirs, and survive one that dies or restarts.

One cluster for the module (scripts/cluster.sh: three replicas, HAProxy with
deploy/haproxy.cfg), started and stopped by the real script. Every browser context counts its
websockets in the page (an init script wraps WebSocket), so a reconnect is a condition to wait
on; its replica is the `atlas_replica` cookie HAProxy sets. Every request to a host other than
loopback is blocked and counted, as in every browser test.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from central_asia_atlas import reconnect
from central_asia_atlas.model import FIVE
from scripts import cluster as cl
from tests.support.browser import (
    ARTIFACTS,
    Offline,
    click_where,
    country_points,
    free_port,
    map_of,
    obstacles,
    offline_page,
    panel,
)
from tests.support.paths import ROOT
from tests.support.shipped import shipped

DS = shipped()

pytestmark = pytest.mark.e2e

CLUSTER_SH = str(ROOT / "scripts" / "cluster.sh")
REPLICAS = 3
BACK_MS = 15_000  # a reader of a killed replica has its view back within this (issue 28)
STEP_MS = 30_000  # a click's panel (three servers and Chromium on two CPUs)
LOAD_MS = 90_000
DEFAULT = DS.catalogue.default_key()
COMPONENT = "/component/streamlit_folium.st_folium/index.html"
# A page's run on the new socket: the reconnect's question is one message, a run of the page
# a few dozen (its session, the elements, the end of the run).
VIEW_FRAMES = 5

COUNT_SOCKETS = """
(() => {
  if (window.top !== window) return;  // the page itself, not the map's iframe
  const Native = window.WebSocket;
  const seen = { opened: 0, frames: 0 };  // frames received on the latest socket
  window.__atlasWs = seen;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      seen.opened += 1;
      seen.frames = 0;
      this.addEventListener("message", () => { seen.frames += 1; });
    }
  };
})();
"""


@dataclass
class Cluster:
    url: str
    dir: Path
    admin: cl.Cluster

    def replicas(self) -> list[cl.Replica]:
        return self.admin.replicas()

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in sorted(self.dir.glob("r*.log")))


def run_cluster(*args: str) -> None:
    subprocess.run([CLUSTER_SH, *args], cwd=ROOT, check=True, timeout=600)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    run_dir = ARTIFACTS / "cluster"
    if (run_dir / "replicas.json").exists():  # what an interrupted run left: stop it first
        run_cluster("stop", "--run-dir", str(run_dir))
    for old in run_dir.glob("*"):
        old.unlink()
    port = free_port()
    run_dir_arg = ["--run-dir", str(run_dir)]
    run_cluster("start", "--replicas", str(REPLICAS), "--port", str(port), *run_dir_arg)
    try:
        yield Cluster(f"http://127.0.0.1:{port}", run_dir, cl.Cluster(run_dir))
    finally:
        run_cluster("stop", "--run-dir", str(run_dir))
        c = cl.Cluster(run_dir)
        left = [r for r in c.replicas() + c.ever_started() if cl.is_replica(r)]
        assert not left, f"replicas still running after stop: {left}"
        assert not cl.haproxy_alive(c, c.state()["haproxy_pid"]), "HAProxy still running"


@pytest.fixture
def all_up(cluster: Cluster) -> Cluster:
    """Every replica running (a test before may have killed one: restarted here)."""
    if not all(cl.is_replica(r) for r in cluster.replicas()):
        run_cluster("restart", "--run-dir", str(cluster.dir))
    return cluster


@pytest.fixture
def readers(browser: Browser, offline: Offline) -> Iterator[list[Page]]:
    """Pages opened by the test (each in a context of its own: its own cookie), closed after
    it; no request may have left the machine."""
    pages: list[Page] = []
    yield pages
    for p in pages:
        p.context.close()
    assert offline.blocked == [], f"requests to other hosts: {offline.blocked}"


def open_reader(
    browser: Browser,
    offline: Offline,
    pages: list[Page],
    url: str,
    query: str = "",
    wait: bool = True,
) -> Page:
    """A new reader's page at `url` (with `wait`: once it shows the map)."""
    page = offline_page(browser, offline, width=1200, height=900)
    page.set_default_timeout(STEP_MS)
    page.context.add_init_script(COUNT_SOCKETS)
    pages.append(page)
    page.goto(f"{url}/{query}", wait_until="load" if wait else "commit")
    if wait:
        map_of(page, LOAD_MS)
    return page


def replica_of(page: Page) -> str:
    cookies = [c["value"] for c in page.context.cookies() if c["name"] == cl.COOKIE]
    assert len(cookies) == 1, page.context.cookies()
    return cookies[0]


def sockets_opened(page: Page) -> int:
    return int(page.evaluate("() => window.__atlasWs.opened"))


def click_country(page: Page, iso3: str) -> None:
    """Click `iso3` on the map; its panel shows."""
    frame, fl = map_of(page, LOAD_MS)
    click_where(frame, fl, country_points(iso3, obstacles()), "path.atlas-country")
    expect(panel(page, "country", iso3)).to_be_visible(timeout=STEP_MS)


def no_error_shown(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Connection error")).to_have_count(0)


def wait_sessions(cluster: Cluster, want: Counter[str]) -> None:
    """Until HAProxy's open connections per replica are the readers' websockets, `want`
    (page loads of their own come and go meanwhile)."""
    deadline = time.monotonic() + 30
    while (now := cluster.admin.sessions()) != {r.name: want[r.name] for r in cluster.replicas()}:
        assert time.monotonic() < deadline, f"connections per replica {now}, readers {want}"
        cluster.admin.servers_up()  # one more round trip to HAProxy between two looks


def fragment_drops(log: str) -> list[str]:
    """Streamlit's "fragment ... does not exist anymore" lines, but for the reconnect's own
    question (a fragment no session holds, by design: a late tick of the browser's timer)."""
    return [
        line
        for line in log.splitlines()
        if "does not exist anymore" in line and reconnect.ASK_FRAGMENT not in line
    ]


def test_six_readers_spread_over_the_replicas_and_each_stays_on_its_own(
    browser: Browser, offline: Offline, all_up: Cluster, readers: list[Page]
) -> None:
    cluster = all_up
    # Before any page has run there, each replica serves the map component's files (a reader
    # moved to it loads them from it).
    for r in cluster.replicas():
        assert cl.http_status(f"{cluster.url}{COMPONENT}", r.name) == (200, ""), r.name
    for i in range(6):
        open_reader(browser, offline, readers, cluster.url, f"?country={FIVE[i % 5]}")
    where = [replica_of(p) for p in readers]
    assert set(where) == {r.name for r in cluster.replicas()}, where  # spread over all three
    # each websocket on its reader's replica: HAProxy's connections per replica are theirs
    wait_sessions(cluster, Counter(where))
    for i, page in enumerate(readers):  # a click each: the fragment's rerun, same replica
        click_country(page, FIVE[(i + 2) % 5])
        no_error_shown(page)
    assert [replica_of(p) for p in readers] == where
    assert [sockets_opened(p) for p in readers] == [1] * 6  # no reconnect
    wait_sessions(cluster, Counter(where))
    assert not fragment_drops(cluster.logs())
    assert "Traceback" not in cluster.logs()


def test_readers_of_a_killed_replica_get_their_view_back_and_new_readers_the_map(
    browser: Browser, offline: Offline, all_up: Cluster, readers: list[Page]
) -> None:
    cluster = all_up
    # Six readers, each on a country from its URL. The first three then click another
    # country, so that their last run is the map's fragment; the others' is the full page's
    # (a browser asks for a run at a reconnect only after a fragment's).
    for i in range(6):
        open_reader(browser, offline, readers, cluster.url, f"?country={FIVE[i % 5]}")
    for page, iso3 in zip(readers[:3], ["TJK", "TKM", "KAZ"], strict=True):
        click_country(page, iso3)
    shown = [re.search(r"country=(\w+)", p.url).group(1) for p in readers]  # type: ignore[union-attr]
    where = [replica_of(p) for p in readers]
    victim = Counter(where).most_common(1)[0][0]
    pid = next(r.pid for r in cluster.replicas() if r.name == victim)
    moved = [p for p, name in zip(readers, where, strict=True) if name == victim]
    others = [p for p, name in zip(readers, where, strict=True) if name != victim]
    assert moved and others

    os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()

    # New readers arriving while it is down (HAProxy has not yet seen it fail at first):
    # they load while the readers of the dead replica reconnect, and get the map (below).
    arriving = [open_reader(browser, offline, readers, cluster.url, wait=False) for _ in range(3)]

    # Each reader of the dead replica: a new websocket to a live replica, which runs its view
    # from the URL (the same country's panel), no error, and its next click shows the panel.
    for page in moved:
        left_ms = max(1.0, BACK_MS - (time.monotonic() - killed_at) * 1000)
        page.wait_for_function(
            f"() => window.__atlasWs.opened === 2 && window.__atlasWs.frames >= {VIEW_FRAMES}",
            timeout=left_ms,
        )
    back_s = time.monotonic() - killed_at
    assert back_s * 1000 <= BACK_MS, f"views back after {back_s:.1f} s"
    print(f"the dead replica's {len(moved)} readers reconnected within {back_s:.1f} s")
    for page in arriving:
        map_of(page, LOAD_MS)
        assert replica_of(page) != victim
        no_error_shown(page)
    for page in moved:
        i = readers.index(page)
        assert replica_of(page) not in (victim, ""), replica_of(page)
        assert f"country={shown[i]}" in page.url
        expect(panel(page, "country", shown[i])).to_be_visible()
        no_error_shown(page)
    log = cluster.logs()
    assert log.count("asking it for its state") >= len(moved)
    for page in moved:
        i = readers.index(page)
        target = next(c for c in ("UZB", "KGZ", "TJK") if c != shown[i])
        click_country(page, target)
        expect(page).to_have_url(f"{cluster.url}/?country={target}&indicator={DEFAULT}&routes=1")
        no_error_shown(page)
    for page in others:  # untouched by it
        assert sockets_opened(page) == 1
        click_country(page, "KGZ" if "KGZ" not in page.url else "UZB")
    log = cluster.logs()
    assert not fragment_drops(log), fragment_drops(log)
    assert "Traceback" not in log


def test_a_rolling_restart_keeps_every_reader_and_every_new_one(
    browser: Browser, offline: Offline, all_up: Cluster, readers: list[Page]
) -> None:
    cluster = all_up
    for i in range(6):
        open_reader(browser, offline, readers, cluster.url, f"?country={FIVE[i % 5]}")
    before = {r.name: r.pid for r in cluster.replicas()}
    log = (cluster.dir / "restart.log").open("wb")
    restart = subprocess.Popen(
        [CLUSTER_SH, "restart", "--run-dir", str(cluster.dir)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    arrived = 0
    try:
        while restart.poll() is None:  # new readers keep arriving; each gets the map
            page = open_reader(browser, offline, readers, cluster.url, "?country=UZB")
            expect(panel(page, "country", "UZB")).to_be_visible(timeout=STEP_MS)
            no_error_shown(page)
            arrived += 1
            readers.remove(page)
            page.context.close()
        assert restart.wait() == 0, (cluster.dir / "restart.log").read_text()
    finally:
        if restart.poll() is None:
            restart.kill()
            restart.wait()
    assert arrived >= 1
    after = {r.name: r.pid for r in cluster.replicas()}
    assert after.keys() == before.keys()
    assert all(after[n] != before[n] for n in after), (before, after)
    # Every open reader: at most one reconnect (to its own replica's new process), its view,
    # and a click that shows the panel.
    for i, page in enumerate(readers):
        page.wait_for_function(f"() => window.__atlasWs.frames >= {VIEW_FRAMES}", timeout=BACK_MS)
        assert sockets_opened(page) <= 2, (i, [sockets_opened(p) for p in readers])
        click_country(page, FIVE[(i + 1) % 5])
        no_error_shown(page)
    log_text = cluster.logs()
    assert not fragment_drops(log_text), fragment_drops(log_text)
    assert "Traceback" not in log_text
