"""The crawl's DNS resolver refuses addresses that are not globally routable: the guard at
the connection, for a name that passed the URL check and resolves inside afterwards (DNS
rebinding). Each crawl runs in its own process, as harvests do (Twisted's reactor cannot
be restarted)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from harvester.sample_provider import RunningServer

CRAWL = """
import json, sys
from scrapy import Spider, Request
from scrapy.crawler import CrawlerProcess
from harvester.core.settings import UrlPolicy
from harvester.fetch.spiders.guard import guard_settings

url, allowlist = sys.argv[1], sys.argv[2:]
outcome = {}

class One(Spider):
    name = "one"
    async def start(self):
        yield Request(url, callback=self.parse, errback=self.failed, dont_filter=True)
    def parse(self, response):
        outcome["status"] = response.status
    def failed(self, failure):
        outcome["error"] = f"{type(failure.value).__name__}: {failure.value}"

settings = {"LOG_LEVEL": "ERROR", "RETRY_ENABLED": False, "ROBOTSTXT_OBEY": False,
            "TELNETCONSOLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 5}
settings.update(guard_settings(UrlPolicy(False, tuple(allowlist))))  # the resolver, no middleware
process = CrawlerProcess(settings)
process.crawl(One)
process.start()
print(json.dumps(outcome))
"""


def crawl(url: str, *allowlist: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CRAWL, url, *allowlist],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "log": done.stderr}


def counting(hits: list[str]) -> Callable[..., Any]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        hits.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"inside"]

    return app


def test_the_resolver_refuses_a_name_that_resolves_inside(server_factory) -> None:
    hits: list[str] = []
    server: RunningServer = server_factory(counting(hits), "/")
    outcome = crawl(f"http://localhost:{server.port}/secret")
    assert "DNS lookup failed" in outcome.get("error", "") and hits == []
    said = "refused by the URL guard: localhost resolves to 127.0.0.1 is a loopback address"
    assert said in outcome["log"]


def test_the_resolver_lets_an_allowlisted_host_through(server_factory) -> None:
    hits: list[str] = []
    server: RunningServer = server_factory(counting(hits), "/")
    outcome = crawl(f"http://localhost:{server.port}/open", f"localhost:{server.port}")
    assert outcome["status"] == 200 and hits == ["/open"]
