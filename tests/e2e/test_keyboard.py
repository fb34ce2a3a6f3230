"""The map by keyboard and screen reader, in a real browser (issue 29; mapview.Accessible).

Tab goes through every country, route and event, each named as its tooltip reads; a focused
one is ringed and shows its tooltip; Enter (or Space) selects it as a click does (the same
value reaches the server, during a click event), and the focus moves to the panel's heading.
The map is a named region in a main landmark with a heading, described by its colouring, and
the map in words under it is in the accessibility tree.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from playwright.sync_api import CDPSession, Frame, Page, expect

from central_asia_atlas import indicators, mapview, summary
from tests.support.browser import (
    IFRAME,
    STEP_MS,
    Offline,
    Server,
    click_where,
    country_points,
    obstacles,
    open_map,
    panel,
)
from tests.support.shipped import shipped

pytestmark = pytest.mark.e2e

DS = shipped()
DEFAULT = DS.catalogue.default_key()
assert DEFAULT is not None
LABEL = DS.catalogue.indicators[DEFAULT].label
RESULTS = indicators.compute(DS, DEFAULT)

ACTIVE = """() => { const a = document.activeElement;
    return a && a.tagName === 'path' ? a.getAttribute('aria-label') : null; }"""
RING = """() => { const a = document.activeElement, s = getComputedStyle(a);
    return [a.matches(':focus-visible'), s.strokeWidth, s.filter]; }"""
RECORD_POSTS = """() => {
    window.__posts = [];
    const st = window.Streamlit, send = st.setComponentValue.bind(st);
    st.setComponentValue = (value) => {
        window.__posts.push({during: window.event ? window.event.type : null, value});
        return send(value);
    };
}"""


def spoken(tip: str) -> str:
    """A tooltip's lines as the map names its feature: one text, a heading line that the next
    line repeats said once (mapview.Accessible)."""
    lines = [html.unescape(re.sub(r"<[^>]+>", "", x)).strip() for x in tip.split("<br>")]
    lines = [x for x in lines if x]
    if len(lines) > 1 and lines[1].endswith(": " + lines[0]):
        lines = lines[1:]
    return ", ".join(lines)


def names(collection: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (f["properties"]["kind"], f["properties"]["id"], spoken(f["properties"]["tip"]))
        for f in collection["features"]
    ]


# In the order drawn, which is the tab order: the countries, the routes, the events.
COUNTRIES = names(mapview.country_features(DS, RESULTS, LABEL))
ROUTES = names(mapview.route_features(DS))
EVENTS = names(mapview.event_features(DS))
FEATURES = COUNTRIES + ROUTES + EVENTS


def tab_to(page: Page, frame: Frame, position: int) -> str:
    """From the map itself, Tab to the feature at `position` (0: the first); its name."""
    page.frame_locator(IFRAME).locator("#map_div").focus()
    for _ in range(position + 1):
        page.keyboard.press("Tab")
    name: str = frame.evaluate(ACTIVE)
    return name


def test_tab_reaches_every_country_route_and_event_named_as_its_tooltip(
    page: Page, server: Server, offline: Offline
) -> None:
    frame, fl = open_map(page, server)
    fl.locator("#map_div").focus()
    reached = []
    for _ in range(len(FEATURES) + 1):
        page.keyboard.press("Tab")
        name = frame.evaluate(ACTIVE)
        if name is None:  # past the last one, out of the map
            break
        reached.append(name)
    assert reached == [n for _, _, n in FEATURES]
    assert frame.evaluate(ACTIVE) is None
    # each is a button named as its tooltip; a country's name has the indicator's value
    buttons = fl.get_by_role("button", name=COUNTRIES[0][2], exact=True)
    expect(buttons).to_have_count(1)
    assert f"{LABEL}: {RESULTS[COUNTRIES[0][1]].label}" in COUNTRIES[0][2]
    assert offline.blocked == []


def test_enter_on_each_country_selects_it_as_a_click_does_and_focuses_its_heading(
    page: Page, server: Server, offline: Offline
) -> None:
    frame, fl = open_map(page, server)
    frame.evaluate(RECORD_POSTS)
    for position, (_, iso3, name) in enumerate(COUNTRIES):
        assert tab_to(page, frame, position) == name
        visible, width, halo = frame.evaluate(RING)  # the focus ring: black, in a white halo
        assert visible and width == "4px" and "drop-shadow" in halo, (visible, width, halo)
        country = DS.country(iso3)
        assert country is not None
        tip = fl.locator(".leaflet-tooltip.foliumtooltip")
        expect(tip).to_contain_text(country.props.name)  # its tooltip, as under a pointer
        page.keyboard.press("Enter")
        expect(panel(page, "country", iso3)).to_be_visible(timeout=STEP_MS)
        expect(page.locator(f'header.atlas-panel-head[data-id="{iso3}"] h3')).to_be_focused()
        expect(page).to_have_url(re.compile(rf"[?&]country={iso3}(&|$)"))
        expect(fl.locator("path.atlas-highlight")).to_have_count(1)
        expect(fl.locator('path[aria-current="true"]')).to_have_attribute("aria-label", name)
    keyed = frame.evaluate("() => window.__posts")
    # posted during a click event (FastClick), one per key press, as a mouse's click posts
    assert [p["during"] for p in keyed] == ["click"] * len(COUNTRIES), keyed
    drawn = [p["value"]["last_active_drawing"] for p in keyed]
    assert [d["properties"]["id"] for d in drawn] == [iso3 for _, iso3, _ in COUNTRIES]
    # a mouse's click on the first country posts the same value, the count one on
    first = COUNTRIES[0][1]
    click_where(frame, fl, country_points(first, obstacles()), "path.atlas-country")
    expect(panel(page, "country", first)).to_be_visible(timeout=STEP_MS)
    clicked = frame.evaluate("() => window.__posts")[-1]
    assert clicked["during"] == "click"
    assert clicked["value"]["last_active_drawing"] == drawn[0]
    assert set(clicked["value"]) == set(keyed[0]["value"])
    counts = [p["value"]["last_object_clicked_count"] for p in [*keyed, clicked]]
    assert counts == sorted(counts) and len(set(counts)) == len(counts)
    assert offline.blocked == []


def test_a_route_by_the_arrow_keys_and_space_an_event_beyond_the_view_by_enter(
    page: Page, server: Server, offline: Offline
) -> None:
    frame, _ = open_map(page, server)
    route = next(i for i, (_, ident, _) in enumerate(FEATURES) if ident == "cpc")
    tab_to(page, frame, 0)
    for _ in range(route):
        page.keyboard.press("ArrowRight")
    assert frame.evaluate(ACTIVE) == FEATURES[route][2]
    page.keyboard.press("Space")
    box = panel(page, "route", "cpc")
    expect(box).to_be_visible(timeout=STEP_MS)
    expect(box.locator("h3")).to_be_focused()
    expect(page).to_have_url(re.compile(r"[?&]route=cpc(&|$)"))

    # the event marker farthest west (the Black Sea coast), out of the first view: on focus,
    # the map pans until it is in view
    events = [f for f in mapview.event_features(DS)["features"] if not f["properties"]["edge"]]
    far = min(events, key=lambda f: f["geometry"]["coordinates"][0])
    position = FEATURES.index(
        next(f for f in FEATURES if f[:2] == ("event", far["properties"]["id"]))
    )
    in_view = """() => { const r = document.activeElement.getBoundingClientRect(),
        m = document.getElementById('map_div').getBoundingClientRect();
        return r.left >= m.left && r.right <= m.right && r.top >= m.top
            && r.bottom <= m.bottom; }"""
    outside = frame.evaluate(
        """([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]),
            s = window.map.getSize(); return p.x < 0 || p.y < 0 || p.x > s.x || p.y > s.y; }""",
        far["geometry"]["coordinates"][::-1],
    )
    assert outside, "the westernmost event is in the first view: pick another"
    tab_to(page, frame, 0)
    page.keyboard.press("End")
    for _ in range(len(FEATURES) - 1 - position):
        page.keyboard.press("ArrowLeft")
    assert frame.evaluate(ACTIVE) == FEATURES[position][2]
    frame.wait_for_function(in_view, timeout=STEP_MS)
    page.keyboard.press("Enter")
    box = panel(page, "event", far["properties"]["id"])
    expect(box).to_be_visible(timeout=STEP_MS)
    expect(box.locator("h3")).to_be_focused()
    # Escape, from a feature, goes back to the map itself (Leaflet's keys pan and zoom there)
    tab_to(page, frame, 0)
    page.keyboard.press("Escape")
    assert frame.evaluate("() => document.activeElement.id") == "map_div"
    assert offline.blocked == []


def ax_tree(cdp: CDPSession, url_part: str | None = None) -> list[dict[str, Any]]:
    """Chromium's own accessibility tree of the page, or of its frame whose URL has
    `url_part`: what a screen reader is given."""
    params: dict[str, Any] = {}
    if url_part is not None:
        frames = [cdp.send("Page.getFrameTree")["frameTree"]]
        found = None
        while frames:
            node = frames.pop()
            if url_part in node["frame"]["url"]:
                found = node["frame"]["id"]
            frames += node.get("childFrames", [])
        assert found is not None, f"no frame with {url_part}"
        params["frameId"] = found
    nodes: list[dict[str, Any]] = cdp.send("Accessibility.getFullAXTree", params)["nodes"]
    return [n for n in nodes if not n.get("ignored")]


def value(node: dict[str, Any], field: str) -> str:
    return str(node.get(field, {}).get("value", ""))


def test_the_map_is_a_described_region_and_its_words_are_in_the_accessibility_tree(
    page: Page, server: Server, offline: Offline
) -> None:
    _, fl = open_map(page, server)
    title = mapview.map_words(DS, RESULTS, LABEL)[0]
    expect(fl.locator("h1")).to_have_text(title)
    expect(page.locator(IFRAME)).to_have_attribute("title", title)  # the frame's name
    cdp = page.context.new_cdp_session(page)
    inside = ax_tree(cdp, "streamlit_folium")
    roles = {(value(n, "role"), value(n, "name")) for n in inside}
    assert ("main", title) in roles
    assert ("heading", title) in roles
    region = next(n for n in inside if value(n, "role") == "region" and value(n, "name") == title)
    colouring = summary.colouring(DS, RESULTS, LABEL)
    assert value(region, "description").startswith(colouring)
    buttons = [value(n, "name") for n in inside if value(n, "role") == "button"]
    assert [n for n in buttons if n in {c for _, _, c in COUNTRIES}] == [c for _, _, c in COUNTRIES]
    # under the map, the map in words: its summary in the tree, opened by the keyboard
    toggle = page.locator('[data-testid="stExpander"] summary', has_text="The map in words")
    toggle.focus()
    page.keyboard.press("Enter")
    kaz = " ".join(summary.country_summary(DS, "KAZ")[:2])
    expect(page.locator('[data-testid="stExpander"]', has_text=colouring)).to_be_visible()
    texts = " ".join(value(n, "name") for n in ax_tree(cdp))
    assert colouring in texts
    assert summary.country_summary(DS, "KAZ")[1] in texts, kaz
    assert offline.blocked == []
