"""Bad data and tampered links in the running app (AppTest): never a traceback.

Each test serves a broken copy of the shipped data (CENTRAL_ASIA_ATLAS_DATA / _SEEDS). Every
page still renders; the sidebar banner says how many problems there are and lists each one,
located; what is valid is still shown.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.support.paths import APP, ROOT

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
TIMEOUT = 60

Breaker = Callable[[Path, Path], None]


def _missing_data(data: Path, seeds: Path) -> None:
    shutil.rmtree(data)


def _missing_seeds(data: Path, seeds: Path) -> None:
    shutil.rmtree(seeds)


def _truncated_countries(data: Path, seeds: Path) -> None:
    path = data / "countries.geojson"
    text = path.read_text(encoding="utf-8")  # cut between characters: the JSON is what breaks
    path.write_text(text[: len(text) // 2], encoding="utf-8")


def _routes_utf16(data: Path, seeds: Path) -> None:
    path = data / "routes.geojson"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))


def _events_too_large(data: Path, seeds: Path) -> None:
    from central_asia_atlas import store

    with (data / "events.geojson").open("r+b") as fh:
        fh.truncate(store.MAX_FILE_BYTES + 1)


def _basemap_truncated(data: Path, seeds: Path) -> None:
    path = data / "basemap.geojson"
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 3])


def _sources_not_yaml(data: Path, seeds: Path) -> None:
    (seeds / "sources.yaml").write_text("sources: [\n  - id: {unclosed\n", encoding="utf-8")


BREAKERS: dict[str, tuple[Breaker, str]] = {
    "data directory missing": (_missing_data, "data directory not found"),
    "seeds directory missing": (_missing_seeds, "seeds directory not found"),
    "countries.geojson truncated": (_truncated_countries, "countries.geojson: malformed JSON"),
    "routes.geojson in UTF-16": (_routes_utf16, "routes.geojson: not valid UTF-8"),
    "events.geojson over the size limit": (_events_too_large, "-byte limit; refused"),
    "sources.yaml not YAML": (_sources_not_yaml, "sources.yaml: not valid YAML"),
    "basemap.geojson truncated": (_basemap_truncated, "basemap.geojson: malformed JSON"),
}


@pytest.fixture
def app(
    data_copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., AppTest]]:
    """A factory: break the copy with `breaker`, then an AppTest of the app served on it."""
    data, seeds = data_copy
    monkeypatch.setenv("CENTRAL_ASIA_ATLAS_DATA", str(data))
    monkeypatch.setenv("CENTRAL_ASIA_ATLAS_SEEDS", str(seeds))
    for p in seeds.iterdir():  # seed documents are read-only in the repository
        p.chmod(0o644)
    st.cache_resource.clear()
    st.cache_data.clear()

    def make(breaker: Breaker | None = None) -> AppTest:
        if breaker is not None:
            breaker(data, seeds)
        return AppTest.from_file(APP, default_timeout=TIMEOUT)

    yield make
    st.cache_resource.clear()
    st.cache_data.clear()


def _problems(at: AppTest) -> list[str]:
    return [t.value for t in at.sidebar.text]


def _banner(at: AppTest) -> str:
    errors = [e.value for e in at.sidebar.error]
    assert len(errors) == 1, errors
    return str(errors[0])


SHOWN = 50  # app_frame.SHOWN_PROBLEMS


def _count(at: AppTest) -> int:
    """The number of problems the banner announces."""
    return int(_banner(at).split("The data has ")[1].split(" problem(s)")[0])


def _panel(at: AppTest) -> str:
    return "".join(h.value for h in at.html if 'class="atlas-panel"' in h.value)


def _no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_shipped_data_shows_no_banner(app: Callable[..., AppTest]) -> None:
    at = app()
    at.run()
    _no_exception(at)
    assert list(at.sidebar.error) == []


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("broken", ["data directory missing", "seeds directory missing"])
def test_every_page_renders_when_a_directory_is_missing(
    app: Callable[..., AppTest], page: str, broken: str
) -> None:
    at = app(BREAKERS[broken][0])
    at.switch_page(page).run()  # each page's url_path is its file's stem
    _no_exception(at)
    assert len(at.main.children) > 0
    # (AppTest drops what the entry script wrote to the sidebar when a run switches pages or
    # reruns: the banner is checked on the default page's first run below, and in the browser)


@pytest.mark.parametrize("broken", list(BREAKERS))
def test_map_page_lists_the_problem_and_keeps_the_rest(
    app: Callable[..., AppTest], broken: str
) -> None:
    breaker, message = BREAKERS[broken]
    at = app(breaker)
    at.run()
    _no_exception(at)
    problems = _problems(at)
    count = _count(at)
    assert len(problems) == (count if count <= SHOWN else SHOWN + 1)
    assert any(message in p for p in problems), problems


@pytest.mark.parametrize(
    "broken", ["routes.geojson in UTF-16", "events.geojson over the size limit"]
)
def test_a_country_still_shows_its_facts_when_another_file_is_broken(
    app: Callable[..., AppTest], broken: str
) -> None:
    at = app(BREAKERS[broken][0])
    at.run()
    at.selectbox(key="w_country").set_value("KAZ").run()
    _no_exception(at)
    at.session_state["w_facts"] = "all"  # every fact, quoted ones included
    at.session_state["facts_limit"] = 10_000
    at.run()
    panel = _panel(at)
    assert 'data-kind="country" data-id="KAZ"' in panel
    assert panel.count('class="atlas-fact"') >= 3
    assert "<blockquote lang=" in panel  # verbatim excerpts are shown, in their language


def test_an_excerpt_not_in_its_source_is_left_out_and_named(
    app: Callable[..., AppTest], data_copy: tuple[Path, Path]
) -> None:
    """One tampered quotation: that fact is dropped and named; the others stay."""
    import json

    data, _ = data_copy
    path = data / "countries.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    kaz = next(f for f in doc["features"] if f["properties"]["iso3"] == "KAZ")
    quoted = [f for f in kaz["properties"]["facts"] if f.get("excerpt")]
    assert len(quoted) >= 2, "KAZ needs two quoted facts for this test"
    victim = quoted[0]
    victim["excerpt"] = victim["excerpt"].replace(" ", "  ", 1)  # one character more
    victim["end"] += 1
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    at = app()
    at.run()
    _no_exception(at)
    problems = _problems(at)
    assert any(
        f"feature KAZ, fact {victim['id']}, field excerpt: excerpt is not in the source" in p
        for p in problems
    ), problems
    at.selectbox(key="w_country").set_value("KAZ").run()
    _no_exception(at)
    at.session_state["w_facts"] = "all"
    at.session_state["facts_limit"] = 10_000
    at.run()
    panel = _panel(at)
    assert f'data-fact="{victim["id"]}"' not in panel
    for other in quoted[1:]:
        assert f'data-fact="{other["id"]}"' in panel


@pytest.mark.parametrize(
    "params",
    [
        {"country": "<script>window.__xss=1</script>"},
        {"country": "RUS", "indicator": "no-such-thing", "routes": "maybe"},
        {"route": "../../etc/passwd"},
        {"event": "x" * 5000},
        {"country": "[click here](https://evil.example)"},
    ],
    ids=["script", "unknown-values", "path", "long", "markdown-link"],
)
def test_a_tampered_link_is_explained_not_raised(
    app: Callable[..., AppTest], params: dict[str, str]
) -> None:
    at = app()
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    _no_exception(at)
    notices = [str(i.value) for i in at.info]
    assert len(notices) == len(params), notices
    assert all(n.startswith("Ignored ") for n in notices), notices
    assert _panel(at) == ""  # nothing selected


def test_a_deep_link_selects_its_country(app: Callable[..., AppTest]) -> None:
    at = app()
    at.query_params["country"] = "tjk"
    at.run()
    _no_exception(at)
    assert 'data-kind="country" data-id="TJK"' in _panel(at)
    assert list(at.info) == []


HOSTILE_PARAMS = [
    {
        "fact": "<script>window.__xss=1</script>",
        "as_of": "9999-99-99",
        "country": '"><svg onload=window.__xss=1>',
        "indicator": "javascript:alert(1)",
        "routes": "\x00",
        "signals": "<b>x</b>,,,",
        "source": "../../etc/passwd",
    },
    {
        "fact": "x" * 5000,
        "as_of": "1900-01-01",
        "route": "RUS",
        "event": "-",
        "signals": "rebuked_kremlin,rebuked_kremlin,nonsense",
    },
    {"as_of": "2999-12-31", "fact": "", "country": ""},
]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("params", HOSTILE_PARAMS, ids=["scripts", "junk", "far-future"])
def test_every_page_takes_a_tampered_link(
    app: Callable[..., AppTest], page: str, params: dict[str, str]
) -> None:
    at = app()
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page).run()
    _no_exception(at)
    assert len(at.main.children) > 0
    text = " ".join(str(getattr(e, "value", "")) for e in at.main)
    assert "<script>window.__xss=1</script>" not in " ".join(h.value for h in at.html)
    assert "Traceback" not in text


def test_thousands_of_problems_are_counted_and_a_few_listed(
    app: Callable[..., AppTest], data_copy: tuple[Path, Path]
) -> None:
    """A file full of broken facts: the banner counts every problem but lists only the first
    ones (listing 40,000 would slow down every rerun), and says how to see them all."""
    import json

    data, _ = data_copy
    path = data / "region.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["facts"] += [
        {"id": f"broken-{i}", "category": "nope"} for i in range(10_000)
    ]
    path.write_text(json.dumps(doc), encoding="utf-8")
    at = app()
    at.run()
    _no_exception(at)
    count = _count(at)
    assert count >= 30_000  # each broken fact: unknown category, no date, no summary, ...
    listed = _problems(at)
    assert len(listed) == SHOWN + 1
    assert listed[0].startswith("data/region.geojson, feature central-asia, fact broken-0")
    assert listed[-1] == (
        f"... and {count - SHOWN} more: run 'python -m central_asia_atlas validate' "
        "for the full list."
    )
