"""DOIs and arXiv ids: one rule (bib.ids) for every spelling, used by format, dedupe and refresh."""

from __future__ import annotations

import pytest

from cvbuild.bib.ids import (
    arxiv_key,
    arxiv_url,
    doi_from_url,
    doi_key,
    doi_url,
    is_arxiv_doi,
    normalize_arxiv,
    normalize_doi,
    pmcid_from_url,
    pmcid_key,
    pmid_from_url,
    pmid_key,
    publication_arxiv,
)
from cvbuild.bib.model import Publication

DOI = "10.1364/OE.413844"


@pytest.mark.parametrize(
    "raw",
    [
        DOI,
        f"doi:{DOI}",
        f"DOI: {DOI}",
        f"doi:  {DOI}",
        f"https://doi.org/{DOI}",
        f"http://doi.org/{DOI}",
        f"https://dx.doi.org/{DOI}",
        f"HTTPS://DX.DOI.ORG/{DOI}",
        f"https://www.doi.org/{DOI}",
        f"doi.org/{DOI}",
        f"dx.doi.org/{DOI}",
        f"\\url{{https://doi.org/{DOI}}}",
        f"doi:https://doi.org/{DOI}",
        f"  {DOI}  ",
        f"{DOI}.",
        f"{DOI},",
        f"{DOI};",
        "https://doi.org/10.1364%2FOE.413844",
    ],
)
def test_doi_spellings(raw: str) -> None:
    assert normalize_doi(raw) == DOI  # case kept for showing
    assert doi_key(raw) == "10.1364/oe.413844"  # lower case for comparing
    assert doi_url(raw) == f"https://doi.org/{DOI}"


@pytest.mark.parametrize(
    "raw", ["", "not a doi", "10.12/x", "11.1364/x", "https://example.org/10.1364/x", "doi:"]
)
def test_not_a_doi(raw: str) -> None:
    assert normalize_doi(raw) == doi_key(raw) == doi_url(raw) == ""


def test_doi_details() -> None:
    assert normalize_doi("10.1000/a\\_b") == "10.1000/a_b"
    assert normalize_doi("10.1002/(SICI)1097-4636") == "10.1002/(SICI)1097-4636"
    assert doi_url('10.1000/a"b<c>#d') == "https://doi.org/10.1000/a%22b%3Cc%3E%23d"
    assert doi_from_url(f"https://doi.org/{DOI}") == DOI
    assert doi_from_url(DOI) == ""  # a bare DOI is not a link
    assert is_arxiv_doi("https://doi.org/10.48550/arXiv.2405.13576")
    assert not is_arxiv_doi(DOI)


@pytest.mark.parametrize(
    ("raw", "shown", "key"),
    [
        ("1706.03762", "1706.03762", "1706.03762"),
        ("1706.03762v5", "1706.03762v5", "1706.03762"),
        ("2101.00001", "2101.00001", "2101.00001"),
        ("arXiv:1706.03762v5", "1706.03762v5", "1706.03762"),
        ("ARXIV: 1706.03762", "1706.03762", "1706.03762"),
        ("abs/1706.03762", "1706.03762", "1706.03762"),
        ("1706.03762.", "1706.03762", "1706.03762"),
        ("https://arxiv.org/abs/1706.03762v2", "1706.03762v2", "1706.03762"),
        ("http://www.arxiv.org/abs/1706.03762", "1706.03762", "1706.03762"),
        ("https://arxiv.org/pdf/2101.00001v2.pdf", "2101.00001v2", "2101.00001"),
        ("https://arxiv.org/pdf/2101.00001?context=cs", "2101.00001", "2101.00001"),
        ("https://arxiv.org/abs/2101.00001/", "2101.00001", "2101.00001"),
        ("10.48550/ARXIV.2405.13576", "2405.13576", "2405.13576"),
        ("https://doi.org/10.48550/arXiv.2405.13576", "2405.13576", "2405.13576"),
        ("hep-th/9901001", "hep-th/9901001", "hep-th/9901001"),
        ("arXiv:hep-th/9901001v3", "hep-th/9901001v3", "hep-th/9901001"),
        ("math.GT/0309136", "math.GT/0309136", "math.gt/0309136"),
        ("http://arxiv.org/abs/cond-mat/0603029v1", "cond-mat/0603029v1", "cond-mat/0603029"),
    ],
)
def test_arxiv_spellings(raw: str, shown: str, key: str) -> None:
    assert normalize_arxiv(raw) == shown
    assert arxiv_key(raw) == key
    assert arxiv_url(raw) == f"https://arxiv.org/abs/{shown}"


@pytest.mark.parametrize(
    "raw", ["", "arXiv", "1706.037", "17060.3762", "10.1364/oe.413844", "cs/123", "arXiv preprint"]
)
def test_not_an_arxiv_id(raw: str) -> None:
    assert normalize_arxiv(raw) == arxiv_key(raw) == arxiv_url(raw) == ""


def test_publication_arxiv_reads_eprint_only_when_it_is_arxiv() -> None:
    def pub(**fields: str) -> Publication:
        return Publication("k", "misc", dict(fields))

    assert publication_arxiv(pub(eprint="arXiv:2101.00001v2")) == "2101.00001v2"
    assert publication_arxiv(pub(eprint="2101.00001", archiveprefix="arXiv")) == "2101.00001"
    assert publication_arxiv(pub(eprint="2101.00001", eprinttype="arxiv")) == "2101.00001"
    assert publication_arxiv(pub(eprint="2101.00001", archiveprefix="PubMed")) == ""
    assert publication_arxiv(pub(arxiv="https://arxiv.org/abs/2101.00001")) == "2101.00001"
    assert publication_arxiv(pub(title="x")) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "29456894",
        " 29456894 ",
        "PMID: 29456894",
        "pmid:29456894",
        "PMID 29456894.",
        "pubmed:29456894",
        "https://pubmed.ncbi.nlm.nih.gov/29456894/",
        "https://www.ncbi.nlm.nih.gov/pubmed/29456894",
        "029456894",
    ],
)
def test_pmid_spellings(raw: str) -> None:
    assert pmid_key(raw) == "29456894"


@pytest.mark.parametrize("raw", ["", "0", "PMC5122160", "12345678901", "pmid:", "29456894x"])
def test_not_a_pmid(raw: str) -> None:
    assert pmid_key(raw) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "PMC5122160",
        "pmc5122160",
        "PMCID: PMC5122160",
        "pmcid:PMC5122160",
        "5122160",  # a pmcid field with the bare digits (OpenAlex writes them so)
        "PMC 5122160",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC5122160/",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/5122160",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC5122160/",
    ],
)
def test_pmcid_spellings(raw: str) -> None:
    assert pmcid_key(raw) == "PMC5122160"


@pytest.mark.parametrize("raw", ["", "PMC", "PMCx1", "PMID: 123", "https://example.org/PMC1"])
def test_not_a_pmcid(raw: str) -> None:
    assert pmcid_key(raw) == ""


def test_pubmed_ids_from_links_only() -> None:
    assert pmid_from_url("https://pubmed.ncbi.nlm.nih.gov/27933103/") == "27933103"
    assert pmid_from_url("27933103") == ""  # a bare number in a url field is no PMID
    assert pmcid_from_url("https://pmc.ncbi.nlm.nih.gov/articles/PMC5122160") == "PMC5122160"
    assert pmcid_from_url("PMC5122160") == ""
