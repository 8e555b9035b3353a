"""The ``csfinder demo`` command: works offline, on a fresh machine."""

from __future__ import annotations

import os
from contextlib import ExitStack
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import click
import yaml
from lxml import etree

from harvester.cli.app import App, describe_run, fail
from harvester.core.settings import Settings
from harvester.core.sources import SourceConfig
from harvester.enrich.clusters.runs import summary_line
from harvester.index.base import SearchIndex
from harvester.index.query import SearchQuery
from harvester.index.service import open_index, semantic_notice
from harvester.ops.progress import ProgressLine
from harvester.pipeline.clustering import cluster_changes
from harvester.pipeline.embedding import embed_all
from harvester.pipeline.harvest import HarvestRequest, harvest_source
from harvester.sample_provider import ListRepository, OAIProvider, demo_repositories, serve
from harvester.store import SUCCEEDED, Run, Store

DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


@click.command()
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    help="Data folder for the demo (default: demo/ inside CSFINDER_HOME).",
)
@click.option(
    "--serve/--no-serve", "then_serve", default=True, help="End by serving the portal (default)."
)
@click.option("--port", default=8000, show_default=True, help="Port of the portal.")
@click.pass_context
def demo(ctx: click.Context, home: Path | None, then_serve: bool, port: int) -> None:
    """Serve the sample providers on loopback, harvest them, report what was stored, then
    serve the portal over the harvested records."""
    app = ctx.obj
    assert isinstance(app, App)
    settings = app.settings.with_home(home or app.settings.home / "demo")
    settings.home.mkdir(parents=True, exist_ok=True)
    store = Store(settings.database_url, error_samples=settings.harvest.error_samples)
    index = open_index(settings)
    repositories = demo_repositories()
    if not repositories:
        fail("no demo records are installed (harvester/demo/data is empty)")
    click.echo(f"csfinder demo: data folder {settings.home.resolve()}")
    failed: list[Run] = []
    with ExitStack() as servers:
        for name, repository in repositories.items():
            provider = OAIProvider(repository)
            server = servers.enter_context(serve(provider))
            source = SourceConfig(
                id=f"demo-{name}",
                name=repository.name,
                platform="csfinder demo",
                protocol="oai-pmh",
                url=server.url,
                metadata_prefix="oai_dc",
                sets=tuple(repository.sets),
                crosswalk="oai_dc",
            )
            click.echo(f"\n{source.name}\n  serving {len(repository.sets)} sets at {server.url}")
            for label, request in (
                ("full harvest", HarvestRequest(full=True)),
                ("incremental harvest", HarvestRequest()),
            ):
                if request.mode == "incremental":
                    provider.repository = edited_at_source(repository, datetime.now(UTC))
                    click.echo("  the provider edits one record and withdraws another")
                line = ProgressLine()
                run = harvest_source(source, store, settings.harvest, request, line, index=index)
                line.close()
                click.echo(f"  {label}: {describe_run(run)}")
                if run.status != SUCCEEDED:
                    failed.append(run)
            _report_records(store, source.id)
            _write_source_file(settings, source)
    report = cluster_changes(store, index)
    if report is not None:
        click.echo(f"clusters: {summary_line(report)}")
    _report_totals(store, settings)
    _embed(store, index, settings)
    _report_search(index, settings)
    if failed:
        fail(f"{len(failed)} demo harvests failed")
    if then_serve:
        _serve_portal(ctx, settings, port)


def _write_source_file(settings: Settings, source: SourceConfig) -> None:
    """Describe the demo source for the portal's sources pages (disabled: its loopback
    provider is gone once the demo has harvested it)."""
    folder = settings.home / "config" / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    values = source.model_dump(exclude={"id"}, exclude_none=True, mode="json")
    values["enabled"] = False
    text = "# Written by csfinder demo; the provider ran on loopback during the demo only.\n"
    text += yaml.safe_dump(values, sort_keys=False, allow_unicode=True)
    (folder / f"{source.id}.yaml").write_text(text, encoding="utf-8")


def _serve_portal(ctx: click.Context, settings: Settings, port: int) -> None:
    root = ctx.find_root().command
    command = root.get_command(ctx, "serve") if isinstance(root, click.Group) else None
    if command is None:
        click.echo("The portal is not installed; the records stay searchable with csfinder search.")
        return
    os.environ["CSFINDER_HOME"] = str(settings.home.resolve())
    os.environ["CSFINDER_CONFIG"] = str((settings.home / "config").resolve())
    click.echo("\nServing the portal over the demo records.")
    click.echo(f"Figures of any search (map, trends, citable): http://127.0.0.1:{port}/insights")
    ctx.invoke(command, host="127.0.0.1", port=port, workers=2)


def edited_at_source(repository: ListRepository, when: datetime) -> ListRepository:
    """The same repository a moment later: its first live record edited, its last withdrawn."""
    live = [record for record in repository.records if not record.deleted]
    edited, withdrawn = live[0], live[-1]
    changes = {
        edited.identifier: replace(
            edited,
            datestamp=when,
            dc={**edited.dc, "date": (*edited.dc.get("date", ()), (f"{when:%Y-%m-%d}", None))},
        ),
        withdrawn.identifier: replace(withdrawn, datestamp=when, deleted=True, dc={}),
    }
    return ListRepository(
        repository.name,
        [changes.get(record.identifier, record) for record in repository.records],
        repository.sets,
        repository.granularity,
        repository.earliest_datestamp,
    )


def _report_records(store: Store, source_id: str, shown: int = 3) -> None:
    counts = store.record_counts(source_id).get(source_id, {"records": 0, "deleted": 0})
    click.echo(f"  stored: {counts['records']} records, {counts['deleted']} of them deleted")
    for stored in store.iter_records(source_id, include_deleted=False, batch=shown):
        payload = stored.record.payload or ""
        root = etree.fromstring(payload.encode("utf-8"), etree.XMLParser(resolve_entities=False))
        title = " ".join((root.findtext(DC_TITLE) or "(untitled)").split())
        click.echo(f"    e.g. {stored.record.identifier}: {title}")
        shown -= 1
        if not shown:
            break


def _report_totals(store: Store, settings: Settings) -> None:
    totals = store.record_counts()
    records = sum(c["records"] for c in totals.values())
    click.echo(f"\n{records} records from {len(totals)} sources in {settings.database_url}")
    click.echo(f"See the runs with: CSFINDER_HOME={settings.home} csfinder runs")


def _embed(store: Store, index: SearchIndex, settings: Settings) -> None:
    """Compute the vectors of the demo records (search by meaning), or say why not."""
    notice = semantic_notice(settings)
    if notice is not None:
        click.echo(f"Search by meaning is off: {notice}")
        return
    stats = embed_all(store, index, settings)
    click.echo(
        f"Computed the multilingual vectors of {stats.records} records "
        f"({stats.versions} language versions, encoder {settings.index.encoder})"
    )


def _report_search(index: SearchIndex, settings: Settings) -> None:
    result = index.search(SearchQuery())
    click.echo(f"{result.total} records searchable; most common countries:")
    for count in result.facets.get("country", [])[:5]:
        click.echo(f"    {count.value}: {count.count}")
    click.echo(f'Search them with: CSFINDER_HOME={settings.home} csfinder search "water"')
