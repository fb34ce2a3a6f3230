"""A shared deep link opened first on a freshly started server gets the whole app frame.

Streamlit treats the pages/ folder as a legacy multipage app until some session runs
st.navigation, so without `runtime.run_through_entrypoint` such a first visit ran the page file
alone: the legacy sidebar (file names and "streamlit app"), no wide layout, no data banner.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.support.browser import (
    ARTIFACTS,
    Offline,
    Server,
    offline_page,
    start_server,
    stop_server,
)
from tests.support.shipped import shipped


@pytest.fixture
def fresh_server() -> Iterator[Server]:
    srv = start_server(ARTIFACTS / "fresh-deep-link-server.log")
    yield srv
    stop_server(srv)


def test_first_visit_to_a_fact_link_runs_inside_the_app_frame(
    browser: Browser, fresh_server: Server
) -> None:
    ds = shipped()
    fact = next(r.fact for r in ds.fact_refs() if r.fact.excerpt)
    offline = Offline()
    page = offline_page(browser, offline)
    try:
        page.goto(f"{fresh_server.url}/sources?fact={fact.id}")
        nav = page.get_by_test_id("stSidebarNav")
        # the app's own navigation (titles from st.Page), not the legacy list of file names
        expect(nav.get_by_text("Timeline", exact=True)).to_be_visible(timeout=60_000)
        expect(nav.get_by_text("streamlit app")).to_have_count(0)
        expect(page.locator(f"mark#fact-{fact.id}").first).to_be_visible(timeout=30_000)
        assert page.url.endswith(f"/sources?fact={fact.id}")
    finally:
        page.context.close()
    assert offline.blocked == []
    assert "Traceback" not in fresh_server.log.read_text(errors="replace")
