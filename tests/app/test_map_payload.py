"""Bytes, not time: what one rerun sends for the map after a click on it (issue 12).

A click on the map reruns the page; the browser has drawn the highlight itself
(mapview.ClickSelect), so the map element of that rerun must be byte-identical to the one
before, which Streamlit then sends as a reference of a few bytes instead of the element. A
change that makes the map go out again after every click fails here.

AppTest cannot click inside a component, so the map component is replaced by a stand-in
that records the arguments it is given (what Streamlit would serialise into the element) and,
when told, reports a click the way the browser does: the value under the component's key,
then the component's on_change callback. The next run is the click's rerun.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import streamlit as st
import streamlit_folium
from streamlit.testing.v1 import AppTest

from central_asia_atlas import panel
from tests.support.paths import APP
from tests.support.shipped import shipped

DS = shipped()
# The element a click's rerun may send for the map: none (a reference is under 100 bytes).
MAX_MAP_BYTES_PER_CLICK = 0
# What a change of view sends (indicator, selection from a select box): the layers, no basemap.
MAX_MAP_BYTES_PER_VIEW = 120_000


class MapStandIn:
    """streamlit_folium's component function, as far as the page uses it."""

    def __init__(self) -> None:
        self.sent: list[str] = []  # the serialised arguments of each run's map element
        self.click: dict[str, Any] | None = None
        self.count = 0

    def __call__(self, **kwargs: Any) -> Any:
        key = kwargs["key"]
        args = {k: v for k, v in kwargs.items() if k != "on_change"}
        self.sent.append(json.dumps(args, sort_keys=True, default=str))
        if key not in st.session_state:  # registered with its default, as a widget would be
            st.session_state[key] = kwargs["default"]
        if self.click is not None:
            st.session_state[key], self.click = self.click, None
            kwargs["on_change"]()
        return st.session_state[key]

    def clicks(self, kind: str, ident: str) -> None:
        """The next run reports a click on this feature (the run after it is its rerun)."""
        self.count += 1
        self.click = {
            "last_object_clicked_count": self.count,
            "last_active_drawing": {
                "type": "Feature",
                "properties": {"kind": kind, "id": ident},
                "geometry": None,
            },
        }


@pytest.fixture
def stand_in(monkeypatch: pytest.MonkeyPatch) -> Iterator[MapStandIn]:
    fake = MapStandIn()
    monkeypatch.setattr(streamlit_folium, "_component_func", fake)
    yield fake


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> tuple[str, str] | None:
    view = at.session_state["atlas_view"]
    return (view.selection.kind, view.selection.id) if view.selection else None


def map_bytes(before: str, after: str) -> int:
    """What the rerun sends for the map: nothing new if the element is byte-identical."""
    return 0 if after == before else len(after.encode())


def click(at: AppTest, fake: MapStandIn, kind: str, ident: str) -> int:
    """Click a feature; the bytes the click's rerun sends for the map."""
    before = fake.sent[-1]
    fake.clicks(kind, ident)
    run(at)  # the browser reports the click; its callback selects the feature
    run(at)  # the click's rerun
    assert shown(at) == (kind, ident)
    return map_bytes(before, fake.sent[-1])


def test_a_click_on_the_map_resends_no_map(stand_in: MapStandIn) -> None:
    at = run(AppTest.from_file(APP, default_timeout=60))
    first = len(stand_in.sent[-1].encode())
    assert first <= MAX_MAP_BYTES_PER_VIEW, f"first view sends {first} bytes for the map"
    countries = [c.props.iso3 for c in DS.countries]
    for iso3 in countries:
        assert click(at, stand_in, "country", iso3) <= MAX_MAP_BYTES_PER_CLICK, iso3
    route = DS.routes[0].props.id
    assert click(at, stand_in, "route", route) <= MAX_MAP_BYTES_PER_CLICK
    event = DS.events[0].props.id
    assert click(at, stand_in, "event", event) <= MAX_MAP_BYTES_PER_CLICK


def test_a_selection_from_the_select_box_redraws_the_map(stand_in: MapStandIn) -> None:
    """The server draws the selection when the browser does not show it: after a click on
    Uzbekistan, choosing Kazakhstan again (the layers sent last) must still redraw the map."""
    at = run(AppTest.from_file(APP, default_timeout=60))
    at.selectbox(key="w_country").select("KAZ")
    run(at)
    kaz = stand_in.sent[-1]
    assert len(kaz.encode()) <= MAX_MAP_BYTES_PER_VIEW
    assert click(at, stand_in, "country", "UZB") == 0
    at.selectbox(key="w_country").select("KAZ")
    run(at)
    assert shown(at) == ("country", "KAZ")
    assert stand_in.sent[-1] != kaz  # not what the browser has: it shows its click on UZB
    assert 0 < map_bytes(kaz, stand_in.sent[-1]) <= MAX_MAP_BYTES_PER_VIEW
    # and a view change after a click draws the clicked selection on the server
    assert click(at, stand_in, "country", "TJK") == 0
    at.toggle(key="w_routes").set_value(False)
    run(at)
    assert '"country", "TJK"' in stand_in.sent[-1].replace('\\"', '"')


def test_the_page_sends_the_style_block_once(stand_in: MapStandIn) -> None:
    """The panel's and legends' style goes out in one element of its own, which a click's
    rerun sends as a reference; the head, panel and legends, which change, carry no copy."""
    at = run(AppTest.from_file(APP, default_timeout=60))
    click(at, stand_in, "country", "KAZ")
    styled = [h.value for h in at.html if "<style" in h.value]
    # once, beside the frame's page style (app_frame.py: captions), which styles no atlas- class
    assert styled.count(panel.STYLE) == 1
    assert [s for s in styled if s != panel.STYLE and "atlas-" in s] == []
    assert any('class="atlas-panel"' in h.value for h in at.html)


def test_a_click_rerun_does_not_build_the_share_dialog(stand_in: MapStandIn) -> None:
    """The Share dialog is built only when its button is pressed: a click's rerun sends none
    of its 14 elements (link, embed code, citation, four downloads)."""
    at = run(AppTest.from_file(APP, default_timeout=60))
    click(at, stand_in, "country", DS.countries[0].props.iso3)
    assert [b.proto.label for b in at.get("download_button")] == []
    assert not [c for c in at.get("code") if "iframe" in c.proto.code_text]
    at.button(key="w_share").click()
    run(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert sorted(labels) == ["CSV data", "HTML map", "PNG", "SVG"], labels
    link = next(c.proto.code_text for c in at.get("code") if "country=" in c.proto.code_text)
    assert f"country={DS.countries[0].props.iso3}" in link  # the view as it is
