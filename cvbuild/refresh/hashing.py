"""Change detection: a hash of what a CV shows, blind to volatile and bookkeeping fields."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from cvbuild.bib.dedupe import SOURCE_FIELD
from cvbuild.bib.model import Publication
from cvbuild.refresh.bibwrite import VOLATILE_FIELDS

IGNORED_FIELDS = VOLATILE_FIELDS | {SOURCE_FIELD, "cvbuild_ids"}


def canonical(pub: Publication) -> list[object]:
    fields = sorted(
        (name.lower(), " ".join(value.split()))
        for name, value in pub.fields.items()
        if name.lower() not in IGNORED_FIELDS and value.strip()
    )
    return [pub.entry_type.lower(), pub.key, fields]


def content_hash(pubs: Iterable[Publication]) -> str:
    """sha256 over the publications' content; order, file locations and volatile fields
    (DBLP ``timestamp``/``biburl``/``bibsource``, Crossref ``indexed``, ...) do not count."""
    records = sorted(json.dumps(canonical(p), ensure_ascii=False) for p in pubs)
    digest = hashlib.sha256()
    for record in records:
        digest.update(record.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
