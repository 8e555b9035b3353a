"""The README holds exactly two set-up commands, and CI runs the second."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [line[2:] for line in text.splitlines() if line.startswith("$ ")]


def test_exactly_two_setup_commands() -> None:
    demo, tests = commands()
    assert "pip install" in demo and demo.endswith("csfinder demo")
    assert tests == "./scripts/test"
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    for step in ("pip install", "ruff check", "mypy", "pytest"):
        assert step in script


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "README.md" in ci and "sed -n 2p" in ci


def test_python_dash_m_harvester_works() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "harvester", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    for command in ("demo", "harvest", "runs", "sources", "bench"):
        assert command in result.stdout


def test_every_setting_read_from_the_environment_is_documented() -> None:
    from harvester.core import settings

    names = {
        value
        for key, value in vars(settings).items()
        if key.startswith("ENV_") and isinstance(value, str)
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    deploy = (ROOT / "docs" / "DEPLOY.md").read_text(encoding="utf-8")
    assert names, "the settings module names its variables"
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
    assert sorted(n for n in names if f"`{n}`" not in deploy) == []
