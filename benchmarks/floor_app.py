"""Floor app: the least a streamlit-folium app can do, the reference of benchmarks/bench.py.

A bare ``st_folium`` map of the five shapes (geometry and name only, no tiles) whose click
writes the country's name. Leaflet comes from the app's own static folder (no CDN).

bench.py runs a copy of this file in a temporary folder, next to copies of ``static/leaflet``
(Streamlit serves ``static/`` from the folder of the main script) and of
``data/countries.geojson``, with a ``.streamlit/config.toml`` of Streamlit's defaults plus
static serving (servers.FLOOR_CONFIG).
"""

import json
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

LEAFLET = "/app/static/leaflet"
COUNTRIES = Path("data/countries.geojson")

raw = json.loads(COUNTRIES.read_text(encoding="utf-8"))
shapes = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": f["properties"]["name"]},
            "geometry": f["geometry"],
        }
        for f in raw["features"]
    ],
}

m = folium.Map(tiles=None)
m.default_js = [("leaflet", f"{LEAFLET}/leaflet.js")]
m.default_css = [("leaflet_css", f"{LEAFLET}/leaflet.css")]
layer = folium.GeoJson(shapes, name="countries").add_to(m)
m.fit_bounds(layer.get_bounds())

out = st_folium(m, height=620, width=None, returned_objects=["last_active_drawing"])
drawing = (out or {}).get("last_active_drawing")
if drawing:
    st.write(drawing["properties"]["name"])
