"""Logging for long-running processes: plain text for people, or one JSON object a line
for log collectors (``--log-format json`` or ``CSFINDER_LOG_FORMAT=json``).

Code logs with the standard library and adds fields with ``extra``::

    log.info("harvest finished", extra={"source": "zenodo", "run_id": 7, "outcome": "succeeded"})

In JSON every such field becomes a key of its own; in text they follow the message.
"""

# The standard library's logging with two small formatters; python-json-logger would need
# an override for every field this format names, for no gain.

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from harvester.core.errors import ConfigError

ENV_LOG_FORMAT = "CSFINDER_LOG_FORMAT"
ENV_LOG_LEVEL = "CSFINDER_LOG_LEVEL"
LOG_FORMATS = ("text", "json")

_STANDARD = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
) | {"message", "asctime", "taskName"}


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The fields a call added with ``extra=``."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the extra fields, and the
    exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as one line of JSON."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        entry.update(extra_fields(record))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``time level logger: message key=value ...``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        """Render the record as text, extra fields appended as key=value."""
        text = super().format(record)
        fields = extra_fields(record)
        if fields:
            text += " " + " ".join(f"{k}={v}" for k, v in fields.items())
        return text


def log_format(chosen: str | None = None) -> str:
    """The format asked for, else ``CSFINDER_LOG_FORMAT``, else text.

    Raises:
        ConfigError: not one of the known formats.
    """
    value = (chosen or os.environ.get(ENV_LOG_FORMAT) or "text").strip().lower()
    if value not in LOG_FORMATS:
        known = ", ".join(LOG_FORMATS)
        raise ConfigError(f"{ENV_LOG_FORMAT} must be one of {known}, not {value!r}")
    return value


def configure_logging(
    fmt: str | None = None, level: str | None = None, stream: TextIO | None = None
) -> str:
    """Send the root logger's records to ``stream`` (standard error) in the chosen format;
    return the format. Calling it again replaces the handler it installed."""
    chosen = log_format(fmt)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if chosen == "json" else TextFormatter())
    handler.set_name("csfinder")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "csfinder"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel((level or os.environ.get(ENV_LOG_LEVEL) or "INFO").upper())
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return chosen
