"""``csfinder cluster``: the same project listed on several platforms, clustered again."""

from __future__ import annotations

import json

import click

from harvester.cli.app import App, fail, pass_app
from harvester.enrich.clusters.runs import summary_line
from harvester.pipeline.clustering import cluster_changes, rebuild_all


@click.command("cluster")
@click.option("--changed", is_flag=True, help="Only the records changed since the last run.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_app
def cluster_command(app: App, changed: bool, as_json: bool) -> None:
    """Cluster every record again (ids kept where clusters persist) and print what changed;
    the search index follows."""
    if changed:
        report = cluster_changes(app.store, app.index)
    else:
        report = rebuild_all(
            app.store, app.index, lambda stage, n: click.echo(f"{stage}: {n:,}", err=True)
        )
    if report is None:
        fail("another process is clustering now; try again when it has finished")
    click.echo(json.dumps(report.summary()) if as_json else summary_line(report))
