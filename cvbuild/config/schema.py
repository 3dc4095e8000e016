"""The JSON Schema of cv.yaml, generated from the key tables the loader checks with.

Editors that speak the YAML language server read it from a first line such as
``# yaml-language-server: $schema=./cv.schema.json``. The loader stays the
authority (it also checks things a schema cannot: sections a variant names,
files that exist); the schema gives completion and early squiggles.
"""

from __future__ import annotations

import json
from typing import Any

from cvbuild.config.reader import TOP
from cvbuild.config.types import table_schema

SCHEMA_ID = "https://cvbuild.invalid/schema/cv.schema.json"


def config_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for cv.yaml."""
    body = table_schema(TOP)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "cvbuild cv.yaml",
        **body,
    }


def schema_json() -> str:
    """The schema as stable, pretty JSON text (for writing to ``cv.schema.json``)."""
    return json.dumps(config_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
