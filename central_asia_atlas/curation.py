"""Curation helpers: fill excerpt offsets, write GeoJSON in the project's stable layout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .provenance import anchor, occurrences, read_source_text
from .store import FILES, SOURCES_FILE


def dump_collection(doc: dict[str, Any]) -> str:
    """GeoJSON text with one geometry per line and indented properties, for readable diffs."""
    feats = doc.get("features", [])
    parts = []
    for feat in feats:
        props = json.dumps(feat.get("properties"), ensure_ascii=False, indent=2)
        props = props.replace("\n", "\n   ")
        geom = json.dumps(feat.get("geometry"), ensure_ascii=False, separators=(",", ":"))
        parts.append(
            '  {"type": "Feature",\n   "properties": ' + props + ',\n   "geometry": ' + geom + "}"
        )
    head = {k: v for k, v in doc.items() if k not in ("features",)}
    head_txt = json.dumps(head, ensure_ascii=False)[1:-1]
    opening = "{" + head_txt + ", " if head_txt else "{"
    return opening + '"features": [\n' + ",\n".join(parts) + "\n]}\n"


def write_collection(path: Path, doc: dict[str, Any]) -> None:
    path.write_text(dump_collection(doc), encoding="utf-8")


def _iter_facts(doc: dict[str, Any]) -> Any:
    for feat in doc.get("features", []):
        props = feat.get("properties") or {}
        name = props.get("iso3") or props.get("id") or "?"
        for fact in props.get("facts") or []:
            yield name, fact


def anchor_files(data_dir: Path, seeds_dir: Path) -> tuple[list[str], list[str]]:
    """Set start/end for every excerpt that occurs once in its source; report the others."""
    sources = yaml.safe_load((seeds_dir / SOURCES_FILE).read_text(encoding="utf-8"))["sources"]
    files = {s["id"]: s.get("file") for s in sources}
    texts: dict[str, str] = {}
    changed: list[str] = []
    problems: list[str] = []
    for fname in FILES.values():
        path = data_dir / fname
        if not path.exists():
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        dirty = False
        for owner, fact in _iter_facts(doc):
            excerpt, sid = fact.get("excerpt"), fact.get("source")
            if excerpt is None or not files.get(sid):
                continue
            if sid not in texts:
                texts[sid] = read_source_text(seeds_dir / files[sid])
            text = texts[sid]
            start, end = fact.get("start"), fact.get("end")
            if isinstance(start, int) and isinstance(end, int) and text[start:end] == excerpt:
                continue
            where = anchor(text, excerpt)
            if where is None:
                n = len(occurrences(text, excerpt))
                problems.append(
                    f"{fname}, feature {owner}, fact {fact.get('id')}: excerpt occurs "
                    f"{n} times in {files[sid]}; set start/end by hand"
                )
                continue
            fact["start"], fact["end"] = where
            dirty = True
            changed.append(f"{fname}, feature {owner}, fact {fact.get('id')}: offsets {where}")
        if dirty:
            write_collection(path, doc)
    return changed, problems
