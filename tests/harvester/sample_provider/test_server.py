"""The local HTTP server: background thread for tests, child process for the benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests
from lxml import etree

from harvester.sample_provider import OAIProvider, SyntheticRepository, serve
from tests.harvester.sample_provider.oai import NS, get

REPO_ROOT = Path(__file__).resolve().parents[3]


def test_serve_runs_in_the_background_and_stops(capfd):
    app = OAIProvider(SyntheticRepository(10))
    with serve(app) as server:
        assert server.host == "127.0.0.1"
        assert server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}/oai"
        assert server.app is app
        for _ in range(3):
            assert requests.get(server.url, params={"verb": "Identify"}, timeout=5).ok
        assert requests.get(server.base + "/missing", timeout=5).status_code == 404
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url, params={"verb": "Identify"}, timeout=2)
    server.stop()  # a second stop is harmless
    _out, err = capfd.readouterr()
    assert err == ""  # no access log on stderr


def test_concurrent_requests_are_served(server_factory):
    from concurrent.futures import ThreadPoolExecutor

    server = server_factory(OAIProvider(SyntheticRepository(10_000), page_size=50))
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(
                lambda i: (
                    requests.get(
                        server.url,
                        params={
                            "verb": "GetRecord",
                            "metadataPrefix": "oai_dc",
                            "identifier": f"oai:synthetic.csfinder.example:ds-{i:07d}",
                        },
                        timeout=10,
                    ).status_code
                ),
                range(40),
            )
        )
    assert statuses == [200] * 40


def test_custom_path(server_factory):
    server = server_factory(
        OAIProvider(SyntheticRepository(5), base_url_path="/provider/oai2d"), "/provider/oai2d"
    )
    assert server.url.endswith("/provider/oai2d")
    _, root = get(server.url, verb="Identify")
    assert root.findtext("o:Identify/o:baseURL", namespaces=NS) == server.url


def test_child_process_prints_its_url_and_serves_until_killed():
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harvester.sample_provider",
            "--synthetic",
            "1000000",
            "--port",
            "0",
            "--page-size",
            "50",
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert url.endswith("/oai")
        response = requests.get(
            url, params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}, timeout=10
        )
        root = etree.fromstring(response.content)
        assert len(root.findall("o:ListIdentifiers/o:header", NS)) == 50
        token = root.find("o:ListIdentifiers/o:resumptionToken", NS)
        assert token is not None
        assert token.get("completeListSize") == "1000000"
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode is not None


def test_child_process_serves_a_yaml_file():
    yaml_path = REPO_ROOT / "tests" / "fixtures" / "sample_repository.yaml"
    process = subprocess.Popen(
        [sys.executable, "-m", "harvester.sample_provider", "--yaml", str(yaml_path)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        _, root = get(url, verb="Identify")
        name = root.findtext("o:Identify/o:repositoryName", namespaces=NS) or ""
        assert name.startswith("csfinder test")
    finally:
        process.terminate()
        process.wait(timeout=10)
