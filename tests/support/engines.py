"""Throw-away database, cache and search servers on loopback, for the tests that need the
engines a deployment grows into: PostgreSQL (Debian's), Redis (Debian's) and noida-db's
Elasticsearch-8 API emulator (PyPI).

Each server gets its own data folder and a free port, and is stopped (its folder removed)
when the test session ends. A server that cannot start says why in one line
(:class:`Unavailable`); the pytest plugin in :mod:`tests.support.engine_fixtures` turns that
into a loud skip, or into an error in CI.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any, cast

import psycopg
import redis

POSTGRES_USER = "postgres"
START_TIMEOUT = 60.0


class Unavailable(Exception):
    """A server could not be started; the message says why and how to get it."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run(argv: list[str], what: str, timeout: float = START_TIMEOUT) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"{what}: {exc}") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise Unavailable(f"{what} failed: {detail[-1] if detail else done.returncode}")
    return done.stdout


class PostgresServer:
    """A PostgreSQL cluster of its own (``initdb`` + ``pg_ctl``), trust authentication on
    127.0.0.1, durability off (it is thrown away). Run as the ``postgres`` user when the
    tests run as root (PostgreSQL refuses root)."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
        if not found:
            raise Unavailable(
                "PostgreSQL is not installed (scripts/test installs Debian's `postgresql`)"
            )
        self.bin = Path(found[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="csfinder-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam(POSTGRES_USER)
            except KeyError:
                raise Unavailable("running as root and there is no `postgres` user") from None
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", POSTGRES_USER, "--"]
        self.version = ""

    def start(self) -> PostgresServer:
        """initdb and start; ready when this returns."""
        initdb = [str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust"]
        _run(
            [*self.as_user, *initdb, "-U", POSTGRES_USER, "-E", "UTF8", "--no-locale", "--no-sync"],
            "initdb",
        )
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        pg_ctl = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log")]
        _run([*self.as_user, *pg_ctl, "-o", options, "-w", "-t", "60", "start"], "pg_ctl start")
        with self.admin() as conn:
            row = conn.execute("SHOW server_version").fetchone()
        self.version = f"PostgreSQL {row[0] if row else '?'}"
        return self

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """A connection to the ``postgres`` database, in autocommit (for CREATE DATABASE)."""
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=POSTGRES_USER, dbname="postgres", autocommit=True
        )

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of one database (no password: trust on loopback)."""
        return f"postgresql+psycopg://{POSTGRES_USER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new, empty database; return its name."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending whatever is still connected to it."""
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def terminate_backends(self, database: str) -> int:
        """Cut every connection to ``database`` (``pg_terminate_backend``), as a network
        failure or a database restart would; return how many were cut."""
        with self.admin() as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            ).fetchall()
        return len(rows)

    def stop(self) -> None:
        """Stop at once and remove the folder."""
        pg_ctl = [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
        with contextlib.suppress(Unavailable):
            _run([*self.as_user, *pg_ctl], "pg_ctl stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def _version_key(path: str) -> int:
    part = Path(path).parents[1].name
    return int(part) if part.isdigit() else 0


class RedisServer:
    """``redis-server`` on a free port of 127.0.0.1, nothing saved to disk."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise Unavailable("redis-server is not installed (scripts/test installs Debian's)")
        self.binary = binary
        self.folder = Path(tempfile.mkdtemp(prefix="csfinder-redis-"))
        self.port = free_port()
        self.version = ""

    @property
    def url(self) -> str:
        """The ``redis://`` URL (database 0)."""
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        """A client of the server."""
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> RedisServer:
        """Start as a daemon and wait until it answers PING."""
        pidfile = self.folder / "redis.pid"
        argv = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        argv += ["--appendonly", "no", "--daemonize", "yes", "--dir", str(self.folder)]
        _run([*argv, "--pidfile", str(pidfile)], "redis-server")
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                info = cast(dict[str, Any], self.client().info("server"))
                break
            except redis.ConnectionError as exc:
                if time.monotonic() > deadline:
                    raise Unavailable(f"redis-server does not answer: {exc}") from None
                time.sleep(0.05)
        self.version = f"Redis {info.get('redis_version', '?')}"
        return self

    def stop(self) -> None:
        """Stop the server (SIGTERM; nothing to save) and remove its folder."""
        pidfile = self.folder / "redis.pid"
        with contextlib.suppress(OSError, ValueError):
            pid = int(pidfile.read_text().strip())
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                os.kill(pid, 0)  # raises once the process is gone
                time.sleep(0.02)
        shutil.rmtree(self.folder, ignore_errors=True)


class ElasticEmulator:
    """noida-db's Elasticsearch-8 API emulator (not Lucene) on a free port of 127.0.0.1."""

    def __init__(self) -> None:
        binary = shutil.which("noida-db") or str(Path(sys.executable).with_name("noida-db"))
        if not Path(binary).exists():
            raise Unavailable("noida-db is not installed (pip install -e '.[test]' brings it)")
        self.binary = binary
        self.folder = Path(tempfile.mkdtemp(prefix="csfinder-es-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.version = ""

    @property
    def url(self) -> str:
        """The emulator's HTTP address."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ElasticEmulator:
        """Start in the foreground of a child process; wait until ``GET /`` answers."""
        argv = [self.binary, "start", "--only", "elasticsearch"]
        argv += ["--elasticsearch-port", str(self.port), "--data-dir", str(self.folder)]
        log = (self.folder / "noida.log").open("wb")
        # A session of its own: the noida-db command is a wrapper around the emulator's
        # binary, and stopping the group stops both.
        self.process = subprocess.Popen(
            argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(self.url, timeout=2) as answer:  # noqa: S310 (loopback)
                    info = json.loads(answer.read())
                break
            except OSError as exc:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise Unavailable(f"noida-db did not start: {exc}") from None
                time.sleep(0.05)
        number = info.get("version", {}).get("number", "?")
        self.version = f"noida-db (Elasticsearch {number} API emulator, not Lucene)"
        return self

    def stop(self) -> None:
        """Stop the emulator and remove its data."""
        if self.process is not None:
            for signum in (signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signum)
                try:
                    self.process.wait(timeout=10)
                    break
                except subprocess.TimeoutExpired:
                    continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # the binary, if still there
        shutil.rmtree(self.folder, ignore_errors=True)
