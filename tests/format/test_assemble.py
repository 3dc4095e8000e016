from __future__ import annotations

import datetime as dt
from pathlib import Path

from cvbuild.bib.model import Name, Publication
from cvbuild.config.model import (
    CV,
    Entry,
    Output,
    PartialDate,
    Person,
    Profile,
    PublicationQuery,
    Section,
    Variant,
)
from cvbuild.format.assemble import contacts, format_document
from cvbuild.format.dates import format_range
from cvbuild.format.urls import safe_url
from cvbuild.richtext import Link, Mark, Strong, plain, walk
from cvbuild.select import resolve_variant, select_sections


def test_date_ranges() -> None:
    d = PartialDate
    assert format_range(d(2015, 9), d(present=True)) == "Sep 2015 – present"
    assert format_range(d(2015), d(2019)) == "2015 – 2019"
    assert format_range(d(2015), d(2015)) == "2015"
    assert format_range(None, None, d(2021)) == "2021"
    assert format_range(d(2015), None, text="Spring 2020") == "Spring 2020"


def test_contacts_link_only_safe_schemes() -> None:
    person = Person(
        "A B",
        email="a@b.org",
        phone="+1 (555) 010-9999",
        website="example.org/~ab",
        profiles=(
            Profile("GitHub", "ab"),
            Profile("ORCID", "0000-0001"),
            Profile("Blog", url="javascript:alert(1)"),
        ),
    )
    found = {c.kind: c for c in contacts(person)}
    assert found["email"].url == "mailto:a@b.org"
    assert found["phone"].url == "tel:+15550109999"
    assert (
        found["website"].url == "https://example.org/~ab"
        and found["website"].text == "example.org/~ab"
    )
    assert found["github"].url == "https://github.com/ab"
    assert found["orcid"].url == "https://orcid.org/0000-0001"
    assert found["blog"].url == ""
    assert safe_url("JavaScript:x") == "" and safe_url(" https://x ") == "https://x"


def test_document_has_owner_bold_marks_and_legends_only_when_used() -> None:
    marked = Publication(
        "k1", "article", {"title": "Marked", "journal": "J"}, year=2024,
        authors=[Name("Léa", "", "Marchetti", marks=frozenset({"equal"})), Name("Ana", "", "Rossi")],
    )  # fmt: skip
    plain_pub = Publication(
        "k2", "article", {"title": "Plain"}, year=2020, authors=[Name("X", "", "Y")]
    )
    cv = CV(
        Person("Léa Marchetti", headline="Professor of **Ecology**"),
        (
            Section(
                "Jobs",
                "entries",
                entries=(Entry("Prof", url="https://u.example", start=PartialDate(2020)),),
            ),
            Section("Papers", "publications", publications=PublicationQuery(bib=(Path("/p.bib"),))),
        ),
        (Variant("cv"),),
        Output(Path("/out")),
    )
    variant = resolve_variant(cv, cv.variants[0])
    doc = format_document(
        cv,
        variant,
        select_sections(cv, cv.variants[0], {1: [marked, plain_pub]}),
        today=dt.date(2026, 1, 15),
    )
    assert doc.legends == {"equal": "Equal contribution"} and doc.legend_symbols == {"equal": "*"}
    papers = doc.sections[1]
    assert papers.marks == ("equal",)
    first = papers.groups[0].items[0].text
    strong = [n for n in walk(first) if isinstance(n, Strong)]
    assert [plain(s.children) for s in strong] == ["Léa Marchetti"]
    assert any(isinstance(n, Mark) and n.kind == "equal" for n in walk(first))
    assert [g.label for g in papers.groups] == ["2024", "2020"]
    assert isinstance(doc.sections[0].entries[0].title[0], Link)
    assert doc.sections[0].entries[0].dates == "2020"
    assert plain(doc.header.headline) == "Professor of Ecology"
    assert doc.meta.date == "15 January 2026"  # SOURCE_DATE_EPOCH from conftest


def test_the_shown_date_is_handed_in_not_read_from_the_environment(monkeypatch) -> None:
    import datetime as dt

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1768478400")  # 15 January 2026
    cv = CV(Person("Léa Marchetti"), (), (Variant("cv"),), Output(Path("/out")))
    variant = resolve_variant(cv, cv.variants[0])
    doc = format_document(cv, variant, [], today=dt.date(2020, 1, 2))
    assert doc.meta.date == "2 January 2020"
    assert (
        format_document(cv, variant, [], date_text="Spring", today=dt.date(2020, 1, 2)).meta.date
        == "Spring"
    )


def test_the_format_stage_reads_no_environment_and_no_clock() -> None:
    import re

    import cvbuild.format

    folder = Path(cvbuild.format.__file__).parent
    pattern = re.compile(r"os\.environ|getenv|\btime\.|datetime\.now|date\.today")
    found = [
        f"{path.name}:{n}"
        for path in sorted(folder.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []
