"""The product writers (RIS, MEDLINE, BibTeX) read back by independent readers: rispy for
RIS, Biopython's Bio.Medline for MEDLINE, bibtexparser and cvbuild's own bib stage for
BibTeX — every product's authors, title, venue, year, DOI and PMID intact, accents and
non-Latin names included; hostile titles cannot end a record or add a tag."""

from __future__ import annotations

import io
import unicodedata

import bibtexparser
import pytest
import rispy
from Bio import Medline

from cvbuild.bib import load_text
from cvbuild.bib.ids import pmcid_key as normalize_pmcid
from cvbuild.bib.ids import pmid_key as normalize_pmid
from cvbuild.bib.model import Name, Publication
from cvbuild.document import Document, Header, Meta, PubGroup, PubItem, SectionBlock
from cvbuild.format.publication import format_publication
from cvbuild.render.bibtex import render_bibtex
from cvbuild.render.medline import WIDTH, render_medline, short_name
from cvbuild.render.products import Person, one_line, products
from cvbuild.render.ris import render_ris

BIB = r"""
@article{zhang2024,
  title   = {Quantum sensing of {Ünïcode} titles in the Große Wüste: a “study” of 量子 noise},
  author  = {张, 伟 and Иванов, Пётр Алексеевич and Nguyễn, Thị Hoa and Garc{\'\i}a M{\'a}rquez, Gabriel Jos{\'e} and van der Berg, Anna and {Mars Coral Restoration Team} and King, Jr, Martin Luther},
  journal = {Ecology Letters},
  volume  = {27},
  number  = {4},
  pages   = {210--224},
  year    = {2024},
  month   = apr,
  doi     = {10.1111/ele.14402},
  pmid    = {38012345},
  pmcid   = {PMC10012345},
}

@inproceedings{okonkwo2023,
  title     = {Learning Species Interactions from Sparse Camera-Trap Data},
  author    = {Okonkwo, Chinedu and Marchetti*, L{\'e}a and Ψηλορείτης, Ελένη},
  booktitle = {Advances in Neural Information Processing Systems},
  pages     = {11204--11217},
  year      = {2023},
  doi       = {10.5555/neurips.2023.42},
}

@article{preprint2025,
  title   = {Foundation models for biodiversity: 50\% promises \& {pitfalls}},
  author  = {Marchetti, Léa and Schmidt, Jonas and others},
  journal = {arXiv preprint arXiv:2503.01234},
  year    = {2025},
  arxiv   = {2503.01234},
  pmid    = {PMID: 39999999},
}
"""

# What each product must read back as: (authors as "Family, Given", title, venue, year,
# doi, pmid)
EXPECTED = {
    "zhang2024": (
        [
            "张, 伟",
            "Иванов, Пётр Алексеевич",
            "Nguyễn, Thị Hoa",
            "García Márquez, Gabriel José",
            "van der Berg, Anna",
            "Mars Coral Restoration Team",
            "King, Martin Luther, Jr",
        ],
        "Quantum sensing of Ünïcode titles in the Große Wüste: a “study” of 量子 noise",
        "Ecology Letters",
        "2024",
        "10.1111/ele.14402",
        "38012345",
    ),
    "okonkwo2023": (
        ["Okonkwo, Chinedu", "Marchetti, Léa", "Ψηλορείτης, Ελένη"],
        "Learning Species Interactions from Sparse Camera-Trap Data",
        "Advances in Neural Information Processing Systems",
        "2023",
        "10.5555/neurips.2023.42",
        "",
    ),
    "preprint2025": (
        ["Marchetti, Léa", "Schmidt, Jonas"],
        "Foundation models for biodiversity: 50% promises & pitfalls",
        "arXiv preprint arXiv:2503.01234",
        "2025",
        "",
        "39999999",
    ),
}


def _doc(items: list[PubItem]) -> Document:
    section = SectionBlock("Products", "publications", groups=(PubGroup("", tuple(items)),))
    return Document(Header("Léa Marchetti"), (section,), Meta("CV", "Léa Marchetti"))


@pytest.fixture(scope="module")
def sample() -> tuple[Document, list[Publication]]:
    pubs, problems = load_text(BIB, "products.bib")
    assert not [p for p in problems if not p.is_warning], problems
    items = [format_publication(p, None) for p in pubs]
    return _doc(items), pubs


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- RIS


def test_ris_reads_back_with_rispy(sample: tuple[Document, list[Publication]]) -> None:
    doc, pubs = sample
    text = render_ris(doc, pubs)
    assert text.endswith("ER  - \r\n\r\n") and "\r\n" in text
    records = rispy.loads(text)
    assert [r["id"] for r in records] == list(EXPECTED)
    for record in records:
        authors, title, venue, year, doi, pmid = EXPECTED[record["id"]]
        assert [_nfc(a) for a in record["authors"]] == authors
        assert record["title"] == title
        assert record["secondary_title"] == venue
        assert record["year"] == year
        assert record.get("doi", "") == doi
        assert record.get("accession_number", "") == pmid
    first = records[0]
    assert first["type_of_reference"] == "JOUR"
    assert (first["volume"], first["number"]) == ("27", "4")
    assert (first["start_page"], first["end_page"]) == ("210", "224")
    assert first["custom2"] == "PMC10012345"
    assert records[1]["type_of_reference"] == "CPAPER"
    assert records[2]["type_of_reference"] == "UNPB"


# ---------------------------------------------------------------- MEDLINE


def test_medline_reads_back_with_biopython(sample: tuple[Document, list[Publication]]) -> None:
    doc, pubs = sample
    text = render_medline(doc, pubs)
    records = list(Medline.parse(io.StringIO(text)))
    assert len(records) == 3
    by_title = {r["TI"]: r for r in records}
    for authors, title, venue, year, doi, pmid in EXPECTED.values():
        record = by_title[title]
        persons = [a for a in authors if a != "Mars Coral Restoration Team"]
        assert [_nfc(a) for a in record["FAU"]] == persons
        assert record.get("CN", []) == (
            ["Mars Coral Restoration Team"] if len(authors) != len(persons) else []
        )
        assert record["DP"].startswith(year)
        assert record.get("JT", record.get("BTI", [""])) in (venue, [venue])
        assert record.get("PMID", "") == pmid
        if doi:
            assert record["LID"] == f"{doi} [doi]"
            assert f"{doi} [doi]" in record["AID"]
    zhang = by_title[EXPECTED["zhang2024"][1]]
    assert zhang["AU"] == [
        "张 伟",
        "Иванов ПА",
        "Nguyễn TH",
        "García Márquez GJ",
        "van der Berg A",
        "King ML Jr",
    ]
    assert (zhang["DP"], zhang["VI"], zhang["IP"], zhang["PG"]) == (
        "2024 Apr",
        "27",
        "4",
        "210-224",
    )
    assert zhang["PMC"] == "PMC10012345"
    assert zhang["PT"] == ["Journal Article"]
    assert zhang["SO"] == "Ecology Letters. 2024 Apr;27(4):210-224. doi: 10.1111/ele.14402."
    assert by_title[EXPECTED["preprint2025"][1]]["PT"] == ["Preprint"]
    assert by_title[EXPECTED["okonkwo2023"][1]]["PT"] == ["Congress"]


def test_medline_tag_lines_have_the_format_layout(
    sample: tuple[Document, list[Publication]],
) -> None:
    text = render_medline(*sample)
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("      "):
            continue  # a continuation
        assert line[4:6] == "- ", line
        assert line[:4].rstrip().isalpha() and line[:4].rstrip().isupper(), line


def test_a_long_title_wraps_and_reads_back_whole() -> None:
    title = " ".join(f"word{i}" for i in range(60))
    pub = Publication("long", "article", {"title": title, "journal": "J"}, year=2020)
    text = render_medline(_doc([format_publication(pub, None)]), [pub])
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert sum(1 for line in text.splitlines() if line.startswith("      ")) >= 2
    (record,) = Medline.parse(io.StringIO(text))
    assert record["TI"] == title


def test_short_names() -> None:
    assert short_name(Person("Marchetti", "Léa")) == "Marchetti L"
    assert short_name(Person("Sartre", "Jean-Paul")) == "Sartre JP"
    assert short_name(Person("Zimmermann", "Niklaus E.")) == "Zimmermann NE"


def test_pubmed_ids_are_normalised() -> None:
    assert normalize_pmid("PMID: 31452104") == "31452104"
    assert normalize_pmid("31452104x") == ""
    assert normalize_pmcid("pmc6713012") == "PMC6713012"
    assert normalize_pmcid("PMCID: PMC6713012") == "PMC6713012"
    assert normalize_pmcid("6713012") == "PMC6713012"
    assert normalize_pmcid("PMC") == ""


# ---------------------------------------------------------------- hostile text

HOSTILE = [
    "Bad\nER  - \nTY  - JOUR\nTI  - injected",
    "Bad\r\nER  - \r\n\r\nPMID- 999\r\nTI  - injected",
    "Bad\u2028ER  - \u2029TY  - JOUR\x85AU  - Evil",
    "Bad\x0bER  - \x0cTY  - \x1cJOUR\x00",
    "Bad\u202eER  - \u200b\ufeffTY  - JOUR",
    "Bad\n\nPMID- 999",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_cannot_break_records(title: str) -> None:
    good = Publication("good", "article", {"title": "Good", "journal": "J"}, year=2020)
    bad = Publication(
        "bad",
        "article",
        {"title": title, "journal": "Nature\nER  - ", "pmid": "1\nER  - "},
        authors=[Name(given="Eve\nER  - ", family="Mallory\nAU  - Evil")],
        year=2021,
    )
    item = PubItem(key="bad", text=(), title=title, year=2021)
    doc = _doc([item, format_publication(good, None)])
    shown = one_line(title)
    assert "\n" not in shown and "\u2028" not in shown and "\u202e" not in shown

    ris = render_ris(doc, [bad, good])
    records = rispy.loads(ris)
    assert [r["id"] for r in records] == ["bad", "good"]
    assert records[0]["title"] == shown
    assert records[0]["authors"] == ["Mallory AU - Evil, Eve ER -"]
    assert records[1]["title"] == "Good"
    assert sum(1 for line in ris.split("\r\n") if line.startswith("ER  -")) == 2
    assert sum(1 for line in ris.split("\r\n") if line.startswith("TY  -")) == 2

    nbib = render_medline(doc, [bad, good])
    parsed = list(Medline.parse(io.StringIO(nbib)))
    assert [r["TI"] for r in parsed] == [shown, "Good"]
    assert "PMID" not in parsed[0] and "PMID" not in parsed[1]

    bib = render_bibtex(doc, [bad, good])
    back, problems = load_text(bib, "out.bib")
    assert not [p for p in problems if not p.is_warning]
    assert [p.key for p in back] == ["bad", "good"]
    assert back[0].title == shown


# ---------------------------------------------------------------- BibTeX


def test_bibtex_reads_back_through_cvbuild_and_bibtexparser(
    sample: tuple[Document, list[Publication]],
) -> None:
    doc, pubs = sample
    text = render_bibtex(doc, pubs)
    assert "bibtex_show" not in text
    back, problems = load_text(text, "out.bib")
    assert not [p for p in problems if not p.is_warning], problems
    assert [p.key for p in back] == list(EXPECTED)
    for pub in back:
        authors, title, venue, year, doi, pmid = EXPECTED[pub.key]
        names = []
        for name in pub.authors:
            if name.corporate:
                names.append(name.family)
                continue
            family = " ".join(p for p in (name.von, name.family) if p)
            names.append(", ".join(p for p in (family, name.given, name.jr) if p))
        assert names == authors
        assert pub.title == title
        assert (pub.get("journal") or pub.get("booktitle")) == venue
        assert str(pub.year) == year
        assert pub.get("doi") == doi
        assert pub.get("pmid") == pmid
    assert back[2].et_al
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == list(EXPECTED)
    assert library.entries[0]["pmcid"] == "PMC10012345"


def test_products_follow_the_document_order(
    sample: tuple[Document, list[Publication]],
) -> None:
    doc, pubs = sample
    reordered = _doc(list(reversed(doc.sections[0].groups[0].items)))
    assert [p.key for p in products(reordered, pubs)] == list(reversed(EXPECTED))
    assert render_ris(_doc([]), pubs) == render_medline(_doc([]), pubs) == ""
