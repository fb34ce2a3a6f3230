"""Every rule across the loaded data, one function per rule.

A rule takes what it looks at and gives located problems (file, feature, fact, field). Some
rules also mend: what they find wrong is left out of the dataset (a fact, a relation, a signal,
an indicator value), so nothing valid is lost and nothing invalid is shown. `store.load` runs
them all; the curation CLI calls the rules on one fact or one source to refuse a change early,
in the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from shapely.geometry.base import BaseGeometry

from . import catalogue as cat
from .catalogue import Catalogue, CategoricalSpec, ComputedSpec, NumericSpec
from .dataset import FILES, SOURCES_FILE, Dataset, FactRef, Feature, Problem
from .model import FIVE, CountryProps, Fact, IndicatorValue, Kind, Source
from .provenance import check_excerpt

# Where a route or an event may stand: Europe to China, where the region's summits, signings
# and attacks happen (Brussels, Luxembourg, Beijing). A point of the five written [lat, lon]
# east of 62°E falls outside (its "latitude" would be over 62). lon_min, lat_min, lon_max, lat_max.
REGION = (-10.0, 20.0, 125.0, 62.0)
# Sources that the map itself cites (not a fact): the country shapes and the basemap.
USED_BY_THE_MAP = frozenset({"natural-earth"})

F = TypeVar("F", bound=Feature[Any])
Changes = dict[int, Fact | None]  # id() of a fact -> its mended copy, or None: left out


# --- rules on one fact or one source (the curation CLI refuses with the same words) -------


def unknown_source(source_id: str, sources: Collection[str]) -> str | None:
    """A fact, capital, route line or event place must cite a listed source."""
    if source_id in sources:
        return None
    return f"unknown source {source_id!r} (not in {SOURCES_FILE})"


def excerpt_rule(
    source_id: str,
    stored_file: str | None,
    quoted: bool,
    has_text: bool = True,
    seeds_label: str = "seeds",
) -> tuple[str, str] | None:
    """(field, message): a document kept in seeds/ (`stored_file`) is quoted with an excerpt at
    its offsets; a web source is paraphrased, never quoted, since its words cannot be checked."""
    if stored_file:
        if not quoted:
            return "excerpt", (
                f"source {source_id!r} is a stored document: give the excerpt with its start "
                "and end (the source's own words)"
            )
        if not has_text:
            return "source", (
                f"text of source {source_id!r} could not be read ({seeds_label}/{stored_file})"
            )
        return None
    if quoted:
        return "excerpt", (
            f"source {source_id!r} has no stored text in {seeds_label}/, so an excerpt cannot "
            "be checked: put the words in 'note'"
        )
    return None


def future(day: dt.date, today: dt.date) -> str | None:
    """Nothing is dated after today."""
    return f"is in the future (after today, {today.isoformat()})" if day > today else None


def after_its_source(fact: Fact, src: Source | None) -> str | None:
    """A source cannot report what came after it was published."""
    if src is None or src.published is None or fact.date <= src.published:
        return None
    return (
        f"fact dated {fact.date}, after its source {src.id!r} was published "
        f"({src.published}): a source cannot report what came later (date the "
        "fact by the source, and say why in date_note)"
    )


def normalise_url(url: str) -> str:
    """Scheme and host lower-case, the trailing slash stripped: two spellings of one page."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, "")
    )


def same_url(url: str, others: Iterable[tuple[str, str | None]]) -> str | None:
    """The id of another source with the same page's URL (one source id per URL), if any."""
    key = normalise_url(url)
    return next((sid for sid, u in others if u and normalise_url(u) == key), None)


# Hosts that are not the publisher's own page: a newsroom's staging, preview, CMS, QA or mirror
# copy (the text may differ from what was published, and the address may vanish).
NOT_PUBLIC = ("staging", "stage", "preview", "manage", "cms", "qa", "mirror", "dev", "draft")
# Second-level suffixes under which a registrable domain has three labels (bbc.co.uk).
TWO_LABEL_SUFFIXES = frozenset(
    {
        "co.uk",
        "org.uk",
        "gov.uk",
        "ac.uk",
        "com.au",
        "co.jp",
        "com.cn",
        "gov.cn",
        "com.tr",
        "gov.tr",
        "co.in",
        "com.pk",
        "com.ua",
        "gov.ua",
        "org.ua",
        "gov.kz",
        "edu.kz",
        "gov.uz",
        "gov.kg",
        "gov.tj",
        "gov.tm",
        "com.az",
        "gov.az",
        "org.kz",
        "com.kz",
        "co.kr",
        "com.br",
    }
)
# Newsrooms and bodies, by the name a look-alike borrows, and the registrable domains that are
# really theirs (rferl.org.example.net borrows "rferl"); with every source's own domain (see
# `hosts`).
KNOWN_SITES: dict[str, frozenset[str]] = {
    name: frozenset(domains)
    for name, domains in {
        "reuters": ["reuters.com"],
        "apnews": ["apnews.com"],
        "bloomberg": ["bloomberg.com"],
        "rferl": ["rferl.org"],
        "azathabar": ["azathabar.com"],
        "bbc": ["bbc.com", "bbc.co.uk"],
        "theguardian": ["theguardian.com"],
        "nytimes": ["nytimes.com"],
        "thediplomat": ["thediplomat.com"],
        "eurasianet": ["eurasianet.org"],
        "euobserver": ["euobserver.com"],
        "politico": ["politico.eu", "politico.com"],
        "europa": ["europa.eu"],
        "eeas": ["europa.eu"],
        "consilium": ["europa.eu"],
        "ec": ["europa.eu"],
        "tass": ["tass.com", "tass.ru"],
        "interfax": ["interfax.com", "interfax.ru", "interfax.kz"],
        "trend": ["trend.az"],
        "akipress": ["akipress.com", "akipress.org"],
        "asiaplustj": ["asiaplustj.info"],
        "kazinform": ["inform.kz"],
        "qazinform": ["qazinform.com"],
        "astanatimes": ["astanatimes.com"],
        "timesca": ["timesca.com"],
        "intellinews": ["intellinews.com"],
        "worldbank": ["worldbank.org"],
        "imf": ["imf.org"],
        "newsweek": ["newsweek.com"],
        "aljazeera": ["aljazeera.com"],
        "carnegieendowment": ["carnegieendowment.org"],
        "xinhuanet": ["xinhuanet.com"],
        "globaltimes": ["globaltimes.cn"],
        "rambler": ["rambler.ru"],
    }.items()
}
# Words that name no site of their own (news.az, times.kz): never a look-alike's tell.
GENERIC_LABELS = frozenset(
    {"news", "www", "online", "media", "info", "today", "times", "post", "daily", "mobile", "live"}
)
# Sites that republish other outlets' stories: a source there is a repost and says `via`.
REPOST_HOSTS = frozenset(
    {
        "menafn.com",
        "einpresswire.com",
        "news.yahoo.com",
        "yahoo.com",
        "reference.com",
        "globenewswire.com",
        "prnewswire.com",
        "msn.com",
        "newsnow.co.uk",
        "ground.news",
    }
)


def registrable_domain(host: str) -> str:
    """The domain a registrant owns (example.org, bbc.co.uk), from the host's last labels."""
    labels = host.rstrip(".").split(".")
    n = 3 if ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES else 2
    return ".".join(labels[-n:])


def source_host(url: str, sites: Mapping[str, Collection[str]] = KNOWN_SITES) -> str | None:
    """What is wrong with where a URL points: a staging, preview, CMS, QA or mirror host, a
    host ending in a dot, or a known newsroom's name on another registrable domain; None if
    nothing (the publisher's own address is cited, never a copy of it)."""
    host = (urlsplit(url).hostname or "") if url else ""
    if not host:
        return None
    if host.endswith("."):
        return (
            f"the host {host} ends in a dot, a look-alike of {host.rstrip('.')}: cite the "
            "publisher's own address"
        )
    own = registrable_domain(host)
    below = host[: -len(own)].rstrip(".").split(".") if host != own else []
    bad = next((label for label in below if label in NOT_PUBLIC), None)
    if bad is not None:
        return (
            f"{host} is a {bad!r} host, not the publisher's public page: cite the address "
            "readers reach (and the copy's differences, if any, in the note)"
        )
    name = next((label for label in below if own not in sites.get(label, (own,))), None)
    if name is None:  # a newsroom's name joined to another by a hyphen: finance-rambler.ru
        own_name = own.split(".")[0]
        name = next(
            (
                known
                for known, domains in sites.items()
                if len(known) > 3
                and own not in domains
                and re.search(rf"(^|-){re.escape(known)}(-|$)", own_name)
                and own_name != known
            ),
            None,
        )
    if name is not None:
        return (
            f"{host} puts the name {name!r} on another site ({own}): a look-alike, not the "
            "publisher; cite the publisher's own address"
        )
    return None


def repost_without_via(src: Source) -> str | None:
    """A source on a site that republishes others' stories names what it reposts."""
    host = (urlsplit(src.url).hostname or "") if src.url else ""
    if src.via or not host:
        return None
    if host in REPOST_HOSTS or registrable_domain(host) in REPOST_HOSTS:
        return (
            f"{host} republishes other outlets' stories: cite the original publisher, or, when "
            "the original is not to be had, say so with `via` (the reposting site) and name "
            "the original in `outlet`"
        )
    return None


def unknown_signals(fact: Fact, catalogue: Catalogue) -> list[int]:
    """The positions of the signals the catalogue does not know."""
    return [i for i, s in enumerate(fact.signals) if s not in catalogue.signals]


# --- rules that mend: the bad part is reported and left out ---------------------------------


def facts(
    refs: list[tuple[str, FactRef]],
    sources: Mapping[str, Source],
    texts: Mapping[str, str],
    seeds_label: str,
    problems: list[Problem],
) -> Changes:
    """Each fact against the others and its source: one id per fact, a known source, the
    excerpt where it should be, relations to facts that are kept.

    Returns the changes to make, keyed by `id()` of the fact object (two facts may share an
    id string: the first is kept, the later one dropped): None drops a fact whose problem was
    reported; a Fact replaces one whose relations to missing facts were taken out.
    """
    bad: set[int] = set()
    seen: dict[str, str] = {}
    for file, ref in refs:
        f, owner = ref.fact, ref.owner
        if f.id in seen:
            problems.append(
                Problem(file, f"duplicate fact id (also in {seen[f.id]})", owner, f.id, "id")
            )
            bad.add(id(f))
            continue
        seen[f.id] = f"{file}, feature {owner}"
        found = _fact_source(f, sources, texts, seeds_label)
        if found is not None:
            field, message = found
            problems.append(Problem(file, message, owner, f.id, field))
            bad.add(id(f))
    changes: Changes = dict.fromkeys(bad)
    kept = {ref.fact.id for _, ref in refs if id(ref.fact) not in bad}
    for file, ref in refs:
        if id(ref.fact) not in bad:
            mended = _relations(file, ref, kept, seen, problems)
            if mended is not None:
                changes[id(ref.fact)] = mended
    return changes


def _fact_source(
    f: Fact, sources: Mapping[str, Source], texts: Mapping[str, str], seeds_label: str
) -> tuple[str, str] | None:
    """(field, message) of what is wrong between a fact and its source; None if nothing."""
    if (missing := unknown_source(f.source, sources)) is not None:
        return "source", missing
    src = sources[f.source]
    found = excerpt_rule(src.id, src.file, f.excerpt is not None, src.id in texts, seeds_label)
    if found is not None:
        return found
    if src.file and f.excerpt is not None and f.start is not None and f.end is not None:
        msg = check_excerpt(texts[src.id], f.excerpt, f.start, f.end)
        if msg:
            return "excerpt", f"{msg} in {seeds_label}/{src.file}"
    return None


def _relations(
    file: str, ref: FactRef, kept: Collection[str], seen: Collection[str], problems: list[Problem]
) -> Fact | None:
    """A relation names a fact that is kept; the others are reported and taken out."""
    rels = ref.fact.relations
    dangling = [i for i, rel in enumerate(rels) if rel.fact not in kept]
    for i in dangling:
        other = rels[i].fact
        why = "which is left out (see its problem)" if other in seen else "unknown"
        problems.append(
            Problem(
                file,
                f"relation to fact {other!r}, {why}; the relation is left out",
                ref.owner,
                ref.fact.id,
                f"relations.{i}.fact",
            )
        )
    if not dangling:
        return None
    return ref.fact.model_copy(
        update={"relations": [r for i, r in enumerate(rels) if i not in dangling]}
    )


def signals(
    refs: list[tuple[str, FactRef]], catalogue: Catalogue, problems: list[Problem]
) -> dict[int, Fact]:
    """Facts citing a signal the catalogue does not know: reported, and the signal left out."""
    changes: dict[int, Fact] = {}
    for file, ref in refs:
        unknown = unknown_signals(ref.fact, catalogue)
        for i in unknown:
            problems.append(
                Problem(
                    file,
                    f"unknown signal {ref.fact.signals[i]!r} (not in {cat.CATALOGUE_FILE}); "
                    "the signal is left out",
                    ref.owner,
                    ref.fact.id,
                    f"signals.{i}",
                )
            )
        if unknown:
            kept = [s for i, s in enumerate(ref.fact.signals) if i not in unknown]
            changes[id(ref.fact)] = ref.fact.model_copy(update={"signals": kept})
    return changes


def merge(changes: Changes, more: Mapping[int, Fact]) -> Changes:
    """Both mends of one fact (its relations and its signals) kept; a dropped fact stays so."""
    out = dict(changes)
    for key, fixed in more.items():
        if key not in out:
            out[key] = fixed
        elif (other := out[key]) is not None:
            out[key] = other.model_copy(update={"signals": fixed.signals})
    return out


def unique(features: list[F], file: str, what: str, problems: list[Problem]) -> list[F]:
    """The features with the first of each id; each later duplicate is reported and left out."""
    seen: set[str] = set()
    out = []
    for feat in features:
        fid: str = getattr(feat.props, "iso3" if what == "country" else "id")
        if fid in seen:
            message, field = (
                ("duplicate country", "iso3")
                if what == "country"
                else (f"duplicate {what} id", "id")
            )
            problems.append(Problem(file, message, fid, None, field))
            continue
        seen.add(fid)
        out.append(feat)
    return out


def all_five(
    countries: Iterable[Feature[CountryProps]], file: str, problems: list[Problem]
) -> None:
    """All five states are present; one left out for its problems says so."""
    present = {c.props.iso3 for c in countries}
    # a file that could not be read at all is one problem, not five more
    if any(p.file == file and not (p.feature or p.fact or p.field) for p in problems):
        return
    for iso3 in FIVE:
        if iso3 in present:
            continue
        if any(p.file == file and p.feature == iso3 for p in problems):
            msg = f"country {iso3} is left out for the problem(s) above (all five must be present)"
        else:
            msg = f"country {iso3} is missing (all five must be present)"
        problems.append(Problem(file, msg, iso3))


def indicator_value(
    spec: cat.AnySpec,
    val: IndicatorValue,
    iso3: str,
    index: Mapping[str, FactRef],
    catalogue: Catalogue,
) -> tuple[str | None, str]:
    """What is wrong with one stored indicator value, and in which field; (None, "") if nothing."""
    if isinstance(spec, CategoricalSpec):
        if spec.class_for(val.value) is None:
            allowed = ", ".join(repr(c.value) for c in spec.classes)
            return f"value {val.value!r} is not one of {allowed}", "value"
        for name in ("period", "statistics"):
            if getattr(val, name) is not None:
                return f"a categorical value takes no {name}", name
    elif isinstance(spec, NumericSpec):
        wrong = _numeric_value(spec, val, catalogue)
        if wrong[0] is not None:
            return wrong
    missing = [fid for fid in val.facts if fid not in index]
    if missing:
        return f"no such fact(s): {', '.join(missing)} (a value needs facts that back it)", "facts"
    unrelated = [fid for fid in val.facts if iso3 not in index[fid].concerns]
    if unrelated:
        return f"fact(s) {', '.join(unrelated)} do not concern {iso3}", "facts"
    return None, ""


def _numeric_value(
    spec: NumericSpec, val: IndicatorValue, catalogue: Catalogue
) -> tuple[str | None, str]:
    wrong = cat.check_number(spec, val.value)
    if wrong:
        return wrong, "value"
    if val.period is None:
        return "a numeric value needs its period (YYYY, or YYYY-MM/YYYY-MM)", "period"
    try:
        cat.parse_period(val.period)
    except ValueError as exc:
        return str(exc), "period"
    known = ", ".join(catalogue.statistics)
    if val.statistics is None:
        return f"a numeric value needs its statistics (one of: {known})", "statistics"
    if val.statistics not in catalogue.statistics:
        return f"unknown statistics {val.statistics!r} (known: {known})", "statistics"
    return None, ""


def indicators(
    countries: list[Feature[CountryProps]],
    index: Mapping[str, FactRef],
    file: str,
    catalogue: Catalogue,
    problems: list[Problem],
) -> list[Feature[CountryProps]]:
    """Each stored value against the catalogue and the facts; a bad one is left out."""
    specs = catalogue.indicators
    out = []
    for c in countries:
        iso3 = c.props.iso3
        kept = {}
        for key, history in c.props.indicators.items():
            spec = specs.get(key)
            if spec is None or isinstance(spec, ComputedSpec):
                why = (
                    f"unknown indicator (not in {cat.CATALOGUE_FILE}; known: {', '.join(specs)})"
                    if spec is None
                    else "this indicator is computed from the facts' signals; do not store it"
                )
                problems.append(Problem(file, why, iso3, None, f"indicators.{key}"))
                continue
            good = []
            for i, val in enumerate(history):
                where = f"indicators.{key}" if len(history) == 1 else f"indicators.{key}.{i}"
                message, fld = indicator_value(spec, val, iso3, index, catalogue)
                if message:
                    problems.append(Problem(file, message, iso3, None, f"{where}.{fld}"))
                else:
                    good.append(val)
            if good:
                kept[key] = good
        if kept != c.props.indicators:
            c = Feature(c.props.model_copy(update={"indicators": kept}), c.geometry)
        out.append(c)
    return out


# --- rules that report ----------------------------------------------------------------------


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


def outside(geom: BaseGeometry | None) -> str | None:
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


def coordinates(ds: Dataset, files: Mapping[Kind, str]) -> Iterator[Problem]:
    """Routes and events lie in the map's region (and are not written [lat, lon])."""
    for kind, features in ((Kind.route, ds.routes), (Kind.event, ds.events)):
        for feat in features:
            if msg := outside(feat.geometry):
                yield Problem(files[kind], msg, feat.props.id, None, "geometry")


def dates(
    ds: Dataset, files: Mapping[Kind, str], src_file: str, today: dt.date
) -> Iterator[Problem]:
    """Nothing dated in the future; no fact dated after its source's publication."""
    for ref in ds.fact_refs():
        f, file = ref.fact, files[ref.kind]
        if (msg := future(f.date, today)) is not None:
            yield Problem(file, f"date {f.date} {msg}", ref.owner, f.id, "date")
        elif (msg := after_its_source(f, ds.sources.get(f.source))) is not None:
            yield Problem(file, msg, ref.owner, f.id, "date")
    for e in ds.events:
        for name in ("date", "end_date"):
            day = getattr(e.props, name)
            if day is not None and (msg := future(day, today)) is not None:
                yield Problem(files[Kind.event], f"{name} {day} {msg}", e.props.id, None, name)
    for s in ds.sources.values():
        for name in ("published", "accessed"):
            day = getattr(s, name)
            if day is not None and (msg := future(day, today)) is not None:
                yield Problem(src_file, f"{name} {day} {msg}", f"source {s.id}", None, name)


def one_url_per_source(ds: Dataset, src_file: str) -> Iterator[Problem]:
    """Two source ids for one page would split its citations."""
    seen: list[tuple[str, str | None]] = []
    for s in ds.sources.values():
        if not s.url:
            continue
        if (other := same_url(s.url, seen)) is not None:
            yield Problem(
                src_file,
                f"URL {s.url} is also the URL of source {other!r}: one source id per "
                f"URL (cite {other!r}, or merge the two)",
                f"source {s.id}",
                None,
                "url",
            )
        else:
            seen.append((s.id, s.url))


def hosts(ds: Dataset, src_file: str) -> Iterator[Problem]:
    """Sources on staging, look-alike or repost hosts (the source itself is kept)."""
    sites = {name: set(domains) for name, domains in KNOWN_SITES.items()}
    for s in ds.sources.values():
        if s.url and (h := urlsplit(s.url).hostname):
            own = registrable_domain(h)
            name = own.split(".")[0]
            if len(name) > 3 and name not in GENERIC_LABELS:
                sites.setdefault(name, set()).add(own)
    for s in ds.sources.values():
        if not s.url:
            continue
        for msg in (source_host(s.url, sites), repost_without_via(s)):
            if msg is not None:
                yield Problem(src_file, msg, f"source {s.id}", None, "url")


def source_references(ds: Dataset, files: Mapping[Kind, str]) -> Iterator[Problem]:
    """Capitals, route lines and event places cite listed sources."""
    refs = (
        [
            (Kind.country, c.props.iso3, "capital.source", c.props.capital.source)
            for c in ds.countries
        ]
        + [
            (Kind.route, r.props.id, f"geometry_sources.{i}", sid)
            for r in ds.routes
            for i, sid in enumerate(r.props.geometry_sources)
        ]
        + [(Kind.event, e.props.id, "place_source", e.props.place_source) for e in ds.events]
    )
    for kind, owner, where, sid in refs:
        if (msg := unknown_source(sid, ds.sources)) is not None:
            yield Problem(files[kind], msg, owner, None, where)


def uncited_sources(ds: Dataset, src_file: str) -> Iterator[Problem]:
    """A source that nothing cites (a warning: the data is still right)."""
    cited = {ref.fact.source for ref in ds.fact_refs()} | USED_BY_THE_MAP
    cited |= {c.props.capital.source for c in ds.countries}
    cited |= {sid for r in ds.routes for sid in r.props.geometry_sources}
    cited |= {e.props.place_source for e in ds.events}
    cited |= {s.part_of for s in ds.sources.values() if s.part_of and s.id in cited}
    for s in ds.sources.values():
        if s.id not in cited:
            yield Problem(
                src_file,
                "no fact, capital, route geometry or event place cites this source",
                f"source {s.id}",
            )


def _texts(
    ds: Dataset, files: Mapping[Kind, str]
) -> Iterator[tuple[str, str, str | None, Any, str]]:
    """Every object with reader-facing text: (file, feature, fact, object, field prefix)."""
    for c in ds.countries:
        yield files[Kind.country], c.props.iso3, None, c.props, ""
        yield files[Kind.country], c.props.iso3, None, c.props.capital, "capital."
        for key, history in c.props.indicators.items():
            for i, value in enumerate(history):
                yield files[Kind.country], c.props.iso3, None, value, f"indicators.{key}.{i}."
    if ds.region is not None:
        yield files[Kind.region], ds.region.id, None, ds.region, ""
    for r in ds.routes:
        yield files[Kind.route], r.props.id, None, r.props, ""
    for e in ds.events:
        yield files[Kind.event], e.props.id, None, e.props, ""
    for ref in ds.fact_refs():
        yield files[ref.kind], ref.owner, ref.fact.id, ref.fact, ""
        for i, rel in enumerate(ref.fact.relations):
            yield files[ref.kind], ref.owner, ref.fact.id, rel, f"relations.{i}."


def _catalogue_texts(catalogue: Catalogue) -> Iterator[tuple[str, Any, str]]:
    """Every catalogue entry with reader-facing text: (entry, object, field prefix)."""
    for side, spec in catalogue.sides.items():
        yield f"side {side.value}", spec, ""
    for sig in catalogue.signals.values():
        yield f"signal {sig.id}", sig, ""
    for stat in catalogue.statistics.values():
        yield f"statistics {stat.id}", stat, ""
    for key, ind in catalogue.indicators.items():
        yield f"indicator {key}", ind, ""
        for i, c in enumerate(ind.classes if isinstance(ind, CategoricalSpec) else ()):
            yield f"indicator {key}", c, f"classes.{i}."
        for i, b in enumerate(getattr(ind, "bins", ())):
            yield f"indicator {key}", b, f"bins.{i}."
    for chart in catalogue.charts:
        yield f"chart {chart.id}", chart, ""
        for i, series in enumerate(chart.series):
            yield f"chart {chart.id}", series, f"series.{i}."


def _stray(obj: Any) -> Iterator[tuple[str, str]]:
    """(language, field) of a translation whose English text is not there (removed since)."""
    for lang, fields in obj.i18n.items():
        for name in fields:
            if not object.__getattribute__(obj, name):
                yield lang, name


def _untranslated(obj: Any, lang: str) -> Iterator[str]:
    given = obj.i18n.get(lang, {})
    for name in obj.TRANSLATABLE:  # the fields the data gives (a default is the interface's)
        if name in obj.model_fields_set and getattr(obj, name, None) and not given.get(name):
            yield name


def translations(ds: Dataset, files: Mapping[Kind, str], catalogue_file: str) -> Iterator[Problem]:
    """Every reader-facing text of the data in each of the catalogue's `languages`."""
    from babel import Locale

    for file, feature, fact, obj, prefix in _texts(ds, files):
        for lang, field in _stray(obj):
            message = f"a {lang} text for {prefix}{field}, which has no English text: remove it"
            yield Problem(file, message, feature, fact, f"{prefix}i18n.{lang}.{field}")
    for lang in ds.catalogue.languages:
        name = Locale.parse(lang).english_name or lang
        for file, feature, fact, obj, prefix in _texts(ds, files):
            for field in _untranslated(obj, lang):
                message = f"no {name} ({lang}) text for {prefix}{field}"
                yield Problem(file, message, feature, fact, f"{prefix}i18n.{lang}.{field}")
        for entry, obj, prefix in _catalogue_texts(ds.catalogue):
            for field in _untranslated(obj, lang):
                message = f"no {name} ({lang}) text for {prefix}{field}"
                yield Problem(catalogue_file, message, entry, None, f"{prefix}i18n.{lang}.{field}")


def run(
    ds: Dataset, data_dir: Path, seeds_dir: Path, today: dt.date | None = None
) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of the rules that only report, on the loaded (mended) dataset."""
    today = today or dt.date.today()
    files = {kind: f"{data_dir.name}/{name}" for kind, name in FILES.items()}
    src_file = f"{seeds_dir.name}/{SOURCES_FILE}"
    problems = [
        *coordinates(ds, files),
        *dates(ds, files, src_file, today),
        *one_url_per_source(ds, src_file),
        *hosts(ds, src_file),
        *translations(ds, files, f"{data_dir.name}/{cat.CATALOGUE_FILE}"),
        *source_references(ds, files),
    ]
    return problems, list(uncited_sources(ds, src_file))
