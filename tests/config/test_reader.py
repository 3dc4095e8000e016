"""cv.yaml → CV model: every key kind, defaults, and every problem located with a hint."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvbuild.config.model import (
    CV,
    Entry,
    Item,
    Output,
    PartialDate,
    Profile,
    PublicationQuery,
    RefreshSource,
    Variant,
)
from cvbuild.config.reader import load_config, load_config_text
from cvbuild.errors import InputError, Problem

from .cv_examples import GOOD_CONFIG

MINIMAL = """\
person:
  name: Jane Doe
sections:
  - title: About
    text: Hello.
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cv.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    (tmp_path / "papers.bib").write_text("@article{a, title={A}, year={2020}}\n")
    return path


def load(tmp_path: Path, text: str) -> CV:
    return load_config(write(tmp_path, text))


def problems(tmp_path: Path, text: str) -> list[Problem]:
    with pytest.raises(InputError) as info:
        load(tmp_path, text)
    return info.value.problems


def where(p: Problem) -> tuple[int, int]:
    return (p.location.line, p.location.col)


# ------------------------------------------------------------------ good input


def test_minimal_config_and_defaults(tmp_path: Path) -> None:
    cv = load(tmp_path, MINIMAL)
    assert cv.person.name == "Jane Doe"
    assert cv.path == tmp_path / "cv.yaml"
    (section,) = cv.sections
    assert (section.title, section.kind, section.text) == ("About", "text", "Hello.")
    assert section.where.line == 4
    assert cv.variants == (Variant(name="cv"),)
    assert cv.output == Output(dir=tmp_path / "output")
    assert cv.output.formats == ("pdf", "docx", "md")
    assert cv.refresh is None


def test_person_fields(tmp_path: Path) -> None:
    cv = load(
        tmp_path,
        """\
        person:
          name: José García
          aliases: [J. García, Garcia, J.]
          headline: Professor of **Things**
          email: jose@example.org
          phone: 5551234
          location: no
          website: example.org/~jose
          profiles:
            - network: GitHub
              username: jgarcia
            - {network: ORCID, username: 0000-0002-1825-0097, url: "https://orcid.org/0000-0002-1825-0097"}
        sections: []
        """,
    )
    p = cv.person
    assert p.aliases == ("J. García", "Garcia", "J.")
    assert p.headline == "Professor of **Things**"
    assert p.phone == "5551234"  # a number read as the text written
    assert p.location == "no"  # YAML 1.1 'no' is not turned into False
    assert p.website == "https://example.org/~jose"
    assert p.profiles == (
        Profile("GitHub", "jgarcia"),
        Profile("ORCID", "0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097"),
    )


def test_entries_with_dates(tmp_path: Path) -> None:
    cv = load(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: Experience
            entries:
              - title: Professor
                organization: MIT
                location: Cambridge, MA
                start: 2015-09-01
                end: present
                url: https://mit.edu
                summary: Teaching *and* research.
                highlights: [Built a lab, Won a grant]
                tags: [academic]
                optional: yes
              - title: Postdoc
                start: 2012
                end: 2015-09
              - title: Talk
                date: "2014-03"
              - title: Visit
                date_text: Spring 2010
              - title: Now
                start: 2020
                end: Now
        """,
    )
    prof, postdoc, talk, visit, now = cv.sections[0].entries
    assert cv.sections[0].kind == "entries"
    assert prof.start == PartialDate(2015, 9, 1)
    assert prof.end == PartialDate(present=True)
    assert prof.highlights == ("Built a lab", "Won a grant")
    assert prof.tags == ("academic",)
    assert prof.optional is True
    assert prof.where.line == 5
    assert postdoc.start == PartialDate(2012) and postdoc.end == PartialDate(2015, 9)
    assert talk.date == PartialDate(2014, 3) and talk.start is None
    assert visit.date_text == "Spring 2010" and visit.organization == ""
    assert now.end == PartialDate(present=True)
    assert isinstance(prof, Entry)


def test_items_strings_and_mappings(tmp_path: Path) -> None:
    cv = load(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: Skills
            tags: [cv]
            items:
              - Python, R
              - {label: Languages, text: English, tags: [a], optional: true}
              - 42
        """,
    )
    s = cv.sections[0]
    assert s.kind == "items"
    assert s.tags == ("cv",)
    assert s.items == (
        Item("Python, R"),
        Item("English", "Languages", ("a",), True),
        Item("42"),
    )


def test_publications_defaults_and_relative_bib(tmp_path: Path) -> None:
    cv = load(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: Papers
            publications:
              bib: papers.bib
        """,
    )
    query = cv.sections[0].publications
    assert query == PublicationQuery(bib=(tmp_path / "papers.bib",))
    assert query.bib[0].is_absolute()


def test_publications_all_options(tmp_path: Path) -> None:
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "old.bib").write_text("")
    cv = load(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: Papers
            publications:
              bib: [papers.bib, more/old.bib]
              group_by: type
              order: oldest
              author_limit: 5
              selected_only: true
              types: [journal, conference]
              since: 2015
              until: 2024
              limit: 20
              include_keys: [a]
              exclude_keys: [b, c]
              numbered: true
              highlight_owner: false
        """,
    )
    q = cv.sections[0].publications
    assert q.bib == (tmp_path / "papers.bib", tmp_path / "more" / "old.bib")
    assert (q.group_by, q.order, q.author_limit, q.limit) == ("type", "oldest", 5, 20)
    assert q.selected_only and q.numbered and not q.highlight_owner
    assert q.types == ("journal", "conference")
    assert (q.since, q.until) == (2015, 2024)
    assert (q.include_keys, q.exclude_keys) == (("a",), ("b", "c"))


def test_variants(tmp_path: Path) -> None:
    cv = load(
        tmp_path,
        MINIMAL
        + """\
  - title: Papers
    publications: {bib: papers.bib}
variants:
  full:
  short:
    sections: [Papers, About]
    tags: [core]
    selected_only: true
    since: 2018
    types: [journal]
    include_keys: [k1]
    limit: 10
    author_limit: 3
    theme: compact
    formats: [pdf, pdf, md]
    paper: letter
    filename: Doe_short
    max_pages: 2
""",
    )
    full, short = cv.variants
    assert full == Variant(name="full")
    assert short.sections == ("Papers", "About")
    assert short.tags == ("core",)
    assert short.selected_only is True and short.since == 2018 and short.until is None
    assert short.types == ("journal",) and short.include_keys == ("k1",)
    assert (short.limit, short.author_limit, short.max_pages) == (10, 3, 2)
    assert (short.theme, short.paper, short.filename) == ("compact", "letter", "Doe_short")
    assert short.formats == ("pdf", "md")


def test_output_options(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    cv = load(
        tmp_path,
        MINIMAL
        + """\
output:
  dir: build/cv
  formats: [tex, pdf]
  theme: compact
  engine: lualatex
  paper: letter
  font: Linux Libertine O
  date: January 2026
  templates: tpl
  filename: "{family}_CV"
""",
    )
    o = cv.output
    assert o.dir == tmp_path / "build" / "cv"
    assert o.formats == ("tex", "pdf")
    assert (o.theme, o.engine, o.paper) == ("compact", "lualatex", "letter")
    assert (o.font, o.date, o.filename) == ("Linux Libertine O", "January 2026", "{family}_CV")
    assert o.templates == tmp_path / "tpl"


def test_variants_and_output_know_where_cv_yaml_sets_them(tmp_path: Path) -> None:
    cv = load(
        tmp_path,
        MINIMAL
        + """\
variants:
  cv:
  resume:
    theme: compact
    max_pages: 2
output:
  engine: lualatex
  paper: letter
""",
    )
    name = str(tmp_path / "cv.yaml")
    full, resume = cv.variants
    assert str(full.where) == f"{name}:7:3"
    assert str(resume.where) == f"{name}:8:3"
    assert str(resume.where_of("max_pages")) == f"{name}:10:16"
    assert resume.where_of("paper") == resume.where  # not set: the variant's own line
    assert str(cv.output.where_of("engine")) == f"{name}:12:11"
    # a variant's theme is its own; its paper comes from output
    assert str(cv.where_set(resume, "theme")) == f"{name}:9:12"
    assert str(cv.where_set(resume, "paper")) == f"{name}:13:10"
    assert str(cv.where_set(full, "engine")) == f"{name}:12:11"


def test_defaults_point_at_the_file(tmp_path: Path) -> None:
    cv = load(tmp_path, MINIMAL)
    name = str(tmp_path / "cv.yaml")
    (variant,) = cv.variants
    assert str(variant.where_of("max_pages")) == name
    assert str(cv.where_set(variant, "engine")) == name


def test_refresh_sources(tmp_path: Path) -> None:
    cv = load(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: Papers
            publications: {bib: [papers.bib, managed.bib]}
        refresh:
          into: managed.bib
          mailto: jane@example.org
          sources:
            - dblp: "95/7448-1"
            - orcid: 0000-0002-1825-0097
            - crossref: {orcid: 0000-0002-1825-0097, base_url: "http://127.0.0.1:8000"}
        """,
    )
    r = cv.refresh
    assert r is not None
    assert r.into == tmp_path / "managed.bib"  # need not exist before the first refresh
    assert r.mailto == "jane@example.org"
    assert r.sources == (
        RefreshSource("dblp", "95/7448-1"),
        RefreshSource("orcid", "0000-0002-1825-0097"),
        RefreshSource(
            "crossref",
            "",
            (("orcid", "0000-0002-1825-0097"), ("base_url", "http://127.0.0.1:8000")),
        ),
    )


def test_empty_values_mean_not_set(tmp_path: Path) -> None:
    cv = load(
        tmp_path,
        """\
        person:
          name: Jane
          headline:
          profiles:
        sections:
          - title: X
            entries:
              - title: Y
                summary:
                highlights:
        output:
        """,
    )
    assert cv.person.headline == "" and cv.person.profiles == ()
    assert cv.sections[0].entries[0].highlights == ()


def test_example_config_loads(tmp_path: Path) -> None:
    cv = load(tmp_path, GOOD_CONFIG)
    assert [s.title for s in cv.sections] == ["Education", "Publications", "Skills", "About"]


# ------------------------------------------------------------------ problems


def test_unknown_top_key_did_you_mean(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, MINIMAL + "sectoins: []\n")
    assert where(p) == (6, 1)
    assert p.message == "unknown key 'sectoins'"
    assert p.hint == "did you mean 'sections'?"
    assert str(p).endswith("cv.yaml:6:1: error: unknown key 'sectoins' (did you mean 'sections'?)")


def test_institution_is_not_silently_accepted(tmp_path: Path) -> None:
    (p,) = problems(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: Education
            entries:
              - title: PhD
                institution: MIT
        """,
    )
    assert where(p) == (6, 9)
    assert "unknown key 'institution'" in p.message
    assert "organization" in p.hint


def test_unknown_key_without_close_match_lists_allowed_keys(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, "person:\n  name: J\n  zzqx: 1\nsections: []\n")
    assert where(p) == (3, 3)
    assert "name" in p.hint and "profiles" in p.hint


def test_wrong_type_messages(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        person:
          name: Jane
          aliases: 5
        sections:
          - title: X
            entries:
              - title: Y
                highlights: [ok, [nested]]
                optional: maybe
        """,
    )
    by_line = {p.location.line: p for p in found}
    assert by_line[3].message == "'aliases': expected a list of strings, got a number"
    assert where(by_line[3]) == (3, 12)
    assert by_line[8].message == "'highlights': expected a string, got a list"
    assert where(by_line[8]) == (8, 26)
    assert by_line[9].message == "'optional': expected true or false, got text"
    assert len(found) == 3


def test_missing_required_keys(tmp_path: Path) -> None:
    found = problems(tmp_path, "person:\n  email: a@b.org\nsections:\n  - entries: []\n")
    messages = {(where(p), p.message) for p in found}
    assert ((2, 3), "person is missing the required key 'name'") in messages
    assert ((4, 5), "a section is missing the required key 'title'") in messages


def test_section_needs_exactly_one_kind(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: Empty
          - title: Both
            text: hi
            items: [a]
        """,
    )
    assert [where(p) for p in found] == [(3, 5), (6, 5)]
    assert "needs one of: entries, publications, items, text" in found[0].message
    assert "has both 'text' and 'items'" in found[1].message


def test_bad_dates(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: X
            entries:
              - {title: A, start: 2015-13}
              - {title: B, start: Sept 2015}
              - {title: C, start: 2015-02-30}
              - {title: D, start: present}
              - {title: E, start: 2015-01-01 10:00:00}
              - {title: F, start: 2016, end: 2015}
              - {title: G, end: 2015}
              - {title: H, date: 2015, start: 2014}
              - {title: I, start: 2015-09, end: 2015}
        """,
    )
    lines = sorted(p.location.line for p in found)
    assert lines == [5, 6, 7, 8, 9, 10, 11, 12]
    by_line = {p.location.line: p for p in found}
    assert by_line[5].message == "'start': '2015-13' is not a date"
    assert where(by_line[5]) == (5, 27)
    assert "YYYY-MM" in by_line[5].hint
    assert "cannot be 'present'" in by_line[8].message
    assert "ends before it starts" in by_line[10].message
    assert "'end' without 'start'" in by_line[11].message
    assert "'date' and also 'start'" in by_line[12].message


def test_enum_did_you_mean(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        MINIMAL + "output:\n  formats: [pdf, docs]\n  engine: xetex\n  theme: fancy\n",
    )
    by_line = {p.location.line: p for p in found}
    assert by_line[7].message == "'formats': 'docs' is not one of pdf, docx, md, tex, html"
    assert by_line[7].hint == "did you mean 'docx'?"
    assert where(by_line[7]) == (7, 18)
    assert by_line[8].hint == "did you mean 'xelatex'?"
    assert by_line[9].hint == "use one of: academic, compact"


def test_numbers_out_of_range(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: P
            publications: {bib: papers.bib, author_limit: -1, since: 15, limit: ten}
        """,
    )
    messages = sorted(p.message for p in found)
    assert messages == [
        "'author_limit' must be 0 or more, got -1",
        "'limit': expected a whole number, got text",
        "'since' must be 1000 or more, got 15",
    ]


def test_publication_types_must_be_categories(tmp_path: Path) -> None:
    (p,) = problems(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: P
            publications: {bib: papers.bib, types: [journals]}
        """,
    )
    assert p.hint == "did you mean 'journal'?"


def test_missing_bib_is_located(tmp_path: Path) -> None:
    (p,) = problems(
        tmp_path,
        """\
        person: {name: Jane}
        sections:
          - title: P
            publications:
              bib: [papers.bib, nope.bib]
        """,
    )
    assert where(p) == (5, 25)
    assert p.message == f"bib file not found: {tmp_path / 'nope.bib'}"


def test_variant_names_missing_section(tmp_path: Path) -> None:
    (p,) = problems(
        tmp_path,
        MINIMAL + "variants:\n  short:\n    sections: [Abuot]\n",
    )
    assert where(p) == (8, 16)
    assert p.message == "variant 'short' names no section titled 'Abuot'"
    assert p.hint == "did you mean 'About'?"


def test_variant_name_must_be_a_folder_name(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, MINIMAL + "variants:\n  ../evil:\n")
    assert where(p) == (7, 3)
    assert "not a valid name" in p.message


def test_duplicate_section_titles(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, MINIMAL + "  - title: About\n    text: again\n")
    assert where(p) == (6, 12)
    assert "two sections are titled 'About'" in p.message


def test_refresh_problems(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        MINIMAL
        + """\
refresh:
  sources:
    - dbpl: x
    - orcid:
    - crossref: {orcd: 1}
    - just text
""",
    )
    messages = [(where(p), p.message, p.hint) for p in found]
    assert ((7, 3), "refresh is missing the required key 'into'", "add 'into: ...'") in [
        (w, m, h) for w, m, h in messages
    ]
    assert any(
        w == (8, 7) and m == "unknown source 'dbpl'" and h == "did you mean 'dblp'?"
        for w, m, h in messages
    )
    assert any(w[0] == 9 and "needs a value" in m for w, m, h in messages)
    assert any(w == (10, 18) and "unknown key 'orcd'" in m for w, m, h in messages)
    assert any(w == (11, 7) and "expected a source" in m for w, m, h in messages)


def test_five_mistakes_five_problems(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        """\
        person:
          nmae: Jane
        sections:
          - title: Work
            entries:
              - title: Job
                start: someday
          - title: Papers
            publications: {bib: papers.bib, order: newset}
        variants:
          short: {sections: [Wrok]}
        output: {paper: a5}
        """,
    )
    assert [where(p) for p in found] == [(2, 3), (7, 16), (9, 44), (11, 22), (12, 17)]
    texts = [str(p) for p in found]
    assert any("unknown key 'nmae' (did you mean 'name'?)" in t for t in texts)


def test_wrong_top_level_shape(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, "- a\n- b\n")
    assert where(p) == (1, 1)
    assert "must be a mapping" in p.message


def test_empty_file(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, "")
    assert p.message == "the file is empty"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_config(tmp_path / "cv.yaml")
    (p,) = info.value.problems
    assert p.location.file == str(tmp_path / "cv.yaml")
    assert p.message == "file not found"


def test_syntax_error_through_load(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, "person:\n  name: 'Jane\nsections: []\n")
    assert "YAML syntax error" in p.message
    assert p.location.line >= 2


def test_bad_url_and_email(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        "person:\n  name: J\n  email: not an email\n  website: javascript:alert(1)\nsections: []\n",
    )
    assert [p.message for p in found] == [
        "'email': 'not an email' is not an email address",
        "'website': 'javascript:alert(1)' is not a web address",
    ]


def test_rendercv_file_gives_located_problems(peers_dir: Path) -> None:
    path = peers_dir / "rendercv-john-doe-classic.yaml"
    with pytest.raises(InputError) as info:
        load_config(path)
    found = info.value.problems
    cv_key = next(p for p in found if p.message == "unknown key 'cv'")
    assert where(cv_key) == (2, 1)
    assert "RenderCV" in cv_key.hint and "person" in cv_key.hint
    assert all(p.location.file == str(path) and p.location.line > 0 for p in found)
    messages = {p.message for p in found}
    assert "cv.yaml is missing the required key 'person'" in messages
    assert "unknown key 'design'" in messages


def test_rendercv_stress_file_gives_located_problems(peers_dir: Path) -> None:
    with pytest.raises(InputError) as info:
        load_config(peers_dir / "rendercv-academic-stress.yaml")
    assert all(p.location.line > 0 for p in info.value.problems)


# ------------------------------------------------------------------ never a traceback

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.sampled_from(["2015", "2015-09", "present", "x", "", "no", "pdf", "a4", "papers.bib"]),
    st.text(max_size=8),
)
_keys = st.sampled_from(
    [
        "person",
        "name",
        "sections",
        "title",
        "entries",
        "items",
        "text",
        "publications",
        "bib",
        "variants",
        "output",
        "refresh",
        "into",
        "sources",
        "start",
        "end",
        "formats",
        "dblp",
        "x",
    ]
)
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(_keys, children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_values)
def test_fuzz_structures_never_crash(value: object) -> None:
    import yaml

    text = yaml.safe_dump(value, allow_unicode=True)
    try:
        load_config_text(text, Path("/nonexistent/cv.yaml"))
    except InputError as exc:
        assert exc.problems
        assert all(p.message for p in exc.problems)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab:- \n\t[]{}&*!'\"#|>%@`,?\\x0")), max_size=40))
def test_fuzz_text_never_crashes(text: str) -> None:
    try:
        load_config_text(text, Path("/nonexistent/cv.yaml"))
    except InputError as exc:
        assert exc.problems


def test_decimal_where_whole_number_expected(tmp_path: Path) -> None:
    (p,) = problems(
        tmp_path,
        "person: {name: J}\nsections:\n  - title: P\n    publications: {bib: papers.bib, limit: 2.5}\n",
    )
    assert p.message == "'limit': expected a whole number, got a decimal number"


def test_misspelt_required_key_is_one_problem_not_two(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, "person:\n  nmae: Jane\nsections: []\n")
    assert str(p).endswith("cv.yaml:2:3: error: unknown key 'nmae' (did you mean 'name'?)")


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (p,) = problems(tmp_path, "person: " + "[" * 3000 + "]" * 3000 + "\n")
    assert p.location.line == 1
