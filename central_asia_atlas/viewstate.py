"""The view in the session: from a deep link, moved by clicks and widgets, back to the URL.

Pure Python: every function works on a plain MutableMapping (st.session_state is one) and a
Mapping of query parameters, so the whole flow is unit-tested without Streamlit. Session keys,
shared with other pages and the tests:

- ``as_of``: the day every page shows (a date; absent: today); a link may carry ``?as_of=``.
- ``signals``: the signals that count, chosen on the Compare page (ids; absent: all); a
  link may carry ``?signals=``.
- ``lang``: the reader's language (a code of `i18n.languages()`; absent: the link's, else
  English), chosen with the language switch on every page; a link may carry ``?lang=``.
- ``atlas_view``: the map's part of the canonical `selection.View` (it survives page
  switches; widgets do not); `view` gives the whole view, day and signals included.

This module is the one owner of these keys: pages read and set them through `start`, `view`,
`as_of`, `signals`, `language`, `set_as_of`, `set_signals`, `set_language` and `url_update`,
never by hand.
- ``atlas_notices``: what was ignored from the link, kept until the reader selects something.
- ``atlas_map``: the map component's latest value (see component.map_component).
- ``atlas_share``: the Share button was pressed (the dialog opens in the run that follows).
- ``w_lang``: the language switch (in the sidebar, on every page).
- widget keys ``w_indicator``, ``w_routes``, ``w_country``, ``w_line``, ``w_as_of`` (the
  day slider above the map, in step with the Timeline page's), ``w_facts`` (which of a
  country's facts the panel shows) and ``w_tiles``; ``facts_limit``: how many of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, MutableMapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, cast

from . import compare, i18n, timeline
from . import selection as sel
from .i18n import _
from .model import FIVE
from .panel import LATEST, FactsView

if TYPE_CHECKING:
    from .dataset import Dataset

State = MutableMapping[str, Any]
Known = Mapping[str, Collection[str]]


@dataclass(frozen=True)
class Choices:
    """What the select boxes offer, and the ids a click or a link may name."""

    names: dict[str, str]  # iso3 -> country name
    lines: dict[str, str]  # "route:<id>" / "event:<id>" -> label
    known: dict[str, set[str]]  # kind -> ids


def choices(ds: Dataset) -> Choices:
    """The countries, routes and events of the dataset, as the page's widgets offer them."""
    return Choices(
        names={c.props.iso3: c.props.name for c in ds.countries},
        lines={
            **{
                f"route:{r.props.id}": _("Route: {name}").format(name=r.props.name)
                for r in ds.routes
            },
            **{
                f"event:{e.props.id}": _("Event: {name}").format(name=e.props.name)
                for e in ds.events
            },
        },
        known={
            "country": set(FIVE),
            "route": {r.props.id for r in ds.routes},
            "event": {e.props.id for e in ds.events},
        },
    )


def start(
    ss: State,
    params: Mapping[str, Any],
    indicators: Collection[str],
    known: Known,
    default: str | None = None,
    signal_ids: Collection[str] | None = None,
) -> None:
    """On a new session, restore the view (its day and signals too) the link asks for; later,
    nothing. Every page calls it, so a link to any page restores the whole view.

    `default` is the catalogue's default colouring (kept in the session for `url_update`).

    The link's notices are kept in the session: the map's first report reruns the page.
    """
    if "atlas_view" in ss:
        return
    view, notices = sel.from_query_params(params, indicators, known, signal_ids)
    if "as_of" not in ss and view.as_of is not None:
        ss["as_of"] = view.as_of
    if "signals" not in ss and view.signals is not None:
        ss["signals"] = list(view.signals)
    if LANG not in ss:
        ss[LANG] = view.lang
    ss["atlas_default"] = default
    ss["atlas_view"] = replace(
        view, indicator=view.indicator or default, as_of=None, signals=None
    )  # the map's part: the day and the signals have their own keys (see `view`)
    ss["atlas_notices"] = notices


def view(ss: State, known_signals: Collection[str]) -> sel.View:
    """The session's whole view: the map's part, the day and the signals that count."""
    base: sel.View = ss["atlas_view"]
    return replace(
        base, as_of=as_of(ss), signals=signals(ss, known_signals), lang=current_language(ss)
    )


LANG = "lang"


def language(ss: State, params: Mapping[str, Any]) -> str:
    """The language of this page run: the session's; in a new session, the link's (`?lang=`,
    if it names one of `i18n.languages()`), else English. The app's frame asks first, before
    any page has started the view (`start`), since the navigation is in the language too."""
    if LANG not in ss:
        ss[LANG] = i18n.parse(params.get(LANG)) or i18n.SOURCE
    return current_language(ss)


def on_language_switch(ss: State) -> None:
    """The language switch (``w_lang``) moved: every page in its language, the view kept."""
    set_language(ss, ss.get(LANGUAGE_SWITCH))


LANGUAGE_SWITCH = "w_lang"


def sync_language_switch(ss: State) -> None:
    """Set the language switch from the session's language (before the switch is drawn)."""
    ss[LANGUAGE_SWITCH] = current_language(ss)


def current_language(ss: State) -> str:
    """The session's language (English if none is set, or one without a catalog)."""
    code = ss.get(LANG)
    return code if isinstance(code, str) and code in i18n.languages() else i18n.SOURCE


def set_language(ss: State, code: object) -> None:
    """Show every page in `code` (one of `i18n.languages()`; anything else: English)."""
    ss[LANG] = i18n.parse(code) or i18n.SOURCE


def set_as_of(ss: State, day: dt.date | None) -> None:
    """Show the map, the panel and the Timeline as of `day` (None: today)."""
    if day is None:
        ss.pop("as_of", None)
    else:
        ss["as_of"] = day


def set_signals(ss: State, chosen: Collection[str] | None) -> None:
    """Count only the `chosen` signals (None: all of them)."""
    if chosen is None:
        ss.pop("signals", None)
    else:
        ss["signals"] = list(chosen)


def notices(ss: State) -> list[str]:
    """The notices about what the link asked for and did not get."""
    return list(ss.get("atlas_notices", []))


def as_of(ss: State) -> dt.date | None:
    """The Timeline page's day, which the map's indicators follow (None: today)."""
    return timeline.parse_as_of(ss.get("as_of"))


def signals(ss: State, known: Collection[str]) -> tuple[str, ...] | None:
    """The Compare page's choice of signals, as signal ids (None: all of them)."""
    chosen = compare.parse_signals(ss.get("signals"), known)
    return None if chosen is None else tuple(chosen)


def context_caption(day: dt.date | None, chosen: tuple[str, ...] | None) -> str | None:
    """A line saying that the map follows another page's day or signals; None if it doesn't."""
    if chosen is None:
        return None
    return _("The signal counts use the signals chosen on the Compare page.")


class Callbacks:
    """The page's widget and map callbacks, bound to one session's state and the known ids.

    Streamlit calls them with no arguments, before the page script runs, so the panel already
    shows the new selection.
    """

    def __init__(self, ss: State, known: Known) -> None:
        self.ss, self.known = ss, known

    def select(self, new: sel.Selection | None) -> None:
        """Select `new` (None: clear); the reader has moved on from the link's notices.
        A new selection starts with its first page of facts."""
        self.ss["atlas_view"] = replace(self.ss["atlas_view"], selection=new)
        self.ss["atlas_notices"] = []
        self.ss.pop("facts_limit", None)

    def more_facts(self) -> None:
        """ "Show more facts": the next page of the panel's facts."""
        self.ss["facts_limit"] = facts_view(self.ss, {}).limit + FACTS_PAGE

    def on_facts(self) -> None:
        """Another group of facts (latest, a category, ...) starts with its first page."""
        self.ss.pop("facts_limit", None)

    def clear(self) -> None:
        """The "Clear selection" button (a second click on the same feature sends nothing)."""
        self.select(None)

    def on_map(self) -> None:
        """A click on the map selects the feature it picked; a click on anything else, nothing."""
        picked = sel.from_map_event(self.ss.get("atlas_map"), self.known)
        if picked is not None:
            self.select(picked)

    def on_country(self) -> None:
        """The country select box (``w_country``) selects its country, or clears."""
        iso3 = self.ss.get("w_country")
        self.select(sel.Selection("country", iso3) if iso3 else None)

    def on_line(self) -> None:
        """The route/event select box (``w_line``: "route:<id>" or "event:<id>") selects it."""
        kind, _, ident = (self.ss.get("w_line") or "").partition(":")
        self.select(sel.Selection(cast(sel.SelectionKind, kind), ident) if ident else None)

    def on_day(self) -> None:
        """The day slider above the map: the last day (today) means "as of today"."""
        day, last = self.ss.get("w_as_of"), self.ss.get("w_as_of_last")
        set_as_of(self.ss, day if isinstance(day, dt.date) and day != last else None)

    def share(self) -> None:
        """The Share button: the page opens the Share dialog in the run that follows."""
        self.ss[SHARE_ASKED] = True

    def today(self) -> None:
        """Back to today: the map shows what the sources say now."""
        set_as_of(self.ss, None)

    def on_view(self) -> None:
        """The indicator select box and the routes toggle change the view."""
        view = self.ss["atlas_view"]
        self.ss["atlas_view"] = replace(
            view, indicator=self.ss["w_indicator"], routes=self.ss["w_routes"]
        )


SHARE_ASKED = "atlas_share"


def share_asked(ss: State) -> bool:
    """Whether the Share button was pressed since the last run (asked once, then forgotten:
    the dialog stays open on the page until the reader closes it)."""
    return bool(ss.pop(SHARE_ASKED, False))


FACTS_PAGE = 8  # facts per page of the panel: what a click sends stays bounded


def facts_view(ss: State, groups: Collection[str]) -> FactsView:
    """The panel's facts as the reader chose them (``w_facts``, ``facts_limit``); a group the
    country does not have falls back to the latest facts. With `groups` empty, as chosen."""
    group = ss.get("w_facts") or LATEST
    if groups and group not in groups:
        group = LATEST
    if groups:  # the pills show the group in force (none chosen, or one the country lacks)
        ss["w_facts"] = group
    limit = ss.get("facts_limit")
    return FactsView(group, limit if isinstance(limit, int) and limit > 0 else FACTS_PAGE)


MAP_DAYS_FROM = dt.date(2021, 1, 1)  # the slider starts with the trade figures of 2021


def day_range(lo: dt.date, hi: dt.date) -> tuple[dt.date, dt.date]:
    """The map's day slider: from 2021 (or the first fact, if later) to the last day."""
    start = min(max(lo, MAP_DAYS_FROM), hi - dt.timedelta(days=1))
    return start, hi


def sync_widgets(ss: State, days: tuple[dt.date, dt.date] | None = None) -> sel.View:
    """Set the widgets' keys from the canonical view (and the day), and return that view."""
    if days is not None:
        lo, hi = days
        day = as_of(ss)
        ss["w_as_of"] = min(max(day or hi, lo), hi)
        ss["w_as_of_last"] = hi
    view: sel.View = ss["atlas_view"]
    ss["w_indicator"], ss["w_routes"] = view.indicator, view.routes
    return sync_selection(ss)


def sync_selection(ss: State) -> sel.View:
    """Set the select boxes' keys from the canonical view's selection, and return the view
    (the map page's fragment does this alone: a click moves nothing else)."""
    view: sel.View = ss["atlas_view"]
    chosen = view.selection
    ss["w_country"] = chosen.id if chosen and chosen.kind == "country" else None
    ss["w_line"] = f"{chosen.kind}:{chosen.id}" if chosen and chosen.kind != "country" else None
    return view


SHARED = ("as_of", "signals", "lang")  # the query parameters every page carries


def shared_url_update(
    ss: State, current: Mapping[str, Any], known_signals: Collection[str]
) -> dict[str, str] | None:
    """The query parameters of a page other than the map: its own, with the day and the
    signals of the session's view; None if the URL (`current`) says that already."""
    whole = sel.to_query_params(view(ss, known_signals), None)
    want = {k: v for k, v in current.items() if k not in SHARED}
    want |= {k: whole[k] for k in SHARED if k in whole}
    return None if dict(current) == want else want


def url_update(
    ss: State, current: Mapping[str, Any], known_signals: Collection[str] | None = None
) -> dict[str, str] | None:
    """The query parameters that restore the session's whole view, or None if the URL
    (`current`) already says exactly that. Without `known_signals` the link carries the day but
    not the signals."""
    whole = replace(ss["atlas_view"], as_of=as_of(ss), lang=current_language(ss))
    if known_signals is not None:
        whole = replace(whole, signals=signals(ss, known_signals))
    want = sel.to_query_params(whole, ss.get("atlas_default"))
    return None if dict(current) == want else want
