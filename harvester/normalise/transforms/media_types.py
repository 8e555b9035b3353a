"""Media types of files from their names: Python's own table of extensions (not the
machine's /etc/mime.types, so every machine gives the same answer) with the IANA-registered
types of data formats it lacks, compressed files typed by their compression, and the file
names of URLs that point to data files."""

from __future__ import annotations

import mimetypes
import re
from functools import lru_cache
from urllib.parse import unquote, urlsplit

_MIME_TYPES = mimetypes.MimeTypes()
_MORE_TYPES = {
    ".geojson": "application/geo+json",
    ".jsonld": "application/ld+json",
    ".ttl": "text/turtle",
    ".gpkg": "application/geopackage+sqlite3",
    ".kml": "application/vnd.google-earth.kml+xml",
    ".kmz": "application/vnd.google-earth.kmz",
    ".parquet": "application/vnd.apache.parquet",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".flac": "audio/flac",
}
for _extension, _type in _MORE_TYPES.items():
    _MIME_TYPES.add_type(_type, _extension)
"""Python's own table of extensions (not the machine's /etc/mime.types: the same answer
everywhere), with the IANA-registered types of data formats it lacks."""
_XML_TYPES = ("text/xml", "application/xml")
_JSON_TYPES = ("application/json",)


def stands_for(stated: str, guessed: str | None) -> bool:
    """Whether a file whose name stands for ``guessed`` can be of the ``stated`` type: the
    same type, or a more specific XML or JSON vocabulary (a ``.xml`` TEI file is
    application/tei+xml)."""
    if guessed is None:
        return False
    if stated == guessed:
        return True
    if guessed in _XML_TYPES:
        return stated in _XML_TYPES or stated.endswith("+xml")
    return guessed in _JSON_TYPES and stated.endswith("+json")


_COMPRESSED = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
    "compress": "application/x-compress",
    "br": "application/x-brotli",
}
"""A compressed file's media type is its compression's (``counts.csv.gz`` is gzip)."""


@lru_cache(maxsize=4096)
def media_type_from_name(name: str) -> str | None:
    """The media type a file name's extension stands for (IANA types, as Python's
    mimetypes knows them), or None for an unknown extension (remembered: names recur)."""
    kind, encoding = _MIME_TYPES.guess_type(name, strict=False)
    if encoding:
        return _COMPRESSED.get(encoding)
    return kind


_PAGE_TYPES = ("text/html", "application/xhtml+xml")


_HTTP_PATH = re.compile(r"https?://[^/?#]+/([^?#]*)", re.IGNORECASE)
_ALTERED_BY_SPLITTING = re.compile(r"[\[\]\t\r\n%]")
"""What :func:`urlsplit` or unquoting may read otherwise than the plain text (a bracketed
host, the tabs and line breaks it removes, percent-escapes such as ``%2E``)."""


def file_name(url: str) -> str | None:
    """The name of the data file an http(s) URL points to: its last path segment when its
    extension names a media type other than a web page's; None for anything else.

    Most URLs are landing pages whose last segment has no extension: they are told at a
    glance; the others are read in full, and remembered (a record names its files in
    several fields)."""
    found = _HTTP_PATH.match(url)
    if found is None:
        return None
    if "." not in found.group(1).rsplit("/", 1)[-1] and not _ALTERED_BY_SPLITTING.search(url):
        return None
    return _file_name(url)


@lru_cache(maxsize=4096)
def _file_name(url: str) -> str | None:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    media_type = media_type_from_name(name) if "." in name else None
    return name if media_type and media_type not in _PAGE_TYPES else None
