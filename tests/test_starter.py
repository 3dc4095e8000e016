"""cvbuild init: a starter project that builds with no warning and never overwrites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cvbuild.bib import load_publications
from cvbuild.build import BuildOptions, build
from cvbuild.config.schema import config_schema
from cvbuild.errors import UsageError
from cvbuild.starter import init_project


def test_starter_files_and_schema_header(tmp_path: Path) -> None:
    folder = tmp_path / "new-cv"
    written = init_project(folder)
    assert written == [folder / "cv.yaml", folder / "cv.schema.json", folder / "publications.bib"]
    first = (folder / "cv.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=./cv.schema.json"
    assert json.loads((folder / "cv.schema.json").read_text(encoding="utf-8")) == config_schema()


def test_starter_config_is_valid_against_its_schema(tmp_path: Path) -> None:
    import jsonschema
    import yaml

    init_project(tmp_path)
    data = yaml.safe_load((tmp_path / "cv.yaml").read_text(encoding="utf-8"))
    schema = json.loads((tmp_path / "cv.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)


def test_starter_bib_uses_al_folio_conventions(tmp_path: Path) -> None:
    init_project(tmp_path, name="Jane Doe")
    pubs, problems = load_publications([tmp_path / "publications.bib"])
    assert problems == []
    by_key = {p.key: p for p in pubs}
    assert set(by_key) == {"doe2024workshop", "doe2023journal", "doe2025preprint"}
    workshop = by_key["doe2024workshop"]
    assert workshop.selected and workshop.legend_note
    assert workshop.get("code").startswith("https://") and workshop.get("pdf").endswith(".pdf")
    assert by_key["doe2025preprint"].category == "preprint"
    assert by_key["doe2025preprint"].get("arxiv") == "2501.00001"
    assert not by_key["doe2023journal"].selected


def test_starter_builds_to_markdown_with_no_warning(tmp_path: Path) -> None:
    init_project(tmp_path, name="José García-López")
    report = build(tmp_path / "cv.yaml", BuildOptions(formats=["md"]))
    assert report.warnings == []
    assert sorted(report.variants) == ["cv", "resume"]
    full = next(p for p in report.written if p.parent.name == "cv").read_text(encoding="utf-8")
    assert full.startswith("# José García-López\n")
    # The owner is bold in every paper, the equal-contribution mark has its legend footnote.
    assert full.count("**José García-López**") == 3
    assert "[^equal]: Equal contribution" in full
    assert "Learning to Write CVs from BibTeX" in full
    resume = next(p for p in report.written if p.parent.name == "resume").read_text("utf-8")
    assert "Reproducible Pipelines" not in resume  # not selected
    assert "Learning to Write CVs from BibTeX" in resume


@pytest.mark.parametrize("existing", ["cv.yaml", "publications.bib", "cv.schema.json"])
def test_refuses_to_overwrite_and_writes_nothing(tmp_path: Path, existing: str) -> None:
    (tmp_path / existing).write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match=f"{existing} already exists; nothing was written"):
        init_project(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [existing]
    assert (tmp_path / existing).read_text(encoding="utf-8") == "mine"


def test_folder_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "cv"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file, not a folder"):
        init_project(target)


def test_hostile_name_stays_text(tmp_path: Path) -> None:
    name = 'Eve "}\\input{/etc/passwd}: # and @string'
    init_project(tmp_path, name=name)
    report = build(tmp_path / "cv.yaml", BuildOptions(formats=["md"]))
    assert report.warnings == []
    text = next(p for p in report.written if p.parent.name == "cv").read_text("utf-8")
    assert "/etc/passwd" in text.splitlines()[0]  # the header shows the name as text
    pubs, problems = load_publications([tmp_path / "publications.bib"])
    assert problems == [] and len(pubs) == 3
