"""The README's configuration example is a valid cv.yaml (by the same schema the loader uses)."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import yaml

from cvbuild.config.schema import config_schema

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_config_example_is_valid() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README lost its configuration example"
    for block in blocks:
        data = yaml.safe_load(block)
        jsonschema.validate(data, config_schema())
