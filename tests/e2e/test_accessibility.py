"""axe-core on every page, in every frame (the map component's too), light and dark, in every
language the app offers: no serious or critical violation of WCAG 2.2 A/AA or of the best
practices (issue 29).

A view is checked once it is drawn: the script run over, the page's own content in place (the
map's five countries, a selection's panel, the charts), so that axe sees what a reader sees.
The light and the dark theme come the two ways a reader gets them: the system's setting
(Streamlit follows it), and for the embedded views `?embed_options=..._theme` against the
system's other setting. Every finding, of any impact, is written to tests/e2e/artifacts/axe/
for reading; the serious and critical ones fail the test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

import pytest
from playwright.sync_api import Browser, Page, expect

from central_asia_atlas import i18n
from tests.support import axe
from tests.support.browser import (
    ARTIFACTS,
    IFRAME,
    LOAD_MS,
    Offline,
    Server,
    lang_query,
    offline_page,
    settle,
)
from tests.support.shipped import shipped

pytestmark = pytest.mark.e2e


DS = shipped()
ROUTE = "cpc"
QUOTED = next(
    f.id for r in DS.facts_for_country("KAZ") if (f := r.fact).excerpt and f.source in DS.texts
)


def _map(page: Page, kind: str | None = None, ident: str | None = None) -> None:
    """The map's frame with its five countries and its words; a selection's panel."""
    frame = page.frame_locator(IFRAME)
    expect(frame.locator("path.atlas-country")).to_have_count(5, timeout=LOAD_MS)
    expect(frame.locator("h1")).not_to_be_empty(timeout=LOAD_MS)
    if kind is not None:
        sel = f'section.atlas-panel[data-kind="{kind}"][data-id="{ident}"]'
        expect(page.locator(sel)).to_be_visible(timeout=LOAD_MS)


def _visible(css: str) -> Callable[[Page], None]:
    def wait(page: Page) -> None:
        expect(page.locator(css).first).to_be_visible(timeout=LOAD_MS)

    return wait


def _charts(page: Page) -> None:
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    expect(chart.locator("canvas, svg").first).to_be_visible(timeout=LOAD_MS)


def _table_and_chart(page: Page) -> None:
    _visible("table.cmp")(page)
    _charts(page)


def _share(page: Page) -> None:
    _map(page)
    page.locator(".st-key-w_share button").first.click()
    expect(page.locator('[role="dialog"]')).to_be_visible(timeout=LOAD_MS)
    expect(page.locator('[role="dialog"] [data-testid="stDownloadButton"]')).to_have_count(4)


@dataclass(frozen=True)
class View:
    path: str  # the page and its query
    drawn: Callable[[Page], None]  # waits until the page shows what it is for
    embedded: bool = False


VIEWS = {
    "map": View("", _map),
    "map-country": View("?country=KAZ", lambda p: _map(p, "country", "KAZ")),
    "map-route": View(f"?route={ROUTE}", lambda p: _map(p, "route", ROUTE)),
    "map-share": View("", _share),
    "embed": View("?embed=true", _map, embedded=True),
    "embed-country": View("?embed=true&country=KAZ", lambda p: _map(p, "country", "KAZ"), True),
    "sources": View("sources", _visible('[data-testid="stDataFrame"]')),
    "sources-fact": View(f"sources?fact={QUOTED}", _visible(f"mark#fact-{QUOTED}")),
    "timeline": View("timeline", _charts),
    "compare": View("compare", _table_and_chart),
    "data": View("data", _visible('[data-testid="stDownloadButton"]')),
    "about": View("about", _visible('[data-testid="stDataFrame"]')),
}
OTHER = {"light": "dark", "dark": "light"}


def url(server: Server, view: View, theme: str, lang: str) -> str:
    params = [p for p in view.path.partition("?")[2].split("&") if p]
    params += lang_query(lang)
    if view.embedded:
        params.append(f"embed_options={theme}_theme")
    path = view.path.partition("?")[0]
    return f"{server.url}/{path}" + ("?" + "&".join(params) if params else "")


@pytest.mark.parametrize("lang", i18n.languages())
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("name", list(VIEWS))
def test_no_serious_or_critical_violation_in_any_frame(
    browser: Browser, server: Server, offline: Offline, name: str, theme: str, lang: str
) -> None:
    view = VIEWS[name]
    scheme = OTHER[theme] if view.embedded else theme  # embedded: the link's theme wins
    page = offline_page(browser, offline, color_scheme=scheme)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(url(server, view, theme, lang))
        view.drawn(page)
        settle(page)
        report = axe.check_page(page)
        background = page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-testid=stApp]')).backgroundColor"
        )
    finally:
        page.context.close()
    out = ARTIFACTS / "axe" / f"{name}-{theme}-{lang}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps([asdict(v) for v in report.violations], indent=1, ensure_ascii=False),
        encoding="utf-8",
    )
    # the theme asked for is the one shown (Streamlit's light background is white)
    assert (background == "rgb(255, 255, 255)") == (theme == "light"), background
    if name.startswith(("map", "embed")):  # the map's own document was checked too
        assert any("streamlit_folium" in f for f in report.frames), report.frames
    severe = axe.severe(report.violations)
    assert not severe, "\n".join(map(str, severe))
    assert errors == []
    assert offline.blocked == []
