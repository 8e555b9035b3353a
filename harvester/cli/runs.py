"""``csfinder runs``: what each harvest run did."""

from __future__ import annotations

import json

import click

from harvester.cli.app import App, clip, duration, echo_table, pass_app
from harvester.store import FAILED, RUNNING, STALLED, SUCCEEDED
from harvester.store.liveness import mark_stalled


@click.command()
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
            duration(run.started_at, run.ended_at),
            *(str(v) for v in run.counts.as_dict().values()),
            clip(run.error or "", 60),
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
            click.echo(f"  - {where}{clip(sample.reason, 160)}")
