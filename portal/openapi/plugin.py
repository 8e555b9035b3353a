"""An apispec plugin for pydantic models: component schemas, parameters and headers.

A model becomes a component named after its class, and every model nested in it a component
of its own (pydantic's ``$defs``), so ``{"$ref": "#/components/schemas/Hit"}`` is the same
whichever answer it appears in. A parameter model's fields become parameters, and a header
model's fields response headers (by alias): the field's schema is the parameter's schema,
its description the parameter's, and OpenAPI's own parameter keywords (``style``,
``explode``, ``allowReserved``) given in a field's ``json_schema_extra`` move up from the
schema to the parameter.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from apispec import APISpec, BasePlugin
from apispec.exceptions import DuplicateComponentNameError
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

REF_TEMPLATE = "#/components/schemas/{model}"
PARAMETER_KEYWORDS = ("style", "explode", "allowReserved")
_LINE_BREAK = re.compile(r"(?<!\n)\n(?!\n)")
Mode = Literal["validation", "serialization"]


class DocumentSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema without generated titles ("Per Page") or ``default: null``
    (an absent value is said by ``required``, and a parameter is never null)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        """Never: the property's name is its title."""
        return False

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        """A model's schema without the class name as title (the component name says it),
        its description (the docstring) with lines joined."""
        value = super().model_schema(schema)
        value.pop("title", None)
        if isinstance(value.get("description"), str):
            value["description"] = _LINE_BREAK.sub(" ", value["description"])
        return value

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        """A field's schema, its default left out when it is None."""
        value = super().default_schema(schema)
        if "default" in value and value["default"] is None:
            value = {key: item for key, item in value.items() if key != "default"}
        return value


def json_schema(model: type[BaseModel], mode: Mode = "serialization") -> dict[str, Any]:
    """A model's JSON Schema as the document shows it; nested models are ``$defs``
    referenced as components."""
    return model.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=DocumentSchema, mode=mode
    )


class PydanticPlugin(BasePlugin):
    """Pydantic models in an apispec document."""

    spec: APISpec

    def init_spec(self, spec: APISpec) -> None:
        """Remember the document the plugin adds to."""
        super().init_spec(spec)
        self.spec = spec

    def schema_helper(
        self, name: str, definition: dict[Any, Any], **kwargs: Any
    ) -> dict[str, Any] | None:
        """``spec.components.schema(name, model=Model)``: the model's schema; its nested
        models are registered as components of their own."""
        model: type[BaseModel] | None = kwargs.get("model")
        if model is None:
            return None
        schema = json_schema(model)
        for nested, nested_schema in schema.pop("$defs", {}).items():
            self._define(nested, nested_schema)
        return schema

    def ref(self, model: type[BaseModel]) -> str:
        """The component name of a model (a response body), registered on first use.

        Raises:
            DuplicateComponentNameError: another schema already has the model's name.
        """
        name = model.__name__
        if name not in self.spec.components.schemas:
            self.spec.components.schema(name, model=model)
        else:
            schema = json_schema(model)
            for nested, nested_schema in schema.pop("$defs", {}).items():
                self._define(nested, nested_schema)
            self._define(name, schema)
        return name

    def _define(self, name: str, schema: dict[str, Any]) -> None:
        existing = self.spec.components.schemas.get(name)
        if existing is None:
            self.spec.components.schema(name, schema)
        elif existing != schema:
            raise DuplicateComponentNameError(f"two different schemas are named {name!r}")

    def parameters(self, model: type[BaseModel], location: str) -> list[dict[str, Any]]:
        """One parameter per field of ``model`` (by alias), ``in`` the given location.

        Raises:
            ValueError: a field is itself a model (a parameter cannot reference one).
        """
        schema = json_schema(model, mode="validation")
        if "$defs" in schema:
            raise ValueError(f"{model.__name__}: parameters cannot be nested models")
        required = set(schema.get("required", ()))
        found = []
        for name, field_schema in schema.get("properties", {}).items():
            item = dict(field_schema)
            parameter: dict[str, Any] = {"name": name, "in": location}
            if "description" in item:
                parameter["description"] = item.pop("description")
            keywords = {key: item.pop(key) for key in PARAMETER_KEYWORDS if key in item}
            parameter["schema"] = item
            parameter.update(keywords)
            if name in required or location == "path":
                parameter["required"] = True
            found.append(parameter)
        return found

    def headers(self, model: type[BaseModel]) -> dict[str, dict[str, Any]]:
        """Response headers, one per field of ``model`` (named by alias)."""
        return {
            parameter.pop("name"): {
                key: value for key, value in parameter.items() if key not in ("in", "style")
            }
            for parameter in self.parameters(model, "header")
        }
