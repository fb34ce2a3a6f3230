"""A small synthetic dataset for the reader, exports, timeline, compare and page tests.

`write(tmp)` writes data/ and seeds/ into `tmp` and returns their paths; `load(tmp)` loads
them with the real loader. Nothing depends on the shipped data, which is being filled in.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from central_asia_atlas import dataset, store

DOC_FILE = "doc.txt"
CATALOGUE = Path(__file__).resolve().parent / "unit" / "catalogue_fixture.yaml"
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


def at(excerpt: str) -> dict[str, Any]:
    start = DOC_TEXT.index(excerpt)
    return {"excerpt": excerpt, "start": start, "end": start + len(excerpt)}


REBUKE = "Kazakhstan's president rebuked the Kremlin & its claims"
REFUSED = "rebuked the Kremlin & its claims. He refused to recognise the republics."
AID = "Uzbekistan sent humanitarian aid to Ukraine."
SUMMIT = "All five met the EU in one summit in Astana."
TEASER = "Kyrgyzstan signed a paper <script>alert(1)</script> with the EU."

SOURCES: list[dict[str, Any]] = [
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

FACTS: dict[str, list[dict[str, Any]]] = {
    "KAZ": [
        {
            "id": "kaz-rebuke",
            "category": "stance",
            "date": "2022-06-17",
            "date_precision": "day",
            "summary": "Kazakhstan's president rebuked the Kremlin <publicly>",
            "source": "doc",
            **at(REBUKE),
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
            **at(REFUSED),
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
            **at(AID),
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
            **at(TEASER),
        }
    ],
    "TJK": [],
    "TKM": [],
}
NAMES = {
    "KAZ": "Kazakhstan",
    "UZB": "Uzbekistan",
    "KGZ": "Kyrgyzstan",
    "TJK": "Tajikistan",
    "TKM": "Turkmenistan",
}


def _square(i: int) -> dict[str, Any]:
    x = 50.0 + 3 * i
    ring = [[x, 40.0], [x + 2, 40.0], [x + 2, 42.0], [x, 42.0], [x, 40.0]]
    return {"type": "Polygon", "coordinates": [ring]}


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def write(tmp: Path) -> tuple[Path, Path]:
    data, seeds = tmp / "data", tmp / "seeds"
    data.mkdir(parents=True, exist_ok=True)
    seeds.mkdir(parents=True, exist_ok=True)
    (seeds / DOC_FILE).write_bytes(DOC_TEXT.encode("utf-8"))
    (seeds / "sources.yaml").write_text(yaml.safe_dump({"sources": SOURCES}), encoding="utf-8")
    countries = []
    for i, (iso3, name) in enumerate(NAMES.items()):
        props: dict[str, Any] = {
            "iso3": iso3,
            "iso_n3": f"{100 + i}",
            "name": name,
            "capital": {"name": f"{name} City", "lat": 41.0, "lon": 51.0 + 3 * i, "source": "ref"},
            "facts": FACTS[iso3],
        }
        if iso3 == "KAZ":
            props["indicators"] = {"eu_agreement": {"value": "in force", "facts": ["kaz-epca"]}}
        countries.append({"type": "Feature", "properties": props, "geometry": _square(i)})
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
                    **at(SUMMIT),
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
    docs = {
        "countries.geojson": _collection(countries),
        "region.geojson": _collection([region]),
        "routes.geojson": _collection([route]),
        "events.geojson": _collection([event]),
    }
    for name, doc in docs.items():
        (data / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    shutil.copyfile(CATALOGUE, data / "indicators.yaml")
    return data, seeds


def load(tmp: Path) -> dataset.Dataset:
    data, seeds = write(tmp)
    ds = store.load(data, seeds)
    assert ds.ok, [str(p) for p in ds.problems]
    return ds
