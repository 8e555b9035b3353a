"""Helpers for the browser tests: the portal as a real server, Chromium, and what pages report."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ADDRESS = re.compile(r"csfinder portal: (http://\S+/)")
START_TIMEOUT = 30.0

# Reports Content-Security-Policy violations to Python; runs before any script of the page.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    sample: event.sample,
    page: document.location.href,
  });
});
"""


@contextmanager
def portal_server(home: Path, log: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """``csfinder serve --port 0 --workers 1`` over a data folder; yields its base address.

    The server's output goes to ``log`` (a file, so a chatty access log can never block it).
    """
    env = {
        **os.environ,
        "CSFINDER_HOME": str(home),
        "CSFINDER_CONFIG": str(home / "config"),
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "harvester", "serve", "--port", "0", "--workers", "1"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield _wait_for_address(process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@contextmanager
def browser_context(
    browser: Browser,
    base_url: str,
    watch: PageWatch | None = None,
    timeout_ms: float = 10_000,
    **options: Any,
) -> Iterator[BrowserContext]:
    """A fresh browser context on the portal (Playwright's options: viewport, locale,
    ``java_script_enabled`` ...), its pages watched for errors when ``watch`` is given,
    closed afterwards."""
    fresh = browser.new_context(base_url=base_url, **options)
    fresh.set_default_timeout(timeout_ms)
    if watch is not None:
        watch.attach(fresh)
    try:
        yield fresh
    finally:
        fresh.close()


def _wait_for_address(process: subprocess.Popen[bytes], log: Path) -> str:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        found = ADDRESS.search(log.read_text(errors="replace"))
        if found and _answers(found.group(1) + "healthz"):
            return found.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"the portal did not start; its output:\n{log.read_text(errors='replace')}")


def _answers(url: str) -> bool:
    """True once a worker answers (the address is printed before workers boot)."""
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own http://127.0.0.1)
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@dataclass
class PageWatch:
    """Console errors, uncaught exceptions and CSP violations seen in a browser context."""

    console: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    csp: list[dict[str, Any]] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        """Listen on every page the context opens (the CSP listener needs JavaScript on)."""
        context.expose_function("__cspViolation", self._csp_violation)
        context.add_init_script(CSP_LISTENER)
        context.on("page", self._watch_page)

    def _watch_page(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", self._exception)

    def _csp_violation(self, violation: dict[str, Any]) -> None:
        self.csp.append(violation)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console.append(f"{message.text} ({message.location.get('url', '?')})")

    def _exception(self, error: Error) -> None:
        self.exceptions.append(f"{error.name}: {error.message}")

    def problems(self) -> str:
        """Everything seen, one per line; empty when the pages were clean."""
        lines = [f"console error: {text}" for text in self.console]
        lines += [f"uncaught exception: {text}" for text in self.exceptions]
        lines += [
            f"CSP violation: {v['directive']} blocked {v['blocked'] or '(inline)'} "
            f"on {v['page']} {v['sample']!r}"
            for v in self.csp
        ]
        return "\n".join(lines)


def axe_report(response: dict[str, Any]) -> str:
    """The violations of an axe-core run, readable: rule, impact, help, each element and why."""
    lines: list[str] = []
    for violation in response.get("violations", []):
        lines.append(
            f"{violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" — {violation.get('helpUrl', '')}"
        )
        for node in violation.get("nodes", []):
            lines.append(f"  at {' '.join(map(str, node.get('target', [])))}")
            lines.append(f"    {node.get('html', '')[:200]}")
            for reason in (node.get("failureSummary") or "").splitlines():
                lines.append(f"    {reason}")
    return "\n".join(lines)


def shown_total(page: Page) -> int:
    """The result count the search page shows ("1,234 results" → 1234)."""
    text = page.locator("p.total").inner_text()
    digits = re.sub(r"\D", "", text)
    assert digits, f"no count in {text!r}"
    return int(digits)


def label_count(text: str) -> tuple[str, int]:
    """A facet label "Netherlands (12)" → ("Netherlands", 12)."""
    found = re.fullmatch(r"\s*(.*?)\s*\(([\d,]+)\)\s*", text, re.DOTALL)
    assert found, f"no count in facet label {text!r}"
    return found.group(1), int(found.group(2).replace(",", ""))
