"""The JSON Schema of cv.yaml agrees with the loader on good and bad examples."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from cvbuild.config.reader import PUBLICATIONS, TOP, load_config_text
from cvbuild.config.schema import config_schema, schema_json
from cvbuild.config.yamlpos import parse_yaml, to_plain
from cvbuild.errors import InputError

from .cv_examples import BAD_CONFIGS, GOOD_CONFIG


def validator() -> jsonschema.protocols.Validator:
    schema = config_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_data(text: str) -> object:
    tree, _ = parse_yaml(text, "cv.yaml")
    return to_plain(tree)


def test_schema_is_valid_draft_2020_12() -> None:
    schema = config_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert json.loads(schema_json()) == schema


def test_good_example_validates_and_loads(tmp_path: Path) -> None:
    assert list(validator().iter_errors(as_data(GOOD_CONFIG))) == []
    (tmp_path / "papers.bib").write_text("")
    cv = load_config_text(GOOD_CONFIG, tmp_path / "cv.yaml")
    assert cv.person.name == "Jane Q. Doe"


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_bad_examples_fail_both(name: str, tmp_path: Path) -> None:
    text = BAD_CONFIGS[name]
    assert list(validator().iter_errors(as_data(text))), f"schema accepted: {name}"
    with pytest.raises(InputError):
        load_config_text(text, tmp_path / "cv.yaml")


def test_schema_follows_the_key_tables() -> None:
    schema = config_schema()
    assert list(schema["properties"]) == [k.name for k in TOP.keys]
    assert schema["required"] == ["person", "sections"]
    section = schema["properties"]["sections"]["items"]
    assert section["oneOf"] == [
        {"required": ["entries"]},
        {"required": ["publications"]},
        {"required": ["items"]},
        {"required": ["text"]},
    ]
    pubs = section["properties"]["publications"]
    assert list(pubs["properties"]) == [k.name for k in PUBLICATIONS.keys]
    assert pubs["additionalProperties"] is False
    group_by = pubs["properties"]["group_by"]["anyOf"][0]
    assert group_by == {"enum": ["year", "type", "none"]}


def test_dates_in_schema() -> None:
    v = validator()
    base = (
        "person: {name: J}\nsections:\n  - title: X\n    entries:\n      - {title: Y, start: %s}\n"
    )
    for good in ("2015", "2015-09", "2015-09-01", "present", "Present", "now"):
        assert not list(v.iter_errors(as_data(base % good))), good
    for bad in ("Sept 2015", "15", "2015/09"):
        assert list(v.iter_errors(as_data(base % bad))), bad


def test_empty_values_allowed_like_the_loader() -> None:
    text = "person:\n  name: J\n  headline:\nsections: []\noutput:\n"
    assert not list(validator().iter_errors(as_data(text)))
