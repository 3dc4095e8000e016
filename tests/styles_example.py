"""The example CV (examples/researcher) with one citation style, numbered with prefixes, a
note on one entry and a student: the config the style goldens and PDFs are built from."""

from __future__ import annotations

from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "researcher"


def style_config(tmp_path: Path, style: str) -> Path:
    """A cv.yaml in ``tmp_path`` with a copy of the example's .bib beside it."""
    text = (EXAMPLE / "cv.yaml").read_text(encoding="utf-8")
    (tmp_path / "publications.bib").write_bytes((EXAMPLE / "publications.bib").read_bytes())
    replacements = {
        "      author_limit: 8\n": (
            f"      style: {style}\n"
            "      numbered: true\n"
            "      prefix: {journal: J, conference: C}\n"
            '      notes: {marchetti2022scaling: "Role: led the analysis and wrote the paper"}\n'
        ),
        '  aliases: ["Marchetti, L.", "Lea Marchetti"]\n': (
            '  aliases: ["Marchetti, L.", "Lea Marchetti"]\n  students: ["Chinedu Okonkwo"]\n'
        ),
    }
    for old, new in replacements.items():
        assert old in text, f"the example changed: {old!r} is gone"
        text = text.replace(old, new)
    path = tmp_path / "cv.yaml"
    path.write_text(text, encoding="utf-8")
    return path
