"""Copies of the dataset with N times the facts, for measuring how the app's costs grow.

Each copy is the shipped data/ and seeds/ (copied once, at the start of the run, so the data
does not change under the benchmark), where every fact of every feature is repeated N-1 more
times under a new unique id (`<id>-x2`, `<id>-x3`, ...); a copy's relations point to the
same copy of their target. The copy is loaded with `store.load` and must have no problem.
The app serves it through CENTRAL_ASIA_ATLAS_DATA / CENTRAL_ASIA_ATLAS_SEEDS.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from central_asia_atlas import dataset, store

MAX_ID = 80  # model.Id: ^[a-z0-9][a-z0-9-]{1,79}$


@dataclass(frozen=True)
class Copy:
    scale: int
    data: Path
    seeds: Path
    facts: int  # facts in the copy (store.load's count)


def copy_id(fact_id: str, k: int) -> str:
    """The id of the k-th copy (k >= 2) of a fact, unique and still a valid id."""
    suffix = f"-x{k}"
    if len(fact_id) + len(suffix) <= MAX_ID:
        return fact_id + suffix
    digest = hashlib.sha256(fact_id.encode()).hexdigest()[:6]
    return f"{fact_id[: MAX_ID - len(suffix) - 7]}-{digest}{suffix}"


def _scale_facts(facts: list[dict[str, Any]], scale: int, known: set[str]) -> list[dict[str, Any]]:
    out = list(facts)
    for k in range(2, scale + 1):
        for fact in facts:
            dup = json.loads(json.dumps(fact))
            dup["id"] = copy_id(fact["id"], k)
            for rel in dup.get("relations") or []:
                if isinstance(rel, dict) and rel.get("fact") in known:
                    rel["fact"] = copy_id(rel["fact"], k)
            out.append(dup)
    return out


def scale_data_dir(data: Path, scale: int) -> None:
    """Multiply the facts of every feature in the GeoJSON files of `data`, in place."""
    docs = {}
    for name in dataset.FILES.values():
        path = data / name
        if path.exists():
            docs[path] = json.loads(path.read_text(encoding="utf-8"))
    known = {
        fact["id"]
        for doc in docs.values()
        for feature in doc.get("features", [])
        for fact in (feature.get("properties") or {}).get("facts") or []
    }
    for path, doc in docs.items():
        for feature in doc.get("features", []):
            props = feature.get("properties") or {}
            if props.get("facts"):
                props["facts"] = _scale_facts(props["facts"], scale, known)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def make_copies(scales: list[int], root: Path) -> dict[int, Copy]:
    """One copy per scale under `root` (1: the data as it is now), each checked by store.load."""
    snapshot = root / "snapshot"
    shutil.copytree(dataset.DATA_DIR, snapshot / "data")
    shutil.copytree(dataset.SEEDS_DIR, snapshot / "seeds")
    copies = {}
    for scale in scales:
        base = root / f"x{scale}"
        shutil.copytree(snapshot, base)
        if scale > 1:
            scale_data_dir(base / "data", scale)
        ds = store.load(base / "data", base / "seeds")
        if ds.problems:
            shown = "\n".join(str(p) for p in ds.problems[:10])
            raise RuntimeError(f"the {scale}x copy of the data has problems:\n{shown}")
        copies[scale] = Copy(scale, base / "data", base / "seeds", len(list(ds.fact_refs())))
    base_facts = copies[min(copies)].facts / min(copies)
    for c in copies.values():  # every fact repeated exactly `scale` times
        assert c.facts == round(base_facts * c.scale), (c.scale, c.facts, base_facts)
    return copies
