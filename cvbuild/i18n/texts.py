"""Texts written in several languages: the build's language picked, or a located warning.

``localize(value, locale, default)`` walks a config value (a dataclass of the config
model, a tuple, a ``LocalText``) and returns it with every ``LocalText`` replaced by its
text in ``locale``. A text without that language falls back to ``default`` (the config's
``output.locale``), else to the first language written, with one warning at the mapping
in cv.yaml that names the field and the language it lacks.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from cvbuild.config.model import LocalText
from cvbuild.errors import Problem, warning

T = TypeVar("T")


def pick(text: LocalText, locale: str, default: str) -> tuple[str, Problem | None]:
    exact = text.get(locale)
    if exact is not None:
        return exact, None
    fallback = text.get(default)
    used = default if fallback is not None else text.texts[0][0]
    value = fallback if fallback is not None else text.texts[0][1]
    problem = warning(
        text.where,
        f"'{text.key}' has no {locale} text: the {used} one is used in the {locale} CV",
        f"add '{locale}: ...' to '{text.key}'",
    )
    return value, problem


def localize(value: T, locale: str, default: str) -> tuple[T, list[Problem]]:
    problems: list[Problem] = []
    out = _walk(value, locale, default, problems, 0)
    return out, list(dict.fromkeys(problems))


def _walk(value: Any, locale: str, default: str, problems: list[Problem], depth: int) -> Any:
    if depth > 12:  # the config model is shallow; this is only a guard
        return value
    if isinstance(value, LocalText):
        text, problem = pick(value, locale, default)
        if problem is not None:
            problems.append(problem)
        return text
    if isinstance(value, tuple):
        items = tuple(_walk(v, locale, default, problems, depth + 1) for v in value)
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if not f.compare:  # locations and other bookkeeping
                continue
            old = getattr(value, f.name)
            new = _walk(old, locale, default, problems, depth + 1)
            if new is not old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def languages_of(value: Any, depth: int = 0) -> set[str]:
    """Every language some text in ``value`` is written in."""
    if depth > 12:
        return set()
    if isinstance(value, LocalText):
        return {tag for tag, _ in value.texts}
    if isinstance(value, tuple):
        return set().union(*(languages_of(v, depth + 1) for v in value)) if value else set()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found: set[str] = set()
        for f in dataclasses.fields(value):
            if f.compare:
                found |= languages_of(getattr(value, f.name), depth + 1)
        return found
    return set()
