"""Reading files: encodings, front matter, blocks, line numbers (cvbuild.bib.parse)."""

from __future__ import annotations

from pathlib import Path

from cvbuild.bib.parse import decode_bytes, parse_file, split_text, strip_front_matter


def test_utf8_with_bom() -> None:
    text, problems = decode_bytes("\ufeff@misc{a, title={é}}".encode(), "f.bib")
    assert text == "@misc{a, title={é}}"
    assert problems == []


def test_gbk_detected_with_warning() -> None:
    data = "@article{k,\n  author = {凯撒},\n  journal = {测试期刊}\n}\n".encode("gbk")
    text, problems = decode_bytes(data, "f.bib")
    assert text is not None and "凯撒" in text and "测试期刊" in text
    assert len(problems) == 1 and problems[0].is_warning
    assert "GB18030" in problems[0].message and str(problems[0].location) == "f.bib:2"


def test_cp1252_is_not_taken_for_chinese() -> None:
    data = "@article{k,\n  title = {Café “naïve” Zoë}\n}\n".encode("cp1252")
    text, problems = decode_bytes(data, "f.bib")
    assert text is not None and "Café “naïve” Zoë" in text
    assert "cp1252" in problems[0].message


def test_binary_file_is_an_error() -> None:
    text, problems = decode_bytes(b"\x00\x01\xff\xfe\x00garbage", "f.bin")
    assert text is None
    assert problems[0].severity == "error" and "f.bin" in str(problems[0])


def test_front_matter_blanked_keeping_lines() -> None:
    source = "---\nlayout: none\nemail: a@b.c\n---\n\n@misc{k, title={T}}\n"
    stripped = strip_front_matter(source)
    assert stripped.count("\n") == source.count("\n")
    assert "layout" not in stripped
    parsed = split_text(stripped, "f.bib")
    assert [e.key for e in parsed.entries] == ["k"]
    assert parsed.entries[0].location.line == 6


def test_no_front_matter_is_untouched() -> None:
    assert strip_front_matter("@misc{k}\n---\n") == "@misc{k}\n---\n"


def test_failed_block_located_and_rest_kept() -> None:
    source = (
        "@article{good1, title = {One}}\n"
        "\n"
        "@article{broken, title = {Two\n"
        "@article{good2,\n  title = {Three},\n  year = 2020\n}\n"
    )
    parsed = split_text(source, "f.bib")
    assert [e.key for e in parsed.entries] == ["good1", "good2"]
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert problem.is_warning
    assert str(problem.location) == "f.bib:3"
    assert "broken" in problem.message and problem.hint
    assert parsed.entries[1].location.line == 4
    assert parsed.entries[1].fields["year"].line == 6


def test_duplicate_field_warned_first_value_kept() -> None:
    parsed = split_text("@misc{k,\n  note = {a},\n  NOTE = {b}\n}\n", "f.bib")
    assert parsed.entries[0].fields["note"].value == "{a}"
    assert len(parsed.problems) == 1
    assert str(parsed.problems[0].location) == "f.bib:3" and "note" in parsed.problems[0].message


def test_duplicate_key_entries_are_both_returned_for_the_loader() -> None:
    parsed = split_text("@misc{k, title={a}}\n@misc{k, title={b}}\n", "f.bib")
    assert [e.key for e in parsed.entries] == ["k", "k"]


def test_strings_preambles_comments() -> None:
    source = '@preamble{"x"}\n% comment\n@comment{@misc{no, title={x}}}\n@String{Foo = "bar"}\n@misc{k, title = foo}\n'
    parsed = split_text(source, "f.bib")
    assert [e.key for e in parsed.entries] == ["k"]
    assert [(s.name, s.value) for s in parsed.strings] == [("foo", '"bar"')]


def test_missing_file(tmp_path: Path) -> None:
    parsed = parse_file(tmp_path / "nope.bib")
    assert parsed.entries == []
    assert parsed.problems[0].severity == "error"
    assert "not found" in parsed.problems[0].message


# ------------------------------------------------ %-commented entries and fields (issue 12)

COMMENTED = """@article{on,
  title = {Kept},
  author = {Ann Bee and Carl Dee},
  year = {2025},
%  author+an = {3=highlight}
}

% @article{off,
%   title={Switched off},
%   author={Ho, Jen Zen and Dinelli, Timoteo},
%   author+an     = {3=highlight}
% }

@misc{percent,
  title = {A 50\\% rise
  \\% and more},
  year = {2024},
}
"""


def test_commented_out_entries_and_fields_are_not_read() -> None:
    from cvbuild.bib import load_text

    pubs, problems = load_text(COMMENTED, "papers.bib")
    assert [p.key for p in pubs] == ["on", "percent"]
    assert "author+an" not in pubs[0].fields
    assert problems == []  # no "'%' is not a defined @string macro"
    assert pubs[1].title == "A 50% rise % and more"
    assert pubs[1].location.line == 14  # line numbers unchanged


def test_comment_lines_blanked_keeping_line_numbers() -> None:
    from cvbuild.bib.parse import strip_comment_lines

    text = "a\n  % b\n%c\nd \\% e\n"
    assert strip_comment_lines(text) == "a\n\n\nd \\% e\n"
