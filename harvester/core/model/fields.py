"""The building blocks of every model part: the frozen base model and the reusable field types
(texts, codes, dates, URLs), each an annotated type carrying its check and its JSON Schema."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from harvester.core.model.checks import (
    _blank_to_none,
    _country,
    _drop_blanks,
    _iso_date,
    _language,
    _topic,
    _unique,
    _utc_datetime,
    _web_url,
)

Text = Annotated[str, Field(min_length=1)]
OptText = Annotated[str | None, BeforeValidator(_blank_to_none)]
TextList = Annotated[list[Text], BeforeValidator(_drop_blanks), AfterValidator(_unique)]

CountryCode = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"}),
]
LanguageCode = Annotated[
    str,
    AfterValidator(_language),
    WithJsonSchema({"type": "string", "pattern": "^[a-z]{2}$"}),
]
TopicCode = Annotated[
    str,
    AfterValidator(_topic),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d+)*$"}),
]
IsoDate = Annotated[
    str,
    AfterValidator(_iso_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}Z)?)?)?$",
        }
    ),
]
UtcDateTime = Annotated[
    str,
    AfterValidator(_utc_datetime),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"}),
]
WebUrl = Annotated[
    str,
    AfterValidator(_web_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]
Sdg = Annotated[int, Field(ge=1, le=17)]
SpdxId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")]


OptDate = Annotated[IsoDate | None, BeforeValidator(_blank_to_none)]
OptUrl = Annotated[WebUrl | None, BeforeValidator(_blank_to_none)]


class _Model(BaseModel):
    """Base of every model part: frozen, strict about unknown fields, whitespace trimmed."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_serialization_defaults_required=True,
    )
