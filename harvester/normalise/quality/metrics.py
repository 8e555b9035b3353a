"""The FAIRsFAIR metric tests judged on a record: each returns the points earned (in halves,
as F-UJI scores some tests) out of the points that apply, and why, test by test.

They judge what the record page publishes (see ``portal/jsonld.py`` and the page's
signposting): the page itself always has a URL, embedded schema.org JSON-LD, RDF by content
negotiation, PROV provenance and a DataCite rendering, so the tests on those pass for every
record and say so; the rest depend on what the source stated. Data metrics cannot apply to
a project (it has no data files) and are marked not applicable.

Each test reads the metric as F-UJI (the FAIRsFAIR assessor) implements the v0.5 metrics.
Where F-UJI looks something up over the network (a DOI in DataCite's registry, a PID's
resolution, the data file's actual type, size and content), the test judges what the page
declares, and its reason says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from harvester.core.model import PERSISTENT_SCHEMES, Distribution, QualityIssue, Record
from harvester.normalise.quality.formats import is_recommended
from harvester.normalise.quality.licences import is_known_spdx

SCHEME_NAMES = {"doi": "DOI", "handle": "Handle", "ark": "ARK", "urn": "URN", "url": "URL"}
"""How the reasons name each identifier scheme."""

DATA_PROTOCOLS = ("https://", "http://", "ftp://", "sftp://", "ftps://")
"""URL schemes of standard protocols for data (FsF-A1-03D)."""


class Outcome(NamedTuple):
    """A metric's result on one record: points earned (in halves), points that apply, and
    why."""

    earned: float
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
    """FsF-F2-01M, as F-UJI scores it: half a point for metadata offered by common web
    methods (the page embeds it), half a point more for the citation metadata (creator,
    title, identifier, publication date, publisher, type), both points when the descriptive
    metadata (also a summary and keywords) is complete."""
    citation = {
        "creator": bool(record.creators),
        "title": bool(record.title) and record.title != "[untitled]",
        "publication date": bool(record.date_published or record.date_created),
        "publisher": record.publisher is not None,
    }
    descriptive = {"summary": bool(record.description), "keywords": bool(record.keywords)}
    lacking_citation = [name for name, ok in citation.items() if not ok]
    lacking = lacking_citation + [name for name, ok in descriptive.items() if not ok]
    earned = 2.0 if not lacking else 1.0 if not lacking_citation else 0.5
    reasons = [
        "metadata embedded in the page and by content negotiation",
        "citation metadata complete (creator, title, identifier, publication date, publisher, type)"
        if not lacking_citation
        else f"citation metadata lacks {', '.join(lacking_citation)}",
        "summary and keywords present"
        if not lacking
        else f"descriptive metadata lacks {', '.join(lacking)}",
    ]
    return Outcome(earned, 2, "; ".join(reasons))


def data_identifier(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F3-01M: half a point for data content information (files named, typed or sized),
    the whole point when the metadata links to the data (a download or access URL)."""
    if _is_project(record):
        return Outcome(0, 0, NOT_APPLICABLE)
    urls = [d.url for d in record.distributions if d.url]
    if urls:
        more = f" (and {len(urls) - 1} more)" if len(urls) > 1 else ""
        return Outcome(1, 1, f"data at {urls[0]}{more}")
    if record.distributions:
        return Outcome(
            0.5, 1, "the source describes its data (format or size) but names no data URL"
        )
    return Outcome(0, 1, "the source names no data file or endpoint URL")


def searchable(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F4-01M: one point for metadata search engines ingest (schema.org JSON-LD in the
    page), one for metadata in a research data registry: F-UJI looks the DOI up in
    DataCite's; here a DOI counts, not looked up."""
    dois = [i.value for i in record.identifiers if i.scheme == "doi"]
    registry = (
        f"DOI {dois[0]}: its metadata is registered with the DOI (DataCite's registry is not "
        "queried here)"
        if dois
        else "no DOI, so no metadata registered in a research data registry (DataCite)"
    )
    return _join(
        [
            (True, "the page embeds schema.org JSON-LD, as search engines read it"),
            (bool(dois), registry),
        ]
    )


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
    used = ["PROV-O", "DCAT"]  # DCMI terms, schema.org, FOAF: common, F-UJI leaves them out
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


def _verifiable(distribution: Distribution) -> bool:
    """A file whose type and size can be checked against the file itself: a URL, an IANA
    media type and an exact size in bytes."""
    return bool(
        distribution.url and distribution.media_type and distribution.size_bytes is not None
    )


def _formats_and_size_unlinked(files: Sequence[Distribution]) -> bool:
    """No file is linked, but the data's formats and its size are stated (as DataCite
    lists them for the whole resource, which F-UJI accepts when it finds no data link)."""
    return (
        not any(d.url for d in files)
        and any(d.media_type or d.format for d in files)
        and any(d.size_bytes is not None or d.size_text for d in files)
    )


def content_description(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1-01MD, as F-UJI scores it: the resource type; verifiable data descriptors (a
    file's format and size, or measured variables); the data matching its declared type and
    size; the data matching the measured variables. F-UJI downloads a file for the last
    two; here they are judged on what is declared: a file with a URL, an IANA media type
    and a size in bytes (what F-UJI compares), and variables stated. On a project only the
    first two apply (variables being its only descriptors)."""
    variables = len(record.variables)
    stated = f"{variables} measured variables" if variables else "measured variables are not stated"
    tests = [(True, f"resource type: {record.kind}")]
    if _is_project(record):
        tests.append((bool(variables), stated))
        return _join(tests)
    files = record.distributions
    described = [
        d for d in files if (d.media_type or d.format) and (d.size_bytes is not None or d.size_text)
    ]
    descriptors = []
    if described:
        descriptors.append("a file states its format and size")
    elif _formats_and_size_unlinked(files):
        descriptors.append("the data's formats and size are stated")
    if variables:
        descriptors.append(stated)
    tests.append(
        (
            bool(descriptors),
            " and ".join(descriptors)
            if descriptors
            else "no file states both format and size, and no variables",
        )
    )
    verifiable = [d for d in files if _verifiable(d)]
    tests.append(
        (
            bool(verifiable),
            f"{verifiable[0].title or verifiable[0].url} declares its media type and size in bytes"
            if verifiable
            else "no data file with a URL declares both its media type and its size in bytes",
        )
    )
    tests.append((bool(variables), stated + (" (to be found in the data)" if variables else "")))
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
    """FsF-R1.3-01M: metadata in a disciplinary standard of the data's community. The page's
    DataCite, DCAT-AP and schema.org are multidisciplinary standards, which F-UJI's v0.5
    scoring gives no point, and no source's disciplinary metadata is republished."""
    return Outcome(
        0,
        1,
        "DataCite XML, DCAT-AP and schema.org are multidisciplinary standards (no point in "
        "FAIRsFAIR v0.5); no disciplinary metadata standard is offered",
    )


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
