"""deploy/: one balancer policy and one health check for every setup, checked offline.

Docker, Compose and Kubernetes cannot run here; what can be checked without them is: the
HAProxy configuration is valid (`haproxy -c`, with the local cluster's and Compose's server
lists), the YAML parses, and the Dockerfile, compose.yaml, the Kubernetes manifests and
scripts/cluster.py name the same configuration file, health path, cookie and port.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import cluster
from tests.support.paths import ROOT

DEPLOY = ROOT / "deploy"
HEALTH = "/_stcore/health"
COOKIE = "atlas_replica"
APP_PORT = 8501
HAPROXY_CFG = (DEPLOY / "haproxy.cfg").read_text()


def k8s(name: str) -> dict[str, Any]:
    return dict(yaml.safe_load((DEPLOY / "k8s" / name).read_text()))


def haproxy() -> str:
    found = shutil.which("haproxy") or (
        "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
    )
    if found is None:  # scripts/cluster.sh installs it; the browser tests need it too
        pytest.fail("haproxy is not installed: run scripts/cluster.sh once (it installs it)")
    return found


def test_the_haproxy_policy_is_valid_with_each_list_of_replicas(tmp_path: Path) -> None:
    local = tmp_path / "servers.cfg"
    c = cluster.Cluster(tmp_path)
    c.write_replicas([cluster.Replica("r1", 18501, 1), cluster.Replica("r2", 18502, 2)])
    assert "server r1 127.0.0.1:18501 cookie r1" in local.read_text()
    env = {"ATLAS_BIND": "127.0.0.1:18080", "ATLAS_HAPROXY_SOCKET": str(tmp_path / "s.sock")}
    for servers in (local, DEPLOY / "compose.servers.cfg"):
        out = subprocess.run(
            [haproxy(), "-c", "-f", str(DEPLOY / "haproxy.cfg"), "-f", str(servers)],
            capture_output=True,
            text=True,
            env=env,
        )
        assert out.returncode == 0, out.stdout + out.stderr


def test_the_policy_is_in_haproxy_cfg_and_the_lists_hold_only_servers() -> None:
    assert f"cookie {COOKIE} insert indirect nocache" in HAPROXY_CFG
    assert f"http-check send meth GET uri {HEALTH}" in HAPROXY_CFG
    assert "option redispatch" in HAPROXY_CFG and "timeout tunnel" in HAPROXY_CFG
    assert not re.search(r"^backend ", HAPROXY_CFG, re.M)  # the lists bring the backend
    assert cluster.COOKIE == COOKIE and cluster.HEALTH == HEALTH
    assert cluster.HAPROXY_CFG == DEPLOY / "haproxy.cfg"
    lines = [
        line.split()
        for line in (DEPLOY / "compose.servers.cfg").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    keywords = {w[0] for w in lines}
    assert keywords <= {"resolvers", "nameserver", "hold", "backend", "default-server", "server"}
    servers = [w for w in lines if w[0] == "server"]
    assert servers and all(w[-2:] == ["cookie", w[1]] for w in servers)  # cookie = its name


def test_compose_runs_the_image_and_haproxy_with_that_config() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    apps = {k: v for k, v in services.items() if k != "haproxy"}
    servers = re.findall(
        r"server (\w+) (\w+):(\d+) cookie", (DEPLOY / "compose.servers.cfg").read_text()
    )
    assert sorted(apps) == sorted(s[0] for s in servers) == sorted(s[1] for s in servers)
    assert {int(s[2]) for s in servers} == {APP_PORT}
    for app in apps.values():
        assert app["build"]["dockerfile"] == "deploy/Dockerfile"
        assert "STREAMLIT_SERVER_COOKIE_SECRET" in app["environment"]
        assert HEALTH in " ".join(app["healthcheck"]["test"])
    proxy = services["haproxy"]
    assert "./haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro" in proxy["volumes"]
    assert "./compose.servers.cfg:/usr/local/etc/haproxy/servers.cfg:ro" in proxy["volumes"]
    cmd = proxy["command"]
    assert cmd[cmd.index("-f") + 1].endswith("haproxy.cfg")


def test_the_image_serves_the_app_as_the_cluster_does() -> None:
    docker = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim$", docker, re.M)
    assert "COPY requirements.txt ." in docker and "pip install -r requirements.txt" in docker
    assert re.search(r"^USER atlas$", docker, re.M)  # not root
    assert "HEALTHCHECK" in docker and f"127.0.0.1:{APP_PORT}{HEALTH}" in docker
    assert '"streamlit", "run", "streamlit_app.py"' in docker
    assert f'"--server.port", "{APP_PORT}"' in docker
    for copied in re.findall(r"^COPY (?:--\S+ )?(.+) \S+$", docker, re.M):
        for path in copied.split():
            assert (ROOT / path).exists(), path  # every file it copies exists


def test_kubernetes_probes_and_ingress_affinity_match_haproxy() -> None:
    pod = k8s("deployment.yaml")["spec"]["template"]["spec"]
    app = pod["containers"][0]
    assert app["ports"][0]["containerPort"] == APP_PORT
    for probe in ("readinessProbe", "livenessProbe"):
        assert app[probe]["httpGet"]["path"] == HEALTH
    env = {e["name"]: e for e in app["env"]}
    assert "secretKeyRef" in env["STREAMLIT_SERVER_COOKIE_SECRET"]["valueFrom"]
    strategy = k8s("deployment.yaml")["spec"]["strategy"]["rollingUpdate"]
    assert strategy == {"maxSurge": 1, "maxUnavailable": 0}
    notes = k8s("ingress.yaml")["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"] == COOKIE
    assert k8s("service.yaml")["spec"]["ports"][0]["targetPort"] == "http"
    kustomize = k8s("kustomization.yaml")
    assert "secret.example.yaml" not in kustomize["resources"]  # no secret committed


def test_no_cookie_secret_is_committed() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".toml", ".yaml", ".yml", ".cfg", ".sh", ".py", ""} and path.is_file():
            text = path.read_text(errors="replace")
            assert not re.search(r"cookieSecret\s*=", text), name
            assert not re.search(r"COOKIE_SECRET[=:]\s*['\"]?[A-Za-z0-9_-]{16,}", text), name
