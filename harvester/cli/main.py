"""The ``csfinder`` command line: one group, the commands of every stage attached to it, and
those other packages register (the portal's ``serve`` and ``bench portal``)."""

from __future__ import annotations

import logging
import os
import sys
from importlib.metadata import entry_points

import click

from harvester.bench.harvest import bench
from harvester.bench.ingest import bench_ingest
from harvester.bench.relevance import bench_relevance
from harvester.bench.search import bench_search
from harvester.cli.app import App, fail
from harvester.cli.db import db_group
from harvester.cli.demo import demo
from harvester.cli.embed import embed_command
from harvester.cli.harvest import harvest
from harvester.cli.normalise import map_file, normalise_command, quality_command
from harvester.cli.ops import check_command, scheduler_command, status_command, up_command
from harvester.cli.runs import runs
from harvester.cli.search import reindex_command, search_command
from harvester.cli.sources import sources
from harvester.core.errors import CsfinderError
from harvester.core.settings import load_settings
from harvester.ops.logs import ENV_LOG_FORMAT, ENV_LOG_LEVEL, LOG_FORMATS, configure_logging

PLUGIN_GROUP = "csfinder.commands"
BENCH_PLUGIN_GROUP = "csfinder.bench"


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


def register_commands() -> None:
    """Attach every stage's commands, and those other packages register under the
    ``csfinder.commands`` entry point (the portal's ``serve``) and, as ``bench``
    subcommands, under ``csfinder.bench`` (the portal's ``bench portal``)."""
    for command in (sources, harvest, runs, map_file, normalise_command, quality_command):
        main.add_command(command)
    for command in (search_command, reindex_command, embed_command, scheduler_command, up_command):
        main.add_command(command)
    for command in (status_command, check_command, db_group, demo, bench):
        main.add_command(command)
    bench.add_command(bench_search)
    bench.add_command(bench_ingest)
    bench.add_command(bench_relevance)
    for group, parent in ((PLUGIN_GROUP, main), (BENCH_PLUGIN_GROUP, bench)):
        for entry in entry_points(group=group):
            try:
                parent.add_command(entry.load(), entry.name)
            except ImportError as exc:  # a broken plugin must not take the command line down
                click.echo(f"csfinder: command '{entry.name}' unavailable: {exc}", err=True)


register_commands()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
