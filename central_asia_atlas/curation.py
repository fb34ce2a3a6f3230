"""Curation: change the data the way a curator does, safely.

Every change is made to an in-memory working copy of data/ and seeds/ while a lock is held; the
changed files are written into a temporary copy of both directories and loaded with
`store.load`; only when that load has no problem that the unchanged data did not have are the
files replaced (each written to a temporary file in its own directory, then renamed over the
old one). GeoJSON is written in the stable layout of `dump_collection`; a source is appended
to seeds/sources.yaml as a block in the file's own style, the rest of the file untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import fcntl
import json
import os
import re
import shutil
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import checks, store
from .catalogue import NumericSpec
from .dataset import FILES, SOURCES_FILE, Problem
from .model import EventProps, Fact, IndicatorValue, Kind, RouteProps, Source
from .provenance import anchor, occurrences, read_source_text
from .store import load_yaml

LOCK_FILE = ".curation.lock"


# Key order of each kind of object as it is written: the models' field order, so that a field
# added to a model is written in its place without a second list to keep in step.
def _layout(model: type[Any]) -> tuple[str, ...]:
    """A model's fields in the order the files keep them: its own, then its translations."""
    own = tuple(k for k in model.model_fields if k != "i18n")
    return (*own, "i18n") if "i18n" in model.model_fields else own


SOURCE_KEYS = _layout(Source)
FACT_KEYS = _layout(Fact)
VALUE_KEYS = _layout(IndicatorValue)
EVENT_KEYS = _layout(EventProps)
ROUTE_KEYS = _layout(RouteProps)


class Refused(Exception):
    """The change cannot be made; each line says where and why. Nothing was written."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


# --- the stable GeoJSON layout -------------------------------------------------------------


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
    write_atomic(path, dump_collection(doc))


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`: a reader
    (or a crash) sees the old file or the new one, never half of one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# --- anchor: fill excerpt offsets ------------------------------------------------------------


def _iter_facts(doc: dict[str, Any]) -> Any:
    for feat in doc.get("features", []):
        props = feat.get("properties") or {}
        name = props.get("iso3") or props.get("id") or "?"
        for fact in props.get("facts") or []:
            yield name, fact


def anchor_files(data_dir: Path, seeds_dir: Path) -> tuple[list[str], list[str]]:
    """Set start/end for every excerpt that occurs once in its source; report the others."""
    sources = store.load_yaml(
        (seeds_dir / SOURCES_FILE).read_text(encoding="utf-8"), dates_as_text=False
    )["sources"]
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


# --- the nearest passage (for an excerpt that is not in the text) ------------------------------


@dataclass(frozen=True)
class Nearest:
    start: int
    end: int
    ratio: float
    difference: str  # the first difference, in words ("" when none is found)


def nearest_passage(text: str, excerpt: str) -> Nearest | None:
    """The passage of `text` most like `excerpt` (difflib over windows of the text)."""
    n = len(excerpt)
    if not text or not excerpt:
        return None
    step = max(1, n // 8)
    last = max(0, len(text) - n)
    starts = sorted({*range(0, last + 1, step), last})
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(excerpt)  # the second sequence is the one difflib caches
    scored = []
    for s in starts:
        matcher.set_seq1(text[s : s + n])
        scored.append((matcher.quick_ratio(), s))
    scored.sort(reverse=True)
    best_ratio, best = -1.0, 0
    for bound, s in scored[:4000]:
        if bound <= best_ratio:
            break  # quick_ratio bounds ratio from above: no later window can do better
        matcher.set_seq1(text[s : s + n])
        r = matcher.ratio()
        if r > best_ratio:
            best_ratio, best = r, s
    # align: the span of the text around the best window that the excerpt's matches cover
    lo = max(0, best - n // 2)
    region = text[lo : best + n + n // 2]
    aligner = difflib.SequenceMatcher(None, region, excerpt, autojunk=False)
    blocks = [b for b in aligner.get_matching_blocks() if b.size >= 3] or [
        b for b in aligner.get_matching_blocks() if b.size
    ]
    if not blocks:
        return Nearest(best, min(len(text), best + n), max(best_ratio, 0.0), "")
    start = lo + blocks[0].a - blocks[0].b  # where the excerpt's first character would stand
    start = max(lo, min(start, lo + blocks[0].a))
    end = lo + blocks[-1].a + blocks[-1].size
    end = min(len(text), end + (n - (blocks[-1].b + blocks[-1].size)))
    passage = text[start:end]
    ratio = difflib.SequenceMatcher(None, passage, excerpt, autojunk=False).ratio()
    return Nearest(start, end, ratio, _first_difference(excerpt, passage))


def _first_difference(excerpt: str, passage: str) -> str:
    ops = difflib.SequenceMatcher(None, excerpt, passage, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        mine, theirs = _show(excerpt[i1:i2]), _show(passage[j1:j2])
        if tag == "replace":
            return f"at character {i1} the excerpt has {mine} where the text has {theirs}"
        if tag == "delete":
            return f"at character {i1} the excerpt has {mine}, which the text has not"
        return f"at character {i1} the text has {theirs}, which the excerpt has not"
    return ""


def _show(s: str, limit: int = 40) -> str:
    s = s if len(s) <= limit else s[:limit] + "…"
    return json.dumps(s, ensure_ascii=False)


def one_line(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)[1:-1]


# --- YAML blocks in the style of sources.yaml ---------------------------------------------


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WRAP = 100


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    s = str(value)
    if key in ("published", "accessed") and _DATE.match(s):
        return s
    if s and s == s.strip() and "\n" not in s and not s.startswith(("'", '"', "{", "[")):
        try:
            if load_yaml(f"k: {s}\n") == {"k": s}:
                return s
        except yaml.YAMLError:
            pass
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def source_block(item: dict[str, Any], indent: str = "  ", fold: bool = True) -> str:
    """A source as a YAML list item in the style of seeds/sources.yaml: one `key: value` line
    per field, a long title, attribution or note folded (`>-`) at 100 columns."""
    inner = indent + "  "
    lines = []
    for i, key in enumerate(k for k in SOURCE_KEYS if item.get(k) is not None):
        lead = f"{indent}- " if i == 0 else inner
        value = item[key]
        text = _scalar(key, value)
        if (
            fold
            and key in ("title", "attribution", "note")
            and isinstance(value, str)
            and len(lead) + len(key) + 2 + len(text) > WRAP
        ):
            body = textwrap.wrap(
                value, width=WRAP - len(inner) - 2, break_long_words=False, break_on_hyphens=False
            )
            lines.append(f"{lead}{key}: >-")
            lines.extend(f"{inner}  {line}" for line in body)
        else:
            lines.append(f"{lead}{key}: {text}")
    block = "\n".join(lines) + "\n"
    if fold:
        try:
            same = load_yaml("sources:\n" + block) == {"sources": [_present(item)]}
        except yaml.YAMLError:
            same = False
        if not same:  # folding would change the text (double spaces, line breaks): quote it
            return source_block(item, indent, fold=False)
    return block


def _present(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v is not None}


def append_source(sources_text: str, item: dict[str, Any]) -> str:
    """sources.yaml with `item` appended as a block; the rest of the file byte for byte."""
    m = re.search(r"^( *)- id:", sources_text, flags=re.M)
    indent = m.group(1) if m else "  "
    head = sources_text if sources_text.endswith("\n") or not sources_text else sources_text + "\n"
    new = head + source_block(item, indent)
    before = load_yaml(sources_text) if sources_text.strip() else None
    after = load_yaml(new)
    old_list = before.get("sources") if isinstance(before, dict) else None
    clean = _present(item)
    if (
        not isinstance(old_list, list)
        or not isinstance(after, dict)
        or after.get("sources") != [*old_list, clean]
    ):
        raise Refused(
            f"{SOURCES_FILE}: cannot append a source: the file does not end with its "
            "'sources:' list in block style"
        )
    return new


# --- the working copy -------------------------------------------------------------------------


def _name(props: dict[str, Any]) -> str:
    return str(props.get("iso3") or props.get("id") or "?")


@dataclass
class WorkingCopy:
    """data/ and seeds/ in memory; `changed` names the files to write."""

    data_dir: Path
    seeds_dir: Path
    docs: dict[str, dict[str, Any]] = field(default_factory=dict)  # GeoJSON file name -> doc
    sources_text: str = ""
    changed: set[str] = field(default_factory=set)
    log: list[str] = field(default_factory=list)
    _texts: dict[str, str] = field(default_factory=dict)
    _parsed: tuple[str, list[dict[str, Any]]] | None = None

    @classmethod
    def read(cls, data_dir: Path, seeds_dir: Path) -> WorkingCopy:
        wc = cls(data_dir, seeds_dir)
        path = seeds_dir / SOURCES_FILE
        try:
            wc.sources_text = read_source_text(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise Refused(f"{seeds_dir.name}/{SOURCES_FILE}: cannot be read ({exc})") from exc
        for fname in FILES.values():
            fpath = data_dir / fname
            try:
                doc = json.loads(fpath.read_text(encoding="utf-8"))
            except FileNotFoundError:
                doc = {"type": "FeatureCollection", "features": []}
            except (OSError, ValueError, RecursionError) as exc:
                detail = " ".join(str(exc).split())
                raise Refused(
                    f"{data_dir.name}/{fname}: cannot be read ({detail}); run `validate`"
                ) from exc
            if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
                raise Refused(f"{data_dir.name}/{fname}: not a GeoJSON FeatureCollection")
            wc.docs[fname] = doc
        return wc

    # labels as the loader prints them
    def data_label(self, fname: str) -> str:
        return f"{self.data_dir.name}/{fname}"

    @property
    def sources_label(self) -> str:
        return f"{self.seeds_dir.name}/{SOURCES_FILE}"

    def sources(self) -> list[dict[str, Any]]:
        if self._parsed is not None and self._parsed[0] == self.sources_text:
            return self._parsed[1]
        try:
            doc = load_yaml(self.sources_text)
        except (yaml.YAMLError, ValueError, RecursionError) as exc:
            detail = " ".join(str(exc).split())
            raise Refused(f"{self.sources_label}: not valid YAML ({detail})") from exc
        items = doc.get("sources") if isinstance(doc, dict) else None
        if not isinstance(items, list):
            raise Refused(f"{self.sources_label}: expected a list under 'sources'")
        found = [s for s in items if isinstance(s, dict)]
        self._parsed = (self.sources_text, found)
        return found

    def source(self, sid: str) -> dict[str, Any] | None:
        return next((s for s in self.sources() if s.get("id") == sid), None)

    def text_of(self, src: dict[str, Any]) -> str:
        sid = str(src.get("id"))
        if sid not in self._texts:
            path = self.seeds_dir / str(src.get("file"))
            try:
                self._texts[sid] = read_source_text(path)
            except (OSError, UnicodeDecodeError) as exc:
                raise Refused(
                    f"{self.seeds_dir.name}/{src.get('file')}: the text of source {sid!r} "
                    f"cannot be read ({exc})"
                ) from exc
        return self._texts[sid]

    def features(self, kind: Kind) -> list[dict[str, Any]]:
        feats: list[dict[str, Any]] = self.docs[FILES[kind]]["features"]
        return feats

    def find_feature(self, name: str) -> tuple[Kind, dict[str, Any]] | None:
        for kind in (Kind.country, Kind.region, Kind.route, Kind.event):
            for feat in self.features(kind):
                props = feat.get("properties")
                if isinstance(props, dict) and name in (props.get("iso3"), props.get("id")):
                    return kind, feat
        return None

    def feature_names(self) -> list[str]:
        names = []
        for kind in (Kind.country, Kind.region, Kind.route, Kind.event):
            for feat in self.features(kind):
                if isinstance(feat.get("properties"), dict):
                    names.append(_name(feat["properties"]))
        return names

    def where_is_fact(self, fid: str) -> str | None:
        for kind in (Kind.country, Kind.region, Kind.route, Kind.event):
            for feat in self.features(kind):
                props = feat.get("properties") or {}
                for fact in props.get("facts") or []:
                    if isinstance(fact, dict) and fact.get("id") == fid:
                        return f"{self.data_label(FILES[kind])}, feature {_name(props)}"
        return None

    def touch(self, kind: Kind) -> None:
        self.changed.add(FILES[kind])


# --- building objects from options ------------------------------------------------------------


def ordered(raw: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """`raw` with its keys in the written order, empty values left out; unknown keys kept at
    the end (the loader reports them, located)."""
    out = {k: raw[k] for k in keys if k in raw and raw[k] is not None and raw[k] != []}
    out.update({k: v for k, v in raw.items() if k not in out and k not in keys})
    return out


def as_text(value: Any) -> Any:
    """Dates (from YAML) as ISO text, recursively; other values unchanged."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_text(v) for v in value]
    return value


_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")


def parse_value(text: Any) -> Any:
    """A number when `text` looks like one ("21.3", "12", "1e3"), else the text itself."""
    if not isinstance(text, str):
        return text
    s = text.strip()
    if _INT.match(s):
        return int(s)
    if _FLOAT.match(s):
        return float(s)
    return text


def _numeric_indicators(data_dir: Path) -> dict[str, str]:
    """Numeric indicator keys of the catalogue -> unit (none from an unreadable catalogue:
    the loader then says what is wrong)."""
    cat = store.load_catalogue(data_dir, [])
    return {k: s.unit for k, s in cat.indicators.items() if isinstance(s, NumericSpec)}


# --- the changes ----------------------------------------------------------------------------


def _url_taken(wc: WorkingCopy, url: str, but: str | None = None) -> str | None:
    """The id of another source with this URL (checks.same_url: one source id per URL)."""
    others = ((str(o.get("id")), o.get("url")) for o in wc.sources() if o.get("id") != but)
    return checks.same_url(url, ((i, str(u) if u else None) for i, u in others))


def _fact_source_refusal(
    wc: WorkingCopy, fact: dict[str, Any], where: str, field: str | None = None, hint: str = ""
) -> dict[str, Any]:
    """The fact's source, or a refusal in the loader's words (checks.unknown_source and
    checks.excerpt_rule) and the command's `hint`. A stored document's excerpt is located later.
    """
    sid = str(fact.get("source") or "")
    src = wc.source(sid) if sid else None
    if src is None:
        missing = checks.unknown_source(sid, ())
        raise Refused(f"{where}, field source: {missing}: add it first with add-source")
    stored = str(src["file"]) if src.get("file") else None
    found = checks.excerpt_rule(sid, stored, bool(fact.get("excerpt")), True, wc.seeds_dir.name)
    if found is not None:
        if not hint:
            hint = (
                "give --excerpt, the source's own words"
                if stored
                else "give a paraphrase in --summary and --note"
            )
        raise Refused(f"{where}, field {field or found[0]}: {found[1]}; {hint}")
    return src


def add_source(wc: WorkingCopy, raw: dict[str, Any]) -> None:
    item = as_text(raw)
    sid = item.get("id")
    if not isinstance(sid, str) or not sid:
        raise Refused(f"{wc.sources_label}: a source needs an id")
    if wc.source(sid) is not None:
        raise Refused(
            f"{wc.sources_label}, feature source {sid}, field id: a source with this id "
            "already exists (reuse it, or choose another id)"
        )
    url = item.get("url")
    if url and (other := _url_taken(wc, str(url))) is not None:
        raise Refused(
            f"{wc.sources_label}, feature source {sid}, field url: the URL is already "
            f"the source {other!r}: cite that source instead"
        )
    for key in item:
        if key not in SOURCE_KEYS:
            raise Refused(
                f"{wc.sources_label}, feature source {sid}, field {key}: unknown field "
                f"(known: {', '.join(SOURCE_KEYS)})"
            )
    wc.sources_text = append_source(wc.sources_text, item)
    wc.changed.add(SOURCES_FILE)
    wc.log.append(f"{wc.sources_label}: added source {sid}")


def add_fact(wc: WorkingCopy, feature: str, raw: dict[str, Any], start: int | None = None) -> None:
    fact = as_text(dict(raw))
    fid = fact.get("id")
    found = wc.find_feature(feature)
    if found is None:
        known = ", ".join(wc.feature_names())
        raise Refused(
            f"{wc.data_dir.name}: fact {fid}: no feature {feature!r} (an ISO3, the region id, "
            f"a route id or an event id; known: {known})"
        )
    kind, feat = found
    label = wc.data_label(FILES[kind])
    where = f"{label}, feature {feature}, fact {fid}"
    if not isinstance(fid, str) or not fid:
        raise Refused(f"{label}, feature {feature}: a fact needs an id")
    other = wc.where_is_fact(fid)
    if other is not None:
        raise Refused(f"{where}, field id: duplicate fact id (already in {other})")
    src = _fact_source_refusal(wc, fact, where)
    if src.get("file"):
        text = wc.text_of(src)
        fact["start"], fact["end"] = locate_excerpt(text, str(fact["excerpt"]), start, where, src)
    props = feat.setdefault("properties", {})
    facts = props.get("facts")
    if facts is None:
        facts = props["facts"] = []
    if not isinstance(facts, list):
        raise Refused(f"{label}, feature {feature}, field facts: not a list")
    facts.append(ordered(fact, FACT_KEYS))
    wc.touch(kind)
    at = f" (excerpt at {fact['start']}-{fact['end']})" if "start" in fact else ""
    wc.log.append(f"{label}, feature {feature}: added fact {fid}{at}")


def locate_excerpt(
    text: str, excerpt: str, start: int | None, where: str, src: dict[str, Any]
) -> tuple[int, int]:
    doc = f"{src.get('file')}"
    found = occurrences(text, excerpt)
    if start is not None:
        if text[start : start + len(excerpt)] == excerpt:
            return start, start + len(excerpt)
        at = ", ".join(str(i) for i in found[:10]) or "nowhere"
        raise Refused(
            f"{where}, field start: the excerpt does not stand at {start} in {doc} "
            f"(it stands at: {at})"
        )
    if len(found) == 1:
        return found[0], found[0] + len(excerpt)
    if found:
        at = ", ".join(str(i) for i in found[:10])
        raise Refused(
            f"{where}, field excerpt: the excerpt occurs {len(found)} times in {doc} "
            f"(at {at}): give --start with one of them, or a longer excerpt"
        )
    near = nearest_passage(text, excerpt)
    lines = [
        f"{where}, field excerpt: the excerpt is not in {doc} (not a verbatim quotation: "
        "check every character, quotes and dashes included)"
    ]
    if near is not None:
        lines.append(
            f"  nearest passage (characters {near.start}-{near.end}, "
            f'{near.ratio:.0%} alike): "{one_line(text[near.start : near.end])}"'
        )
        if near.difference:
            lines.append(f"  first difference: {near.difference}")
    raise Refused(*lines)


def _country_feature(wc: WorkingCopy, country: str) -> tuple[str, dict[str, Any]]:
    """The countries file's label and the feature of `country`; refused if there is none."""
    label = wc.data_label(FILES[Kind.country])
    feat = next(
        (
            f
            for f in wc.features(Kind.country)
            if isinstance(f.get("properties"), dict) and f["properties"].get("iso3") == country
        ),
        None,
    )
    if feat is None:
        known = ", ".join(_name(f["properties"]) for f in wc.features(Kind.country))
        raise Refused(f"{label}: no country {country!r} (known: {known})")
    return label, feat


def add_value(wc: WorkingCopy, country: str, indicator: str, raw: dict[str, Any]) -> None:
    val = as_text(dict(raw))
    val["value"] = parse_value(val.get("value"))
    label, feat = _country_feature(wc, country)
    where = f"{label}, feature {country}, field indicators.{indicator}"
    numeric = _numeric_indicators(wc.data_dir)
    if indicator in numeric and not isinstance(val["value"], int | float):
        raise Refused(
            f"{where}.value: {val['value']!r} is not a number, and {indicator} is numeric "
            f"({numeric[indicator] or 'no unit'}): write it like 21.3 (a decimal point, no unit)"
        )
    if (
        indicator in numeric
        and isinstance(val["value"], float)
        and not (val["value"] == val["value"] and abs(val["value"]) != float("inf"))
    ):
        raise Refused(f"{where}.value: not a finite number")
    facts = val.get("facts")
    if not isinstance(facts, list) or not facts:
        raise Refused(f"{where}.facts: a value needs the ids of the facts that state it")
    props = feat["properties"]
    indicators = props.setdefault("indicators", {})
    if not isinstance(indicators, dict):
        raise Refused(f"{label}, feature {country}, field indicators: not a mapping")
    new = ordered(val, VALUE_KEYS)
    old = indicators.get(indicator)
    if old is None:
        indicators[indicator] = new
        n = 0
    else:
        history = old if isinstance(old, list) else [old]
        for i, other in enumerate(history):
            if (
                isinstance(other, dict)
                and other.get("period") == new.get("period")
                and other.get("statistics") == new.get("statistics")
                and other.get("since") == new.get("since")
            ):
                if new.get("period") is None and new.get("statistics") is None:
                    raise Refused(
                        f"{where}{'.' + str(i) if len(history) > 1 else ''}: a value is already "
                        f"there ({other.get('value')!r}, since {other.get('since') or 'its facts'}"
                        "): give --since, the day the new value holds from"
                    )
                raise Refused(
                    f"{where}.{i}: a value for period {new.get('period')!r} from statistics "
                    f"{new.get('statistics')!r} is already there ({other.get('value')!r}); "
                    "give another period or statistics, or edit that value"
                )
        indicators[indicator] = [*history, new]
        n = len(history)
    wc.touch(Kind.country)
    period = f" for {new['period']}" if new.get("period") else ""
    wc.log.append(
        f"{label}, feature {country}: indicators.{indicator}"
        f"{'.' + str(n) if n else ''} = {new['value']!r}{period}"
    )


def add_event(
    wc: WorkingCopy, raw: dict[str, Any], lon: float, lat: float, facts: list[dict[str, Any]]
) -> None:
    """An event at (lon, lat) with its facts (each a fact's fields, `start` optional)."""
    props = as_text(dict(raw))
    eid = props.get("id")
    label = wc.data_label(FILES[Kind.event])
    if not isinstance(eid, str) or not eid:
        raise Refused(f"{label}: an event needs an id")
    if wc.find_feature(eid) is not None:
        raise Refused(f"{label}, feature {eid}, field id: a feature with this id already exists")
    props["facts"] = []
    wc.features(Kind.event).append(
        {
            "type": "Feature",
            "properties": ordered(props, EVENT_KEYS) | {"facts": []},
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
        }
    )
    wc.touch(Kind.event)
    wc.log.append(f"{label}: added event {eid} ({props.get('date')}, {props.get('place')})")
    for f in facts:
        f = dict(f)
        start = f.pop("start", None)
        add_fact(wc, eid, f, start)


EDITABLE_EVENT_FIELDS = ("name", "date", "end_date", "place")


def edit_event(wc: WorkingCopy, eid: str, fields: dict[str, Any]) -> None:
    """Change fields of event `eid` (None: leave it; "" removes end_date). One log line per
    field changed; the loader then checks the dates (in order, none in the future)."""
    label = wc.data_label(FILES[Kind.event])
    feat = next(
        (
            f
            for f in wc.features(Kind.event)
            if isinstance(f.get("properties"), dict) and f["properties"].get("id") == eid
        ),
        None,
    )
    if feat is None:
        known = ", ".join(_name(f["properties"]) for f in wc.features(Kind.event))
        raise Refused(f"{label}: no event {eid!r} (known: {known})")
    props = feat["properties"]
    where = f"{label}, feature {eid}"
    for key, new in as_text(fields).items():
        if key not in EDITABLE_EVENT_FIELDS:
            raise Refused(f"{where}, field {key}: not editable (edit: {EDITABLE_EVENT_FIELDS})")
        old = props.get(key)
        if new is None or new == old:
            continue
        if new == "":
            if key != "end_date":
                raise Refused(f"{where}, field {key}: cannot be empty")
            if old is None:
                continue
            props.pop(key)
            wc.log.append(f"{where}: {key} {_shown(old)} removed")
        else:
            props[key] = new
            wc.log.append(f"{where}: {key} {_shown(old)} -> {_shown(new)}")
    feat["properties"] = ordered(props, EVENT_KEYS)
    wc.touch(Kind.event)


def parse_coords(text: str) -> list[list[float]]:
    """ "lon,lat;lon,lat;..." -> [[lon, lat], ...]; ValueError says what is wrong."""
    points = []
    for i, part in enumerate(p for p in text.replace("\n", ";").split(";") if p.strip()):
        bits = part.split(",")
        if len(bits) != 2:
            raise ValueError(f"point {i} {part.strip()!r} is not 'lon,lat'")
        try:
            points.append([float(bits[0]), float(bits[1])])
        except ValueError:
            raise ValueError(f"point {i} {part.strip()!r} is not two numbers") from None
    if len(points) < 2:
        raise ValueError("a LineString needs at least two points 'lon,lat;lon,lat'")
    return points


def add_route(wc: WorkingCopy, raw: dict[str, Any], geometry: dict[str, Any]) -> None:
    props = as_text(dict(raw))
    rid = props.get("id")
    label = wc.data_label(FILES[Kind.route])
    if not isinstance(rid, str) or not rid:
        raise Refused(f"{label}: a route needs an id")
    if wc.find_feature(rid) is not None:
        raise Refused(f"{label}, feature {rid}, field id: a feature with this id already exists")
    facts = props.pop("facts", None) or []
    props["facts"] = []
    wc.features(Kind.route).append(
        {
            "type": "Feature",
            "properties": ordered(props, ROUTE_KEYS) | {"facts": []},
            "geometry": geometry,
        }
    )
    wc.touch(Kind.route)
    n = len(geometry.get("coordinates") or [])
    wc.log.append(f"{label}: added route {rid} ({props.get('status')}, {n} points)")
    for f in facts:
        f = dict(f)
        start = f.pop("start", None)
        add_fact(wc, rid, f, start)


# --- import -------------------------------------------------------------------------------

IMPORT_SECTIONS = (
    "translations",
    "sources",
    "events",
    "routes",
    "facts",
    "values",
    "edit_sources",
    "edit_events",
    "edit_facts",
    "edit_values",
)


def _yes_no(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("yes", "no", "true", "false"):
        return value.lower() in ("yes", "true")
    return value


def route_geometry(item: dict[str, Any], where: str) -> dict[str, Any]:
    """The geometry of an imported route: `coords` ("lon,lat;..." or [[lon, lat], ...]) or
    `geometry` (GeoJSON)."""
    if "geometry" in item:
        geom = item.pop("geometry")
        if not isinstance(geom, dict):
            raise Refused(f"{where}, field geometry: expected a GeoJSON geometry object")
        return dict(geom)
    coords = item.pop("coords", None)
    if isinstance(coords, str):
        try:
            return {"type": "LineString", "coordinates": parse_coords(coords)}
        except ValueError as exc:
            raise Refused(f"{where}, field coords: {exc}") from None
    if isinstance(coords, list) and all(
        isinstance(p, list)
        and len(p) == 2
        and all(isinstance(x, int | float) and not isinstance(x, bool) for x in p)
        for p in coords
    ):
        return {"type": "LineString", "coordinates": [[float(x), float(y)] for x, y in coords]}
    raise Refused(f"{where}, field coords: give 'lon,lat;lon,lat;...' or a list of [lon, lat]")


def import_batch(wc: WorkingCopy, doc: Any, label: str) -> None:
    """Apply a batch (see docs/curation.md): sources, events, routes, facts, values, in that
    order whatever the order in the file (a fact may be stored on an event or route of the
    same batch)."""
    if not isinstance(doc, dict):
        raise Refused(f"{label}: expected a mapping with sources/events/routes/facts/values")
    unknown = [k for k in doc if k not in IMPORT_SECTIONS]
    if unknown:
        raise Refused(
            f"{label}: unknown section(s) {', '.join(map(str, unknown))} "
            f"(known: {', '.join(IMPORT_SECTIONS)})"
        )
    items: dict[str, list[dict[str, Any]]] = {}
    for section in IMPORT_SECTIONS[1:]:  # the lists (translations: a mapping, below)
        got = doc.get(section) or []
        if not isinstance(got, list):
            raise Refused(f"{label}, {section}: expected a list")
        for i, item in enumerate(got):
            if not isinstance(item, dict):
                raise Refused(f"{label}, {section} #{i}: expected a mapping of fields")
        items[section] = [as_text(dict(item)) for item in got]
    errors: list[str] = []

    def attempt(what: str, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except Refused as exc:
            errors.extend(
                f"{label}, {what}: {line}" if not line.startswith("  ") else line
                for line in exc.lines
            )

    for i, src in enumerate(items["sources"]):
        attempt(f"sources #{i} ({src.get('id')})", add_source, wc, src)
    for i, ev in enumerate(items["events"]):
        what = f"events #{i} ({ev.get('id')})"
        lon, lat = ev.pop("lon", None), ev.pop("lat", None)
        ok = all(isinstance(x, int | float) and not isinstance(x, bool) for x in (lon, lat))
        if not ok:
            errors.append(f"{label}, {what}: give lon and lat as numbers (degrees, WGS84)")
            continue
        inline = ev.pop("facts", None) or []
        attempt(what, add_event, wc, ev, float(lon), float(lat), inline)
    for i, route in enumerate(items["routes"]):
        what = f"routes #{i} ({route.get('id')})"
        try:
            geom = route_geometry(route, f"{label}, {what}")
        except Refused as exc:
            errors.extend(exc.lines)
            continue
        for key in ("transits_russia", "reversed_flow"):
            if key in route:
                route[key] = _yes_no(route[key])
        attempt(what, add_route, wc, route, geom)
    for i, fact in enumerate(items["facts"]):
        what = f"facts #{i} ({fact.get('id')})"
        feature = fact.pop("feature", None)
        if not isinstance(feature, str) or not feature:
            errors.append(f"{label}, {what}: give `feature:` (ISO3, region, route or event id)")
            continue
        start = fact.pop("start", None)
        fact.pop("end", None)  # found again from the excerpt
        attempt(what, add_fact, wc, feature, fact, start)
    for i, val in enumerate(items["values"]):
        what = f"values #{i}"
        country, indicator = val.pop("country", None), val.pop("indicator", None)
        if not isinstance(country, str) or not isinstance(indicator, str):
            errors.append(f"{label}, {what}: give `country:` and `indicator:`")
            continue
        attempt(f"{what} ({country} {indicator})", add_value, wc, country, indicator, val)
    _import_edits(wc, items, attempt, errors, label)
    translations = doc.get("translations") or {}
    if not isinstance(translations, dict):
        errors.append(f"{label}, translations: expected a mapping of language to texts")
    else:
        for lang, texts in translations.items():
            attempt(f"translations {lang}", translate, wc, str(lang), texts)
    if errors:
        raise Refused(*errors)


def _merge_i18n(raw: dict[str, Any], lang: str, texts: dict[str, Any]) -> list[str]:
    """Put `texts` (field: text) into `raw`'s translations for `lang`; the fields changed."""
    given = raw.setdefault("i18n", {}).setdefault(lang, {})
    changed = [k for k, v in texts.items() if given.get(k) != v]
    given.update(texts)
    return changed


def _translate_values(wc: WorkingCopy, lang: str, values: Any) -> None:
    """`values: {ISO3: {indicator: note}}`, or `{indicator: {position: note}}` for a history
    (a note also as `{note: ...}`)."""
    label = wc.data_label(FILES[Kind.country])
    for iso3, by_key in values.items():
        _, feat = _country_feature(wc, str(iso3))
        indicators = feat["properties"].get("indicators") or {}
        for key, given in by_key.items():
            held = indicators.get(key)
            history = held if isinstance(held, list) else [held] if held else []
            notes = given if isinstance(given, dict) else {0: given}
            for pos, note in notes.items():
                note = note.get("note") if isinstance(note, dict) else note
                i = int(pos) if str(pos).isdigit() else -1
                if not 0 <= i < len(history):
                    raise Refused(
                        f"{label}, feature {iso3}, field indicators.{key}.{pos}: no such value "
                        f"(it has {len(history)})"
                    )
                if not isinstance(note, str) or not note.strip():
                    raise Refused(
                        f"{label}, feature {iso3}, field indicators.{key}.{pos}: "
                        f"no {lang} note given"
                    )
                _merge_i18n(history[i], lang, {"note": note})
                history[i] = ordered(history[i], VALUE_KEYS)
            if isinstance(held, list):
                indicators[key] = history
            elif history:
                indicators[key] = history[0]
            wc.log.append(f"{label}, feature {iso3}: {lang} text for indicators.{key} notes")
    if values:
        wc.touch(Kind.country)


def translate(wc: WorkingCopy, lang: str, texts: Any) -> None:
    """The data's texts in another language (an import batch's `translations: {lang: ...}`):
    `facts: {id: {summary, date_note, note, relations: {fact id: note}}}`,
    `features: {id or ISO3: {name, place, operator, ..., capital: name}}` and
    `values: {ISO3: {indicator: {index: {note}}}}` (a stored value, by its number, as
    remove-value counts them). The loader checks that each field can be translated."""
    if not re.fullmatch(r"[a-z]{2,3}", lang) or lang == "en":
        raise Refused(f"translations: {lang!r} is not a language code (ru, kk, uz)")
    if not isinstance(texts, dict) or set(texts) - {"facts", "features", "values"}:
        raise Refused(f"translations {lang}: expected `facts:`, `features:` and `values:` mappings")
    _translate_values(wc, lang, texts.get("values") or {})
    for fid, fields in (texts.get("facts") or {}).items():
        kind, feat, facts, i = find_fact(wc, str(fid))
        fact = facts[i]
        fields = dict(fields)
        for other, note in (fields.pop("relations", None) or {}).items():
            rel = next((r for r in fact.get("relations") or [] if r.get("fact") == other), None)
            if rel is None:
                raise Refused(f"translations {lang}, fact {fid}: no relation to {other!r}")
            _merge_i18n(rel, lang, {"note": note})
        changed = _merge_i18n(fact, lang, fields)
        facts[i] = ordered(fact, FACT_KEYS)
        wc.touch(kind)
        if changed:
            wc.log.append(f"fact {fid}: {lang} text for {', '.join(changed)}")
    for name, fields in (texts.get("features") or {}).items():
        found = wc.find_feature(str(name))
        if found is None:
            raise Refused(f"translations {lang}: no feature {name!r}")
        kind, feat = found
        fields = dict(fields)
        props = feat["properties"]
        if "capital" in fields:
            _merge_i18n(props.setdefault("capital", {}), lang, {"name": fields.pop("capital")})
        changed = _merge_i18n(props, lang, fields)
        feat["properties"] = {k: v for k, v in props.items() if k != "i18n"} | {
            "i18n": props["i18n"]
        }
        wc.touch(kind)
        if changed:
            wc.log.append(f"feature {name}: {lang} text for {', '.join(changed)}")


def _import_edits(
    wc: WorkingCopy,
    items: dict[str, list[dict[str, Any]]],
    attempt: Any,
    errors: list[str],
    label: str,
) -> None:
    """The batch's corrections, after its additions (a fact may cite a source of the batch):
    `edit_sources`, `edit_events` and `edit_facts`, each an `id` with the fields to change
    (as the edit-* commands take them; an edit_facts item may also give `add_relations` and
    `drop_relations`)."""
    for i, item in enumerate(items["edit_values"]):
        where = f"edit_values #{i} ({item.get('country')} {item.get('indicator')})"
        country, indicator = item.pop("country", None), item.pop("indicator", None)
        index = item.pop("index", 0)
        if not isinstance(country, str) or not isinstance(indicator, str):
            errors.append(f"{label}, {where}: give `country:`, `indicator:` (and `index:`)")
            continue
        attempt(where, edit_value, wc, country, indicator, int(index), item)
    for section, edit in (
        ("edit_sources", edit_source),
        ("edit_events", edit_event),
        ("edit_facts", edit_fact),
    ):
        for i, item in enumerate(items[section]):
            ident = item.pop("id", None)
            what = f"{section} #{i} ({ident})"
            if not isinstance(ident, str) or not ident:
                errors.append(f"{label}, {what}: give the `id` of what to change")
                continue
            if edit is edit_fact:
                adds = [dict(r) for r in item.pop("add_relations", None) or []]
                drops = [str(r) for r in item.pop("drop_relations", None) or []]
                attempt(what, edit_fact, wc, ident, item, None, (), (), adds, drops)
            else:
                attempt(what, edit, wc, ident, item)


# --- locking, validating, writing -----------------------------------------------------------


@contextlib.contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Hold the curation lock (fcntl.flock on data/.curation.lock) for the whole
    read-modify-validate-write, so that curators running the CLI at once take turns."""
    path = data_dir / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise Refused(f"{data_dir}: cannot create the lock file {LOCK_FILE} ({exc})") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("waiting for another curator's change to finish ...", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _staged(wc: WorkingCopy, root: Path) -> tuple[Path, Path]:
    """A temporary copy of data/ and seeds/ under `root`: the changed files written, the others
    linked to the originals."""
    data = root / "d" / wc.data_dir.name
    seeds = root / "s" / wc.seeds_dir.name
    for src_dir, dst_dir, changed in (
        (wc.data_dir, data, {f for f in wc.changed if f != SOURCES_FILE}),
        (wc.seeds_dir, seeds, {SOURCES_FILE} & wc.changed),
    ):
        dst_dir.mkdir(parents=True)
        if src_dir.is_dir():
            for entry in src_dir.iterdir():
                if entry.name in changed or entry.name == LOCK_FILE:
                    continue
                try:
                    (dst_dir / entry.name).symlink_to(entry.resolve())
                except OSError:
                    if entry.is_file():
                        shutil.copy2(entry, dst_dir / entry.name)
        for name in changed:
            (dst_dir / name).write_text(_content(wc, name), encoding="utf-8", newline="")
    return data, seeds


def _content(wc: WorkingCopy, name: str) -> str:
    return wc.sources_text if name == SOURCES_FILE else dump_collection(wc.docs[name])


@dataclass(frozen=True)
class Outcome:
    new_problems: list[str]
    new_warnings: list[str]


def check(wc: WorkingCopy) -> Outcome:
    """Load the changed copy; the problems and warnings that the unchanged data did not have."""
    before = store.load(wc.data_dir, wc.seeds_dir)
    with tempfile.TemporaryDirectory(prefix="curation-") as tmp:
        data, seeds = _staged(wc, Path(tmp))
        after = store.load(data, seeds)

        def key(p: Problem) -> str:
            return (
                str(p).replace(str(data), str(wc.data_dir)).replace(str(seeds), str(wc.seeds_dir))
            )

        old_p = {str(p) for p in before.problems}
        old_w = {str(p) for p in getattr(before, "warnings", ())}
        new_p = [key(p) for p in after.problems if key(p) not in old_p]
        new_w = [key(p) for p in getattr(after, "warnings", ()) if key(p) not in old_w]
    return Outcome(new_problems=new_p, new_warnings=new_w)


def write(wc: WorkingCopy) -> list[Path]:
    """Replace each changed file atomically; the paths written."""
    written = []
    for name in sorted(wc.changed):
        path = (wc.seeds_dir if name == SOURCES_FILE else wc.data_dir) / name
        write_atomic(path, _content(wc, name))
        written.append(path)
    return written


# --- corrections: edit and remove ---------------------------------------------------------

EDITABLE_FACT_FIELDS = (
    "category",
    "date",
    "date_precision",
    "date_note",
    "summary",
    "source",
    "note",
    "i18n",
)
OPTIONAL_FACT_FIELDS = ("date_note", "note")  # an empty value removes them
EDITABLE_SOURCE_FIELDS = (
    "kind",
    "url",
    "title",
    "outlet",
    "via",
    "published",
    "accessed",
    "attribution",
    "note",
)
REQUIRED_SOURCE_FIELDS = ("id", "title", "outlet", "kind")


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 80 else value[:80] + "…", ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def find_fact(wc: WorkingCopy, fid: str) -> tuple[Kind, dict[str, Any], list[Any], int]:
    """(kind, feature, its facts list, index) of fact `fid`; Refused when there is none."""
    for kind in (Kind.country, Kind.region, Kind.route, Kind.event):
        for feat in wc.features(kind):
            props = feat.get("properties")
            facts = props.get("facts") if isinstance(props, dict) else None
            for i, fact in enumerate(facts if isinstance(facts, list) else []):
                if isinstance(fact, dict) and fact.get("id") == fid:
                    return kind, feat, facts, i  # type: ignore[return-value]
    raise Refused(f"{wc.data_dir.name}: no fact {fid!r} in any of {', '.join(FILES.values())}")


def fact_citations(wc: WorkingCopy, fid: str) -> list[str]:
    """What cites fact `fid`: indicator values and other facts' relations, located."""
    out = []
    clabel = wc.data_label(FILES[Kind.country])
    for feat in wc.features(Kind.country):
        props = feat.get("properties") or {}
        for key, held in (props.get("indicators") or {}).items():
            history = held if isinstance(held, list) else [held]
            for i, val in enumerate(history):
                if isinstance(val, dict) and fid in (val.get("facts") or []):
                    at = f".{i}" if isinstance(held, list) else ""
                    what = _value_label(val)
                    out.append(
                        f"{clabel}, feature {_name(props)}, field indicators.{key}{at}{what}"
                    )
    for kind in (Kind.country, Kind.region, Kind.route, Kind.event):
        label = wc.data_label(FILES[kind])
        for feat in wc.features(kind):
            props = feat.get("properties") or {}
            for fact in props.get("facts") or []:
                if not isinstance(fact, dict) or fact.get("id") == fid:
                    continue
                for j, rel in enumerate(fact.get("relations") or []):
                    if isinstance(rel, dict) and rel.get("fact") == fid:
                        out.append(
                            f"{label}, feature {_name(props)}, fact {fact.get('id')}, "
                            f"field relations.{j} ({rel.get('kind')})"
                        )
    return out


def _value_label(val: dict[str, Any]) -> str:
    bits = [f"{val.get('value')!r}"]
    for key in ("period", "statistics", "since"):
        if val.get(key) is not None:
            bits.append(f"{key} {val[key]}")
    return " (" + ", ".join(bits) + ")"


def edit_fact(
    wc: WorkingCopy,
    fid: str,
    fields: dict[str, Any],
    signals: list[str] | None = None,
    add_signals: tuple[str, ...] | list[str] = (),
    drop_signals: tuple[str, ...] | list[str] = (),
    add_relations: tuple[dict[str, str], ...] | list[dict[str, str]] = (),
    drop_relations: tuple[str, ...] | list[str] = (),
) -> None:
    """Change fields of fact `fid` where it is stored. `fields` maps a field of
    EDITABLE_FACT_FIELDS to its new value (None: leave it; "" removes date_note or note).
    One log line per field changed."""
    kind, feat, facts, i = find_fact(wc, fid)
    label = wc.data_label(FILES[kind])
    where = f"{label}, feature {_name(feat['properties'])}, fact {fid}"
    fact = dict(facts[i])
    lines: list[str] = []

    def setf(key: str, new: Any) -> None:
        old = fact.get(key)
        if new in ("", [], None):
            if old in (None, [], ""):
                return
            fact.pop(key, None)
            lines.append(f"{where}: {key} {_shown(old)} removed")
            return
        if new == old:
            return
        fact[key] = new
        lines.append(f"{where}: {key} {_shown(old)} -> {_shown(new)}")

    for key, new in as_text(fields).items():
        if key not in EDITABLE_FACT_FIELDS:
            raise Refused(f"{where}, field {key}: not editable (edit: {EDITABLE_FACT_FIELDS})")
        if new is None:
            continue
        if new == "" and key not in OPTIONAL_FACT_FIELDS:
            raise Refused(f"{where}, field {key}: cannot be empty")
        if key == "source":
            _resource_fact(wc, fact, str(new), where)
        if key == "i18n":  # the given languages' given fields; the others as they were
            merged = {lang: dict(texts) for lang, texts in (fact.get("i18n") or {}).items()}
            for lang, texts in dict(new).items():
                merged.setdefault(lang, {}).update(texts)
            new = merged
        setf(key, new)
    current = [s for s in fact.get("signals") or []]
    wanted = list(signals) if signals is not None else list(current)
    for s in drop_signals:
        if s not in wanted:
            raise Refused(
                f"{where}, field signals: {s!r} is not among its signals "
                f"({', '.join(current) or 'none'})"
            )
        wanted.remove(s)
    for s in add_signals:
        if s in wanted:
            raise Refused(f"{where}, field signals: it has {s!r} already")
        wanted.append(s)
    if wanted != current:
        if wanted:
            fact["signals"] = wanted
        else:
            fact.pop("signals", None)
        lines.append(f"{where}: signals [{', '.join(current)}] -> [{', '.join(wanted)}]")
    relations = list(fact.get("relations") or [])
    for other in drop_relations:
        keep = [r for r in relations if not (isinstance(r, dict) and r.get("fact") == other)]
        if len(keep) == len(relations):
            raise Refused(f"{where}, field relations: no relation to {other!r}")
        relations = keep
        lines.append(f"{where}: removed relation to {other}")
    for rel in add_relations:
        if any(
            isinstance(r, dict) and (r.get("kind"), r.get("fact")) == (rel["kind"], rel["fact"])
            for r in relations
        ):
            raise Refused(
                f"{where}, field relations: a {rel['kind']} relation to {rel['fact']} is there"
            )
        relations.append(dict(rel))
        lines.append(f"{where}: added relation {rel['kind']} {rel['fact']}")
    if relations:
        fact["relations"] = relations
    else:
        fact.pop("relations", None)
    if not lines:
        raise Refused(f"{where}: nothing to change (every value given is the one it has)")
    facts[i] = ordered(fact, FACT_KEYS)
    wc.touch(kind)
    wc.log.extend(lines)


def _resource_fact(wc: WorkingCopy, fact: dict[str, Any], sid: str, where: str) -> None:
    """A new source for `fact`: its excerpt (if any) must stand in the new source's text."""
    src = _fact_source_refusal(
        wc,
        {**fact, "source": sid},
        where,
        "source",
        "add a new fact instead: a fact keeps its kind, a quotation or a paraphrase",
    )
    if src.get("file"):
        fact["start"], fact["end"] = locate_excerpt(
            wc.text_of(src), str(fact["excerpt"]), None, where, src
        )


def remove_fact(wc: WorkingCopy, fid: str) -> None:
    kind, feat, facts, i = find_fact(wc, fid)
    label = wc.data_label(FILES[kind])
    where = f"{label}, feature {_name(feat['properties'])}, fact {fid}"
    cited = fact_citations(wc, fid)
    if cited:
        raise Refused(
            f"{where}: cited by {len(cited)} entr{'y' if len(cited) == 1 else 'ies'}; "
            "remove or change those first:",
            *(f"  {c}" for c in cited),
        )
    del facts[i]
    wc.touch(kind)
    wc.log.append(f"{where}: removed")


# --- sources.yaml blocks, in place ---------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """The lines [start, end) of sources.yaml that hold one source's `- id:` item."""

    start: int
    end: int
    indent: str


def find_block(lines: list[str], sid: str) -> Block | None:
    head = re.compile(r"^( *)- id: *(.*?) *$")
    for n, line in enumerate(lines):
        m = head.match(line.rstrip("\n"))
        if not m or str(load_yaml(f"k: {m.group(2)}\n").get("k")) != sid:
            continue
        indent = m.group(1)
        inner = indent + "  "
        end = n + 1
        while end < len(lines):
            nxt = lines[end].rstrip("\n")
            if nxt.startswith(inner + " ") or (
                nxt.startswith(inner) and re.match(r"^[A-Za-z_]+:", nxt[len(inner) :])
            ):
                end += 1
                continue
            break
        return Block(n, end, indent)
    return None


def _segments(block: list[str], indent: str) -> list[tuple[str, list[str]]]:
    """A block's lines grouped by key: [(key, its lines)], the first key `id`."""
    inner = indent + "  "
    segs: list[tuple[str, list[str]]] = []
    for n, line in enumerate(block):
        body = line[len(indent) + 2 :] if n == 0 else line[len(inner) :]
        m = (
            re.match(r"^([A-Za-z_]+):", body)
            if (n == 0 or not line.startswith(inner + " "))
            else None
        )
        if m:
            segs.append((m.group(1), [line]))
        else:
            segs[-1][1].append(line)
    return segs


def _field_lines(sid: str, key: str, value: Any, indent: str) -> list[str]:
    text = source_block({"id": sid, key: value}, indent)
    return text.splitlines(keepends=True)[1:]


def edit_source(wc: WorkingCopy, sid: str, fields: dict[str, Any]) -> None:
    """Change fields of source `sid` in seeds/sources.yaml: only the lines of the fields that
    change are rewritten (in the file's style); every other line stays byte for byte."""
    where = f"{wc.sources_label}, feature source {sid}"
    old = wc.source(sid)
    if old is None:
        raise Refused(f"{wc.sources_label}: no source {sid!r}")
    lines = wc.sources_text.splitlines(keepends=True)
    block = find_block(lines, sid)
    if block is None:
        raise Refused(f"{where}: cannot find its `- id: {sid}` block")
    segs = _segments(lines[block.start : block.end], block.indent)
    item = dict(as_text(old))
    log: list[str] = []
    for key, new in as_text(fields).items():
        if key not in EDITABLE_SOURCE_FIELDS:
            raise Refused(f"{where}, field {key}: not editable (edit: {EDITABLE_SOURCE_FIELDS})")
        if new is None:
            continue
        if new == "" and key in REQUIRED_SOURCE_FIELDS:
            raise Refused(f"{where}, field {key}: cannot be empty")
        before = item.get(key)
        if new == "":
            if before is None:
                continue
            item.pop(key)
            segs = [s for s in segs if s[0] != key]
            log.append(f"{where}: {key} {_shown(before)} removed")
            continue
        if str(new) == str(before):
            continue
        if key == "url" and (other := _url_taken(wc, str(new), but=sid)) is not None:
            raise Refused(
                f"{where}, field url: the URL is already the source "
                f"{other!r}: cite that source instead"
            )
        item[key] = new
        new_seg = (key, _field_lines(sid, key, new, block.indent))
        at = next((n for n, s in enumerate(segs) if s[0] == key), None)
        if at is not None:
            segs[at] = new_seg
        else:  # a new field, after the last field that comes before it in SOURCE_KEYS
            order = {k: n for n, k in enumerate(SOURCE_KEYS)}
            rank = order.get(key, len(order))
            pos = 1 + max(
                (n for n, s in enumerate(segs) if order.get(s[0], len(order)) < rank), default=0
            )
            segs.insert(pos, new_seg)
        log.append(f"{where}: {key} {_shown(before)} -> {_shown(new)}")
    if not log:
        raise Refused(f"{where}: nothing to change (every value given is the one it has)")
    body = [line for _, seg in segs for line in seg]
    if not body[-1].endswith("\n"):
        body[-1] += "\n"
    new_text = "".join(lines[: block.start] + body + lines[block.end :])
    _check_sources_list(wc, new_text, sid, item)
    wc.sources_text = new_text
    wc.changed.add(SOURCES_FILE)
    wc.log.extend(log)


def _check_sources_list(
    wc: WorkingCopy, new_text: str, sid: str, item: dict[str, Any] | None
) -> None:
    """The new file parses to the old list with `sid` replaced by `item` (None: removed)."""
    old = [as_text(s) for s in wc.sources()]
    want = [
        _present(item) if s.get("id") == sid and item is not None else s
        for s in old
        if s.get("id") != sid or item is not None
    ]
    try:
        doc = load_yaml(new_text)
    except yaml.YAMLError:
        doc = None
    got = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(got, list) or [as_text(s) for s in got] != want:
        raise Refused(
            f"{wc.sources_label}, feature source {sid}: the block cannot be changed in place "
            "(the file around it is not in the expected block style)"
        )


def source_citations(wc: WorkingCopy, sid: str) -> list[str]:
    """What cites source `sid`: facts, capitals, route geometries, event places, teasers."""
    out = []
    for kind in (Kind.country, Kind.region, Kind.route, Kind.event):
        label = wc.data_label(FILES[kind])
        for feat in wc.features(kind):
            props = feat.get("properties") or {}
            name = _name(props)
            for fact in props.get("facts") or []:
                if isinstance(fact, dict) and fact.get("source") == sid:
                    out.append(f"{label}, feature {name}, fact {fact.get('id')}")
            cap = props.get("capital")
            if isinstance(cap, dict) and cap.get("source") == sid:
                out.append(f"{label}, feature {name}, field capital.source")
            for j, g in enumerate(props.get("geometry_sources") or []):
                if g == sid:
                    out.append(f"{label}, feature {name}, field geometry_sources.{j}")
            if props.get("place_source") == sid:
                out.append(f"{label}, feature {name}, field place_source")
    for other in wc.sources():
        if other.get("part_of") == sid:
            out.append(f"{wc.sources_label}, feature source {other.get('id')}, field part_of")
    return out


def remove_source(wc: WorkingCopy, sid: str) -> None:
    where = f"{wc.sources_label}, feature source {sid}"
    if wc.source(sid) is None:
        raise Refused(f"{wc.sources_label}: no source {sid!r}")
    cited = source_citations(wc, sid)
    if cited:
        raise Refused(
            f"{where}: cited by {len(cited)} entr{'y' if len(cited) == 1 else 'ies'}; "
            "re-source or remove those first:",
            *(f"  {c}" for c in cited),
        )
    lines = wc.sources_text.splitlines(keepends=True)
    block = find_block(lines, sid)
    if block is None:
        raise Refused(f"{where}: cannot find its `- id: {sid}` block")
    new_text = "".join(lines[: block.start] + lines[block.end :])
    _check_sources_list(wc, new_text, sid, None)
    wc.sources_text = new_text
    wc.changed.add(SOURCES_FILE)
    wc.log.append(f"{where}: removed")


EDITABLE_VALUE_FIELDS = ("value", "facts", "computed", "note", "i18n")


def edit_value(
    wc: WorkingCopy, country: str, indicator: str, index: int, fields: dict[str, Any]
) -> None:
    """Change fields of the value at `index` of a country's indicator history (0 for a single
    value): its number, facts, `computed` mark, note and the note's translations (merged per
    language). Its period, statistics and since say which value it is: remove it and add
    another to change them."""
    label, feat = _country_feature(wc, country)
    where = f"{label}, feature {country}, field indicators.{indicator}"
    indicators = feat["properties"].get("indicators") or {}
    held = indicators.get(indicator) if isinstance(indicators, dict) else None
    history = held if isinstance(held, list) else [held] if held is not None else []
    if not 0 <= index < len(history) or not isinstance(history[index], dict):
        raise Refused(f"{where}: no value at index {index} ({len(history)} value(s))")
    value = dict(history[index])
    for key, new in as_text(fields).items():
        if key not in EDITABLE_VALUE_FIELDS:
            raise Refused(f"{where}.{index}.{key}: not editable (edit: {EDITABLE_VALUE_FIELDS})")
        if new is None:
            continue
        if key == "i18n":
            merged = {lang: dict(t) for lang, t in (value.get("i18n") or {}).items()}
            for lang, texts in dict(new).items():
                merged.setdefault(lang, {}).update(texts)
            new = merged
        if key == "value":
            new = parse_value(new)
        if new == "" and key == "note":
            value.pop("note", None)
        else:
            value[key] = new
        wc.log.append(f"{where}.{index}: {key} -> {_shown(new)}")
    history[index] = ordered(value, VALUE_KEYS)
    indicators[indicator] = history if isinstance(held, list) else history[0]
    wc.touch(Kind.country)


def remove_value(
    wc: WorkingCopy,
    country: str,
    indicator: str,
    period: str | None = None,
    statistics: str | None = None,
    since: str | None = None,
    index: int | None = None,
) -> None:
    """Remove one value of a country's indicator: the one of `period` (and `statistics`,
    `since`), or the one at `index` of its history. A history of one left is stored as a
    single value; an indicator left with none is removed."""
    label, feat = _country_feature(wc, country)
    where = f"{label}, feature {country}, field indicators.{indicator}"
    indicators = feat["properties"].get("indicators") or {}
    held = indicators.get(indicator) if isinstance(indicators, dict) else None
    if held is None:
        have = ", ".join(indicators) if isinstance(indicators, dict) else ""
        raise Refused(f"{where}: {country} has no value of {indicator} (it has: {have or 'none'})")
    history = held if isinstance(held, list) else [held]
    listing = "; ".join(
        f"{n}{_value_label(v)}" for n, v in enumerate(history) if isinstance(v, dict)
    )
    if index is not None:
        if not 0 <= index < len(history):
            raise Refused(f"{where}: no value at index {index} (it has: {listing})")
        hits = [index]
    else:
        hits = [
            n
            for n, v in enumerate(history)
            if isinstance(v, dict)
            and (period is None or v.get("period") == period)
            and (statistics is None or v.get("statistics") == statistics)
            and (since is None or v.get("since") == since)
        ]
        if not hits:
            raise Refused(f"{where}: no value matches (it has: {listing})")
        if len(hits) > 1:
            raise Refused(
                f"{where}: {len(hits)} values match; give --statistics, --since or --index "
                f"(it has: {listing})"
            )
    n = hits[0]
    gone = history[n]
    rest = history[:n] + history[n + 1 :]
    if not rest:
        del indicators[indicator]
    elif len(rest) == 1:
        indicators[indicator] = rest[0]
    else:
        indicators[indicator] = rest
    wc.touch(Kind.country)
    at = f".{n}" if isinstance(held, list) else ""
    what = _value_label(gone) if isinstance(gone, dict) else f" ({gone!r})"
    wc.log.append(f"{label}, feature {country}: removed indicators.{indicator}{at}{what}")
