"""``cvbuild export --alfolio SITE``: exactly resume.json, _data/cv.yml and the PDF written
into a fake al-folio site, every other file untouched, nothing written through a link."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

import cvbuild.alfolio
from cvbuild.alfolio import JSON_PATH, YAML_PATH, cv_sections
from cvbuild.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "researcher"
TARGETS = {JSON_PATH, YAML_PATH}


def _site(root: Path) -> Path:
    site = root / "site"
    for rel, text in {
        "_config.yml": "title: a site\n",
        "_bibliography/papers.bib": "@article{a, title={A}}\n",
        "_data/coauthors.yml": "x: 1\n",
        "_data/cv.yml": "- title: old\n",  # replaced
        "_pages/cv.md": "---\nlayout: cv\n---\n",
        "assets/json/table_data.json": "[]\n",
        "assets/pdf/example_pdf.pdf": "%PDF-1.4 not really\n",
    }.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text)
    return site


def _fingerprint(site: Path) -> dict[str, tuple[str, int, int]]:
    return {
        str(p.relative_to(site)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mode,
                                   p.stat().st_mtime_ns)
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }  # fmt: skip


@pytest.fixture
def config(tmp_path: Path) -> Path:
    shutil.copytree(
        EXAMPLE, tmp_path / "cv", ignore=shutil.ignore_patterns(".cvbuild-cache", "output")
    )
    return tmp_path / "cv" / "cv.yaml"


@pytest.fixture
def no_tex(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cvbuild.alfolio, "pdf_engine_missing", lambda *_: "xelatex")


def test_export_writes_the_site_files_and_leaves_the_rest(
    tmp_path: Path, config: Path, no_tex: None, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path)
    before = _fingerprint(site)
    assert main(["export", str(config), "--alfolio", str(site)]) == 0
    out, err = capsys.readouterr()
    after = _fingerprint(site)
    assert set(after) == set(before) | TARGETS  # nothing else appeared, no .tmp left
    for rel, print_ in before.items():
        if rel not in TARGETS:
            assert after[rel] == print_, rel
    assert "no PDF for the site: xelatex is not installed" in err
    assert "resume.json" in out and "cv.yml" in out
    resume = json.loads((site / JSON_PATH).read_text())
    assert resume["basics"]["name"] == "Léa Marchetti"


def test_resume_json_is_schema_valid(
    tmp_path: Path, config: Path, no_tex: None, peers_dir: Path
) -> None:
    site = _site(tmp_path)
    assert main(["export", str(config), "--alfolio", str(site)]) == 0
    schema = json.loads((peers_dir / "jsonresume-schema.json").read_text())
    resume = json.loads((site / JSON_PATH).read_text())
    jsonschema.validate(resume, schema)
    assert len(resume["publications"]) > 0


def test_cv_yml_has_the_sections_al_folio_reads(tmp_path: Path, config: Path, no_tex: None) -> None:
    site = _site(tmp_path)
    assert main(["export", str(config), "--alfolio", str(site)]) == 0
    sections = yaml.safe_load((site / YAML_PATH).read_text())
    resume = json.loads((site / JSON_PATH).read_text())
    by_title = {s["title"]: s for s in sections}
    assert {"General Information", "Experience", "Education", "Publications"} <= set(by_title)
    assert all(s["type"] in {"map", "time_table", "list", "nested_list"} for s in sections)
    assert all(isinstance(s["contents"], list) and s["contents"] for s in sections)
    general = {c["name"]: c["value"] for c in by_title["General Information"]["contents"]}
    assert general["Full Name"] == "Léa Marchetti"
    assert by_title["Experience"]["contents"][0] == {
        "title": "Assistant Professor",
        "institution": "Université Grenoble Alpes, Laboratoire d'Écologie Alpine",
        "year": "2022 \u2013 present",
        "description": [
            "Lead the Alpine Biodiversity Modelling group (3 PhD students, 1 postdoc).",
            "Teach Statistical Ecology (M1) and Scientific Programming (L3).",
        ],
    }
    papers = by_title["Publications"]["contents"]
    assert len(papers) == len(resume["publications"])
    assert all(isinstance(p, str) and p for p in papers)


@pytest.mark.parametrize(
    ("language", "ongoing", "closed"),
    [
        ("de", "2022 \u2013 heute", "2010 \u2013 2014"),
        ("fr", "2022 \u2013 aujourd'hui", "2010 \u2013 2014"),
        ("ja", "2022\u5e74\uff5e\u73fe\u5728", "2010\u5e74\uff5e2014\u5e74"),
    ],
)
def test_cv_yml_years_in_the_resumes_language(language: str, ongoing: str, closed: str) -> None:
    from cvbuild.i18n.phrases import Phrases

    resume = {
        "meta": {"language": language},
        "work": [{"name": "Lab", "position": "PI", "startDate": "2022-01"}],
        "education": [{"institution": "U", "startDate": "2010", "endDate": "2014-06"}],
    }
    sections = {s["title"]: s for s in cv_sections(resume)}
    words = Phrases(language)
    ongoing_year = sections[words("al_experience")]["contents"][0]["year"]
    assert ongoing_year.endswith(words("present")) and "present" not in ongoing_year
    assert ongoing_year == ongoing
    assert sections[words("al_education")]["contents"][0]["year"] == closed


@pytest.mark.parametrize(
    ("language", "titles", "degree", "fields"),
    [
        ("de", ["Allgemeine Angaben", "Zusammenfassung", "Berufserfahrung", "Ausbildung",
                "Publikationen", "Kenntnisse", "Sprachen"],
         "PhD in Biologie", ["Vollständiger Name", "Position", "E-Mail", "Webseite", "Ort"]),
        ("ja", ["基本情報", "概要", "職歴", "学歴", "業績", "スキル", "語学"],
         "PhD（Biologie）", ["氏名", "職位", "メールアドレス", "ウェブサイト", "所在地"]),
        ("pl", ["Informacje ogólne", "Podsumowanie", "Doświadczenie", "Wykształcenie",
                "Publikacje", "Umiejętności", "Języki"],
         "PhD, Biologie", ["Imię i nazwisko", "Stanowisko", "E-mail", "Strona", "Lokalizacja"]),
    ],
)  # fmt: skip
def test_cv_yml_titles_and_fields_in_the_resumes_language(
    language: str, titles: list[str], degree: str, fields: list[str]
) -> None:
    resume = {
        "meta": {"language": language},
        "basics": {"name": "A B", "label": "PI", "email": "a@b.org", "url": "https://a.org",
                   "location": {"city": "Oslo"}, "summary": "Hello."},
        "work": [{"name": "Lab", "position": "PI", "startDate": "2022-01"}],
        "education": [{"institution": "U", "studyType": "PhD", "area": "Biologie"}],
        "publications": [{"name": "A paper"}],
        "skills": [{"name": "Code", "keywords": ["Python"]}],
        "languages": [{"language": "French", "fluency": "native"}],
    }  # fmt: skip
    sections = cv_sections(resume)
    assert [s["title"] for s in sections] == titles
    assert [f["name"] for f in sections[0]["contents"]] == fields
    assert sections[3]["contents"][0]["title"] == degree
    text = yaml.safe_dump(sections, allow_unicode=True)
    for english in ("General Information", "Summary", "Experience", "Education", "Skills"):
        assert english not in text


def test_a_degree_written_with_braces_stays_as_written() -> None:
    resume = {"education": [{"institution": "U", "studyType": "{area}", "area": "{degree}"}]}
    assert cv_sections(resume)[0]["contents"][0]["title"] == "{area} in {degree}"


def test_cv_sections_of_a_small_resume() -> None:
    resume = {
        "basics": {"name": "A B", "location": {"city": "Oslo", "countryCode": "NO"}},
        "education": [{"institution": "U", "studyType": "PhD", "area": "X", "startDate": "2010-09",
                       "endDate": "2014"}],
        "awards": [{"title": "Prize", "awarder": "Society", "date": "2020-05-01"}],
        "skills": [{"name": "Code", "keywords": ["Python", "R"]}],
        "languages": [{"language": "French", "fluency": "native"}],
    }  # fmt: skip
    assert cv_sections(resume) == [
        {"title": "General Information", "type": "map", "contents": [
            {"name": "Full Name", "value": "A B"}, {"name": "Location", "value": "Oslo, NO"}]},
        {"title": "Education", "type": "time_table", "contents": [
            {"title": "PhD in X", "institution": "U", "year": "2010 \u2013 2014"}]},
        {"title": "Awards", "type": "time_table", "contents": [
            {"title": "Prize", "institution": "Society", "year": "2020"}]},
        {"title": "Skills", "type": "nested_list", "contents": [
            {"title": "Code", "items": ["Python", "R"]}]},
        {"title": "Languages", "type": "map", "contents": [
            {"name": "French", "value": "native"}]},
    ]  # fmt: skip


@pytest.mark.tex
def test_pdf_goes_to_assets_pdf(tmp_path: Path, config: Path) -> None:
    site = _site(tmp_path)
    assert main(["export", str(config), "--alfolio", str(site)]) == 0
    pdf = site / "assets" / "pdf" / "Marchetti_Lea_CV.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert (site / "assets/pdf/example_pdf.pdf").read_text() == "%PDF-1.4 not really\n"


@pytest.mark.parametrize("kind", ["file", "missing"])
def test_refuses_a_site_that_is_not_a_folder(
    tmp_path: Path, config: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    if kind == "file":
        site.write_text("not a site\n")
    assert main(["export", str(config), "--alfolio", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"the al-folio site {site}" in err
    assert ("is a file, not a folder" if kind == "file" else "does not exist") in err
    assert kind != "file" or site.read_text() == "not a site\n"


def test_never_writes_through_a_link_out_of_the_site(
    tmp_path: Path, config: Path, no_tex: None, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(site / "_data")
    (site / "_data").symlink_to(outside)
    before = _fingerprint(site)
    assert main(["export", str(config), "--alfolio", str(site)]) == 1
    assert "is a symbolic link" in capsys.readouterr().err
    assert list(outside.iterdir()) == []
    assert _fingerprint(site) == before  # all or nothing: resume.json not written either
    assert not (site / JSON_PATH).exists()


def test_alfolio_with_zip_is_a_usage_error(
    tmp_path: Path, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(config), "--alfolio", str(_site(tmp_path)), "--zip"]) == 2
    assert "leave out --zip and --output" in capsys.readouterr().err
