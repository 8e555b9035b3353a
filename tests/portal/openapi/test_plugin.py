"""Pydantic models in apispec: component schemas, parameters and headers."""

from __future__ import annotations

from typing import Any

import pytest
from apispec import APISpec
from apispec.exceptions import DuplicateComponentNameError
from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from portal.openapi.plugin import PydanticPlugin, json_schema


class Inner(BaseModel):
    """A nested thing,
    described on two lines."""

    per_page: int = 20
    note: str | None = None


class Outer(BaseModel):
    """The outer thing."""

    inner: Inner
    inners: list[Inner] = []


class Query(BaseModel):
    """Parameters."""

    text: str | SkipJsonSchema[None] = Field(None, description="What to look for.")
    tags: list[str] = Field(
        default_factory=list, json_schema_extra={"style": "form", "explode": True}
    )
    needed: int = Field(ge=1)


class Headers(BaseModel):
    """Headers."""

    total: int = Field(alias="X-Total", ge=0, description="How many.")


def new_spec() -> tuple[APISpec, PydanticPlugin]:
    plugin = PydanticPlugin()
    return APISpec("t", "1", "3.1.0", plugins=[plugin]), plugin


def test_schemas_have_no_generated_titles_nor_null_defaults() -> None:
    schema = json_schema(Inner)
    assert "title" not in schema
    assert schema["description"] == "A nested thing, described on two lines."
    assert schema["properties"]["per_page"] == {"default": 20, "type": "integer"}
    assert "default" not in schema["properties"]["note"]


def test_a_model_and_the_models_nested_in_it_become_components_once() -> None:
    spec, plugin = new_spec()
    assert plugin.ref(Outer) == "Outer"
    assert plugin.ref(Inner) == "Inner"  # already there through Outer: the same schema
    assert plugin.ref(Outer) == "Outer"
    schemas = spec.to_dict()["components"]["schemas"]
    assert set(schemas) == {"Outer", "Inner"}
    assert schemas["Outer"]["properties"]["inner"] == {"$ref": "#/components/schemas/Inner"}


def test_two_different_models_cannot_share_a_name() -> None:
    _, plugin = new_spec()
    plugin.ref(Inner)
    other: Any = type("Inner", (BaseModel,), {"__annotations__": {"x": int}})
    with pytest.raises(DuplicateComponentNameError, match="Inner"):
        plugin.ref(other)


def test_fields_become_parameters_with_their_style() -> None:
    _, plugin = new_spec()
    by_name = {p["name"]: p for p in plugin.parameters(Query, "query")}
    assert by_name["text"] == {
        "name": "text",
        "in": "query",
        "description": "What to look for.",
        "schema": {"type": "string"},
    }
    assert by_name["tags"]["style"] == "form" and by_name["tags"]["explode"] is True
    assert "explode" not in by_name["tags"]["schema"]
    assert by_name["needed"]["required"] is True and "required" not in by_name["text"]
    assert all(p["required"] for p in plugin.parameters(Query, "path"))


def test_a_parameter_cannot_be_a_model() -> None:
    _, plugin = new_spec()
    with pytest.raises(ValueError, match="nested"):
        plugin.parameters(Outer, "query")


def test_header_fields_become_headers_by_alias() -> None:
    _, plugin = new_spec()
    assert plugin.headers(Headers) == {
        "X-Total": {
            "description": "How many.",
            "schema": {"minimum": 0, "type": "integer"},
            "required": True,
        }
    }
