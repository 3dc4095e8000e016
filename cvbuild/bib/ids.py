"""DOIs, arXiv ids, PMIDs and PMCIDs: the one rule for reading them however they were written.

Two forms of each:

- the **shown** form (:func:`normalize_doi`, :func:`normalize_arxiv`): the bare id as its
  owner wrote it, case kept (``10.1364/OE.413844``, ``1706.03762v5``, ``math.GT/0309136``),
  for links and identifiers in the outputs;
- the **key** (:func:`doi_key`, :func:`arxiv_key`): lower case, and for arXiv without the
  version, so two records of one work compare equal (deduplication, refresh).

Accepted spellings: ``doi:``/``DOI:`` prefixes, ``https://doi.org/``, ``dx.doi.org``,
``doi.org/`` without a scheme, ``\\url{…}``, percent-encoding, ``\\_``, trailing ``.``/``,``/``;``
(a sentence's punctuation, never part of a DOI), and arXiv's ``arXiv:`` and ``abs/``
prefixes, ``arxiv.org/abs|pdf`` URLs (with ``.pdf``, a query or a fragment), old-style
(``hep-th/9901001``) and new-style (``2101.00001``) ids, versions, and the arXiv DOI
``10.48550/arXiv.<id>``. Anything else gives "".

PubMed ids have one form, which is both shown and compared (:func:`pmid_key`,
:func:`pmcid_key`): a PMID is its digits (``PMID: 29456894``, ``pubmed.ncbi.nlm.nih.gov/29456894``
→ ``29456894``), a PMCID is ``PMC`` and its digits (``pmc5122160``, ``PMCID: PMC5122160``, a
``…/pmc/articles/PMC5122160/`` link, and in a ``pmcid`` field the bare digits → ``PMC5122160``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote

from cvbuild.bib.model import Publication

__all__ = [
    "normalize_doi",
    "doi_key",
    "doi_url",
    "doi_from_url",
    "is_arxiv_doi",
    "normalize_arxiv",
    "arxiv_key",
    "arxiv_url",
    "publication_arxiv",
    "pmid_key",
    "pmcid_key",
    "pmid_from_url",
    "pmcid_from_url",
]

_DOI_PREFIX = re.compile(
    r"^(?:https?://(?:www\.|dx\.)?doi\.org/|(?:dx\.)?doi\.org/|doi:\s*|\\url\{)", re.IGNORECASE
)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_URL = re.compile(r"^https?://(?:www\.|dx\.)?doi\.org/\S+$", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_ARXIV_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf)/([^\s?#]+?)(?:\.pdf)?/?(?:[?#].*)?$", re.IGNORECASE
)
_ARXIV_PREFIX = re.compile(r"^(?:arxiv:\s*|abs/)", re.IGNORECASE)
_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$", re.IGNORECASE)
_ARXIV_OLD = re.compile(r"^([a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7})(v\d+)?$", re.IGNORECASE)
_TRAILING = ".,;"
_PMID = re.compile(r"^(?:pmid\s*:?\s*|pubmed\s*:?\s*)?0*(\d{1,9})$", re.IGNORECASE)
_PMCID = re.compile(r"^(?:pmcid\s*:?\s*)?(?:pmc\s*)?0*(\d{1,9})$", re.IGNORECASE)
_PMID_URL = re.compile(
    r"^https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/"
    r"(\d{1,9})/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_PMCID_URL = re.compile(
    r"^https?://(?:www\.)?(?:ncbi\.nlm\.nih\.gov/pmc|pmc\.ncbi\.nlm\.nih\.gov)/articles/"
    r"(PMC)?(\d{1,9})/?(?:[?#].*)?$",
    re.IGNORECASE,
)
# What a doi.org link keeps unescaped: the characters DOIs use that are safe in a URL path.
_DOI_URL_SAFE = "/:;()._-~+[]"


@lru_cache(maxsize=8192)
def normalize_doi(value: str) -> str:
    """The bare DOI in ``value``, case kept; "" if it is not a DOI.

    ``https://doi.org/10.1364/OE.413844.`` → ``10.1364/OE.413844``."""
    doi = unquote(value.strip())
    while True:
        stripped = _DOI_PREFIX.sub("", doi).strip()
        if stripped == doi:
            break
        doi = stripped
    doi = doi.rstrip("}").strip().rstrip(_TRAILING).replace("\\_", "_")
    return doi if _DOI_SHAPE.match(doi) else ""


def doi_key(value: str) -> str:
    """The DOI in ``value`` for comparing (DOIs ignore case): ``10.1364/oe.413844``."""
    return normalize_doi(value).lower()


def doi_url(doi: str) -> str:
    """``https://doi.org/…`` for a DOI (any spelling); "" if it is not a DOI."""
    bare = normalize_doi(doi)
    return "https://doi.org/" + quote(bare, safe=_DOI_URL_SAFE) if bare else ""


def doi_from_url(value: str) -> str:
    """The DOI of a ``doi.org`` link, "" for any other text (a bare DOI too)."""
    value = value.strip()
    return normalize_doi(value) if _DOI_URL.match(value) else ""


def is_arxiv_doi(value: str) -> bool:
    """``10.48550/arXiv.…``: the DOI arXiv gives a preprint."""
    return bool(_ARXIV_DOI.match(normalize_doi(value)))


@lru_cache(maxsize=8192)
def normalize_arxiv(value: str) -> str:
    """The arXiv id in ``value`` with its version, as written; "" if there is none.

    ``https://arxiv.org/pdf/2101.00001v2.pdf`` → ``2101.00001v2``;
    ``arXiv:hep-th/9901001`` → ``hep-th/9901001``."""
    text = unquote(value.strip())
    doi = _ARXIV_DOI.match(normalize_doi(text))
    if doi:
        text = doi.group(1)
    url = _ARXIV_URL.search(text)
    if url:
        text = url.group(1)
    text = _ARXIV_PREFIX.sub("", text.strip()).strip().rstrip(_TRAILING)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.match(text)
        if match:
            return match.group(0)
    return ""


def arxiv_key(value: str) -> str:
    """The arXiv id in ``value`` for comparing: lower case, no version (``1706.03762``)."""
    found = normalize_arxiv(value)
    for pattern in (_ARXIV_NEW, _ARXIV_OLD):
        match = pattern.match(found)
        if match:
            return match.group(1).lower()
    return ""


def arxiv_url(arxiv_id: str) -> str:
    """``https://arxiv.org/abs/…`` for an arXiv id (any spelling); "" if it is not one."""
    bare = normalize_arxiv(arxiv_id)
    return f"https://arxiv.org/abs/{bare}" if bare else ""


def publication_arxiv(pub: Publication) -> str:
    """An entry's own arXiv id (shown form): ``eprint`` when its ``archivePrefix`` or
    ``eprinttype`` is arXiv or absent, else the ``arxiv`` field; "" when there is none."""
    eprint = pub.get("eprint")
    if eprint:
        prefix = (pub.get("archiveprefix") or pub.get("eprinttype")).strip().lower()
        if prefix in ("", "arxiv"):
            found = normalize_arxiv(eprint)
            if found:
                return found
    return normalize_arxiv(pub.get("arxiv"))


def _bare(value: str) -> str:
    return unquote(value.strip()).strip().rstrip(_TRAILING).strip()


def pmid_key(value: str) -> str:
    """The PubMed id in ``value`` as digits (``PMID: 29456894`` → ``29456894``); "" if none.

    A pubmed.ncbi.nlm.nih.gov link counts; leading zeros are dropped (PubMed writes none)."""
    text = _bare(value)
    url = _PMID_URL.match(text)
    match = url or _PMID.match(text)
    if not match:
        return ""
    digits = match.group(1).lstrip("0")
    return digits if digits else ""


def pmcid_key(value: str) -> str:
    """The PubMed Central id in ``value`` as ``PMC`` + digits; "" if none.

    ``pmc5122160``, ``PMCID: PMC5122160``, ``5122160`` (in a field that holds a PMCID) and a
    PMC article link all give ``PMC5122160``."""
    text = _bare(value)
    url = _PMCID_URL.match(text)
    digits = url.group(2) if url else ""
    if not url:
        match = _PMCID.match(text)
        digits = match.group(1) if match else ""
    digits = digits.lstrip("0")
    return f"PMC{digits}" if digits else ""


def pmid_from_url(value: str) -> str:
    """The PMID of a PubMed link, "" for any other text (a bare PMID too)."""
    match = _PMID_URL.match(_bare(value))
    return pmid_key(match.group(1)) if match else ""


def pmcid_from_url(value: str) -> str:
    """The PMCID of a PubMed Central article link, "" for any other text."""
    text = _bare(value)
    return pmcid_key(text) if _PMCID_URL.match(text) else ""
