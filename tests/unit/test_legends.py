"""One legend model, every renderer: the map page's legend, the standalone HTML and the image
show the same entries, with the same words, colours and counts."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

from central_asia_atlas import images, indicators, legends, panel, standalone
from central_asia_atlas import selection as sel
from tests.support.shipped import INDICATORS, shipped

DAY = dt.date(2026, 12, 1)
SVG_NS = "{http://www.w3.org/2000/svg}"


def html_entries(page: str) -> list[tuple[str, str]]:
    """(data-class, text) of every legend entry an HTML renderer drew."""
    found = re.findall(r'<div data-class="([^"]*)">(.*?)</div>', page)
    return [(unescape(v), unescape(re.sub(r"<[^>]+>", "", body)).strip()) for v, body in found]


def expected(legend: legends.Legend) -> list[tuple[str, str]]:
    return [
        (e.value, e.label + (f" ({e.count})" if e.count is not None else ""))
        for e in legend.entries
    ]


# one indicator of each kind: categorical, numeric, computed (the same renderer draws them all)
KINDS = list({type(spec): key for key, spec in reversed(INDICATORS.items())}.values())


@pytest.mark.parametrize("key", KINDS)
def test_the_page_and_the_standalone_html_show_the_same_entries(key: str) -> None:
    ds = shipped()
    view = sel.View(indicator=key, routes=True)
    shown = indicators.compute(ds, key)
    model = legends.indicator_legend(INDICATORS[key], shown)
    # each of the five counted once among the classes (an outline marks another period too)
    assert sum(e.count or 0 for e in model.entries if e.mark == "fill") == 5
    page = panel.legend_html(INDICATORS[key], shown) + panel.routes_legend_html()
    want = expected(model) + expected(legends.routes_legend())
    assert html_entries(page) == want
    out = standalone.standalone_html(ds, view, "https://atlas.example.org/", today=DAY)
    assert html_entries(out) == want
    for e in [*model.entries, *legends.routes_legend().entries]:  # the same colours
        assert e.color in page and e.color in out


def test_the_image_draws_every_entry_of_the_same_legends() -> None:
    ds = shipped()
    key = ds.catalogue.default_key() or ""
    view = sel.View(indicator=key, routes=True)
    root = ET.fromstring(images.map_svg(ds, view, today=DAY))
    drawn = " ".join(" ".join(el.itertext()) for el in root.iter(f"{SVG_NS}text"))
    words = " ".join(drawn.split())
    shown = indicators.compute(ds, key)
    model = [legends.indicator_legend(INDICATORS[key], shown), legends.routes_legend()]
    for legend in model:
        assert legend.title.split()[0] in words
        for e in legend.entries:
            # wrapped over lines in the image: every word of the label, in order
            label = e.label + (f" ({e.count})" if e.count is not None else "")
            assert re.search(r"\s+".join(map(re.escape, label.split())), words), label


def test_without_routes_no_renderer_shows_the_routes_legend() -> None:
    ds = shipped()
    view = sel.View(indicator=ds.catalogue.default_key(), routes=False)
    out = standalone.standalone_html(ds, view, "https://atlas.example.org/", today=DAY)
    svg = images.map_svg(ds, view, today=DAY).decode("utf-8")
    for e in legends.routes_legend().entries:
        assert f'data-class="{e.value}"' not in out
        assert e.label.split(":")[0] not in svg
