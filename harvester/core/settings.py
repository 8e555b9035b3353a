"""Settings: ``config/settings.toml`` overridden by ``CSFINDER_*`` environment variables."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from limits import parse_many

from harvester.core.cron import cron_trigger
from harvester.core.errors import ConfigError

ENV_HOME = "CSFINDER_HOME"
ENV_DATABASE_URL = "CSFINDER_DATABASE_URL"
ENV_CONFIG = "CSFINDER_CONFIG"
ENV_INDEX = "CSFINDER_INDEX"
ENV_ES_URL = "CSFINDER_ES_URL"
ENV_SEARCH_CACHE_MB = "CSFINDER_SEARCH_CACHE_MB"
ENV_ES_INDEX = "CSFINDER_ES_INDEX"
ENV_ES_TEMPLATE = "CSFINDER_ES_TEMPLATE"
ENV_ENCODER = "CSFINDER_ENCODER"
ENV_EMBED_WORKER = "CSFINDER_EMBED_WORKER"
ENCODERS = ("use", "e5", "none")  # kept equal to harvester.enrich.encoders.ENCODER_NAMES
INDEX_BACKENDS = ("sqlite", "elasticsearch")
ENV_ADMIN_USER = "CSFINDER_ADMIN_USER"
ENV_ADMIN_PASSWORD_HASH = "CSFINDER_ADMIN_PASSWORD_HASH"  # noqa: S105 (a variable's name)
ENV_ALLOW_PRIVATE_URLS = "CSFINDER_ALLOW_PRIVATE_URLS"
ENV_SECURE_COOKIES = "CSFINDER_SECURE_COOKIES"
ENV_SECRET_KEY = "CSFINDER_SECRET_KEY"  # noqa: S105 (a variable's name)
ENV_PRIVATE_URL_ALLOWLIST = "CSFINDER_PRIVATE_URL_ALLOWLIST"
ENV_RATELIMIT_STORAGE = "CSFINDER_RATELIMIT_STORAGE"
ENV_API_LIMIT = "CSFINDER_API_LIMIT"
ENV_TRUSTED_PROXIES = "CSFINDER_TRUSTED_PROXIES"
ENV_PUBLIC_URL = "CSFINDER_PUBLIC_URL"
ENV_TRUSTED_HOSTS = "CSFINDER_TRUSTED_HOSTS"
RATELIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+unix", "redis+sentinel", "redis+cluster")
TRUE_WORDS = ("1", "true", "yes", "on")
_T = TypeVar("_T", bound=Any)


@dataclass(frozen=True)
class UrlPolicy:
    """Which addresses a guarded fetch may reach beyond the globally routable ones: read
    from the ``[portal]`` settings ``allow_private_urls`` and ``private_url_allowlist``,
    and applied alike to the registration's live check and to the harvests of registered
    sources."""

    allow_private: bool = False
    """Everything allowed (local testing only)."""
    allowlist: tuple[str, ...] = ()
    """Hosts, or ``host:port``, allowed although not globally routable."""


@dataclass(frozen=True)
class HarvestSettings:
    """Defaults for every harvest; a source file may override timeout and retries."""

    timeout: float = 60.0
    max_retries: int = 5
    backoff_base: float = 2.0
    backoff_max: float = 300.0
    max_response_bytes: int = 100 * 1024 * 1024
    stall_after: float = 600.0
    error_samples: int = 50
    user_agent: str = "csfinder/0.1"
    contact_url: str = "https://github.com/csfinder"
    normalise_workers: int = 1
    """Worker processes that normalise the pages of a large harvest (0: none, all in the
    harvesting process)."""
    parallel_after: int = 2000
    """Records a harvest lists, or its provider announces, before it starts its
    normalising workers (small harvests do not pay for starting them)."""
    url_policy: UrlPolicy = field(default_factory=UrlPolicy)
    """What registered sources may reach (set from the ``[portal]`` settings, not here)."""

    @property
    def agent(self) -> str:
        """The User-Agent sent to providers: the portal's name and its contact page."""
        if not self.contact_url or self.contact_url in self.user_agent:
            return self.user_agent
        return f"{self.user_agent} (+{self.contact_url})"


@dataclass(frozen=True)
class SchedulerSettings:
    """How ``csfinder scheduler`` runs harvests (section ``[scheduler]``)."""

    default_schedule: str = "0 3 * * *"
    """Cron schedule (UTC) of sources that set none."""
    time_limit: float = 6 * 3600.0
    """Seconds a harvest child may run before it is killed and its run recorded as failed."""
    kill_grace: float = 10.0
    """Seconds between asking a child to stop (SIGTERM) and killing it (SIGKILL)."""
    misfire_grace_time: float = 3600.0
    """Seconds late a harvest may still start (after downtime); later ones are skipped."""
    reload_interval: float = 60.0
    """Seconds between re-reading the sources folder (SIGHUP re-reads at once)."""
    max_workers: int = 4
    """Harvests running at the same time."""
    run_new_sources: bool = True
    """Harvest a source that was never harvested at once, not at its first scheduled time."""


@dataclass(frozen=True)
class IndexSettings:
    """Which search backend to use: the embedded SQLite one, or an Elasticsearch cluster."""

    backend: str = "sqlite"
    es_url: str | None = None
    es_index: str = "csfinder"
    """The alias searched and written; its indexes are ``<es_index>-<timestamp>``."""
    es_template: Path | None = None
    """An index template file to install instead of ``mappings/elasticsearch/``'s."""
    cache_mb: int = 64
    """Per-process memory for the embedded index's caches of match sets and orders (0: none)."""
    encoder: str = "use"
    """The multilingual sentence encoder (``use``, ``e5``; ``none``: search by words only)."""
    embed_worker: bool = True
    """Whether a harvest computes vectors of the records it changed while it runs (in a
    worker process of its own), rather than leaving them all to ``csfinder embed``."""


@dataclass(frozen=True)
class PortalSettings:
    """The portal's administration and registration settings (secrets come from the
    environment: ``CSFINDER_SECRET_KEY``, ``CSFINDER_ADMIN_PASSWORD_HASH``)."""

    admin_user: str = "admin"
    admin_password_hash: str = ""
    secure_cookies: bool = True
    allow_private_urls: bool = False
    private_url_allowlist: tuple[str, ...] = ()
    login_limit: str = "5 per minute"
    registration_limit: str = "20 per hour"
    check_timeout: float = 20.0
    check_max_bytes: int = 20 * 1024 * 1024
    ratelimit_storage: str = "memory://"
    """Where rate-limit counters live (Flask-Limiter storage URI): ``memory://`` counts per
    portal process; ``redis://host:6379/0`` shares them between every process and machine."""
    api_limit: str = "1000 per minute"
    """Limits of the JSON API and the exports, per client address (Flask-Limiter syntax)."""
    trusted_proxies: int = 0
    """Proxies (load balancers) in front of the portal whose ``X-Forwarded-For`` is believed:
    the client address that limits count is the one the outermost of them saw."""
    session_idle: float = 1800.0
    """Seconds an administrator's session may go unused before it ends."""
    session_max_age: float = 8 * 3600.0
    """Seconds after login an administrator's session ends, however much it is used."""
    public_url: str = ""
    """Where readers reach the portal (``https://host[/path]``): every absolute URL the
    portal writes (OAI-PMH baseURL and identifiers, JSON-LD ids, exports' record pages)
    starts with it. Unset, they follow the request's Host header (development only)."""
    trusted_hosts: tuple[str, ...] = ()
    """Host names the portal answers for (a leading dot: any subdomain); other Host headers
    are refused with 400. Defaults to the public URL's host when that is set."""

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        """The hosts requests may name: the trusted hosts, or the public URL's host."""
        if self.trusted_hosts:
            return self.trusted_hosts
        host = urlsplit(self.public_url).hostname if self.public_url else None
        return (host,) if host else ()


@dataclass(frozen=True)
class Settings:
    """Where csfinder keeps its data and configuration, and how it harvests."""

    home: Path
    config_dir: Path
    database_url: str
    harvest: HarvestSettings = field(default_factory=HarvestSettings)
    scheduler: SchedulerSettings = field(default_factory=SchedulerSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    portal: PortalSettings = field(default_factory=PortalSettings)

    @property
    def index_dir(self) -> Path:
        """Folder of the embedded search index."""
        return self.home / "index"

    @property
    def sources_dir(self) -> Path:
        """Folder of the per-source YAML files."""
        return self.config_dir / "sources"

    def with_home(self, home: Path) -> Settings:
        """Return a copy using another data folder (and its default database)."""
        return replace(self, home=home, database_url=default_database_url(home))


def default_database_url(home: Path) -> str:
    """The SQLite store inside the data folder."""
    return f"sqlite:///{(home / 'csfinder.sqlite3').resolve()}"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from the config folder's ``settings.toml`` and the environment.

    Args:
        environ: environment to read (defaults to ``os.environ``).

    Raises:
        ConfigError: ``settings.toml`` is not valid TOML or has a value of the wrong type.
    """
    env = os.environ if environ is None else environ
    config_dir = Path(env.get(ENV_CONFIG, "config"))
    home = Path(env.get(ENV_HOME, "var"))
    file_values = _read_toml(config_dir / "settings.toml")
    path = config_dir / "settings.toml"
    harvest = _section(HarvestSettings(), file_values.get("harvest", {}), "harvest", path)
    scheduler = _section(SchedulerSettings(), file_values.get("scheduler", {}), "scheduler", path)
    _check_cron(scheduler.default_schedule, path)
    database_url = env.get(ENV_DATABASE_URL) or default_database_url(home)
    index = _index_settings(env)
    portal = _portal_settings(file_values.get("portal", {}), path, env)
    policy = UrlPolicy(portal.allow_private_urls, portal.private_url_allowlist)
    harvest = replace(harvest, url_policy=policy)
    return Settings(
        home=home,
        config_dir=config_dir,
        database_url=database_url,
        harvest=harvest,
        scheduler=scheduler,
        index=index,
        portal=portal,
    )


def _portal_settings(
    values: Mapping[str, Any], path: Path, env: Mapping[str, str]
) -> PortalSettings:
    portal = _section(PortalSettings(), values, "portal", path)
    if env.get(ENV_ADMIN_USER):
        portal = replace(portal, admin_user=env[ENV_ADMIN_USER])
    if env.get(ENV_ADMIN_PASSWORD_HASH):
        portal = replace(portal, admin_password_hash=env[ENV_ADMIN_PASSWORD_HASH])
    if env.get(ENV_ALLOW_PRIVATE_URLS):
        portal = replace(portal, allow_private_urls=env[ENV_ALLOW_PRIVATE_URLS] in TRUE_WORDS)
    if env.get(ENV_PRIVATE_URL_ALLOWLIST):
        entries = tuple(e.strip() for e in env[ENV_PRIVATE_URL_ALLOWLIST].split(",") if e.strip())
        portal = replace(portal, private_url_allowlist=entries)
    if env.get(ENV_SECURE_COOKIES):
        portal = replace(portal, secure_cookies=env[ENV_SECURE_COOKIES] in TRUE_WORDS)
    if env.get(ENV_RATELIMIT_STORAGE):
        portal = replace(portal, ratelimit_storage=env[ENV_RATELIMIT_STORAGE].strip())
    if env.get(ENV_API_LIMIT):
        portal = replace(portal, api_limit=env[ENV_API_LIMIT].strip())
    if env.get(ENV_TRUSTED_PROXIES):
        hops = env[ENV_TRUSTED_PROXIES].strip()
        if not (hops.isascii() and hops.isdigit()):
            raise ConfigError(f"{ENV_TRUSTED_PROXIES} must be a whole number, not {hops!r}")
        portal = replace(portal, trusted_proxies=int(hops))
    if env.get(ENV_PUBLIC_URL):
        portal = replace(portal, public_url=env[ENV_PUBLIC_URL].strip())
    if env.get(ENV_TRUSTED_HOSTS):
        hosts = tuple(h.strip() for h in env[ENV_TRUSTED_HOSTS].split(",") if h.strip())
        portal = replace(portal, trusted_hosts=hosts)
    _check_limits(portal, path)
    return replace(portal, public_url=_public_url(portal.public_url, path))


def _public_url(value: str, path: Path) -> str:
    """The public URL without a trailing slash; it must be an http(s) origin, with a path
    at most."""
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            f"{ENV_PUBLIC_URL} (or [portal] public_url in {path}) must be where readers reach "
            f"the portal, such as https://csfinder.example.eu, not {value!r}"
        )
    return value.rstrip("/")


def _check_limits(portal: PortalSettings, path: Path) -> None:
    """Rate-limit storage and limits must parse, or the portal would fail at its first
    request."""
    scheme = (
        portal.ratelimit_storage.split("://", 1)[0] if "://" in portal.ratelimit_storage else ""
    )
    if scheme not in RATELIMIT_SCHEMES:
        raise ConfigError(
            f"{ENV_RATELIMIT_STORAGE} (or [portal] ratelimit_storage in {path}) must be "
            f"memory:// or redis://HOST:PORT/DB, not {portal.ratelimit_storage!r}"
        )
    for name in ("api_limit", "login_limit", "registration_limit"):
        try:
            parse_many(getattr(portal, name))
        except ValueError as exc:
            via = f"{ENV_API_LIMIT} or " if name == "api_limit" else ""
            raise ConfigError(f"{via}[portal] {name} in {path}: {exc}") from None


def _check_cron(value: str, path: Path) -> None:
    try:
        cron_trigger(value)
    except ValueError as exc:
        raise ConfigError(
            f"{path}: [scheduler] default_schedule is not a valid cron expression ({exc})"
        ) from exc


def _index_settings(env: Mapping[str, str]) -> IndexSettings:
    backend = env.get(ENV_INDEX, "sqlite").strip().lower() or "sqlite"
    if backend not in INDEX_BACKENDS:
        raise ConfigError(
            f"{ENV_INDEX} must be one of {', '.join(INDEX_BACKENDS)}, not {backend!r}"
        )
    es_url = env.get(ENV_ES_URL) or None
    if backend == "elasticsearch" and not es_url:
        raise ConfigError(
            f"{ENV_INDEX}=elasticsearch needs {ENV_ES_URL} (e.g. http://localhost:9200)"
        )
    cache = env.get(ENV_SEARCH_CACHE_MB, "64").strip()
    if not (cache.isascii() and cache.isdigit()):
        raise ConfigError(f"{ENV_SEARCH_CACHE_MB} must be a whole number of MB, not {cache!r}")
    template = env.get(ENV_ES_TEMPLATE) or None
    if template is not None and not Path(template).is_file():
        raise ConfigError(f"{ENV_ES_TEMPLATE}={template}: no such file")
    encoder = env.get(ENV_ENCODER, "").strip().lower() or "use"
    if encoder not in ENCODERS:
        raise ConfigError(f"{ENV_ENCODER} must be one of {', '.join(ENCODERS)}, not {encoder!r}")
    return IndexSettings(
        backend=backend,
        es_url=es_url,
        es_index=env.get(ENV_ES_INDEX, "").strip() or "csfinder",
        es_template=Path(template) if template else None,
        cache_mb=int(cache),
        encoder=encoder,
        embed_worker=env.get(ENV_EMBED_WORKER, "1").strip().lower() in (*TRUE_WORDS, ""),
    )


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc


def _section(defaults: _T, values: Mapping[str, Any], name: str, path: Path) -> _T:
    """``defaults`` (a dataclass) with the section's values, each checked for its type."""
    known = {
        f.name: type(getattr(defaults, f.name))
        for f in fields(defaults)
        if isinstance(getattr(defaults, f.name), str | int | float | tuple)  # not set here
    }
    chosen: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{path}: [{name}] has unknown setting '{key}'")
        wanted = known[key]
        if wanted is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if wanted is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = tuple(value)
        if not isinstance(value, wanted) or (isinstance(value, bool) and wanted is not bool):
            raise ConfigError(f"{path}: [{name}] {key} must be {wanted.__name__}, not {value!r}")
        chosen[key] = value
    return replace(defaults, **chosen)
