"""Export packs (issue 14, item 4): ``pack:`` in a preset, the sciencv pack (draft PDF and
DOCX, counted text fields, products as RIS, MEDLINE and BibTeX) and the r4ri pack (DOCX and
text with word counts), checked by what a user opens."""

from __future__ import annotations

import io
import json
import re
import shutil
import unicodedata
from pathlib import Path

import docx
import pytest
import rispy
from Bio import Medline

from cvbuild.build.export import MANIFEST, PARTS, export_bundle, make_bundle
from cvbuild.build.plan import bundle_parts
from cvbuild.cli import main
from cvbuild.config.presets import load_preset, preset_from_text
from cvbuild.errors import InputError, Location

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "funders" / "cv.yaml"
STEM = "Marchetti_Lea_CV_{}_en"
SCIENCV_OUTPUTS = [
    "marchetti2022scaling",
    "garcia2024climate",
    "keller2023long",
    "marchetti2024neurips",
]
R4RI_MODULES = [
    "Contributions to the generation of new ideas, tools and knowledge",
    "Contributions to the development of others",
    "Contributions to the wider research and innovation community",
    "Contributions to broader society",
]

needs_tex = pytest.mark.skipif(
    not (shutil.which("xelatex") and shutil.which("xdvipdfmx")), reason="xelatex not installed"
)


def _fields(text: str) -> dict[str, tuple[str, str]]:
    """The counted text file read strictly: heading -> (count line, field text)."""
    blocks = text.rstrip("\n").split("\n\n")
    out: dict[str, tuple[str, str]] = {}
    i = 1  # the file's own head first
    while i < len(blocks):
        heading, count = blocks[i].split("\n")
        assert heading == heading.upper() and count.startswith("Count: "), blocks[i]
        body: list[str] = []
        i += 1
        while i < len(blocks) and not re.match(r"^[^a-z\n]+\nCount: ", blocks[i]):
            body.append(blocks[i])
            i += 1
        out[heading] = (count.removeprefix("Count: "), "\n\n".join(body))
    return out


def _yaml_text(config: Path, title: str) -> str:
    """A text section's text as written in cv.yaml (paragraphs joined into lines)."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    title = {R4RI_MODULES[0]: "Contributions to knowledge"}.get(title, title)
    (section,) = [s for s in data["sections"] if s["title"] == title]
    return "\n\n".join(" ".join(p.split()) for p in section["text"].split("\n\n") if p.strip())


def _as_pasted(body: str, config: Path, title: str) -> bool:
    """Whether a counted field holds the section's text as written, with each ``[@key]``
    replaced by the cited work (its own words, in order, everything else unchanged)."""
    written = _yaml_text(config, title)
    pieces = re.split(r"\[@[^\]]*\]", written)
    if len(pieces) == 1:
        return body == written
    if not (body.startswith(pieces[0]) and body.endswith(pieces[-1])):
        return False
    at = len(pieces[0])
    for piece in pieces[1:-1]:
        found = body.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return at <= len(body) - len(pieces[-1])


# ------------------------------------------------------------------ the preset field


def test_presets_name_their_packs() -> None:
    where = Location("x")
    assert load_preset("sciencv", REPO, where).pack == (
        "pdf", "docx", "txt", "ris", "medline", "bibtex",
    )  # fmt: skip
    # sciencv marks its draft through its own templates, so its pack adds no second note
    assert load_preset("sciencv", REPO, where).pack_note == ""
    assert dict(load_preset("sciencv", REPO, where).templates)["pandoc"] == "sciencv.pandoc.md.j2"
    assert load_preset("r4ri", REPO, where).pack == ("docx", "txt")
    assert load_preset("erc", REPO, where).pack == ()


def test_an_unknown_pack_part_is_a_located_error() -> None:
    text = (
        "name: mine\ntitle: Mine\nsource: me\nread_on: 2026-12-01\n"
        "sections:\n  - {id: a, label: A, match: [A]}\n"
        "pack: [pdf, medlin, rtf]\n"
    )
    with pytest.raises(InputError) as caught:
        preset_from_text(text, "mine.yaml")
    messages = [str(p) for p in caught.value.problems]
    assert len(messages) == 2, messages
    assert messages[0].startswith("mine.yaml:7:")
    assert "'medlin'" in messages[0] and "did you mean 'medline'?" in messages[0]
    assert "'rtf'" in messages[1] and "ris" in messages[1]


def test_a_variant_without_a_pack_keeps_the_usual_bundle() -> None:
    from cvbuild.build.run import load

    cv = load(EXAMPLE)
    parts = {v.name: bundle_parts(v) for v in cv.variants}
    assert parts["erc"] == PARTS == ("pdf", "docx", "txt", "publications", "json")
    assert parts["sciencv"] == ("pdf", "docx", "txt", "ris", "medline", "bibtex")
    assert parts["r4ri"] == ("docx", "txt")


# ------------------------------------------------------------------ r4ri


@pytest.fixture(scope="module")
def r4ri() -> dict[str, bytes]:
    return make_bundle(EXAMPLE, "r4ri", date="1 December 2026").files


def test_r4ri_pack_is_docx_and_text(r4ri: dict[str, bytes]) -> None:
    stem = STEM.format("r4ri")
    assert sorted(r4ri) == [f"{stem}.docx", f"{stem}.txt"]


def test_r4ri_text_counts_words_per_module_and_in_all(r4ri: dict[str, bytes]) -> None:
    text = r4ri[STEM.format("r4ri") + ".txt"].decode("utf-8")
    fields = _fields(text)
    assert list(fields) == [m.upper() for m in R4RI_MODULES] + ["ALL FIELDS"]
    total = 0
    for module in R4RI_MODULES:
        count, body = fields[module.upper()]
        assert _as_pasted(body, EXAMPLE, module)
        words = len(body.split())
        total += words
        chars = len(unicodedata.normalize("NFC", body))
        assert count == f"{chars:,} characters; {words:,} words"
    assert fields["ALL FIELDS"][0] == f"{total} words of at most 1,000 (limit set by R4RI)"


def test_r4ri_docx_shows_the_modules_in_order_with_their_word_counts(
    r4ri: dict[str, bytes],
) -> None:
    document = docx.Document(io.BytesIO(r4ri[STEM.format("r4ri") + ".docx"]))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    headings = [t for s, t in paragraphs if s.startswith("Heading")]
    assert headings == [*R4RI_MODULES, "Word count"]
    total = 0
    for module in R4RI_MODULES:
        at = paragraphs.index(("Heading 1", module))
        body, count = paragraphs[at + 1][1], paragraphs[at + 2][1]
        assert _as_pasted(body, EXAMPLE, module)
        total += len(body.split())
        assert count == f"Words: {len(body.split())}"
    assert ("First Paragraph", f"Words in all modules: {total} of at most 1,000") in paragraphs


# ------------------------------------------------------------------ sciencv


@pytest.fixture(scope="module")
def sciencv() -> dict[str, bytes]:
    # every part but the PDF (which needs TeX: see the test below)
    parts = ["docx", "txt", "ris", "medline", "bibtex"]
    return make_bundle(EXAMPLE, "sciencv", date="1 December 2026", parts=parts).files


def test_sciencv_text_fields_have_their_counts_and_limits(sciencv: dict[str, bytes]) -> None:
    fields = _fields(sciencv[STEM.format("sciencv") + ".txt"].decode("utf-8"))
    # each contribution to science (a paragraph) is a field of its own, 2,000 characters each
    contributions = [h for h in fields if h.startswith("CONTRIBUTIONS TO SCIENCE")]
    assert list(fields) == ["PERSONAL STATEMENT", *contributions, "ALL FIELDS"]
    assert contributions == [f"CONTRIBUTIONS TO SCIENCE {n}" for n in (1, 2)]
    count, body = fields["PERSONAL STATEMENT"]
    assert _as_pasted(body, EXAMPLE, "Personal statement")
    limits = [(body, count, 3500)]
    bodies = [fields[h][1] for h in contributions]
    assert _as_pasted("\n\n".join(bodies), EXAMPLE, "Contributions to science")
    limits += [(fields[h][1], fields[h][0], 2000) for h in contributions]
    for text, said, limit in limits:
        chars = len(unicodedata.normalize("NFC", text))
        words = len(text.split())
        assert said == (
            f"{chars:,} characters of at most {limit:,}; {words:,} words "
            "(limit set by the NIH supplement)"
        )


def test_sciencv_products_read_back_in_the_chosen_order(sciencv: dict[str, bytes]) -> None:
    stem = STEM.format("sciencv")
    records = rispy.loads(sciencv[f"{stem}_products.ris"].decode("utf-8"))
    assert [r["id"] for r in records] == SCIENCV_OUTPUTS
    garcia = records[1]
    assert garcia["authors"][:2] == ["García, María José", "Marchetti, Léa"]
    assert len(garcia["authors"]) == 12  # the full list: the preset shows every author
    assert garcia["title"] == "Upslope shifts of 1,200 alpine plant species under climate change"
    assert (garcia["secondary_title"], garcia["year"], garcia["doi"]) == (
        "Ecology Letters", "2024", "10.1111/ele.14402",
    )  # fmt: skip
    medline = list(Medline.parse(io.StringIO(sciencv[f"{stem}_products.nbib"].decode("utf-8"))))
    assert [r["TI"] for r in medline] == [r["title"] for r in records]
    assert [len(r["FAU"]) for r in medline] == [len(r["authors"]) for r in records]
    assert medline[1]["LID"] == "10.1111/ele.14402 [doi]"
    bib = sciencv[f"{stem}_products.bib"].decode("utf-8")
    assert re.findall(r"^@\w+\{([^,]+),", bib, re.MULTILINE) == SCIENCV_OUTPUTS


def test_sciencv_docx_is_marked_as_a_draft_with_counts(sciencv: dict[str, bytes]) -> None:
    document = docx.Document(io.BytesIO(sciencv[STEM.format("sciencv") + ".docx"]))
    texts = [p.text for p in document.paragraphs]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert sum("Preparation draft" in t for t in texts) == 1  # the template's mark, once
    assert texts.index(next(t for t in texts if "Preparation draft" in t)) < texts.index(
        "Personal statement"
    )
    assert headings.index("Personal statement") < headings.index("Products")
    statement = _yaml_text(EXAMPLE, "Personal statement")
    assert f"Characters: {len(statement):,} of at most 3,500" in texts


@pytest.mark.tex
@needs_tex
def test_sciencv_export_writes_the_whole_pack(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    code = main(["export", str(EXAMPLE), "--variant", "sciencv", "--output", str(out), "-q"])
    assert code == 0
    stem = STEM.format("sciencv")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            f"{stem}.pdf",
            f"{stem}.docx",
            f"{stem}.txt",
            f"{stem}_products.ris",
            f"{stem}_products.nbib",
            f"{stem}_products.bib",
            MANIFEST,
        ]
    )
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert [f["name"] for f in manifest["files"]] == sorted(n for n in names if n != MANIFEST)
    for entry in manifest["files"]:
        assert (out / entry["name"]).stat().st_size == entry["size"] > 0
    import pdfplumber

    with pdfplumber.open(out / f"{stem}.pdf") as pdf:
        first = "".join((pdf.pages[0].extract_text() or "").split())  # spaces vary
    assert "PREPARATIONDRAFT" in first.upper()
    statement = _yaml_text(EXAMPLE, "Personal statement")
    assert f"Characters:{len(statement)}ofatmost3,500" in first


def test_a_failed_pack_writes_nothing(tmp_path: Path) -> None:
    """The files appear together or not at all: a bundle with a bad name writes none."""
    out = tmp_path / "pack"
    out.mkdir()
    with pytest.raises(ValueError):
        export_bundle({"a_products.ris": b"TY  - GEN\r\n", "../evil.nbib": b""}, out)
    assert list(out.iterdir()) == []
