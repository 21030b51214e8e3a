"""REST endpoints of tracking definitions: which events are a product's, which use a feature.

PUT creates or replaces; once a definition exists, changing it needs If-Match (the ETag read).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from quarterdeck.lib.api_edge import Id, api_user, as_data, errors, etag_doc, no_content
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.metrics import tracking_services
from quarterdeck.metrics.models import FeatureUsage, ProductTracking
from quarterdeck.metrics.tracking import product_filter
from quarterdeck.metrics.tracking_schemas import (
    FeatureUsageIn,
    FeatureUsageOut,
    ProductTrackingIn,
    ProductTrackingOut,
)
from quarterdeck.portfolio import selectors as portfolio
from quarterdeck.portfolio.models import Feature, Product

router = Router(tags=["tracking"])
OPTIONAL_IF_MATCH = {
    "parameters": [
        {
            "in": "header",
            "name": "If-Match",
            "required": False,
            "schema": {"type": "string"},
            "description": "The ETag you read; required once a definition exists.",
        }
    ]
}


def _expected(request: HttpRequest) -> int | None:
    return if_match_version(request) if "If-Match" in request.headers else None


def _product_out(product: Product, response: HttpResponse) -> dict[str, Any]:
    row = ProductTracking.objects.filter(product=product).first()
    version = row.version if row else 0
    response["ETag"] = etag(version)
    sources = product.event_sources.order_by("name")
    return {
        "product_id": product.pk,
        "tracked": product_filter(product) is not None,
        "sources": [{"id": s.pk, "name": s.name, "is_active": s.is_active} for s in sources],
        "conditions": row.conditions if row else [],
        "version": version,
    }


def _feature_out(feature: Feature, response: HttpResponse) -> dict[str, Any]:
    row = FeatureUsage.objects.filter(feature=feature).first()
    version = row.version if row else 0
    response["ETag"] = etag(version)
    return {
        "feature_id": feature.pk,
        "defined": row is not None,
        "event": row.event if row else "",
        "conditions": row.conditions if row else [],
        "version": version,
    }


@router.get(
    "/products/{product_id}/tracking",
    response={200: ProductTrackingOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def product_tracking_get(
    request: HttpRequest, product_id: Id, response: HttpResponse
) -> dict[str, Any]:
    """The product's sources and property conditions: together, which events are its."""
    product = portfolio.access_product(api_user(request), product_id)
    return _product_out(product, response)


@router.put(
    "/products/{product_id}/tracking",
    response={200: ProductTrackingOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=OPTIONAL_IF_MATCH,
)
def product_tracking_put(
    request: HttpRequest, product_id: Id, payload: ProductTrackingIn, response: HttpResponse
) -> dict[str, Any]:
    user = api_user(request)
    portfolio.access_product(user, product_id, for_write=True)  # 403 before the If-Match check
    tracking_services.product_tracking_set(
        actor=user,
        product_id=product_id,
        data=as_data(payload),
        expected_version=_expected(request),
    )
    return _product_out(portfolio.access_product(user, product_id), response)


@router.get(
    "/features/{feature_id}/usage",
    response={200: FeatureUsageOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def feature_usage_get(
    request: HttpRequest, feature_id: Id, response: HttpResponse
) -> dict[str, Any]:
    """What counts as using the feature (an event name and property conditions)."""
    feature = portfolio.access_feature(api_user(request), feature_id)
    return _feature_out(feature, response)


@router.put(
    "/features/{feature_id}/usage",
    response={200: FeatureUsageOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=OPTIONAL_IF_MATCH,
)
def feature_usage_put(
    request: HttpRequest, feature_id: Id, payload: FeatureUsageIn, response: HttpResponse
) -> dict[str, Any]:
    user = api_user(request)
    portfolio.access_feature(user, feature_id, for_write=True)
    tracking_services.feature_usage_set(
        actor=user,
        feature_id=feature_id,
        data=as_data(payload),
        expected_version=_expected(request),
    )
    return _feature_out(portfolio.access_feature(user, feature_id), response)


@router.delete(
    "/features/{feature_id}/usage",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=OPTIONAL_IF_MATCH,
)
def feature_usage_delete(request: HttpRequest, feature_id: Id) -> Status[None]:
    """Stop measuring the feature. Deleting an absent definition is harmless."""
    user = api_user(request)
    portfolio.access_feature(user, feature_id, for_write=True)
    tracking_services.feature_usage_clear(
        actor=user, feature_id=feature_id, expected_version=_expected(request)
    )
    return no_content()
