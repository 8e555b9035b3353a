"""``csfinder serve``: the portal under a production WSGI server (gunicorn).

Registered with the command line through the ``csfinder.commands`` entry point, so the
harvester never imports the portal.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from harvester.cli.app import App
from harvester.core.settings import ENV_RATELIMIT_STORAGE, ENV_SECRET_KEY
from portal.limits import MAX_HEADER_FIELD_BYTES, MAX_HEADER_FIELDS, MAX_REQUEST_LINE

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4


class PortalServer(BaseApplication):  # type: ignore[misc]
    """gunicorn running :func:`portal.create_app`, configured from code, not a file."""

    def __init__(self, options: dict[str, Any], announce: bool = True) -> None:
        self.options = options
        self.announce = announce
        super().__init__()

    def load_config(self) -> None:
        """Apply the options gunicorn knows."""
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key, value)

    def load(self) -> Any:
        """The WSGI app, built in each worker."""
        # Here, in each worker: the csfinder command line loads this module at every start,
        # and must not load the whole portal with it.
        from portal.app import create_app

        return create_app()


def per_process_limits_warning(storage: str, workers: int) -> str | None:
    """What to tell an operator who serves several workers whose rate limits each count for
    themselves (``memory://``): "5 logins per minute" would let ``5 × workers`` through."""
    if workers <= 1 or not storage.startswith("memory://"):
        return None
    return (
        f"{ENV_RATELIMIT_STORAGE} is {storage}: each of the {workers} workers counts logins, "
        f"registrations and API requests for itself, so every limit lets up to {workers} "
        "times as many through; set it to redis://HOST:PORT/DB (SECURITY.md)"
    )


def serve_portal(host: str, port: int, workers: int, threads: int = DEFAULT_THREADS) -> None:
    """Serve until interrupted; prints the address once listening."""

    def when_ready(server: Any) -> None:
        for listener in server.LISTENERS:
            bound_host, bound_port = listener.sock.getsockname()[:2]
            click.echo(f"csfinder portal: http://{bound_host}:{bound_port}/ (Ctrl-C stops it)")

    if not os.environ.get(ENV_SECRET_KEY):  # one key for every worker, or sessions break
        click.echo(f"{ENV_SECRET_KEY} is not set: logins and forms last until a restart", err=True)
        os.environ[ENV_SECRET_KEY] = secrets.token_hex(32)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "portal.gunicorn_worker.JsonErrorWorker",  # gthread, JSON refusals
        "limit_request_line": MAX_REQUEST_LINE,
        "limit_request_fields": MAX_HEADER_FIELDS,
        "limit_request_field_size": MAX_HEADER_FIELD_BYTES,
        "timeout": 60,
        "graceful_timeout": 10,
        "accesslog": "-",
        "errorlog": "-",
        "when_ready": when_ready,
    }
    PortalServer(options).run()


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, help="Port (0: any free one).")
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, help="Worker processes.")
@click.option("--threads", default=DEFAULT_THREADS, show_default=True, help="Threads per worker.")
@click.pass_obj
def serve(app: App, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the search portal (search pages, records, sources, JSON API).

    The store is opened first: a database at another schema revision stops it with what to
    run, before any worker starts."""
    app.store.close()
    warning = per_process_limits_warning(app.settings.portal.ratelimit_storage, workers)
    if warning:
        click.echo(warning, err=True)
    serve_portal(host, port, workers, threads)
