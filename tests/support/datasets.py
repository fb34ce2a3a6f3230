"""The one synthetic dataset builder. Nothing here depends on the shipped facts, which other
people fill in meanwhile; the catalogue is a frozen copy of the shipped one
(`catalogue_fixture.yaml`). Three variants:

- the minimal dataset, as files: `docs()` gives it as plain data ({file name: parsed content}:
  five square countries, three sources, one seed text with \\r\\n and non-ASCII characters);
  a test changes what it wants to break and writes it with `write()` (or `load()` it);
- the document-rich dataset, as files: `documents()` (one source document with HTML-like text,
  page furniture and a teaser printed on the same page; the capitals named "<Country> City"),
  for the reader, exports, timeline, compare, summary and page tests; `load_documents()`;
- the in-memory sample: `sample(text)`, models built directly with `text` (e.g. `HOSTILE`) in
  every field, on the shipped country shapes and catalogue, for the map, selection, panel and
  publish tests.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from shapely.geometry import LineString, Point

from central_asia_atlas import store
from central_asia_atlas.dataset import Dataset, Feature
from central_asia_atlas.model import (
    Capital,
    CountryProps,
    EventProps,
    Fact,
    RegionProps,
    RouteProps,
    Source,
)

from .shipped import shipped

# --- what the file-based variants share ---------------------------------------------------

NAMES = {
    "KAZ": "Kazakhstan",
    "UZB": "Uzbekistan",
    "KGZ": "Kyrgyzstan",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
}
DATA_FILES = (
    "countries.geojson",
    "region.geojson",
    "routes.geojson",
    "events.geojson",
    "indicators.yaml",
)
# A frozen copy of the indicator catalogue (the shipped one grows meanwhile).
CATALOGUE_FILE = Path(__file__).with_name("catalogue_fixture.yaml")


# libyaml's loader and dumper when PyYAML has them: the same documents as the pure-Python
# SafeLoader/SafeDumper, ten times faster (the catalogue is read and written for every dataset).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@cache
def _catalogue() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.load(CATALOGUE_FILE.read_text(encoding="utf-8"), Loader=_LOADER)
    return doc


def catalogue() -> dict[str, Any]:
    """The catalogue as plain data (a fresh copy each call)."""
    return copy.deepcopy(_catalogue())


def catalogue_signals() -> list[str]:
    """Every signal id of the catalogue fixture."""
    return [s["id"] for s in catalogue()["signals"]]


def quote(text: str, excerpt: str) -> dict[str, Any]:
    """The excerpt with its character offsets in `text` (its first occurrence)."""
    start = text.index(excerpt)
    return {"excerpt": excerpt, "start": start, "end": start + len(excerpt)}


def _square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict[str, Any]:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def _collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def write(root: Path, d: dict[str, Any]) -> tuple[Path, Path]:
    """Write `d` (from `docs()` or `documents()`) under root/data and root/seeds; return both
    directories.

    A value that is `str` or `bytes` is written as is (to write malformed files).
    """
    data, seeds = root / "data", root / "seeds"
    data.mkdir(parents=True, exist_ok=True)
    seeds.mkdir(parents=True, exist_ok=True)
    for name, content in d.items():
        path = (data if name in DATA_FILES else seeds) / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))  # no newline translation
        elif name.endswith(".yaml"):
            text = yaml.dump(content, Dumper=_DUMPER, allow_unicode=True)
            path.write_text(text, encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    return data, seeds


def load(root: Path, d: dict[str, Any] | None = None) -> Dataset:
    """`write` `d` (default: the minimal dataset) under `root` and load it with the real loader;
    its problems, if any, are in the result."""
    return store.load(*write(root, d if d is not None else docs()))


def props(d: dict[str, Any], file: str, name: str) -> dict[str, Any]:
    """The properties of the feature called `name` (iso3 or id) in `file`."""
    p: dict[str, Any] = feature(d, file, name)["properties"]
    return p


def feature(d: dict[str, Any], file: str, name: str) -> dict[str, Any]:
    for feat in d[file]["features"]:
        if name in (feat["properties"].get("iso3"), feat["properties"].get("id")):
            f: dict[str, Any] = feat
            return f
    raise KeyError(name)


def fact(d: dict[str, Any], fid: str) -> dict[str, Any]:
    """The fact `fid`, wherever it is stored."""
    for file in DATA_FILES:
        for feat in d[file]["features"]:
            for f in feat["properties"].get("facts", []):
                if f["id"] == fid:
                    found: dict[str, Any] = f
                    return found
    raise KeyError(fid)


# --- the minimal dataset ----------------------------------------------------------------

SEED_FILE = "report.txt"

# \r\n on purpose (offsets count both characters) and non-ASCII characters before the
# excerpts (offsets count characters, not bytes).
SEED_TEXT = (
    "Synthetic report — for tests only.\r\n"
    "Kazakhstan’s president rebuked the Kremlin in public.\r\n"
    "Uzbekistan sent humanitarian aid to Ukraine.\n"
    "All five met the EU in one summit.\n"
    "A pipeline carries oil across the steppe.\n"
    "The leaders met in a city on the river.\n"
)

SOURCES: list[dict[str, Any]] = [
    {
        "id": "seed-report",
        "title": "Synthetic report",
        "outlet": "Test Outlet",
        "author": "A. Author",
        "published": "2022-10-27",
        "url": "https://example.org/report",
        "kind": "newsroom",
        "file": SEED_FILE,
    },
    {
        "id": "ref-un",
        "title": "Synthetic voting record",
        "outlet": "Test Reference",
        "url": "https://example.org/votes",
        "accessed": "2026-11-30",
        "kind": "international organisation",
    },
    {
        "id": "ref-geo",
        "title": "Synthetic gazetteer",
        "outlet": "Test Gazetteer",
        "kind": "dataset",
        "licence": "CC0",
    },
]


def seed_fact(fid: str, excerpt: str, *, category: str, date: str, **extra: Any) -> dict[str, Any]:
    """A fact quoting the seed text, with the offsets of its excerpt."""
    return {
        "id": fid,
        "category": category,
        "date": date,
        "date_precision": "day",
        "summary": f"Summary of {fid}.",
        "source": "seed-report",
        **quote(SEED_TEXT, excerpt),
        **extra,
    }


# iso3 -> (iso_n3, shape corners, capital lon/lat)
_COUNTRIES: dict[str, tuple[str, tuple[float, float, float, float], tuple[float, float]]] = {
    "KAZ": ("398", (60, 45, 70, 50), (65, 47.5)),
    "UZB": ("860", (60, 40, 65, 44), (62, 42)),
    "KGZ": ("417", (72, 40, 76, 43), (74, 41.5)),
    "TJK": ("762", (68, 37, 71, 40), (69.5, 38.5)),
    "TKM": ("795", (55, 36, 59, 41), (57, 38)),
}


def _country(iso3: str) -> dict[str, Any]:
    iso_n3, corners, (lon, lat) = _COUNTRIES[iso3]
    name = NAMES[iso3]
    props = {
        "iso3": iso3,
        "iso_n3": iso_n3,
        "name": name,
        "capital": {"name": f"Capital of {name}", "lat": lat, "lon": lon, "source": "ref-geo"},
        "indicators": {},
        "facts": [],
    }
    return {"type": "Feature", "properties": props, "geometry": _square(*corners)}


def docs() -> dict[str, Any]:
    """The minimal synthetic dataset as plain data: {file name: parsed content}."""
    countries = [_country(iso3) for iso3 in _COUNTRIES]
    kaz, uzb = countries[0]["properties"], countries[1]["properties"]
    kaz["facts"] = [
        seed_fact(
            "kaz-rebuke",
            "Kazakhstan’s president rebuked the Kremlin in public.",
            category="stance",
            date="2022-06-17",
            countries=["KAZ"],
            signals=["rebuked_kremlin"],
        ),
        {
            "id": "kaz-un-vote",
            "category": "diplomacy",
            "date": "2022-03-02",
            "date_precision": "day",
            "summary": "Kazakhstan abstained on the synthetic resolution.",
            "source": "ref-un",
            "note": "Reference fact: no excerpt.",
            "countries": ["KAZ"],
            "signals": ["un_vote_not_with_russia"],
        },
    ]
    kaz["indicators"] = {
        "un_es11_1": {"value": "abstained", "facts": ["kaz-un-vote"]},
        "kremlin_rebuke": {"value": "rebuked", "facts": ["kaz-rebuke"]},
    }
    uzb["facts"] = [
        seed_fact(
            "uzb-aid",
            "Uzbekistan sent humanitarian aid to Ukraine.",
            category="aid",
            date="2022-03-10",
            countries=["UZB"],
            signals=["humanitarian_aid_ukraine"],
        )
    ]
    uzb["indicators"] = {"humanitarian_aid": {"value": "sent", "facts": ["uzb-aid"]}}
    region = {
        "type": "Feature",
        "properties": {
            "id": "central-asia",
            "name": "Central Asia (all five states)",
            "facts": [
                seed_fact(
                    "region-summit",
                    "All five met the EU in one summit.",
                    category="diplomacy",
                    date="2022-10-27",
                    countries=list(_COUNTRIES),
                    signals=["eu_engagement"],
                ),
                {
                    "id": "region-summit-ref",
                    "category": "diplomacy",
                    "date": "2022-10-27",
                    "date_precision": "day",
                    "summary": "A reference also records the summit.",
                    "source": "ref-un",
                    "countries": list(_COUNTRIES),
                    "relations": [
                        {
                            "kind": "corroborates",
                            "fact": "region-summit",
                            "note": "Same meeting.",
                        }
                    ],
                },
            ],
        },
        "geometry": None,
    }
    route = {
        "type": "Feature",
        "properties": {
            "id": "test-pipeline",
            "name": "Test pipeline",
            "commodity": "oil",
            "transits_russia": False,
            "status": "operating",
            "operator": "Test Operator",
            "countries": ["KAZ"],
            "geometry_quality": "schematic",
            "geometry_sources": ["ref-geo"],
            "attribution": "Synthetic",
            "facts": [
                seed_fact(
                    "route-oil",
                    "A pipeline carries oil across the steppe.",
                    category="energy",
                    date="2022-10-27",
                    countries=["KAZ"],
                )
            ],
        },
        "geometry": {"type": "LineString", "coordinates": [[61.0, 46.0], [69.0, 49.0]]},
    }
    event = {
        "type": "Feature",
        "properties": {
            "id": "test-meeting",
            "name": "Test meeting",
            "date": "2022-10-27",
            "place": "A city on the river",
            "place_source": "ref-geo",
            "countries": ["KAZ"],
            "facts": [
                seed_fact(
                    "event-meeting",
                    "The leaders met in a city on the river.",
                    category="diplomacy",
                    date="2022-10-27",
                    countries=["KAZ"],
                )
            ],
        },
        "geometry": {"type": "Point", "coordinates": [65.0, 47.5]},
    }
    return {
        "countries.geojson": _collection(*countries),
        "region.geojson": _collection(region),
        "routes.geojson": _collection(route),
        "events.geojson": _collection(event),
        "sources.yaml": {"sources": copy.deepcopy(SOURCES)},
        "indicators.yaml": catalogue(),
        SEED_FILE: SEED_TEXT,
    }


ALL_FACTS = frozenset(
    {
        "kaz-rebuke",
        "kaz-un-vote",
        "uzb-aid",
        "region-summit",
        "region-summit-ref",
        "route-oil",
        "event-meeting",
    }
)
ALL_SOURCES = frozenset(s["id"] for s in SOURCES)
ALL_COUNTRIES = frozenset(_COUNTRIES)


# --- the document-rich dataset --------------------------------------------------------------

DOC_FILE = "doc.txt"
# HTML-like text, a heading in markdown, page furniture, a repeated line and a teaser.
DOC_TEXT = (
    "# A <b>synthetic</b> report\n"
    "\n"
    "By [A. Writer](#)\n"
    "\n"
    "Kazakhstan's president rebuked the Kremlin & its claims. He refused to recognise the "
    "republics.\n"
    "\n"
    "Join EUobserver today\n"
    "\n"
    "Uzbekistan sent humanitarian aid to Ukraine. Nobody quotes this sentence.\n"
    "\n"
    "All five met the EU in one summit in Astana.\n"
    "\n"
    "The views expressed in this opinion piece are the author's.\n"
    "\n"
    "Teaser headline about Kyrgyzstan\n"
    "\n"
    "Kyrgyzstan signed a paper <script>alert(1)</script> with the EU.\n"
    "\n"
    "Latest News\n"
    "\n"
    "  1. Something else entirely\n"
)

REBUKE = "Kazakhstan's president rebuked the Kremlin & its claims"
REFUSED = "rebuked the Kremlin & its claims. He refused to recognise the republics."
AID = "Uzbekistan sent humanitarian aid to Ukraine."
SUMMIT = "All five met the EU in one summit in Astana."
TEASER = "Kyrgyzstan signed a paper <script>alert(1)</script> with the EU."

_DOCUMENT_SOURCES: list[dict[str, Any]] = [
    {
        "id": "doc",
        "title": "A synthetic report",
        "outlet": "Test Outlet",
        "author": "A. Writer",
        "published": "2023-06-09",
        "url": "https://example.org/doc",
        "kind": "opinion",
        "file": DOC_FILE,
    },
    {
        "id": "doc-teaser",
        "title": "Teaser headline about Kyrgyzstan",
        "outlet": "Test Outlet",
        "kind": "newsroom",
        "file": DOC_FILE,
        "part_of": "doc",
    },
    {
        "id": "ref",
        "title": "A reference {with} braces & 100% sure",
        "outlet": "Reference Outlet",
        "url": "https://example.org/ref",
        "accessed": "2026-11-30",
        "kind": "think tank",
        "licence": "CC BY 4.0",
        "attribution": "Reference Outlet (CC BY)",
    },
]


def _document_facts() -> dict[str, list[dict[str, Any]]]:
    return {
        "KAZ": [
            {
                "id": "kaz-rebuke",
                "category": "stance",
                "date": "2022-06-17",
                "date_precision": "day",
                "summary": "Kazakhstan's president rebuked the Kremlin <publicly>",
                "source": "doc",
                **quote(DOC_TEXT, REBUKE),
                "signals": ["rebuked_kremlin"],
                "countries": ["KAZ"],
            },
            {
                "id": "kaz-refused",
                "category": "stance",
                "date": "2022-06-17",
                "date_precision": "day",
                "summary": "Kazakhstan refused to recognise the republics",
                "source": "doc",
                **quote(DOC_TEXT, REFUSED),
                "signals": ["refused_recognition"],
                "countries": ["KAZ"],
            },
            {
                "id": "kaz-epca",
                "category": "diplomacy",
                "date": "2020-03-01",
                "date_precision": "day",
                "summary": "The EU-Kazakhstan agreement entered into force",
                "source": "ref",
                "note": "Reference says so.",
            },
        ],
        "UZB": [
            {
                "id": "uzb-aid",
                "category": "aid",
                "date": "2023-06-09",
                "date_precision": "day",
                "summary": "Uzbekistan sent humanitarian aid to Ukraine",
                "source": "doc",
                **quote(DOC_TEXT, AID),
                "signals": ["humanitarian_aid_ukraine"],
                "countries": ["UZB"],
            }
        ],
        "KGZ": [
            {
                "id": "kgz-teaser",
                "category": "diplomacy",
                "date": "2023-06-09",
                "date_precision": "day",
                "summary": "Kyrgyzstan signed a paper with the EU",
                "source": "doc-teaser",
                **quote(DOC_TEXT, TEASER),
            }
        ],
        "TJK": [],
        "TKM": [],
    }


def documents() -> dict[str, Any]:
    """The document-rich synthetic dataset as plain data, for `write()`."""
    facts = _document_facts()
    countries = []
    for i, (iso3, name) in enumerate(NAMES.items()):
        x = 50.0 + 3 * i
        props: dict[str, Any] = {
            "iso3": iso3,
            "iso_n3": f"{100 + i}",
            "name": name,
            "capital": {"name": f"{name} City", "lat": 41.0, "lon": x + 1, "source": "ref"},
            "facts": facts[iso3],
        }
        if iso3 == "KAZ":
            props["indicators"] = {"eu_agreement": {"value": "in force", "facts": ["kaz-epca"]}}
        countries.append(
            {"type": "Feature", "properties": props, "geometry": _square(x, 40.0, x + 2, 42.0)}
        )
    region = {
        "type": "Feature",
        "properties": {
            "id": "central-asia",
            "name": "Central Asia",
            "facts": [
                {
                    "id": "region-summit",
                    "category": "diplomacy",
                    "date": "2022-10-27",
                    "date_precision": "day",
                    "summary": "All five met the EU in one summit",
                    "source": "doc",
                    **quote(DOC_TEXT, SUMMIT),
                    "countries": ["KAZ", "UZB", "KGZ", "TJK", "TKM"],
                    "signals": ["eu_engagement"],
                }
            ],
        },
        "geometry": None,
    }
    route = {
        "type": "Feature",
        "properties": {
            "id": "test-pipe",
            "name": "Test pipeline",
            "commodity": "oil",
            "transits_russia": True,
            "status": "operating",
            "operator": "Test operator",
            "countries": ["KAZ"],
            "geometry_quality": "schematic",
            "geometry_sources": ["ref"],
            "attribution": "Reference Outlet",
        },
        "geometry": {"type": "LineString", "coordinates": [[50.0, 41.0], [60.0, 41.0]]},
    }
    event = {
        "type": "Feature",
        "properties": {
            "id": "test-summit",
            "name": "Test summit",
            "date": "2022-10-27",
            "place": "Astana",
            "place_source": "ref",
            "countries": ["KAZ", "UZB"],
            "facts": [
                {
                    "id": "event-summit",
                    "category": "diplomacy",
                    "date": "2022-10-27",
                    "date_precision": "day",
                    "summary": "A summit took place",
                    "source": "ref",
                    "countries": ["KAZ", "UZB"],
                }
            ],
        },
        "geometry": {"type": "Point", "coordinates": [51.0, 41.0]},
    }
    return {
        "countries.geojson": _collection(*countries),
        "region.geojson": _collection(region),
        "routes.geojson": _collection(route),
        "events.geojson": _collection(event),
        "sources.yaml": {"sources": copy.deepcopy(_DOCUMENT_SOURCES)},
        "indicators.yaml": catalogue(),
        DOC_FILE: DOC_TEXT,
    }


def load_documents(root: Path) -> Dataset:
    """`documents()` written under `root` and loaded; it must load without a problem."""
    ds = load(root, documents())
    assert ds.ok, [str(p) for p in ds.problems]
    return ds


# --- the in-memory sample ---------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script>'


def sample(text: str = "plain", two_routes: bool = True) -> Dataset:
    """Five countries (the shipped shapes), one region fact, routes and co-located events,
    with `text` in every text field; the shipped catalogue."""
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
