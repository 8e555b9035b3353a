"""Operations commands: ``csfinder scheduler``, ``csfinder up``, ``csfinder status`` and
``csfinder check``."""

from __future__ import annotations

import json
import logging
import os
import shlex
import sys
from typing import Any

import click

from harvester.cli.app import echo_table
from harvester.ops.check import check_all
from harvester.ops.scheduler import HarvestScheduler
from harvester.ops.signals import Signals
from harvester.ops.status import status_report
from harvester.ops.supervisor import ChildSpec, Supervisor

log = logging.getLogger(__name__)
ENV_PORTAL_COMMAND = "CSFINDER_PORTAL_COMMAND"


@click.command("scheduler")
@click.pass_obj
def scheduler_command(app: Any) -> None:
    """Harvest every enabled source on its schedule until stopped (SIGTERM or Ctrl-C).

    One job per enabled source, from its `schedule` (cron, UTC) or [scheduler]
    default_schedule; each harvest runs as a child process with a time limit. The sources
    folder is read again every [scheduler] reload_interval seconds and on SIGHUP.
    """
    signals = Signals().install()
    scheduler = HarvestScheduler(app.settings, app.store)
    report = scheduler.start()
    log.info(
        "scheduling %d sources from %s",
        len(scheduler.jobs()),
        app.settings.sources_dir,
        extra={
            "event": "scheduler_ready",
            "sources": sorted(scheduler.jobs()),
            "errors": len(report.errors),
        },
    )
    try:
        scheduler.serve(signals)
    finally:
        scheduler.shutdown()
    log.info("scheduler stopped", extra={"event": "scheduler_stopped"})


def portal_argv(host: str, port: int, command: str | None = None) -> list[str]:
    """The portal's command: ``csfinder serve``, or ``command`` with ``{host}`` and ``{port}``
    filled in."""
    if command:
        return [part.format(host=host, port=port) for part in shlex.split(command)]
    return [sys.executable, "-m", "harvester", "serve", "--host", host, "--port", str(port)]


@click.command("up")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address the portal listens on."
)
@click.option("--port", default=8000, show_default=True, help="Port the portal listens on.")
@click.option("--no-portal", is_flag=True, help="Run the scheduler alone.")
@click.option(
    "--grace",
    default=15.0,
    show_default=True,
    help="Seconds the parts get to stop before they are killed.",
)
@click.option(
    "--portal-command",
    envvar=ENV_PORTAL_COMMAND,
    hidden=True,
    help="Run this instead of `csfinder serve` ({host} and {port} are filled in).",
)
@click.pass_obj
def up_command(
    app: Any, host: str, port: int, no_portal: bool, grace: float, portal_command: str | None
) -> None:
    """Run the scheduler and the portal together until stopped (Ctrl-C or SIGTERM).

    Each part is restarted if it dies (waiting longer after each quick death); on a stop
    both are asked to finish, and killed after the grace period.
    """
    children = [ChildSpec("scheduler", [sys.executable, "-m", "harvester", "scheduler"])]
    if not no_portal:
        children.append(ChildSpec("portal", portal_argv(host, port, portal_command)))
    signals = Signals().install()
    supervisor = Supervisor(children, grace=grace)
    log.info(
        "starting %s (pid %s)",
        " and ".join(c.name for c in children),
        os.getpid(),
        extra={"event": "up_started"},
    )
    supervisor.run(signals)
    log.info("stopped", extra={"event": "up_stopped"})


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_obj
def status_command(app: Any, as_json: bool) -> None:
    """Summarise sources, their last runs and next runs, leases held, and anything stalled
    or failed (exit status 1 when something needs attention)."""
    report = status_report(app.store, app.sources, app.settings)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        _print_status(report, echo_table)
    if report["problems"]:
        sys.exit(1)


def _print_status(report: dict[str, Any], echo_table: Any) -> None:
    rows = []
    for source in report["sources"]:
        last = source["last_run"]
        success = source["last_success"]
        lease = source["lease"]
        rows.append(
            [
                source["id"],
                "yes" if source["enabled"] else "no",
                source["schedule"] or "-",
                _when(source["next_run"]),
                source["state"],
                _when(last["started_at"]) if last else "-",
                _when(success["ended_at"]) if success else "-",
                str(source["records"]),
                f"{lease['host']}:{lease['pid']}" if lease else "-",
            ]
        )
    headers = ["SOURCE", "ENABLED", "SCHEDULE", "NEXT RUN", "STATE", "LAST RUN", "LAST OK"]
    echo_table([*headers, "RECORDS", "LEASE"], rows)
    summary = report["summary"]
    click.echo(
        f"\n{summary['sources']} sources ({summary['enabled']} enabled): "
        f"{summary['running']} running, {summary['succeeded']} ok, {summary['failed']} failed, "
        f"{summary['stalled']} stalled, {summary['never_harvested']} never harvested"
    )
    if report["problems"]:
        click.echo("needs attention:")
    for problem in report["problems"]:
        click.echo(f"  - {problem}")


def _when(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "-"


@click.command("check")
@click.pass_obj
def check_command(app: Any) -> None:
    """Check that this deployment can run: the database reachable and migrated, the
    search index reachable with its template, the rate-limit store reachable (one line
    each; exit status 1 when anything is wrong)."""
    checks = check_all(app.settings)
    for check in checks:
        click.echo(check.line())
    if not all(check.ok for check in checks):
        sys.exit(1)
