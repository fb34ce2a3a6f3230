"""The server's entry point (`streamlit run streamlit_app.py`, as on Community Cloud).

Each session runs app_frame.py: page config, navigation and the data banner. This file adds
to a plain run, at server start: a thread makes what the first view needs (folium, the checked
data, the base map's neighbours) while the first browser is still loading Streamlit's
frontend, a time when the server is idle (runtime.start_warm_up; benchmarks/results.md); and,
for a server that is one of several replicas, the map component's files are served before
any page has run, and a reader moved here from another replica keeps working (reconnect;
docs/deploy.md).
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def _warm_up(_app: st.App) -> AsyncIterator[None]:
    from central_asia_atlas import reconnect, runtime

    reconnect.install()
    reconnect.declare_map_component()
    runtime.start_warm_up()
    yield


app = st.App("app_frame.py", lifespan=_warm_up)
