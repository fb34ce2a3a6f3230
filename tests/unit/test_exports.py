"""Exports: one CSV row per fact with its full citation; citation files; GeoJSON as shipped."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd

from central_asia_atlas import dataset, exports
from tests.support import datasets
from tests.support.shipped import shipped


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_csv_has_one_row_per_fact_with_the_full_citation(ds: dataset.Dataset) -> None:
    rows = read_csv(exports.facts_csv(ds))
    assert len(rows) == ds.counts()["facts"] == 7
    assert len({r["id"] for r in rows}) == len(rows)
    assert list(rows[0]) == list(exports.FACT_COLUMNS)
    aid = next(r for r in rows if r["id"] == "uzb-aid")
    assert aid["source_title"] == "A synthetic report"
    assert aid["outlet"] == "Test Outlet" and aid["author"] == "A. Writer"
    assert aid["published"] == "2023-06-09" and aid["url"] == "https://example.org/doc"
    assert aid["excerpt"] == datasets.AID
    text = ds.texts["doc"]
    assert text[int(aid["start"]) : int(aid["end"])] == aid["excerpt"]
    assert aid["signals"] == "humanitarian_aid_ukraine"
    ref = next(r for r in rows if r["id"] == "kaz-epca")
    assert ref["excerpt"] == "" and ref["start"] == "" and ref["note"] == "Reference says so."
    summit = next(r for r in rows if r["id"] == "region-summit")
    assert summit["countries"] == "KAZ; KGZ; TJK; TKM; UZB"
    assert summit["stored_in"] == "region:central-asia"
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)


def test_filters_narrow_the_facts_table(ds: dataset.Dataset) -> None:
    frame = exports.facts_frame(ds)
    assert len(exports.filter_facts(frame)) == 7
    uzb = exports.filter_facts(frame, countries=["UZB"])
    assert set(uzb["id"]) == {"uzb-aid", "region-summit", "event-summit"}
    assert set(exports.filter_facts(frame, categories=["aid"])["id"]) == {"uzb-aid"}
    assert set(exports.filter_facts(frame, text="REFUSED")["id"]) == {"kaz-refused"}
    both = exports.filter_facts(frame, countries=["KAZ"], categories=["stance"])
    assert set(both["id"]) == {"kaz-rebuke", "kaz-refused"}


def test_passage_links_only_for_quoted_facts(ds: dataset.Dataset) -> None:
    frame = exports.with_passage_links(exports.facts_frame(ds)).set_index("id")
    assert frame.loc["uzb-aid", "passage"] == "sources?fact=uzb-aid"
    assert pd.isna(frame.loc["kaz-epca", "passage"])


def test_csl_json_is_valid_and_complete(ds: dataset.Dataset) -> None:
    items = json.loads(exports.sources_csl_json(ds))
    by_id = {i["id"]: i for i in items}
    assert set(by_id) == set(ds.sources)
    doc = by_id["doc"]
    assert doc["type"] == "article-newspaper" and doc["container-title"] == "Test Outlet"
    assert doc["author"] == [{"literal": "A. Writer"}]
    assert doc["issued"] == {"date-parts": [[2023, 6, 9]]}
    assert doc["URL"] == "https://example.org/doc"
    assert "CC BY 4.0" in by_id["ref"]["note"]
    assert "issued" not in by_id["ref"]


def test_bibtex_escapes_special_characters(ds: dataset.Dataset) -> None:
    bib = exports.sources_bibtex(ds)
    assert bib.count("@") == len(ds.sources)
    assert "@article{doc," in bib and "@misc{ref," in bib
    assert r"A reference \{with\} braces \& 100\% sure" in bib
    assert bib.count("{") - bib.count(r"\{") == bib.count("}") - bib.count(r"\}")


def test_routes_and_events_tables(ds: dataset.Dataset) -> None:
    routes = exports.routes_frame(ds)
    assert list(routes["id"]) == ["test-pipe"]
    assert routes.loc[0, "geometry_quality"] == "schematic"
    events = exports.events_frame(ds)
    assert list(events["id"]) == ["test-summit"]
    assert (events.loc[0, "lon"], events.loc[0, "lat"]) == (51.0, 41.0)


def test_geojson_files_are_the_shipped_bytes_and_parse() -> None:
    files = exports.geojson_files(dataset.DATA_DIR)
    for name in dataset.FILES.values():
        assert files[name] == (dataset.DATA_DIR / name).read_bytes()
        assert json.loads(files[name])["type"] == "FeatureCollection"


def test_shipped_csv_has_one_row_per_shipped_fact() -> None:
    ds = shipped()
    rows = read_csv(exports.facts_csv(ds))
    assert len(rows) == ds.counts()["facts"]
    for row in rows:
        src = ds.sources[row["source"]]
        assert row["source_title"] == src.title and row["outlet"] == src.outlet
        if row["excerpt"]:
            text = ds.texts[row["source"]]
            assert text[int(row["start"]) : int(row["end"])] == row["excerpt"]


def test_routes_and_events_filtered_by_country(ds: dataset.Dataset) -> None:
    assert len(exports.filter_countries(exports.routes_frame(ds), ["KAZ"])) == 1
    assert len(exports.filter_countries(exports.routes_frame(ds), ["UZB"])) == 0
    assert len(exports.filter_countries(exports.events_frame(ds), ["UZB", "TJK"])) == 1
    assert len(exports.filter_countries(exports.events_frame(ds), [])) == 1


def test_the_indicator_values_table_gives_period_statistics_and_sources() -> None:

    ds = shipped()
    frame = exports.values_frame(ds)
    numbers = frame[frame["unit"] != ""]
    assert len(numbers) > 0 and (numbers["period"] != "").all()
    assert (numbers["statistics"] != "").all() and (numbers["urls"] != "").all()
    stored = sum(len(h) for c in ds.countries for h in c.props.indicators.values())
    assert len(frame) == stored  # every stored value, once
    text = exports.values_csv(ds).decode("utf-8")
    assert text.splitlines()[0].startswith("country,indicator,label,value,number,unit,period")
    assert numbers["number"].notna().all()  # numbers stay numbers beside their text
    assert frame["value"].map(type).eq(str).all()  # one type per column (Arrow, the table)
    only = exports.filter_countries(frame, ["TJK"], "country")
    assert set(only["country"]) == {"TJK"}
