"""Problems found in a user's input, and failures of outside steps.

Only the CLI turns these into printed lines and exit codes; every other module
collects or raises them.
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
