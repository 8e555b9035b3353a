"""Files as sources list them: DataCite formats and sizes, file URLs, formats and extents
in flat Dublin Core; each a distribution (see
:func:`~harvester.normalise.transforms.dissemination.distributions`)."""

from __future__ import annotations

import re
from typing import Any

from harvester.normalise.transforms.dissemination import distributions, media_type_of, size_in_bytes
from harvester.normalise.transforms.elements import local_name
from harvester.normalise.transforms.media_types import file_name, media_type_from_name, stands_for
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.values import XmlValue, as_text

_NAMED = re.compile(r"^(?P<name>.+?\.\w{1,10}) - (?P<value>\S.*)$")
"""A per-file format or size, as some repositories write them: 'counts.dat - text/plain'."""
_MEDIA_TYPE = re.compile(r"\b[a-z]+/[a-z0-9][\w.+-]*", re.IGNORECASE)


def _media_types_in(text: str) -> list[str]:
    """The media types a format text lists ('media types: application/x-gzip, text/xml'),
    or the text itself when it is no such list."""
    found = _MEDIA_TYPE.findall(text)
    rest = _MEDIA_TYPE.sub("", text.split(":", 1)[-1]).replace(",", " ").strip()
    return found if found and not rest else [text]


def format_size_objects(formats: list[str], sizes: list[str]) -> list[dict[str, Any]]:
    """Distribution objects from a record's lists of formats and sizes (DataCite): files
    named in both lists ('name - value') one each; otherwise one per format, the size in
    bytes (or the only size, or the first extent when no size counts bytes) given to the
    only format, and sizes no one format can take kept on their own (the data's sizes)."""
    named_formats = [_NAMED.match(f) for f in formats]
    named_sizes = [_NAMED.match(s) for s in sizes]
    if formats and sizes and all(named_formats) and all(named_sizes):
        files: dict[str, dict[str, Any]] = {}
        for match in named_formats:
            assert match is not None
            files.setdefault(match["name"], {"title": match["name"]})["format"] = match["value"]
        for match in named_sizes:
            assert match is not None
            files.setdefault(match["name"], {"title": match["name"]})["size"] = match["value"]
        return list(files.values())
    objects: list[dict[str, Any]] = [
        {"format": kind} for text in formats for kind in _media_types_in(text)
    ]
    in_bytes = [s for s in sizes if size_in_bytes(s) is not None]
    only = in_bytes[0] if len(in_bytes) == 1 else None
    if only is None and sizes and (len(sizes) == 1 or not in_bytes):
        only = sizes[0]  # an extent ('87 variables') when no size counts bytes
    if only is not None and len(objects) <= 1:
        return [{**(objects[0] if objects else {}), "size": only}]
    return objects + [{"size": size} for size in in_bytes]


@transform("formats-and-sizes")
def _formats_and_sizes(values: Values, _arg: Any, issues: Issues) -> Values:
    """DataCite formats and sizes (XML elements), as :func:`format_size_objects` pairs
    them."""
    formats = [
        as_text(v) for v in values if isinstance(v, XmlValue) and local_name(v.node) == "format"
    ]
    sizes = [as_text(v) for v in values if isinstance(v, XmlValue) and local_name(v.node) == "size"]
    return distributions(format_size_objects(formats, sizes), None, issues)


@transform("format-size-lists")
def _format_size_lists(values: Values, _arg: Any, issues: Issues) -> Values:
    """Objects ``{formats: [...], sizes: [...], urls: [...]}`` (DataCite JSON) as
    :func:`format_size_objects` pairs them; a content URL goes to the only distribution,
    else each is a distribution of its own."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        formats = [as_text(f).strip() for f in value.get("formats") or [] if as_text(f).strip()]
        sizes = [as_text(s).strip() for s in value.get("sizes") or [] if as_text(s).strip()]
        urls = [as_text(u).strip() for u in value.get("urls") or [] if as_text(u).strip()]
        objects = format_size_objects(formats, sizes)
        if len(urls) == 1 and len(objects) == 1:
            objects[0]["download_url"] = urls[0]
        else:
            objects += [{"download_url": url} for url in urls]
        out += [d for d in distributions(objects, None, issues) if d not in out]
    return out


@transform("not-files")
def _not_files(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Drop the URLs of data files (see :func:`file_name`): they are distributions, not
    identifiers of the record."""
    return [v for v in values if file_name(as_text(v).strip()) is None]


@transform("dc-files")
def _dc_files(values: Values, _arg: Any, issues: Issues) -> Values:
    """Dublin Core identifiers and formats to distributions, as repositories write files in
    flat Dublin Core (one ``dc:identifier`` per file URL, ``dc:format`` for media types and
    extents such as '2481920 bytes'): each file URL a distribution, its media type the
    stated one its name's extension stands for (else read from the name, and so marked),
    the extents given to the files in order when there is one per file. Stated media types
    that no file has stay distributions of their own (without a URL), as do extents when no
    file is named and there is one extent for one format."""
    texts = [(local_name(v.node), as_text(v).strip()) for v in values if isinstance(v, XmlValue)]
    urls = [text for tag, text in texts if tag in ("identifier", "relation") and file_name(text)]
    formats = [text for tag, text in texts if tag == "format"]
    stated = [m for m in (media_type_of(f) for f in formats) if m]
    sizes = [f for f in formats if size_in_bytes(f) is not None]
    objects: list[dict[str, Any]] = []
    used: set[str] = set()
    for url in dict.fromkeys(urls):
        name = file_name(url) or url
        guessed = media_type_from_name(name)
        media = next((m for m in stated if stands_for(m, guessed)), None)
        used.add(media or "")
        objects.append({"title": name, "download_url": url, "media_type": media})
    if len(sizes) == len(objects):
        for found, size in zip(objects, sizes, strict=True):
            found["size"] = size
    rest = [{"media_type": m} for m in dict.fromkeys(stated) if m not in used]
    if not objects and len(sizes) == 1 and len(rest) == 1:
        rest[0]["size"] = sizes[0]
    return distributions([*objects, *rest], None, issues)
