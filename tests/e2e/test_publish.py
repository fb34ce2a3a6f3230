"""Publishing a view in a real browser: the Share menu's downloads, the standalone HTML from
file:// with the network blocked, the embedded view in light and dark, the page at 390 px.

Every test blocks and records each request to a host other than loopback, and asserts there
was none; the standalone file is opened with every request of any kind blocked and counted.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, Request, Route, expect

from central_asia_atlas.model import FIVE
from tests.support.browser import (
    IFRAME,
    LOAD_MS,
    STEP_MS,
    Offline,
    Server,
    candidate_points,
    country_points,
    map_of,
    obstacles,
    offline_page,
    panel,
)
from tests.support.shipped import shipped

DS = shipped()
names = {c.props.iso3: c.props.name for c in DS.countries}

VIEW = "?country=KAZ&indicator=un_es11_1&routes=1"


@pytest.fixture
def pages(browser: Browser, offline: Offline) -> Iterator[list[Page]]:
    """Pages a test opens with its own context options; all closed and checked after it."""
    opened: list[Page] = []
    yield opened
    for p in opened:
        p.context.close()
    assert offline.blocked == [], f"requests to other hosts: {offline.blocked}"


def share_menu(page: Page) -> None:
    page.get_by_role("button", name="Share").click()
    expect(page.get_by_text("Embed code (an iframe 600 px high)")).to_be_visible()


def download(page: Page, label: str, tmp_path: Path) -> Path:
    with page.expect_download(timeout=LOAD_MS) as info:
        page.get_by_role("button", name=label, exact=True).click()
    dl = info.value
    assert dl.failure() is None
    target = tmp_path / dl.suggested_filename
    dl.save_as(target)
    return target


def luminance(css_rgb: str) -> float:
    r, g, b = (int(x) / 255 for x in re.findall(r"\d+", css_rgb)[:3])

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_share_menu_gives_link_embed_citation_and_each_download(
    page: Page, server: Server, offline: Offline, browser: Browser, tmp_path: Path
) -> None:
    page.goto(f"{server.url}/{VIEW}")
    map_of(page)
    expect(panel(page, "country", "KAZ")).to_be_visible(timeout=STEP_MS)
    version = re.compile(r"Data version \d{4}-\d{2}-\d{2} \(\d+ facts\)")
    expect(page.get_by_text(version).first).to_be_visible()  # the map's footer
    share_menu(page)
    codes = page.locator('[data-testid="stDialog"] [data-testid="stCode"] code')
    expect(codes).to_have_count(3)
    link, embed, cite = (" ".join(c.split()) for c in codes.all_inner_texts())
    assert link.startswith(f"{server.url}/?")
    assert parse_qs(urlsplit(link).query) == {
        "country": ["KAZ"],
        "indicator": ["un_es11_1"],
        "routes": ["1"],
    }
    assert embed.startswith("<iframe src=") and "embed=true" in embed and 'height="600"' in embed
    assert 'title="' in embed and 'aria-label="' in embed
    assert link in cite and "Data version" in cite and "accessed" in cite

    png = download(page, "PNG", tmp_path)
    assert png.suffix == ".png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(png) as img:
        assert img.width >= 1600
    svg = download(page, "SVG", tmp_path)
    root = ET.fromstring(svg.read_bytes())
    text = " ".join(" ".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "UN vote of 2 March 2022" in text and "made with Natural Earth" in " ".join(text.split())
    data = download(page, "CSV data", tmp_path)
    rows = list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8"))))
    assert [r["iso3"] for r in rows] == list(FIVE)
    assert all(r["indicator"] == "un_es11_1" and r["data_version"] for r in rows)
    html_file = download(page, "HTML map", tmp_path)
    assert html_file.suffix == ".html"
    assert offline.blocked == []

    # The standalone file, from file://, with every request of any kind blocked and counted.
    url = html_file.resolve().as_uri()
    requests: list[str] = []  # every request but the file's own, of any scheme
    context = browser.new_context(viewport={"width": 1200, "height": 800})

    def block(route: Route) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    def record(req: Request) -> None:
        if req.url != url:
            requests.append(req.url)

    context.route("**/*", block)  # any request but the document's own: aborted
    context.on("request", record)  # and counted, whatever its scheme
    standalone = context.new_page()
    standalone.goto(url)
    countries = standalone.locator("path.atlas-country")
    expect(countries).to_have_count(5, timeout=STEP_MS)
    expect(standalone.locator("#atlas-legend")).to_contain_text("No data")
    expect(standalone.locator("#atlas-foot")).to_contain_text("made with Natural Earth")
    expect(standalone.locator("#atlas-foot")).to_contain_text("Data version")
    back = standalone.get_by_role("link", name="Open this view in the app")
    assert (back.get_attribute("href") or "").startswith(f"{server.url}/?")
    kaz = DS.country("KAZ")
    assert kaz is not None and kaz.geometry is not None
    inside = candidate_points(kaz.geometry, obstacles(), n=1)[0]
    xy = standalone.evaluate(
        "([lat, lng]) => { const m = Object.values(window).find("
        "v => v && v instanceof L.Map); const p = m.latLngToContainerPoint([lat, lng]);"
        "return {x: p.x, y: p.y}; }",
        [inside.y, inside.x],
    )
    standalone.locator(".folium-map").hover(position=xy)
    expect(standalone.locator(".leaflet-tooltip.foliumtooltip")).to_contain_text(names["KAZ"])
    expect(standalone.locator(".leaflet-tooltip.foliumtooltip")).to_contain_text("Abstained")
    context.close()
    assert requests == [], requests


@pytest.mark.parametrize(
    ("query", "scheme", "dark"),
    [
        ("", "light", False),
        ("&embed_options=dark_theme", "light", True),
        ("", "dark", True),  # the reader's own setting
    ],
    ids=["light", "dark-option", "dark-reader-setting"],
)
def test_embedded_view_fits_600px_without_sidebar_in_light_and_dark(
    browser: Browser,
    server: Server,
    offline: Offline,
    pages: list[Page],
    query: str,
    scheme: str,
    dark: bool,
) -> None:
    page = offline_page(browser, offline, 1000, 600, color_scheme=scheme)
    pages.append(page)
    page.goto(f"{server.url}/?embed=true{query}&country=KAZ&indicator=un_es11_1")
    map_of(page)
    box = panel(page, "country", "KAZ")
    expect(box).to_be_visible(timeout=STEP_MS)
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(0)
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    expect(page.get_by_role("combobox", name="Colour the map by")).to_have_count(0)
    legend = page.locator(".atlas-legend").first
    expect(legend).to_be_visible()
    # the whole view fits the iframe: the main area does not scroll, the map is fully in view
    main = page.locator('[data-testid="stMain"]')
    scroll, client = main.evaluate("m => [m.scrollHeight, m.clientHeight]")
    assert scroll <= client + 2 and client <= 600, (scroll, client)
    frame = page.locator(IFRAME).bounding_box()
    assert frame is not None and frame["y"] + frame["height"] <= 600
    app_bg = page.locator(".stApp").evaluate("e => getComputedStyle(e).backgroundColor")
    assert (luminance(app_bg) < 0.1) == dark, app_bg
    head = page.locator('header.atlas-panel-head[data-id="KAZ"]')
    for element in (legend, head.locator("h3"), head.locator(".atlas-meta").first):
        fg = element.evaluate("e => getComputedStyle(e).color")
        assert contrast(fg, app_bg) >= 4.5, (fg, app_bg)
    link = page.get_by_role("link", name="Open this view in the full app")
    assert "embed" not in (link.get_attribute("href") or "")


def test_phone_layout_stacks_map_then_panel_and_a_tap_selects(
    browser: Browser, server: Server, offline: Offline, pages: list[Page]
) -> None:
    page = offline_page(
        browser,
        offline,
        390,
        844,
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    pages.append(page)
    page.goto(server.url)
    frame, _fl = map_of(page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    map_box = page.locator(IFRAME).bounding_box()
    picker = page.get_by_role("combobox", name="Country").bounding_box()
    assert map_box is not None and picker is not None
    assert map_box["y"] + map_box["height"] <= picker["y"]  # the map first, then the panel
    assert map_box["width"] <= 390
    # a tap lands only on what is on screen: bring the map into view
    page.locator(IFRAME).evaluate("e => e.scrollIntoView({block: 'center'})")
    expect(page.locator(IFRAME)).to_be_in_viewport(ratio=0.9)
    map_box = page.locator(IFRAME).bounding_box()
    assert map_box is not None
    for p in country_points("UZB"):
        x, y, hit = frame.evaluate(
            """([lat, lng]) => {
                const pt = window.map.latLngToContainerPoint([lat, lng]);
                const box = document.getElementById('map_div').getBoundingClientRect();
                const el = document.elementFromPoint(box.left + pt.x, box.top + pt.y);
                return [box.left + pt.x, box.top + pt.y,
                        !!(el && el.matches('path.atlas-country'))];
            }""",
            [p.y, p.x],
        )
        on_screen = 0 < map_box["y"] + y < 844 and 0 < y < map_box["height"]
        if hit and 0 < x < map_box["width"] and on_screen:
            page.touchscreen.tap(map_box["x"] + x, map_box["y"] + y)
            break
    else:
        raise AssertionError("no point of Uzbekistan to tap")
    box = panel(page, "country", "UZB")
    expect(box).to_be_attached(timeout=STEP_MS)
    box.scroll_into_view_if_needed()
    head = page.locator('header.atlas-panel-head[data-id="UZB"]')
    expect(head.locator("h3")).to_have_text(names["UZB"])
    expect(page.get_by_role("combobox", name="Country")).to_have_value(names["UZB"])
    # the panel is readable on the phone: it is no wider than the screen
    panel_box = box.bounding_box()
    assert panel_box is not None and panel_box["x"] >= 0
    assert panel_box["x"] + panel_box["width"] <= 390
