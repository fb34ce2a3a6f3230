"""Install as Streamlit Community Cloud does: a fresh virtual environment from requirements.txt
alone, `streamlit run streamlit_app.py` from the repository root; the map renders offline."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import ARTIFACTS, ROOT, Offline, offline_page, start_server, stop_server
from tests.support.browser import MAP_IFRAME


def _run(
    cmd: list[str],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=env, timeout=timeout, check=False, capture_output=True, text=True
    )


@pytest.mark.e2e
def test_fresh_venv_from_requirements_serves_the_map(
    tmp_path: Path, browser: Browser, offline: Offline
) -> None:
    venv = tmp_path / "venv"

    made = _run([sys.executable, "-m", "venv", str(venv)])
    assert made.returncode == 0, made.stderr
    py = venv / "bin" / "python"
    # pip may use its cache and local wheel mirrors; it installs requirements.txt and nothing else
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    installed = _run(
        # --no-compile: modules are byte-compiled when first imported instead (quicker here)
        [str(py), "-m", "pip", "install", "--no-compile", "-r", "requirements.txt"],
        cwd=ROOT,
        env=env,
        timeout=1200,
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]

    # the environment holds what requirements.txt pins, and no test tool
    frozen = _run([str(py), "-m", "pip", "freeze"], env=env).stdout.lower()
    pins = [
        line.split("#")[0].strip().lower()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.split("#")[0].strip()
    ]
    assert pins and all("==" in pin for pin in pins), pins
    for pin in pins:
        assert pin.replace("_", "-") in frozen.replace("_", "-"), pin
    for dev_only in ("pytest", "playwright", "hypothesis"):
        assert f"\n{dev_only}==" not in f"\n{frozen}", dev_only

    log = ARTIFACTS / "cloud-install-server.log"
    srv = start_server(log, env={"PYTHONPATH": "", "VIRTUAL_ENV": str(venv)}, python=str(py))
    try:
        with urllib.request.urlopen(f"{srv.url}/_stcore/health", timeout=10) as resp:
            assert resp.status == 200
            assert resp.read().decode() == "ok"
        page = offline_page(browser, offline)
        page.goto(srv.url)
        frame = page.frame_locator(MAP_IFRAME)
        expect(frame.locator(".leaflet-container")).to_be_visible(timeout=60_000)
        expect(frame.locator("path.atlas-country")).to_have_count(5)
        # Leaflet came from the app's static files, not a CDN
        assert page.frame_locator(MAP_IFRAME).locator("script[src*='leaflet']").count() >= 1
        expect(page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]')).to_have_count(0)
        page.context.close()
    finally:
        stop_server(srv)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-3000:]
    assert offline.blocked == [], offline.blocked
