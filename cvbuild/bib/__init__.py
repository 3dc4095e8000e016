"""The ``bib`` stage: BibTeX files → decoded, split ``Publication`` objects plus located problems."""
