"""Transitional alias of :mod:`cvbuild.format.assemble` (the old name).

``pipeline.py`` and ``batch.py`` still import ``cvbuild.format.document``; delete this file
once they import ``cvbuild.format.assemble``.
"""

from cvbuild.format.assemble import format_document

__all__ = ["format_document"]
