"""Issue 18, item 4: every cv.yaml key is described, and "did you mean" weighs meaning.

A first-time user hand-picking papers wrote ``papers:`` and was told "did you mean
'paper'?" (the paper size). Known synonyms are now checked before spelling, and the
schema an editor shows describes every key.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from cvbuild.cli import main
from cvbuild.config.schema import config_schema

REPO = Path(__file__).resolve().parents[1]


def _properties(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every (path, sub-schema) under a 'properties' anywhere in the schema."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            found.append((f"{path}.{name}", sub))
        for name, sub in node.items():
            found.extend(_properties(sub, path if name == "properties" else f"{path}/{name}"))
    elif isinstance(node, list):
        for sub in node:
            found.extend(_properties(sub, path))
    return found


def test_every_key_in_the_schema_has_a_description() -> None:
    props = _properties(config_schema())
    assert len(props) > 80  # the walk reaches the nested tables
    missing = [p for p, sub in props if not str(sub.get("description", "")).strip()]
    assert missing == []


def test_the_schema_file_editors_read_has_them_too() -> None:
    on_disk = json.loads((REPO / "docs" / "cv.schema.json").read_text(encoding="utf-8"))
    descriptions = {p: sub.get("description", "") for p, sub in _properties(on_disk)}
    pubs = [d for p, d in descriptions.items() if p.endswith(".include_keys")]
    assert len(pubs) == 2  # a publications section's and a variant's
    assert all("hand-pick" in d.lower() and "BibTeX key" in d for d in pubs)
    for key in ("exclude_keys", "limit", "until", "selected_only", "max_pages", "tags"):
        assert all(descriptions[p] for p in descriptions if p.endswith("." + key)), key


def _readme_configuration() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_readme_names_the_filter_keys() -> None:
    part = _readme_configuration()
    for key in ("include_keys", "exclude_keys", "limit", "until", "selected_only", "since"):
        assert re.search(rf"`{key}`", part), key
    assert "hand-pick" in part


def test_readme_names_every_key_of_every_table() -> None:
    part = _readme_configuration()
    names = {name for path, _ in _properties(config_schema()) for name in [path.rsplit(".", 1)[1]]}
    missing = sorted(n for n in names if f"`{n}`" not in part and f"{n}:" not in part)
    assert missing == []


CV_HEAD = "person:\n  name: Ada Lovelace\nsections:\n"
PUBS = "  - title: Publications\n    publications:\n      bib: papers.bib\n"


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> str:
    (tmp_path / "papers.bib").write_text("", encoding="utf-8")
    config = tmp_path / "cv.yaml"
    config.write_text(text, encoding="utf-8")
    assert main(["check", str(config)]) == 1
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "where", "meant"),
    [
        # hand-picking papers in a variant: the keys, not the paper size
        (
            CV_HEAD + PUBS + "variants:\n  short:\n    papers: [a, b]\n",
            "cv.yaml:9:5",
            "include_keys",
        ),
        (CV_HEAD + PUBS + "variants:\n  short:\n    pubs: [a]\n", "cv.yaml:9:5", "include_keys"),
        # inside a publications mapping: the keys too
        (CV_HEAD + PUBS + "      papers: [a]\n", "cv.yaml:7:7", "include_keys"),
        # a section of papers
        (
            CV_HEAD + "  - title: Papers\n    papers:\n      bib: papers.bib\n",
            "cv.yaml:5:5",
            "publications",
        ),
        (
            CV_HEAD + "  - title: P\n    publications:\n      bibliography: papers.bib\n",
            "cv.yaml:6:7",
            "bib",
        ),
        (
            CV_HEAD + "  - title: P\n    publications:\n      bibfile: papers.bib\n",
            "cv.yaml:6:7",
            "bib",
        ),
        # entries: where and when
        (
            CV_HEAD + "  - title: Jobs\n    entries:\n      - {title: Postdoc, affiliation: MIT}\n",
            "cv.yaml:6:26",
            "organization",
        ),
        (
            CV_HEAD + "  - title: Jobs\n    entries:\n      - {title: Postdoc, begin: 2020}\n",
            "cv.yaml:6:26",
            "start",
        ),
        # the same word means another key in a variant
        (CV_HEAD + PUBS + "variants:\n  short:\n    from: 2020\n", "cv.yaml:9:5", "since"),
        (CV_HEAD + PUBS + "variants:\n  short:\n    to: 2020\n", "cv.yaml:9:5", "until"),
        (CV_HEAD + PUBS + "variants:\n  short:\n    skip: [a]\n", "cv.yaml:9:5", "exclude_keys"),
        (
            CV_HEAD + PUBS + "variants:\n  short:\n    selected: true\n",
            "cv.yaml:9:5",
            "selected_only",
        ),
        # values: a synonym of an allowed choice
        (CV_HEAD + PUBS + "      order: descending\n", "cv.yaml:7:14", "newest"),
        (CV_HEAD + PUBS + "output:\n  formats: [pdf, word]\n", "cv.yaml:8:18", "docx"),
    ],
)
def test_did_you_mean_weighs_meaning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: str, meant: str
) -> None:
    err = _check(tmp_path, capsys, text)
    assert where in err, err
    assert f"did you mean '{meant}'?" in err, err
    assert "did you mean 'paper'?" not in err


def test_the_hint_says_what_the_meant_key_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _check(tmp_path, capsys, CV_HEAD + PUBS + "variants:\n  short:\n    papers: [a]\n")
    assert "unknown key 'papers'" in err
    assert "did you mean 'include_keys'? Publications: hand-pick papers by BibTeX key" in err


def test_spelling_still_works_where_no_synonym_fits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _check(tmp_path, capsys, CV_HEAD + PUBS + "output:\n  papr: letter\n")
    assert "did you mean 'paper'?" in err
    err = _check(tmp_path, capsys, CV_HEAD + PUBS + "variants:\n  short:\n    limt: 3\n")
    assert "did you mean 'limit'?" in err


def test_a_section_title_by_another_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = CV_HEAD + PUBS + "variants:\n  short:\n    sections: [Papers]\n"
    err = _check(tmp_path, capsys, text)
    assert "names no section titled 'Papers'" in err
    assert "did you mean 'Publications'?" in err
