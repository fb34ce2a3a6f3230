"""The static site's builder: every page written, assets named by their content, relative links
only and nothing from another origin, hostile data text escaped, and, for each country and
many "as of" days, the same facts, values, colours and legends as the app's own functions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html as htmlmod
import json
import posixpath
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from central_asia_atlas import charts, i18n, indicators, panel, reader, site, siteviews
from central_asia_atlas.markup import day
from central_asia_atlas.model import FIVE
from central_asia_atlas.sitepages import rel
from tests.support.cli import run_cli
from tests.support.datasets import HOSTILE
from tests.support.hostile import EVIL, hostile
from tests.support.paths import ROOT
from tests.support.shipped import shipped
from tests.support.site import BASE_URL, build_shipped, config, files, parse

DS = shipped()
HASHED = re.compile(r"^assets/[a-z0-9_-]+(?:-[A-Za-z0-9_-]+)*\.([0-9a-f]{10})\.[a-z]+$")
URL_ATTRS = ("href", "src", "srcset", "action", "poster", "data", "formaction", "background")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The shipped data's site, built once by the real command (`build-site`)."""
    target = build_shipped(tmp_path_factory.mktemp("site") / "out", "--base-url", BASE_URL)
    return files(target)


def text(built: dict[str, bytes], path: str) -> str:
    return built[path].decode("utf-8")


def page_paths(built: dict[str, bytes]) -> list[str]:
    return sorted(p for p in built if p.endswith(".html"))


# --- every page ----------------------------------------------------------------------------


def test_every_page_is_written(built: dict[str, bytes]) -> None:
    want = {"index.html", "embed/index.html", "sources/index.html", "data/index.html"}
    want |= {f"country/{iso3}/index.html" for iso3 in FIVE}
    want |= {f"route/{r.props.id}/index.html" for r in DS.routes}
    want |= {f"event/{e.props.id}/index.html" for e in DS.events}
    want |= {f"sources/{d.id}/index.html" for d in reader.documents(DS)}
    # English at the root, each other language of the catalogue under its code, page for page
    langs = {code: "" if code == i18n.SOURCE else f"{code}/" for code in i18n.languages()}
    assert set(langs) == {"en", *DS.catalogue.languages}
    every = {(code, f"{prefix}{path}") for code, prefix in langs.items() for path in want}
    assert set(page_paths(built)) == {path for _, path in every} | {"404.html"}
    for code, path in every:
        with i18n.use(code):  # the data version in the page's language
            version = htmlmod.escape(site.publish.data_version(DS).text, quote=True)
        page = text(built, path)
        assert page.startswith(f'<!DOCTYPE html>\n<html lang="{code}">'), path
        assert f'<meta name="atlas-data-version" content="{version}">' in page, path
        assert f'<link rel="canonical" href="{BASE_URL}{path.removesuffix("index.html")}">' in page
    # the build's own list: every file with its hash
    listing = json.loads(built[site.MANIFEST])
    assert set(listing) == set(built) - {site.MANIFEST}
    assert all(listing[p] == site.content_hash(built[p]) for p in listing)
    sitemap = text(built, "sitemap.xml")
    assert f"<loc>{BASE_URL}country/KAZ/</loc>" in sitemap and "embed/" not in sitemap


def test_the_downloads_carry_the_data_version_in_their_names(built: dict[str, bytes]) -> None:
    v = site.version_slug(DS)
    data = {p for p in built if p.startswith("data/") and not p.endswith(".html")}
    assert data and all(f"-{v}." in p for p in data), data
    assert f"data/facts-{v}.csv" in data and f"data/sources-{v}.bib" in data
    assert f"data/sources-{v}.csl.json" in data and f"data/countries-{v}.geojson" in data
    assert (
        built[f"data/countries-{v}.geojson"] == (ROOT / "data" / "countries.geojson").read_bytes()
    )
    for key in DS.catalogue.indicators:
        assert f"data/view-{key}-{v}.csv" in data
    page = parse(text(built, "data/index.html"))
    linked = {
        posixpath.normpath(posixpath.join("data", a["href"])) for t, a in page.tags if t == "a"
    }
    assert data <= linked


def test_country_route_and_event_pages_read_without_a_script(built: dict[str, bytes]) -> None:
    """The whole panel is in the page: every fact of the country, with its excerpt."""
    for iso3 in FIVE:
        page = text(built, f"country/{iso3}/index.html")
        assert "<script" not in page
        shown = set(re.findall(r'data-fact="([^"]+)"', page))
        want = {r.fact.id for r in DS.facts_for_country(iso3)}
        want |= {r.fact.id for r in DS.region_only_facts()}
        assert shown == want
        assert f'<header class="atlas-panel-head" data-kind="country" data-id="{iso3}">' in page
    for r in DS.routes:
        page = text(built, f"route/{r.props.id}/index.html")
        assert "<script" not in page and f'data-kind="route" data-id="{r.props.id}"' in page
    for e in DS.events:
        assert f'data-id="{e.props.id}"' in text(built, f"event/{e.props.id}/index.html")


def test_a_stored_documents_page_highlights_every_excerpt_it_holds(built: dict[str, bytes]) -> None:
    for doc in reader.documents(DS):
        page = text(built, f"sources/{doc.id}/index.html")
        for s in reader.spans(DS, doc.id):
            assert f'id="fact-{s.fact}"' in page, (doc.id, s.fact)


# --- assets, links, origins ----------------------------------------------------------------


def test_assets_are_named_by_their_content(built: dict[str, bytes]) -> None:
    assets = [p for p in built if p.startswith("assets/")]
    assert len(assets) > 20
    for path in assets:
        m = HASHED.match(path)
        assert m, path
        assert m.group(1) == hashlib.sha256(built[path]).hexdigest()[:10], path
    assert site.IMMUTABLE in text(built, "_headers")


def _urls(built: dict[str, bytes]) -> Iterator[tuple[str, str, str, str]]:
    """(file, tag, attribute, URL) of every URL in the pages, and in the HTML of the panels
    and legends the map pages fetch (their links are relative to the asset)."""
    for path in page_paths(built):
        for tag, attrs in parse(text(built, path)).tags:
            for name in URL_ATTRS:
                if attrs.get(name):
                    yield path, tag, name, attrs[name]
    for path in built:
        if path.startswith("assets/") and path.endswith(".json"):
            found = json.loads(built[path])
            for html in _strings(found):
                for tag, attrs in parse(html).tags:
                    for name in URL_ATTRS:
                        if attrs.get(name):
                            yield path, tag, name, attrs[name]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if "<" in value:
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _target(base: str, url: str) -> str:
    path = posixpath.normpath(posixpath.join(posixpath.dirname(base), urlsplit(url).path))
    path = "" if path == "." else path
    if url.split("?")[0].split("#")[0].endswith("/") or not urlsplit(url).path:
        return f"{path}/index.html".lstrip("/") if path else "index.html"
    return path


def test_links_are_relative_and_lead_to_files_of_the_site(built: dict[str, bytes]) -> None:
    """Every address the site uses is relative and names one of its files, but the sources'
    own addresses (links a reader may follow, never loaded) and the canonical address."""
    sources = {s.url for s in DS.sources.values() if s.url}
    checked = 0
    for path, tag, name, url in _urls(built):
        parts = urlsplit(url)
        if parts.scheme == "data":
            assert (tag, name) in (("link", "href"), ("img", "src"))  # favicon, chart plots
            continue
        if parts.scheme or parts.netloc:
            absolute = f"{parts.scheme}://{parts.netloc}"
            if (tag == "link" and name == "href") or path == "404.html":
                # canonical and alternate links; a 404 page is served at any address
                assert url.startswith(BASE_URL), (path, url)
            else:
                assert tag == "a" and name == "href", (path, tag, name, url)
                assert url in sources, (path, url)
                assert absolute != BASE_URL.rstrip("/")
            continue
        if url.startswith("#"):
            continue
        assert not url.startswith("/"), (path, url)  # under any path prefix
        assert _target(path, url) in built, (path, url)
        checked += 1
    assert checked > 500


def test_nothing_is_loaded_from_another_origin(built: dict[str, bytes]) -> None:
    """No script, style, image, frame or fetch names another host: the pages' loaded
    resources are relative; the scripts and styles name no address at all."""
    for path, tag, name, url in _urls(built):
        if tag != "a" and not (tag == "link" and name == "href" and url.startswith(BASE_URL)):
            assert not urlsplit(url).netloc, (path, tag, url)
    for path in built:
        if path.endswith((".js", ".css")) and "leaflet" not in path:
            assert "://" not in text(built, path), path
    css = next(p for p in built if p.startswith("assets/leaflet.") and p.endswith(".css"))
    for url in re.findall(r"url\(([^)]*)\)", text(built, css)):
        url = url.strip("'\"")
        assert not urlsplit(url).netloc and not url.startswith("/"), url
        if not url.startswith(("data:", "#")):  # Leaflet's images, renamed by content
            assert posixpath.normpath(posixpath.join("assets", url)) in built, url
    for path in ("index.html", "embed/index.html"):
        page = text(built, path)
        scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
        for script in scripts:
            for url in re.findall(r"https?://[^\s\"'<>)]+", script):
                raise AssertionError(f"{path}: a script names {url}")


def test_the_map_pages_fetch_their_files_by_relative_addresses(built: dict[str, bytes]) -> None:
    for path in ("index.html", "embed/index.html"):
        cfg = config(text(built, path))
        addresses = [
            *cfg["states"].values(),
            *cfg["panels"].values(),
            *cfg["csv"].values(),
            cfg["days"]["labels"],
        ]
        for url in addresses:
            assert not urlsplit(url).scheme and not url.startswith("/")
            assert _target(path, url) in built, (path, url)
        assert set(cfg["states"]) == set(DS.catalogue.indicators)
        assert {k.split(":")[0] for k in cfg["panels"]} == {"country", "route", "event"}


def test_a_countrys_past_ties_are_files_beside_its_panel(built: dict[str, bytes]) -> None:
    """A country's ties and indicators of each past stretch are a file of their own, named
    relative to the panel's file; today's and the last stretch's are in the panel itself."""
    cfg = config(text(built, "index.html"))
    for iso3 in FIVE:
        path = posixpath.normpath(cfg["panels"][f"country:{iso3}"])
        parts = json.loads(built[path])
        slots = [p for p in parts if isinstance(p, dict) and "v" in p]
        kept = [s for s in slots if any(isinstance(v[2], dict) for v in s["v"])]
        assert len(kept) == 1, iso3  # the ties and indicators, no other piece
        ties = kept[0]
        assert isinstance(ties["t"], str) and '<tr data-indicator="' in ties["t"]
        *past, latest = ties["v"]
        assert latest[1] == "" and isinstance(latest[2], str), iso3
        assert past and all(isinstance(v[2], dict) for v in past), iso3
        for v in past:
            src = v[2]["src"]
            assert not urlsplit(src).scheme and "/" not in src, src
            html = json.loads(built[posixpath.join(posixpath.dirname(path), src)])
            assert isinstance(html, str) and '<tr data-indicator="' in html, src


def test_rel_makes_relative_addresses() -> None:
    assert rel("", "assets/a.css") == "assets/a.css"
    assert rel("country/KAZ/", "assets/a.css") == "../../assets/a.css"
    assert rel("country/KAZ/", "") == "../../"
    assert rel("", "") == "./"
    assert rel("embed/", "") == "../"
    assert rel("assets/p.json", "sources/doc/#fact-x") == "../sources/doc/#fact-x"
    assert rel("de/embed/", "de/") == "../"
    assert rel("de/", "de/?country=KAZ") == "./?country=KAZ"
    assert rel("sources/", "sources/doc/") == "doc/"


# --- hostile data --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def evil() -> dict[str, bytes]:
    """The sample data with hostile text in every name, summary, excerpt, outlet and label."""
    ds = hostile()
    ds = dataclasses.replace(
        ds,
        events=tuple(
            dataclasses.replace(e, props=e.props.model_copy(update={"place": f"Port {HOSTILE}"}))
            for e in ds.events
        ),
    )
    out = site.build(ds, today=dt.date(2026, 12, 3), data_dir=ROOT / "data")
    return out.files


def test_hostile_text_is_escaped_in_every_page_and_asset(evil: dict[str, bytes]) -> None:
    for path, raw in evil.items():
        body = raw.decode("utf-8", "replace")
        # (the downloads under data/ keep the data's text verbatim, as the app's do)
        if path.endswith(".html") or path.startswith("assets/"):
            assert "<script>alert" not in body, path  # escaped in HTML, \\u003c in JSON
    page = evil["index.html"].decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    assert len(scripts) == 4, scripts  # config, Leaflet, the map, the site's script
    cfg = config(page)
    assert any(EVIL in name for name in cfg["names"].values())  # verbatim, inside JSON
    for path in ("index.html", "country/KAZ/index.html", "route/pipe-a/index.html"):
        shown = "".join(parse(evil[path].decode()).text)
        assert EVIL in shown, path  # the reader sees the text, as text
    kaz = json.loads(evil[cfg["panels"]["country:KAZ"]])
    assembled = siteviews.pick(kaz, None)
    assert EVIL in "".join(parse(assembled).text)
    assert "<script>" not in assembled


def test_facts_without_a_stored_document_link_to_their_own_page(evil: dict[str, bytes]) -> None:
    """The sample's excerpts have no stored text: their reader links lead to the fact on its
    page, not to the app's sources?fact= address."""
    for path, raw in evil.items():
        assert "sources?fact=" not in raw.decode("utf-8", "replace"), path
    page = evil["route/pipe-a/index.html"].decode()
    assert 'href="./#fact-pipe-a-fact"' in page


def test_every_language_has_its_pages_under_its_code() -> None:
    """The source language at the root, each other one under its code, sharing the assets."""
    ds = hostile()
    out = site.build(ds, today=dt.date(2026, 12, 3), languages=("en", "de"), data_dir=ROOT / "data")
    assert "index.html" in out.files and "de/index.html" in out.files
    assert "de/country/KAZ/index.html" in out.files and "de/embed/index.html" in out.files
    de = out.files["de/index.html"].decode()
    assert de.startswith('<!DOCTYPE html>\n<html lang="de">')
    css = next(p for p in out.files if p.startswith("assets/site.") and p.endswith(".css"))
    assert f'href="../{css}"' in de
    assert 'hreflang="en"' in de and 'href="../"' in de  # the language switch
    assert 'hreflang="de"' in out.files["index.html"].decode()
    assert not [p for p in out.files if p.startswith("de/assets/")]


# --- the same as the app -------------------------------------------------------------------


def sample_days() -> list[dt.date | None]:
    """Today, fixed days across the war, both sides of several change days, and random days
    (seeded) from 2020 to the end of the data."""
    change = siteviews.change_days(DS)
    days: list[dt.date | None] = [None]
    days += [dt.date(2021, 6, 1), dt.date(2022, 2, 24), dt.date(2022, 9, 30)]
    days += [dt.date(2023, 3, 1), dt.date(2024, 5, 1), dt.date(2025, 6, 15), dt.date(2026, 1, 1)]
    rng = random.Random(26)
    for d in rng.sample([d for d in change if d.year >= 2022], 6):
        days += [d - dt.timedelta(days=1), d]
    lo, hi = dt.date(2020, 1, 1), max(change)
    days += [lo + dt.timedelta(days=rng.randrange((hi - lo).days)) for _ in range(6)]
    return days


DAYS = sample_days()


def _unlink(html: str) -> str:
    """The site's HTML with the app's links and attributes back: what the app renders."""
    html = re.sub(r' data-known-from="\d{4}-\d{2}-\d{2}"', "", html)
    return re.sub(
        r'href="[^"]*#fact-([^"]+)"(?=>passage|>'
        + re.escape(htmlmod.escape(i18n._("passage in the source")))
        + ")",
        lambda m: f'href="{panel.reader_link(m.group(1))}"',
        html,
    )


def app_panel(iso3: str, when: dt.date | None) -> str:
    """The app's panel of a country as of `when` with every fact on its page of facts
    (cache.country_panel's head and body, each built by the same functions)."""
    table = {k: indicators.compute(DS, k, as_of=when) for k in DS.catalogue.indicators}
    head = panel.country_head_html(DS, iso3, when, style=False) + "".join(
        charts.chart_html(c) for c in charts.country_charts(DS, iso3, when)
    )
    view = panel.FactsView(panel.LATEST, limit=10**6)
    body = panel.country_html(DS, iso3, table, when, head=False, view=view, style=False)
    return head + body


@pytest.mark.parametrize("iso3", FIVE)
def test_each_countrys_panel_is_the_apps_on_every_day(built: dict[str, bytes], iso3: str) -> None:
    """For each sample day, the panel the site puts together (the variants that hold the day,
    the facts known by then) is exactly the app's panel, character for character, once the
    site's links to its own pages are put back as the app's."""
    cfg = config(text(built, "index.html"))
    path = posixpath.normpath(cfg["panels"][f"country:{iso3}"])
    parts = json.loads(built[path])

    def load(src: str) -> str:  # a variant in a file of its own, beside the panel's
        kept: str = json.loads(built[posixpath.join(posixpath.dirname(path), src)])
        return kept

    for when in DAYS:
        shown = siteviews.pick(parts, when, load=load).replace(
            siteviews.DAY_SLOT, htmlmod.escape(day(when)) if when else ""
        )
        facts = re.findall(r'data-fact="([^"]+)"', shown)
        want = sorted(
            DS.facts_for_country(iso3, when), key=lambda r: (r.fact.date, r.fact.id), reverse=True
        )
        assert facts == [r.fact.id for r in want], (iso3, when)
        for key in DS.catalogue.indicators:
            res = indicators.compute(DS, key, as_of=when)[iso3]
            row = re.search(rf'<tr data-indicator="{re.escape(key)}">(.*?)</tr>', shown, re.S)
            assert row and htmlmod.escape(res.label) in row.group(1), (iso3, when, key)
        assert _unlink(shown) == app_panel(iso3, when), (iso3, when)


def test_each_colouring_and_legend_is_the_apps_on_every_day(built: dict[str, bytes]) -> None:
    cfg = config(text(built, "index.html"))
    names = DS.names()
    for key, url in cfg["states"].items():
        states = json.loads(built[url])
        spec = DS.catalogue.indicators[key]
        for when in DAYS:
            state = siteviews.pick_state(states, when)
            results = indicators.compute(DS, key, as_of=when)
            assert state["legend"] == panel.legend_html(spec, results, False, names), (key, when)
            for iso3, res in results.items():
                assert state["countries"][iso3]["style"]["fillColor"] == res.color, (key, when)
                assert htmlmod.escape(res.label) in state["countries"][iso3]["tip"], (key, when)


def test_the_pages_show_the_default_view_as_of_today(built: dict[str, bytes]) -> None:
    """What the map page shows before its script runs is today's default colouring."""
    key = DS.catalogue.default_key()
    assert key
    results = indicators.compute(DS, key)
    page = text(built, "index.html")
    assert panel.legend_html(DS.catalogue.indicators[key], results, False, DS.names()) in page
    for res in results.values():
        assert res.color.lower() in page.lower()


# --- the command ---------------------------------------------------------------------------


def test_build_site_refuses_a_directory_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    run = run_cli(
        "build-site", str(tmp_path), "--data", str(ROOT / "data"), "--seeds", str(ROOT / "seeds")
    )
    assert run.returncode == 2 and "site-manifest.json" in run.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_build_site_refuses_a_base_url_that_is_not_one(tmp_path: Path) -> None:
    run = run_cli(
        "build-site",
        str(tmp_path / "out"),
        "--base-url",
        "javascript:alert(1)",
        "--data",
        str(ROOT / "data"),
        "--seeds",
        str(ROOT / "seeds"),
    )
    assert run.returncode == 2 and "base URL" in run.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_a_new_build_replaces_an_earlier_one(tmp_path: Path) -> None:
    ds = hostile()
    out = site.build(ds, today=dt.date(2026, 12, 3), data_dir=ROOT / "data")
    site.write(out, tmp_path)
    (tmp_path / "assets" / "stale.0000000000.js").write_text("old")
    site.write(out, tmp_path)
    assert not (tmp_path / "assets" / "stale.0000000000.js").exists()
    assert (tmp_path / "index.html").read_bytes() == out.files["index.html"]


def test_the_embed_code_template_is_publishs(built: dict[str, bytes]) -> None:
    page = text(built, "index.html")
    template = re.search(r'<template id="site-embed-template">(.*?)</template>', page, re.S)
    assert template
    src = re.search(r'src="([^"]+)"', template.group(1))
    assert src and htmlmod.unescape(src.group(1)) == "./embed/?routes=1"  # the script's to fill
