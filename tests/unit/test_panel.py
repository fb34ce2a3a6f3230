"""The side panel and legends: what they show, in what order, and that data text is escaped."""

from __future__ import annotations

import ast
import base64
import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from central_asia_atlas import indicators, panel
from central_asia_atlas.indicators import NO_DATA_COLOR, legend_entries
from central_asia_atlas.model import FIVE
from tests.support import fresh_python
from tests.support.datasets import HOSTILE, sample
from tests.support.paths import ROOT
from tests.support.shipped import INDICATORS, shipped


def table(ds):  # type: ignore[no-untyped-def]
    return {key: indicators.compute(ds, key) for key in INDICATORS}


def every_panel(ds) -> list[str]:  # type: ignore[no-untyped-def]
    t = table(ds)
    out = [panel.country_html(ds, c.props.iso3, t) for c in ds.countries]
    out += [panel.route_html(ds, r.props.id) for r in ds.routes]
    out += [panel.event_html(ds, e.props.id) for e in ds.events]
    out += [panel.legend_html(INDICATORS[k], t[k]) for k in INDICATORS]
    return out


def test_hostile_text_in_every_field_is_escaped() -> None:
    ds = sample(HOSTILE)
    for html in every_panel(ds):
        assert "<script" not in html.lower()
    kaz = panel.country_html(ds, "KAZ", table(ds))
    # each field made it into the panel, escaped: name, capital, summary, excerpt, note,
    # date note, relation note, source title, outlet and author
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    for label in (
        "Kazakhstan",
        "Astana",
        "Summary kaz-late",
        "Excerpt kaz-late",
        "Note",
        "Date note",
        "N",
        "Title",
        "Outlet",
        "Author",
        "Ref outlet",
    ):
        assert f"{label} {escaped}" in kaz, label
    route = panel.route_html(ds, "pipe-a")
    for label in ("Pipe A", "Operator", "Capacity", "Geometry note", "Attribution"):
        assert f"{label} {escaped}" in route, label
    event = panel.event_html(ds, "event-3")
    for label in ("Event 3", "Port", "Event 7"):
        assert f"{label} {escaped}" in event, label


def test_hostile_ids_in_unknown_selections_are_escaped() -> None:
    ds = sample()
    for html in (
        panel.country_html(ds, HOSTILE, table(ds)),
        panel.route_html(ds, HOSTILE),
        panel.event_html(ds, HOSTILE),
    ):
        assert "<script" not in html and "&lt;script&gt;" in html


def test_a_country_panel_groups_facts_by_category_oldest_first() -> None:
    ds = sample()
    html = panel.country_html(ds, "KGZ", table(ds))
    assert "<h3>Kyrgyzstan plain</h3>" in html
    assert "Capital: Bishkek plain" in html
    cats = re.findall(r'<h4 data-category="([a-z]+)"', html)
    assert cats[:3] == ["stance", "trade", "economy"]  # the schema's order of categories
    order = re.findall(r'data-fact="([a-z0-9-]+)"', html)
    assert order.index("kgz-early") < order.index("kgz-late")
    assert '<blockquote lang="en">Excerpt kgz-early plain</blockquote>' in html
    assert 'href="sources?fact=kgz-early"' in html
    assert 'href="https://example.org/news?a=1&amp;b=2"' in html
    assert "<b>Outlet plain</b> · Author plain · 1 February 2023" in html


def test_a_reference_fact_has_no_quotation_and_is_marked() -> None:
    ds = sample()
    html = panel.country_html(ds, "TJK", table(ds))
    ref = html[html.index('data-fact="tjk-ref"') :]
    ref = ref[: ref.index('<div class="atlas-fact"') if '<div class="atlas-fact"' in ref else None]
    assert "reference</span>" in ref
    assert "<blockquote" not in ref
    assert "sources?fact=tjk-ref" not in ref
    assert "Summary tjk-ref plain" in ref and "Note: Note plain" in ref
    assert 'href="https://example.org/ref"' in ref


def test_relations_are_visible() -> None:
    ds = sample()
    html = panel.country_html(ds, "UZB", table(ds))
    assert 'data-relation="disagrees_with"' in html
    assert "Sources disagree:</b> Summary uzb-trade plain" in html


def test_region_wide_facts_show_with_every_country() -> None:
    ds = sample()
    for c in ds.countries:
        html = panel.country_html(ds, c.props.iso3, table(ds))
        assert "Central Asia as a whole" in html and "Excerpt region-wide plain" in html


def test_the_country_panel_lists_every_indicator() -> None:
    ds = shipped()
    html = panel.country_html(ds, "KAZ", table(ds))
    for spec in INDICATORS.values():
        assert spec.label in html or spec.label.replace("'", "&#x27;") in html


def test_route_and_event_panels_show_attributes_and_facts() -> None:
    ds = sample()
    route = panel.route_html(ds, "pipe-a")
    assert "Transits Russia</th><td>yes" in route
    assert "1,500 km" in route and "Kazakhstan plain" in route
    assert '<blockquote lang="en">Excerpt pipe-a-fact plain</blockquote>' in route
    event = panel.event_html(ds, "event-7")
    assert "<h3>Event 7 plain</h3>" in event
    assert "Also at this place" in event and "Event 3 plain" in event
    assert "Excerpt event-7-fact plain" in event and "Excerpt event-3-fact plain" in event


def test_shipped_data_every_country_panel_quotes_its_sources() -> None:
    ds = shipped()
    t = table(ds)
    for c in ds.countries:
        html = panel.country_html(ds, c.props.iso3, t)
        quoted = [r.fact.excerpt for r in ds.facts_for_country(c.props.iso3) if r.fact.excerpt]
        assert quoted, c.props.iso3
        assert html.count("<blockquote ") >= len(quoted)


def test_the_legend_names_every_class_and_no_data() -> None:
    ds = sample()
    for key, spec in INDICATORS.items():
        html = panel.legend_html(spec, indicators.compute(ds, key))
        for value, label, _ in legend_entries(spec):
            assert f'data-class="{value}"' in html and label.replace("'", "&#x27;") in html
        assert 'data-class="no data"' in html and "No data" in html
        assert NO_DATA_COLOR in html
    routes = panel.routes_legend_html()
    assert "Transits Russia" in routes and "Avoids Russia" in routes and "dashed" in routes


# What a click on the map sends for the panel (issue 12): bytes, not time.
PANEL_BYTES = 32_000  # a country's panel as the map page sends it (the shipped data: 21-28 KB)


def test_the_map_page_pieces_leave_out_the_style_block() -> None:
    """The map page shows STYLE once; the pieces it resends on every click carry no copy."""
    ds = shipped()
    t = {key: indicators.compute(ds, key) for key in ds.catalogue.indicators}
    pieces = [panel.routes_legend_html(style=False)]
    pieces += [panel.legend_html(spec, t[k], style=False) for k, spec in INDICATORS.items()]
    pieces += [panel.route_html(ds, r.props.id, style=False) for r in ds.routes]
    pieces += [panel.event_html(ds, e.props.id, style=False) for e in ds.events]
    for c in ds.countries:
        iso3 = c.props.iso3
        pieces.append(panel.country_head_html(ds, iso3, style=False))
        pieces.append(
            panel.country_html(ds, iso3, t, head=False, view=panel.FactsView(), style=False)
        )
    assert all("<style" not in p for p in pieces)
    assert panel.country_html(ds, "KAZ", t).startswith(panel.STYLE)  # elsewhere: with it


def test_a_country_panel_stays_within_its_byte_budget() -> None:
    ds = shipped()
    t = {key: indicators.compute(ds, key) for key in ds.catalogue.indicators}
    for c in ds.countries:
        html = panel.country_html(
            ds, c.props.iso3, t, head=False, view=panel.FactsView(), style=False
        )
        assert len(html.encode()) <= PANEL_BYTES, (c.props.iso3, len(html.encode()))


def _figure(html: str) -> tuple[ET.Element, ET.Element]:
    """The chart's figure (well-formed XML as well as HTML) and its plot's image, decoded."""
    figure = ET.fromstring(html)
    img = figure.find(".//img")
    assert img is not None, html
    prefix = "data:image/svg+xml;base64,"
    src = img.get("src", "")
    assert src.startswith(prefix), src[:60]
    return figure, ET.fromstring(base64.b64decode(src.removeprefix(prefix)))


SVG_NS = "{http://www.w3.org/2000/svg}"


def _spans(figure: ET.Element, kind: str) -> list[ET.Element]:
    """The laid-over spans of a kind ("dot" also finds a part-year's "atlas-dot atlas-part")."""
    return [s for s in figure.iter("span") if f"atlas-{kind}" in s.get("class", "").split()]


def _at(span: ET.Element) -> tuple[float, float]:
    """A laid-over element's place, in the plot's own units (from its percentages)."""
    from central_asia_atlas import charts

    style = dict(part.split(":", 1) for part in span.get("style", "").split(";"))
    return (
        float(style["left"].rstrip("%")) * charts.W / 100,
        float(style["top"].rstrip("%")) * charts.H / 100,
    )


def test_the_panel_chart_draws_every_reading_once_with_its_tooltip() -> None:
    """Each reading is one point (its reading as the point's tooltip), a partner with more than
    one full year is a line through those in the image (a part of a year is a ring off the
    line), and the image's text alternative lists every reading."""
    from central_asia_atlas import charts

    ds = shipped()
    drawn = [c for iso3 in FIVE for c in charts.country_charts(ds, iso3)]
    assert drawn and any(len(line.points) > 1 for c in drawn for line in c.lines)
    for c in drawn:
        figure, svg = _figure(charts.chart_html(c))
        tips = [dot.get("title") for dot in _spans(figure, "dot")]
        want = [f"{line.label}: {p.reading}" for line in c.lines for p in line.points]
        assert tips == want and len(want) == c.points
        polylines = list(svg.iter(f"{SVG_NS}polyline"))
        assert [pl.get("stroke") for pl in polylines] == [
            line.color for line in c.lines if sum(p.full_year for p in line.points) > 1
        ]
        rings = [d for d in _spans(figure, "dot") if "atlas-part" in d.get("class", "")]
        assert len(rings) == sum(not p.full_year for line in c.lines for p in line.points)
        alt = figure.find(".//img").get("alt") or ""  # type: ignore[union-attr]
        assert c.spec.title in alt
        assert all(p.reading in alt for line in c.lines for p in line.points)
        # the laid-over text is for the eye; the image's alt says it all
        assert figure.find(".//div[@class='atlas-over']").get("aria-hidden") == "true"  # type: ignore[union-attr]
        # each line ends with its last value, written beside its last point
        ends = [t.text for t in _spans(figure, "end")]
        assert ends == [charts._num(line.points[-1].value) for line in c.lines]


def test_the_panel_chart_puts_points_in_their_year_and_at_their_value() -> None:
    """A point sits inside its year's band on the time axis and at its value on the value
    axis (0 at the bottom, the axis's top value at the top), and each line of the image
    passes through its points."""
    from central_asia_atlas import charts

    ds = shipped()
    c = charts.country_charts(ds, "UZB")[0]
    figure, svg = _figure(charts.chart_html(c))
    first, end = charts._years(c.lines)
    years = {int(t.text or ""): _at(t)[0] for t in _spans(figure, "year")}
    assert sorted(years) == list(range(first, end))
    band = (charts.W - charts.LEFT - charts.RIGHT) / (end - first)
    bottom, top = charts.H - charts.BOTTOM, charts.TOP
    dots = [_at(dot) for dot in _spans(figure, "dot")]
    points = [p for line in c.lines for p in line.points]
    for (cx, cy), p in zip(dots, points, strict=True):
        assert abs(cx - years[p.mid.year]) <= band / 2, (p, cx)
        assert cy == pytest.approx(bottom - p.value / c.top * (bottom - top), abs=0.1)
    drawn = iter(dots)
    lines = iter(svg.iter(f"{SVG_NS}polyline"))
    for line in c.lines:
        mine = [xy for xy, p in ((next(drawn), p) for p in line.points) if p.full_year]
        if len(mine) > 1:
            xy = [tuple(map(float, pt.split(","))) for pt in next(lines).get("points", "").split()]
            flat = [v for pt in xy for v in pt]
            assert flat == pytest.approx([v for pt in mine for v in pt], abs=0.1)


def test_the_panel_chart_axis_ends_at_a_round_value_above_its_highest_point() -> None:
    """The y axis reached only to the highest point's neighbourhood: Kazakhstan's EU share
    and Kyrgyzstan's China share sat above the last labelled value (issue 12's screenshots)."""
    from central_asia_atlas import charts

    assert [charts.axis_top(v) for v in (36, 38.2, 40, 61, 12, 4.3, 0.7, 0)] == [
        40,
        40,
        40,
        80,
        15,
        6,
        0.8,
        1,
    ]
    ds = shipped()
    drawn = [c for iso3 in FIVE for c in charts.country_charts(ds, iso3)]
    assert drawn
    for c in drawn:
        highest = max(p.value for line in c.lines for p in line.points)
        assert highest <= c.top < 2 * highest, (c.spec.id, highest, c.top)
        # the labelled values: 0, a round step, ..., the top
        figure, svg = _figure(charts.chart_html(c))
        labels = [float(t.text or "") for t in _spans(figure, "y")]
        grid = {
            float(g.get("y1", "")) for g in svg.iter(f"{SVG_NS}line") if g.get("y1") == g.get("y2")
        }
        at = [_at(t)[1] for t in _spans(figure, "y")]
        assert at == pytest.approx(sorted(grid, reverse=True), abs=0.05)  # a grid line each
        assert labels[0] == 0 and labels[-1] == c.top and 3 <= len(labels) <= 7
        assert all(b - a == pytest.approx(c.step) for a, b in itertools.pairwise(labels))


def test_the_panel_chart_key_lists_partners_with_a_value_and_names_the_others() -> None:
    from central_asia_atlas import charts

    ds = shipped()
    seen_missing = False
    for iso3 in FIVE:
        for c in charts.country_charts(ds, iso3):
            partners = [line.label for line in c.lines]
            key = re.findall(
                r'<span class="atlas-line"[^>]*></span>([^<]+)</span>', charts.chart_html(c)
            )
            assert key == partners, (iso3, key)
            missing = [s.label for s in c.spec.series if s.label not in partners]
            assert ("No value in the data for" in c.source_line) == bool(missing)
            assert all(m in c.source_line.split("No value in the data for")[-1] for m in missing)
            seen_missing |= bool(missing)
    assert seen_missing  # the shipped data has such a chart (Kyrgyzstan: no Russia share)


def test_the_panel_chart_escapes_its_text() -> None:
    """The chart's title, partners, unit, readings and source line come from the data: in the
    SVG and the HTML around it they are text, never markup."""
    import datetime as dt

    from central_asia_atlas import charts
    from central_asia_atlas.catalogue import ChartSpec

    spec = ChartSpec.model_validate(
        {
            "id": "hostile",
            "title": HOSTILE,
            "series": [{"indicator": "trade_share_eu", "label": HOSTILE, "color": "#0072B2"}],
        }
    )
    point = charts.Point(dt.date(2023, 7, 2), 5.0, "2023", HOSTILE)
    line = charts.Line(HOSTILE, "#0072B2", (point, point))
    chart = charts.CountryChart(spec, (line,), HOSTILE, 10.0, 2.5, HOSTILE)
    html = charts.chart_html(chart)
    assert "<script" not in html.lower()
    figure, svg = _figure(html)  # still well-formed, the image too
    texts = [t.text for t in figure.iter() if t.text]
    assert HOSTILE in texts  # the title, the key, the unit, the source line
    assert [d.get("title") for d in _spans(figure, "dot")] == [f"{HOSTILE}: {HOSTILE}"] * 2
    assert HOSTILE in (figure.find(".//img").get("alt") or "")  # type: ignore[union-attr]
    assert html.count("&lt;script&gt;") >= 7  # title, key, unit, 2 tooltips, alt, caption
    assert "script" not in ET.tostring(svg, encoding="unicode").lower()


def test_the_map_page_imports_no_map_or_chart_library_before_it_draws_the_map() -> None:
    """The modules of the map page, of streamlit_app.py and of app_frame.py import neither
    Altair (0.25 s; only the Timeline and Compare pages need it) nor folium, streamlit-folium
    or pandas (0.9 s together), which the page imports when it builds the map, after sending
    its widgets: the browser draws them meanwhile (mapstyle; start to interactive map,
    benchmarks/). At a server's start the warm-up imports folium before any page runs."""
    imports = [
        ast.unparse(node)
        for page in (ROOT / "streamlit_app.py", ROOT / "app_frame.py", ROOT / "pages" / "map.py")
        for node in ast.parse(page.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    heavy = ["altair", "folium", "streamlit_folium", "pandas", "matplotlib", "geopandas"]
    code = "\n".join([*imports, "import sys", f"print([m for m in {heavy!r} if m in sys.modules])"])
    out = fresh_python.run(code)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_the_focusable_box_script_escapes_what_it_is_given() -> None:
    """The embedded panel's box (pages/map.py): made a named region the keyboard reaches."""
    script = panel.focusable_box_script(".st-key-box", HOSTILE)
    assert script.startswith("<script>") and script.count("</script>") == 1
    assert "<script>alert" not in script and "\\u003cscript\\u003e" in script
    assert "tabIndex=0" in script and "'role','region'" in script
