"""JSON Resume both ways: export valid against the schema, import accepted by load_config,
and the sample's data surviving import → load → export."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cvbuild import clock
from cvbuild.bib.model import Name, Publication
from cvbuild.config.inline import parse_inline
from cvbuild.config.model import (
    CV,
    Entry,
    Item,
    Output,
    PartialDate,
    Person,
    Profile,
    PublicationQuery,
    Section,
    Variant,
)
from cvbuild.config.reader import load_config
from cvbuild.errors import InputError
from cvbuild.format.assemble import format_document
from cvbuild.jsonresume import (
    entry_kind,
    from_json_resume,
    markdown_literal,
    to_json_resume,
    yaml_scalar,
)
from cvbuild.richtext import plain
from cvbuild.select import resolve_variant, select_sections


@pytest.fixture
def schema(peers_dir: Path) -> dict[str, Any]:
    return json.loads((peers_dir / "jsonresume-schema.json").read_text())


@pytest.fixture
def sample(peers_dir: Path) -> dict[str, Any]:
    return json.loads((peers_dir / "jsonresume-sample.resume.json").read_text())


def validate(data: dict[str, Any], schema: dict[str, Any]) -> None:
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


def export(
    cv: CV, variant: Variant | None = None, pubs: dict[int, list[Publication]] | None = None
):
    variant = variant or cv.variants[0]
    sections = select_sections(cv, variant, pubs or {})
    doc = format_document(cv, resolve_variant(cv, variant), sections, today=clock.today())
    all_pubs = [p for ps in (pubs or {}).values() for p in ps]
    return to_json_resume(cv, doc, publications=all_pubs)


def import_and_load(data: Any, tmp_path: Path) -> tuple[str, CV]:
    text = from_json_resume(data)
    path = tmp_path / "cv.yaml"
    path.write_text(text, encoding="utf-8")
    return text, load_config(path)


# ---------------------------------------------------------------- import


def test_import_writes_a_starting_cv_yaml(sample: dict[str, Any]) -> None:
    text = from_json_resume(sample)
    # no schema is written beside it here: the first line points editors at none
    assert not text.startswith("# yaml-language-server:")
    assert from_json_resume(sample, schema="./cv.schema.json").startswith(
        "# yaml-language-server: $schema=./cv.schema.json\n"
    )
    data = yaml.safe_load(text)
    assert list(data) == ["person", "sections"]
    assert data["person"]["name"] == "Richard Hendriks"
    assert data["person"]["location"] == "San Francisco, California, US"
    titles = [s["title"] for s in data["sections"]]
    assert titles == [
        "Summary", "Experience", "Volunteering", "Education", "Awards", "Publications",
        "Projects", "Skills", "Languages", "Interests",
    ]  # fmt: skip
    work = data["sections"][1]["entries"][0]
    assert work["title"] == "CEO/President" and work["organization"] == "Pied Piper"
    assert str(work["start"]) == "2013-12-01"
    # what cvbuild has no field for stays visible, as a comment
    assert "# level: Master" in text and "# score: 4.0" in text
    assert "# description: Awesome compression company" in text


def test_imported_yaml_is_accepted_by_load_config(sample: dict[str, Any], tmp_path: Path) -> None:
    _, cv = import_and_load(sample, tmp_path)
    assert cv.person.email == "richard.hendriks@mail.com"
    assert [p.network for p in cv.person.profiles] == ["Twitter", "SoundCloud"]
    edu = next(s for s in cv.sections if s.title == "Education").entries[0]
    assert edu.title == "Bachelor in Information Technology"
    assert edu.start == PartialDate(2011, 6, 1) and edu.end == PartialDate(2014, 1, 1)
    skills = next(s for s in cv.sections if s.title == "Skills").items
    assert skills[0] == Item("HTML, CSS, Javascript", "Web Development")


def test_round_trip_keeps_the_sample(
    sample: dict[str, Any], schema: dict[str, Any], tmp_path: Path
) -> None:
    _, cv = import_and_load(sample, tmp_path)
    out = export(cv)
    validate(out, schema)
    basics = out["basics"]
    assert basics["name"] == sample["basics"]["name"]
    assert basics["email"] == sample["basics"]["email"]
    assert basics["label"] == sample["basics"]["label"]
    assert basics["summary"] == sample["basics"]["summary"]
    assert [p["username"] for p in basics["profiles"]] == ["neutralthoughts", "dandymusicnl"]

    def pick(records: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
        return [tuple(r.get(k) for k in keys) for r in records]

    keys = {
        "work": ("name", "position", "startDate", "endDate", "location", "url", "highlights"),
        "volunteer": ("organization", "position", "startDate", "endDate"),
        "education": ("institution", "area", "studyType", "startDate", "endDate", "url"),
        "awards": ("title", "date", "awarder", "summary"),
        "publications": ("name", "publisher", "releaseDate", "url", "summary"),
        "skills": ("name", "keywords"),
        "languages": ("language", "fluency"),
        "interests": ("name", "keywords"),
        "projects": ("name", "startDate", "endDate", "url", "highlights"),
    }
    for section, fields in keys.items():
        assert pick(out[section], *fields) == pick(sample[section], *fields), section


def test_import_then_export_is_stable(sample: dict[str, Any], tmp_path: Path) -> None:
    first, cv = import_and_load(sample, tmp_path)
    again = from_json_resume(export(cv))
    body = [line for line in first.splitlines() if not line.lstrip().startswith("#")]
    assert body == [line for line in again.splitlines() if not line.lstrip().startswith("#")]


HOSTILE = [
    "C++ *and* **bold** _x_ [link](https://evil.example) \\ back`tick`",
    "- starts like a list: and has # a hash",
    "yes",
    "@at & amp | pipe > gt % pct",
    "'quoted' \"double\"",
    "tab\there and trailing space ",
    "{braces} [brackets]",
    "\\textbf{x} <script>alert(1)</script>",
    "Ünïcødé – ‘curly’ …",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_reads_back_exactly(value: str, tmp_path: Path) -> None:
    data = {
        "basics": {"name": "Ada Lovelace", "label": value, "summary": value + "\n\n" + value},
        "work": [{"name": value, "position": value, "highlights": [value]}],
        "skills": [{"name": value.strip() or "x", "keywords": ["a", "b"]}],
    }
    _, cv = import_and_load(data, tmp_path)
    assert plain(parse_inline(cv.person.headline)) == value.strip()
    entry = cv.sections[1].entries[0]
    assert plain(parse_inline(entry.title)) == value.strip()
    assert plain(parse_inline(entry.highlights[0])) == value.strip()
    paragraphs = [plain(parse_inline(p)).strip() for p in cv.sections[0].text.split("\n\n")]
    assert paragraphs == [value.strip(), value.strip()]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_scalars_and_markdown_escapes_round_trip(value: str) -> None:
    assert yaml.safe_load(f"k: {yaml_scalar(value)}")["k"] == value
    assert plain(parse_inline(markdown_literal(value))) == value


def test_import_rejects_what_is_not_a_resume() -> None:
    with pytest.raises(InputError, match="one JSON object"):
        from_json_resume([1, 2])
    with pytest.raises(InputError, match="basics.name"):
        from_json_resume({"basics": {"email": "a@b.org"}})


def test_import_tolerates_wrong_types_and_bad_values(tmp_path: Path) -> None:
    data = {
        "basics": {"name": "Ada", "email": "not-an-email", "url": "javascript:x", "profiles": 3},
        "work": [
            {"name": "ACME", "startDate": "2020-13-45", "endDate": 7, "url": "ftp://x"},
            "nonsense",
            {"position": {"x": 1}},
        ],
        "skills": [{"keywords": "not a list"}, {"name": "Go", "level": 3}],
    }
    text, cv = import_and_load(data, tmp_path)
    assert cv.person.email == "" and cv.person.website == ""
    assert "# email: not-an-email" in text and "# startDate: 2020-13-45" in text
    work = cv.sections[0].entries
    assert [e.title for e in work] == ["ACME"] and work[0].start is None
    assert [i.text for i in cv.sections[1].items] == ["Go"]


# ---------------------------------------------------------------- export of a researcher CV


def researcher_cv(tmp_path: Path) -> tuple[CV, dict[int, list[Publication]]]:
    query = PublicationQuery(bib=(tmp_path / "papers.bib",), author_limit=2)
    cv = CV(
        person=Person(
            "Léa Marchetti",
            headline="Assistant Professor of *Computational* Ecology",
            email="lea@example.org",
            location="Grenoble, France",
            website="lea.example.org",
            profiles=(Profile("ORCID", "0000-0002-1825-0097"), Profile("Mastodon", "@lea")),
        ),
        sections=(
            Section("About", "text", text="I model **alpine** plants.\n\nAnd snow."),
            Section(
                "Positions",
                "entries",
                entries=(
                    Entry(
                        "Assistant Professor",
                        "Université Grenoble Alpes",
                        start=PartialDate(2022, 9),
                        end=PartialDate(present=True),
                        highlights=("Lead the *group*",),
                        tags=("academic",),
                    ),
                    Entry("Barista", "Café", start=PartialDate(2010), end=PartialDate(2011), tags=("life",)),
                    Entry("Postdoc", "ETH Zürich", start=PartialDate(2019, 10), end=PartialDate(2022, 8)),
                ),
            ),
            Section(
                "Education",
                "entries",
                entries=(Entry("PhD in Ecology", "Sorbonne Université", start=PartialDate(2015), end=PartialDate(2019)),),
            ),
            Section("Grants and Awards", "entries", entries=(Entry("ERC Starting Grant", "ERC", date=PartialDate(2024)),)),
            Section("Publications", "publications", publications=query),
            Section(
                "Skills",
                "items",
                items=(Item("Python, R; Julia", "Programming"), Item("Bayesian hierarchical models")),
            ),
            Section("Languages", "items", items=(Item("native", "Italian"),)),
        ),
        variants=(Variant("cv"), Variant("academic", tags=("academic",))),
        output=Output(dir=tmp_path / "out"),
        path=tmp_path / "cv.yaml",
    )  # fmt: skip
    pubs = [
        Publication(
            "marchetti2024",
            "article",
            {"title": "Scaling Laws of Plant Communities", "journal": "Ecology Letters", "doi": "10.1111/ele.1"},
            authors=[Name("Léa", "", "Marchetti"), Name("Jean", "", "Dupont")],
            year=2024,
            month=3,
        ),
        Publication(
            "marchetti2023",
            "misc",
            {"title": "Snow", "howpublished": "arXiv preprint", "url": "https://arxiv.org/abs/1"},
            authors=[Name("Léa", "", "Marchetti")],
            year=2023,
        ),
    ]  # fmt: skip
    return cv, {4: pubs}


def test_researcher_export_is_valid_and_mapped(schema: dict[str, Any], tmp_path: Path) -> None:
    cv, pubs = researcher_cv(tmp_path)
    out = export(cv, pubs=pubs)
    validate(out, schema)
    basics = out["basics"]
    assert basics["label"] == "Assistant Professor of Computational Ecology"
    assert basics["url"] == "https://lea.example.org"
    assert basics["location"] == {"city": "Grenoble", "countryCode": "FR"}
    assert basics["summary"] == "I model alpine plants.\n\nAnd snow."
    assert basics["profiles"][0] == {
        "network": "ORCID",
        "username": "0000-0002-1825-0097",
        "url": "https://orcid.org/0000-0002-1825-0097",
    }
    assert "url" not in basics["profiles"][1]  # Mastodon: no safe address known
    current = out["work"][0]
    assert current["startDate"] == "2022-09" and "endDate" not in current  # present
    assert current["highlights"] == ["Lead the group"]
    assert out["education"] == [
        {
            "institution": "Sorbonne Université",
            "area": "Ecology",
            "studyType": "PhD",
            "startDate": "2015",
            "endDate": "2019",
        }
    ]
    assert out["awards"] == [{"title": "ERC Starting Grant", "date": "2024", "awarder": "ERC"}]
    first, second = out["publications"]
    assert first["name"] == "Scaling Laws of Plant Communities"
    assert first["publisher"] == "Ecology Letters" and first["releaseDate"] == "2024-03"
    assert first["url"] == "https://doi.org/10.1111/ele.1"
    assert "Léa Marchetti" in first["summary"] and "Scaling" in first["summary"]
    assert second["url"] == "https://arxiv.org/abs/1" and second["publisher"] == "arXiv preprint"
    assert out["skills"] == [
        {"name": "Programming", "keywords": ["Python", "R", "Julia"]},
        {"name": "Bayesian hierarchical models"},
    ]
    assert out["languages"] == [{"language": "Italian", "fluency": "native"}]


def test_export_follows_the_variant(tmp_path: Path) -> None:
    cv, pubs = researcher_cv(tmp_path)
    out = export(cv, cv.variants[1], pubs)
    # the barista job is tagged 'life': left out; dates still come from the right entries
    assert [(w["position"], w["startDate"]) for w in out["work"]] == [
        ("Assistant Professor", "2022-09"),
        ("Postdoc", "2019-10"),
    ]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Education", "education"),
        ("Academic Degrees", "education"),
        ("Honors and Awards", "awards"),
        ("Grants", "awards"),
        ("Invited Papers", "publications"),
        ("Volunteer Work", "volunteer"),
        ("Projects", "projects"),
        ("Certificates", "certificates"),
        ("Positions", "work"),
        ("Teaching", "work"),
    ],
)
def test_entry_section_heuristic(title: str, kind: str) -> None:
    assert entry_kind(title) == kind


def test_import_drops_control_characters(tmp_path: Path) -> None:
    _, cv = import_and_load(
        {"basics": {"name": "Ada\x00 \u202eLovelace\x1b", "label": "a\x7fb"}}, tmp_path
    )
    assert cv.person.name == "Ada Lovelace" and cv.person.headline == "ab"


def test_read_json_resume_locates_syntax_errors(tmp_path: Path) -> None:
    from cvbuild.jsonresume import read_json_resume

    good = tmp_path / "ok.json"
    good.write_text('\ufeff{"basics": {"name": "Ada"}}', encoding="utf-8")
    assert read_json_resume(good) == {"basics": {"name": "Ada"}}
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "basics": {"name": "Ada",}\n}', encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_json_resume(bad)
    assert str(info.value.problems[0].location) == f"{bad}:2:28"
    with pytest.raises(InputError, match="cannot read"):
        read_json_resume(tmp_path / "missing.json")


def _example_export(variant_name: str = "cv") -> tuple[dict[str, Any], str]:
    """The researcher example exported to JSON Resume, and as plain text, from one Document."""
    from cvbuild.bib import load_publications
    from cvbuild.render.plaintext import render_text

    example = Path(__file__).parents[1] / "examples" / "researcher" / "cv.yaml"
    cv = load_config(example)
    pubs: dict[int, list[Publication]] = {}
    for index, section in enumerate(cv.sections):
        if section.kind == "publications" and section.publications is not None:
            pubs[index], _ = load_publications(section.publications.bib)
    variant = next(v for v in cv.variants if v.name == variant_name)
    doc = format_document(
        cv, resolve_variant(cv, variant), select_sections(cv, variant, pubs), today=clock.today()
    )
    return to_json_resume(cv, doc), render_text(doc)


def test_example_publications_carry_the_formatted_authors(schema: dict[str, Any]) -> None:
    out, text = _example_export()
    validate(out, schema)
    papers = out["publications"]
    assert len(papers) >= 5
    shown = " ".join(re.sub(r"[*†]", "", text).split())
    for paper in papers:
        summary = paper["summary"]
        reference, _, legend = summary.partition(" * ")
        assert "{" not in summary and "\\" not in summary and "  " not in summary
        # every author as the other outputs show them, and a star only where a legend says why
        authors = re.sub(r"[*†]", "", reference.split(". ")[0])
        assert authors in shown, authors
        if "*" in reference:
            assert summary.endswith("* Equal contribution."), summary
        assert paper["name"] in shown
    by_name = {p["name"]: p for p in papers}
    meadows = by_name["Upslope shifts of 1,200 alpine plant species under climate change"]
    assert meadows["publisher"] == "Ecology Letters" and meadows["releaseDate"] == "2024-04"
    assert meadows["url"] == "https://doi.org/10.1111/ele.14402"
    camera = by_name["Learning Species Interactions from Sparse Camera-Trap Data"]
    assert camera["summary"].startswith("Chinedu Okonkwo, L. Marchetti, Giulia Rossi")


def test_cited_works_follow_the_text_that_cites_them() -> None:
    """A text section that cites by key carries its numbered works into the summary."""
    from cvbuild.build.export import make_bundle

    example = Path(__file__).parent.parent / "examples" / "funders" / "cv.yaml"
    bundle = make_bundle(example, "sciencv", date="1 December 2026", parts=["json"])
    (data,) = (json.loads(v) for k, v in bundle.files.items() if k.endswith(".json"))
    summary = data["basics"]["summary"]
    assert "[@" not in summary
    assert "[1, 2]" in summary
    works = [p for p in summary.split("\n\n") if p.startswith("[")]
    assert [w.split("]")[0] for w in works] == ["[1", "[2", "[3", "[4"]
    assert "Upslope shifts of 1,200 alpine plant species" in works[1]
    assert "PMID: 38587027" in works[1]
