"""The ``csfinder`` command line: one group, the commands of every stage attached to it, and
those other packages register (the portal's ``serve`` and ``bench portal``)."""

from __future__ import annotations

import logging
import os
import sys

import click

from harvester.cli.app import App, fail
from harvester.cli.lazy import LazyGroup
from harvester.core.errors import CsfinderError
from harvester.core.settings import load_settings
from harvester.ops.logs import ENV_LOG_FORMAT, ENV_LOG_LEVEL, LOG_FORMATS, configure_logging

PLUGIN_GROUP = "csfinder.commands"
BENCH_PLUGIN_GROUP = "csfinder.bench"
COMMANDS = {
    "sources": "harvester.cli.sources:sources",
    "harvest": "harvester.cli.harvest:harvest",
    "runs": "harvester.cli.runs:runs",
    "map": "harvester.cli.normalise:map_file",
    "normalise": "harvester.cli.normalise:normalise_command",
    "quality": "harvester.cli.normalise:quality_command",
    "search": "harvester.cli.search:search_command",
    "reindex": "harvester.cli.search:reindex_command",
    "cluster": "harvester.cli.clusters:cluster_command",
    "embed": "harvester.cli.embed:embed_command",
    "scheduler": "harvester.cli.ops:scheduler_command",
    "up": "harvester.cli.ops:up_command",
    "status": "harvester.cli.ops:status_command",
    "check": "harvester.cli.ops:check_command",
    "db": "harvester.cli.db:db_group",
    "demo": "harvester.cli.demo:demo",
}
"""Every stage's commands, by name: each module is imported when its command runs."""
BENCH_COMMANDS = {
    "harvest": "harvester.bench.harvest:bench_harvest",
    "normalise": "harvester.bench.harvest:bench_normalise",
    "search": "harvester.bench.search:bench_search",
    "ingest": "harvester.bench.ingest:bench_ingest",
    "fair": "harvester.bench.fair.command:bench_fair",
    "clusters": "harvester.bench.clusters:bench_clusters",
    "relevance": "harvester.bench.relevance:bench_relevance",
}


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, plugin_group=PLUGIN_GROUP)
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


@main.group(cls=LazyGroup, lazy_commands=BENCH_COMMANDS, plugin_group=BENCH_PLUGIN_GROUP)
def bench() -> None:
    """Benchmarks that print JSON figures."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
