"""The app's frame, run for every session (see streamlit_app.py): the reader's language, page
config, navigation, the language switch and the data-problem banner shared by every page."""

import streamlit as st

from central_asia_atlas import i18n, reconnect
from central_asia_atlas import viewstate as vs
from central_asia_atlas.cache import dataset
from central_asia_atlas.i18n import N_, _, ngettext
from central_asia_atlas.mapstyle import FAVICON
from central_asia_atlas.publish import app_title
from central_asia_atlas.runtime import (
    LANGUAGE_STYLE,
    declare_language,
    page_run,
    wait_for_warm_up,
)

wait_for_warm_up()  # a server's first view: the warm-up is under way
ss = st.session_state
# The whole run in the reader's language (the link's ?lang=, then the switch's): navigation,
# page and banner; the map page's fragment, which reruns alone, sets it again (pages/map.py).
lang = vs.language(ss, st.query_params.to_dict())
# Captions: Streamlit greys them with opacity .6, 3.9:1 on the light theme's white (WCAG AA asks
# 4.5:1 for text); at .75 they read 6:1 there and 9:1 on the dark theme, still lighter than text.
PAGE_STYLE = "[data-testid='stCaptionContainer'] { opacity: .75; }"
EMBEDDED_STYLE = (
    "[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], "
    "[data-testid='stExpandSidebarButton'] { display: none !important; }"
)
SHOWN_PROBLEMS = 50  # thousands of problems would slow every rerun of every page
LANGUAGE = N_("Language")

with i18n.use(lang):
    st.set_page_config(page_title=app_title(), page_icon=FAVICON, layout="wide")

    pages = [
        st.Page("pages/map.py", title=_("Map"), icon=":material/map:", default=True),
        st.Page(
            "pages/sources.py", title=_("Sources"), icon=":material/menu_book:", url_path="sources"
        ),
        st.Page(
            "pages/timeline.py",
            title=_("Timeline"),
            icon=":material/timeline:",
            url_path="timeline",
        ),
        st.Page(
            "pages/compare.py",
            title=_("Compare"),
            icon=":material/table_chart:",
            url_path="compare",
        ),
        st.Page("pages/data.py", title=_("Data"), icon=":material/download:", url_path="data"),
        st.Page("pages/about.py", title=_("About"), icon=":material/info:", url_path="about"),
    ]
    # ?embed=true (an iframe on another site): the page alone, with no navigation and no sidebar.
    embedded = st.context.is_embedded
    nav = st.navigation(pages, position="hidden" if embedded else "sidebar")
    st.html(f"<style>{PAGE_STYLE}{LANGUAGE_STYLE}{EMBEDDED_STYLE if embedded else ''}</style>")
    if embedded:  # no sidebar at all in an iframe: the declaration goes in the page, hidden
        declare_language(lang)  # <html lang>, for screen readers and the browser
    else:
        with st.sidebar:
            declare_language(lang)
            # the switch: every page in that language, the rest of the view kept
            vs.sync_language_switch(ss)
            st.selectbox(
                i18n.in_every_language(LANGUAGE),
                i18n.languages(),
                key=vs.LANGUAGE_SWITCH,
                format_func=i18n.name,
                on_change=vs.on_language_switch,
                args=(ss,),
            )

    ds = dataset()
    if ds.problems and not embedded:
        with st.sidebar:
            n = len(ds.problems)
            st.error(
                ngettext(
                    "The data has {n} problem(s). What is valid is shown; the rest is left out "
                    "until it is fixed.",
                    "The data has {n} problem(s). What is valid is shown; the rest is left out "
                    "until it is fixed.",
                    n,
                ).format(n=n)
            )
            with st.expander(_("Problems")):
                for p in ds.problems[:SHOWN_PROBLEMS]:
                    st.text(str(p))
                if len(ds.problems) > SHOWN_PROBLEMS:
                    st.text(
                        _(
                            "... and {n} more: run 'python -m central_asia_atlas validate' for "
                            "the full list."
                        ).format(n=len(ds.problems) - SHOWN_PROBLEMS)
                    )

    with page_run():  # one page run at a time, the others wait their turn (see runtime.page_run)
        nav.run()
    reconnect.replay()  # a reader moved from another replica: its click, after this run
