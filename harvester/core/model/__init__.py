"""The common record model: what every crosswalk produces and everything downstream reads.

Aligned with PPSR Core (project metadata) and DataCite/DCAT (datasets). Models are frozen
pydantic models that forbid unknown fields; validators normalise what is safe to normalise
(blank strings to ``None``, duplicates out of lists, code case, resolver prefixes off
identifiers, date-times to UTC) and reject the rest with a message naming the problem.

Its modules, bottom to top: :mod:`~.public_text` (what every text goes through: no e-mail
address, no control character), :mod:`~.checks` (value checks), :mod:`~.ids` (source and record
ids), :mod:`~.fields` (the base model and reusable field types), :mod:`~.identifiers`,
:mod:`~.parts`, :mod:`~.dissemination` and :mod:`~.quality` (the parts of a record),
:mod:`~.record` (the record) and :mod:`~.schema` (the published JSON Schema). Import the model
from here.

``python -m harvester.core.model > mappings/record.schema.json`` writes the published JSON Schema.
"""

from __future__ import annotations

from harvester.core.model.checks import USER_ASSIGNED_COUNTRIES
from harvester.core.model.dissemination import Agent, AgentKind, Distribution
from harvester.core.model.fields import (
    MAX_LONG_TEXT,
    MAX_TEXT,
    MAX_URL,
    CountryCode,
    IsoDate,
    LanguageCode,
    OptDate,
    OptLongText,
    OptText,
    OptUrl,
    Sdg,
    SpdxId,
    Text,
    TextList,
    TopicCode,
    UtcDateTime,
    WebUrl,
)
from harvester.core.model.identifiers import PERSISTENT_SCHEMES, Identifier, IdentifierScheme
from harvester.core.model.ids import RECORD_ID_PATTERN, SOURCE_ID_PATTERN, record_id
from harvester.core.model.parts import (
    BoundingBox,
    Geo,
    LangText,
    License,
    Organisation,
    Participation,
    Point,
    Policy,
    Provenance,
    Related,
    SdgImpact,
)
from harvester.core.model.public_text import (
    EMAIL_REMOVED,
    contains_email,
    excerpt,
    public_text,
    scrub_emails,
    strip_controls,
)
from harvester.core.model.quality import FairIndicator, Principle, Problem, Quality, QualityIssue
from harvester.core.model.record import PPSR_STATUSES, UNTITLED, AccessRights, Kind, Record
from harvester.core.model.schema import (
    SCHEMA_DRAFT,
    SCHEMA_ID,
    record_json_schema,
    record_json_schema_text,
)

__all__ = [
    "EMAIL_REMOVED",
    "MAX_LONG_TEXT",
    "MAX_TEXT",
    "MAX_URL",
    "PERSISTENT_SCHEMES",
    "PPSR_STATUSES",
    "RECORD_ID_PATTERN",
    "SCHEMA_DRAFT",
    "SCHEMA_ID",
    "SOURCE_ID_PATTERN",
    "UNTITLED",
    "USER_ASSIGNED_COUNTRIES",
    "AccessRights",
    "Agent",
    "AgentKind",
    "BoundingBox",
    "CountryCode",
    "Distribution",
    "FairIndicator",
    "Geo",
    "Identifier",
    "IdentifierScheme",
    "IsoDate",
    "Kind",
    "LangText",
    "LanguageCode",
    "License",
    "OptDate",
    "OptLongText",
    "OptText",
    "OptUrl",
    "Organisation",
    "Participation",
    "Point",
    "Policy",
    "Principle",
    "Problem",
    "Provenance",
    "Quality",
    "QualityIssue",
    "Record",
    "Related",
    "Sdg",
    "SdgImpact",
    "SpdxId",
    "Text",
    "TextList",
    "TopicCode",
    "UtcDateTime",
    "WebUrl",
    "contains_email",
    "excerpt",
    "public_text",
    "record_id",
    "record_json_schema",
    "record_json_schema_text",
    "scrub_emails",
    "strip_controls",
]
