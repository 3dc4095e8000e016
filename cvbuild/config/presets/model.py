"""A funder preset as data: its sections in order, labels, publication rules and limits,
with the source and the date its rules were read (``cvbuild/config/presets/*.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass

# What an export pack may hold (``pack:`` in a preset; ``cvbuild.build.pack``): the CV as
# PDF and DOCX, the counted text fields, the chosen products as RIS, MEDLINE and BibTeX,
# and the bundle's usual publications-only PDF and JSON Resume.
PACK_PARTS = ("pdf", "docx", "txt", "publications", "json", "ris", "medline", "bibtex")


def label_for(labels: tuple[tuple[str, str], ...], locale: str, fallback: str) -> str:
    """The label for ``locale`` (``de-AT`` falls back to ``de``), else the first, else
    ``fallback``."""
    base = locale.split("-")[0]
    for tag, text in labels:
        if tag in (locale, base):
            return text
    return labels[0][1] if labels else fallback


@dataclass(frozen=True)
class PresetSection:
    id: str
    labels: tuple[tuple[str, str], ...]  # (locale, label), first is the default
    match: tuple[str, ...]  # cv.yaml section titles this module takes (case-insensitive)
    max_chars: int = 0  # 0 = no limit on the section's text
    max_words: int = 0
    limit_name: str = ""  # who sets the limit, for messages ("the NIH supplement")
    max_items: int = 0  # 0 = no limit on the section's entries, items or paragraphs
    item_chars: int = 0  # at most N characters in each paragraph, entry or item; 0 = none
    cites: bool = True  # False: the text may not cite by key ([@key])

    def label(self, locale: str) -> str:
        return label_for(self.labels, locale, self.id)


@dataclass(frozen=True)
class OutputCategory:
    """A DFG-style category: at most ``max`` outputs whose entry category is in ``from_``."""

    id: str
    labels: tuple[tuple[str, str], ...]
    max: int
    from_: tuple[str, ...]

    def label(self, locale: str) -> str:
        return label_for(self.labels, locale, self.id)


@dataclass(frozen=True)
class Preset:
    name: str
    title: str
    source: str
    read_on: str  # ISO date the rules were read
    locales: tuple[str, ...]
    sections: tuple[PresetSection, ...]
    max_pages: int | None = None
    may_drop: bool = True  # False: a page overflow is an error, nothing is dropped
    metrics: bool = False
    author_limit: int = 0  # 0 = full author lists
    max_outputs: int = 0  # 0 = no limit
    outputs_label: str = ""  # "ERC": who sets the output limit
    categories: tuple[OutputCategory, ...] = ()
    max_words: int = 0  # words over all text sections; 0 = no limit
    requires: tuple[str, ...] = ()  # "orcid"
    path: str = ""  # the file it was read from
    citations: str = "list"  # how a text section's [@key] reads: list | inline
    ids: tuple[str, ...] = ()  # entry fields shown after each work: pmid, pmcid
    templates: tuple[tuple[str, str], ...] = ()  # (latex | markdown, template file name)
    pack: tuple[str, ...] = ()  # the export pack's parts (PACK_PARTS); () = the usual bundle
    pack_note: str = ""  # a line put first in the pack's PDF and DOCX ("Preparation draft …")

    def rules(self) -> list[str]:
        """The rules in words, for ``cvbuild presets``."""
        out = []
        if self.max_pages:
            drop = "" if self.may_drop else " (nothing is dropped to fit)"
            out.append(f"at most {self.max_pages} pages{drop}")
        if self.max_outputs:
            out.append(f"at most {self.max_outputs} outputs")
        for cat in self.categories:
            out.append(f"category {cat.id}: at most {cat.max} ({', '.join(cat.from_)})")
        out.append(
            "full author lists" if self.author_limit == 0 else f"first {self.author_limit} authors"
        )
        if not self.metrics:
            out.append("no metrics")
        for sec in self.sections:
            if sec.max_chars:
                out.append(f"{sec.label('en')}: at most {sec.max_chars:,} characters")
            if sec.max_words:
                out.append(f"{sec.label('en')}: at most {sec.max_words:,} words")
            if sec.max_items:
                out.append(f"{sec.label('en')}: at most {sec.max_items:,} items")
            if not sec.cites:
                out.append(f"{sec.label('en')}: no citations in the text")
            if sec.item_chars:
                out.append(f"{sec.label('en')}: at most {sec.item_chars:,} characters each")
        if self.max_words:
            out.append(f"at most {self.max_words:,} words in all")
        for req in self.requires:
            out.append(f"requires {req.upper()} in person.profiles")
        if self.ids:
            out.append("shows " + ", ".join(i.upper() for i in self.ids) + " when present")
        out.append(f"citations by key: {'inline' if self.citations == 'inline' else 'listed'}")
        if self.templates:
            out.append("own templates: " + ", ".join(name for _, name in self.templates))
        out.append("languages: " + ", ".join(self.locales))
        if self.pack:
            out.append("export pack: " + ", ".join(self.pack))
        return out
