"""The ``csfinder`` command line."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from harvester.errors import CsfinderError, RunConflictError
from harvester.harvest import HarvestRequest, harvest_source
from harvester.http import http_client_for
from harvester.logs import ENV_LOG_FORMAT, ENV_LOG_LEVEL, LOG_FORMATS, configure_logging
from harvester.oai.check import check_oai_endpoint
from harvester.oai.harvest import validate_oai_date
from harvester.progress import ProgressLine
from harvester.runs import mark_stalled
from harvester.scheduler import EXIT_CONFLICT
from harvester.settings import Settings, load_settings
from harvester.sources import LoadedSources, SourceConfig
from harvester.store import FAILED, RUNNING, STALLED, SUCCEEDED, Run, Store

if TYPE_CHECKING:
    from harvester.index.base import SearchIndex


class Failure(click.ClickException):
    """A one-line reason and a non-zero exit status."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        """Print ``csfinder: error: <reason>`` on standard error."""
        click.echo(f"csfinder: error: {self.format_message()}", err=True)


class Busy(Failure):
    """The source is being harvested by another process (exit status 75, EX_TEMPFAIL, so
    that the scheduler tells a skipped run from a failed one)."""

    exit_code = EXIT_CONFLICT


@dataclass
class App:
    """What every command needs: settings, sources and (lazily) the store."""

    settings: Settings
    _store: Store | None = None
    _sources: LoadedSources | None = None
    _index: SearchIndex | None = None

    @property
    def store(self) -> Store:
        """The store, opened on first use (its folder created if needed)."""
        if self._store is None:
            self.settings.home.mkdir(parents=True, exist_ok=True)
            self._store = Store(
                self.settings.database_url, error_samples=self.settings.harvest.error_samples
            )
        return self._store

    @property
    def index(self) -> SearchIndex:
        """The search index the settings choose, opened on first use."""
        if self._index is None:
            from harvester.index.service import open_index

            self.settings.home.mkdir(parents=True, exist_ok=True)
            self._index = open_index(self.settings)
        return self._index

    @property
    def sources(self) -> LoadedSources:
        """The configured sources (files and approved registrations), loaded once."""
        if self._sources is None:
            from harvester.registry import load_all_sources

            self._sources = load_all_sources(self.settings.sources_dir, self.store)
        return self._sources

    def source(self, source_id: str) -> SourceConfig:
        """One source by id, or a clean failure."""
        try:
            return self.sources.get(source_id)
        except CsfinderError as exc:
            fail(str(exc))


def fail(message: str) -> NoReturn:
    """Stop the command with a one-line reason."""
    raise Failure(message)


pass_app = click.make_pass_decorator(App)


@click.group()
@click.version_option(package_name="csfinder")
@click.option(
    "--log-format",
    type=click.Choice(LOG_FORMATS),
    help=f"Logs as text or one JSON object a line (default: ${ENV_LOG_FORMAT} or text).",
)
@click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False),
    help=f"Least important log level shown (default: ${ENV_LOG_LEVEL}, else INFO for the "
    "scheduler and up, WARNING for other commands).",
)
@click.pass_context
def main(ctx: click.Context, log_format: str | None, log_level: str | None) -> None:
    """csfinder: harvest citizen-science metadata and search it.

    Settings come from config/settings.toml, overridden by CSFINDER_HOME,
    CSFINDER_DATABASE_URL and CSFINDER_CONFIG.
    """
    try:
        chosen = configure_logging(log_format, log_level or os.environ.get(ENV_LOG_LEVEL))
        if ctx.invoked_subcommand in ("scheduler", "up") and not log_level:
            logging.getLogger().setLevel(os.environ.get(ENV_LOG_LEVEL, "INFO").upper())
        elif not (log_level or os.environ.get(ENV_LOG_LEVEL)):
            logging.getLogger().setLevel(logging.WARNING)
        os.environ[ENV_LOG_FORMAT] = chosen  # child processes log the same way
        ctx.obj = App(load_settings())
    except CsfinderError as exc:
        fail(str(exc))


# -- sources ---------------------------------------------------------------------------


@main.group()
def sources() -> None:
    """List and check the configured sources."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_app
def sources_list(app: App, as_json: bool) -> None:
    """List every configured source with its last run."""
    loaded = app.sources
    counts = app.store.record_counts()
    mark_stalled(app.store, app.settings.harvest.stall_after)
    rows = []
    for source in loaded.sources.values():
        last = app.store.runs(source.id, limit=1)
        rows.append(
            {
                **source.model_dump(mode="json"),
                "last_run": last[0].as_dict() if last else None,
                "records": counts.get(source.id, {}).get("records", 0),
                "deleted_records": counts.get(source.id, {}).get("deleted", 0),
            }
        )
    errors = [str(error) for error in loaded.errors]
    if as_json:
        click.echo(json.dumps({"sources": rows, "errors": errors}, indent=2))
    else:
        table = [
            [
                row["id"],
                row["platform"],
                row["protocol"],
                "yes" if row["enabled"] else "no",
                row["schedule"] or "-",
                row["last_run"]["status"] if row["last_run"] else "never",
                str(row["records"]),
            ]
            for row in rows
        ]
        headers = ["ID", "PLATFORM", "PROTOCOL", "ENABLED", "SCHEDULE", "LAST RUN", "RECORDS"]
        echo_table(headers, table)
        if not rows:
            click.echo(f"no sources in {app.settings.sources_dir}")
    for error in errors:
        click.echo(f"csfinder: warning: {error}", err=True)


@sources.command("export")
@click.argument("source_id")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the YAML file here (default: print it).",
)
@pass_app
def sources_export(app: App, source_id: str, output: Path | None) -> None:
    """Write a source registered in the portal as a config/sources YAML file."""
    from harvester.registry import export_yaml, get

    registration = get(app.store, source_id)
    if registration is None:
        fail(f"no registered source '{source_id}'")
    text = export_yaml(registration)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output} ({registration.status})")


@sources.command("check")
@click.argument("source_id")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_app
def sources_check(app: App, source_id: str, as_json: bool) -> None:
    """Ask a source's endpoint what it offers, and say what does not fit."""
    source = app.source(source_id)
    if source.protocol != "oai-pmh":
        fail(f"checking protocol '{source.protocol}' is not supported yet")
    http = http_client_for(source, app.settings.harvest)
    try:
        report = check_oai_endpoint(
            source.id, source.url, source.metadata_prefix, source.sets, http
        )
    finally:
        http.close()
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
    else:
        click.echo(f"{source.id}: {source.url}")
        for key, value in report.identify.items():
            click.echo(f"  {key.replace('_', ' ')}: {value}")
        if report.formats:
            click.echo(f"  metadata formats: {', '.join(report.formats)}")
        more = "" if report.sets_complete else " (first pages only)"
        click.echo(f"  sets: {len(report.sets)}{more}")
        for spec, name in report.sets[:10]:
            click.echo(f"    {spec}  {name}")
        if len(report.sets) > 10:
            click.echo(f"    ... {len(report.sets) - 10} more")
        click.echo("  OK: ready to harvest" if report.ok else "  problems:")
        for problem in report.problems:
            click.echo(f"    - {problem}")
    if not report.ok:
        fail(f"source '{source.id}': {report.problems[0]}")


# -- harvest ---------------------------------------------------------------------------


def _from_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return validate_oai_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.argument("source_id", required=False)
@click.option("--all", "all_sources", is_flag=True, help="Harvest every enabled source.")
@click.option("--full", is_flag=True, help="Ignore earlier runs: list everything.")
@click.option(
    "--from",
    "from_date",
    callback=_from_date,
    metavar="DATE",
    help="Harvest records changed since DATE (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).",
)
@pass_app
def harvest(
    app: App, source_id: str | None, all_sources: bool, full: bool, from_date: str | None
) -> None:
    """Harvest SOURCE_ID (incrementally, unless told otherwise), or --all."""
    if full and from_date:
        raise click.UsageError("--full and --from exclude each other")
    if bool(source_id) == all_sources:
        raise click.UsageError("name one SOURCE_ID, or give --all")
    request = HarvestRequest(full=full, from_date=from_date)
    if source_id:
        run = _harvest_one(app, app.source(source_id), request)
        if run.status != SUCCEEDED:
            fail(f"{run.source_id}: run {run.id} {run.status}: {run.error}")
        return
    for error in app.sources.errors:
        click.echo(f"csfinder: warning: {error}", err=True)
    chosen = [s for s in app.sources.sources.values() if s.enabled]
    finished = []
    for source in chosen:
        try:
            finished.append(_harvest_one(app, source, request))
        except Busy as exc:
            click.echo(f"csfinder: warning: {exc.format_message()}", err=True)
    failed = [run.source_id for run in finished if run.status != SUCCEEDED]
    if failed:
        fail(f"{len(failed)} of {len(chosen)} sources failed: {', '.join(failed)}")


def _harvest_one(app: App, source: SourceConfig, request: HarvestRequest) -> Run:
    line = ProgressLine()
    try:
        run = harvest_source(
            source, app.store, app.settings.harvest, request, line, index=app.index
        )
    except RunConflictError as exc:
        line.close()
        raise Busy(f"{source.id}: {exc}") from None
    except CsfinderError as exc:
        line.close()
        runs = app.store.runs(source.id, limit=1)
        if not runs or runs[0].status == SUCCEEDED or runs[0].error is None:
            fail(f"{source.id}: {exc}")
        click.echo(describe_run(runs[0]), err=True)
        return runs[0]
    line.close()
    click.echo(describe_run(run))
    return run


def describe_run(run: Run) -> str:
    """One line saying what a run did."""
    counts = ", ".join(f"{value} {name}" for name, value in run.counts.as_dict().items())
    took = _duration(run.started_at, run.ended_at)
    text = f"{run.source_id}: run {run.id} {run.status} in {took}: {counts}"
    if run.resumed_run_id:
        text += f" (resumed run {run.resumed_run_id})"
    if run.error:
        text += f"; error: {run.error}"
    return text


# -- runs ------------------------------------------------------------------------------


@main.command()
@click.argument("source_id", required=False)
@click.option("--limit", default=20, show_default=True, help="How many runs to show.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice([RUNNING, SUCCEEDED, FAILED, STALLED]),
    help="Only runs with this status; repeatable (e.g. --status stalled --status failed).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_app
def runs(
    app: App, source_id: str | None, limit: int, statuses: tuple[str, ...], as_json: bool
) -> None:
    """Show recent harvest runs, newest first, with counts and errors; stalled and failed
    runs are counted at the end, with the leases held."""
    mark_stalled(app.store, app.settings.harvest.stall_after, source_id)
    found = app.store.runs(source_id, limit=limit, statuses=statuses or None)
    if as_json:
        payload = [
            {
                **run.as_dict(),
                "error_samples": [
                    {"identifier": s.identifier, "reason": s.reason}
                    for s in app.store.error_samples(run.id)
                ],
            }
            for run in found
        ]
        click.echo(json.dumps(payload, indent=2))
        return
    headers = [
        "RUN",
        "SOURCE",
        "STATUS",
        "MODE",
        "STARTED",
        "TOOK",
        "SEEN",
        "ADDED",
        "UPDATED",
        "UNCHANGED",
        "DELETED",
        "FAILED",
        "ERROR",
    ]
    table = [
        [
            str(run.id),
            run.source_id,
            run.status,
            run.mode,
            f"{run.started_at:%Y-%m-%d %H:%M:%S}",
            _duration(run.started_at, run.ended_at),
            *(str(v) for v in run.counts.as_dict().values()),
            _clip(run.error or "", 60),
        ]
        for run in found
    ]
    echo_table(headers, table)
    if not found:
        click.echo("no such runs" if statuses else "no runs yet")
        return
    troubled = [
        f"{sum(r.status == status for r in found)} {status}"
        for status in (STALLED, FAILED)
        if any(r.status == status for r in found)
    ]
    if troubled:
        click.echo(f"\n{' and '.join(troubled)} among these runs (`csfinder status` for more)")
    for lease in app.store.leases(source_id):
        run = f"run {lease.run_id}" if lease.run_id else "starting"
        click.echo(
            f"lease: {lease.source_id} held by process {lease.pid} on {lease.host} ({run}), "
            f"until {lease.expires_at:%Y-%m-%d %H:%M:%S}Z"
        )
    if source_id:
        samples = app.store.error_samples(found[0].id)
        if samples:
            click.echo(f"\nerror samples of run {found[0].id}:")
        for sample in samples:
            where = f"{sample.identifier}: " if sample.identifier else ""
            click.echo(f"  - {where}{_clip(sample.reason, 160)}")


# -- output helpers --------------------------------------------------------------------


def echo_table(headers: list[str], rows: Iterable[list[str]]) -> None:
    """Print rows as aligned columns under a header."""
    rows = list(rows)
    if not rows:
        return
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    for row in [headers, *rows]:
        cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        click.echo("  ".join(cells).rstrip())


def _duration(start: datetime, end: datetime | None) -> str:
    if end is None:
        return "-"
    seconds = (end - start).total_seconds()
    if seconds < 10:
        return f"{seconds:.2f}s"
    return f"{seconds:.1f}s" if seconds < 120 else f"{seconds / 60:.1f}min"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


PLUGIN_GROUP = "csfinder.commands"
BENCH_PLUGIN_GROUP = "csfinder.bench"


def register_extra_commands() -> None:
    """Attach the commands kept in their own modules, and those other packages register
    under the ``csfinder.commands`` entry point (the portal's ``serve``) and, as ``bench``
    subcommands, under ``csfinder.bench`` (the portal's ``bench portal``)."""
    from harvester.bench import bench
    from harvester.bench_ingest import bench_ingest
    from harvester.demo.command import demo
    from harvester.index.bench import bench_search
    from harvester.index.commands import reindex_command, search_command
    from harvester.normalise.commands import map_file, normalise_command, quality_command
    from harvester.ops import scheduler_command, status_command, up_command

    commands = (demo, bench, map_file, normalise_command, quality_command)
    for command in (scheduler_command, up_command, status_command):
        main.add_command(command)
    for command in (*commands, search_command, reindex_command):
        main.add_command(command)
    bench.add_command(bench_search)
    bench.add_command(bench_ingest)
    for group, parent in ((PLUGIN_GROUP, main), (BENCH_PLUGIN_GROUP, bench)):
        for entry in entry_points(group=group):
            try:
                parent.add_command(entry.load(), entry.name)
            except ImportError as exc:  # a broken plugin must not take the command line down
                click.echo(f"csfinder: command '{entry.name}' unavailable: {exc}", err=True)


register_extra_commands()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

__all__ = ["Path", "main"]
