"""The FAIRsFAIR metric tests judged on a record: each returns the points earned out of the
points that apply, and why, test by test.

They judge what the record page publishes (see ``portal/jsonld.py`` and the page's
signposting): the page itself always has a URL, embedded schema.org JSON-LD, RDF by content
negotiation, PROV provenance and a DataCite rendering, so the tests on those pass for every
record and say so; the rest depend on what the source stated. Data metrics cannot apply to
a project (it has no data files) and are marked not applicable.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from harvester.core.model import PERSISTENT_SCHEMES, QualityIssue, Record
from harvester.normalise.quality.formats import is_recommended
from harvester.normalise.quality.licences import is_known_spdx

SCHEME_NAMES = {"doi": "DOI", "handle": "Handle", "ark": "ARK", "urn": "URN", "url": "URL"}
"""How the reasons name each identifier scheme."""

DATA_PROTOCOLS = ("https://", "http://", "ftp://", "sftp://", "ftps://")
"""URL schemes of standard protocols for data (FsF-A1-03D)."""


class Outcome(NamedTuple):
    """A metric's result on one record: points earned, points that apply, and why."""

    earned: int
    points: int
    reason: str


NOT_APPLICABLE = "not applicable to a project: it has no data files"


def _join(parts: Sequence[tuple[bool, str]]) -> Outcome:
    """One point per passed test; the reasons joined."""
    earned = sum(1 for ok, _ in parts if ok)
    return Outcome(earned, len(parts), "; ".join(text for _, text in parts))


def _is_project(record: Record) -> bool:
    return record.kind == "project"


def unique_id(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F1-01D: the page's URL (an IRI) identifies the record uniquely."""
    schemes = ", ".join(
        dict.fromkeys(SCHEME_NAMES.get(i.scheme, i.scheme) for i in record.identifiers)
    )
    also = f"; the source also gives {schemes}" if schemes else ""
    return Outcome(1, 1, f"the record page's URL is a unique IRI{also}")


def persistent_id(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F1-02D: a DOI, Handle, ARK or URN identifies the described thing."""
    persistent = [i for i in record.identifiers if i.scheme in PERSISTENT_SCHEMES]
    if persistent:
        first = persistent[0]
        return Outcome(1, 1, f"persistent identifier: {SCHEME_NAMES[first.scheme]} {first.value}")
    if not record.identifiers:
        return Outcome(0, 1, "no identifiers; a DOI, Handle, ARK or URN is needed")
    schemes = ", ".join(dict.fromkeys(i.scheme for i in record.identifiers))
    return Outcome(0, 1, f"no DOI, Handle, ARK or URN among the identifiers ({schemes})")


def core_metadata(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F2-01M: citation metadata (creator, title, identifier, publication date,
    publisher, type), then descriptive metadata (also a summary and keywords)."""
    citation = {
        "creator": bool(record.creators),
        "title": bool(record.title) and record.title != "[untitled]",
        "publication date": bool(record.date_published or record.date_created),
        "publisher": record.publisher is not None,
    }
    descriptive = {"summary": bool(record.description), "keywords": bool(record.keywords)}
    lacking_citation = [name for name, ok in citation.items() if not ok]
    lacking = lacking_citation + [name for name, ok in descriptive.items() if not ok]
    first = (
        not lacking_citation,
        "citation metadata complete (creator, title, identifier, publication date, publisher, type)"
        if not lacking_citation
        else f"citation metadata lacks {', '.join(lacking_citation)}",
    )
    second = (
        not lacking,
        "summary and keywords present"
        if not lacking
        else f"descriptive metadata lacks {', '.join(lacking)}",
    )
    return _join([first, second])


def data_identifier(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F3-01M: the metadata links to the data (a download or access URL)."""
    if _is_project(record):
        return Outcome(0, 0, NOT_APPLICABLE)
    urls = [d.url for d in record.distributions if d.url]
    if urls:
        more = f" (and {len(urls) - 1} more)" if len(urls) > 1 else ""
        return Outcome(1, 1, f"data at {urls[0]}{more}")
    return Outcome(0, 1, "the source names no data file or endpoint URL")


def searchable(_record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F4-01M: metadata search engines ingest: schema.org JSON-LD in the page."""
    return Outcome(2, 2, "the page embeds schema.org JSON-LD, as search engines read it")


def access_level(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-A1-01M: the access level of the data is stated (published as a COAR term)."""
    if _is_project(record):
        return Outcome(0, 0, NOT_APPLICABLE)
    if record.access_rights:
        return Outcome(1, 1, f"access level stated: {record.access_rights}")
    return Outcome(0, 1, "the source states no access level")


def metadata_protocol(_record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-A1-02M: the metadata is served over HTTP(S)."""
    return Outcome(1, 1, "the record page and its metadata are served over HTTP(S)")


def data_protocol(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-A1-03D: the data URLs use a standard protocol."""
    if _is_project(record):
        return Outcome(0, 0, NOT_APPLICABLE)
    urls = [d.url for d in record.distributions if d.url]
    standard = [url for url in urls if url.lower().startswith(DATA_PROTOCOLS)]
    if standard:
        return Outcome(1, 1, f"data reachable over {standard[0].split(':', 1)[0].upper()}")
    return Outcome(0, 1, "no data URL with a standard protocol")


def formal_representation(_record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-I1-01M: RDF embedded in the page (JSON-LD) and by content negotiation."""
    return Outcome(
        2, 2, "JSON-LD embedded in the page; JSON-LD, Turtle and RDF/XML by content negotiation"
    )


def semantic_resources(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-I2-01M: terms from registered vocabularies besides schema.org."""
    used = ["PROV-O", "DCMI terms", "DCAT"]
    if record.access_rights and not _is_project(record):
        used.append("COAR access rights")
    if record.license and record.license.spdx and is_known_spdx(record.license.spdx):
        used.append("SPDX licences")
    if record.countries or record.languages:
        used.append("EU Vocabularies (countries, languages)")
    return Outcome(1, 1, f"terms from {', '.join(used)}")


def _source_record_link(record: Record) -> str | None:
    """The source's own record, as the page links it (schema:isBasedOn, prov:wasDerivedFrom):
    its original URL, or its OAI-PMH GetRecord request."""
    origin = record.provenance
    if origin.original_url:
        return origin.original_url
    if origin.protocol == "oai-pmh" and origin.endpoint.startswith(("http://", "https://")):
        return f"{origin.endpoint} (GetRecord {origin.source_identifier})"
    return None


def related_resources(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-I3-01M: related resources with a relation type (the source's record counts: the
    page links it as the record this one is based on)."""
    if record.related:
        first = record.related[0]
        return Outcome(
            1, 1, f"{len(record.related)} related, e.g. {first.relation} {first.identifier}"
        )
    source = _source_record_link(record)
    if source:
        return Outcome(1, 1, f"based on the source's record {source}")
    return Outcome(0, 1, "no related resources stated, and no link to the source's record")


def content_description(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1-01MD: resource type; file size and type; each file described; variables."""
    tests = [(True, f"resource type: {record.kind}")]
    if not _is_project(record):
        files = record.distributions
        described = [
            d
            for d in files
            if (d.media_type or d.format) and (d.size_bytes is not None or d.size_text)
        ]
        tests.append(
            (
                bool(described),
                "a file states its format and size"
                if described
                else "no file with both format and size",
            )
        )
        every = bool(files) and len(described) == len(files)
        tests.append(
            (
                every,
                "every file states format and size"
                if every
                else "not every file states format and size",
            )
        )
    variables = len(record.variables)
    tests.append(
        (
            bool(variables),
            f"{variables} measured variables" if variables else "measured variables are not stated",
        )
    )
    return _join(tests)


def licence(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1.1-01M: a licence is stated, and machines can act on it (a known SPDX id,
    published as its SPDX IRI)."""
    stated = record.license
    if stated is None:
        return Outcome(0, 2, "no licence stated")
    if stated.spdx and is_known_spdx(stated.spdx):
        return Outcome(2, 2, f"licence {stated.spdx}, published as its SPDX IRI")
    shown = stated.spdx or stated.url or (stated.text or "")[:80]
    return Outcome(1, 2, f"licence stated as '{shown}', not as a known SPDX licence")


def provenance(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1.2-01M: provenance elements (creator, publisher, dates), then formal PROV."""
    named = {
        "creator": bool(record.creators),
        "publisher": record.publisher is not None,
        "creation or publication date": bool(record.date_created or record.date_published),
    }
    present = [name for name, ok in named.items() if ok]
    origin = record.provenance
    return _join(
        [
            (bool(present), f"provenance elements: {', '.join(present) or 'none'}"),
            (
                True,
                f"PROV: derived from {origin.source_identifier} at source '{origin.source_id}', "
                f"harvested {origin.harvested_at}",
            ),
        ]
    )


def community_standard(_record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1.3-01M: metadata in community standards (DataCite, DCAT-AP, schema.org)."""
    return Outcome(1, 1, "DataCite XML and DCAT by content negotiation, schema.org embedded")


def file_format(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1.3-02D: the data is in a recommended (open, long-term, scientific) format."""
    if _is_project(record):
        return Outcome(0, 0, NOT_APPLICABLE)
    formats = [d.media_type or d.format for d in record.distributions if d.media_type or d.format]
    good = [
        d.media_type or d.format
        for d in record.distributions
        if is_recommended(d.media_type, d.format)
    ]
    if good:
        return Outcome(1, 1, f"recommended format: {good[0]}")
    if formats:
        return Outcome(0, 1, f"format {formats[0]} is not among the recommended ones")
    return Outcome(0, 1, "the source states no file format")
