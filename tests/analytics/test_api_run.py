"""POST /metrics/run and GET /products/{id}/analytics: the numbers, the same from the API, the
CLI and the service; CSV; the result cache; bad queries answered 400 with the field named."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from quarterdeck.analytics.export import rows_csv
from quarterdeck.analytics.models import SavedInsight
from quarterdeck.analytics.queries import parse_query
from quarterdeck.analytics.services import insight_run
from quarterdeck.cli import cli
from quarterdeck.metrics.models import FeatureUsage
from quarterdeck.portfolio.models import Feature, Product
from tests.analytics.conftest import RANGE, Query, Store, event
from tests.api.client import Api


def cli_rows(*args: str, fmt: str = "json") -> Any:
    result = CliRunner().invoke(cli, ["metrics", "run", *args, "--format", fmt])
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if fmt == "json" else result.output


CLI_RANGE = ("--from", RANGE["start"], "--to", RANGE["end"], "--product", "Atlas")
# kind, options (as the API takes them), the same as CLI arguments
CASES: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("active-users", {"measure": "dau,wau,mau"}, ("--measure", "dau,wau,mau")),
    ("active-users", {"breakdown": "feature"}, ("--breakdown", "feature")),
    ("active-days", {"grain": "day"}, ()),
    (
        "feature-adoption",
        {"features": "search,maps"},
        ("--feature", "Atlas Search", "--feature", "Atlas Maps"),
    ),
    (
        "feature-adoption",
        {"events": ["Searched"], "where": {"plan": "free"}},
        ("--event", "Searched", "--where", "plan=free"),
    ),
    (
        "retention",
        {"periods": 3, "mode": "on_or_after"},
        ("--periods", "3", "--mode", "on_or_after"),
    ),
    ("lifecycle", {}, ()),
    (
        "funnel",
        {"events": ["Page Viewed", "Searched"], "window_days": 2},
        ("--event", "Page Viewed", "--event", "Searched", "--window-days", "2"),
    ),
]


def _resolve(store: Store, options: dict[str, Any]) -> dict[str, Any]:
    if options.get("features") == "search,maps":
        return {**options, "features": [store.search.pk, store.maps.pk]}
    return options


@pytest.mark.parametrize(("kind", "options", "args"), CASES, ids=[c[0] for c in CASES])
def test_api_cli_and_service_give_the_same_numbers(
    store: Store, atlas_query: Query, kind: str, options: dict[str, Any], args: tuple[str, ...]
) -> None:
    data = atlas_query(kind, **_resolve(store, options))
    expected = insight_run(store.personas.member, parse_query(data)).rows
    assert expected  # something to compare
    api = Api(store.personas.member)
    response = api.post("/metrics/run", data)
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == json.loads(json.dumps(expected))
    assert cli_rows(kind, *CLI_RANGE, *args) == json.loads(json.dumps(expected))
    csv_text = api.client.post(
        "/api/v1/metrics/run?format=csv",
        json.dumps(data),
        content_type="application/json",
        headers=api.headers,
    ).content.decode()
    assert csv_text == rows_csv(expected) == cli_rows(kind, *CLI_RANGE, *args, fmt="csv")


def test_the_numbers_of_the_small_event_set(store: Store, atlas_query: Query) -> None:
    api = Api(store.personas.leader)
    dau = api.post("/metrics/run", atlas_query("active-users")).json()["rows"]
    assert [row["dau"] for row in dau] == [2, 1, 2, 2, 2, 2, 1]
    everyone = api.post("/metrics/run", {"kind": "active-users", **RANGE}).json()["rows"]
    assert [row["dau"] for row in everyone] == [3, 2, 3, 3, 3, 3, 2]  # with Beacon's u9
    features = [store.search.pk, store.maps.pk]
    adoption = api.post("/metrics/run", atlas_query("feature-adoption", features=features))
    assert [
        (r["breakdown"], r["numerator"], r["denominator"]) for r in adoption.json()["rows"]
    ] == [
        ("Atlas Search", 3, 4),
        ("Atlas Maps", 2, 4),
    ]
    funnel = api.post("/metrics/run", atlas_query("funnel", features=features)).json()["rows"]
    assert [(r["name"], r["count"]) for r in funnel] == [("Atlas Search", 3), ("Atlas Maps", 1)]


def test_csv_by_accept_header_and_the_query_as_understood(store: Store, atlas_query: Query) -> None:
    api = Api(store.personas.member)
    response = api.client.post(
        "/api/v1/metrics/run",
        json.dumps(atlas_query("active-users", periods=4)),
        content_type="application/json",
        headers={**api.headers, "Accept": "text/csv"},
    )
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["period,breakdown,dau", "2024-03-01,,2.0"]
    as_json = api.post("/metrics/run", atlas_query("active-users", periods=4)).json()
    assert as_json["query"] == {
        "kind": "active-users",
        "product_id": store.personas.atlas.pk,
        **RANGE,
    }


def test_a_second_run_is_cached_until_new_events_are_compacted(
    store: Store, atlas_query: Query
) -> None:
    api = Api(store.personas.member)
    first = api.post("/metrics/run", atlas_query("active-users")).json()
    again = api.post("/metrics/run", atlas_query("active-users")).json()
    assert (first["cached"], again["cached"]) == (False, True)
    assert again["rows"] == first["rows"]
    assert again["computed_at"] == first["computed_at"]
    store.add(event(store.atlas_source, "u5", 7))  # a new user on the last day
    fresh = api.post("/metrics/run", atlas_query("active-users")).json()
    assert fresh["cached"] is False
    assert [row["dau"] for row in fresh["rows"]] == [2, 1, 2, 2, 2, 2, 2]


def _untracked(store: Store) -> Product:
    return Product.objects.create(name="RouteIQ", line=store.personas.growth)


BAD: list[tuple[str, Any, str, str]] = [
    ("unknown kind", {"kind": "revenue", **RANGE}, "kind", "is not a kind of insight"),
    (
        "end before start",
        {"kind": "lifecycle", "start": "2024-03-07", "end": "2024-03-01"},
        "end",
        "before start",
    ),
    (
        "over the maximum",
        {"kind": "lifecycle", "start": "2000-01-01", "end": "2024-03-01"},
        "end",
        "at most 3660 days",
    ),
    (
        "not a date",
        {"kind": "lifecycle", "start": "March 1", "end": "2024-03-01"},
        "start",
        "YYYY-MM-DD",
    ),
    ("no dates", {"kind": "lifecycle"}, "start", "Required"),
    ("both ranges", {"kind": "lifecycle", "last_days": 7, **RANGE}, "last_days", "not both"),
    (
        "one step funnel",
        {"kind": "funnel", "events": ["a"], **RANGE},
        "events",
        "at least two steps",
    ),
    (
        "bad measure",
        {"kind": "active-users", "measure": "dau,daily", **RANGE},
        "measure",
        "use one or more of",
    ),
    (
        "bad zone",
        {"kind": "active-users", "time_zone": "Mars/Olympus", **RANGE},
        "time_zone",
        "IANA",
    ),
    (
        "bad mode",
        {"kind": "funnel", "mode": "on", "events": ["a", "b"], **RANGE},
        "mode",
        "ordered",
    ),
    (
        "too many periods",
        {"kind": "retention", "periods": 500, **RANGE},
        "periods",
        "between 1 and 400",
    ),
    (
        "features without product",
        {"kind": "funnel", "features": [1, 2], **RANGE},
        "features",
        "give product_id",
    ),
    ("product id zero", {"kind": "lifecycle", "product_id": 0, **RANGE}, "product_id", "between"),
    (
        "feature by breakdown without product",
        {"kind": "lifecycle", "breakdown": "feature", **RANGE},
        "breakdown",
        "tracked features",
    ),
]


@pytest.mark.parametrize(("case", "body", "field", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_queries_are_400_with_the_field(
    store: Store, case: str, body: Any, field: str, message: str
) -> None:
    response = Api(store.personas.member).post("/metrics/run", body)
    assert response.status_code == 400, response.content
    fields = response.json()["fields"]
    assert message in " ".join(fields[field]), fields


def test_a_feature_of_another_product_and_an_untracked_product(
    store: Store, atlas_query: Query
) -> None:
    api = Api(store.personas.member)
    beacon_feature = Feature.objects.create(name="Beacon Alerts", product=store.personas.beacon)
    FeatureUsage.objects.create(feature=beacon_feature, event="Alerted")
    response = api.post(
        "/metrics/run", atlas_query("funnel", features=[store.search.pk, beacon_feature.pk])
    )
    assert response.status_code == 400
    assert response.json()["fields"]["features"] == [
        f"Feature “Beacon Alerts” (id {beacon_feature.pk}) belongs to Beacon, not Atlas."
    ]
    response = api.post("/metrics/run", atlas_query("funnel", features=[store.search.pk, 999999]))
    assert response.json()["fields"]["features"] == ["There is no feature with id 999999."]
    routeiq = _untracked(store)
    response = api.post("/metrics/run", {"kind": "lifecycle", "product_id": routeiq.pk, **RANGE})
    assert response.status_code == 400
    assert response.json()["message"] == (
        "RouteIQ has no event sources or property condition yet; set them on the product's "
        "Tracking section."
    )
    overview = api.get(f"/products/{routeiq.pk}/analytics")
    assert overview.status_code == 400
    assert "RouteIQ has no event sources" in overview.json()["fields"]["product_id"][0]


def test_a_product_that_does_not_exist_is_404(store: Store) -> None:
    response = Api(store.personas.member).post(
        "/metrics/run", {"kind": "lifecycle", "product_id": 999999, **RANGE}
    )
    assert response.status_code == 404


def test_wrong_types_and_unknown_fields_are_422_with_the_field(store: Store) -> None:
    api = Api(store.personas.member)
    response = api.post("/metrics/run", {"kind": "lifecycle", "mesure": "dau", **RANGE})
    assert response.status_code == 422
    assert "mesure" in response.json()["fields"]
    response = api.post("/metrics/run", {"kind": "retention", "periods": "many", **RANGE})
    assert response.status_code == 422
    assert "periods" in response.json()["fields"]


def test_contributors_and_viewers_do_not_see_analytics(store: Store, atlas_query: Query) -> None:
    for user in (store.personas.contributor, store.personas.viewer):
        response = Api(user).post("/metrics/run", atlas_query("lifecycle"))
        assert response.status_code == 403
        assert "product analytics" in response.json()["message"]


def test_the_product_overview(store: Store) -> None:
    api = Api(store.personas.member)
    product = store.personas.atlas
    body = api.get(f"/products/{product.pk}/analytics").json()
    assert body["product"] == {"id": product.pk, "name": "Atlas"}
    titles = [chart["title"] for chart in body["charts"]]
    assert titles == [
        "Active users",
        "Adoption by feature",
        "Weekly retention",
        "Funnel",
        "Weekly lifecycle",
    ]
    active = body["charts"][0]
    assert active["query"] == {
        "kind": "active-users",
        "product_id": product.pk,
        "last_days": 90,
        "measure": "dau,wau,mau",
    }
    assert {row["breakdown"] for row in active["rows"]} == {"dau", "wau", "mau"}
    adoption = body["charts"][1]["rows"]
    assert {row["breakdown"] for row in adoption} == {"Atlas Search", "Atlas Maps"}
    # the page's charts are the same queries as POST /metrics/run
    funnel = body["charts"][3]
    assert api.post("/metrics/run", funnel["query"]).json()["rows"] == funnel["rows"]


def test_a_pinned_funnel_replaces_the_default_one(store: Store, atlas_query: Query) -> None:
    steps = {"events": ["Page Viewed", "Searched"]}
    SavedInsight.objects.create(
        name="View → search",
        kind="funnel",
        query=atlas_query("funnel", **steps),
        product=store.personas.atlas,
        pinned=True,
    )
    body = Api(store.personas.member).get(f"/products/{store.personas.atlas.pk}/analytics").json()
    funnel = body["charts"][3]
    assert funnel["title"] == "View → search"
    # u1, u2, u3, u4 view; u1 and u2 search later (u4 at the same moment: not after the view)
    assert [row["count"] for row in funnel["rows"]] == [4, 2]
