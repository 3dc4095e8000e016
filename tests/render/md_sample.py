"""Hand-built Documents for the Markdown and DOCX tests, until the pipeline makes them.

A realistic CV: a header with contacts, dated entries, items, a text section, and
publications in year groups with the owner in Strong, author marks, links and accents.
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
from cvbuild.richtext import Emph, Link, Mark, Strong, Text, text

from . import builders
from .builders import LEGENDS, SYMBOLS

OWNER = "Yuki M. Asano"


authors = partial(builders.authors, owner=OWNER)
pub = partial(builders.pub, owner=OWNER)


def publications() -> tuple[PubGroup, ...]:
    return (
        PubGroup(
            "2024",
            (
                pub(
                    "ruthardt2024",
                    ("Jona Ruthardt", "Gertjan Burghouts", "Serge Belongie", OWNER),
                    "Do Better Language Models Have Crisper Vision?",
                    "arXiv preprint",
                    2024,
                    links=(("arXiv", "https://arxiv.org/abs/2410.07173"),),
                ),
                pub(
                    "venkataramanan2024",
                    (
                        "Shashanka Venkataramanan",
                        "Mamshad Nayeem Rizve",
                        "João Carreira",
                        OWNER + "*",
                        "Yannis Avrithis*",
                    ),
                    "Is ImageNet worth 1 video? Learning strong image encoders from 1 long unlabelled video",
                    "International Conference on Learning Representations (ICLR)",
                    2024,
                    links=(
                        ("DOI", "https://doi.org/10.48550/arXiv.2310.08584"),
                        ("Code", "https://github.com/shashankvkt/DoRA_ICLR24"),
                    ),
                    note="Oral presentation",
                ),
            ),
        ),
        PubGroup(
            "2020",
            (
                pub(
                    "patrick2020",
                    (
                        "Mandela Patrick*",
                        "Po-Yao Huang*",
                        OWNER + "*†",
                        "Florian Metze",
                        "Alexander Hauptmann",
                        "João F. Henriques",
                        "Andrea Vedaldi",
                    ),
                    "Support-set bottlenecks for video-text representation learning",
                    "International Conference on Learning Representations (ICLR)",
                    2021,
                    links=(
                        ("arXiv", "https://arxiv.org/abs/2010.02824"),
                        ("PDF", "https://openreview.net/pdf?id=EqoXe2zmhrh"),
                    ),
                ),
                pub(
                    "asano2020self",
                    (OWNER, "Christian Rupprecht", "Andrea Vedaldi"),
                    "Self-labelling via simultaneous clustering and representation learning",
                    "International Conference on Learning Representations (ICLR)",
                    2020,
                    links=(("arXiv", "https://arxiv.org/abs/1911.05371"),),
                    note="Spotlight",
                ),
                pub(
                    "loewe2020",
                    ("Phillip Lippe", "Sara Magliacane", "Sindy Löwe", OWNER, "Efstratios Gavves"),
                    "Causal representation learning for instantaneous and temporal effects",
                    "Conference on Uncertainty in Artificial Intelligence (UAI) — Zürich, Ελλάδα, Москва",
                    2020,
                ),
            ),
        ),
    )


def sample_document(*, numbered: bool = False, date: str = "15 January 2026") -> Document:
    groups = publications()
    if numbered:
        n = sum(len(g.items) for g in groups)
        renumbered = []
        for g in groups:
            items = []
            for item in g.items:
                items.append(
                    PubItem(item.key, item.text, number=n, links=item.links, note=item.note)
                )
                n -= 1
            renumbered.append(PubGroup(g.label, tuple(items)))
        groups = tuple(renumbered)
    header = Header(
        name=OWNER,
        headline=text("Associate Professor of Computer Vision and Machine Learning"),
        contacts=(
            Contact("email", "y.m.asano@example.org", "mailto:y.m.asano@example.org"),
            Contact("phone", "+31 20 525 0000"),
            Contact("location", "Amsterdam, Netherlands"),
            Contact("website", "yukimasano.github.io", "https://yukimasano.github.io"),
            Contact("github", "yukimasano", "https://github.com/yukimasano"),
        ),
    )
    sections = (
        SectionBlock(
            "Positions",
            "entries",
            entries=(
                EntryBlock(
                    title=text("Assistant Professor"),
                    organization=text("University of Amsterdam, QUVA Lab"),
                    location="Amsterdam, Netherlands",
                    dates="Sep 2021 – present",
                    summary=text("Self-supervised learning, multi-modal learning and efficiency."),
                    highlights=(
                        text("Leads the Fundamental AI Lab (12 PhD students)."),
                        (Text("Co-organised the "), Emph(text("ECCV 2024")), Text(" workshop.")),
                    ),
                ),
                EntryBlock(
                    title=text("Postdoctoral Researcher"),
                    organization=text("Visual Geometry Group, University of Oxford"),
                    location="Oxford, UK",
                    dates="2020 – 2021",
                ),
            ),
        ),
        SectionBlock(
            "Education",
            "entries",
            entries=(
                EntryBlock(
                    title=text("DPhil in Engineering Science"),
                    organization=text("University of Oxford"),
                    location="Oxford, UK",
                    dates="2016 – 2020",
                    summary=text("Thesis: Learning with less labels — self-supervision at scale."),
                ),
                EntryBlock(
                    title=text("M.Sc. in Physics"),
                    organization=text("Ludwig-Maximilians-Universität München"),
                    location="München, Germany",
                    dates="2013 – 2016",
                ),
            ),
        ),
        SectionBlock(
            "Publications",
            "publications",
            groups=groups,
            marks=("equal", "corresponding"),
        ),
        SectionBlock(
            "Skills",
            "items",
            items=(
                ItemBlock(text("English (fluent), German (native), Japanese"), label="Languages"),
                ItemBlock(text("Python, PyTorch, JAX, C++"), label="Programming"),
            ),
        ),
        SectionBlock(
            "Research statement",
            "text",
            paragraphs=(
                (
                    Text("I study how machines can learn "),
                    Emph(text("without labels")),
                    Text(", from video, sound and language."),
                ),
            ),
        ),
    )
    meta = Meta(
        title=f"{OWNER} — Curriculum Vitae",
        author=OWNER,
        keywords=("computer vision", "machine learning"),
        date=date,
    )
    return Document(
        header=header,
        sections=sections,
        meta=meta,
        legends=dict(LEGENDS),
        legend_symbols=dict(SYMBOLS),
    )


HOSTILE_TITLE = (
    "<script>alert(1)</script> [x](javascript:alert(1)) **bold** _em_ `code` | a | b "
    "&amp; &copy; $x^2$ ~~del~~ ^sup^ @key {#id} \\textbf{x} :smile: <!-- c -->"
)


def hostile_document() -> Document:
    """Every text leaf carries Markdown, HTML, LaTeX or pandoc syntax that must show as text."""
    owner = (Strong(text("# Evil *Owner*")), Mark("equal", "*"))
    item_text = owner + text(". " + HOSTILE_TITLE + ".")
    groups = (
        PubGroup(
            "1. 2024",
            (
                PubItem(
                    "evil",
                    item_text,
                    links=(
                        ("DOI <x>", "javascript:alert(1)"),
                        ("arXiv", "https://arxiv.org/abs/1234 (v2)<b>"),
                        ("mail", "mailto:a@b.c"),
                    ),
                ),
            ),
        ),
    )
    header = Header(
        name="- Evil <b>Name</b>",
        headline=text("1. not a list"),
        contacts=(Contact("website", "[site](x)", "data:text/html,<script>"),),
    )
    sections = (
        SectionBlock(
            "# Sec | tion {.x}",
            "publications",
            groups=groups,
            marks=("equal",),
        ),
        SectionBlock(
            "Text",
            "text",
            paragraphs=(
                text("+ plus at start"),
                text(": colon at start"),
                text("> quote"),
                text("    indented code"),
                text("line one\nline two\n\n# heading"),
            ),
        ),
        SectionBlock(
            "Items",
            "items",
            items=(ItemBlock(text("- nested"), label="*L*"), ItemBlock(text("a) x"))),
        ),
        SectionBlock(
            "Entries",
            "entries",
            entries=(
                EntryBlock(
                    title=(Link("https://ex.org/a b(c)", text("<i>t</i>")),),
                    organization=text("O_rg_"),
                    dates="2020 -- 2021",
                ),
            ),
        ),
    )
    meta = Meta(title="<Evil & CV>", author="- Evil <b>Name</b>")
    return Document(
        header=header,
        sections=sections,
        meta=meta,
        legends={"equal": "<b>Equal</b> *contribution*"},
        legend_symbols={"equal": "*"},
    )
