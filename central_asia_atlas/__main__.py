"""Command line: `python -m central_asia_atlas <command>`.

validate, anchor, build-geometry, build-site (the static site: docs/publishing.md); and the
curation commands add-source, add-fact, add-event, add-value, add-route, import, and the
corrections edit-fact, remove-fact, edit-source, remove-source, remove-value (see
docs/curation.md). Exit 0 on success, 1 when the data has a problem or a change is refused
(nothing is then written), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import dataset, store

# --- validate --------------------------------------------------------------------------------


def coverage(ds: dataset.Dataset) -> list[str]:
    """Own facts per country, and the share of facts dated after the seeds (the documents
    kept in seeds/; after the latest one's publication)."""
    own = ", ".join(f"{c.props.iso3} {len(c.props.facts)}" for c in ds.countries)
    lines = [f"own facts: {own}"]
    seeded = [s.published for s in ds.sources.values() if s.file and s.published]
    facts = [ref.fact for ref in ds.fact_refs()]
    if seeded:
        after = max(seeded)
        later = sum(1 for f in facts if f.date > after)
        share = f"{later / len(facts):.0%}" if facts else "0%"
        lines.append(f"after {after.isoformat()}: {share} of facts ({later} of {len(facts)})")
    return lines


def _validate(args: argparse.Namespace) -> int:
    ds = store.load(Path(args.data), Path(args.seeds))
    for problem in ds.problems:
        print(problem)
    for warning in getattr(ds, "warnings", ()):
        print(f"warning: {warning}")
    counts = ", ".join(f"{n} {k}" for k, n in ds.counts().items())
    if ds.problems:
        print(f"FAILED: {len(ds.problems)} problem(s); loaded {counts}", file=sys.stderr)
        return 1
    for line in coverage(ds):
        print(line)
    print(f"OK: {counts}")
    return 0


def _build_site(args: argparse.Namespace) -> int:
    from .site import SiteError, build_site

    ds = store.load(Path(args.data), Path(args.seeds))
    if ds.problems:
        for problem in ds.problems:
            print(problem, file=sys.stderr)
        print(
            f"build-site: the data has {len(ds.problems)} problem(s); run validate", file=sys.stderr
        )
        return 1
    try:
        out = build_site(ds, Path(args.out), args.base_url, data_dir=Path(args.data))
    except SiteError as exc:
        print(f"build-site: {exc}", file=sys.stderr)
        return 2
    pages = len(out.pages())
    size = sum(len(b) for b in out.files.values())
    print(f"OK: {len(out.files)} files ({pages} pages, {size / 1e6:.1f} MB) in {args.out}")
    return 0


def _anchor(args: argparse.Namespace) -> int:
    import yaml

    from .curation import anchor_files

    try:
        changed, problems = anchor_files(Path(args.data), Path(args.seeds))
    except (
        OSError,
        ValueError,  # malformed JSON, undecodable text
        KeyError,
        TypeError,
        AttributeError,  # data of an unexpected shape (a list where an object belongs)
        RecursionError,
        yaml.YAMLError,
    ) as exc:
        detail = " ".join(str(exc).split())  # one line, whatever the parser's message
        print(
            f"anchor: cannot read the data ({type(exc).__name__}: {detail}); "
            "run `validate` to locate the problem",
            file=sys.stderr,
        )
        return 1
    for line in changed:
        print(line)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


def _build_geometry(args: argparse.Namespace) -> int:
    from .geometry import build

    for line in build(Path(args.data), tolerance=args.tolerance):
        print(line)
    return 0


# --- curation commands -------------------------------------------------------------------


def _day(text: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a real day") from None
    return text


def _ids(text: str) -> list[str]:
    return [p.strip() for p in text.split(",") if p.strip()]


def _codes(text: str) -> list[str]:
    return [p.upper() for p in _ids(text)]


def _relation(text: str) -> dict[str, str]:
    kind, _, rest = text.partition(":")
    fact, _, note = rest.partition(":")
    if not (kind and fact and note.strip()):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give kind:fact-id:note (e.g. disagrees_with:ref-kaz-x:Customs differ)"
        )
    return {"kind": kind.strip(), "fact": fact.strip(), "note": note.strip()}


def _translation(text: str) -> tuple[str, str, str]:
    lang, _sep, rest = text.partition(":")
    field, _sep, words = rest.partition(":")
    if not (lang.strip() and field.strip() and words.strip()):
        raise argparse.ArgumentTypeError(
            f"{text!r}: give lang:field:text (e.g. ru:summary:Токаев посетил Брюссель.)"
        )
    return lang.strip(), field.strip(), words.strip()


def _i18n(pairs: list[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    """--translation's texts by language, except a relation's note (`relation=<fact id>`)."""
    out: dict[str, dict[str, str]] = {}
    for lang, field, words in pairs:
        if not field.startswith("relation="):
            out.setdefault(lang, {})[field] = words
    return out


def _relations_i18n(
    relations: list[dict[str, Any]], pairs: list[tuple[str, str, str]]
) -> list[dict[str, Any]]:
    """The relations, each with the --translation given for it (`LANG:relation=ID:TEXT`)."""
    out = [dict(r) for r in relations]
    for lang, field, words in pairs:
        if field.startswith("relation="):
            other = field.partition("=")[2]
            for rel in out:
                if rel["fact"] == other:
                    rel.setdefault("i18n", {}).setdefault(lang, {})["note"] = words
    return out


def _yes_no(text: str) -> bool:
    if text.lower() not in ("yes", "no"):
        raise argparse.ArgumentTypeError(f"{text!r}: give yes or no")
    return text.lower() == "yes"


def _coords(text: str) -> list[list[float]]:
    from .curation import parse_coords

    try:
        return parse_coords(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _non_negative(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return n


def _fact_options(p: argparse.ArgumentParser, prefix: str = "", required: bool = True) -> None:
    """The options of a fact; `prefix` ("fact-") for the first fact of an event."""
    o = f"--{prefix}"
    p.add_argument(f"{o}id", required=required, help="fact id, unique in the whole dataset")
    p.add_argument(f"{o}category", required=required, help="stance, aid, trade, energy, ...")
    p.add_argument(
        f"{o}date",
        type=_day,
        required=required and not prefix,
        help="YYYY-MM-DD of what happened" + (" (default: the event's date)" if prefix else ""),
    )
    p.add_argument(
        f"{o}date-precision",
        choices=("day", "month", "year"),
        required=required and not prefix,
        default="day" if prefix else None,
        help="how much of the date is known (a month: YYYY-MM-01, a year: YYYY-01-01)"
        + (" (default: day)" if prefix else ""),
    )
    p.add_argument(f"{o}date-note", help="when the day is approximate or derived")
    p.add_argument(f"{o}summary", required=required, help="one line, in our words")
    p.add_argument(f"{o}source", required=required, help="a source id of sources.yaml")
    p.add_argument(
        f"{o}countries",
        type=_codes,
        default=None,
        help="ISO3 codes, comma-separated (KAZ,UZB)"
        + (" (default: the event's)" if prefix else ""),
    )
    p.add_argument(f"{o}actors", type=_codes, default=[], help="e.g. RUS,EU,CHN")
    p.add_argument(f"{o}signals", type=_ids, default=[], help="signal ids, comma-separated")
    p.add_argument(
        f"{o}relation",
        type=_relation,
        action="append",
        default=[],
        metavar="KIND:FACT:NOTE",
        help="a relation to another fact (repeatable)",
    )
    p.add_argument(f"{o}note", help="longer context, in our words")
    p.add_argument(
        f"{o}translation",
        type=_translation,
        action="append",
        default=[],
        metavar="LANG:FIELD:TEXT",
        help="the summary, date note or note in another language (repeatable), e.g. "
        "ru:summary:...; a relation's note: ru:relation=FACT-ID:... (validate requires each "
        "of the catalogue's languages)",
    )
    p.add_argument(f"{o}excerpt", help="the source's own words (a document kept in seeds/)")
    p.add_argument(
        f"{o}start",
        type=_non_negative,
        help="offset of the excerpt when it occurs several times",
    )


def _fact_fields(args: argparse.Namespace, prefix: str = "") -> dict[str, Any]:
    a = vars(args)
    p = prefix.replace("-", "_")
    return {
        "id": a[f"{p}id"],
        "category": a[f"{p}category"],
        "date": a[f"{p}date"],
        "date_precision": a[f"{p}date_precision"],
        "date_note": a[f"{p}date_note"],
        "summary": a[f"{p}summary"],
        "source": a[f"{p}source"],
        "excerpt": a[f"{p}excerpt"],
        "countries": a[f"{p}countries"] or [],
        "actors": a[f"{p}actors"],
        "signals": a[f"{p}signals"],
        "relations": _relations_i18n(a[f"{p}relation"], a[f"{p}translation"]),
        "note": a[f"{p}note"],
        "i18n": _i18n(a[f"{p}translation"]) or None,
    }


Change = Callable[[Any, argparse.Namespace], None]


def _curate(args: argparse.Namespace, change: Change, dry_run: bool = False) -> int:
    """Take the lock, make `change` in memory, check it with `store.load` on a temporary copy,
    and write the changed files only when no new problem appears."""
    from .curation import Refused, WorkingCopy, check, locked, write

    data, seeds = Path(args.data), Path(args.seeds)
    if not data.is_dir() or not seeds.is_dir():
        missing = data if not data.is_dir() else seeds
        print(f"refused: directory not found: {missing}", file=sys.stderr)
        return 1
    try:
        with locked(data):
            wc = WorkingCopy.read(data, seeds)
            change(wc, args)
            outcome = check(wc)
            if outcome.new_problems:
                for line in outcome.new_problems:
                    print(line, file=sys.stderr)
                print(
                    f"refused: {len(outcome.new_problems)} new problem(s); nothing was changed",
                    file=sys.stderr,
                )
                return 1
            if not dry_run:
                write(wc)
    except Refused as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        print("refused: nothing was changed", file=sys.stderr)
        return 1
    for line in wc.log:
        print(line)
    for line in outcome.new_warnings:
        print(f"warning: {line}")
    if dry_run:
        print(f"dry run: {len(wc.log)} change(s) checked, nothing written")
    return 0


def _add_source(args: argparse.Namespace) -> int:
    from .curation import add_source

    fields = {
        "id": args.id,
        "title": args.title,
        "outlet": args.outlet,
        "author": args.author,
        "published": args.published,
        "url": args.url,
        "accessed": args.accessed,
        "kind": args.kind,
        "file": args.file,
        "licence": args.licence,
        "attribution": args.attribution,
        "part_of": args.part_of,
        "via": args.via,
        "note": args.note,
    }
    return _curate(args, lambda wc, a: add_source(wc, fields))


def _add_fact(args: argparse.Namespace) -> int:
    from .curation import add_fact

    return _curate(args, lambda wc, a: add_fact(wc, a.feature, _fact_fields(a), a.start))


def _add_event(args: argparse.Namespace) -> int:
    from .curation import add_event

    event = {
        "id": args.id,
        "name": args.name,
        "date": args.date,
        "end_date": args.end_date,
        "place": args.place,
        "place_source": args.place_source,
        "countries": args.countries or [],
        "i18n": _i18n(args.translation) or None,
    }
    fact = _fact_fields(args, "fact-")
    fact["date"] = fact["date"] or args.date
    fact["countries"] = fact["countries"] or event["countries"]
    fact["start"] = args.fact_start
    return _curate(args, lambda wc, a: add_event(wc, event, a.lon, a.lat, [fact]))


def _add_value(args: argparse.Namespace) -> int:
    from .curation import add_value

    value = {
        "value": args.value,
        "facts": args.facts,
        "since": args.since,
        "period": args.period,
        "statistics": args.statistics,
        "computed": args.computed or None,
        "note": args.note,
        "i18n": _i18n(args.translation) or None,
    }
    return _curate(args, lambda wc, a: add_value(wc, a.country.upper(), a.indicator, value))


def _add_route(args: argparse.Namespace) -> int:
    from .curation import add_route

    route = {
        "id": args.id,
        "name": args.name,
        "commodity": args.commodity,
        "transits_russia": args.transits_russia,
        "status": args.status,
        "reversed_flow": True if args.reversed_flow else None,
        "operator": args.operator,
        "capacity": args.capacity,
        "length_km": args.length_km,
        "countries": args.countries or [],
        "geometry_quality": args.geometry_quality,
        "geometry_note": args.geometry_note,
        "geometry_sources": args.geometry_sources,
        "attribution": args.attribution,
        "i18n": _i18n(args.translation) or None,
    }
    geometry = {"type": "LineString", "coordinates": args.coords}
    return _curate(args, lambda wc, a: add_route(wc, route, geometry))


def _import(args: argparse.Namespace) -> int:
    import yaml

    from .curation import import_batch
    from .store import load_yaml

    path = Path(args.file)
    try:
        doc = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        print(f"import: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:
        print(f"import: {path} is not UTF-8 (byte {exc.start})", file=sys.stderr)
        return 2
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        detail = " ".join(str(exc).split())
        print(f"import: {path} is not valid YAML: {detail}", file=sys.stderr)
        return 2
    return _curate(args, lambda wc, a: import_batch(wc, doc, path.name), dry_run=args.dry_run)


def _edit_fact(args: argparse.Namespace) -> int:
    from .curation import edit_fact

    if args.signals is not None and (args.add_signal or args.drop_signal):
        print(
            "edit-fact: give --signals (the whole list) or --add-signal/--drop-signal, not both",
            file=sys.stderr,
        )
        return 2
    fields = {
        "category": args.category,
        "date": args.date,
        "date_precision": args.date_precision,
        "date_note": args.date_note,
        "summary": args.summary,
        "source": args.source,
        "note": args.note,
        "i18n": _i18n(args.translation) or None,
    }
    given = any(v is not None for v in fields.values())
    if not (given or args.signals is not None or args.add_signal or args.drop_signal) and (
        not (args.add_relation or args.drop_relation)
    ):
        print("edit-fact: nothing to change: give at least one option", file=sys.stderr)
        return 2
    return _curate(
        args,
        lambda wc, a: edit_fact(
            wc,
            a.id,
            fields,
            signals=a.signals,
            add_signals=a.add_signal,
            drop_signals=a.drop_signal,
            add_relations=_relations_i18n(a.add_relation, a.translation),
            drop_relations=a.drop_relation,
        ),
    )


def _remove_fact(args: argparse.Namespace) -> int:
    from .curation import remove_fact

    return _curate(args, lambda wc, a: remove_fact(wc, a.id))


def _edit_source(args: argparse.Namespace) -> int:
    from .curation import edit_source

    fields = {
        "kind": args.kind,
        "url": args.url,
        "title": args.title,
        "outlet": args.outlet,
        "via": args.via,
        "published": args.published,
        "accessed": args.accessed,
        "attribution": args.attribution,
        "note": args.note,
    }
    if all(v is None for v in fields.values()):
        print("edit-source: nothing to change: give at least one option", file=sys.stderr)
        return 2
    return _curate(args, lambda wc, a: edit_source(wc, a.id, fields))


def _edit_value(args: argparse.Namespace) -> int:
    from .curation import edit_value

    fields = {
        "value": args.value,
        "facts": args.facts,
        "computed": args.computed,
        "note": args.note,
        "i18n": _i18n(args.translation) or None,
    }
    if all(v is None for v in fields.values()):
        print("edit-value: nothing to change: give at least one option", file=sys.stderr)
        return 2
    return _curate(
        args,
        lambda wc, a: edit_value(wc, a.country.upper(), a.indicator, a.index, fields),
    )


def _edit_event(args: argparse.Namespace) -> int:
    from .curation import edit_event

    fields = {"name": args.name, "date": args.date, "end_date": args.end_date, "place": args.place}
    if all(v is None for v in fields.values()):
        print("edit-event: nothing to change: give at least one option", file=sys.stderr)
        return 2
    return _curate(args, lambda wc, a: edit_event(wc, a.id, fields))


def _remove_source(args: argparse.Namespace) -> int:
    from .curation import remove_source

    return _curate(args, lambda wc, a: remove_source(wc, a.id))


def _remove_value(args: argparse.Namespace) -> int:
    from .curation import remove_value

    if args.index is None and args.period is None and args.since is None:
        print("remove-value: give --period (and --statistics), --since or --index", file=sys.stderr)
        return 2
    return _curate(
        args,
        lambda wc, a: remove_value(
            wc, a.country.upper(), a.indicator, a.period, a.statistics, a.since, a.index
        ),
    )


def _day_or_empty(text: str) -> str:
    return "" if text == "" else _day(text)


def _curation_parsers(sub: Any) -> None:
    _add_parsers(sub)
    _edit_parsers(sub)
    _remove_parsers(sub)
    imp = sub.add_parser("import", help="apply a YAML batch, all or nothing")
    imp.add_argument("file", help="FILE.yaml: sources, events, routes, facts, values")
    imp.add_argument("--dry-run", action="store_true", help="check everything, write nothing")


def _add_parsers(sub: Any) -> None:
    src = sub.add_parser("add-source", help="append a source to seeds/sources.yaml")
    src.add_argument("--id", required=True)
    src.add_argument("--title", required=True)
    src.add_argument("--outlet", required=True)
    src.add_argument("--author")
    src.add_argument("--published", type=_day, help="YYYY-MM-DD")
    src.add_argument("--url", help="the page's URL, exactly as read")
    src.add_argument("--kind", required=True, help="newsroom, government, state media, ...")
    src.add_argument("--accessed", type=_day, help="YYYY-MM-DD the page was read")
    src.add_argument("--file", help="a document kept in seeds/ (NAME.txt)")
    src.add_argument("--note")
    src.add_argument("--licence")
    src.add_argument("--attribution")
    src.add_argument("--part-of", help="the source this one is printed in (a teaser)")
    src.add_argument("--via", help="a repost: the reposting site (--outlet: the original's)")

    fact = sub.add_parser("add-fact", help="add a fact to a country, the region, a route or event")
    fact.add_argument("--feature", required=True, help="ISO3, region id, route id or event id")
    _fact_options(fact)

    ev = sub.add_parser("add-event", help="add a dated event with its first fact (--fact-*)")
    ev.add_argument("--id", required=True)
    ev.add_argument("--name", required=True)
    ev.add_argument("--date", type=_day, required=True)
    ev.add_argument("--end-date", type=_day)
    ev.add_argument("--place", required=True, help='e.g. "Samarkand, Uzbekistan"')
    ev.add_argument("--lon", type=float, required=True, help="longitude, degrees east")
    ev.add_argument("--lat", type=float, required=True, help="latitude, degrees north")
    ev.add_argument("--place-source", required=True, help="source of the coordinates (geonames)")
    ev.add_argument("--countries", type=_codes, default=[])
    ev.add_argument(
        "--translation",
        type=_translation,
        action="append",
        default=[],
        metavar="LANG:FIELD:TEXT",
        help="the event's name or place in another language (repeatable), e.g. ru:name:...",
    )
    _fact_options(ev, "fact-")

    val = sub.add_parser("add-value", help="add a value to a country's indicator history")
    val.add_argument("--country", required=True, help="ISO3")
    val.add_argument("--indicator", required=True, help="an indicator key of the catalogue")
    val.add_argument("--value", required=True, help="a number (21.3) or a class value")
    val.add_argument("--period", help='"2023" or "2023-01/2023-09"')
    val.add_argument("--statistics", help="who produced the number (national, imf, ...)")
    val.add_argument("--facts", type=_ids, required=True, help="ids of the facts that state it")
    val.add_argument("--since", type=_day, help="the value holds from this day")
    val.add_argument(
        "--computed",
        action="store_true",
        help="a number we computed from two published ones (cite both facts; say how in --note)",
    )
    val.add_argument("--note")
    val.add_argument(
        "--translation",
        type=_translation,
        action="append",
        default=[],
        metavar="LANG:FIELD:TEXT",
        help="the note in another language, e.g. ru:note:...",
    )

    rt = sub.add_parser("add-route", help="add an export route (a LineString)")
    rt.add_argument("--id", required=True)
    rt.add_argument("--name", required=True)
    rt.add_argument("--commodity", required=True, help="oil, gas, oil by tanker")
    rt.add_argument("--transits-russia", type=_yes_no, required=True, metavar="yes|no")
    rt.add_argument("--status", required=True, help="operating, construction, proposed, ...")
    rt.add_argument("--reversed-flow", action="store_true", help="operating in reverse")
    rt.add_argument("--operator", required=True)
    rt.add_argument("--capacity")
    rt.add_argument("--length-km", type=float)
    rt.add_argument("--countries", type=_codes, default=[])
    rt.add_argument("--geometry-quality", required=True, choices=("traced", "schematic"))
    rt.add_argument("--geometry-note")
    rt.add_argument("--geometry-sources", type=_ids, required=True)
    rt.add_argument("--attribution", required=True)
    rt.add_argument("--coords", type=_coords, required=True, help='"lon,lat;lon,lat;..."')
    rt.add_argument(
        "--translation",
        type=_translation,
        action="append",
        default=[],
        metavar="LANG:FIELD:TEXT",
        help="the route's name, operator, capacity, geometry note or attribution in another "
        "language (repeatable), e.g. ru:name:...",
    )


def _edit_parsers(sub: Any) -> None:
    ef = sub.add_parser("edit-fact", help="change fields of a fact where it is stored")
    ef.add_argument("id", help="the fact's id")
    ef.add_argument("--category")
    ef.add_argument("--date", type=_day, help="YYYY-MM-DD")
    ef.add_argument("--date-precision", choices=("day", "month", "year"))
    ef.add_argument("--date-note", help='when the day is approximate ("" removes it)')
    ef.add_argument("--summary", help="one line, in our words")
    ef.add_argument("--source", help="a source id (its excerpt, if any, must stand in it)")
    ef.add_argument("--note", help='longer context, in our words ("" removes it)')
    ef.add_argument(
        "--translation",
        type=_translation,
        action="append",
        default=[],
        metavar="LANG:FIELD:TEXT",
        help="set a field's text in another language (repeatable), e.g. ru:summary:...",
    )
    ef.add_argument("--signals", type=_ids, help="the whole list, comma-separated")
    ef.add_argument("--add-signal", action="append", default=[], metavar="SIGNAL")
    ef.add_argument("--drop-signal", action="append", default=[], metavar="SIGNAL")
    ef.add_argument(
        "--add-relation",
        type=_relation,
        action="append",
        default=[],
        metavar="KIND:FACT:NOTE",
        help="a relation to another fact (repeatable)",
    )
    ef.add_argument(
        "--drop-relation",
        action="append",
        default=[],
        metavar="FACT",
        help="remove its relations to this fact (repeatable)",
    )

    es = sub.add_parser("edit-source", help="change fields of a source in seeds/sources.yaml")
    es.add_argument("id", help="the source's id")
    es.add_argument("--kind")
    es.add_argument("--url")
    es.add_argument("--title")
    es.add_argument("--outlet")
    es.add_argument("--via", help='a repost: the reposting site ("" removes it)')
    es.add_argument("--published", type=_day_or_empty, help='YYYY-MM-DD ("" removes it)')
    es.add_argument("--accessed", type=_day, help="YYYY-MM-DD")
    es.add_argument("--attribution", help='a licence\'s credit line ("" removes it)')
    es.add_argument("--note", help='"" removes it')

    evl = sub.add_parser("edit-value", help="change a stored value's number, facts, mark or note")
    evl.add_argument("--country", required=True, help="ISO3")
    evl.add_argument("--indicator", required=True)
    evl.add_argument("--index", type=_non_negative, default=0, help="its place in the history")
    evl.add_argument("--value", help="a number (21.3) or a class value")
    evl.add_argument("--facts", type=_ids, help="the whole list of facts that state it")
    evl.add_argument(
        "--computed", action=argparse.BooleanOptionalAction, help="computed by us from two figures"
    )
    evl.add_argument("--note", help='"" removes it')
    evl.add_argument(
        "--translation",
        type=_translation,
        action="append",
        default=[],
        metavar="LANG:FIELD:TEXT",
        help="the note in another language, e.g. ru:note:...",
    )

    ee = sub.add_parser("edit-event", help="change an event's name, date, end date or place")
    ee.add_argument("id", help="the event's id")
    ee.add_argument("--name")
    ee.add_argument("--date", type=_day, help="YYYY-MM-DD")
    ee.add_argument("--end-date", type=_day_or_empty, help='YYYY-MM-DD ("" removes it)')
    ee.add_argument("--place")


def _remove_parsers(sub: Any) -> None:
    rf = sub.add_parser("remove-fact", help="remove a fact (refused while something cites it)")
    rf.add_argument("id", help="the fact's id")

    rs = sub.add_parser("remove-source", help="remove a source (refused while cited)")
    rs.add_argument("id", help="the source's id")

    rv = sub.add_parser("remove-value", help="remove one value of a country's indicator")
    rv.add_argument("--country", required=True, help="ISO3")
    rv.add_argument("--indicator", required=True)
    rv.add_argument("--period", help='"2023" or "2023-01/2023-09"')
    rv.add_argument("--statistics", help="when two statistics give the period")
    rv.add_argument("--since", type=_day, help="a class value's day")
    rv.add_argument("--index", type=_non_negative, help="the position in the history")


# --- main ------------------------------------------------------------------------------------


def _forgiving_streams() -> None:
    """Print every problem even on a console that cannot show some character of it (a name
    quoted from the data): such a character is escaped, never a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")


def main(argv: list[str] | None = None) -> int:
    _forgiving_streams()
    parser = argparse.ArgumentParser(prog="python -m central_asia_atlas")
    parser.add_argument("--data", default=str(dataset.current_data_dir()), help="data directory")
    parser.add_argument("--seeds", default=str(dataset.current_seeds_dir()), help="seeds directory")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every file, fact, excerpt and indicator")
    sub.add_parser("anchor", help="fill in start/end of excerpts that occur exactly once")
    geo = sub.add_parser(
        "build-geometry",
        help="regenerate country shapes and the basemap "
        "from Natural Earth (npm world-atlas); properties are kept",
    )
    geo.add_argument("--tolerance", type=float, default=0.02, help="simplification, degrees")
    site = sub.add_parser(
        "build-site", help="write the static site (map, embed, pages, data) into a directory"
    )
    site.add_argument("out", help="a new or empty directory, or one build-site wrote before")
    site.add_argument(
        "--base-url", help="the site's public address (canonical links and the sitemap)"
    )
    _curation_parsers(sub)
    # accept --data/--seeds after the sub-command too
    for p in sub.choices.values():
        p.add_argument("--data", default=argparse.SUPPRESS)
        p.add_argument("--seeds", default=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "validate": _validate,
        "anchor": _anchor,
        "build-geometry": _build_geometry,
        "build-site": _build_site,
        "add-source": _add_source,
        "add-fact": _add_fact,
        "add-event": _add_event,
        "add-value": _add_value,
        "add-route": _add_route,
        "import": _import,
        "edit-fact": _edit_fact,
        "remove-fact": _remove_fact,
        "edit-source": _edit_source,
        "edit-event": _edit_event,
        "edit-value": _edit_value,
        "remove-source": _remove_source,
        "remove-value": _remove_value,
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `validate | head`: the reader has gone; stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
