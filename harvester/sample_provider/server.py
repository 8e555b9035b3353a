"""Run a WSGI application on a local threaded HTTP server (tests, demo, benchmark)."""

# wsgiref rather than werkzeug's development server: no access log, no reloader, and the
# errors of clients that hang up on purpose (timeout tests) are ignored.

from __future__ import annotations

import socketserver
import sys
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

if TYPE_CHECKING:
    from wsgiref.types import WSGIApplication


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not log every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """Drop the access log line."""


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """A WSGI server answering each connection in its own daemon thread."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up mid-response (timeouts in tests do that on purpose)."""
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def _make_server(app: WSGIApplication, host: str, port: int) -> _ThreadingWSGIServer:
    server = _ThreadingWSGIServer((host, port), _QuietHandler)
    server.set_app(app)
    return server


class RunningServer:
    """A WSGI application served on ``host:port`` by a background daemon thread.

    Attributes:
        app: the WSGI application being served.
        host: the address the server listens on.
        port: the port it listens on (the real one when 0 was asked for).
        url: the full URL of the application's path, e.g. ``http://127.0.0.1:8765/oai``.
    """

    def __init__(self, server: _ThreadingWSGIServer, app: WSGIApplication, path: str) -> None:
        """Start serving ``server`` in a daemon thread; use :func:`serve` instead."""
        self._server = server
        self.app: WSGIApplication = app
        self.host: str = str(server.server_address[0])
        self.port: int = int(server.server_address[1])
        self.url: str = f"http://{self.host}:{self.port}{path}"
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"wsgi-server-{self.port}",
            daemon=True,
        )
        self._stopped = False
        self._thread.start()

    @property
    def base(self) -> str:
        """The server's root URL without the path, e.g. ``http://127.0.0.1:8765``."""
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        """Stop accepting requests and close the socket; safe to call twice."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningServer:
        """Return the running server."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        self.stop()

    def __repr__(self) -> str:
        """Show the URL."""
        return f"RunningServer({self.url!r})"


def serve(
    app: WSGIApplication, host: str = "127.0.0.1", port: int = 0, path: str = "/oai"
) -> RunningServer:
    """Serve ``app`` in a background daemon thread.

    Args:
        app: the WSGI application.
        host: the address to listen on.
        port: the port; 0 picks a free one.
        path: the path appended to the server address in :attr:`RunningServer.url`.

    Returns:
        The running server; call ``stop()`` or use it as a context manager.
    """
    return RunningServer(_make_server(app, host, port), app, path)


def serve_forever(
    app: WSGIApplication,
    host: str = "127.0.0.1",
    port: int = 0,
    path: str = "/oai",
    announce: TextIO | None = None,
) -> None:
    """Serve ``app`` in the calling thread until interrupted (for a child process).

    The URL is printed as the first line on ``announce`` (standard output by default) and
    flushed before the first request is accepted, so a parent process can read it.
    """
    server = _make_server(app, host, port)
    stream = sys.stdout if announce is None else announce
    host, port = str(server.server_address[0]), int(server.server_address[1])
    print(f"http://{host}:{port}{path}", file=stream)
    stream.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
