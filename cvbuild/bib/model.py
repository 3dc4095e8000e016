"""What the ``bib`` stage hands on: publications decoded to Unicode, names split."""

from __future__ import annotations

from dataclasses import dataclass, field

from cvbuild.errors import Location

# Publication categories, in the order a "group_by: type" CV shows them.
CATEGORIES: tuple[str, ...] = (
    "journal",
    "conference",
    "workshop",
    "preprint",
    "book",
    "thesis",
    "patent",
    "other",
)

CATEGORY_TITLES: dict[str, str] = {
    "journal": "Journal Articles",
    "conference": "Conference Papers",
    "workshop": "Workshop Papers",
    "preprint": "Preprints",
    "book": "Books and Chapters",
    "thesis": "Theses",
    "patent": "Patents",
    "other": "Other",
}

# Mark kinds an author may carry; the formatting stage turns them into legend footnotes.
EQUAL = "equal"
CORRESPONDING = "corresponding"


@dataclass(frozen=True)
class Name:
    """One author or editor, split BibTeX-style, decoded to Unicode, marks removed."""

    given: str = ""
    von: str = ""
    family: str = ""
    jr: str = ""
    marks: frozenset[str] = frozenset()  # subset of {EQUAL, CORRESPONDING}
    corporate: bool = False  # "{Mars Coral Restoration Team}": one name, never split
    raw: str = ""  # the name as written in the file
    elision: bool = False  # "A, ..., B": names left out here (family "…", corporate)

    @property
    def display(self) -> str:
        """'Given von Family, Jr' as a reader expects it."""
        if self.corporate:
            return self.family
        parts = [p for p in (self.given, self.von, self.family) if p]
        text = " ".join(parts)
        if self.jr:
            text += f", {self.jr}"
        return text


@dataclass
class Publication:
    key: str
    entry_type: str  # lower case: article, inproceedings, ...
    fields: dict[str, str]  # decoded to Unicode, keys lower case; author/editor kept raw
    authors: list[Name] = field(default_factory=list)
    editors: list[Name] = field(default_factory=list)
    et_al: bool = False  # the list ended in "and others" / "et al."
    year: int | None = None
    year_label: str | None = None  # "in press", "Preprint": a non-numeric year as written
    month: int | None = None  # 1..12
    category: str = "other"
    selected: bool = False  # al-folio ``selected = {true}``
    legend_note: bool = False  # ``note`` only explains the marks: do not print it
    location: Location = field(default_factory=lambda: Location(""))
    order: int = 0  # position across all bib files of a section, for stable sorting

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def title(self) -> str:
        return self.fields.get("title", "")
