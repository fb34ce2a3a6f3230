"""The map page's view state on a plain dict: deep-link restore, callbacks, URL write-back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from central_asia_atlas import store
from central_asia_atlas import viewstate as vs
from central_asia_atlas.model import FIVE
from central_asia_atlas.selection import Selection, View
from tests.support import datasets
from tests.support.shipped import DEFAULT, INDICATORS, SIGNALS

KNOWN = {"country": set(FIVE), "route": {"cpc-pipeline"}, "event": {"astana-summit-2022"}}
OTHER = next(k for k in INDICATORS if k != DEFAULT)


def new_session(params: dict[str, Any]) -> dict[str, Any]:
    ss: dict[str, Any] = {}
    vs.start(ss, params, INDICATORS, KNOWN, DEFAULT)
    return ss


def clicked(kind: Any, ident: Any) -> dict[str, Any]:
    """The map component's value after a click on a feature with these properties."""
    return {
        "last_object_clicked_count": 1,
        "last_active_drawing": {"type": "Feature", "properties": {"kind": kind, "id": ident}},
    }


# --- a new session: the deep link's view ------------------------------------------------


def test_a_plain_visit_gets_the_default_view_and_no_notice() -> None:
    ss = new_session({})
    assert ss["atlas_view"] == View(None, DEFAULT, True)
    assert ss["atlas_notices"] == []
    assert "as_of" not in ss


def test_a_valid_link_restores_selection_indicator_routes_and_day() -> None:
    ss = new_session({"country": "uzb", "indicator": OTHER, "routes": "0", "as_of": "2022-01-01"})
    assert ss["atlas_view"] == View(Selection("country", "UZB"), OTHER, False)
    assert ss["as_of"] == dt.date(2022, 1, 1)
    assert vs.notices(ss) == []


def test_a_link_to_a_known_route_or_event_selects_it() -> None:
    assert new_session({"route": "cpc-pipeline"})["atlas_view"].selection == Selection(
        "route", "cpc-pipeline"
    )
    assert new_session({"event": "astana-summit-2022"})["atlas_view"].selection == Selection(
        "event", "astana-summit-2022"
    )


def test_an_invalid_link_falls_back_to_defaults_and_says_what_it_ignored() -> None:
    ss = new_session(
        {"country": "RUS", "indicator": "<script>", "routes": "maybe", "as_of": "yesterday"}
    )
    assert ss["atlas_view"] == View(None, DEFAULT, True)
    assert "as_of" not in ss
    notices = vs.notices(ss)
    assert len(notices) == 4
    assert notices[0].startswith("Ignored country='RUS' from the link")
    assert notices[1].startswith("Ignored indicator='?script?' from the link")
    assert notices[2].startswith("Ignored routes='maybe' from the link")
    assert notices[3] == "Ignored as_of from the link: give a day as YYYY-MM-DD."


def test_an_unknown_route_is_ignored_with_a_notice() -> None:
    ss = new_session({"route": "no-such-route"})
    assert ss["atlas_view"].selection is None
    assert vs.notices(ss) == ["Ignored route='no-such-route' from the link: no route has that id."]


def test_repeated_parameters_count_by_their_last_value() -> None:
    ss = new_session({"as_of": ["yesterday", "2023-05-06"]})
    assert ss["as_of"] == dt.date(2023, 5, 6)
    assert vs.notices(ss) == []


def test_the_link_only_counts_for_a_new_session() -> None:
    view = View(Selection("route", "cpc-pipeline"), OTHER, False)
    ss: dict[str, Any] = {"atlas_view": view, "atlas_notices": ["earlier"]}
    vs.start(
        ss, {"country": "KAZ", "as_of": "2022-01-01", "routes": "1"}, INDICATORS, KNOWN, DEFAULT
    )
    assert ss == {"atlas_view": view, "atlas_notices": ["earlier"]}


def test_the_timeline_pages_day_wins_over_the_links() -> None:
    ss: dict[str, Any] = {"as_of": dt.date(2024, 2, 3)}
    vs.start(ss, {"as_of": "2022-01-01", "country": "TKM"}, INDICATORS, KNOWN, DEFAULT)
    assert ss["as_of"] == dt.date(2024, 2, 3)
    assert ss["atlas_view"].selection == Selection("country", "TKM")


# --- the other pages' day and signals ---------------------------------------------------


def test_day_and_signals_from_the_session() -> None:
    assert vs.as_of({}) is None and vs.signals({}, SIGNALS) is None
    assert vs.as_of({"as_of": dt.datetime(2022, 3, 4, 5, 6)}) == dt.date(2022, 3, 4)
    assert vs.as_of({"as_of": "not a day"}) is None
    chosen = {"signals": ["eu_engagement", "junk", "rebuked_kremlin"]}
    assert vs.signals(chosen, SIGNALS) == ("eu_engagement", "rebuked_kremlin")
    assert vs.signals({"signals": []}, SIGNALS) == ()


def test_the_caption_says_which_other_page_the_map_follows() -> None:
    # the day has its own slider on the map page now; only the Compare page's choice is noted
    assert vs.context_caption(None, None) is None
    assert vs.context_caption(dt.date(2022, 3, 4), None) is None
    assert vs.context_caption(None, ("eu_engagement",)) == (
        "The signal counts use the signals chosen on the Compare page."
    )


def test_the_day_slider_follows_the_session_and_sets_it() -> None:
    ss = new_session({})
    lo, hi = vs.day_range(dt.date(2015, 1, 1), dt.date(2026, 12, 1))
    assert (lo, hi) == (dt.date(2021, 1, 1), dt.date(2026, 12, 1))
    vs.sync_widgets(ss, (lo, hi))
    assert ss["w_as_of"] == hi  # no day chosen: today
    ss["as_of"] = dt.date(2019, 5, 5)  # before the slider's start: shown at its start
    vs.sync_widgets(ss, (lo, hi))
    assert ss["w_as_of"] == lo
    cb = vs.Callbacks(ss, KNOWN)
    ss["w_as_of"] = dt.date(2023, 3, 1)
    cb.on_day()
    assert vs.as_of(ss) == dt.date(2023, 3, 1)
    assert vs.url_update(ss, {})["as_of"] == "2023-03-01"  # and the link carries it
    ss["w_as_of"] = hi  # the last day is "today": no day in the session or the link
    cb.on_day()
    assert vs.as_of(ss) is None and "as_of" not in (vs.url_update(ss, {}) or {})
    ss["as_of"] = dt.date(2023, 3, 1)
    cb.today()
    assert vs.as_of(ss) is None


# --- callbacks: clicks and widgets move the view ----------------------------------------


def test_a_map_click_on_a_known_feature_selects_it_and_drops_the_notices() -> None:
    ss = new_session({"country": "RUS"})
    assert vs.notices(ss)
    ss["atlas_map"] = clicked("route", "cpc-pipeline")
    vs.Callbacks(ss, KNOWN).on_map()
    assert ss["atlas_view"].selection == Selection("route", "cpc-pipeline")
    assert ss["atlas_notices"] == []
    ss["atlas_map"] = clicked("country", "KGZ")
    vs.Callbacks(ss, KNOWN).on_map()
    assert ss["atlas_view"] == View(Selection("country", "KGZ"), DEFAULT, True)


def test_a_map_click_on_anything_else_changes_nothing() -> None:
    ss = new_session({"country": "KAZ", "indicator": "nope"})
    before = (ss["atlas_view"], list(ss["atlas_notices"]))
    cb = vs.Callbacks(ss, KNOWN)
    for value in (
        None,
        {},
        clicked("country", "RUS"),
        clicked("route", "unknown-route"),
        clicked("neighbour", "CHN"),
        {"last_active_drawing": "junk"},
    ):
        ss["atlas_map"] = value
        cb.on_map()
        assert (ss["atlas_view"], ss["atlas_notices"]) == before
    del ss["atlas_map"]
    cb.on_map()
    assert (ss["atlas_view"], ss["atlas_notices"]) == before


def test_the_country_box_selects_and_clears() -> None:
    ss = new_session({"route": "cpc-pipeline", "routes": "0"})
    cb = vs.Callbacks(ss, KNOWN)
    ss["w_country"] = "TJK"
    cb.on_country()
    assert ss["atlas_view"] == View(Selection("country", "TJK"), DEFAULT, False)
    ss["w_country"] = None
    cb.on_country()
    assert ss["atlas_view"].selection is None


def test_the_route_or_event_box_selects_and_clears() -> None:
    ss = new_session({})
    cb = vs.Callbacks(ss, KNOWN)
    ss["w_line"] = "event:astana-summit-2022"
    cb.on_line()
    assert ss["atlas_view"].selection == Selection("event", "astana-summit-2022")
    ss["w_line"] = "route:cpc-pipeline"
    cb.on_line()
    assert ss["atlas_view"].selection == Selection("route", "cpc-pipeline")
    ss["w_line"] = None
    cb.on_line()
    assert ss["atlas_view"].selection is None


def test_clear_drops_the_selection_and_the_notices() -> None:
    ss = new_session({"country": "KAZ", "routes": "nope"})
    assert ss["atlas_notices"]
    vs.Callbacks(ss, KNOWN).clear()
    assert ss["atlas_view"] == View(None, DEFAULT, True)
    assert ss["atlas_notices"] == []


def test_indicator_and_routes_widgets_change_the_view_and_keep_the_selection() -> None:
    ss = new_session({"country": "KAZ", "indicator": "nope"})
    ss["w_indicator"], ss["w_routes"] = OTHER, False
    vs.Callbacks(ss, KNOWN).on_view()
    assert ss["atlas_view"] == View(Selection("country", "KAZ"), OTHER, False)
    assert ss["atlas_notices"]  # changing the colours is not moving on from the link


# --- widgets from the view, and the view back to the URL --------------------------------


def test_widgets_show_the_canonical_view() -> None:
    ss: dict[str, Any] = {"atlas_view": View(Selection("country", "KGZ"), OTHER, False)}
    ss["w_line"] = "route:cpc-pipeline"  # stale: left from an earlier selection
    assert vs.sync_widgets(ss) == ss["atlas_view"]
    assert (ss["w_indicator"], ss["w_routes"]) == (OTHER, False)
    assert (ss["w_country"], ss["w_line"]) == ("KGZ", None)
    ss["atlas_view"] = View(Selection("event", "astana-summit-2022"), OTHER, True)
    vs.sync_widgets(ss)
    assert (ss["w_country"], ss["w_line"]) == (None, "event:astana-summit-2022")
    ss["atlas_view"] = View(None, DEFAULT, True)
    vs.sync_widgets(ss)
    assert (ss["w_country"], ss["w_line"], ss["w_routes"]) == (None, None, True)


def test_a_click_moves_the_select_boxes_and_nothing_else() -> None:
    """The map page's fragment syncs only the select boxes: a click moves nothing else, and
    the controls above it (not rerun) keep the keys the full run gave them."""
    ss: dict[str, Any] = {"atlas_view": View(Selection("country", "KGZ"), OTHER, False)}
    ss["w_indicator"], ss["w_routes"] = "left-from-the-full-run", True
    assert vs.sync_selection(ss) == ss["atlas_view"]
    assert (ss["w_country"], ss["w_line"]) == ("KGZ", None)
    assert (ss["w_indicator"], ss["w_routes"]) == ("left-from-the-full-run", True)


def test_the_share_button_asks_once() -> None:
    ss = new_session({})
    assert not vs.share_asked(ss)
    vs.Callbacks(ss, KNOWN).share()
    assert vs.share_asked(ss)
    assert not vs.share_asked(ss)  # the dialog, once open, stays open by itself


def test_the_url_follows_the_view_and_the_day() -> None:
    ss = new_session({})
    assert vs.url_update(ss, {}) == {"indicator": DEFAULT, "routes": "1"}
    ss["w_line"] = "route:cpc-pipeline"
    vs.Callbacks(ss, KNOWN).on_line()
    ss["as_of"] = dt.date(2022, 9, 30)
    want = {
        "route": "cpc-pipeline",
        "indicator": DEFAULT,
        "routes": "1",
        "as_of": "2022-09-30",
    }
    assert vs.url_update(ss, {"indicator": DEFAULT, "routes": "1"}) == want
    assert vs.url_update(ss, want) is None  # already there: nothing to write


def test_the_url_drops_what_the_link_asked_for_and_did_not_get() -> None:
    params = {"country": "RUS", "route": "no-such-route", "indicator": "x", "as_of": "soon"}
    ss = new_session(params)
    assert vs.url_update(ss, params) == {"indicator": DEFAULT, "routes": "1"}


def test_a_canonical_link_round_trips_unchanged() -> None:
    params = {
        "event": "astana-summit-2022",
        "indicator": OTHER,
        "routes": "0",
        "as_of": "2023-01-02",
    }
    ss = new_session(params)
    assert vs.url_update(ss, params) is None


def test_choices_list_the_datasets_countries_routes_and_events(tmp_path: Path) -> None:
    data, seeds = datasets.write(tmp_path, datasets.docs())
    ds = store.load(data, seeds)
    assert not ds.problems
    opts = vs.choices(ds)
    assert set(opts.names) == set(FIVE)
    assert opts.lines == {
        "route:test-pipeline": "Route: Test pipeline",
        "event:test-meeting": "Event: Test meeting",
    }
    assert opts.known == {
        "country": set(FIVE),
        "route": {"test-pipeline"},
        "event": {"test-meeting"},
    }
    ss = new_session({})
    ss["atlas_map"] = clicked("event", "test-meeting")
    vs.Callbacks(ss, opts.known).on_map()
    assert ss["atlas_view"].selection == Selection("event", "test-meeting")


def test_one_view_from_the_session_and_the_links_signals() -> None:
    ss: dict[str, Any] = {}
    params = {"country": "KAZ", "as_of": "2022-06-30", "signals": "eu_engagement"}
    vs.start(ss, params, INDICATORS, KNOWN, DEFAULT, SIGNALS)
    view = vs.view(ss, SIGNALS)
    assert view == View(
        Selection("country", "KAZ"), DEFAULT, True, dt.date(2022, 6, 30), ("eu_engagement",)
    )
    vs.set_signals(ss, None)
    vs.set_as_of(ss, None)
    assert vs.view(ss, SIGNALS) == View(Selection("country", "KAZ"), DEFAULT, True)


def test_other_pages_keep_their_own_parameters_and_carry_the_day_and_signals() -> None:
    ss = new_session({})
    vs.set_as_of(ss, dt.date(2023, 1, 2))
    vs.set_signals(ss, ["rebuked_kremlin"])
    want = vs.shared_url_update(ss, {"fact": "x", "as_of": "2020-01-01"}, SIGNALS)
    assert want == {"fact": "x", "as_of": "2023-01-02", "signals": "rebuked_kremlin"}
    vs.set_as_of(ss, None)
    vs.set_signals(ss, None)
    assert vs.shared_url_update(ss, {"fact": "x"}, SIGNALS) is None  # nothing to change
    assert vs.shared_url_update(ss, {"fact": "x", "as_of": "2020-01-01"}, SIGNALS) == {"fact": "x"}
