"""The server's runtime around the pages: the warm-up at start, one page run at a time, and
the guard that sends a deep link on a fresh server through the app's frame."""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Iterator

import streamlit as st

from . import i18n
from .cache import basemap, dataset, indicator_table_at

_warmed = threading.Event()  # set when the warm-up has ended (or was never started)
_warmed.set()


def start_warm_up() -> None:
    """At server start (streamlit_app.py): make what the first view needs, in a thread.

    The first browser then still loads Streamlit's own frontend, a second or more in which
    the server has nothing else to do. Made: the libraries the map page imports when it
    builds the map (folium, and the folium plugins streamlit-folium imports; not
    streamlit-folium itself, whose component is only declared by an import inside a script
    run), the checked dataset, the neighbours and today's indicators. A page's first run waits
    for the end of it (`wait_for_warm_up`), so no two threads import the same modules at once.
    """
    _warmed.clear()
    threading.Thread(target=_warm_up, name="atlas-warm-up", daemon=True).start()


def _warm_up() -> None:
    try:
        import folium.plugins  # noqa: F401

        from . import mapview  # noqa: F401

        dataset()
        basemap()
        indicator_table_at(None, None, i18n.SOURCE)  # the map's first view: today, every signal
    except Exception:  # the first run makes it again, and shows the error to the reader
        logging.getLogger(__name__).exception("warm-up failed; the first run retries")
    finally:
        _warmed.set()


def wait_for_warm_up(timeout: float = 60.0) -> None:
    """Before a page's run (app_frame.py): let a warm-up still under way end first."""
    _warmed.wait(timeout)


def declare_language(lang: str) -> None:
    """Declare the page's language on its root element (`<html lang>`), for screen readers,
    braille displays, hyphenation and the browser's offer to translate.

    Streamlit's page shell says `lang="en"` whatever the page shows, and has no option for it
    (1.67: `st.set_page_config` takes none; streamlit/streamlit#15726 asks for one), so a
    script sets it, at every full run (a language switch reruns the page). The element shows
    nothing and takes no room (its container is hidden: LANGUAGE_STYLE, which the app's frame
    puts in the page), so the embedded view, which has no sidebar, keeps its height."""
    with st.container(key=LANGUAGE_KEY):
        st.html(
            f"<script>document.documentElement.lang = {json.dumps(lang)};</script>",
            unsafe_allow_javascript=True,
        )


LANGUAGE_KEY = "atlas_lang"
LANGUAGE_STYLE = f".st-key-{LANGUAGE_KEY} {{ display: none; }}"


def run_through_entrypoint() -> None:
    """Make sure a page runs inside app_frame.py (page config, navigation, banner).

    Streamlit treats a `pages/` folder beside the entrypoint as a legacy multipage app until
    some session calls st.navigation. So on a fresh server, the first visit to a deep link such
    as /sources?fact=... would run the page file on its own. Every page calls this first: in
    that case it switches the server to st.navigation mode and reruns, which goes through the
    entrypoint and lands on the same page (the page hash is derived from its URL path), query
    parameters kept. Otherwise it does nothing.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# --- runs at once --------------------------------------------------------------------------
# Streamlit runs each session's script in a thread of its own, and Python runs one thread at a
# time. With many sessions clicking at once, their runs shared the interpreter in short turns
# and every one of them finished near the end. One run at a time, the others waiting their
# turn (first come, first served), does the same work with the least switching: a thread that
# lets go of the interpreter (to write to a socket, to hash a message) waits for it again
# behind every other runnable thread, and Streamlit's event loop, which sends the runs'
# messages, is one of them. benchmarks/results.md has the measurements (one, two and four runs
# at a time). The cost: a long run holds the others up for its length; downloads are built
# outside the runs.
RUNS_AT_ONCE = 1
_runs = threading.BoundedSemaphore(RUNS_AT_ONCE)
_in_run = threading.local()  # this thread holds a turn (a fragment inside its page's run)


@contextlib.contextmanager
def page_run() -> Iterator[None]:
    """Around a page's run (app_frame.py) or a fragment's (a fragment's rerun does not go
    through the page): wait for one of RUNS_AT_ONCE turns. Inside a turn the thread holds
    already (the fragment's part of a full run), it does nothing."""
    if getattr(_in_run, "held", False):
        yield
        return
    with _runs:
        _in_run.held = True
        try:
            yield
        finally:
            _in_run.held = False
