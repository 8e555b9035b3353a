"""``csfinder check``: can this deployment run? The database reachable and at this
csfinder's schema revision, the search index reachable with its template, the rate-limit
store reachable. Each check gives one line; any problem makes the command exit 1."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from limits.errors import ConfigurationError
from limits.storage import storage_from_string

from harvester.core.errors import CsfinderError
from harvester.core.settings import ENV_RATELIMIT_STORAGE, Settings
from harvester.index.base import SearchIndex
from harvester.index.service import open_index
from harvester.store.engine import make_engine, safe_url
from harvester.store.versions import head_revision, read_state


@dataclass(frozen=True)
class Check:
    """One part of the deployment, and what was found."""

    part: str
    ok: bool
    detail: str

    def line(self) -> str:
        """``ok      database: ...`` or ``PROBLEM database: ...``."""
        return f"{'ok     ' if self.ok else 'PROBLEM'} {self.part}: {self.detail}"


def check_all(settings: Settings) -> list[Check]:
    """Every check, in order: database, index, rate limits."""
    return [check_database(settings), check_index(settings), check_rate_limits(settings)]


def check_database(settings: Settings) -> Check:
    """Reachable, and at the head revision (an empty database is fine: it is created at
    head on first use)."""
    where = safe_url(settings.database_url)
    head = head_revision()
    try:
        engine = make_engine(settings.database_url)
        path = engine.url.database if engine.dialect.name == "sqlite" else None
        if path and path != ":memory:" and not Path(path).exists():
            engine.dispose()
            return Check(
                "database", True, f"{where}: not made yet (at revision {head}, on first use)"
            )
        try:
            state = read_state(engine)
        finally:
            engine.dispose()
    except CsfinderError as exc:
        return Check("database", False, f"{where}: {exc}")
    problem = state.problem(head)
    if problem is not None:
        return Check("database", False, f"{where}: {problem}")
    if state.empty:
        return Check("database", True, f"{where}: empty, created at revision {head} on first use")
    return Check("database", True, f"{where}: at revision {head}")


def check_index(settings: Settings) -> Check:
    """Reachable; on Elasticsearch, its template is this csfinder's and its alias exists."""
    try:
        index = open_index(settings)
    except CsfinderError as exc:
        return Check("index", False, str(exc))
    try:
        template_problem = getattr(index, "template_problem", None)  # Elasticsearch's
        if template_problem is not None:
            where = f"Elasticsearch at {settings.index.es_url}, alias '{settings.index.es_index}'"
            if not index.ping():
                return Check("index", False, f"{where}: does not answer")
            problem = template_problem()
            if problem is not None:
                return Check("index", False, f"{where}: {problem}")
            return Check("index", True, f"{where}: {index.count():,} documents{_meaning(index)}")
        format_problem = getattr(index, "format_problem", None)  # the embedded index's
        problem = format_problem() if format_problem is not None else None
        if problem is not None:
            return Check("index", False, f"embedded: {problem}")
        return Check("index", True, f"embedded, {index.count():,} documents{_meaning(index)}")
    except CsfinderError as exc:
        return Check("index", False, str(exc))
    finally:
        index.close()


def _meaning(index: SearchIndex) -> str:
    """Whether searches match by meaning too, as a tail of the index's line."""
    if index.semantic_ready():
        return "; search by meaning ready"
    if getattr(index, "encoder", None) is None:
        return "; search by words only (no encoder)"
    return "; search by words only until vectors are computed (`csfinder embed`)"


def check_rate_limits(settings: Settings) -> Check:
    """The rate-limit storage answers (``memory://`` always does, per process)."""
    uri = settings.portal.ratelimit_storage
    shown = safe_storage(uri)
    try:
        storage = storage_from_string(uri)
        answers = storage.check()
    except (ConfigurationError, ValueError) as exc:
        return Check("rate limits", False, f"{ENV_RATELIMIT_STORAGE}={shown}: {exc}")
    if not answers:
        return Check("rate limits", False, f"{shown} does not answer")
    if uri.startswith("memory://"):
        return Check("rate limits", True, "memory:// (counted per portal process)")
    return Check("rate limits", True, f"{shown} (shared by every portal process)")


def safe_storage(uri: str) -> str:
    """The storage URI with any password hidden."""
    scheme, separator, rest = uri.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not separator or not at or ":" not in credentials:
        return uri
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
