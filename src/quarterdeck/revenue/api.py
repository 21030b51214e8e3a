"""REST endpoints of the revenue module: customers, subscriptions, exchange rates, CSV import,
and the metrics (MRR, ARR, movements, churn, NRR, GRR, logo churn, quick ratio)."""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, PatchDict, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from quarterdeck.lib.api_edge import (
    Id,
    api_user,
    errors,
    etag_doc,
    if_match_doc,
    no_content,
    tagged,
)
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.lib.http import if_match_version
from quarterdeck.lib.pagination import Pagination
from quarterdeck.revenue import delete_services, importing, metrics, selectors, services
from quarterdeck.revenue.models import CurrencyRate, Customer, Subscription
from quarterdeck.revenue.schemas import (
    CustomerIn,
    CustomerOut,
    ImportOut,
    MetricsOut,
    MetricsQuery,
    RateIn,
    RateOut,
    RatesOut,
    SubscriptionIn,
    SubscriptionOut,
)

router = Router(tags=["revenue"])


def _data(payload: Any) -> dict[str, Any]:
    """Plain values with dates and decimals kept as such (the services check them)."""
    raw = dict(payload)
    if "items" in raw and raw["items"] is not None:
        raw["items"] = [dict(item) for item in raw["items"]]
    return raw


def _sub_out(sub: Subscription) -> dict[str, Any]:
    items = [
        {
            "product_id": i.product_id,
            "product": i.product.name if i.product else None,
            "amount": i.amount,
            "quantity": i.quantity,
        }
        for i in sub.items.all()
    ]
    return {
        **{f: getattr(sub, f) for f in SubscriptionOut.model_fields if f != "items"},
        "customer": sub.customer.external_id,
        "items": items,
    }


@router.get("/revenue/customers", response={200: list[CustomerOut], **errors(403)})
@paginate(Pagination)
def customer_list(request: HttpRequest, search: str = "") -> Any:
    """Customers (members and up)."""
    return selectors.list_customers(api_user(request), search=search[:200])


@router.post(
    "/revenue/customers",
    response={201: CustomerOut, **errors(400, 403)},
    openapi_extra=etag_doc(201),
)
def customer_create(
    request: HttpRequest, payload: CustomerIn, response: HttpResponse
) -> Status[Customer]:
    customer = services.customer_create(actor=api_user(request), data=_data(payload))
    return Status(201, tagged(response, customer))


@router.get(
    "/revenue/customers/{customer_id}",
    response={200: CustomerOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def customer_get(request: HttpRequest, customer_id: Id, response: HttpResponse) -> Customer:
    return tagged(response, selectors.access_customer(api_user(request), customer_id))


@router.patch(
    "/revenue/customers/{customer_id}",
    response={200: CustomerOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def customer_patch(
    request: HttpRequest, customer_id: Id, payload: PatchDict[CustomerIn], response: HttpResponse
) -> Customer:
    user = api_user(request)
    selectors.access_customer(user, customer_id, for_write=True)  # 403 before If-Match
    customer = services.customer_update(
        actor=user,
        customer_id=customer_id,
        data=_data(payload),
        expected_version=if_match_version(request),
    )
    return tagged(response, customer)


@router.delete(
    "/revenue/customers/{customer_id}",
    response={204: None, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def customer_delete(request: HttpRequest, customer_id: Id) -> Status[None]:
    """Delete a customer without subscriptions (400 naming how many it still has)."""
    user = api_user(request)
    selectors.access_customer(user, customer_id, for_write=True)  # 403 before If-Match
    delete_services.customer_delete(
        actor=user, customer_id=customer_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.get("/revenue/subscriptions", response={200: list[SubscriptionOut], **errors(403)})
@paginate(Pagination)
def subscription_list(
    request: HttpRequest, customer: Id | None = None, status: str = ""
) -> list[dict[str, Any]]:
    """Subscriptions with their items (members and up)."""
    subs = selectors.list_subscriptions(api_user(request), customer_id=customer, status=status[:20])
    return [_sub_out(s) for s in subs]


@router.post(
    "/revenue/subscriptions",
    response={201: SubscriptionOut, **errors(400, 403)},
    openapi_extra=etag_doc(201),
)
def subscription_create(
    request: HttpRequest, payload: SubscriptionIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    sub = services.subscription_create(actor=api_user(request), data=_data(payload))
    tagged(response, sub)
    return Status(201, _sub_out(selectors.access_subscription(None, sub.pk)))


@router.get(
    "/revenue/subscriptions/{subscription_id}",
    response={200: SubscriptionOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def subscription_get(
    request: HttpRequest, subscription_id: Id, response: HttpResponse
) -> dict[str, Any]:
    sub = selectors.access_subscription(api_user(request), subscription_id)
    return _sub_out(tagged(response, sub))


@router.patch(
    "/revenue/subscriptions/{subscription_id}",
    response={200: SubscriptionOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def subscription_patch(
    request: HttpRequest,
    subscription_id: Id,
    payload: PatchDict[SubscriptionIn],
    response: HttpResponse,
) -> dict[str, Any]:
    user = api_user(request)
    selectors.access_subscription(user, subscription_id, for_write=True)
    sub = services.subscription_update(
        actor=user,
        subscription_id=subscription_id,
        data=_data(payload),
        expected_version=if_match_version(request),
    )
    return _sub_out(tagged(response, sub))


@router.delete(
    "/revenue/subscriptions/{subscription_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def subscription_delete(request: HttpRequest, subscription_id: Id) -> Status[None]:
    """Delete a subscription (with its items) entered by mistake; revenue key results follow."""
    user = api_user(request)
    selectors.access_subscription(user, subscription_id, for_write=True)
    delete_services.subscription_delete(
        actor=user, subscription_id=subscription_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.get("/revenue/rates", response={200: RatesOut, **errors(403)})
def rate_list(request: HttpRequest) -> dict[str, Any]:
    """Exchange rates into the reporting currency (members and up read; admins set)."""
    rates = selectors.list_rates(api_user(request))
    return {"reporting_currency": selectors.reporting_currency(), "rates": list(rates)}


@router.post(
    "/revenue/rates",
    response={200: RateOut, **errors(400, 403)},
    openapi_extra=etag_doc(200),
)
def rate_set(request: HttpRequest, payload: RateIn, response: HttpResponse) -> CurrencyRate:
    """Set the rate of a currency from a day on (replaces the rate of that day)."""
    rate = services.rate_set(
        actor=api_user(request),
        currency=payload.currency,
        rate=payload.rate,
        valid_from=payload.valid_from,
    )
    return tagged(response, rate)


@router.get(
    "/revenue/rates/{rate_id}",
    response={200: RateOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def rate_get(request: HttpRequest, rate_id: Id, response: HttpResponse) -> CurrencyRate:
    return tagged(response, selectors.access_rate(api_user(request), rate_id))


@router.delete(
    "/revenue/rates/{rate_id}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def rate_delete(request: HttpRequest, rate_id: Id) -> Status[None]:
    user = api_user(request)
    selectors.access_rate(user, rate_id, for_write=True)
    services.rate_delete(actor=user, rate_id=rate_id, expected_version=if_match_version(request))
    return no_content()


@router.get("/revenue/metrics", response={200: MetricsOut, **errors(400, 403, 404)})
def metric_series(request: HttpRequest, query: Query[MetricsQuery]) -> dict[str, Any]:
    """A revenue metric per period, for everything, a product or a line (METRICS_SPEC §7).
    Money is in the reporting currency; ratios are fractions; null where undefined."""
    user = api_user(request)
    subject = metrics.subject_of(user, query.product, query.line)
    start, end = metrics.default_range(query.start, query.end)
    points = metrics.metric_points(user, query.metric, subject, start, end, query.grain)
    return {
        "metric": query.metric,
        "currency": selectors.reporting_currency(),
        "product_id": query.product,
        "line_id": query.line,
        "grain": query.grain,
        "points": points,
    }


@router.post(
    "/revenue/import",
    response={200: ImportOut, 400: ImportOut, **errors(403)},
    summary="Import a Stripe-style subscriptions CSV",
    description=(
        "Every row is checked first. With errors and `skip_invalid` false nothing is written "
        "(400, every error with its row and column); with `skip_invalid` true the good "
        "subscriptions are written and the bad rows listed. `mapping` is a JSON object from "
        'our column names to the file\'s, e.g. {"customer": "Client"}. Re-importing updates.'
    ),
)
def import_csv(
    request: HttpRequest,
    file: File[UploadedFile],
    skip_invalid: Form[bool] = False,
    mapping: Form[str] = "",
) -> Status[dict[str, Any]]:
    result = importing.revenue_import(
        actor=api_user(request),
        content=file.read(),
        filename=file.name or "upload.csv",
        skip_invalid=skip_invalid,
        mapping=_mapping(mapping),
    )
    return Status(200 if result.written else 400, result.summary())


def _mapping(raw: str) -> dict[str, str]:
    if not raw.strip():
        return {}
    try:
        found = json.loads(raw)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"mapping: not JSON ({error.msg}).", fields={"mapping": [error.msg]}
        ) from error
    if not isinstance(found, dict) or not all(isinstance(v, str) for v in found.values()):
        message = 'a JSON object of column names, e.g. {"customer": "Client"}.'
        raise InvalidInput(f"mapping: must be {message}", fields={"mapping": [message]})
    return {str(k): v for k, v in found.items()}
