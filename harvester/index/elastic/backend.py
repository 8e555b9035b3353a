"""The Elasticsearch search backend: same query semantics as the embedded one, on a cluster.

Layout: an index template (``mappings/elasticsearch/csfinder.index-template.json``)
installed for ``<name>-*``; versioned indexes ``<name>-<timestamp>`` built from it; the
alias ``<name>`` pointing at the live one. Writes and searches go through the alias;
``rebuild`` loads a new versioned index, swaps the alias in one ``update_aliases`` call and
only then deletes the old index, so searching never stops. Writes use the client's
``streaming_bulk`` helper, which retries rejected (429) documents with a growing backoff.
Request bodies are built by the pure functions of :mod:`harvester.index.elastic.query`.
Whatever the cluster refuses, or a cluster that does not answer, raises
:class:`ElasticError` saying what was asked and the cluster's reason.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import ApiError, Elasticsearch, NotFoundError, TransportError
from elasticsearch.helpers import streaming_bulk

from harvester.core import paths
from harvester.core.errors import CsfinderError
from harvester.enrich.encoders import Encoder
from harvester.index.base import IndexStats, Insights, Progress, SearchResult, Suggestion
from harvester.index.documents import IndexDocument
from harvester.index.elastic import semantic
from harvester.index.elastic.insights import insights_body, insights_from_response
from harvester.index.elastic.query import document_body, search_body, suggest_body
from harvester.index.elastic.responses import (
    hit_from_response,
    result_from_response,
    suggestions_from_response,
)
from harvester.index.query import SearchQuery
from harvester.index.text import positive_text

TEMPLATE_FILE = paths.ELASTICSEARCH_DIR / "csfinder.index-template.json"
INDEX_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,200}$")
BULK_CHUNK = 500
BULK_RETRIES = 5
BULK_BACKOFF = 1.0
BULK_MAX_BACKOFF = 60.0
INITIAL_SUFFIX = "initial"


class ElasticError(CsfinderError):
    """The cluster refused or could not answer; the message says what was asked."""


@cache
def load_template() -> dict[str, Any]:
    """The index template as stored in ``mappings/elasticsearch``."""
    loaded: dict[str, Any] = json.loads(TEMPLATE_FILE.read_text(encoding="utf-8"))
    return loaded


def template_for(name: str, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The template installed for alias ``name`` (from ``base``, by default the stored
    one): matches ``<name>-*`` only.

    Priority grows with the name's length, so a longer, more specific name (``csfinder-test``)
    never ties with a shorter one whose pattern also covers it (``csfinder-*``).
    """
    template = json.loads(json.dumps(base if base is not None else load_template()))
    template["index_patterns"] = [f"{name}-*"]
    template["priority"] = 100 + len(name)
    return dict(template)


def version_name(name: str, now: datetime | None = None) -> str:
    """A new versioned index name, ``<name>-<UTC timestamp to microseconds>``."""
    moment = now or datetime.now(UTC)
    return f"{name}-{moment.strftime('%Y%m%d%H%M%S%f')}"


def cluster_url(url: str) -> str:
    """``url`` with a port: the client needs one; ``http://host`` means port 9200."""
    parts = urlsplit(url.strip())
    if parts.scheme == "http" and parts.hostname and parts.port is None:
        return urlunsplit(parts._replace(netloc=f"{parts.netloc}:9200"))
    return url.strip()


class ElasticIndex:
    """Search through an alias on an Elasticsearch cluster (8.x or 9.x)."""

    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        index_name: str = "csfinder",
        *,
        client: Elasticsearch | None = None,
        refresh: bool = True,
        stemming: bool = True,
        bulk_retries: int = BULK_RETRIES,
        bulk_backoff: float = BULK_BACKOFF,
        request_timeout: float = 30.0,
        template: Mapping[str, Any] | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        """Open (lazily) the alias ``index_name`` on the cluster at ``url``.

        ``refresh``: make writes searchable when ``upsert``/``delete`` return (one refresh
        per call). ``stemming``: words also match their stems in the query's languages.
        ``template``: the index template to install instead of the stored one.
        ``encoder``: encodes queries to match records by meaning (kNN on ``vector``).
        """
        if not INDEX_NAME.match(index_name):
            raise ElasticError(f"index name {index_name!r}: use lowercase letters, digits, - _ .")
        self.alias = index_name
        self.refresh = refresh
        self.stemming = stemming
        self.bulk_retries = bulk_retries
        self.bulk_backoff = bulk_backoff
        self.template = template
        self.encoder = encoder
        self._vectors_seen = False
        self.client = client or Elasticsearch(
            cluster_url(url),
            request_timeout=request_timeout,
            retry_on_timeout=True,
            retry_on_status=(502, 503, 504),  # 429 is left to the bulk helper's backoff
        )
        self._ready = False
        self._lock = threading.Lock()
        self.rebuild_errors: list[str] = []  # documents the last rebuild could not index

    # -- the alias and its indexes -------------------------------------------------------

    def _ensure(self) -> None:
        """Install the template and create a first index behind the alias, once."""
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            self.put_template()
            with asking(f"creating the first index behind the alias '{self.alias}'"):
                if not self.client.indices.exists_alias(name=self.alias):
                    self._create_first()
            self._ready = True

    def _create_first(self) -> None:
        first = f"{self.alias}-{INITIAL_SUFFIX}"
        try:
            self.client.indices.create(index=first, aliases={self.alias: {}})
        except ApiError as exc:
            if _error_type(exc) != "resource_already_exists_exception":
                raise
            self.client.indices.put_alias(index=first, name=self.alias)

    def put_template(self) -> None:
        """Install (or update) the index template for ``<alias>-*``."""
        body = template_for(self.alias, self.template)
        vector = body["template"]["mappings"]["properties"].get(semantic.VECTOR_FIELD)
        if vector is not None and self.encoder is not None:
            vector["dims"] = self.encoder.dims  # the template's width is the default encoder's
        with asking(f"installing the index template '{self.alias}'"):
            self.client.indices.put_index_template(
                name=self.alias,
                index_patterns=body["index_patterns"],
                priority=body["priority"],
                template=body["template"],
                meta=body.get("_meta"),
            )

    def live_indexes(self) -> list[str]:
        """The concrete indexes behind the alias (one, except mid-failure)."""
        try:
            found = self.client.indices.get_alias(name=self.alias)
        except NotFoundError:
            return []
        return sorted(found.body)

    def drop(self) -> None:
        """Delete the alias's indexes and the template (tests and decommissioning)."""
        for index in self.live_indexes():
            self.client.indices.delete(index=index, ignore_unavailable=True)
        with contextlib.suppress(NotFoundError):
            self.client.indices.delete_index_template(name=self.alias)
        self._ready = False

    # -- writing -------------------------------------------------------------------------

    def _bulk(self, actions: Iterable[dict[str, Any]]) -> Iterator[tuple[bool, dict[str, Any]]]:
        """Send actions in chunks; rejected ones (429) come back after a growing pause."""
        yield from streaming_bulk(
            self.client,
            actions,
            chunk_size=BULK_CHUNK,
            max_retries=self.bulk_retries,
            initial_backoff=self.bulk_backoff,
            max_backoff=BULK_MAX_BACKOFF,
            raise_on_error=False,
            raise_on_exception=True,
        )

    def _write(self, actions: Iterable[dict[str, Any]], index: str) -> IndexStats:
        with asking(f"writing to the index '{index}'"):
            return self._write_all(actions, index)

    def _write_all(self, actions: Iterable[dict[str, Any]], index: str) -> IndexStats:
        stats = IndexStats()
        for ok, item in self._bulk(actions):
            op, info = next(iter(item.items()))
            if ok and op == "delete":
                stats.deleted += 1
            elif ok:
                stats.indexed += 1
            elif op == "delete" and info.get("result") == "not_found":
                continue  # deleting an unknown id is no error
            else:
                stats.failed += 1
                stats.errors.append(f"{info.get('_id')}: {_item_error(info)}")
        if self.refresh:
            self.client.indices.refresh(index=index)
        return stats

    def upsert(self, documents: Iterable[IndexDocument]) -> IndexStats:
        """Add or replace documents by id."""
        self._ensure()
        return self._write(_index_actions(documents, self.alias), self.alias)

    def delete(self, ids: Iterable[str]) -> IndexStats:
        """Remove documents by id; unknown ids are ignored."""
        self._ensure()
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in ids)
        return self._write(actions, self.alias)

    def set_vectors(self, items: Sequence[semantic.VectorItem]) -> int:
        """Give documents their vectors (the mean of their versions'); unknown ids skipped."""
        self._ensure()
        updates = (semantic.vector_update(self.alias, item) for item in items)
        stats = self._write(updates, self.alias)
        self._vectors_seen = self._vectors_seen or stats.indexed > 0
        return stats.indexed

    def semantic_ready(self) -> bool:
        """True with an encoder and a document with a vector (asked until one is seen)."""
        if self.encoder is None:
            return False
        if not self._vectors_seen:
            self._ensure()
            with asking(f"counting the vectors of the index '{self.alias}'"):
                found = self.client.count(index=self.alias, query={"exists": {"field": "vector"}})
            self._vectors_seen = int(found.body["count"]) > 0
        return self._vectors_seen

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        progress: Progress | None = None,
        vectors: Iterable[semantic.VectorItem] = (),
    ) -> int:
        """Load a new versioned index (documents, then their vectors), swap the alias to it
        at once, drop the old one.

        Returns how many documents were indexed; any refused are in ``rebuild_errors``.
        """
        self.put_template()
        self.rebuild_errors = []
        new = version_name(self.alias)
        with asking(f"rebuilding the index behind the alias '{self.alias}' as '{new}'"):
            return self._rebuild(new, documents, progress, vectors)

    def _rebuild(
        self,
        new: str,
        documents: Iterable[IndexDocument],
        progress: Progress | None,
        vectors: Iterable[semantic.VectorItem],
    ) -> int:
        self.client.indices.create(index=new, settings={"index": {"refresh_interval": "-1"}})
        count = 0
        try:
            for ok, item in self._bulk(_index_actions(documents, new)):
                if not ok:  # counted by the caller from the difference, as the embedded index
                    info = next(iter(item.values()))
                    self.rebuild_errors.append(f"{info.get('_id')}: {_item_error(info)}")
                    continue
                count += 1
                if progress is not None and count % BULK_CHUNK == 0:
                    progress(count)
            for ok, item in self._bulk(semantic.vector_update(new, v) for v in vectors):
                if not ok and next(iter(item.values())).get("status") != 404:
                    self.rebuild_errors.append(f"vector: {_item_error(next(iter(item.values())))}")
            self.client.indices.put_settings(
                index=new, settings={"index": {"refresh_interval": None}}
            )
            self.client.indices.refresh(index=new)
        except BaseException:
            self.client.indices.delete(index=new, ignore_unavailable=True)
            raise
        if progress is not None:
            progress(count)
        self._swap(new)
        self._ready = True
        self._vectors_seen = False
        return count

    def _swap(self, new: str) -> None:
        """Point the alias at ``new`` in one atomic call, then delete the indexes it left."""
        old = [index for index in self.live_indexes() if index != new]
        actions: list[Mapping[str, Any]] = [
            {"remove": {"index": index, "alias": self.alias}} for index in old
        ]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            self.client.indices.delete(index=index, ignore_unavailable=True)

    # -- reading -------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """One page of hits, the total and every facet's counts: one request by words, or
        one ``_msearch`` by meaning too (hybrid by default where vectors exist)."""
        self._ensure()
        wanted = positive_text(query.text)
        if query.mode != "lexical" and wanted and self.semantic_ready():
            return self._hybrid(query, wanted)
        body = search_body(query, stemming=self.stemming)
        with asking(f"searching the index '{self.alias}'"):
            response = self.client.search(index=self.alias, **body)
        return result_from_response(response.body, query)

    def _hybrid(self, query: SearchQuery, wanted: str) -> SearchResult:
        assert self.encoder is not None  # semantic_ready says so
        mode = query.mode or "hybrid"
        vector = [float(x) for x in self.encoder.query(wanted)]
        searches: list[Mapping[str, Any]] = []
        for body in semantic.hybrid_bodies(query, vector, self.encoder.floor, mode):
            searches += [{"index": self.alias}, body]
        with asking(f"searching the index '{self.alias}' by words and meaning"):
            responses = self.client.msearch(searches=searches).body["responses"]
        if errors := [r["error"] for r in responses if "error" in r]:
            raise ElasticError(f"searching by meaning: {errors[0]}")
        union, words, nearest = responses
        result = result_from_response(union, query)
        if result.sort == "relevance":  # otherwise the union's page, in the order asked
            hits = semantic.fused_hits(words, nearest, query, mode, hit_from_response)
            return SearchResult(result.total, hits, result.facets, query, result.sort, mode)
        return SearchResult(result.total, result.hits, result.facets, query, result.sort, mode)

    def insights(self, query: SearchQuery) -> Insights:
        """The query's selection counted by every dimension, by year and FAIR indicator,
        in one aggregation request: the documents its search counts in its total (by words
        and by meaning as the search finds them)."""
        self._ensure()
        near = None
        wanted = positive_text(query.text)
        if query.mode != "lexical" and wanted and self.semantic_ready():
            assert self.encoder is not None  # semantic_ready says so
            vector = [float(x) for x in self.encoder.query(wanted)]
            near = semantic.knn_query(vector, query, self.encoder.floor)
        body = insights_body(query, stemming=self.stemming, near=near)
        with asking(f"counting insights in the index '{self.alias}'"):
            response = self.client.search(index=self.alias, **body)
        return insights_from_response(response.body, query)

    def suggest(self, prefix: str, limit: int = 8) -> list[Suggestion]:
        """Titles with a word starting as typed; titles that start so come first."""
        body = suggest_body(prefix, limit)
        if body is None:
            return []
        self._ensure()
        with asking(f"asking the index '{self.alias}' for suggestions"):
            response = self.client.search(index=self.alias, **body)
        return suggestions_from_response(response.body, limit)

    def count(self) -> int:
        """Searchable documents."""
        self._ensure()
        with asking(f"counting the index '{self.alias}'"):
            return int(self.client.count(index=self.alias).body["count"])

    def template_problem(self) -> str | None:
        """What is wrong with the template and alias on the cluster (``csfinder check``):
        None when the template installed is this csfinder's and the alias exists."""
        wanted = template_for(self.alias, self.template).get("_meta", {}).get("version")
        with asking(f"reading the index template '{self.alias}'"):
            try:
                found = self.client.indices.get_index_template(name=self.alias).body
            except NotFoundError:
                return f"no index template '{self.alias}' yet: run `csfinder reindex`"
            if not self.client.indices.exists_alias(name=self.alias):
                return f"no alias '{self.alias}' yet: run `csfinder reindex`"
        templates = found.get("index_templates") or [{}]
        meta = templates[0].get("index_template", {}).get("_meta") or {}
        if meta.get("version") != wanted:
            return (
                f"the index template '{self.alias}' is version {meta.get('version')}, this "
                f"csfinder's is {wanted}: run `csfinder reindex`"
            )
        return None

    def ping(self) -> bool:
        """True when the cluster answers."""
        try:
            return bool(self.client.ping())
        except (TransportError, ApiError):
            return False

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()


@contextlib.contextmanager
def asking(what: str) -> Iterator[None]:
    """Turn what the cluster refuses, or its silence, into an :class:`ElasticError` that
    says what was asked and why it failed."""
    try:
        yield
    except ApiError as exc:
        reason = _error_reason(exc)
        raise ElasticError(f"{what}: the cluster refused it ({reason})") from exc
    except TransportError as exc:
        raise ElasticError(f"{what}: the cluster does not answer ({exc})") from exc


def _error_reason(exc: ApiError) -> str:
    """``type: reason`` of the cluster's error (its root cause), else the status."""
    body = exc.body if isinstance(exc.body, Mapping) else {}
    error = body.get("error")
    if isinstance(error, Mapping):
        causes = error.get("root_cause")
        cause = causes[0] if isinstance(causes, list) and causes else error
        if isinstance(cause, Mapping):
            return f"{cause.get('type', 'error')}: {cause.get('reason', '')}".strip(": ")
    return f"HTTP {exc.meta.status}"


def _index_actions(documents: Iterable[IndexDocument], index: str) -> Iterator[dict[str, Any]]:
    for doc in documents:
        yield {"_op_type": "index", "_index": index, "_id": doc.id, "_source": document_body(doc)}


def _error_type(exc: ApiError) -> str:
    body = exc.body if isinstance(exc.body, Mapping) else {}
    error = body.get("error")
    return str(error.get("type", "")) if isinstance(error, Mapping) else ""


def _item_error(info: Mapping[str, Any]) -> str:
    error = info.get("error")
    if isinstance(error, Mapping):
        return f"{error.get('type', 'error')}: {error.get('reason', '')}".strip()
    return str(error or f"status {info.get('status')}")
