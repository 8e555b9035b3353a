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

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
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
    every string made public (:meth:`_public`)."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_serialization_defaults_required=True,
    )

    _keeps_removed: ClassVar[bool] = False
    """Keep "[e-mail removed]" for a required text that was nothing but an address, rather
    than refusing the value (a part that cannot go without, such as the provenance)."""
    _placeholders: ClassVar[Mapping[str, str]] = MappingProxyType({})
    """What a required text that was nothing but an address becomes instead (the record's
    title: ``[untitled]``), rather than refusing the part."""

    @model_validator(mode="after")
    def _public(self, info: ValidationInfo) -> Self:
        """Every string of every field, and every string of a list, made public.

        One pass over the part's fields once they are validated (one call per part, not per
        field: most texts pass :func:`looks_public` and are left as they are). A value that
        was nothing but an e-mail address (or control characters) is refused where the
        field is required, ``None`` where it is optional, and dropped from a list:
        "[e-mail removed]" is no keyword, name or identifier. A part that changed is
        validated again as it will be published, so that a value's form is checked on what
        is kept: the DOI "10.5281/x\u202ejo@example.org" becomes "10.5281/[e-mail removed]",
        which is no DOI and is refused, rather than stored and failing to read back.
        """
        values = self.__dict__
        public: dict[str, Any] = {}
        seen = _SEEN_PUBLIC.get
        for name, value in values.items():  # only what changes is validated again
            kind = type(value)
            if kind is str:
                if not (seen(value) or _looks_public(value)):
                    text = self._public_text(name, value)
                    if text != value:
                        public[name] = text
            elif (
                kind is list
                and value
                and type(value[0]) is str
                and not all(_looks_public(item) for item in value)
            ):
                kept = (public_text(item).strip() for item in value)
                texts = _unique([i for i in kept if i and i != EMAIL_REMOVED])
                if texts != value:
                    public[name] = texts
        if not public:
            return self
        if info.context == _AGAIN:  # validated again already: what is left is public
            values.update(public)
            return self
        try:
            again = type(self).model_validate({**values, **public}, context=_AGAIN)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" if e["loc"] else e["msg"]
                for e in exc.errors()
            )
            raise ValueError(f"once made public, {problems}") from None
        values.update(again.__dict__)
        return self

    @classmethod
    def trusted(cls, values: dict[str, Any]) -> Self:
        """The part holding ``values`` as they are, without validation: for code that builds
        parts from values it guarantees (every field given, each valid and public already),
        never for harvested values. What :meth:`model_construct` makes, without its
        per-field loop over aliases and defaults.

        Raises:
            ValueError: ``values`` does not name every field of the part, and only them.
        """
        if values.keys() != cls.__pydantic_fields__.keys():
            raise ValueError(f"{cls.__name__}.trusted needs exactly its fields: {sorted(values)}")
        if cls.__pydantic_post_init__ is not None:  # private attributes to set up
            return cls.model_construct(**values)
        made = cls.__new__(cls)
        _set(made, "__dict__", values)
        _set(made, "__pydantic_fields_set__", set(values))
        _set(made, "__pydantic_extra__", None)
        _set(made, "__pydantic_private__", None)
        return made

    def _public_text(self, name: str, value: str) -> str | None:
        public = public_text(value).strip()
        if public and public != EMAIL_REMOVED:
            return public
        if not type(self).model_fields[name].is_required():
            return None
        if name in self._placeholders:
            return self._placeholders[name]
        if self._keeps_removed and public:
            return public
        what = "an e-mail address" if public else "control characters"
        raise ValueError(f"{name}: holds nothing but {what}, which is never published")


_SEEN_PUBLIC: dict[str, bool] = {}
"""Whether short texts seen lately looked public (names, codes, places and the source's
own constants recur from record to record)."""
_SEEN_LIMIT = 16_384
_SEEN_LENGTH = 160


def _looks_public(text: str) -> bool:
    """:func:`looks_public`, remembered for short texts (bounded: forgotten all at once)."""
    known = _SEEN_PUBLIC.get(text)
    if known is None:
        known = looks_public(text)
        if len(text) <= _SEEN_LENGTH:
            if len(_SEEN_PUBLIC) >= _SEEN_LIMIT:
                _SEEN_PUBLIC.clear()
            _SEEN_PUBLIC[text] = known
    return known


_set = object.__setattr__  # how pydantic sets the slots of a frozen model it constructs

_AGAIN = "validated again once public"
"""The validation context of a part validated again by :meth:`_Model._public`."""
