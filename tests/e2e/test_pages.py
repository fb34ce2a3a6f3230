"""The pages beyond the map in a real browser: each renders with no error and no request
leaving the machine; a fact's link in the map panel lands on its highlighted passage.

Uses the session server and the offline page of tests/e2e/conftest.py.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from central_asia_atlas import markup, reader
from tests.support.browser import LOAD_MS, Offline, Server
from tests.support.shipped import shipped

DS = shipped()
# page path -> text that shows the page has rendered its main content
PAGES = {
    "sources": "Reference sources",
    "timeline": "The map as of a day",
    "compare": "Signals that count",
    "data": "Downloads",
    "about": "Licences and attributions",
}


def settle(page: Page) -> None:
    """Wait until the script run is over."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=LOAD_MS
    )


def watch_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_offline_without_error(
    page: Page, server: Server, offline: Offline, path: str
) -> None:
    errors = watch_errors(page)
    page.goto(f"{server.url}/{path}")
    expect(page.get_by_text(PAGES[path], exact=True).first).to_be_visible(timeout=LOAD_MS)
    settle(page)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    expect(page.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    assert errors == []
    assert offline.blocked == []


def test_timeline_and_compare_draw_their_charts(
    page: Page, server: Server, offline: Offline
) -> None:
    errors = watch_errors(page)
    for path in ("timeline", "compare"):
        page.goto(f"{server.url}/{path}")
        chart = page.locator('[data-testid="stVegaLiteChart"]').first
        expect(chart).to_be_visible(timeout=LOAD_MS)
        expect(chart.locator("canvas, svg").first).to_be_visible(timeout=LOAD_MS)
        settle(page)
    assert errors == []
    assert offline.blocked == []


def quoted_fact_of_kazakhstan() -> str:
    """The newest fact about Kazakhstan whose excerpt stands in a stored document (first in
    the panel's "Quoted" facts)."""
    for ref in reversed(DS.facts_for_country("KAZ")):
        if ref.fact.excerpt and reader.document_of(DS, ref.fact.source):
            return ref.fact.id
    raise AssertionError("no quoted fact about Kazakhstan in the shipped data")


def test_a_fact_link_in_the_map_panel_lands_on_its_highlighted_passage(
    page: Page, server: Server, offline: Offline
) -> None:
    errors = watch_errors(page)
    fact_id = quoted_fact_of_kazakhstan()
    page.goto(f"{server.url}/?country=KAZ")
    page.get_by_role("radio", name=re.compile("^Quoted from stored documents")).click()
    link = page.locator(f'section.atlas-panel .atlas-fact a[href$="sources?fact={fact_id}"]')
    expect(link).to_have_count(1, timeout=LOAD_MS)
    link.scroll_into_view_if_needed()
    link.click()
    expect(page).to_have_url(re.compile(rf"/sources\?fact={re.escape(fact_id)}$"), timeout=LOAD_MS)
    mark = page.locator(f"mark#fact-{fact_id}")
    expect(mark).to_be_visible(timeout=LOAD_MS)
    expect(mark).to_have_class(re.compile(r"\bsrc-target\b"))
    expect(mark).to_be_in_viewport(timeout=LOAD_MS)
    expect(mark).to_be_focused()  # keyboard users start reading from the passage
    fact = DS.fact(fact_id)
    assert fact is not None and fact.excerpt is not None
    pieces = page.locator(f'mark[data-facts~="{fact_id}"]').all_inner_texts()
    assert "".join("".join(pieces).split()) == "".join(fact.excerpt.replace("**", "").split())
    settle(page)
    assert errors == []
    assert offline.blocked == []


def test_a_compare_cell_links_to_its_passage(page: Page, server: Server, offline: Offline) -> None:
    page.goto(f"{server.url}/compare")
    links = page.locator('table.cmp a[href^="sources?fact="]')
    expect(links.first).to_be_visible(timeout=LOAD_MS)
    quoted = {s.fact for d in reader.documents(DS) for s in reader.spans(DS, d.id)}
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    target = next(h for h in hrefs if h.split("=", 1)[1] in quoted)
    fact_id = target.split("=", 1)[1]
    page.locator(f'table.cmp a[href="{target}"]').first.click()
    mark = page.locator(f"mark#fact-{fact_id}")
    expect(mark).to_be_in_viewport(timeout=LOAD_MS)
    expect(mark).to_have_class(re.compile(r"\bsrc-target\b"))
    assert offline.blocked == []


def test_the_as_of_day_and_the_signal_choice_are_kept_across_pages(
    page: Page, server: Server, offline: Offline
) -> None:
    """Choose a day on the Timeline, switch page in the app (same session): Compare follows."""
    page.goto(f"{server.url}/timeline")
    slider = page.get_by_role("slider")
    expect(slider).to_be_visible(timeout=LOAD_MS)
    settle(page)
    slider.focus()
    page.keyboard.press("Home")  # keyboard only: the earliest day
    expect(page).to_have_url(re.compile(r"as_of=\d{4}-\d{2}-\d{2}"), timeout=LOAD_MS)
    settle(page)
    day = page.url.rsplit("as_of=", 1)[1]
    page.get_by_role("link", name=re.compile("compare", re.I)).first.click()
    expect(page.get_by_text("the day chosen on the map")).to_be_visible(timeout=LOAD_MS)
    # the day as Babel writes it for the reader's language ("1 January 1996")
    expect(page.get_by_text(f"As of {markup.day(dt.date.fromisoformat(day))}")).to_be_visible()
    assert offline.blocked == []
