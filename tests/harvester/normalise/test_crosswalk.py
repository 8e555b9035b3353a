from pathlib import Path

import pytest

from harvester.normalise.crosswalk import (
    CROSSWALK_DIR,
    CrosswalkError,
    load_crosswalk,
    load_crosswalks,
)

HEAD = """\
name: probe
format: {format}
namespaces:
  dc: http://purl.org/dc/elements/1.1/
fields:
"""


def write(tmp_path: Path, fields: str, fmt: str = "xml") -> Path:
    path = tmp_path / "probe.yaml"
    path.write_text(HEAD.format(format=fmt) + fields, encoding="utf-8")
    return path


def test_every_shipped_crosswalk_loads() -> None:
    loaded = load_crosswalks()
    assert "oai_dc" in loaded
    assert {path.stem for path in CROSSWALK_DIR.glob("*.yaml")} == set(loaded)


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ("  colour:\n    paths: [dc:title]\n", "colour", "not a field of the record model"),
        ("  id:\n    paths: [dc:identifier]\n", "id", "filled by the engine"),
        (
            "  title:\n    paths: [dc:title]\n    transforms: [shout]\n",
            "title",
            "unknown transform 'shout'",
        ),
        ("  title:\n    paths: [dc:title]\n    transforms: [join]\n", "title", "needs an argument"),
        (
            "  title:\n    paths: [dc:title]\n    transforms: [{trim: 1}]\n",
            "title",
            "takes no argument",
        ),
        ("  title:\n    paths: ['dc:title[']\n", "title", "XPath"),
        ("  title:\n    paths: [x:title]\n", "title", "XPath"),
        ("  title:\n    transforms: [trim]\n", "title", "no paths"),
        ("  title: [dc:title]\n", "title", "'paths' and 'transforms' only"),
    ],
)
def test_load_fails_with_file_field_and_reason(
    tmp_path: Path, fields: str, field: str, reason: str
) -> None:
    path = write(tmp_path, fields)
    with pytest.raises(CrosswalkError) as caught:
        load_crosswalk(path)
    assert caught.value.path == str(path)
    assert caught.value.field == field
    assert reason in caught.value.reason


def test_bad_jmespath_is_caught_at_load(tmp_path: Path) -> None:
    path = write(tmp_path, "  title:\n    paths: ['metadata.[title']\n", fmt="json")
    with pytest.raises(CrosswalkError, match="JMESPath"):
        load_crosswalk(path)


def test_unknown_format(tmp_path: Path) -> None:
    path = write(tmp_path, "  title:\n    paths: [x]\n", fmt="csv")
    with pytest.raises(CrosswalkError, match="must be one of xml, json, jsonld, rdf"):
        load_crosswalk(path)
