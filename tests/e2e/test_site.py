"""The static site in a real browser, served by a plain static server (python's http.server)
under a path prefix (/atlas/), as a CDN or a static host would serve it.

Each country's click shows its panel, the indicator switch and the "as of" slider recolour the
map with the app's colours, a share link round-trips, the embed fits 600 px, a country page
reads with JavaScript off, and every request to anything but the site's own loopback origin
is blocked and counted: none is made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from central_asia_atlas import indicators, panel, publish, reader
from central_asia_atlas import selection as sel
from central_asia_atlas.markup import day
from central_asia_atlas.model import FIVE
from tests.support.browser import ARTIFACTS, STARTUP_SECONDS, STEP_MS, country_points, free_port
from tests.support.shipped import shipped
from tests.support.site import BASE_URL, build_shipped

pytestmark = pytest.mark.e2e

DS = shipped()
names = {c.props.iso3: c.props.name for c in DS.countries}
PREFIX = "/atlas/"
DEFAULT = DS.catalogue.default_key() or ""
Opener = Callable[..., Page]  # open_page(width=1400, height=1000, scripts=True)


@dataclass
class Site:
    url: str  # http://127.0.0.1:<port>/atlas/
    origin: str  # http://127.0.0.1:<port>


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The shipped data's site (the real build-site command), under /atlas/ of a plain
    `python -m http.server` on a free loopback port; its log goes to the artifacts."""
    root = tmp_path_factory.mktemp("static")
    build_shipped(root / PREFIX.strip("/"), "--base-url", BASE_URL)
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "static-server.log").open("wb")
    cmd = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    proc = subprocess.Popen([*cmd, "--directory", str(root)], stdout=log, stderr=log)
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"http.server exited with {proc.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(origin + PREFIX, timeout=2) as r:
            if r.status == 200:
                break
        if time.monotonic() > deadline:
            proc.terminate()
            raise RuntimeError("http.server did not answer")
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=0.1)
    yield Site(origin + PREFIX, origin)
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


@dataclass
class SiteOnly:
    """Every request to anything but the site's own origin, aborted and recorded; the site's
    own requests counted."""

    origin: str
    blocked: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            route.continue_()
        elif f"{parts.scheme}://{parts.netloc}" == self.origin:
            self.served.append(url)
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def only(site: Site) -> SiteOnly:
    return SiteOnly(site.origin)


@pytest.fixture
def open_page(browser: Browser, only: SiteOnly) -> Iterator[Opener]:
    """Opens pages in contexts of their own (size, scripts on or off); after the test, checks
    that none of them asked anything of another origin."""
    opened: list[Page] = []

    def new(width: int = 1400, height: int = 1000, scripts: bool = True) -> Page:
        context = browser.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=scripts
        )
        context.route("**/*", only.handle)
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        opened.append(pg)
        return pg

    yield new
    for pg in opened:
        pg.context.close()
    assert only.blocked == [], f"requests to other origins: {only.blocked}"
    assert only.served, "the site served nothing"


def ready(page: Page, url: str) -> Page:
    page.goto(url)
    expect(page.locator("body[data-site-ready]")).to_have_count(1, timeout=STEP_MS)
    return page


def fills(page: Page) -> dict[str, str]:
    """Each country's fill colour on the map, by its id (from the shape's own feature)."""
    got: dict[str, str] = page.evaluate(
        """() => {
          const out = {}, m = window.atlasSite.map;
          m.eachLayer((l) => {
            const p = l.feature && l.feature.properties;
            if (p && p.kind === 'country' && l._path) out[p.id] = l._path.getAttribute('fill');
          });
          return out;
        }"""
    )
    return {k: v.lower() for k, v in got.items()}


def colours(key: str, when: dt.date | None) -> dict[str, str]:
    return {k: r.color.lower() for k, r in indicators.compute(DS, key, as_of=when).items()}


def click_country(page: Page, iso3: str) -> None:
    """A real mouse click on a point inside the country that the browser's hit test says is
    the country's shape (not a route, an event or a label)."""
    for p in country_points(iso3):
        x, y, hit = page.evaluate(
            """([lat, lng, iso3]) => {
                const m = window.atlasSite.map, pt = m.latLngToContainerPoint([lat, lng]);
                const box = m.getContainer().getBoundingClientRect();
                const x = box.left + pt.x, y = box.top + pt.y;
                if (x < box.left + 5 || y < box.top + 5 || x > box.right - 5 || y > box.bottom - 5)
                  return [x, y, false];
                const el = document.elementFromPoint(x, y);
                let ok = false;
                m.eachLayer((l) => {
                  const f = l.feature && l.feature.properties;
                  if (f && f.kind === 'country' && f.id === iso3 && l._path === el) ok = true;
                });
                return [x, y, ok];
            }""",
            [p.y, p.x, iso3],
        )
        if hit:
            page.mouse.click(x, y)
            return
    raise AssertionError(f"no point inside {iso3} to click")


def shown_facts(page: Page) -> list[str]:
    ids: list[str] = page.locator("#site-panel [data-fact]").evaluate_all(
        "els => els.map(e => e.dataset.fact)"
    )
    return ids


def latest(iso3: str, when: dt.date | None, n: int = 8) -> list[str]:
    refs, _more = panel.facts_in_view(DS, iso3, when, panel.FactsView(panel.LATEST, n))
    return [r.fact.id for r in refs]


# --- the map page ---------------------------------------------------------------------------


def test_each_countrys_click_shows_its_panel(open_page: Opener, site: Site) -> None:
    page = ready(open_page(), site.url)
    expect(page).to_have_url(f"{site.url}?indicator={DEFAULT}&routes=1")
    for iso3 in FIVE:
        click_country(page, iso3)
        head = page.locator(f'#site-panel header.atlas-panel-head[data-id="{iso3}"]')
        expect(head.locator("h3")).to_have_text(names[iso3], timeout=STEP_MS)
        body = page.locator(f'#site-panel section.atlas-panel[data-id="{iso3}"]')
        expect(body.locator(".atlas-ties")).to_be_visible()
        expect(body.locator("tr[data-indicator]")).to_have_count(len(DS.catalogue.indicators))
        assert shown_facts(page) == latest(iso3, None)  # the app's page of facts, in order
        expect(page.locator("#site-country")).to_have_value(iso3)
        expect(page).to_have_url(f"{site.url}?country={iso3}&indicator={DEFAULT}&routes=1")
        quoted = [r.fact for r in DS.facts_for_country(iso3) if r.fact.id in shown_facts(page)]
        for fact in [f for f in quoted if f.excerpt][:1]:
            box = body.locator(f'[data-fact="{fact.id}"] blockquote')
            expect(box).to_have_text(" ".join((fact.excerpt or "").split()))
    more = page.locator("#site-more")
    expect(more).to_be_visible()
    more.click()
    expect(page.locator("#site-panel [data-fact]")).to_have_count(
        min(16, len(DS.facts_for_country(FIVE[-1])))
    )


def test_the_keyboard_reaches_a_country_and_enter_opens_its_panel(
    open_page: Opener, site: Site
) -> None:
    page = ready(open_page(), site.url)
    shape = page.locator(f'path.atlas-country[aria-label="{names["UZB"]}"]')
    expect(shape).to_have_attribute("tabindex", "0")
    shape.focus()
    page.keyboard.press("Enter")
    expect(page.locator('#site-panel section.atlas-panel[data-id="UZB"]')).to_be_visible()


def test_the_indicator_switch_and_the_day_slider_recolour_the_map(
    open_page: Opener, site: Site
) -> None:
    page = ready(open_page(), site.url)
    assert fills(page) == colours(DEFAULT, None)
    other = next(k for k in DS.catalogue.indicators if colours(k, None) != colours(DEFAULT, None))
    page.locator("#site-indicator").select_option(other)
    legend = page.locator("#site-legend-indicator")
    expect(legend).to_have_attribute("data-site-view", f"{other}@", timeout=STEP_MS)
    assert fills(page) == colours(other, None)
    expect(legend).to_contain_text(DS.catalogue.indicators[other].label)
    expect(page).to_have_url(f"{site.url}?indicator={other}&routes=1")

    page.locator("#site-indicator").select_option(DEFAULT)
    lo = dt.date.fromisoformat(page.evaluate("() => window.atlasSite.days.lo"))
    when = next(
        d
        for d in (dt.date(y, m, 1) for y in range(2022, 2027) for m in (1, 4, 7, 10))
        if colours(DEFAULT, d) != colours(DEFAULT, None)
    )
    slider = page.locator("#site-day")
    slider.fill(str((when - lo).days))
    expect(legend).to_have_attribute("data-site-view", f"{DEFAULT}@{when}", timeout=STEP_MS)
    assert fills(page) == colours(DEFAULT, when)
    expect(page.locator("#site-day-label")).to_have_text(day(when))
    expect(page.locator("#site-map-note")).to_contain_text(f"Map as of {day(when)}")
    expect(page).to_have_url(f"{site.url}?indicator={DEFAULT}&routes=1&as_of={when}")
    spec = DS.catalogue.indicators[DEFAULT]
    shown = indicators.compute(DS, DEFAULT, as_of=when)
    for value, _label, _colour in indicators.legend_entries(spec):
        count = sum(indicators.legend_value(spec, r) == value for r in shown.values())
        entry = legend.locator(f'[data-class="{value}"] .atlas-meta')
        expect(entry).to_have_text(f"({count})")

    page.locator("#site-today").click()
    expect(legend).to_have_attribute("data-site-view", f"{DEFAULT}@", timeout=STEP_MS)
    assert fills(page) == colours(DEFAULT, None)


def test_the_day_slider_filters_the_panel_as_the_app_does(open_page: Opener, site: Site) -> None:
    when = dt.date(2023, 3, 1)
    page = ready(open_page(), f"{site.url}?country=KAZ&as_of={when}")
    head = page.locator('#site-panel header.atlas-panel-head[data-id="KAZ"]')
    n = len(DS.facts_for_country("KAZ", when))
    expect(head).to_contain_text(f"{n} sourced facts · as of {day(when)}", timeout=STEP_MS)
    assert shown_facts(page) == latest("KAZ", when)
    page.locator("#site-more").click()
    expect(page.locator("#site-panel [data-fact]")).to_have_count(min(16, n))
    table = indicators.compute(DS, "un_es11_1", as_of=when)
    row = page.locator('#site-panel tr[data-indicator="un_es11_1"]')
    expect(row).to_contain_text(table["KAZ"].label)


def test_a_share_link_round_trips(open_page: Opener, site: Site) -> None:
    """The app's share link with only its base changed opens the same view on the site; the
    site's link and embed code give it back."""
    when = dt.date(2024, 5, 1)
    view = sel.View(sel.Selection("country", "TJK"), "un_es11_1", False, when)
    link = publish.share_url(site.url, view)
    page = ready(open_page(), link)
    expect(page).to_have_url(link)
    expect(page.locator("#site-country")).to_have_value("TJK")
    expect(page.locator("#site-indicator")).to_have_value("un_es11_1")
    expect(page.locator("#site-routes")).not_to_be_checked()
    expect(page.locator("#site-day-label")).to_have_text(day(when))
    expect(page.locator("path.atlas-route")).to_have_count(0)
    expect(page.locator("#site-legend-indicator")).to_have_attribute(
        "data-site-view", f"un_es11_1@{when}", timeout=STEP_MS
    )
    assert fills(page) == colours("un_es11_1", when)
    assert shown_facts(page) == latest("TJK", when)
    page.locator(".site-share summary").click()
    expect(page.locator("#site-share-link")).to_have_value(link)
    embed = page.locator("#site-share-embed").input_value()
    assert embed == publish.embed_code(site.url, view, title=publish.app_title(), site=True)
    src = html.unescape(embed.split('src="', 1)[1].split('"', 1)[0])

    framed = ready(open_page(800, 600), src)
    expect(framed.locator('#site-panel section.atlas-panel[data-id="TJK"]')).to_be_attached()
    assert fills(framed) == colours("un_es11_1", when)
    opened = framed.locator("#site-open").get_attribute("href")
    assert opened == link


def test_a_link_the_site_cannot_read_falls_back_as_the_app_does(
    open_page: Opener, site: Site
) -> None:
    page = ready(open_page(), f"{site.url}?country=XYZ&indicator=nope&as_of=2024-13-01")
    expect(page).to_have_url(f"{site.url}?indicator={DEFAULT}&routes=1")
    expect(page.locator("#site-panel section")).to_have_count(0)


# --- the embed, and pages without scripts ---------------------------------------------------


@pytest.mark.parametrize("width", [800, 390])
def test_the_embed_fits_600_px(open_page: Opener, site: Site, width: int) -> None:
    page = ready(open_page(width, 600), f"{site.url}embed/")
    sizes = page.evaluate(
        "() => [document.documentElement.scrollHeight, document.documentElement.scrollWidth]"
    )
    assert sizes[0] <= 600 and sizes[1] <= width, sizes
    box = page.locator(".site-map").bounding_box()
    assert box and box["height"] >= 250 and box["y"] + box["height"] <= 600
    click_country(page, "KGZ")
    section = page.locator('#site-panel section.atlas-panel[data-id="KGZ"]')
    expect(section).to_be_attached(timeout=STEP_MS)
    head = page.locator('#site-panel header.atlas-panel-head[data-id="KGZ"]')
    expect(head).to_be_in_viewport()
    after = page.evaluate("() => document.documentElement.scrollHeight")
    assert after <= 600, after
    # links leave the frame: a new tab, never inside the iframe
    targets = page.locator("#site-panel a[href]:not([href^='#'])").evaluate_all(
        "els => els.map(a => a.target)"
    )
    assert targets and set(targets) == {"_blank"}


def test_a_country_page_reads_with_javascript_off(open_page: Opener, site: Site) -> None:
    page = open_page(scripts=False)
    page.goto(f"{site.url}country/KAZ/")
    expect(page.locator("header.atlas-panel-head h3")).to_have_text(names["KAZ"])
    want = {r.fact.id for r in DS.facts_for_country("KAZ")} | {
        r.fact.id for r in DS.region_only_facts()
    }
    ids = set(page.locator("[data-fact]").evaluate_all("els => els.map(e => e.dataset.fact)"))
    assert ids == want
    quoted = next(r.fact for r in DS.facts_for_country("KAZ") if r.fact.excerpt)
    expect(page.locator(f'[data-fact="{quoted.id}"] blockquote')).to_be_visible()
    # the passage in its stored document, highlighted, also without scripts
    page.locator(f'[data-fact="{quoted.id}"] a', has_text="passage in the source").click()
    doc = reader.document_of(DS, quoted.source)
    expect(page).to_have_url(f"{site.url}sources/{doc}/#fact-{quoted.id}")
    expect(page.locator(f"mark#fact-{quoted.id}")).to_be_visible()
    page.goto(f"{site.url}")
    expect(page.locator("noscript")).to_have_count(1)
    page.get_by_role("link", name=names["TJK"], exact=True).click()
    expect(page).to_have_url(f"{site.url}country/TJK/")
