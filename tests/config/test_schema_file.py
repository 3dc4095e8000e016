"""The schema file that example configs point editors at is the one the code generates."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from cvbuild.config.schema import config_schema

REPO = Path(__file__).resolve().parents[2]


def test_docs_schema_is_current() -> None:
    on_disk = json.loads((REPO / "docs" / "cv.schema.json").read_text(encoding="utf-8"))
    assert on_disk == config_schema(), "regenerate: cvbuild schema > docs/cv.schema.json"


def test_example_config_validates_against_schema() -> None:
    data = yaml.safe_load(
        (REPO / "examples" / "researcher" / "cv.yaml").read_text(encoding="utf-8")
    )
    jsonschema.validate(json.loads(json.dumps(data, default=str)), config_schema())
