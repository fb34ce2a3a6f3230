"""Checks across the loaded data: coordinates in the map's region, no dates in the future, no
fact dated after its source, one URL per source; sources that nothing cites are a warning.

`store.load` calls `run` last, on the dataset it has built; each problem names its file, its
feature (a route, an event, `source <id>`), its fact and its field, like every other problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from .store import Dataset, Problem

# Where a route or an event may stand: Europe to China, where the region's summits, signings
# and attacks happen (Brussels, Luxembourg, Beijing). A point of the five written [lat, lon]
# east of 62°E falls outside (its "latitude" would be over 62). lon_min, lat_min, lon_max, lat_max.
REGION = (-10.0, 20.0, 125.0, 62.0)
# Sources that the map itself cites (not a fact): the country shapes and the basemap.
USED_BY_THE_MAP = frozenset({"natural-earth"})


def _inside(lon: float, lat: float) -> bool:
    x0, y0, x1, y1 = REGION
    return x0 <= lon <= x1 and y0 <= lat <= y1


def _points(geom: BaseGeometry) -> Iterator[tuple[float, float]]:
    if hasattr(geom, "geoms"):
        for part in geom.geoms:
            yield from _points(part)
        return
    for x, y, *_ in geom.coords:
        yield float(x), float(y)


def _outside(geom: BaseGeometry | None) -> str | None:
    """What is wrong with a geometry's position, or None when every point is in REGION."""
    if geom is None:
        return None
    points = list(_points(geom))
    bad = [(i, p) for i, p in enumerate(points) if not _inside(*p)]
    if not bad:
        return None
    i, (lon, lat) = bad[0]
    x0, y0, x1, y1 = REGION
    which = "the point" if len(points) == 1 else f"point {i} (of {len(points)})"
    more = f" and {len(bad) - 1} more" if len(bad) > 1 else ""
    msg = (
        f"{which}{more} at lon {lon:g}, lat {lat:g} lies outside the map's region "
        f"(lon {x0:g}..{x1:g}, lat {y0:g}..{y1:g})"
    )
    if all(_inside(y, x) for _, (x, y) in bad):
        msg += ": longitude and latitude are likely swapped (write [lon, lat])"
    return msg


def normalise_url(url: str) -> str:
    """Scheme and host lower-case, the trailing slash stripped: two spellings of one page."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, "")
    )


def run(
    ds: Dataset, data_dir: Path, seeds_dir: Path, today: dt.date | None = None
) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of the checks across the loaded dataset `ds`."""
    from .model import Kind
    from .store import FILES, SOURCES_FILE, Problem

    today = today or dt.date.today()
    files = {kind: f"{data_dir.name}/{name}" for kind, name in FILES.items()}
    src_file = f"{seeds_dir.name}/{SOURCES_FILE}"
    problems: list[Problem] = []
    warnings: list[Problem] = []

    # (a) coordinates inside the map's region
    for r in ds.routes:
        msg = _outside(r.geometry)
        if msg:
            problems.append(Problem(files[Kind.route], msg, r.props.id, None, "geometry"))
    for e in ds.events:
        msg = _outside(e.geometry)
        if msg:
            problems.append(Problem(files[Kind.event], msg, e.props.id, None, "geometry"))

    # (b) nothing dated in the future; (c) no fact dated after its source's publication
    future = f"is in the future (after today, {today.isoformat()})"
    for ref in ds.fact_refs():
        f, file = ref.fact, files[ref.kind]
        if f.date > today:
            problems.append(Problem(file, f"date {f.date} {future}", ref.owner, f.id, "date"))
            continue
        src = ds.sources.get(f.source)
        if src is not None and src.published is not None and f.date > src.published:
            problems.append(
                Problem(
                    file,
                    f"fact dated {f.date}, after its source {src.id!r} was published "
                    f"({src.published}): a source cannot report what came later (date the "
                    "fact by the source, and say why in date_note)",
                    ref.owner,
                    f.id,
                    "date",
                )
            )
    for e in ds.events:
        for name in ("date", "end_date"):
            day = getattr(e.props, name)
            if day is not None and day > today:
                problems.append(
                    Problem(files[Kind.event], f"{name} {day} {future}", e.props.id, None, name)
                )
    for s in ds.sources.values():
        for name in ("published", "accessed"):
            day = getattr(s, name)
            if day is not None and day > today:
                problems.append(
                    Problem(src_file, f"{name} {day} {future}", f"source {s.id}", None, name)
                )

    # (d) one URL per source
    first: dict[str, str] = {}
    for s in ds.sources.values():
        if not s.url:
            continue
        key = normalise_url(s.url)
        if key in first:
            problems.append(
                Problem(
                    src_file,
                    f"URL {s.url} is also the URL of source {first[key]!r}: one source id per "
                    f"URL (cite {first[key]!r}, or merge the two)",
                    f"source {s.id}",
                    None,
                    "url",
                )
            )
        else:
            first[key] = s.id

    # (e) sources that nothing cites: a warning
    cited = {ref.fact.source for ref in ds.fact_refs()} | USED_BY_THE_MAP
    cited |= {c.props.capital.source for c in ds.countries}
    cited |= {sid for r in ds.routes for sid in r.props.geometry_sources}
    cited |= {e.props.place_source for e in ds.events}
    cited |= {s.part_of for s in ds.sources.values() if s.part_of and s.id in cited}
    for s in ds.sources.values():
        if s.id not in cited:
            warnings.append(
                Problem(
                    src_file,
                    "no fact, capital, route geometry or event place cites this source",
                    f"source {s.id}",
                )
            )
    return problems, warnings
