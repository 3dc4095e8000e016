"""``output.filename`` is a closed set of placeholders read by our own parser: attribute access,
indexing, conversions and format specs are located errors at ``check`` time (exit 1), never
evaluated, never slow."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cvbuild.filename import MAX_EXPANDED, PatternError, expand_pattern, parse_pattern
from tests.security.conftest import fingerprint, run_cli


def _with_filename(config: Path, yaml_value: str, where: str = "output") -> None:
    text = config.read_text(encoding="utf-8")
    if where == "output":
        text += f"output:\n  filename: {yaml_value}\n"
    else:
        text += f"variants:\n  cv: {{}}\n  job:\n    filename: {yaml_value}\n"
    config.write_text(text, encoding="utf-8")


LINE = 10  # the line of "filename:" below the 8 lines of the small CV and "output:"


@pytest.mark.parametrize(
    ("value", "col", "words"),
    [
        ("'{given.nope}'", 20, "allow no attribute access: '{given.nope}' (write {given})"),
        ("'{given.__class__.__mro__}'", 20, "allow no attribute access"),
        ("'{name:>999999999}'", 19, "take no format spec: '{name:>999999999}' (write {name})"),
        ("'{name[0]}'", 19, "allow no indexing"),
        ("'{name!r}'", 19, "allow no conversion"),
        ("'{familly}_CV'", 14, "unknown placeholder '{familly}' (did you mean '{family}'?"),
        ("'{}'", 14, "empty placeholder"),
        ("'CV_{name'", 17, "a '{' without its closing '}'"),
        ("'CV}'", 16, "a '}' without its opening '{'"),
        ("'" + "x" * 300 + "'", 214, "300 characters long (at most 200)"),
    ],
)
def test_bad_patterns_are_located_errors_at_check(
    small_cv: Path, value: str, col: int, words: str
) -> None:
    _with_filename(small_cv, value)
    before = fingerprint(small_cv.parent)
    started = time.monotonic()
    done = run_cli("check", str(small_cv), memory_mb=300, timeout=20)
    done.assert_no_traceback()
    assert done.code == 1, done.text
    assert f"cv.yaml:{LINE}:{col}: error: " in done.err, done.err
    assert words in done.err
    assert time.monotonic() - started < 10
    build = run_cli("build", str(small_cv), "--format", "md", memory_mb=300, timeout=20)
    build.assert_no_traceback()
    assert build.code == 1 and not (small_cv.parent / "output").exists()
    assert fingerprint(small_cv.parent) == before


def test_a_variants_filename_is_checked_too(small_cv: Path) -> None:
    _with_filename(small_cv, "'{family}_{varaint}'", where="variant")
    done = run_cli("check", str(small_cv))
    assert done.code == 1 and "did you mean '{variant}'?" in done.err, done.text
    assert "cv.yaml:12:25: error: unknown placeholder" in done.err


def test_good_patterns_build(small_cv: Path, tmp_path: Path) -> None:
    _with_filename(small_cv, "'{{x}}_{family}-{given}_{variant}_{name}'")
    out = tmp_path / "o"
    done = run_cli("build", str(small_cv), "--format", "md", "--output", str(out))
    assert done.code == 0, done.text
    assert [p.name for p in (out / "cv").iterdir()] == ["x_Lovelace-Ada_cv_Ada_Lovelace.md"]


def test_the_parser_by_itself() -> None:
    assert parse_pattern("a{given}{{b}}") == [("text", "a"), ("field", "given"), ("text", "{b}")]
    with pytest.raises(PatternError) as info:
        parse_pattern("{given.__class__}")
    assert info.value.offset == 6
    # A huge name cannot make a huge stem.
    assert len(expand_pattern("{name}{name}", {"name": "x" * 10**6})) == MAX_EXPANDED
    # An invalid pattern (never past check) still expands to something harmless.
    assert expand_pattern("{given.__class__}", {"given": "A"}) == "given.__class__"
