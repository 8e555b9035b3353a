"""``csfinder harvest``: one source, or every enabled one."""

from __future__ import annotations

import click

from harvester.cli.app import App, Busy, describe_run, fail, pass_app
from harvester.core.errors import CsfinderError, RunConflictError
from harvester.core.sources import SourceConfig
from harvester.enrich.clusters.runs import summary_line
from harvester.fetch.oai.harvest import validate_oai_date
from harvester.index.service import semantic_notice
from harvester.ops.progress import ProgressLine
from harvester.pipeline.clustering import cluster_changes
from harvester.pipeline.embedding import EmbedWorker
from harvester.pipeline.harvest import HarvestRequest, harvest_source
from harvester.store import SUCCEEDED, Run


def _from_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return validate_oai_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
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
    worker = _embed_worker(app)
    try:
        _harvest(app, source_id, request)
    finally:
        if worker is not None:
            worker.finish()


def _embed_worker(app: App) -> EmbedWorker | None:
    """The worker computing vectors of the records harvested, started (None when switched
    off, or without an encoder)."""
    if not app.settings.index.embed_worker or semantic_notice(app.settings) is not None:
        return None
    app.store  # noqa: B018 (the schema is checked before the worker opens the store)
    worker = EmbedWorker(app.settings)
    worker.start()
    return worker


def _harvest(app: App, source_id: str | None, request: HarvestRequest) -> None:
    if source_id:
        run = _harvest_one(app, app.source(source_id), request)
        _cluster(app, [run])
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
    _cluster(app, finished)
    failed = [run.source_id for run in finished if run.status != SUCCEEDED]
    if failed:
        fail(f"{len(failed)} of {len(chosen)} sources failed: {', '.join(failed)}")


def _cluster(app: App, finished: list[Run]) -> None:
    """After the runs: cluster the records they changed (pages stored by a failed run
    count too), and update the index."""
    if not any(run.counts.added or run.counts.updated or run.counts.deleted for run in finished):
        return
    try:
        report = cluster_changes(app.store, app.index)
    except CsfinderError as exc:  # the records are stored: `csfinder cluster` catches up
        click.echo(
            f"csfinder: warning: clustering failed ({exc}); run `csfinder cluster`", err=True
        )
        return
    if report is not None and (report.formed or report.dissolved or report.moved):
        click.echo(f"clusters: {summary_line(report)}")


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
