"""Fuzzing the URL's query parameters and st_folium's return value (hypothesis).

Whatever a shared, tampered or truncated link carries, and whatever shape the map component
sends back, the pure functions of selection.py never raise and return only valid values.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from central_asia_atlas.markup import md
from central_asia_atlas.model import FIVE
from central_asia_atlas.selection import (
    KINDS,
    Selection,
    View,
    from_map_event,
    from_query_params,
    to_query_params,
    valid,
)
from tests.support.shipped import INDICATORS

KNOWN = {
    "country": set(FIVE),
    "route": {"cpc-pipeline", "central-asia-china-gas"},
    "event": {"astana-summit-2022"},
}
MD_SPECIAL = set("\\`*_{}[]()<>#+.!|~$:&@")
PARAM_NAMES = ("country", "route", "event", "indicator", "routes")
HOSTILE = (
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
    "javascript:alert(1)",
    "[click](https://evil.example)",
    "kaz",
    " KAZ ",
    "KAZ\n",
    "RUS",
    "cpc-pipeline",
    "CPC-PIPELINE",
    "../../etc/passwd",
    "\x00",
    "\u202e",
    "1" * 10_000,
    "",
    "routes",
)

values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=300),
    st.sampled_from(list(INDICATORS) + list(FIVE) + ["0", "1", "true", "off", "yes", "maybe"]),
)
param_values = st.one_of(values, st.lists(values, max_size=4))
params = st.dictionaries(
    st.one_of(st.sampled_from(PARAM_NAMES), st.text(max_size=20)), param_values, max_size=8
)
known = st.one_of(st.none(), st.just(KNOWN))


def _check_view(view: View, notices: list[str], know: dict[str, set[str]] | None) -> None:
    assert isinstance(view, View)
    if view.selection is not None:
        assert view.selection.kind in KINDS
        assert valid(view.selection, know)
        if view.selection.kind == "country":
            assert view.selection.id in FIVE
    assert view.indicator is None or view.indicator in INDICATORS
    assert isinstance(view.routes, bool)
    for notice in notices:
        assert isinstance(notice, str)
        # a notice quotes the link's value short and on one line
        assert "\n" not in notice and "\r" not in notice
        assert len(notice) < 300


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params, known)
@example({"country": "<img src=x onerror=window.__xss=1>"}, KNOWN)
@example({"country": ["KAZ", "UZB"], "route": "cpc-pipeline"}, KNOWN)
@example({"country": [], "routes": []}, None)
@example({"indicator": "1" * 10_000, "routes": "maybe"}, None)
@example({"event": "astana-summit-2022", "routes": "0"}, KNOWN)
def test_query_params_never_raise_and_give_valid_values(
    p: dict[str, Any], know: dict[str, set[str]] | None
) -> None:
    view, notices = from_query_params(p, INDICATORS, know)
    _check_view(view, notices, know)


@given(
    st.dictionaries(st.sampled_from(PARAM_NAMES), values, max_size=5),
    known,
)
def test_every_value_given_is_used_or_explained(
    p: dict[str, str], know: dict[str, set[str]] | None
) -> None:
    """A value the link carries either shapes the view or earns a notice: none vanishes."""
    view, notices = from_query_params(p, INDICATORS, know)
    used = 0
    for kind in KINDS:
        if p.get(kind, "").strip():
            sel = view.selection
            used += sel is not None and sel.kind == kind
    if p.get("indicator", "").strip():
        used += view.indicator is not None
    if p.get("routes", "").strip():
        used += p["routes"].strip().lower() in ("1", "true", "on", "yes", "0", "false", "off", "no")
    given_ = sum(1 for name in PARAM_NAMES if p.get(name, "").strip())
    assert used + len(notices) == given_


@given(st.sampled_from(FIVE), st.sampled_from(list(INDICATORS)), st.booleans())
def test_a_valid_view_round_trips_through_the_url(iso3: str, indicator: str, routes: bool) -> None:
    view = View(Selection("country", iso3), indicator, routes)
    back, notices = from_query_params(to_query_params(view, "distance_signals"), INDICATORS)
    assert back == view
    assert notices == []


@given(st.sampled_from(FIVE), st.sampled_from(["upper", "lower", "padded"]))
def test_a_country_code_is_read_in_any_case(iso3: str, how: str) -> None:
    raw = {"upper": iso3, "lower": iso3.lower(), "padded": f"  {iso3.lower()} "}[how]
    view, notices = from_query_params({"country": raw}, INDICATORS)
    assert view.selection == Selection("country", iso3)
    assert notices == []


json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(KINDS + FIVE + ("cpc-pipeline", "RUS", "<script>x</script>")),
)
json_like = st.recursive(
    json_leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                ("last_active_drawing", "properties", "kind", "id", "iso3", "geometry", "type")
            )
            | st.text(max_size=10),
            children,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


def _clicked(props: Any) -> dict[str, Any]:
    return {"last_active_drawing": {"type": "Feature", "properties": props, "geometry": None}}


@settings(max_examples=400, deadline=None)
@given(st.one_of(json_like, json_like.map(_clicked)), known)
@example(None, None)
@example(_clicked({"kind": "country", "id": "RUS"}), None)
@example(_clicked({"kind": "route", "id": "<script>x</script>"}), KNOWN)
@example(_clicked({"kind": "country", "id": ["KAZ"]}), KNOWN)
def test_map_events_never_raise_and_give_valid_values(
    value: Any, know: dict[str, set[str]] | None
) -> None:
    sel = from_map_event(value, know)
    assert sel is None or (sel.kind in KINDS and valid(sel, know))


@given(st.sampled_from(FIVE))
def test_a_click_on_a_country_selects_it(iso3: str) -> None:
    assert from_map_event(_clicked({"kind": "country", "id": iso3}), KNOWN) == Selection(
        "country", iso3
    )


@given(st.text(max_size=300) | st.sampled_from(HOSTILE))
def test_markdown_escape_round_trips_and_leaves_no_syntax(text: str) -> None:
    """markup.md: each markdown-significant character comes out backslash-escaped, and
    dropping those backslashes gives back the text (on one line)."""
    out = md(text)
    assert "\n" not in out and "\r" not in out
    unescaped, i = [], 0
    while i < len(out):
        ch = out[i]
        if ch == "\\":
            assert out[i + 1] in MD_SPECIAL, out
            unescaped.append(out[i + 1])
            i += 2
            continue
        assert ch not in MD_SPECIAL, out
        unescaped.append(ch)
        i += 1
    assert "".join(unescaped) == " ".join(text.split())
