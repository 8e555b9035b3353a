"""``csfinder search`` and ``csfinder reindex``."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import click

from harvester.cli.app import fail
from harvester.core.errors import CsfinderError
from harvester.index.base import SearchResult
from harvester.index.query import FACETS, MODES, RANGE_FILTERS, SORTS, build_query, parse_pairs
from harvester.index.service import reindex
from harvester.ops.progress import ProgressBar

TAGS = re.compile(r"</?mark>")
FACETS_SHOWN = 5


@click.command("search")
@click.argument("text", required=False, default="")
@click.option(
    "--filter",
    "filters",
    multiple=True,
    metavar="FIELD=VALUE",
    help=f"Narrow the results; repeatable. Fields: {', '.join(FACETS + RANGE_FILTERS)}.",
)
@click.option("--sort", type=click.Choice(SORTS), help="Default: relevance with text, else newest.")
@click.option("--page", default=1, show_default=True, help="Page of results.")
@click.option("--per-page", default=10, show_default=True, help="Results per page (max 100).")
@click.option(
    "--collapse/--no-collapse",
    default=True,
    show_default=True,
    help="One result per project listed on several platforms, or every listing.",
)
@click.option(
    "--mode",
    type=click.Choice(MODES),
    help="By words (lexical), by meaning (semantic) or both fused (hybrid, the default "
    "where vectors exist).",
)
@click.option("--lang", help="The query's language (ISO 639-1); default: told from the text.")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.pass_obj
def search_command(
    app: Any,
    text: str,
    filters: tuple[str, ...],
    sort: str | None,
    page: int,
    per_page: int,
    collapse: bool,
    mode: str | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """Search the index: words, "phrases", prefix*, -exclusions, a OR b; and by meaning,
    in any language, where vectors exist."""
    try:
        query = build_query(
            text,
            parse_pairs(filters),
            sort=sort,
            page=page,
            per_page=per_page,
            collapse=collapse,
            mode=mode,
            lang=lang,
        )
        result = app.search_index.search(query)
    except CsfinderError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return
    _print_result(result)


def _print_result(result: SearchResult) -> None:
    first = result.query.offset + 1
    last = result.query.offset + len(result.hits)
    shown = f", showing {first}–{last}" if result.hits else ""
    click.echo(f"{result.total:,} results (sorted by {result.sort}, {result.mode}){shown}")
    for hit in result.hits:
        summary = hit.summary
        click.echo("")
        click.echo(click.style(_plain(hit.title_html), bold=True))
        facts = [
            str(summary.get("kind") or ""),
            str(summary.get("platform") or ""),
            ", ".join(summary.get("countries") or []),
            str(summary.get("date_modified") or summary.get("start_date") or ""),
        ]
        click.echo("  " + " · ".join(f for f in facts if f) + f"  [{hit.id}]")
        if hit.matched != "words":
            language = f" ({hit.matched_language})" if hit.matched_language else ""
            click.echo(f"  matched by meaning{language}")
        snippet = _plain(hit.snippet_html)
        if snippet:
            click.echo(f"  {snippet}")
        others = [
            str(x.get("platform") or x.get("source_id")) for x in summary.get("listings") or []
        ]
        if others:
            click.echo(f"  also listed on: {', '.join(others)}")
    counted = [(name, counts) for name, counts in result.facets.items() if counts]
    if counted:
        click.echo("")
    for name, counts in counted:
        top = ", ".join(f"{c.value} ({c.count:,})" for c in counts[:FACETS_SHOWN])
        click.echo(f"{name}: {top}")


def _plain(html: str) -> str:
    return " ".join(unescape(TAGS.sub("", html)).split())


@click.command("reindex")
@click.pass_obj
def reindex_command(app: Any) -> None:
    """Rebuild the search index from the stored records (searching goes on meanwhile)."""
    total = sum(app.store.normalised_counts().values())
    try:
        with ProgressBar("indexing", total=total or None) as bar:
            count = reindex(app.store, app.index, bar.update, app.settings.index.encoder)
    except CsfinderError as exc:  # the cluster refused or does not answer
        fail(str(exc))
    click.echo(f"reindexed {count:,} records into the {app.index.name} index")
