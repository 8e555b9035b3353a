"""A data folder filled by ``csfinder demo --no-serve``, for tests that need real records."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from harvester.cli.main import main


def demo_data(home: Path) -> Path:
    """Run the demo into ``home`` (harvests of two loopback providers, one withdrawal)."""
    result = CliRunner().invoke(
        main, ["demo", "--home", str(home), "--no-serve"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return home
