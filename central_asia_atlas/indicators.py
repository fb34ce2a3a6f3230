"""Choropleth indicators: their classes and colours, and their values computed from facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .model import FIVE, IndicatorValue, Signal

if TYPE_CHECKING:
    from .store import Dataset

NO_DATA = "no data"
NO_DATA_COLOR = "#d9d9d9"

# Okabe-Ito palette (colour-blind safe) for categorical indicators.
OI_BLUE = "#0072B2"
OI_SKY = "#56B4E9"
OI_GREEN = "#009E73"
OI_YELLOW = "#F0E442"
OI_ORANGE = "#E69F00"
OI_VERMILLION = "#D55E00"
OI_PURPLE = "#CC79A7"

# viridis steps (colour-blind safe, readable in greyscale) for counts 0..6.
COUNT_COLORS = ("#fde725", "#a0da39", "#4ac16d", "#1fa187", "#277f8e", "#365c8d", "#46327e")


@dataclass(frozen=True)
class ClassSpec:
    value: str
    label: str
    color: str


@dataclass(frozen=True)
class IndicatorSpec:
    key: str
    label: str
    description: str
    classes: tuple[ClassSpec, ...]
    computed: bool = False

    def class_for(self, value: str) -> ClassSpec | None:
        return next((c for c in self.classes if c.value == value), None)


_VOTE_CLASSES = (
    ClassSpec("for", "Voted for", OI_BLUE),
    ClassSpec("abstained", "Abstained", OI_YELLOW),
    ClassSpec("did not vote", "Did not vote", OI_PURPLE),
    ClassSpec("against", "Voted against", OI_VERMILLION),
)

SIGNAL_LABELS: dict[Signal, str] = {
    Signal.un_vote_not_with_russia: "Did not back Russia at the UN (2 March 2022)",
    Signal.rebuked_kremlin: "Publicly rebuked Kremlin claims",
    Signal.humanitarian_aid_ukraine: "Sent humanitarian aid to Ukraine",
    Signal.refused_recognition: "Refused to recognise the separatist republics",
    Signal.eu_engagement: "Deepened ties with the EU",
    Signal.reducing_dependence_on_russia: "Sought to reduce dependence on Russia",
}

INDICATORS: dict[str, IndicatorSpec] = {
    spec.key: spec
    for spec in (
        IndicatorSpec(
            "distance_signals",
            "Signals of distance from Moscow (count)",
            "How many different kinds of signal of distance from Moscow the sources cite for "
            "the country (UN vote, rebuke, aid, non-recognition, EU ties, reducing dependence). "
            "Each counted signal links to the facts that cite it.",
            tuple(
                ClassSpec(str(n), f"{n} signal{'s' if n != 1 else ''}", c)
                for n, c in enumerate(COUNT_COLORS)
            ),
            computed=True,
        ),
        IndicatorSpec(
            "un_es11_1",
            "UN vote of 2 March 2022 (ES-11/1, aggression against Ukraine)",
            "How the country voted on UN General Assembly resolution ES-11/1.",
            _VOTE_CLASSES,
        ),
        IndicatorSpec(
            "un_es11_3",
            "UN vote of 7 April 2022 (ES-11/3, suspending Russia from the Human Rights Council)",
            "How the country voted on UN General Assembly resolution ES-11/3.",
            _VOTE_CLASSES,
        ),
        IndicatorSpec(
            "un_es11_4",
            "UN vote of 12 October 2022 (ES-11/4, territorial integrity of Ukraine)",
            "How the country voted on UN General Assembly resolution ES-11/4.",
            _VOTE_CLASSES,
        ),
        IndicatorSpec(
            "humanitarian_aid",
            "Humanitarian aid to Ukraine",
            "Whether a source reports that the country sent humanitarian aid to Ukraine.",
            (ClassSpec("sent", "Sent aid (reported)", OI_GREEN),),
        ),
        IndicatorSpec(
            "kremlin_rebuke",
            "Public rebuke of Kremlin claims",
            "Whether a source reports that the country's president publicly rebuked Kremlin "
            "claims of support for the war.",
            (ClassSpec("rebuked", "Rebuked (reported)", OI_BLUE),),
        ),
        IndicatorSpec(
            "separatist_recognition",
            "Recognition of the separatist republics in eastern Ukraine",
            "Whether a source reports that the country refused to recognise them.",
            (ClassSpec("refused", "Refused (reported)", OI_BLUE),),
        ),
        IndicatorSpec(
            "eu_agreement",
            "EU Enhanced Partnership and Cooperation Agreement (EPCA)",
            "Whether the country has signed an EPCA with the EU.",
            (
                ClassSpec("in force", "Signed and in force", OI_BLUE),
                ClassSpec("signed", "Signed (entry into force not recorded)", OI_SKY),
                ClassSpec("not signed", "Not signed", OI_ORANGE),
            ),
        ),
        IndicatorSpec(
            "energy_exporter",
            "Role as energy exporter",
            "What the sources say of the country as a producer and exporter of oil and gas.",
            (
                ClassSpec(
                    "major producer", "Major energy producer (named by a source)", OI_VERMILLION
                ),
                ClassSpec("gas exporter", "Exports gas by pipeline", OI_ORANGE),
            ),
        ),
        IndicatorSpec(
            "governance",
            "Governance, as the sources assess it",
            "The sources' own assessment of the political system.",
            (
                ClassSpec("reforming", "Reforming (per source)", OI_GREEN),
                ClassSpec(
                    "democratic transition", "Gradual democratic transition (per source)", OI_SKY
                ),
                ClassSpec(
                    "highly repressive",
                    "Among the world's most repressive (per source)",
                    OI_VERMILLION,
                ),
            ),
        ),
    )
}


@dataclass(frozen=True)
class IndicatorResult:
    iso3: str
    value: str  # a class value, or NO_DATA
    label: str
    color: str
    facts: tuple[str, ...]
    note: str | None = None


def _no_data(iso3: str) -> IndicatorResult:
    return IndicatorResult(iso3, NO_DATA, "No data", NO_DATA_COLOR, ())


def signal_facts(
    dataset: Dataset, iso3: str, as_of: dt.date | None = None
) -> dict[Signal, tuple[str, ...]]:
    """For each kind of signal cited for `iso3`: the ids of the facts that cite it."""
    out: dict[Signal, list[str]] = {}
    for ref in dataset.facts_for_country(iso3):
        if as_of is not None and ref.fact.date > as_of:
            continue
        for sig in ref.fact.signals:
            out.setdefault(sig, []).append(ref.fact.id)
    return {s: tuple(ids) for s, ids in out.items()}


def _start(dataset: Dataset, value: IndicatorValue) -> dt.date:
    """The day from which a stored value holds: its `since`, else the date of its earliest fact."""
    if value.since is not None:
        return value.since
    dates = [f.date for fid in value.facts if (f := dataset.fact(fid)) is not None]
    return min(dates) if dates else dt.date.max


def value_as_of(
    dataset: Dataset, history: Sequence[IndicatorValue], as_of: dt.date | None
) -> tuple[IndicatorValue, tuple[str, ...]] | None:
    """The stored value that holds on `as_of` (the latest one without it) and its facts then.

    A value holds from its start day, and only with the facts dated on or before `as_of`:
    a value whose every fact is later has nothing to stand on that day.
    """
    for value in sorted(history, key=lambda v: _start(dataset, v), reverse=True):
        if as_of is None:
            return value, tuple(value.facts)
        if _start(dataset, value) > as_of:
            continue
        facts = tuple(
            fid for fid in value.facts if (f := dataset.fact(fid)) is not None and f.date <= as_of
        )
        if facts:
            return value, facts
    return None


def compute(
    dataset: Dataset,
    key: str,
    as_of: dt.date | None = None,
    signals: Iterable[Signal] | None = None,
) -> dict[str, IndicatorResult]:
    """The value of indicator `key` for each of the five, from facts dated on or before `as_of`.

    A stored value holds from its `since` date, by default the date of its earliest fact,
    and cites only the facts dated on or before `as_of`; of a history, the latest one holding.
    For the signal count, `signals` chooses which kinds of signal count.
    """
    spec = INDICATORS[key]
    results: dict[str, IndicatorResult] = {}
    if spec.computed:
        chosen = set(Signal) if signals is None else set(signals)
        for iso3 in FIVE:
            cited = {s: ids for s, ids in signal_facts(dataset, iso3, as_of).items() if s in chosen}
            n = min(len(cited), len(spec.classes) - 1)
            cls = spec.classes[n]
            facts = tuple(dict.fromkeys(i for ids in cited.values() for i in ids))
            names = "; ".join(SIGNAL_LABELS[s] for s in Signal if s in cited)
            results[iso3] = IndicatorResult(
                iso3, cls.value, cls.label, cls.color, facts, names or None
            )
        return results
    for iso3 in FIVE:
        country = dataset.country(iso3)
        history = country.props.indicators.get(key, []) if country else []
        held = value_as_of(dataset, history, as_of)
        found = spec.class_for(held[0].value) if held else None
        if held is None or found is None:
            results[iso3] = _no_data(iso3)
            continue
        value, facts = held
        results[iso3] = IndicatorResult(
            iso3, found.value, found.label, found.color, facts, value.note
        )
    return results
