"""Sources that operators register through the portal, and their review.

A registration waits as ``pending`` until an administrator approves it; an approved source
is harvested like one from ``config/sources/`` (:func:`load_all_sources` merges both; a
file wins when both use one id), except that every request made for it goes through the
URL guard: a registered source is always ``guarded``, whatever its stored configuration
says. The operator's contact is kept for the administrators only: it is never exported,
listed publicly or put into a source file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import insert, select, update

from harvester.core.errors import CsfinderError, SourceConfigError
from harvester.core.model import public_text
from harvester.core.sources import LoadedSources, SourceConfig, load_sources
from harvester.store.database import Store
from harvester.store.schema import registered_sources
from harvester.store.values import utcnow

PENDING, APPROVED, REJECTED, DISABLED = "pending", "approved", "rejected", "disabled"
STATUSES = (PENDING, APPROVED, REJECTED, DISABLED)
REVIEW_ACTIONS = {"approve": APPROVED, "reject": REJECTED, "disable": DISABLED, "enable": APPROVED}


class RegistrationError(CsfinderError):
    """A registration that cannot be stored or reviewed; the message says why."""


@dataclass(frozen=True)
class Registration:
    """One registered source and where its review stands."""

    source: SourceConfig
    status: str
    contact: str
    metadata_license: str
    submitted_at: datetime
    reviewed_at: datetime | None
    reviewer: str | None

    @property
    def id(self) -> str:
        """The source id."""
        return self.source.id


def source_from_form(values: dict[str, Any]) -> SourceConfig:
    """A source configuration from submitted values.

    Raises:
        RegistrationError: a value the configuration cannot take, named.
    """
    try:
        source = SourceConfig.model_validate({**values, "guarded": True})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "source"
        raise RegistrationError(f"{field}: {first['msg']}") from None
    if source.is_file:  # a file on this machine is for sources from config files only
        raise RegistrationError("url: must be an http:// or https:// URL with a host")
    for field in ("name", "platform"):  # shown publicly once approved
        if public_text(getattr(source, field)) != getattr(source, field):
            raise RegistrationError(
                f"{field}: holds an e-mail address or a control character, which the portal "
                "never shows (the contact field is the place for an address)"
            )
    return source


def submit(store: Store, source: SourceConfig, contact: str, metadata_license: str) -> Registration:
    """Store a new registration as pending.

    Raises:
        RegistrationError: the id is taken, or the contact or licence is missing.
    """
    if not contact.strip():
        raise RegistrationError("a contact is needed (kept private, for the administrators)")
    if not metadata_license.strip():
        raise RegistrationError("say under which licence the metadata may be reused")
    with store.engine.begin() as conn:
        taken = conn.execute(
            select(registered_sources.c.id).where(registered_sources.c.id == source.id)
        ).first()
        if taken is not None:
            raise RegistrationError(f"a source with the id '{source.id}' is already registered")
        conn.execute(
            insert(registered_sources).values(
                id=source.id,
                status=PENDING,
                config=_config_json(source),
                contact=contact.strip(),
                metadata_license=metadata_license.strip(),
                submitted_at=utcnow(),
            )
        )
    found = get(store, source.id)
    assert found is not None
    return found


def get(store: Store, source_id: str) -> Registration | None:
    """One registration, or None."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(registered_sources).where(registered_sources.c.id == source_id)
        ).first()
    return None if row is None else _registration(row._mapping)


def registrations(store: Store, status: str | None = None) -> list[Registration]:
    """Registrations, newest first, optionally of one status."""
    stmt = select(registered_sources).order_by(registered_sources.c.submitted_at.desc())
    if status is not None:
        stmt = stmt.where(registered_sources.c.status == status)
    with store.engine.connect() as conn:
        return [_registration(row._mapping) for row in conn.execute(stmt)]


def review(store: Store, source_id: str, action: str, reviewer: str) -> Registration:
    """Approve, reject, disable or re-enable a registration.

    Raises:
        RegistrationError: unknown source or action.
    """
    status = REVIEW_ACTIONS.get(action)
    if status is None:
        raise RegistrationError(f"unknown action {action!r}")
    return _update(store, source_id, status=status, reviewed_at=utcnow(), reviewer=reviewer)


def set_schedule(store: Store, source_id: str, schedule: str | None, reviewer: str) -> Registration:
    """Change a registered source's cron schedule (empty: the default schedule).

    Raises:
        RegistrationError: unknown source, or not a valid cron expression.
    """
    current = get(store, source_id)
    if current is None:
        raise RegistrationError(f"no registered source '{source_id}'")
    values = current.source.model_dump(mode="json", exclude_none=True)
    values["schedule"] = schedule or None
    changed = source_from_form(values)
    return _update(
        store, source_id, config=_config_json(changed), reviewed_at=utcnow(), reviewer=reviewer
    )


def _update(store: Store, source_id: str, **values: Any) -> Registration:
    with store.engine.begin() as conn:
        done = conn.execute(
            update(registered_sources).where(registered_sources.c.id == source_id).values(**values)
        )
    if not done.rowcount:
        raise RegistrationError(f"no registered source '{source_id}'")
    found = get(store, source_id)
    assert found is not None
    return found


def approved_sources(store: Store) -> dict[str, SourceConfig]:
    """The approved registrations, as source configurations."""
    return {r.id: r.source for r in registrations(store, APPROVED)}


def load_all_sources(folder: Path, store: Store) -> LoadedSources:
    """Sources from files and approved registrations; a file wins on a shared id."""
    loaded = load_sources(folder)
    sources = dict(loaded.sources)
    errors = list(loaded.errors)
    for source_id, source in approved_sources(store).items():
        if source_id in sources:
            reason = f"'{source_id}' is also a config file, which is used instead"
            errors.append(SourceConfigError("registered source", "id", reason))
            continue
        sources[source_id] = source
    return LoadedSources(sources=sources, errors=errors)


def export_yaml(registration: Registration) -> str:
    """The registered source as a ``config/sources/<id>.yaml`` file (no contact in it)."""
    values = registration.source.model_dump(mode="json", exclude={"id"}, exclude_none=True)
    header = f"# Registered through the portal; metadata licence: {registration.metadata_license}\n"
    return header + yaml.safe_dump(values, sort_keys=False, allow_unicode=True)


def _config_json(source: SourceConfig) -> str:
    return json.dumps(source.model_dump(mode="json", exclude_none=True), ensure_ascii=False)


def _registration(row: Any) -> Registration:
    return Registration(
        source=SourceConfig.model_validate({**json.loads(row["config"]), "guarded": True}),
        status=row["status"],
        contact=row["contact"],
        metadata_license=row["metadata_license"],
        submitted_at=row["submitted_at"],
        reviewed_at=row["reviewed_at"],
        reviewer=row["reviewer"],
    )
