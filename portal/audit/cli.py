"""``csfinder audit URL``: the probes of :mod:`portal.audit` against a running portal.

Registered with the command line through the ``csfinder.commands`` entry point. Exit status
0 when every check passed, 1 otherwise; ``--json`` prints the report as one JSON object.
"""

from __future__ import annotations

import json
import os

import click

from portal.audit import leaks, queries, sessions, ssrf
from portal.audit.report import Report
from portal.audit.target import Target

FAMILIES = ("leaks", "queries", "ssrf", "sessions")


def run_audit(
    base: str,
    *,
    planted: str | None = None,
    user: str | None = None,
    password: str | None = None,
    skip: tuple[str, ...] = (),
) -> Report:
    """Every probe family not skipped, against the portal at ``base``."""
    report = Report()
    target = Target(base)
    for family in FAMILIES:
        if family in skip:
            report.skip(family, "asked to skip")
        elif family == "leaks":
            leaks.probe(target, report, planted)
        elif family == "queries":
            queries.probe(target, report)
        elif family == "ssrf":
            ssrf.probe(target, report)
        else:
            sessions.probe(target, report, user, password)
    return report


@click.command("audit")
@click.argument("url")
@click.option("--planted", help="A marker planted in harvested records that must never show.")
@click.option("--admin-user", help="Log in as this administrator to check sessions.")
@click.option(
    "--admin-password-env",
    metavar="VARIABLE",
    help="The environment variable holding that administrator's password.",
)
@click.option(
    "--skip",
    type=click.Choice(FAMILIES),
    multiple=True,
    help="A probe family not to run (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def audit(
    url: str,
    planted: str | None,
    admin_user: str | None,
    admin_password_env: str | None,
    skip: tuple[str, ...],
    as_json: bool,
) -> None:
    """Probe the portal at URL as an attacker would: leaks, hostile queries, SSRF through
    registration, sessions and CSRF. Exit status 1 when any check fails."""
    password = os.environ.get(admin_password_env) if admin_password_env else None
    report = run_audit(url, planted=planted, user=admin_user, password=password, skip=skip)
    if as_json:
        click.echo(json.dumps(report.as_dict()))
    else:
        for line in report.lines():
            click.echo(line)
    if not report.ok:
        raise SystemExit(1)
