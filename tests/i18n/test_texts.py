"""One cv.yaml with {en: ..., de: ...} texts builds an English and a German CV."""

from __future__ import annotations

from pathlib import Path

from cvbuild.config.reader import load_config_text

from .helpers import run_cvbuild

CONFIG = """\
person:
  name: Anna Schmidt
  headline: {en: Assistant Professor of Physics, de: Juniorprofessorin für Physik}
sections:
  - title: {en: Positions, de: Stellen}
    entries:
      - title: {en: Assistant Professor, de: Juniorprofessorin}
        organization: Universität Heidelberg
        start: 2022-09
        end: present
        highlights:
          - {en: Lead a group of five, de: Leitung einer Gruppe von fünf Personen}
          - {en: Teach statistical mechanics}
  - title: Skills
    items:
      - {en: German (native), de: Deutsch (Muttersprache)}
      - label: {en: Programming, de: Programmierung}
        text: Python, Julia
variants:
  english: {locale: en}
  deutsch: {locale: de}
output:
  dir: out
  formats: [md, html]
"""


def test_both_languages_from_one_source(tmp_path: Path) -> None:
    (tmp_path / "cv.yaml").write_text(CONFIG, encoding="utf-8")
    done = run_cvbuild("build", "cv.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    en = (tmp_path / "out/english/Schmidt_Anna_CV_english_en.md").read_text(encoding="utf-8")
    de = (tmp_path / "out/deutsch/Schmidt_Anna_CV_deutsch_de.md").read_text(encoding="utf-8")
    assert "## Positions" in en and "Assistant Professor of Physics" in en
    assert "Sep 2022 – present" in en and "Programming:" in en
    assert "## Stellen" in de and "Juniorprofessorin für Physik" in de
    assert "Sept. 2022 – heute" in de and "Programmierung:" in de
    assert "Leitung einer Gruppe" in de and "Deutsch (Muttersprache)" in de
    # the one text without German falls back to English, with a warning at its line
    assert "Teach statistical mechanics" in de
    warning = "cv.yaml:13:13: warning: 'highlights' has no de text: the en one is used in the de CV"
    assert warning in done.stderr
    assert done.stderr.count("has no de text") == 1
    assert "has no en text" not in done.stderr
    html = (tmp_path / "out/deutsch/Schmidt_Anna_CV_deutsch_de.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in html


def test_one_language_keeps_plain_file_names(tmp_path: Path) -> None:
    text = CONFIG.replace("  english: {locale: en}\n", "").replace(
        "deutsch: {locale: de}", "cv: {}"
    )
    text = text.replace("output:\n", "output:\n  locale: de\n")
    (tmp_path / "cv.yaml").write_text(text, encoding="utf-8")
    done = run_cvbuild("build", "cv.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out/cv/Schmidt_Anna_CV.md").is_file()
    assert "has no de text" in done.stderr


def test_bad_language_maps_are_located(tmp_path: Path) -> None:
    bad = CONFIG.replace("locale: de}", "locale: deu}").replace(
        "de: Juniorprofessorin}", "de: [Juniorprofessorin]}"
    )
    (tmp_path / "cv.yaml").write_text(bad, encoding="utf-8")
    done = run_cvbuild("build", "cv.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "cv.yaml:7:46: error: 'title': the de text must be a string" in done.stderr
    assert "'locale': 'deu' is not a language cvbuild ships (did you mean 'de'?)" in done.stderr


def test_cjk_needs_a_unicode_engine() -> None:
    text = "person: {name: A}\nsections: []\noutput: {engine: pdflatex, locale: ja}\n"
    try:
        load_config_text(text, Path("/tmp/cv.yaml"))
    except Exception as exc:  # InputError
        assert "locale ja needs xelatex or lualatex" in str(exc)
    else:
        raise AssertionError("pdflatex with ja was accepted")


def test_labels_are_checked(tmp_path: Path) -> None:
    text = CONFIG.replace("output:\n", "output:\n  labels: {presnt: heute}\n")
    (tmp_path / "cv.yaml").write_text(text, encoding="utf-8")
    done = run_cvbuild("build", "cv.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "no phrase is called 'presnt' (did you mean 'present'?)" in done.stderr
