from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from cvbuild.bib.model import CORRESPONDING, EQUAL, Name, Publication
from cvbuild.config.model import CV, Entry, Item, Output, Person, PublicationQuery, Section, Variant
from cvbuild.format.owner import OwnerMatcher
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
            pub("sub", None, order=2, year_label="submitted"),
            pub("odd", None, order=3, year_label="under revision"),
            pub("none", None, order=4)]  # fmt: skip
    groups = select_publications(pubs, Q)
    # select hands over group ids: phrase keys for the labels cvbuild words, else the text
    labels = [g.label for g in groups]
    assert labels == ["preprint", "submitted", "Under revision", "undated", "2019"]
    from cvbuild.format.assemble import group_label
    from cvbuild.i18n.phrases import Phrases

    assert [group_label(x, Phrases()) for x in labels] == [
        "Preprint", "Submitted", "Under revision", "Undated", "2019"]  # fmt: skip
    assert [group_label(x, Phrases("de")) for x in labels] == [
        "Vorabdruck", "Eingereicht", "Under revision", "Ohne Datum", "2019"]  # fmt: skip


def test_oldest_order_keeps_undated_first() -> None:
    pubs = [pub("a", 2020, order=0), pub("u", None, order=1), pub("b", 2018, order=2)]
    groups = select_publications(pubs, PublicationQuery(bib=(), order="oldest", group_by="none"))
    assert keys(groups) == [["u", "b", "a"]]


def test_group_by_type_follows_category_order() -> None:
    pubs = [pub("j", 2020, category="journal"), pub("p", 2021, category="preprint"),
            pub("c", 2019, category="conference")]  # fmt: skip
    groups = select_publications(pubs, PublicationQuery(bib=(), group_by="type"))
    assert [g.label for g in groups] == ["cat_journal", "cat_conference", "cat_preprint"]


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


# --------------------------------------------------------------- numbering, filters (issue 12)


def numbers(groups) -> list[list[object]]:
    return [[e.number for e in g.entries] for g in groups]


def cat_pub(key: str, year: int, category: str, order: int) -> Publication:
    return pub(key, year, order=order, category=category)


MIXED = [cat_pub("j2", 2022, "journal", 0), cat_pub("c1", 2022, "conference", 1),
         cat_pub("j1", 2021, "journal", 2), cat_pub("p1", 2021, "preprint", 3),
         cat_pub("c0", 2020, "conference", 4)]  # fmt: skip


def test_numbered_reverse_newest_gets_the_highest_number() -> None:
    for numbered in ({"numbered": True}, {"numbered": True, "number_order": "reverse"}):
        q = PublicationQuery(bib=(), **numbered)
        assert numbers(select_publications(MIXED, q)) == [[5, 4], [3, 2], [1]]
    oldest = PublicationQuery(bib=(), numbered=True, order="oldest")
    assert numbers(select_publications(MIXED, oldest)) == [[1], [2, 3], [4, 5]]


def test_numbered_ascending_counts_up_the_page() -> None:
    q = PublicationQuery(bib=(), numbered=True, number_order="ascending")
    assert numbers(select_publications(MIXED, q)) == [[1, 2], [3, 4], [5]]


def test_numbering_per_group_starts_again() -> None:
    q = PublicationQuery(bib=(), numbered=True, numbering="per_group")
    assert numbers(select_publications(MIXED, q)) == [[2, 1], [2, 1], [1]]
    q = replace(q, number_order="ascending")
    assert numbers(select_publications(MIXED, q)) == [[1, 2], [1, 2], [1]]


def test_prefix_labels_count_per_category() -> None:
    q = PublicationQuery(bib=(), numbered=True, prefix=(("journal", "J"), ("conference", "C")))
    assert numbers(select_publications(MIXED, q)) == [["J2", "C2"], ["J1", 1], ["C1"]]
    by_type = replace(q, group_by="type", number_order="ascending")
    assert numbers(select_publications(MIXED, by_type)) == [["J1", "J2"], ["C1", "C2"], [1]]


def test_unnumbered_has_no_numbers() -> None:
    assert numbers(select_publications(MIXED, Q)) == [[None, None], [None, None], [None]]


def with_keywords(key: str, keywords: str) -> Publication:
    return Publication(key, "article", {"title": key, "keywords": keywords}, year=2020)


def test_keywords_filter_is_case_insensitive_and_splits_at_commas_and_semicolons() -> None:
    pubs = [with_keywords("a", "Ecology, Remote Sensing"), with_keywords("b", "ml;  Ecology"),
            with_keywords("c", "deep learning"), with_keywords("d", "")]  # fmt: skip
    q = PublicationQuery(bib=(), keywords=("remote sensing", "ML"))
    assert keys(select_publications(pubs, q)) == [["a", "b"]]
    q = PublicationQuery(bib=(), keywords=("ecology",))
    assert keys(select_publications(pubs, q)) == [["a", "b"]]


def authored(key: str, *names: Name) -> Publication:
    return Publication(key, "article", {"title": key}, authors=list(names), year=2020)


ME = OwnerMatcher("Léa Marchetti")


def test_first_author_only_counts_shared_first_place() -> None:
    me, other = Name("Léa", family="Marchetti"), Name("Jean", family="Dupont")
    pubs = [
        authored("first", me, other),
        authored("second", other, me),
        authored("cofirst", Name("Jean", family="Dupont", marks=frozenset({EQUAL})),
                 Name("L.", family="Marchetti", marks=frozenset({EQUAL}))),
        authored("third-equal", other, Name("X", family="Y", marks=frozenset({EQUAL})),
                 Name("L.", family="Marchetti", marks=frozenset({EQUAL}))),
    ]  # fmt: skip
    q = PublicationQuery(bib=(), group_by="none", first_author_only=True)
    assert keys(select_publications(pubs, q, ME)) == [["first", "cofirst"]]
    assert keys(select_publications(pubs, q)) == []  # without an owner nothing is "mine"


def test_corresponding_only() -> None:
    me_corr = Name("Léa", family="Marchetti", marks=frozenset({CORRESPONDING}))
    other_corr = Name("Jean", family="Dupont", marks=frozenset({CORRESPONDING}))
    pubs = [authored("mine", other_corr, me_corr),
            authored("theirs", other_corr, Name("Léa", family="Marchetti"))]  # fmt: skip
    q = PublicationQuery(bib=(), group_by="none", corresponding_only=True)
    assert keys(select_publications(pubs, q, ME)) == [["mine"]]


def test_variant_overrides_style_and_filters() -> None:
    q = PublicationQuery(bib=(), style="apa")
    v = Variant("v", style="ieee", first_author_only=True, keywords=("ml",))
    eff = effective_query(q, v)
    assert (eff.style, eff.first_author_only, eff.keywords) == ("ieee", True, ("ml",))


def test_a_keywords_filter_that_empties_a_section_says_what_keywords_there_are() -> None:
    section = Section("Papers", "publications", publications=PublicationQuery(
        bib=(Path("/x/p.bib"),), keywords=("genomics",)))  # fmt: skip
    cv = CV(Person("Léa Marchetti"), (section,), (Variant("cv"),), Output(Path("/o")))
    pubs = [with_keywords("a", "Ecology, Remote Sensing")]
    (chosen,) = select_sections(cv, Variant("cv"), {0: pubs})
    (note,) = chosen.warnings
    assert note.message == (
        "section 'Papers' is empty and left out: keywords [genomics] matched 0 of 1 entry "
        "in p.bib; their keywords are ecology, remote sensing"
    )
