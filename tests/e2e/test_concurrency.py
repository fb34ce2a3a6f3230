"""Many readers at once: each session keeps its own selection; shared data is never changed.

The browser test opens ten sessions (one Chromium, ten contexts) on one server and has them
pick countries at the same time: every click or choice is sent before any answer is awaited,
so the server runs the ten sessions' reruns side by side. Each ends with its own country in
its own panel and URL; the server log holds no exception.

The in-process test checks the package for shared mutable state: module-level containers and
the cached dataset are the same, value for value, after many sessions have used the app.
"""

from __future__ import annotations

import copy
import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
import streamlit as st
from playwright.sync_api import Browser, Page, expect
from streamlit.testing.v1 import AppTest

import central_asia_atlas
from central_asia_atlas import dataset
from central_asia_atlas.model import FIVE
from tests.support.browser import (
    ARTIFACTS,
    Offline,
    Server,
    click_where,
    country_points,
    map_of,
    obstacles,
    offline_page,
    panel,
    start_server,
    stop_server,
)
from tests.support.paths import ROOT
from tests.support.shipped import shipped

DS = shipped()

SECOND = list(DS.catalogue.indicators)[1]  # the second option of "Colour the map by"

SESSIONS = 10
# Generous: ten sessions share two CPU cores with the browser. Waits end as soon as the
# condition holds, so these cost nothing when all goes well.
WAIT_MS = 120_000
# Session i picks FIVE[i % 5]: even sessions click the map, odd ones use the select box.
PLAN = [(FIVE[i % len(FIVE)], "map" if i % 2 == 0 else "select") for i in range(SESSIONS)]


def _name(iso3: str) -> str:
    country = DS.country(iso3)
    assert country is not None
    return country.props.name


@pytest.fixture
def cold_server() -> Iterator[Server]:
    """A server of its own: its caches start cold (the ten sessions fill them at once) and its
    log holds only what these sessions caused."""
    srv = start_server(ARTIFACTS / "concurrency-server.log")
    yield srv
    stop_server(srv)


@pytest.fixture
def sessions(browser: Browser, offline: Offline) -> Iterator[list[Page]]:
    pages = [offline_page(browser, offline, width=1200, height=900) for _ in range(SESSIONS)]
    for p in pages:
        p.set_default_timeout(WAIT_MS)
    yield pages
    for p in pages:
        p.context.close()
    assert offline.blocked == [], f"requests to other hosts: {offline.blocked}"


def test_ten_sessions_each_keep_their_own_country(
    cold_server: Server, sessions: list[Page]
) -> None:
    server = cold_server
    for page in sessions:  # ten sessions load at once
        page.goto(server.url, wait_until="commit")
    maps = [map_of(page, WAIT_MS) for page in sessions]
    avoid = obstacles()

    # every session picks at once: send all ten, then look at the answers
    for page, (frame, fl), (iso3, how) in zip(sessions, maps, PLAN, strict=True):
        if how == "map":
            click_where(frame, fl, country_points(iso3, avoid), "path.atlas-country")
        else:
            page.get_by_role("combobox", name="Country").click()
            page.get_by_role("option", name=_name(iso3), exact=True).click()
    for page, (iso3, _) in zip(sessions, PLAN, strict=True):
        expect(panel(page, "country", iso3)).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("section.atlas-panel")).to_have_count(1)
        expect(page.get_by_role("combobox", name="Country")).to_have_value(_name(iso3))

    # all rerun at once (another indicator): still each one's own country, nobody else's
    for page in sessions:
        page.get_by_role("combobox", name="Colour the map by").click()
        page.get_by_role("option").nth(1).click()
    for page, (_frame, fl), (iso3, _) in zip(sessions, maps, PLAN, strict=True):
        expect(page).to_have_url(
            f"{server.url}/?country={iso3}&indicator={SECOND}&routes=1", timeout=WAIT_MS
        )
        expect(panel(page, "country", iso3)).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("section.atlas-panel")).to_have_count(1)
        expect(fl.locator("path.atlas-highlight")).to_have_count(1)

    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in log and "Exception" not in log, log[-4000:]


# --- no shared mutable state -------------------------------------------------------------


def _package_containers() -> dict[str, Any]:
    """Every module-level dict, list, set or bytearray in the package, by qualified name."""
    found: dict[str, Any] = {}
    for info in pkgutil.iter_modules(central_asia_atlas.__path__):
        mod = importlib.import_module(f"central_asia_atlas.{info.name}")
        for name, value in vars(mod).items():
            if not name.startswith("__") and isinstance(value, dict | list | set | bytearray):
                found[f"{info.name}.{name}"] = value
    return found


def _frozen_everywhere(ds: dataset.Dataset) -> None:
    with pytest.raises((AttributeError, TypeError, ValueError)):
        ds.countries[0].props.name = "changed"  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        ds.countries = ()  # type: ignore[misc]
    fact = next(ds.fact_refs()).fact
    with pytest.raises((AttributeError, TypeError, ValueError)):
        fact.summary = "changed"  # type: ignore[misc]


def test_sessions_change_no_module_state_and_no_cached_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CENTRAL_ASIA_ATLAS_DATA", raising=False)
    monkeypatch.delenv("CENTRAL_ASIA_ATLAS_SEEDS", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    from central_asia_atlas.cache import dataset

    containers = _package_containers()
    before = {k: copy.deepcopy(v) for k, v in containers.items()}
    ds = dataset()
    _frozen_everywhere(ds)
    snapshot = copy.deepcopy(ds)
    app = str(ROOT / "app_frame.py")

    for i, iso3 in enumerate(FIVE):
        at = AppTest.from_file(app, default_timeout=60)
        at.query_params["country"] = iso3
        at.run()
        assert not at.exception
        at.selectbox(key="w_line").select_index(i).run()
        assert not at.exception
        at.toggle(key="w_routes").set_value(False).run()
        for page in ("sources", "timeline", "compare", "data", "about"):
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, (page, [e.value for e in at.exception])

    assert dataset() is ds  # one shared, read-only copy
    assert ds == snapshot, "a session changed the cached dataset"
    after = _package_containers()
    assert after.keys() == containers.keys()
    for key, value in after.items():
        assert value is containers[key], f"{key} was rebound"
        assert value == before[key], f"{key} was changed by a session"
    st.cache_resource.clear()
    st.cache_data.clear()
