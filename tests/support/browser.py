"""Browser helpers the e2e tests share: the map component's frame, a page's language in its
link, and waiting for Streamlit's script run to end."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from central_asia_atlas import i18n

# The map component's iframe, by its address: its title is the map's own (mapview.Words).
MAP_IFRAME = 'iframe[src*="/component/streamlit_folium.st_folium/"]'
RUN_MS = 60_000


def lang_query(lang: str) -> list[str]:
    """The query parameter that asks for `lang` (none for the source language, English)."""
    return [] if lang == i18n.SOURCE else [f"lang={lang}"]


def settle(page: Page, timeout: float = RUN_MS) -> None:
    """Wait until Streamlit's script run is over."""
    expect(page.locator('[data-testid="stApp"]')).to_have_attribute(
        "data-test-script-state", "notRunning", timeout=timeout
    )
