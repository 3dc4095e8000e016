"""The config stage: cv.yaml → the validated ``CV`` model, every problem located.

- :mod:`~cvbuild.config.yamlpos` — YAML → nodes that keep their ``file:line:col``; safe, bounded.
- :mod:`~cvbuild.config.types` — value types: check a node (located problems), describe as schema.
- :mod:`~cvbuild.config.reader` — the key tables of cv.yaml and the model built from them.
- :mod:`~cvbuild.config.model` — the frozen dataclasses later stages read, with their positions.
- :mod:`~cvbuild.config.choices` — the one table of choices: formats, themes, engines, papers, ...
- :mod:`~cvbuild.config.schema` — the JSON Schema of cv.yaml, generated from the key tables.
- :mod:`~cvbuild.config.inline` — the inline Markdown of free-text fields → rich text.
- :mod:`~cvbuild.config.citations` — where each ``[@key]`` of a text section stands in cv.yaml.
- :mod:`~cvbuild.config.presets` — funder presets (ERC, DFG, SciENcv, R4RI) as data, applied to variants.
- :mod:`~cvbuild.config.managed` — which file ``refresh.into`` may name (refresh writes only it).
- :mod:`~cvbuild.config.files` — which file a config path names (a folder: its cv.yaml).

:func:`load_config` (and :func:`load_config_text`) are imported on first use, so that
importing :mod:`~cvbuild.config.choices` or :mod:`~cvbuild.config.model` does not load the
reader, its tables and PyYAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cvbuild.config.reader import load_config, load_config_text

__all__ = ["load_config", "load_config_text"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from cvbuild.config import reader

        return getattr(reader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
