"""Run one pure piece of work in a forked child while this process does the other half:
the machine's second core for a large bibliography (the ``bib`` stage's reading, the
``format`` stage's references, a backend's rendering of them).

Only where it is safe and useful: Linux's ``fork``, a single-threaded process (forking
copies no other thread, so no lock can be held by a thread that is gone), and at least two
CPUs this process may run on, one of them idle enough to help. The child computes, pickles its result into a pipe and
leaves with ``os._exit`` (no ``atexit``, no buffered output flushed twice). Anything that
goes wrong in it — an exception, a crash, a result that cannot be pickled — is ``None`` for
the caller, who then does the work itself: the answer never depends on the child.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["Forked", "can_fork", "map_halves", "split_at", "start"]

T = TypeVar("T")
R = TypeVar("R")

# A child that has not answered by then is ended and its part done here: a half of any
# bibliography takes well under a second.
CHILD_TIMEOUT_S = 60.0

# The part of the work this process keeps: a bit more than half, since the child also
# pickles its answer (some 10% of its time for a reference list) and starts cold (every
# page it writes to is copied first).
PARENT_SHARE = 0.55


def split_at(count: int) -> int:
    """Where the child's part of ``count`` items starts (at least one item each)."""
    return max(1, min(count - 1, round(count * PARENT_SHARE)))


def _cpus() -> int:
    affinity = getattr(os, "sched_getaffinity", None)
    if affinity is not None:
        return len(affinity(0))
    return os.cpu_count() or 1


def _runnable() -> int | None:
    """Processes running or ready to run right now, this one included (Linux's
    ``/proc/loadavg``), or None where the figure is not there."""
    try:
        with open("/proc/loadavg", encoding="ascii") as file:
            fields = file.read(200).split()
        return int(fields[3].split("/", 1)[0])
    except (OSError, IndexError, ValueError):
        return None


def spare_cpu() -> bool:
    """Whether a second CPU is likely free: at least two, and another one not taken now.

    What runs at this moment counts (``/proc/loadavg``'s runnable tasks, this process one
    of them); where that is missing, the load over the last minute, which also still counts
    work that has just ended. On a busy machine the two halves would only take turns."""
    cpus = _cpus()
    if cpus < 2:
        return False
    running = _runnable()
    if running is not None:
        return running <= cpus - 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load figure on this system
        return True
    return load <= cpus - 1


def can_fork() -> bool:
    """Whether :func:`start` would fork here (it returns ``None`` otherwise)."""
    return (
        sys.platform.startswith("linux")  # macOS: a fork without exec is unsafe there
        and threading.active_count() == 1
        and spare_cpu()
    )


class Forked(Generic[T]):
    """A forked child computing one value; :meth:`result` waits for it, :meth:`cancel`
    ends it. Use one or the other exactly once."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd

    def result(self, timeout: float = CHILD_TIMEOUT_S) -> T | None:
        """The child's value, or ``None`` when it failed or did not answer within
        ``timeout`` seconds (it is then ended: the caller does the work itself)."""
        import select

        deadline = time.monotonic() + timeout
        chunks: list[bytes] = []
        while True:
            left = deadline - time.monotonic()
            ready = select.select([self._fd], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                self.cancel()
                return None
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(self._fd)
        data = b"".join(chunks)
        _, status = os.waitpid(self._pid, 0)
        if status != 0 or not data:
            return None
        import pickle

        try:
            value: T = pickle.loads(data)
        except Exception:  # a child that died mid-write: do the work here instead
            return None
        return value

    def cancel(self) -> None:
        """End the child (its work is not wanted) and reap it."""
        os.close(self._fd)
        with contextlib.suppress(ProcessLookupError):  # it may have ended already
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)


def start(work: Callable[[], T]) -> Forked[T] | None:
    """``work()`` running in a forked child, or ``None`` where :func:`can_fork` says no."""
    if not can_fork():
        return None
    import pickle  # here: a build that never forks does not import it

    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        except BaseException:  # noqa: BLE001 - reported as a failed child, by its exit code
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    return Forked(pid, read_end)


def map_halves(
    work: Callable[[Sequence[T]], list[R]], items: Sequence[T], at_least: int
) -> list[R]:
    """``work(items)``, the second half computed in a forked child while this process
    computes the first, when there are ``at_least`` items and :func:`can_fork` says yes.

    ``work`` must be pure for a slice: its value depends on the items only, and nothing it
    changes elsewhere is needed afterwards (a child's changes stay in the child). The list
    is the same either way; a failed child's half is computed here."""
    if len(items) < max(at_least, 2):
        return work(items)
    middle = split_at(len(items))
    tail_items = items[middle:]
    child = start(lambda: work(tail_items))
    if child is None:
        return work(items)
    try:
        head = work(items[:middle])
    except BaseException:
        child.cancel()
        raise
    tail = child.result()
    if tail is None:
        tail = work(tail_items)
    return head + tail
