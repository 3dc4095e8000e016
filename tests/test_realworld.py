"""Every real bibliography in ``../shared/fixtures/realworld/`` builds, loses no entry, sets the
owner in bold wherever they are an author (and nobody else), and leaks no TeX or HTML.

The expectations are computed *independently of cvbuild's own BibTeX reader*: entries are
counted with bibtexparser directly (``%``-commented lines blanked first), and "is the owner an
author of this entry" is a crude word-level test of the raw ``author`` field against the
manifest's name and aliases (family name as a word, next to a given name or initial that
agrees). Markdown runs in the default suite; PDF and DOCX are marked ``slow``.

The second half is a table of the defects of issue 12, each with its real example.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import SHARED

REALWORLD = SHARED / "fixtures" / "realworld"
FOLDERS = sorted(p.name for p in REALWORLD.iterdir() if p.is_dir()) if REALWORLD.is_dir() else []
NO_SHARED = "../shared/fixtures/realworld is not present beside the clone"

# ----------------------------------------------------------------------------- the oracle


@dataclass(frozen=True)
class Owner:
    name: str
    aliases: tuple[str, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def manifest() -> dict[str, Owner]:
    rows = (REALWORLD / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    out: dict[str, Owner] = {}
    for row in rows[1:]:
        if not row.strip():
            continue
        cells = dict(zip(header, row.split("\t"), strict=False))
        aliases = tuple(a.strip() for a in cells.get("aliases", "").split(";") if a.strip())
        out[cells["name"]] = Owner(cells["owner"].strip(), aliases)
    return out


_TEX_ACCENT = re.compile(r"\\[`'^\"~=.uvHcdbkr]\s*\{?\\?([A-Za-z])\}?")
_TEX_LETTER = {r"\i": "i", r"\l": "l", r"\L": "L", r"\o": "o", r"\O": "O", r"\ss": "ss"}


def _fold(text: str) -> str:
    """Crude LaTeX and accent folding for the oracle only."""
    text = _TEX_ACCENT.sub(r"\1", text)
    for tex, letter in _TEX_LETTER.items():
        text = text.replace(tex + "{}", letter).replace(tex, letter)
    text = re.sub(r"\\[A-Za-z]+", " ", text).replace("~", " ")
    text = text.translate(str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ı": "i", "đ": "d"}))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("{", "").replace("}", "")
    return re.sub(r"[^\w\s,.-]|_", " ", text.casefold())


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s.]+", text) if w]


def _owner_words(spelling: str) -> tuple[list[str], str]:
    """(family words, first given name) of a manifest spelling written "First Last"."""
    words = _words(_fold(spelling).replace("-", " "))
    return words[-1:], words[0]


def _given_agrees(word: str, given: str) -> bool:
    """A full given name, an initial, or a run of initials (``AFY``) that starts with it."""
    return word == given or (len(word) <= 3 and word[0] == given[0])


def owner_in(authors: str, owner: Owner) -> bool:
    """Is the owner one of the people in this raw author field? Items are cut at ``and``,
    ``&`` and commas; the owner's family word must be in an item together with an agreeing
    given name, or alone in it with the agreeing given name in the next item
    ("Last, First")."""
    text = _fold(" ".join(authors.split()))
    last_first = bool(re.search(r"\s+and\s+", text)) or text.count(",") == 1
    items = [_words(i.replace("-", " ")) for i in re.split(r"\s+and\s+|&|,", text)]
    for spelling in owner.spellings:
        family, given = _owner_words(spelling)
        for n, words in enumerate(items):
            if family[0] not in words:
                continue
            if any(_given_agrees(w, given) for w in words if w != family[0]):
                return True
            after = items[n + 1] if n + 1 < len(items) else []
            if last_first and words[-1] == family[0] and after and _given_agrees(after[0], given):
                return True
    return False


def bold_is_owner(text: str, owner: Owner) -> bool:
    folded = _words(_fold(text).replace("-", " "))
    return any(_owner_words(s)[0][0] in folded for s in owner.spellings)


@dataclass(frozen=True)
class Expected:
    entries: int
    authored: int  # entries whose author list contains the owner


@cache
def expected(folder: str) -> Expected:
    import logging

    import bibtexparser
    from bibtexparser.model import DuplicateFieldKeyBlock, Entry

    bib = next((REALWORLD / folder).glob("*.bib"))
    text = bib.read_text(encoding="utf-8-sig")
    text = re.sub(r"(?m)^[ \t]*%.*$", "", text)  # commented-out lines are not BibTeX
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(text)
    entries = list(library.entries)
    for block in library.failed_blocks:  # a repeated field: the entry itself is fine
        if isinstance(block, DuplicateFieldKeyBlock) and isinstance(
            block.ignore_error_block, Entry
        ):
            entries.append(block.ignore_error_block)
    owner = manifest()[folder]
    authored = 0
    for entry in entries:
        fields = {f.key.strip().lower(): str(f.value) for f in entry.fields}
        if owner_in(fields.get("author") or fields.get("editor", ""), owner):
            authored += 1
    return Expected(len(entries), authored)


# ---------------------------------------------------------------------------- the outputs


def publication_lines(markdown: str) -> list[str]:
    body = markdown.split("## Publications", 1)[1]
    body = re.split(r"\n<sub>|\n\[\^", body)[0]
    return [line for line in body.splitlines() if line.startswith("-")]


_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_OUR_TAGS = re.compile(r"</?su[bp]>")
RESIDUE = re.compile(r"[\\{}$]|textrm|mathrm|mathit|mathbf|<[A-Za-z/][^>]*>|&[a-z]+;|&#")


def md_visible(line: str) -> str:
    """What a reader of the rendered Markdown sees: escapes resolved, link targets and our
    own ``<sup>`` marks dropped."""
    return _MD_ESCAPE.sub(r"\1", _OUR_TAGS.sub("", _MD_LINK_TARGET.sub("]", line)))


def residue(text: str) -> list[str]:
    return sorted({m.group(0) for m in RESIDUE.finditer(text)})


@dataclass
class Tally:
    entries_in: int = 0
    entries_out: int = 0
    authored: int = 0
    bold_hits: int = 0
    wrong_bold: int = 0
    leaks: int = 0  # entries with residue


def tally_markdown(folder: str, markdown: str) -> tuple[Tally, list[str]]:
    """Counts for one folder's Markdown and the offending lines."""
    exp = expected(folder)
    owner = manifest()[folder]
    lines = publication_lines(markdown)
    t = Tally(exp.entries, len(lines), exp.authored)
    bad: list[str] = []
    for line in lines:
        spans = re.findall(r"\*\*(.+?)\*\*", line)
        if any(bold_is_owner(s, owner) for s in spans):
            t.bold_hits += 1
        wrong = [s for s in spans if not bold_is_owner(s, owner)]
        if wrong:
            t.wrong_bold += 1
            bad.append(f"bold but not the owner: {wrong}: {line[:120]}")
        leak = residue(md_visible(line))
        if leak:
            t.leaks += 1
            bad.append(f"residue {leak}: {line[:160]}")
    return t, bad


def build_folder(folder: str, out: Path, formats: list[str]) -> Path:
    from cvbuild.build import BuildOptions, build

    build(
        REALWORLD / folder / "cv.yaml",
        BuildOptions(formats=formats, output_dir=out, force=True, jobs=1),
    )
    return out


def _only(out: Path, suffix: str) -> Path:
    found = sorted(out.rglob(f"*{suffix}"))
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def md_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not FOLDERS:
        pytest.skip(NO_SHARED)
    out: dict[str, str] = {}
    for folder in FOLDERS:
        where = build_folder(folder, tmp_path_factory.mktemp(folder), ["md"])
        out[folder] = _only(where, ".md").read_text(encoding="utf-8")
    return out


def test_the_realworld_set_is_all_there() -> None:
    if not FOLDERS:
        pytest.skip(NO_SHARED)
    assert sorted(manifest()) == FOLDERS
    assert len(FOLDERS) == 22


@pytest.mark.parametrize("folder", FOLDERS)
def test_markdown_keeps_every_entry_bolds_the_owner_and_leaks_nothing(
    folder: str, md_outputs: dict[str, str]
) -> None:
    t, bad = tally_markdown(folder, md_outputs[folder])
    assert t.entries_out == t.entries_in, "entries out != well-formed entries in"
    assert t.bold_hits == t.authored, f"owner bold in {t.bold_hits} of {t.authored} entries"
    assert not bad, "\n".join(bad)


# --------------------------------------------------------------------- PDF and DOCX (slow)


def docx_entries(path: Path) -> list[tuple[str, list[str]]]:
    """(paragraph text, bold texts) for each list paragraph under the publications heading."""
    import docx

    document = docx.Document(str(path))
    out: list[tuple[str, list[str]]] = []
    started = False
    for paragraph in document.paragraphs:
        style = (paragraph.style.name or "") if paragraph.style is not None else ""
        if style.startswith("Heading") and "Publications" in paragraph.text:
            started = True
            continue
        if not started or style.startswith("Heading") or not paragraph.text.strip():
            continue
        if "Last updated" in paragraph.text:
            continue
        bold: list[str] = []
        run_text = ""
        for run in paragraph.runs:
            if run.bold:
                run_text += run.text
            elif run_text:
                bold.append(run_text)
                run_text = ""
        if run_text:
            bold.append(run_text)
        out.append((paragraph.text, bold))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("folder", FOLDERS)
def test_docx_keeps_every_entry_bolds_the_owner_and_leaks_nothing(
    folder: str, tmp_path: Path
) -> None:
    if not FOLDERS:
        pytest.skip(NO_SHARED)
    exp, owner = expected(folder), manifest()[folder]
    entries = docx_entries(_only(build_folder(folder, tmp_path, ["docx"]), ".docx"))
    assert len(entries) == exp.entries
    hits = [t for t, bold in entries if any(bold_is_owner(b, owner) for b in bold)]
    assert len(hits) == exp.authored
    wrong = [(t, b) for t, bold in entries for b in bold if not bold_is_owner(b, owner)]
    assert not wrong
    leaks = [(residue(t), t) for t, _ in entries if residue(t)]
    assert not leaks


@pytest.mark.slow
@pytest.mark.tex
@pytest.mark.parametrize("folder", FOLDERS)
def test_pdf_text_leaks_nothing(folder: str, tmp_path: Path) -> None:
    import subprocess

    if not FOLDERS:
        pytest.skip(NO_SHARED)
    pdf = _only(build_folder(folder, tmp_path, ["pdf"]), ".pdf")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert not residue(_OUR_TAGS.sub("", text)), residue(text)


# ------------------------------------------------------------------ the defects of issue 12


@dataclass(frozen=True)
class Defect:
    number: int
    folder: str
    needle: str  # a piece of the entry's title that finds its Markdown line
    want: tuple[str, ...]  # each must appear in that line
    never: tuple[str, ...] = ()  # none may appear in it


DEFECTS = [
    # 1. commas for "and": a list, not "Last, First" (key emre2023microfluidics, 2024_arizona,
    # and "A, B, and C" in 2023_chess)
    Defect(
        1,
        "tr-haciosmanoglu-bioeng",
        "Ray of Hope",
        ("Emre Ece, **Nedim Hacıosmanoğlu**, and Fatih Inci",),
        ("Fatih Inci Emre Ece",),
    ),
    Defect(
        1, "ru-lappo-popgen", "Arizona", ("**Egor Lappo** and Noah Rosenberg",), ("Rosenberg Egor",)
    ),
    Defect(1, "ru-lappo-popgen", "chess", ("**Egor Lappo**, Noah Rosenberg, and Marcus Feldman",)),
    # 2. "..." is an elision, "&" is "and" (2024_nature)
    Defect(
        2,
        "ru-lappo-popgen",
        "fluctuating selection",
        ("M. C. Bitter, …, **Egor Lappo**, P. Schmidt, and D. A. Petrov",),
        ("&", "..."),
    ),
    # 3. a %-commented entry (ho2025saf) is not an empty bullet
    Defect(3, "it-dinelli-chemeng", "", ("no empty bullet",)),
    # 4. Zotero's doubled backslashes, \textrm in math, superscript digits
    Defect(4, "za-botha-neurology", "semantic variant", ("β-amyloid", "[¹⁸F]AV-1451"), ("textrm",)),
    Defect(4, "za-botha-neurology", "bivariate", ("amyloid-β and tau",), ("beta",)),
    # 5. a braced "Last First" owner (clark_heather_m_western_2020); "et al." inside a name
    Defect(5, "za-botha-neurology", "Western Aphasia", ("**Botha Hugo**",), ()),
    Defect(5, "ru-bakhteev-ml", "Цифровая", ("**Олег Бахтеев** et al.",), ("и др",)),
    Defect(5, "ru-bakhteev-ml", "Near-duplicate", ("**Oleg Bakhteev** et al.",), ("Oleg et al",)),
]


def _line_with(markdown: str, needle: str, want: tuple[str, ...]) -> str:
    lines = publication_lines(markdown)
    if needle:
        found = [line for line in lines if needle.casefold() in line.casefold()]
    else:
        found = [line for line in lines if all(w in line for w in want)] or lines
    assert found, f"no entry mentions {needle!r}"
    return found[0]


@pytest.mark.parametrize(
    "defect", DEFECTS, ids=lambda d: f"{d.number}-{d.folder}-{d.needle or d.want[0][:24]}"
)
def test_issue_12_defect_is_fixed(defect: Defect, md_outputs: dict[str, str]) -> None:
    markdown = md_outputs[defect.folder]
    if defect.number == 3:
        lines = publication_lines(markdown)
        assert all(line.strip() != "-" for line in lines), "an empty bullet"
        return
    line = md_visible(_line_with(markdown, defect.needle, defect.want))
    for piece in defect.want:
        assert piece in line, line
    for piece in defect.never:
        assert piece not in line, line
