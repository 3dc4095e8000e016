"""Every real bibliography in ../shared/fixtures/peers, through the PDF themes and DOCX:
no crash, no lost entry, every title where a reader finds it, the owner in bold."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from cvbuild.bib import load_publications
from cvbuild.build import BuildOptions, build
from tests.conftest import PEER_BIBS, PEER_ENTRY_COUNTS
from tests.test_peers_build import OWNERS

pytestmark = [
    pytest.mark.tex,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed"),
]
BOLD_FONT = re.compile(r"bold|LinLibertineO[BZ]$|LinBiolinumO[BZ]$", re.I)


def squash(text: str) -> str:
    """Letters and digits only, so line breaks, hyphenation and spacing do not matter."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if ch.isalnum())


@pytest.fixture(scope="module", params=PEER_BIBS, ids=lambda p: p.name)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    bib: Path = request.param
    owner = OWNERS.get(bib.name, ("Nobody In Particular", None))[0]
    folder = tmp_path_factory.mktemp(bib.stem)
    (folder / "cv.yaml").write_text(
        f"person:\n  name: {owner}\n"
        "sections:\n  - title: Publications\n    publications:\n"
        f"      bib: {bib}\n      group_by: none\n"
        "variants:\n  academic: {theme: academic, formats: [pdf, docx]}\n"
        "  compact: {theme: compact, formats: [pdf]}\n"
        "output:\n  dir: out\n",
        encoding="utf-8",
    )
    report = build(folder / "cv.yaml", BuildOptions())
    pubs, _ = load_publications([bib])
    return bib, folder / "out", pubs, report


FURNITURE = re.compile(r"^(Page \d+( of \d+)?|Last updated .*|[*†] .*)$")


def pdf_text(pdf: Path, owner: str) -> str:
    """The body text, without page furniture (footer, legend footnotes) between pages."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line != owner and not FURNITURE.match(line))


@pytest.mark.parametrize("theme", ["academic", "compact"])
def test_pdf_has_every_title_and_the_owner_in_bold(built, theme: str) -> None:
    bib, out, pubs, report = built
    assert len(pubs) == PEER_ENTRY_COUNTS[bib.name]
    pdf = next((out / theme).glob("*.pdf"))
    text = squash(pdf_text(pdf, OWNERS.get(bib.name, ("Nobody In Particular",))[0]))
    missing = [p.key for p in pubs if squash(p.title) not in text]
    assert not missing, missing
    owner, not_authored = OWNERS.get(bib.name, ("", None))
    if not_authored is None:
        return
    import pdfplumber

    family = owner.split()[-1]
    bold = 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words(extra_attrs=["fontname"])
            bold += sum(1 for w in words if family in w["text"] and BOLD_FONT.search(w["fontname"]))
    assert bold >= len(pubs) - not_authored


def test_docx_has_every_publication_with_the_owner_bold(built) -> None:
    import docx

    bib, out, pubs, _ = built
    word = docx.Document(str(next((out / "academic").glob("*.docx"))))
    paragraphs = [
        p for p in word.paragraphs if p.style is not None and p.style.name == "Publication"
    ]
    assert len(paragraphs) == len(pubs)
    text = squash("\n".join(p.text for p in paragraphs))
    assert not [p.key for p in pubs if squash(p.title) not in text]
    owner, not_authored = OWNERS.get(bib.name, ("", None))
    if not_authored is not None:
        family = owner.split()[-1]
        with_bold = [p for p in paragraphs if any(r.bold and family in r.text for r in p.runs)]
        assert len(with_bold) == len(pubs) - not_authored
