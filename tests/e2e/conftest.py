"""Browser-test fixtures: a real Streamlit server for the session, Chromium, and a fresh page per
test with every non-loopback request blocked and recorded (each test asserts that none was
made). The helpers they use are in tests/support/browser.py.

Every test under tests/e2e is in the browser tier (marker `e2e`, given here): plain `pytest`
deselects it, `pytest -m e2e` runs it, scripts/test.sh runs both tiers. A browser test that
cannot run fails: a missing Chromium or a server that does not come up is an error, and a skip
is reported as a failure.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.support.browser import (
    ARTIFACTS,
    Offline,
    Server,
    launch,
    offline_page,
    start_server,
    stop_server,
)

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A browser test that is skipped (or cannot start) counts as failed."""
    report: pytest.TestReport = yield
    if report.skipped and HERE in item.path.parents:
        report.outcome = "failed"
        report.longrepr = f"a browser test may not be skipped: {report.longrepr}"
    return report


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    srv = start_server(ARTIFACTS / "streamlit-server.log")
    yield srv
    stop_server(srv)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    b = launch(playwright_instance)
    yield b
    b.close()


@pytest.fixture
def offline() -> Offline:
    return Offline()


@pytest.fixture
def page(browser: Browser, offline: Offline) -> Iterator[Page]:
    """A fresh browser context per test, routed through `offline`.

    After the test, asserts that no request left the machine.
    """
    pg = offline_page(browser, offline)
    yield pg
    pg.context.close()
    assert offline.blocked == [], f"requests to other hosts: {offline.blocked}"
