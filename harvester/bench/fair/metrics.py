"""The FAIRsFAIR data object metrics (v0.5 identifiers, as F-UJI implements them), tested
on the :class:`~.evidence.Evidence` gathered over HTTP: each test reads the RDF (embedded
JSON-LD, content negotiation), the typed links and the DataCite XML, never the server's own
notion of the record. A project (schema.org ResearchProject or Project) has no data files,
so the data tests are not applicable to it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import Node

from harvester.bench.fair.evidence import Evidence

SDO_HTTPS: Final = Namespace("https://schema.org/")
SDO_HTTP: Final = Namespace("http://schema.org/")
DCT: Final = Namespace("http://purl.org/dc/terms/")
DCAT: Final = Namespace("http://www.w3.org/ns/dcat#")
PROV: Final = "http://www.w3.org/ns/prov#"
PID: Final = re.compile(
    r"(doi\.org/10\.|^10\.\d{4,9}/|^doi:|hdl\.handle\.net/|^hdl:|n2t\.net/ark:|^ark:/|^urn:"
    r"|purl\.org/|w3id\.org/)",
    re.IGNORECASE,
)
REGISTERED: Final = {
    "http://www.w3.org/ns/dcat#": "DCAT",
    "http://purl.org/dc/terms/": "DCMI terms",
    "http://purl.org/dc/elements/1.1/": "Dublin Core",
    "http://www.w3.org/ns/prov#": "PROV-O",
    "http://xmlns.com/foaf/0.1/": "FOAF",
    "http://www.w3.org/2004/02/skos/core#": "SKOS",
    "http://www.w3.org/ns/adms#": "ADMS",
    "http://purl.org/coar/access_right/": "COAR access rights",
    "http://spdx.org/licenses/": "SPDX licences",
    "http://publications.europa.eu/resource/authority/": "EU Vocabularies",
}
"""Registered semantic resources (besides schema.org) by namespace."""
OPEN_FORMATS: Final = re.compile(
    r"^(text/(csv|tab-separated-values|plain|xml|turtle)|application/(json|ld\+json|geo\+json"
    r"|xml|rdf\+xml|zip|gzip|x-tar|netcdf|x-netcdf|x-hdf5?|fits|pdf)|image/(png|tiff|jpeg)"
    r"|audio/(flac|wav|ogg)|[a-z]+/[\w.-]+\+(xml|json))$|^(csv|tsv|json|xml|netcdf|hdf5|zip"
    r"|dwc_archive)$",
    re.IGNORECASE,
)
"""Media types and names of open, long-term and scientific formats."""
NOT_APPLICABLE: Final = "not applicable: a project has no data files"


@dataclass(frozen=True)
class Result:
    """One metric's outcome: points earned, points that apply (0: not applicable), why."""

    metric: str
    earned: int
    points: int
    reason: str


class Subject:
    """The page's main entity in the gathered RDF, with look-ups by property."""

    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.graph: Graph = evidence.graph
        self.node: Node = _main_node(self.graph, evidence.final_url or evidence.url)

    def values(self, *names: str) -> list[Node]:
        """The values of schema.org (http or https) or full-IRI properties."""
        found: list[Node] = []
        for name in names:
            predicates = [URIRef(name)] if ":" in name else [SDO_HTTPS[name], SDO_HTTP[name]]
            for predicate in predicates:
                found.extend(self.graph.objects(self.node, predicate))
        return found

    def types(self) -> set[str]:
        return {str(t) for t in self.graph.objects(self.node, RDF.type)}

    def is_project(self) -> bool:
        return any(t.endswith(("/ResearchProject", "/Project")) for t in self.types())

    def of(self, node: Node, *names: str) -> list[Node]:
        """Values of schema.org properties of another node."""
        return [
            value
            for name in names
            for predicate in (SDO_HTTPS[name], SDO_HTTP[name])
            for value in self.graph.objects(node, predicate)
        ]


def _main_node(graph: Graph, page: str) -> Node:
    """The page's IRI when the RDF describes it, else the typed node no other node points
    to (the root of the description) with the most statements."""
    for candidate in (URIRef(page), URIRef(page.split("#")[0])):
        if (candidate, RDF.type, None) in graph:
            return candidate
    typed = set(graph.subjects(RDF.type, None))
    roots = [n for n in typed if not any(graph.subjects(None, n))] or list(typed)
    if not roots:
        return URIRef(page)
    return max(roots, key=lambda node: (len(list(graph.predicate_objects(node))), str(node)))


def _tests(metric: str, parts: Iterable[tuple[bool, str]]) -> Result:
    listed = list(parts)
    earned = sum(1 for ok, _ in listed if ok)
    return Result(metric, earned, len(listed), "; ".join(text for _, text in listed))


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
    citation = {
        "creator": s.values("creator", "author", f"{DCT}creator"),
        "title": s.values("name", f"{DCT}title"),
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
    lacking = [name for name, found in citation.items() if not found]
    more = lacking + [name for name, found in described.items() if not found]
    return _tests(
        "FsF-F2-01M",
        [
            (
                not lacking,
                "citation metadata " + (f"lacks {', '.join(lacking)}" if lacking else "complete"),
            ),
            (
                not more,
                "descriptive metadata " + (f"lacks {', '.join(more)}" if more else "complete"),
            ),
        ],
    )


def _downloads(s: Subject) -> list[Node]:
    return s.values("distribution", f"{DCAT}distribution")


def _data_urls(s: Subject) -> list[str]:
    """Links to the data itself: content and download URLs, access URLs other than the
    landing page (which DCAT-AP allows as an access URL, but which is no data link), and
    signposted items."""
    pages = {str(v) for v in s.values("url", f"{DCAT}landingPage")}
    urls = [str(u) for d in _downloads(s) for u in s.of(d, "contentUrl")]
    for predicate in (DCAT.downloadURL, DCAT.accessURL):
        urls += [str(u) for d in _downloads(s) for u in s.graph.objects(d, predicate)]
    urls += [link["url"] for link in s.evidence.rels("item")]
    return list(dict.fromkeys(u for u in urls if u not in pages))


def data_identifier(s: Subject) -> Result:
    if s.is_project():
        return Result("FsF-F3-01M", 0, 0, NOT_APPLICABLE)
    urls = _data_urls(s)
    return Result(
        "FsF-F3-01M", int(bool(urls)), 1, f"data at {urls[0]}" if urls else "no data link"
    )


def searchable(s: Subject) -> Result:
    ok = any("schema.org" in str(p) for _, p, _ in s.evidence.embedded_graph)
    return Result(
        "FsF-F4-01M",
        2 if ok else 0,
        2,
        "schema.org JSON-LD embedded" if ok else "no embedded schema.org",
    )


def access_level(s: Subject) -> Result:
    if s.is_project():
        return Result("FsF-A1-01M", 0, 0, NOT_APPLICABLE)
    found = s.values("conditionsOfAccess", "isAccessibleForFree", f"{DCT}accessRights")
    return Result(
        "FsF-A1-01M", int(bool(found)), 1, f"access: {found[0]}" if found else "no access level"
    )


def metadata_protocol(s: Subject) -> Result:
    ok = s.evidence.status == 200 and s.evidence.final_url.startswith(("http://", "https://"))
    return Result("FsF-A1-02M", int(ok), 1, f"page answered HTTP {s.evidence.status}")


def data_protocol(s: Subject) -> Result:
    if s.is_project():
        return Result("FsF-A1-03D", 0, 0, NOT_APPLICABLE)
    urls = [u for u in _data_urls(s) if u.lower().startswith(("http://", "https://", "ftp://"))]
    return Result(
        "FsF-A1-03D", int(bool(urls)), 1, "data over a standard protocol" if urls else "no data URL"
    )


def formal_representation(s: Subject) -> Result:
    return _tests(
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


def _declared_format(s: Subject, node: Node) -> list[Node]:
    """A file's declared format: schema.org encodingFormat, DCAT media type or format."""
    found = s.of(node, "encodingFormat")
    return found + [v for p in (DCAT.mediaType, DCT["format"]) for v in s.graph.objects(node, p)]


def _declared_size(s: Subject, node: Node) -> list[Node]:
    """A file's declared size: schema.org contentSize or DCAT byteSize."""
    return s.of(node, "contentSize") + list(s.graph.objects(node, DCAT.byteSize))


def content_description(s: Subject) -> Result:
    tests = [(bool(s.types()), f"type: {', '.join(sorted(s.types())) or 'none'}")]
    if not s.is_project():
        files = _downloads(s)
        described = [d for d in files if _declared_format(s, d) and _declared_size(s, d)]
        tests.append(
            (
                bool(described),
                "a file has format and size" if described else "no file with format and size",
            )
        )
        every = bool(files) and len(described) == len(files)
        tests.append((every, f"{'every' if every else 'not every'} file has format and size"))
    variables = bool(s.values("variableMeasured"))
    tests.append((variables, "measured variables " + ("stated" if variables else "not stated")))
    return _tests("FsF-R1-01MD", tests)


def licence(s: Subject) -> Result:
    found = [str(v) for v in s.values("license", f"{DCT}license")]
    spdx = [v for v in found if "spdx.org/licenses/" in v]
    return _tests(
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
    return _tests(
        "FsF-R1.2-01M",
        [
            (bool(elements), "provenance elements"),
            (bool(formal), "PROV-O terms" if formal else "no PROV-O"),
        ],
    )


def community_standard(s: Subject) -> Result:
    datacite = s.evidence.datacite
    required = ("identifier", "creators", "titles", "publisher", "publicationYear")
    kernel = "{http://datacite.org/schema/kernel-4}"
    complete = datacite is not None and all(datacite.find(kernel + n) is not None for n in required)
    standards = ["DataCite"] if complete else []
    if any(str(t).startswith(str(DCAT)) for t in s.types()):
        standards.append("DCAT")
    if searchable(s).earned:
        standards.append("schema.org")
    return Result(
        "FsF-R1.3-01M", int(bool(standards)), 1, f"standards: {', '.join(standards) or 'none'}"
    )


def file_format(s: Subject) -> Result:
    if s.is_project():
        return Result("FsF-R1.3-02D", 0, 0, NOT_APPLICABLE)
    formats = list(
        dict.fromkeys(
            str(f).removeprefix("https://www.iana.org/assignments/media-types/")
            for d in _downloads(s)
            for f in _declared_format(s, d)
        )
    )
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
    """Points earned over applicable points, 0..100, rounded half up."""
    listed = list(results)
    total = sum(r.points for r in listed)
    earned = sum(r.earned for r in listed)
    return (200 * earned + total) // (2 * total) if total else 0
