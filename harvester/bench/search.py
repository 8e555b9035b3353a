"""``csfinder bench search``: build rate and query latency of the search index.

Generates N synthetic records (:mod:`harvester.bench.synthetic`) as stored JSON first
(untimed: ``generate_seconds``; about 1.5 GB at a million, kept in a file,
:mod:`harvester.bench.search_files`) and, with ``--mode semantic`` or ``hybrid``, their
vectors as the store would hold them (:mod:`harvester.bench.synthetic_vectors`, untimed
too: ``vectors_seconds``), then builds the index in a temporary folder the way ``csfinder
reindex`` does (stored JSON read back one at a time and turned into index documents, bulk
loaded, the vectors and their ANN index with them; ``build_rate``; ``peak_rss_mb`` says
the peak memory after each phase), then, in a process of its own that opens the built
index as a portal worker does, runs a fixed, seeded query mix: common and rare words,
phrases, prefixes, exclusions and OR, with 0 to 3 filters, sorted by relevance or date,
every query computing all facet counts, in the mode asked (queries encoded at search time,
as the portal does). Prints one JSON line.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from harvester.bench.harvest import _in_child
from harvester.bench.ingest_memory import high_water_mb
from harvester.bench.search_files import BenchFiles
from harvester.bench.synthetic import COUNTRIES, LICENCES, corpus_texts, synthetic_records
from harvester.core.settings import default_database_url
from harvester.enrich.encoders import ENCODER_NAMES, Encoder, encoder_notice, load_encoder
from harvester.index.documents import document_from_json
from harvester.index.query import MODES, SearchQuery, build_query
from harvester.index.service import reindex
from harvester.index.sqlite import SqliteIndex
from harvester.index.text import positive_text
from harvester.store import NormalisedRow, Store

STOPWORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "a",
        "for",
        "is",
        "on",
        "with",
        "by",
        "as",
        "are",
        "be",
        "this",
        "that",
        "from",
        "or",
        "an",
        "at",
        "it",
        "its",
        "their",
        "was",
        "were",
        "can",
        "which",
        "have",
        "has",
        "will",
        "into",
        "also",
        "been",
        "who",
        "not",
        "all",
        "more",
        "these",
        "other",
        "they",
        "de",
        "het",
        "een",
        "van",
        "en",
        "la",
        "le",
        "les",
        "des",
        "et",
        "du",
        "el",
        "los",
        "las",
    ]
)


@click.command("search")
@click.option("--records", "count", default=100_000, show_default=True, help="Records to index.")
@click.option("--queries", default=400, show_default=True, help="Queries in the mix.")
@click.option("--backend", type=click.Choice(["sqlite"]), default="sqlite", show_default=True)
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="lexical",
    show_default=True,
    help="Search by words, meaning, or both (the last two build vectors and an ANN index).",
)
@click.option("--encoder", "encoder_name", type=click.Choice(ENCODER_NAMES[:-1]), default="use")
def bench_search(count: int, queries: int, backend: str, mode: str, encoder_name: str) -> None:
    """Index N synthetic records, then time a fixed query mix with all facet counts."""
    encoder = _encoder(mode, encoder_name)
    with tempfile.TemporaryDirectory(prefix="csfinder-bench-search-") as folder:
        index = SqliteIndex(Path(folder))
        files = BenchFiles(Path(folder))
        peak_mb: dict[str, float] = {}
        started = time.perf_counter()
        files.write_records(synthetic_records(count))
        generate_seconds = time.perf_counter() - started
        peak_mb["generate"] = peak_rss_mb()
        started = time.perf_counter()
        if encoder is not None:
            files.write_vectors(encoder)
        vectors_seconds = time.perf_counter() - started
        peak_mb["vectors"] = peak_rss_mb()
        started = time.perf_counter()
        documents = (document_from_json(text) for text in files.stored())
        built = index.rebuild(documents, vectors=files.vectors())
        build_seconds = time.perf_counter() - started
        peak_mb["build"] = peak_rss_mb()
        index.close()
        ann_bytes = sum(p.stat().st_size for p in Path(folder).glob("*.usearch*"))  # + sketch
        searched = _in_child(_search_phase, folder, mode, encoder_name, str(queries))
        peak_mb["search"] = searched["peak_rss_mb"]
    uncached, cached = searched["uncached"], searched["cached"]
    output: dict[str, Any] = {
        "benchmark": "search",
        "backend": backend,
        "records": built,
        "generate_seconds": round(generate_seconds, 1),
        "mode": mode,
        "encoder": encoder.name if encoder is not None else None,
        "vectors_seconds": round(vectors_seconds, 1),
        "ann_bytes": ann_bytes,
        "ann_bytes_per_record": round(ann_bytes / built, 1) if built else 0,
        "build_seconds": round(build_seconds, 1),
        "build_rate": round(built / build_seconds, 1),
        "facet_load_seconds": searched["facet_load_seconds"],
        "peak_rss_mb": peak_mb,
        "queries": searched["queries"],
        "latency_ms": percentiles(MixRun(uncached["latencies"]).every()),
        "by_kind": {label: percentiles(ms) for label, ms in sorted(uncached["latencies"].items())},
        "median_total": statistics.median(uncached["totals"]) if uncached["totals"] else 0,
        "query_encoding_ms": percentiles(searched["encoding"]),
        "with_engine_cache": {
            "latency_ms": percentiles(MixRun(cached["latencies"]).every()),
            "hits": searched["hits"],
            "misses": searched["misses"],
            "note": "the same mix again with the default per-process cache of match sets "
            "and orders (CSFINDER_SEARCH_CACHE_MB); latency_ms above is without it",
        },
        "searched_in": "a process of its own that opens the built index, as a portal worker "
        "does (peak_rss_mb.search is that process's)",
    }
    click.echo(json.dumps(output))


def _search_phase(folder: str, mode: str, encoder_name: str, queries: str) -> dict[str, Any]:
    """The query side of the bench, in a process of its own: open the built index (its
    facet bitmaps loaded as the first search of a process does), run the mix without the
    engine cache, then again with it."""
    encoder = _encoder(mode, encoder_name)
    started = time.perf_counter()
    opened = SqliteIndex(Path(folder))
    opened.count()
    load_seconds = time.perf_counter() - started
    opened.close()
    mix = query_mix(int(queries), mode=mode)
    uncached = _run_mix(SqliteIndex(Path(folder), cache_bytes=0, encoder=encoder), mix)
    cached_index = SqliteIndex(Path(folder), encoder=encoder)
    cached = _run_mix(cached_index, mix)
    engine, _ = cached_index.cache_stats()
    return {
        "facet_load_seconds": round(load_seconds, 2),
        "queries": len(mix),
        "uncached": {"latencies": uncached.latencies, "totals": uncached.totals},
        "cached": {"latencies": cached.latencies, "totals": cached.totals},
        "hits": engine.hits,
        "misses": engine.misses,
        "encoding": _encoding_ms(encoder, mix),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return round(high_water_mb(), 1)


def _encoding_ms(encoder: Encoder | None, mix: list[tuple[str, SearchQuery]]) -> list[float]:
    """The time the encoder takes for each query text of the mix (part of each semantic or
    hybrid latency above, without a cache)."""
    if encoder is None:
        return []
    times = []
    for _label, query in mix:
        wanted = positive_text(query.text)
        if wanted:
            started = time.perf_counter()
            encoder.query(wanted)
            times.append((time.perf_counter() - started) * 1000)
    return times


def _encoder(mode: str, name: str) -> Encoder | None:
    """The encoder a semantic or hybrid run needs (None for lexical)."""
    if mode == "lexical":
        return None
    encoder = load_encoder(name, 1)
    if encoder is None:
        raise click.ClickException(encoder_notice(name) or f"no encoder {name}")
    return encoder


@dataclass
class MixRun:
    """Latencies (ms) by kind of query, and each query's total."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    totals: list[int] = field(default_factory=list)

    def every(self) -> list[float]:
        """All latencies."""
        return [ms for values in self.latencies.values() for ms in values]


def _run_mix(index: Any, mix: list[tuple[str, SearchQuery]]) -> MixRun:
    """Run the query mix once, timing each search; the index is closed afterwards."""
    run = MixRun()
    for label, query in mix:
        started = time.perf_counter()
        result = index.search(query)
        run.latencies.setdefault(label, []).append((time.perf_counter() - started) * 1000)
        run.totals.append(result.total)
    index.close()
    return run


def percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max of latencies in milliseconds, rounded to 0.01."""
    ordered = sorted(values)
    if not ordered:
        return {}

    def at(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": round(ordered[-1], 2)}


@dataclass(frozen=True)
class MixEntry:
    """One query of the mix as the search page or API would receive it."""

    label: str
    text: str
    filters: tuple[tuple[str, str], ...]
    sort: str | None

    def query(self, page: int = 1, mode: str = "lexical") -> SearchQuery:
        """The query the entry asks for."""
        return build_query(self.text, self.filters, sort=self.sort, page=page, mode=mode)


def query_mix(count: int, seed: int = 11, mode: str = "lexical") -> list[tuple[str, SearchQuery]]:
    """A fixed mix of labelled queries drawn from the corpus' own word frequencies."""
    return [(entry.label, entry.query(mode=mode)) for entry in mix_entries(count, seed)]


def mix_entries(count: int, seed: int = 11) -> list[MixEntry]:
    """The entries of :func:`query_mix`: text, filters and sort of each labelled query."""
    rng = random.Random(seed)
    common, rare, phrases = _terms()
    filters: list[tuple[tuple[str, str], ...]] = [
        (),
        (("country", rng.choice(COUNTRIES[:8])),),
        (("kind", "dataset"), ("license", rng.choice(LICENCES[:3]))),
        (("country", "DE"), ("country", "FR"), ("has_pid", "true"), ("year_from", "2010")),
    ]
    mix: list[MixEntry] = []
    for number in range(count):
        shape = number % 8
        if shape in (0, 1):
            label, text = "common", rng.choice(common)
        elif shape == 2:
            label, text = "rare", rng.choice(rare)
        elif shape == 3:
            label, text = "phrase", f'"{rng.choice(phrases)}"'
        elif shape == 4:
            label, text = "two-words", f"{rng.choice(common)} {rng.choice(rare)}"
        elif shape == 5:
            label, text = (
                "prefix-or-not",
                f"{rng.choice(common)[:4]}* OR {rng.choice(rare)} -{rng.choice(common)}",
            )
        elif shape == 6:
            label, text = "browse", ""
        else:
            label, text = "common-by-date", rng.choice(common)
        chosen = rng.choice(filters)
        sort = "newest" if label == "common-by-date" else None
        mix.append(MixEntry(f"{label}/{len(chosen)}f", text, chosen, sort))
    return mix


def _terms() -> tuple[list[str], list[str], list[str]]:
    _titles, sentences = corpus_texts()
    counts: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    for sentence in sentences:
        words = re.findall(r"[^\W\d_]{3,}", sentence.lower())
        counts.update(set(words))
        bigrams.update(
            f"{a} {b}"
            for a, b in itertools.pairwise(words)
            if a not in STOPWORDS and b not in STOPWORDS
        )
    ranked = [w for w in _by_count(counts) if w not in STOPWORDS]
    common = ranked[:40]
    rare = ranked[len(ranked) // 2 : len(ranked) // 2 + 200] or common
    phrases = _by_count(bigrams)[:60] or common
    return common, rare, phrases


def _by_count(counts: Counter[str]) -> list[str]:
    """Most frequent first, ties alphabetical: the same mix whatever the hash seed."""
    return [key for key, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


STORE_BATCH = 5_000


def synthetic_home(count: int, home: Path) -> int:
    """Fill a data folder as harvests and ``csfinder reindex`` would: ``count`` synthetic
    records stored as normalised rows, then indexed from the store. Returns the records
    indexed."""
    home.mkdir(parents=True, exist_ok=True)
    store = Store(default_database_url(home))
    try:
        by_source: dict[str, list[NormalisedRow]] = {}
        for number, record in enumerate(synthetic_records(count)):
            document = json.dumps(record, ensure_ascii=False)
            source = record["provenance"]["source_id"]
            rows = by_source.setdefault(source, [])
            rows.append(
                NormalisedRow(
                    source_id=source,
                    source_identifier=f"oai:synthetic:{number}",
                    id=record["id"],
                    kind=record["kind"],
                    document=document,
                    content_hash=hashlib.sha256(document.encode("utf-8")).hexdigest(),
                    score=record["quality"]["score"],
                )
            )
            if len(rows) >= STORE_BATCH:
                store.write_normalised(by_source.pop(source))
        for rows in by_source.values():
            store.write_normalised(rows)
        index = SqliteIndex(home / "index")
        indexed = reindex(store, index)
        index.close()
    finally:
        store.close()
    return indexed
