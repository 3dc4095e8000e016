"""The sentences errors.py says: the problem count with its plural."""

from __future__ import annotations

import pytest

from cvbuild.errors import problems_found


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 problems found"), (1, "1 problem found"), (2, "2 problems found")],
)
def test_problems_found_says_the_plural_right(count: int, expected: str) -> None:
    assert problems_found(count) == expected
