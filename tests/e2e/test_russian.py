"""The atlas in Russian in a real browser: `?lang=ru` shows the map page in Russian and declares
it (`<html lang="ru">`), and the language switch changes the language and keeps the rest of
the view (the selection, the indicator, the day).

Uses the session server and the offline page (tests/e2e/conftest.py, tests/support/browser.py).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from tests.support.browser import IFRAME, LOAD_MS, Offline, Server, settle
from tests.support.shipped import shipped

DS = shipped()
VIEW = "country=UZB&indicator=trade_share_china&as_of=2024-06-30"
SWITCH = "Language · Язык"


def query(page: Page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(page.url).query).items()}


def panel_head(page: Page, iso3: str) -> str:
    head = page.locator(f'header.atlas-panel-head[data-id="{iso3}"] h3')
    expect(head).to_be_visible(timeout=LOAD_MS)
    return head.inner_text()


def switch_to(page: Page, language: str) -> None:
    page.get_by_role("combobox", name=SWITCH).click()
    page.get_by_role("option", name=language, exact=True).click()


def test_lang_ru_shows_the_map_page_in_russian(
    page: Page, server: Server, offline: Offline
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{server.url}/?lang=ru&{VIEW}")
    expect(page.locator("html")).to_have_attribute("lang", "ru", timeout=LOAD_MS)
    expect(
        page.get_by_text("Центральная Азия между Россией, ЕС и Китаем с февраля 2022 года")
    ).to_be_visible(timeout=LOAD_MS)
    assert panel_head(page, "UZB") == "Узбекистан"
    # the navigation, the controls and the legend
    nav = page.locator('[data-testid="stSidebarNav"]')
    for name in ("Карта", "Источники", "Хронология", "Сравнение", "Данные", "О проекте"):
        expect(nav.get_by_text(name, exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name="Цвет карты по показателю")).to_be_visible()
    expect(page.get_by_role("combobox", name="Страна")).to_have_value("Узбекистан")
    expect(page.get_by_text("Маршруты экспорта энергоносителей").first).to_be_visible()
    expect(page.get_by_text("30.06.2024").first).to_be_visible()  # the day slider's day
    # the map: the capitals and the neighbours are named in Russian
    frame = page.frame_locator(IFRAME)
    expect(frame.locator(".atlas-capital", has_text="Ташкент")).to_have_count(1, timeout=LOAD_MS)
    expect(frame.locator(".atlas-label", has_text="Китай")).to_have_count(1)
    expect(frame.locator(".atlas-label", has_text="China")).to_have_count(0)
    settle(page)
    assert query(page)["lang"] == "ru"
    assert errors == []
    assert offline.blocked == []


def test_the_switch_keeps_the_view_and_declares_the_language(
    page: Page, server: Server, offline: Offline
) -> None:
    page.goto(f"{server.url}/?{VIEW}")
    assert panel_head(page, "UZB") == "Uzbekistan"
    settle(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    indicator = page.get_by_role("combobox", name="Colour the map by")
    english_label = DS.catalogue.indicators["trade_share_china"].label
    expect(indicator).to_have_value(english_label)

    switch_to(page, "Русский")
    expect(page.locator("html")).to_have_attribute("lang", "ru", timeout=LOAD_MS)
    assert panel_head(page, "UZB") == "Узбекистан"
    expect(page.get_by_role("combobox", name="Цвет карты по показателю")).to_have_value(
        "Доля Китая во внешней торговле (%)"
    )
    expect(page.get_by_text("30.06.2024").first).to_be_visible()
    settle(page)
    expect(page).to_have_url(re.compile(r"lang=ru"), timeout=LOAD_MS)
    want = {"country": "UZB", "indicator": "trade_share_china", "as_of": "2024-06-30"}
    assert {k: query(page).get(k) for k in want} == want

    # another page keeps the language, and back to English keeps the view too
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Хронология", exact=True).click()
    expect(page.get_by_role("heading", name="Хронология")).to_be_visible(timeout=LOAD_MS)
    settle(page)
    assert query(page).get("lang") == "ru" and query(page).get("as_of") == "2024-06-30"
    switch_to(page, "English")
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=LOAD_MS)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible(timeout=LOAD_MS)
    settle(page)
    assert "lang" not in query(page) and query(page).get("as_of") == "2024-06-30"
    assert offline.blocked == []
