"""A dataset with hostile text in every field a view shows (names, outlets, titles, labels):
what the publishing and the static site's tests escape."""

from __future__ import annotations

import dataclasses

from central_asia_atlas.model import CountryProps, IndicatorValue
from central_asia_atlas.store import Dataset, Feature

from .datasets import sample

# Markup, an entity, quotes, mathtext and a formula: every place data text goes.
EVIL = '<script>alert(1)</script> & "q" $x^2$ =1+1'


def hostile() -> Dataset:
    """The sample with EVIL in every name, outlet and title, and in the indicator's labels;
    KAZ holds a categorical value and a numeric one, so the source line names an outlet."""
    ds = sample(EVIL)
    cat = ds.catalogue
    vote = cat.indicators["un_es11_1"]
    classes = [c.model_copy(update={"label": f"{c.label} {EVIL}"}) for c in vote.classes]  # type: ignore[union-attr]
    specs = {
        **cat.indicators,
        "un_es11_1": vote.model_copy(update={"label": f"Vote {EVIL}", "classes": classes}),
    }
    countries = []
    for c in ds.countries:
        props: CountryProps = c.props
        if props.iso3 == "KAZ":
            props = props.model_copy(
                update={
                    "indicators": {
                        "un_es11_1": [IndicatorValue(value="abstained", facts=["kaz-late"])],
                        "trade_share_china": [
                            IndicatorValue(
                                value=21.3,
                                facts=["kaz-trade"],
                                period="2022-01/2022-09",
                                statistics="national",
                            )
                        ],
                    }
                }
            )
        countries.append(Feature(props, c.geometry))
    return dataclasses.replace(
        ds, countries=tuple(countries), catalogue=dataclasses.replace(cat, indicators=specs)
    )
