"""What a record source of the sample OAI-PMH provider is: the record, its Dublin Core
values, and the :class:`Repository` interface the provider asks.

A :class:`Repository` answers the few questions an OAI-PMH provider asks: how many records
match a set and a datestamp range, which ones are on a given page, and which record has a
given identifier. Two implementations ship:

* :class:`~harvester.sample_provider.list_repository.ListRepository`: a handful of
  hand-written records loaded from a YAML file (the demo providers in
  ``harvester/demo/data/*.yaml``);
* :class:`~harvester.sample_provider.synthetic.SyntheticRepository`: any number of
  realistic-looking citizen-science dataset records, generated from their index on
  demand, so a million-record provider costs no memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Protocol

DC_ELEMENTS: Final = (
    "title",
    "creator",
    "subject",
    "description",
    "publisher",
    "contributor",
    "date",
    "type",
    "format",
    "identifier",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
)
"""The 15 Dublin Core elements, in the order ``oai_dc`` lists them."""

DcValue = tuple[str, str | None]
"""One Dublin Core value: ``(text, xml:lang or None)``."""


@dataclass(frozen=True, slots=True)
class SampleRecord:
    """One record of a sample repository.

    Attributes:
        identifier: the OAI identifier.
        datestamp: last change, an aware UTC datetime.
        sets: the set specs the record belongs to.
        deleted: the record is a deletion notice (no metadata is served).
        dc: Dublin Core element name to its values, each ``(text, xml:lang or None)``.
    """

    identifier: str
    datestamp: datetime
    sets: tuple[str, ...] = ()
    deleted: bool = False
    dc: Mapping[str, Sequence[DcValue]] = field(default_factory=dict)


class Repository(Protocol):
    """What the OAI-PMH provider needs from a record source.

    Datestamp bounds are inclusive and already expanded to the repository's granularity by
    the caller; ``None`` means unbounded. ``set_spec`` selects records in that set or in any
    of its subsets (``a`` includes ``a:b``). ``slice`` yields records in a stable order that
    is the same for every call with the same filter.
    """

    @property
    def name(self) -> str:
        """Human-readable repository name (Identify ``repositoryName``)."""
        ...

    @property
    def granularity(self) -> str:
        """``YYYY-MM-DDThh:mm:ssZ`` or ``YYYY-MM-DD``."""
        ...

    @property
    def earliest_datestamp(self) -> datetime:
        """The lower limit of all datestamps in the repository."""
        ...

    @property
    def sets(self) -> Mapping[str, str]:
        """Set spec to set name; empty when the repository has no set hierarchy."""
        ...

    def count(self, set_spec: str | None, from_: datetime | None, until: datetime | None) -> int:
        """Return how many records match the filter."""
        ...

    def slice(
        self,
        set_spec: str | None,
        from_: datetime | None,
        until: datetime | None,
        offset: int,
        limit: int,
    ) -> Iterator[SampleRecord]:
        """Yield at most ``limit`` matching records, skipping the first ``offset``."""
        ...

    def get(self, identifier: str) -> SampleRecord | None:
        """Return the record with this identifier, or ``None``."""
        ...


def in_set(record_sets: Iterable[str], set_spec: str) -> bool:
    """Tell whether a record listed in ``record_sets`` belongs to ``set_spec`` or a subset."""
    prefix = set_spec + ":"
    return any(s == set_spec or s.startswith(prefix) for s in record_sets)
