"""Splitting author lists into names: a table of real spellings from the peer files."""

from __future__ import annotations

import time

import pytest

from cvbuild.bib.model import CORRESPONDING, EQUAL
from cvbuild.bib.names import comma_list, parse_names

E = frozenset({EQUAL})
C = frozenset({CORRESPONDING})
EC = frozenset({EQUAL, CORRESPONDING})
NONE: frozenset[str] = frozenset()

# raw one-name value → (given, von, family, jr, marks)
SINGLE = [
    # "von Last, First" and "First von Last" (peers: asano, extrafields, pybtex-xampl)
    ("Asano, Yuki M.", ("Yuki M.", "", "Asano", "", NONE)),
    ("Yuki M. Asano", ("Yuki M.", "", "Asano", "", NONE)),
    ("van der Walt, {S}t\\'efan", ("Stéfan", "van der", "Walt", "", NONE)),
    ("Winfried van den dool", ("Winfried", "van den", "dool", "", NONE)),
    ("van der Ouderaa, Tycho FA", ("Tycho FA", "van der", "Ouderaa", "", NONE)),
    ("de Last, Jr., First Middle", ("First Middle", "de", "Last", "Jr.", NONE)),
    # trailing particle of the First part moves to von (stretcu)
    ("Merriënboer, Bart van", ("Bart", "van", "Merriënboer", "", NONE)),
    # braces protect (oman, extrafields)
    ("{de Blok}, W.~J.~G.", ("W. J. G.", "", "de Blok", "", NONE)),
    ("{Mancera Pi{\\~n}a}, P.~E.", ("P. E.", "", "Mancera Piña", "", NONE)),
    ("{Nunez-Iglesias}, {J}uan", ("Juan", "", "Nunez-Iglesias", "", NONE)),
    ('{S}ch\\"onberger, {J}ohannes {L}.', ("Johannes L.", "", "Schönberger", "", NONE)),
    ("{B}oulogne, {F}ran\\c{c}ois", ("François", "", "Boulogne", "", NONE)),
    (
        "{Dudzevi{\\v{c}}i{\\={u}}t{\\.{e}}}, Ugn{\\.{e}}",
        ("Ugnė", "", "Dudzevičiūtė", "", NONE),
    ),
    ("{Ben{\\'\\i}tez-Llambay}, Alejandro", ("Alejandro", "", "Benítez-Llambay", "", NONE)),
    ('Ulrich {\\"{U}}nderwood', ("Ulrich", "", "Ünderwood", "", NONE)),
    ("{\\'{E}}douard Masterly", ("Édouard", "", "Masterly", "", NONE)),
    ("Jackson, P\\'eter", ("Péter", "", "Jackson", "", NONE)),
    ("{Lagos}, Claudia del P.", ("Claudia del P.", "", "Lagos", "", NONE)),
    # Cyrillic (pybtex-cyrillic)
    ("Викторов, Михаил Маркович", ("Михаил Маркович", "", "Викторов", "", NONE)),
    # missing space after the comma (ding, stretcu)
    ("Qin,Yujia", ("Yujia", "", "Qin", "", NONE)),
    ("Rashtchian,Cyrus", ("Cyrus", "", "Rashtchian", "", NONE)),
    ("Ding,Ning,", ("Ning", "", "Ding", "", NONE)),
    # marks of every kind
    ("Einstein*†, A.", ("A.", "", "Einstein", "", EC)),
    ("Ning* Ding", ("Ning", "", "Ding", "", E)),
    ("Ding, Ning*", ("Ning", "", "Ding", "", E)),
    ("Lv*,Xingtai", ("Xingtai", "", "Lv", "", E)),
    ("Stretcu<nobr><em>*</em></nobr>, Otilia", ("Otilia", "", "Stretcu", "", E)),
    ("Xu$^*$, Jia", ("Jia", "", "Xu", "", E)),
    ("Xu$^{*}$, Jia", ("Jia", "", "Xu", "", E)),
    ("Jia Xu\\textsuperscript{*}", ("Jia", "", "Xu", "", E)),
    ("Jia Xu<sup>*</sup>", ("Jia", "", "Xu", "", E)),
    ("Jia Xu∗", ("Jia", "", "Xu", "", E)),
    ("Xu\\dag, Jia", ("Jia", "", "Xu", "", C)),
    ("Xu\\dagger{}, Jia", ("Jia", "", "Xu", "", C)),
    ("Xu$^\\dagger$, Jia", ("Jia", "", "Xu", "", C)),
    ("Xu\\textsuperscript{\\dag}, Jia", ("Jia", "", "Xu", "", C)),
    ("Xu$^{*,\\dagger}$, Jia", ("Jia", "", "Xu", "", EC)),
    ("Xu, Jia<b></b>", ("Jia", "", "Xu", "", NONE)),
    # xampl oddities are kept as written
    ("L[eslie] A. Aamport", ("L[eslie] A.", "", "Aamport", "", NONE)),
    ("Martin Luther King Jr.", ("Martin Luther", "", "King", "Jr.", NONE)),
]


@pytest.mark.parametrize(("raw", "expected"), SINGLE, ids=[r for r, _ in SINGLE])
def test_single_name(raw: str, expected: tuple[str, str, str, str, frozenset[str]]) -> None:
    names, et_al = parse_names(raw)
    assert not et_al
    assert len(names) == 1
    n = names[0]
    assert (n.given, n.von, n.family, n.jr, n.marks) == expected
    assert n.raw == raw.strip()
    assert not n.corporate


CORPORATE = [
    ("{Mars Coral Restoration Team}", "Mars Coral Restoration Team"),
    ("Mars Coral Restoration Team", "Mars Coral Restoration Team"),  # stretcu, unbraced
    ("{Astropy Collaboration}", "Astropy Collaboration"),
    ("the scikit-image contributors", "the scikit-image contributors"),
]


@pytest.mark.parametrize(("raw", "family"), CORPORATE)
def test_corporate_names_are_kept_whole(raw: str, family: str) -> None:
    (n,), _ = parse_names(raw)
    assert n.corporate
    assert n.family == family
    assert n.given == n.von == ""


def test_and_splits_only_at_brace_depth_zero_in_any_case_and_whitespace() -> None:
    raw = "{Barnes and Noble} and Smith, J.\n   AND\tDoe, Jane and Anderson, Sandy"
    names, et_al = parse_names(raw)
    assert [n.family for n in names] == ["Barnes and Noble", "Smith", "Doe", "Anderson"]
    assert names[0].corporate
    assert not et_al


@pytest.mark.parametrize(
    "raw",
    [
        "Bhatnagar, Sahir and others",
        "Qin,Yujia and Hu, Shengding and {et al.}",
        "Smith, J. and et al.",
        "Smith, J. and Others",
        "Smith, J. and {others}",
        "Smith, J. et al.",
    ],
)
def test_others_and_et_al_are_never_a_person(raw: str) -> None:
    names, et_al = parse_names(raw)
    assert et_al
    assert all(n.family.lower() not in ("others", "et al.", "al.") for n in names)
    assert names[-1].family in ("Sahir", "Bhatnagar", "Hu", "Smith")
    assert "al" not in names[-1].given


def test_real_multi_line_list_from_extrafields() -> None:
    raw = (
        "van der Walt, {S}t\\'efan and {S}ch\\\"onberger, {J}ohannes {L}. and\n"
        "           {Nunez-Iglesias}, {J}uan and {B}oulogne, {F}ran\\c{c}ois and {W}arner,\n"
        "           {J}oshua {D}. and {Y}ager, {N}eil and {G}ouillart, {E}mmanuelle and\n"
        "           {Y}u, {T}ony and the scikit-image contributors"
    )
    names, et_al = parse_names(raw)
    assert [n.display for n in names] == [
        "Stéfan van der Walt",
        "Johannes L. Schönberger",
        "Juan Nunez-Iglesias",
        "François Boulogne",
        "Joshua D. Warner",
        "Neil Yager",
        "Emmanuelle Gouillart",
        "Tony Yu",
        "the scikit-image contributors",
    ]
    assert not et_al


def test_equal_contribution_list_from_alfolio() -> None:
    names, _ = parse_names("Einstein*†, A. and Podolsky*, B. and Rosen*, N.")
    assert [(n.family, n.marks) for n in names] == [
        ("Einstein", EC),
        ("Podolsky", E),
        ("Rosen", E),
    ]
    assert names[0].raw == "Einstein*†, A."


def test_no_mark_or_markup_survives_in_any_part() -> None:
    raw = (
        "Stoica<nobr><em>*</em></nobr>, George  and Stretcu*, Otilia and "
        "Platanios<nobr><em>*</em></nobr>, Emmanouil Antonios and Mitchell, Tom"
    )
    names, _ = parse_names(raw)
    assert len(names) == 4
    for n in names:
        for part in (n.given, n.von, n.family, n.jr):
            assert not set(part) & set("*†<>{}$\\")
    assert [n.marks for n in names] == [E, E, E, NONE]


def test_empty_and_blank_values() -> None:
    assert parse_names("") == ([], False)
    assert parse_names("   ") == ([], False)


def test_returned_list_is_a_fresh_copy() -> None:
    a, _ = parse_names("Doe, Jane and Roe, Richard")
    a.clear()
    b, _ = parse_names("Doe, Jane and Roe, Richard")
    assert len(b) == 2


def test_fast_on_a_long_list() -> None:
    # 60 ADS-style authors, every one braced and tied, parsed 2,000 times with distinct values
    base = " and ".join(f"{{Family{i}}}, G.~H.~{chr(65 + i % 26)}." for i in range(60))
    start = time.perf_counter()
    for k in range(2000):
        parse_names(base + f" and {{Last{k}}}, Kyle")
    assert time.perf_counter() - start < 10.0


def test_never_raises_on_hostile_text() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    alphabet = st.sampled_from(list("ab AND{}\\,.~*†$^<>/-'\"\n") + ["and", "others", "\\dag"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(alphabet, max_size=40).map("".join))
    def check(raw: str) -> None:
        names, _ = parse_names(raw)
        for n in names:
            assert n.family or n.given or n.von
            for part in (n.given, n.von, n.family, n.jr):
                assert "*" not in part and "†" not in part

    check()


def test_comma_typed_for_and_in_a_first_last_list() -> None:
    # researcher-ding-nlp.bib (SimpleVLA-RL), start of the author list as written
    raw = (
        "Haozhan Li and Yuxin Zuo and Jiale Yu and Yuhao Zhang and Zhaohui Yang and "
        "Kaiyan Zhang, Xuekai Zhu and Yuchen Zhang and Tianxing Chen, Ganqu Cui and Ning* Ding"
    )
    names, _ = parse_names(raw)
    assert [n.display for n in names][5:9] == [
        "Kaiyan Zhang",
        "Xuekai Zhu",
        "Yuchen Zhang",
        "Tianxing Chen",
    ]
    assert len(names) == 11


def test_last_first_lists_are_not_repaired() -> None:
    raw = "{Mancera Pi{\\~n}a}, Pavel E. and {Fraternali}, Filippo and {Oman}, Kyle A."
    names, _ = parse_names(raw)
    assert [n.family for n in names] == ["Mancera Piña", "Fraternali", "Oman"]


# ------------------------------------------------- lists as people paste them (issue 12)


def _shown(raw: str) -> tuple[list[str], bool]:
    names, et_al = parse_names(raw)
    return [n.display for n in names], et_al


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (  # tr-haciosmanoglu-bioeng emre2023microfluidics
            r"Emre Ece, Nedim Hac{\i}osmano{\u{g}}lu, Fatih Inci",
            ["Emre Ece", "Nedim Hacıosmanoğlu", "Fatih Inci"],
        ),
        ("Egor Lappo, Noah Rosenberg", ["Egor Lappo", "Noah Rosenberg"]),  # ru-lappo 2024_arizona
        (
            "Egor Lappo, Noah Rosenberg, and Marcus Feldman",  # "A, B, and C"
            ["Egor Lappo", "Noah Rosenberg", "Marcus Feldman"],
        ),
        ("P. Schmidt & D. A. Petrov", ["P. Schmidt", "D. A. Petrov"]),
    ],
)
def test_commas_between_first_last_names_are_a_list(raw: str, expected: list[str]) -> None:
    assert _shown(raw) == (expected, False)
    assert comma_list(raw) == ("," in raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Lappo, Egor", ["Egor Lappo"]),
        ("Poon, Art F Y", ["Art F Y Poon"]),
        (r"Garc{\'\i}a Alanis, Jos{\'e} C", ["José C García Alanis"]),
        ("King, Jr, Martin Luther", ["Martin Luther King, Jr"]),
        ("van der Berg, Jan", ["Jan van der Berg"]),
        ("Lappo, Egor and Rosenberg, Noah", ["Egor Lappo", "Noah Rosenberg"]),
        (r"Parkinsonism \& Co and Y", ["Parkinsonism & Co", "Y"]),
    ],
)
def test_real_last_first_names_stay_one_person(raw: str, expected: list[str]) -> None:
    assert _shown(raw) == (expected, False)
    assert not comma_list(raw)


def test_an_elision_stands_where_names_were_left_out() -> None:
    # ru-lappo-popgen 2024_nature
    names, et_al = parse_names("M. C. Bitter, ..., Egor Lappo, P. Schmidt & D. A. Petrov")
    assert [n.display for n in names] == [
        "M. C. Bitter",
        "…",
        "Egor Lappo",
        "P. Schmidt",
        "D. A. Petrov",
    ]
    assert names[1].elision and names[1].corporate
    assert not et_al
    assert _shown("A. Bee, …, C. Dee, E. Eff") == (["A. Bee", "…", "C. Dee", "E. Eff"], False)
    assert _shown(r"A. Bee and \ldots and C. Dee") == (["A. Bee", "…", "C. Dee"], False)


def test_a_trailing_elision_is_et_al() -> None:
    assert _shown("Ann Bee, Carl Dee, ...") == (["Ann Bee", "Carl Dee"], True)


@pytest.mark.parametrize(
    ("raw", "person"),
    [
        ("Бахтеев, Олег и др.", "Олег Бахтеев"),  # ru-bakhteev-ml
        ("Bakhteev, Oleg et al.", "Oleg Bakhteev"),
        ("Müller, Hans u. a.", "Hans Müller"),
        ("Müller, Hans u.a.", "Hans Müller"),
        ("王小明等", "王小明"),
        ("山田太郎ほか", "山田太郎"),
        ("Bakhteev, Oleg and {и др.}", "Oleg Bakhteev"),
    ],
)
def test_et_al_written_inside_a_name_in_several_languages(raw: str, person: str) -> None:
    assert _shown(raw) == ([person], True)


def test_et_al_inside_a_name_before_more_names_is_an_elision() -> None:
    assert _shown("Bakhteev, Oleg et al. and Zed, Ann") == (
        ["Oleg Bakhteev", "…", "Ann Zed"],
        False,
    )


def test_commas_alone_never_raise_and_never_empty() -> None:
    for raw in [",", ", ,", "..., ...", "A, , B", "…", "&", " & ", "a & b & , c"]:
        names, _ = parse_names(raw)
        assert all(n.display for n in names), raw
