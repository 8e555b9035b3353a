import io

from harvester.ops.progress import ProgressBar, ProgressLine
from harvester.pipeline.run import Progress
from harvester.store import Counts


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def snapshot(seen: int, set_spec: str | None = "birds") -> Progress:
    return Progress(
        run_id=3, source_id="zen", set_spec=set_spec, counts=Counts(seen=seen), elapsed=2.0
    )


def test_terminal_gets_run_set_and_count() -> None:
    stream = Terminal()
    line = ProgressLine(stream, interval=0.0)
    line(snapshot(1200))
    shown = stream.getvalue()
    assert "zen run 3 · set birds" in shown
    assert "1,200 records" in shown
    line.close()


def test_a_known_total_shows_done_of_total() -> None:
    stream = Terminal()
    with ProgressBar("indexing", total=50, stream=stream, interval=0.0) as bar:
        bar.update(20)
    assert "20/50" in stream.getvalue()


def test_quiet_when_not_a_terminal() -> None:
    stream = io.StringIO()
    line = ProgressLine(stream, interval=0.0)
    line(snapshot(10))
    line.close()
    with ProgressBar("indexing", total=5, stream=stream) as bar:
        bar.update(5)
    assert stream.getvalue() == ""


def test_throttled_between_updates() -> None:
    stream = Terminal()
    bar = ProgressBar("x", stream=stream, interval=60.0)
    bar.update(1)
    size = len(stream.getvalue())
    bar.update(2)
    assert len(stream.getvalue()) == size
    assert bar.completed == 2
    bar.close()
