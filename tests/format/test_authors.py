"""Author lists: separators, owner in bold, marks, truncation, et al."""

from __future__ import annotations

import re

from cvbuild.bib.model import CORRESPONDING, EQUAL
from cvbuild.bib.names import parse_names
from cvbuild.format.authors import LEGENDS, SYMBOLS, format_authors
from cvbuild.format.owner import OwnerMatcher
from cvbuild.richtext import Mark, Strong, Text, plain, walk

# researcher-oman-astrophysics.bib, 2024A&A...690A..69M (first 14 authors; owner is 8th)
OMAN_LIST = (
    "{Maccagni}, F.~M. and {de Blok}, W.~J.~G. and {Mancera Pi{\\~n}a}, P.~E. and "
    "{Ragusa}, R. and {Iodice}, E. and {Spavone}, M. and {McGaugh}, S. and {Oman}, K.~A. and "
    "{Oosterloo}, T.~A. and {Koribalski}, B.~S. and {Kim}, M. and {Adams}, E.~A.~K. and "
    "{Amram}, P. and {Bosma}, A."
)
OMAN = OwnerMatcher("Kyle A. Oman")


def fmt(raw: str, owner: OwnerMatcher | None, limit: int = 0):
    names, et_al = parse_names(raw)
    return format_authors(names, et_al, owner, limit)


def strong_texts(rt) -> list[str]:
    return [plain(n.children) for n in walk(rt) if isinstance(n, Strong)]


def test_constants() -> None:
    assert SYMBOLS == {EQUAL: "*", CORRESPONDING: "†"}
    assert LEGENDS == {"equal": "Equal contribution", "corresponding": "Corresponding author"}


def test_separators_one_two_many() -> None:
    assert plain(fmt("Stretcu, Otilia", None)) == "Otilia Stretcu"
    assert plain(fmt("Stretcu, Otilia and Leordeanu, Marius", None)) == (
        "Otilia Stretcu and Marius Leordeanu"
    )
    assert plain(fmt("Stretcu, Otilia and Shavit, Yoli and Lio, Pietro", None)) == (
        "Otilia Stretcu, Yoli Shavit, and Pietro Lio"
    )


def test_von_and_jr_in_place() -> None:
    rt = fmt("van den Dool, Winfried and de Last, Jr., First Middle", None)
    assert plain(rt) == "Winfried van den Dool and First Middle de Last Jr."


def test_strong_exactly_around_the_owner_and_marks_outside() -> None:
    # researcher-asano-ml.bib
    rt = fmt("Knobel, Lukas and Han*, Tengda and Asano*, Yuki M.", OwnerMatcher("Yuki M. Asano"))
    assert rt == (
        Text("Lukas Knobel, Tengda Han"),
        Mark(EQUAL, "*"),
        Text(", and "),
        Strong((Text("Yuki M. Asano"),)),
        Mark(EQUAL, "*"),
    )
    assert "*" not in "".join(n.value for n in walk(rt) if isinstance(n, Text))


def test_both_marks_in_fixed_order() -> None:
    rt = fmt("Einstein*†, A. and Podolsky*, B. and Rosen*, N.", OwnerMatcher("Albert Einstein"))
    assert rt[:3] == (Strong((Text("A. Einstein"),)), Mark(EQUAL, "*"), Mark(CORRESPONDING, "†"))
    assert plain(rt) == "A. Einstein*†, B. Podolsky*, and N. Rosen*"


def test_no_owner_no_strong() -> None:
    assert strong_texts(fmt(OMAN_LIST, None)) == []


def test_limit_zero_shows_all() -> None:
    rt = fmt(OMAN_LIST, OMAN, 0)
    assert plain(rt).endswith("P. Amram, and A. Bosma")
    assert strong_texts(rt) == ["K. A. Oman"]


def test_truncation_owner_early() -> None:
    rt = fmt(OMAN_LIST, OMAN, 8)
    assert plain(rt) == (
        "F. M. Maccagni, W. J. G. de Blok, P. E. Mancera Piña, R. Ragusa, E. Iodice, "
        "M. Spavone, S. McGaugh, K. A. Oman, and 6 more authors"
    )
    assert strong_texts(rt) == ["K. A. Oman"]


def test_truncation_owner_late_is_never_hidden() -> None:
    rt = fmt(OMAN_LIST, OMAN, 3)
    assert plain(rt) == (
        "F. M. Maccagni, W. J. G. de Blok, P. E. Mancera Piña, …, K. A. Oman, and 6 more authors"
    )
    assert strong_texts(rt) == ["K. A. Oman"]


def test_truncation_owner_right_after_the_limit_has_no_ellipsis() -> None:
    rt = fmt(OMAN_LIST, OMAN, 7)
    assert "…" not in plain(rt)
    assert plain(rt).endswith("S. McGaugh, K. A. Oman, and 6 more authors")


def test_truncation_owner_absent() -> None:
    rt = fmt(OMAN_LIST, OwnerMatcher("Jane Doe"), 2)
    assert plain(rt) == "F. M. Maccagni, W. J. G. de Blok, and 12 more authors"
    assert strong_texts(rt) == []


def test_one_hidden_author_is_printed_not_counted() -> None:
    rt = fmt("A, Ann and B, Bob and C, Cy", None, 2)
    assert plain(rt) == "Ann A, Bob B, and Cy C"


# 13 authors A..M; the owner takes one position; author_limit 3 unless said.
LETTERS = "ABCDEFGHIJKLM"


def thirteen(owner_at: int | None, limit: int = 3) -> str:
    names = [f"{c}, {c}{c.lower()}" for c in LETTERS]
    if owner_at is not None:
        names[owner_at - 1] = "Owner, Olga"
    return plain(fmt(" and ".join(names), OwnerMatcher("Olga Owner"), limit))


def test_owner_twelfth_of_thirteen_counts_only_who_follows_and_prints_the_last() -> None:
    # issue 18: was "Aa A, Bb B, Cc C, …, Olga Owner, and 4 more authors"
    assert thirteen(12) == "Aa A, Bb B, Cc C, …, Olga Owner, and Mm M"


def test_owner_last_of_thirteen_ends_the_list() -> None:
    assert thirteen(13) == "Aa A, Bb B, Cc C, …, and Olga Owner"


def test_owner_eleventh_of_thirteen_counts_the_two_after() -> None:
    assert thirteen(11) == "Aa A, Bb B, Cc C, …, Olga Owner, and 2 more authors"


def test_owner_within_the_limit_counts_the_rest() -> None:
    assert thirteen(2) == "Aa A, Olga Owner, Cc C, and 10 more authors"


def test_owner_right_after_the_limit_and_one_gap_name_is_printed() -> None:
    assert thirteen(4) == "Aa A, Bb B, Cc C, Olga Owner, and 9 more authors"
    # an ellipsis would stand for the one name D: the name is printed instead
    assert thirteen(5) == "Aa A, Bb B, Cc C, Dd D, Olga Owner, and 8 more authors"


def test_limit_zero_shows_all_thirteen() -> None:
    text = thirteen(12, limit=0)
    assert text.startswith("Aa A, Bb B, Cc C, Dd D,") and text.endswith("Olga Owner, and Mm M")
    assert "…" not in text and "more author" not in text


def test_never_and_one_more_author() -> None:
    for owner_at in [None, *range(1, 14)]:
        for limit in range(0, 14):
            text = thirteen(owner_at, limit)
            assert not re.search(r"\b1 more author", text), (owner_at, limit, text)
            assert not re.search(r"…, (and )?\S+ \S+, …", text) or owner_at is None
            assert "Olga Owner" in text or owner_at is None


def test_owner_last_and_nothing_else_hidden_reads_as_a_full_list() -> None:
    rt = fmt("Hanley, James A and Bhatnagar, Sahir", OwnerMatcher("Sahir Rai Bhatnagar"), 1)
    assert plain(rt) == "James A Hanley and Sahir Bhatnagar"
    assert strong_texts(rt) == ["Sahir Bhatnagar"]


def test_limit_not_reached() -> None:
    assert plain(fmt("A, Ann and B, Bob", None, 5)) == "Ann A and Bob B"


def test_and_others_reads_et_al() -> None:
    # researcher-bhatnagar-biostatistics.bib
    raw = (
        "Forgetta, Vincenzo and Keller-Baruch, Julyan and Forest, Marie and Durand, Audrey and "
        "Bhatnagar, Sahir and Kemp, John P and others"
    )
    rt = fmt(raw, OwnerMatcher("Sahir Rai Bhatnagar"))
    assert plain(rt).endswith("Sahir Bhatnagar, John P Kemp, et al.")
    assert "others" not in plain(rt)
    assert plain(fmt("Doe, Jane and others", None)) == "Jane Doe et al."


def test_et_al_with_truncation_keeps_the_owner_and_says_et_al() -> None:
    # researcher-ding-nlp.bib
    raw = (
        "Qin,Yujia and Hu, Shengding and Lin,Yankai and  Chen,Weize and  Ding,Ning and "
        "Cui,Ganqu and {et al.}"
    )
    rt = fmt(raw, OwnerMatcher("Ning Ding"), 2)
    assert plain(rt) == "Yujia Qin, Shengding Hu, …, Ning Ding, Ganqu Cui, et al."
    assert strong_texts(rt) == ["Ning Ding"]


def test_empty_list() -> None:
    assert format_authors([], False, None, 0) == ()
