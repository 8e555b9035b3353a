"""``/sources/new``: operators register an endpoint, check it live, and submit it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from harvester.core.errors import CsfinderError
from harvester.core.sources import SourceConfig
from harvester.fetch.http import HttpClient, RetryPolicy
from harvester.fetch.netguard import UnsafeURLError, check_url, guarded_session
from harvester.normalise.crosswalk import CROSSWALK_DIR
from harvester.pipeline.preview import Preview, detect_protocol, preview_source
from harvester.store.registrations import RegistrationError, source_from_form, submit
from portal.auth import limiter
from portal.services import services

blueprint = Blueprint("register", __name__)
PROTOCOLS = ("oai-pmh", "json-api", "sitemap-jsonld")
FIELDS = (
    "id",
    "name",
    "platform",
    "url",
    "protocol",
    "crosswalk",
    "metadata_prefix",
    "records_path",
    "id_path",
    "contact",
    "metadata_license",
)


def _registration_limit() -> str:
    return services().settings.portal.registration_limit


def guarded_http() -> HttpClient:
    """An HTTP client that refuses unsafe URLs and redirects, with the check's caps."""
    portal = services().settings.portal
    return HttpClient(
        timeout=portal.check_timeout,
        retry=RetryPolicy(0, 0.1, 0.1),
        max_bytes=portal.check_max_bytes,
        user_agent=services().settings.harvest.agent,
        session=guarded_session(services().settings.harvest.url_policy),
    )


def crosswalks() -> list[str]:
    """The crosswalks an operator can choose."""
    return sorted(path.stem for path in CROSSWALK_DIR.glob("*.yaml"))


@blueprint.get("/sources/new")
def form() -> ResponseReturnValue:
    """The empty registration form."""
    return _page({"protocol": "", "crosswalk": "oai_dc", "metadata_prefix": "oai_dc"})


@blueprint.post("/sources/new")
@limiter.limit(_registration_limit)
def post() -> ResponseReturnValue:
    """Check the endpoint live (``action=check``) or submit the registration."""
    values = {name: request.form.get(name, "").strip() for name in FIELDS}
    try:
        policy = services().settings.harvest.url_policy
        check_url(values["url"], allow_private=policy.allow_private, allowlist=policy.allowlist)
        http = guarded_http()
        if not values["protocol"]:
            values["protocol"] = detect_protocol(values["url"], http) or ""
            if not values["protocol"]:
                raise RegistrationError("the protocol could not be detected: choose one")
        source = _source(values)
        if request.form.get("action") == "submit":
            submit(services().store, source, values["contact"], values["metadata_license"])
            return render_template("registered.html", source=source), 201
        preview = preview_source(source, http)
    except (CsfinderError, UnsafeURLError) as exc:
        return _page(values, error=str(exc)), 400
    return _page(values, preview=preview)


def _source(values: dict[str, str]) -> SourceConfig:
    config: dict[str, Any] = {
        "id": values["id"],
        "name": values["name"],
        "platform": values["platform"],
        "protocol": values["protocol"],
        "url": values["url"],
        "crosswalk": values["crosswalk"],
    }
    if values["protocol"] == "oai-pmh":
        config["metadata_prefix"] = values["metadata_prefix"] or "oai_dc"
    if values["protocol"] == "json-api":
        config["json_api"] = {
            "records_path": values["records_path"] or "results",
            "id_path": values["id_path"] or "id",
        }
    return source_from_form(config)


def _page(
    values: dict[str, str], *, error: str | None = None, preview: Preview | None = None
) -> str:
    return render_template(
        "register.html",
        values=values,
        error=error,
        preview=preview,
        protocols=PROTOCOLS,
        crosswalks=crosswalks(),
    )
