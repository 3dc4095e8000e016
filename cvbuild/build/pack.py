"""A preset's export pack (``pack:`` in the preset): what ``cvbuild export`` makes of a
variant under ``sciencv`` or ``r4ri`` beside, or instead of, the usual bundle.

- ``pdf``, ``docx``: the CV as the preset lays it out, with the preset's ``pack_note``
  first ("Preparation draft for internal review …") and, under each text module, its
  count ("Words: 212", "Characters: 1,804 of at most 2,000"); under a preset with a word
  limit over all modules (``max_words``), a closing "Word count" section.
- ``txt`` → ``<stem>.txt``: each text field to paste, with its characters, words and
  limits (:func:`cvbuild.render.plaintext.render_fields`).
- ``ris`` → ``<stem>_products.ris``, ``medline`` → ``<stem>_products.nbib``, ``bibtex`` →
  ``<stem>_products.bib``: the chosen products for NCBI MyBibliography and reference
  managers.

The counts are those of the text as it is pasted (inline Markdown read, one line per
paragraph), the same numbers in every file.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from cvbuild.document import Document, SectionBlock
from cvbuild.render.plaintext import FieldLimit, count_chars, count_words, counted, text_fields
from cvbuild.richtext import Emph, Text

if TYPE_CHECKING:
    from cvbuild.bib.model import Publication
    from cvbuild.config.model import CV, Variant
    from cvbuild.config.presets.model import Preset, PresetSection
    from cvbuild.errors import Problem

__all__ = ["PRODUCT_FILES", "limits_for", "marked", "pack_file", "pasted_problems"]

# pack part -> (file name suffix after the stem)
PRODUCT_FILES = {
    "ris": "_products.ris",
    "medline": "_products.nbib",
    "bibtex": "_products.bib",
}


def _module(preset: Preset, title: str) -> PresetSection | None:
    """The preset module a section (by the title the document shows) belongs to."""
    wanted = title.casefold()
    for module in preset.sections:
        names = {m.casefold() for m in module.match} | {t.casefold() for _, t in module.labels}
        if wanted in names:
            return module
    return None


def limits_for(doc: Document, preset: Preset) -> dict[str, FieldLimit]:
    """Each text section's limits (by its shown title) from the preset's modules."""
    out: dict[str, FieldLimit] = {}
    for section in doc.sections:
        module = _module(preset, section.title) if section.kind == "text" else None
        if module is not None and (module.max_chars or module.max_words or module.item_chars):
            out[section.title] = FieldLimit(
                module.max_chars, module.max_words, module.limit_name, module.item_chars
            )
    return out


def _in_words(preset: Preset, limit: FieldLimit | None) -> bool:
    return bool(preset.max_words or (limit and limit.max_words))


def _count_paragraph(text: str, limit: FieldLimit | None, words: bool) -> str:
    if words:
        return "Words: " + counted(count_words(text), "", limit.max_words if limit else 0)
    if limit is not None and limit.item_chars and not limit.max_chars:
        each = [counted(count_chars(p), "", limit.item_chars) for p in text.split("\n\n")]
        if len(each) == 1:
            return "Characters: " + each[0]
        return "Characters, each paragraph: " + "; ".join(each)
    return "Characters: " + counted(count_chars(text), "", limit.max_chars if limit else 0)


def marked(doc: Document, preset: Preset) -> Document:
    """The pack's PDF and DOCX: the preset's note first, each text module's count under
    it, the words in all at the end when the preset limits them."""
    limits = limits_for(doc, preset)
    counted_texts = {id(s): t for s, t in text_fields(doc)}
    sections: list[SectionBlock] = []
    total = 0
    for section in doc.sections:
        text = counted_texts.get(id(section))
        if text is not None:
            limit = limits.get(section.title)
            total += count_words(text)
            line = _count_paragraph(text, limit, _in_words(preset, limit))
            section = replace(section, paragraphs=(*section.paragraphs, (Emph((Text(line),)),)))
        sections.append(section)
    if preset.max_words and counted_texts:
        line = "Words in all modules: " + counted(total, "", preset.max_words)
        sections.append(SectionBlock("Word count", "text", paragraphs=((Text(line),),)))
    if preset.pack_note:
        note = SectionBlock("Preparation draft", "text", paragraphs=((Text(preset.pack_note),),))
        sections.insert(0, note)
    meta = doc.meta
    if preset.pack_note:
        meta = replace(meta, title=f"{meta.title} (preparation draft)")
    return replace(doc, sections=tuple(sections), meta=meta)


def pack_file(
    part: str, doc: Document, preset: Preset | None, stem: str, publications: list[Publication]
) -> dict[str, bytes]:
    """The file of a pack part that is not a document (``txt`` and the product files)."""
    if part == "txt":
        assert preset is not None
        from cvbuild.render.plaintext import render_fields

        text = render_fields(
            doc,
            limits_for(doc, preset),
            title=preset.title,
            max_words=preset.max_words,
            who=preset.name.upper(),
        )
        return {f"{stem}.txt": text.encode("utf-8")}
    if part == "ris":
        from cvbuild.render.ris import render_ris

        body = render_ris(doc, publications)
    elif part == "medline":
        from cvbuild.render.medline import render_medline

        body = render_medline(doc, publications)
    elif part == "bibtex":
        from cvbuild.render.bibtex import render_bibtex

        body = render_bibtex(doc, publications)
    else:
        raise AssertionError(f"not a pack file part: {part!r}")
    return {f"{stem}{PRODUCT_FILES[part]}": body.encode("utf-8")} if body else {}


def pasted_problems(doc: Document, cv: CV, variant: Variant) -> list[Problem]:
    """The limits of a preset checked on the text as it is pasted, with the works it
    cites written out: a module, or all of them, over its limit only there (the text as
    written in cv.yaml was already checked when the config was read, and is not reported
    twice)."""
    preset = variant.rules
    if preset is None:
        return []
    from cvbuild.errors import error

    limits = limits_for(doc, preset)
    shown = {label: title for title, label in variant.section_labels}
    by_title = {s.title: s for s in cv.sections}
    who = preset.name.upper()
    problems: list[Problem] = []
    pasted_total = written_total = 0
    for section, text in text_fields(doc):
        source = by_title.get(shown.get(section.title, section.title))
        written = source.text if source is not None else text
        pasted_total += count_words(text)
        written_total += count_words(written)
        limit = limits.get(section.title)
        if limit is None or source is None:
            continue
        where = source.where
        label = section.title[:1].lower() + section.title[1:]
        by = limit.who or who
        pasted, chars = count_words(text), count_chars(text)
        if limit.max_words and count_words(written) <= limit.max_words < pasted:
            problems.append(
                error(
                    where,
                    f"{label} is {pasted:,} words with its cited works written out; {by} "
                    f"allows {limit.max_words:,}",
                    f"shorten it by {pasted - limit.max_words:,} words, or cite fewer works",
                )
            )
        if limit.max_chars and len(written.strip()) <= limit.max_chars < chars:
            problems.append(
                error(
                    where,
                    f"{label} is {chars:,} characters with its cited works written out; {by} "
                    f"allows {limit.max_chars:,}",
                    f"shorten it by {chars - limit.max_chars:,} characters, or cite fewer works",
                )
            )
    if preset.max_words and written_total <= preset.max_words < pasted_total:
        problems.append(
            error(
                variant.where_of("preset"),
                f"the narrative is {pasted_total:,} words in all with its cited works written "
                f"out; {who} allows {preset.max_words:,}",
                f"shorten the modules by {pasted_total - preset.max_words:,} words, or cite "
                "fewer works",
            )
        )
    return problems
