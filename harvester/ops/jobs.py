"""The scheduler's jobs as data: one job per enabled source with its cron schedule, the times
a schedule fires, and each source's next run as the job store holds it.

Pure functions of the sources and a time, except :func:`scheduled_runs`, which reads the job
store's table directly, so that ``csfinder status`` needs no running scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Column, Float, MetaData, String, Table, select
from sqlalchemy.exc import SQLAlchemyError

from harvester.core.cron import cron_trigger
from harvester.core.sources import LoadedSources
from harvester.store import Store

JOBS_TABLE = "scheduler_jobs"
"""The job store's table in the project's database."""

JOB_PREFIX = "harvest:"
"""Prefix of a source's job id in the job store (``harvest:ID``)."""


@dataclass(frozen=True)
class JobSpec:
    """The job one enabled source needs: its id and its cron schedule (UTC)."""

    source_id: str
    schedule: str
    default: bool = False
    """The schedule is the settings' default (the source sets none)."""

    @property
    def job_id(self) -> str:
        """The job's id in the job store."""
        return JOB_PREFIX + self.source_id

    @property
    def name(self) -> str:
        """The job's name, which also records its schedule (a changed schedule differs)."""
        return f"harvest {self.source_id} [{self.schedule}]"

    def trigger(self) -> CronTrigger:
        """The cron trigger of the schedule."""
        return cron_trigger(self.schedule)


def job_specs(loaded: LoadedSources, default_schedule: str) -> dict[str, JobSpec]:
    """One job per enabled source, by source id; a source without a schedule gets the
    default one."""
    return {
        source.id: JobSpec(source.id, source.schedule or default_schedule, not source.schedule)
        for source in loaded.sources.values()
        if source.enabled
    }


def next_fire_time(schedule: str, after: datetime) -> datetime | None:
    """The first time at or after ``after`` at which the schedule fires."""
    fire: datetime | None = cron_trigger(schedule).get_next_fire_time(None, after)
    return fire


def fire_times(schedule: str, after: datetime, count: int) -> list[datetime]:
    """The next ``count`` times the schedule fires, from ``after`` on."""
    trigger = cron_trigger(schedule)
    times: list[datetime] = []
    fire: datetime | None = trigger.get_next_fire_time(None, after)
    while fire is not None and len(times) < count:
        times.append(fire)
        fire = trigger.get_next_fire_time(fire, fire)
    return times


def broken_source_ids(loaded: LoadedSources, folder: Path) -> set[str]:
    """Ids of source files in ``folder`` that did not load."""
    return {
        Path(error.path).stem
        for error in loaded.errors
        if Path(error.path).parent.resolve() == folder.resolve()
    }


def scheduled_runs(store: Store) -> dict[str, datetime | None]:
    """Each source's next run as the scheduler's job store has it (empty when the scheduler
    never ran on this database); read without loading the pickled jobs."""
    table = Table(
        JOBS_TABLE,
        MetaData(),
        Column("id", String(191), primary_key=True),
        Column("next_run_time", Float),
    )
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(select(table.c.id, table.c.next_run_time)).all()
    except SQLAlchemyError:
        return {}
    return {
        row.id.removeprefix(JOB_PREFIX): (
            datetime.fromtimestamp(row.next_run_time, UTC) if row.next_run_time else None
        )
        for row in rows
        if row.id.startswith(JOB_PREFIX)
    }
