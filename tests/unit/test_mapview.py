"""The folium map: its layers, its stability across reruns, and its offline assets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import branca
import folium
import folium.elements
import pytest
from streamlit_folium import _get_feature_group_string, _get_map_string, generate_js_hash

from central_asia_atlas import component, dataset, indicators, mapview, store
from central_asia_atlas.model import FIVE, GeometryQuality, RouteStatus
from central_asia_atlas.selection import Selection
from tests.unit.atlas_samples import HOSTILE, INDICATORS, sample, shipped

ROOT = Path(__file__).resolve().parents[2]
BASEMAP = mapview.load_basemap()


def build(
    ds: Any,
    key: str,
    selection: Selection | None,
    routes: bool,
    tiles: bool = False,
    shapes: bool = False,
) -> tuple[folium.Map, list[folium.FeatureGroup]]:
    results = indicators.compute(ds, key)
    m = mapview.base_map(BASEMAP, ds, mapview.basemap_url(BASEMAP), shapes=shapes)
    groups = mapview.layers(ds, results, INDICATORS[key].label, selection, routes, tiles)
    return m, groups


def component_args(m: folium.Map, groups: list[folium.FeatureGroup]) -> dict[str, Any]:
    """What st_folium sends to the component, computed the way st_folium computes it."""
    m.get_root().render()
    m.render()
    script = _get_map_string(m)
    fg = "".join(_get_feature_group_string(g, m, i) for i, g in enumerate(groups))
    js: list[str] = []
    css: list[str] = []

    def walk(el: Any) -> Any:
        yield el
        for child in getattr(el, "_children", {}).values():
            yield from walk(child)

    colormaps = 0
    for el in walk(m):
        colormaps += isinstance(el, branca.colormap.ColorMap)
        if isinstance(el, folium.elements.JSCSSMixin) or hasattr(el, "default_js"):
            js += [src for _, src in getattr(el, "default_js", [])]
            css += [href for _, href in getattr(el, "default_css", [])]
    return {
        "script": script,
        "key": generate_js_hash(script, "atlas_map", False),
        "feature_group": fg,
        "js": list(dict.fromkeys(js)),
        "css": list(dict.fromkeys(css)),
        "colormaps": colormaps,
    }


def test_the_choropleth_holds_the_five_countries() -> None:
    ds = shipped()
    _, groups = build(ds, "distance_signals", None, routes=True)
    counts = mapview.feature_counts(groups)
    assert counts[mapview.CHOROPLETH] == 5
    data = mapview.country_features(ds, indicators.compute(ds, "un_es11_1"), "UN vote")
    assert sorted(f["properties"]["id"] for f in data["features"]) == sorted(FIVE)


def test_the_route_toggle_adds_and_removes_routes_and_events() -> None:
    ds = shipped()
    assert len(ds.routes) > 0
    _, on = build(ds, "distance_signals", None, routes=True)
    _, off = build(ds, "distance_signals", None, routes=False)
    on_counts, off_counts = mapview.feature_counts(on), mapview.feature_counts(off)
    assert on_counts[mapview.ROUTES] == len(ds.routes)
    assert on_counts[mapview.EVENTS] == len(mapview.events_at_same_place(ds))
    assert mapview.ROUTES not in off_counts and mapview.EVENTS not in off_counts
    assert off_counts[mapview.CHOROPLETH] == 5


def test_layers_count_the_sample_routes() -> None:
    for two in (True, False):
        ds = sample(two_routes=two)
        _, groups = build(ds, "distance_signals", None, routes=True)
        assert mapview.feature_counts(groups)[mapview.ROUTES] == (2 if two else 1)
        # two events at one place make one marker
        assert mapview.feature_counts(groups)[mapview.EVENTS] == 1


def test_base_map_code_is_identical_across_selections_indicators_and_toggles() -> None:
    ds = shipped()
    route_id = ds.routes[0].props.id
    states = [
        ("distance_signals", None, True, False),
        ("un_es11_1", Selection("country", "KAZ"), True, False),
        ("governance", Selection("country", "TKM"), False, False),
        ("eu_agreement", Selection("route", route_id), True, True),
    ]
    args = [component_args(*build(ds, k, s, r, t)) for k, s, r, t in states]
    assert len({a["script"] for a in args}) == 1
    assert len({a["key"] for a in args}) == 1  # st_folium's component key: no remount
    # ...while what changes does reach the component, through the feature groups
    assert len({a["feature_group"] for a in args}) == len(states)


def test_the_selected_country_is_highlighted_in_a_feature_group() -> None:
    ds = shipped()
    _, groups = build(ds, "distance_signals", Selection("country", "UZB"), True)
    assert mapview.feature_counts(groups)[mapview.SELECTED] == 1
    _, groups = build(ds, "distance_signals", None, True)
    assert mapview.feature_counts(groups)[mapview.SELECTED] == 0


def test_every_asset_is_the_vendored_leaflet_served_by_the_app() -> None:
    for tiles in (False, True):
        a = component_args(*build(shipped(), "distance_signals", None, True, tiles))
        assert a["js"] == ["/app/static/leaflet/leaflet.js"]
        assert a["css"] == ["/app/static/leaflet/leaflet.css"]
        assert a["colormaps"] == 0  # a branca colormap would make st_folium load d3 from a CDN
    for url in ("/app/static/leaflet/leaflet.js", "/app/static/leaflet/leaflet.css"):
        assert (ROOT / url.removeprefix("/app/")).is_file()
    assert (ROOT / "static/leaflet/LICENSE").is_file()


def test_no_tile_server_unless_asked_for() -> None:
    default = component_args(*build(shipped(), "distance_signals", None, True))
    assert "tileLayer" not in default["script"] + default["feature_group"]
    assert "http" not in default["script"] + default["feature_group"]
    online = component_args(*build(shipped(), "distance_signals", None, True, tiles=True))
    assert "tile.openstreetmap.org" in online["feature_group"]
    assert "tile.openstreetmap.org" not in online["script"]


def test_the_browser_gets_ids_and_values_but_no_excerpts() -> None:
    ds = shipped()
    a = component_args(*build(ds, "distance_signals", Selection("country", "KAZ"), True))
    sent = a["script"] + a["feature_group"]
    excerpts = [
        r.fact.excerpt for r in ds.fact_refs() if r.fact.excerpt and len(r.fact.excerpt) > 30
    ]
    assert excerpts
    for ex in excerpts:
        assert json.dumps(ex)[1:-1] not in sent and ex not in sent


def test_tooltips_and_labels_escape_data_text() -> None:
    ds = sample(HOSTILE)
    results = indicators.compute(ds, "distance_signals")
    for data in (
        mapview.country_features(ds, results, HOSTILE),
        mapview.route_features(ds),
        mapview.event_features(ds),
    ):
        for f in data["features"]:
            tip = f["properties"]["tip"]
            assert "<script" not in tip and "&lt;script&gt;" in tip
    a = component_args(*build(ds, "distance_signals", None, True))
    assert "<script" not in a["script"] and "&lt;script&gt;" in a["script"]


def test_route_colour_and_dash_follow_the_data() -> None:
    assert mapview.route_color(True) == mapview.ROUTE_VIA_RUSSIA
    assert mapview.route_color(False) == mapview.ROUTE_AVOIDING_RUSSIA
    assert mapview.ROUTE_VIA_RUSSIA != mapview.ROUTE_AVOIDING_RUSSIA
    assert not mapview.route_dashed(GeometryQuality.traced, RouteStatus.operating)
    assert mapview.route_dashed(GeometryQuality.schematic, RouteStatus.operating)
    assert mapview.route_dashed(GeometryQuality.traced, RouteStatus.proposed)
    props = {
        f["properties"]["id"]: f["properties"] for f in mapview.route_features(sample())["features"]
    }
    assert props["pipe-a"]["color"] == mapview.ROUTE_VIA_RUSSIA and not props["pipe-a"]["dashed"]
    assert props["pipe-b"]["color"] == mapview.ROUTE_AVOIDING_RUSSIA and props["pipe-b"]["dashed"]


def test_events_at_one_place_share_a_marker_oldest_first() -> None:
    data = mapview.event_features(sample())
    assert len(data["features"]) == 1
    assert data["features"][0]["properties"]["id"] == "event-3"
    assert data["features"][0]["properties"]["ids"] == "event-3,event-7"


def test_labels_are_computed_inside_the_view() -> None:
    (south, west), (north, east) = mapview.FIT_BOUNDS
    labels = mapview.label_points(BASEMAP)
    names = {n for n, _, _ in labels}
    assert {"Russia", "China", "Iran", "Afghanistan"} <= names
    for _, lat, lon in labels:
        assert south - 2 <= lat <= north + 2 and west - 2 <= lon <= east + 2


def test_the_cached_map_component_sends_what_st_folium_would(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page calls st_folium's component with cached pieces; they must be st_folium's own."""
    import streamlit_folium as sf

    from central_asia_atlas import cache

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(sf, "_component_func", lambda **kw: calls.append(kw))
    ds = cache.dataset()
    route = ds.routes[0].props.id
    for key, selection, routes, tiles in (
        ("distance_signals", None, True, False),
        ("un_es11_1", Selection("country", "KAZ"), True, False),
        ("governance", Selection("route", route), False, True),
    ):
        m, groups = build(ds, key, selection, routes, tiles, shapes=True)  # as component.map_base
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


def test_the_basemap_loader_keeps_what_it_can_read(tmp_path: Path) -> None:
    assert mapview.load_basemap(tmp_path / "missing.geojson")["features"] == []
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    assert mapview.load_basemap(bad)["features"] == []
    square = [[[60.123456, 40.0], [61.0, 40.0], [61.0, 41.0], [60.123456, 40.0]]]
    mixed = tmp_path / "mixed.geojson"
    mixed.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": "Ok"},
                        "geometry": {"type": "Polygon", "coordinates": square},
                    },
                    {
                        "type": "Feature",
                        "properties": None,
                        "geometry": {"type": "Polygon", "coordinates": "x"},
                    },
                    {
                        "type": "Feature",
                        "properties": {"name": "Line"},
                        "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                    },
                    "junk",
                ],
            }
        ),
        encoding="utf-8",
    )
    feats = mapview.load_basemap(mixed)["features"]
    assert [f["properties"]["name"] for f in feats] == ["Ok"]
    xs = {round(x, 6) for ring in feats[0]["geometry"]["coordinates"] for x, _ in ring}
    assert 60.12 in xs and 60.123456 not in xs  # snapped to the 0.01-degree grid


def test_fast_click_is_in_the_base_map_with_the_returned_keys() -> None:
    ds = store.load()
    script = mapview.base_map(BASEMAP, ds).get_root().render()
    assert 'map.on("click"' in script
    assert json.dumps(list(mapview.MAP_RETURNS)) in script


def test_streamlit_folium_bundle_still_has_what_fast_click_relies_on() -> None:
    """FastClick reuses streamlit-folium's frontend state; pin the bundle it was written for."""
    import streamlit_folium

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
    import streamlit_folium

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


def test_the_static_basemap_is_current_and_served() -> None:
    """static/atlas/basemap.json is the slimmed data/basemap.geojson (after a change there:
    mapview.write_basemap_static(mapview.load_basemap())), small enough to be served."""
    from streamlit.web.server.starlette import starlette_routes

    neighbours = mapview.load_basemap(dataset.DATA_DIR / dataset.BASEMAP_FILE)
    url = mapview.basemap_url(neighbours)
    assert url is not None and url.startswith(f"/app/static/{mapview.BASEMAP_STATIC}?v=")
    size = (mapview.STATIC_DIR / mapview.BASEMAP_STATIC).stat().st_size
    assert size <= starlette_routes.MAX_APP_STATIC_FILE_SIZE
    assert "enableStaticServing = true" in (ROOT / ".streamlit" / "config.toml").read_text()
    base = mapview.base_map(neighbours, shipped(), url).get_root().render()
    assert url in base and '"Neighbours"' not in base
    assert len(base.encode()) < 40_000  # the basemap is not inlined
    # another basemap (a data directory of its own) is inlined instead
    assert mapview.basemap_url({"type": "FeatureCollection", "features": []}) is None


def test_a_selection_is_drawn_in_the_browser_without_a_copy_of_the_shape() -> None:
    ds = shipped()
    _, plain = build(ds, "distance_signals", None, True)
    _, chosen = build(ds, "distance_signals", Selection("country", "KAZ"), True)
    a, b = (
        "".join(_get_feature_group_string(g, folium.Map(), i) for i, g in enumerate(gs))
        for gs in (plain, chosen)
    )
    assert abs(len(a) - len(b)) < 50  # a call of the browser's function, not a second shape
    assert f'{mapview.SELECT_JS}("country", "KAZ", 0)' in b
    assert mapview.layers(ds, {}, "x", None, False)[-1].layer_name == mapview.SELECTED


def test_layers_to_draw_keeps_the_map_after_a_click_and_redraws_otherwise() -> None:
    view = ("distance_signals", None, None, True, False)
    kaz, uzb = ("country", "KAZ"), ("country", "UZB")
    first = mapview.layers_to_draw(view, kaz, None, None)
    assert first == mapview.Drawn(view, kaz, 0)
    # a click on UZB: the browser shows it; the same layers go again
    assert mapview.layers_to_draw(view, uzb, first, uzb) is first
    # the select box goes back to KAZ, which the layers sent last show: the token flips
    assert mapview.layers_to_draw(view, kaz, first, uzb) == mapview.Drawn(view, kaz, 1)
    # without a click since, the same view is the same code
    assert mapview.layers_to_draw(view, kaz, first, None) == first
    # a change of view after a click draws the clicked selection
    other = ("governance", None, None, True, False)
    assert mapview.layers_to_draw(other, uzb, first, uzb) == mapview.Drawn(other, uzb, 0)


def test_clicked_feature_reads_kind_and_id() -> None:
    value = {"last_active_drawing": {"properties": {"kind": "route", "id": "cpc"}}}
    assert mapview.clicked_feature(value) == ("route", "cpc")
    for junk in (None, {}, {"last_active_drawing": {"properties": {"kind": "x", "id": "y"}}}):
        assert mapview.clicked_feature(junk) is None


def test_an_event_beyond_the_map_is_marked_at_its_edge_and_says_so() -> None:
    lim = mapview.LIMITS
    assert mapview.at_the_edge(69.2, 41.3) is None  # Tashkent: on the map, where it is
    x, y = mapview.at_the_edge(4.35, 50.85) or (0.0, 0.0)  # Brussels: west of the map
    assert x == lim["min_lon"] + mapview.EDGE_INSET and y == 50.85
    x, y = mapview.at_the_edge(116.4, 39.9) or (0.0, 0.0)  # Beijing: east of it
    assert x == lim["max_lon"] - mapview.EDGE_INSET and y == 39.9
    ds = shipped()
    feats = mapview.event_features(ds)["features"]
    beyond = [f for f in feats if f["properties"]["edge"]]
    inside = [f for f in feats if not f["properties"]["edge"]]
    assert beyond and inside
    for f in beyond:
        lon, lat = f["geometry"]["coordinates"]
        assert lim["min_lon"] < lon < lim["max_lon"] and lim["min_lat"] < lat < lim["max_lat"]
        assert "beyond the map: marked at its edge" in f["properties"]["tip"]
    for f in inside:  # an event on the map stands at its own place
        event = ds.event(f["properties"]["id"])
        assert event is not None and event.geometry is not None
        assert f["geometry"]["coordinates"] == [
            round(event.geometry.x, 5),
            round(event.geometry.y, 5),
        ]


def test_the_shapes_go_once_in_the_base_map_and_the_layers_send_properties() -> None:
    """SharedShapes/SharedGeoJson: the five states' and the routes' shapes are in the base map
    (sent when the map mounts); the layers, sent at every rerun, carry their properties only
    (28 KB instead of 80 KB for the default view with routes, measured on the shipped data)."""
    ds = shipped()
    m, groups = build(ds, "distance_signals", None, True, shapes=True)
    args = component_args(m, groups)
    fg, base = args["feature_group"], args["script"]
    places = len(mapview.event_features(ds)["features"])
    assert fg.count('"coordinates"') == places  # the events' points only
    assert fg.count('"atlasShapes": "country"') == 1 and fg.count('"atlasShapes": "route"') == 3
    assert len(fg) < 40_000, len(fg)
    assert base.count("(function (shapes, key)") == 1
    start = base.index("})(", base.index("(function (shapes, key)")) + 3
    data, _ = json.JSONDecoder().raw_decode(base, start)
    assert sorted(data["country"]) == sorted(FIVE)
    assert sorted(data["route"]) == sorted(r.props.id for r in ds.routes)
    kaz = next(c for c in ds.countries if c.props.iso3 == "KAZ")
    assert data["country"]["KAZ"] == json.loads(json.dumps(mapview._geojson_geometry(kaz.geometry)))


def test_shared_layers_rendered_by_folium_alone_keep_their_shapes() -> None:
    """The standalone HTML export renders the layers with folium alone, on a base map without
    the shared shapes: there each layer still embeds its full features."""
    ds = shipped()
    m, groups = build(ds, "distance_signals", None, True)  # shapes=False, as publish does
    for g in groups:
        g.add_to(m)
    page = m.get_root().render()
    assert "atlasShapes" not in page
    assert page.count('"coordinates"') >= len(FIVE) + 3 * len(ds.routes)
