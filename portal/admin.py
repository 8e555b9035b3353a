"""Administration: log in, then approve, reject, disable or re-schedule registered sources."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from harvester.store.registrations import RegistrationError, registrations, review, set_schedule
from portal.auth import admin_required, end_session, limiter, logged_in, password_ok, start_session
from portal.services import services

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def _login_limit() -> str:
    return services().settings.portal.login_limit


@blueprint.get("/login")
def login_form() -> ResponseReturnValue:
    """The login form."""
    return render_template("login.html", error=None)


@blueprint.post("/login")
@limiter.limit(_login_limit)
def login() -> ResponseReturnValue:
    """Check the credentials; a new session on success."""
    user = request.form.get("user", "")
    password = request.form.get("password", "")
    if not password_ok(services().settings.portal, user, password):
        return render_template("login.html", error="Wrong user name or password."), 401
    start_session(user)
    return redirect(url_for(".sources"))


@blueprint.post("/logout")
def logout() -> ResponseReturnValue:
    """End the session (deleted from the store: a saved cookie opens nothing afterwards)."""
    end_session()
    return redirect(url_for("search.page"))


@blueprint.get("/")
@admin_required
def sources() -> ResponseReturnValue:
    """Every registration, pending first."""
    found = registrations(services().store)
    found.sort(key=lambda r: (r.status != "pending", r.id))
    return render_template("admin.html", registrations=found, user=logged_in(), error=None)


@blueprint.post("/sources/<source_id>/<action>")
@admin_required
def act(source_id: str, action: str) -> ResponseReturnValue:
    """Approve, reject, disable, enable, or set the schedule of a registration."""
    user = logged_in() or ""
    try:
        if action == "schedule":
            set_schedule(
                services().store, source_id, request.form.get("schedule", "").strip(), user
            )
        else:
            review(services().store, source_id, action, user)
    except RegistrationError as exc:
        found = registrations(services().store)
        return render_template("admin.html", registrations=found, user=user, error=str(exc)), 400
    return redirect(url_for(".sources"))
