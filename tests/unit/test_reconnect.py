"""reconnect: what a session's first request becomes, and the Streamlit internals it leans on.

The browser tests (tests/e2e/test_replicas.py) kill replicas under readers; these pin, one by
one, the pieces of Streamlit 1.67 (server and frontend bundle) that the fix assumes, so that
an upgrade that changes one fails here, by name, rather than as a lost click in a cluster.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from streamlit.proto.ClientState_pb2 import ClientState

from central_asia_atlas import reconnect


def client_state(fragment_id: str = "", auto: bool = False) -> ClientState:
    cs = ClientState()
    cs.query_string = "country=KAZ&indicator=balance"
    cs.page_script_hash = "page-hash"
    cs.fragment_id = fragment_id
    cs.is_auto_rerun = auto
    w = cs.widget_states.widgets.add()
    w.id = "map-widget"
    w.json_value = '{"last_active_drawing": {"properties": {"iso3": "KGZ"}}}'
    return cs


def test_a_first_click_runs_the_page_from_its_url_then_the_click() -> None:
    click = client_state("fragment-of-the-map")
    now, after = reconnect.first_request(click)
    assert now.fragment_id == "" and not now.is_auto_rerun  # a full run
    assert now.query_string == click.query_string and now.page_script_hash == "page-hash"
    assert len(now.widget_states.widgets) == 0  # from the URL alone
    assert after is click  # then the fragment, with the browser's values


def test_the_reconnects_question_runs_the_page_with_the_browsers_state() -> None:
    asked = client_state(reconnect.ASK_FRAGMENT, auto=True)
    now, after = reconnect.first_request(asked)
    assert now.fragment_id == "" and not now.is_auto_rerun
    assert now.widget_states == asked.widget_states
    assert after is None


def test_the_question_is_an_auto_rerun_of_a_fragment_no_session_holds() -> None:
    msg = reconnect.ask_for_state()
    assert msg.WhichOneof("type") == "auto_rerun"
    assert msg.auto_rerun.fragment_id == reconnect.ASK_FRAGMENT
    assert 0 < msg.auto_rerun.interval <= 1


class FakeSession:
    def __init__(self, holds: set[str]) -> None:
        self.id = f"session-{id(self)}"
        self.holds = holds
        self.asked: list[ClientState | None] = []
        self._scriptrunner: object | None = None  # AppSession's: a run under way

    def has_fragment(self, fragment_id: str) -> bool:
        return fragment_id in self.holds

    def request_rerun(self, client_state: ClientState | None) -> None:
        self.asked.append(client_state)


def runner(ran: list[tuple[Any, ClientState | None]]) -> Any:
    """Streamlit's request_rerun, as far as these tests see it: a run starts."""

    def original(session: Any, cs: ClientState | None) -> None:
        ran.append((session, cs))
        session._scriptrunner = object()

    return reconnect._request_rerun(original)


def end_of_full_run(session: FakeSession, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        reconnect, "get_script_run_ctx", lambda: SimpleNamespace(session_id=session.id)
    )
    reconnect.replay()


def test_a_click_before_the_first_full_run_ends_runs_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: list[tuple[Any, ClientState | None]] = []
    patched = runner(ran)
    fresh = FakeSession(set())
    click = client_state("fragment-of-the-map")
    patched(fresh, click)  # the first request: the page runs (from the URL), not dropped
    assert len(ran) == 1 and ran[0][1] is not None and ran[0][1].fragment_id == ""
    later = client_state("fragment-of-the-map")
    patched(fresh, later)  # during that run: kept, the latest one
    assert len(ran) == 1
    patched(fresh, client_state(reconnect.ASK_FRAGMENT, auto=True))  # the question: not needed
    assert len(ran) == 1
    end_of_full_run(fresh, monkeypatch)  # the page has made the fragment: the click runs
    assert fresh.asked == [later]
    end_of_full_run(fresh, monkeypatch)  # once
    assert fresh.asked == [later]
    patched(fresh, click)  # after the first full run: Streamlit's own handling
    assert ran[-1] == (fresh, click)


def test_a_page_load_and_a_held_fragment_go_to_streamlit_unchanged() -> None:
    ran: list[tuple[Any, ClientState | None]] = []
    patched = runner(ran)
    loaded = FakeSession(set())
    full = client_state()
    patched(loaded, full)  # a page load: a full run as asked
    assert ran[-1] == (loaded, full)
    holding = FakeSession({"fragment-of-the-map"})
    click = client_state("fragment-of-the-map")
    patched(holding, click)
    assert ran[-1] == (holding, click)


def test_a_first_run_that_ended_early_is_run_again_for_a_click() -> None:
    ran: list[tuple[Any, ClientState | None]] = []
    patched = runner(ran)
    failed = FakeSession(set())
    patched(failed, client_state())
    failed._scriptrunner = None  # the run ended without reaching app_frame.py's end
    patched(failed, client_state("fragment-of-the-map"))
    assert len(ran) == 2 and ran[-1][1] is not None and ran[-1][1].fragment_id == ""


# --- the Streamlit internals it leans on ----------------------------------------------------
