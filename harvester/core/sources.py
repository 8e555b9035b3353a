"""Source configuration: one YAML file per source in ``config/sources/<id>.yaml``.

A file that is wrong yields one :class:`SourceConfigError` naming the file, the field and
the reason; the other sources still load.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from harvester.core.cron import cron_trigger
from harvester.core.errors import SourceConfigError, UnknownSourceError
from harvester.core.source_options import CsvOptions, JsonApiOptions, SitemapOptions

Protocol = Literal["oai-pmh", "json-api", "sitemap-jsonld", "csv"]
SourceId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
PRESET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


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
    preset: str | None = Field(default=None, description="the preset the file builds on")
    json_api: JsonApiOptions | None = None
    sitemap: SitemapOptions | None = None
    csv: CsvOptions | None = None
    guarded: bool = Field(
        default=False,
        description="fetch every URL through the URL guard (always true for a source "
        "registered in the portal; a file may ask for it too)",
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.hostname:
            return value
        if is_file_path(value):
            return value  # checked against the protocol below
        raise ValueError("must be an http:// or https:// URL with a host")

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            cron_trigger(value)
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
        if self.protocol == "json-api" and self.json_api is None:
            raise ValueError("json_api: required for protocol json-api")
        if self.protocol != "json-api" and self.json_api is not None:
            raise ValueError(f"json_api: only for protocol json-api, not {self.protocol}")
        if self.protocol != "sitemap-jsonld" and self.sitemap is not None:
            raise ValueError(f"sitemap: only for protocol sitemap-jsonld, not {self.protocol}")
        if self.protocol != "csv" and self.csv is not None:
            raise ValueError(f"csv: only for protocol csv, not {self.protocol}")
        if is_file_path(self.url) and self.protocol != "csv":
            raise ValueError("url: must be an http:// or https:// URL with a host")
        if is_file_path(self.url) and self.guarded:  # a registered source reads no local file
            raise ValueError("url: must be an http:// or https:// URL (guarded: no file)")
        return self

    @property
    def csv_options(self) -> CsvOptions:
        """The csv options, defaults where the file gives none."""
        return self.csv or CsvOptions()

    @property
    def is_file(self) -> bool:
        """The source is a file on this machine (csv sources from config files only)."""
        return is_file_path(self.url)

    @property
    def sitemap_options(self) -> SitemapOptions:
        """The sitemap options, defaults where the file gives none."""
        return self.sitemap or SitemapOptions()


def is_file_path(value: str) -> bool:
    """A local file path (absolute, relative, or a file: URL), not a web address."""
    parts = urlsplit(value)
    if parts.scheme == "file":
        return True
    return not parts.scheme and not parts.netloc and bool(value.strip()) and "\n" not in value


def file_path(value: str) -> Path:
    """The path a file source names (a file: URL made a path)."""
    parts = urlsplit(value)
    return Path(parts.path) if parts.scheme == "file" else Path(value)


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


def load_sources(folder: Path, presets: Path | None = None) -> LoadedSources:
    """Load every ``*.yaml`` / ``*.yml`` file in ``folder``; broken files become errors.

    Args:
        folder: the sources folder (``config/sources``).
        presets: the presets folder; default ``presets`` beside ``folder``.
    """
    sources: dict[str, SourceConfig] = {}
    errors: list[SourceConfigError] = []
    presets = folder.parent / "presets" if presets is None else presets
    paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]) if folder.is_dir() else []
    for path in paths:
        try:
            source = load_source_file(path, presets)
        except SourceConfigError as exc:
            errors.append(exc)
            continue
        if source.id in sources:
            errors.append(SourceConfigError(str(path), "id", f"'{source.id}' is used twice"))
            continue
        sources[source.id] = source
    return LoadedSources(sources=sources, errors=errors)


def load_source_file(path: Path, presets: Path | None = None) -> SourceConfig:
    """Parse and validate one source file, over its preset if it names one.

    A file saying ``preset: NAME`` starts from ``<presets>/NAME.yaml`` (default: the
    ``presets`` folder beside the file's folder); the file's own values win, mappings
    merged key by key, anything else (lists included) replaced.

    Raises:
        SourceConfigError: the file (or its preset) is unreadable, not YAML, or a field is wrong.
    """
    data = _read_mapping(path)
    preset = data.get("preset")
    if preset is not None:
        folder = path.parent.parent / "presets" if presets is None else presets
        data = merge(_preset(folder, preset, path), data)
    data.setdefault("id", path.stem)
    url = data.get("url")
    if isinstance(url, str) and is_file_path(url) and not file_path(url).is_absolute():
        data["url"] = str((path.parent / file_path(url)).resolve())  # beside the file
    source = parse_source(data, str(path))
    if source.id != path.stem:
        raise SourceConfigError(
            str(path), "id", f"'{source.id}' differs from the file name '{path.stem}'"
        )
    return source


def _read_mapping(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceConfigError(str(path), "-", f"cannot read the file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise SourceConfigError(str(path), "-", f"not valid YAML: {_one_line(exc)}") from exc
    if not isinstance(data, dict):
        raise SourceConfigError(str(path), "-", "must be a mapping of field: value")
    return data


def _preset(folder: Path, name: object, path: Path) -> dict[str, Any]:
    if not isinstance(name, str) or not PRESET_NAME.match(name):
        raise SourceConfigError(str(path), "preset", f"{name!r} is not a preset name")
    preset_path = folder / f"{name}.yaml"
    if not preset_path.is_file():
        known = ", ".join(sorted(p.stem for p in folder.glob("*.yaml"))) or "none"
        raise SourceConfigError(str(path), "preset", f"no preset '{name}' (known: {known})")
    values = _read_mapping(preset_path)
    if "id" in values or "preset" in values:
        raise SourceConfigError(str(preset_path), "-", "a preset sets neither id nor preset")
    return values


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: mappings merged key by key, other values replaced (and a
    mapping whose ``type`` changes, such as another pagination strategy, replaced whole)."""
    merged = dict(base)
    for key, value in override.items():
        former = merged.get(key)
        if (
            isinstance(value, dict)
            and isinstance(former, dict)
            and "$env" not in value
            and former.get("type", value.get("type")) == value.get("type", former.get("type"))
        ):
            merged[key] = merge(former, value)
        else:
            merged[key] = value
    return merged


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
