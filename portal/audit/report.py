"""What an audit found: per probe family, how many checks ran and the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One check that failed: where, and what was wrong."""

    family: str
    where: str
    problem: str


@dataclass
class Report:
    """The checks made and the findings, by probe family."""

    checks: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    def check(self, family: str, where: str, problem: str | None) -> None:
        """Count one check of ``family``; a ``problem`` makes it a finding."""
        self.checks[family] = self.checks.get(family, 0) + 1
        if problem is not None:
            self.findings.append(Finding(family, where, problem))

    def skip(self, family: str, reason: str) -> None:
        """Say that a probe family did not run, and why."""
        self.skipped[family] = reason

    @property
    def ok(self) -> bool:
        """No finding."""
        return not self.findings

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "ok": self.ok,
            "checks": self.checks,
            "skipped": self.skipped,
            "findings": [vars(f) for f in self.findings],
        }

    def lines(self) -> list[str]:
        """The report for people: one line per family, then one per finding."""
        out = []
        for family, count in sorted(self.checks.items()):
            failed = sum(1 for f in self.findings if f.family == family)
            out.append(f"{family}: {count} checks, {failed} failed")
        out.extend(f"{family}: skipped ({why})" for family, why in sorted(self.skipped.items()))
        out.extend(f"FAIL {f.family} {f.where}: {f.problem}" for f in self.findings)
        return out
