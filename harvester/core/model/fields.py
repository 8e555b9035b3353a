"""The building blocks of every model part: the frozen base model and the reusable field types
(texts, codes, dates, URLs), each an annotated type carrying its check and its JSON Schema.

Every string of every field of every part is made public by the base model
(:func:`~harvester.core.model.public_text.public_text`: no e-mail address, no control
character), whatever the field's type, so a field added later is covered without being
named. Texts have a length cap (:data:`MAX_TEXT`, :data:`MAX_LONG_TEXT` for descriptions and
licence texts, :data:`MAX_URL`), published in the JSON Schema; the normaliser cuts a longer
value and records the cut as a quality issue.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
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
from harvester.core.model.public_text import EMAIL_REMOVED, looks_public, public_text

MAX_TEXT = 2_000
"""Characters a text may hold (titles, names, keywords, identifiers, ...)."""
MAX_LONG_TEXT = 50_000
"""Characters a description or a licence text may hold."""
MAX_URL = 2_048
"""Characters a URL may hold."""

Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
OptText = Annotated[
    Annotated[str, StringConstraints(max_length=MAX_TEXT)] | None, BeforeValidator(_blank_to_none)
]
OptLongText = Annotated[
    Annotated[str, StringConstraints(max_length=MAX_LONG_TEXT)] | None,
    BeforeValidator(_blank_to_none),
]
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
    StringConstraints(max_length=MAX_URL),
    AfterValidator(_web_url),
    WithJsonSchema(
        {"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": MAX_URL}
    ),
]
Sdg = Annotated[int, Field(ge=1, le=17)]
SpdxId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.+-]*$")]


OptDate = Annotated[IsoDate | None, BeforeValidator(_blank_to_none)]
OptUrl = Annotated[WebUrl | None, BeforeValidator(_blank_to_none)]


class _Model(BaseModel):
    """Base of every model part: frozen, strict about unknown fields, whitespace trimmed, and
    every string made public (:func:`_public`)."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_serialization_defaults_required=True,
    )

    _keeps_removed: ClassVar[bool] = False
    """Keep "[e-mail removed]" for a required text that was nothing but an address, rather
    than refusing the value (a part that cannot go without, such as the provenance)."""

    @field_validator("*", mode="after")
    @classmethod
    def _public(cls, value: Any, info: ValidationInfo) -> Any:
        """Every string of every field, and every string of a list, made public.

        A value that was nothing but an e-mail address (or control characters) is refused
        where the field is required, ``None`` where it is optional, and dropped from a list:
        "[e-mail removed]" is no keyword, name or identifier.
        """
        if type(value) is str:
            if looks_public(value):
                return value
            public = public_text(value)
            if public == value:
                return value
            required = cls.model_fields[str(info.field_name)].is_required()
            if cls._keeps_removed and required and public.strip():
                return public.strip()
            return _kept(public.strip(), required)
        if type(value) is list and value and type(value[0]) is str:
            if all(looks_public(item) for item in value):
                return value
            public_items = [public_text(item) for item in value]
            if public_items == value:
                return value
            kept = [item.strip() for item in public_items]
            return _unique([item for item in kept if item and item != EMAIL_REMOVED])
        return value


def _kept(public: str, required: bool) -> str | None:
    """A scrubbed value, unless nothing of it is left to publish."""
    if public and public != EMAIL_REMOVED:
        return public
    if required:
        what = "an e-mail address" if public else "control characters"
        raise ValueError(f"holds nothing but {what}, which is never published")
    return None
