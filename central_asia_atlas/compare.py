"""The five side by side: the signals the sources cite for each, grouped by side.

Both sides of Moscow are counted the same way (kinds of signal cited, each cell linking to its
facts), and the ties to the EU and to China beside them; the signals come from the catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

from .catalogue import Side, SignalSpec
from .dataset import Dataset
from .i18n import _, ngettext
from .indicators import signal_facts
from .markup import dated
from .model import FIVE
from .reader import reader_link

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

Matrix = dict[str, dict[str, tuple[str, ...]]]


def parse_signals(value: object, known: Iterable[str]) -> list[str] | None:
    """The chosen signals from a session value (a list of signal ids); None if unset."""
    if value is None or isinstance(value, str) or not isinstance(value, Iterable):
        return None
    ids = set(known)
    return [str(v) for v in value if str(v) in ids]


def matrix(ds: Dataset, as_of: dt.date | None = None) -> Matrix:
    """For each of the five and each kind of signal: the ids of the facts that cite it."""
    return {iso3: signal_facts(ds, iso3, as_of) for iso3 in FIVE}


def by_side(ds: Dataset) -> dict[Side, list[SignalSpec]]:
    """The catalogue's signals grouped by side, in the order of `Side`."""
    out: dict[Side, list[SignalSpec]] = {side: [] for side in Side}
    for sig in ds.catalogue.signals.values():
        out[sig.side].append(sig)
    return {side: sigs for side, sigs in out.items() if sigs}


def side_counts(
    ds: Dataset, m: Matrix, signals: Iterable[str] | None = None
) -> dict[str, dict[Side, int]]:
    """For each country and side: how many of the chosen kinds of signal are cited."""
    chosen = None if signals is None else set(signals)
    groups = by_side(ds)
    return {
        iso3: {
            side: sum(1 for s in sigs if s.id in cited and (chosen is None or s.id in chosen))
            for side, sigs in groups.items()
        }
        for iso3, cited in m.items()
    }


def counts_frame(ds: Dataset, m: Matrix, signals: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per country and side: the kinds of signal counted (for the chart)."""
    import pandas as pd  # here: the map page imports this module (see mapstyle)

    names = {c.props.iso3: c.props.name for c in ds.countries}
    per = side_counts(ds, m, signals)
    rows = [
        {
            "country": names.get(iso3, iso3),
            "side": ds.catalogue.side_label(side),
            "kinds": n,
        }
        for iso3 in FIVE
        for side, n in per.get(iso3, {}).items()
    ]
    return pd.DataFrame(rows, columns=["country", "side", "kinds"])


def chart(ds: Dataset, m: Matrix, signals: Iterable[str] | None = None) -> alt.Chart:
    """Grouped bars: per country, the kinds of signal counted on each side."""
    import altair as alt  # here, not at the top: the map page imports this module

    frame = counts_frame(ds, m, signals)
    names = [c.props.name for c in ds.countries] or list(FIVE)
    sides = list(by_side(ds))
    labels = [ds.catalogue.side_label(s) for s in sides]
    colors = [ds.catalogue.sides[s].color if s in ds.catalogue.sides else "#999999" for s in sides]
    spec: alt.Chart = (
        alt.Chart(frame, title=_("Kinds of signal cited, per country and side"))
        .mark_bar()
        .encode(
            x=alt.X("kinds:Q", title=_("Kinds of signal cited"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("side:N", title=None, sort=labels, axis=None),
            row=alt.Row("country:N", title=None, sort=names, header=alt.Header(labelAngle=0)),
            color=alt.Color(
                "side:N",
                scale=alt.Scale(domain=labels, range=colors),
                legend=alt.Legend(title=_("Side"), orient="bottom", columns=2, labelLimit=400),
            ),
            tooltip=[
                alt.Tooltip("country:N", title=_("Country")),
                alt.Tooltip("side:N", title=_("Side")),
                alt.Tooltip("kinds:Q", title=_("Kinds of signal cited")),
            ],
        )
    )
    return spec


# A cell's links stand one per line, apart from any sentence: each is a touch target of at
# least 24 by 24 px (WCAG 2.2, 2.5.8; a line of text gave 18 px).
STYLE = """<style>
.cmp{border-collapse:collapse;font-size:.85rem;width:100%}
.cmp th,.cmp td{border:1px solid rgba(128,128,128,.45);padding:.3rem .45rem;vertical-align:top;
  text-align:left}
.cmp thead th{font-weight:600}
.cmp th.cmp-side{text-align:center;border-top-width:4px}
.cmp th.cmp-off{opacity:.7;font-weight:400;font-style:italic}
.cmp td.cmp-yes{background:rgba(0,114,178,.12)}
.cmp td.cmp-off{opacity:.7}
.cmp td.cmp-count{font-weight:600;text-align:center}
.cmp td a{display:inline-block;min-width:24px;min-height:24px;line-height:24px}
</style>"""


CELL_LINKS = 3  # the latest facts linked in a cell; the others are counted


def _cell(ds: Dataset, ids: tuple[str, ...], off: bool) -> str:
    if not ids:
        not_cited = escape(_("not cited"), quote=True)
        return f'<td><span aria-label="{not_cited}">—</span></td>'
    latest = sorted(
        ids, key=lambda i: (f.date, i) if (f := ds.fact(i)) else (dt.date.min, i), reverse=True
    )
    links = []
    for fid in latest[:CELL_LINKS]:
        fact = ds.fact(fid)
        title = f"{fact.summary} ({fid})" if fact else fid
        text = dated(fact.date, fact.date_precision) if fact else fid
        links.append(
            f'<a href="{escape(reader_link(fid), quote=True)}" '
            f'title="{escape(title, quote=True)}" '
            f'aria-label="{escape(f"{text}: {title}", quote=True)}">{escape(text)}</a>'
        )
    if len(ids) > CELL_LINKS:
        more = len(ids) - CELL_LINKS
        links.append(escape(ngettext("and {n} more", "and {n} more", more).format(n=more)))
    cls = "cmp-off" if off else "cmp-yes"
    label = ngettext("cited by {n} fact", "cited by {n} facts", len(ids)).format(n=len(ids))
    return f'<td class="{cls}">✓ {escape(label)}<br>{"<br>".join(links)}</td>'


def matrix_html(ds: Dataset, m: Matrix, signals: Iterable[str] | None = None) -> str:
    """The matrix as an HTML table, its columns grouped by side, each side with its count."""
    chosen = None if signals is None else set(signals)
    names = {c.props.iso3: c.props.name for c in ds.countries}
    groups = by_side(ds)
    per = side_counts(ds, m, chosen)
    cat = ds.catalogue
    top = [f'<th scope="col" rowspan="2">{escape(_("Country"))}</th>']
    head = []
    for side, sigs in groups.items():
        colour = cat.sides[side].color if side in cat.sides else "#999999"
        top.append(
            f'<th scope="colgroup" colspan="{len(sigs) + 1}" class="cmp-side" '
            f'data-side="{escape(side.value, quote=True)}" '
            f'style="border-top-color:{escape(colour, quote=True)}">'
            f"{escape(cat.side_label(side))}</th>"
        )
        for s in sigs:
            off = chosen is not None and s.id not in chosen
            cls = ' class="cmp-off"' if off else ""
            label = _("{signal} (not counted)").format(signal=s.label) if off else s.label
            head.append(
                f'<th scope="col"{cls} data-signal="{escape(s.id, quote=True)}">'
                f"{escape(label)}</th>"
            )
        counted = _("{side}: counted").format(side=cat.side_label(side))
        head.append(f'<th scope="col">{escape(counted)}</th>')
    body = []
    for iso3 in FIVE:
        cells = [f'<th scope="row">{escape(names.get(iso3, iso3))}</th>']
        for side, sigs in groups.items():
            for s in sigs:
                off = chosen is not None and s.id not in chosen
                cells.append(_cell(ds, m.get(iso3, {}).get(s.id, ()), off))
            n = per.get(iso3, {}).get(side, 0)
            cells.append(
                f'<td class="cmp-count" data-side="{escape(side.value, quote=True)}">{n}</td>'
            )
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        STYLE
        + '<div style="overflow-x:auto"><table class="cmp">'
        + '<caption style="caption-side:top;text-align:left">'
        + escape(
            _(
                "The signals the sources cite for each country, grouped by side: ties to Moscow, "
                "signals of distance from it, ties to the EU and to China (links open the facts)"
            )
        )
        + "</caption>"
        + "<thead><tr>"
        + "".join(top)
        + "</tr><tr>"
        + "".join(head)
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></div>"
    )
