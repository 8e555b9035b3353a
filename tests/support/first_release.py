"""A database as the first release (csfinder 0.1, before schema migrations) left it, built
from the recording in ``tests/fixtures/first_release/``: its DDL for SQLite or PostgreSQL
and the rows of every table (a harvest of the sample repository, a failed run with a
checkpoint, a run error, a lease, a registration, OAI-PMH sets and a scheduled job).
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, MetaData, Table, insert, select, text

FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "first_release"

Rows = dict[str, list[dict[str, Any]]]


def recorded_rows() -> Rows:
    """Every table's rows as recorded, values decoded (times aware, in UTC)."""
    raw = json.loads((FOLDER / "rows.json").read_text(encoding="utf-8"))
    return {
        name: [dict(zip(table["columns"], map(_decode, row), strict=True)) for row in table["rows"]]
        for name, table in raw.items()
    }


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "$time" in value:
        return datetime.fromisoformat(value["$time"]).replace(tzinfo=UTC)
    if isinstance(value, dict) and "$bytes" in value:
        return base64.b64decode(value["$bytes"])
    return value


def build(engine: Engine) -> None:
    """Create the first release's tables from the recorded DDL and insert its rows."""
    ddl = (FOLDER / f"{engine.dialect.name}.sql").read_text(encoding="utf-8")
    statements = [s.strip() for s in _without_comments(ddl).split(";") if s.strip()]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    reflected = MetaData()
    reflected.reflect(engine)
    rows = recorded_rows()
    with engine.begin() as conn:
        for table in reflected.sorted_tables:
            if rows.get(table.name):
                conn.execute(insert(table), rows[table.name])
        if engine.dialect.name == "postgresql":  # as the first release's ids left them
            conn.execute(text("SELECT setval('harvest_runs_id_seq', 2)"))
            conn.execute(text("SELECT setval('run_errors_id_seq', 1)"))


def _without_comments(sql: str) -> str:
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))


def read_rows(engine: Engine, names: list[str]) -> Rows:
    """The rows of the named tables now, in primary-key order, values as Python reads them
    (times made aware in UTC, as SQLite gives them back naive)."""
    reflected = MetaData()
    reflected.reflect(engine, only=names)
    found: Rows = {}
    with engine.connect() as conn:
        for name in names:
            table: Table = reflected.tables[name]
            stmt = select(table).order_by(*table.primary_key.columns)
            found[name] = [
                {key: _aware(value) for key, value in row._mapping.items()}
                for row in conn.execute(stmt)
            ]
    return found


def _aware(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == " ":
        try:  # SQLite's reflected DATETIME columns may come back as text
            return datetime.fromisoformat(value).replace(tzinfo=UTC)
        except ValueError:
            return value
    return value
