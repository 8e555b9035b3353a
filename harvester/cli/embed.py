"""``csfinder embed``: compute the multilingual vectors the backlog waits for."""

from __future__ import annotations

import click

from harvester.cli.app import App, fail, pass_app
from harvester.core.errors import CsfinderError
from harvester.index.service import semantic_notice
from harvester.ops.progress import ProgressBar
from harvester.pipeline.embedding import embed_all


@click.command("embed")
@click.option(
    "--all", "everything", is_flag=True, help="Queue every record again first (a new encoder)."
)
@click.option("--threads", default=2, show_default=True, help="Threads the encoder may use.")
@pass_app
def embed_command(app: App, everything: bool, threads: int) -> None:
    """Compute the vectors of the records waiting for them (title and description in each
    of their languages), into the store and the search index."""
    notice = semantic_notice(app.settings)
    if notice is not None:
        fail(notice)
    if everything:
        app.store.queue_all_vectors()
    waiting = app.store.backlog_size()
    try:
        with ProgressBar("computing vectors", total=waiting or None) as bar:
            stats = embed_all(app.store, app.index, app.settings, bar.update, threads)
    except CsfinderError as exc:
        fail(str(exc))
    click.echo(
        f"computed vectors of {stats.records:,} records ({stats.versions:,} language versions, "
        f"{stats.rate:,.0f} records/s); {stats.unchanged:,} unchanged, {stats.gone:,} gone; "
        f"{app.store.backlog_size():,} waiting"
    )
