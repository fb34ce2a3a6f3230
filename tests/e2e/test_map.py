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

from playwright.sync_api import Browser, Page, WebSocket, expect
from shapely.ops import unary_union

from central_asia_atlas.model import FIVE
from tests.support.browser import (
    IFRAME,
    STEP_MS,
    Offline,
    Server,
    choose,
    click_at,
    click_where,
    container_point,
    country_points,
    obstacles,
    offline_page,
    open_map,
    panel,
)
from tests.support.shipped import shipped

DS = shipped()
names = {c.props.iso3: c.props.name for c in DS.countries}
DEFAULT = DS.catalogue.default_key()


def squash(text: str) -> str:
    """Whitespace as the browser shows it."""
    return " ".join(text.split())


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
    choose(page, "Colour the map by", "Governance, as the sources assess it")
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
