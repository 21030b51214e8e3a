"""REST endpoints of links, themes, demand and close-the-loop (the rest of the feedback API is
in feedback/api.py). Handlers parse, call one service or selector through its door, render."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Status

from quarterdeck.feedback import demand, links, loop, themes
from quarterdeck.feedback.insight_schemas import (
    AcceptIn,
    DemandOut,
    LinkIn,
    LinkOut,
    LinkPatch,
    LoopIn,
    LoopPreviewOut,
    NoticeOut,
    ThemeDetailOut,
    ThemeMergeIn,
    ThemeOut,
    ThemeRenameIn,
    ThemeRunOut,
    WeekOut,
)
from quarterdeck.feedback.models import FeedbackLink, LoopNotice, Theme
from quarterdeck.feedback.selectors import access_feedback, access_theme
from quarterdeck.lib.api_edge import (
    Id,
    LongText,
    ShortText,
    api_user,
    errors,
    etag_doc,
    if_match_doc,
    no_content,
)
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.portfolio.selectors import access_feature, access_line, access_product

router = Router(tags=["feedback insight"])
CSV_DOC: dict[str, Any] = {
    "responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}
}
Format = Literal["json", "csv"] | None
Weeks = Annotated[int, Field(ge=1, le=520, description="How many weeks, this one included.")]


# Links ----------------------------------------------------------------------------------------


def _link_out(link: FeedbackLink) -> dict[str, Any]:
    fields = (
        "id",
        "item_id",
        "state",
        "importance",
        "score",
        "passage",
        "passage_start",
        "passage_end",
    )
    product = link.feature.product
    return {
        **{f: getattr(link, f) for f in (*fields, "decided_at", "created_at")},
        "feature": {"id": link.feature_id, "name": link.feature.name},
        "product": {"id": product.pk, "name": product.name},
    }


@router.get("/feedback/{item_id}/links", response={200: list[LinkOut], **errors(403, 404)})
def links_of_item(request: HttpRequest, item_id: Id) -> list[dict[str, Any]]:
    """The item's links: accepted, rejected and the model's open suggestions, best first."""
    item = access_feedback(api_user(request), item_id)
    return [_link_out(link) for link in links.item_links(item)]


@router.post("/feedback/{item_id}/links", response={201: LinkOut, **errors(400, 403, 404)})
def link_create(request: HttpRequest, item_id: Id, payload: LinkIn) -> Status[dict[str, Any]]:
    """Link the item, or the passage ``passage_start``..``passage_end`` of its text (character
    offsets, end exclusive), to a feature; accepted at once (members and up)."""
    user = api_user(request)
    item = access_feedback(user, item_id)
    feature = access_feature(user, payload.feature_id)
    link = links.link_create(
        actor=user,
        item=item,
        feature=feature,
        importance=payload.importance,
        passage_start=payload.passage_start,
        passage_end=payload.passage_end,
    )
    return Status(201, _link_out(link))


@router.patch("/feedback/links/{link_id}", response={200: LinkOut, **errors(400, 403, 404)})
def link_patch(request: HttpRequest, link_id: Id, payload: LinkPatch) -> dict[str, Any]:
    """Change the importance or the passage (send both ends; both null = the whole item)."""
    user = api_user(request)
    link = links.access_link(user, link_id, for_write=True)
    data = payload.model_dump(exclude_unset=True)
    return _link_out(links.link_update(actor=user, link=link, data=data))


@router.delete("/feedback/links/{link_id}", response={204: None, **errors(403, 404)})
def link_delete(request: HttpRequest, link_id: Id) -> Status[None]:
    user = api_user(request)
    links.link_delete(actor=user, link=links.access_link(user, link_id, for_write=True))
    return no_content()


@router.post("/feedback/links/{link_id}/accept", response={200: LinkOut, **errors(400, 403, 404)})
def link_accept(
    request: HttpRequest, link_id: Id, payload: AcceptIn | None = None
) -> dict[str, Any]:
    """Accept a suggestion (optionally with an importance); later suggestions learn from it."""
    user = api_user(request)
    link = links.access_link(user, link_id, for_write=True)
    importance = payload.importance if payload is not None else None
    return _link_out(links.link_accept(actor=user, link=link, importance=importance))


@router.post("/feedback/links/{link_id}/reject", response={200: LinkOut, **errors(403, 404)})
def link_reject(request: HttpRequest, link_id: Id) -> dict[str, Any]:
    """Reject a suggestion; similar items are then suggested less for that feature."""
    user = api_user(request)
    link = links.access_link(user, link_id, for_write=True)
    return _link_out(links.link_reject(actor=user, link=link))


# Themes ---------------------------------------------------------------------------------------


def _theme_out(theme: Theme, response: HttpResponse | None = None) -> dict[str, Any]:
    if response is not None:
        response["ETag"] = etag(theme.version)
    fields = ("id", "name", "auto_label", "renamed", "keywords", "size", "version", "updated_at")
    return {f: getattr(theme, f) for f in fields}


def _detail(theme: Theme, response: HttpResponse) -> dict[str, Any]:
    examples = [
        {"id": i.pk, "text": i.text, "received_at": i.received_at, "score": i.theme_score}
        for i in themes.representatives(theme)
    ]
    return {**_theme_out(theme, response), "examples": examples}


@router.get("/themes", response={200: list[ThemeOut], **errors(403)})
def theme_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every theme, largest first (not paged: clustering makes tens to a few hundred)."""
    return [_theme_out(t) for t in themes.list_themes(api_user(request))]


@router.post("/themes/recluster", response={201: ThemeRunOut, **errors(403)})
def themes_recluster(request: HttpRequest) -> Status[Any]:
    """Group the whole inbox anew (members and up). Names people gave survive when the new
    theme holds most of the old one's items."""
    return Status(201, themes.themes_recluster(actor=api_user(request)))


@router.post("/themes/merge", response={200: ThemeDetailOut, **errors(400, 403, 404)})
def theme_merge(
    request: HttpRequest, payload: ThemeMergeIn, response: HttpResponse
) -> dict[str, Any]:
    """Merge two or more themes into the largest of them."""
    user = api_user(request)
    found = [access_theme(user, pk, for_write=True) for pk in payload.theme_ids]
    return _detail(themes.theme_merge(actor=user, themes=found, name=payload.name), response)


@router.get(
    "/themes/{theme_id}",
    response={200: ThemeDetailOut, **errors(403, 404)},
    openapi_extra=etag_doc(200),
)
def theme_get(request: HttpRequest, theme_id: Id, response: HttpResponse) -> dict[str, Any]:
    return _detail(access_theme(api_user(request), theme_id), response)


@router.patch(
    "/themes/{theme_id}",
    response={200: ThemeDetailOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def theme_rename(
    request: HttpRequest, theme_id: Id, payload: ThemeRenameIn, response: HttpResponse
) -> dict[str, Any]:
    """Rename the theme (re-clustering keeps the name)."""
    user = api_user(request)
    theme = access_theme(user, theme_id, for_write=True)
    renamed = themes.theme_rename(
        actor=user, theme=theme, name=payload.name, expected_version=if_match_version(request)
    )
    return _detail(renamed, response)


@router.post("/themes/{theme_id}/split", response={200: list[ThemeOut], **errors(400, 403, 404)})
def theme_split(request: HttpRequest, theme_id: Id) -> list[dict[str, Any]]:
    """Split the theme into two or more by re-clustering its items."""
    user = api_user(request)
    parts = themes.theme_split(actor=user, theme=access_theme(user, theme_id, for_write=True))
    return [_theme_out(t) for t in parts]


@router.get("/themes/{theme_id}/trend", response={200: list[WeekOut], **errors(400, 403, 404)})
def theme_trend(request: HttpRequest, theme_id: Id, weeks: Weeks = 12) -> list[Any]:
    """Items received per ISO week, oldest first, the current week last."""
    return list(themes.theme_trend(access_theme(api_user(request), theme_id), weeks))


# Demand ---------------------------------------------------------------------------------------


def _attachment(content: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _demand_out(rows: list[demand.DemandRow], format: Format, name: str) -> Any:
    if format == "csv":
        return _attachment(demand.demand_csv(rows), name)
    return [{**vars(r), "id": r.key} for r in rows]


@router.get(
    "/demand/features",
    response={200: list[DemandOut], **errors(400, 403, 404)},
    openapi_extra=CSV_DOC,
    description="Ranked by score; JSON by default, CSV with `?format=csv`.",
)
def demand_features(
    request: HttpRequest,
    product_id: Id | None = None,
    line_id: Id | None = None,
    segment: ShortText | None = None,
    format: Format = None,
) -> Any:
    """Demand per feature from its accepted feedback (docs/feedback-demand.md has the formula)."""
    user = api_user(request)
    product = access_product(user, product_id) if product_id is not None else None
    line = access_line(user, line_id) if line_id is not None else None
    rows = demand.demand_for_features(user, product=product, line=line, segment=segment)
    return _demand_out(rows, format, "feature-demand.csv")


@router.get(
    "/demand/themes",
    response={200: list[DemandOut], **errors(400, 403, 404)},
    openapi_extra=CSV_DOC,
    description="Ranked by score; JSON by default, CSV with `?format=csv`.",
)
def demand_themes(
    request: HttpRequest,
    product_id: Id | None = None,
    line_id: Id | None = None,
    segment: ShortText | None = None,
    format: Format = None,
) -> Any:
    """Demand per theme from the items in it."""
    user = api_user(request)
    product = access_product(user, product_id) if product_id is not None else None
    line = access_line(user, line_id) if line_id is not None else None
    rows = demand.demand_for_themes(user, product=product, line=line, segment=segment)
    return _demand_out(rows, format, "theme-demand.csv")


@router.get("/features/{feature_id}/demand", response={200: DemandOut, **errors(403, 404)})
def feature_demand(request: HttpRequest, feature_id: Id, segment: ShortText | None = None) -> Any:
    user = api_user(request)
    row = demand.feature_demand(access_feature(user, feature_id), user=user, segment=segment)
    return {**vars(row), "id": row.key}


# Close the loop -------------------------------------------------------------------------------


def _notice(notice: LoopNotice | None) -> dict[str, Any] | None:
    if notice is None:
        return None
    return {
        "id": notice.pk,
        "subject": notice.subject,
        "sent_at": notice.sent_at,
        "recipients": len(notice.recipients),
    }


@router.get("/features/{feature_id}/loop", response={200: LoopPreviewOut, **errors(403, 404)})
def loop_preview(
    request: HttpRequest,
    feature_id: Id,
    subject: ShortText | None = None,
    body: LongText | None = None,
) -> dict[str, Any]:
    """Who would be told that the feature shipped, and each one's mail (members and up: it
    shows customers' e-mail addresses). Placeholders: $name, $feature, $product, $items."""
    user = api_user(request)
    preview = loop.loop_preview_for(
        user, access_feature(user, feature_id), subject=subject, body=body
    )
    return {**vars(preview), "last_sent": _notice(preview.last_sent)}


@router.post("/features/{feature_id}/loop", response={201: NoticeOut, **errors(400, 403, 404)})
def loop_send(
    request: HttpRequest, feature_id: Id, payload: LoopIn
) -> Status[dict[str, Any] | None]:
    """Mail everyone who asked for the feature (its owners; at launch or later; a second send
    needs ``force``)."""
    user = api_user(request)
    feature = access_feature(user, feature_id)
    notice = loop.loop_send(
        actor=user, feature=feature, subject=payload.subject, body=payload.body, force=payload.force
    )
    return Status(201, _notice(notice))
