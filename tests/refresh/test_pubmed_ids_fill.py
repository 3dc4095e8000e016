"""PMIDs and PMCIDs that OpenAlex and PubMed send reach the curated entries they match (by
DOI), in memory only: the curated .bib is never written (recorded answers, loopback)."""

from __future__ import annotations

from cvbuild.bib import load_publications
from cvbuild.bib.dedupe import dedupe
from cvbuild.config.model import RefreshSource
from cvbuild.refresh.run import run_refresh
from tests.refresh.replay import OPENALEX_ORCID, PUBMED_ORCID, Replay

NOW = 1_780_000_000.0

# Two of the owner's papers, curated by hand without PubMed ids: one OpenAlex knows the PMID
# and PMCID of (its second page), one only PubMed does (and the ID converter its PMCID).
CURATED = """@article{scalfani2016jmol,
  author = {Vincent F. Scalfani and Antony J. Williams},
  title = {Programmatic Conversion of Crystal Structures into {3D} Printable Files Using {Jmol}},
  journal = {Journal of Cheminformatics},
  year = {2016},
  doi = {https://doi.org/10.1186/S13321-016-0181-Z},
}

@article{lung2018,
  author = {A. Person},
  title = {My own title for the imaging paper},
  journal = {Journal of Medical Imaging},
  year = {2018},
  doi = {10.1117/1.JMI.5.2.026002},
}
"""


def test_fetched_pubmed_ids_fill_curated_entries_never_the_curated_file(
    make_project, client, replay: Replay
) -> None:
    base = replay.base
    sources = (
        RefreshSource("openalex", OPENALEX_ORCID, (("base_url", f"{base}/openalex"),)),
        RefreshSource(
            "pubmed",
            PUBMED_ORCID,
            (
                ("base_url", f"{base}/pubmed"),
                ("idconv_base_url", f"{base}/pubmed/idconv"),
                ("pace", "0"),
            ),
        ),
    )
    project = make_project(sources=sources)
    project.curated.write_text(CURATED, encoding="utf-8")
    report = run_refresh(project.cv, client=client, now=NOW)
    assert not report.failed_sources, report.summary_lines()
    managed = project.managed.read_text(encoding="utf-8")
    assert "pmcid = {PMC5122160}" in managed and "pmid = {27933103}" in managed

    pubs, problems = load_publications([project.curated, project.managed])
    assert not [p for p in problems if not p.is_warning]
    merged, _ = dedupe(pubs)
    by_key = {p.key: p for p in merged}
    jmol, lung = by_key["scalfani2016jmol"], by_key["lung2018"]
    assert (jmol.get("pmid"), jmol.get("pmcid")) == ("27933103", "PMC5122160")
    assert (lung.get("pmid"), lung.get("pmcid")) == ("29963580", "PMC6022861")
    assert lung.get("title") == "My own title for the imaging paper"  # the curated text wins
    assert not any(
        p.get("pmid") in ("27933103", "29963580") for p in merged if p not in (jmol, lung)
    )
    assert project.curated.read_text(encoding="utf-8") == CURATED  # never written
