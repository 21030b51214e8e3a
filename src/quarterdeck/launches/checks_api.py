"""REST API of success metrics and post-launch checks.

Every signed-in user reads. A plan's success metrics are added, changed and removed by whoever
may change the plan; once bound at launch only the target changes (audited) and they stay.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Router, Status

from quarterdeck.launches import checks_metrics, checks_selectors
from quarterdeck.launches.checks_schemas import (
    FlagOut,
    MetricIn,
    MetricOut,
    MetricPatch,
    RecomputeOut,
)
from quarterdeck.lib.api_edge import (
    Id,
    api_user,
    as_data,
    errors,
    etag_doc,
    if_match_doc,
    no_content,
)
from quarterdeck.lib.http import etag, if_match_version

router = Router(tags=["launches"])


def _flags(user: Any, plan_id: int) -> list[dict[str, Any]]:
    found = checks_selectors.plan_checks(user, plan_id)
    return [checks_selectors.flag_out(f) for f in found.flags]


@router.get(
    "/launch-plans/{plan_id}/success-metrics", response={200: list[MetricOut], **errors(403, 404)}
)
def metrics_list(request: HttpRequest, plan_id: Id) -> list[dict[str, Any]]:
    found = checks_selectors.plan_checks(api_user(request), plan_id)
    return [checks_selectors.metric_out(f) for f in found.flags]


@router.post(
    "/launch-plans/{plan_id}/success-metrics",
    response={201: MetricOut, **errors(400, 403, 404)},
)
def metrics_create(request: HttpRequest, plan_id: Id, payload: MetricIn) -> Status[dict[str, Any]]:
    """Added to a plan that has launched already, the metric is bound at once (its baseline is
    still the window before launch) and its due checks are computed."""
    metric = checks_metrics.metric_add(
        actor=api_user(request), plan_id=plan_id, data=as_data(payload)
    )
    return Status(201, checks_selectors.metric_out(metric))


@router.get(
    "/success-metrics/{metric_id}",
    response={200: MetricOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def metrics_get(request: HttpRequest, metric_id: Id, response: HttpResponse) -> dict[str, Any]:
    metric = checks_metrics.access_success_metric(api_user(request), metric_id)
    response["ETag"] = etag(metric.version)
    return checks_selectors.metric_out(metric)


@router.patch(
    "/success-metrics/{metric_id}",
    response={200: MetricOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def metrics_patch(
    request: HttpRequest, metric_id: Id, payload: PatchDict[MetricPatch], response: HttpResponse
) -> dict[str, Any]:
    """Before launch any field; after binding only ``target`` (the checks are computed again).
    Needs If-Match with the ETag you read."""
    user = api_user(request)
    checks_metrics.access_success_metric(user, metric_id, for_write=True)
    metric = checks_metrics.metric_update(
        actor=user,
        metric_id=metric_id,
        data=as_data(payload),
        expected_version=if_match_version(request),
    )
    response["ETag"] = etag(metric.version)
    return checks_selectors.metric_out(metric)


@router.delete(
    "/success-metrics/{metric_id}",
    response={204: None, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def metrics_delete(request: HttpRequest, metric_id: Id) -> Status[None]:
    """Only before binding: a bound metric is part of the launch's record. Needs If-Match."""
    user = api_user(request)
    checks_metrics.access_success_metric(user, metric_id, for_write=True)
    checks_metrics.metric_delete(
        actor=user, metric_id=metric_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.get("/launch-plans/{plan_id}/checks", response={200: list[FlagOut], **errors(403, 404)})
def plan_checks(request: HttpRequest, plan_id: Id) -> list[dict[str, Any]]:
    """Each success metric of the plan with its +30/+60/+90-day checks."""
    return _flags(api_user(request), plan_id)


@router.post(
    "/launch-plans/{plan_id}/checks/recompute",
    response={200: RecomputeOut, **errors(400, 403, 404)},
)
def plan_recompute(request: HttpRequest, plan_id: Id) -> dict[str, Any]:
    """Bind the unbound metrics of a launched plan and compute all its checks again (after
    late snapshots); ``computed``: the checks with a verdict other than pending."""
    user = api_user(request)
    computed = checks_metrics.plan_recompute(actor=user, plan_id=plan_id)
    return {"computed": computed, "flags": _flags(user, plan_id)}


@router.get("/launch-checks", response={200: list[FlagOut], **errors(403)})
def recent(request: HttpRequest) -> list[dict[str, Any]]:
    """The latest launches (most recent first) and their checks, portfolio-wide."""
    found = checks_selectors.recent_launches(api_user(request))
    return [checks_selectors.flag_out(f) for plan in found for f in plan.flags]


@router.get(
    "/features/{feature_id}/launch-checks", response={200: list[FlagOut], **errors(403, 404)}
)
def feature_checks(request: HttpRequest, feature_id: Id) -> list[dict[str, Any]]:
    flags = checks_selectors.feature_flags(api_user(request), feature_id)
    return [checks_selectors.flag_out(f) for f in flags]


@router.get(
    "/products/{product_id}/launch-checks", response={200: list[FlagOut], **errors(403, 404)}
)
def product_checks(request: HttpRequest, product_id: Id) -> list[dict[str, Any]]:
    """The product's own launches and its features'."""
    flags = checks_selectors.product_flags(api_user(request), product_id)
    return [checks_selectors.flag_out(f) for f in flags]
