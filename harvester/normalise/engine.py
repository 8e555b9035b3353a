"""Normalise one raw record with one crosswalk: a pure function, no network, no database.

Every field is filled on its own; a field that fails becomes a quality issue on the record
and the rest of the record is kept: a text over the model's length cap is cut (a
``truncated`` issue), an invalid item of a list is dropped alone, any other invalid value
drops its field. Provenance is filled for every record. A record whose source gives points
or boxes but no country gets the countries they lie in. Issue details repeat what was wrong
through :func:`~harvester.core.model.excerpt`, so a cut never leaves half an address.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus

from pydantic import ValidationError

from harvester.core.model import UNTITLED, Quality, QualityIssue, Record, excerpt, record_id
from harvester.core.records import RawRecord
from harvester.normalise import vocab
from harvester.normalise.crosswalk import Crosswalk, FieldRule, xml_values
from harvester.normalise.quality import with_quality
from harvester.normalise.readers import UnreadablePayload, read_document
from harvester.normalise.transforms import Issues

MAX_REPAIRS = 8
_NOT_YET_ASSESSED = Quality()
"""The quality a record is validated with, before its report replaces it (a frozen part,
taken as it is: made once, not per record)."""


@dataclass(frozen=True)
class SourceContext:
    """What the normaliser knows of the source a record came from."""

    source_id: str
    source_name: str
    platform: str
    protocol: str
    endpoint: str


def normalise(
    raw: RawRecord, crosswalk: Crosswalk, context: SourceContext, harvested_at: str
) -> Record:
    """Map a raw record to the common model, with its quality report.

    Never raises for what is in the record: unreadable payloads, failing transforms and
    invalid values all become quality issues.
    """
    issues: list[QualityIssue] = []
    values: dict[str, Any] = {}
    document = _parse(raw, crosswalk, issues)
    if document is not None:
        extracted = _prefetched(crosswalk, document)  # rules reading a path read it once
        noted = Issues()
        for rule in crosswalk.rules:
            found = _apply(rule, document, issues, extracted, noted)
            if found:
                values[rule.field] = rule.shape(found)
    record = _with_countries_from_places(_build(values, raw, context, harvested_at, issues))
    return with_quality(record, issues)


def _with_countries_from_places(record: Record) -> Record:
    """A record with points or boxes but no country gets the countries they lie in
    (point-in-polygon, offline; see :mod:`harvester.normalise.vocab.geo`)."""
    if record.countries or record.geo is None:
        return record
    points = [(point.lat, point.lon) for point in record.geo.points]
    boxes = [(b.west, b.south, b.east, b.north) for b in record.geo.boxes]
    found = vocab.countries_of_places(points, boxes)
    return record.model_copy(update={"countries": found}) if found else record


def _parse(raw: RawRecord, crosswalk: Crosswalk, issues: list[QualityIssue]) -> Any:
    try:
        document = read_document(raw.payload or "", crosswalk.format, crosswalk.types)
    except UnreadablePayload as exc:
        detail = excerpt(str(exc), 200)
        issues.append(
            QualityIssue(field="-", problem="invalid", detail=f"payload unreadable: {detail}")
        )
        return None
    if crosswalk.root_path is None:
        return document
    root = crosswalk.root_path(document)
    if root is None:
        detail = excerpt(f"payload has nothing at the crosswalk's root path {crosswalk.root}", 200)
        issues.append(QualityIssue(field="-", problem="invalid", detail=detail))
    return root


def _prefetched(crosswalk: Crosswalk, document: Any) -> dict[str, list[Any]]:
    """What the crosswalk's child-step paths select, all walked together."""
    if crosswalk.child_paths is None:
        return {}
    selected = crosswalk.child_paths.select(document)
    return {path: xml_values(nodes) for path, nodes in selected.items()}


def _apply(
    rule: FieldRule,
    document: Any,
    issues: list[QualityIssue],
    extracted: dict[str, list[Any]],
    noted: Issues,
) -> list[Any]:
    """One rule's values; what its transforms reject, or its failure, becomes an issue.

    ``noted`` is the record's one :class:`Issues`; this rule's rejections are the ones it
    adds, and it is left as it was found.
    """
    try:
        found = rule.read(document, extracted)
        for function, argument in rule.chain:
            found = function(found, argument, noted)
    except Exception as exc:  # one failing field never drops the record
        noted.invalid.clear()
        detail = excerpt(f"{type(exc).__name__}: {' '.join(str(exc).split())}", 300)
        issues.append(QualityIssue(field=rule.field, problem="transform-failed", detail=detail))
        return []
    if noted.invalid:
        issues.extend(
            QualityIssue(field=rule.field, problem="invalid", detail=d) for d in noted.invalid
        )
        noted.invalid.clear()
    return found


def original_url(raw: RawRecord, context: SourceContext) -> str | None:
    """A link to the record as the source serves it."""
    if context.protocol == "oai-pmh":  # what urlencode() writes, without its generality
        prefix, identifier = query_value(raw.metadata_format), query_value(raw.identifier)
        return f"{context.endpoint}?verb=GetRecord&metadataPrefix={prefix}&identifier={identifier}"
    return raw.identifier if raw.identifier.startswith(("http://", "https://")) else None


_ALWAYS_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_QUERY_ESCAPES = {
    code: "+" if code == ord(" ") else f"%{code:02X}"
    for code in range(128)
    if chr(code) not in _ALWAYS_SAFE
}


def query_value(text: str) -> str:
    """``quote_plus(text, safe="")``, as urlencode() writes a query value; ASCII text (OAI
    identifiers, metadata prefixes) in one ``str.translate``."""
    return text.translate(_QUERY_ESCAPES) if text.isascii() else quote_plus(text, "")


def _build(
    values: dict[str, Any],
    raw: RawRecord,
    context: SourceContext,
    harvested_at: str,
    issues: list[QualityIssue],
) -> Record:
    data: dict[str, Any] = {
        "kind": "resource",
        **values,
        "id": record_id(context.source_id, raw.identifier),
        "provenance": {
            "source_id": context.source_id,
            "source_name": context.source_name,
            "platform": context.platform,
            "protocol": context.protocol,
            "endpoint": context.endpoint,
            "metadata_format": raw.metadata_format,
            "source_identifier": raw.identifier,
            "datestamp": raw.datestamp,
            "harvested_at": harvested_at,
            "original_url": original_url(raw, context),
        },
        "quality": _NOT_YET_ASSESSED,
    }
    if not data.get("title"):
        data["title"] = UNTITLED
    for _ in range(MAX_REPAIRS):
        try:
            return Record.model_validate(data)
        except ValidationError as exc:
            _drop_invalid(data, exc, issues)
    return Record.model_validate(_minimal(data))


def _drop_invalid(data: dict[str, Any], exc: ValidationError, issues: list[QualityIssue]) -> None:
    """Repair what the model refused: cut over-long texts, drop invalid list items, drop
    any other invalid field (a title becomes :data:`UNTITLED`, a kind ``resource``)."""
    dropped_items: dict[str, set[int]] = {}
    for error in exc.errors():
        loc = error["loc"]
        field = str(loc[0]) if loc else "-"
        if field in ("id", "provenance", "quality") and error["type"] != "string_too_long":
            continue
        if error["type"] == "string_too_long" and _cut(data, loc, error, issues):
            continue
        items = data.get(field)
        if len(loc) > 1 and isinstance(loc[1], int) and isinstance(items, list):
            if loc[1] < len(items) and loc[1] not in dropped_items.setdefault(field, set()):
                dropped_items[field].add(loc[1])
                issues.append(_invalid(field, error["msg"], items[loc[1]]))
            continue
        if field not in data and field not in ("title", "kind"):
            continue  # already dropped for another of its errors
        value = data.pop(field, None)
        if field == "title":
            data["title"] = UNTITLED
        if field == "kind":
            data["kind"] = "resource"
        issues.append(_invalid(field, error["msg"], value))
    for field, indexes in dropped_items.items():
        data[field] = [item for i, item in enumerate(data[field]) if i not in indexes]


def _invalid(field: str, message: str, value: Any) -> QualityIssue:
    shown = excerpt(json.dumps(value, ensure_ascii=False, default=str), 120)
    return QualityIssue(field=field, problem="invalid", detail=f"{message}: {shown}")


def _cut(
    data: dict[str, Any], loc: tuple[int | str, ...], error: Any, issues: list[QualityIssue]
) -> bool:
    """Cut the over-long text at ``loc`` to the cap the model gives; False when it cannot
    be reached (a value that is not plain data)."""
    limit = int((error.get("ctx") or {}).get("max_length", 0))
    holder: Any = data
    for step in loc[:-1]:
        try:
            holder = holder[step]
        except (KeyError, IndexError, TypeError):
            return False
    last = loc[-1]
    try:
        text = holder[last]
    except (KeyError, IndexError, TypeError):
        return False
    if not isinstance(text, str) or limit < 2 or not isinstance(holder, dict | list):
        return False
    holder[last] = _shortened(text, limit)  # type: ignore[index]
    where = ".".join(str(step) for step in loc)
    detail = f"{where}: cut to {limit:,} of {len(text):,} characters"
    issues.append(QualityIssue(field=str(loc[0]), problem="truncated", detail=detail))
    return True


def _shortened(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with "…", at a space near the end if there is one."""
    head = text[: limit - 1]
    space = head.rfind(" ", int(limit * 0.9))
    return (head[:space] if space > 0 else head).rstrip() + "…"


def _minimal(data: dict[str, Any]) -> dict[str, Any]:
    keep = ("id", "provenance", "quality")
    return {"kind": "resource", "title": UNTITLED, **{k: data[k] for k in keep}}
