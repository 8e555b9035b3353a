"""The child process of a crawl: one Scrapy crawl, its reactor, and nothing else."""

from __future__ import annotations

from multiprocessing.queues import Queue
from typing import Any

from harvester.fetch.spiders.messages import Channel, CrawlJob, Ended


def crawl(job: CrawlJob, messages: Queue[Any], parent_pid: int) -> None:
    """Run the source's spider to the end, sending pages and then :class:`Ended`."""
    channel = Channel(messages, parent_pid)
    try:
        # Scrapy and Twisted load in the crawl's own process only, never in the harvest's.
        from scrapy.crawler import CrawlerProcess

        from harvester.fetch.spiders.json_api import JsonApiSpider
        from harvester.fetch.spiders.politeness import scrapy_settings
        from harvester.fetch.spiders.sitemap_jsonld import SitemapJsonLdSpider

        spider = JsonApiSpider if job.source.protocol == "json-api" else SitemapJsonLdSpider
        process = CrawlerProcess(scrapy_settings(job.source, job.settings))
        process.crawl(spider, job=job, channel=channel)
        process.start()
    except BaseException as exc:  # reported to the parent, which fails the run
        channel.send(Ended(f"crawl process: {type(exc).__name__}: {exc}", complete=False))
        raise
    channel.send(Ended("the crawl ended without saying how", complete=False))
