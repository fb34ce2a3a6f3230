"""Regenerate country shapes and the basemap from Natural Earth (npm package world-atlas).

`python -m central_asia_atlas build-geometry` fetches world-atlas@2.0.2 with `npm pack`
(into .cache/, outside git), clips the neighbourhood, simplifies all shapes as one coverage
(shared borders stay shared: no gaps, no overlaps), replaces the geometry of each feature in
data/countries.geojson and leaves its properties untouched, and writes data/basemap.geojson
(keeping the names each neighbour has in other languages: `i18n`, the data's, not Natural Earth's).
"""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import shapely

from .curation import write_collection
from .dataset import ROOT

WORLD_ATLAS = "world-atlas@2.0.2"
CACHE = ROOT / ".cache" / "npm"
# ISO 3166-1 numeric ids in world-atlas (zero-padded strings).
FIVE_N3 = {"398": "KAZ", "860": "UZB", "417": "KGZ", "762": "TJK", "795": "TKM"}
BBOX = (26.0, 24.0, 100.0, 60.0)  # lon/lat window of the basemap: Black Sea to western China
GRID = 0.001  # coordinate precision, degrees (about 100 m)


def world_atlas_file(name: str = "countries-50m.json") -> Path:
    """Path to a file of the world-atlas npm package, fetched with `npm pack` when missing."""
    out = CACHE / "world-atlas" / name
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    tgz = CACHE / "world-atlas-2.0.2.tgz"
    if not tgz.exists():
        subprocess.run(
            ["npm", "pack", WORLD_ATLAS, "--pack-destination", str(CACHE)],
            check=True,
            capture_output=True,
        )
    with tarfile.open(tgz) as tar:
        member = tar.getmember(f"package/{name}")
        data = tar.extractfile(member)
        assert data is not None
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data.read())
    return out


def neighbourhood(tolerance: float) -> gpd.GeoDataFrame:
    """All countries within BBOX, clipped and simplified together as one coverage."""
    gdf = gpd.read_file(world_atlas_file(), layer="countries").set_crs(4326, allow_override=True)
    gdf["geometry"] = shapely.clip_by_rect(gdf.geometry.values, *BBOX)
    gdf = gdf[~gdf.geometry.is_empty].copy()
    simplified = shapely.coverage_simplify(gdf.geometry.values, tolerance)
    gdf["geometry"] = shapely.set_precision(simplified, GRID)
    gdf["id"] = gdf["id"].fillna("")
    return gdf.reset_index(drop=True)


def _geojson_geometry(geom: Any) -> dict[str, Any]:
    mapping: dict[str, Any] = json.loads(shapely.to_geojson(geom))
    return mapping


def build(data_dir: Path, tolerance: float = 0.02) -> list[str]:
    """Rewrite geometries in countries.geojson and write basemap.geojson; return a report."""
    gdf = neighbourhood(tolerance)
    shapes = {row.id: row.geometry for row in gdf.itertuples() if row.id in FIVE_N3}
    path = data_dir / "countries.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    report = []
    for feat in doc["features"]:
        n3 = feat["properties"]["iso_n3"]
        feat["geometry"] = _geojson_geometry(shapes[n3])
        report.append(
            f"{feat['properties']['iso3']}: {len(shapely.get_coordinates(shapes[n3]))} pts"
        )
    write_collection(path, doc)
    # The neighbours' names in other languages are the data's, not Natural Earth's: kept.
    old = data_dir / "basemap.geojson"
    kept = {
        f["properties"].get("iso_n3") or f["properties"].get("name"): f["properties"]["i18n"]
        for f in (json.loads(old.read_text(encoding="utf-8"))["features"] if old.exists() else [])
        if f.get("properties", {}).get("i18n")
    }
    base = {
        "type": "FeatureCollection",
        "attribution": "Natural Earth 4.1.0 (public domain) via world-atlas 2.0.2 (ISC)",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": row.name, "iso_n3": row.id}
                | ({"i18n": kept[key]} if (key := row.id or row.name) in kept else {}),
                "geometry": _geojson_geometry(row.geometry),
            }
            for row in gdf.itertuples()
            if row.id not in FIVE_N3
        ],
    }
    write_collection(data_dir / "basemap.geojson", base)
    for name in ("countries.geojson", "basemap.geojson"):
        report.append(f"{name}: {(data_dir / name).stat().st_size:,} bytes")
    return report
