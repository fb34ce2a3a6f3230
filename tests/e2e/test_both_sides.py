"""Both sides, in numbers, in a real browser: a trade-share colouring with its percentages in
the legend and the tooltip, a country's ties on each side with its trade chart, the day under
the map, and the Compare page grouped by side. Offline: no request leaves the machine."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from central_asia_atlas import indicators
from central_asia_atlas.catalogue import NumericSpec
from central_asia_atlas.model import FIVE
from tests.support.browser import (
    STEP_MS,
    Offline,
    Server,
    choose,
    container_point,
    country_points,
    map_of,
    obstacles,
    panel,
)
from tests.support.shipped import shipped

DS = shipped()
names = {c.props.iso3: c.props.name for c in DS.countries}
SHARE = next(  # the catalogue's China trade share, found by what it is, not by its key
    k
    for k, s in DS.catalogue.indicators.items()
    if isinstance(s, NumericSpec) and "China" in s.label and s.unit == "%"
)
SPEC = DS.catalogue.indicators[SHARE]


def test_a_trade_share_colouring_reads_percentages_with_year_and_statistics(
    page: Page, server: Server, offline: Offline
) -> None:
    page.goto(server.url)
    frame, fl = map_of(page)
    choose(page, "Colour the map by", SPEC.label)
    expect(page).to_have_url(re.compile(f"indicator={SHARE}"), timeout=STEP_MS)
    legend = page.locator(".atlas-legend", has_text=SPEC.label)
    expect(legend).to_be_visible(timeout=STEP_MS)
    for b in SPEC.bins:  # the bins with their unit, as "20–30 %"
        expect(legend.locator(f'[data-class="{SPEC.bin_label(b)}"]')).to_contain_text(" %")
    expect(legend.locator('[data-class="no data"]')).to_be_visible()
    # hover the country whose value is known: the tooltip gives value, period and statistics
    results = indicators.compute(DS, SHARE)
    iso3, res = next((i, r) for i, r in results.items() if r.reading is not None)
    country = DS.country(iso3)
    assert country is not None and country.geometry is not None
    where = country.geometry.representative_point()
    fl.locator("#map_div").hover(position=container_point(frame, where.y, where.x))
    # (the previous colouring's tooltip may linger a moment after the layers are replaced)
    tip = fl.locator(".leaflet-tooltip.foliumtooltip", has_text=SPEC.label)
    expect(tip).to_contain_text(country.props.name, timeout=STEP_MS)
    expect(tip).to_contain_text(
        res.label
    )  # e.g. "21.3 % (Jan–Sep 2023, national statistics, via …)"
    assert re.search(r"\d %", res.label) and res.reading is not None
    assert offline.blocked == []


def test_a_country_panel_shows_both_sides_and_its_trade_chart(
    page: Page, server: Server, offline: Offline
) -> None:
    page.goto(f"{server.url}/?country=UZB")
    map_of(page)
    box = panel(page, "country", "UZB")
    expect(box).to_be_visible(timeout=STEP_MS)
    ties = box.locator(".atlas-ties")
    for side in ("towards_moscow", "away_from_moscow", "towards_eu", "towards_china"):
        expect(ties.locator(f'[data-side="{side}"]')).to_be_visible()
    moscow = ties.locator('[data-side="towards_moscow"] li')
    expect(moscow.first).to_be_visible()
    # a tie links to its fact: in the panel when the fact is on its page (the link lands
    # there), else on the Sources page
    assert ties.locator('a[href^="sources?fact="]').count() > 0
    link = ties.locator('a[href^="#fact-"]').first
    target = (link.get_attribute("href") or "").removeprefix("#")
    assert target.startswith("fact-")
    expect(page.locator(f'[id="{target}"]')).to_have_count(1)
    link.click()
    expect(page.locator(f'[id="{target}"]')).to_be_in_viewport(timeout=STEP_MS)
    # the trade chart, drawn under the country's name: the plot's image shown (decoded), its
    # points laid over it with their readings as tooltips, and its source line
    chart = page.locator('figure.atlas-chart[data-chart="trade-shares"]')
    image = chart.locator(".atlas-plot img")
    expect(image).to_be_visible(timeout=STEP_MS)
    assert image.evaluate("img => img.complete && img.naturalWidth") > 0
    plot = image.bounding_box()
    dots = chart.locator(".atlas-dot")
    assert dots.count() > 1 and plot
    for i in range(dots.count()):
        box = dots.nth(i).bounding_box()
        assert box and 0 < box["width"] <= 12, box  # a dot, not a run of text
        mid = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert plot["x"] <= mid[0] <= plot["x"] + plot["width"], (mid, plot)
        assert plot["y"] <= mid[1] <= plot["y"] + plot["height"], (mid, plot)
        assert re.match(r"^(EU|Russia|China): \d", dots.nth(i).get_attribute("title") or "")
    expect(chart.locator("figcaption")).to_have_text(re.compile(r"^Sources: .*national statistics"))
    assert offline.blocked == []


def test_the_day_under_the_map_moves_the_map_and_the_link(
    page: Page, server: Server, offline: Offline
) -> None:
    page.goto(f"{server.url}/?indicator={SHARE}")
    map_of(page)
    slider = page.get_by_role("slider", name="As of")
    expect(slider).to_be_visible(timeout=STEP_MS)
    slider.focus()
    page.keyboard.press("Home")  # the slider's first day: 1 January 2021, before any share
    expect(page).to_have_url(re.compile(r"as_of=2021-01-01"), timeout=STEP_MS)
    legend = page.locator(".atlas-legend", has_text=SPEC.label)
    expect(legend.locator('[data-class="no data"]')).to_contain_text("(5)", timeout=STEP_MS)
    page.get_by_role("button", name="Today").click()
    expect(page).not_to_have_url(re.compile("as_of="), timeout=STEP_MS)
    assert offline.blocked == []


def test_compare_groups_its_columns_by_side_and_counts_each(
    page: Page, server: Server, offline: Offline
) -> None:
    page.goto(f"{server.url}/compare")
    table = page.locator("table.cmp")
    expect(table).to_be_visible(timeout=60_000)
    for label in (
        "Ties to Moscow",
        "Signals of distance from Moscow",
        "Ties to the EU",
        "Ties to China",
    ):
        expect(table.locator("th.cmp-side", has_text=label)).to_be_visible()
    counts = table.locator('td.cmp-count[data-side="towards_moscow"]')
    expect(counts).to_have_count(5)
    assert any(int(t) > 0 for t in counts.all_inner_texts())  # ties to Moscow are cited
    assert offline.blocked == []


def test_the_china_customs_colouring_reads_five_values_of_one_year(
    page: Page, server: Server, offline: Offline
) -> None:
    """Trade with China in US$ bn, China's customs for all five: picked from the list, the
    map's legend names its year and the tooltip of each of the five gives its value with that
    year and China's customs as the statistics."""
    key = next(
        k
        for k, s in DS.catalogue.indicators.items()
        if isinstance(s, NumericSpec) and s.prefer[:1] == ["china-customs"]
    )
    spec = DS.catalogue.indicators[key]
    results = indicators.compute(DS, key)
    year = next(iter(results.values())).map_year
    assert year is not None and all(r.reading is not None for r in results.values())
    page.goto(server.url)
    frame, fl = map_of(page)
    choose(page, "Colour the map by", spec.label)
    expect(page).to_have_url(re.compile(f"indicator={key}"), timeout=STEP_MS)
    legend = page.locator(".atlas-legend", has_text=spec.label)
    expect(legend).to_contain_text(f"Values for {year}", timeout=STEP_MS)
    avoid = obstacles()
    for iso3 in FIVE:
        res = results[iso3]
        assert res.reading is not None and not res.other_period
        where = country_points(iso3, avoid)[0]
        fl.locator("#map_div").hover(position=container_point(frame, where.y, where.x))
        tip = fl.locator(".leaflet-tooltip.foliumtooltip", has_text=names[iso3])
        expect(tip).to_contain_text(spec.label, timeout=STEP_MS)
        expect(tip).to_contain_text(f"({year}, China's customs")
        expect(tip).to_contain_text(res.label.split(" (")[0])  # e.g. "48.6 US$ bn"
    assert offline.blocked == []
