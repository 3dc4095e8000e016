"""One entry per work: merge the publications of several BibTeX files (curated and fetched).

Works are linked (union-find) by, strongest first:

1. a shared normalised non-arXiv DOI;
2. a shared arXiv id (``eprint``, ``arxiv``, DBLP CoRR ``volume = {abs/…}``, a
   ``10.48550/arXiv.…`` DOI, an ``arxiv.org/abs/…`` URL);
3. a shared PubMed id (``pmid``, or ``eprint`` with ``eprinttype = {pubmed}``, a PubMed link)
   or PubMed Central id (``pmcid``, a PMC article link);
4. explicit cross-links: the same cite key, or a key listed in biblatex ``ids`` /
   our ``cvbuild_ids`` field; a record carrying both a DOI and an arXiv id (arXiv's
   ``arxiv:doi``) links the two by rule 1 and 2;
5. a fallback: normalised title (ratio >= 0.93) + first-author family name + years within 2.

Two clusters holding different non-arXiv DOIs are never merged (a conference paper and its
journal extension are two works), and the title fallback never joins two clusters that name
different PMIDs. In a cluster the most authoritative record wins field by
field: a curated record (one without ``cvbuild_source``) before a fetched one, then a published
version before a preprint, then the earlier file/order. The winner keeps its author list,
marks and legend; missing fields are filled from the others, and a preprint's arXiv id is
carried onto the published version (``eprint``, ``archiveprefix``).

Pure: no I/O, the input is not mutated.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable, Iterable
from difflib import SequenceMatcher

from cvbuild.bib.decode import unescape_html
from cvbuild.bib.ids import (
    arxiv_key,
    doi_from_url,
    doi_key,
    is_arxiv_doi,
    pmcid_from_url,
    pmcid_key,
    pmid_from_url,
    pmid_key,
)
from cvbuild.bib.model import Publication
from cvbuild.errors import Problem, warning

# The field a refresh writes on every fetched entry ("dblp", "orcid+crossref", ...).
SOURCE_FIELD = "cvbuild_source"
# Extra cite keys that denote the same work (biblatex ``ids`` is the standard spelling).
ALIAS_FIELDS = ("ids", "cvbuild_ids")

# What fetched records may add to a curated entry: identifiers and links, never prose or venues.
CURATED_FILL = (
    "doi",
    "eprint",
    "archiveprefix",
    "primaryclass",
    "url",
    "year",
    "month",
    "pmid",
    "pmcid",
)
# ...and, from a record of the same kind (both preprints or both published), the details.
DETAIL_FILL = ("volume", "number", "pages", "publisher", "issn", "isbn", "address")
# A published record's DOI is never replaced by a preprint's (10.48550/arXiv.… ) one.

TITLE_RATIO = 0.93
YEAR_WINDOW = 2

_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\*?|\\.")
_MATH = re.compile(r"\$[^$]*\$")


def work_dois(pub: Publication) -> set[str]:
    """Normalised non-arXiv DOIs of a record (``doi`` field, doi.org links)."""
    found: set[str] = set()
    candidates = [pub.get("doi")]
    candidates += [pub.get(name) for name in ("url", "ee", "link")]
    for raw in candidates:
        if not raw:
            continue
        for part in re.split(r"[\s,]+", raw):
            if not part:
                continue
            from_url = doi_from_url(part)
            if raw is not candidates[0] and not from_url:
                continue
            doi = doi_key(part)
            if doi and not is_arxiv_doi(doi):
                found.add(doi)
    return found


def work_arxiv_ids(pub: Publication) -> set[str]:
    """Versionless arXiv ids a record names (eprint, arxiv, CoRR volume, arXiv DOI, URLs)."""
    found: set[str] = set()
    prefix = pub.get("archiveprefix") or pub.get("eprinttype")
    eprint = pub.get("eprint")
    if eprint and (not prefix or prefix.strip().lower() == "arxiv"):
        found.add(arxiv_key(eprint))
    for name in ("arxiv", "arxivid"):
        if pub.get(name):
            found.add(arxiv_key(pub.get(name)))
    volume = pub.get("volume")
    if volume.lower().startswith("abs/"):
        found.add(arxiv_key(volume))
    if is_arxiv_doi(pub.get("doi")):
        found.add(arxiv_key(pub.get("doi")))
    for name in ("url", "ee", "link", "pdf"):
        for part in re.split(r"[\s,]+", pub.get(name)):
            if "arxiv.org/" in part.lower():
                found.add(arxiv_key(part))
    found.discard("")
    return found


_LINK_FIELDS = ("url", "ee", "link")
_PUBMED_TYPES = ("pubmed", "pmid")
_PMC_TYPES = ("pmc", "pmcid", "pubmedcentral")


def _ncbi_ids(
    pub: Publication,
    field: str,
    eprint_types: tuple[str, ...],
    key: Callable[[str], str],
    from_url: Callable[[str], str],
) -> set[str]:
    """The ids of one NCBI kind a record names: its own field, an ``eprint`` of that kind,
    NCBI links in its link fields."""
    found = {key(pub.get(field))}
    if pub.get("eprinttype").strip().lower() in eprint_types:
        found.add(key(pub.get("eprint")))
    for name in _LINK_FIELDS:
        value = pub.get(name)
        if "nih.gov" in value.lower():  # only NCBI links name one
            found.update(from_url(part) for part in re.split(r"[\s,]+", value))
    found.discard("")
    return found


def work_pmids(pub: Publication) -> set[str]:
    """PubMed ids (digits) a record names: ``pmid``, a PubMed ``eprint``, PubMed links."""
    return _ncbi_ids(pub, "pmid", _PUBMED_TYPES, pmid_key, pmid_from_url)


def work_pmcids(pub: Publication) -> set[str]:
    """PubMed Central ids (``PMC`` + digits) a record names: ``pmcid``, a PMC ``eprint``, links."""
    return _ncbi_ids(pub, "pmcid", _PMC_TYPES, pmcid_key, pmcid_from_url)


def normalise_title(title: str) -> str:
    """Fold a title for comparison: entities, accents, LaTeX and punctuation removed."""
    text = unescape_html(title)
    text = _MATH.sub(" ", text)
    text = _LATEX_CMD.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def _first_family(pub: Publication) -> str:
    if pub.authors:
        name = pub.authors[0]
        family = name.family
    else:
        raw = pub.get("author").split(" and ")[0].strip()
        family = raw.split(",")[0] if "," in raw else (raw.split() or [""])[-1]
    family = re.sub(r"\s\d{4}$", "", family)  # DBLP homonym suffix "Di Xu 0001"
    return normalise_title(family)


def is_fetched(pub: Publication) -> bool:
    return bool(pub.get(SOURCE_FIELD))


def is_preprint(pub: Publication) -> bool:
    venue = (pub.get("journal") or pub.get("booktitle") or pub.get("howpublished")).lower()
    if pub.category == "preprint" or venue.startswith("corr") or "arxiv" in venue:
        return True
    if pub.entry_type in ("misc", "unpublished", "online") and work_arxiv_ids(pub):
        return True
    return not venue and bool(work_arxiv_ids(pub)) and not work_dois(pub)


def _rank(pub: Publication) -> tuple[int, int, int]:
    """Smaller wins: curated before fetched, published before preprint, then file order."""
    return (1 if is_fetched(pub) else 0, 1 if is_preprint(pub) else 0, pub.order)


class _Clusters:
    def __init__(self, pubs: list[Publication]) -> None:
        self.parent = list(range(len(pubs)))
        self.dois = [work_dois(p) for p in pubs]
        self.pmids = [work_pmids(p) for p in pubs]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflict(self, i: int, j: int) -> bool:
        a, b = self.dois[self.find(i)], self.dois[self.find(j)]
        return bool(a and b and not (a & b))

    def pmid_conflict(self, i: int, j: int) -> bool:
        """Two clusters naming different PMIDs (and none in common) are two PubMed records."""
        a, b = self.pmids[self.find(i)], self.pmids[self.find(j)]
        return bool(a and b and not (a & b))

    def union(self, i: int, j: int) -> bool:
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return True
        if self.conflict(ri, rj):
            return False
        keep, drop = min(ri, rj), max(ri, rj)
        self.parent[drop] = keep
        self.dois[keep] = self.dois[keep] | self.dois[drop]
        self.pmids[keep] = self.pmids[keep] | self.pmids[drop]
        return True


def _link_by(
    index: dict[str, list[int]],
    clusters: _Clusters,
    pubs: list[Publication],
    what: str,
    problems: list[Problem],
) -> None:
    for ident, members in index.items():
        first = members[0]
        for other in members[1:]:
            if not clusters.union(first, other):
                problems.append(
                    warning(
                        pubs[other].location,
                        f"'{pubs[other].key}' and '{pubs[first].key}' share {what} {ident} "
                        "but carry different DOIs; they are kept as two works",
                        "if they are the same work, remove the wrong DOI",
                    )
                )


def _fuzzy_links(pubs: list[Publication], clusters: _Clusters) -> None:
    blocks: dict[str, list[int]] = {}
    titles = [normalise_title(p.title) for p in pubs]
    for i, pub in enumerate(pubs):
        family = _first_family(pub)
        if family and titles[i]:
            blocks.setdefault(family, []).append(i)
    # Two clusters that both hold DOIs at this point never merge (they share none, or the DOI
    # pass had joined them, and DOI sets only grow): only pairs with a DOI-less side are tried.
    # So each pair with an open side is tried once (its open side first), and a block whose
    # records all hold DOIs (2,000 records of one author from four sources) costs nothing.
    open_ = [not clusters.dois[clusters.find(i)] for i in range(len(pubs))]
    for members in blocks.values():
        for i in (m for m in members if open_[m]):
            for j in members:
                if j == i or (open_[j] and j < i):
                    continue  # itself, or an open pair already tried from j
                if clusters.find(i) == clusters.find(j) or clusters.conflict(i, j):
                    continue
                if clusters.pmid_conflict(i, j):  # like titles, two PubMed records: two works
                    continue
                yi, yj = pubs[i].year, pubs[j].year
                if yi is not None and yj is not None and abs(yi - yj) > YEAR_WINDOW:
                    continue
                matcher = SequenceMatcher(None, titles[i], titles[j], autojunk=False)
                if (
                    matcher.real_quick_ratio() >= TITLE_RATIO
                    and matcher.quick_ratio() >= TITLE_RATIO
                    and matcher.ratio() >= TITLE_RATIO
                ):
                    clusters.union(i, j)


def _merge(members: list[Publication]) -> Publication:
    ordered = sorted(members, key=_rank)
    winner = ordered[0]
    fields = dict(winner.fields)
    curated = not is_fetched(winner)
    published = not is_preprint(winner)
    for other in ordered[1:]:
        # A curated entry takes ids and links (and details from the same kind of record);
        # a published version takes no venue details (journal = {CoRR}) from its preprint.
        same_kind = is_preprint(other) != published
        allowed = CURATED_FILL + DETAIL_FILL if same_kind else CURATED_FILL
        limited = curated or not same_kind
        for name, value in other.fields.items():
            if name in (SOURCE_FIELD, "ids", "cvbuild_ids", "eprint", "arxiv") or not value:
                continue  # the arXiv id is carried below, normalised
            if limited and name not in allowed:
                continue
            if name == "doi" and arxiv_key(value) and work_dois(winner):
                continue  # never replace a published DOI by the preprint's
            if name in ("pmid", "pmcid"):  # filled normalised (digits, PMC + digits)
                value = pmid_key(value) if name == "pmid" else pmcid_key(value)
                if not value:
                    continue
            if name in ("author", "editor") and fields.get(name):
                continue
            fields.setdefault(name, value)
    arxiv = sorted(set().union(*(work_arxiv_ids(p) for p in ordered)))
    if arxiv and not any(fields.get(n) for n in ("eprint", "arxiv")):
        fields["eprint"] = arxiv[0]
        fields.setdefault("archiveprefix", "arXiv")
    sources = sorted({s for p in ordered for s in p.get(SOURCE_FIELD).split("+") if s})
    if sources and is_fetched(winner):
        fields[SOURCE_FIELD] = "+".join(sources)
    aliases = sorted({p.key for p in ordered[1:] if p.key != winner.key})
    merged = dataclasses.replace(winner, fields=fields)
    if not winner.authors:
        donor = next((p for p in ordered if p.authors), None)
        if donor is not None:
            merged = dataclasses.replace(merged, authors=list(donor.authors), et_al=donor.et_al)
    if merged.year is None:
        donor = next((p for p in ordered if p.year is not None), None)
        if donor is not None:
            merged = dataclasses.replace(merged, year=donor.year, month=merged.month or donor.month)
    if aliases and is_fetched(winner):
        merged.fields["cvbuild_ids"] = ", ".join(aliases)
    return merged


def dedupe(pubs: list[Publication]) -> tuple[list[Publication], list[Problem]]:
    """Collapse records of one work into one publication, keeping the input order of winners."""
    problems: list[Problem] = []
    clusters = _Clusters(pubs)
    by_doi: dict[str, list[int]] = {}
    by_arxiv: dict[str, list[int]] = {}
    by_pubmed: dict[str, list[int]] = {}
    by_key: dict[str, list[int]] = {}
    for i, pub in enumerate(pubs):
        for doi in sorted(clusters.dois[i]):
            by_doi.setdefault(doi, []).append(i)
        for arxiv in sorted(work_arxiv_ids(pub)):
            by_arxiv.setdefault(arxiv, []).append(i)
        for pmid in sorted(work_pmids(pub)):
            by_pubmed.setdefault(pmid, []).append(i)
        for pmcid in sorted(work_pmcids(pub)):
            by_pubmed.setdefault(pmcid, []).append(i)
        by_key.setdefault(pub.key, []).append(i)
        for name in ALIAS_FIELDS:
            for alias in re.split(r"[\s,]+", pub.get(name)):
                if alias and alias != pub.key:
                    by_key.setdefault(alias, []).append(i)
    _link_by(by_doi, clusters, pubs, "DOI", problems)
    _link_by(by_arxiv, clusters, pubs, "arXiv id", problems)
    _link_by(by_pubmed, clusters, pubs, "PubMed id", problems)
    _link_by({k: v for k, v in by_key.items() if len(v) > 1}, clusters, pubs, "cite key", problems)
    _fuzzy_links(pubs, clusters)

    groups: dict[int, list[Publication]] = {}
    for i, pub in enumerate(pubs):
        groups.setdefault(clusters.find(i), []).append(pub)
    merged = [_merge(members) for members in groups.values()]
    merged.sort(key=lambda p: p.order)
    return merged, problems


def identities(pub: Publication) -> Iterable[str]:
    """Stable identifiers of a work, strongest first (used to match snapshots)."""
    for doi in sorted(work_dois(pub)):
        yield f"doi:{doi}"
    for arxiv in sorted(work_arxiv_ids(pub)):
        yield f"arxiv:{arxiv}"
    for pmid in sorted(work_pmids(pub)):
        yield f"pmid:{pmid}"
    for pmcid in sorted(work_pmcids(pub)):
        yield f"pmcid:{pmcid}"
    yield f"key:{pub.key}"
