"""Compiled templates in the per-user cache: a hit compiles nothing and renders the same
text, a changed template or environment is compiled again, a damaged file is ignored and
replaced, and nothing is written where the cache folder cannot be made."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from cvbuild.render import jinjacache
from cvbuild.render.environment import make_environment, render_template
from cvbuild.render.markdown import render_markdown

from .md_sample import hostile_document, sample_document

TEMPLATE = "{% for x in items %}- {{ x | upper }}\n{% endfor %}{{ items | length }} items\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "cvbuild" / jinjacache.CACHE_FOLDER


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "list.md.j2").write_text(TEMPLATE, encoding="utf-8")
    return folder


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates compiled from here on."""
    seen: list[str] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        seen.append(str(name))
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return seen


def _render(user_dir: Path, **context: object) -> str:
    return render_template(make_environment("markdown", user_dir), "list.md.j2", **context)


def test_a_second_environment_loads_what_the_first_compiled(
    cache: Path, user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    compiled = _compiles(monkeypatch)
    first = _render(user_dir, items=["a", "b"])
    assert compiled == ["list.md.j2"] and len(list(cache.glob("*.code"))) == 1
    second = _render(user_dir, items=["a", "b"])
    assert compiled == ["list.md.j2"]  # not compiled again
    assert first == second == "- A\n- B\n2 items\n"


@pytest.mark.parametrize("flavor", ["gfm", "pandoc"])
def test_our_templates_render_the_same_bytes_with_and_without_the_cache(
    flavor: str, cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = [sample_document(), sample_document(numbered=True), hostile_document()]
    cold = [render_markdown(d, flavor=flavor) for d in docs]  # compiles, writes
    assert list(cache.glob("*.code"))
    compiled = _compiles(monkeypatch)
    warm = [render_markdown(d, flavor=flavor) for d in docs]  # loads
    assert compiled == []
    blocker = tmp_path / "blocked"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # no cache at all
    none = [render_markdown(d, flavor=flavor) for d in docs]
    assert compiled and cold == warm == none


def test_a_changed_template_is_compiled_again(
    cache: Path, user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _render(user_dir, items=["a"]) == "- A\n1 items\n"
    (user_dir / "list.md.j2").write_text(TEMPLATE.replace("upper", "lower"), encoding="utf-8")
    compiled = _compiles(monkeypatch)
    assert _render(user_dir, items=["A"]) == "- a\n1 items\n"
    assert compiled == ["list.md.j2"]
    assert len(list(cache.glob("*.code"))) == 1  # replaced, not added


def test_another_environment_is_another_entry(cache: Path, user_dir: Path) -> None:
    key = jinjacache.options_key
    plain = {"autoescape": False, "trim_blocks": True}
    assert key(jinja2.Environment, plain) != key(jinja2.Environment, {**plain, "trim_blocks": 0})
    assert key(jinja2.Environment, plain) != key(
        jinja2.Environment, {**plain, "variable_start_string": r"\VAR{"}
    )
    assert key(jinja2.Environment, plain) != key(jinja2.sandbox.SandboxedEnvironment, plain)
    make_environment("markdown", user_dir).get_template("list.md.j2")
    make_environment("markdown", user_dir, latex=True).get_template("list.md.j2")
    assert len(list(cache.glob("*.code"))) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: data[:-40] + bytes(40),  # the code's bytes changed
        lambda data: data.replace(b"\n\n", b"\n", 1),
        lambda data: b"not a cache file at all\n" * 100,
        lambda data: data + b"\0" * jinjacache.MAX_CODE,  # too large
    ],
)
def test_a_damaged_file_is_compiled_again_and_replaced(
    damage, cache: Path, user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _render(user_dir, items=["x"])
    (entry,) = cache.glob("*.code")
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    compiled = _compiles(monkeypatch)
    assert _render(user_dir, items=["x", "y"]) == "- X\n- Y\n2 items\n"
    assert compiled == ["list.md.j2"]
    assert entry.read_bytes() == good


def test_foreign_code_with_a_valid_digest_is_only_loaded_for_its_own_source(
    cache: Path, user_dir: Path
) -> None:
    _render(user_dir, items=["x"])
    (entry,) = cache.glob("*.code")
    other = user_dir / "other.md.j2"
    other.write_text("other\n", encoding="utf-8")
    make_environment("markdown", user_dir).get_template("other.md.j2")
    (other_entry,) = [p for p in cache.glob("*.code") if p != entry]
    entry.write_bytes(other_entry.read_bytes())  # right format, wrong template
    assert _render(user_dir, items=["x"]) == "- X\n1 items\n"


def test_nothing_is_written_where_the_cache_cannot_be_made(
    tmp_path: Path, user_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "xdg"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert _render(user_dir, items=["q"]) == "- Q\n1 items\n"
    assert blocker.read_text(encoding="utf-8") == "a file where the cache folder would go"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "xdg"]


def test_a_fault_in_a_users_template_is_still_located(cache: Path, user_dir: Path) -> None:
    from cvbuild.errors import InputError

    (user_dir / "list.md.j2").write_text("line one\n{{ items | nosuchfilter }}\n", "utf-8")
    for _ in range(2):  # nothing was cached for it, so twice the same error
        with pytest.raises(InputError) as caught:
            _render(user_dir, items=[])
        assert "list.md.j2:2" in str(caught.value)
    assert list(cache.glob("*.code")) == []


def test_a_render_time_fault_is_located_the_same_from_cached_code(
    cache: Path, user_dir: Path
) -> None:
    from cvbuild.errors import InputError

    (user_dir / "list.md.j2").write_text("line one\nline two\n{{ missing.name }}\n", "utf-8")
    messages = []
    for _ in range(2):  # compiled, then loaded from the cache
        with pytest.raises(InputError) as caught:
            _render(user_dir, items=[])
        messages.append(str(caught.value))
    assert len(list(cache.glob("*.code"))) == 1
    assert messages[0] == messages[1] and "list.md.j2:3" in messages[0]
