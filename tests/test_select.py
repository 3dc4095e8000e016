from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.bib.model import Publication
from cvbuild.config.model import CV, Entry, Item, Output, Person, PublicationQuery, Section, Variant
from cvbuild.select import (
    effective_query,
    file_stem,
    filter_tags,
    resolve_variant,
    select_publications,
    select_sections,
    sort_publications,
)


def pub(key: str, year: int | None, month: int | None = None, order: int = 0, **kw) -> Publication:
    return Publication(key=key, entry_type="article", fields={"title": key}, year=year,
                       month=month, order=order, **kw)  # fmt: skip


def keys(groups) -> list[list[str]]:
    return [[e.publication.key for e in g.entries] for g in groups]


Q = PublicationQuery(bib=(Path("/x.bib"),))


def test_newest_first_by_year_then_month_then_file_order() -> None:
    pubs = [pub("a", 2020, 5, 0), pub("b", 2021, None, 1), pub("c", 2020, 11, 2),
            pub("d", 2020, 11, 3), pub("e", 2020, None, 4)]  # fmt: skip
    assert [p.key for p in sort_publications(pubs)] == ["b", "c", "d", "a", "e"]


def test_non_numeric_years_first_under_their_own_label() -> None:
    pubs = [pub("old", 2019, order=0), pub("pre", None, order=1, year_label="Preprint"),
            pub("sub", None, order=2, year_label="submitted")]  # fmt: skip
    groups = select_publications(pubs, Q)
    assert [g.label for g in groups] == ["Preprint", "Submitted", "2019"]


def test_oldest_order_keeps_undated_first() -> None:
    pubs = [pub("a", 2020, order=0), pub("u", None, order=1), pub("b", 2018, order=2)]
    groups = select_publications(pubs, PublicationQuery(bib=(), order="oldest", group_by="none"))
    assert keys(groups) == [["u", "b", "a"]]


def test_group_by_type_follows_category_order() -> None:
    pubs = [pub("j", 2020, category="journal"), pub("p", 2021, category="preprint"),
            pub("c", 2019, category="conference")]  # fmt: skip
    groups = select_publications(pubs, PublicationQuery(bib=(), group_by="type"))
    assert [g.label for g in groups] == ["Journal Articles", "Conference Papers", "Preprints"]


def test_numbering_counts_down_in_reading_order() -> None:
    pubs = [pub("a", 2020), pub("b", 2022), pub("c", 2021)]
    groups = select_publications(pubs, PublicationQuery(bib=(), numbered=True, group_by="none"))
    assert [(e.number, e.publication.key) for e in groups[0].entries] == [
        (3, "b"), (2, "c"), (1, "a")]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"selected_only": True}, ["s"]),
        ({"since": 2021}, ["s", "n"]),
        ({"until": 2020}, ["n", "o"]),
        ({"types": ("preprint",)}, ["s"]),
        ({"include_keys": ("o",)}, ["o"]),
        ({"exclude_keys": ("s",)}, ["n", "o"]),
        ({"limit": 1}, ["n"]),
    ],
)
def test_filters(query: dict, expected: list[str]) -> None:
    pubs = [pub("s", 2022, selected=True, category="preprint"), pub("n", None),
            pub("o", 2019, category="journal")]  # fmt: skip
    groups = select_publications(pubs, PublicationQuery(bib=(), group_by="none", **query))
    assert sorted(keys(groups)[0]) == sorted(expected)


def test_variant_overrides_section_query_and_adds_exclusions() -> None:
    q = PublicationQuery(bib=(), author_limit=10, exclude_keys=("x",))
    v = Variant("resume", author_limit=3, selected_only=True, exclude_keys=("y",))
    eff = effective_query(q, v)
    assert (eff.author_limit, eff.selected_only, eff.exclude_keys) == (3, True, ("x", "y"))
    assert effective_query(q, Variant("cv")) == q


def make_cv() -> CV:
    sections = (
        Section("Positions", "entries", entries=(Entry("A", tags=("academic",)), Entry("B"))),
        Section("Publications", "publications", publications=Q),
        Section("Skills", "items", items=(Item("Python", tags=("industry",)), Item("R"))),
    )
    return CV(Person("Léa Marchetti"), sections, (Variant("cv"),), Output(Path("/out")))


def test_variant_section_order_and_tags() -> None:
    cv = make_cv()
    variant = Variant("r", sections=("Skills", "Positions"), tags=("industry",))
    chosen = select_sections(cv, variant, {})
    assert [s.section.title for s in chosen] == ["Skills", "Positions"]
    assert [i.text for i in chosen[0].section.items] == ["Python", "R"]
    assert [e.title for e in chosen[1].section.entries] == ["B"]


def test_filter_tags_none_keeps_everything() -> None:
    section = make_cv().sections[0]
    assert filter_tags(section, None) is section


@pytest.mark.parametrize(
    ("pattern", "name", "variant", "expected"),
    [
        ("{family}_{given}_CV", "Léa Marchetti", "cv", "Marchetti_Lea_CV"),
        ("{family}_{given}_CV_{variant}", "Zoë d'Arc", "job/1", "d_Arc_Zoe_CV_job_1"),
        ("{name}", "../../etc/passwd", "cv", "etc_passwd"),
        ("{family}", "Con", "cv", "CV"),
        ("{given}", "CON", "cv", "CON_CV"),
        ("{unknown}", "A B", "cv", "unknown"),
        ("{family}", "李 小龍", "cv", "CV"),
    ],
)
def test_file_stem_is_safe(pattern: str, name: str, variant: str, expected: str) -> None:
    assert file_stem(pattern, name, variant) == expected


def test_resolve_variant_inherits_and_names_files() -> None:
    cv = make_cv()
    base = resolve_variant(cv, Variant("cv"))
    assert (base.theme, base.paper, base.filename) == ("academic", "a4", "Marchetti_Lea_CV")
    resume = resolve_variant(cv, Variant("resume", theme="compact", paper="letter"))
    assert (resume.theme, resume.paper, resume.filename) == (
        "compact", "letter", "Marchetti_Lea_CV_resume")  # fmt: skip
