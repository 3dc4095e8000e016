"""Issue 18, items 9 and 10, as a first-time user meets them: help that describes every
option, messages that say what is wrong and what was meant, dates shown as dates, paths
that never climb out with ``../``, and quotes that open and close where they should."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cvbuild.cli import main, make_parser

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "researcher"
README = REPO / "README.md"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    folder = tmp_path / "cv"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".cvbuild-cache"))
    return folder / "cv.yaml"


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = make_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {"": parser, **sub.choices}


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


# ---------------------------------------------------------------------------------- help


def test_every_option_of_every_command_has_help() -> None:
    missing = [
        f"{name or 'cvbuild'} {action.option_strings or action.dest}"
        for name, parser in _commands().items()
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not (action.help or "").strip()
    ]
    assert missing == []


def test_watch_help_describes_format_and_variant(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["watch", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--format F only this format: pdf, docx, md, tex, html" in out
    assert "--variant V only this variant (repeatable; default: every variant)" in out


def test_date_help_says_its_format(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("build", "export"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert "--date YYYY-MM-DD the 'last updated' date shown in the CV, e.g. 2026-12-01" in out


def test_readme_names_every_option_and_export_variant_as_optional() -> None:
    text = README.read_text(encoding="utf-8")
    for name, parser in _commands().items():
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and action.help != argparse.SUPPRESS:
                    assert re.search(rf"(?<![\w-]){option}(?![\w-])", text), (name, option)
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `cvbuild (\w+).*$", text, re.M)}
    assert "[--variant V]" in rows["export"]
    assert "[--name NAME]" in rows["init"]
    assert "[--variant V]..." in rows["watch"] and "[--format F]..." in rows["watch"]


# ------------------------------------------------------------------------ did you mean


def test_a_misspelt_command_gets_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    err = _usage_error(["biuld"], capsys)
    assert "cvbuild: error: unknown command 'biuld'; did you mean 'build'?" in err
    err = _usage_error(["-q", "chek", "cv.yaml"], capsys)
    assert "did you mean 'check'?" in err
    err = _usage_error(["xyzzy"], capsys)
    assert "unknown command 'xyzzy' (commands: build, " in err and "did you mean" not in err


def test_a_format_not_offered_gets_did_you_mean(capsys: pytest.CaptureFixture[str]) -> None:
    err = _usage_error(["build", "--format", "word"], capsys)
    assert "--format takes one of pdf, docx, md, tex, html, not 'word'; did you mean 'docx'?" in err


def test_a_missing_bib_beside_a_close_name_gets_did_you_mean(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = example.read_text(encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "bib: publications.bib" in s)
    example.write_text(text.replace("bib: publications.bib", "bib: publication.bib"), "utf-8")
    assert main(["check", str(example)]) == 1
    err = capsys.readouterr().err
    assert f"cv.yaml:{line}:12: error: bib file not found: " in err
    assert "publication.bib (did you mean 'publications.bib'?)" in err


# ---------------------------------------------------------------------------- messages


def test_check_takes_a_folder_as_its_cv_yaml(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(example.parent)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{example}: OK, 9 publication(s)")


def test_an_unquoted_colon_in_a_value_says_quote_this_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "cv.yaml"
    config.write_text(
        "person:\n  name: Bartosz Zieliński\n  headline: Postdoc, Kraków: machine learning\n"
        "sections:\n  - title: Talks\n    items:\n      - label: Keynote: ICML  # invited\n",
        encoding="utf-8",
    )
    assert main(["check", str(config)]) == 1
    err = capsys.readouterr().err
    assert (
        "cv.yaml:3:13: error: YAML syntax error: the value of 'headline' holds ': ', which YAML "
        "reads as the start of another key "
        '(quote this value: headline: "Postdoc, Kraków: machine learning")'
    ) in err
    # The same on a list item; the comment stays out of the suggestion.
    config.write_text(
        "sections:\n  - title: Talks\n    items:\n      - label: A: B  # x\n", "utf-8"
    )
    assert main(["check", str(config)]) == 1
    assert "cv.yaml:4:16: error: YAML syntax error: the value of 'label' holds" in (
        err := capsys.readouterr().err
    )
    assert '(quote this value: label: "A: B")' in err


def test_a_value_with_double_quotes_is_suggested_in_single_quotes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "cv.yaml"
    config.write_text('person:\n  name: X\n  headline: "Dr": it\'s me\n', encoding="utf-8")
    assert main(["check", str(config)]) == 1
    assert "(quote this value: headline: '\"Dr\": it''s me')" in capsys.readouterr().err


def test_other_yaml_errors_keep_the_general_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "cv.yaml"
    config.write_text("person:\n  name: X\n  headline: Postdoc\n    at: ML\n", encoding="utf-8")
    assert main(["check", str(config)]) == 1
    err = capsys.readouterr().err
    assert "quote this value" not in err and "check the indentation" in err


def test_date_is_shown_as_a_date(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    args = ["build", str(example), "--format", "md", "--variant", "cv", "--output", str(out)]
    assert main([*args, "--date", "2026-12-01"]) == 0
    md = next((out / "cv").glob("*.md")).read_text(encoding="utf-8")
    assert "Last updated: 1 December 2026" in md and "2026-12-01" not in md
    capsys.readouterr()


@pytest.mark.parametrize("bad", ["2026-13-01", "01/12/2026", "tomorrow", "2026-02-30"])
def test_a_bad_date_is_exit_2_and_writes_nothing(
    example: Path, tmp_path: Path, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["build", str(example), "--format", "md", "--output", str(out), "--date", bad]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert (
        f"cvbuild: --date takes a day as YYYY-MM-DD (for example --date 2026-12-01), not '{bad}'"
        in err
    )
    assert "Traceback" not in err
    assert not out.exists()
    assert main(["export", str(example), "--output", str(out), "--date", bad]) == 2
    assert not out.exists()


def test_import_names_what_it_wrote_without_climbing_paths(
    tmp_path: Path,
    peers_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    work = tmp_path / "deep" / "down"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    sample = peers_dir / "jsonresume-sample.resume.json"
    assert main(["import", str(sample)]) == 0
    out = capsys.readouterr().out
    assert f"wrote cv.yaml, cv.schema.json from {sample.resolve()}\n" in out
    assert "next: edit cv.yaml, then: cvbuild build cv.yaml" in out
    assert "../" not in out
    assert (work / "cv.schema.json").is_file()
    # A second import beside the schema it wrote names only the new cv.yaml.
    assert main(["import", str(sample), "--output", "other.yaml"]) == 0
    assert "wrote other.yaml from " in capsys.readouterr().out


def test_build_summary_shows_outside_paths_absolute(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    here = tmp_path / "elsewhere"
    here.mkdir()
    monkeypatch.chdir(here)
    out = tmp_path / "out"
    assert main(["build", str(example), "--format", "md", "--output", str(out)]) == 0
    summary = capsys.readouterr().out
    assert f"{out / 'cv'}{os.sep}Marchetti_Lea_CV.md" in summary and "../" not in summary


# ------------------------------------------------------------------------------- watch


def _watch_once(config: Path, *extra: str) -> tuple[str, str]:
    """``cvbuild watch`` as a user runs it in the config's folder: until its first build has been reported (on
    stdout or stderr), then Ctrl-C. Returns (stdout, stderr)."""
    import threading

    proc = subprocess.Popen(
        [sys.executable, "-m", "cvbuild", "watch", config.name, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=config.parent,
    )
    seen: dict[str, list[str]] = {"out": [], "err": []}

    def pump(stream: object, into: list[str]) -> None:
        for line in stream:  # type: ignore[attr-defined]
            into.append(line)

    pumps = [
        threading.Thread(target=pump, args=(proc.stdout, seen["out"]), daemon=True),
        threading.Thread(target=pump, args=(proc.stderr, seen["err"]), daemon=True),
    ]
    for thread in pumps:
        thread.start()
    deadline = time.monotonic() + 90
    reported = ("built", "up to date", "error: ", "internal error")
    while time.monotonic() < deadline and proc.poll() is None:
        lines = seen["out"] + seen["err"]
        if any(x.startswith(reported) or "problem(s) found" in x for x in lines):
            break
        time.sleep(0.1)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=30)
    for thread in pumps:
        thread.join(timeout=5)
    return "".join(seen["out"]), "".join(seen["err"])


def test_watch_says_what_it_wrote_then_that_nothing_changed(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("--format", "md", "--output", str(out))
    stdout, _ = _watch_once(example, *args)
    assert re.search(
        r"^built \(first build, [0-9.]+s\): wrote .*Marchetti_Lea_CV\.md", stdout, re.M
    )
    stdout, _ = _watch_once(example, *args)
    assert re.search(r"^up to date \(first build, [0-9.]+s\): nothing changed", stdout, re.M)
    assert "built:" not in stdout


def test_watch_prints_a_problem_without_a_second_error_prefix(example: Path) -> None:
    example.write_text(
        example.read_text(encoding="utf-8").replace("  name:", "  nmae:", 1), encoding="utf-8"
    )
    _, err = _watch_once(example, "--format", "md")
    assert re.search(r"^cv\.yaml:\d+:\d+: error: .*did you mean 'name'", err, re.M), err
    assert "error: cv.yaml" not in err


# --------------------------------------------------------------------- quotes, contacts

QUOTES_CV = """\
person:
  name: Ada Quote
  profiles:
    - {network: Mastodon, username: "@ada@fediscience.org"}
sections:
  - title: Awards
    entries:
      - {title: "'Teacher of the Month' (\\"gold\\")", organization: "O'Neill College",
         date: 2024}
"""


def _quotes_config(tmp_path: Path) -> Path:
    config = tmp_path / "q" / "cv.yaml"
    config.parent.mkdir()
    config.write_text(QUOTES_CV, encoding="utf-8")
    return config


def test_quotes_open_and_close_in_the_tex(tmp_path: Path) -> None:
    config = _quotes_config(tmp_path)
    out = tmp_path / "out"
    assert main(["-q", "build", str(config), "--format", "tex", "--output", str(out)]) == 0
    tex = next((out / "cv").glob("*.tex")).read_text(encoding="utf-8")
    assert "\u2018Teacher of the Month\u2019 (\u201cgold\u201d)" in tex
    assert "O\u2019Neill College" in tex
    shown = next(line for line in tex.splitlines() if line.startswith(r"\cvbentry{"))
    assert "'" not in shown and '"' not in shown


def test_quotes_in_the_tex_for_pdflatex_are_commands() -> None:
    from cvbuild.render.latex import escape

    assert escape("'A' \"B\" it's", "pdflatex") == (
        r"\textquoteleft{}A\textquoteright{} \textquotedblleft{}B\textquotedblright{} "
        r"it\textquoteright{}s"
    )


@pytest.mark.tex
@pytest.mark.skipif(
    shutil.which("xelatex") is None or shutil.which("pdftotext") is None,
    reason="xelatex or pdftotext is not installed",
)
def test_quotes_open_and_close_in_the_pdf(tmp_path: Path) -> None:
    config = _quotes_config(tmp_path)
    out = tmp_path / "out"
    assert main(["-q", "build", str(config), "--format", "pdf", "--output", str(out)]) == 0
    pdf = next((out / "cv").glob("*.pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "\u2018Teacher of the Month\u2019 (\u201cgold\u201d)" in text
    assert "O\u2019Neill College" in text


def test_plain_text_contact_line_names_the_network_once(tmp_path: Path) -> None:
    from cvbuild.build.export import make_bundle

    files = make_bundle(_quotes_config(tmp_path), None, parts=("txt",)).files
    text = next(data for name, data in files.items() if name.endswith(".txt")).decode("utf-8")
    assert "Mastodon\u00a0@ada@fediscience.org" in text or "Mastodon @ada@fediscience.org" in text
    assert "Mastodon: Mastodon" not in text


# ------------------------------------------------------------- a one-page résumé (Must show)

ONE_PAGE = """
variants:
  cv: {}
  resume:
    theme: compact
    max_pages: 1
    author_limit: 3
    include_keys: [pardyl2025flysearch, przewiezlikowski2024augmentation, rymarczyk2023icicle,
                   rymarczyk2022protomil, rymarczyk2021protopshare, zielinski2021persistence,
                   zielinski2020deep, zielinski2016fully]
"""


def _one_page_resumes(tmp_path: Path, shared_dir: Path) -> list[Path]:
    """The example's résumé made one page, and a real al-folio owner's one-page résumé
    (eight hand-picked papers): the two configs, each in a folder of its own."""
    example = tmp_path / "example" / "cv.yaml"
    shutil.copytree(EXAMPLE, example.parent, ignore=shutil.ignore_patterns(".cvbuild-cache"))
    text = example.read_text(encoding="utf-8")
    assert "    max_pages: 2\n" in text
    example.write_text(text.replace("    max_pages: 2\n", "    max_pages: 1\n"), "utf-8")
    real = tmp_path / "zielinski" / "cv.yaml"
    real.parent.mkdir()
    source = shared_dir / "fixtures" / "realworld" / "pl-zielinski-ml"
    shutil.copy(source / "publications.bib", real.parent)
    real.write_text((source / "cv.yaml").read_text(encoding="utf-8") + ONE_PAGE, "utf-8")
    return [example, real]


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


def _build_resume(config: Path, out: Path, fmt: str) -> Path:
    argv = ["-q", "build", str(config), "--variant", "resume", "--format", fmt]
    assert main([*argv, "--output", str(out)]) == 0
    return next((out / "resume").glob(f"*.{fmt}"))


@pytest.mark.tex
@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("xelatex") is None or shutil.which("pdfinfo") is None,
    reason="xelatex or pdfinfo is not installed",
)
def test_one_page_resume_pdf_is_one_page(tmp_path: Path, shared_dir: Path) -> None:
    for config in _one_page_resumes(tmp_path, shared_dir):
        pdf = _build_resume(config, config.parent / "out", "pdf")
        assert _pages(pdf) == 1, config


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice (soffice) or pdfinfo is not installed",
)
def test_one_page_resume_docx_is_one_page_in_libreoffice(tmp_path: Path, shared_dir: Path) -> None:
    for config in _one_page_resumes(tmp_path, shared_dir):
        docx = _build_resume(config, config.parent / "out", "docx")
        converted = tmp_path / "lo" / config.parent.name
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(converted),
                str(docx),
            ],
            capture_output=True,
            check=True,
            timeout=300,
        )
        assert _pages(converted / f"{docx.stem}.pdf") == 1, config
