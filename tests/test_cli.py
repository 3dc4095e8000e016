"""The command line as a user runs it: exit codes, messages, what is written and what is not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cvbuild.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "researcher"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    folder = tmp_path / "cv"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".cvbuild-cache"))
    return folder / "cv.yaml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cvbuild", *args], capture_output=True, text=True, cwd=REPO
    )


def test_help_and_version() -> None:
    assert run("--help").returncode == 0
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("cvbuild ")


def test_bad_command_line_exits_2() -> None:
    assert main([]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["build", "--format", "odt"])
    assert exc.value.code == 2


def test_missing_config_is_a_located_user_error(tmp_path: Path, capsys) -> None:
    assert main(["build", str(tmp_path / "nope.yaml")]) == 1
    err = capsys.readouterr().err
    assert "nope.yaml" in err and "Traceback" not in err
    assert err.rstrip().endswith("cvbuild: 1 problem found; nothing was written")


def test_every_problem_at_once_and_nothing_written(tmp_path: Path, capsys) -> None:
    config = tmp_path / "cv.yaml"
    config.write_text(
        "person:\n  nmae: X\nsectoins: []\noutput:\n  dir: out\n  formats: [pdf, odt]\n",
        encoding="utf-8",
    )
    assert main(["build", str(config)]) == 1
    err = capsys.readouterr().err
    assert "cv.yaml:2:3" in err and "did you mean 'name'" in err
    assert "cv.yaml:3:1" in err and "did you mean 'sections'" in err
    assert "odt" in err
    assert "problems found; nothing was written" in err and "problem(s)" not in err
    assert not (tmp_path / "out").exists()


def test_build_markdown_then_unchanged_rebuild_writes_nothing(
    example: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "out"
    assert main(["build", str(example), "--format", "md", "--output", str(out)]) == 0
    md = out / "cv" / "Marchetti_Lea_CV.md"
    resume = out / "resume" / "Marchetti_Lea_CV_resume.md"
    assert md.is_file() and resume.is_file()
    assert "wrote 2 file(s)" in capsys.readouterr().out
    before = md.stat().st_mtime_ns
    assert main(["build", str(example), "--format", "md", "--output", str(out)]) == 0
    assert "2 up to date" in capsys.readouterr().out
    assert md.stat().st_mtime_ns == before
    # A change to the BibTeX file rebuilds.
    bib = example.parent / "publications.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8").replace("Foundation models", "Big models"), encoding="utf-8"
    )
    assert main(["build", str(example), "--format", "md", "--output", str(out)]) == 0
    assert "Big models" in md.read_text(encoding="utf-8")


def test_one_variant_only(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        main(["build", str(example), "--variant", "resume", "--format", "md", "--output", str(out)])
        == 0
    )
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == ["resume"]


def test_unknown_variant_exits_2_with_suggestion(example: Path, capsys) -> None:
    assert main(["build", str(example), "--variant", "resum", "--format", "md"]) == 2
    assert "did you mean 'resume'" in capsys.readouterr().err


def test_check_writes_nothing(example: Path, capsys) -> None:
    assert main(["check", str(example)]) == 0
    assert "OK, 9 publication(s)" in capsys.readouterr().out
    assert sorted(p.name for p in example.parent.iterdir()) == ["cv.yaml", "publications.bib"]


def test_strict_turns_bibtex_warnings_into_failure(example: Path, tmp_path: Path, capsys) -> None:
    bib = example.parent / "publications.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8") + "\n@article{broken, title = {No end\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert main(["build", str(example), "--format", "md", "--output", str(out)]) == 0
    assert "publications.bib:" in capsys.readouterr().err
    assert (
        main(
            ["build", str(example), "--format", "md", "--output", str(tmp_path / "o2"), "--strict"]
        )
        == 1
    )
    assert not (tmp_path / "o2").exists()


def test_schema_is_json(capsys) -> None:
    import json

    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "person" in schema["properties"]


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys, runpy; sys.argv=['cvbuild','--help']\n"
        "try:\n runpy.run_module('cvbuild', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in ('jinja2','bibtexparser','pylatex','pypandoc','yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_import_json_resume_then_build(tmp_path: Path, peers_dir: Path, capsys) -> None:
    target = tmp_path / "cv.yaml"
    sample = peers_dir / "jsonresume-sample.resume.json"
    assert main(["import", str(sample), "--output", str(target)]) == 0
    assert main(["build", str(target), "--format", "md", "--output", str(tmp_path / "o")]) == 0
    md = (tmp_path / "o" / "cv" / "Hendriks_Richard_CV.md").read_text(encoding="utf-8")
    assert "Richard Hendriks" in md and "Pied Piper" in md
    assert main(["import", str(sample), "--output", str(target)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err


@pytest.mark.tex
@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")
def test_export_zip_bundle_with_manifest(example: Path, tmp_path: Path) -> None:
    import json
    import zipfile

    out = tmp_path / "bundle"
    assert main(["export", str(example), "--variant", "resume", "--output", str(out), "--zip"]) == 0
    archive = zipfile.ZipFile(out / "Marchetti_Lea_CV_resume.zip")
    names = set(archive.namelist())
    stem = "Marchetti_Lea_CV_resume"
    assert {f"{stem}.pdf", f"{stem}.docx", f"{stem}.txt", f"{stem}.json", "manifest.json",
            f"{stem}_Publications.pdf"} <= names  # fmt: skip
    manifest = json.loads(archive.read("manifest.json"))
    import hashlib

    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]


def test_bibtex_library_does_not_talk_over_our_warnings(tmp_path: Path) -> None:
    (tmp_path / "p.bib").write_text(
        "@article{ok, title={X}, year=2020}\n@article{broken, title = {No\n"
    )
    (tmp_path / "cv.yaml").write_text(
        "person: {name: A B}\nsections:\n  - title: P\n    publications: {bib: p.bib}\n"
        "output: {formats: [md]}\n"
    )
    out = run("check", str(tmp_path / "cv.yaml"))
    assert out.returncode == 0
    assert out.stderr.splitlines() == [
        line for line in out.stderr.splitlines() if "p.bib:2:" in line
    ]
    assert len(out.stderr.splitlines()) == 1


def test_init_then_batch_build_with_one_broken_cv(tmp_path: Path, capsys) -> None:
    good, bad = tmp_path / "a", tmp_path / "b"
    assert main(["init", str(good), "--name", "Ana Lima"]) == 0
    assert main(["init", str(good)]) == 2  # never overwrites
    bad.mkdir()
    (bad / "cv.yaml").write_text("person: {nmae: X}\n", encoding="utf-8")
    capsys.readouterr()
    code = main(
        ["build", str(good / "cv.yaml"), str(bad / "cv.yaml"), "--format", "md", "--jobs", "1"]
    )
    assert code == 1
    captured = capsys.readouterr()
    assert "1 built, 1 failed" in captured.out
    assert "did you mean 'name'" in captured.err
    assert (good / "output" / "cv" / "Lima_Ana_CV.md").is_file()


def test_jobs_must_be_positive(example: Path, capsys) -> None:
    assert main(["build", str(example), "--jobs", "0"]) == 2
    assert "--jobs" in capsys.readouterr().err


def test_unchanged_rebuild_imports_no_parser_template_or_pandoc(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert main(["build", str(example), "--format", "md", "--output", str(out)]) == 0
    code = (
        "import sys\nfrom cvbuild.cli import main\n"
        f"assert main(['-q', 'build', {str(example)!r}, '--format', 'md', '--output', {str(out)!r}]) == 0\n"
        "print(sorted(m for m in ('jinja2', 'bibtexparser', 'pylatex', 'pypandoc', 'docx')"
        " if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


def test_stamp_fast_path_sees_a_replaced_template(example: Path, tmp_path: Path) -> None:
    """A user's template saved by replacing the file must rebuild, not hit the fast path."""
    templates = example.parent / "mytemplates" / "markdown"
    templates.mkdir(parents=True)
    config = example.read_text(encoding="utf-8").replace(
        "output:\n", "output:\n  templates: mytemplates\n"
    )
    example.write_text(config, encoding="utf-8")
    out = tmp_path / "out"
    args = ["build", str(example), "--format", "md", "--output", str(out), "--variant", "cv"]
    assert main(args) == 0
    md = out / "cv" / "Marchetti_Lea_CV.md"
    assert "Léa Marchetti" in md.read_text(encoding="utf-8")
    (templates / "cv.md.j2").write_text("CUSTOM {{ header.name }}\n", encoding="utf-8")
    assert main(args) == 0
    assert md.read_text(encoding="utf-8").startswith("CUSTOM Léa Marchetti")


def test_broken_user_template_is_a_located_error(example: Path, tmp_path: Path, capsys) -> None:
    templates = example.parent / "mytemplates" / "markdown"
    templates.mkdir(parents=True)
    (templates / "cv.md.j2").write_text("line one\n{{ nosuchthing.x }}\n{% if %}\n")
    config = example.read_text(encoding="utf-8").replace(
        "output:\n", "output:\n  templates: mytemplates\n"
    )
    example.write_text(config, encoding="utf-8")
    code = main(["build", str(example), "--format", "md", "--output", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "cv.md.j2:3" in err


def test_quiet_before_or_after_the_command(example: Path, tmp_path: Path, capsys) -> None:
    out = str(tmp_path / "o")
    assert main(["build", str(example), "--format", "md", "--output", out, "-q"]) == 0
    assert main(["-q", "build", str(example), "--format", "md", "--output", out]) == 0
    assert capsys.readouterr().out == ""
    assert main(["build", str(example), "--format", "md", "--output", out]) == 0
    assert "up to date" in capsys.readouterr().out


def test_an_escaping_exception_is_exit_4_with_one_sentence(monkeypatch, capsys) -> None:
    import cvbuild.cli as cli

    def broken(args: object) -> int:
        raise ValueError("boom\nsecond line")

    monkeypatch.delenv("CVBUILD_DEBUG", raising=False)
    monkeypatch.setitem(cli.COMMANDS, "schema", broken)
    assert main(["schema"]) == 4
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "cvbuild: internal error (ValueError: boom); this is a bug in cvbuild, please report it "
        "(run again with --debug to see the details)"
    ]
    assert main(["schema", "--debug"]) == 4
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    monkeypatch.setenv("CVBUILD_DEBUG", "1")
    assert main(["schema"]) == 4
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_an_unnamed_os_error_is_said_for_a_person(monkeypatch, capsys) -> None:
    import errno

    import cvbuild.cli as cli

    def full(args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", "/x/cv.pdf")

    monkeypatch.setitem(cli.COMMANDS, "schema", full)
    assert main(["schema"]) == 3
    assert capsys.readouterr().err.startswith("cvbuild: cannot use /x/cv.pdf: the disk is full")


def test_output_folder_that_is_a_file_is_exit_1(example: Path, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("mine", encoding="utf-8")
    assert main(["build", str(example), "--format", "md", "--output", str(blocker)]) == 1
    assert "is a file, not a folder" in capsys.readouterr().err
    assert blocker.read_text(encoding="utf-8") == "mine"
