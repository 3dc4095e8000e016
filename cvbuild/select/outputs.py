"""A preset's outputs: the chosen ones in the order given, DFG-style categories A/B
derived from the entry categories (a BibTeX ``output_category = {B}`` overrides), and
the checks that need the bibliography (unknown keys, too many in a category)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from cvbuild.config.types import suggest
from cvbuild.errors import Problem, error

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication
    from cvbuild.config.model import CV, PublicationQuery, Variant
    from cvbuild.config.presets.model import OutputCategory, Preset
    from cvbuild.select import SelectedGroup

OVERRIDE_FIELD = "output_category"


def category_of(pub: Publication, preset: Preset) -> OutputCategory | None:
    """The preset category ``pub`` belongs to: its override, else its entry category."""
    wanted = pub.get(OVERRIDE_FIELD).strip().upper()
    for cat in preset.categories:
        if wanted and cat.id.upper() == wanted:
            return cat
    if wanted:
        return None
    return next((c for c in preset.categories if pub.category in c.from_), None)


def preset_groups(
    groups: Sequence[SelectedGroup], query: PublicationQuery, variant: Variant
) -> list[SelectedGroup]:
    """The groups a preset shows: chosen outputs in their order (else the selection's
    order cut to the preset's limit), split into the preset's categories."""
    from cvbuild.select import number_groups

    preset: Preset = variant.rules
    pubs = [entry.publication for group in groups for entry in group.entries]
    if variant.outputs:
        rank = {key: i for i, key in enumerate(variant.outputs)}
        pubs = sorted((p for p in pubs if p.key in rank), key=lambda p: rank[p.key])
    elif preset.max_outputs:
        pubs = pubs[: preset.max_outputs]
    if not preset.categories:
        return number_groups([("", pubs)], query) if pubs else []
    locale = variant.locale or "en"
    grouped: list[tuple[str, Sequence[Publication]]] = []
    for cat in preset.categories:
        members = [p for p in pubs if category_of(p, preset) is cat]
        if not variant.outputs:
            members = members[: cat.max]
        if members:
            grouped.append((cat.label(locale), members))
    return number_groups(grouped, query)


def bib_problems(cv: CV, pubs: Mapping[int, list[Publication]]) -> list[Problem]:
    """What a preset variant's chosen outputs and the text sections' citations by key
    (:mod:`cvbuild.select.citations`) get wrong, once the bibliography is read."""
    from cvbuild.select import outputs_by_tag
    from cvbuild.select.citations import cite_problems

    problems: list[Problem] = cite_problems(cv, pubs)
    for variant in cv.variants:
        if variant.output_tags:
            problems.extend(tag_problems(cv, variant, pubs))
        preset: Preset | None = variant.rules
        if preset is None or not (variant.outputs or variant.output_tags):
            continue
        shown = set(variant.sections or ())
        known: dict[str, Publication] = {}
        for index, section in enumerate(cv.sections):
            if section.kind == "publications" and section.title in shown:
                known.update((p.key, p) for p in pubs.get(index, []))
        where = variant.where_of("outputs")
        if variant.output_tags:
            given = len(variant.outputs)
            variant = dataclasses.replace(
                variant, outputs=outputs_by_tag(variant, list(known.values()))
            )
            chosen = len(variant.outputs)
            if preset.max_outputs and chosen > preset.max_outputs and given <= preset.max_outputs:
                tags = ", ".join(variant.output_tags)
                problems.append(
                    error(
                        where,
                        f"{chosen} outputs chosen; "
                        f"{preset.outputs_label or preset.name.upper()} allows "
                        f"{preset.max_outputs}",
                        f"{given} by key and {chosen - given} by tags [{tags}]: keep at most "
                        f"{preset.max_outputs} in all (fewer tagged entries or fewer keys)",
                    )
                )
        for key in variant.outputs:
            if key not in known:
                guess = suggest(key, list(known))
                hint = f"did you mean '{guess}'?" if guess else "use a key from the .bib"
                problems.append(
                    error(where, f"output '{key}' is in no bibliography of the CV", hint)
                )
        for cat in preset.categories:
            members = [
                k for k in variant.outputs if k in known and category_of(known[k], preset) is cat
            ]
            if len(members) > cat.max:
                problems.append(
                    error(
                        where,
                        f"{len(members)} outputs chosen in category {cat.id}; "
                        f"{preset.outputs_label or preset.name.upper()} allows {cat.max}",
                        f"keep at most {cat.max} of them, or set '{OVERRIDE_FIELD}' in the .bib",
                    )
                )
    return problems


def tag_problems(cv: CV, variant: Variant, pubs: Mapping[int, list[Publication]]) -> list[Problem]:
    """``outputs: {tags: [...]}``: a tag that no entry of the bibliographies carries."""
    from cvbuild.select import entry_keywords
    from cvbuild.select.citations import bib_names

    found = {k for listed in pubs.values() for p in listed for k in entry_keywords(p)}
    problems: list[Problem] = []
    for tag in variant.output_tags:
        if tag.strip().casefold() in found:
            continue
        guess = suggest(tag.strip().casefold(), sorted(found))
        files = " or ".join(bib_names(cv)) or "the bibliography"
        hint = (
            f"did you mean '{guess}'?"
            if guess
            else "add it to the keywords field of the entries to show "
            "(keywords = {erc, nih}), commas or semicolons between tags"
        )
        problems.append(
            error(
                variant.where_of("outputs"),
                f"outputs: tag '{tag}' is in the keywords of no entry of {files}",
                hint,
            )
        )
    return problems
