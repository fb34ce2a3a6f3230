"""The Share dialog's embed code: the static site's embed page when a site URL is configured
(CENTRAL_ASIA_ATLAS_SITE_URL, docs/publishing.md), the app's embedded view when none is."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from central_asia_atlas import publish

APP = str(Path(__file__).resolve().parents[2] / "app_frame.py")


def embed_src(monkeypatch: pytest.MonkeyPatch, site: str | None) -> str:
    if site is None:
        monkeypatch.delenv(publish.SITE_URL_ENV, raising=False)
    else:
        monkeypatch.setenv(publish.SITE_URL_ENV, site)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["country"] = "KAZ"
    at.query_params["as_of"] = "2024-05-01"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="w_share").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    code = next(c.proto.code_text for c in at.get("code") if "<iframe" in c.proto.code_text)
    return code.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")


def test_with_a_site_url_the_embed_code_points_at_the_sites_embed_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    src = urlsplit(embed_src(monkeypatch, "https://maps.example.org/atlas"))
    assert (src.scheme, src.netloc, src.path) == ("https", "maps.example.org", "/atlas/embed/")
    params = parse_qs(src.query)
    assert params["country"] == ["KAZ"] and params["as_of"] == ["2024-05-01"]
    assert "embed" not in params  # the site's embed is a page of its own


def test_without_a_site_url_the_embed_code_points_at_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    src = urlsplit(embed_src(monkeypatch, None))
    params = parse_qs(src.query)
    assert params["embed"] == ["true"] and params["country"] == ["KAZ"]
    assert not src.path.rstrip("/").endswith("embed")
