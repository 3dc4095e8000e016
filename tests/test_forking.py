"""The second core: a forked child computes one half, this process the other; the answer
never depends on the child, and a busy or unsafe place keeps the work in one process."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence

import pytest

from cvbuild import forking as fork

LINUX = sys.platform.startswith("linux")


@pytest.fixture
def spare(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fork, "spare_cpu", lambda: True)


def squares_with_pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(i * i, os.getpid()) for i in items]


def test_no_fork_beside_another_thread(spare: None) -> None:
    assert fork.can_fork() == LINUX
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not fork.can_fork()
        assert fork.start(lambda: 1) is None
    finally:
        stop.set()
        thread.join()


def test_a_cancelled_child_is_reaped(spare: None) -> None:
    child = fork.start(lambda: threading.Event().wait())
    if child is None:
        pytest.skip("no fork on this platform")
    child.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(child._pid, os.WNOHANG)


def test_a_busy_machine_keeps_the_work_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fork, "_cpus", lambda: 2)
    monkeypatch.setattr(fork, "_runnable", lambda: None)  # no /proc: the minute's load
    monkeypatch.setattr(os, "getloadavg", lambda: (1.9, 1.0, 1.0))
    assert not fork.spare_cpu()
    monkeypatch.setattr(os, "getloadavg", lambda: (0.6, 1.0, 1.0))
    assert fork.spare_cpu()
    monkeypatch.setattr(fork, "_cpus", lambda: 1)
    assert not fork.spare_cpu()


def test_what_runs_now_counts_before_the_minutes_load(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fork, "_cpus", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.9, 1.0, 1.0))  # the last build, just ended
    monkeypatch.setattr(fork, "_runnable", lambda: 1)  # only this process runs now
    assert fork.spare_cpu()
    monkeypatch.setattr(os, "getloadavg", lambda: (0.1, 0.1, 0.1))
    monkeypatch.setattr(fork, "_runnable", lambda: 2)  # something else has the other core
    assert not fork.spare_cpu()


@pytest.mark.skipif(not os.path.exists("/proc/loadavg"), reason="no /proc/loadavg here")
def test_the_running_count_is_read_and_counts_this_process() -> None:
    running = fork._runnable()
    assert running is not None and running >= 1


def test_map_halves_uses_a_child_for_the_second_half(spare: None) -> None:
    if not LINUX:
        pytest.skip("no fork on this platform")
    items = list(range(10))
    done = fork.map_halves(squares_with_pids, items, at_least=4)
    assert [value for value, _ in done] == [i * i for i in items]
    pids = [pid for _, pid in done]
    middle = fork.split_at(len(items))
    assert 5 <= middle < 10  # this process keeps a little more than half
    assert set(pids[:middle]) == {os.getpid()}
    assert os.getpid() not in pids[middle:] and len(set(pids[middle:])) == 1


def test_each_side_gets_at_least_one_item() -> None:
    assert fork.split_at(2) == 1 and fork.split_at(3) in (1, 2)
    assert all(1 <= fork.split_at(n) <= n - 1 for n in range(2, 500))


def test_map_halves_below_the_threshold_or_busy_stays_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fork, "spare_cpu", lambda: True)
    small = fork.map_halves(squares_with_pids, [1, 2, 3], at_least=4)
    assert {pid for _, pid in small} == {os.getpid()}
    monkeypatch.setattr(fork, "spare_cpu", lambda: False)
    busy = fork.map_halves(squares_with_pids, list(range(10)), at_least=4)
    assert {pid for _, pid in busy} == {os.getpid()}
    assert [v for v, _ in busy] == [i * i for i in range(10)]


def test_a_failing_child_half_is_computed_here(spare: None) -> None:
    parent = os.getpid()

    def fails_in_child(items: Sequence[int]) -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("the child's half fails")
        return [i + 1 for i in items]

    assert fork.map_halves(fails_in_child, list(range(8)), at_least=2) == list(range(1, 9))


def test_an_unpicklable_child_result_is_computed_here(spare: None) -> None:
    parent = os.getpid()

    def lambdas(items: Sequence[int]) -> list[object]:
        if os.getpid() != parent:
            return [threading.Lock() for _ in items]  # cannot be pickled
        return list(items)

    assert fork.map_halves(lambdas, list(range(6)), at_least=2) == list(range(6))


def test_an_error_in_this_half_ends_the_child(spare: None, monkeypatch: pytest.MonkeyPatch) -> None:
    children: list[fork.Forked[object]] = []
    real_start = fork.start

    def keep(work):  # type: ignore[no-untyped-def]
        child = real_start(work)
        if child is not None:
            children.append(child)
        return child

    monkeypatch.setattr(fork, "start", keep)
    parent = os.getpid()

    def boom(items: Sequence[int]) -> list[int]:
        if os.getpid() == parent:
            raise ValueError("this half fails")
        threading.Event().wait()  # the child would never finish
        return []

    with pytest.raises(ValueError, match="this half fails"):
        fork.map_halves(boom, list(range(6)), at_least=2)
    for child in children:
        with pytest.raises(ChildProcessError):
            os.waitpid(child._pid, os.WNOHANG)


def test_a_child_that_does_not_answer_in_time_is_ended(spare: None) -> None:
    child = fork.start(lambda: threading.Event().wait())
    if child is None:
        pytest.skip("no fork on this platform")
    assert child.result(timeout=0.2) is None
    with pytest.raises(ChildProcessError):
        os.waitpid(child._pid, os.WNOHANG)
