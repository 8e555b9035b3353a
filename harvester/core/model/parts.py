"""The descriptive parts of a record: texts with their language, organisations, places (points
and boxes), participation, related resources, the licence, and the provenance."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from harvester.core.model.checks import _blank_to_none, _unique
from harvester.core.model.fields import (
    CountryCode,
    LanguageCode,
    OptLongText,
    OptText,
    OptUrl,
    Sdg,
    SpdxId,
    Text,
    TextList,
    UtcDateTime,
    _Model,
)
from harvester.core.model.ids import _source_id


class LangText(_Model):
    """A text with the language it is written in."""

    value: Text = Field(description="The text.")
    lang: Annotated[LanguageCode | None, BeforeValidator(_blank_to_none)] = Field(
        default=None, description="ISO 639-1 code of the text's language, if known."
    )


class Organisation(_Model):
    """An organisation involved with the project or dataset."""

    name: Text = Field(description="The organisation's name as the source gives it.")
    role: OptText = Field(
        default=None,
        description="Its role (PPSR Core associated-party role or DataCite contributorType), "
        "such as 'Partner', 'Sponsor/funder', 'HostingInstitution'.",
    )
    identifier: OptText = Field(
        default=None, description="An identifier of the organisation, preferably a ROR URL."
    )
    country: Annotated[CountryCode | None, BeforeValidator(_blank_to_none)] = Field(
        default=None,
        description="The organisation's own country (ISO 3166-1 alpha-2), where the source "
        "states it; not the project's.",
    )
    type: OptText = Field(
        default=None,
        description="The kind of organisation as the source classes it, such as 'Academic', "
        "'Governmental', 'Non-governmental', 'Private sector', 'Community-led', 'Consortium'.",
    )


class Point(_Model):
    """A point in WGS 84 degrees."""

    lat: float = Field(ge=-90, le=90, description="Latitude in decimal degrees (-90..90).")
    lon: float = Field(ge=-180, le=180, description="Longitude in decimal degrees (-180..180).")


class BoundingBox(_Model):
    """A box in WGS 84 degrees; west > east means it crosses the antimeridian."""

    west: float = Field(ge=-180, le=180, description="Western longitude (-180..180).")
    south: float = Field(ge=-90, le=90, description="Southern latitude (-90..90).")
    east: float = Field(ge=-180, le=180, description="Eastern longitude (-180..180).")
    north: float = Field(ge=-90, le=90, description="Northern latitude (-90..90), >= south.")

    @model_validator(mode="after")
    def _south_of_north(self) -> BoundingBox:
        """Reject a box whose south edge lies north of its north edge."""
        if self.south > self.north:
            raise ValueError(f"south ({self.south}) is north of north ({self.north})")
        return self


class Geo(_Model):
    """Where the project runs or the data was collected."""

    points: Annotated[list[Point], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Points (PPSR Core pin or centroid; DataCite geoLocationPoint).",
    )
    boxes: Annotated[list[BoundingBox], AfterValidator(_unique)] = Field(
        default_factory=list, description="Bounding boxes (DataCite geoLocationBox, DCAT bbox)."
    )


class Participation(_Model):
    """How volunteers take part (PPSR Core participation attributes)."""

    tasks: TextList = Field(
        default_factory=list,
        description="What participants do (PPSR Core scientificProcessInvolved terms, e.g. "
        "'Observation', 'Classification or tagging').",
    )
    from_home: bool | None = Field(default=None, description="Participation is possible from home.")
    online: bool | None = Field(default=None, description="Participation happens online.")
    audience: TextList = Field(
        default_factory=list,
        description="Who may take part: ages or groups (PPSR Core projectParticipantAge).",
    )
    difficulty: OptText = Field(
        default=None, description="Difficulty for untrained participants (Easy, Medium, Hard)."
    )
    for_schools: bool | None = Field(
        default=None,
        description="Suited to schools: for children or classes, or with teaching materials "
        "(PPSR Core hasTag 'Suitable for children', 'Teaching materials available').",
    )
    participants: int | None = Field(
        default=None,
        ge=0,
        description="How many people have taken part, as the source counts them (PPSR Core "
        "projectParticipants; Zooniverse classifiers).",
    )
    contributions: int | None = Field(
        default=None,
        ge=0,
        description="How many contributions participants have made, as the source counts "
        "them (Zooniverse classifications, CitSci.org measurements).",
    )
    social_uptake: OptText = Field(
        default=None,
        description="The size of the project's following as the source grades it (JRC "
        "inventory: 'Considerable', 'Large' (under 1,000 participants), 'Very large').",
    )


class SdgImpact(_Model):
    """How a project bears on one Sustainable Development Goal, where the source grades it."""

    goal: Sdg = Field(description="The goal, 1..17.")
    impact: Literal["direct", "indirect"] = Field(
        description="Direct or indirect impact (the JRC inventory's 2 and 1)."
    )


class Policy(_Model):
    """What the source says of the project's link to policy making (JRC inventory)."""

    aims: bool | None = Field(
        default=None,
        description="Whether the project's results are, or are meant to be, used in policy "
        "making (JRC 'Policy aims').",
    )
    explanation: OptText = Field(
        default=None,
        description="How the results serve policy, in the source's words (JRC 'Policy aims "
        "explanation').",
    )
    relevance: TextList = Field(
        default_factory=list,
        description="Phases of the policy cycle the project bears on (JRC 'Policy relevance': "
        "'Problem definition', 'Early-warning', 'Policy implementation or monitoring', "
        "'Policy evaluation', 'Compliance assurance').",
    )


class Related(_Model):
    """A related resource (DataCite relatedIdentifier, DCAT qualified relation)."""

    relation: Text = Field(
        description="How it relates, as a DataCite relationType such as 'IsPartOf', 'References'."
    )
    identifier: Text = Field(description="The related resource's identifier or URL.")
    scheme: OptText = Field(
        default=None, description="The identifier's scheme (DataCite relatedIdentifierType)."
    )


class License(_Model):
    """The licence of the record's content; at least one of its fields is set."""

    spdx: Annotated[SpdxId | None, BeforeValidator(_blank_to_none)] = Field(
        default=None, description="SPDX licence id where known, such as 'CC-BY-4.0'."
    )
    text: OptLongText = Field(default=None, description="The licence as the source states it.")
    url: OptUrl = Field(default=None, description="A URL of the licence text.")

    @model_validator(mode="after")
    def _something_set(self) -> License:
        """Reject a licence with none of its fields set."""
        if self.spdx is None and self.text is None and self.url is None:
            raise ValueError("a licence needs an SPDX id, a text or a URL")
        return self


class Provenance(_Model):
    """Where and when the record was harvested (lenient: it is filled by the harvester; a
    required text that was an e-mail address is kept as "[e-mail removed]")."""

    _keeps_removed = True

    source_id: Annotated[str, AfterValidator(_source_id)] = Field(
        description="The configured source's id."
    )
    source_name: Text = Field(description="The source's display name.")
    platform: Text = Field(description="The platform behind the source (e.g. 'zenodo').")
    protocol: Text = Field(description="Harvesting protocol, e.g. 'oai-pmh' or 'json-api'.")
    endpoint: Text = Field(description="The endpoint harvested (base URL).")
    metadata_format: Text = Field(description="Metadata format (OAI metadataPrefix or media type).")
    source_identifier: Text = Field(
        description="The source's own identifier of the record (OAI identifier, API id)."
    )
    datestamp: OptText = Field(
        default=None, description="The source's last-modified stamp, as the source sent it."
    )
    harvested_at: UtcDateTime = Field(description="When the record was harvested (UTC).")
    original_url: OptText = Field(
        default=None, description="A link to the record as the source serves it."
    )
