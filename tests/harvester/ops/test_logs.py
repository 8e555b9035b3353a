import io
import json
import logging

import pytest

from harvester.core.errors import ConfigError
from harvester.ops.logs import configure_logging, log_format


def test_json_logs_carry_extra_fields_and_tracebacks() -> None:
    stream = io.StringIO()
    configure_logging("json", "INFO", stream)
    log = logging.getLogger("csfinder.test")
    log.info("run %s done", 3, extra={"source": "zen", "run_id": 3})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "run 3 done"
    assert (first["level"], first["source"], first["run_id"]) == ("info", "zen", 3)
    assert "ValueError: boom" in second["exception"]


def test_text_logs_and_the_environment_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    configure_logging("text", "INFO", stream)
    logging.getLogger("csfinder.test").warning("hello", extra={"source": "zen"})
    assert stream.getvalue().rstrip().endswith("WARNING csfinder.test: hello source=zen")
    monkeypatch.setenv("CSFINDER_LOG_FORMAT", "JSON")
    assert log_format() == "json"
    with pytest.raises(ConfigError):
        log_format("xml")


@pytest.fixture(autouse=True)
def _restore_root_logger():
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
