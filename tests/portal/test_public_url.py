"""Absolute URLs come from the configured public URL (``CSFINDER_PUBLIC_URL``), never from
the request's Host header, and a request for a host the portal does not serve is refused."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree
from werkzeug.test import TestResponse

from harvester.core.errors import ConfigError
from harvester.core.settings import Settings, load_settings
from portal.app import create_app

PUBLIC = "https://csfinder.example.eu"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
ID_NS = "{http://www.openarchives.org/OAI/2.0/oai-identifier}"


@pytest.fixture
def public_app(portal_settings: Settings) -> Flask:
    portal = replace(
        portal_settings.portal,
        public_url=PUBLIC,
        trusted_hosts=("csfinder.example.eu", "portal.internal"),
    )
    return create_app(replace(portal_settings, portal=portal), TESTING=True, SECRET_KEY="x")


class Internal:
    """A client whose requests name the portal by its internal name (a trusted host)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, path: str, headers: dict[str, str] | None = None) -> TestResponse:
        return self.client.get(path, headers={"Host": "portal.internal:8000", **(headers or {})})


@pytest.fixture
def internal(public_app: Flask) -> Internal:
    return Internal(public_app.test_client())


def a_record_id(client: Internal) -> str:
    return str(client.get("/api/v1/search?per_page=1").get_json()["hits"][0]["id"])


@pytest.mark.parametrize("path", ["/", "/api/v1/search", "/oai?verb=Identify", "/export.csv"])
def test_a_host_the_portal_does_not_serve_is_refused(public_app: Flask, path: str) -> None:
    response = public_app.test_client().get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.get_json()["error"]["status"] == 400


def test_oai_pmh_names_the_public_url_and_host(internal: Internal) -> None:
    root = etree.fromstring(internal.get("/oai?verb=Identify").data)
    assert root.findtext(f"{OAI}Identify/{OAI}baseURL") == f"{PUBLIC}/oai"
    assert root.findtext(f"{OAI}request") == f"{PUBLIC}/oai"
    assert root.findtext(f".//{ID_NS}repositoryIdentifier") == "csfinder.example.eu"
    listed = etree.fromstring(internal.get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").data)
    identifiers = [e.text or "" for e in listed.iter(f"{OAI}identifier")]
    assert identifiers and all(i.startswith("oai:csfinder.example.eu:") for i in identifiers)


def test_json_ld_and_exports_link_the_public_record_pages(internal: Internal) -> None:
    record_id = a_record_id(internal)
    page = f"{PUBLIC}/records/{record_id}"
    described = internal.get(f"/records/{record_id}", headers={"Accept": "application/ld+json"})
    assert described.get_json()["@id"] == page
    html = internal.get(f"/records/{record_id}").get_data(as_text=True)
    assert f'"@id": "{page}"' in html and "portal.internal" not in html
    exported = internal.get("/export.json").get_json()
    assert all(r["record_page"].startswith(f"{PUBLIC}/records/") for r in exported["records"])
    assert f"{PUBLIC}/records/" in internal.get("/export.csv").get_data(as_text=True)
    oai_dc = internal.get(
        f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:csfinder.example.eu:{record_id}"
    ).get_data(as_text=True)
    assert page in oai_dc and "portal.internal" not in oai_dc
    signposted = internal.get(f"/records/{record_id}").headers.get("Link", "")
    assert f"<{PUBLIC}/records/" in signposted and "portal.internal" not in signposted
    catalogue = internal.get("/catalog", headers={"Accept": "text/turtle"}).get_data(as_text=True)
    assert f"<{PUBLIC}/catalog" in catalogue and "portal.internal" not in catalogue


def test_the_public_url_must_be_a_web_origin(portal_settings: Settings) -> None:
    environ = {"CSFINDER_HOME": str(portal_settings.home)}
    for bad in ("csfinder.example.eu", "ftp://x.example", "https://x.example/?a=1"):
        with pytest.raises(ConfigError, match="CSFINDER_PUBLIC_URL"):
            load_settings({**environ, "CSFINDER_PUBLIC_URL": bad})
    loaded = load_settings({**environ, "CSFINDER_PUBLIC_URL": "https://x.example/portal/"})
    assert loaded.portal.public_url == "https://x.example/portal"
    assert loaded.portal.allowed_hosts == ("x.example",)
    hosts = load_settings(
        {**environ, "CSFINDER_PUBLIC_URL": PUBLIC, "CSFINDER_TRUSTED_HOSTS": "a.example, b"}
    )
    assert hosts.portal.allowed_hosts == ("a.example", "b")


REQUEST_URLS = re.compile(
    r"_external\s*=\s*True|request\.(?:host_url|url_root|host\b|base_url|root_url|url\b)"
)


def test_no_module_builds_absolute_urls_from_the_request() -> None:
    """Absolute URLs come from portal.public_url alone (flask's request; the OAI provider's
    own Request already holds the public values)."""
    root = Path(__file__).resolve().parents[2] / "portal"
    found = {
        str(path.relative_to(root)): REQUEST_URLS.findall(path.read_text(encoding="utf-8"))
        for path in root.rglob("*.py")
        if path.name != "public_url.py" and path.parent.name != "oai" and path.name != "bench.py"
    }
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_insights_permalinks_and_citations_name_the_public_url(internal: Internal) -> None:
    page = internal.get("/insights?country=IT").get_data(as_text=True)
    assert f"{PUBLIC}/insights?country=IT#figure-" in page
    assert "portal.internal" not in page
