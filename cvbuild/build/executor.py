"""Run one function over many items, in this process or in a pool of processes.

Knows nothing of CVs: ``build_many`` runs whole builds through it, ``build`` runs one CV's
jobs. Results come back in input order; a failure — an error, a bug, a worker that died —
is data (:class:`Failure`), never an exception that crossed a process boundary.

Workers are started with ``forkserver`` where the platform has it (a clean single-threaded
server forks warm workers), else ``spawn``; never plain ``fork``, which copies a parent's
threads and locks. So the function and the items must be picklable (module-level functions,
dataclasses). A worker never starts a pool of its own (:func:`default_jobs` is 1 there).
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from cvbuild.errors import (
    BugError,
    CvbuildError,
    ExternalError,
    InputError,
    Problem,
    UsageError,
    os_failure,
    problems_found,
)

if TYPE_CHECKING:
    import multiprocessing.context

T = TypeVar("T")
R = TypeVar("R")

# Exit code of an item whose run hit a bug in cvbuild (the CLI's exit code for a bug).
INTERNAL_EXIT = 4
_in_worker = False  # set in every pool worker: no nested pools


@dataclass(frozen=True)
class Failure:
    """An exception said as picklable data: kind, exit code, message, problems, traceback."""

    kind: str  # input | usage | external | error | internal
    exit_code: int
    message: str
    problems: list[Problem] = field(default_factory=list)
    traceback: str = ""

    @classmethod
    def of(cls, exc: BaseException) -> Failure:
        if isinstance(exc, InputError):
            count = sum(1 for p in exc.problems if not p.is_warning) or len(exc.problems)
            return cls("input", exc.exit_code, problems_found(count), list(exc.problems))
        if isinstance(exc, UsageError):
            return cls("usage", exc.exit_code, str(exc))
        if isinstance(exc, ExternalError):
            return cls("external", exc.exit_code, str(exc))
        if isinstance(exc, OSError):  # a file-system fault, said for a person
            exc = os_failure(exc)
        if isinstance(exc, CvbuildError) and not isinstance(exc, BugError):
            return cls("error", exc.exit_code, str(exc))
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return cls("internal", INTERNAL_EXIT, f"{type(exc).__name__}: {exc}", [], text)

    @classmethod
    def died(cls, exc: BaseException, what: str) -> Failure:
        """A worker that stopped abruptly (killed, out of memory) while running ``what``."""
        return cls(
            "internal",
            INTERNAL_EXIT,
            f"the worker process {what} stopped abruptly (killed, or out of memory); "
            "build it alone to see why",
            [],
            "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
        )

    def to_exception(self) -> CvbuildError:
        """The error to raise again in the parent process."""
        if self.kind == "input":
            return InputError(list(self.problems))
        if self.kind == "usage":
            return UsageError(self.message)
        if self.kind == "external":
            return ExternalError(self.message)
        if self.kind == "error":
            error = CvbuildError(self.message)
            error.exit_code = self.exit_code
            return error
        return BugError(f"{self.message} (in a worker process)", self.traceback)


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """How one item went: its value, or its failure; and the seconds it took."""

    value: R | None = None
    failure: Failure | None = None
    seconds: float = 0.0


def default_jobs() -> int:
    """The CPU count; 1 inside a pool worker (its pool already fills the CPUs)."""
    if _in_worker:
        return 1
    return max(1, os.cpu_count() or 1)


def _mark_worker() -> None:
    global _in_worker
    _in_worker = True


def _context(preload: Sequence[str]) -> multiprocessing.context.BaseContext:
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        return context
    return multiprocessing.get_context("spawn")


def _call(fn: Callable[[T], R], item: T) -> Outcome[R]:
    """Run ``fn(item)``; every outcome but Ctrl-C as data (module level: pools pickle it)."""
    started = time.perf_counter()
    try:
        value = fn(item)
    except BaseException as exc:  # noqa: BLE001 — every failure becomes this item's outcome
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Outcome(None, Failure.of(exc), time.perf_counter() - started)
    return Outcome(value, None, time.perf_counter() - started)


def run_all(
    fn: Callable[[T], R],
    items: Sequence[T],
    *,
    workers: int = 1,
    first: Sequence[int] = (),
    stop_on_failure: bool = False,
    preload: Sequence[str] = (),
    on_done: Callable[[int, Outcome[R]], None] | None = None,
    what: str = "running this item",
) -> list[Outcome[R] | None]:
    """``fn`` over ``items``; one outcome per item, in input order.

    ``workers``: processes (1 = in this process, no pool). ``first``: indexes to start
    before the others (long ones). ``stop_on_failure``: after a failure, start no more
    items (those let finish) — an item never started has ``None``. ``preload``: modules
    the fork server imports once, so workers start warm. ``on_done(index, outcome)`` is
    called in this process as each item finishes."""
    outcomes: list[Outcome[R] | None] = [None] * len(items)

    def finished(index: int, outcome: Outcome[R]) -> None:
        outcomes[index] = outcome
        if on_done is not None:
            on_done(index, outcome)

    order = list(dict.fromkeys([*first, *range(len(items))]))
    if workers <= 1 or len(items) < 2:
        for index in order:
            outcome = _call(fn, items[index])
            finished(index, outcome)
            if stop_on_failure and outcome.failure is not None:
                break
        return outcomes

    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    with ProcessPoolExecutor(
        max_workers=min(workers, len(items)),
        mp_context=_context(preload),
        initializer=_mark_worker,
    ) as pool:
        pending: dict[Future[Outcome[R]], int] = {
            pool.submit(_call, fn, items[i]): i for i in order
        }
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                if future.cancelled():
                    continue
                try:
                    outcome = future.result()
                except BrokenProcessPool as exc:  # a worker died (killed, out of memory)
                    outcome = Outcome(None, Failure.died(exc, what))
                except BaseException as exc:  # noqa: BLE001 — e.g. a result that did not pickle
                    outcome = Outcome(None, Failure.of(exc))
                finished(index, outcome)
                if stop_on_failure and outcome.failure is not None:
                    for other in pending:
                        other.cancel()  # not yet started: never starts
    return outcomes
