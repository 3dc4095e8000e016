"""The application bundle: contents, manifest hashes, atomic folder writes, zip determinism,
and real bundles of the example researcher (PDF parts only where TeX is installed)."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import time
import zipfile
from pathlib import Path

import pytest

from cvbuild.build.export import (
    MANIFEST,
    export_bundle,
    make_bundle,
    make_bundle_files,
    manifest,
    publications_only,
    zip_bytes,
)
from cvbuild.build.fit import count_pages
from cvbuild.document import Document, Header, Meta, SectionBlock
from cvbuild.errors import InputError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "researcher"

FILES = {
    "Doe_Jane_CV.pdf": b"%PDF-1.5 fake",
    "Doe_Jane_CV.txt": "Jane Doe\nÉcole\n".encode(),
    "Doe_Jane_CV.json": b"{}\n",
}


def read_manifest(data: bytes) -> dict:
    return json.loads(data.decode("utf-8"))


# ---------------------------------------------------------------- manifest and folder


def test_manifest_lists_every_file_with_size_and_sha256() -> None:
    data = read_manifest(manifest(FILES, variant="resume", date="15 January 2026"))
    assert data["variant"] == "resume" and data["date"] == "15 January 2026"
    assert data["cvbuild"]
    assert [f["name"] for f in data["files"]] == sorted(FILES)
    for entry in data["files"]:
        body = FILES[entry["name"]]
        assert entry["size"] == len(body)
        assert entry["sha256"] == hashlib.sha256(body).hexdigest()


def test_folder_bundle_is_written_with_its_manifest(tmp_path: Path) -> None:
    dest = tmp_path / "bundle"
    (tmp_path / "bundle").mkdir()
    (dest / "notes.txt").write_text("mine")  # a user's file in the folder stays
    paths = export_bundle(FILES, dest, variant="cv", date="d")
    assert paths == [dest / n for n in sorted(FILES)] + [dest / MANIFEST]
    for name, body in FILES.items():
        assert (dest / name).read_bytes() == body
    data = read_manifest((dest / MANIFEST).read_bytes())
    for entry in data["files"]:
        assert hashlib.sha256((dest / entry["name"]).read_bytes()).hexdigest() == entry["sha256"]
    assert (dest / "notes.txt").read_text() == "mine"
    assert not [p for p in dest.iterdir() if p.name.endswith(".tmp")]


def test_unchanged_files_are_left_alone(tmp_path: Path) -> None:
    export_bundle(FILES, tmp_path)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    changed = dict(FILES, **{"Doe_Jane_CV.txt": b"new text\n"})
    export_bundle(changed, tmp_path)
    after = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert after["Doe_Jane_CV.pdf"] == before["Doe_Jane_CV.pdf"]
    assert (tmp_path / "Doe_Jane_CV.txt").read_bytes() == b"new text\n"
    entry = next(
        f
        for f in read_manifest((tmp_path / MANIFEST).read_bytes())["files"]
        if f["name"] == "Doe_Jane_CV.txt"
    )
    assert entry["sha256"] == hashlib.sha256(b"new text\n").hexdigest()


@pytest.mark.parametrize("name", ["../evil.txt", "a/b.txt", "a\\b", "", "..", MANIFEST, " x"])
def test_names_that_are_not_plain_file_names_are_refused(name: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        export_bundle({name: b"x"}, tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / "evil.txt").exists()


# ---------------------------------------------------------------- zip


def test_zip_bundle_holds_files_and_manifest(tmp_path: Path) -> None:
    paths = export_bundle(FILES, tmp_path, zip_name="Doe_Jane_CV", variant="cv")
    assert paths == [tmp_path / "Doe_Jane_CV.zip"]
    with zipfile.ZipFile(paths[0]) as archive:
        assert archive.namelist() == sorted([*FILES, MANIFEST])
        assert archive.testzip() is None
        for name, body in FILES.items():
            assert archive.read(name) == body
        data = read_manifest(archive.read(MANIFEST))
        assert {f["name"] for f in data["files"]} == set(FILES)
        # 2026-01-15 12:00 UTC from SOURCE_DATE_EPOCH (set in conftest)
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 15, 12, 0, 0)}
        assert {i.external_attr >> 16 for i in archive.infolist()} == {0o100644}


def test_zip_is_byte_for_byte_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = export_bundle(FILES, tmp_path / "a", zip_name="b.zip")[0].read_bytes()
    reordered = dict(reversed(list(FILES.items())))
    second = export_bundle(reordered, tmp_path / "b", zip_name="b.zip")[0].read_bytes()
    assert first == second
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    today = time.gmtime()
    with zipfile.ZipFile(io.BytesIO(zip_bytes(FILES))) as archive:
        # without SOURCE_DATE_EPOCH: the build's date (midnight UTC), not 1980-01-01
        assert {i.date_time for i in archive.infolist()} == {
            (today.tm_year, today.tm_mon, today.tm_mday, 0, 0, 0)
        }
    assert zip_bytes(FILES) == zip_bytes(FILES)


# ---------------------------------------------------------------- publications-only document


def test_publications_only_keeps_only_publication_sections_and_their_legends() -> None:
    doc = Document(
        Header("Jane Doe"),
        (
            SectionBlock("Positions", "entries"),
            SectionBlock("Papers", "publications", marks=("equal",)),
            SectionBlock("Talks", "publications"),
        ),
        Meta("Jane Doe \u2014 Curriculum Vitae", "Jane Doe"),
        {"equal": "Equal contribution", "corresponding": "Corresponding author"},
        {"equal": "*", "corresponding": "\u2020"},
    )
    only = publications_only(doc)
    assert only is not None
    assert [s.title for s in only.sections] == ["Papers", "Talks"]
    assert only.legends == {"equal": "Equal contribution"}
    assert only.meta.title == "Jane Doe \u2014 Publications"
    assert publications_only(Document(Header("J"), (doc.sections[0],), doc.meta)) is None


# ---------------------------------------------------------------- real bundles


@pytest.fixture
def example(tmp_path: Path) -> Path:
    if not (EXAMPLE / "cv.yaml").is_file():
        pytest.skip("examples/researcher not present")
    folder = tmp_path / "researcher"
    shutil.copytree(EXAMPLE, folder)
    return folder / "cv.yaml"


def test_bundle_without_tex(example: Path, peers_dir: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    bundle = make_bundle(example, "resume", date="March 2026", parts=("docx", "txt", "json"))
    stem = "Marchetti_Lea_CV_resume"
    assert sorted(bundle.files) == [f"{stem}.docx", f"{stem}.json", f"{stem}.txt"]
    assert bundle.variant == "resume" and bundle.date == "March 2026"
    text = bundle.files[f"{stem}.txt"].decode("utf-8")
    assert text.startswith("Léa Marchetti\n") and "Last updated: March 2026" in text
    assert "**" not in text and "](" not in text
    assert "SERVICE" not in text  # the resume variant has no Service section
    resume = json.loads(bundle.files[f"{stem}.json"])
    schema = json.loads((peers_dir / "jsonresume-schema.json").read_text())
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(resume)
    assert resume["basics"]["name"] == "Léa Marchetti"
    assert resume["education"][0]["studyType"] == "PhD"
    assert resume["publications"]  # selected papers only
    assert bundle.files[f"{stem}.docx"][:2] == b"PK"


def test_unknown_variant_is_a_usage_error(example: Path) -> None:
    from cvbuild.errors import UsageError

    with pytest.raises(UsageError, match="resume"):
        make_bundle_files(example, "resumee")


needs_tex = pytest.mark.skipif(
    not (shutil.which("xelatex") and shutil.which("xdvipdfmx")), reason="xelatex not installed"
)


@pytest.mark.tex
@pytest.mark.slow
@needs_tex
def test_full_bundle_with_pdfs(example: Path, tmp_path: Path) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    files = make_bundle_files(example, "resume")
    stem = "Marchetti_Lea_CV_resume"
    assert sorted(files) == sorted(
        f"{stem}{suffix}" for suffix in (".pdf", ".docx", ".txt", "_Publications.pdf", ".json")
    )
    assert count_pages(files[f"{stem}.pdf"]) <= 2  # the variant's max_pages
    paths = export_bundle(files, tmp_path / "bundle", variant="resume")
    with pdfplumber.open(tmp_path / "bundle" / f"{stem}_Publications.pdf") as pdf:
        words = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert "UBLICATIONS" in words and "Postdoctoral Researcher" not in words
    data = read_manifest(paths[-1].read_bytes())
    assert len(data["files"]) == 5


@pytest.mark.tex
@pytest.mark.slow
@needs_tex
def test_max_pages_trims_the_oldest_unselected_papers(example: Path) -> None:
    text = example.read_text(encoding="utf-8")
    text = text.replace(
        "  cv: {}\n",
        "  cv: {}\n  onepage: {max_pages: 1, sections: [Positions, Publications, Grants and Awards]}\n",
    )
    example.write_text(text, encoding="utf-8")
    bundle = make_bundle(example, "onepage", parts=("pdf", "txt"))
    assert bundle.fit is not None and bundle.fit.dropped
    assert bundle.fit.compiles <= 5  # ceil(log2(6 candidates)) + 2
    assert count_pages(bundle.files["Marchetti_Lea_CV_onepage.pdf"]) == 1
    dropped = [s.label for s in bundle.fit.dropped]
    txt = bundle.files["Marchetti_Lea_CV_onepage.txt"].decode()
    assert "Sparse priors" not in txt  # the 2018 paper, the oldest unselected, went first
    assert dropped[0] == "dupont2018sparse"

    # every section: even with all droppable items gone it needs two pages
    example.write_text(text.replace(", sections: [Positions, Publications, Grants and Awards]", ""))
    with pytest.raises(InputError, match="'onepage' needs 2 pages even after dropping all"):
        make_bundle(example, "onepage", parts=("pdf",))
