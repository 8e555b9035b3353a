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
declares, and its reason says so. Reasons are codes with parameters (:mod:`~.reasons`), so
that the portal can say them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from harvester.core.model import PERSISTENT_SCHEMES, Distribution, QualityIssue, Record
from harvester.normalise.quality.formats import is_recommended
from harvester.normalise.quality.licences import is_known_spdx
from harvester.normalise.quality.reasons import Reason, joined, reason

SCHEME_NAMES = {"doi": "DOI", "handle": "Handle", "ark": "ARK", "urn": "URN", "url": "URL"}
"""How the reasons name each identifier scheme."""

DATA_PROTOCOLS = ("https://", "http://", "ftp://", "sftp://", "ftps://")
"""URL schemes of standard protocols for data (FsF-A1-03D)."""


class Outcome(NamedTuple):
    """A metric's result on one record: points earned (in halves), points that apply, and
    why (test by test, as codes with parameters: see :mod:`~.reasons`)."""

    earned: float
    points: int
    reasons: tuple[Reason, ...]

    @property
    def reason(self) -> str:
        """Why, in English."""
        return joined(self.reasons)


def _outcome(earned: float, points: int, *reasons: Reason) -> Outcome:
    return Outcome(earned, points, reasons)


NOT_APPLICABLE = reason("not-applicable-project")
_NOT_APPLICABLE = _outcome(0, 0, NOT_APPLICABLE)
"""A data metric's outcome on a project: the same for every project, made once."""


def _join(parts: Sequence[tuple[bool, Reason]]) -> Outcome:
    """One point per passed test; the reasons in order."""
    earned = sum(1 for ok, _ in parts if ok)
    return Outcome(earned, len(parts), tuple(why for _, why in parts))


def _is_project(record: Record) -> bool:
    return record.kind == "project"


def unique_id(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F1-01D: the page's URL (an IRI) identifies the record uniquely."""
    schemes = ", ".join(
        dict.fromkeys(SCHEME_NAMES.get(i.scheme, i.scheme) for i in record.identifiers)
    )
    if schemes:
        return _outcome(1, 1, reason("page-iri-also", schemes=schemes))
    return _outcome(1, 1, reason("page-iri"))


def persistent_id(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F1-02D: a DOI, Handle, ARK or URN identifies the described thing."""
    persistent = [i for i in record.identifiers if i.scheme in PERSISTENT_SCHEMES]
    if persistent:
        first = persistent[0]
        found = reason("pid", scheme=SCHEME_NAMES[first.scheme], value=first.value)
        return _outcome(1, 1, found)
    if not record.identifiers:
        return _outcome(0, 1, reason("no-identifiers"))
    schemes = ", ".join(dict.fromkeys(i.scheme for i in record.identifiers))
    return _outcome(0, 1, reason("no-pid", schemes=schemes))


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
    return _outcome(
        earned,
        2,
        reason("metadata-embedded"),
        reason("citation-lacks", fields=lacking_citation)
        if lacking_citation
        else reason("citation-complete"),
        reason("descriptive-lacks", fields=lacking) if lacking else reason("descriptive-complete"),
    )


def data_identifier(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F3-01M: half a point for data content information (files named, typed or sized),
    the whole point when the metadata links to the data (a download or access URL)."""
    if _is_project(record):
        return _NOT_APPLICABLE
    urls = [d.url for d in record.distributions if d.url]
    if len(urls) > 1:
        return _outcome(1, 1, reason("data-at-more", url=urls[0], count=len(urls) - 1))
    if urls:
        return _outcome(1, 1, reason("data-at", url=urls[0]))
    if record.distributions:
        return _outcome(0.5, 1, reason("data-described-no-url"))
    return _outcome(0, 1, reason("no-data-url"))


def searchable(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-F4-01M: one point for metadata search engines ingest (schema.org JSON-LD in the
    page), one for metadata in a research data registry: F-UJI looks the DOI up in
    DataCite's; here a DOI counts, not looked up."""
    dois = [i.value for i in record.identifiers if i.scheme == "doi"]
    registry = reason("doi-registered", doi=dois[0]) if dois else reason("no-doi-registry")
    return _join([(True, reason("json-ld-embedded")), (bool(dois), registry)])


def access_level(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-A1-01M: the access level of the data is stated (published as a COAR term)."""
    if _is_project(record):
        return _NOT_APPLICABLE
    if record.access_rights:
        return _outcome(1, 1, reason("access-stated", access=[record.access_rights]))
    return _outcome(0, 1, reason("no-access"))


def metadata_protocol(_record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-A1-02M: the metadata is served over HTTP(S)."""
    return _SERVED_OVER_HTTP


_SERVED_OVER_HTTP = _outcome(1, 1, reason("served-over-http"))


def data_protocol(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-A1-03D: the data URLs use a standard protocol."""
    if _is_project(record):
        return _NOT_APPLICABLE
    urls = [d.url for d in record.distributions if d.url]
    standard = [url for url in urls if url.lower().startswith(DATA_PROTOCOLS)]
    if standard:
        protocol = standard[0].split(":", 1)[0].upper()
        return _outcome(1, 1, reason("data-protocol", protocol=protocol))
    return _outcome(0, 1, reason("no-data-protocol"))


def formal_representation(_record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-I1-01M: RDF embedded in the page (JSON-LD) and by content negotiation."""
    return _RDF_OFFERED


_RDF_OFFERED = _outcome(2, 2, reason("rdf-offered"))


def semantic_resources(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-I2-01M: terms from registered vocabularies besides schema.org."""
    used = ["PROV-O", "DCAT"]  # DCMI terms, schema.org, FOAF: common, F-UJI leaves them out
    if record.access_rights and not _is_project(record):
        used.append("COAR access rights")
    if record.license and record.license.spdx and is_known_spdx(record.license.spdx):
        used.append("SPDX licences")
    if record.countries or record.languages:
        used.append("EU Vocabularies (countries, languages)")
    return _outcome(1, 1, reason("vocabularies-used", vocabularies=used))


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
        said = reason(
            "related",
            count=len(record.related),
            relation=first.relation,
            identifier=first.identifier,
        )
        return _outcome(1, 1, said)
    source = _source_record_link(record)
    if source:
        return _outcome(1, 1, reason("based-on-source", source=source))
    return _outcome(0, 1, reason("no-related"))


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


def _descriptors(files: Sequence[Distribution], variables: int) -> tuple[bool, Reason]:
    """FsF-R1-01MD's second test: a file's format and size, the data's formats and size
    (no file linked), or measured variables."""
    described = any(
        (d.media_type or d.format) and (d.size_bytes is not None or d.size_text) for d in files
    )
    unlinked = not described and _formats_and_size_unlinked(files)
    if variables:
        if described:
            return True, reason("a-file-described-variables", count=variables)
        if unlinked:
            return True, reason("data-formats-size-variables", count=variables)
        return True, reason("variables", count=variables)
    if described:
        return True, reason("a-file-described")
    if unlinked:
        return True, reason("data-formats-size")
    return False, reason("no-descriptors")


def content_description(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1-01MD, as F-UJI scores it: the resource type; verifiable data descriptors (a
    file's format and size, or measured variables); the data matching its declared type and
    size; the data matching the measured variables. F-UJI downloads a file for the last
    two; here they are judged on what is declared: a file with a URL, an IANA media type
    and a size in bytes (what F-UJI compares), and variables stated. On a project only the
    first two apply (variables being its only descriptors)."""
    variables = len(record.variables)
    stated = reason("variables", count=variables) if variables else reason("no-variables")
    tests = [(True, reason("resource-type", kind=[record.kind]))]
    if _is_project(record):
        tests.append((bool(variables), stated))
        return _join(tests)
    files = record.distributions
    tests.append(_descriptors(files, variables))
    verifiable = [d for d in files if _verifiable(d)]
    tests.append(
        (
            bool(verifiable),
            reason("file-verifiable", file=verifiable[0].title or verifiable[0].url or "")
            if verifiable
            else reason("no-file-verifiable"),
        )
    )
    in_data = reason("variables-in-data", count=variables) if variables else stated
    tests.append((bool(variables), in_data))
    return _join(tests)


def licence(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1.1-01M: a licence is stated, and machines can act on it (a known SPDX id,
    published as its SPDX IRI)."""
    stated = record.license
    if stated is None:
        return _outcome(0, 2, reason("no-licence"))
    if stated.spdx and is_known_spdx(stated.spdx):
        return _outcome(2, 2, reason("spdx-licence", licence=stated.spdx))
    shown = stated.spdx or stated.url or (stated.text or "")[:80]
    return _outcome(1, 2, reason("other-licence", licence=shown))


def provenance(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1.2-01M: provenance elements (creator, publisher, dates), then formal PROV."""
    named = {
        "creator": bool(record.creators),
        "publisher": record.publisher is not None,
        "creation or publication date": bool(record.date_created or record.date_published),
    }
    present = [name for name, ok in named.items() if ok]
    origin = record.provenance
    derived = reason(
        "prov-derived",
        identifier=origin.source_identifier,
        source=origin.source_id,
        harvested_at=origin.harvested_at,
    )
    elements = (
        reason("provenance-elements", elements=present) if present else reason("provenance-none")
    )
    return _join([(bool(present), elements), (True, derived)])


def community_standard(_record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1.3-01M: metadata in a disciplinary standard of the data's community. The page's
    DataCite, DCAT-AP and schema.org are multidisciplinary standards, which F-UJI's v0.5
    scoring gives no point, and no source's disciplinary metadata is republished."""
    return _MULTIDISCIPLINARY


_MULTIDISCIPLINARY = _outcome(0, 1, reason("multidisciplinary-standards"))


def file_format(record: Record, _issues: Sequence[QualityIssue]) -> Outcome:
    """FsF-R1.3-02D: the data is in a recommended (open, long-term, scientific) format."""
    if _is_project(record):
        return _NOT_APPLICABLE
    formats = [d.media_type or d.format for d in record.distributions if d.media_type or d.format]
    good = [
        d.media_type or d.format
        for d in record.distributions
        if is_recommended(d.media_type, d.format)
    ]
    if good:
        return _outcome(1, 1, reason("recommended-format", format=str(good[0])))
    if formats:
        return _outcome(0, 1, reason("format-not-recommended", format=str(formats[0])))
    return _outcome(0, 1, reason("no-format"))
