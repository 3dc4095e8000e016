"""Issue 18, item 10: import and export as a user sees them, through the CLI.

The import writes the schema its cv.yaml points at; JSON Resume's location is split
into city, region and country; zip entries carry the build's date; a preview is never
left beside a PDF it no longer shows.
"""

from __future__ import annotations

import json
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from cvbuild.cli import main
from cvbuild.jsonresume import json_location

RESUME = {
    "basics": {
        "name": "Ada Lovelace",
        "location": {"city": "London", "countryCode": "GB"},
    },
    "volunteer": [
        {
            "organization": "CoderDojo",
            "position": "Teacher",
            "startDate": "2012-01-01",
            "highlights": ["Awarded 'Teacher of the Month'", 'Said "hello"'],
        }
    ],
}


def test_import_writes_the_schema_its_first_line_points_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "resume.json").write_text(json.dumps(RESUME), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["import", "resume.json"]) == 0
    first = (tmp_path / "cv.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./cv.schema.json"
    schema = json.loads((tmp_path / "cv.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "cvbuild cv.yaml"
    out = capsys.readouterr().out
    assert "cv.yaml" in out and "../" not in out
    assert main(["check", "cv.yaml"]) == 0


def test_import_keeps_a_schema_already_there(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "resume.json").write_text(json.dumps(RESUME), encoding="utf-8")
    (tmp_path / "cv.schema.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["import", "resume.json", "--output", "mine.yaml"]) == 0
    assert (tmp_path / "cv.schema.json").read_text(encoding="utf-8") == "{}"
    text = (tmp_path / "mine.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=./cv.schema.json\n")


def test_imported_quotes_read_back_exactly(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "resume.json").write_text(json.dumps(RESUME), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["import", "resume.json"]) == 0
    assert main(["build", "cv.yaml", "--format", "md", "-q"]) == 0
    md = next((tmp_path / "output" / "cv").glob("*.md")).read_text(encoding="utf-8")
    assert "Awarded 'Teacher of the Month'" in md
    assert 'Said "hello"' in md or 'Said \\"hello\\"' in md


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kraków, Poland", {"city": "Kraków", "countryCode": "PL"}),
        ("Cambridge, MA, USA", {"city": "Cambridge", "region": "MA", "countryCode": "US"}),
        ("Cambridge, MA, US", {"city": "Cambridge", "region": "MA", "countryCode": "US"}),
        ("San Francisco, California", {"city": "San Francisco", "region": "California"}),
        ("Grenoble", {"city": "Grenoble"}),
        ("Germany", {"countryCode": "DE"}),
        ("Zürich, Schweiz", {"city": "Zürich", "countryCode": "CH"}),
        ("", {}),
    ],
)
def test_json_resume_location_is_split(text: str, expected: dict[str, str]) -> None:
    assert json_location(text) == expected


def _cv(folder: Path, location: str = "Kraków, Poland") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "cv.yaml"
    config.write_text(
        f"person: {{name: Ada Lovelace, location: '{location}'}}\n"
        "sections:\n  - title: Skills\n    items: [Python]\n"
        "output: {formats: [pdf]}\n",
        encoding="utf-8",
    )
    return config


tex = pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed")


@pytest.mark.tex
@tex
def test_export_location_and_zip_dates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = _cv(tmp_path / "cv")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = tmp_path / "bundle"
    code = main(["export", str(config), "--output", str(out), "--zip", "-q"])
    assert code == 0
    archive_path = next(out.rglob("*.zip"))
    today = time.gmtime()
    with zipfile.ZipFile(archive_path) as archive:
        dates = {i.date_time for i in archive.infolist()}
        resume_name = next(n for n in archive.namelist() if n.endswith("_CV.json"))
        resume = json.loads(archive.read(resume_name))
    assert dates == {(today.tm_year, today.tm_mon, today.tm_mday, 0, 0, 0)}
    assert resume["basics"]["location"] == {"city": "Kraków", "countryCode": "PL"}


@pytest.mark.tex
@tex
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm absent")
def test_a_preview_never_outlives_its_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _cv(tmp_path)
    assert main(["build", str(config), "--preview", "-q"]) == 0
    pdf = next((tmp_path / "output" / "cv").glob("*.pdf"))
    png = pdf.with_suffix(".png")
    assert png.is_file()
    # an unchanged rebuild without --preview leaves the (still true) preview alone
    assert main(["build", str(config), "-q"]) == 0
    assert png.is_file()
    # a changed CV rewrites the PDF: the old picture goes, and the user is told
    _cv(tmp_path, location="Warsaw, Poland")
    capsys.readouterr()
    assert main(["build", str(config)]) == 0
    assert not png.exists()
    assert "removed out-of-date preview" in capsys.readouterr().out
    # and --preview makes it again
    assert main(["build", str(config), "--preview", "-q", "--force"]) == 0
    assert png.is_file()
