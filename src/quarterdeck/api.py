"""The one NinjaAPI: /api/v1/. Routers live in each app's api.py; errors are JSON everywhere."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth

from quarterdeck.accounts.models import User
from quarterdeck.accounts.services import token_authenticate
from quarterdeck.lib.api_docs import BundledSwagger
from quarterdeck.lib.errors import DomainError, VersionConflict


class BearerToken(HttpBearer):
    """Personal access tokens: `Authorization: Bearer qd_...`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token.strip())
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Quarterdeck API",
    version="1",
    description=(
        "Everything in Quarterdeck, over HTTP. Authenticate with a session cookie (and the CSRF "
        "token on writes) or a personal access token: `Authorization: Bearer qd_...` — create "
        "one with `quarterdeck token create EMAIL` or on your account page. Editable objects "
        "carry a `version` and an ETag; send it back as `If-Match` on PUT, PATCH and DELETE "
        "(missing: 428, stale: 412)."
    ),
    auth=[BearerToken(), SessionAuth(csrf=True)],
    urls_namespace="api",
    docs=BundledSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def error_body(
    message: str, fields: dict[str, list[str]] | None = None, **extra: Any
) -> dict[str, Any]:
    return {"message": message, "fields": fields or {}, **extra}


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    extra: dict[str, Any] = {}
    if isinstance(exc, VersionConflict):
        extra["current_version"] = exc.current_version
    return api.create_response(
        request, error_body(exc.message, exc.fields, **extra), status=exc.status
    )


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ()) if part not in {"body", "payload"}]
        name = ".".join(location[1:] if location and location[0] in {"query", "path"} else location)
        fields.setdefault(name or "body", []).append(str(error.get("msg", "Invalid value.")))
    summary = "; ".join(f"{name}: {msgs[0]}" for name, msgs in fields.items())
    return api.create_response(
        request, error_body(f"Invalid input — {summary}", fields), status=422
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        error_body("Authentication required: sign in, or send 'Authorization: Bearer <token>'."),
        status=401,
    )


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, error_body(str(exc) or "Not allowed."), status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body(str(exc) or "Not found."), status=404)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    cause = exc.__cause__
    # Ninja wraps a body it cannot parse in a bare 400; say where the JSON breaks.
    if isinstance(cause, json.JSONDecodeError):
        fields["body"] = [
            f"Not valid JSON: {cause.msg} (line {cause.lineno}, column {cause.colno})."
        ]
    elif isinstance(cause, ValueError):
        fields["body"] = ["Not valid JSON: send a UTF-8 encoded JSON object."]
    return api.create_response(request, error_body(str(exc), fields), status=exc.status_code)


@api.exception_handler(ProtectedError)
@api.exception_handler(RestrictedError)
def on_protected(request: HttpRequest, exc: ProtectedError | RestrictedError) -> HttpResponse:
    message = "Other records still refer to this one; remove or move them first."
    return api.create_response(request, error_body(message), status=400)


def _register_routers() -> None:
    from quarterdeck.accounts.api import router as accounts_router
    from quarterdeck.analytics.api import router as analytics_router
    from quarterdeck.audit.api import router as audit_router
    from quarterdeck.feedback.api import router as feedback_router
    from quarterdeck.kpis.api import router as kpis_router
    from quarterdeck.metrics.api import router as metrics_router
    from quarterdeck.metrics.tracking_api import router as tracking_router
    from quarterdeck.people.api import router as people_router
    from quarterdeck.portfolio.api import router as portfolio_router
    from quarterdeck.revenue.api import router as revenue_router
    from quarterdeck.strategy.api import router as strategy_router
    from quarterdeck.surveys.api import router as surveys_router
    from quarterdeck.transfer.api import router as transfer_router

    api.add_router("/", portfolio_router)
    api.add_router("/", people_router)
    api.add_router("/", accounts_router)
    api.add_router("/", audit_router)
    api.add_router("/", transfer_router)
    api.add_router("/", metrics_router)
    api.add_router("/", tracking_router)
    api.add_router("/", kpis_router)
    api.add_router("/", analytics_router)
    api.add_router("/", surveys_router)
    api.add_router("/", revenue_router)
    api.add_router("/", strategy_router)
    api.add_router("/", feedback_router)
    api.add_router("/", "quarterdeck.feedback.insight_api.router")
    api.add_router("/", "quarterdeck.strategy.scorecard_api.router")
    for module in (
        "roadmap.scoring_api",
        "roadmap.planning_api",
        "roadmap.board_api",
        "launches.gates_api",
        "launches.plans_api",
        "launches.checks_api",
    ):
        api.add_router("/", f"quarterdeck.{module}.router")


_register_routers()
