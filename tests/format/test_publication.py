"""One publication → PubItem: the reference text, its links, its note."""

from __future__ import annotations

import pytest

from cvbuild.bib.ids import normalize_doi
from cvbuild.bib.model import CORRESPONDING, EQUAL, Publication
from cvbuild.bib.names import parse_names
from cvbuild.format.owner import OwnerMatcher
from cvbuild.format.publication import format_publication, used_marks
from cvbuild.richtext import Emph, Mark, Strong, Text, plain, walk


def pub(entry_type: str = "article", key: str = "k", **fields: str) -> Publication:
    fields = {k.lower(): v for k, v in fields.items()}
    authors, et_al = parse_names(fields.get("author", ""))
    editors, _ = parse_names(fields.get("editor", ""))
    year = fields.get("year", "")
    return Publication(
        key=key,
        entry_type=entry_type,
        fields=fields,
        authors=authors,
        editors=editors,
        et_al=et_al,
        year=int(year) if year.isdigit() else None,
        year_label=None if year.isdigit() or not year else year,
    )


# alfolio-papers.bib, PhysRev.47.777 (fields as the bib stage hands them on)
PHYSREV = dict(
    author="Einstein*†, A. and Podolsky*, B. and Rosen*, N.",
    title="Can Quantum-Mechanical Description of Physical Reality Be Considered Complete?",
    journal="Phys. Rev.",
    volume="47",
    issue="10",
    pages="777--780",
    year="1935",
    doi="10.1103/PhysRev.47.777",
    url="http://link.aps.org/doi/10.1103/PhysRev.47.777",
    html="https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777",
    pdf="example_pdf.pdf",
)


def emph_texts(rt) -> list[str]:
    return [plain(n.children) for n in walk(rt) if isinstance(n, Emph)]


def strong_texts(rt) -> list[str]:
    return [plain(n.children) for n in walk(rt) if isinstance(n, Strong)]


def test_journal_article_reads_as_a_clean_reference() -> None:
    item = format_publication(pub(**PHYSREV), OwnerMatcher("Albert Einstein"), number=3)
    assert plain(item.text) == (
        "A. Einstein*†, B. Podolsky*, and N. Rosen*. Can Quantum-Mechanical Description of "
        "Physical Reality Be Considered Complete? Phys. Rev., 47(10), 777–780, 1935."
    )
    assert emph_texts(item.text) == ["Phys. Rev."]
    assert strong_texts(item.text) == ["A. Einstein"]
    assert item.key == "k" and item.number == 3


def test_marks_are_nodes_never_literal_asterisks() -> None:
    item = format_publication(pub(**PHYSREV), None)
    marks = [n for n in walk(item.text) if isinstance(n, Mark)]
    assert marks == [
        Mark(EQUAL, "*"),
        Mark(CORRESPONDING, "†"),
        Mark(EQUAL, "*"),
        Mark(EQUAL, "*"),
    ]
    leaves = "".join(n.value for n in walk(item.text) if isinstance(n, Text))
    assert "*" not in leaves and "†" not in leaves
    assert used_marks(item.text) == [EQUAL, CORRESPONDING]


def test_used_marks_order_of_first_use() -> None:
    item = format_publication(pub(author="Doe\\dag, Jane and Roe*, Rick"), None)
    assert used_marks(item.text) == [CORRESPONDING, EQUAL]
    assert used_marks(format_publication(pub(author="Doe, Jane"), None).text) == []


def test_links_only_http_and_doi_normalised() -> None:
    item = format_publication(pub(**PHYSREV), None)
    assert item.links == (
        ("DOI", "https://doi.org/10.1103/PhysRev.47.777"),
        ("HTML", "https://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777"),
        ("URL", "http://link.aps.org/doi/10.1103/PhysRev.47.777"),
    )  # pdf={example_pdf.pdf} is a local file, not a link


@pytest.mark.parametrize(
    "raw",
    [
        "10.1093/mnras/stae1772",
        "https://doi.org/10.1093/mnras/stae1772",
        "http://dx.doi.org/10.1093/mnras/stae1772",
        "doi:10.1093/mnras/stae1772",
        "DOI: 10.1093/mnras/stae1772",
        "  doi.org/10.1093/mnras/stae1772 ",
    ],
)
def test_doi_spellings(raw: str) -> None:
    assert normalize_doi(raw) == "10.1093/mnras/stae1772"
    item = format_publication(pub(doi=raw), None)
    assert item.links == (("DOI", "https://doi.org/10.1093/mnras/stae1772"),)


def test_not_a_doi_gives_no_link() -> None:
    assert format_publication(pub(doi="javascript:alert(1)"), None).links == ()
    assert format_publication(pub(doi="see paper"), None).links == ()


def test_doi_with_unsafe_characters_is_encoded() -> None:
    ((label, url),) = format_publication(pub(doi='10.1000/a"b<c>#d'), None).links
    assert label == "DOI"
    assert url == "https://doi.org/10.1000/a%22b%3Cc%3E%23d"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://example.org/paper.pdf",
        "file:///etc/passwd",
        "//example.org/x",
        "http://",
        "java\tscript:alert(1)",
        "\u200bjavascript:alert(1)",
        " vbscript:msgbox(1)",
        "paper.pdf",
    ],
)
def test_unsafe_urls_are_dropped(url: str) -> None:
    item = format_publication(pub(pdf=url, code=url, url=url, html=url, website=url), None)
    assert item.links == ()


def test_odd_characters_in_a_web_url_are_left_for_the_backends_to_encode() -> None:
    item = format_publication(pub(pdf='https://example.org/"><script>'), None)
    assert item.links == (("PDF", 'https://example.org/"><script>'),)


def test_link_labels_and_order() -> None:
    item = format_publication(
        pub(
            eprint="2405.17000",
            archiveprefix="arXiv",
            pdf="https://arxiv.org/pdf/2407.10964",
            code="https://github.com/yukimasano/PASS",
            website="https://quva-lab.github.io/PIN/",
            video="https://www.youtube.com/watch?v=x",
        ),
        None,
    )
    assert item.links == (
        ("arXiv", "https://arxiv.org/abs/2405.17000"),
        ("PDF", "https://arxiv.org/pdf/2407.10964"),
        ("Code", "https://github.com/yukimasano/PASS"),
        ("Website", "https://quva-lab.github.io/PIN/"),
        ("Video", "https://www.youtube.com/watch?v=x"),
    )


def test_arxiv_field_and_foreign_eprints() -> None:
    assert format_publication(pub(arxiv="arXiv:2505.03071"), None).links == (
        ("arXiv", "https://arxiv.org/abs/2505.03071"),
    )
    assert format_publication(pub(eprint="hep-th/9901001"), None).links == (
        ("arXiv", "https://arxiv.org/abs/hep-th/9901001"),
    )
    assert format_publication(pub(eprint="12345", archiveprefix="PMID"), None).links == ()


def test_preprint_venue() -> None:
    # researcher-stretcu-ml.bib AgileBioacoustics: booktitle "ArXiv Preprint" + arxiv field
    item = format_publication(
        pub(
            "inproceedings",
            author="Dumoulin, Vincent and Stretcu, Otilia",
            title="The Search for Squawk: Agile Modeling in Bioacoustics",
            booktitle="ArXiv Preprint",
            arxiv="2505.03071",
            year="2025",
        ),
        OwnerMatcher("Otilia Stretcu"),
    )
    assert emph_texts(item.text) == ["arXiv preprint arXiv:2505.03071"]
    assert plain(item.text).endswith(
        "Agile Modeling in Bioacoustics. arXiv preprint arXiv:2505.03071, 2025."
    )


def test_proceedings_thesis_book_and_year_label() -> None:
    conf = format_publication(
        pub("inproceedings", author="Doe, Jane", title="T", booktitle="NeurIPS", year="2023"),
        None,
    )
    assert plain(conf.text) == "Jane Doe. T. In NeurIPS, 2023."
    assert emph_texts(conf.text) == ["NeurIPS"]
    thesis = format_publication(
        pub("phdthesis", author="{Oman}, Kyle A.", title="T", school="University of Victoria"),
        None,
    )
    assert plain(thesis.text) == "Kyle A. Oman. T. PhD thesis, University of Victoria."
    book = format_publication(pub("book", author="Einstein, Albert", publisher="Vision"), None)
    assert plain(book.text) == "Albert Einstein. Vision."
    label = format_publication(
        pub(author="Ding, Ning", title="T", booktitle="Preprint", year="Preprint"), None
    )
    assert plain(label.text) == "Ning Ding. T. Preprint."


def test_editors_when_there_are_no_authors() -> None:
    item = format_publication(pub("book", editor="Vladimir Ilyich Lenin", title="T"), None)
    assert plain(item.text) == "Vladimir Ilyich Lenin (ed.). T."


def test_legend_note_is_not_printed_other_notes_are() -> None:
    legend = pub(author="Doe*, Jane and Roe*, Rick", title="T", note="* equal contribution")
    legend.legend_note = True
    assert "equal contribution" not in plain(format_publication(legend, None).text)
    other = pub(author="Doe, Jane", title="T", note="Accessed 2025-02-14")
    assert plain(format_publication(other, None).text) == "Jane Doe. T. Accessed 2025-02-14."


def test_award_note() -> None:
    # alfolio-papers.bib einstein1905photoelectriceffect
    item = format_publication(
        pub(
            author="Albert Einstein",
            award="Albert Einstein receveid the **Nobel Prize in Physics** 1921",
            award_name="Nobel Prize",
        ),
        None,
    )
    assert item.note == (Text("Nobel Prize"),)
    md = format_publication(pub(award="The **Nobel Prize** in *Physics*"), None)
    assert plain(md.note) == "The Nobel Prize in Physics"
    html_award = format_publication(
        pub(award=' <br>   <font color="BB0A21">  Oral Presentation  </font>'), None
    )
    assert plain(html_award.note) == "Oral Presentation"
    assert format_publication(pub(author="Doe, Jane"), None).note == ()


def test_owner_truncation_passes_through() -> None:
    raw = " and ".join(f"Author{i}, A." for i in range(10)) + " and Bhatnagar, Sahir R"
    item = format_publication(
        pub(author=raw, title="T"), OwnerMatcher("Sahir Rai Bhatnagar"), author_limit=3
    )
    # the owner is last: nobody follows, so no "and N more authors"
    assert plain(item.text) == "A. Author0, A. Author1, A. Author2, …, and Sahir R Bhatnagar. T."
    assert strong_texts(item.text) == ["Sahir R Bhatnagar"]


def test_no_double_full_stop_after_et_al_or_question_mark() -> None:
    item = format_publication(pub(author="Doe, Jane and others", title="Why?", year="2020"), None)
    assert plain(item.text) == "Jane Doe et al. Why? 2020."


def test_html_in_fields_never_reaches_the_text() -> None:
    item = format_publication(
        pub(title="A <b>bold</b> claim", booktitle="ICLR, <br>  ICLR", year="2024"), None
    )
    assert "<" not in plain(item.text)
    assert plain(item.text) == "A bold claim. ICLR, ICLR, 2024."


def test_proceedings_volume_names_series_vol_and_pp() -> None:
    item = format_publication(
        pub(
            "inproceedings",
            title="T",
            booktitle="ICCVG",
            series="Lecture Notes in Computer Science",
            volume="9972",
            pages="439--450",
            year="2016",
        ),
        None,
    )
    assert plain(item.text) == (
        "T. In ICCVG, Lecture Notes in Computer Science, vol. 9972, pp. 439–450, 2016."
    )


def test_series_already_in_the_booktitle_is_not_repeated_and_one_page_is_p() -> None:
    item = format_publication(
        pub("incollection", title="T", booktitle="Lecture Notes in Computer Science: CVPR",
            series="Lecture Notes in Computer Science", pages="17", year="2020"),
        None,
    )  # fmt: skip
    assert plain(item.text) == "T. In Lecture Notes in Computer Science: CVPR, p. 17, 2020."


def test_book_in_a_series_with_volume_and_number() -> None:
    item = format_publication(
        pub("book", title="B", publisher="Springer", series="Graduate Texts", volume="3",
            number="2", year="1999"),
        None,
    )  # fmt: skip
    assert plain(item.text) == "B. Springer, Graduate Texts, vol. 3, no. 2, 1999."
