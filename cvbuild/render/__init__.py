"""Render backends: Document → source text, escaping only at rich-text leaves."""
