"""The cached preamble format: the same PDF, byte for byte, and a new dump whenever what
the format holds could have changed."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from compile.fmt_helpers import formats_on
from compile.test_warm import plain_document
from cvbuild.compile import fmtcache, warm
from cvbuild.compile.latex import compile_pdf, source_date_epoch, warm_start
from cvbuild.compile.spawn import spawn_warm
from cvbuild.errors import ExternalError
from cvbuild.render.latex import LatexSource, latex_support_files, render_latex


@pytest.fixture
def formats(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """Formats on, in a cache of this test's own, dumped at once (not in the background),
    no warm start; yields the keys of the formats passes were started from."""
    monkeypatch.setenv("CVBUILD_WARM", "0")
    used = formats_on(monkeypatch, tmp_path)
    yield used
    warm.shutdown()


def source_of(theme: str = "academic", files: list[Path] | None = None) -> LatexSource:
    src = render_latex(plain_document(theme))
    return dataclasses.replace(src, support_files=tuple(files or src.support_files))


def key_of(src: LatexSource) -> str:
    head = fmtcache.head_of(src.text)
    assert head is not None
    exe = shutil.which("xelatex") or "xelatex"
    key = fmtcache.format_key("xelatex", exe, head, src.support_files, source_date_epoch())
    assert key is not None
    return key


# ---------------------------------------------------------------- without TeX


def test_the_head_is_the_class_and_theme_lines() -> None:
    text = source_of("compact").text
    head = fmtcache.head_of(text)
    assert head is not None and text.startswith(head)
    assert head.endswith("\\usepackage[a4]{cvbuild-compact}\n")
    assert fmtcache.head_of(text.replace("[a4]{cvbuild", "[a4,fallbacks]{cvbuild")) is None
    assert fmtcache.head_of("\\documentclass{memoir}\n" + text) is None


@pytest.fixture
def fixed_probes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fmtcache, "engine_version", lambda exe: "XeTeX 3.14 (TeX Live 2022)")
    monkeypatch.setattr(fmtcache, "base_format", lambda exe: "/texmf/xelatex.fmt:10:99")


def test_the_key_changes_with_theme_styles_engine_version_tex_and_date(
    fixed_probes: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    src = source_of()
    key = key_of(src)
    assert key == key_of(source_of())  # the same inputs, the same key
    assert key != key_of(source_of("compact"))
    # a user's template folder with its own theme style
    user = tmp_path / "templates"
    (user / "latex").mkdir(parents=True)
    own = user / "latex" / "cvbuild-academic.sty"
    own.write_bytes(Path(latex_support_files("academic")[-1]).read_bytes() + b"% mine\n")
    files = latex_support_files("academic", user)
    assert own in files
    assert key_of(source_of(files=files)) != key
    own.write_bytes(own.read_bytes() + b"% changed again\n")
    assert key_of(source_of(files=files)) not in (key, key_of(source_of(files=files[:1])))
    monkeypatch.setattr(fmtcache, "engine_version", lambda exe: "XeTeX 3.15 (TeX Live 2024)")
    assert key_of(src) != key
    monkeypatch.setattr(fmtcache, "base_format", lambda exe: "/texmf/xelatex.fmt:11:100")
    monkeypatch.setattr(fmtcache, "engine_version", lambda exe: "XeTeX 3.14 (TeX Live 2022)")
    assert key_of(src) != key
    monkeypatch.setattr(fmtcache, "base_format", lambda exe: "/texmf/xelatex.fmt:10:99")
    assert key_of(src) == key
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    assert key_of(src) != key


def test_no_cache_folder_means_no_format(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert fmtcache.cached("0" * 40) is None and not fmtcache.any_cached()
    request = fmtcache.DumpRequest("xelatex", "xelatex", "0" * 40, source_of().text, [], "0", b"")
    assert not fmtcache.dump_now(request)


# ---------------------------------------------------------------- with TeX


@pytest.mark.tex
@pytest.mark.parametrize("theme", ["academic", "compact"])
def test_the_pdf_is_byte_identical_with_the_format(
    theme: str, formats: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex is not installed")
    src = source_of(theme)
    cold = compile_pdf(src)  # runs without a format and dumps one
    assert formats == [] and fmtcache.cached(key_of(src)) is not None
    warm_pdf = compile_pdf(src)
    assert formats == [key_of(src)] and warm_pdf.passes == 1
    assert warm_pdf.pdf == cold.pdf
    monkeypatch.setenv("CVBUILD_FORMAT", "0")
    assert compile_pdf(src).pdf == cold.pdf and len(formats) == 1  # off: not used


@pytest.mark.tex
def test_a_changed_style_engine_or_template_folder_dumps_a_new_format(
    formats: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex is not installed")
    src = source_of()
    first = compile_pdf(src)
    old = key_of(src)
    assert fmtcache.cached(old) is not None
    user = tmp_path / "templates"
    user.mkdir()
    style = Path(latex_support_files("academic")[-1])
    (user / style.name).write_bytes(style.read_bytes() + b"% my own copy\n")
    mine = source_of(files=latex_support_files("academic", user))
    assert key_of(mine) != old and fmtcache.cached(key_of(mine)) is None
    assert compile_pdf(mine).pdf == first.pdf and formats == []  # cold, then dumped
    assert fmtcache.cached(key_of(mine)) is not None and fmtcache.cached(old) is not None
    monkeypatch.setattr(fmtcache, "engine_version", lambda exe: "XeTeX 9.9 (a new TeX Live)")
    newer = key_of(src)
    assert newer != old and fmtcache.cached(newer) is None
    assert compile_pdf(src).pdf == first.pdf and formats == []
    assert fmtcache.cached(newer) is not None
    assert compile_pdf(src).pdf == first.pdf and formats == [newer]


@pytest.mark.tex
def test_a_corrupt_or_foreign_cache_file_is_ignored_and_dumped_again(formats: list[str]) -> None:
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex is not installed")
    src = source_of()
    first = compile_pdf(src)
    key = key_of(src)
    path = fmtcache.cached(key)
    assert path is not None
    path.write_bytes(b"W2TX" + path.read_bytes()[4:1000])  # damaged
    assert fmtcache.cached(key) is None and not path.exists()
    assert compile_pdf(src).pdf == first.pdf and formats == []  # cold, and dumped again
    assert fmtcache.cached(key) is not None
    assert compile_pdf(src).pdf == first.pdf and formats == [key]


@pytest.mark.tex
def test_a_format_tex_cannot_load_is_dropped_and_the_pass_runs_without(
    formats: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex is not installed")
    src = source_of()
    first = compile_pdf(src)
    key = key_of(src)
    junk = fmtcache.cache_dir() / f"{key}.fmt"
    junk.write_bytes(b"not a format at all" * 100)
    size, sample = fmtcache._sample(junk)  # recorded as if it were the one dumped
    (fmtcache.cache_dir() / f"{key}.json").write_text(json.dumps({"size": size, "sample": sample}))
    monkeypatch.setattr(fmtcache, "schedule_dump", lambda *a, **k: None)
    again = compile_pdf(src)
    assert formats == [key] and again.pdf == first.pdf and again.passes == 1
    assert fmtcache.cached(key) is None


@pytest.mark.tex
def test_a_tex_error_still_names_the_entry_with_the_format(
    formats: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex is not installed")
    src = source_of()
    compile_pdf(src)
    line = src.text.index("\\begin{document}")
    head, body = src.text[:line], src.text[line:]
    marker = body.index("\\cvbsection{")
    broken = head + body[:marker] + body[marker:].replace("}", "}\\undefinedmacro ", 1)
    with pytest.raises(ExternalError) as info:
        compile_pdf(dataclasses.replace(src, text=broken))
    assert len(formats) == 1
    message = str(info.value)
    assert "Undefined control sequence" in message and "section" in message
    monkeypatch.setenv("CVBUILD_FORMAT", "0")
    with pytest.raises(ExternalError) as cold:
        compile_pdf(dataclasses.replace(src, text=broken))
    assert str(cold.value) == message  # the same sentence as without the format


@pytest.mark.tex
def test_the_warm_engine_starts_from_the_format(
    formats: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex is not installed")
    src = source_of()
    cold = compile_pdf(src)
    monkeypatch.setenv("CVBUILD_WARM", "1")
    spawn_warm("xelatex")  # before the theme is known: from the last used format
    assert warm.idle_count() == 1 and formats == [key_of(src)]
    warm_start("xelatex", "academic", "a4", src.support_files)
    assert warm.idle_count() == 1 and len(formats) == 1  # that engine, given the preamble
    started = compile_pdf(src)
    assert formats == [key_of(src)] and started.pdf == cold.pdf and started.passes == 1
    spawn_warm("xelatex")
    warm_start("xelatex", "compact", "a4", latex_support_files("compact"))
    assert warm.idle_count() == 1  # the guess was wrong: killed, a new one (no format yet)
    compact = source_of("compact")
    assert compile_pdf(compact).pdf == compile_pdf(compact).pdf


@pytest.mark.tex
@pytest.mark.slow
def test_the_first_build_dumps_in_the_background(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if shutil.which("xelatex") is None:
        pytest.skip("xelatex is not installed")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("CVBUILD_FORMAT", "1")
    monkeypatch.setenv("CVBUILD_WARM", "0")
    src = source_of()
    compile_pdf(src)
    key = key_of(src)
    deadline = time.monotonic() + 90
    while fmtcache.cached(key) is None and time.monotonic() < deadline:
        time.sleep(0.5)
    assert fmtcache.cached(key) is not None
    assert not list(fmtcache.cache_dir().glob("*.job"))  # its work folder is gone


def test_the_engine_probe_is_remembered_until_the_engine_changes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fake = tmp_path / "bin" / "xelatex"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'FakeTeX 1.0'\n")
    fake.chmod(0o755)
    monkeypatch.setattr(fmtcache, "_probes", {})
    assert fmtcache.engine_version(str(fake)) == "FakeTeX 1.0\n"
    assert (fmtcache.cache_dir() / "probes.json").is_file()
    fake.write_text("#!/bin/sh\necho 'FakeTeX 2.0 (an update)'\n")
    monkeypatch.setattr(fmtcache, "_probes", {})  # a new process
    assert fmtcache.engine_version(str(fake)) == "FakeTeX 2.0 (an update)\n"


def test_an_oversized_record_is_foreign_and_read_no_further(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The cache's own JSON files are read only up to a record's size: a larger one counts
    as damaged (no format, and no failed mark), like a corrupt one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    key = "k" * 16
    folder = fmtcache.cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fmtcache._meta(key).write_text('{"failed": true, "pad": "' + "x" * 300_000 + '"}')
    assert fmtcache.cached(key) is None
    assert fmtcache.failed(key) is False
