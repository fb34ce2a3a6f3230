"""cache.py's own behaviour: the gate that lets a few page runs execute at a time."""

from __future__ import annotations

import threading

from central_asia_atlas import cache


def test_page_runs_beyond_the_limit_wait_their_turn_and_all_finish() -> None:
    changed = threading.Condition()
    state = {"started": 0, "now": 0, "most": 0, "done": 0}
    release = threading.Event()
    n = cache.RUNS_AT_ONCE + 3

    def bump(**delta: int) -> None:
        with changed:
            for k, v in delta.items():
                state[k] += v
            state["most"] = max(state["most"], state["now"])
            changed.notify_all()

    def run() -> None:
        bump(started=1)
        with cache.page_run():
            bump(now=1)
            assert release.wait(5)
            bump(now=-1, done=1)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    with changed:  # every thread has asked for a turn, and the limit is inside
        assert changed.wait_for(
            lambda: state["started"] == n and state["now"] == cache.RUNS_AT_ONCE, timeout=5
        )
    assert not cache._runs.acquire(blocking=False)  # no turn left: the other 3 must wait
    assert state["now"] == cache.RUNS_AT_ONCE and state["done"] == 0
    release.set()
    for t in threads:
        t.join(5)
    assert state == {"started": n, "now": 0, "most": cache.RUNS_AT_ONCE, "done": n}


def test_a_run_that_raises_gives_its_turn_back() -> None:
    for _ in range(cache.RUNS_AT_ONCE + 1):  # would block forever if a turn were lost
        try:
            with cache.page_run():
                raise RuntimeError("st.rerun and st.stop leave a run by an exception")
        except RuntimeError:
            pass
    acquired = threading.Event()

    def run() -> None:
        with cache.page_run():
            acquired.set()

    t = threading.Thread(target=run)
    t.start()
    assert acquired.wait(2)
    t.join(2)
