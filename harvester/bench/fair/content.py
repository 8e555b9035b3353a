"""FsF-R1-01MD, the description of the data content, and the page's data links: the
distributions a page declares, their formats and sizes, the measured variables, and (when
the evidence fetches them) what the data files themselves answer.

F-UJI downloads a data file to compare its type and size with the metadata and to look for
the measured variables in its text. With ``fetch_data`` the evidence does the same (the
``Content-Type`` and ``Content-Length`` the file is served with, and its first megabyte as
text); without it, the claims that such a comparison needs are judged: a data link with a
media type and a size in bytes, and variables stated.
"""

from __future__ import annotations

import re
from typing import Final

from rdflib import Literal, URIRef
from rdflib.term import Node

from harvester.bench.fair.evidence import DataFile
from harvester.bench.fair.subject import Result, Subject, tests
from harvester.bench.fair.vocab import DCAT, DCT, IANA_PREFIXES

MEDIA_TYPE: Final = re.compile(r"^[a-z0-9][\w.+-]*/[a-z0-9][\w.+-]*$", re.IGNORECASE)
BYTES: Final = re.compile(r"^\s*(\d+)\s*(B|bytes?|octets?)?\s*$", re.IGNORECASE)
NUMBER: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)")
MAX_FILES: Final = 5
"""Data files fetched at most for one page."""


def downloads(s: Subject) -> list[Node]:
    """The page's distributions (schema.org or DCAT)."""
    return s.values("distribution", f"{DCAT}distribution")


def _links(s: Subject, node: Node) -> list[str]:
    """A distribution's links: content, download and access URLs."""
    found = [str(u) for u in s.of(node, "contentUrl")]
    for predicate in (DCAT.downloadURL, DCAT.accessURL):
        found += [str(u) for u in s.graph.objects(node, predicate)]
    return found


def _pages(s: Subject) -> set[str]:
    return {str(v) for v in s.values("url", f"{DCAT}landingPage")}


def data_urls(s: Subject) -> list[str]:
    """Links to the data itself: content and download URLs, access URLs other than the
    landing page (which DCAT-AP allows as an access URL, but which is no data link), and
    signposted items."""
    urls = [url for d in downloads(s) for url in _links(s, d)]
    urls += [link["url"] for link in s.evidence.rels("item")]
    return list(dict.fromkeys(u for u in urls if u not in _pages(s)))


def declared_format(s: Subject, node: Node) -> list[str]:
    """A file's declared formats: schema.org encodingFormat, DCAT media type or format
    (IANA media-type IRIs as the bare type)."""
    found = [*s.of(node, "encodingFormat")]
    found += [v for p in (DCAT.mediaType, DCT["format"]) for v in s.graph.objects(node, p)]
    texts = []
    for value in found:
        text = str(value)
        for prefix in IANA_PREFIXES:
            text = text.removeprefix(prefix)
        texts.append(text)
    return list(dict.fromkeys(texts))


def declared_size(s: Subject, node: Node) -> list[str]:
    """A file's declared sizes: schema.org contentSize or DCAT byteSize."""
    return [str(v) for v in [*s.of(node, "contentSize"), *s.graph.objects(node, DCAT.byteSize)]]


def variable_names(s: Subject) -> list[str]:
    """The measured variables: literal values, or the names of their nodes."""
    names: list[str] = []
    for value in s.values("variableMeasured"):
        if isinstance(value, Literal):
            names.append(str(value))
        else:
            named = [str(n) for n in s.of(value, "name")]
            names += named or ([str(value)] if isinstance(value, URIRef) else [])
    return list(dict.fromkeys(n for n in names if n.strip()))


def _resource_formats_and_sizes(s: Subject) -> bool:
    """Formats and sizes stated for the whole resource, without data links (DataCite's
    formats and sizes; distributions that declare only a format or a size)."""
    datacite = s.evidence.datacite
    if datacite is not None:
        kernel = "{http://datacite.org/schema/kernel-4}"
        if datacite.find(f"{kernel}formats/{kernel}format") is not None and (
            datacite.find(f"{kernel}sizes/{kernel}size") is not None
        ):
            return True
    nodes = downloads(s)
    return any(declared_format(s, d) for d in nodes) and any(declared_size(s, d) for d in nodes)


def _claims(s: Subject) -> list[tuple[str, str | None, int | None]]:
    """Each data link with its declared media type and size in bytes (None where the page
    declares none, or none a file could be compared with)."""
    claims = []
    pages = _pages(s)
    for node in downloads(s):
        media = next((f.lower() for f in declared_format(s, node) if MEDIA_TYPE.match(f)), None)
        sizes = [int(m.group(1)) for v in declared_size(s, node) if (m := BYTES.match(v))]
        for url in _links(s, node):
            if url not in pages:
                claims.append((url, media, sizes[0] if sizes else None))
    return claims


def _matches(claim: tuple[str, str | None, int | None], found: DataFile) -> bool:
    """Whether a file is served with the type and size its page declares."""
    _url, media, size = claim
    return (
        found.status == 200
        and media is not None
        and size is not None
        and (found.content_type, found.size) == (media, size)
    )


def _content_matches(s: Subject) -> tuple[bool, str]:
    """FsF-R1-01MD-3: a data file matches its declared type and size."""
    claims = [c for c in _claims(s) if c[1] or c[2] is not None]
    if not s.evidence.fetch_data:
        checkable = [c for c in claims if c[1] and c[2] is not None]
        if checkable:
            return True, f"{checkable[0][0]} declares {checkable[0][1]}, {checkable[0][2]} bytes"
        return False, "no data link declares both its media type and its size in bytes"
    for claim in claims[:MAX_FILES]:
        found = s.evidence.data_file(claim[0])
        if found is not None and _matches(claim, found):
            return True, f"{claim[0]} is served as declared ({claim[1]}, {claim[2]} bytes)"
    tried = ", ".join(
        f"{c[0]}: declared {c[1]}, {c[2]} bytes; served {_served(s, c[0])}"
        for c in claims[:MAX_FILES]
    )
    return False, f"no data file served as declared ({tried or 'no data link with a claim'})"


def _served(s: Subject, url: str) -> str:
    found = s.evidence.data_file(url)
    if found is None or not found.status:
        return "nothing"
    return f"HTTP {found.status}, {found.content_type}, {found.size} bytes"


def _variables_found(s: Subject, names: list[str]) -> tuple[bool, str]:
    """FsF-R1-01MD-4: a measured variable occurs in the data."""
    if not names:
        return False, "no measured variables to find in the data"
    if not s.evidence.fetch_data:
        return True, f"{len(names)} measured variables stated (not looked for in the data)"
    texts = [
        found.text
        for url, _media, _size in _claims(s)[:MAX_FILES]
        if (found := s.evidence.data_file(url)) is not None
    ]
    hit = next((n for n in names if any(n in text for text in texts)), None)
    if hit:
        return True, f"measured variable '{hit}' found in the data"
    return False, "no measured variable found in the data files read"


def content_description(s: Subject) -> Result:
    """The resource type; a file's format and size or measured variables; the data
    matching its declared type and size; the data holding a measured variable. On a
    project only the first two apply."""
    names = variable_names(s)
    stated = f"{len(names)} measured variables" if names else "measured variables not stated"
    parts = [(bool(s.types()), f"type: {', '.join(sorted(s.types())) or 'none'}")]
    if s.is_project():
        parts.append((bool(names), stated))
        return tests("FsF-R1-01MD", parts)
    described = [d for d in downloads(s) if declared_format(s, d) and declared_size(s, d)]
    unlinked = not data_urls(s) and _resource_formats_and_sizes(s)
    parts.append(
        (
            bool(described or unlinked or names),
            "a file has format and size"
            if described
            else "formats and sizes stated for the resource"
            if unlinked
            else stated,
        )
    )
    parts.append(_content_matches(s))
    parts.append(_variables_found(s, names))
    return tests("FsF-R1-01MD", parts)
