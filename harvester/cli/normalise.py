"""Command-line surfaces of normalising: ``map``, ``normalise`` and ``quality``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from harvester.cli.app import fail
from harvester.core.errors import CsfinderError
from harvester.core.records import RawRecord
from harvester.enrich.clusters.runs import summary_line
from harvester.normalise.crosswalk import Crosswalk, load_crosswalk
from harvester.normalise.engine import SourceContext, normalise
from harvester.normalise.files import raw_records_from_file
from harvester.normalise.report import quality_summary
from harvester.normalise.service import crosswalk_named
from harvester.ops.progress import ProgressBar
from harvester.pipeline.clustering import cluster_changes
from harvester.pipeline.renormalise import normalise_source
from harvester.store import utcnow


def _crosswalk(name_or_path: str) -> Crosswalk:
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml") and path.is_file():
        return load_crosswalk(path)
    return crosswalk_named(name_or_path)


@click.command("map")
@click.argument("crosswalk")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the records as JSON.")
def map_file(crosswalk: str, file: Path, as_json: bool) -> None:
    """Map FILE with CROSSWALK (a name, or a .yaml file) and show records and issues."""
    try:
        chosen = _crosswalk(crosswalk)
        items = list(raw_records_from_file(file, chosen))
    except CsfinderError as exc:
        fail(str(exc))
    context = SourceContext("file", file.name, "-", "file", str(file))
    harvested_at = f"{utcnow():%Y-%m-%dT%H:%M:%SZ}"
    out: list[dict[str, Any]] = []
    for item in items:
        if not isinstance(item, RawRecord):
            out.append({"failed": item.identifier, "reason": item.reason})
            continue
        if item.deleted:
            out.append({"deleted": item.identifier})
            continue
        out.append(normalise(item, chosen, context, harvested_at).model_dump(mode="json"))
    if as_json:
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    click.echo(f"{file}: {len(out)} records with crosswalk {chosen.name}")
    for record in out:
        _describe(record)


def _describe(record: dict[str, Any]) -> None:
    if "failed" in record or "deleted" in record:
        click.echo(f"\n- {json.dumps(record, ensure_ascii=False)}")
        return
    click.echo(f"\n{record['id']}  [{record['kind']}]  {record['title']}")
    filled = [
        key
        for key, value in record.items()
        if value not in (None, [], {}, "") and key not in ("id", "kind", "title", "quality")
    ]
    click.echo(f"  fields: {', '.join(filled)}")
    quality = record["quality"]
    click.echo(f"  FAIR score: {quality['score']}")
    for indicator in quality["indicators"]:
        mark = "pass" if indicator["passed"] else "FAIL"
        click.echo(f"    {mark} {indicator['id']}: {indicator['reason']}")
    for issue in quality["issues"]:
        click.echo(f"  issue: {issue['field']} {issue['problem']}: {issue['detail']}")


@click.command("normalise")
@click.argument("source_id", required=False)
@click.pass_obj
def normalise_command(app: Any, source_id: str | None) -> None:
    """Re-map stored raw records (of SOURCE_ID, or all) after a crosswalk changed."""
    chosen = [app.source(source_id)] if source_id else list(app.sources.sources.values())
    stored = app.store.record_counts()
    failed = []
    changed = False
    for source in chosen:
        total = stored.get(source.id, {}).get("records", 0)
        try:
            with ProgressBar(f"normalising {source.id}", total=total or None) as bar:
                counts = normalise_source(app.store, source, app.index, bar.update)
        except CsfinderError as exc:
            click.echo(f"{source.id}: {exc}", err=True)
            failed.append(source.id)
            continue
        click.echo(
            f"{source.id}: {counts.added} added, {counts.updated} updated, "
            f"{counts.unchanged} unchanged, {counts.deleted} deleted"
        )
        changed = changed or bool(counts.added or counts.updated or counts.deleted)
    if changed:  # records that changed may belong with others now, or no longer
        report = cluster_changes(app.store, app.index)
        if report is not None and (report.formed or report.dissolved or report.moved):
            click.echo(f"clusters: {summary_line(report)}")
    if failed:
        fail(f"could not normalise: {', '.join(failed)}")


@click.command("quality")
@click.argument("source_id")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--examples", default=3, show_default=True, help="Examples per problem.")
@click.pass_obj
def quality_command(app: Any, source_id: str, as_json: bool, examples: int) -> None:
    """Summarise the quality and FAIR indicators of a source's records."""
    source = app.source(source_id)
    summary = quality_summary(app.store.iter_normalised(source.id), examples)
    if as_json:
        click.echo(json.dumps({"source": source.id, **summary}, indent=2, ensure_ascii=False))
        return
    click.echo(
        f"{source.id}: {summary['records']} records, mean FAIR score {summary['mean_score']}"
    )
    for indicator in summary["indicators"]:
        click.echo(f"  {indicator['id']:<28} {indicator['passing']:>6.1%} passing")
    if summary["problems"]:
        click.echo("most common problems:")
    for problem in summary["problems"]:
        click.echo(f"  {problem['count']:>6}  {problem['field']} {problem['problem']}")
        for example in problem["examples"]:
            click.echo(f"          e.g. {example['record']}: {example['detail']}")
