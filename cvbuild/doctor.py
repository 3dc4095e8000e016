"""``cvbuild doctor``: what this machine lacks to build a config, each with how to get it.

For every variant the config builds: its TeX engine (for PDF), pandoc (for DOCX), and the
files and fonts its language needs (``cvbuild.i18n.texlang.missing``). Returned as data;
``cvbuild.cli`` prints it.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass

from cvbuild.config.model import CV


@dataclass(frozen=True)
class Finding:
    variant: str
    what: str  # "xelatex", "hyph-de-1996.tex for de", "the font Noto Serif CJK JP for ja"
    fix: str  # "sudo apt-get install texlive-lang-german"


def examine(cv: CV) -> list[Finding]:
    from cvbuild.i18n.texlang import missing
    from cvbuild.select import resolve_variant

    found: list[Finding] = []
    for variant in cv.variants:
        resolved = resolve_variant(cv, variant)
        if "pdf" in resolved.formats:
            if shutil.which(resolved.engine) is None:
                fix = "sudo apt-get install texlive-xetex texlive-luatex (or run scripts/setup.sh)"
                found.append(Finding(variant.name, resolved.engine, fix))
            for lack in missing(resolved.locale, resolved.engine):
                found.append(
                    Finding(variant.name, lack.what, f"sudo apt-get install {lack.package}")
                )
        if "docx" in resolved.formats and not _pandoc_found():
            found.append(Finding(variant.name, "pandoc", "pip install pypandoc-binary"))
    return list(dict.fromkeys(found))


def _pandoc_found() -> bool:
    if shutil.which("pandoc"):
        return True
    try:
        from cvbuild.compile.pandoc import find_pandoc

        find_pandoc()
    except Exception:  # noqa: BLE001 — any failure means: not usable here
        return False
    return True


def one_command(findings: list[Finding]) -> str:
    """One apt-get line for every Debian package the findings name."""
    packages = sorted(
        {word for f in findings if "apt-get install" in f.fix for word in _packages(f.fix)}
    )
    return f"sudo apt-get install {' '.join(packages)}" if packages else ""


def _packages(fix: str) -> list[str]:
    words = fix.split("apt-get install", 1)[1].split("(")[0].split()
    return [w for w in words if w]
