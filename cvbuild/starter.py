"""``cvbuild init [DIR]``: a starter project that builds as it stands.

Writes ``cv.yaml`` (its first line points the YAML language server at the schema, so
editors complete keys and flag mistakes), ``cv.schema.json`` (generated from the same
key tables the loader checks with) and ``publications.bib`` in the conventions of the
al-folio / jekyll-scholar website themes (``selected``, ``pdf``, ``code``, ``arxiv``,
``abbr``, an equal-contribution mark with its legend note, a preprint). Never overwrites:
if any of the files exists, nothing is written.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from pathlib import Path

from cvbuild.errors import UsageError, os_failure

CONFIG_NAME = "cv.yaml"
SCHEMA_NAME = "cv.schema.json"
BIB_NAME = "publications.bib"

_CONFIG = """\
# yaml-language-server: $schema=./{schema}
# Your CV. Build it with:   cvbuild build {config}
# Rebuild on every save:    cvbuild watch {config}
# Relative paths are relative to this file. Inline **bold**, *italic* and
# [links](https://example.org) work in every text.
person:
  name: {name}
  # Other spellings of your name in BibTeX files, so that it is set in bold everywhere.
  aliases: []
  headline: PhD Student in Computer Science
  email: you@example.org
  location: Your City, Country
  website: https://example.org
  profiles:
    - network: GitHub
      username: your-github-name

sections:
  - title: Education
    entries:
      - title: PhD in Computer Science
        organization: Your University
        location: Your City, Country
        start: 2022-09
        end: present
        summary: "Advisor: Prof. Ada Example."
      - title: BSc in Mathematics
        organization: Another University
        start: 2018-09
        end: 2022-06

  - title: Publications
    publications:
      bib: {bib}
      group_by: year      # year | type | none
      order: newest       # newest | oldest
      author_limit: 0     # 0 = show every author

  - title: Skills
    items:
      - label: Programming
        text: Python, C++, SQL
      - label: Languages
        text: English (fluent)

variants:
  cv: {{}}
  resume:
    sections: [Education, Publications, Skills]
    selected_only: true   # only entries with selected = {{true}} in the .bib
    author_limit: 5

output:
  dir: output
  formats: [pdf, docx, md]
"""

_BIB = """\
% Your publications, in the conventions of the al-folio website theme: the same
% file can feed your website and your CV.
%   selected = {{true}}    shown in the "resume" variant (selected_only: true)
%   pdf, code, html      links; use full https:// addresses for the CV
%   arxiv = {{2401.00001}}  an arXiv link
%   Family*, Given       * marks equal contribution; the note explains it
%   abbr = {{NeurIPS}}     a short venue badge on the website

@inproceedings{{{key}2024workshop,
  title     = {{A Worked Example of a Conference Paper}},
  author    = {{{family}*, {given} and Lovelace*, Ada and Turing, Alan}},
  booktitle = {{Proceedings of the Example Conference on Machine Learning}},
  year      = {{2024}},
  month     = jul,
  pages     = {{101--112}},
  note      = {{* Equal contribution}},
  abbr      = {{ECML}},
  selected  = {{true}},
  pdf       = {{https://example.org/papers/{key}2024workshop.pdf}},
  code      = {{https://github.com/your-github-name/example-code}},
}}

@article{{{key}2023journal,
  title   = {{Reproducible Pipelines for Everyone}},
  author  = {{Hopper, Grace and {family}, {given}}},
  journal = {{Journal of Open Examples}},
  volume  = {{12}},
  number  = {{3}},
  pages   = {{45--67}},
  year    = {{2023}},
  doi     = {{10.1234/joe.2023.0042}},
}}

@article{{{key}2025preprint,
  title   = {{Learning to Write CVs from BibTeX}},
  author  = {{{family}, {given} and Hopper, Grace}},
  journal = {{arXiv preprint arXiv:2501.00001}},
  year    = {{2025}},
  arxiv   = {{2501.00001}},
  selected = {{true}},
}}
"""


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding exactly ``text`` (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _bib_name(name: str) -> tuple[str, str]:
    """(family, given) for BibTeX "Family, Given", with nothing BibTeX would read as markup."""
    clean = re.sub(r"[{}\\%@#~^$&,*†]", " ", name)
    words = [w for w in clean.split() if w.lower() != "and"]
    if not words:
        words = ["Your", "Name"]
    if len(words) == 1:
        return words[0], ""
    return words[-1], " ".join(words[:-1])


def _key_stem(family: str) -> str:
    folded = unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]", "", folded.lower())
    return stem or "me"


def init_project(folder: Path, *, name: str = "Your Name") -> list[Path]:
    """Write the starter files into ``folder`` (created if needed); return their paths.

    Raises UsageError, writing nothing, when ``folder`` is a file or any starter file
    already exists.
    """
    from cvbuild.config.schema import schema_json
    from cvbuild.outputs import check_output_dir

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder; choose a folder for the new CV")
    check_output_dir(folder, "folder for the new CV", "cvbuild init DIR")
    name = " ".join(name.split()) or "Your Name"
    targets = [folder / CONFIG_NAME, folder / SCHEMA_NAME, folder / BIB_NAME]
    existing = [p for p in targets if p.exists() or p.is_symlink()]
    if existing:
        names = ", ".join(p.name for p in existing)
        raise UsageError(
            f"{folder}: {names} already exist{'s' if len(existing) == 1 else ''}; "
            "nothing was written (choose an empty folder, or move these files away)"
        )
    family, given = _bib_name(name)
    config = _CONFIG.format(
        schema=SCHEMA_NAME, config=CONFIG_NAME, name=_yaml_string(name), bib=BIB_NAME
    )
    bib = _BIB.format(family=family, given=given, key=_key_stem(family))
    contents = {
        targets[0]: config,
        targets[1]: schema_json(),
        targets[2]: bib,
    }
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, text in contents.items():
            with path.open("x", encoding="utf-8", newline="\n") as handle:  # never overwrite
                written.append(path)
                handle.write(text)
    except FileExistsError as exc:  # created by someone else meanwhile
        _remove(written)
        raise UsageError(f"{exc.filename} appeared while writing; nothing was written") from exc
    except OSError as exc:  # /proc, a read-only or full disk
        _remove(written)
        raise os_failure(exc, "write the new CV in", exc.filename or folder) from exc
    return written


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
