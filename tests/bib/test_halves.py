"""A large bibliography read on two cores gives what one process gives: the same
publications in the same order, the same problems at the same file:line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from cvbuild import forking as fork
from cvbuild.bib import halves
from cvbuild.bib.load import load_publications
from cvbuild.bib.model import Publication
from cvbuild.errors import Problem

Loaded = tuple[list[Publication], list[Problem]]


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Forking on, from 4 entries up; the list counts the children started."""
    started: list[int] = []
    real_start = fork.start

    def counting(work):  # type: ignore[no-untyped-def]
        child = real_start(work)
        if child is not None:
            started.append(1)
        return child

    monkeypatch.setattr(fork, "spare_cpu", lambda: True)
    monkeypatch.setattr(fork, "start", counting)
    monkeypatch.setattr(halves, "PARALLEL_ENTRIES", 4)
    return started


def _one_process(paths: list[Path], monkeypatch: pytest.MonkeyPatch) -> Loaded:
    with monkeypatch.context() as m:
        m.setattr(halves, "PARALLEL_ENTRIES", 10**9)
        return load_publications(paths)


def _entry(i: int, extra: str = "") -> str:
    return (
        f"@article{{key{i},\n"
        f'  author = {{M{i}ller, J{{\\"u}}rgen and Smith, Ann}},\n'
        f"  title = {{On {{Things}} number {i}}},\n"
        f"  journal = jour,\n"
        f"  year = {2000 + i % 20},\n"
        f"{extra}"
        f"}}\n\n"
    )


def _big(
    tmp_path: Path,
    body_extra: dict[int, str],
    tail: str = "",
    n: int = 40,
    *,
    macro: bool = True,
    name: str = "big.bib",
) -> Path:
    parts = ["% a comment line\n@comment{ not an entry }\n"]
    for i in range(n):
        parts.append(_entry(i, body_extra.get(i, "")))
    parts.append(tail)
    if macro:
        # the macro is defined after its first use: it still counts, as in BibTeX files
        parts.append('@string{jour = "Journal of Things"}\n')
    path = tmp_path / name
    path.write_text("".join(parts), encoding="utf-8")
    return path


def test_two_halves_give_what_one_process_gives(
    tmp_path: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big(
        tmp_path,
        {
            3: "  crossref = {key35},\n",
            30: "  note = undefinedmacro,\n",
            31: "  title = {again},\n",
            35: "  booktitle = {Proceedings of Things},\n",
        },
    )
    loaded = load_publications([path])
    assert two_cores, "no child was started: the test would prove nothing"
    assert loaded == _one_process([path], monkeypatch)
    pubs, problems = loaded
    assert [p.key for p in pubs] == [f"key{i}" for i in range(40)]
    assert [p.order for p in pubs] == list(range(40))
    assert pubs[3].fields["booktitle"] == "Proceedings of Things"
    assert pubs[0].fields["journal"] == "Journal of Things"
    lines = path.read_text().split("\n")
    undefined = next(p for p in problems if "undefinedmacro" in p.message)
    assert lines[undefined.location.line - 1].strip() == "note = undefinedmacro,"
    twice = next(p for p in problems if "given twice" in p.message)
    assert lines[twice.location.line - 1].strip() == "title = {again},"


def test_a_block_that_cannot_be_read_is_reported_as_in_one_process(
    tmp_path: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big(tmp_path, {33: '  title = "unclosed,\n'})
    loaded = load_publications([path])
    assert two_cores
    assert loaded == _one_process([path], monkeypatch)
    assert any("could not read" in p.message for p in loaded[1])


def test_a_key_in_both_halves_is_reported_as_in_one_process(
    tmp_path: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big(tmp_path, {}, tail=_entry(2) + '@string{jour = "Again"}\n')
    loaded = load_publications([path])
    assert two_cores
    assert loaded == _one_process([path], monkeypatch)
    messages = [p.message for p in loaded[1]]
    assert any("'key2' is used again" in m for m in messages)
    assert any("@string 'jour' is defined twice" in m for m in messages)


def test_a_child_that_fails_changes_nothing(
    tmp_path: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big(tmp_path, {5: "  month = notamonth,\n"})
    expected = _one_process([path], monkeypatch)
    parent = os.getpid()
    real_build = halves._build
    real_split = halves.split_text

    def build_fails_in_child(items, start):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            raise RuntimeError("child broke")
        return real_build(items, start)

    def split_dies_in_child(text, file, first_line=0):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(9)
        return real_split(text, file, first_line)

    monkeypatch.setattr(halves, "_build", build_fails_in_child)
    monkeypatch.setattr(halves, "split_text", split_dies_in_child)
    assert load_publications([path]) == expected
    assert len(two_cores) == 2


def test_real_bibliographies_read_the_same_on_two_cores(
    shared_dir: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(halves, "PARALLEL_ENTRIES", 2)
    bibs = sorted((shared_dir / "fixtures").rglob("*.bib"))
    assert bibs
    unforked = []
    for bib in bibs:
        before = len(two_cores)
        loaded = load_publications([bib])
        assert loaded == _one_process([bib], monkeypatch), bib
        if len(two_cores) == before and len(loaded[0]) > 1:
            unforked.append(bib.name)
    assert unforked == []  # every file of two entries or more was read on two cores


def test_reading_bibtex_skips_the_package_init_yet_bibtexparser_stays_whole() -> None:
    import subprocess

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cvbuild.bib.load import load_publications\n"
        "import tempfile\n"
        "p = Path(tempfile.mkdtemp()) / 'a.bib'\n"
        "p.write_text('@article{a, title={T}, year=2020}')\n"
        "pubs, _ = load_publications([p])\n"
        "assert [x.key for x in pubs] == ['a']\n"
        "assert 'pylatexenc' not in sys.modules, 'package init ran'\n"
        "import bibtexparser\n"
        "from bibtexparser import Library\n"
        "assert len(bibtexparser.parse_string('@misc{b, title={x}}').entries) == 1\n"
        "assert bibtexparser.__version__\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "ok", done.stderr


# A file with no @string and no crossref: each half is read, resolved and built by one
# process (one child in all), and the result is still that of one process.


def test_a_plain_file_is_read_and_built_in_one_child(
    tmp_path: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big(
        tmp_path,
        {
            4: "  month = notamonth,\n",
            30: "  note = undefinedmacro,\n",
            31: "  title = {again},\n",
            36: "  author = {Smith, Ann and others},\n",
        },
        macro=False,
    )
    loaded = load_publications([path])
    assert len(two_cores) == 1  # one child did its half from text to Publication
    assert loaded == _one_process([path], monkeypatch)
    pubs, problems = loaded
    assert [p.key for p in pubs] == [f"key{i}" for i in range(40)]
    assert [p.order for p in pubs] == list(range(40))
    lines = path.read_text().split("\n")
    where = {p.message.split(":")[0]: p.location.line for p in problems}
    assert lines[where["entry 'key30', field 'note'"] - 1].strip() == "note = undefinedmacro,"
    assert lines[where["entry 'key31'"] - 1].strip() == "title = {again},"
    # every "jour" is an undefined macro here: one warning per entry, in file order
    jour = [p.location.line for p in problems if "'jour' is not a defined" in p.message]
    assert len(jour) == 40 and jour == sorted(jour)


def test_a_plain_file_after_others_keeps_order_duplicates_and_crossrefs(
    tmp_path: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first.bib"
    first.write_text(_entry(7) + _entry(100), encoding="utf-8")  # key7 comes again later
    big = _big(tmp_path, {}, macro=False)
    last = tmp_path / "last.bib"
    last.write_text(
        "@inproceedings{later, title = {A talk}, crossref = {key20}}\n", encoding="utf-8"
    )
    paths = [first, big, last]
    loaded = load_publications(paths, start_order=5)
    with monkeypatch.context() as m:
        m.setattr(halves, "PARALLEL_ENTRIES", 10**9)
        assert loaded == load_publications(paths, start_order=5)
    pubs, problems = loaded
    assert [p.order for p in pubs] == list(range(5, 5 + len(pubs)))
    assert [p.key for p in pubs].count("key7") == 1
    assert any("'key7' is used again" in p.message for p in problems)
    later = next(p for p in pubs if p.key == "later")
    assert later.fields["journal"] == "jour"  # inherited from key20, read by a half
    assert len(two_cores) >= 1


def test_a_key_in_both_halves_of_a_plain_file_reads_as_one_process(
    tmp_path: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _big(tmp_path, {}, tail=_entry(2), macro=False)
    loaded = load_publications([path])
    assert loaded == _one_process([path], monkeypatch)
    assert any("'key2' is used again" in p.message for p in loaded[1])
    assert two_cores


def test_a_plain_file_whose_child_fails_reads_as_one_process(
    tmp_path: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from cvbuild.bib import load as load_module

    path = _big(tmp_path, {5: "  month = notamonth,\n"}, macro=False)
    expected = _one_process([path], monkeypatch)
    parent = os.getpid()
    real = load_module._read_half

    def dies_in_child(*args):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(9)
        return real(*args)

    monkeypatch.setattr(load_module, "_read_half", dies_in_child)
    assert load_publications([path]) == expected
    assert len(two_cores) >= 2  # the failed child, then the other paths' children


@pytest.mark.parametrize("link", ["@STRING{x = {y}}\n", "@misc{z, crossref = {key1}}\n"])
def test_a_file_with_a_macro_or_a_crossref_takes_the_other_paths(
    tmp_path: Path, two_cores: list[int], monkeypatch: pytest.MonkeyPatch, link: str
) -> None:
    from cvbuild.bib import load as load_module

    halves_read: list[int] = []
    real = load_module._read_half
    monkeypatch.setattr(load_module, "_read_half", lambda *a: halves_read.append(1) or real(*a))
    path = _big(tmp_path, {}, tail=link, macro=False)
    assert load_publications([path]) == _one_process([path], monkeypatch)
    assert halves_read == [] and len(two_cores) == 2
