"""The executor: any function over any items, in order, failures as data, in or out of a pool."""

from __future__ import annotations

import os
import pickle

from cvbuild.build.executor import INTERNAL_EXIT, Failure, run_all
from cvbuild.errors import ExternalError, InputError, Location, UsageError, error


def _square_or_fail(n: int) -> int:
    if n == 3:
        raise ExternalError("three is an outside fault")
    if n == 4:
        raise KeyError("four")
    return n * n


def _pid(_: int) -> int:
    return os.getpid()


def _record(seen: list[int]):
    return lambda index, outcome: seen.append(index)


def test_failures_cross_processes_as_data() -> None:
    problem = error(Location("cv.yaml", 4, 2), "bad", "fix")
    for exc, kind in [
        (InputError([problem]), InputError),
        (UsageError("no variant named 'x'"), UsageError),
        (ExternalError("pandoc failed"), ExternalError),
    ]:
        failure = pickle.loads(pickle.dumps(Failure.of(exc)))
        again = failure.to_exception()
        assert type(again) is kind and str(again) == str(exc)
        assert again.exit_code == exc.exit_code
    bug = pickle.loads(pickle.dumps(Failure.of(ValueError("boom"))))
    assert isinstance(bug.to_exception(), RuntimeError) and "ValueError: boom" in str(
        bug.to_exception()
    )


def test_serial_and_pool_give_the_same_outcomes_in_input_order() -> None:
    items = [1, 2, 3, 4, 5]
    for workers in (1, 2):
        seen: list[int] = []
        outcomes = run_all(_square_or_fail, items, workers=workers, on_done=_record(seen))
        assert [o.value if o else None for o in outcomes] == [1, 4, None, None, 25]
        assert outcomes[2] is not None and outcomes[2].failure is not None
        assert outcomes[2].failure.kind == "external" and outcomes[2].failure.exit_code == 3
        assert outcomes[3] is not None and outcomes[3].failure is not None
        assert outcomes[3].failure.exit_code == INTERNAL_EXIT
        assert "KeyError" in outcomes[3].failure.traceback
        assert sorted(seen) == [0, 1, 2, 3, 4]


def test_serial_stop_on_failure_starts_nothing_after_it() -> None:
    outcomes = run_all(_square_or_fail, [1, 3, 5], stop_on_failure=True)
    assert outcomes[0] is not None and outcomes[0].value == 1
    assert outcomes[1] is not None and outcomes[1].failure is not None
    assert outcomes[2] is None  # never started


def test_a_pool_runs_in_other_processes_and_first_goes_first() -> None:
    outcomes = run_all(_pid, [0, 1, 2], workers=2, first=[2])
    pids = {o.value for o in outcomes if o is not None}
    assert pids and os.getpid() not in pids
    order: list[int] = []
    run_all(_pid, [0, 1, 2], first=[2], on_done=lambda i, o: order.append(i))
    assert order == [2, 0, 1]
