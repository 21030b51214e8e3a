"""REST endpoints of the portfolio: product lines, products, features and the whole tree."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from quarterdeck.audit.models import AuditEntry
from quarterdeck.audit.schemas import AuditEntryOut
from quarterdeck.audit.selectors import object_history
from quarterdeck.lib.api_edge import (
    Id,
    api_user,
    as_data,
    errors,
    etag_doc,
    if_match_doc,
    no_content,
    tagged,
)
from quarterdeck.lib.http import if_match_version
from quarterdeck.lib.pagination import Pagination
from quarterdeck.portfolio import selectors, services
from quarterdeck.portfolio.models import Feature, ItemType, Product, ProductLine, StageChange
from quarterdeck.portfolio.schemas import (
    FeatureFilters,
    FeatureIn,
    FeatureOut,
    LineFilters,
    LineIn,
    LineNodeOut,
    LineOut,
    ProductFilters,
    ProductIn,
    ProductOut,
    StageChangeOut,
    TreeFilters,
)

router = Router(tags=["portfolio"])

READ = errors(404)
CREATE = errors(400, 403)
WRITE = errors(400, 403, 404, 412, 428)


def _split(payload: Any) -> tuple[dict[str, Any], str]:
    """A write body → (the item's fields, the reason for a stage move)."""
    data = as_data(payload)
    return data, str(data.pop("stage_reason", None) or "")


# Product lines --------------------------------------------------------------------------------


@router.get("/lines", response={200: list[LineOut], **errors()})
@paginate(Pagination)
def line_list(request: HttpRequest, filters: Query[LineFilters]) -> QuerySet[ProductLine]:
    return selectors.list_lines(api_user(request), **as_data(filters))


@router.post("/lines", response={201: LineOut, **CREATE}, openapi_extra=etag_doc(201))
def line_create(
    request: HttpRequest, payload: LineIn, response: HttpResponse
) -> Status[ProductLine]:
    data, reason = _split(payload)
    line = services.line_create(actor=api_user(request), data=data, stage_reason=reason)
    return Status(201, tagged(response, line))


@router.get("/lines/{line_id}", response={200: LineOut, **READ}, openapi_extra=etag_doc(200))
def line_get(request: HttpRequest, line_id: Id, response: HttpResponse) -> ProductLine:
    return tagged(response, selectors.access_line(api_user(request), line_id))


def _line_update(request: HttpRequest, line_id: int, payload: Any) -> ProductLine:
    actor = api_user(request)
    selectors.access_line(actor, line_id, for_write=True)  # 404 and 403 before 428
    data, reason = _split(payload)
    return services.line_update(
        actor=actor,
        line_id=line_id,
        data=data,
        expected_version=if_match_version(request),
        stage_reason=reason,
    )


@router.put("/lines/{line_id}", response={200: LineOut, **WRITE}, openapi_extra=if_match_doc())
def line_replace(
    request: HttpRequest, line_id: Id, payload: LineIn, response: HttpResponse
) -> ProductLine:
    return tagged(response, _line_update(request, line_id, payload))


@router.patch("/lines/{line_id}", response={200: LineOut, **WRITE}, openapi_extra=if_match_doc())
def line_patch(
    request: HttpRequest, line_id: Id, payload: PatchDict[LineIn], response: HttpResponse
) -> ProductLine:
    return tagged(response, _line_update(request, line_id, payload))


@router.delete("/lines/{line_id}", response={204: None, **WRITE}, openapi_extra=if_match_doc(None))
def line_delete(request: HttpRequest, line_id: Id) -> Status[None]:
    actor = api_user(request)
    selectors.access_line(actor, line_id, for_write=True)  # 404 and 403 before 428
    services.line_delete(actor=actor, line_id=line_id, expected_version=if_match_version(request))
    return no_content()


@router.get("/lines/{line_id}/history", response={200: list[AuditEntryOut], **READ})
@paginate(Pagination)
def line_history(request: HttpRequest, line_id: Id) -> QuerySet[AuditEntry]:
    line = selectors.access_line(api_user(request), line_id)
    return object_history("product_line", line.pk)


@router.get("/lines/{line_id}/stages", response={200: list[StageChangeOut], **READ})
@paginate(Pagination)
def line_stages(request: HttpRequest, line_id: Id) -> QuerySet[StageChange]:
    line = selectors.access_line(api_user(request), line_id)
    return selectors.stage_history(ItemType.LINE, line.pk)


# Products -------------------------------------------------------------------------------------


@router.get("/products", response={200: list[ProductOut], **errors()})
@paginate(Pagination)
def product_list(request: HttpRequest, filters: Query[ProductFilters]) -> QuerySet[Product]:
    return selectors.list_products(api_user(request), **as_data(filters))


@router.post("/products", response={201: ProductOut, **CREATE}, openapi_extra=etag_doc(201))
def product_create(
    request: HttpRequest, payload: ProductIn, response: HttpResponse
) -> Status[Product]:
    data, reason = _split(payload)
    product = services.product_create(actor=api_user(request), data=data, stage_reason=reason)
    return Status(201, tagged(response, product))


@router.get(
    "/products/{product_id}", response={200: ProductOut, **READ}, openapi_extra=etag_doc(200)
)
def product_get(request: HttpRequest, product_id: Id, response: HttpResponse) -> Product:
    return tagged(response, selectors.access_product(api_user(request), product_id))


def _product_update(request: HttpRequest, product_id: int, payload: Any) -> Product:
    actor = api_user(request)
    selectors.access_product(actor, product_id, for_write=True)  # 404 and 403 before 428
    data, reason = _split(payload)
    return services.product_update(
        actor=actor,
        product_id=product_id,
        data=data,
        expected_version=if_match_version(request),
        stage_reason=reason,
    )


@router.put(
    "/products/{product_id}", response={200: ProductOut, **WRITE}, openapi_extra=if_match_doc()
)
def product_replace(
    request: HttpRequest, product_id: Id, payload: ProductIn, response: HttpResponse
) -> Product:
    return tagged(response, _product_update(request, product_id, payload))


@router.patch(
    "/products/{product_id}", response={200: ProductOut, **WRITE}, openapi_extra=if_match_doc()
)
def product_patch(
    request: HttpRequest, product_id: Id, payload: PatchDict[ProductIn], response: HttpResponse
) -> Product:
    return tagged(response, _product_update(request, product_id, payload))


@router.delete(
    "/products/{product_id}", response={204: None, **WRITE}, openapi_extra=if_match_doc(None)
)
def product_delete(request: HttpRequest, product_id: Id) -> Status[None]:
    actor = api_user(request)
    selectors.access_product(actor, product_id, for_write=True)  # 404 and 403 before 428
    services.product_delete(
        actor=actor, product_id=product_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.get("/products/{product_id}/history", response={200: list[AuditEntryOut], **READ})
@paginate(Pagination)
def product_history(request: HttpRequest, product_id: Id) -> QuerySet[AuditEntry]:
    product = selectors.access_product(api_user(request), product_id)
    return object_history("product", product.pk)


@router.get("/products/{product_id}/stages", response={200: list[StageChangeOut], **READ})
@paginate(Pagination)
def product_stages(request: HttpRequest, product_id: Id) -> QuerySet[StageChange]:
    product = selectors.access_product(api_user(request), product_id)
    return selectors.stage_history(ItemType.PRODUCT, product.pk)


# Features and initiatives ---------------------------------------------------------------------


@router.get("/features", response={200: list[FeatureOut], **errors()})
@paginate(Pagination)
def feature_list(request: HttpRequest, filters: Query[FeatureFilters]) -> QuerySet[Feature]:
    return selectors.list_features(api_user(request), **as_data(filters))


@router.post("/features", response={201: FeatureOut, **CREATE}, openapi_extra=etag_doc(201))
def feature_create(
    request: HttpRequest, payload: FeatureIn, response: HttpResponse
) -> Status[Feature]:
    data, reason = _split(payload)
    feature = services.feature_create(actor=api_user(request), data=data, stage_reason=reason)
    return Status(201, tagged(response, feature))


@router.get(
    "/features/{feature_id}", response={200: FeatureOut, **READ}, openapi_extra=etag_doc(200)
)
def feature_get(request: HttpRequest, feature_id: Id, response: HttpResponse) -> Feature:
    return tagged(response, selectors.access_feature(api_user(request), feature_id))


def _feature_update(request: HttpRequest, feature_id: int, payload: Any) -> Feature:
    actor = api_user(request)
    selectors.access_feature(actor, feature_id, for_write=True)  # 404 and 403 before 428
    data, reason = _split(payload)
    return services.feature_update(
        actor=actor,
        feature_id=feature_id,
        data=data,
        expected_version=if_match_version(request),
        stage_reason=reason,
    )


@router.put(
    "/features/{feature_id}", response={200: FeatureOut, **WRITE}, openapi_extra=if_match_doc()
)
def feature_replace(
    request: HttpRequest, feature_id: Id, payload: FeatureIn, response: HttpResponse
) -> Feature:
    return tagged(response, _feature_update(request, feature_id, payload))


@router.patch(
    "/features/{feature_id}", response={200: FeatureOut, **WRITE}, openapi_extra=if_match_doc()
)
def feature_patch(
    request: HttpRequest, feature_id: Id, payload: PatchDict[FeatureIn], response: HttpResponse
) -> Feature:
    return tagged(response, _feature_update(request, feature_id, payload))


@router.delete(
    "/features/{feature_id}", response={204: None, **WRITE}, openapi_extra=if_match_doc(None)
)
def feature_delete(request: HttpRequest, feature_id: Id) -> Status[None]:
    actor = api_user(request)
    selectors.access_feature(actor, feature_id, for_write=True)  # 404 and 403 before 428
    services.feature_delete(
        actor=actor, feature_id=feature_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.get("/features/{feature_id}/history", response={200: list[AuditEntryOut], **READ})
@paginate(Pagination)
def feature_history(request: HttpRequest, feature_id: Id) -> QuerySet[AuditEntry]:
    feature = selectors.access_feature(api_user(request), feature_id)
    return object_history("feature", feature.pk)


@router.get("/features/{feature_id}/stages", response={200: list[StageChangeOut], **READ})
@paginate(Pagination)
def feature_stages(request: HttpRequest, feature_id: Id) -> QuerySet[StageChange]:
    feature = selectors.access_feature(api_user(request), feature_id)
    return selectors.stage_history(ItemType.FEATURE, feature.pk)


# The whole tree -------------------------------------------------------------------------------


@router.get("/portfolio/tree", response={200: list[LineNodeOut], **errors()})
def portfolio_tree(request: HttpRequest, filters: Query[TreeFilters]) -> list[LineNodeOut]:
    """Lines → products → features, nested. With owner or stage filters an item stays when it
    or anything below it matches, so the path to every match is kept."""
    roots = selectors.portfolio_tree(api_user(request), **as_data(filters))
    return [LineNodeOut.of(root) for root in roots]
