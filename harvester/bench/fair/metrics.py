"""The FAIRsFAIR data object metrics (v0.5 identifiers, scored as F-UJI scores them, half
points included), tested on the :class:`~.evidence.Evidence` gathered over HTTP: each test
reads the RDF (embedded JSON-LD, content negotiation), the typed links and the DataCite XML,
never the server's own notion of the record. A project (schema.org ResearchProject or
Project) has no data files, so the data tests are not applicable to it.

Where F-UJI queries a third party (DataCite's registry for FsF-F4-01M, a PID's resolution
for FsF-F1-02D, re3data for FsF-R1.3-01M), the test judges the page's own statements: a DOI
counts as registered and resolvable. The data files are judged as :mod:`~.content` says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Final

from rdflib import URIRef

from harvester.bench.fair.content import (
    content_description,
    data_urls,
    declared_format,
    downloads,
)
from harvester.bench.fair.evidence import Evidence
from harvester.bench.fair.subject import NOT_APPLICABLE, Result, Subject, tests
from harvester.bench.fair.vocab import (
    ACCESS_IRIS,
    ACCESS_WORDS,
    CREATIVE_COMMONS,
    DCAT,
    DCT,
    DISCIPLINARY,
    DOI,
    OPEN_FORMATS,
    PID,
    PROV,
    REGISTERED,
)


def unique_identifier(s: Subject) -> Result:
    ok = str(s.node).startswith(("http://", "https://"))
    return Result("FsF-F1-01D", int(ok), 1, f"identifier {s.node} is {'a' if ok else 'no'} URI")


def persistent_identifier(s: Subject) -> Result:
    candidates = [str(v) for v in s.values("identifier", "sameAs", "value")]
    candidates += [str(v) for n in s.values("identifier") for v in s.of(n, "value")]
    candidates += [link["url"] for link in s.evidence.rels("cite-as")]
    found = next((c for c in candidates if PID.search(c)), None)
    return Result(
        "FsF-F1-02D",
        int(bool(found)),
        1,
        f"persistent identifier {found}" if found else "no persistent identifier",
    )


def core_metadata(s: Subject) -> Result:
    """Half a point for any metadata found, half more for the citation metadata, both
    points when the descriptive metadata is complete too (F-UJI's scoring)."""
    citation = {
        "creator": s.values("creator", "author", f"{DCT}creator"),
        "title": s.values("name", f"{DCT}title"),
        "identifier": [s.node]
        if isinstance(s.node, URIRef) and (s.node, None, None) in s.graph
        else s.values("identifier"),
        "publication date": s.values(
            "datePublished", "dateCreated", f"{DCT}issued", f"{DCT}created"
        ),
        "publisher": s.values("publisher", f"{DCT}publisher"),
        "type": list(s.types()),
    }
    described = {
        "summary": s.values("description", f"{DCT}description"),
        "keywords": s.values("keywords", f"{DCAT}keyword"),
    }
    found = [name for name, values in {**citation, **described}.items() if values]
    lacking = [name for name, values in citation.items() if not values]
    more = lacking + [name for name, values in described.items() if not values]
    earned = 2.0 if not more else 1.0 if not lacking else 0.5 if found else 0.0
    return Result(
        "FsF-F2-01M",
        earned,
        2,
        f"metadata found ({', '.join(found) or 'none'}); citation metadata "
        + (f"lacks {', '.join(lacking)}" if lacking else "complete")
        + "; descriptive metadata "
        + (f"lacks {', '.join(more)}" if more else "complete"),
    )


def data_identifier(s: Subject) -> Result:
    """Half a point for data content described (a distribution), the point for its link."""
    if s.is_project():
        return Result("FsF-F3-01M", 0, 0, NOT_APPLICABLE)
    urls = data_urls(s)
    if urls:
        return Result("FsF-F3-01M", 1, 1, f"data at {urls[0]}")
    if downloads(s):
        return Result("FsF-F3-01M", 0.5, 1, "data described, but no data link")
    return Result("FsF-F3-01M", 0, 1, "no data link")


def _dois(s: Subject) -> list[str]:
    """The DOIs among the page's identifiers and its cite-as link."""
    candidates = [str(v) for v in s.values("identifier", "sameAs", f"{DCT}identifier")]
    candidates += [str(v) for n in s.values("identifier") for v in s.of(n, "value")]
    candidates += [link["url"] for link in s.evidence.rels("cite-as")]
    return [c for c in dict.fromkeys(candidates) if DOI.search(c)]


def searchable(s: Subject) -> Result:
    """One point for metadata search engines read (schema.org embedded), one for metadata
    in a research data registry: F-UJI queries DataCite for the DOI; a DOI counts here."""
    embedded = any("schema.org" in str(p) for _, p, _ in s.evidence.embedded_graph)
    dois = _dois(s)
    return tests(
        "FsF-F4-01M",
        [
            (embedded, "schema.org JSON-LD embedded" if embedded else "no embedded schema.org"),
            (
                bool(dois),
                f"DOI {dois[0]} (registry not queried)" if dois else "no DOI for a data registry",
            ),
        ],
    )


def access_level(s: Subject) -> Result:
    """The whole point for access rights in a vocabulary machines read (COAR, EU,
    info:eu-repo), schema:isAccessibleForFree or a standard term; half for other text."""
    if s.is_project():
        return Result("FsF-A1-01M", 0, 0, NOT_APPLICABLE)
    found = [
        str(v) for v in s.values("conditionsOfAccess", "isAccessibleForFree", f"{DCT}accessRights")
    ]
    free = [str(v) for v in s.values("isAccessibleForFree")]
    standard = [v for v in found if ACCESS_IRIS.search(v) or ACCESS_WORDS.match(v)] + free
    if standard:
        return Result("FsF-A1-01M", 1, 1, f"access: {standard[0]}")
    if found:
        return Result("FsF-A1-01M", 0.5, 1, f"access stated in no standard term: {found[0]}")
    return Result("FsF-A1-01M", 0, 1, "no access level")


def metadata_protocol(s: Subject) -> Result:
    ok = s.evidence.status == 200 and s.evidence.final_url.startswith(("http://", "https://"))
    return Result("FsF-A1-02M", int(ok), 1, f"page answered HTTP {s.evidence.status}")


def data_protocol(s: Subject) -> Result:
    if s.is_project():
        return Result("FsF-A1-03D", 0, 0, NOT_APPLICABLE)
    urls = [u for u in data_urls(s) if u.lower().startswith(("http://", "https://", "ftp://"))]
    return Result(
        "FsF-A1-03D", int(bool(urls)), 1, "data over a standard protocol" if urls else "no data URL"
    )


def formal_representation(s: Subject) -> Result:
    return tests(
        "FsF-I1-01M",
        [
            (len(s.evidence.embedded_graph) > 0, "RDF embedded as JSON-LD"),
            (
                bool(s.evidence.negotiated),
                f"RDF by content negotiation: {', '.join(s.evidence.negotiated) or 'none'}",
            ),
        ],
    )


def semantic_resources(s: Subject) -> Result:
    """Terms from registered semantic resources other than the common namespaces."""
    used = sorted(
        {
            name
            for triple in s.graph
            for term in triple
            for ns, name in REGISTERED.items()
            if str(term).startswith(ns)
        }
    )
    return Result(
        "FsF-I2-01M", int(bool(used)), 1, f"registered vocabularies: {', '.join(used) or 'none'}"
    )


def related_resources(s: Subject) -> Result:
    found = s.values(
        "isBasedOn",
        "isPartOf",
        "hasPart",
        "citation",
        "isRelatedTo",
        f"{DCT}relation",
        f"{DCT}isVersionOf",
        f"{DCT}references",
        f"{PROV}wasDerivedFrom",
    )
    return Result(
        "FsF-I3-01M",
        int(bool(found)),
        1,
        f"related: {found[0]}" if found else "no related resources",
    )


def _recognised_licence(value: str) -> bool:
    """An SPDX licence IRI or a Creative Commons licence URL (F-UJI also matches the SPDX
    list's other URLs and licence names)."""
    spdx = re.match(r"^https?://spdx\.org/licenses/([A-Za-z0-9.+-]+?)(\.html|\.json)?$", value)
    return bool(spdx) or bool(CREATIVE_COMMONS.match(value))


def licence(s: Subject) -> Result:
    found = [str(v) for v in s.values("license", f"{DCT}license")]
    spdx = [v for v in found if _recognised_licence(v)]
    return tests(
        "FsF-R1.1-01M",
        [
            (bool(found), f"licence: {found[0] if found else 'none'}"),
            (bool(spdx), "SPDX licence" if spdx else "no SPDX licence"),
        ],
    )


def provenance(s: Subject) -> Result:
    elements = s.values(
        "creator", "author", "contributor", "publisher", "dateCreated", "datePublished"
    )
    formal = [p for _, p, _ in s.graph.triples((s.node, None, None)) if str(p).startswith(PROV)]
    return tests(
        "FsF-R1.2-01M",
        [
            (bool(elements), "provenance elements"),
            (bool(formal), "PROV-O terms" if formal else "no PROV-O"),
        ],
    )


def community_standard(s: Subject) -> Result:
    """A disciplinary metadata standard found by its namespace or schema (in the RDF, a
    ``dct:conformsTo`` or the DataCite XML's schema location); multidisciplinary ones
    (DataCite, DCAT, schema.org) are named but earn nothing, as in F-UJI's v0.5 scoring."""
    terms = {str(term) for triple in s.graph for term in triple}
    terms |= {str(ns) for _, ns in s.graph.namespaces()}
    if s.evidence.datacite is not None:
        terms |= set(s.evidence.datacite.nsmap.values())
    disciplinary = sorted(
        {name for term in terms for ns, name in DISCIPLINARY.items() if term.startswith(ns)}
    )
    generic = ["DataCite"] if s.evidence.datacite is not None else []
    if any(str(t).startswith(str(DCAT)) for t in s.types()):
        generic.append("DCAT")
    if any("schema.org" in str(p) for _, p, _ in s.evidence.embedded_graph):
        generic.append("schema.org")
    reason = (
        f"disciplinary standards: {', '.join(disciplinary)}"
        if disciplinary
        else f"no disciplinary standard; multidisciplinary: {', '.join(generic) or 'none'}"
    )
    return Result("FsF-R1.3-01M", int(bool(disciplinary)), 1, reason)


def file_format(s: Subject) -> Result:
    if s.is_project():
        return Result("FsF-R1.3-02D", 0, 0, NOT_APPLICABLE)
    formats = list(dict.fromkeys(f for d in downloads(s) for f in declared_format(s, d)))
    good = [f for f in formats if OPEN_FORMATS.match(f)]
    return Result("FsF-R1.3-02D", int(bool(good)), 1, f"formats: {', '.join(formats) or 'none'}")


METRICS: Final[tuple[Callable[[Subject], Result], ...]] = (
    unique_identifier,
    persistent_identifier,
    core_metadata,
    data_identifier,
    searchable,
    access_level,
    metadata_protocol,
    data_protocol,
    formal_representation,
    semantic_resources,
    related_resources,
    content_description,
    licence,
    provenance,
    community_standard,
    file_format,
)


def assess(evidence: Evidence) -> list[Result]:
    """Every metric on one page's evidence, in FsF order."""
    subject = Subject(evidence)
    return [metric(subject) for metric in METRICS]


def percentage(results: Iterable[Result]) -> int:
    """Points earned over applicable points, 0..100, rounded half up (points come in
    halves, so they are counted in halves, exactly)."""
    listed = list(results)
    total = sum(r.points for r in listed)
    halves = round(2 * sum(r.earned for r in listed))
    return (100 * halves + total) // (2 * total) if total else 0
