"""Hand-built Documents for the LaTeX/PDF tests (until the pipeline makes them).

``sample_document()`` is a realistic one-to-two-page CV; ``long_document()`` spans 3+
pages with author marks on some pages only; ``hostile_document()`` carries TeX attacks
in every kind of text.
"""

from __future__ import annotations

from functools import partial

from cvbuild.document import (
    Contact,
    Document,
    EntryBlock,
    Header,
    ItemBlock,
    Meta,
    PubGroup,
    PubItem,
    SectionBlock,
)
from cvbuild.richtext import Emph, Link, Text, text

from . import builders
from .builders import LEGENDS, SYMBOLS

OWNER = "Léa Marchetti"
LONG_TITLE = (
    "Towards Robust and Interpretable Self-Supervised Representation Learning for "
    "Multilingual Historical Document Analysis Across Scripts, Centuries and Archives"
)


authors = partial(builders.authors, owner=OWNER)
pub = partial(builders.pub, owner=OWNER)


def header() -> Header:
    return Header(
        name=OWNER,
        headline=text("Assistant Professor of Computer Science · Université Grenoble Alpes"),
        contacts=(
            Contact("email", "lea.marchetti@example.org"),
            Contact("phone", "+33 4 76 00 00 00"),
            Contact("location", "Grenoble, France"),
            Contact("website", "lea-marchetti.example.org", "https://lea-marchetti.example.org/"),
            Contact("github", "github.com/lmarchetti", "https://github.com/lmarchetti"),
            Contact("orcid", "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097"),
        ),
    )


def entries_section() -> SectionBlock:
    return SectionBlock(
        title="Positions",
        kind="entries",
        entries=(
            EntryBlock(
                title=text("Assistant Professor"),
                organization=text("Université Grenoble Alpes, LIG"),
                location="Grenoble, France",
                dates="Sep 2022 – present",
                summary=text("Machine learning for historical documents and low-resource scripts."),
                highlights=(
                    text("Lead of the ÉCRITS team (4 PhD students, 2 postdocs)"),
                    text("Teaching: deep learning (M2), algorithms (L3)"),
                ),
            ),
            EntryBlock(
                title=text("Postdoctoral Researcher"),
                organization=text("Universiteit van Amsterdam"),
                location="Amsterdam, Netherlands",
                dates="2019 – 2022",
                highlights=(text("Self-supervised learning for video understanding"),),
            ),
            EntryBlock(
                title=text("PhD in Computer Science, with a thesis on " + LONG_TITLE.lower()),
                organization=text("École normale supérieure"),
                location="Paris",
                dates="2015 – 2019",
            ),
        ),
    )


def items_section() -> SectionBlock:
    return SectionBlock(
        title="Awards",
        kind="items",
        items=(
            ItemBlock(text("Best Paper Award, ICDAR"), "2023"),
            ItemBlock(text("ERC Starting Grant “SCRIPTA” (1.5 M€)"), "2022"),
            ItemBlock(text("Prix de thèse Gilles Kahn, Société informatique de France"), "2020"),
            ItemBlock(text("Reviewer for NeurIPS, ICML, CVPR, ICCV, TPAMI")),
        ),
    )


def text_section() -> SectionBlock:
    return SectionBlock(
        title="Research Statement",
        kind="text",
        paragraphs=(
            text(
                "I build learning systems that read the world's written heritage — from "
                "medieval charters to Cyrillic newspapers — with little or no labelled data."
            ),
        ),
    )


def publications_section() -> SectionBlock:
    doi = ("DOI", "https://doi.org/10.1145/3580305.3599999")
    arxiv = ("arXiv", "https://arxiv.org/abs/2401.01234")
    code = ("Code", "https://github.com/lmarchetti/scripta?tab=readme#usage")
    return SectionBlock(
        title="Publications",
        kind="publications",
        marks=("equal", "corresponding"),
        groups=(
            PubGroup(
                "2024",
                (
                    pub(
                        "marchetti2024robust",
                        ("Nguyễn Văn Thành*", "Léa Marchetti*", "Dmitri Ivanov†"),
                        LONG_TITLE,
                        "Transactions on Pattern Analysis and Machine Intelligence",
                        2024,
                        links=(doi, arxiv, code),
                    ),
                    pub(
                        "papadopoulos2024greek",
                        ("Γιώργος Παπαδόπουλος", "Léa Marchetti", "José García-Núñez"),
                        "Reading Byzantine Manuscripts with Few Labels",
                        "CVPR",
                        2024,
                        links=(arxiv,),
                        note="Oral presentation",
                    ),
                ),
            ),
            PubGroup(
                "2023",
                (
                    pub(
                        "ivanov2023cyr",
                        ("Дмитрий Иванов", "Léa Marchetti†", "Zoë Brontë"),
                        "Historical Cyrillic Newspapers: A Benchmark",
                        "ICDAR",
                        2023,
                        links=(doi,),
                        note="Best Paper Award",
                    ),
                    pub(
                        "marchetti2023solo",
                        ("Léa Marchetti",),
                        "On the Sample Complexity of Script Identification",
                        "NeurIPS",
                        2023,
                    ),
                ),
            ),
        ),
    )


def meta(theme: str = "academic", **changes: str) -> Meta:
    values = {
        "title": "Léa Marchetti — Curriculum Vitae",
        "author": OWNER,
        "keywords": ("machine learning", "document analysis"),
        "date": "January 2026",
        "theme": theme,
        "paper": "a4",
        "engine": "xelatex",
    }
    values.update(changes)
    return Meta(**values)  # type: ignore[arg-type]


def sample_document(theme: str = "academic", **meta_changes: str) -> Document:
    return Document(
        header=header(),
        sections=(
            entries_section(),
            publications_section(),
            items_section(),
            text_section(),
        ),
        meta=meta(theme, **meta_changes),
        legends=dict(LEGENDS),
        legend_symbols=dict(SYMBOLS),
    )


# Words for titles that no legend, venue or name contains.
_WORDS = [
    "Sparse",
    "Dense",
    "Contrastive",
    "Temporal",
    "Spectral",
    "Latent",
    "Robust",
    "Efficient",
    "Scalable",
    "Causal",
    "Adaptive",
    "Hierarchical",
    "Federated",
    "Generative",
    "Structured",
    "Implicit",
    "Equivariant",
    "Neural",
]


def long_title(i: int) -> str:
    a, b, c = _WORDS[i % 18], _WORDS[(i * 7 + 3) % 18], _WORDS[(i * 5 + 11) % 18]
    return f"Study {i:03d} of {a} and {b} Models for {c} Vision"


def long_document(theme: str = "academic", count: int = 70, marked: int = 4) -> Document:
    """Many publications; only the first and last ``marked`` ones carry author marks."""
    items = []
    for i in range(count):
        has_mark = i < marked or i >= count - marked
        names = (
            ("Ana Souza*", "Léa Marchetti*", "Wei Zhang†")
            if has_mark
            else ("Ana Souza", "Léa Marchetti", "Wei Zhang", "Olusegun Adeyemi")
        )
        items.append(
            pub(
                f"key{i:03d}",
                names,
                long_title(i),
                "Proceedings of the International Conference on Learning Representations",
                2024 - i // 10,
                links=(("DOI", f"https://doi.org/10.5555/{i:05d}"),),
                number=count - i,
            )
        )
    groups = tuple(
        PubGroup(str(2024 - g), tuple(items[g * 10 : g * 10 + 10]))
        for g in range((count + 9) // 10)
    )
    section = SectionBlock(
        title="Publications", kind="publications", groups=groups, marks=("equal", "corresponding")
    )
    return Document(
        header=header(),
        sections=(entries_section(), section),
        meta=meta(theme),
        legends=dict(LEGENDS),
        legend_symbols=dict(SYMBOLS),
    )


HOSTILE = (
    r"\input{/etc/passwd}",
    r"\immediate\write18{touch /tmp/cvbuild-pwned}",
    r"\openout5=/tmp/cvbuild-pwned-out \write5{x}\closeout5",
    r"^^5cinput^^7b/etc/passwd^^7d",
    r"\catcode`\@=0 @input /etc/hostname",
    "100% of #1 costs $5 & more_than ~x^2",
    "unbalanced }}} {{ braces",
    r"\def\x{\x}\x \csname end\endcsname",
)


def hostile_document(theme: str = "academic") -> Document:
    h = HOSTILE
    pubs = tuple(
        PubItem(
            key=f"evil{i}",
            text=authors("Léa Marchetti", "Mallory X.")
            + text(f". {attack}. ")
            + (Emph((Text(h[(i + 1) % len(h)]),)),)
            + text(", 2024."),
            links=(("URL", "https://example.org/%7B}\\input{x}#%&~$^_"),),
            note=text(h[(i + 2) % len(h)]),
        )
        for i, attack in enumerate(h)
    )
    return Document(
        header=Header(
            name=OWNER,
            headline=text(h[0]),
            contacts=(
                Contact("website", h[3], "https://example.org/}{\\write18{x}"),
                Contact("email", "a%b#c@example.org"),
            ),
        ),
        sections=(
            SectionBlock(
                title="Attacks " + h[5],
                kind="entries",
                entries=(
                    EntryBlock(
                        title=text(h[1]),
                        organization=text(h[2]),
                        location=h[6],
                        dates=h[4],
                        highlights=(text(h[7]),),
                    ),
                ),
            ),
            SectionBlock(title="Publications", kind="publications", groups=(PubGroup("", pubs),)),
            SectionBlock(title="Notes", kind="text", paragraphs=tuple(text(x) for x in h)),
            SectionBlock(
                title="Links",
                kind="items",
                items=(
                    ItemBlock((Link("javascript:alert(1)", (Text("not a link"),)),), label=h[5]),
                ),
            ),
        ),
        meta=meta(theme, title=h[0] + " " + h[5], author=h[3], keywords=(h[4],)),  # type: ignore[arg-type]
        legends=dict(LEGENDS),
        legend_symbols=dict(SYMBOLS),
    )
