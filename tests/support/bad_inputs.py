"""One case per kind of bad input, on the synthetic dataset: what breaks it, which problems the
loader must report (file, feature, fact, field and words of the message), and what it loses.

Used by tests/unit/test_store.py (the loader) and tests/unit/test_cli.py
(`python -m central_asia_atlas validate`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import datasets
from .datasets import fact, feature, props

C = "data/countries.geojson"
R = "data/region.geojson"
RT = "data/routes.geojson"
E = "data/events.geojson"
S = "seeds/sources.yaml"
SEED = f"seeds/{datasets.SEED_FILE}"

SEED_FACTS = {"kaz-rebuke", "uzb-aid", "region-summit", "route-oil", "event-meeting"}
KAZ_FACTS = {"kaz-rebuke", "kaz-un-vote"}


@dataclass(frozen=True)
class Expect:
    """A problem the loader must report; file "<data>" or "<seeds>" stands for that directory."""

    file: str
    feature: str | None
    fact: str | None
    field: str | None
    message: str  # words the message must contain


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Callable[[dict[str, Any]], None]
    expect: tuple[Expect, ...]
    lost_facts: frozenset[str] = frozenset()
    lost_countries: frozenset[str] = frozenset()
    lost_routes: int = 0
    lost_events: int = 0
    lost_sources: frozenset[str] = frozenset()
    after: Callable[[Path, Path], None] | None = None  # runs on the written directories
    extra: dict[str, Any] = field(default_factory=dict)


def _set(path: tuple[str, ...], key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A mutation that sets `key` of the fact or feature properties named by `path`."""

    def run(d: dict[str, Any]) -> None:
        target = fact(d, path[0]) if len(path) == 1 else props(d, *path)
        target[key] = value

    return run


def _del(path: tuple[str, ...], *keys: str) -> Callable[[dict[str, Any]], None]:
    def run(d: dict[str, Any]) -> None:
        target = fact(d, path[0]) if len(path) == 1 else props(d, *path)
        for key in keys:
            del target[key]

    return run


def _geometry(
    file: str, name: str, geom: dict[str, Any] | None
) -> Callable[[dict[str, Any]], None]:
    def run(d: dict[str, Any]) -> None:
        feature(d, file, name)["geometry"] = geom

    return run


def _malformed_json(d: dict[str, Any]) -> None:
    # line 3: a comma is missing after "Feature"
    d["routes.geojson"] = (
        '{"type": "FeatureCollection",\n "features": [\n'
        '  {"type": "Feature" "properties": {}}\n'
        "]}\n"
    )


def _raw(file: str, old: str, new: str) -> Callable[[dict[str, Any]], None]:
    """A mutation of the file's JSON text (for what a parsed document cannot hold)."""

    def run(d: dict[str, Any]) -> None:
        text = json.dumps(d[file], ensure_ascii=False)
        assert text.count(old) == 1, old
        d[file] = text.replace(old, new)

    return run


def _swap(coords: Any) -> Any:
    if isinstance(coords[0], (int, float)):
        return [coords[1], coords[0]]
    return [_swap(c) for c in coords]


def _swapped_kaz(d: dict[str, Any]) -> None:
    geom = feature(d, "countries.geojson", "KAZ")["geometry"]
    geom["coordinates"] = _swap(geom["coordinates"])


def _shift_offsets(d: dict[str, Any]) -> None:
    f = fact(d, "route-oil")
    f["start"] += 1
    f["end"] += 1


def _one_char(d: dict[str, Any]) -> None:
    f = fact(d, "route-oil")
    assert f["excerpt"].endswith(".")
    f["excerpt"] = f["excerpt"][:-1] + "!"


def _reference_excerpt(d: dict[str, Any]) -> None:
    f = fact(d, "region-summit-ref")
    f.update(excerpt="A reference also records the summit.", start=0, end=37)


def _duplicate_fact(d: dict[str, Any]) -> None:
    fact(d, "event-meeting")["id"] = "route-oil"


def _duplicate_fact_same_feature(d: dict[str, Any]) -> None:
    facts = props(d, "countries.geojson", "UZB")["facts"]
    twin = dict(facts[0], summary="A second fact under the same id.")
    facts.append(twin)


def _drop_country(d: dict[str, Any]) -> None:
    feats = d["countries.geojson"]["features"]
    feats[:] = [f for f in feats if f["properties"]["iso3"] != "KGZ"]


def _duplicate_country(d: dict[str, Any]) -> None:
    feats = d["countries.geojson"]["features"]
    feats.append(feature(d, "countries.geojson", "TJK"))


def _duplicate_route(d: dict[str, Any]) -> None:
    feats = d["routes.geojson"]["features"]
    twin = {**feats[0], "properties": {**feats[0]["properties"], "facts": []}}
    feats.append(twin)


def _duplicate_event(d: dict[str, Any]) -> None:
    feats = d["events.geojson"]["features"]
    twin_fact = {**feats[0]["properties"]["facts"][0], "id": "event-meeting-again"}
    feats.append({**feats[0], "properties": {**feats[0]["properties"], "facts": [twin_fact]}})


def _two_regions(d: dict[str, Any]) -> None:
    feats = d["region.geojson"]["features"]
    feats.append({**feats[0], "properties": {"id": "elsewhere", "name": "Elsewhere", "facts": []}})


def _not_utf8(d: dict[str, Any]) -> None:
    d[datasets.SEED_FILE] = datasets.SEED_TEXT.encode("cp1252")


def _bad_yaml(d: dict[str, Any]) -> None:
    d["sources.yaml"] = "sources:\n  - id: seed-report\n    title: [unclosed\n"


def _bad_source_kind(d: dict[str, Any]) -> None:
    src = next(s for s in d["sources.yaml"]["sources"] if s["id"] == "ref-un")
    src["kind"] = "blog"


def _duplicate_source(d: dict[str, Any]) -> None:
    sources = d["sources.yaml"]["sources"]
    sources.append({**sources[1], "title": "Another title under the same id"})


def _missing_seed_file(d: dict[str, Any]) -> None:
    del d[datasets.SEED_FILE]


def _unknown_part_of(d: dict[str, Any]) -> None:
    d["sources.yaml"]["sources"][1]["part_of"] = "no-such-source"


def _no_properties(d: dict[str, Any]) -> None:
    del feature(d, "routes.geojson", "test-pipeline")["properties"]


def _not_a_collection(d: dict[str, Any]) -> None:
    d["events.geojson"] = {"type": "Feature", "properties": {}, "geometry": None}


def _not_a_feature(d: dict[str, Any]) -> None:
    d["routes.geojson"]["features"].append(["not", "a", "feature"])


def _rm(name: str) -> Callable[[Path, Path], None]:
    def run(data: Path, seeds: Path) -> None:
        shutil.rmtree(data if name == "data" else seeds)

    return run


def _source_url(sid: str, url: str, **more: Any) -> Callable[[dict[str, Any]], None]:
    def run(d: dict[str, Any]) -> None:
        src = next(s for s in d["sources.yaml"]["sources"] if s["id"] == sid)
        src["url"] = url
        src.update(more)

    return run


def _value(iso3: str, key: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    """A numeric value on `iso3`'s `key`, backed by its first fact, with `fields` over it."""

    def run(d: dict[str, Any]) -> None:
        country = props(d, "countries.geojson", iso3)
        backing = country["facts"][0]["id"]
        value = {"value": 21.3, "period": "2023", "statistics": "national", "facts": [backing]}
        country.setdefault("indicators", {})[key] = {**value, **fields}

    return run


def _catalogue_languages(d: dict[str, Any]) -> None:
    d["indicators.yaml"]["languages"] = ["ru"]


def _noop(d: dict[str, Any]) -> None:
    pass


ROUTE_OIL_START = datasets.SEED_TEXT.index("A pipeline carries oil")
ROUTE_OIL_END = ROUTE_OIL_START + len("A pipeline carries oil across the steppe.")

CASES: list[Case] = [
    Case(
        "malformed JSON",
        _malformed_json,
        (Expect(RT, None, None, None, "malformed JSON at line 3, column 22"),),
        lost_facts=frozenset({"route-oil"}),
        lost_routes=1,
    ),
    Case(
        "a key given twice in a fact",
        _raw(
            "routes.geojson",
            '"summary": "Summary of route-oil."',
            '"summary": "An earlier summary.", "summary": "Summary of route-oil."',
        ),
        (Expect(RT, None, "route-oil", "summary", "appears twice in one object"),),
    ),
    Case(
        "a key given twice in a feature",
        _raw("countries.geojson", '"iso3": "KAZ"', '"facts": [], "iso3": "KAZ"'),
        (Expect(C, "KAZ", None, "facts", "JSON keeps only the last value"),),
    ),
    Case(
        "countries file malformed: one problem, not five missing countries",
        lambda d: d.update({"countries.geojson": '{"type": "FeatureCollection", "features": [}'}),
        (Expect(C, None, None, None, "malformed JSON at line 1, column 44"),),
        lost_facts=frozenset({"kaz-rebuke", "kaz-un-vote", "uzb-aid"}),
        lost_countries=datasets.ALL_COUNTRIES,
    ),
    Case(
        "wrong geometry type (country)",
        _geometry("countries.geojson", "KGZ", {"type": "Point", "coordinates": [74, 41.5]}),
        (
            Expect(C, "KGZ", None, "geometry", "'Point', expected Polygon or MultiPolygon"),
            Expect(C, "KGZ", None, None, "country KGZ is left out for the problem(s) above"),
        ),
        lost_countries=frozenset({"KGZ"}),
    ),
    Case(
        "wrong geometry type (route)",
        _geometry(
            "routes.geojson",
            "test-pipeline",
            {"type": "Point", "coordinates": [61.0, 46.0]},
        ),
        (Expect(RT, "test-pipeline", None, "geometry", "expected LineString or MultiLineString"),),
        lost_facts=frozenset({"route-oil"}),
        lost_routes=1,
    ),
    Case(
        "geometry out of range",
        _geometry("events.geojson", "test-meeting", {"type": "Point", "coordinates": [65.0, 95.0]}),
        (Expect(E, "test-meeting", None, "geometry", "outside WGS84 lon/lat range"),),
        lost_facts=frozenset({"event-meeting"}),
        lost_events=1,
    ),
    Case(
        "geometry with lon/lat swapped",
        _swapped_kaz,
        (
            Expect(C, "KAZ", None, "geometry", "lies outside the shape"),
            Expect(C, "KAZ", None, None, "country KAZ is left out for the problem(s) above"),
        ),
        lost_facts=frozenset(KAZ_FACTS),
        lost_countries=frozenset({"KAZ"}),
    ),
    Case(
        "self-intersecting polygon",
        _geometry(
            "countries.geojson",
            "TJK",
            {
                "type": "Polygon",
                "coordinates": [[[68, 37], [71, 40], [71, 37], [68, 40], [68, 37]]],
            },
        ),
        (
            Expect(C, "TJK", None, "geometry", "invalid geometry: Self-intersection"),
            Expect(C, "TJK", None, None, "country TJK is left out for the problem(s) above"),
        ),
        lost_countries=frozenset({"TJK"}),
    ),
    Case(
        "region with a geometry",
        _geometry("region.geojson", "central-asia", {"type": "Point", "coordinates": [65, 45]}),
        (Expect(R, "central-asia", None, "geometry", "must be null"),),
        lost_facts=frozenset({"region-summit", "region-summit-ref"}),
    ),
    Case(
        "missing property (feature)",
        _del(("routes.geojson", "test-pipeline"), "operator"),
        (Expect(RT, "test-pipeline", None, "operator", "required field is missing"),),
        lost_facts=frozenset({"route-oil"}),
        lost_routes=1,
    ),
    Case(
        "missing property (fact)",
        _del(("route-oil",), "summary"),
        (Expect(RT, "test-pipeline", "route-oil", "summary", "required field is missing"),),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "unknown extra property (fact)",
        _set(("route-oil",), "colour", "red"),
        (Expect(RT, "test-pipeline", "route-oil", "colour", "unknown field"),),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "unknown extra property (feature)",
        _set(("countries.geojson", "KGZ"), "flag", "red"),
        (Expect(C, "KGZ", None, "flag", "unknown field"),),
    ),
    Case(
        "unknown category",
        _set(("route-oil",), "category", "weather"),
        (Expect(RT, "test-pipeline", "route-oil", "category", "Input should be"),),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "excerpt changed by one character",
        _one_char,
        (Expect(RT, "test-pipeline", "route-oil", "excerpt", "not in the source text"),),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "offsets off by one",
        _shift_offsets,
        (
            Expect(
                RT,
                "test-pipeline",
                "route-oil",
                "excerpt",
                f"does not stand at {ROUTE_OIL_START + 1}-{ROUTE_OIL_END + 1}; "
                f"it stands at {ROUTE_OIL_START}-{ROUTE_OIL_END}",
            ),
        ),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "offsets without an excerpt",
        _del(("route-oil",), "excerpt"),
        (Expect(RT, "test-pipeline", "route-oil", None, "excerpt, start and end go together"),),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "excerpt for a reference source without a file",
        _reference_excerpt,
        (Expect(R, "central-asia", "region-summit-ref", "excerpt", "no stored text"),),
        lost_facts=frozenset({"region-summit-ref"}),
    ),
    Case(
        "seed-source fact without excerpt",
        _del(("route-oil",), "excerpt", "start", "end"),
        (Expect(RT, "test-pipeline", "route-oil", "excerpt", "is a stored document"),),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "unknown source (fact)",
        _set(("route-oil",), "source", "nowhere"),
        (Expect(RT, "test-pipeline", "route-oil", "source", "unknown source 'nowhere'"),),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "unknown source (capital)",
        lambda d: props(d, "countries.geojson", "TJK")["capital"].update(source="nowhere"),
        (Expect(C, "TJK", None, "capital.source", "unknown source 'nowhere'"),),
    ),
    Case(
        "duplicate fact id across two files",
        _duplicate_fact,
        (
            Expect(
                E,
                "test-meeting",
                "route-oil",
                "id",
                "duplicate fact id (also in data/routes.geojson, feature test-pipeline)",
            ),
        ),
        # the first (in routes) is kept; the later one, formerly event-meeting, is left out
        lost_facts=frozenset({"event-meeting"}),
    ),
    Case(
        "duplicate fact id in one feature",
        _duplicate_fact_same_feature,
        (Expect(C, "UZB", "uzb-aid", "id", "duplicate fact id (also in data/countries"),),
    ),
    Case(
        "indicator without facts",
        _set(
            ("countries.geojson", "KAZ"),
            "indicators",
            {
                "un_es11_1": {"value": "abstained", "facts": []},
                "kremlin_rebuke": {"value": "rebuked", "facts": ["kaz-rebuke"]},
            },
        ),
        (Expect(C, "KAZ", None, "indicators.un_es11_1.facts", "at least 1 item"),),
        extra={"indicators": {"KAZ": {"kremlin_rebuke"}}},
    ),
    Case(
        "indicator value not in its classes",
        lambda d: props(d, "countries.geojson", "KAZ")["indicators"]["un_es11_1"].update(
            value="maybe"
        ),
        (Expect(C, "KAZ", None, "indicators.un_es11_1.value", "'maybe' is not one of"),),
        extra={"indicators": {"KAZ": {"kremlin_rebuke"}}},
    ),
    Case(
        "indicator backed by a fact that does not concern the country",
        _set(
            ("countries.geojson", "KGZ"),
            "indicators",
            {"humanitarian_aid": {"value": "sent", "facts": ["uzb-aid"]}},
        ),
        (Expect(C, "KGZ", None, "indicators.humanitarian_aid.facts", "do not concern KGZ"),),
        extra={"indicators": {"KGZ": set()}},
    ),
    Case(
        "indicator backed by an unknown fact",
        _set(
            ("countries.geojson", "KGZ"),
            "indicators",
            {"humanitarian_aid": {"value": "sent", "facts": ["no-such-fact"]}},
        ),
        (Expect(C, "KGZ", None, "indicators.humanitarian_aid.facts", "no such fact"),),
        extra={"indicators": {"KGZ": set()}},
    ),
    Case(
        "unknown indicator key",
        _set(
            ("countries.geojson", "KGZ"),
            "indicators",
            {"popularity": {"value": "high", "facts": ["region-summit"]}},
        ),
        (Expect(C, "KGZ", None, "indicators.popularity", "unknown indicator"),),
        extra={"indicators": {"KGZ": set()}},
    ),
    Case(
        "computed indicator stored",
        _set(
            ("countries.geojson", "KGZ"),
            "indicators",
            {"distance_signals": {"value": "1", "facts": ["region-summit"]}},
        ),
        (Expect(C, "KGZ", None, "indicators.distance_signals", "computed"),),
        extra={"indicators": {"KGZ": set()}},
    ),
    Case(
        "relation to an unknown fact",
        lambda d: fact(d, "region-summit-ref")["relations"][0].update(fact="no-such-fact"),
        (
            Expect(
                R,
                "central-asia",
                "region-summit-ref",
                "relations.0.fact",
                "'no-such-fact', unknown",
            ),
        ),
        extra={"relations": {"region-summit-ref": 0}},
    ),
    Case(
        "relation to a fact that is left out",
        _set(("region-summit",), "source", "nowhere"),
        (
            Expect(R, "central-asia", "region-summit", "source", "unknown source"),
            Expect(R, "central-asia", "region-summit-ref", "relations.0.fact", "left out"),
        ),
        lost_facts=frozenset({"region-summit"}),
        extra={"relations": {"region-summit-ref": 0}},
    ),
    Case(
        "a country missing",
        _drop_country,
        (Expect(C, "KGZ", None, None, "country KGZ is missing"),),
        lost_countries=frozenset({"KGZ"}),
    ),
    Case(
        "a duplicate country",
        _duplicate_country,
        (Expect(C, "TJK", None, "iso3", "duplicate country"),),
    ),
    Case(
        "a duplicate route id",
        _duplicate_route,
        (Expect(RT, "test-pipeline", None, "id", "duplicate route id"),),
    ),
    Case(
        "a duplicate event id",
        _duplicate_event,
        (Expect(E, "test-meeting", None, "id", "duplicate event id"),),
    ),
    Case(
        "two region features",
        _two_regions,
        (Expect(R, None, None, None, "expected one region feature"),),
    ),
    Case(
        "invalid date",
        _set(("route-oil",), "date", "2022-02-30"),
        (Expect(RT, "test-pipeline", "route-oil", "date", "day value is outside expected range"),),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "end_date before date on an event",
        _set(("events.geojson", "test-meeting"), "end_date", "2022-10-26"),
        (Expect(E, "test-meeting", None, "end_date", "end_date is before date"),),
        lost_facts=frozenset({"event-meeting"}),
        lost_events=1,
    ),
    Case(
        "fact id with a line break",
        _set(("route-oil",), "id", "route\noil"),
        (Expect(RT, "test-pipeline", "route\noil", "id", "String should match pattern"),),
        lost_facts=frozenset({"route-oil"}),
    ),
    Case(
        "source file not UTF-8",
        _not_utf8,
        (
            Expect(SEED, None, None, None, "not valid UTF-8 (byte 17)"),
            Expect(C, "KAZ", "kaz-rebuke", "source", "could not be read"),
            Expect(C, "UZB", "uzb-aid", "source", "could not be read"),
            Expect(R, "central-asia", "region-summit", "source", "could not be read"),
            Expect(RT, "test-pipeline", "route-oil", "source", "could not be read"),
            Expect(E, "test-meeting", "event-meeting", "source", "could not be read"),
            Expect(R, "central-asia", "region-summit-ref", "relations.0.fact", "left out"),
            Expect(C, "KAZ", None, "indicators.kremlin_rebuke.facts", "no such fact"),
            Expect(C, "UZB", None, "indicators.humanitarian_aid.facts", "no such fact"),
        ),
        lost_facts=frozenset(SEED_FACTS),
    ),
    Case(
        "sources.yaml malformed",
        _bad_yaml,
        (Expect(S, None, None, None, "not valid YAML"),),
        lost_facts=datasets.ALL_FACTS,
        lost_sources=datasets.ALL_SOURCES,
        extra={"exact": False},
    ),
    Case(
        "a source with an unknown kind",
        _bad_source_kind,
        (
            Expect(S, "source ref-un", None, "kind", "Input should be"),
            Expect(C, "KAZ", "kaz-un-vote", "source", "unknown source 'ref-un'"),
            Expect(R, "central-asia", "region-summit-ref", "source", "unknown source 'ref-un'"),
            Expect(C, "KAZ", None, "indicators.un_es11_1.facts", "no such fact"),
        ),
        lost_facts=frozenset({"kaz-un-vote", "region-summit-ref"}),
        lost_sources=frozenset({"ref-un"}),
    ),
    Case(
        "a duplicate source id",
        _duplicate_source,
        (Expect(S, "source ref-un", None, "id", "duplicate source id"),),
    ),
    Case(
        "a source file missing from seeds/",
        _missing_seed_file,
        (
            Expect(SEED, None, None, None, "file not found"),
            Expect(C, "KAZ", "kaz-rebuke", "source", "could not be read"),
            Expect(C, "UZB", "uzb-aid", "source", "could not be read"),
            Expect(R, "central-asia", "region-summit", "source", "could not be read"),
            Expect(RT, "test-pipeline", "route-oil", "source", "could not be read"),
            Expect(E, "test-meeting", "event-meeting", "source", "could not be read"),
            Expect(R, "central-asia", "region-summit-ref", "relations.0.fact", "left out"),
            Expect(C, "KAZ", None, "indicators.kremlin_rebuke.facts", "no such fact"),
            Expect(C, "UZB", None, "indicators.humanitarian_aid.facts", "no such fact"),
        ),
        lost_facts=frozenset(SEED_FACTS),
    ),
    Case(
        "part_of names an unknown source",
        _unknown_part_of,
        (Expect(S, "source ref-un", None, "part_of", "unknown source 'no-such-source'"),),
    ),
    Case(
        "a feature without properties",
        _no_properties,
        (Expect(RT, "#0", None, "properties", "properties must be an object"),),
        lost_facts=frozenset({"route-oil"}),
        lost_routes=1,
    ),
    Case(
        "a file that is not a FeatureCollection",
        _not_a_collection,
        (Expect(E, None, None, None, "expected a GeoJSON FeatureCollection"),),
        lost_facts=frozenset({"event-meeting"}),
        lost_events=1,
    ),
    Case(
        "an item of features that is not a Feature",
        _not_a_feature,
        (Expect(RT, "#1", None, None, "not a GeoJSON Feature"),),
    ),
    Case(
        "a country without geometry",
        _geometry("countries.geojson", "TKM", None),
        (
            Expect(C, "TKM", None, "geometry", "geometry is missing"),
            Expect(C, "TKM", None, None, "country TKM is left out for the problem(s) above"),
        ),
        lost_countries=frozenset({"TKM"}),
    ),
    Case(
        "seeds directory missing",
        _noop,
        (Expect("<seeds>", None, None, None, "seeds directory not found"),),
        lost_facts=datasets.ALL_FACTS,
        lost_sources=datasets.ALL_SOURCES,
        after=_rm("seeds"),
        extra={"exact": False},
    ),
    Case(
        "data directory missing",
        _noop,
        (Expect("<data>", None, None, None, "data directory not found"),),
        lost_facts=datasets.ALL_FACTS,
        lost_countries=datasets.ALL_COUNTRIES,
        lost_routes=1,
        lost_events=1,
        after=_rm("data"),
    ),
    Case(
        "a fact without its date precision",
        _del(("kaz-un-vote",), "date_precision"),
        (
            Expect(C, "KAZ", "kaz-un-vote", "date_precision", "required field is missing"),
            Expect(C, "KAZ", None, "indicators.un_es11_1.facts", "no such fact(s): kaz-un-vote"),
        ),
        lost_facts=frozenset({"kaz-un-vote"}),
        extra={"indicators": {"KAZ": {"kremlin_rebuke"}}},
    ),
    Case(
        "a date known to the month not written as its first day",
        _set(("kaz-un-vote",), "date_precision", "month"),
        (
            Expect(C, "KAZ", "kaz-un-vote", "date_precision", "written as the month's first day"),
            Expect(C, "KAZ", None, "indicators.un_es11_1.facts", "no such fact(s): kaz-un-vote"),
        ),
        lost_facts=frozenset({"kaz-un-vote"}),
        extra={"indicators": {"KAZ": {"kremlin_rebuke"}}},
    ),
    Case(
        "a staging host",
        _source_url("ref-un", "https://staging.example.org/votes"),
        (Expect(S, "source ref-un", None, "url", "'staging' host, not the publisher's"),),
    ),
    Case(
        "a host with a trailing dot",
        _source_url("ref-un", "https://example.org./votes"),
        (Expect(S, "source ref-un", None, "url", "ends in a dot"),),
    ),
    Case(
        "a newsroom's name on another site",
        _source_url("ref-un", "https://www.reuters.com.example.net/votes"),
        (Expect(S, "source ref-un", None, "url", "puts the name 'reuters' on another site"),),
    ),
    Case(
        "a repost without via",
        _source_url("ref-un", "https://menafn.com/1107682129/Votes"),
        (Expect(S, "source ref-un", None, "url", "republishes other outlets' stories"),),
    ),
    Case(
        "a computed value that does not say how",
        _value("KAZ", "trade_share_eu", computed=True),
        (
            Expect(
                C,
                "KAZ",
                None,
                "indicators.trade_share_eu",
                "a computed value says in its note how it was computed",
            ),
        ),
    ),
    Case(
        "a text without its translation in a language the catalogue requires",
        _catalogue_languages,
        (Expect(C, "KAZ", None, "i18n.ru.name", "no Russian (ru) text for name"),),
        extra={"exact": False},
    ),
    Case(
        "a translation of a text that is not there",
        _set(("kaz-un-vote",), "i18n", {"ru": {"date_note": "Пояснение без английского."}}),
        (
            Expect(
                C, "KAZ", "kaz-un-vote", "i18n.ru.date_note", "which has no English text: remove"
            ),
        ),
    ),
]


def build(root: Path, case: Case) -> tuple[Path, Path]:
    """Write the synthetic dataset under `root`, broken as `case` says."""
    d = datasets.docs()
    case.mutate(d)
    data, seeds = datasets.write(root, d)
    if case.after is not None:
        case.after(data, seeds)
    return data, seeds


def expected_file(e: Expect, data: Path, seeds: Path) -> str:
    return {"<data>": str(data), "<seeds>": str(seeds)}.get(e.file, e.file)
