"""The records of a relevance set, loaded as harvests load them, and the judgements on them.

A judgements folder holds ``needs.yaml`` (information needs: queries by language, graded
judgements ``<source>:<native id>``) and ``corpus.yaml`` (which fixture files, read by
which crosswalk, make each source; how a judgement names a record). The files are read
with the readers ``csfinder map`` uses (CSV rows as the ``csv`` protocol reads them, JSON
pages, OAI-PMH responses; the demo catalogue rendered as its provider serves it),
normalised by the crosswalks, and written to a store as harvests write them (their
provenance names the protocol ``csv`` or, for every other file, ``oai-pmh``: nominal, as
no protocol ran).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from harvester.core import paths
from harvester.core.errors import CsfinderError
from harvester.core.records import RawRecord
from harvester.core.source_options import CsvOptions
from harvester.core.sources import SourceConfig
from harvester.fetch.csv.reader import row_hash
from harvester.normalise.files import Origin, raw_records_from_body, raw_records_from_file
from harvester.normalise.service import Normaliser
from harvester.sample_provider import demo_repositories
from harvester.sample_provider.rendering import envelope_start, record_xml, request_element
from harvester.store import NormalisedRow, Store

NEEDS_FILE = "needs.yaml"
CORPUS_FILE = "corpus.yaml"
STORE_BATCH = 500


class RelevanceSetError(CsfinderError):
    """A judgements folder that cannot be used: the message says which file and why."""


@dataclass(frozen=True)
class Need:
    """An information need: its queries by language, and the grade of each record judged
    relevant (by record id)."""

    id: str
    description: str
    queries: Mapping[str, str]
    grades: Mapping[str, int]


@dataclass(frozen=True)
class CorpusSource:
    """One source of the corpus."""

    key: str
    judged_as: str
    crosswalk: str
    files: tuple[str, ...]
    ref: str
    csv_id_column: str | None = None
    demo: bool = False


def load_corpus(folder: Path) -> list[CorpusSource]:
    """The sources ``corpus.yaml`` describes."""
    found = _yaml(folder / CORPUS_FILE)
    sources = found.get("sources") if isinstance(found, Mapping) else None
    if not isinstance(sources, Mapping) or not sources:
        raise RelevanceSetError(f"{folder / CORPUS_FILE}: no `sources`")
    return [
        CorpusSource(
            key=str(key),
            judged_as=str(spec.get("judged_as") or key),
            crosswalk=str(spec["crosswalk"]),
            files=tuple(str(f) for f in spec.get("files") or ()),
            ref=str(spec.get("ref") or "identifier"),
            csv_id_column=spec.get("csv_id_column"),
            demo=bool(spec.get("demo")),
        )
        for key, spec in sources.items()
    ]


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RelevanceSetError(f"{path}: {exc}") from None


def load_store(store: Store, sources: list[CorpusSource], fixtures: Path) -> dict[str, str]:
    """Normalise every record of the corpus into ``store``; returns the record id of each
    reference a judgement can make (``<judged_as>:<native id>``)."""
    refs: dict[str, str] = {}
    at = datetime(2026, 1, 1, tzinfo=UTC)
    for source in sources:
        config = SourceConfig(
            id=f"relevance-{source.key}".replace("_", "-"),
            name=source.key,
            platform=source.judged_as,
            protocol="csv" if source.csv_id_column or source.ref == "name" else "oai-pmh",
            url="https://relevance.invalid/",
            metadata_prefix="oai_dc",
            crosswalk=source.crosswalk,
        )
        normaliser = Normaliser(config)
        rows: list[NormalisedRow] = []
        for raw in _raw_records(source, config.id, normaliser, fixtures):
            row = normaliser.row(raw, at)
            if row.deleted:
                continue
            refs[f"{source.judged_as}:{_native(source, raw)}"] = row.id
            rows.append(row)
            if len(rows) >= STORE_BATCH:
                store.write_normalised(rows)
                rows = []
        store.write_normalised(rows)
    return refs


def _raw_records(
    source: CorpusSource, source_id: str, normaliser: Normaliser, fixtures: Path
) -> Iterator[RawRecord]:
    if source.demo:
        yield from _demo_records(source_id, normaliser)
        return
    options = CsvOptions(id_column=source.csv_id_column) if source.csv_id_column else None
    for name in source.files:
        path = fixtures / name
        if not path.is_file():
            raise RelevanceSetError(f"corpus file {path} is missing")
        for raw in raw_records_from_file(path, normaliser.crosswalk, source_id, options):
            if isinstance(raw, RawRecord):
                yield raw


def _demo_records(source_id: str, normaliser: Normaliser) -> Iterator[RawRecord]:
    """The demo catalogue's live records, as its OAI-PMH provider serves them."""
    for repository in demo_repositories().values():
        body = envelope_start(datetime.now(UTC), request_element("https://demo.invalid/", {}))
        body += "<ListRecords>"
        body += "".join(
            record_xml(record, repository.granularity)
            for record in repository.records
            if not record.deleted
        )
        body += "</ListRecords></OAI-PMH>"
        origin = Origin("demo", "demo")
        for raw in raw_records_from_body(body.encode(), origin, normaliser.crosswalk, source_id):
            if isinstance(raw, RawRecord):
                yield raw


def _native(source: CorpusSource, raw: RawRecord) -> str:
    """How a judgement names a raw record of ``source``."""
    if source.ref == "oai-suffix":
        return raw.identifier.rsplit(":", 1)[-1]
    if source.ref == "name":
        return raw.identifier  # resolved from the name by ``resolve`` (a hash of the name)
    return raw.identifier


def load_needs(folder: Path, refs: Mapping[str, str]) -> list[Need]:
    """The needs of ``needs.yaml``, their judgements resolved to record ids.

    Raises:
        RelevanceSetError: the file is unreadable, or a judgement names no loaded record.
    """
    found = _yaml(folder / NEEDS_FILE)
    if not isinstance(found, list):
        raise RelevanceSetError(f"{folder / NEEDS_FILE}: a list of needs expected")
    needs: list[Need] = []
    missing: list[str] = []
    for item in found:
        grades: dict[str, int] = {}
        for judged in item.get("relevant") or []:
            record = refs.get(resolve(str(judged["ref"])))
            if record is None:
                missing.append(f"{item['id']}: {judged['ref']!r}")
            else:
                grades[record] = max(grades.get(record, 0), int(judged["grade"]))
        queries = {str(k): str(v) for k, v in (item.get("queries") or {}).items()}
        needs.append(Need(str(item["id"]), str(item.get("description", "")), queries, grades))
    if missing:
        shown = "; ".join(missing[:5])
        raise RelevanceSetError(
            f"{len(missing)} judgements name no record of the corpus, e.g. {shown}"
        )
    return needs


def resolve(ref: str) -> str:
    """A judgement's reference in the form :func:`load_store` keys records by
    (``cs_nl:name=<cell>`` becomes the row's identifier, a hash of the name)."""
    source, _sep, native = ref.partition(":")
    if native.startswith("name="):
        return f"{source}:{row_hash([native[len('name=') :]])}"
    return ref


def default_fixtures() -> Path:
    """The shared fixtures folder the corpus files are relative to."""
    return paths.SHARED_FIXTURES_DIR


def summary_json(value: Any) -> str:
    """One JSON line."""
    return json.dumps(value, ensure_ascii=False)
