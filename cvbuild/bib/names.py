"""Split a BibTeX name list into ``Name`` objects (placeholder: being rewritten)."""

from __future__ import annotations

from cvbuild.bib.model import Name


def parse_names(raw: str) -> tuple[list[Name], bool]:
    """Split an already Unicode-decoded ``author`` value. Returns the names and whether
    the list ended in ``and others`` (et al.)."""
    names: list[Name] = []
    et_al = False
    for part in raw.replace("\n", " ").split(" and "):
        part = part.strip()
        if not part:
            continue
        if part.lower() in ("others", "et al.", "{et al.}"):
            et_al = True
            continue
        if "," in part:
            family, _, given = part.partition(",")
        else:
            given, _, family = part.rpartition(" ")
        names.append(Name(given=given.strip(), family=family.strip(), raw=part))
    return names, et_al
