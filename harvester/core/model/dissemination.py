"""Who made and who publishes the described thing, and how its data is distributed: the parts
the FAIRsFAIR metrics ask for (creator, publisher, data links with format and size), each
filled only from what the source states.

Agents carry names and identifiers (ORCID, ROR) only: never an e-mail address.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from harvester.core.model.checks import _blank_to_none
from harvester.core.model.fields import OptText, OptUrl, Text, _Model
from harvester.core.model.public_text import contains_email

AgentKind = Literal["person", "organisation"]

MediaType = Annotated[
    str, Field(pattern=r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
]


def _no_email(value: str) -> str:
    """Reject a name that holds an e-mail address (names are published)."""
    if contains_email(value):
        raise ValueError("an agent's name must not contain an e-mail address")
    return value


def _lower(value: str | None) -> str | None:
    """A media type in lower case, parameters (``; charset=...``) dropped."""
    if value is None:
        return None
    return value.split(";", 1)[0].strip().lower() or None


class Agent(_Model):
    """A person or organisation credited as creator, or the publisher."""

    name: Annotated[Text, AfterValidator(_no_email)] = Field(
        description="The name as the source gives it ('Family, Given' for persons where so)."
    )
    kind: Annotated[AgentKind | None, BeforeValidator(_blank_to_none)] = Field(
        default=None, description="person or organisation, where the source says which."
    )
    identifier: OptUrl = Field(
        default=None,
        description="An identifier as a URL: ORCID (https://orcid.org/...) for persons, "
        "ROR (https://ror.org/...) for organisations.",
    )


class Distribution(_Model):
    """One way the data is made available: a file, an archive or a service endpoint
    (schema.org DataDownload, DCAT Distribution). At least one URL, format or size is set."""

    title: OptText = Field(default=None, description="The file name or the endpoint's label.")
    download_url: OptUrl = Field(
        default=None, description="Where the file itself downloads (dcat:downloadURL)."
    )
    access_url: OptUrl = Field(
        default=None,
        description="Where the data can be reached: a service endpoint or a page leading to "
        "it (dcat:accessURL).",
    )
    media_type: Annotated[MediaType | None, BeforeValidator(_lower)] = Field(
        default=None, description="IANA media type, such as 'text/csv'."
    )
    format: OptText = Field(
        default=None,
        description="The format as the source names it when it is no media type "
        "(e.g. 'DWC_ARCHIVE', 'CSV').",
    )
    media_type_from_name: bool = Field(
        default=False,
        description="True when the source names the file but not its type, and the media "
        "type was read from the file name's extension (IANA types, as Python's mimetypes "
        "knows them).",
    )
    size_bytes: int | None = Field(default=None, ge=0, description="Size in bytes.")
    size_text: OptText = Field(
        default=None,
        description="Size as the source states it when it is no byte count (e.g. '3 files').",
    )
    checksum: OptText = Field(
        default=None, description="Checksum as '<algorithm>:<hex digits>', e.g. 'md5:…'."
    )

    @model_validator(mode="after")
    def _something_set(self) -> Distribution:
        """Reject a distribution that says nothing of where or what."""
        if not (
            self.download_url
            or self.access_url
            or self.media_type
            or self.format
            or self.size_bytes is not None
            or self.size_text
        ):
            raise ValueError("a distribution needs a URL, a format or a size")
        return self

    @property
    def url(self) -> str | None:
        """The download URL, else the access URL."""
        return self.download_url or self.access_url
