"""A local cluster without Docker: N replicas of the app behind HAProxy (run by cluster.sh).

    scripts/cluster.sh start --replicas 3 --port 8080 --run-dir run/cluster
    scripts/cluster.sh status --run-dir run/cluster
    scripts/cluster.sh restart --run-dir run/cluster     # rolling: one replica at a time
    scripts/cluster.sh stop --run-dir run/cluster

`start` runs N `streamlit run streamlit_app.py` on free loopback ports, each with the same
cookie secret (STREAMLIT_SERVER_COOKIE_SECRET: from ATLAS_COOKIE_SECRET, else made once for
the cluster and kept in RUN_DIR/cookie-secret), and HAProxy on 127.0.0.1:PORT with
deploy/haproxy.cfg plus the list of replicas it writes to RUN_DIR/servers.cfg. It returns once
HAProxy reports every replica up and each answers /_stcore/health through the balancer with
its cookie, and writes RUN_DIR/replicas.json: [{"name", "port", "pid"}], where `name` is the
value of HAProxy's cookie `atlas_replica` for that replica. Logs go to RUN_DIR.

`restart` replaces each replica in turn with no reader's view lost: the replica is drained
(HAProxy sends it no new reader; its own readers stay), a new process starts on a new port
and answers its health check, HAProxy's server of that name is pointed at it, the old process
stops (its readers reconnect, with their cookie, to the new process: one reconnect each), and
the replica is made ready again once HAProxy sees it up. A replica found dead is started anew
the same way. `stop` stops every process the cluster started. Nothing here needs root but the
install of HAProxy in cluster.sh.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HAPROXY_CFG = ROOT / "deploy" / "haproxy.cfg"
COOKIE = "atlas_replica"  # deploy/haproxy.cfg's `cookie`
HEALTH = "/_stcore/health"  # deploy/haproxy.cfg's health check
BACKEND = "replicas"
START_S = float(os.environ.get("ATLAS_CLUSTER_START_S", "120"))  # a replica's start, at most
STOP_S = 15.0


@dataclass
class Replica:
    name: str
    port: int
    pid: int


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_status(url: str, cookie: str | None = None) -> tuple[int, str]:
    """(status, the Set-Cookie header) of a GET; status 0 if nothing answered."""
    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    req = urllib.request.Request(url, headers=headers)  # noqa: S310 (http, built here)
    try:
        with urllib.request.urlopen(req, timeout=3) as r:  # noqa: S310
            return r.status, r.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except OSError:
        return 0, ""


class Cluster:
    def __init__(self, run_dir: Path) -> None:
        self.dir = run_dir.resolve()
        self.socket = self.dir / "haproxy.sock"
        self.replicas_file = self.dir / "replicas.json"
        self.state_file = self.dir / "cluster.json"

    # --- files --------------------------------------------------------------------------

    def replicas(self) -> list[Replica]:
        return [Replica(**r) for r in json.loads(self.replicas_file.read_text())]

    def write_replicas(self, replicas: list[Replica]) -> None:
        tmp = self.replicas_file.with_suffix(".tmp")
        tmp.write_text(json.dumps([asdict(r) for r in replicas], indent=2) + "\n")
        tmp.replace(self.replicas_file)
        servers = [f"backend {BACKEND}"] + [
            f"    server {r.name} 127.0.0.1:{r.port} cookie {r.name}" for r in replicas
        ]
        # The list HAProxy would read at its next start or reload (the running one has been
        # told of new ports through its admin socket).
        tmp = self.dir / "servers.cfg.tmp"
        tmp.write_text(
            "# Written by scripts/cluster.py: the replicas, for deploy/haproxy.cfg\n"
            + "\n".join(servers)
            + "\n"
        )
        tmp.replace(self.dir / "servers.cfg")

    def state(self) -> dict[str, int]:
        return dict(json.loads(self.state_file.read_text()))

    def cookie_secret(self) -> str:
        if secret := os.environ.get("ATLAS_COOKIE_SECRET"):
            return secret
        path = self.dir / "cookie-secret"
        if not path.exists():  # once per cluster; never in the repository
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(32))
        return path.read_text().strip()

    # --- processes ----------------------------------------------------------------------

    def start_replica(self, name: str) -> Replica:
        port = free_port()
        log = (self.dir / f"{name}-{port}.log").open("wb")
        cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py"]
        cmd += ["--server.port", str(port), "--server.address", "127.0.0.1"]
        cmd += ["--server.headless", "true", "--server.fileWatcherType", "none"]
        cmd += ["--browser.gatherUsageStats", "false"]
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": self.cookie_secret()}
        proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives this command; `stop` ends it
        )
        log.close()
        with (self.dir / "started").open("a") as f:  # every process, for `stop`
            f.write(f"{name} {port} {proc.pid}\n")
        return Replica(name, port, proc.pid)

    def ever_started(self) -> list[Replica]:
        path = self.dir / "started"
        lines = path.read_text().split("\n") if path.exists() else []
        return [Replica(w[0], int(w[1]), int(w[2])) for w in map(str.split, lines) if w]

    def wait_healthy(self, replica: Replica) -> None:
        deadline = time.monotonic() + START_S
        url = f"http://127.0.0.1:{replica.port}{HEALTH}"
        while http_status(url)[0] != 200:
            if not is_replica(replica):
                raise SystemExit(f"replica {replica.name} exited; see {self.log_of(replica)}")
            if time.monotonic() > deadline:
                raise SystemExit(f"replica {replica.name} not healthy in {START_S:.0f} s")
            time.sleep(0.1)

    def log_of(self, replica: Replica) -> Path:
        return self.dir / f"{replica.name}-{replica.port}.log"

    def start_haproxy(self, port: int) -> int:
        pidfile = self.dir / "haproxy.pid"
        env = {
            **os.environ,
            "ATLAS_BIND": f"127.0.0.1:{port}",
            "ATLAS_HAPROXY_SOCKET": str(self.socket),
        }
        cfg = ["-f", str(HAPROXY_CFG), "-f", str(self.dir / "servers.cfg")]
        check = subprocess.run(["haproxy", "-c", "-q", *cfg], env=env, capture_output=True)
        if check.returncode != 0:
            raise SystemExit(f"haproxy -c failed:\n{check.stderr.decode()}")
        with (self.dir / "haproxy.log").open("wb") as log:
            subprocess.run(
                ["haproxy", "-D", "-p", str(pidfile), *cfg],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=True,
                start_new_session=True,
            )
        return int(pidfile.read_text().split()[0])

    # --- HAProxy's admin socket -----------------------------------------------------------

    def admin(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(str(self.socket))
            s.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def set_state(self, name: str, state: str) -> None:
        out = self.admin(f"set server {BACKEND}/{name} state {state}")
        if out.strip():
            raise SystemExit(f"haproxy: set server {name} state {state}: {out.strip()}")

    def point(self, name: str, port: int) -> None:
        out = self.admin(f"set server {BACKEND}/{name} addr 127.0.0.1 port {port}")
        if "changed" not in out and out.strip():
            raise SystemExit(f"haproxy: set server {name} addr: {out.strip()}")

    def servers_up(self) -> dict[str, bool]:
        """{name: up} as HAProxy sees it (operational state 2: running)."""
        out = self.admin(f"show servers state {BACKEND}")
        up = {}
        for line in out.splitlines():
            f = line.split()
            if len(f) > 6 and not line.startswith("#") and f[1] == BACKEND:
                up[f[3]] = f[5] == "2"
        return up

    def sessions(self) -> dict[str, int]:
        """{name: current connections}, for websockets the readers on each replica."""
        out = self.admin("show stat")
        header = out.splitlines()[0].lstrip("# ").split(",")
        col = {k: i for i, k in enumerate(header)}
        found = {}
        for line in out.splitlines()[1:]:
            f = line.split(",")
            if len(f) > col["scur"] and f[0] == BACKEND and f[1] not in ("BACKEND", "FRONTEND"):
                found[f[1]] = int(f[col["scur"]] or 0)
        return found

    def wait_up(self, names: list[str], port: int) -> None:
        """Until HAProxy reports each of `names` up and each answers through the balancer
        with its own cookie (no redispatch: no new cookie set)."""
        deadline = time.monotonic() + START_S
        for name in names:
            while True:
                up = self.servers_up().get(name, False)
                status, set_cookie = http_status(f"http://127.0.0.1:{port}{HEALTH}", name)
                if up and status == 200 and f"{COOKIE}=" not in set_cookie:
                    break
                if time.monotonic() > deadline:
                    raise SystemExit(f"replica {name} not up behind HAProxy in {START_S:.0f} s")
                time.sleep(0.1)


def is_replica(r: Replica) -> bool:
    """Is `r.pid` still that replica's process (not a reused pid)?"""
    try:
        cmd = Path(f"/proc/{r.pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    try:
        stat = Path(f"/proc/{r.pid}/stat").read_text().rsplit(")", 1)[1].split()
        if stat[0] == "Z":  # exited, not yet reaped
            return False
    except (OSError, IndexError):
        return False
    if cmd == [b""]:  # just exec'd: its arguments are not readable for a moment
        try:
            return "python" in os.readlink(f"/proc/{r.pid}/exe")
        except OSError:
            return False
    return b"streamlit" in cmd and str(r.port).encode() in cmd


def stop_pid(pid: int, alive: Callable[[], bool]) -> None:
    """SIGTERM, then SIGKILL if it has not ended within STOP_S; `alive()` tells."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_S
    while alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while alive():
            time.sleep(0.05)


def haproxy_alive(c: Cluster, pid: int) -> bool:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return stat[0] != "Z" and b"haproxy" in cmd and str(c.dir).encode() in cmd


def start(c: Cluster, n: int, port: int) -> None:
    c.dir.mkdir(parents=True, exist_ok=True)
    if c.replicas_file.exists() and any(is_replica(r) for r in c.replicas()):
        raise SystemExit(f"a cluster is running in {c.dir}: stop it first")
    replicas: list[Replica] = []
    try:
        replicas = [c.start_replica(f"r{i}") for i in range(1, n + 1)]
        c.write_replicas(replicas)
        for r in replicas:
            c.wait_healthy(r)
        pid = c.start_haproxy(port)
        c.state_file.write_text(json.dumps({"port": port, "haproxy_pid": pid}) + "\n")
        c.wait_up([r.name for r in replicas], port)
    except BaseException:
        stop(c)
        raise
    print(f"{n} replicas behind http://127.0.0.1:{port}/ ; {c.replicas_file}")


def restart(c: Cluster) -> None:
    port = c.state()["port"]
    replicas = c.replicas()
    for i, old in enumerate(replicas):
        if is_replica(old):
            c.set_state(old.name, "drain")  # no new readers; its own keep their replica
        new = c.start_replica(old.name)
        try:
            c.wait_healthy(new)
        except BaseException:
            stop_pid(new.pid, lambda new=new: is_replica(new))
            raise
        c.point(old.name, new.port)  # what reconnects with this cookie goes to the new one
        replicas[i] = new
        c.write_replicas(replicas)
        if is_replica(old):
            stop_pid(old.pid, lambda old=old: is_replica(old))  # its readers reconnect
        c.set_state(old.name, "ready")
        c.wait_up([old.name], port)
        print(f"{old.name}: pid {old.pid} port {old.port} -> pid {new.pid} port {new.port}")


def status(c: Cluster) -> None:
    up = c.servers_up()
    now = c.sessions()
    for r in c.replicas():
        state = "up" if up.get(r.name) else "down"
        alive = "running" if is_replica(r) else "not running"
        print(f"{r.name}: port {r.port}, pid {r.pid} {alive}, {state}, {now.get(r.name, 0)} conn")


def stop(c: Cluster) -> None:
    # the replicas, and any process a restart that was interrupted had started
    listed = c.replicas() if c.replicas_file.exists() else []
    for r in listed + c.ever_started():
        if is_replica(r):
            stop_pid(r.pid, lambda r=r: is_replica(r))
    if c.state_file.exists():
        pid = c.state()["haproxy_pid"]
        if haproxy_alive(c, pid):
            stop_pid(pid, lambda: haproxy_alive(c, pid))
    elif (c.dir / "haproxy.pid").exists():  # start failed after HAProxy began
        pid = int((c.dir / "haproxy.pid").read_text().split()[0])
        if haproxy_alive(c, pid):
            stop_pid(pid, lambda: haproxy_alive(c, pid))
    with contextlib.suppress(FileNotFoundError):
        c.socket.unlink()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="scripts/cluster.sh", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start N replicas and HAProxy")
    p_start.add_argument("--replicas", type=int, default=3)
    p_start.add_argument("--port", type=int, default=8080, help="HAProxy's port on 127.0.0.1")
    for name, text in (
        ("stop", "stop every process of the cluster"),
        ("restart", "rolling restart: each replica drained, replaced, made ready"),
        ("status", "each replica's port, pid, state and connections"),
    ):
        sub.add_parser(name, help=text)
    for p in sub.choices.values():
        p.add_argument("--run-dir", type=Path, required=True, help="pids, logs, replicas.json")
    args = ap.parse_args(argv)
    c = Cluster(args.run_dir)
    if args.command == "start":
        if args.replicas < 1:
            ap.error("--replicas must be at least 1")
        start(c, args.replicas, args.port)
    elif args.command == "stop":
        stop(c)
    elif args.command == "restart":
        restart(c)
    else:
        status(c)


if __name__ == "__main__":
    main()
