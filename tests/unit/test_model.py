"""The data contract: what each model accepts and what it refuses, field by field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from central_asia_atlas.model import (
    Capital,
    Category,
    CountryProps,
    EventProps,
    Fact,
    IndicatorValue,
    RegionProps,
    RouteProps,
    Source,
)

FACT: dict[str, Any] = {
    "id": "kaz-fact",
    "category": "stance",
    "date": "2022-06-17",
    "date_precision": "day",
    "summary": "One line.",
    "source": "seed-report",
    "excerpt": "words",
    "start": 10,
    "end": 15,
    "countries": ["KAZ"],
    "signals": ["rebuked_kremlin"],
}


def _errors(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[str, str]]:
    """(location, error type) of each error, or [] when `data` is valid."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return [(".".join(str(p) for p in e["loc"]), e["type"]) for e in exc.errors()]
    return []


def test_valid_fact() -> None:
    f = Fact.model_validate(FACT)
    assert f.date == dt.date(2022, 6, 17)
    assert f.category is Category.stance
    assert f.relations == [] and f.actors == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"colour": "red"}, [("colour", "extra_forbidden")]),
        ({"category": "weather"}, [("category", "enum")]),
        ({"date": "2022-02-30"}, [("date", "date_from_datetime_parsing")]),
        ({"date": "30/02/2022"}, [("date", "date_from_datetime_parsing")]),
        ({"id": "Has Spaces"}, [("id", "string_pattern_mismatch")]),
        ({"id": "x"}, [("id", "string_pattern_mismatch")]),
        ({"summary": "two\nlines"}, [("summary", "string_pattern_mismatch")]),
        ({"summary": ""}, [("summary", "string_too_short")]),
        ({"summary": "x" * 401}, [("summary", "string_too_long")]),
        ({"countries": ["RUS"]}, [("countries.0", "literal_error")]),
        ({"signals": ["Likes Moscow"]}, [("signals.0", "string_pattern_mismatch")]),
        ({"actors": ["XYZ"]}, [("actors.0", "enum")]),
        ({"start": -1}, [("start", "greater_than_equal")]),
        ({"start": "ten"}, [("start", "int_parsing")]),
        (
            {"relations": [{"kind": "likes", "fact": "a-b", "note": "n"}]},
            [("relations.0.kind", "enum")],
        ),
        (
            {"relations": [{"kind": "corroborates", "fact": "a-b"}]},
            [("relations.0.note", "missing")],
        ),
    ],
    ids=lambda v: str(v)[:40],
)
def test_fact_field_errors(change: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    assert _errors(Fact, {**FACT, **change}) == expected


@pytest.mark.parametrize("missing", ["id", "category", "date", "summary", "source"])
def test_fact_required_fields(missing: str) -> None:
    data = {k: v for k, v in FACT.items() if k != missing}
    assert _errors(Fact, data) == [(missing, "missing")]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"excerpt": None}, "excerpt, start and end go together"),
        ({"end": None}, "excerpt, start and end go together"),
        ({"end": 10}, "end must be greater than start"),
        ({"end": 9}, "end must be greater than start"),
        ({"countries": []}, "a fact with signals must name the countries"),
    ],
)
def test_fact_rules_across_fields(change: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        Fact.model_validate({**FACT, **change})


def test_fact_without_excerpt_is_valid() -> None:
    data = {k: v for k, v in FACT.items() if k not in ("excerpt", "start", "end")}
    assert Fact.model_validate(data).excerpt is None


def test_html_is_text_to_the_model() -> None:
    markup = "<img src=x onerror=alert(1)> &amp; <b>"
    f = Fact.model_validate({**FACT, "summary": markup, "note": markup})
    assert f.summary == markup and f.note == markup


def test_models_are_frozen() -> None:
    f = Fact.model_validate(FACT)
    with pytest.raises(ValidationError):
        f.summary = "changed"  # type: ignore[misc]


def test_source_file_is_a_plain_name_in_seeds() -> None:
    base = {"id": "s-1", "title": "T", "outlet": "O", "kind": "think tank"}
    assert _errors(Source, {**base, "file": "doc_1.txt"}) == []
    for bad in ("../etc/passwd.txt", "sub/doc.txt", "doc.pdf", "/abs.txt"):
        assert _errors(Source, {**base, "file": bad}) == [("file", "string_pattern_mismatch")]
    assert _errors(Source, {**base, "url": "javascript:alert(1)"}) == [
        ("url", "string_pattern_mismatch")
    ]
    assert _errors(Source, {**base, "kind": "blog"}) == [("kind", "enum")]
    assert _errors(Source, {**base, "published": "2022-02-30"}) == [
        ("published", "date_from_datetime_parsing")
    ]
    assert Source.model_validate({**base, "kind": "newsroom"}).kind.value == "newsroom"
    web = {**base, "url": "https://example.org/a"}
    assert _errors(Source, web) == [("", "value_error")]  # a web source says when it was read
    assert _errors(Source, {**web, "accessed": "2026-11-30"}) == []
    assert _errors(
        Source, {**web, "url": "https://ru.news-pravda.com/x", "accessed": "2026-11-30"}
    ) == [("url", "value_error")]


def test_capital_coordinates_in_range() -> None:
    cap = {"name": "C", "lat": 51.2, "lon": 71.4, "source": "geo-x"}
    assert _errors(Capital, cap) == []
    assert _errors(Capital, {**cap, "lat": 91}) == [("lat", "less_than_equal")]
    assert _errors(Capital, {**cap, "lon": -181}) == [("lon", "greater_than_equal")]


def test_indicator_value_needs_facts() -> None:
    assert _errors(IndicatorValue, {"value": "sent", "facts": []}) == [("facts", "too_short")]
    assert _errors(IndicatorValue, {"value": "sent"}) == [("facts", "missing")]
    assert _errors(IndicatorValue, {"value": "sent", "facts": ["a-b"], "since": "2022-13-01"})


def test_country_props() -> None:
    props = {
        "iso3": "KAZ",
        "iso_n3": "398",
        "name": "Kazakhstan",
        "capital": {"name": "Astana", "lat": 51.2, "lon": 71.4, "source": "geo-x"},
    }
    assert _errors(CountryProps, props) == []
    assert _errors(CountryProps, {**props, "iso3": "RUS"}) == [("iso3", "literal_error")]
    assert _errors(CountryProps, {**props, "iso_n3": "39"}) == [
        ("iso_n3", "string_pattern_mismatch")
    ]
    assert _errors(RegionProps, {"id": "central-asia", "name": "C", "extra": 1}) == [
        ("extra", "extra_forbidden")
    ]


def test_route_props() -> None:
    route = {
        "id": "r-1",
        "name": "R",
        "commodity": "oil",
        "transits_russia": True,
        "status": "operating",
        "operator": "O",
        "geometry_quality": "traced",
        "geometry_sources": ["geo-x"],
        "attribution": "A",
    }
    assert _errors(RouteProps, route) == []
    assert _errors(RouteProps, {**route, "commodity": "water"}) == [("commodity", "enum")]
    assert _errors(RouteProps, {**route, "transits_russia": "maybe"}) == [
        ("transits_russia", "bool_parsing")
    ]
    assert _errors(RouteProps, {**route, "geometry_sources": []}) == [
        ("geometry_sources", "too_short")
    ]
    assert _errors(RouteProps, {**route, "length_km": 0}) == [("length_km", "greater_than")]


def test_event_dates_and_facts() -> None:
    event = {
        "id": "e-1",
        "name": "E",
        "date": "2022-10-27",
        "place": "Astana",
        "place_source": "geo-x",
        "facts": [FACT],
    }
    assert _errors(EventProps, event) == []
    assert _errors(EventProps, {**event, "end_date": "2022-10-27"}) == []
    assert _errors(EventProps, {**event, "end_date": "2022-10-26"}) == [("end_date", "value_error")]
    assert _errors(EventProps, {**event, "facts": []}) == [("facts", "too_short")]
    # an invalid date is reported once, at its own field, not again as a wrong order
    assert _errors(EventProps, {**event, "date": "2022-02-30", "end_date": "2022-01-01"}) == [
        ("date", "date_from_datetime_parsing")
    ]
