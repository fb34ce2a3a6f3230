"""The map page in AppTest: renders, selects by select box and by link, refuses bad links.

AppTest cannot click inside the map component; the click -> selection step is the pure
`selection.from_map_event` (unit-tested), and the browser tests click the real map.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from central_asia_atlas import viewstate as vs
from central_asia_atlas.model import FIVE
from tests.support.cli import run_cli
from tests.support.paths import APP
from tests.support.shipped import shipped

TIMEOUT = 60
DS = shipped()


def new_app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    return at


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def panel(at: AppTest) -> str:
    return "".join(h.value for h in at.html if 'class="atlas-panel"' in h.value)


def component(at: AppTest) -> tuple[str, dict[str, object]]:
    comps = at.get("component_instance")
    assert len(comps) == 1
    proto = comps[0].proto
    assert proto.component_name == "streamlit_folium.st_folium"
    return proto.id, json.loads(proto.json_args)


def excerpts(iso3: str) -> list[str]:
    return [r.fact.excerpt for r in DS.facts_for_country(iso3) if r.fact.excerpt]


def escaped(text: str) -> str:
    import html

    return html.escape(text)


def test_home_page_renders_the_map_without_exception() -> None:
    at = ok(new_app())
    at.run()
    ok(at)
    _, args = component(at)
    assert args["js_links"] == ["/app/static/leaflet/leaflet.js"]
    assert args["css_links"] == ["/app/static/leaflet/leaflet.css"]
    assert at.toggle(key="w_routes").value is True
    assert at.toggle(key="w_routes").label == "Energy export routes"
    assert any("No data" in h.value for h in at.html)  # the legend
    assert panel(at) == ""
    assert at.query_params["indicator"] == DS.catalogue.default_key()


@pytest.mark.parametrize("iso3", FIVE)
def test_choosing_a_country_in_the_select_box_shows_its_excerpts(iso3: str) -> None:
    at = new_app()
    at.run()
    at.selectbox(key="w_country").select(iso3).run()
    ok(at)
    country = DS.country(iso3)
    assert country is not None
    head = "".join(h.value for h in at.html if "atlas-panel-head" in h.value)
    assert f"<h3>{escaped(country.props.name)}</h3>" in head
    at.session_state["w_facts"] = "all"  # every fact, on demand
    at.session_state["facts_limit"] = 10_000
    at.run()
    html = panel(at)
    quoted = excerpts(iso3)
    assert quoted, f"{iso3} has no fact with an excerpt"
    for ex in quoted:
        assert f'<blockquote lang="en">{escaped(ex)}</blockquote>' in html
    assert at.query_params["country"] == iso3


def test_a_country_link_restores_the_view() -> None:
    at = new_app(country="UZB", indicator="un_es11_1", routes="0")
    at.run()
    ok(at)
    assert 'data-id="UZB"' in panel(at)
    latest = max(DS.facts_for_country("UZB"), key=lambda r: (r.fact.date, r.fact.id)).fact
    assert escaped(latest.summary) in panel(at)  # the latest facts first
    assert at.selectbox(key="w_country").value == "UZB"
    assert at.selectbox(key="w_indicator").value == "un_es11_1"
    assert at.toggle(key="w_routes").value is False
    assert not at.info


def test_the_panel_chart_reaches_the_page_in_the_panel_heading() -> None:
    """The trade chart of a country's panel is drawn into the element that names the country
    (one element for the name and the charts, no Vega-Lite element), with every point."""
    from central_asia_atlas import charts

    at = ok(new_app(country="KAZ").run())
    drawn = charts.country_charts(DS, "KAZ")
    assert drawn and not at.get("vega_lite_chart") and not at.get("arrow_vega_lite_chart")
    heads = [h.proto.body for h in at.get("html") if 'class="atlas-panel-head"' in h.proto.body]
    assert len(heads) == 1
    head = heads[0]
    assert head.index('data-id="KAZ"') < head.index('class="atlas-chart"')
    for chart in drawn:
        assert charts.chart_html(chart) in head
    # every reading a dot (a part of a year's is "atlas-dot atlas-part": a ring off the line)
    assert head.count('class="atlas-dot') == sum(c.points for c in drawn) > 0


def test_a_route_link_shows_the_route() -> None:
    route = DS.routes[0].props
    at = new_app(route=route.id)
    at.run()
    ok(at)
    html = panel(at)
    assert f"<h3>{escaped(route.name)}</h3>" in html
    assert "Transits Russia" in html
    for f in route.facts:
        if f.excerpt:
            assert escaped(f.excerpt) in html


def test_invalid_parameters_give_notices_and_no_exception() -> None:
    at = new_app(country="RUS", indicator="<script>", routes="maybe", route="no-such-route")
    at.run()
    ok(at)
    notices = [i.value for i in at.info]
    assert len(notices) == 4, notices
    assert panel(at) == ""
    assert at.selectbox(key="w_indicator").value == DS.catalogue.default_key()
    assert at.toggle(key="w_routes").value is True
    # the URL now says what is shown
    assert "country" not in at.query_params and "route" not in at.query_params


def test_clear_selection_empties_the_panel() -> None:
    at = new_app(country="KGZ")
    at.run()
    assert panel(at)
    at.button(key="w_clear").click().run()
    ok(at)
    assert panel(at) == ""
    assert at.selectbox(key="w_country").value is None
    assert "country" not in at.query_params


def test_route_select_box_and_toggle() -> None:
    at = new_app()
    at.run()
    event = DS.events[0].props
    at.selectbox(key="w_line").select(f"event:{event.id}").run()
    ok(at)
    assert f'data-id="{event.id}"' in panel(at)
    assert at.query_params["event"] == event.id
    at.toggle(key="w_routes").set_value(False).run()
    ok(at)
    assert at.query_params["routes"] == "0"
    assert f'data-id="{event.id}"' in panel(at)  # the selection stays


def test_the_map_component_keeps_its_identity_across_choices() -> None:
    """Same component id and key whatever is chosen: the browser never remounts the map."""
    at = new_app()
    at.run()
    first_id, first = component(at)
    at.selectbox(key="w_country").select("TJK").run()
    at.selectbox(key="w_indicator").select("governance").run()
    at.toggle(key="w_routes").set_value(False).run()
    ok(at)
    last_id, last = component(at)
    assert last_id == first_id
    assert last["key"] == first["key"] and last["script"] == first["script"]
    assert last["feature_group"] != first["feature_group"]


def test_the_timeline_day_from_a_link_recolours_the_map() -> None:
    at = new_app(indicator="un_es11_1", as_of="2022-01-01")
    at.run()
    ok(at)
    assert at.slider(key="w_as_of").value == dt.date(2022, 1, 1)
    legend = next(h.value for h in at.html if "atlas-legend" in h.value and "UN vote" in h.value)
    # before the vote of 2 March 2022, no country has a recorded vote: all five are "no data"
    assert 'data-class="no data"' in legend and "No data <span" in legend
    assert "(5)" in legend.split('data-class="no data"')[1][:300]
    assert at.query_params["as_of"] == "2022-01-01"
    assert "Map as of 1 January 2022 · " in legend  # the line under the legend says the day


def test_a_bad_day_in_a_link_gives_a_notice() -> None:
    at = new_app(as_of="yesterday")
    at.run()
    ok(at)
    assert any("YYYY-MM-DD" in i.value for i in at.info)
    note = next(h.value for h in at.html if 'class="atlas-note"' in h.value)  # under the legend
    assert "made with Natural Earth" in note and "Map as of" not in note  # today's map


# --- the catalogue is data: a new indicator needs no code -----------------------------------

NEW_INDICATOR = """
  - key: test_gas_exports_bcm
    kind: numeric
    label: "Gas exports by pipeline (bcm, a test indicator)"
    description: "Added in a copy of data/ by a test: no code knows this key."
    unit: "bcm"
    bins:
      - {min: 0, max: 10}
      - {min: 10, max: 100}
    palette: ["#deebf7", "#3182bd"]
"""


def test_an_indicator_added_to_a_copy_of_the_catalogue_is_on_the_map_page(
    data_copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    data, seeds = data_copy
    with (data / "indicators.yaml").open("a", encoding="utf-8") as f:
        f.write(NEW_INDICATOR)
    fact = DS.facts_for_country("TKM")[0].fact.id  # any fact that concerns Turkmenistan
    add = run_cli(
        *("add-value", "--data", str(data), "--seeds", str(seeds), "--country", "TKM"),
        *("--indicator", "test_gas_exports_bcm", "--value", "42.5", "--period", "2024"),
        *("--statistics", "government", "--facts", fact),
    )
    assert add.returncode == 0, add.stdout + add.stderr
    monkeypatch.setenv("CENTRAL_ASIA_ATLAS_DATA", str(data))
    monkeypatch.setenv("CENTRAL_ASIA_ATLAS_SEEDS", str(seeds))
    st.cache_resource.clear()
    try:
        at = ok(new_app(indicator="test_gas_exports_bcm", country="TKM"))
        at.run()
        ok(at)
        box = at.selectbox(key="w_indicator")
        assert box.value == "test_gas_exports_bcm"
        assert "Gas exports by pipeline (bcm, a test indicator)" in box.options
        legend = next(h.value for h in at.html if "atlas-legend" in h.value and "test" in h.value)
        assert "10–100 bcm" in legend and "(1)" in legend  # Turkmenistan's class
        assert "42.5 bcm (2024, government figures, via" in panel(at)
    finally:
        st.cache_resource.clear()


def test_the_panel_shows_a_page_of_facts_and_the_rest_on_demand() -> None:
    at = new_app(country="KAZ")
    at.run()
    ok(at)
    first = panel(at)
    page = vs.FACTS_PAGE
    assert first.count('class="atlas-fact"') == page  # the latest ones only
    total = len(DS.facts_for_country("KAZ"))
    assert f'data-more="{total - page}"' in first
    at.button(key="w_more").click().run()
    ok(at)
    assert panel(at).count('class="atlas-fact"') == 2 * page
    # one category: its facts only, newest first, and a new page count
    at.session_state["w_facts"] = "sanctions"
    at.run()
    ok(at)
    html = panel(at)
    ids = [r.fact.id for r in DS.facts_for_country("KAZ") if r.fact.category.value == "sanctions"]
    shown = [i for i in ids if f'data-fact="{i}"' in html]
    assert shown and len(shown) == min(len(ids), 2 * page)
    assert 'data-facts="sanctions"' in html
    # a tie whose fact is not on the page links to the fact on the Sources page
    assert 'href="sources?fact=' in html
    # another country keeps the theme (to compare them) and starts with its first page
    at.selectbox(key="w_country").select("TJK").run()
    ok(at)
    tjk = [r for r in DS.facts_for_country("TJK") if r.fact.category.value == "sanctions"]
    assert panel(at).count('class="atlas-fact"') == min(len(tjk), page)
