"""The five side by side: which signals of distance from Moscow the sources cite for each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from .indicators import SIGNAL_LABELS, signal_facts
from .model import FIVE, Signal

if TYPE_CHECKING:
    from .store import Dataset

# Okabe-Ito, one colour per kind of signal (colour-blind safe).
SIGNAL_COLORS = {
    Signal.un_vote_not_with_russia: "#0072B2",
    Signal.rebuked_kremlin: "#D55E00",
    Signal.humanitarian_aid_ukraine: "#009E73",
    Signal.refused_recognition: "#CC79A7",
    Signal.eu_engagement: "#56B4E9",
    Signal.reducing_dependence_on_russia: "#E69F00",
}

Matrix = dict[str, dict[Signal, tuple[str, ...]]]


def parse_signals(value: object) -> list[Signal] | None:
    """The chosen signals from a session value (a list of Signal values); None if unset."""
    if value is None or isinstance(value, str) or not isinstance(value, Iterable):
        return None
    known = {s.value: s for s in Signal}
    return [known[str(v)] for v in value if str(v) in known]


def matrix(ds: Dataset, as_of: dt.date | None = None) -> Matrix:
    """For each of the five and each kind of signal: the ids of the facts that cite it."""
    return {iso3: signal_facts(ds, iso3, as_of) for iso3 in FIVE}


def counts(m: Matrix, signals: Iterable[Signal] | None = None) -> dict[str, int]:
    """How many of the chosen kinds of signal are cited for each country."""
    chosen = set(Signal) if signals is None else set(signals)
    return {iso3: sum(1 for s in cited if s in chosen) for iso3, cited in m.items()}


def counts_frame(ds: Dataset, m: Matrix, signals: Iterable[Signal] | None = None) -> pd.DataFrame:
    """One row per country and chosen signal it is cited for (for the stacked chart)."""
    names = {c.props.iso3: c.props.name for c in ds.countries}
    chosen = list(Signal) if signals is None else [s for s in Signal if s in set(signals)]
    rows = [
        {
            "country": names.get(iso3, iso3),
            "signal": SIGNAL_LABELS[s],
            "kinds": 1,
            "facts": len(m[iso3][s]),
        }
        for iso3 in FIVE
        for s in chosen
        if s in m.get(iso3, {})
    ]
    return pd.DataFrame(rows, columns=["country", "signal", "kinds", "facts"])


def chart(ds: Dataset, m: Matrix, signals: Iterable[Signal] | None = None) -> alt.Chart:
    """Stacked bars: the number of kinds of signal cited per country, one block per kind."""
    frame = counts_frame(ds, m, signals)
    names = [c.props.name for c in ds.countries] or list(FIVE)
    labels = [SIGNAL_LABELS[s] for s in Signal]
    colors = [SIGNAL_COLORS[s] for s in Signal]
    spec: alt.Chart = (
        alt.Chart(frame, title="Kinds of signal cited, per country")
        .mark_bar(stroke="white", strokeWidth=1.5)
        .encode(
            x=alt.X("kinds:Q", title="Kinds of signal cited", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("country:N", title=None, sort=names),
            color=alt.Color(
                "signal:N",
                scale=alt.Scale(domain=labels, range=colors),
                legend=alt.Legend(title="Signal", orient="bottom", columns=2, labelLimit=400),
            ),
            tooltip=[
                alt.Tooltip("country:N", title="Country"),
                alt.Tooltip("signal:N", title="Signal"),
                alt.Tooltip("facts:Q", title="Facts citing it"),
            ],
        )
    )
    return spec


STYLE = """<style>
.cmp{border-collapse:collapse;font-size:.9rem;width:100%}
.cmp th,.cmp td{border:1px solid #ccc;padding:.35rem .5rem;vertical-align:top;text-align:left}
.cmp th[scope=col]{background:#f3f3f3;font-weight:600}
.cmp th.cmp-off{color:#595959;font-weight:400;font-style:italic}
.cmp td.cmp-yes{background:#e6f0f8}
.cmp td.cmp-off{background:#fafafa;color:#595959}
.cmp a{color:#0b5394}
</style>"""


def matrix_html(ds: Dataset, m: Matrix, signals: Iterable[Signal] | None = None) -> str:
    """The matrix as an HTML table: a tick and links to the facts in each cited cell."""
    chosen = set(Signal) if signals is None else set(signals)
    names = {c.props.iso3: c.props.name for c in ds.countries}
    n = counts(m, chosen)
    head = ['<th scope="col">Country</th>']
    for s in Signal:
        off = s not in chosen
        note = " (not counted)" if off else ""
        cls = ' class="cmp-off"' if off else ""
        head.append(f'<th scope="col"{cls}>{escape(SIGNAL_LABELS[s] + note)}</th>')
    head.append('<th scope="col">Counted</th>')
    body = []
    for iso3 in FIVE:
        cells = [f'<th scope="row">{escape(names.get(iso3, iso3))}</th>']
        for s in Signal:
            ids = m.get(iso3, {}).get(s, ())
            off = s not in chosen
            if not ids:
                cells.append('<td><span aria-label="not cited">—</span></td>')
                continue
            links = []
            for fid in ids:
                fact = ds.fact(fid)
                title = f"{fact.summary} ({fid})" if fact else fid
                text = f"{fact.date:%d %b %Y}" if fact else fid
                links.append(
                    f'<a href="sources?fact={escape(fid, quote=True)}" '
                    f'title="{escape(title, quote=True)}" '
                    f'aria-label="{escape(f"{text}: {title}", quote=True)}">{escape(text)}</a>'
                )
            cls = "cmp-off" if off else "cmp-yes"
            label = f"cited by {len(ids)} fact{'s' if len(ids) != 1 else ''}"
            cells.append(f'<td class="{cls}">✓ {escape(label)}<br>{"<br>".join(links)}</td>')
        cells.append(f"<td>{n[iso3]}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        STYLE
        + '<div style="overflow-x:auto"><table class="cmp">'
        + '<caption style="caption-side:top;text-align:left">Signals of distance from Moscow '
        "that the sources cite, per country (links open the quoted passage)</caption>"
        + "<thead><tr>"
        + "".join(head)
        + "</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table></div>"
    )
