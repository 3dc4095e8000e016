"""Plain-text backend: what a recruiter pasting the .txt into a web form sees."""

from __future__ import annotations

import re

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
from cvbuild.render.plaintext import clean, render_text
from cvbuild.richtext import Emph, Link, Mark, Strong, Sup, Text, text

EQ = Mark("equal", "*")
CO = Mark("corresponding", "\u2020")


def sample() -> Document:
    pubs = SectionBlock(
        "Publications",
        "publications",
        groups=(
            PubGroup(
                "2024",
                (
                    PubItem(
                        "a",
                        (
                            Text("Jona Ruthardt and "),
                            Strong((Text("Yuki M. Asano"), EQ, CO)),
                            Text(". Do Better Language Models Have "),
                            Emph((Text("Crisper"),)),
                            Text(" Vision? "),
                            Emph((Text("ICLR"),)),
                            Text(", 2024."),
                        ),
                        number=2,
                        links=(("arXiv", "https://arxiv.org/abs/2410.07173"),),
                        note=text("Oral presentation"),
                    ),
                ),
            ),
            PubGroup(
                "2020",
                (PubItem("b", text("João F. Henriques. Self-labelling. ICLR, 2020."), number=1),),
            ),
        ),
        marks=("equal", "corresponding"),
    )
    return Document(
        header=Header(
            "Léa Marchetti",
            (Text("Assistant Professor of "), Emph((Text("Computational Ecology"),))),
            (
                Contact("email", "lea@example.org", "mailto:lea@example.org"),
                Contact("phone", "+33 1 23", "tel:+33123"),
                Contact("website", "lea.example.org", "https://lea.example.org"),
                Contact("github", "lmarchetti", "https://github.com/lmarchetti"),
            ),
        ),
        sections=(
            SectionBlock(
                "Positions",
                "entries",
                entries=(
                    EntryBlock(
                        title=(Link("https://uga.example", (Text("Assistant Professor"),)),),
                        organization=text("Université Grenoble Alpes"),
                        location="Grenoble, France",
                        dates="Sep 2022 \u2013 present",
                        summary=(Text("Leads the "), Strong((Text("Alpine"),)), Text(" group.")),
                        highlights=(text("Teach *Statistical* Ecology"), text("")),
                    ),
                ),
            ),
            SectionBlock(
                "Skills",
                "items",
                items=(
                    ItemBlock(text("Python, R"), "Programming"),
                    ItemBlock((Text("CO"), Sup((Text("2"),)), Text(" budgets")), ""),
                ),
            ),
            SectionBlock("Empty", "entries"),
            SectionBlock(
                "Service",
                "text",
                paragraphs=(text("Associate editor\nsince   2023."), text("Reviewer.")),
            ),
            pubs,
        ),
        meta=Meta("CV", "Léa Marchetti", date="15 January 2026"),
        legends={"equal": "Equal contribution", "corresponding": "Corresponding author"},
        legend_symbols={"equal": "*", "corresponding": "\u2020"},
    )


def test_whole_document_reads_cleanly() -> None:
    out = render_text(sample())
    assert out == (
        "Léa Marchetti\n"
        "Assistant Professor of Computational Ecology\n"
        "Email: lea@example.org\n"
        "Phone: +33 1 23\n"
        "Website: https://lea.example.org\n"
        "GitHub: https://github.com/lmarchetti\n"
        "\n"
        "POSITIONS\n"
        "\n"
        "Assistant Professor (https://uga.example)\n"
        "Université Grenoble Alpes, Grenoble, France\n"
        "Sep 2022 \u2013 present\n"
        "Leads the Alpine group.\n"
        "\u2022 Teach *Statistical* Ecology\n"
        "\n"
        "SKILLS\n"
        "\n"
        "Programming: Python, R\n"
        "\u2022 CO2 budgets\n"
        "\n"
        "SERVICE\n"
        "\n"
        "Associate editor since 2023.\n"
        "\n"
        "Reviewer.\n"
        "\n"
        "PUBLICATIONS\n"
        "\n"
        "2024\n"
        "2. Jona Ruthardt and Yuki M. Asano*\u2020. Do Better Language Models Have Crisper"
        " Vision? ICLR, 2024. \u2014 Oral presentation (arXiv: https://arxiv.org/abs/2410.07173)\n"
        "\n"
        "2020\n"
        "1. João F. Henriques. Self-labelling. ICLR, 2020.\n"
        "\n"
        "* Equal contribution\n"
        "\u2020 Corresponding author\n"
        "\n"
        "Last updated: 15 January 2026\n"
    )


def test_no_markdown_or_html_symbols_from_structure() -> None:
    out = render_text(sample())
    assert "**" not in out and "](" not in out and "<" not in out
    assert not re.search(r"^(#|- |> )", out, re.MULTILINE)
    assert "EMPTY" not in out  # a heading with nothing under it is dropped


def test_legend_only_for_marks_used_in_that_section() -> None:
    doc = sample()
    plain_pubs = SectionBlock(
        "Talks", "publications", groups=(PubGroup("", (PubItem("t", text("A talk.")),)),)
    )
    doc = Document(doc.header, (plain_pubs,), doc.meta, doc.legends, doc.legend_symbols)
    out = render_text(doc)
    assert "Equal contribution" not in out
    assert "A talk.\n" in out


def test_hostile_characters_are_removed() -> None:
    assert clean("a\u202eb\x00c\x1b[31m\u00add\r\ne\tf") == "abc[31md e f"
    assert clean("  Cafe\u0301  ") == "Café"


def test_unsafe_link_shows_text_only() -> None:
    doc = sample()
    section = SectionBlock(
        "Links",
        "text",
        paragraphs=(
            (Link("javascript:alert(1)", (Text("click"),)),),
            (Link("https://example.org/", (Text("example.org"),)),),
        ),
    )
    doc = Document(doc.header, (section,), doc.meta)
    out = render_text(doc)
    assert "javascript" not in out
    assert "click\n\nhttps://example.org/\n" in out


def test_lines_are_never_hard_wrapped() -> None:
    long = "word " * 200
    doc = sample()
    doc = Document(doc.header, (SectionBlock("About", "text", paragraphs=(text(long),)),), doc.meta)
    lines = render_text(doc).splitlines()
    assert (long.strip()) in lines


def test_contact_labels_follow_the_cv_language() -> None:
    """The pasted text's contact labels are worded in the CV's language; network names stay."""
    from pathlib import Path

    from cvbuild.build.export import make_bundle

    example = Path(__file__).parents[2] / "examples" / "funders" / "cv.yaml"
    files = make_bundle(example, "dfg", date="1. Dezember 2026", parts=["txt"]).files
    (text,) = (v.decode("utf-8") for k, v in files.items() if k.endswith(".txt"))
    head = text.split("\n\n")[0].splitlines()
    labels = [line.split(":")[0] for line in head[2:]]
    assert labels == ["E-Mail", "Telefon", "Ort", "Webseite", "ORCID", "GitHub"]
