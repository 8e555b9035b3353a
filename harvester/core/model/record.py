"""The record itself: one project, dataset, publication or resource from one source, its
parts put together, with the checks that span fields (empty parts dropped, the id matching the
provenance)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from harvester.core.model.checks import _blank_to_none, _unique
from harvester.core.model.dissemination import Agent, Distribution
from harvester.core.model.fields import (
    CountryCode,
    LanguageCode,
    OptDate,
    OptLongText,
    OptText,
    OptUrl,
    Sdg,
    Text,
    TextList,
    TopicCode,
    _Model,
)
from harvester.core.model.identifiers import Identifier
from harvester.core.model.ids import RECORD_ID_PATTERN, record_id
from harvester.core.model.parts import (
    Geo,
    LangText,
    License,
    Organisation,
    Participation,
    Policy,
    Provenance,
    Related,
    SdgImpact,
)
from harvester.core.model.public_text import EMAIL_REMOVED
from harvester.core.model.quality import Quality

PPSR_STATUSES = (
    "Not yet started",
    "Active",
    "Periodically active",
    "On hold",
    "Completed",
    "Abandoned",
)
"""The PPSR Core projectStatus terms."""

UNTITLED = "[untitled]"
"""Placeholder title for records whose source gives none; counted as a missing title."""

Kind = Literal["project", "dataset", "publication", "resource"]
AccessRights = Literal["open", "embargoed", "restricted", "closed", "metadata-only"]


class Record(_Model):
    """A project, dataset, publication or other resource from one source, normalised."""

    _placeholders = MappingProxyType({"title": UNTITLED})  # a title only an address: none

    id: str = Field(
        pattern=RECORD_ID_PATTERN,
        description="Stable id: '<source id>:<16 hex digits of SHA-1 of the source's "
        "identifier>' (see provenance).",
    )
    kind: Kind = Field(description="project, dataset, publication or resource.")
    title: Text = Field(description="Title (PPSR Core projectName; DataCite title).")
    description: OptLongText = Field(
        default=None,
        description="Plain-text description (PPSR Core projectDescription; DataCite Abstract).",
    )
    alternate_titles: Annotated[list[LangText], AfterValidator(_unique)] = Field(
        default_factory=list, description="Other titles and translations, with their language."
    )
    keywords: TextList = Field(
        default_factory=list, description="Free keywords and tags (PPSR Core keyword, hasTag)."
    )
    topics: Annotated[list[TopicCode], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Fields of science as controlled codes such as '1.6' (PPSR Core "
        "projectScienceType).",
    )
    sdgs: Annotated[list[Sdg], AfterValidator(_unique)] = Field(
        default_factory=list, description="UN Sustainable Development Goals stated, 1..17."
    )
    sdg_impacts: Annotated[list[SdgImpact], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="The goals the source grades, with a direct or indirect impact each "
        "(every one also in sdgs).",
    )
    policy: Policy | None = Field(
        default=None, description="The project's link to policy making, where stated."
    )
    status: OptText = Field(
        default=None,
        description="Activity status, a PPSR Core projectStatus term: "
        + ", ".join(f"'{term}'" for term in PPSR_STATUSES)
        + ".",
    )
    start_date: OptDate = Field(
        default=None, description="Start date, ISO 8601 at the precision known."
    )
    end_date: OptDate = Field(
        default=None, description="End date, ISO 8601 at the precision known."
    )
    date_modified: OptDate = Field(
        default=None,
        description="When the source last changed the described thing's metadata (ISO 8601).",
    )
    countries: Annotated[list[CountryCode], AfterValidator(_unique)] = Field(
        default_factory=list, description="Countries concerned, ISO 3166-1 alpha-2 codes."
    )
    regions: TextList = Field(
        default_factory=list,
        description="Regions or places below or above country level (e.g. UN M.49 regions).",
    )
    geo: Geo | None = Field(default=None, description="Points and bounding boxes.")
    languages: Annotated[list[LanguageCode], AfterValidator(_unique)] = Field(
        default_factory=list, description="Languages of the project or data, ISO 639-1 codes."
    )
    participation: Participation | None = Field(
        default=None, description="How volunteers take part (projects)."
    )
    organisations: Annotated[list[Organisation], AfterValidator(_unique)] = Field(
        default_factory=list, description="Organisations involved, with their roles."
    )
    contact_page: OptUrl = Field(
        default=None,
        description="A web page for contacting the project (never an e-mail address).",
    )
    url: OptUrl = Field(default=None, description="Landing page (PPSR Core projectUrl).")
    identifiers: Annotated[list[Identifier], AfterValidator(_unique)] = Field(
        default_factory=list, description="Identifiers of the described thing (DOI, Handle, ...)."
    )
    related: Annotated[list[Related], AfterValidator(_unique)] = Field(
        default_factory=list, description="Related resources."
    )
    license: License | None = Field(default=None, description="Licence of the content.")
    access_rights: Annotated[AccessRights | None, BeforeValidator(_blank_to_none)] = Field(
        default=None,
        description="Access to the content: open, embargoed, restricted, closed or metadata-only.",
    )
    # Attribution and distribution: what citations and the FAIRsFAIR metrics ask for
    # (see harvester.core.model.dissemination).
    creators: Annotated[list[Agent], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Creators or authors, persons and organisations, in the source's order.",
    )
    publisher: Agent | None = Field(
        default=None, description="Who publishes the described thing (DataCite publisher)."
    )
    date_published: OptDate = Field(
        default=None, description="When it was published or issued (ISO 8601)."
    )
    date_created: OptDate = Field(default=None, description="When it was created (ISO 8601).")
    distributions: Annotated[list[Distribution], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="Files, archives and endpoints through which the data is available.",
    )
    variables: TextList = Field(
        default_factory=list,
        description="Variables measured or observation types (schema.org variableMeasured).",
    )
    provenance: Provenance = Field(description="Where and when the record was harvested.")
    quality: Quality = Field(
        default_factory=Quality, description="Missing and invalid fields, FAIR indicators, score."
    )
    cluster_id: OptText = Field(
        default=None,
        description="Shared by records describing the same thing on several platforms.",
    )

    @field_validator("geo")
    @classmethod
    def _empty_geo(cls, value: Geo | None) -> Geo | None:
        """Drop a place with neither points nor boxes."""
        return value if value is not None and (value.points or value.boxes) else None

    @field_validator("policy")
    @classmethod
    def _empty_policy(cls, value: Policy | None) -> Policy | None:
        """Drop a policy part with nothing set."""
        return None if value is None or value == Policy() else value

    @model_validator(mode="before")
    @classmethod
    def _graded_goals_stated(cls, data: Any) -> Any:
        """Add each graded goal to ``sdgs`` (a goal with an impact is a goal stated)."""
        if not isinstance(data, dict) or not isinstance(data.get("sdg_impacts"), list):
            return data
        graded = [
            item.get("goal") if isinstance(item, dict) else getattr(item, "goal", None)
            for item in data["sdg_impacts"]
        ]
        stated = data.get("sdgs")
        stated = list(stated) if isinstance(stated, list) else []
        extra = [goal for goal in graded if isinstance(goal, int) and goal not in stated]
        return {**data, "sdgs": stated + extra} if extra else data

    @field_validator("participation")
    @classmethod
    def _empty_participation(cls, value: Participation | None) -> Participation | None:
        """Drop a participation with nothing set."""
        if value is None or value == Participation():
            return None
        return value

    @model_validator(mode="before")
    @classmethod
    def _id_matches_provenance(cls, data: Any) -> Any:
        """Reject an id that :func:`record_id` would not give for the provenance as given.

        Checked before the texts are made public: an identifier holding an address is
        published without it, but its id was derived from it; so a published record whose
        identifier says "[e-mail removed]" cannot be checked, and is taken as it is.
        """
        if not isinstance(data, dict) or "id" not in data:
            return data
        provenance = data.get("provenance")
        if isinstance(provenance, BaseModel):
            provenance = provenance.__dict__
        if not isinstance(provenance, dict):
            return data
        source_id, identifier = provenance.get("source_id"), provenance.get("source_identifier")
        if not isinstance(source_id, str) or not isinstance(identifier, str):
            return data
        if EMAIL_REMOVED in identifier:
            return data
        expected = record_id(source_id.strip(), identifier.strip())
        if data["id"] != expected:
            raise ValueError(
                f"id '{data['id']}' does not match the provenance; record_id() gives '{expected}'"
            )
        return data
