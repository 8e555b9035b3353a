"""``csfinder sources``: list, export and check the configured sources."""

from __future__ import annotations

import json
from pathlib import Path

import click

from harvester.cli.app import App, echo_table, fail, pass_app
from harvester.core.errors import ConfigError
from harvester.core.sources import SourceConfig
from harvester.fetch.http import http_client_for
from harvester.fetch.oai.check import check_oai_endpoint
from harvester.normalise.service import crosswalk_named
from harvester.pipeline.preview import preview_source
from harvester.store.liveness import mark_stalled
from harvester.store.registrations import export_yaml, get


@click.group()
def sources() -> None:
    """List and check the configured sources."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_app
def sources_list(app: App, as_json: bool) -> None:
    """List every configured source with its last run."""
    loaded = app.sources
    counts = app.store.record_counts()
    mark_stalled(app.store, app.settings.harvest.stall_after)
    rows = []
    for source in loaded.sources.values():
        last = app.store.runs(source.id, limit=1)
        rows.append(
            {
                **source.model_dump(mode="json"),
                "last_run": last[0].as_dict() if last else None,
                "records": counts.get(source.id, {}).get("records", 0),
                "deleted_records": counts.get(source.id, {}).get("deleted", 0),
            }
        )
    errors = [str(error) for error in loaded.errors]
    if as_json:
        click.echo(json.dumps({"sources": rows, "errors": errors}, indent=2))
    else:
        table = [
            [
                row["id"],
                row["platform"],
                row["protocol"],
                "yes" if row["enabled"] else "no",
                row["schedule"] or "-",
                row["last_run"]["status"] if row["last_run"] else "never",
                str(row["records"]),
            ]
            for row in rows
        ]
        headers = ["ID", "PLATFORM", "PROTOCOL", "ENABLED", "SCHEDULE", "LAST RUN", "RECORDS"]
        echo_table(headers, table)
        if not rows:
            click.echo(f"no sources in {app.settings.sources_dir}")
    for error in errors:
        click.echo(f"csfinder: warning: {error}", err=True)


@sources.command("export")
@click.argument("source_id")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the YAML file here (default: print it).",
)
@pass_app
def sources_export(app: App, source_id: str, output: Path | None) -> None:
    """Write a source registered in the portal as a config/sources YAML file."""
    registration = get(app.store, source_id)
    if registration is None:
        fail(f"no registered source '{source_id}'")
    text = export_yaml(registration)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {output} ({registration.status})")


@sources.command("check")
@click.argument("source_id")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_app
def sources_check(app: App, source_id: str, as_json: bool) -> None:
    """Ask a source's endpoint what it offers, and say what does not fit."""
    source = app.source(source_id)
    crosswalk = _crosswalk_said(source.crosswalk)
    if source.protocol != "oai-pmh":
        _check_by_sample(app, source, crosswalk, as_json)
        return
    http = http_client_for(source, app.settings.harvest)
    try:
        report = check_oai_endpoint(
            source.id, source.url, source.metadata_prefix, source.sets, http
        )
    finally:
        http.close()
    if as_json:
        click.echo(json.dumps({**report.as_dict(), "crosswalk": crosswalk}, indent=2))
    else:
        click.echo(f"{source.id}: {source.url}")
        click.echo(f"  crosswalk: {crosswalk['name']} ({crosswalk['status']})")
        for key, value in report.identify.items():
            click.echo(f"  {key.replace('_', ' ')}: {value}")
        if report.formats:
            click.echo(f"  metadata formats: {', '.join(report.formats)}")
        more = "" if report.sets_complete else " (first pages only)"
        click.echo(f"  sets: {len(report.sets)}{more}")
        for spec, name in report.sets[:10]:
            click.echo(f"    {spec}  {name}")
        if len(report.sets) > 10:
            click.echo(f"    ... {len(report.sets) - 10} more")
        click.echo("  OK: ready to harvest" if report.ok else "  problems:")
        for problem in report.problems:
            click.echo(f"    - {problem}")
    if not report.ok:
        fail(f"source '{source.id}': {report.problems[0]}")


def _crosswalk_said(name: str) -> dict[str, str]:
    """Which crosswalk a source uses, and whether it loads."""
    try:
        loaded = crosswalk_named(name)
    except ConfigError as exc:
        return {"name": name, "status": f"not usable: {exc}"}
    return {"name": name, "status": f"{loaded.format}, {loaded.path}"}


def _check_by_sample(
    app: App, source: SourceConfig, crosswalk: dict[str, str], as_json: bool
) -> None:
    """Read the first page (json-api, sitemap-jsonld) or rows (csv) as the harvest would,
    map a few records with the source's crosswalk, and say what does not fit."""
    http = http_client_for(source, app.settings.harvest)
    try:
        preview = preview_source(source, http)
    finally:
        http.close()
    sample = [
        {
            "source_identifier": record.provenance.source_identifier,
            "title": record.title,
            "issues": [f"{i.field}: {i.problem}" for i in record.quality.issues],
        }
        for record in preview.records
    ]
    if as_json:
        report = {
            "source": source.id,
            "url": source.url,
            "protocol": source.protocol,
            "crosswalk": crosswalk,
            "ok": preview.ok,
            "details": preview.identify,
            "sample": sample,
            "problems": preview.problems,
        }
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(f"{source.id}: {source.url} ({source.protocol})")
        click.echo(f"  crosswalk: {crosswalk['name']} ({crosswalk['status']})")
        for key, value in preview.identify.items():
            click.echo(f"  {key}: {value}")
        click.echo(f"  sample: {len(sample)} record(s) mapped")
        for item in sample:
            missing = [i for i in item["issues"] if i.endswith("missing")]
            click.echo(
                f"    {item['source_identifier']}: {item['title']}  ({len(missing)} missing)"
            )
        click.echo("  OK: ready to harvest" if preview.ok else "  problems:")
        for problem in preview.problems:
            click.echo(f"    - {problem}")
    if not preview.ok:
        reason = preview.problems[0] if preview.problems else "no record could be mapped"
        fail(f"source '{source.id}': {reason}")
