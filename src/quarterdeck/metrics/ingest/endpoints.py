"""The ingestion endpoints: Segment's /v1/<type> and PostHog's /batch/, /capture/, /e/ and
/i/v0/e/. They authenticate by write key (not by session), answer JSON, and allow cross-origin
calls from the browser SDKs (analytics.js, posthog-js), which send no cookies."""

from __future__ import annotations

import datetime as dt
import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from quarterdeck.metrics.ingest import segment
from quarterdeck.metrics.ingest.receive import Incoming, Outcome, body_limit, events_receive

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Content-Encoding",
    "Access-Control-Max-Age": "86400",
}


def _json(status: int, body: object, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    for name, value in {**CORS, **(headers or {})}.items():
        response[name] = value
    return response


def _not_post(request: HttpRequest) -> HttpResponse | None:
    if request.method == "OPTIONS":
        return _preflight()
    if request.method != "POST":
        message = "Send events with POST."
        body = {"success": False, "code": "method_not_allowed", "message": message}
        return _json(405, {**body, "detail": message}, {"Allow": "POST, OPTIONS"})
    return None


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    for name, value in CORS.items():
        response[name] = value
    return response


def _read(request: HttpRequest, limit: int) -> bytes:
    """At most limit + 1 bytes: enough to tell a body that is too large."""
    return request.read(limit + 1)


def _respond(outcome: Outcome) -> HttpResponse:
    return _json(outcome.status, outcome.body, outcome.headers)


def _sent_at(raw: str) -> str | None:
    """posthog-js sends the time of sending as ?_=<milliseconds since the epoch>."""
    if not raw.isdigit() or len(raw) > 15:
        return None
    return dt.datetime.fromtimestamp(int(raw) / 1000, tz=dt.UTC).isoformat()


@csrf_exempt
@login_not_required
def segment_endpoint(request: HttpRequest, kind: str) -> HttpResponse:
    if (refused := _not_post(request)) is not None:
        return refused
    kind = segment.PATHS[kind]
    incoming = Incoming(
        wire="segment",
        kind=kind,
        body=_read(request, body_limit("segment", kind)),
        authorization=request.headers.get("Authorization", ""),
        content_encoding=request.headers.get("Content-Encoding", ""),
        content_type=request.content_type or "",
    )
    return _respond(events_receive(incoming))


@csrf_exempt
@login_not_required
def posthog_endpoint(request: HttpRequest) -> HttpResponse:
    if (refused := _not_post(request)) is not None:
        return refused
    incoming = Incoming(
        wire="posthog",
        kind="capture",
        body=_read(request, body_limit("posthog", "capture")),
        content_encoding=request.headers.get("Content-Encoding", ""),
        content_type=request.content_type or "",
        compression=request.GET.get("compression", ""),
        sent_at=_sent_at(request.GET.get("_", "")),
    )
    return _respond(events_receive(incoming))
