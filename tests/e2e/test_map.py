"""The map in a real browser: click each country and a route, toggle the routes, stay offline.

Every test runs with every non-loopback request blocked and recorded, and asserts that there
was none. Points to click are computed from the shipped shapes (inside the country, away from
route lines and event markers) and checked with the browser's own hit test before clicking.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable

import pytest
from playwright.sync_api import Browser, Frame, FrameLocator, Locator, Page, WebSocket, expect
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from central_asia_atlas import store
from central_asia_atlas.model import FIVE
from tests.e2e.conftest import Offline, Server, offline_page
from tests.support.browser import MAP_IFRAME

pytestmark = pytest.mark.e2e

IFRAME = MAP_IFRAME  # (the frame's title is the map's own: see mapview.Accessible)
LOAD_MS = 60_000
STEP_MS = 20_000
DS = store.load()
names = {c.props.iso3: c.props.name for c in DS.countries}
DEFAULT = DS.catalogue.default_key()


def squash(text: str) -> str:
    """Whitespace as the browser shows it."""
    return " ".join(text.split())


def map_of(page: Page, timeout: float = LOAD_MS) -> tuple[Frame, FrameLocator]:
    """The map's frame, once the page shows it with the five countries drawn."""
    frame_locator = page.frame_locator(IFRAME)
    expect(frame_locator.locator("path.atlas-country")).to_have_count(5, timeout=timeout)
    handle = page.locator(IFRAME).element_handle()
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    frame.wait_for_function("() => window.map && window.map.getZoom() > 0", timeout=timeout)
    return frame, frame_locator


def open_map(page: Page, server: Server, query: str = "") -> tuple[Frame, FrameLocator]:
    page.goto(f"{server.url}/{query}")
    return map_of(page)


def panel(page: Page, kind: str, ident: str) -> Locator:
    return page.locator(f'section.atlas-panel[data-kind="{kind}"][data-id="{ident}"]')


def candidate_points(area: BaseGeometry, avoid: BaseGeometry, n: int = 12) -> list[Point]:
    """Points inside `area`, farthest from `avoid` (routes, markers) and from the border first."""
    minx, miny, maxx, maxy = area.bounds
    pts = []
    steps = 24
    for i in range(1, steps):
        for j in range(1, steps):
            p = Point(minx + (maxx - minx) * i / steps, miny + (maxy - miny) * j / steps)
            if area.contains(p):
                clearance = min(p.distance(avoid), area.boundary.distance(p))
                pts.append((clearance, p))
    pts.sort(key=lambda cp: -cp[0])
    return [p for _, p in pts[:n]]


def country_points(iso3: str, avoid: BaseGeometry | None = None) -> list[Point]:
    """`candidate_points` in the largest part of the country's shape, clear of `avoid`
    (default: the routes, events and capitals)."""
    country = DS.country(iso3)
    assert country is not None and country.geometry is not None
    parts = list(getattr(country.geometry, "geoms", [country.geometry]))
    largest = max(parts, key=lambda g: g.area)
    return candidate_points(largest, obstacles() if avoid is None else avoid)


def obstacles() -> BaseGeometry:
    parts: list[BaseGeometry] = [r.geometry for r in DS.routes if r.geometry is not None]
    parts += [e.geometry for e in DS.events if e.geometry is not None]
    parts += [Point(c.props.capital.lon, c.props.capital.lat) for c in DS.countries]
    return unary_union(parts)


def click_where(
    frame: Frame, frame_locator: FrameLocator, points: Iterable[Point], css: str, tap: bool = False
) -> tuple[float, float]:
    """Click (or `tap`, on a touch screen) the first point whose topmost element (the
    browser's hit test) matches `css`."""
    for p in points:
        x, y, hit = frame.evaluate(
            """([lat, lng, css]) => {
                const pt = window.map.latLngToContainerPoint([lat, lng]);
                const box = document.getElementById('map_div').getBoundingClientRect();
                const el = document.elementFromPoint(box.left + pt.x, box.top + pt.y);
                return [pt.x, pt.y, !!(el && el.matches(css))];
            }""",
            [p.y, p.x, css],
        )
        if hit:
            target = frame_locator.locator("#map_div")
            (target.tap if tap else target.click)(position={"x": x, "y": y})
            return p.y, p.x
    raise AssertionError(f"no point to click shows {css} on top")


def container_point(frame: Frame, lat: float, lng: float) -> dict[str, float]:
    x, y = frame.evaluate(
        "([lat, lng]) => { const p = window.map.latLngToContainerPoint([lat, lng]); "
        "return [p.x, p.y]; }",
        [lat, lng],
    )
    return {"x": x, "y": y}


def click_at(frame_locator: FrameLocator, frame: Frame, lat: float, lng: float) -> None:
    frame_locator.locator("#map_div").click(position=container_point(frame, lat, lng))


def excerpt_of(facts: Iterable[str | None]) -> str:
    quoted = [f for f in facts if f]
    assert quoted, "no fact with an excerpt"
    return squash(min(quoted, key=len))


def test_click_each_country_shows_its_name_and_sources_words(
    page: Page, server: Server, offline: Offline
) -> None:
    frame, fl = open_map(page, server)
    # Measure remounts: a mark on the component's window and a zoom the user chose. A remount
    # would reload the iframe's document (mark gone) and reset the view (zoom back to fit).
    frame.evaluate("() => { window.__atlas_mark = 'first mount'; window.map.setZoom(4.5); }")
    frame.wait_for_function("() => window.map.getZoom() === 4.5")
    avoid = obstacles()
    for iso3 in FIVE:
        last_point = click_where(frame, fl, country_points(iso3, avoid), "path.atlas-country")
        box = panel(page, "country", iso3)
        expect(box).to_be_visible(timeout=STEP_MS)
        head = page.locator(f'header.atlas-panel-head[data-id="{iso3}"]')  # above the chart
        expect(head.locator("h3")).to_have_text(names[iso3])
        latest = max(DS.facts_for_country(iso3), key=lambda r: (r.fact.date, r.fact.id)).fact
        expect(box.locator(f'[data-fact="{latest.id}"]')).to_be_visible()  # newest first
        # the select box follows the map, the URL carries the view, the country is outlined
        expect(page.get_by_role("combobox", name="Country")).to_have_value(names[iso3])
        expect(page).to_have_url(f"{server.url}/?country={iso3}&indicator={DEFAULT}&routes=1")
        expect(fl.locator("path.atlas-highlight")).to_have_count(1)
    # Known pitfall: a second click on the feature clicked last sends the same feature again.
    # After another country is chosen in the select box, that click must still select it.
    page.get_by_role("combobox", name="Country").click()
    page.get_by_role("option", name=names[FIVE[0]]).click()
    expect(panel(page, "country", FIVE[0])).to_be_visible(timeout=STEP_MS)
    click_at(fl, frame, *last_point)
    expect(panel(page, "country", FIVE[-1])).to_be_visible(timeout=STEP_MS)
    # the hover tooltip names the country and its value (escaped text, from the data)
    fl.locator("#map_div").hover(position=container_point(frame, *last_point))
    tip = fl.locator(".leaflet-tooltip.foliumtooltip")
    # while the layers are replaced after the click, the old layer's tooltip may linger a moment
    expect(tip).to_have_count(1)
    expect(tip).to_contain_text(names[FIVE[-1]])
    expect(tip).to_contain_text(f"{DS.catalogue.indicators[DEFAULT].label}:")
    assert frame.evaluate("() => [window.__atlas_mark, window.map.getZoom()]") == [
        "first mount",
        4.5,
    ]
    # the sources' own words: the facts quoted from stored documents, on demand
    page.get_by_role("radio", name=re.compile("^Quoted from stored documents")).click()
    quoted = [r.fact for r in DS.facts_for_country(FIVE[-1]) if r.fact.excerpt]
    newest = max(quoted, key=lambda f: (f.date, f.id))  # first of the "Quoted" facts
    ex = excerpt_of([newest.excerpt])
    box = panel(page, "country", FIVE[-1])
    expect(box.locator("blockquote", has_text=ex).first).to_be_visible(timeout=STEP_MS)
    assert offline.blocked == []


def test_select_box_moves_the_highlight_and_the_map_stays_mounted(
    page: Page, server: Server, offline: Offline
) -> None:
    frame, fl = open_map(page, server, "?country=TKM")
    expect(panel(page, "country", "TKM")).to_be_visible(timeout=STEP_MS)
    frame.evaluate("() => { window.__atlas_mark = 'first mount'; }")
    page.get_by_role("combobox", name="Country").click()
    page.get_by_role("option", name="Kyrgyzstan").click()
    expect(panel(page, "country", "KGZ")).to_be_visible(timeout=STEP_MS)
    expect(fl.locator("path.atlas-highlight")).to_have_count(1)
    page.get_by_role("combobox", name="Colour the map by").click()
    page.get_by_role("option", name="Governance, as the sources assess it").click()
    expect(page).to_have_url(f"{server.url}/?country=KGZ&indicator=governance&routes=1")
    page.get_by_role("button", name="Clear selection").click()
    expect(page.locator("section.atlas-panel")).to_have_count(0, timeout=STEP_MS)
    expect(fl.locator("path.atlas-highlight")).to_have_count(0)
    assert frame.evaluate("() => window.__atlas_mark") == "first mount"
    assert offline.blocked == []


def test_route_toggle_hides_and_shows_the_routes(
    page: Page, server: Server, offline: Offline
) -> None:
    _, fl = open_map(page, server)
    routes = fl.locator("path.atlas-route")
    events = fl.locator("path.atlas-event")
    expect(routes).to_have_count(len(DS.routes), timeout=STEP_MS)
    n_events = events.count()
    assert n_events > 0
    switch = page.get_by_role("switch", name="Energy export routes")
    expect(switch).to_be_checked()
    page.locator("label", has_text="Energy export routes").click()
    expect(routes).to_have_count(0, timeout=STEP_MS)
    expect(events).to_have_count(0)
    expect(switch).not_to_be_checked()
    expect(page).to_have_url(f"{server.url}/?indicator={DEFAULT}&routes=0")
    page.locator("label", has_text="Energy export routes").click()
    expect(routes).to_have_count(len(DS.routes), timeout=STEP_MS)
    expect(events).to_have_count(n_events)
    expect(page).to_have_url(f"{server.url}/?indicator={DEFAULT}&routes=1")
    assert offline.blocked == []


def test_click_a_route_and_an_event_shows_their_panels(
    page: Page, server: Server, offline: Offline
) -> None:
    frame, fl = open_map(page, server)
    with_quotes = [r for r in DS.routes if any(f.excerpt for f in r.props.facts)]
    assert with_quotes
    route = next((r for r in with_quotes if r.props.id == "cpc"), with_quotes[0])
    others = unary_union(
        [r.geometry for r in DS.routes if r is not route and r.geometry is not None]
        + [e.geometry for e in DS.events if e.geometry is not None]
    )
    line = route.geometry
    assert line is not None
    along = [line.interpolate(i / 40, normalized=True) for i in range(2, 39)]
    along.sort(key=lambda p: -p.distance(others))
    click_where(frame, fl, along, "path.atlas-route-hit")
    box = panel(page, "route", route.props.id)
    expect(box).to_be_visible(timeout=STEP_MS)
    expect(box.locator("h3")).to_have_text(route.props.name)
    expect(box).to_contain_text(
        "Transits Russia" + ("yes" if route.props.transits_russia else "no")
    )
    expect(
        box.locator("blockquote", has_text=excerpt_of(f.excerpt for f in route.props.facts)).first
    ).to_be_visible()
    expect(page.get_by_role("combobox", name="Energy route or event")).to_have_value(
        f"Route: {route.props.name}"
    )

    # An event marker: several events at one place share it; the panel names each.
    event = min(DS.events, key=lambda e: (e.props.date, e.props.id))
    same_place = [
        e for e in DS.events if e.geometry is not None and e.geometry.equals(event.geometry)
    ]
    first = min(same_place, key=lambda e: (e.props.date.isoformat(), e.props.id))
    assert event.geometry is not None
    frame.evaluate(  # the marker may lie outside the first view (e.g. a Black Sea port)
        "([lat, lng]) => window.map.setView([lat, lng], 6, {animate: false})",
        [event.geometry.y, event.geometry.x],
    )
    click_where(frame, fl, [event.geometry], "path.atlas-event")
    box = panel(page, "event", first.props.id)
    expect(box).to_be_visible(timeout=STEP_MS)
    for e in same_place:
        expect(box).to_contain_text(e.props.name)
    assert offline.blocked == []


def test_a_click_is_posted_once_and_at_once(page: Page, server: Server, offline: Offline) -> None:
    """mapview.FastClick: each click on a country posts its value during the click itself (not
    from streamlit-folium's 250 ms debounce timer), and the debounced call adds no second post."""
    frame, fl = open_map(page, server)
    frame.evaluate(
        """() => {
            window.__posts = [];
            const st = window.Streamlit, send = st.setComponentValue.bind(st);
            st.setComponentValue = (value) => {
                // window.event is the click while its handlers run; a timer call has none
                window.__posts.push({during: window.event ? window.event.type : null, value});
                return send(value);
            };
        }"""
    )
    avoid = obstacles()
    picked = FIVE[:3]
    for iso3 in picked:
        click_where(frame, fl, country_points(iso3, avoid), "path.atlas-country")
        expect(panel(page, "country", iso3)).to_be_visible(timeout=STEP_MS)
    # wait until the last click's debounced call is well past due (250 ms), then count
    frame.evaluate("() => { window.__shown = performance.now(); }")
    frame.wait_for_function("() => performance.now() - window.__shown > 1000")
    posts = frame.evaluate("() => window.__posts")
    assert [p["during"] for p in posts] == ["click"] * len(picked), posts
    ids = [p["value"]["last_active_drawing"]["properties"]["id"] for p in posts]
    assert ids == list(picked)
    # ClickSelect's lite toGeoJSON: the properties only, not the country's shape (Kazakhstan's
    # came to 16 KB, parsed and deep-copied by the server at every rerun of the session)
    for p in posts:
        assert p["value"]["last_active_drawing"]["geometry"] is None, p["value"]
        assert len(json.dumps(p["value"])) < 2000, len(json.dumps(p["value"]))
    assert offline.blocked == []


SCROLLED = """() => window.scrollY + Array.from(document.querySelectorAll('*'))
    .reduce((sum, el) => sum + el.scrollTop, 0)"""


def test_a_click_on_a_map_below_the_fold_keeps_the_page_still(
    browser: Browser, server: Server, offline: Offline
) -> None:
    """mapview.FocusInPlace: on a screen where the map's frame reaches below the fold, a mouse
    press on the map must not scroll the page. Leaflet focuses the map at the press with a
    plain focus(), and the browser then scrolled the page to show the whole frame, so the
    release landed elsewhere on the map: the click was lost (test_concurrency lost 3 of 5) or
    chose what was beside the pointer, and the page jumped."""
    page = offline_page(browser, offline, width=1200, height=760)
    try:
        frame, fl = open_map(page, server)
        box = page.locator(IFRAME).bounding_box()
        assert box is not None and box["y"] + box["height"] > 760 + 50, box  # below the fold
        before = page.evaluate(SCROLLED)
        frame.evaluate(
            """() => { window.__ys = [];
                for (const t of ['mousedown', 'mouseup'])
                    document.addEventListener(t, (e) => window.__ys.push(e.clientY), true); }"""
        )
        iso3 = "KAZ"
        click_where(frame, fl, country_points(iso3), "path.atlas-country")
        expect(panel(page, "country", iso3)).to_be_visible(timeout=STEP_MS)
        down, up = frame.evaluate("() => window.__ys")
        assert down == up, f"the map moved {up - down} px under the pointer during the click"
        assert page.evaluate(SCROLLED) == before
    finally:
        page.context.close()
    assert offline.blocked == []


def test_a_tap_on_a_phone_brings_the_panel_into_view(
    browser: Browser, server: Server, offline: Offline
) -> None:
    """mapview.ClickSelect: on a phone the panel stacks below the map and its legend, so a tap
    on a country changed nothing in view; the page now scrolls to the country's panel."""
    page = offline_page(browser, offline, 375, 740, has_touch=True, is_mobile=True)
    try:
        frame, fl = open_map(page, server)
        iso3 = "UZB"
        fl.locator("#map_div").scroll_into_view_if_needed()
        head = page.locator(f'header.atlas-panel-head[data-id="{iso3}"]')
        assert head.count() == 0
        click_where(frame, fl, country_points(iso3), "path.atlas-country", tap=True)
        expect(head).to_be_in_viewport(timeout=STEP_MS)
        expect(head.locator("h3")).to_have_text(names[iso3])
    finally:
        page.context.close()
    assert offline.blocked == []


OUTLINED = """(iso3) => {
    // the one highlight path traces the country's own choropleth path
    const hl = document.querySelectorAll('path.atlas-highlight');
    if (hl.length !== 1) return false;
    let d = null;
    window.map.eachLayer((l) => {
        const p = l.feature && l.feature.properties;
        if (p && p.kind === 'country' && p.id === iso3 && l._path) d = l._path.getAttribute('d');
    });
    return d !== null && hl[0].getAttribute('d') === d;
}"""


def test_the_highlight_follows_clicks_and_the_select_box_alike(
    page: Page, server: Server, offline: Offline
) -> None:
    """A click outlines the country in the browser (the map is not sent again); a select box
    choice afterwards, even of the country the map was last sent with, outlines that one."""
    frame, fl = open_map(page, server, "?country=KAZ")
    expect(panel(page, "country", "KAZ")).to_be_visible(timeout=STEP_MS)
    frame.wait_for_function(OUTLINED, arg="KAZ", timeout=STEP_MS)
    # the neighbours come from the static basemap file
    frame.wait_for_function(
        "() => document.querySelectorAll('.leaflet-atlas-basemap-pane path').length > 5",
        timeout=STEP_MS,
    )
    frame.evaluate("() => { window.__atlas_mark = 'first mount'; }")
    click_where(frame, fl, country_points("UZB"), "path.atlas-country")
    expect(panel(page, "country", "UZB")).to_be_visible(timeout=STEP_MS)
    frame.wait_for_function(OUTLINED, arg="UZB", timeout=STEP_MS)
    page.get_by_role("combobox", name="Country").click()
    page.get_by_role("option", name=names["KAZ"]).click()
    expect(panel(page, "country", "KAZ")).to_be_visible(timeout=STEP_MS)
    frame.wait_for_function(OUTLINED, arg="KAZ", timeout=STEP_MS)
    assert frame.evaluate("() => window.__atlas_mark") == "first mount"
    assert offline.blocked == []


def until(sockets: list[WebSocket], cond: Callable[[], bool], what: str) -> None:
    """Wait, frame by frame, until `cond` (Python state fed by the app's websocket) holds."""
    deadline = time.monotonic() + STEP_MS / 1000
    while not cond():
        left_ms = (deadline - time.monotonic()) * 1000
        assert sockets and left_ms > 0, f"timed out waiting for {what}"
        sockets[-1].wait_for_event("framereceived", timeout=left_ms)  # the next frame


def test_a_click_reruns_the_map_and_the_panel_alone(
    page: Page, server: Server, offline: Offline
) -> None:
    """The map and the panel are one fragment: a click on the map reruns it alone. The heading
    and the controls above (the colouring, the day slider, the toggles, Share) are neither run
    nor sent again, and the fragment comes back with the new panel (issue 12: a click's rerun
    is what 20 sessions clicking at once wait for)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    sent: list[BackMsg] = []
    got: list[ForwardMsg] = []

    sockets: list[WebSocket] = []

    def watch(ws: WebSocket) -> None:
        sockets.append(ws)
        ws.on("framesent", lambda p: sent.append(BackMsg.FromString(_raw(p))))
        ws.on("framereceived", lambda p: got.append(ForwardMsg.FromString(_raw(p))))

    def runs_done() -> bool:  # every run asked for has finished
        asked = sum(m.WhichOneof("type") == "rerun_script" for m in sent)
        return asked > 0 and sum(m.WhichOneof("type") == "script_finished" for m in got) >= asked

    page.on("websocket", watch)
    frame, fl = open_map(page, server)
    until(sockets, runs_done, "the first view's runs")
    n_sent, n_got = len(sent), len(got)
    click_where(frame, fl, country_points("UZB"), "path.atlas-country")
    expect(panel(page, "country", "UZB")).to_be_visible(timeout=STEP_MS)
    until(sockets, runs_done, "the click's run")
    reruns = [m for m in sent[n_sent:] if m.WhichOneof("type") == "rerun_script"]
    assert len(reruns) == 1, reruns
    fragment = reruns[0].rerun_script.fragment_id
    assert fragment, "the click reran the whole page"
    after = got[n_got:]
    starts = [m for m in after if m.WhichOneof("type") == "new_session"]
    assert [list(m.metadata.run.fragment_ids) for m in starts] == [[fragment]]
    deltas = [m for m in after if m.WhichOneof("type") in ("delta", "ref_hash")]
    paths = {tuple(m.metadata.delta_path[:2]) for m in deltas}
    assert len(paths) == 1, paths  # all inside the fragment's own container
    assert {m.delta.fragment_id for m in deltas if m.WhichOneof("type") == "delta"} == {fragment}
    new = [m.delta.new_element for m in deltas if m.WhichOneof("type") == "delta"]
    kinds = {e.WhichOneof("type") for e in new}
    assert not kinds & {"slider", "toggle", "checkbox"}, kinds  # no control from above
    head = '<section class="atlas-panel" data-kind="country" data-id="UZB"'
    assert any(e.html.body.startswith(head) for e in new if e.WhichOneof("type") == "html")
    assert offline.blocked == []


def _raw(payload: str | bytes) -> bytes:
    return payload if isinstance(payload, bytes) else payload.encode()
