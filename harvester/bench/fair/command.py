"""``csfinder bench fair URL...``: assess landing pages by the FAIRsFAIR metrics over HTTP
and print each metric's points, the total, and the FAIR Signposting found."""

from __future__ import annotations

import json
from typing import Any

import click

from harvester.bench.fair.evidence import Evidence, gather
from harvester.bench.fair.metrics import assess, percentage
from harvester.bench.fair.subject import Result

SIGNPOSTS = ("cite-as", "describedby", "item", "license", "type", "author", "linkset")


def _number(points: float) -> float | int:
    """Points as JSON and people read them: 2 rather than 2.0, 0.5 as it is."""
    return int(points) if float(points).is_integer() else points


def report(evidence: Evidence, results: list[Result]) -> dict[str, Any]:
    """One page's assessment as plain data."""
    return {
        "url": evidence.url,
        "score": percentage(results),
        "earned": _number(sum(r.earned for r in results)),
        "points": sum(r.points for r in results),
        "metrics": [
            {
                "metric": r.metric,
                "earned": _number(r.earned),
                "points": r.points,
                "applicable": r.points > 0,
                "reason": r.reason,
            }
            for r in results
        ],
        "signposting": {rel: len(evidence.rels(rel)) for rel in SIGNPOSTS},
        "linkset": evidence.linkset is not None,
        "problems": evidence.problems,
    }


@click.command("fair")
@click.argument("urls", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per page.")
@click.option(
    "--fetch-data",
    is_flag=True,
    help="Fetch data files (at most 1 MB of each of 5) to compare them with their declared "
    "type and size and look for the measured variables in them, as F-UJI does.",
)
def bench_fair(urls: tuple[str, ...], as_json: bool, fetch_data: bool) -> None:
    """Assess landing pages (URLS) by the FAIRsFAIR data object metrics over HTTP."""
    for url in urls:
        evidence = gather(url, fetch_data=fetch_data)
        found = report(evidence, assess(evidence))
        if as_json:
            click.echo(json.dumps(found, ensure_ascii=False))
            continue
        click.echo(f"{url}: {found['score']}% ({found['earned']}/{found['points']} points)")
        for metric in found["metrics"]:
            points = f"{metric['earned']}/{metric['points']}" if metric["applicable"] else "n/a"
            click.echo(f"  {metric['metric']:<13} {points:>5}  {metric['reason']}")
        signs = ", ".join(f"{rel} {n}" for rel, n in found["signposting"].items())
        click.echo(f"  signposting: {signs}; linkset {'found' if found['linkset'] else 'missing'}")
        for problem in found["problems"]:
            click.echo(f"  problem: {problem}")
