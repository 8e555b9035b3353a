"""HttpClient against a real loopback server that answers from a script of responses."""

import contextlib
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from harvester.core.errors import FetchError, ResponseTooLargeError
from harvester.fetch.http import HttpClient, RetryPolicy, retry_after_seconds

Reply = tuple[int, dict[str, str], bytes, float]  # status, headers, body, delay


class Scripted:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.times: list[float] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/oai"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        script = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                script.times.append(time.monotonic())
                status, headers, body, delay = (
                    script.replies.pop(0) if script.replies else (200, {}, b"ok", 0.0)
                )
                time.sleep(delay)
                self.send_response(status)
                for key, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(key, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted() -> Iterator[Scripted]:
    server = Scripted()
    yield server
    server.stop()


def client(**kw: object) -> HttpClient:
    options: dict[str, object] = {
        "timeout": 2.0,
        "retry": RetryPolicy(max_retries=3, backoff_base=0.05, backoff_max=2.0),
        "max_bytes": 10_000,
        "user_agent": "csfinder-test",
    }
    options.update(kw)
    return HttpClient(**options)  # type: ignore[arg-type]


def test_retry_after_in_seconds_is_honoured(scripted: Scripted) -> None:
    scripted.replies = [(503, {"Retry-After": "1"}, b"busy", 0.0)]
    fetched = client().get(scripted.url)
    assert fetched.status == 200 and fetched.content == b"ok"
    assert scripted.times[1] - scripted.times[0] >= 0.95


def test_retry_after_as_http_date_is_honoured(scripted: Scripted) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=2), usegmt=True)
    scripted.replies = [(503, {"Retry-After": when}, b"busy", 0.0)]
    http = client()
    assert http.get(scripted.url).status == 200
    assert scripted.times[1] - scripted.times[0] >= 0.9
    assert http.retries == 1


@pytest.mark.parametrize("status", [429, 500, 502, 504])
def test_retryable_statuses_are_retried(scripted: Scripted, status: int) -> None:
    scripted.replies = [(status, {}, b"x", 0.0), (status, {}, b"x", 0.0)]
    assert client().get(scripted.url).content == b"ok"
    assert len(scripted.times) == 3


def test_gives_up_after_max_retries_with_a_clear_reason(scripted: Scripted) -> None:
    scripted.replies = [(500, {}, b"x", 0.0)] * 10
    with pytest.raises(FetchError, match=r"HTTP 500 from .* \(3 attempts\)") as caught:
        client(retry=RetryPolicy(max_retries=2, backoff_base=0.01)).get(scripted.url)
    assert caught.value.status == 500
    assert len(scripted.times) == 3


def test_other_4xx_is_returned_for_the_caller_to_read(scripted: Scripted) -> None:
    scripted.replies = [(422, {}, b"<error/>", 0.0)]
    fetched = client().get(scripted.url)
    assert fetched.status == 422 and fetched.content == b"<error/>"
    assert len(scripted.times) == 1


def test_slow_response_times_out_and_is_retried(scripted: Scripted) -> None:
    scripted.replies = [(200, {}, b"late", 1.5)]
    fetched = client(timeout=0.5).get(scripted.url)
    assert fetched.content == b"ok"


def test_timeout_everywhere_ends_in_fetch_error(scripted: Scripted) -> None:
    scripted.replies = [(200, {}, b"late", 1.0)] * 3
    with pytest.raises(FetchError, match="timed out"):
        client(timeout=0.3, retry=RetryPolicy(max_retries=1, backoff_base=0.01)).get(scripted.url)


def test_connection_refused_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="connection failed"):
        client(retry=RetryPolicy(max_retries=1, backoff_base=0.01)).get("http://127.0.0.1:9/oai")


def test_body_over_the_cap_is_refused_without_retry(scripted: Scripted) -> None:
    scripted.replies = [(200, {}, b"x" * 20_000, 0.0)]
    with pytest.raises(ResponseTooLargeError, match="over the cap"):
        client().get(scripted.url)
    assert len(scripted.times) == 1


def test_rate_limit_spaces_requests(scripted: Scripted) -> None:
    http = client(rate_limit=5.0)
    started = time.monotonic()  # the server's clock is this one (same process)
    for _ in range(3):
        http.get(scripted.url)
    # The third request cannot leave before two intervals of 0.2 s (a busy machine can
    # delay the first one's arrival, so the bound is taken from when the client started).
    assert scripted.times[2] - started >= 0.4


def test_retry_after_parsing() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
