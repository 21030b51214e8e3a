"""The OpenAPI document, the interactive docs page, and generated requests checked against both."""

from __future__ import annotations

import re
from typing import Any

import pytest
import requests
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.core.transport import Response as CheckedResponse
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from quarterdeck.accounts.models import User
from quarterdeck.analytics.models import SavedInsight
from quarterdeck.metrics.models import Source
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("get", "/lines"), ("post", "/lines"), ("get", "/lines/{line_id}"),
    ("put", "/lines/{line_id}"), ("patch", "/lines/{line_id}"), ("delete", "/lines/{line_id}"),
    ("get", "/lines/{line_id}/history"), ("get", "/lines/{line_id}/stages"),
    ("get", "/products"), ("post", "/products"), ("get", "/products/{product_id}"),
    ("put", "/products/{product_id}"), ("patch", "/products/{product_id}"),
    ("delete", "/products/{product_id}"), ("get", "/products/{product_id}/history"),
    ("get", "/products/{product_id}/stages"),
    ("get", "/features"), ("post", "/features"), ("get", "/features/{feature_id}"),
    ("put", "/features/{feature_id}"), ("patch", "/features/{feature_id}"),
    ("delete", "/features/{feature_id}"), ("get", "/features/{feature_id}/history"),
    ("get", "/features/{feature_id}/stages"),
    ("get", "/portfolio/tree"),
    ("get", "/people"), ("post", "/people"), ("get", "/people/{person_id}"),
    ("put", "/people/{person_id}"), ("patch", "/people/{person_id}"),
    ("delete", "/people/{person_id}"), ("get", "/people/{person_id}/history"),
    ("get", "/people/{person_id}/owns"), ("get", "/org-chart"),
    ("get", "/teams"), ("post", "/teams"), ("get", "/teams/{team_id}"),
    ("put", "/teams/{team_id}"), ("patch", "/teams/{team_id}"), ("delete", "/teams/{team_id}"),
    ("get", "/teams/{team_id}/history"),
    ("get", "/users"), ("post", "/users"), ("get", "/users/{user_id}"),
    ("patch", "/users/{user_id}"),
    ("get", "/me"), ("get", "/me/tokens"), ("post", "/me/tokens"),
    ("delete", "/me/tokens/{token_id}"),
    ("get", "/audit"),
    ("get", "/feedback/{item_id}/links"), ("post", "/feedback/{item_id}/links"),
    ("patch", "/feedback/links/{link_id}"), ("delete", "/feedback/links/{link_id}"),
    ("post", "/feedback/links/{link_id}/accept"), ("post", "/feedback/links/{link_id}/reject"),
    ("get", "/themes"), ("post", "/themes/recluster"), ("post", "/themes/merge"),
    ("get", "/themes/{theme_id}"), ("patch", "/themes/{theme_id}"),
    ("post", "/themes/{theme_id}/split"), ("get", "/themes/{theme_id}/trend"),
    ("get", "/demand/features"), ("get", "/demand/themes"),
    ("get", "/features/{feature_id}/demand"), ("get", "/features/{feature_id}/loop"),
    ("post", "/features/{feature_id}/loop"),
    ("get", "/feedback"), ("post", "/feedback"), ("get", "/feedback/{item_id}"),
    ("patch", "/feedback/{item_id}"), ("delete", "/feedback/{item_id}"),
    ("post", "/feedback/import"), ("post", "/feedback/import-surveys"),
    ("get", "/feedback/{item_id}/duplicates"),
    ("post", "/feedback/duplicates/{candidate_id}/merge"),
    ("post", "/feedback/duplicates/{candidate_id}/dismiss"),
    ("get", "/portals"), ("post", "/portals"), ("get", "/portals/{slug}"),
    ("patch", "/portals/{slug}"), ("delete", "/portals/{slug}"),
    ("get", "/portals/{slug}/items"), ("post", "/portals/{slug}/items"),
    ("post", "/portals/{slug}/items/{item_id}/vote"),
    ("delete", "/portals/{slug}/items/{item_id}/vote"),
}  # fmt: skip
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
HOST = "localhost"


def _openapi() -> dict[str, Any]:
    response = Client(HTTP_HOST=HOST).get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_openapi_document_is_valid_and_lists_every_endpoint(personas: Personas) -> None:
    document = _openapi()
    schemathesis.openapi.from_dict(document).validate()  # against the OpenAPI meta-schema
    listed = {
        (method, path.removeprefix("/api/v1"))
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert listed >= ENDPOINTS, ENDPOINTS - listed  # other modules add their own endpoints
    security = document["components"]["securitySchemes"]
    assert set(security) == {"BearerToken", "SessionAuth"}


def test_openapi_describes_pages_versions_and_errors(personas: Personas) -> None:
    document = _openapi()
    schemas = document["components"]["schemas"]
    assert set(schemas["PagedLineOut"]["properties"]) == {"items", "count"}
    line = document["paths"]["/api/v1/lines/{line_id}"]
    assert "ETag" in line["get"]["responses"]["200"]["headers"]
    assert "If-Match" in [p["name"] for p in line["patch"]["parameters"]]
    assert {"404", "412", "428"} <= set(line["patch"]["responses"])
    assert set(schemas["ErrorOut"]["properties"]) >= {"message", "fields"}
    assert "version" in schemas["LineOut"]["required"]
    everything = str(document)
    assert "password" not in str(schemas["UserOut"])
    assert "token_hash" not in everything


def test_docs_page_uses_only_local_scripts_with_the_csp_nonce(personas: Personas) -> None:
    response = Client(HTTP_HOST=HOST).get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"(?:src|href)=[\"']?(?:https?:)?//", html)  # nothing from elsewhere
    (nonce,) = set(re.findall(r'nonce="([^"]+)"', html))
    scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html) if "src=" in tag]
    assert scripts == [
        f'<script nonce="{nonce}" src="/static/ninja/swagger-ui-bundle.js">',
        f'<script nonce="{nonce}" src="/static/ninja/swagger-ui-init.js">',
    ]
    policy = response.headers["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" in policy
    assert "script-src 'self'" in policy
    for name in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        assert Client(HTTP_HOST=HOST).get(f"/static/ninja/{name}").status_code == 200, name


def _send(api: Api, case: Any) -> CheckedResponse:
    """Send a generated case through Django's test client and wrap the answer for the checks."""
    kwargs = case.as_transport_kwargs(base_url=f"http://{HOST}")
    headers = {**(kwargs.get("headers") or {}), **api.headers}
    prepared = requests.Request(
        method=kwargs["method"], url=kwargs["url"], params=kwargs.get("params"), headers=headers
    ).prepare()
    assert prepared.path_url.startswith("/api/v1/")
    response = api.client.generic(case.method, prepared.path_url, headers=headers, HTTP_HOST=HOST)
    return CheckedResponse(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=prepared,
        elapsed=0.0,
        verify=False,
        encoding="utf-8",
    )


def _fuzz(operation: Any, api: Api, known_ids: dict[str, int | str], max_examples: int) -> None:
    """Random parameters, and real ids for the path half of the time, so 200s get checked too."""
    names = set(re.findall(r"{(\w+)}", operation.path))
    real = {name: known_ids[name] for name in names}
    strategy = st.one_of(operation.as_strategy(), operation.as_strategy(path_parameters=real))

    @settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        case.validate_response(_send(api, case), checks=CHECKS)

    run()


@pytest.mark.parametrize(("role", "max_examples"), [("admin", 10), ("viewer", 3)])
def test_generated_get_requests_conform_to_the_schema(
    personas: Personas, role: str, max_examples: int
) -> None:
    """Every GET operation, with generated parameters: never a 5xx, and every answer (status,
    content type, headers, body) is what the OpenAPI document says."""
    user: User = getattr(personas, role)
    api = Api(user)
    known_ids: dict[str, int | str] = {
        "line_id": personas.platform.pk,
        "product_id": personas.atlas.pk,
        "feature_id": personas.search.pk,
        "person_id": personas.people["mia"].pk,
        "team_id": personas.team.pk,
        "user_id": personas.member.pk,
        "source_id": Source.objects.create(name="Web app", write_key="qdw_openapi").pk,
        "insight_id": SavedInsight.objects.create(
            name="Lifecycle", kind="lifecycle", query={"kind": "lifecycle", "last_days": 7}
        ).pk,
        **_revenue_ids(),
        "survey_id": _survey_id(personas),
        **_strategy_ids(personas),
        **_insight_ids(personas),
        **_capture_ids(personas),
        **_delivery_ids(personas),
    }
    schema = schemathesis.openapi.from_dict(_openapi()).include(method="GET")
    mine = {path for method, path in ENDPOINTS if method == "get"}
    fuzzed = set()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        _fuzz(operation, api, known_ids, max_examples)
        fuzzed.add(operation.path.removeprefix("/api/v1"))
    assert mine <= fuzzed


def _delivery_ids(personas: Personas) -> dict[str, int | str]:
    """Scores, rounds, scenarios, roadmap views, launch plans and their parts, for their GETs
    (made the way the permission matrix makes them)."""
    from tests.matrix import (
        launches_checks,
        launches_gates,
        launches_plans,
        roadmap_board,
        roadmap_planning,
        roadmap_scoring,
    )

    roadmap_planning._capacity(personas)
    plan = launches_plans._plan(personas)
    return {
        "model_id": roadmap_scoring._rice(),
        "score_id": roadmap_scoring._score(personas),
        "round_id": roadmap_scoring._round(personas),
        "period": roadmap_planning.PERIOD,
        "scenario_id": roadmap_planning._scenario(personas),
        "dependency_id": roadmap_planning._dependency(personas),
        "view_id": roadmap_board._view(personas),
        "fmt": "csv",
        "plan_id": plan,
        "task_id": launches_plans._task(personas),
        "template_id": launches_plans._template(personas),
        "criterion_id": launches_gates._criterion(personas),
        "sunset_id": launches_gates._sunset(personas),
        "metric_id": launches_checks._metric(personas),
    }


def _insight_ids(personas: Personas) -> dict[str, int]:
    """A feedback item with a suggested link, in a theme (feedback insight), for their GETs."""
    from quarterdeck.feedback.models import FeedbackItem, FeedbackLink, Theme

    theme = Theme.objects.create(name="Search", size=1)
    item = FeedbackItem.objects.create(text="Find invoices", product=personas.atlas, theme=theme)
    link = FeedbackLink.objects.create(item=item, feature=personas.search, score=0.5)
    return {"item_id": item.pk, "link_id": link.pk, "theme_id": theme.pk}


def _capture_ids(personas: Personas) -> dict[str, int | str]:
    """A public portal of Platform and a duplicate candidate (feedback capture), for their GETs."""
    from quarterdeck.feedback.models import DuplicateCandidate, FeedbackItem, Portal

    portal = Portal.objects.create(line=personas.platform, slug="ideas", visibility="public")
    first = FeedbackItem.objects.create(text="Dark mode", line=personas.platform, public=True)
    later = FeedbackItem.objects.create(text="A dark mode please", line=personas.platform)
    candidate = DuplicateCandidate.objects.create(item=later, original=first, score=0.95)
    return {"slug": portal.slug, "candidate_id": candidate.pk}


def _revenue_ids() -> dict[str, int]:
    """A customer, a subscription and an exchange rate (revenue), for their GET operations."""
    from quarterdeck.revenue.models import CurrencyRate, Customer, Subscription

    customer = Customer.objects.create(external_id="cus_openapi")
    sub = Subscription.objects.create(
        external_id="sub_openapi", customer=customer, currency="USD", started_at="2024-01-01"
    )
    rate = CurrencyRate.objects.create(currency="EUR", rate="1.08", valid_from="2024-01-01")
    return {"customer_id": customer.pk, "subscription_id": sub.pk, "rate_id": rate.pk}


def _survey_id(personas: Personas) -> int:
    """An NPS survey of Atlas with one scored answer and one verbatim only (surveys)."""
    from quarterdeck.surveys.models import Response, Survey

    survey = Survey.objects.create(
        name="Atlas NPS", kind="nps", scale_min=0, scale_max=10, product=personas.atlas
    )
    for i, score in enumerate((9, None)):
        Response.objects.create(
            survey=survey, score=score, comment="Fast", answered_at="2024-03-01T10:00:00Z",
            source="api", external_id=f"openapi-{i}",
        )  # fmt: skip
    return survey.pk


def _strategy_ids(personas: Personas) -> dict[str, int]:
    """A pillar, an outcome of Atlas and its manual key result with one point (strategy)."""
    import datetime as dt

    from quarterdeck.strategy.models import KeyResult, KeyResultPoint, Outcome, Pillar

    outcome = Outcome.objects.create(
        title="Atlas adoption", level="product", product=personas.atlas, period="2026-Q4",
        start=dt.date(2026, 10, 1), end=dt.date(2026, 12, 31),
    )  # fmt: skip
    kr = KeyResult.objects.create(
        outcome=outcome, title="Actives", source="manual", baseline=10, target=20,
        direction="increase", start=outcome.start, end=outcome.end,
    )  # fmt: skip
    KeyResultPoint.objects.create(key_result=kr, day=outcome.start, value=11)
    pillar = Pillar.objects.create(name="Trust")
    return {"pillar_id": pillar.pk, "outcome_id": outcome.pk, "kr_id": kr.pk}
