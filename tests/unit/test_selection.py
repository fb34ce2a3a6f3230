"""The st_folium return value and the URL's query parameters become a validated view."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from central_asia_atlas.selection import (
    Selection,
    View,
    from_map_event,
    from_query_params,
    to_query_params,
)
from tests.support.shipped import INDICATORS

KNOWN = {"country": {"KAZ", "UZB", "KGZ", "TJK", "TKM"}, "route": {"cpc"}, "event": {"cpc-halt"}}


def clicked(props: Any) -> dict[str, Any]:
    """What st_folium returns after a click on a GeoJSON feature with these properties."""
    return {
        "last_active_drawing": {
            "type": "Feature",
            "properties": props,
            "geometry": {"type": "Point", "coordinates": [51.0, 47.0]},
        },
        "last_object_clicked_count": 3,
    }


def test_a_click_on_a_country_selects_it() -> None:
    assert from_map_event(clicked({"kind": "country", "id": "KAZ", "tip": "x"})) == Selection(
        "country", "KAZ"
    )


def test_a_click_on_a_route_or_event_selects_it() -> None:
    assert from_map_event(clicked({"kind": "route", "id": "cpc"}), KNOWN) == Selection(
        "route", "cpc"
    )
    assert from_map_event(clicked({"kind": "event", "id": "cpc-halt"}), KNOWN) == Selection(
        "event", "cpc-halt"
    )


def test_unknown_ids_are_refused_when_the_known_ids_are_given() -> None:
    assert from_map_event(clicked({"kind": "route", "id": "nord-stream"}), KNOWN) is None
    assert from_map_event(clicked({"kind": "route", "id": "nord-stream"})) == Selection(
        "route", "nord-stream"
    )


def test_junk_gives_no_selection() -> None:
    junk: list[Any] = [
        None,
        "KAZ",
        42,
        [],
        {},
        {"last_active_drawing": None},
        {"last_active_drawing": "KAZ"},
        {"last_active_drawing": {"properties": None}},
        {"last_object_clicked": {"lat": 48.0, "lng": 68.0}},
        clicked({}),
        clicked({"name": "Russia"}),  # a neighbour: no kind, no id
        clicked({"kind": "country", "id": "RUS"}),
        clicked({"kind": "country", "id": "kaz"}),
        clicked({"kind": "country", "id": ["KAZ"]}),
        clicked({"kind": "country", "id": None}),
        clicked({"kind": "capital", "id": "KAZ"}),
        clicked({"kind": "route", "id": "CPC"}),
        clicked({"kind": "route", "id": "<script>alert(1)</script>"}),
        clicked({"kind": "route", "id": "a" * 200}),
        clicked({"kind": "event", "id": ""}),
    ]
    for value in junk:
        assert from_map_event(value) is None, value


@settings(deadline=None)  # a loaded CI machine must not turn slowness into failure
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=20), c, max_size=4),
    )
)
def test_from_map_event_never_raises(value: Any) -> None:
    result = from_map_event(value)
    assert result is None or isinstance(result, Selection)


def test_a_deep_link_restores_the_view() -> None:
    view, notices = from_query_params(
        {"country": "KAZ", "indicator": "un_es11_1", "routes": "1"}, INDICATORS, KNOWN
    )
    assert notices == []
    assert view == View(Selection("country", "KAZ"), "un_es11_1", True)


def test_country_codes_are_case_insensitive_and_routes_can_be_off() -> None:
    view, notices = from_query_params({"country": " uzb ", "routes": "0"}, INDICATORS, KNOWN)
    assert notices == []
    assert view == View(Selection("country", "UZB"), None, False)


def test_a_route_or_event_link_selects_it() -> None:
    assert from_query_params({"route": "cpc"}, INDICATORS, KNOWN)[0].selection == Selection(
        "route", "cpc"
    )
    assert from_query_params({"event": "cpc-halt"}, INDICATORS, KNOWN)[0].selection == (
        Selection("event", "cpc-halt")
    )


def test_no_parameters_is_the_default_view() -> None:
    assert from_query_params({}, INDICATORS, KNOWN) == (View(), [])


def test_invalid_values_are_ignored_with_a_notice() -> None:
    view, notices = from_query_params(
        {"country": "RUS", "indicator": "gdp", "routes": "maybe", "route": "nord-stream"},
        INDICATORS,
        KNOWN,
    )
    assert view == View()
    assert len(notices) == 4
    assert any("country='RUS'" in n and "KAZ" in n for n in notices)
    assert any("indicator='gdp'" in n for n in notices)
    assert any("routes='maybe'" in n for n in notices)
    assert any("route='nord-stream'" in n for n in notices)


def test_a_long_or_hostile_value_is_shortened_and_made_inert_in_the_notice() -> None:
    for raw in ("<script>" + "x" * 500, "[click](https://example.org)", "![i](x.png)", "*a* `b`"):
        _, notices = from_query_params({"country": raw}, INDICATORS, KNOWN)
        assert len(notices) == 1
        assert len(notices[0]) < 150
        quoted = notices[0].split("'")[1]
        assert not set(quoted) & set("<>[]()!*`"), notices[0]


def test_two_selections_keep_the_first_and_say_so() -> None:
    view, notices = from_query_params({"country": "KGZ", "route": "cpc"}, INDICATORS, KNOWN)
    assert view.selection == Selection("country", "KGZ")
    assert len(notices) == 1 and "route='cpc'" in notices[0]


def test_repeated_parameters_take_the_last_value() -> None:
    view, _ = from_query_params({"country": ["KAZ", "TJK"]}, INDICATORS, KNOWN)
    assert view.selection == Selection("country", "TJK")


def test_other_pages_parameters_are_left_alone() -> None:
    assert from_query_params({"fact": "some-fact", "tab": "x"}, INDICATORS, KNOWN) == (View(), [])


@settings(deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["country", "route", "event", "indicator", "routes", "other"]),
        st.text(max_size=300) | st.lists(st.text(max_size=30), max_size=3) | st.none(),
    )
)
def test_from_query_params_never_raises(params: dict[str, Any]) -> None:
    view, notices = from_query_params(params, INDICATORS, KNOWN)
    assert isinstance(view, View)
    assert all(isinstance(n, str) and "\n" not in n for n in notices)


def test_the_url_written_back_restores_the_same_view() -> None:
    for view in (
        View(Selection("country", "TKM"), "governance", False),
        View(Selection("route", "cpc"), "distance_signals", True),
        View(None, "un_es11_4", True),
    ):
        params = to_query_params(view, "distance_signals")
        assert from_query_params(params, INDICATORS, KNOWN) == (view, [])
    assert to_query_params(View(Selection("country", "KAZ"), "un_es11_1", True), "x") == {
        "country": "KAZ",
        "indicator": "un_es11_1",
        "routes": "1",
    }


SIGNAL_IDS = ("eaeu_member", "eu_engagement", "rebuked_kremlin")


def test_a_link_carries_the_day_and_the_signals_that_count() -> None:
    params = {"country": "KAZ", "as_of": "2023-05-06", "signals": "eu_engagement,eaeu_member"}
    view, notices = from_query_params(params, INDICATORS, KNOWN, SIGNAL_IDS)
    assert notices == []
    assert view.as_of is not None and view.as_of.isoformat() == "2023-05-06"
    assert view.signals == ("eu_engagement", "eaeu_member")
    # and back: the same parameters, "none" for an empty choice, nothing for "all"
    assert to_query_params(view, None)["signals"] == "eu_engagement,eaeu_member"
    none, _ = from_query_params({"signals": "none"}, INDICATORS, KNOWN, SIGNAL_IDS)
    assert none.signals == () and to_query_params(none, None)["signals"] == "none"
    assert "signals" not in to_query_params(View(), None)


def test_unknown_signals_in_a_link_are_dropped_with_a_notice() -> None:
    view, notices = from_query_params(
        {"signals": "eu_engagement,<b>x</b>"}, INDICATORS, KNOWN, SIGNAL_IDS
    )
    assert view.signals == ("eu_engagement",)
    assert len(notices) == 1 and notices[0].startswith("Ignored unknown signal(s)")
    assert "<" not in notices[0]  # quoted inert
    # without the known ids (a caller that does not follow signals), the parameter is ignored
    assert from_query_params({"signals": "eu_engagement"}, INDICATORS, KNOWN)[0].signals is None
