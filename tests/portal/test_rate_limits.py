"""Rate limits: the JSON API answers 429 in its one error shape with Retry-After once a
client address spends its budget; with ``redis://`` storage the budget is shared by every
worker process (a real redis-server and ``csfinder serve`` with several workers)."""

from __future__ import annotations

import json
from typing import cast

import pytest

from harvester.core.settings import load_settings
from portal.app import create_app
from tests.conftest import CliEnv
from tests.support.engines import RedisServer
from tests.support.portal_server import serve_portal


def test_the_api_answers_429_in_its_error_shape_with_retry_after(cli_env: CliEnv) -> None:
    settings = load_settings({**cli_env.environ, "CSFINDER_API_LIMIT": "3 per minute"})
    client = create_app(settings, TESTING=True).test_client()
    codes = [client.get(path).status_code for path in ("/api/v1/search", "/api/v1/sources")]
    codes.append(client.get("/export.json").status_code)
    refused = client.get("/api/v1/search")
    assert codes == [200, 200, 200], "one budget for the whole API and the exports"
    assert refused.status_code == 429
    body = refused.get_json()
    assert body["error"]["status"] == 429 and body["error"]["code"] == "too-many-requests"
    assert body["error"]["message"].startswith("too many requests from your address")
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert "Retry-After" in refused.headers["Access-Control-Expose-Headers"]
    assert client.get("/").status_code == 200, "pages are not the API's budget"
    other = create_app(settings, TESTING=True).test_client()
    other_address = other.get("/api/v1/search", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_address.status_code == 200, "each client address has its own budget"


def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(cli_env: CliEnv) -> None:
    environ = {**cli_env.environ, "CSFINDER_API_LIMIT": "1 per minute"}
    settings = load_settings({**environ, "CSFINDER_TRUSTED_PROXIES": "1"})
    client = create_app(settings, TESTING=True).test_client()
    for address in ("198.51.100.1", "198.51.100.2"):
        forwarded = {"X-Forwarded-For": address}
        assert client.get("/api/v1/sources", headers=forwarded).status_code == 200
    again = client.get("/api/v1/sources", headers={"X-Forwarded-For": "198.51.100.1"})
    assert again.status_code == 429


def test_a_rate_limit_store_that_cannot_be_read_is_refused_at_start(cli_env: CliEnv) -> None:
    from harvester.core.errors import ConfigError

    with pytest.raises(ConfigError, match="CSFINDER_RATELIMIT_STORAGE"):
        load_settings({**cli_env.environ, "CSFINDER_RATELIMIT_STORAGE": "mongodb://x"})


@pytest.mark.slow
def test_portal_processes_share_one_budget_through_redis(
    cli_env: CliEnv, redis_server: RedisServer
) -> None:
    """Two ``csfinder serve`` processes of two workers each (two machines behind a load
    balancer, as far as limits go), the requests alternating between them."""
    limit = 10
    env = {
        **cli_env.environ,
        "CSFINDER_RATELIMIT_STORAGE": redis_server.url,
        "CSFINDER_API_LIMIT": f"{limit} per minute",
    }
    redis_server.client().flushall()
    with serve_portal(env, workers=2) as first, serve_portal(env, workers=2) as second:
        portals = (first, second)
        answers = [portals[n % 2].get("/api/v1/search?per_page=1") for n in range(3 * limit)]
    passed = [a for a in answers if a.status == 200]
    refused = [a for a in answers if a.status == 429]
    assert len(passed) == limit, "exactly one budget, however many processes answered"
    assert [a.status for a in answers[:limit]] == [200] * limit
    assert len(refused) == 2 * limit
    workers = {a.headers["x-search-cache"].split(";")[0] for a in passed}
    assert len(workers) >= 2, "both portal processes answered within the budget"
    error = json.loads(refused[0].body)["error"]
    assert (error["status"], error["code"]) == (429, "too-many-requests")
    assert int(refused[0].headers["retry-after"]) >= 1
    keys = cast(list[bytes], redis_server.client().keys("*csfinder*"))
    assert keys, "the counters live in Redis"


def test_the_openapi_document_says_every_operation_may_answer_429(cli_env: CliEnv) -> None:
    client = create_app(load_settings(cli_env.environ), TESTING=True).test_client()
    document = client.get("/api/v1/openapi.json").get_json()
    refs = {
        str(operation["responses"]["429"])
        for methods in document["paths"].values()
        for operation in methods.values()
    }
    assert refs == {str({"$ref": "#/components/responses/TooManyRequests"})}
    answer = document["components"]["responses"]["TooManyRequests"]
    assert answer["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
