"""What the project leans on in its dependencies' internals, pinned in one place: upgrading
streamlit or streamlit-folium is this file's checklist. Each test says what the project relies
on and where it is used; a test that fails after an upgrade names the code to look at again.
"""

from __future__ import annotations

import inspect
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import streamlit
import streamlit_folium
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
from streamlit.testing.v1 import AppTest

from central_asia_atlas import cache, component, indicators, mapview
from central_asia_atlas.selection import Selection
from tests.support import fresh_python
from tests.support.paths import ROOT
from tests.support.shipped import INDICATORS

BASEMAP = mapview.load_basemap()


# --- streamlit-folium: the component call and its frontend bundle; Streamlit: the message
# cache and the runner (from test_mapview.py)


def test_the_cached_map_component_sends_what_st_folium_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page calls st_folium's component with cached pieces; they must be st_folium's own."""
    import streamlit_folium as sf

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(sf, "_component_func", lambda **kw: calls.append(kw))
    ds = cache.dataset()
    route = ds.routes[0].props.id
    for key, selection, routes, tiles in (
        ("distance_signals", None, True, False),
        ("un_es11_1", Selection("country", "KAZ"), True, False),
        ("governance", Selection("route", route), False, True),
    ):
        # the base map and layers as component.map_base and map_layers make them
        m = mapview.base_map(BASEMAP, ds, mapview.basemap_url(BASEMAP), shapes=True, frame=True)
        results = indicators.compute(ds, key)
        groups = mapview.layers(ds, results, INDICATORS[key].label, selection, routes, tiles)
        sf.st_folium(
            m,
            key=component.MAP_KEY,
            height=mapview.HEIGHT,
            use_container_width=True,
            returned_objects=list(component.MAP_RETURNS),
            feature_group_to_add=groups,
        )
        picked = (selection.kind, selection.id) if selection else None
        layers = component.map_layers(key, None, None, picked, routes, tiles, "en")
        component.map_component(layers, height=mapview.HEIGHT, on_change=lambda: None, lang="en")
        expected, got = calls[-2], calls[-1]
        assert set(expected) == set(got)
        for name in expected:
            if name in ("on_change", "default"):
                continue
            assert json.dumps(got[name]) == json.dumps(expected[name]), name
        # the default, on purpose: the component's own starting value, so a pan sends nothing
        assert list(got["default"]) == list(expected["default"]) == list(component.MAP_RETURNS)
        assert got["default"] == {"last_object_clicked_count": 0, "last_active_drawing": None}


def test_streamlit_folium_bundle_still_has_what_fast_click_relies_on() -> None:
    """FastClick reuses streamlit-folium's frontend state; pin the bundle it was written for."""

    bundle_dir = Path(streamlit_folium.__file__).parent / "frontend" / "build" / "static" / "js"
    (bundle,) = [p for p in bundle_dir.glob("main.*.js")]
    js = bundle.read_text(encoding="utf-8")
    assert "window.Streamlit=" in js
    assert "(updateComponentValue,250)" in js  # the debounce FastClick goes around
    # the value it posts: the returned keys, under their own names in __GLOBAL_DATA__, in order
    built = js[js.index("let c={last_clicked:") :]
    built = built[: built.index("};")]
    fields = [f"{k}:e.{k}" for k in mapview.MAP_RETURNS]
    positions = [built.index(f) for f in fields]
    assert positions == sorted(positions)
    # and the de-duplication it feeds: previous_data compared as JSON before posting
    assert "JSON.stringify(n)!==JSON.stringify(u)&&(e.previous_data=u," in js


def test_streamlit_folium_bundle_still_has_what_click_select_relies_on() -> None:
    """ClickSelect reads the click count and the clicked feature that streamlit-folium stores,
    and relies on the component redrawing the layers only when their code changes."""

    bundle_dir = Path(streamlit_folium.__file__).parent / "frontend" / "build" / "static" / "js"
    (bundle,) = [p for p in bundle_dir.glob("main.*.js")]
    js = bundle.read_text(encoding="utf-8")
    assert "e.last_object_clicked_count+=1;" in js
    assert "t.layer.toGeoJSON&&(e.last_active_drawing=t.layer.toGeoJSON())" in js
    assert "feature_group!==window.__GLOBAL_DATA__.last_feature_group" in js
    assert "eval(feature_group+layer_control)" in js


def test_streamlit_sends_an_unchanged_map_element_as_a_reference() -> None:
    """The map element of a click's rerun is byte-identical to the one before; Streamlit's
    forward-message cache then sends its hash, not the element (pinned here)."""
    from streamlit import config
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.forward_msg_cache import create_reference_msg, populate_hash_if_needed

    def element(path: int) -> ForwardMsg:
        msg = ForwardMsg()
        msg.metadata.delta_path[:] = [0, path]
        ci = msg.delta.new_element.component_instance
        ci.component_name = "streamlit_folium.st_folium"
        ci.json_args = json.dumps({"feature_group": "x" * 20_000})
        populate_hash_if_needed(msg)
        return msg

    a, b = element(3), element(4)
    assert a.hash == b.hash and a.metadata.cacheable  # metadata (its place) is not hashed
    assert float(config.get_option("global.minCachedMessageSize")) <= 20_000
    assert len(create_reference_msg(a).SerializeToString()) < 200


def test_the_unchanged_small_elements_of_a_click_go_as_references() -> None:
    """The project lowers Streamlit's hidden threshold (.streamlit/config.toml), so that the
    legends, select boxes and style block a click's rerun resends unchanged (0.15 to 4 KB)
    go out as references too (issue 12); pinned: the option still exists and does that."""
    import tomllib

    from streamlit import config
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.forward_msg_cache import populate_hash_if_needed

    toml = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    threshold = toml["global"]["minCachedMessageSize"]
    assert threshold <= 500
    assert "global.minCachedMessageSize" in config._config_options  # type: ignore[attr-defined]

    def legend_sized() -> ForwardMsg:
        msg = ForwardMsg()
        msg.delta.new_element.html.body = "x" * 600  # the routes legend, without its style
        return msg

    old = config.get_option("global.minCachedMessageSize")
    try:
        config.set_option("global.minCachedMessageSize", threshold)
        msg = legend_sized()
        populate_hash_if_needed(msg)
        assert msg.metadata.cacheable
    finally:
        config.set_option("global.minCachedMessageSize", old)


def test_no_full_garbage_collection_after_every_run() -> None:
    """Streamlit's hidden runner.postScriptGC (a full gc.collect after every script run) is
    off (.streamlit/config.toml; see cache.dataset for what is frozen instead); pinned: the
    option still exists, and the script runner still reads it before collecting."""
    import inspect
    import tomllib

    from streamlit import config
    from streamlit.runtime.scriptrunner import script_runner

    toml = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert toml["runner"]["postScriptGC"] is False
    assert "runner.postScriptGC" in config._config_options  # type: ignore[attr-defined]
    source = inspect.getsource(script_runner.ScriptRunner._on_script_finished)
    assert 'if config.get_option("runner.postScriptGC"):' in source and "gc.collect" in source


# --- Streamlit: sessions, fragments and the websocket (the replicas' reconnect)
# (from test_reconnect.py)


def test_the_map_component_registered_at_start_is_the_one_streamlit_folium_declares() -> None:
    code = """
import streamlit_folium
from central_asia_atlas import reconnect
ours = reconnect.map_component()
print(ours == streamlit_folium._component_func, ours.abspath)
"""
    out = fresh_python.run(code)
    equal, path = out.stdout.split()
    assert equal == "True", out.stdout + out.stderr
    assert (Path(path) / "index.html").is_file()


def test_streamlit_drops_a_fragment_rerun_the_session_does_not_hold() -> None:
    """AppSession.request_rerun returns early for a fragment the session does not hold: the
    behaviour the first-request change works around (should Streamlit run the page instead
    one day, the change can go)."""
    source = inspect.getsource(AppSession.request_rerun)
    assert "if fragment_id and not self.has_fragment(fragment_id):" in source
    assert "does not exist anymore" in source
    assert list(inspect.signature(AppSession.request_rerun).parameters) == ["self", "client_state"]
    assert callable(AppSession.has_fragment)
    init = inspect.getsource(AppSession.__init__)
    assert "self.id = " in init
    # a run under way has a runner; the session drops it when the run has ended
    assert "self._scriptrunner: ScriptRunner | None = None" in init
    ended = inspect.getsource(AppSession._handle_scriptrunner_event_on_event_loop)
    assert "self._scriptrunner = None" in ended
    # Streamlit itself calls request_rerun off the event loop (a changed source file)
    assert "self.request_rerun(self._client_state)" in inspect.getsource(AppSession)


def test_the_websocket_connects_through_runtime_connect_session_with_the_old_id() -> None:
    from streamlit.web.server.starlette import starlette_websocket

    params = list(inspect.signature(Runtime.connect_session).parameters)
    assert params == ["self", "client", "user_info", "existing_session_id", "session_id_override"]
    source = inspect.getsource(starlette_websocket)
    assert "session_id = runtime.connect_session(" in source
    assert "existing_session_id=existing_session_id," in source
    assert "def write_forward_msg(self, msg: ForwardMsg) -> None:" in source


def test_a_script_run_knows_its_session() -> None:
    fields = ScriptRunContext.__dataclass_fields__
    assert "session_id" in fields and "script_requests" in fields


def frontend_bundle() -> str:
    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    bundles = [p.read_text(encoding="utf-8") for p in js.glob("index.*.js")]
    return next(b for b in bundles if "handleConnectionStateChanged" in b)


def test_the_browser_answers_an_auto_rerun_with_its_state_and_stops_at_a_full_run() -> None:
    """Streamlit's frontend (1.67.0's bundle): an auto_rerun message sets a timer that sends
    a rerun of that fragment (all widget values, the URL); a full run's new session clears
    the timers; at a reconnect it asks for a run only after a fragment's run."""
    assert streamlit.__version__ == "1.67.0"
    js = frontend_bundle()
    assert "this.handleAutoRerun=e=>{let{fragmentId:t}=e;" in js
    assert "setInterval(()=>{this.widgetMgr.sendUpdateWidgetsMessage(t,!0)},n*1e3)" in js
    assert "if(u.length)this.setState({fragmentIdsThisRun:u," in js
    assert "else{this.cleanupAutoReruns();" in js
    assert "!this.sessionInfo.last||e||t||this.state.fragmentIdsThisRun.length>0" in js


# --- Streamlit: the page config
# (from test_panel.py)


def test_the_tab_icon_is_a_local_svg_that_streamlit_passes_through_as_it_is() -> None:
    """The favicon is an SVG data: URL (no request), which Streamlit hands to the browser
    unchanged and without importing its emoji catalogue (47 ms at a server's first view, what
    the emoji icon cost). Pins streamlit.commands.page_config._get_favicon_string: a Streamlit
    that treats such a string otherwise fails here."""
    import urllib.parse

    from central_asia_atlas.mapstyle import FAVICON

    head, _, body = FAVICON.partition(",")
    assert head == "data:image/svg+xml"
    svg = ET.fromstring(urllib.parse.unquote(body))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.find("{http://www.w3.org/2000/svg}circle") is not None
    code = (
        "import sys\n"
        "from streamlit.commands.page_config import _get_favicon_string\n"
        "from central_asia_atlas.mapstyle import FAVICON\n"
        "print(_get_favicon_string(FAVICON) == FAVICON, 'streamlit.emojis' in sys.modules)"
    )
    out = fresh_python.run(code)
    assert out.stdout.split() == ["True", "False"], out.stdout + out.stderr


# --- Streamlit: st.html
# (from test_map_payload.py)


def test_the_packages_html_reaches_the_page_as_it_is() -> None:
    """markup.Html goes through st.html's `_repr_html_` path, which skips the dedent and strip
    of a plain string (0.3 ms on a country's panel, at every click's rerun). Pinned both ways:
    if Streamlit stopped dedenting strings, or stopped taking `_repr_html_` first, this fails."""

    def app() -> None:  # AppTest runs this function's own source: it imports what it uses
        import streamlit as st

        from central_asia_atlas.markup import Html

        st.html(Html("  <p>x</p>\n  <p>y</p>  "))
        st.html("  <p>x</p>\n  <p>y</p>  ")

    at = AppTest.from_function(app).run()
    assert [h.value for h in at.html] == ["  <p>x</p>\n  <p>y</p>  ", "<p>x</p>\n<p>y</p>"]


# --- Streamlit: the entry point as an st.App
# (from test_cache.py)


def test_streamlit_run_serves_the_entry_point_as_an_st_app() -> None:
    """`streamlit run streamlit_app.py` finds the st.App (which runs the warm-up and serves
    app_frame.py) by reading the file: pins streamlit.web.server.app_discovery."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "streamlit_app.py")
    assert found.is_asgi_app
    assert found.import_string == "streamlit_app:app"
