"""A small, self-contained dataset (five tiny countries, three sources, one seed text).

Tests build it with `docs()`, change what they want to break, and write it with `write()`.
Nothing here depends on the shipped data, which other people are filling in meanwhile.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

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


def _square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict[str, Any]:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


def seed_fact(fid: str, excerpt: str, *, category: str, date: str, **extra: Any) -> dict[str, Any]:
    """A fact quoting the seed text, with the offsets of its excerpt."""
    start = SEED_TEXT.index(excerpt)
    return {
        "id": fid,
        "category": category,
        "date": date,
        "date_precision": "day",
        "summary": f"Summary of {fid}.",
        "source": "seed-report",
        "excerpt": excerpt,
        "start": start,
        "end": start + len(excerpt),
        **extra,
    }


# iso3 -> (iso_n3, name, shape corners, capital lon/lat)
_COUNTRIES: dict[str, tuple[str, str, tuple[float, float, float, float], tuple[float, float]]] = {
    "KAZ": ("398", "Kazakhstan", (60, 45, 70, 50), (65, 47.5)),
    "UZB": ("860", "Uzbekistan", (60, 40, 65, 44), (62, 42)),
    "KGZ": ("417", "Kyrgyzstan", (72, 40, 76, 43), (74, 41.5)),
    "TJK": ("762", "Tajikistan", (68, 37, 71, 40), (69.5, 38.5)),
    "TKM": ("795", "Turkmenistan", (55, 36, 59, 41), (57, 38)),
}


def _country(iso3: str) -> dict[str, Any]:
    iso_n3, name, corners, (lon, lat) = _COUNTRIES[iso3]
    props = {
        "iso3": iso3,
        "iso_n3": iso_n3,
        "name": name,
        "capital": {"name": f"Capital of {name}", "lat": lat, "lon": lon, "source": "ref-geo"},
        "indicators": {},
        "facts": [],
    }
    return {"type": "Feature", "properties": props, "geometry": _square(*corners)}


def _collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def docs() -> dict[str, Any]:
    """The whole synthetic dataset as plain data: {file name: parsed content}."""
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
DATA_FILES = (
    "countries.geojson",
    "region.geojson",
    "routes.geojson",
    "events.geojson",
    "indicators.yaml",
)
# A frozen copy of the indicator catalogue (the shipped one grows meanwhile).
CATALOGUE_FILE = Path(__file__).with_name("catalogue_fixture.yaml")


def catalogue_signals() -> list[str]:
    """Every signal id of the catalogue fixture."""
    return [s["id"] for s in catalogue()["signals"]]


def catalogue() -> dict[str, Any]:
    """The catalogue as plain data (a fresh copy each call)."""
    doc: dict[str, Any] = yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8"))
    return doc


def write(root: Path, d: dict[str, Any]) -> tuple[Path, Path]:
    """Write `d` (from `docs()`) under root/data and root/seeds; return both directories.

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
            path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
        else:
            path.write_text(json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8")
    return data, seeds


def props(d: dict[str, Any], file: str, name: str) -> dict[str, Any]:
    """The properties of the feature called `name` (iso3 or id) in `file`."""
    for feat in d[file]["features"]:
        p: dict[str, Any] = feat["properties"]
        if name in (p.get("iso3"), p.get("id")):
            return p
    raise KeyError(name)


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
