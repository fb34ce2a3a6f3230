"""A reader moved to another replica keeps working (app layer: imports Streamlit).

Behind a balancer (deploy/haproxy.cfg), a browser whose replica dies or restarts reconnects to
another one, where Streamlit 1.67 opens a new session that has never run a page. `install`,
called once at server start (streamlit_app.py), fixes what then goes wrong:

1. The reader's next click on the map asks for a rerun of the map's fragment, which the new
   session does not hold: Streamlit drops it ("The fragment with id ... does not exist
   anymore", `AppSession.request_rerun`), and every click after it. Here, until a session's
   first full run has ended (`replay`, at the end of app_frame.py), a rerun of a fragment it
   does not hold is kept, and run at that end, when the page has made the fragment: the
   click counts. If nothing runs yet (it is the session's first request), the whole page runs
   first, from the URL the browser sends (the URL holds the whole view: indicator,
   selection, day, signals), and the kept fragment's rerun after it, with the browser's
   widget values, so that their change (the map's new click) reaches the widgets' callbacks.
   After the first full run, Streamlit's own handling applies: a fragment the session no
   longer holds was removed by a full run, and dropping its rerun is right.
2. Nothing reruns the page at the reconnect itself (the browser asks for a run then only if
   its last run was a fragment's), so the reader would see the old replica's page until a
   click, its downloads pointing at files the old replica held. When a browser that had a
   session (it sends that session's id) gets a new one, the server asks it for its state at
   once: an auto-rerun message (the one `st.fragment(run_every=...)` sends) for a fragment no
   session holds. The browser answers with a rerun of that fragment, carrying its URL and
   widget values, which 1 turns into a full run; a full run's start stops the browser's timer.
3. streamlit-folium declares its component when it is imported, and a declaration registers
   the component's files only inside a script run: on a replica where no page had run yet,
   a browser moved there got 404 for them. `declare_map_component` registers it at server
   start, before the server takes its first request.

The Streamlit internals this leans on are pinned by tests/unit/test_reconnect.py (and
Streamlit is pinned in requirements.txt); tests/e2e/test_replicas.py kills replicas under
readers.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import weakref
from typing import Any

from streamlit.components.v1.custom_component import CustomComponent
from streamlit.logger import get_logger
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import Runtime
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

ASK_FRAGMENT = "atlas-reconnect"  # the fragment id of the auto-rerun: no session holds it
ASK_AFTER_S = 0.1  # the browser's timer (seconds) before it sends its state

_LOG = get_logger(__name__)  # Streamlit's handler and level: in the server's log
_lock = threading.Lock()
_started: weakref.WeakSet[AppSession] = weakref.WeakSet()  # sessions that had a request
_settled: weakref.WeakSet[AppSession] = weakref.WeakSet()  # ... and ended a full run
_by_id: weakref.WeakValueDictionary[str, AppSession] = weakref.WeakValueDictionary()
_replays: weakref.WeakKeyDictionary[AppSession, ClientState] = weakref.WeakKeyDictionary()
_installed = False


def first_request(client_state: ClientState) -> tuple[ClientState, ClientState | None]:
    """A new session's first request, for a fragment it does not hold: (what to run now, a
    full run; the request to run after it, or None).

    The reconnect's question (`ASK_FRAGMENT`) runs the page with the browser's URL and widget
    values, and nothing after it. A fragment's rerun (a click) runs the page from the URL
    alone, then the fragment with the browser's values: their change from the page's (the
    map's new click) reaches the widgets' callbacks, which a first run never calls.
    """
    full = ClientState()
    full.CopyFrom(client_state)
    full.fragment_id = ""
    full.is_auto_rerun = False
    if client_state.fragment_id == ASK_FRAGMENT:
        return full, None
    full.ClearField("widget_states")
    return full, client_state


def ask_for_state() -> ForwardMsg:
    """The message that makes a browser send its state at once (see the module's note, 2)."""
    msg = ForwardMsg()
    msg.auto_rerun.interval = ASK_AFTER_S
    msg.auto_rerun.fragment_id = ASK_FRAGMENT
    return msg


def _request_rerun(original: Any) -> Any:
    def request_rerun(self: AppSession, client_state: ClientState | None) -> None:
        fragment_id = client_state.fragment_id if client_state is not None else ""
        with _lock:
            _by_id[self.id] = self
            early = self not in _settled
            first = self not in _started
            _started.add(self)
        if client_state is None or not fragment_id or not early or self.has_fragment(fragment_id):
            original(self, client_state)
            return
        # A fragment this session does not hold, before its first full run has ended.
        if fragment_id != ASK_FRAGMENT:
            with _lock:
                _replays[self] = client_state  # the latest click: run at that run's end
        if not first and self._scriptrunner is not None:
            return  # that run is under way
        now, _ = first_request(client_state)
        _LOG.info(
            "session %s: a rerun of fragment %s before any full run (a reader moved from "
            "another replica): running the page from its URL first",
            self.id,
            fragment_id,
        )
        original(self, now)

    return request_rerun


def _connect_session(original: Any) -> Any:
    def connect_session(
        self: Runtime,
        client: Any,
        user_info: Any,
        existing_session_id: str | None = None,
        session_id_override: str | None = None,
    ) -> str:
        session_id: str = original(
            self,
            client=client,
            user_info=user_info,
            existing_session_id=existing_session_id,
            session_id_override=session_id_override,
        )
        if existing_session_id and session_id != existing_session_id:
            _LOG.info("a browser lost session %s; asking it for its state", existing_session_id)
            client.write_forward_msg(ask_for_state())
        return session_id

    return connect_session


def replay() -> None:
    """At the end of a page's full run (app_frame.py): the session's first full run has
    ended; queue the fragment's rerun kept until then, if any."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    with _lock:
        session = _by_id.get(ctx.session_id)
        if session is None or session in _settled:
            return
        _settled.add(session)
        after = _replays.pop(session, None)
    if after is not None:
        # The page has made its fragments by now, so Streamlit queues the rerun behind this
        # run (or drops it if this page has no such fragment). Streamlit calls request_rerun
        # off its event loop too (a changed source file); the runner's queue has its own lock.
        session.request_rerun(after)


def map_component() -> CustomComponent:
    """streamlit-folium's component as its import declares it (name, files), without the
    import (folium and the rest: a second, at a server's start). A test pins the equality."""
    spec = importlib.util.find_spec("streamlit_folium")
    if spec is None or spec.origin is None:
        raise RuntimeError("streamlit-folium is not installed")
    build = os.path.join(os.path.dirname(os.path.abspath(spec.origin)), "frontend/build")
    return CustomComponent(
        name="streamlit_folium.st_folium", path=build, module_name="streamlit_folium"
    )


def declare_map_component() -> None:
    """Register the map component with the running server (see the module's note, 3): its
    files are then served before any page has run, as they are after."""
    Runtime.instance().component_registry.register_component(map_component())


def install() -> None:
    """At server start (streamlit_app.py's lifespan): patch the two session entry points.
    Idempotent."""
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    AppSession.request_rerun = _request_rerun(AppSession.request_rerun)  # type: ignore[method-assign]
    Runtime.connect_session = _connect_session(Runtime.connect_session)  # type: ignore[method-assign]
