"""A view in Russian: the panel, legend, tooltip, CSV, citation, image and HTML of a view are
Russian, with Russian dates and numbers ("3 декабря 2026", "21,3 %"); the language is part of
the view (the link, the session) and English stays as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from central_asia_atlas import (
    i18n,
    images,
    indicators,
    mapview,
    markup,
    panel,
    publish,
    standalone,
    summary,
)
from central_asia_atlas import selection as sel
from central_asia_atlas import viewstate as vs
from central_asia_atlas.dataset import Dataset

DAY = dt.date(2026, 12, 3)
KAZ = sel.Selection("country", "KAZ")
TRADE = "trade_share_china"  # Kazakhstan: 21.3 % of its trade in Jan-Sep 2023
RU = sel.View(selection=KAZ, indicator=TRADE, lang="ru")
EN = sel.View(selection=KAZ, indicator=TRADE)


@pytest.fixture(scope="module")
def ds() -> Dataset:
    from central_asia_atlas import store

    return store.load()


def test_dates_and_numbers_as_russian_writes_them() -> None:
    with i18n.use("ru"):
        assert markup.day(DAY) == "3 декабря 2026"
        assert markup.dated(dt.date(2026, 12, 1), "month") == "декабрь 2026"
        assert markup.number(21.3) == "21,3" and markup.number(1234.5) == "1\xa0234,5"
        assert markup.percent(0.8) == "80\xa0%"
        assert markup.and_list(["a", "b", "c"]) == "a, b и c"
    assert markup.day(DAY) == "3 December 2026" and markup.number(1234.5) == "1,234.5"


def test_a_russian_panel(ds: Dataset) -> None:
    with i18n.use("ru"):
        table = {k: indicators.compute(ds, k) for k in ds.catalogue.indicators}
        html = panel.country_html(ds, "KAZ", table, as_of=DAY)
    assert "<h3>Казахстан</h3>" in html and "Столица: Астана" in html
    assert "Связи по сторонам" in html and "<h4>Показатели</h4>" in html
    assert "21,3 % (янв.–сент. 2023, национальная статистика, через bne IntelliNews)" in html
    assert "на 3 декабря 2026" in html
    # a quotation stays in the language of its document, marked with it
    assert '<blockquote lang="en">' in html
    assert "?fact=" in html and "&amp;lang=ru" in html  # a passage opens in Russian too


def test_a_russian_legend_and_tooltip(ds: Dataset) -> None:
    spec = ds.catalogue.indicators[TRADE]
    with i18n.use("ru"):
        shown = indicators.compute(ds, TRADE)
        legend = panel.legend_html(spec, shown, names=ds.names())
        features = mapview.country_features(ds, shown, spec.label)["features"]
        tips = [f["properties"]["tip"] for f in features]
    assert "Доля Китая во внешней торговле (%)" in legend and "20–30 %" in legend
    assert "Нет данных" in legend or "Другой период" in legend
    kaz = tips[[c.props.iso3 for c in ds.countries].index("KAZ")]
    assert kaz.startswith("<b>Казахстан</b>")
    assert "21,3 %" in kaz and "Другой период, не 2024 год, как на карте (обведено)" in kaz


def test_the_maps_names_in_russian(ds: Dataset) -> None:
    base = mapview.load_basemap()
    with i18n.use("ru"):
        names = {name for name, _lat, _lon in mapview.label_points(base)}
        m = mapview.base_map(base, ds)
        rendered = m.get_root().render()
    assert {"Россия", "Китай", "Иран", "Афганистан"} <= names
    assert "Астана" in rendered and "Бишкек" in rendered and "Душанбе" in rendered
    assert ">Russia<" not in rendered and "Astana" not in rendered
    assert {n for n, _lat, _lon in mapview.label_points(base)} >= {"Russia", "China"}  # English


def test_a_russian_citation_and_share_link(ds: Dataset) -> None:
    link = publish.share_url("https://atlas.example/", RU)
    assert link.endswith("&lang=ru") and "country=KAZ" in link
    assert "lang=" not in publish.share_url("https://atlas.example/", EN)
    cite = publish.citation(ds, RU, link, DAY)
    assert cite.startswith("Центральная Азия между Россией, ЕС и Китаем: «Доля Китая")
    assert "карта на 3 декабря 2026" in cite and "(дата обращения: 3 декабря 2026)" in cite
    embed = publish.embed_code("https://atlas.example/", RU)
    assert "lang=ru" in embed and 'title="Центральная Азия между Россией, ЕС и Китаем"' in embed
    english = publish.citation(ds, EN, link, DAY)
    assert english.startswith("Central Asia between Russia, the EU and China: “")
    assert "(accessed 3 December 2026)" in english


def test_a_russian_csv_keeps_its_english_column_names(ds: Dataset) -> None:
    rows = list(csv.DictReader(io.StringIO(publish.shown_csv(ds, RU, DAY))))
    assert list(rows[0]) == list(publish.SHOWN_COLUMNS)
    kaz = next(r for r in rows if r["iso3"] == "KAZ")
    assert kaz["country"] == "Казахстан"
    assert kaz["indicator_label"] == "Доля Китая во внешней торговле (%)"
    assert (
        kaz["shown"] == "21,3 % (янв.–сент. 2023, национальная статистика, через bne IntelliNews)"
    )
    assert kaz["statistics"] == "национальная статистика" and kaz["legend_class"] == "20–30 %"
    assert kaz["data_version"].startswith("Версия данных ")
    assert kaz["value"] == "21.3"  # the number itself stays a number a spreadsheet reads


def test_a_russian_svg_and_standalone_html(ds: Dataset) -> None:
    svg = images.map_svg(ds, RU, today=DAY).decode("utf-8")
    texts = " ".join(re.findall(r">([^<>]+)<", svg))
    assert "Доля Китая во внешней торговле (%)" in texts
    assert "На 3 декабря 2026 · Центральная Азия между Россией, ЕС и Китаем" in texts
    assert "Периоды различаются: Казахстан:" in texts  # the map's own names are drawn as paths
    assert "Источники:" in texts and "карта на основе Natural Earth" in texts
    assert "Kazakhstan" not in texts and "As of" not in texts
    page = standalone.standalone_html(ds, RU, "https://atlas.example/", today=DAY)
    assert page.startswith('<!DOCTYPE html>\n<html lang="ru">')
    assert "Открыть этот вид в приложении" in page and "На 3 декабря 2026" in page
    assert '<html lang="en">' in standalone.standalone_html(ds, EN, "https://x/", today=DAY)


def test_the_map_in_words_in_russian(ds: Dataset) -> None:
    with i18n.use("ru"):
        text = summary.country_summary(ds, "KGZ")
    assert text[0] == "Кыргызстан. Столица: Бишкек."
    assert text[1].startswith("Кыргызстан: источники приводят ")
    joined = " ".join(text)
    assert "Связи с Москвой: приводится" in joined
    assert "Показатели. " in joined and "Indicators" not in joined and "No data" not in joined


def test_the_language_is_part_of_the_view_and_its_link() -> None:
    view, notices = sel.from_query_params({"country": "UZB", "lang": "ru"}, ["x"])
    assert view.lang == "ru" and notices == []
    assert sel.to_query_params(view, "x") == {
        "country": "UZB",
        "indicator": "x",
        "routes": "1",
        "lang": "ru",
    }
    english, notices = sel.from_query_params({"lang": "xx"}, ["x"])
    assert english.lang == "en" and len(notices) == 1 and "lang='xx'" in notices[0]
    assert "lang" not in sel.to_query_params(english, "x")


def test_the_sessions_language_comes_from_the_link_then_the_switch() -> None:
    ss: dict[str, object] = {}
    assert vs.language(ss, {"lang": ["ru"]}) == "ru"
    assert vs.language(ss, {}) == "ru"  # the session keeps it; the URL may have lost it
    vs.start(ss, {"country": "KAZ"}, ["x"], {"country": {"KAZ"}}, "x")
    ss[vs.LANGUAGE_SWITCH] = "en"
    vs.on_language_switch(ss)  # the switch: the rest of the view stays
    assert vs.current_language(ss) == "en"
    assert vs.view(ss, []).selection == KAZ and vs.view(ss, []).lang == "en"
    ss[vs.LANGUAGE_SWITCH] = "ru"
    vs.on_language_switch(ss)
    assert vs.url_update(ss, {}) == {
        "country": "KAZ",
        "indicator": "x",
        "routes": "1",
        "lang": "ru",
    }
    assert vs.shared_url_update(ss, {"fact": "f"}, []) == {"fact": "f", "lang": "ru"}
    vs.set_language(ss, "klingon")
    assert vs.current_language(ss) == "en"
