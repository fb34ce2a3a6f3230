"""Hostile text in every text field of the data never runs and is shown literally.

A copy of the data gets an HTML/script/markdown payload appended to every free-text field
(names, summaries, notes, excerpts and the seed documents they quote, source titles, outlets,
authors, URLs, route operators, capacities, attributions, event places, indicator notes); the
app is served on that copy. The test clicks a country on the map, selects a route and an
event, opens every page, and checks that no payload ran (`window.__xss` stays undefined in the
page and in every frame, the map's component iframe included), that no request left the
machine (a markdown image would fetch one), that no link has a non-http(s) scheme, and that the
payload text is shown literally.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from playwright.sync_api import Browser, Frame, Page, expect
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.ops import polylabel

from tests.e2e.conftest import (
    ARTIFACTS,
    ROOT,
    Offline,
    Server,
    offline_page,
    start_server,
    stop_server,
)
from tests.support.browser import MAP_IFRAME

# One payload for every context: HTML text, a double- or single-quoted attribute or JS
# string, an inline <script> (where "</script>" would end it), and Streamlit markdown.
PAYLOAD = (
    "<img src=x onerror=window.__xss=1><script>window.__xss=2</script>"
    "\"><svg onload=window.__xss=3>'-(window.__xss=4)-' "
    "![md](https://evil.example/md.png) :red[md] $x$"
)
URL_PAYLOAD = '"><svg/onload=window.__xss=5>'  # still matches the model's ^https?://\S+$
BAD_URL = "javascript:window.__xss=6"
BAD_KEY = "<img src=x onerror=window.__xss=7>"  # an unknown indicator: named in the banner
TEXT_KEYS = frozenset(
    {
        "name",
        "summary",
        "note",
        "date_note",
        "operator",
        "capacity",
        "attribution",
        "geometry_note",
        "place",
        "title",
        "outlet",
        "author",
        "licence",
    }
)
MAX_LINE = 400  # model.Line


def taint(value: str) -> str:
    return value[: MAX_LINE - len(PAYLOAD) - 1] + " " + PAYLOAD


def _taint_tree(obj: Any) -> None:
    if isinstance(obj, dict):
        for key, val in obj.items():
            if key in TEXT_KEYS and isinstance(val, str):
                obj[key] = taint(val)
            elif key != "geometry":
                _taint_tree(val)
    elif isinstance(obj, list):
        for item in obj:
            _taint_tree(item)


def _facts(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for feat in doc["features"]:
        yield from feat["properties"].get("facts", [])


def make_hostile_copy(root: Path) -> tuple[Path, Path]:
    """Copy data/ and seeds/ under root, with the payload in every text field; return the dirs.

    Each excerpt gets the payload too, and the tainted excerpt is written into (a copy of) the
    document it quotes, so that it still stands verbatim at its offsets.
    """
    data, seeds = root / "data", root / "seeds"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "seeds", seeds)
    for p in seeds.iterdir():
        p.chmod(0o644)
    meta = yaml.safe_load((seeds / "sources.yaml").read_text(encoding="utf-8"))
    files = {s["id"]: s.get("file") for s in meta["sources"]}
    texts = {f: (seeds / f).read_bytes().decode("utf-8") for f in files.values() if f is not None}
    for name in ("countries.geojson", "region.geojson", "routes.geojson", "events.geojson"):
        path = data / name
        doc = json.loads(path.read_text(encoding="utf-8"))
        _taint_tree([feat["properties"] for feat in doc["features"]])
        for fact in _facts(doc):
            if fact.get("excerpt") is None or not files.get(fact["source"]):
                continue
            file = files[fact["source"]]
            excerpt = fact["excerpt"] + " " + PAYLOAD
            texts[file] += "\n\n"
            fact["start"], fact["end"] = len(texts[file]), len(texts[file]) + len(excerpt)
            fact["excerpt"] = excerpt
            texts[file] += excerpt + "\n"
        if name == "countries.geojson":
            kaz = next(f for f in doc["features"] if f["properties"]["iso3"] == "KAZ")
            some_fact = next(iter(_facts(doc)))["id"]
            kaz["properties"]["indicators"][BAD_KEY] = {"value": "x", "facts": [some_fact]}
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    for file, text in texts.items():
        (seeds / file).write_bytes(text.encode("utf-8"))
    _taint_tree(meta["sources"])
    for src in meta["sources"]:
        if src.get("url"):
            src["url"] += URL_PAYLOAD
    meta["sources"].append(
        {
            "id": "hostile-url",
            "title": "t",
            "outlet": "o",
            "kind": "think tank",
            "url": BAD_URL,
            "accessed": "2026-11-30",
        }
    )
    (seeds / "sources.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return data, seeds


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path, Path]]:
    data, seeds = make_hostile_copy(tmp_path_factory.mktemp("hostile"))
    log = ARTIFACTS / "escaping-server.log"
    srv = start_server(
        log,
        env={"CENTRAL_ASIA_ATLAS_DATA": str(data), "CENTRAL_ASIA_ATLAS_SEEDS": str(seeds)},
    )
    yield srv, data, seeds
    stop_server(srv)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in text, text[-4000:]


def test_the_copy_loads_with_only_the_two_planted_problems(tmp_path: Path) -> None:
    """The tainting itself keeps every fact valid: only the two planted errors are reported."""
    from central_asia_atlas import store

    data, seeds = make_hostile_copy(tmp_path)
    ds = store.load(data, seeds)
    shipped = store.load(ROOT / "data", ROOT / "seeds")
    problems = [str(p) for p in ds.problems]
    assert len(problems) == 2, problems
    assert any("source hostile-url, field url" in p for p in problems)
    assert any(f"field indicators.{BAD_KEY}" in p for p in problems)
    assert ds.counts() == shipped.counts()
    kaz = ds.country("KAZ")
    assert kaz is not None and kaz.props.name.endswith(PAYLOAD)
    quoted = [r.fact for r in ds.fact_refs() if r.fact.excerpt]
    assert quoted and all(f.excerpt and f.excerpt.endswith(PAYLOAD) for f in quoted)


@pytest.mark.e2e
def test_the_payload_runs_when_it_is_not_escaped(browser: Browser) -> None:
    """Control: in this browser, the payload inserted as HTML does run."""
    offline = Offline()
    page = offline_page(browser, offline)
    page.set_content(f"<div>{PAYLOAD}</div>")
    page.wait_for_function("window.__xss !== undefined")
    page.context.close()


def _frames_clean(page: Page) -> None:
    """No payload ran in the page or in any frame; no link with a non-http(s) scheme."""
    for frame in page.frames:
        assert frame.evaluate("typeof window.__xss") == "undefined", frame.url
        hrefs = frame.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        bad = [h for h in hrefs if not h.startswith(("http://", "https://"))]
        assert bad == [], (frame.url, bad)
        srcs = frame.eval_on_selector_all("img[src], svg image", "els => els.map(e => e.src)")
        assert not [s for s in srcs if "evil.example" in str(s)], srcs


def _map_frame(page: Page) -> Frame:
    handle = page.locator(MAP_IFRAME).element_handle()
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    return frame


def _inside(geom: Any) -> tuple[float, float]:
    """A point well inside the country's largest polygon: (lat, lon)."""
    poly = max(geom.geoms, key=lambda g: g.area) if isinstance(geom, MultiPolygon) else geom
    assert isinstance(poly, Polygon)
    p = polylabel(poly, tolerance=0.05)
    return p.y, p.x


def _click_country(page: Page, data: Path, iso3: str) -> None:
    doc = json.loads((data / "countries.geojson").read_text(encoding="utf-8"))
    feat = next(f for f in doc["features"] if f["properties"]["iso3"] == iso3)
    lat, lon = _inside(shape(feat["geometry"]))
    frame = _map_frame(page)
    frame.wait_for_function("window.map !== undefined")
    x, y = frame.evaluate(
        "([lat, lon]) => { const p = window.map.latLngToContainerPoint([lat, lon]);"
        " return [p.x, p.y]; }",
        [lat, lon],
    )
    page.frame_locator(MAP_IFRAME).locator(".leaflet-container").click(position={"x": x, "y": y})


def _choose(page: Page, label: str, option_text: str) -> None:
    box = page.get_by_label(label)
    box.click()
    box.press_sequentially(option_text[:24])  # the list is long and virtual: filter it first
    page.get_by_role("option").filter(has_text=option_text).first.click()


@pytest.fixture
def hostile_page(
    hostile: tuple[Server, Path, Path], browser: Browser, offline: Offline
) -> Iterator[Page]:
    page = offline_page(browser, offline)
    yield page
    page.context.close()
    assert offline.blocked == [], f"requests to other hosts: {offline.blocked}"


@pytest.mark.e2e
def test_map_page_shows_hostile_text_literally(
    hostile: tuple[Server, Path, Path], hostile_page: Page
) -> None:
    srv, data, _ = hostile
    page = hostile_page
    page.goto(srv.url)
    frame = page.frame_locator(MAP_IFRAME)
    expect(frame.locator("path.atlas-country")).to_have_count(5, timeout=60_000)
    expect(frame.locator(".leaflet-tooltip.atlas-capital").first).to_contain_text(PAYLOAD)

    # a click on the map selects the country; its panel shows the hostile text as text
    _click_country(page, data, "KAZ")
    panel = page.locator('section.atlas-panel[data-kind="country"][data-id="KAZ"]')
    expect(panel).to_be_visible()
    head = page.locator('header.atlas-panel-head[data-id="KAZ"]')  # the name above the chart
    expect(head.locator("h3")).to_contain_text(PAYLOAD)
    expect(panel.locator(".atlas-fact").first).to_contain_text(PAYLOAD)
    # the trade chart's source line names the outlets (drawn as text, in SVG's neighbour)
    expect(page.locator("figure.atlas-chart figcaption").first).to_contain_text(PAYLOAD)
    # the hovered country's tooltip in the map iframe, too
    hover = frame.locator(".leaflet-tooltip:not(.atlas-label):not(.atlas-capital)")
    expect(hover).to_have_count(1)
    expect(hover).to_contain_text(PAYLOAD)
    # the facts quoted from stored documents: the excerpts, as text
    page.get_by_role("radio", name=re.compile("^Quoted from stored documents")).click()
    expect(panel.locator("blockquote").first).to_contain_text(PAYLOAD)
    _frames_clean(page)

    # a route and an event, chosen in the select box
    routes = json.loads((data / "routes.geojson").read_text(encoding="utf-8"))["features"]
    route = routes[0]["properties"]
    _choose(page, "Energy route or event", "Route: " + route["name"][:30])
    panel = page.locator(f'section.atlas-panel[data-kind="route"][data-id="{route["id"]}"]')
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(route["operator"])
    expect(panel).to_contain_text(PAYLOAD)
    _frames_clean(page)
    events = json.loads((data / "events.geojson").read_text(encoding="utf-8"))["features"]
    event = events[0]["properties"]
    _choose(page, "Energy route or event", "Event: " + event["name"][:30])
    panel = page.locator(f'section.atlas-panel[data-kind="event"][data-id="{event["id"]}"]')
    expect(panel).to_be_visible()
    expect(panel).to_contain_text(event["place"])
    _frames_clean(page)

    # the banner names the planted problems, literally
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("The data has 2 problem(s)")).to_be_visible()
    sidebar.get_by_text("Problems").click()
    expect(sidebar.get_by_text(BAD_KEY, exact=False)).to_be_visible()
    _frames_clean(page)


@pytest.mark.e2e
@pytest.mark.parametrize("path", ["sources", "timeline", "compare", "data", "about"])
def test_every_page_shows_hostile_text_literally(
    hostile: tuple[Server, Path, Path], hostile_page: Page, path: str
) -> None:
    srv, _, _ = hostile
    page = hostile_page
    page.goto(f"{srv.url}/{path}")
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("h1").first).to_be_visible(timeout=60_000)
    if path in ("sources", "compare", "about"):
        expect(main.get_by_text(PAYLOAD, exact=False).first).to_be_attached()
    _frames_clean(page)


@pytest.mark.e2e
def test_reader_opens_a_hostile_passage(
    hostile: tuple[Server, Path, Path], hostile_page: Page
) -> None:
    srv, data, _ = hostile
    doc = json.loads((data / "countries.geojson").read_text(encoding="utf-8"))
    fact = next(f for f in _facts(doc) if f.get("excerpt"))
    page = hostile_page
    page.goto(f"{srv.url}/sources?fact={fact['id']}")
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("h1").first).to_be_visible(timeout=60_000)
    expect(main.get_by_text(PAYLOAD, exact=False).first).to_be_attached()
    _frames_clean(page)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "query",
    [
        "?country=" + "%21%5Bt%5D%28https%3A%2F%2Fevil.example%2Fq.png%29",  # ![t](https://...)
        "?route=%3Cimg%20src%3Dx%20onerror%3Dwindow.__xss%3D8%3E",
        "sources?fact=%21%5Bt%5D%28https%3A%2F%2Fevil.example%2Ff.png%29",
        "timeline?as_of=%3Cscript%3Ewindow.__xss%3D9%3C%2Fscript%3E",
    ],
    ids=["markdown-image-country", "html-route", "markdown-image-fact", "script-as-of"],
)
def test_hostile_links_do_not_run_or_fetch(
    hostile: tuple[Server, Path, Path], hostile_page: Page, query: str
) -> None:
    srv, _, _ = hostile
    page = hostile_page
    page.goto(f"{srv.url}/{query}")
    main = page.locator('[data-testid="stMain"]')
    expect(main.locator("h1, iframe").first).to_be_visible(timeout=60_000)
    if query.startswith("?"):
        expect(main.get_by_text("Ignored", exact=False).first).to_be_visible()
    _frames_clean(page)
