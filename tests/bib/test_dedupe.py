"""Merge-and-dedupe at load time: one entry per work, curated fields win."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.bib import load_publications
from cvbuild.bib.dedupe import dedupe, identities, normalise_title
from cvbuild.bib.ids import arxiv_key, doi_key


def load(tmp_path: Path, *texts: str):
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"file{i}.bib"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    pubs, problems = load_publications(paths)
    assert [p for p in problems if not p.is_warning] == []
    return pubs


PREPRINT = """@misc{arxiv-2101.00001,
  author = {Jane Roe and Di Xu},
  title = {Sparse Widgets for Everyone},
  howpublished = {arXiv preprint arXiv:2101.00001},
  year = {2021},
  eprint = {2101.00001v2}, archiveprefix = {arXiv},
  cvbuild_source = {arxiv},
}
"""
CONFERENCE = """@inproceedings{DBLP:conf/icml/RoeX21,
  author = {Jane Roe and Di Xu},
  title = {Sparse Widgets for Everyone},
  booktitle = {Proceedings of ICML 2021},
  pages = {1--10},
  year = {2021},
  doi = {10.5555/icml.2021.1},
  cvbuild_source = {dblp},
}
"""
JOURNAL = """@article{Roe_2023,
  author = {Roe, Jane and Xu, Di},
  title = {Sparse widgets for everyone},
  journal = {Journal of Widget Research},
  volume = {12}, pages = {100--140},
  year = {2023},
  doi = {10.1000/JWR.2023.7},
  cvbuild_source = {crossref},
}
"""


def test_preprint_conference_and_journal(tmp_path):
    pubs = load(tmp_path, PREPRINT + CONFERENCE + JOURNAL)
    merged, problems = dedupe(pubs)
    # the conference paper and its journal extension are two works (two DOIs);
    # the preprint joins one of them and is not listed on its own
    assert sorted(p.entry_type for p in merged) == ["article", "inproceedings"]
    dois = sorted(p.get("doi").lower() for p in merged)
    assert dois == ["10.1000/jwr.2023.7", "10.5555/icml.2021.1"]
    with_arxiv = [p for p in merged if p.get("eprint") == "2101.00001"]
    assert len(with_arxiv) == 1 and with_arxiv[0].entry_type != "misc"
    assert with_arxiv[0].get("archiveprefix") == "arXiv"
    # the published venue is kept, nothing of the preprint's venue leaks in
    assert all("arXiv preprint" not in p.get("howpublished") for p in merged)
    assert problems == []


def test_arxiv_doi_link_puts_the_preprint_on_the_journal_version(tmp_path):
    linked = PREPRINT.replace(
        "cvbuild_source", "doi = {https://doi.org/10.1000/jwr.2023.7},\n  cvbuild_source"
    )
    pubs = load(tmp_path, linked + CONFERENCE + JOURNAL)
    merged, _ = dedupe(pubs)
    journal = next(p for p in merged if p.entry_type == "article")
    assert journal.get("eprint") == "2101.00001"
    assert journal.get("journal") == "Journal of Widget Research"
    conference = next(p for p in merged if p.entry_type == "inproceedings")
    assert conference.get("eprint") == ""


def test_two_dois_stay_apart_even_with_the_same_title(tmp_path):
    a = CONFERENCE
    b = CONFERENCE.replace("DBLP:conf/icml/RoeX21", "other").replace("icml.2021.1", "icml.2021.99")
    merged, problems = dedupe(load(tmp_path, a + b))
    assert len(merged) == 2
    assert problems == []


def test_two_dois_sharing_an_arxiv_id_stay_apart_with_a_warning(tmp_path):
    a = CONFERENCE.replace("cvbuild_source", "eprint = {2101.00001},\n  cvbuild_source")
    b = JOURNAL.replace("cvbuild_source", "eprint = {arXiv:2101.00001},\n  cvbuild_source")
    merged, problems = dedupe(load(tmp_path, a + b))
    assert len(merged) == 2
    assert len(problems) == 1 and problems[0].is_warning
    assert "different DOIs" in problems[0].message and "2101.00001" in problems[0].message


CURATED = r"""@article{xu2021verification,
  author = {Di Xu* and Zhenkun Wen* and Jannick P. Rolland},
  title = {Verification of Cascade {OCT} for Freeform Optics},
  journal = {Optics Express},
  year = {2021},
  doi = {10.1364/OE.413844},
  note = {* = equal contribution},
  selected = {true},
  abbr = {OE},
}
"""
FETCHED = r"""@article{Xu_2021,
  author = {Di Xu and Zhenkun Wen and Andres Garcia Coleto and Jannick P. Rolland},
  title = {Verification of cascade optical coherence tomography for freeform optics form metrology},
  journal = {Opt. Express},
  volume = {29}, number = {6}, pages = {8542},
  year = {2021},
  doi = {10.1364/oe.413844},
  abstract = {We verify things.},
  note = {Open access},
  eprint = {2012.00002}, archiveprefix = {arXiv},
  cvbuild_source = {orcid},
}
"""


def test_curated_fields_marks_and_legend_survive(tmp_path):
    # the fetched file comes first on purpose: being curated beats file order
    pubs = load(tmp_path, FETCHED, CURATED)
    merged, problems = dedupe(pubs)
    assert len(merged) == 1 and problems == []
    pub = merged[0]
    assert pub.key == "xu2021verification"
    assert pub.title == "Verification of Cascade OCT for Freeform Optics"
    assert pub.get("journal") == "Optics Express"
    assert pub.get("note") == "* = equal contribution" and pub.legend_note
    assert pub.selected and pub.get("abbr") == "OE"
    assert [a.family for a in pub.authors] == ["Xu", "Wen", "Rolland"]
    assert pub.authors[0].marks == pubs[1].authors[0].marks and pub.authors[0].marks
    # remote data only fills what is missing: ids and same-kind details, never prose
    assert pub.get("eprint") == "2012.00002"
    assert pub.get("volume") == "29" and pub.get("pages") == "8542"
    assert pub.get("abstract") == ""
    assert "cvbuild_source" not in pub.fields


def test_two_hand_kept_files_first_one_wins(tmp_path):
    second = CURATED.replace("xu2021verification", "xu21").replace("{OCT}", "OCT (copy)")
    merged, _ = dedupe(load(tmp_path, CURATED, second))
    assert [p.key for p in merged] == ["xu2021verification"]
    assert "copy" not in merged[0].title


def test_dblp_conference_corr_and_arxiv_bibtex_are_one_work(sources_dir, tmp_path):
    dblp = sources_dir / "dblp"
    texts = [
        (dblp / "rec_conf_nips_VaswaniSPUJGKP17_standard.bib").read_text(),
        (dblp / "rec_journals_corr_VaswaniSPUJGKP17.bib").read_text(),
        (sources_dir / "arxiv" / "arxiv.org_bibtex_1706.03762.bib").read_text(),
    ]
    merged, _ = dedupe(load(tmp_path, *texts))
    assert len(merged) == 1
    pub = merged[0]
    assert pub.key == "DBLP:conf/nips/VaswaniSPUJGKP17"  # published beats preprint
    assert pub.get("eprint") == "1706.03762" and pub.year == 2017


def test_fuzzy_fallback_needs_close_years_and_same_first_author(tmp_path):
    base = "@misc{{{key}, author = {{{author}}}, title = {{{title}}}, year = {{{year}}}}}\n"
    text = (
        base.format(
            key="a", author="Oleg Basov", title="Operators&apos; Speech Analysis", year=2019
        )
        + base.format(key="b", author="O. O. Basov", title="Operators' speech analysis.", year=2020)
        + base.format(key="c", author="Oleg Basov", title="Operators' Speech Analysis", year=2014)
        + base.format(
            key="d", author="Nikolay Shilov", title="Operators' Speech Analysis", year=2019
        )
    )
    merged, _ = dedupe(load(tmp_path, text))
    assert sorted(p.key for p in merged) == ["a", "c", "d"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://doi.org/10.1364/OE.413844", "10.1364/oe.413844"),
        ("doi:10.1364/OE.413844.", "10.1364/oe.413844"),
        ("https://doi.org/10.1364%2Foe.413844", "10.1364/oe.413844"),
        ("not a doi", ""),
    ],
)
def test_doi_key(raw, expected):
    assert doi_key(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("arXiv:1706.03762v5", "1706.03762"),
        ("abs/1706.03762", "1706.03762"),
        ("10.48550/ARXIV.2405.13576", "2405.13576"),
        ("http://arxiv.org/abs/cond-mat/0603029v1", "cond-mat/0603029"),
        ("https://arxiv.org/pdf/2101.00001v2.pdf", "2101.00001"),
        ("10.1364/oe.413844", ""),
    ],
)
def test_arxiv_key(raw, expected):
    assert arxiv_key(raw) == expected


def test_normalise_title_folds_latex_entities_and_accents():
    assert normalise_title(r"{GaLore}: Caf\'e &amp; Na\"ive $+$ Ops.") == normalise_title(
        "Galore: Cafe & Naive Ops"
    )


# One paper as four sources send it: OpenAlex knows its PMID (no DOI, its own title),
# PubMed its PMID and DOI, Semantic Scholar and Crossref only the DOI.
FOUR_SOURCES = """@article{scalfani2016worded,
  author = {Vincent F. Scalfani}, year = {2016},
  title = {Worded by OpenAlex: programmatic conversion of structures, a long subtitle},
  journal = {Journal of Cheminformatics}, url = {https://pubmed.ncbi.nlm.nih.gov/27933103},
  cvbuild_source = {openalex},
}
@article{scalfani2016programmatic,
  author = {Scalfani, Vincent F}, year = {2016},
  title = {Programmatic conversion of crystal structures into 3D printable files using Jmol},
  journal = {J Cheminform}, doi = {10.1186/s13321-016-0181-z}, pmid = {27933103},
  pmcid = {PMC5122160}, cvbuild_source = {pubmed},
}
@article{s2paper,
  author = {V. Scalfani}, year = {2016}, title = {Jmol to 3D printing},
  doi = {10.1186/S13321-016-0181-Z}, cvbuild_source = {semanticscholar},
}
@article{Scalfani_2016,
  author = {Scalfani, Vincent F. and Williams, Antony J.}, year = {2016},
  title = {Programmatic conversion of crystal structures into 3D printable files using Jmol},
  journal = {Journal of Cheminformatics}, volume = {8}, number = {1},
  doi = {10.1186/s13321-016-0181-z}, cvbuild_source = {crossref},
}
"""


def test_a_paper_seen_by_four_sources_links_through_its_pmid(tmp_path):
    merged, problems = dedupe(load(tmp_path, FOUR_SOURCES))
    assert len(merged) == 1 and problems == []
    work = merged[0]
    assert work.get("pmid") == "27933103" and work.get("pmcid") == "PMC5122160"
    assert work.get("cvbuild_source") == "crossref+openalex+pubmed+semanticscholar"
    ids = list(identities(work))
    assert "pmid:27933103" in ids and "pmcid:PMC5122160" in ids


def test_pmid_and_pmcid_alone_link_two_records(tmp_path):
    a = """@article{a, author = {Ann Lee}, title = {One thing}, year = {2020},
  eprinttype = {pubmed}, eprint = {PMID: 123456}, cvbuild_source = {openalex}}
@article{b, author = {Bo Lin}, title = {Something else}, year = {2021},
  pmid = {123456}, cvbuild_source = {pubmed}}
@article{c, author = {Cy Ma}, title = {Third}, year = {2019},
  url = {https://pmc.ncbi.nlm.nih.gov/articles/PMC777/}, cvbuild_source = {orcid}}
@article{d, author = {Di Xu}, title = {Fourth}, year = {2018}, pmcid = {pmc777},
  cvbuild_source = {pubmed}}
"""
    merged, _ = dedupe(load(tmp_path, a))
    assert len(merged) == 2
    assert sorted(p.get("pmid") or p.get("pmcid") for p in merged) == ["123456", "PMC777"]


def test_a_curated_entry_gets_the_pubmed_ids_and_its_file_is_untouched(tmp_path):
    curated = """@article{mine,
  author = {Vincent F. Scalfani and Antony J. Williams},
  title = {Programmatic Conversion of Crystal Structures into {3D} Printable Files},
  journal = {Journal of Cheminformatics}, year = {2016},
  doi = {https://doi.org/10.1186/s13321-016-0181-z},
}
"""
    path = tmp_path / "file0.bib"
    merged, _ = dedupe(load(tmp_path, curated, FOUR_SOURCES))
    assert path.read_text(encoding="utf-8") == curated
    assert [p.key for p in merged] == ["mine"]
    mine = merged[0]
    assert mine.get("pmid") == "27933103" and mine.get("pmcid") == "PMC5122160"
    assert mine.get("journal") == "Journal of Cheminformatics"  # prose stays curated


def test_a_curated_pmid_is_kept_as_written(tmp_path):
    curated = """@article{mine, author = {Vincent F. Scalfani}, title = {Jmol},
  journal = {J}, year = {2016}, doi = {10.1186/s13321-016-0181-z}, pmid = {PMID: 27933103}}
"""
    merged, _ = dedupe(load(tmp_path, curated, FOUR_SOURCES))
    assert merged[0].get("pmid") == "PMID: 27933103" and merged[0].get("pmcid") == "PMC5122160"


def test_two_pubmed_records_never_join_by_title(tmp_path):
    text = """@article{p1, author = {Ann Lee}, title = {Sparse widgets, part 1}, year = {2020},
  pmid = {111}, cvbuild_source = {pubmed}}
@article{p2, author = {Ann Lee}, title = {Sparse widgets, part 2}, year = {2020},
  pmid = {222}, cvbuild_source = {pubmed}}
@article{p3, author = {Ann Lee}, title = {Sparse widgets, part 2}, year = {2020},
  cvbuild_source = {orcid}}
"""
    merged, _ = dedupe(load(tmp_path, text))
    assert sorted(p.key for p in merged) == ["p1", "p2"]  # p3 (no PMID) joins one of them


def test_a_pmid_shared_by_two_dois_is_a_located_warning(tmp_path):
    text = """@article{x1, author = {Ann Lee}, title = {A}, year = {2020}, doi = {10.1000/a},
  pmid = {999}, cvbuild_source = {pubmed}}
@article{x2, author = {Bo Lin}, title = {B}, year = {2020}, doi = {10.1000/b},
  pmid = {999}, cvbuild_source = {openalex}}
"""
    merged, problems = dedupe(load(tmp_path, text))
    assert len(merged) == 2
    [problem] = problems
    assert "share PubMed id 999 but carry different DOIs" in str(problem)
    assert "file0.bib:3" in str(problem)
