"""Put a preset under a variant (the variant's own keys win) and check the rules that
cv.yaml alone decides: outputs chosen, text limits, required profiles."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from cvbuild.config.model import MetricsDisplay, Output, Person, Section, Variant
from cvbuild.config.presets.loader import load_preset
from cvbuild.config.presets.model import Preset, PresetSection
from cvbuild.config.types import Ctx
from cvbuild.errors import InputError, Location, warning


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def count_words(text: str) -> int:
    """Words: runs of non-space characters (as the pasted text is counted,
    :func:`cvbuild.render.plaintext.count_words`)."""
    return len(text.split())


def matched_sections(
    preset: Preset, sections: Sequence[Section]
) -> list[tuple[PresetSection, Section]]:
    """Each preset module with the first cv.yaml section it takes, in the preset's order."""
    out: list[tuple[PresetSection, Section]] = []
    used: set[str] = set()
    for module in preset.sections:
        names = {m.casefold() for m in module.match} | {t.casefold() for _, t in module.labels}
        for section in sections:
            if section.title.casefold() in names and section.title not in used:
                out.append((module, section))
                used.add(section.title)
                break
    return out


def _locale(variant: Variant, output: Output, preset: Preset) -> str:
    if variant.locale:
        return variant.locale
    if output.locale in preset.locales or not preset.locales:
        return output.locale
    return preset.locales[0]


def apply_preset(
    variant: Variant,
    person: Person,
    sections: Sequence[Section],
    output: Output,
    path: Path,
    ctx: Ctx,
) -> Variant:
    """``variant`` with its preset's settings filled in where it sets none; problems go
    to ``ctx``."""
    if not variant.preset:
        return variant
    where = variant.where_of("preset")
    try:
        preset = load_preset(variant.preset, path.parent, where)
    except InputError as exc:
        ctx.problems.extend(exc.problems)
        return variant
    locale = _locale(variant, output, preset)
    pairs = matched_sections(preset, sections)
    changes: dict[str, object] = {"rules": preset}
    if variant.sections is None:
        changes["sections"] = tuple(s.title for _, s in pairs)
    changes["section_labels"] = tuple(
        (s.title, m.label(locale)) for m, s in pairs if m.label(locale) != s.title
    )
    if variant.locale is None and locale != output.locale:
        changes["locale"] = locale
    if variant.author_limit is None:
        changes["author_limit"] = preset.author_limit
    if not preset.metrics:
        chosen = tuple(s.title for _, s in pairs) if variant.sections is None else variant.sections
        _metrics_ignored(variant, preset, sections, chosen, ctx)
        # Shown by nothing: beats the variant's own request and every section's.
        changes["metrics"] = MetricsDisplay(where=where)
    if variant.max_pages is None and preset.max_pages:
        changes["max_pages"] = preset.max_pages
        changes["keep_all"] = not preset.may_drop
        changes["key_where"] = {**variant.key_where, "max_pages": where}  # said by the preset
    elif variant.max_pages is not None:
        changes["keep_all"] = not preset.may_drop and variant.max_pages == preset.max_pages
    result = dataclasses.replace(variant, **changes)  # type: ignore[arg-type]
    _check_rules(result, preset, person, pairs, ctx)
    return result


def _items(section: Section) -> list[tuple[str, Location]]:
    """A section's items as the preset counts them, each with where it stands: its
    entries, its items, or the paragraphs of its text (a blank line between them)."""
    if section.kind == "entries":
        return [(f"{e.title} {e.summary} {' '.join(e.highlights)}", section.where)
                for e in section.entries]  # fmt: skip
    if section.kind == "items":
        return [(i.text, section.where) for i in section.items]
    if section.kind == "text":
        return [(p.strip(), section.where) for p in section.text.split("\n\n") if p.strip()]
    return []


def _check_items(module: PresetSection, section: Section, who: str, ctx: Ctx) -> None:
    if not module.cites:
        for cite in section.cites:
            ctx.error(
                cite.where,
                f"{_lower_first(module.label('en'))} cites {cite.written}; {who} allows no "
                "citations in it",
                "cite the work in another section (the products, the contributions), or name "
                "it in words",
            )
    if not (module.max_items or module.item_chars):
        return
    label = _lower_first(module.label("en"))
    items = _items(section)
    if module.max_items and len(items) > module.max_items:
        unit = "paragraphs" if section.kind == "text" else "items"
        ctx.error(
            section.where,
            f"{label} has {len(items)} {unit}; {who} allows {module.max_items}",
            f"keep at most {module.max_items}"
            + (" (a blank line between two of them)" if section.kind == "text" else ""),
        )
    if module.item_chars:
        for n, (text, where) in enumerate(items, 1):
            chars = len(text)
            if chars > module.item_chars:
                ctx.error(
                    where,
                    f"{label} {n} is {chars:,} characters; {who} allows {module.item_chars:,} each",
                    f"shorten it by {chars - module.item_chars:,} characters",
                )


def _metrics_ignored(
    variant: Variant,
    preset: Preset,
    sections: Sequence[Section],
    chosen: Sequence[str] | None,
    ctx: Ctx,
) -> None:
    """A located warning for each ``metrics:`` request a preset without metrics overrides:
    the variant's own, and those of the publications sections the variant shows."""
    message = f"metrics ignored: the {preset.name} preset leaves out citation counts"
    asked: list[MetricsDisplay] = []
    if variant.metrics is not None and variant.metrics.shown:
        asked.append(variant.metrics)
    shown = set(chosen) if chosen is not None else None
    for section in sections:
        query = section.publications
        if query is None or query.metrics is None or not query.metrics.shown:
            continue
        if shown is None or section.title in shown:
            asked.append(query.metrics)
    for display in asked:
        ctx.problems.append(
            warning(
                display.where if display.where.file else variant.where_of("metrics"),
                message,
                f"variant '{variant.name}' prints none; show them in a variant without "
                f"preset: {preset.name}",
            )
        )


def _who(preset: Preset, fallback: str) -> str:
    return fallback or preset.name.upper()


def _check_rules(
    variant: Variant,
    preset: Preset,
    person: Person,
    pairs: Sequence[tuple[PresetSection, Section]],
    ctx: Ctx,
) -> None:
    shown = set(variant.sections or ())
    if preset.max_outputs and len(variant.outputs) > preset.max_outputs:
        ctx.error(
            variant.where_of("outputs"),
            f"{len(variant.outputs)} outputs chosen; {_who(preset, preset.outputs_label)} "
            f"allows {preset.max_outputs}",
            f"keep at most {preset.max_outputs} keys in 'outputs'",
        )
    seen: set[str] = set()
    for key in variant.outputs:
        if key in seen:
            ctx.error(variant.where_of("outputs"), f"output '{key}' is chosen twice", "once")
        seen.add(key)
    words = 0
    for module, section in pairs:
        if section.title not in shown or section.kind != "text":
            continue
        label = _lower_first(module.label("en"))
        who = module.limit_name or _who(preset, preset.outputs_label)
        chars = len(section.text.strip())
        if module.max_chars and chars > module.max_chars:
            ctx.error(
                section.where,
                f"{label} is {chars:,} characters; {who} allows {module.max_chars:,}",
                f"shorten it by {chars - module.max_chars:,} characters",
            )
        n = count_words(section.text)
        words += n
        if module.max_words and n > module.max_words:
            ctx.error(
                section.where,
                f"{label} is {n:,} words; {who} allows {module.max_words:,}",
                f"shorten it by {n - module.max_words:,} words",
            )
    for module, section in pairs:
        if section.title in shown:
            _check_items(module, section, who=module.limit_name or _who(preset, ""), ctx=ctx)
    if preset.max_words and words > preset.max_words:
        ctx.error(
            variant.where_of("preset"),
            f"the narrative is {words:,} words in all; {preset.name.upper()} allows "
            f"{preset.max_words:,}",
            f"shorten the modules by {words - preset.max_words:,} words",
        )
    if "orcid" in preset.requires and not any(
        p.network.casefold() == "orcid" and (p.username or p.url) for p in person.profiles
    ):
        ctx.error(
            variant.where_of("preset"),
            "ORCID missing: person.profiles",
            f"preset {preset.name} needs it: add '- {{network: ORCID, username: "
            "0000-0000-0000-0000}' under person.profiles",
        )
