"""Problems found in a user's input, and failures of outside steps.

Each error class names its exit code, and :class:`Problem` and :func:`problems_found` say
them as sentences; other modules collect problems as data or raise these errors, and only
the CLI prints them or exits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where something stands in a user's file (1-based line and column; 0 = unknown)."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        text = self.file
        if self.line:
            text += f":{self.line}"
            if self.col:
                text += f":{self.col}"
        return text

    @classmethod
    def of(cls, path: str | Path, line: int = 0, col: int = 0) -> Location:
        return cls(str(path), line, col)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, said for a person: where, what, and how to fix it."""

    location: Location
    message: str
    hint: str = ""
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"


def warning(location: Location, message: str, hint: str = "") -> Problem:
    return Problem(location, message, hint, "warning")


def error(location: Location, message: str, hint: str = "") -> Problem:
    return Problem(location, message, hint, "error")


class CvbuildError(Exception):
    """Base of the errors the CLI reports without a traceback."""

    exit_code = 1


@dataclass
class InputError(CvbuildError):
    """The user's input is invalid: every problem, located (exit 1)."""

    problems: list[Problem] = field(default_factory=list)
    exit_code = 1

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class UsageError(CvbuildError):
    """The command line is wrong (exit 2)."""

    exit_code = 2


class ExternalError(CvbuildError):
    """An outside step failed: TeX, pandoc, the network (exit 3)."""

    exit_code = 3


class PathError(CvbuildError):
    """A path the user gave cannot serve: a file where a folder must be, no permission (exit 1)."""

    exit_code = 1


class BugError(CvbuildError, RuntimeError):
    """A bug in cvbuild, met in a worker process and carried back as text (exit 4)."""

    exit_code = 4

    def __init__(self, message: str, traceback: str = "") -> None:
        super().__init__(message)
        self.traceback = traceback


# errno → (what went wrong, what to do, whose fault: 1 the user's path, 3 the system).
_OS_FAULTS: dict[str, tuple[str, str, int]] = {
    "ENOSPC": ("the disk is full", "free some space and run again", 3),
    "EDQUOT": ("the disk quota is used up", "free some space and run again", 3),
    "EROFS": (
        "the file system is read-only",
        "choose a writable folder (--output DIR, or output.dir in cv.yaml)",
        3,
    ),
    "EIO": ("the disk reported an input/output error", "check the disk and run again", 3),
    "EACCES": (
        "permission denied",
        "choose a folder you may write (--output DIR), or change its permissions",
        1,
    ),
    "EPERM": (
        "the operation is not permitted there",
        "choose an ordinary folder you own (--output DIR)",
        1,
    ),
    "ENOTDIR": (
        "a part of the path is a file, not a folder",
        "choose a folder (--output DIR), or move that file away",
        1,
    ),
    "EEXIST": (
        "a file is in the way where a folder must be",
        "choose a folder (--output DIR), or move that file away",
        1,
    ),
    "EISDIR": ("a folder is in the way where a file must be", "move that folder away", 1),
    "ENOENT": (
        "that place takes no new files or folders",
        "choose an ordinary folder you may write (--output DIR)",
        1,
    ),
    "ENAMETOOLONG": ("the path is too long", "choose a shorter path", 1),
    "ELOOP": ("the path loops through symbolic links", "choose another path", 1),
}


def os_failure(exc: OSError, doing: str = "use", path: str | Path | None = None) -> CvbuildError:
    """An OSError said for a person: the path, what went wrong, what to do; exit 1 when the
    path the user chose cannot serve, 3 when the system failed (disk full, read-only)."""
    import errno as _errno

    where = path if path is not None else (exc.filename or "a file")
    name = _errno.errorcode.get(exc.errno or 0, "")
    what, fix, code = _OS_FAULTS.get(
        name, (exc.strerror or str(exc), "check the path and the disk, then run again", 3)
    )
    error = (PathError if code == 1 else ExternalError)(f"cannot {doing} {where}: {what}; {fix}")
    return error


def problems_found(count: int) -> str:
    """ "1 problem found", "3 problems found": the count said before a list of problems."""
    return f"{count} {'problem' if count == 1 else 'problems'} found"
