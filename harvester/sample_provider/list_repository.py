"""A small in-memory repository, loaded from YAML: the demo providers and test fixtures.

The YAML file holds ``repository_name`` (required), ``granularity`` (``YYYY-MM-DDThh:mm:ssZ``,
the default, or ``YYYY-MM-DD``), ``earliest_datestamp`` (defaults to the oldest record's),
``sets`` (a list of ``{spec, name}``) and ``records``, each with an ``identifier``, a
``datestamp``, optional ``sets`` (declared specs), ``deleted: true`` for a deletion notice,
and ``dc``: Dublin Core element to a value or a list of values, each plain text or
``{value, lang}``. Errors name the file and the record.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import yaml

from harvester.fetch.oai.protocol import GRANULARITIES, GRANULARITY_SECONDS, parse_datestamp
from harvester.sample_provider.repository import DC_ELEMENTS, DcValue, SampleRecord, in_set


def _as_utc(value: object, where: str) -> datetime:
    """Turn a YAML datestamp (string, date or datetime) into an aware UTC datetime."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            return parse_datestamp(value.strip())[0]
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    raise ValueError(f"{where}: expected a datestamp, got {value!r}")


def _dc_text(value: object, where: str) -> str:
    """Turn a scalar YAML value into Dublin Core text."""
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise ValueError(f"{where}: expected text, got {value!r}")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _parse_dc(raw: object, where: str) -> dict[str, tuple[DcValue, ...]]:
    """Read the ``dc`` mapping of one YAML record."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: 'dc' must be a mapping")
    dc: dict[str, tuple[DcValue, ...]] = {}
    for element, items in raw.items():
        if element not in DC_ELEMENTS:
            raise ValueError(f"{where}: unknown Dublin Core element {element!r}")
        if not isinstance(items, list):
            items = [items]
        values: list[DcValue] = []
        for item in items:
            if isinstance(item, dict):
                unknown = set(item) - {"value", "lang"}
                if unknown or "value" not in item:
                    raise ValueError(f"{where}: dc.{element} items take 'value' and 'lang'")
                lang = item.get("lang")
                text = _dc_text(item["value"], f"{where}: dc.{element}")
                values.append((text, None if lang is None else str(lang)))
            else:
                values.append((_dc_text(item, f"{where}: dc.{element}"), None))
        dc[element] = tuple(values)
    return dc


class ListRepository:
    """A small in-memory repository, usually loaded from a YAML file.

    Records are kept sorted by (datestamp, identifier); filtering is a linear scan, which is
    fine for the few hundred records of a demo provider.
    """

    def __init__(
        self,
        name: str,
        records: Iterable[SampleRecord],
        sets: Mapping[str, str] | None = None,
        granularity: str = GRANULARITY_SECONDS,
        earliest_datestamp: datetime | None = None,
    ) -> None:
        """Build a repository from records.

        Args:
            name: the repository name.
            records: the records; identifiers must be unique.
            sets: set spec to set name.
            granularity: ``YYYY-MM-DDThh:mm:ssZ`` or ``YYYY-MM-DD``.
            earliest_datestamp: defaults to the oldest record's datestamp.

        Raises:
            ValueError: duplicate identifiers, unknown granularity or undeclared sets.
        """
        if granularity not in GRANULARITIES:
            raise ValueError(f"unknown granularity {granularity!r}")
        self._name = name
        self._granularity = granularity
        self._sets: dict[str, str] = dict(sets or {})
        ordered = sorted(records, key=lambda r: (r.datestamp, r.identifier))
        self._records: tuple[SampleRecord, ...] = tuple(ordered)
        self._by_id: dict[str, SampleRecord] = {}
        for record in self._records:
            if record.identifier in self._by_id:
                raise ValueError(f"duplicate identifier {record.identifier!r}")
            undeclared = [s for s in record.sets if s not in self._sets]
            if undeclared:
                raise ValueError(f"{record.identifier}: undeclared sets {undeclared}")
            self._by_id[record.identifier] = record
        if earliest_datestamp is None:
            earliest_datestamp = (
                self._records[0].datestamp if self._records else datetime(1970, 1, 1, tzinfo=UTC)
            )
        self._earliest = earliest_datestamp

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> ListRepository:
        """Load a repository from a YAML file (the format is in the module docs).

        Raises:
            ValueError: the file does not follow the format; the message names the place.
        """
        text = Path(path).read_text(encoding="utf-8")
        return cls.from_yaml_text(text, source=str(path))

    @classmethod
    def from_yaml_text(cls, text: str, source: str = "<yaml>") -> ListRepository:
        """Load a repository from YAML text; ``source`` names it in error messages."""
        data = yaml.safe_load(text)
        if not isinstance(data, dict):
            raise ValueError(f"{source}: expected a mapping at the top level")
        name = data.get("repository_name")
        if not isinstance(name, str) or not name:
            raise ValueError(f"{source}: 'repository_name' is required")
        granularity = data.get("granularity", GRANULARITY_SECONDS)
        sets: dict[str, str] = {}
        for i, item in enumerate(data.get("sets") or []):
            if not isinstance(item, dict) or "spec" not in item:
                raise ValueError(f"{source}: sets[{i}] needs a 'spec'")
            spec = str(item["spec"])
            sets[spec] = str(item.get("name", spec))
        records: list[SampleRecord] = []
        for i, item in enumerate(data.get("records") or []):
            where = f"{source}: records[{i}]"
            if not isinstance(item, dict):
                raise ValueError(f"{where}: expected a mapping")
            identifier = item.get("identifier")
            if not isinstance(identifier, str) or not identifier:
                raise ValueError(f"{where}: 'identifier' is required")
            if "datestamp" not in item:
                raise ValueError(f"{where}: 'datestamp' is required")
            deleted = item.get("deleted", False)
            if not isinstance(deleted, bool):
                raise ValueError(f"{where}: 'deleted' must be true or false")
            raw_sets = item.get("sets") or []
            if not isinstance(raw_sets, list):
                raise ValueError(f"{where}: 'sets' must be a list")
            records.append(
                SampleRecord(
                    identifier=identifier,
                    datestamp=_as_utc(item["datestamp"], f"{where}: datestamp"),
                    sets=tuple(str(s) for s in raw_sets),
                    deleted=deleted,
                    dc=_parse_dc(item.get("dc"), where),
                )
            )
        earliest = data.get("earliest_datestamp")
        try:
            return cls(
                name,
                records,
                sets,
                granularity=str(granularity),
                earliest_datestamp=(
                    None if earliest is None else _as_utc(earliest, f"{source}: earliest_datestamp")
                ),
            )
        except ValueError as exc:
            raise ValueError(f"{source}: {exc}") from None

    @property
    def name(self) -> str:
        """Repository name."""
        return self._name

    @property
    def granularity(self) -> str:
        """Datestamp granularity."""
        return self._granularity

    @property
    def earliest_datestamp(self) -> datetime:
        """Earliest datestamp."""
        return self._earliest

    @property
    def sets(self) -> Mapping[str, str]:
        """Set spec to set name."""
        return self._sets

    @property
    def records(self) -> tuple[SampleRecord, ...]:
        """All records in the stable order."""
        return self._records

    def _matching(
        self, set_spec: str | None, from_: datetime | None, until: datetime | None
    ) -> Iterator[SampleRecord]:
        """The records within the datestamp bounds and the set, in the stable order."""
        for record in self._records:
            if from_ is not None and record.datestamp < from_:
                continue
            if until is not None and record.datestamp > until:
                continue
            if set_spec is not None and not in_set(record.sets, set_spec):
                continue
            yield record

    def count(self, set_spec: str | None, from_: datetime | None, until: datetime | None) -> int:
        """Return how many records match."""
        return sum(1 for _ in self._matching(set_spec, from_, until))

    def slice(
        self,
        set_spec: str | None,
        from_: datetime | None,
        until: datetime | None,
        offset: int,
        limit: int,
    ) -> Iterator[SampleRecord]:
        """Yield one page of matching records."""
        for i, record in enumerate(self._matching(set_spec, from_, until)):
            if i >= offset + limit:
                return
            if i >= offset:
                yield record

    def get(self, identifier: str) -> SampleRecord | None:
        """Return the record with this identifier, or ``None``."""
        return self._by_id.get(identifier)


def demo_repositories() -> dict[str, ListRepository]:
    """Load every shipped ``harvester/demo/data/*.yaml`` file, keyed by file stem, sorted."""
    folder = resources.files("harvester").joinpath("demo", "data")
    if not folder.is_dir():
        return {}
    repositories: dict[str, ListRepository] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".yaml", ".yml")) and entry.is_file():
            stem = entry.name.rsplit(".", 1)[0]
            repositories[stem] = ListRepository.from_yaml_text(
                entry.read_text(encoding="utf-8"), source=f"harvester/demo/data/{entry.name}"
            )
    return repositories


def load_demo_repositories() -> list[ListRepository]:
    """Load every shipped ``harvester/demo/data/*.yaml`` file, in file-name order."""
    return list(demo_repositories().values())
