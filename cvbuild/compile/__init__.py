"""Compile step: outside tools (TeX engine, pandoc) in a temporary folder."""
