"""The managed-file writer: hostile values read back as the same text; volatile fields dropped."""

from __future__ import annotations

from cvbuild.bib import load_publications
from cvbuild.bib.model import Publication
from cvbuild.refresh import content_hash
from cvbuild.refresh.bibwrite import format_bibtex


def pub(key: str, **fields: str) -> Publication:
    return Publication(key=key, entry_type="article", fields=fields)


def test_hostile_values_round_trip(tmp_path):
    title = "Close } early {, 50% of $x$ & #1 ~ a_b ^ \\input{/etc/passwd} @misc{evil,"
    written = pub(
        "k1",
        title=title,
        author="Jane {Roe and Di Xu",  # unbalanced: must not break the entry
        url="https://example.org/a_b%2Fc?x={1}",
        journal="J. Test",
        year="2024",
    )
    path = tmp_path / "managed.bib"
    path.write_text(format_bibtex([written, pub("k2", title="Second", year="2023")]))
    back, problems = load_publications([path])
    assert [p.key for p in back] == ["k1", "k2"], problems
    assert back[0].title == title
    assert back[0].get("url") == "https://example.org/a_b%2Fc?x={1}"
    assert back[1].title == "Second"


def test_volatile_fields_neither_written_nor_hashed():
    a = pub("k", title="T", year="2020", timestamp="Thu, 21 Jan 2021", biburl="https://x")
    b = pub("k", title="T", year="2020", timestamp="Sat, 23 Jan 2021", cvbuild_source="dblp")
    assert content_hash([a]) == content_hash([b])
    assert "timestamp" not in format_bibtex([a]) and "biburl" not in format_bibtex([a])
    assert content_hash([a]) != content_hash([pub("k", title="T", year="2021")])
    assert content_hash([a, pub("z", title="U")]) == content_hash([pub("z", title="U"), a])
