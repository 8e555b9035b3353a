"""Protocol options of a source file: ``json_api`` and ``sitemap`` (see ``sources.py``).

Secrets are never written in a file: a header or a query parameter says
``{"$env": "NAME"}`` and the value is read from the environment when a harvest starts.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Mapping
from typing import Annotated, Literal

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from harvester.core.errors import ConfigError

_STRICT = ConfigDict(extra="forbid", frozen=True)


class EnvSecret(BaseModel):
    """A value read from an environment variable at run time: ``{"$env": "NAME"}``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    env: str = Field(alias="$env", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")


Value = str | int | float | EnvSecret


def _jmespath(value: str) -> str:
    try:
        jmespath.compile(value)
    except JMESPathError as exc:
        raise ValueError(f"not a valid JMESPath expression ({' '.join(str(exc).split())})") from exc
    return value


JMESPath = Annotated[str, Field(min_length=1)]


class _Paths(BaseModel):
    """Checks every ``*_path`` field as JMESPath when the file loads."""

    model_config = _STRICT

    @model_validator(mode="after")
    def _paths_compile(self) -> _Paths:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if name.endswith("_path") and isinstance(value, str):
                try:
                    _jmespath(value)
                except ValueError as exc:
                    raise ValueError(f"{name}: {exc}") from None
        return self


class _Paging(_Paths):
    """Base of the pagination strategies."""


class NoPaging(_Paging):
    """One request answers everything."""

    type: Literal["none"]


class NextLinkPaging(_Paging):
    """Follow the next page's URL, read from the body (``next_path``) or the Link header."""

    type: Literal["next_link"]
    next_path: JMESPath | None = Field(
        default=None, description="where the body gives the next URL; absent: Link rel=next"
    )


class PagePaging(_Paging):
    """Pages numbered from ``start``, ``size`` records each, until the stop rule says so.

    ``stop``: ``short`` (a page with fewer than ``size`` records is the last), ``empty`` (an
    empty page ends the list) or ``total`` (``total_path`` gives the number of records).
    """

    type: Literal["page"]
    page_param: str = "page"
    size_param: str | None = "per_page"
    size: int = Field(default=100, gt=0, le=10_000)
    start: int = Field(default=1, ge=0)
    stop: Literal["short", "empty", "total"] = "short"
    total_path: JMESPath | None = None

    @model_validator(mode="after")
    def _total_needs_path(self) -> PagePaging:
        if self.stop == "total" and not self.total_path:
            raise ValueError("total_path: required when stop is 'total'")
        return self


class OffsetPaging(_Paging):
    """``offset`` and ``limit`` parameters; the end is read from ``end_path`` (true at the
    end), from ``total_path`` (number of records), or else from a short or empty page."""

    type: Literal["offset"]
    offset_param: str = "offset"
    limit_param: str = "limit"
    limit: int = Field(default=100, gt=0, le=10_000)
    total_path: JMESPath | None = None
    end_path: JMESPath | None = None


class CursorPaging(_Paging):
    """The body names the next page's cursor (``cursor_path``), sent back as
    ``cursor_param``; the list ends when no cursor comes."""

    type: Literal["cursor"]
    cursor_param: str
    cursor_path: JMESPath
    initial: str | None = Field(default=None, description="cursor of the first request")


Paging = Annotated[
    NoPaging | NextLinkPaging | PagePaging | OffsetPaging | CursorPaging,
    Field(discriminator="type"),
]


class Incremental(BaseModel):
    """The query parameter that asks only for records changed since a date."""

    model_config = _STRICT

    param: str = Field(min_length=1)
    format: str = Field(default="%Y-%m-%dT%H:%M:%SZ", description="strftime pattern")
    template: str = Field(
        default="{since}", description="the parameter's value around the date, e.g. a query"
    )

    @field_validator("template")
    @classmethod
    def _has_since(cls, value: str) -> str:
        if "{since}" not in value:
            raise ValueError("must contain {since}")
        return value

    def value(self, since: str) -> str:
        """The parameter's value for records changed since ``since`` (already formatted)."""
        return self.template.replace("{since}", since)


class JsonApiOptions(_Paths):
    """How to list a JSON web API (``protocol: json-api``)."""

    records_path: JMESPath
    id_path: JMESPath
    datestamp_path: JMESPath | None = None
    params: dict[str, Value] = Field(default_factory=dict)
    headers: dict[str, Value] = Field(default_factory=dict)
    pagination: Paging = Field(default_factory=lambda: NoPaging(type="none"))
    incremental: Incremental | None = None
    max_pages: int | None = Field(default=None, gt=0)


class CsvOptions(BaseModel):
    """How to read a spreadsheet published as CSV (``protocol: csv``).

    The identifier of a row is the value of ``id_column``, or the values of ``id_columns``
    together; with neither, a stable hash of the row's identifying fields (its name or
    title columns, see :mod:`harvester.fetch.csv.reader`). Delimiter and encoding are
    sniffed when not given.
    """

    model_config = _STRICT

    id_column: str | None = Field(default=None, min_length=1)
    id_columns: tuple[str, ...] = ()
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)
    encoding: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_way_to_identify(self) -> CsvOptions:
        if self.id_column and self.id_columns:
            raise ValueError("give id_column or id_columns, not both")
        if any(not name.strip() for name in self.id_columns):
            raise ValueError("id_columns: a column name is empty")
        return self

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"'{value}' is not an encoding Python knows") from None
        return value


class SitemapOptions(BaseModel):
    """How to crawl pages with embedded metadata (``protocol: sitemap-jsonld``).

    With neither ``sitemaps`` nor ``start_pages``, the source's ``url`` is a sitemap when it
    ends in ``.xml``, ``.xml.gz`` or ``robots.txt``, and a start page otherwise.
    """

    model_config = _STRICT

    sitemaps: tuple[str, ...] = ()
    start_pages: tuple[str, ...] = ()
    follow: tuple[str, ...] = Field(default=(), description="regexes of links to follow")
    deny: tuple[str, ...] = Field(default=(), description="regexes of links never followed")
    types: tuple[str, ...] = Field(default=(), description="default: the crosswalk's types")
    syntaxes: tuple[Literal["json-ld", "microdata", "rdfa"], ...] = (
        "json-ld",
        "microdata",
        "rdfa",
    )
    max_pages: int | None = Field(default=None, gt=0)
    incremental: bool = Field(
        default=False,
        description="skip entries whose lastmod is before the last successful run "
        "(such runs mark nothing deleted)",
    )

    @field_validator("follow", "deny")
    @classmethod
    def _regexes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"'{pattern}' is not a valid regular expression ({exc})") from exc
        return value


def resolve(
    values: Mapping[str, Value],
    source_id: str,
    field: str,
    environ: Mapping[str, str] | None = None,
) -> tuple[dict[str, str], set[str]]:
    """Plain values of ``params`` or ``headers``, secrets read from the environment.

    Returns:
        The values as strings, and the set of the secret values among them (to redact).

    Raises:
        ConfigError: a variable named by ``{"$env": ...}`` is not set.
    """
    env = os.environ if environ is None else environ
    plain: dict[str, str] = {}
    secrets: set[str] = set()
    for key, value in values.items():
        if isinstance(value, EnvSecret):
            found = env.get(value.env)
            if not found:
                raise ConfigError(
                    f"source '{source_id}': environment variable {value.env} is not set "
                    f"(it gives {field}.{key})"
                )
            plain[key] = found
            secrets.add(found)
        else:
            plain[key] = str(value)
    return plain, secrets
