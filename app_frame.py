"""The app's frame, run for every session (see streamlit_app.py): page config, navigation,
and the data-problem banner shared by every page."""

import streamlit as st

from central_asia_atlas import reconnect
from central_asia_atlas.cache import dataset
from central_asia_atlas.mapstyle import FAVICON
from central_asia_atlas.runtime import page_run, wait_for_warm_up

wait_for_warm_up()  # a server's first view: the warm-up is under way
st.set_page_config(
    page_title="Central Asia between Russia, the EU and China",
    page_icon=FAVICON,
    layout="wide",
)

pages = [
    st.Page("pages/map.py", title="Map", icon=":material/map:", default=True),
    st.Page("pages/sources.py", title="Sources", icon=":material/menu_book:", url_path="sources"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/timeline:", url_path="timeline"),
    st.Page("pages/compare.py", title="Compare", icon=":material/table_chart:", url_path="compare"),
    st.Page("pages/data.py", title="Data", icon=":material/download:", url_path="data"),
    st.Page("pages/about.py", title="About", icon=":material/info:", url_path="about"),
]
# ?embed=true (an iframe on another site): the page alone, with no navigation and no sidebar.
embedded = st.context.is_embedded
nav = st.navigation(pages, position="hidden" if embedded else "sidebar")
# Captions: Streamlit greys them with opacity .6, 3.9:1 on the light theme's white (WCAG AA asks
# 4.5:1 for text); at .75 they read 6:1 there and 9:1 on the dark theme, still lighter than text.
PAGE_STYLE = "[data-testid='stCaptionContainer'] { opacity: .75; }"
EMBEDDED_STYLE = (
    "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
    "[data-testid='stExpandSidebarButton'] { display: none !important; }"
)
st.html(f"<style>{PAGE_STYLE}{EMBEDDED_STYLE if embedded else ''}</style>")
SHOWN_PROBLEMS = 50  # thousands of problems would slow every rerun of every page

ds = dataset()
if ds.problems and not embedded:
    with st.sidebar:
        st.error(
            f"The data has {len(ds.problems)} problem(s). What is valid is shown; "
            "the rest is left out until it is fixed."
        )
        with st.expander("Problems"):
            for p in ds.problems[:SHOWN_PROBLEMS]:
                st.text(str(p))
            if len(ds.problems) > SHOWN_PROBLEMS:
                st.text(
                    f"... and {len(ds.problems) - SHOWN_PROBLEMS} more: run "
                    "'python -m central_asia_atlas validate' for the full list."
                )

with page_run():  # one page run at a time, the others wait their turn (see runtime.page_run)
    nav.run()
reconnect.replay()  # a reader moved from another replica: its click, after this run
