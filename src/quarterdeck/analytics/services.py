"""Running insights (with the result cache) and writing saved insights (audited, versioned).

``actor``/``user`` None is the operator at the command line (`quarterdeck metrics run`), who
sees every product — like the other operator commands (source create, events import).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.analytics import selectors
from quarterdeck.analytics.cache import CachedEngine, store_generation
from quarterdeck.analytics.models import SavedInsight
from quarterdeck.analytics.queries import InsightQuery, parse_query
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound, VersionConflict
from quarterdeck.metrics.engine import Definition, DefinitionError, compile_sql
from quarterdeck.metrics.engine.results import Result
from quarterdeck.metrics.engine.runner import QUERIES, today_in
from quarterdeck.metrics.insights import Scope, combine, definitions
from quarterdeck.portfolio.models import Feature, Product
from quarterdeck.portfolio.selectors import access_feature, access_product, may_change_item

AUDIT_TYPE: Final = "saved_insight"
INSIGHT_FIELDS: Final = ("name", "description", "query", "pinned")
# Engine field names → the query's data keys, so an error points at what the caller sent.
DEFINITION_FIELDS: Final = {
    "start/end": "start",
    "steps": "events",
    "window": "window_days",
    "feature": "events",
    "start_event": "events",
    "return_event": "events",
    "filters": "product_id",
    "exclusions": "events",
}


@dataclass(frozen=True)
class InsightOutcome:
    """A computed insight: the engine's typed ``result``, its ``rows`` (CSV / JSON), when it was
    computed, whether it all came from the cache, and the SQL behind it ("show SQL")."""

    query: InsightQuery
    result: Result
    rows: list[dict[str, object]]
    computed_at: dt.datetime
    cached: bool
    product: Product | None
    sql: str


@dataclass(frozen=True)
class Prepared:
    query: InsightQuery
    product: Product | None
    definitions: list[Definition]


def insight_run(
    user: User | None, query: InsightQuery, *, today: dt.date | None = None
) -> InsightOutcome:
    """Compute ``query`` on the instance's engine (metrics.warehouse.event_engine), answering
    from the cache what was computed before on the same events. ``today`` (default: today in
    the query's time zone) decides which retention cohorts are complete."""
    prepared = prepare(user, query)
    day = today or today_in(query.time_zone)
    engine = _cached_engine()
    # Rendering SQL (SQLGlot) is most of a cached answer's time: once per definition.
    statements = [
        compile_sql(d, engine.dialect, engine.source, today=day) for d in prepared.definitions
    ]
    results = [
        QUERIES[type(d)][1](d, engine.fetch(sql), day)
        for d, sql in zip(prepared.definitions, statements, strict=True)
    ]
    by_feature = bool(query.options.get("features"))
    result = combine(prepared.definitions, results, by_feature=by_feature)
    return InsightOutcome(
        query=query,
        result=result,
        rows=result.to_rows(),
        computed_at=engine.computed_at or timezone.now(),
        cached=engine.cached,
        product=prepared.product,
        sql=";\n\n".join(dict.fromkeys(statements)),
    )


def _cached_engine() -> CachedEngine:
    """The instance's engine behind the cache; the engine itself is only made on a miss."""
    from quarterdeck.metrics.services import events_path
    from quarterdeck.metrics.warehouse import current_config, event_engine

    config = current_config()
    embedded = config.kind == "embedded"
    generation = store_generation(events_path() if embedded else None)
    return CachedEngine(event_engine, config.dialect, config.source, generation)


def prepare(user: User | None, query: InsightQuery) -> Prepared:
    """Check who asks, resolve the product and features, build the engine definitions.
    InvalidInput (400) names the query field that is wrong."""
    if user is not None:
        selectors.check_read(user)
    product = _product(user, query.product_id)
    scope = _scope(user, product, query.options.get("features") or [])
    try:
        built = definitions(
            query.kind, start=query.start, end=query.end, options=query.options, scope=scope
        )
    except DefinitionError as exc:
        name = DEFINITION_FIELDS.get(exc.field, exc.field)
        if name.startswith(("condition", "matcher")):
            name = "where"
        raise InvalidInput(f"{name}: {exc.message}", fields={name: [exc.message]}) from exc
    return Prepared(query, product, built)


def _product(user: User | None, product_id: int | None) -> Product | None:
    if product_id is None:
        return None
    if user is not None:
        return access_product(user, product_id)
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        raise _invalid("product_id", f"There is no product with id {product_id}.")
    return product


def _scope(user: User | None, product: Product | None, feature_ids: list[int]) -> Scope:
    from quarterdeck.metrics.tracking import product_filter, tracked_features

    if product is None:
        if feature_ids:
            raise _invalid("features", "Features are read within a product: give product_id.")
        return Scope()
    product_scope = product_filter(product)
    if product_scope is None:
        raise selectors.untracked(product)
    tracked = tuple(matcher for _, matcher in tracked_features(product))
    features = tuple(_feature_matcher(user, product, pk) for pk in feature_ids)
    return Scope(filters=product_scope.conditions, features=features, tracked=tracked)


def _feature_matcher(user: User | None, product: Product, feature_id: int) -> Any:
    from quarterdeck.metrics.tracking import feature_matcher

    feature = _feature(user, feature_id)
    if feature.product_id != product.pk:
        raise _invalid(
            "features",
            f"Feature “{feature.name}” (id {feature.pk}) belongs to {feature.product.name}, "
            f"not {product.name}.",
        )
    matcher = feature_matcher(feature)
    if matcher is None:
        raise _invalid(
            "features",
            f"Feature “{feature.name}” has no usage definition yet; set it on the feature's "
            "Usage section.",
        )
    return matcher


def _feature(user: User | None, feature_id: int) -> Feature:
    try:
        if user is not None:
            return access_feature(user, feature_id)
        found = Feature.objects.select_related("product").filter(pk=feature_id).first()
        if found is None:
            raise NotFound(f"There is no feature with id {feature_id}.")
        return found
    except NotFound as exc:  # a bad id in the query is bad input, not a missing page
        raise _invalid("features", exc.message) from exc


def _invalid(name: str, message: str) -> InvalidInput:
    return InvalidInput(f"{name}: {message}", fields={name: [message]})


# Saved insights --------------------------------------------------------------------------------


def _nested(prefix: str, exc: InvalidInput) -> InvalidInput:
    fields = {f"{prefix}.{name}": messages for name, messages in exc.fields.items()}
    return InvalidInput(exc.message, fields=fields or {prefix: [exc.message]})


def _clean_query(actor: User | None, raw: Any) -> InsightQuery:
    if not isinstance(raw, Mapping):
        raise _invalid("query", "Expected an insight query object (kind, start, end, ...).")
    try:
        query = parse_query(raw)
        prepare(actor, query)
    except InvalidInput as exc:
        raise _nested("query", exc) from exc
    return query


def _clean_text(name: str, raw: Any, limit: int, *, required: bool) -> str:
    text = raw.strip() if isinstance(raw, str) else None
    if text is None or "\x00" in text:
        raise _invalid(name, "Expected text.")
    if required and not text:
        raise _invalid(name, "Required.")
    if len(text) > limit:
        raise _invalid(name, f"At most {limit} characters (this has {len(text)}).")
    return text


def _clean(actor: User | None, data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(data) - set(INSIGHT_FIELDS))
    if unknown:
        raise _invalid(unknown[0], f"Unknown field; use {', '.join(INSIGHT_FIELDS)}.")
    clean: dict[str, Any] = {}
    if "name" in data:
        clean["name"] = _clean_text("name", data["name"], 200, required=True)
    if "description" in data:
        clean["description"] = _clean_text(
            "description", data["description"], 20_000, required=False
        )
    if "pinned" in data:
        if not isinstance(data["pinned"], bool):
            raise _invalid("pinned", "Expected true or false.")
        clean["pinned"] = data["pinned"]
    if "query" in data:
        clean["query"] = _clean_query(actor, data["query"])
    return clean


def _apply(insight: SavedInsight, clean: Mapping[str, Any]) -> None:
    for name in ("name", "description", "pinned"):
        if name in clean:
            setattr(insight, name, clean[name])
    if "query" in clean:
        query: InsightQuery = clean["query"]
        insight.query = query.to_data()
        insight.kind = query.kind
        insight.product_id = query.product_id


def _check_pin(actor: User | None, insight: SavedInsight) -> None:
    """Pinning puts the chart on everyone's page of the product: for who may change it."""
    if not insight.pinned:
        return
    if insight.product_id is None:
        raise _invalid("pinned", "Only an insight about a product can be pinned to its page.")
    product = Product.objects.select_related("line").get(pk=insight.product_id)
    if actor is not None and not may_change_item(actor, product):
        raise NotAllowed(f"Only who may change {product.name} pins insights to its page.")


def insight_create(actor: User | None, data: Mapping[str, Any]) -> SavedInsight:
    """A new saved insight owned by ``actor``: ``data`` has name, query (InsightQuery data),
    and optionally description and pinned."""
    if actor is not None:
        selectors.check_read(actor)
    clean = _clean(actor, {"name": "", "query": None, **data})
    insight = SavedInsight(owner=actor if actor is not None and actor.pk else None)
    _apply(insight, clean)
    _check_pin(actor, insight)
    with transaction.atomic():
        insight.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=insight,
            after=snapshot(insight),
            object_type=AUDIT_TYPE,
        )
    return insight


def _locked(actor: User | None, insight_id: int, expected_version: int | None) -> SavedInsight:
    if actor is not None:
        selectors.access_insight(actor, insight_id, for_write=True)
    insight = SavedInsight.objects.select_for_update().filter(pk=insight_id).first()
    if insight is None:
        raise NotFound(f"There is no saved insight with id {insight_id}.")
    if expected_version is not None and insight.version != expected_version:
        raise VersionConflict(
            f"The insight “{insight.name}” was changed by someone else; reload it and try again.",
            current_version=insight.version,
        )
    return insight


def insight_update(
    actor: User | None,
    insight_id: int,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> SavedInsight:
    """Change some fields of a saved insight (the owner, leaders and admins)."""
    with transaction.atomic():
        insight = _locked(actor, insight_id, expected_version)
        before = snapshot(insight)
        was = (insight.pinned, insight.product_id)
        _apply(insight, _clean(actor, data))
        if (insight.pinned, insight.product_id) != was:
            _check_pin(actor, insight)
        after = snapshot(insight)
        if after != before:
            insight.version += 1
            insight.updated_at = timezone.now()
            insight.save()
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=insight,
                before=before,
                after=after,
                object_type=AUDIT_TYPE,
            )
    return insight


def insight_delete(actor: User | None, insight_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        insight = _locked(actor, insight_id, expected_version)
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=insight,
            before=snapshot(insight),
            object_type=AUDIT_TYPE,
        )
        insight.delete()


def insight_result(user: User | None, insight: SavedInsight) -> InsightOutcome:
    """Run a saved insight (fetched through access_insight) as it is stored."""
    return insight_run(user, parse_query(insight.query))


def overview_run(user: User | None, product_id: int) -> list[tuple[str, InsightOutcome]]:
    """The charts of a product's analytics page (selectors.product_overview), computed."""
    if user is None:
        raise NotAllowed("The product overview is for signed-in people.")
    charts = selectors.product_overview(user, product_id)
    return [(title, insight_run(user, query)) for title, query in charts]
