"""The app layer's own behaviour (cache, component, runtime): the gate that lets one page run
execute at a time, what it freezes out of the garbage collector's reach, the memo in front of
its cached functions, and the warm-up at server start."""

from __future__ import annotations

import threading

import pytest

from central_asia_atlas import cache, runtime
from tests.support import fresh_python


def test_page_runs_beyond_the_limit_wait_their_turn_and_all_finish() -> None:
    changed = threading.Condition()
    state = {"started": 0, "now": 0, "most": 0, "done": 0}
    release = threading.Event()
    n = runtime.RUNS_AT_ONCE + 3

    def bump(**delta: int) -> None:
        with changed:
            for k, v in delta.items():
                state[k] += v
            state["most"] = max(state["most"], state["now"])
            changed.notify_all()

    def run() -> None:
        bump(started=1)
        with runtime.page_run():
            bump(now=1)
            assert release.wait(5)
            bump(now=-1, done=1)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    with changed:  # every thread has asked for a turn, and the limit is inside
        assert changed.wait_for(
            lambda: state["started"] == n and state["now"] == runtime.RUNS_AT_ONCE, timeout=5
        )
    assert not runtime._runs.acquire(blocking=False)  # no turn left: the other 3 must wait
    assert state["now"] == runtime.RUNS_AT_ONCE and state["done"] == 0
    release.set()
    for t in threads:
        t.join(5)
    assert state == {"started": n, "now": 0, "most": runtime.RUNS_AT_ONCE, "done": n}


def test_a_run_that_raises_gives_its_turn_back() -> None:
    for _ in range(runtime.RUNS_AT_ONCE + 1):  # would block forever if a turn were lost
        try:
            with runtime.page_run():
                raise RuntimeError("st.rerun and st.stop leave a run by an exception")
        except RuntimeError:
            pass
    acquired = threading.Event()

    def run() -> None:
        with runtime.page_run():
            acquired.set()

    t = threading.Thread(target=run)
    t.start()
    assert acquired.wait(2)
    t.join(2)


def test_a_fragment_inside_its_page_run_does_not_wait_for_the_turn_its_thread_holds() -> None:
    """The map page's fragment takes a turn (runtime.page_run) because it also reruns alone; on a
    full run it runs inside the page's turn, which its own thread holds: it goes straight on,
    and leaving it gives nothing back (the page still holds the turn)."""
    seen: list[bool] = []

    def full_run() -> None:
        with runtime.page_run():
            with runtime.page_run():  # would wait forever for itself without the thread's mark
                seen.append(runtime._runs.acquire(blocking=False))
            seen.append(runtime._runs.acquire(blocking=False))
        seen.append(runtime._runs.acquire(blocking=False))  # the page gave its turn back, once
        runtime._runs.release()
        with runtime.page_run():  # and the thread's next run takes a turn again
            seen.append(runtime._runs.acquire(blocking=False))

    t = threading.Thread(target=full_run, daemon=True)
    t.start()
    t.join(5)
    assert not t.is_alive(), "the fragment waited for the turn its own page run holds"
    assert seen == [False, False, True, False]


def test_the_dataset_and_the_map_libraries_are_out_of_the_collectors_reach() -> None:
    """cache.dataset and component.map_base freeze what they leave alive for the process's life
    (the dataset; folium, jinja2, pandas, imported by the map), so that a full collection,
    which the clicks of many sessions trigger now and then, no longer walks them. In a fresh
    interpreter: before, they are tracked; after, none of them is."""
    code = """
import gc
from central_asia_atlas import cache, component
tracked = lambda *objs: [gc.is_tracked(o) and any(o is x for x in gc.get_objects()) for o in objs]
ds = cache.dataset()
print(tracked(ds, ds.countries[0]))
import folium, jinja2, pandas
before = tracked(folium.Map, jinja2.Environment, pandas.DataFrame)
component.map_base("en")
print(before, tracked(folium.Map, jinja2.Environment, pandas.DataFrame))
"""
    out = fresh_python.run(code)
    lines = out.stdout.strip().splitlines()
    assert lines == ["[False, False]", "[True, True, True] [False, False, False]"], out.stderr


def test_the_memo_in_front_of_a_cached_function_answers_from_the_dataset_in_use(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """cache.looked_up_first: a repeated call is answered without calling the function again;
    other arguments, a reloaded dataset, or an entry pushed out by newer ones call it again."""
    datasets = [object()]  # stand-ins: the memo only compares them by identity
    monkeypatch.setattr(cache, "dataset", lambda: datasets[-1])
    calls: list[tuple[int, int]] = []

    @cache.looked_up_first(2)
    def made(a: int, b: int = 0) -> list[int]:
        calls.append((a, b))
        return [a, b]

    first = made(1)
    assert made(1) is first and calls == [(1, 0)]
    assert made(1, b=2) == [1, 2] and made(1, b=2) == [1, 2] and calls == [(1, 0), (1, 2)]
    datasets.append(object())  # the dataset reloaded: nothing made from the old one comes back
    again = made(1)
    assert again == first and again is not first and len(calls) == 3
    made(3)
    made(4)  # two newer entries: (1,) made with the new dataset is the oldest, and goes
    assert made(4) == [4, 0] and len(calls) == 5
    made(1)
    assert calls[-1] == (1, 0) and len(calls) == 6


def test_the_warm_up_makes_the_first_views_data_and_leaves_streamlit_folium_to_the_page() -> None:
    """After the warm-up the dataset is cached (a load that now fails is not called again),
    folium is imported, and streamlit-folium is not: imported outside a script run, its
    component would not be declared and the map would not load (benchmarks/results.md)."""
    code = """
import sys
from central_asia_atlas import cache, runtime, store
runtime.start_warm_up()
runtime.wait_for_warm_up(60)
def fail(*a, **k):
    raise AssertionError("loaded again")
store.load = fail
ds = cache.dataset()
print(len(ds.countries), "folium" in sys.modules, "streamlit_folium" in sys.modules)
"""
    out = fresh_python.run(code)
    assert out.stdout.split() == ["5", "True", "False"], out.stdout + out.stderr


def test_a_page_run_waits_for_a_warm_up_under_way() -> None:
    runtime._warmed.clear()  # as start_warm_up does, without its thread
    waited = threading.Event()

    def page() -> None:
        runtime.wait_for_warm_up(5)
        waited.set()

    t = threading.Thread(target=page)
    t.start()
    assert not waited.wait(0.2)  # still warming up: the page's run has not started
    runtime._warmed.set()
    t.join(5)
    assert waited.is_set()
