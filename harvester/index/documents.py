"""What the index keeps of a record: searchable text, facet values, sort keys, a summary.

Both backends index the same :class:`IndexDocument`, built from the stored record
document (the JSON of :class:`harvester.core.model.Record`), so they search the same words
and count the same facets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

from harvester.core.model import PERSISTENT_SCHEMES
from harvester.enrich.languages import language_versions
from harvester.index.dimensions import counted_only, policy_facets, year_of
from harvester.index.stemming import stemmable, stemmed_text
from harvester.index.text import words_of

UNPRINTABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SUMMARY_CHARS = 300


@dataclass(frozen=True)
class IndexDocument:
    """One record, flattened for searching."""

    id: str
    title: str
    alt_titles: str = ""
    keywords: str = ""
    description: str = ""
    other: str = ""
    facets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    year: int | None = None
    newest: int = 0  # days since 0001-01-01 of the latest date known; 0 when none
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    boost: int = 0  # 0..100: persistent identifier and rich metadata
    summary: Mapping[str, Any] = field(default_factory=dict)
    stems: str = ""  # the stems of title and description, each version in its language
    language_texts: Mapping[str, str] = field(default_factory=dict)
    """Title and description by language (of the versions whose words can be stemmed)."""

    @property
    def has_text(self) -> bool:
        """True when any searchable text is present."""
        return any((self.title, self.alt_titles, self.keywords, self.description, self.other))


def clean(text: str) -> str:
    """Text safe to index: no control characters (the highlighter uses some as marks)."""
    return UNPRINTABLE.sub(" ", text)


def document_from_json(document: str) -> IndexDocument:
    """The index document for a stored record document (JSON)."""
    return document_from_record(orjson.loads(document))


def document_from_record(record: Mapping[str, Any]) -> IndexDocument:
    """The index document for a record given as a mapping (``Record.model_dump()``)."""
    provenance = record.get("provenance") or {}
    identifiers = record.get("identifiers") or []
    has_pid = any(i.get("scheme") in PERSISTENT_SCHEMES for i in identifiers)
    license_ = record.get("license") or {}
    licence_value = license_.get("spdx") or ("other" if license_ else None)
    years = [year_of(record.get(k)) for k in ("start_date", "date_modified", "end_date")]
    facets: dict[str, tuple[str, ...]] = {
        "kind": (record.get("kind") or "resource",),
        "country": tuple(record.get("countries") or ()),
        "language": tuple(record.get("languages") or ()),
        "topic": tuple(record.get("topics") or ()),
        "sdg": tuple(str(s) for s in record.get("sdgs") or ()),
        "status": _one(record.get("status")),
        "license": _one(licence_value),
        "access": _one(record.get("access_rights")),
        "platform": _one(provenance.get("platform")),
        "source": _one(provenance.get("source_id")),
        "has_pid": ("true" if has_pid else "false",),
    }
    year = next((y for y in years if y is not None), None)
    if year is not None:
        facets["year"] = (str(year),)
    facets |= policy_facets(record) | counted_only(record)
    score = int((record.get("quality") or {}).get("score") or 0)
    alternates = record.get("alternate_titles") or []
    versions = language_versions(record)
    return IndexDocument(
        id=str(record["id"]),
        title=clean(str(record.get("title") or "")),
        alt_titles=clean(" · ".join(t.get("value", "") for t in alternates)),
        keywords=clean(" · ".join(record.get("keywords") or [])),
        description=clean(_descriptions(record)),
        other=clean(_other_text(record)),
        facets={name: values for name, values in facets.items() if values},
        year=year,
        newest=_newest(record),
        bbox=_envelope(record.get("geo")),
        boost=min(100, score // 2 + (50 if has_pid else 0)),
        summary=_summary(record, provenance),
        stems=clean(stemmed_text(versions)),
        language_texts={
            v.lang: clean(v.full) for v in versions if v.lang is not None and stemmable(v.lang)
        },
    )


def _descriptions(record: Mapping[str, Any]) -> str:
    """The description and its versions in other languages, all searchable."""
    versions = [str(v.get("value") or "") for v in record.get("alternate_descriptions") or []]
    return "\n\n".join(text for text in [str(record.get("description") or ""), *versions] if text)


def _one(value: Any) -> tuple[str, ...]:
    return (str(value),) if value not in (None, "") else ()


def _day(value: Any) -> int:
    if not isinstance(value, str) or len(value) < 4 or not value[:4].isdigit():
        return 0
    parts = [int(p) for p in re.findall(r"\d+", value[:10])[:3]]
    year, month, day = [*parts, 1, 1][:3]
    try:
        return date(max(1, year), month, day).toordinal()
    except ValueError:
        return date(max(1, year), 1, 1).toordinal()


def _newest(record: Mapping[str, Any]) -> int:
    return max(_day(record.get(k)) for k in ("date_modified", "start_date", "end_date"))


def _envelope(geo: Any) -> tuple[float, float, float, float] | None:
    if not isinstance(geo, Mapping):
        return None
    xs: list[float] = []
    ys: list[float] = []
    for point in geo.get("points") or []:
        xs.append(float(point["lon"]))
        ys.append(float(point["lat"]))
    for box in geo.get("boxes") or []:
        xs += [float(box["west"]), float(box["east"])]
        ys += [float(box["south"]), float(box["north"])]
    if not xs:
        return None
    return (min(xs), min(ys), max(xs), max(ys))


def _other_text(record: Mapping[str, Any]) -> str:
    names = [o.get("name", "") for o in record.get("organisations") or []]
    return " · ".join([*names, *(record.get("regions") or [])])


def _summary(record: Mapping[str, Any], provenance: Mapping[str, Any]) -> dict[str, Any]:
    description = str(record.get("description") or "")
    if len(description) > SUMMARY_CHARS:
        description = description[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
    license_ = record.get("license") or {}
    return {
        "title": record.get("title"),
        "title_lang": record.get("title_lang"),
        "kind": record.get("kind"),
        "description": description,
        "countries": record.get("countries") or [],
        "languages": record.get("languages") or [],
        "start_date": record.get("start_date"),
        "end_date": record.get("end_date"),
        "date_modified": record.get("date_modified"),
        "status": record.get("status"),
        "url": record.get("url"),
        "license": license_.get("spdx") or license_.get("text"),
        "platform": provenance.get("platform"),
        "source_id": provenance.get("source_id"),
        "source_name": provenance.get("source_name"),
        "score": (record.get("quality") or {}).get("score"),
    }


def title_sort_key(title: str) -> str:
    """How titles sort: folded words, punctuation ignored."""
    return " ".join(words_of(title))[:200]


def title_rank(sort_key: str) -> int:
    """The first eight bytes of a title's sort key as an unsigned number (same order)."""
    return int.from_bytes(sort_key.encode("utf-8")[:8].ljust(8, b"\0"), "big")
