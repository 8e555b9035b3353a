"""Source configuration: one YAML file per source in ``config/sources/<id>.yaml``.

A file that is wrong yields one :class:`SourceConfigError` naming the file, the field and
the reason; the other sources still load.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from apscheduler.triggers.cron import CronTrigger
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from harvester.errors import SourceConfigError, UnknownSourceError

Protocol = Literal["oai-pmh", "json-api", "sitemap-jsonld"]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]


class SourceConfig(BaseModel):
    """One harvestable source, as written in its YAML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: SourceId
    name: str = Field(min_length=1)
    platform: str = Field(min_length=1)
    protocol: Protocol
    url: str
    metadata_prefix: str | None = None
    sets: tuple[str, ...] = ()
    crosswalk: str = Field(min_length=1)
    schedule: str | None = None
    enabled: bool = True
    timeout: float | None = Field(default=None, gt=0, le=3600)
    max_retries: int | None = Field(default=None, ge=0, le=50)
    rate_limit: float | None = Field(default=None, gt=0, description="requests per second")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host")
        return value

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            CronTrigger.from_crontab(value, timezone="UTC")
        except ValueError as exc:
            raise ValueError(f"not a valid cron expression ({exc})") from exc
        return value

    @field_validator("sets")
    @classmethod
    def _distinct_sets(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not spec.strip() for spec in value):
            raise ValueError("set specs must not be empty")
        if len(set(value)) != len(value):
            raise ValueError("a set is listed twice")
        return value

    @model_validator(mode="after")
    def _protocol_needs(self) -> SourceConfig:
        if self.protocol == "oai-pmh" and not self.metadata_prefix:
            raise ValueError("metadata_prefix: required for protocol oai-pmh")
        return self


@dataclass(frozen=True)
class LoadedSources:
    """The sources that loaded, and one error per file that did not."""

    sources: dict[str, SourceConfig]
    errors: list[SourceConfigError]

    def get(self, source_id: str) -> SourceConfig:
        """Return the source with this id.

        Raises:
            UnknownSourceError: no such source loaded (the message says if its file is broken).
        """
        if source_id in self.sources:
            return self.sources[source_id]
        for error in self.errors:
            if Path(error.path).stem == source_id:
                raise UnknownSourceError(f"source '{source_id}' is not usable: {error}")
        known = ", ".join(sorted(self.sources)) or "none"
        raise UnknownSourceError(f"no source '{source_id}' (configured: {known})")


def load_sources(folder: Path) -> LoadedSources:
    """Load every ``*.yaml`` / ``*.yml`` file in ``folder``; broken files become errors."""
    sources: dict[str, SourceConfig] = {}
    errors: list[SourceConfigError] = []
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    for path in paths:
        try:
            source = load_source_file(path)
        except SourceConfigError as exc:
            errors.append(exc)
            continue
        if source.id in sources:
            errors.append(SourceConfigError(str(path), "id", f"'{source.id}' is used twice"))
            continue
        sources[source.id] = source
    return LoadedSources(sources=sources, errors=errors)


def load_source_file(path: Path) -> SourceConfig:
    """Parse and validate one source file.

    Raises:
        SourceConfigError: the file is unreadable, not YAML, or a field is wrong.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceConfigError(str(path), "-", f"cannot read the file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SourceConfigError(str(path), "-", f"not valid YAML: {_one_line(exc)}") from exc
    if not isinstance(data, dict):
        raise SourceConfigError(str(path), "-", "must be a mapping of field: value")
    data.setdefault("id", path.stem)
    source = parse_source(data, str(path))
    if source.id != path.stem:
        raise SourceConfigError(
            str(path), "id", f"'{source.id}' differs from the file name '{path.stem}'"
        )
    return source


def parse_source(data: dict[str, Any], origin: str) -> SourceConfig:
    """Validate a source given as a mapping; ``origin`` names it in errors."""
    try:
        return SourceConfig.model_validate(data)
    except ValidationError as exc:
        problems = list(_describe(exc.errors()))
        field, reason = problems[0]
        if len(problems) > 1:
            reason += "; also " + "; ".join(f"field '{f}': {r}" for f, r in problems[1:])
        raise SourceConfigError(origin, field, reason) from None


def _describe(errors: Iterable[Any]) -> Iterable[tuple[str, str]]:
    for error in errors:
        location = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        if not location and ":" in message:
            location, message = (part.strip() for part in message.split(":", 1))
        if error["type"] == "extra_forbidden":
            message = "unknown field (check the spelling)"
        yield location or "-", message


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())
