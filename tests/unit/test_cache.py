"""cache.py's own behaviour: the gate that lets a few page runs execute at a time."""

from __future__ import annotations

import threading
import time

from central_asia_atlas import cache


def test_page_runs_beyond_the_limit_wait_their_turn_and_all_finish() -> None:
    lock = threading.Lock()
    inside = {"now": 0, "most": 0, "done": 0}
    release = threading.Event()

    def run() -> None:
        with cache.page_run():
            with lock:
                inside["now"] += 1
                inside["most"] = max(inside["most"], inside["now"])
            release.wait(5)
            time.sleep(0.01)
            with lock:
                inside["now"] -= 1
                inside["done"] += 1

    threads = [threading.Thread(target=run) for _ in range(cache.RUNS_AT_ONCE + 3)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 5
    while inside["now"] < cache.RUNS_AT_ONCE and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)  # had the gate let more in, they would be inside by now
    assert inside["now"] == cache.RUNS_AT_ONCE
    release.set()
    for t in threads:
        t.join(5)
    assert inside == {"now": 0, "most": cache.RUNS_AT_ONCE, "done": cache.RUNS_AT_ONCE + 3}


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
