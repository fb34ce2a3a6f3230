"""Publishing a view: share link, embed code, citation, PNG/SVG, standalone HTML, CSV."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from PIL import Image

from central_asia_atlas import exports, images, indicators, mapview, publish, standalone
from central_asia_atlas import selection as sel
from central_asia_atlas.model import FIVE, Fact
from central_asia_atlas.store import Dataset, Feature
from tests.support.datasets import sample
from tests.support.hostile import EVIL, hostile
from tests.support.shipped import DEFAULT, shipped

BASE = "https://atlas.example.org/"
DAY = dt.date(2026, 12, 1)
SVG_NS = "{http://www.w3.org/2000/svg}"


VIEW = sel.View(sel.Selection("country", "KAZ"), "un_es11_1", True, dt.date(2024, 5, 1))


# --- links ------------------------------------------------------------------------------


def test_share_url_restores_the_view_through_the_pages_own_parser() -> None:
    url = publish.share_url("https://atlas.example.org?fact=x#top", VIEW)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "atlas.example.org", "/")
    params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    assert params == {
        "country": "KAZ",
        "indicator": "un_es11_1",
        "routes": "1",
        "as_of": "2024-05-01",
    }
    ds = shipped()
    known = {"country": set(FIVE), "route": set(), "event": set()}
    view, notices = sel.from_query_params(params, ds.catalogue.indicators, known)
    assert notices == []
    assert view == VIEW  # the whole view, its day included


def test_share_url_keeps_an_app_under_a_path() -> None:
    url = publish.share_url(
        "https://host.example/apps/atlas", sel.View(indicator=DEFAULT, routes=False)
    )
    assert url.startswith("https://host.example/apps/atlas/?")
    assert "routes=0" in url


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(markup)
    return parser.tags


def test_embed_code_is_an_escaped_iframe_of_the_embedded_view() -> None:
    code = publish.embed_code(BASE, VIEW, width=640, height=600, title=f"Map {EVIL}")
    (tag, attrs), *rest = tags(code)
    assert tag == "iframe" and rest == []
    assert attrs["width"] == "640" and attrs["height"] == "600"
    assert attrs["title"] == attrs["aria-label"] == f"Map {EVIL}"  # parsed back: escaped in
    src = attrs["src"] or ""
    query = parse_qs(urlsplit(src).query)
    assert query["embed"] == ["true"] and query["country"] == ["KAZ"]
    assert "<script" not in code and "&amp;" in code and "&quot;" in code


def test_citation_names_title_url_data_version_and_day_accessed() -> None:
    ds = shipped()
    url = publish.share_url(BASE, VIEW)
    text = publish.citation(ds, VIEW, url, DAY)
    version = publish.data_version(ds)
    assert ds.catalogue.indicators["un_es11_1"].label in text
    assert url in text and version.text in text and "accessed 1 December 2026" in text
    assert "as of 1 May 2024" in text


def test_data_version_is_the_latest_fact_and_the_count() -> None:
    ds = shipped()
    version = publish.data_version(ds)
    assert version.latest == max(r.fact.date for r in ds.fact_refs())
    assert version.facts == ds.counts()["facts"] > 0
    assert version.latest is not None and version.latest.isoformat() in version.text
    assert publish.data_version(Dataset()) == (None, 0)


# --- CSV --------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_shown_csv_is_exactly_what_the_map_shows() -> None:
    ds = shipped()
    view = sel.View(indicator=DEFAULT)
    rows = read_csv(publish.shown_csv(ds, view, today=DAY))
    shown = indicators.compute(ds, DEFAULT)
    assert [r["iso3"] for r in rows] == list(FIVE)
    for row in rows:
        res = shown[row["iso3"]]
        assert row["shown"] == exports.csv_cell(res.label)  # "+4 (…)" reads "'+4 (…)"
        assert row["fact_ids"] == "; ".join(res.facts)
        assert row["indicator"] == DEFAULT and row["as_of"] == DAY.isoformat()
        assert row["data_version"] == publish.data_version(ds).text
        for fid in res.facts:
            fact = ds.fact(fid)
            assert fact is not None
            src = ds.sources[fact.source]
            assert src.title in row["source_titles"]
            assert not src.url or src.url in row["source_urls"]


def test_shown_csv_gives_number_unit_period_and_statistics() -> None:
    ds = hostile()
    rows = read_csv(publish.shown_csv(ds, sel.View(indicator="trade_share_china")))
    kaz = next(r for r in rows if r["iso3"] == "KAZ")
    assert (kaz["value"], kaz["unit"], kaz["period"]) == ("21.3", "%", "2022-01/2022-09")
    assert kaz["statistics"] == "national statistics"
    assert kaz["legend_class"] == "20–30 %"
    others = [r for r in rows if r["iso3"] != "KAZ"]
    assert all(r["value"] == "" and r["legend_class"] == "No data" for r in others)


def test_shown_csv_neutralises_formulas_and_keeps_text() -> None:
    ds = hostile()
    rows = read_csv(publish.shown_csv(ds, VIEW))
    kaz = next(r for r in rows if r["iso3"] == "KAZ")
    assert kaz["country"].endswith(EVIL)  # not a formula: verbatim, the CSV quoting does the rest
    assert kaz["source_titles"] == f"Title {EVIL}"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_safe_prefixes_every_formula_start(start: str) -> None:
    cell = f"{start}HYPERLINK(1)"
    assert publish.csv_safe([{"a": cell, "n": -5}]) == [{"a": "'" + cell, "n": -5}]
    assert publish.csv_safe([[cell, "plain"]]) == [["'" + cell, "plain"]]
    frame = publish.csv_safe(pd.DataFrame({"a": [cell, "ok"], "n": [-1, 2]}))
    assert frame["a"].tolist() == ["'" + cell, "ok"] and frame["n"].tolist() == [-1, 2]


def test_facts_csv_round_trips_an_excerpt_that_begins_with_minus() -> None:
    ds = sample()
    excerpt = "-12% of trade = +3 @ Russia, said the minister"
    kaz = ds.countries[0]
    facts: list[Fact] = [
        f.model_copy(update={"excerpt": excerpt}) if f.id == "kaz-late" else f
        for f in kaz.props.facts
    ]
    changed = Feature(kaz.props.model_copy(update={"facts": facts}), kaz.geometry)
    ds = dataclasses.replace(ds, countries=(changed, *ds.countries[1:]))
    rows = read_csv(exports.facts_csv(ds).decode("utf-8"))
    row = next(r for r in rows if r["id"] == "kaz-late")
    assert row["excerpt"] == "'" + excerpt  # the prefix, and nothing else, added
    assert row["excerpt"][1:] == excerpt
    fact = ds.fact("kaz-late")
    assert fact is not None and fact.excerpt == excerpt  # the data keeps the verbatim text
    assert exports.facts_frame(ds).set_index("id").loc["kaz-late", "excerpt"] == excerpt


# --- images -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped_png() -> bytes:
    return images.map_png(shipped(), VIEW, today=DAY)


def test_png_is_a_png_at_least_1600_wide(shipped_png: bytes) -> None:
    assert shipped_png[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(shipped_png)) as img:
        assert img.format == "PNG" and img.width >= 1600 and img.height >= 900


def svg_tree(data: bytes) -> ET.Element:
    return ET.fromstring(data)  # raises on anything that is not well-formed XML


def svg_text(root: ET.Element) -> str:
    return " ".join(" ".join(el.itertext()) for el in root.iter(f"{SVG_NS}text"))


def test_svg_has_title_legend_day_sources_and_data_version() -> None:
    ds = shipped()
    root = svg_tree(images.map_svg(ds, VIEW, today=DAY))
    words = " ".join(svg_text(root).split())
    spec = ds.catalogue.indicators["un_es11_1"]
    assert spec.label.split(" (")[0] in words
    assert "As of 1 May 2024" in words
    assert "No data" in words and "Energy export routes" in words
    assert "made with Natural Earth" in words and publish.data_version(ds).text in words
    for outlet in publish.outlets(ds, indicators.compute(ds, "un_es11_1", as_of=VIEW.as_of)):
        assert outlet.split(" ")[0] in words


def _fill(root: ET.Element, gid: str) -> str:
    group = next(g for g in root.iter(f"{SVG_NS}g") if g.get("id") == gid)
    path = next(group.iter(f"{SVG_NS}path"))
    return path.get("style", "")


def test_svg_colours_each_state_as_the_map_does() -> None:
    ds = shipped()
    for key in ("un_es11_1", DEFAULT):
        view = sel.View(indicator=key, routes=False)
        root = svg_tree(images.map_svg(ds, view, today=DAY))
        for iso3, res in indicators.compute(ds, key).items():
            style = _fill(root, f"country-{iso3}")
            assert f"fill: {res.color.lower()}" in style.lower()
            assert f"fill-opacity: {images.COUNTRY_ALPHA}" in style
        ids = {g.get("id") for g in root.iter(f"{SVG_NS}g")}
        assert not any(str(i).startswith("route-") for i in ids)  # the layer is off


def test_svg_draws_routes_with_the_maps_colours_and_dashes() -> None:
    ds = shipped()
    root = svg_tree(images.map_svg(ds, sel.View(indicator=DEFAULT, routes=True), today=DAY))
    for f in mapview.route_features(ds)["features"]:
        style = _fill(root, f"route-{f['properties']['id']}")
        assert f"stroke: {f['properties']['color'].lower()}" in style.lower()
        assert ("stroke-dasharray" in style) == f["properties"]["dashed"]


def test_svg_escapes_hostile_text_and_keeps_dollars() -> None:
    ds = hostile()
    data = images.map_svg(ds, VIEW, today=DAY)
    root = svg_tree(data)
    assert not [el for el in root.iter() if el.tag.lower().endswith("script")]
    assert b"<script" not in data
    words = svg_text(root)
    assert EVIL in words  # the name, drawn as given: "$x^2$" is not typeset as math
    assert f"Outlet {EVIL}" in " ".join(words.split())


def test_png_of_hostile_text_draws() -> None:
    data = images.map_png(hostile(), VIEW, today=DAY)
    with Image.open(io.BytesIO(data)) as img:
        assert img.width >= 1600


# --- standalone HTML --------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return standalone.standalone_html(shipped(), sel.View(indicator=DEFAULT), BASE, today=DAY)


def _urls(markup: str) -> list[str]:
    out = []
    for _tag, attrs in tags(markup):
        out += [v for k, v in attrs.items() if k in ("src", "href", "srcset") and v]
    out += re.findall(r"url\(\s*['\"]?([^'\")]+)", markup)
    return out


def test_html_loads_nothing_from_any_host(page: str) -> None:
    urls = _urls(page)
    loads = [u for _t, a in tags(page) for k, u in a.items() if k == "src" and u]
    assert loads == []  # no <script src>, <img src>: Leaflet is inline
    assert not [t for t, a in tags(page) if t == "link"]  # no stylesheet link
    for u in urls:
        scheme = urlsplit(u).scheme
        if u.startswith(BASE):
            continue  # the one link back to the app (a link, not a load)
        assert scheme in ("data", "") and not u.startswith("//"), u
    assert "tile.openstreetmap" not in page and "cdn." not in page
    assert "sourceMappingURL" not in page


def test_html_inlines_leaflet_basemap_countries_legend_and_source_line(page: str) -> None:
    ds = shipped()
    assert "L.map(" in page and ".leaflet-container" in page  # Leaflet's JS and CSS
    assert page.count('"kind": "country"') == 5 or page.count('"kind":"country"') == 5
    for c in ds.countries:
        assert c.props.name in page
    assert "No data" in page and "made with Natural Earth" in page
    assert publish.data_version(ds).text in page
    link = publish.share_url(BASE, sel.View(indicator=DEFAULT))
    assert link.replace("&", "&amp;") in page


def test_html_has_no_excerpts(page: str) -> None:
    ds = shipped()
    excerpts = [r.fact.excerpt for r in ds.fact_refs() if r.fact.excerpt]
    assert excerpts
    for text in excerpts:
        assert text[:60] not in page


def test_html_escapes_hostile_text() -> None:
    page = standalone.standalone_html(hostile(), VIEW, BASE, today=DAY)
    assert "<script>alert" not in page
    assert "alert(1)" in page  # there, but as text
    scripts = [t for t, _a in tags(page) if t == "script"]
    clean = standalone.standalone_html(sample(), VIEW, BASE, today=DAY)
    assert len(scripts) == len([t for t, _a in tags(clean) if t == "script"])


def test_images_and_html_follow_the_day() -> None:
    ds = hostile()
    before = sel.View(indicator="trade_share_china", as_of=dt.date(2022, 6, 1))
    rows = read_csv(publish.shown_csv(ds, before))
    assert all(r["value"] == "" for r in rows)  # the period is not over on that day
    assert "As of 1 June 2022" in svg_text(svg_tree(images.map_svg(ds, before)))


def test_builders_leave_matplotlib_settings_alone() -> None:
    import matplotlib

    before: dict[str, Any] = dict(matplotlib.rcParams)
    images.map_svg(sample(), VIEW, today=DAY)
    assert dict(matplotlib.rcParams) == before


# --- the static site -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "want"),
    [
        ("https://maps.example.org/atlas", "https://maps.example.org/atlas/"),
        (" https://maps.example.org/atlas/?x=1#top ", "https://maps.example.org/atlas/"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("", None),
        ("maps.example.org/atlas", None),  # no scheme: not an address the iframe can load
        ("javascript:alert(1)", None),
        ("file:///srv/site", None),
    ],
)
def test_the_site_url_is_an_http_address_from_the_environment(value: str, want: str) -> None:
    assert publish.site_url({publish.SITE_URL_ENV: value}) == want
    assert publish.site_url({}) is None


def test_embed_code_for_the_site_points_at_its_embed_page_with_the_apps_parameters() -> None:
    site = "https://maps.example.org/atlas/"
    code = publish.embed_code(site, VIEW, title=f"Map {EVIL}", site=True)
    (tag, attrs), *rest = tags(code)
    assert tag == "iframe" and rest == []
    src = urlsplit(attrs["src"] or "")
    assert f"{src.scheme}://{src.netloc}{src.path}" == f"{site}embed/"
    params = {k: v[-1] for k, v in parse_qs(src.query).items()}
    # the app's own names: a view the app shares opens the same on the site
    assert params == sel.to_query_params(VIEW, None)
    assert attrs["height"] == str(publish.EMBED_HEIGHT)
    assert "<script" not in code
