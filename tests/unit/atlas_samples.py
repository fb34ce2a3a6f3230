"""Small, hand-made datasets for the map, selection and panel tests (no real facts in them).

The shapes are the shipped country outlines (Natural Earth); everything else is a test
placeholder, so a test can put hostile text into any field.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from shapely.geometry import LineString, Point

from central_asia_atlas import store
from central_asia_atlas.model import (
    Capital,
    CountryProps,
    EventProps,
    Fact,
    RegionProps,
    RouteProps,
    Source,
)
from central_asia_atlas.store import Dataset, Feature

HOSTILE = '<script>alert("x")</script>'


@cache
def shipped() -> Dataset:
    return store.load()


INDICATORS = shipped().catalogue.indicators  # the shipped catalogue's indicators
DEFAULT = shipped().catalogue.default_key() or ""
SIGNALS = shipped().catalogue.signals


def sample(text: str = "plain", two_routes: bool = True) -> Dataset:
    """Five countries, one region fact, routes and co-located events; `text` in every field."""
    real = shipped()
    t = text

    def fact(fid: str, day: int, category: str = "energy", **kw: object) -> Fact:
        base: dict[str, object] = {
            "id": fid,
            "category": category,
            "date": dt.date(2023, 1, day),
            "date_precision": "day",
            "summary": f"Summary {fid} {t}",
            "source": "src-news",
            "excerpt": f"Excerpt {fid} {t}",
            "start": 0,
            "end": 10,
            "note": f"Note {t}",
            "date_note": f"Date note {t}",
        }
        base.update(kw)
        return Fact.model_validate(base)

    countries = []
    for c in real.countries:
        iso = c.props.iso3.lower()
        facts = [
            fact(f"{iso}-late", 20, "stance"),
            fact(f"{iso}-early", 2, "stance"),
            fact(f"{iso}-trade", 5, "trade"),
            fact(
                f"{iso}-ref",
                9,
                "economy",
                excerpt=None,
                start=None,
                end=None,
                source="src-ref",
                relations=[{"kind": "disagrees_with", "fact": f"{iso}-trade", "note": f"N {t}"}],
            ),
        ]
        props = CountryProps(
            iso3=c.props.iso3,
            iso_n3=c.props.iso_n3,
            name=f"{c.props.name} {t}",
            capital=Capital(
                name=f"{c.props.capital.name} {t}",
                lat=c.props.capital.lat,
                lon=c.props.capital.lon,
                source="src-ref",
            ),
            facts=facts,
        )
        countries.append(Feature(props, c.geometry))
    region = RegionProps(
        id="central-asia",
        name=f"Central Asia {t}",
        facts=[fact("region-wide", 3, "geopolitics")],
    )
    routes = [
        Feature(
            RouteProps(
                id="pipe-a",
                name=f"Pipe A {t}",
                commodity="oil",
                transits_russia=True,
                status="operating",
                operator=f"Operator {t}",
                capacity=f"Capacity {t}",
                length_km=1500,
                countries=["KAZ"],
                geometry_quality="traced",
                geometry_note=f"Geometry note {t}",
                geometry_sources=["src-ref"],
                attribution=f"Attribution {t}",
                facts=[fact("pipe-a-fact", 7, "energy", countries=["KAZ"])],
            ),
            LineString([(51.0, 47.0), (45.0, 45.0), (37.8, 44.7)]),
        )
    ]
    if two_routes:
        routes.append(
            Feature(
                RouteProps(
                    id="pipe-b",
                    name=f"Pipe B {t}",
                    commodity="gas",
                    transits_russia=False,
                    status="proposed",
                    operator="Operator B",
                    geometry_quality="schematic",
                    geometry_sources=["src-ref"],
                    attribution="Attribution B",
                ),
                LineString([(53.0, 40.0), (49.9, 40.4)]),
            )
        )
    events = [
        Feature(
            EventProps(
                id=f"event-{n}",
                name=f"Event {n} {t}",
                date=dt.date(2022, n, 1),
                place=f"Port {t}",
                place_source="src-ref",
                countries=["KAZ"],
                facts=[fact(f"event-{n}-fact", n, "energy", countries=["KAZ"])],
            ),
            Point(37.6533, 44.6705),  # two events at one place: one marker on the map
        )
        for n in (3, 7)
    ]
    sources = {
        "src-news": Source(
            id="src-news",
            title=f"Title {t}",
            outlet=f"Outlet {t}",
            author=f"Author {t}",
            published=dt.date(2023, 2, 1),
            url="https://example.org/news?a=1&b=2",
            accessed=dt.date(2026, 11, 30),
            kind="newsroom",
        ),
        "src-ref": Source(
            id="src-ref",
            title=f"Reference {t}",
            outlet=f"Ref outlet {t}",
            url="https://example.org/ref",
            accessed=dt.date(2026, 11, 30),
            kind="think tank",
        ),
    }
    return Dataset(
        tuple(countries),
        region,
        tuple(routes),
        tuple(events),
        sources,
        {},
        (),
        real.catalogue,
    )
