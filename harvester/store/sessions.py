"""Administrators' sessions, kept in the store so that every portal process on every
machine sees a logout, a timeout or a new password at once.

A session is a random token in the administrator's (signed) cookie; the store keeps only
its SHA-256, with who logged in, a fingerprint of the credentials used (the portal passes
a hash of the user name and password hash: a new password makes every older session's
fingerprint wrong) and when it began and was last used. A session is valid while it is
younger than its maximum age, used within the idle timeout, and its fingerprint matches;
an invalid one is deleted when it is looked up, expired ones whenever a session opens.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update

from harvester.store.engine import StoreBase
from harvester.store.schema import admin_sessions
from harvester.store.values import utcnow

TOUCH_AFTER = timedelta(seconds=60)
"""A session's last use is written at most this often (not on every request)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AdminSessions(StoreBase):
    """The ``admin_sessions`` table."""

    def open_admin_session(
        self, user: str, credential: str, *, max_age: float, now: datetime | None = None
    ) -> str:
        """Begin a session for ``user``; return its token (for the cookie only). Sessions
        older than ``max_age`` seconds are deleted on the way."""
        now = now or utcnow()
        token = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                delete(admin_sessions).where(
                    admin_sessions.c.created_at < now - timedelta(seconds=max_age)
                )
            )
            conn.execute(
                insert(admin_sessions).values(
                    token_hash=_digest(token),
                    user=user,
                    credential=credential,
                    created_at=now,
                    seen_at=now,
                )
            )
        return token

    def admin_session_user(
        self,
        token: str,
        credential: str,
        *,
        idle: float,
        max_age: float,
        now: datetime | None = None,
    ) -> str | None:
        """The user of a valid session (see the module docs), its last use noted; None,
        and the session deleted, when it is not valid. Times are compared in SQL."""
        now = now or utcnow()
        key = _digest(token)
        table = admin_sessions.c
        query = select(
            table.user,
            table.credential,
            (table.created_at > now - timedelta(seconds=max_age)).label("young"),
            (table.seen_at > now - timedelta(seconds=idle)).label("active"),
            (table.seen_at < now - TOUCH_AFTER).label("stale"),
        ).where(table.token_hash == key)
        with self.engine.begin() as conn:
            row = conn.execute(query).first()
            if row is None:
                return None
            if not (
                row.young and row.active and secrets.compare_digest(row.credential, credential)
            ):
                conn.execute(delete(admin_sessions).where(table.token_hash == key))
                return None
            if row.stale:
                conn.execute(
                    update(admin_sessions).where(table.token_hash == key).values(seen_at=now)
                )
            return str(row.user)

    def close_admin_session(self, token: str) -> None:
        """End one session (logout)."""
        with self.engine.begin() as conn:
            conn.execute(
                delete(admin_sessions).where(admin_sessions.c.token_hash == _digest(token))
            )

    def close_admin_sessions(self) -> int:
        """End every session; return how many ended."""
        with self.engine.begin() as conn:
            return int(conn.execute(delete(admin_sessions)).rowcount or 0)

    def admin_session_count(self) -> int:
        """How many sessions are open (valid or not yet found expired)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(admin_sessions)).scalar_one())
