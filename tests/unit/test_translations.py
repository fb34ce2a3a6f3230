"""`validate` fails on a missing translation of the data, one located problem per kind of text,
and the curation CLI gives the data's translations (import batch `translations:`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from central_asia_atlas import store
from tests.support.cli import run_cli

Doc = dict[str, Any]


def _props(doc: Doc, name: str) -> Doc:
    return next(
        f["properties"]
        for f in doc["features"]
        if name in (f["properties"].get("iso3"), f["properties"].get("id"))
    )


def _fact(doc: Doc, fid: str) -> Doc:
    return next(
        f for feat in doc["features"] for f in feat["properties"]["facts"] if f["id"] == fid
    )


def _entry(items: list[Doc], ident: str, key: str = "id") -> Doc:
    return next(i for i in items if i.get(key) == ident)


def _values(props: Doc, key: str) -> list[Doc]:
    history = props["indicators"][key]
    return history if isinstance(history, list) else [history]


# (file, what to take away from the parsed file, the problem's feature/entry, fact and field)
Case = tuple[str, Callable[[Doc], None], str, str | None, str]
CASES: dict[str, Case] = {
    "fact summary": (
        "countries.geojson",
        lambda d: _fact(d, "euo-caption-nur-sultan")["i18n"]["ru"].pop("summary"),
        "KAZ",
        "euo-caption-nur-sultan",
        "i18n.ru.summary",
    ),
    "fact's date note": (
        "countries.geojson",
        lambda d: _fact(d, "euo-caption-nur-sultan")["i18n"]["ru"].pop("date_note"),
        "KAZ",
        "euo-caption-nur-sultan",
        "i18n.ru.date_note",
    ),
    "relation note": (
        "countries.geojson",
        lambda d: _fact(d, "euo-caption-nur-sultan")["relations"][1].pop("i18n"),
        "KAZ",
        "euo-caption-nur-sultan",
        "relations.1.i18n.ru.note",
    ),
    "country name": (
        "countries.geojson",
        lambda d: _props(d, "UZB")["i18n"]["ru"].pop("name"),
        "UZB",
        None,
        "i18n.ru.name",
    ),
    "capital name": (
        "countries.geojson",
        lambda d: _props(d, "KGZ")["capital"].pop("i18n"),
        "KGZ",
        None,
        "capital.i18n.ru.name",
    ),
    "indicator value's note": (
        "countries.geojson",
        lambda d: _values(_props(d, "KAZ"), "eu_agreement")[0].pop("i18n"),
        "KAZ",
        None,
        "indicators.eu_agreement.0.i18n.ru.note",
    ),
    "region name": (
        "region.geojson",
        lambda d: d["features"][0]["properties"]["i18n"]["ru"].pop("name"),
        "central-asia",
        None,
        "i18n.ru.name",
    ),
    "route operator": (
        "routes.geojson",
        lambda d: _props(d, "cpc")["i18n"]["ru"].pop("operator"),
        "cpc",
        None,
        "i18n.ru.operator",
    ),
    "event place": (
        "events.geojson",
        lambda d: _props(d, "eu-central-asia-summit-2022")["i18n"]["ru"].pop("place"),
        "eu-central-asia-summit-2022",
        None,
        "i18n.ru.place",
    ),
    "side label": (
        "indicators.yaml",
        lambda d: d["sides"]["towards_eu"].pop("i18n"),
        "side towards_eu",
        None,
        "i18n.ru.label",
    ),
    "signal label": (
        "indicators.yaml",
        lambda d: _entry(d["signals"], "eaeu_member").pop("i18n"),
        "signal eaeu_member",
        None,
        "i18n.ru.label",
    ),
    "statistics label": (
        "indicators.yaml",
        lambda d: _entry(d["statistics"], "national").pop("i18n"),
        "statistics national",
        None,
        "i18n.ru.label",
    ),
    "indicator description": (
        "indicators.yaml",
        lambda d: _entry(d["indicators"], "moscow_balance", "key")["i18n"]["ru"].pop("description"),
        "indicator moscow_balance",
        None,
        "i18n.ru.description",
    ),
    "class label": (
        "indicators.yaml",
        lambda d: _entry(d["indicators"], "eu_agreement", "key")["classes"][0].pop("i18n"),
        "indicator eu_agreement",
        None,
        "classes.0.i18n.ru.label",
    ),
    "chart series label": (
        "indicators.yaml",
        lambda d: d["charts"][0]["series"][0].pop("i18n"),
        None,  # filled from the file below (the chart's id)
        None,
        "series.0.i18n.ru.label",
    ),
}


def _load(path: Path) -> Doc:
    text = path.read_text(encoding="utf-8")
    loaded: Doc = yaml.safe_load(text) if path.suffix == ".yaml" else json.loads(text)
    return loaded


def _dump(path: Path, doc: Doc) -> None:
    if path.suffix == ".yaml":
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    else:
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


@pytest.mark.parametrize("case", list(CASES))
def test_a_missing_translation_is_a_located_problem(
    case: str, data_copy: tuple[Path, Path]
) -> None:
    data, seeds = data_copy
    assert store.load(data, seeds).ok
    name, take_away, feature, fact, field = CASES[case]
    doc = _load(data / name)
    take_away(doc)
    if feature is None:
        feature = f"chart {doc['charts'][0]['id']}"
    _dump(data / name, doc)
    problems = store.load(data, seeds).problems
    found = [(p.file, p.feature, p.fact, p.field) for p in problems]
    assert found == [(f"data/{name}", feature, fact, field)], problems
    assert "no Russian (ru) text for" in problems[0].message


def test_a_neighbour_without_its_name_in_a_language_of_the_catalogue(
    data_copy: tuple[Path, Path],
) -> None:
    data, seeds = data_copy
    doc = _load(data / "basemap.geojson")
    china = next(f for f in doc["features"] if f["properties"]["name"] == "China")
    china["properties"]["i18n"]["ru"]["name"] = " "
    _dump(data / "basemap.geojson", doc)
    problems = store.load(data, seeds).problems
    assert [str(p) for p in problems] == [
        "data/basemap.geojson, feature China, field i18n.ru.name: no Russian (ru) text for name"
    ]


def test_a_language_the_catalogue_does_not_ask_for_is_not_required(
    data_copy: tuple[Path, Path],
) -> None:
    """`languages` says which: without it, nothing is required (and English is never asked)."""
    data, seeds = data_copy
    doc = _load(data / "indicators.yaml")
    doc["languages"] = []
    _dump(data / "indicators.yaml", doc)
    countries = _load(data / "countries.geojson")
    _props(countries, "UZB").pop("i18n")
    _dump(data / "countries.geojson", countries)
    assert store.load(data, seeds).ok


def test_the_import_batch_gives_a_stored_values_note_its_translation(
    data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    data, seeds = data_copy
    countries = _load(data / "countries.geojson")
    _values(_props(countries, "TJK"), "eu_agreement")[0].pop("i18n")
    _dump(data / "countries.geojson", countries)
    assert not store.load(data, seeds).ok
    batch = tmp_path / "batch.yaml"
    note = "На октябрь 2022 года не подписано (AFP)"
    batch.write_text(
        yaml.safe_dump(
            {"translations": {"ru": {"values": {"TJK": {"eu_agreement": {0: {"note": note}}}}}}},
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    run = run_cli("--data", str(data), "--seeds", str(seeds), "import", str(batch))
    assert run.returncode == 0, run.stderr
    assert "countries.geojson, feature TJK: ru text for indicators.eu_agreement notes" in run.stdout
    ds = store.load(data, seeds)
    assert ds.ok
    tjk = ds.country("TJK")
    assert tjk is not None
    assert tjk.props.indicators["eu_agreement"][0].i18n["ru"]["note"] == note
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(
        yaml.safe_dump({"translations": {"ru": {"values": {"TJK": {"eu_agreement": {7: {}}}}}}}),
        encoding="utf-8",
    )
    run = run_cli("--data", str(data), "--seeds", str(seeds), "import", str(wrong))
    assert run.returncode != 0
    assert "indicators.eu_agreement.7: no such value (it has 1)" in run.stderr
