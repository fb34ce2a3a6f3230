"""The view of the map (what it shows, as of which day, with which signals) and its URL: a map
click or a link's query parameters -> a validated `View`, and a `View` -> query parameters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from . import i18n
from .compare import parse_signals
from .i18n import N_, _
from .model import FIVE
from .timeline import parse_as_of

SelectionKind = Literal["country", "route", "event"]
KINDS: tuple[SelectionKind, ...] = ("country", "route", "event")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")
_MAX_PARAM = 200  # longer query values are junk, not ids


@dataclass(frozen=True)
class Selection:
    """What the side panel shows: one country (ISO3), one route or one event (their ids)."""

    kind: SelectionKind
    id: str


@dataclass(frozen=True)
class View:
    """The one view of the map: what the page shows, what a share link restores and what
    every export (PNG, SVG, HTML, CSV, citation) draws."""

    selection: Selection | None = None
    indicator: str | None = None  # None: the catalogue's default
    routes: bool = True
    as_of: dt.date | None = None  # None: today (every fact)
    signals: tuple[str, ...] | None = None  # the signals that count (None: all of them)
    lang: str = i18n.SOURCE  # the reader's language: the interface's and every export's


def valid(sel: Selection, known: Mapping[str, Collection[str]] | None = None) -> bool:
    """Whether `sel` names one of the five, or a well-formed id (known, if `known` is given)."""
    if sel.kind == "country":
        ok = sel.id in FIVE
    elif sel.kind in ("route", "event"):
        ok = bool(_ID.match(sel.id))
    else:
        return False
    if ok and known is not None:
        ok = sel.id in known.get(sel.kind, ())
    return ok


def from_map_event(
    value: Any, known: Mapping[str, Collection[str]] | None = None
) -> Selection | None:
    """The feature a map click picked, from st_folium's return value; None for anything else.

    The clicked feature comes back as GeoJSON under `last_active_drawing`; the map puts a
    `kind` ("country", "route" or "event") and an `id` into the properties of each clickable
    feature. Clicks on the neighbours, on water, or junk of any shape give None.
    """
    if not isinstance(value, Mapping):
        return None
    feature = value.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return None
    props = feature.get("properties")
    if not isinstance(props, Mapping):
        return None
    kind, ident = props.get("kind"), props.get("id")
    if kind not in KINDS or not isinstance(ident, str):
        return None
    sel = Selection(kind, ident)
    return sel if valid(sel, known) else None


def _param(params: Mapping[str, Any], name: str) -> str | None:
    raw = params.get(name)
    if isinstance(raw, list | tuple):
        raw = raw[-1] if raw else None
    if raw is None:
        return None
    return str(raw).strip()


def _shown(value: str) -> str:
    """A query value as a notice may quote it: short, one line, and inert.

    The notice is shown as Markdown, so anything but letters, digits and a few marks
    becomes "?": a crafted link cannot put a link or an image into the page.
    """
    one_line = " ".join(value.split())
    short = one_line if len(one_line) <= 40 else one_line[:39] + "…"
    return "".join(ch if ch.isalnum() or ch in " -_.…" else "?" for ch in short)


# A kind of selection as a notice names it.
_KIND_WORDS = {"country": N_("country"), "route": N_("route"), "event": N_("event")}
_NO_SUCH_ID = {
    "route": N_("no route has that id"),
    "event": N_("no event has that id"),
}


def from_query_params(
    params: Mapping[str, Any],
    indicators: Collection[str],
    known: Mapping[str, Collection[str]] | None = None,
    signal_ids: Collection[str] | None = None,
) -> tuple[View, list[str]]:
    """The view a deep link asks for, e.g. `?country=KAZ&indicator=un_es11_1&routes=1`.

    Also `route=<id>` and `event=<id>` select a route or an event, `as_of=YYYY-MM-DD` the day,
    `signals=a,b` (or `none`) the signals that count, when `signal_ids` are given, and
    `lang=ru` the reader's language (one of `i18n.languages()`; absent: English). An
    invalid value is ignored and explained in a short notice; this never raises. Unknown
    parameters are left alone (other pages use their own).
    """
    notices: list[str] = []
    selection: Selection | None = None
    for kind in KINDS:
        raw = _param(params, kind)
        if raw is None or raw == "":
            continue
        candidate = Selection(kind, raw.upper() if kind == "country" else raw)
        if len(raw) > _MAX_PARAM or not valid(candidate, known):
            if kind == "country":
                hint = _("use one of {list}").format(list=", ".join(FIVE))
            else:
                hint = _(_NO_SUCH_ID[kind])
            notices.append(
                _("Ignored {param} from the link: {hint}.").format(
                    param=f"{kind}={_shown(raw)!r}", hint=hint
                )
            )
            continue
        if selection is not None:
            notices.append(
                _("Ignored {param}: the link already selects {kind} {id}.").format(
                    param=f"{kind}={_shown(raw)!r}",
                    kind=_(_KIND_WORDS[selection.kind]),
                    id=selection.id,
                )
            )
            continue
        selection = candidate

    indicator: str | None = None
    raw_ind = _param(params, "indicator")
    if raw_ind:
        if raw_ind in indicators:
            indicator = raw_ind
        else:
            notices.append(
                _("Ignored {param} from the link: no such indicator; showing the default.").format(
                    param=f"indicator={_shown(raw_ind)!r}"
                )
            )

    routes = True
    raw_routes = _param(params, "routes")
    if raw_routes:
        flag = raw_routes.lower()
        if flag in ("1", "true", "on", "yes"):
            routes = True
        elif flag in ("0", "false", "off", "no"):
            routes = False
        else:
            notices.append(
                _("Ignored {param} from the link: use routes=1 or routes=0.").format(
                    param=f"routes={_shown(raw_routes)!r}"
                )
            )
    as_of = None
    raw_day = _param(params, "as_of")
    if raw_day:
        as_of = parse_as_of(raw_day)
        if as_of is None:
            notices.append(_("Ignored as_of from the link: give a day as YYYY-MM-DD."))

    signals: tuple[str, ...] | None = None
    raw_signals = _param(params, "signals")
    if raw_signals is not None and signal_ids is not None:
        wanted = [s for s in raw_signals.split(",") if s] if raw_signals != "none" else []
        chosen = parse_signals(wanted, signal_ids)
        signals = tuple(chosen or ())
        if chosen is not None and len(chosen) < len(wanted):
            notices.append(
                _("Ignored unknown signal(s) in {param} from the link.").format(
                    param=f"signals={_shown(raw_signals)!r}"
                )
            )

    lang = i18n.SOURCE
    raw_lang = _param(params, "lang")
    if raw_lang:
        if (code := i18n.parse(raw_lang)) is not None:
            lang = code
        else:
            notices.append(
                _("Ignored {param} from the link: use one of {list}.").format(
                    param=f"lang={_shown(raw_lang)!r}", list=", ".join(i18n.languages())
                )
            )

    return View(selection, indicator, routes, as_of, signals, lang), notices


def to_query_params(view: View, default_indicator: str | None) -> dict[str, str]:
    """The query parameters that restore `view`, in the order a reader expects them."""
    out: dict[str, str] = {}
    if view.selection is not None:
        out[view.selection.kind] = view.selection.id
    if indicator := view.indicator or default_indicator:
        out["indicator"] = indicator
    out["routes"] = "1" if view.routes else "0"
    if view.as_of is not None:
        out["as_of"] = view.as_of.isoformat()
    if view.signals is not None:
        out["signals"] = ",".join(view.signals) or "none"
    if view.lang != i18n.SOURCE:  # English, the default, is not written
        out["lang"] = view.lang
    return out
