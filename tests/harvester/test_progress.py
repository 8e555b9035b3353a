import io

from harvester.progress import ProgressLine
from harvester.runs import Progress
from harvester.store import Counts


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def snapshot(seen: int, set_spec: str | None = "birds") -> Progress:
    return Progress(
        run_id=3, source_id="zen", set_spec=set_spec, counts=Counts(seen=seen), elapsed=2.0
    )


def test_terminal_gets_records_rate_and_set() -> None:
    stream = Terminal()
    line = ProgressLine(stream, interval=0.0)
    line(snapshot(1200))
    assert stream.getvalue() == "\rzen run 3 · set birds · 1,200 records · 600/s"
    line.close()
    assert stream.getvalue().endswith("\r")


def test_quiet_when_not_a_terminal() -> None:
    stream = io.StringIO()
    line = ProgressLine(stream, interval=0.0)
    line(snapshot(10))
    line.close()
    assert stream.getvalue() == ""


def test_throttled_between_updates() -> None:
    stream = Terminal()
    line = ProgressLine(stream, interval=60.0)
    line(snapshot(1, None))
    line(snapshot(2, None))
    assert stream.getvalue().count("\r") == 1
    assert "set" not in stream.getvalue()
