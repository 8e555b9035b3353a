"""The harvester's exception tree.

    CsfinderError
    ├── ConfigError                 settings or a source file is wrong
    │   └── SourceConfigError       one source file: names the file, the field and the reason
    ├── UnknownSourceError          no source with that id
    ├── RunConflictError            the source is being harvested by a live process
    ├── StoreError                  the database cannot be used (unreachable, bad URL)
    │   └── SchemaVersionError      its schema is older or newer than this csfinder's
    └── HarvestError                a run cannot go on (the run is recorded as failed)
        ├── FetchError              HTTP or network failure after the retries ran out
        │   └── ResponseTooLargeError
        ├── MalformedResponseError  the response is not well-formed XML, even after repair
        ├── UnsafeXMLError          the response declares entities or a DTD (XXE, entity bombs)
        ├── OAIProtocolError        the provider answered with an OAI-PMH <error>
        └── ResumptionLoopError     a resumption token repeated; the list would never end

A problem with one record is not an exception: it is counted as failed in the run, with
its reason kept among the run's error samples.
"""

from __future__ import annotations

EXIT_CONFLICT = 75
"""Exit status of ``csfinder harvest`` when another process holds the source (EX_TEMPFAIL),
so that the scheduler tells a skipped run from a failed one."""


class CsfinderError(Exception):
    """Base class of every error csfinder raises on purpose."""


class ConfigError(CsfinderError):
    """Settings or source configuration are invalid."""


class SourceConfigError(ConfigError):
    """One source file is invalid."""

    def __init__(self, path: str, field: str, reason: str) -> None:
        self.path = path
        self.field = field
        self.reason = reason
        super().__init__(f"{path}: field '{field}': {reason}")


class UnknownSourceError(CsfinderError):
    """No source is configured under the given id."""


class RunConflictError(CsfinderError):
    """Another live process is harvesting the same source."""


class StoreError(CsfinderError):
    """The store's database cannot be used: a bad URL, or a database that does not answer."""


class SchemaVersionError(StoreError):
    """The database's schema is not the one this csfinder needs; the message says what to
    run (``csfinder db upgrade``, or a newer csfinder)."""


class HarvestError(CsfinderError):
    """A harvest run cannot continue."""


class FetchError(HarvestError):
    """An HTTP request failed for good (after retries, or with a status not worth retrying)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class ResponseTooLargeError(FetchError):
    """A response exceeded the configured size cap."""


class MalformedResponseError(HarvestError):
    """A response could not be parsed as XML, even after repair."""


class UnsafeXMLError(MalformedResponseError):
    """A response carried a DTD or entity declarations, which are never processed."""


class OAIProtocolError(HarvestError):
    """The provider answered with an OAI-PMH error element."""

    def __init__(self, code: str, message: str, http_status: int = 200) -> None:
        self.code = code
        self.message = message
        self.http_status = http_status
        detail = f": {message}" if message else ""
        via = f" (sent with HTTP {http_status})" if http_status != 200 else ""
        super().__init__(f"provider answered OAI-PMH error '{code}'{detail}{via}")


class ResumptionLoopError(HarvestError):
    """A resumption token was repeated, so the list would never end."""
