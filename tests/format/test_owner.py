"""Owner matching: a table of real spellings (peer files) with hits and near-misses."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvbuild.bib.names import parse_names
from cvbuild.format.owner import OwnerMatcher

ASANO = "Yuki M. Asano"
STRETCU = "Otilia Stretcu"
DING = "Ning Ding"
OMAN = "Kyle A. Oman"
BHATNAGAR = "Sahir Rai Bhatnagar"
EINSTEIN = "Albert Einstein"
GARCIA = "José María García"
DUPONT = "Jean-Pierre Dupont"
VAN_DALEN = "Joost van Dalen"

# (owner, spelling as written in a .bib author list, is it the owner?)
TABLE: list[tuple[str, str, bool]] = [
    # researcher-asano-ml.bib
    (ASANO, "Asano, Yuki M.", True),
    (ASANO, "Yuki M Asano", True),
    (ASANO, "Asano, Yuki M", True),
    (ASANO, "Asano*, Yuki M.", True),
    (ASANO, "Yuki M. Asano*", True),
    (ASANO, "Asano, Y", True),
    (ASANO, "Asano, Yoshiko", False),  # a different full given name
    (ASANO, "Asano, Y. K.", False),  # conflicting middle initial
    (ASANO, "Patrick*, Mandela", False),
    # researcher-stretcu-ml.bib
    (STRETCU, "Stretcu<nobr><em>*</em></nobr>, Otilia", True),
    (STRETCU, "Stretcu*, Otilia", True),
    (STRETCU, "Stretcu, Otilia", True),
    (STRETCU, "O. Stretcu", True),
    (STRETCU, "Stretcu, Oana", False),
    (STRETCU, "Stoica<nobr><em>*</em></nobr>, George", False),
    # researcher-ding-nlp.bib
    (DING, "Ning* Ding", True),
    (DING, "Ding, Ning*", True),
    (DING, "Ding,Ning", True),
    (DING, "Ding,Ning,", True),
    (DING, "Ding*, Ning", True),
    (DING, "Hu, Shengding", False),
    (DING, "Dingxiang Luo", False),
    (DING, "Ding, Ming", False),
    # researcher-oman-astrophysics.bib
    (OMAN, "{Oman}, Kyle A.", True),
    (OMAN, "{Oman}, K.~A.", True),
    (OMAN, "{Oman}, K. A.", True),
    (OMAN, "{Oman}, K.", True),
    (OMAN, "{Oman}, Kyle", True),
    (OMAN, "{Oman}, L.", False),
    (OMAN, "{Oman}, Kyle B.", False),
    (OMAN, "{Omar}, Kyle A.", False),
    # researcher-bhatnagar-biostatistics.bib
    (BHATNAGAR, "Bhatnagar, SR", True),
    (BHATNAGAR, "Bhatnagar, Sahir", True),
    (BHATNAGAR, "Bhatnagar, Sahir R", True),
    (BHATNAGAR, "Bhatnagar, Sahir Rai", True),
    (BHATNAGAR, "Rai Bhatnagar, Sahir", True),
    (BHATNAGAR, "Sahir Rai Bhatnagar", True),
    (BHATNAGAR, "Bhatnagar, Samir", False),
    (BHATNAGAR, "Bhatnagar, SK", False),
    (BHATNAGAR, "Rai, Sahir", False),
    (BHATNAGAR, "Saeed, Sahar", False),
    # alfolio-papers.bib
    (EINSTEIN, "Einstein*†, A.", True),
    (EINSTEIN, "Einstein, Albert", True),
    (EINSTEIN, "Einstein, Alfred", False),
    (EINSTEIN, "Podolsky*, B.", False),
    # constructed: accents, LaTeX, initials with and without dots
    (GARCIA, "García, José María", True),
    (GARCIA, "Garc{\\'\\i}a, J. M.", True),
    (GARCIA, "Garcia, JM", True),
    (GARCIA, "Garcia, J.M.", True),
    (GARCIA, "GARCIA, JOSE MARIA", True),
    (GARCIA, "J. Garc\\'{i}a", True),
    (GARCIA, "García, José", True),
    (GARCIA, "García, Juan", False),
    (GARCIA, "García, J. L.", False),
    (GARCIA, "Garza, José María", False),
    # hyphenated given names
    (DUPONT, "Dupont, J.-P.", True),
    (DUPONT, "Dupont, JP", True),
    (DUPONT, "Dupont, Jean Pierre", True),
    (DUPONT, "Dupont, Jean", True),
    (DUPONT, "Dupont, Pierre", False),
    (DUPONT, "Dupont, J.-M.", False),
    # particles
    (VAN_DALEN, "van Dalen, Joost", True),  # researcher-asano-ml.bib
    (VAN_DALEN, "Dalen, Joost van", True),
    (VAN_DALEN, "Dalen, J.", True),
    (VAN_DALEN, "van Dalen, Jan", False),
    # Cyrillic (pybtex-cyrillic.bib)
    ("Михаил Викторов", "Викторов, Михаил Маркович", True),
    ("Михаил Викторов", "Викторов, М. М.", True),
    ("Михаил Викторов", "Викторов, Пётр", False),
    # a corporate author is never a person
    (OMAN, "{Oman Collaboration}", False),
]


@pytest.mark.parametrize(("owner", "spelling", "expected"), TABLE, ids=[t[1] for t in TABLE])
def test_owner_table(owner: str, spelling: str, expected: bool) -> None:
    (name,), _ = parse_names(spelling)
    assert OwnerMatcher(owner).matches(name) is expected


def test_owner_written_last_first_with_latex() -> None:
    m = OwnerMatcher("Garc{\\'\\i}a, José María")
    assert m.matches(parse_names("J. M. Garcia")[0][0])
    assert not m.matches(parse_names("Juan Garcia")[0][0])


def test_alias_adds_a_spelling_the_rule_alone_refuses() -> None:
    rai_first = parse_names("Rai Bhatnagar, Sahir")[0][0]
    # with the family "Bhatnagar" only, the extra family word "Rai" is not in the given names
    assert not OwnerMatcher("Sahir Bhatnagar").matches(rai_first)
    assert OwnerMatcher("Sahir Bhatnagar", ["Rai Bhatnagar, Sahir"]).matches(rai_first)


def test_alias_for_a_changed_family_name() -> None:
    m = OwnerMatcher("Maria Curie", aliases=["Skłodowska, Maria", "  "])
    assert m.matches(parse_names("Sklodowska, M.")[0][0])
    assert m.matches(parse_names("Curie, M.")[0][0])
    assert not m.matches(parse_names("Curie, Pierre")[0][0])


def test_an_empty_owner_matches_nobody() -> None:
    m = OwnerMatcher("")
    assert not m.matches(parse_names("Doe, Jane")[0][0])


OWNERS = {
    "researcher-asano-ml.bib": ASANO,
    "researcher-stretcu-ml.bib": STRETCU,
    "researcher-ding-nlp.bib": DING,
    "researcher-oman-astrophysics.bib": OMAN,
    "researcher-bhatnagar-biostatistics.bib": BHATNAGAR,
}


@pytest.mark.parametrize("filename", sorted(OWNERS))
def test_owner_found_exactly_once_in_every_entry_of_their_own_file(
    peers_dir: Path, filename: str
) -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    library = bibtexparser.parse_file(str(peers_dir / filename))
    m = OwnerMatcher(OWNERS[filename])
    checked = 0
    for entry in library.entries:
        field = entry.fields_dict.get("author")
        if field is None:
            continue
        names, _ = parse_names(str(field.value))
        if len(names) == 1 and not names[0].given:  # author = {DeepSeek-AI}
            continue
        hits = [n.raw for n in names if m.matches(n)]
        assert len(hits) == 1, (entry.key, hits)
        checked += 1
    assert checked >= 20


def test_matching_never_raises_on_odd_names() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    words = st.sampled_from(["Oman", "Kyle", "K.", "A", "KA", "-", ".", "{}", "van", ",", "é"])
    matcher = OwnerMatcher("Kyle A. Oman", ["Oman, K."])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(words, max_size=8).map(" ".join))
    def check(raw: str) -> None:
        for name in parse_names(raw)[0]:
            matcher.matches(name)

    check()


# ------------------------------------------------------------------------------ issue 12


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("{Botha Hugo}", True),  # za-botha-neurology clark_heather_m_western_2020
        ("{Hugo Botha}", True),
        ("{Botha H.}", True),
        ("{Clark Heather M.}", False),
        ("{Botha Foundation}", False),
        ("{Botha Hugo Research Group Trust}", False),  # five words: an organisation
        ("{botha hugo}", False),
    ],
)
def test_a_braced_last_first_literal_is_the_owner_when_it_reads_as_them(
    spelling: str, expected: bool
) -> None:
    (name,), _ = parse_names(spelling)
    assert name.corporate
    assert OwnerMatcher("Hugo Botha").matches(name) is expected


def test_an_elision_is_never_the_owner() -> None:
    names, _ = parse_names("A. Bee, ..., Hugo Botha")
    m = OwnerMatcher("Hugo Botha")
    assert [m.matches(n) for n in names] == [False, False, True]


def test_an_owner_with_very_many_given_names_matches_without_recursion() -> None:
    import time

    given = " ".join(["Bo"] * 1200)
    m = OwnerMatcher(f"Al {given} Smith")
    start = time.perf_counter()
    assert m.matches(parse_names(f"Al {given} Smith")[0][0])
    assert m.matches(parse_names("A. Smith")[0][0])
    fewer = " ".join(["Bo"] * 1199)
    assert not m.matches(parse_names(f"Al {fewer} Cy Smith")[0][0])
    # family words moved into the given names must be matched, however long the list
    assert OwnerMatcher(f"Al {given} Rai Smith").matches(
        parse_names(f"Rai Smith, Al {given}")[0][0]
    )
    assert not OwnerMatcher(f"Al {given} Smith").matches(
        parse_names(f"Rai Smith, Al {given}")[0][0]
    )
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize(
    ("short", "long", "required", "expected"),
    [
        ("", "", 0, True),
        ("a", "ba", 0, True),
        ("ab", "ba", 0, False),
        ("ab", "axb", 1, True),
        ("ax", "axb", 1, False),  # the required last part b is skipped
        ("b", "ab", 1, True),
        ("", "b", 1, False),
    ],
)
def test_given_name_subsequence(short: str, long: str, required: int, expected: bool) -> None:
    from cvbuild.format.owner import Part, given_names_fit

    def parts(text: str) -> tuple[Part, ...]:
        return tuple(Part(c, False) for c in text)

    assert given_names_fit(parts(short), parts(long), required) is expected


def test_canonical_display_prints_person_name_with_the_entry_marks() -> None:
    from cvbuild.format.authors import format_authors

    names, _ = parse_names("Marchetti, L.* and Ann Bee")
    plain = OwnerMatcher("Léa Marchetti", ["L. Marchetti"])
    canonical = OwnerMatcher("Léa Marchetti", ["L. Marchetti"], "canonical")
    assert plain.shown(names[0]) is names[0]
    shown = canonical.shown(names[0])
    assert (shown.given, shown.family, shown.marks) == ("Léa", "Marchetti", names[0].marks)
    assert canonical.shown(names[1]) is names[1]
    assert "Léa Marchetti" in repr(format_authors(names, False, canonical, 0))
    assert "Léa" not in repr(format_authors(names, False, plain, 0))


def _cv(tmp_path: Path, display: str) -> Path:
    (tmp_path / "p.bib").write_text(
        "@article{a, title={One}, author={Marchetti, L. and Ann Bee}, year={2020}}\n"
        "@article{b, title={Two}, author={L{\\'e}a Marchetti and Ann Bee}, year={2021}}\n",
        encoding="utf-8",
    )
    config = tmp_path / "cv.yaml"
    config.write_text(
        f"person:\n  name: Léa Marchetti\n  display: {display}\n"
        "sections:\n  - title: Publications\n    publications:\n      bib: p.bib\n",
        encoding="utf-8",
    )
    return config


@pytest.mark.parametrize(
    ("display", "expected"),
    [
        ("as_written", ["**L. Marchetti**", "**Léa Marchetti**"]),
        ("canonical", ["**Léa Marchetti**"] * 2),
    ],
)
def test_person_display_in_a_built_cv(tmp_path: Path, display: str, expected: list[str]) -> None:
    from cvbuild.build import BuildOptions, build

    build(_cv(tmp_path, display), BuildOptions(formats=["md"], output_dir=tmp_path / "out"))
    md = next((tmp_path / "out").rglob("*.md")).read_text(encoding="utf-8")
    lines = [line for line in md.splitlines() if line.startswith("- ")]
    assert [line.split(" and ")[0][2:] for line in reversed(lines)] == expected


def test_an_unknown_person_display_is_a_located_error(tmp_path: Path) -> None:
    from cvbuild.config import load_config
    from cvbuild.errors import InputError

    with pytest.raises(InputError) as caught:
        load_config(_cv(tmp_path, "canonicl"))
    text = str(caught.value)
    assert "cv.yaml:3" in text and "canonical" in text
