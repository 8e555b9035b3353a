"""Redraw ``docs/insights.png``, the README's picture of the insights page: the demo's
records harvested into a temporary folder, served by ``csfinder serve``, and the top of
``/insights`` (summary, contents, the map of Europe) photographed in Debian's Chromium.

Run from the repository: ``.venv/bin/python scripts/insights_screenshot.py``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.portal.browser_support import CHROMIUM, LAUNCH_ARGS, portal_server  # noqa: E402
from tests.support.demo import demo_data  # noqa: E402

TARGET = ROOT / "docs" / "insights.png"


def main() -> None:
    """Harvest the demo, serve it, photograph the insights page."""
    with tempfile.TemporaryDirectory(prefix="csfinder-screenshot-") as folder:
        home = demo_data(Path(folder) / "demo")
        with portal_server(home, Path(folder) / "serve.log") as url, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 1330})
            page.goto(url + "insights")
            page.locator("#figure-country svg.map").wait_for()
            page.screenshot(path=str(TARGET))
            browser.close()
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
