"""The permission matrix: every API operation and every page, as every persona.

Each row names a route and what each role gets. `test_every_route_has_a_row` fails when a route
is added without a row here, so nobody ships an endpoint whose access nobody decided.

Personas (tests/personas.py): Max (manager) owns the Platform line; Mia (member, reports to Max)
owns the Atlas product and its Atlas Search feature; Otto (outsider) is a PM in another group.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from quarterdeck.accounts.models import User
from quarterdeck.api import api
from quarterdeck.portfolio.models import ProductLine
from tests.api.client import Api
from tests.matrix import extra
from tests.matrix.base import (
    ADDERS,
    ADMIN,
    ANALYTICS,
    ANYONE,
    ATLAS,
    LEADERS,
    MIA_PERSON,
    MIAS_INSIGHT,
    OK,
    PAGE_ADDERS,
    PAGE_ADMIN,
    PAGE_ANALYTICS,
    PAGE_ATLAS,
    PAGE_LEADERS,
    PAGE_MIA,
    PAGE_MIAS_INSIGHT,
    PAGE_PLATFORM,
    PAGE_READ,
    PAGE_REVENUE,
    PAGE_SOURCES,
    PAGE_TEAMS,
    PAGE_WRITERS,
    PLATFORM,
    PUBLIC,
    READ,
    REVENUE,
    ROLES,
    SIGNED_IN,
    SOURCES,
    SURVEY_VERBATIMS,
    TEAMS,
    WEEK,
    WRITERS,
    Expect,
    Page,
    Row,
    expect,
)
from tests.personas import Personas


def _version_of(api_path: str, admin: User) -> int:
    response = Api(admin).get(api_path)
    assert response.status_code == 200, (api_path, response.content)
    return int(response.headers["ETag"].strip('"'))


def _spare_line(p: Personas) -> ProductLine:
    """An empty sub-line owned by Max, so deleting it is possible for those allowed."""
    return ProductLine.objects.create(name="Spare", parent=p.platform, owner=p.people["max"])


LINE_BODY = {"name": "Platform", "description": "Renamed", "owner_id": None, "stage": "growth"}

API_ROWS: dict[tuple[str, str], Row] = {
    # Feedback insight: links, themes and demand read by everyone signed in; triage (links,
    # themes, the loop preview with customers' e-mails) by members and up; the loop sent by
    # whoever may change the feature.
    ("GET", "/feedback/{item_id}/links"): Row(READ, lambda p: f"/feedback/{_fb_item(p)}/links"),
    ("POST", "/feedback/{item_id}/links"): Row(
        WRITERS,
        lambda p: f"/feedback/{_fb_item(p)}/links",
        lambda p: {"feature_id": p.search.pk, "importance": "critical"},
    ),
    ("PATCH", "/feedback/links/{link_id}"): Row(
        WRITERS, lambda p: f"/feedback/links/{_fb_link(p)}", lambda p: {"importance": "critical"}
    ),
    ("DELETE", "/feedback/links/{link_id}"): Row(
        WRITERS, lambda p: f"/feedback/links/{_fb_link(p)}"
    ),
    ("POST", "/feedback/links/{link_id}/accept"): Row(
        WRITERS, lambda p: f"/feedback/links/{_fb_link(p)}/accept", lambda p: {}
    ),
    ("POST", "/feedback/links/{link_id}/reject"): Row(
        WRITERS, lambda p: f"/feedback/links/{_fb_link(p)}/reject", lambda p: {}
    ),
    ("GET", "/themes"): Row(READ, lambda p: "/themes"),
    ("POST", "/themes/recluster"): Row(WRITERS, lambda p: "/themes/recluster", lambda p: {}),
    ("POST", "/themes/merge"): Row(
        WRITERS, lambda p: "/themes/merge", lambda p: {"theme_ids": _fb_themes(p)}
    ),
    ("GET", "/themes/{theme_id}"): Row(READ, lambda p: f"/themes/{_fb_themes(p)[0]}"),
    ("PATCH", "/themes/{theme_id}"): Row(
        WRITERS, lambda p: f"/themes/{_fb_themes(p)[0]}", lambda p: {"name": "Named"}, True
    ),
    ("POST", "/themes/{theme_id}/split"): Row(
        WRITERS, lambda p: f"/themes/{_fb_themes(p)[0]}/split", lambda p: {}
    ),
    ("GET", "/themes/{theme_id}/trend"): Row(READ, lambda p: f"/themes/{_fb_themes(p)[0]}/trend"),
    ("GET", "/demand/features"): Row(READ, lambda p: "/demand/features"),
    ("GET", "/demand/themes"): Row(READ, lambda p: "/demand/themes"),
    ("GET", "/features/{feature_id}/demand"): Row(
        READ, lambda p: f"/features/{p.search.pk}/demand"
    ),
    ("GET", "/features/{feature_id}/loop"): Row(
        WRITERS, lambda p: f"/features/{_fb_launched(p)}/loop"
    ),
    ("POST", "/features/{feature_id}/loop"): Row(
        ATLAS, lambda p: f"/features/{_fb_launched(p)}/loop", lambda p: {"subject": "Shipped"}
    ),
    # Feedback capture: everyone signed in reads; all but viewers add; the write roles (members
    # and up, Otto included) triage, import and merge; a public portal takes anyone's ideas and
    # votes, and its settings follow its line (Max's Platform).
    ("GET", "/feedback"): Row(READ, lambda p: "/feedback"),
    ("POST", "/feedback"): Row(ADDERS, lambda p: "/feedback", lambda p: {"text": "Dark mode"}),
    ("GET", "/feedback/{item_id}"): Row(READ, lambda p: f"/feedback/{_fb_item(p)}"),
    ("PATCH", "/feedback/{item_id}"): Row(
        WRITERS, lambda p: f"/feedback/{_fb_item(p)}", lambda p: {"status": "triaged"}, True
    ),
    ("DELETE", "/feedback/{item_id}"): Row(
        WRITERS, lambda p: f"/feedback/{_fb_item(p)}", versioned=True
    ),
    ("POST", "/feedback/import-surveys"): Row(
        WRITERS, lambda p: "/feedback/import-surveys", lambda p: {}
    ),
    ("GET", "/feedback/{item_id}/duplicates"): Row(
        READ, lambda p: f"/feedback/{_fb_item(p)}/duplicates"
    ),
    ("POST", "/feedback/duplicates/{candidate_id}/merge"): Row(
        WRITERS, lambda p: f"/feedback/duplicates/{_fb_candidate(p)}/merge", lambda p: {}
    ),
    ("POST", "/feedback/duplicates/{candidate_id}/dismiss"): Row(
        WRITERS, lambda p: f"/feedback/duplicates/{_fb_candidate(p)}/dismiss", lambda p: {}
    ),
    ("GET", "/portals"): Row(READ, lambda p: "/portals"),
    ("POST", "/portals"): Row(PLATFORM, lambda p: "/portals", lambda p: {"line_id": p.platform.pk}),
    ("GET", "/portals/{slug}"): Row(ANYONE, lambda p: f"/portals/{_fb_portal(p)}"),
    ("PATCH", "/portals/{slug}"): Row(
        PLATFORM, lambda p: f"/portals/{_fb_portal(p)}", lambda p: {"title": "Ideas!"}, True
    ),
    ("DELETE", "/portals/{slug}"): Row(
        PLATFORM, lambda p: f"/portals/{_fb_portal(p)}", versioned=True
    ),
    ("GET", "/portals/{slug}/items"): Row(ANYONE, lambda p: f"/portals/{_fb_portal(p)}/items"),
    ("POST", "/portals/{slug}/items"): Row(
        ANYONE,
        lambda p: f"/portals/{_fb_portal(p)}/items",
        lambda p: {"text": "Dark mode", "email": "ann@customer.test"},
    ),
    ("POST", "/portals/{slug}/items/{item_id}/vote"): Row(
        ANYONE,
        lambda p: f"/portals/{_fb_portal(p)}/items/{_fb_idea(p)}/vote",
        lambda p: {"email": "bo@customer.test"},
    ),
    ("DELETE", "/portals/{slug}/items/{item_id}/vote"): Row(
        ANYONE, lambda p: f"/portals/{_fb_portal(p)}/items/{_fb_idea(p)}/vote?email=bo@x.test"
    ),
    ("GET", "/lines"): Row(READ, lambda p: "/lines"),
    ("POST", "/lines"): Row(LEADERS, lambda p: "/lines", lambda p: {"name": "New line"}),
    ("GET", "/lines/{line_id}"): Row(READ, lambda p: f"/lines/{p.platform.pk}"),
    ("PUT", "/lines/{line_id}"): Row(
        PLATFORM,
        lambda p: f"/lines/{p.platform.pk}",
        lambda p: {**LINE_BODY, "owner_id": p.people["max"].pk},
        versioned=True,
    ),
    ("PATCH", "/lines/{line_id}"): Row(
        PLATFORM, lambda p: f"/lines/{p.platform.pk}", lambda p: {"description": "x"}, True
    ),
    ("DELETE", "/lines/{line_id}"): Row(
        PLATFORM, lambda p: f"/lines/{_spare_line(p).pk}", versioned=True
    ),
    ("GET", "/lines/{line_id}/history"): Row(READ, lambda p: f"/lines/{p.platform.pk}/history"),
    ("GET", "/lines/{line_id}/stages"): Row(READ, lambda p: f"/lines/{p.platform.pk}/stages"),
    ("GET", "/products"): Row(READ, lambda p: "/products"),
    ("POST", "/products"): Row(
        PLATFORM, lambda p: "/products", lambda p: {"name": "Nova", "line_id": p.platform.pk}
    ),
    ("GET", "/products/{product_id}"): Row(READ, lambda p: f"/products/{p.atlas.pk}"),
    ("PUT", "/products/{product_id}"): Row(
        ATLAS,
        lambda p: f"/products/{p.atlas.pk}",
        lambda p: {"name": "Atlas", "line_id": p.platform.pk, "owner_id": p.people["mia"].pk},
        versioned=True,
    ),
    ("PATCH", "/products/{product_id}"): Row(
        ATLAS, lambda p: f"/products/{p.atlas.pk}", lambda p: {"stage": "launch"}, True
    ),
    ("DELETE", "/products/{product_id}"): Row(
        ATLAS,
        lambda p: f"/products/{p.atlas.features.all().delete() and p.atlas.pk}",
        versioned=True,
    ),
    ("GET", "/products/{product_id}/history"): Row(
        READ, lambda p: f"/products/{p.atlas.pk}/history"
    ),
    ("GET", "/products/{product_id}/stages"): Row(READ, lambda p: f"/products/{p.atlas.pk}/stages"),
    ("GET", "/features"): Row(READ, lambda p: "/features"),
    ("POST", "/features"): Row(
        ATLAS, lambda p: "/features", lambda p: {"name": "Maps", "product_id": p.atlas.pk}
    ),
    ("GET", "/features/{feature_id}"): Row(READ, lambda p: f"/features/{p.search.pk}"),
    ("PUT", "/features/{feature_id}"): Row(
        ATLAS,
        lambda p: f"/features/{p.search.pk}",
        lambda p: {"name": "Atlas Search", "product_id": p.atlas.pk},
        versioned=True,
    ),
    ("PATCH", "/features/{feature_id}"): Row(
        ATLAS, lambda p: f"/features/{p.search.pk}", lambda p: {"stage": "build"}, True
    ),
    ("DELETE", "/features/{feature_id}"): Row(
        ATLAS, lambda p: f"/features/{p.search.pk}", versioned=True
    ),
    ("GET", "/features/{feature_id}/history"): Row(
        READ, lambda p: f"/features/{p.search.pk}/history"
    ),
    ("GET", "/features/{feature_id}/stages"): Row(
        READ, lambda p: f"/features/{p.search.pk}/stages"
    ),
    ("GET", "/portfolio/tree"): Row(READ, lambda p: "/portfolio/tree"),
    ("GET", "/people"): Row(READ, lambda p: "/people"),
    ("POST", "/people"): Row(
        MIA_PERSON,
        lambda p: "/people",
        lambda p: {"name": "Nora New", "level": "pm", "manager_id": p.people["max"].pk},
    ),
    ("GET", "/people/{person_id}"): Row(READ, lambda p: f"/people/{p.people['mia'].pk}"),
    ("PUT", "/people/{person_id}"): Row(
        MIA_PERSON,
        lambda p: f"/people/{p.people['mia'].pk}",
        lambda p: {
            "name": "Mia Member",
            "email": "mia@example.com",
            "level": "senior_pm",
            "manager_id": p.people["max"].pk,
            "user_id": p.member.pk,
        },
        versioned=True,
    ),
    ("PATCH", "/people/{person_id}"): Row(
        MIA_PERSON, lambda p: f"/people/{p.people['mia'].pk}", lambda p: {"title": "PM"}, True
    ),
    ("DELETE", "/people/{person_id}"): Row(
        MIA_PERSON, lambda p: f"/people/{p.people['mia'].pk}", versioned=True
    ),
    ("GET", "/people/{person_id}/history"): Row(
        READ, lambda p: f"/people/{p.people['mia'].pk}/history"
    ),
    ("GET", "/people/{person_id}/owns"): Row(READ, lambda p: f"/people/{p.people['mia'].pk}/owns"),
    ("GET", "/org-chart"): Row(READ, lambda p: "/org-chart"),
    ("GET", "/teams"): Row(READ, lambda p: "/teams"),
    ("POST", "/teams"): Row(TEAMS, lambda p: "/teams", lambda p: {"name": "Tiger team"}),
    ("GET", "/teams/{team_id}"): Row(READ, lambda p: f"/teams/{p.team.pk}"),
    ("PUT", "/teams/{team_id}"): Row(
        TEAMS, lambda p: f"/teams/{p.team.pk}", lambda p: {"name": "Squad", "description": ""}, True
    ),
    ("PATCH", "/teams/{team_id}"): Row(
        TEAMS, lambda p: f"/teams/{p.team.pk}", lambda p: {"description": "x"}, True
    ),
    ("DELETE", "/teams/{team_id}"): Row(TEAMS, lambda p: f"/teams/{p.team.pk}", versioned=True),
    ("GET", "/teams/{team_id}/history"): Row(READ, lambda p: f"/teams/{p.team.pk}/history"),
    ("GET", "/users"): Row(ADMIN, lambda p: "/users"),
    ("POST", "/users"): Row(
        ADMIN, lambda p: "/users", lambda p: {"email": "new@example.com", "role": "viewer"}
    ),
    ("GET", "/users/{user_id}"): Row(ADMIN, lambda p: f"/users/{p.member.pk}"),
    ("PATCH", "/users/{user_id}"): Row(
        ADMIN, lambda p: f"/users/{p.viewer.pk}", lambda p: {"name": "Vic V."}, True
    ),
    ("GET", "/me"): Row(READ, lambda p: "/me"),
    ("GET", "/me/tokens"): Row(READ, lambda p: "/me/tokens"),
    ("POST", "/me/tokens"): Row(READ, lambda p: "/me/tokens", lambda p: {"name": "script"}),
    ("GET", "/audit"): Row(ADMIN, lambda p: "/audit"),
    ("GET", "/export"): Row(LEADERS, lambda p: "/export"),
    ("GET", "/sources"): Row(SOURCES, lambda p: "/sources"),
    ("POST", "/sources"): Row(LEADERS, lambda p: "/sources", lambda p: {"name": "New source"}),
    ("GET", "/sources/{source_id}"): Row(SOURCES, lambda p: f"/sources/{_source(p)}"),
    ("PATCH", "/sources/{source_id}"): Row(
        LEADERS, lambda p: f"/sources/{_source(p)}", lambda p: {"name": "Renamed"}, True
    ),
    ("POST", "/sources/{source_id}/revoke"): Row(
        LEADERS, lambda p: f"/sources/{_source(p)}/revoke", lambda p: {}
    ),
    ("POST", "/sources/{source_id}/new-key"): Row(
        LEADERS, lambda p: f"/sources/{_source(p)}/new-key", lambda p: {}
    ),
    ("GET", "/sources/{source_id}/warnings"): Row(
        SOURCES, lambda p: f"/sources/{_source(p)}/warnings"
    ),
    ("GET", "/kpis"): Row(READ, lambda p: f"/kpis?product={p.atlas.pk}"),
    ("GET", "/products/{product_id}/kpis/latest"): Row(
        READ, lambda p: f"/products/{p.atlas.pk}/kpis/latest"
    ),
    ("POST", "/kpis/refresh"): Row(
        LEADERS, lambda p: "/kpis/refresh", lambda p: {"product_id": p.atlas.pk}
    ),
    # Tracking definitions: read with the portfolio, changed by whoever may change the item.
    ("GET", "/products/{product_id}/tracking"): Row(
        READ, lambda p: f"/products/{p.atlas.pk}/tracking"
    ),
    ("PUT", "/products/{product_id}/tracking"): Row(
        ATLAS,
        lambda p: f"/products/{p.atlas.pk}/tracking",
        lambda p: {"conditions": [{"key": "app", "value": "atlas"}]},
    ),
    ("GET", "/features/{feature_id}/usage"): Row(READ, lambda p: f"/features/{p.search.pk}/usage"),
    ("PUT", "/features/{feature_id}/usage"): Row(
        ATLAS, lambda p: f"/features/{p.search.pk}/usage", lambda p: {"event": "Searched"}
    ),
    ("DELETE", "/features/{feature_id}/usage"): Row(
        ATLAS, lambda p: f"/features/{p.search.pk}/usage"
    ),
    # Analytics: members and up read it (and save insights); an insight's owner (Mia), leaders
    # and admins change it.
    ("POST", "/metrics/run"): Row(ANALYTICS, lambda p: "/metrics/run", lambda p: WEEK),
    ("GET", "/products/{product_id}/analytics"): Row(
        ANALYTICS, lambda p: f"/products/{_tracked_atlas(p)}/analytics"
    ),
    ("GET", "/insights"): Row(ANALYTICS, lambda p: "/insights"),
    ("POST", "/insights"): Row(
        ANALYTICS, lambda p: "/insights", lambda p: {"name": "Mine", "query": WEEK}
    ),
    ("GET", "/insights/{insight_id}"): Row(ANALYTICS, lambda p: f"/insights/{_insight(p)}"),
    ("PATCH", "/insights/{insight_id}"): Row(
        MIAS_INSIGHT, lambda p: f"/insights/{_insight(p)}", lambda p: {"name": "Renamed"}, True
    ),
    ("DELETE", "/insights/{insight_id}"): Row(
        MIAS_INSIGHT, lambda p: f"/insights/{_insight(p)}", versioned=True
    ),
    ("GET", "/insights/{insight_id}/result"): Row(
        ANALYTICS, lambda p: f"/insights/{_insight(p)}/result"
    ),
    # Surveys: results read by everyone signed in; verbatims (customer data) by members and up;
    # a product's survey managed by whoever may change the product, and by leaders and admins.
    ("GET", "/surveys"): Row(READ, lambda p: "/surveys"),
    ("POST", "/surveys"): Row(
        ATLAS,
        lambda p: "/surveys",
        lambda p: {"name": "New", "kind": "nps", "product_id": p.atlas.pk},
    ),
    ("GET", "/surveys/{survey_id}"): Row(READ, lambda p: f"/surveys/{_survey(p)}"),
    ("PATCH", "/surveys/{survey_id}"): Row(
        ATLAS, lambda p: f"/surveys/{_survey(p)}", lambda p: {"question": "Why?"}, True
    ),
    ("DELETE", "/surveys/{survey_id}"): Row(
        ATLAS, lambda p: f"/surveys/{_survey(p)}", versioned=True
    ),
    ("POST", "/surveys/{survey_id}/responses"): Row(
        ATLAS,
        lambda p: f"/surveys/{_survey(p)}/responses",
        lambda p: {"responses": [{"score": 9, "answered_at": "2024-03-01T10:00:00Z"}]},
    ),
    ("GET", "/surveys/{survey_id}/responses"): Row(
        SURVEY_VERBATIMS, lambda p: f"/surveys/{_survey(p)}/responses"
    ),
    ("GET", "/surveys/{survey_id}/results"): Row(READ, lambda p: f"/surveys/{_survey(p)}/results"),
    ("POST", "/surveys/sync"): Row(LEADERS, lambda p: "/surveys/sync", lambda p: {}),
    # Revenue: business data, read by members and up; leaders and admins change customers and
    # subscriptions; admins set exchange rates.
    ("GET", "/revenue/customers"): Row(REVENUE, lambda p: "/revenue/customers"),
    ("POST", "/revenue/customers"): Row(
        LEADERS, lambda p: "/revenue/customers", lambda p: {"external_id": "cus_new"}
    ),
    ("GET", "/revenue/customers/{customer_id}"): Row(
        REVENUE, lambda p: f"/revenue/customers/{_revenue_sub(p).customer_id}"
    ),
    ("PATCH", "/revenue/customers/{customer_id}"): Row(
        LEADERS,
        lambda p: f"/revenue/customers/{_revenue_sub(p).customer_id}",
        lambda p: {"name": "Renamed"},
        True,
    ),
    ("GET", "/revenue/subscriptions"): Row(REVENUE, lambda p: "/revenue/subscriptions"),
    ("POST", "/revenue/subscriptions"): Row(
        LEADERS,
        lambda p: "/revenue/subscriptions",
        lambda p: {
            "external_id": "sub_new",
            "customer_id": _revenue_sub(p).customer_id,
            "currency": "USD",
            "started_at": "2024-01-01",
        },
    ),
    ("GET", "/revenue/subscriptions/{subscription_id}"): Row(
        REVENUE, lambda p: f"/revenue/subscriptions/{_revenue_sub(p).pk}"
    ),
    ("PATCH", "/revenue/subscriptions/{subscription_id}"): Row(
        LEADERS,
        lambda p: f"/revenue/subscriptions/{_revenue_sub(p).pk}",
        lambda p: {"status": "past_due"},
        True,
    ),
    ("DELETE", "/revenue/subscriptions/{subscription_id}"): Row(
        LEADERS, lambda p: f"/revenue/subscriptions/{_revenue_sub(p).pk}", versioned=True
    ),
    ("DELETE", "/revenue/customers/{customer_id}"): Row(
        LEADERS, lambda p: f"/revenue/customers/{_revenue_customer(p)}", versioned=True
    ),
    ("GET", "/revenue/rates"): Row(REVENUE, lambda p: "/revenue/rates"),
    ("POST", "/revenue/rates"): Row(
        ADMIN, lambda p: "/revenue/rates", lambda p: {"currency": "EUR", "rate": "1.08"}
    ),
    ("GET", "/revenue/rates/{rate_id}"): Row(
        REVENUE, lambda p: f"/revenue/rates/{_revenue_rate(p)}"
    ),
    ("DELETE", "/revenue/rates/{rate_id}"): Row(
        ADMIN, lambda p: f"/revenue/rates/{_revenue_rate(p)}", versioned=True
    ),
    ("GET", "/revenue/metrics"): Row(REVENUE, lambda p: "/revenue/metrics?metric=mrr"),
    # Strategy: everyone signed in reads; the vision and pillars are for leaders and admins; an
    # outcome (its key results and check-ins) follows its product, here Mia's Atlas; only the
    # designated CPO (Lena) signs for that role.
    ("GET", "/strategy/vision"): Row(READ, lambda p: "/strategy/vision"),
    ("PUT", "/strategy/vision"): Row(
        LEADERS, lambda p: "/strategy/vision", lambda p: {"statement": "The deck."}, True
    ),
    ("POST", "/strategy/vision/sign-offs"): Row(
        expect({"leader"}), lambda p: _vision(p), lambda p: {"role": "cpo"}
    ),
    ("GET", "/strategy/alignment"): Row(READ, lambda p: "/strategy/alignment"),
    # Scorecards: everyone signed in reads them (revenue figures hidden where revenue is not).
    ("GET", "/scorecards"): Row(READ, lambda p: "/scorecards"),
    ("GET", "/scorecards.png"): Row(READ, lambda p: "/scorecards.png"),
    ("GET", "/products/{product_id}/scorecard"): Row(
        READ, lambda p: f"/products/{p.atlas.pk}/scorecard"
    ),
    ("GET", "/lines/{line_id}/scorecard"): Row(READ, lambda p: f"/lines/{p.platform.pk}/scorecard"),
    ("GET", "/pillars"): Row(READ, lambda p: "/pillars"),
    ("POST", "/pillars"): Row(LEADERS, lambda p: "/pillars", lambda p: {"name": "Speed"}),
    ("GET", "/pillars/{pillar_id}"): Row(READ, lambda p: f"/pillars/{_pillar(p)}"),
    ("PUT", "/pillars/{pillar_id}"): Row(
        LEADERS, lambda p: f"/pillars/{_pillar(p)}", lambda p: {"name": "Trust 2"}, True
    ),
    ("DELETE", "/pillars/{pillar_id}"): Row(
        LEADERS, lambda p: f"/pillars/{_pillar(p)}", versioned=True
    ),
    ("GET", "/outcomes"): Row(READ, lambda p: "/outcomes"),
    ("POST", "/outcomes"): Row(
        ATLAS,
        lambda p: "/outcomes",
        lambda p: {
            "title": "New",
            "level": "product",
            "product_id": p.atlas.pk,
            "period": "2026-Q4",
        },
    ),
    ("GET", "/outcomes/tree"): Row(READ, lambda p: "/outcomes/tree"),
    ("POST", "/outcomes/refresh"): Row(LEADERS, lambda p: "/outcomes/refresh", lambda p: {}),
    ("GET", "/outcomes/{outcome_id}"): Row(READ, lambda p: f"/outcomes/{_atlas_outcome(p)}"),
    ("PUT", "/outcomes/{outcome_id}"): Row(
        ATLAS,
        lambda p: f"/outcomes/{_atlas_outcome(p)}",
        lambda p: {
            "title": "Renamed",
            "level": "product",
            "product_id": p.atlas.pk,
            "period": "2026-Q4",
        },
        True,
    ),
    ("DELETE", "/outcomes/{outcome_id}"): Row(
        ATLAS, lambda p: f"/outcomes/{_atlas_outcome(p)}", versioned=True
    ),
    ("GET", "/outcomes/{outcome_id}/check-ins"): Row(
        READ, lambda p: f"/outcomes/{_atlas_outcome(p)}/check-ins"
    ),
    ("POST", "/outcomes/{outcome_id}/check-ins"): Row(
        ATLAS, lambda p: f"/outcomes/{_atlas_outcome(p)}/check-ins", lambda p: {"health": "at_risk"}
    ),
    ("GET", "/outcomes/{outcome_id}/key-results"): Row(
        READ, lambda p: f"/outcomes/{_atlas_outcome(p)}/key-results"
    ),
    ("POST", "/outcomes/{outcome_id}/key-results"): Row(
        ATLAS,
        lambda p: f"/outcomes/{_atlas_outcome(p)}/key-results",
        lambda p: {"title": "NPS", "source": "manual", "baseline": 20, "target": 40},
    ),
    ("GET", "/key-results/{kr_id}"): Row(READ, lambda p: f"/key-results/{_atlas_kr(p)}"),
    ("PUT", "/key-results/{kr_id}"): Row(
        ATLAS,
        lambda p: f"/key-results/{_atlas_kr(p)}",
        lambda p: {"title": "Actives", "source": "manual", "baseline": 10, "target": 30},
        True,
    ),
    ("DELETE", "/key-results/{kr_id}"): Row(
        ATLAS, lambda p: f"/key-results/{_atlas_kr(p)}", versioned=True
    ),
    ("GET", "/key-results/{kr_id}/check-ins"): Row(
        READ, lambda p: f"/key-results/{_atlas_kr(p)}/check-ins"
    ),
    ("POST", "/key-results/{kr_id}/check-ins"): Row(
        ATLAS,
        lambda p: f"/key-results/{_atlas_kr(p)}/check-ins",
        lambda p: {"day": "2026-10-02", "value": 12},
    ),
    ("GET", "/key-results/{kr_id}/history"): Row(
        READ, lambda p: f"/key-results/{_atlas_kr(p)}/history"
    ),
}

# Operations whose request shape does not fit the table's JSON calls; each is covered elsewhere.
API_ELSEWHERE = {
    ("DELETE", "/me/tokens/{token_id}"): "tests/api/test_accounts.py (own token vs another's)",
    ("POST", "/import"): "tests/transfer/test_pages.py (multipart upload, leaders and admins)",
    ("POST", "/surveys/{survey_id}/import"): "tests/surveys/test_import.py (multipart, every role)",
    ("POST", "/revenue/import"): "tests/revenue/test_import.py (multipart, every role)",
    ("POST", "/feedback/import"): "tests/feedback/test_import.py (multipart, every role)",
    ("PUT", "/pillars/{pillar_id}/links"): "tests/strategy/test_api.py (If-Match of the pillar)",
}


def _source(p: Personas) -> int:
    """An event source (metrics), made once per test."""
    from quarterdeck.metrics.models import Source

    source, _ = Source.objects.get_or_create(name="Web app", defaults={"write_key": "qdw_matrix"})
    return source.pk


def _fb_item(p: Personas) -> int:
    """A feedback item about Atlas with a submitter (feedback insight), made once per test."""
    from quarterdeck.feedback.models import FeedbackItem

    defaults = {"product": p.atlas, "submitter_email": "ann@acme.test"}
    found, _ = FeedbackItem.objects.get_or_create(text="Find invoices by number", defaults=defaults)
    return found.pk


def _fb_link(p: Personas) -> int:
    """The model's suggestion linking that item to Atlas Search."""
    from quarterdeck.feedback.models import FeedbackLink

    defaults = {"score": 0.6}
    found, _ = FeedbackLink.objects.get_or_create(
        item_id=_fb_item(p), feature=p.search, defaults=defaults
    )
    return found.pk


def _fb_themes(p: Personas) -> list[int]:
    """Two themes of two embedded items each (so they can be merged, or one split)."""
    from quarterdeck.feedback.models import Theme
    from tests.feedback.insight_factory import items

    if Theme.objects.count() < 2:
        texts = [["Export to CSV", "Excel download please"], ["App crashes", "Login fails"]]
        for name, group in zip(("Exports", "Bugs"), texts, strict=True):
            theme = Theme.objects.create(name=name, size=2)
            items(group, product=p.atlas, theme=theme)
    return sorted(Theme.objects.values_list("pk", flat=True))[:2]


def _fb_launched(p: Personas) -> int:
    """Atlas Search at launch, with accepted feedback from a customer with an e-mail."""
    from quarterdeck.feedback.models import FeedbackLink

    p.search.stage = "launch"
    p.search.save()
    FeedbackLink.objects.filter(pk=_fb_link(p)).update(state="accepted")
    return p.search.pk


def _survey(p: Personas) -> int:
    """An NPS survey of Atlas (surveys), made once per test."""
    from quarterdeck.surveys.models import Survey

    defaults = {"kind": "nps", "scale_min": 0, "scale_max": 10, "product": p.atlas}
    survey, _ = Survey.objects.get_or_create(name="Atlas NPS", defaults=defaults)
    return survey.pk


def _revenue_sub(p: Personas) -> Any:
    """A customer's subscription to Atlas (revenue), made once per test."""
    from quarterdeck.revenue.models import Customer, Subscription

    customer, _ = Customer.objects.get_or_create(external_id="cus_matrix")
    sub, _ = Subscription.objects.get_or_create(
        external_id="sub_matrix",
        defaults={"customer": customer, "currency": "USD", "started_at": "2024-01-01"},
    )
    return sub


def _revenue_customer(p: Personas) -> int:
    """A customer without subscriptions (revenue), so deleting it is possible."""
    from quarterdeck.revenue.models import Customer

    customer, _ = Customer.objects.get_or_create(external_id="cus_spare")
    return customer.pk


def _revenue_rate(p: Personas) -> int:
    """An exchange rate (revenue), made once per test."""
    from quarterdeck.revenue.models import CurrencyRate

    rate, _ = CurrencyRate.objects.get_or_create(
        currency="GBP", valid_from="2024-01-01", defaults={"rate": "1.25"}
    )
    return rate.pk


def _tracked_atlas(p: Personas) -> int:
    """Atlas with a tracking condition, so its analytics overview can be computed."""
    from quarterdeck.metrics.models import ProductTracking

    conditions = [{"key": "app", "op": "eq", "value": "atlas"}]
    ProductTracking.objects.get_or_create(product=p.atlas, defaults={"conditions": conditions})
    return p.atlas.pk


def _insight(p: Personas) -> int:
    """A saved insight owned by Mia (analytics), made once per test."""
    from quarterdeck.analytics.models import SavedInsight

    insight, _ = SavedInsight.objects.get_or_create(
        name="Mia's lifecycle", defaults={"kind": "lifecycle", "query": WEEK, "owner": p.member}
    )
    return insight.pk


def _vision(p: Personas) -> str:
    """A vision with Lena (leader) designated as CPO: the sign-off path."""
    from quarterdeck.strategy.models import Vision

    Vision.objects.update_or_create(
        pk=1, defaults={"statement": "The deck.", "cpo": p.people["lena"]}
    )
    return "/strategy/vision/sign-offs"


def _pillar(p: Personas) -> int:
    """A strategic pillar, made once per test."""
    from quarterdeck.strategy.models import Pillar

    pillar, _ = Pillar.objects.get_or_create(name="Trust")
    return pillar.pk


def _atlas_outcome(p: Personas) -> int:
    """A Q4 2026 outcome of Atlas (Mia's product), made once per test."""
    import datetime as dt

    from quarterdeck.strategy.models import Outcome

    outcome, _ = Outcome.objects.get_or_create(
        title="Atlas adoption",
        defaults={
            "level": "product",
            "product": p.atlas,
            "period": "2026-Q4",
            "start": dt.date(2026, 10, 1),
            "end": dt.date(2026, 12, 31),
        },
    )
    return outcome.pk


def _atlas_kr(p: Personas) -> int:
    """A manual key result of Atlas's outcome, made once per test."""
    from quarterdeck.strategy.models import KeyResult, Outcome

    outcome = Outcome.objects.get(pk=_atlas_outcome(p))
    kr, _ = KeyResult.objects.get_or_create(
        outcome=outcome,
        title="Weekly actives",
        defaults={
            "source": "manual",
            "baseline": 10,
            "target": 20,
            "direction": "increase",
            "start": outcome.start,
            "end": outcome.end,
        },
    )
    return kr.pk


API_ROWS.update(extra.API_ROWS)
API_ELSEWHERE.update(extra.API_ELSEWHERE)


def _api_operations() -> set[tuple[str, str]]:
    document = api.get_openapi_schema()
    return {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, operations in document["paths"].items()
        for method in operations
    }


def _target_version(row: Row, p: Personas, path: str) -> int | None:
    if not row.versioned:
        return None
    return _version_of(path, p.admin)


def _status_matches(status: int, expected: int | str) -> bool:
    return 200 <= status < 300 if expected == OK else status == expected


@pytest.mark.parametrize(("key", "role"), [(k, r) for k in API_ROWS for r in ROLES], ids=str)
def test_api_permission(personas: Personas, key: tuple[str, str], role: str) -> None:
    row = API_ROWS[key]
    method = key[0]
    user = None if role == "anonymous" else personas.by_role()[role]
    path = row.path(personas)
    version = _target_version(row, personas, path)
    client = Api(user)
    if method == "GET":
        response = client.get(path)
    else:
        response = client.send(method, path, row.body(personas), if_match=version)
    expected = row.expected[role]
    assert _status_matches(response.status_code, expected), (
        f"{method} {path} as {role}: got {response.status_code}, expected {expected}: "
        f"{response.content[:300]!r}"
    )


# Pages ---------------------------------------------------------------------------------------


def _item_pages(
    kind: str, plural: str, target: Callable[[Personas], Any], writers: Expect
) -> dict[str, Page]:
    base = f"portfolio/{plural}/"
    return {
        f"{base}new/": Page(PAGE_WRITERS, lambda p: f"/{base}new/"),
        f"{base}<int:pk>/": Page(PAGE_READ, lambda p: f"/{base}{target(p).pk}/"),
        f"{base}<int:pk>/edit/": Page(writers, lambda p: f"/{base}{target(p).pk}/edit/"),
        f"{base}<int:pk>/delete/": Page(writers, lambda p: f"/{base}{target(p).pk}/delete/"),
        f"{base}<int:pk>/history/": Page(PAGE_READ, lambda p: f"/{base}{target(p).pk}/history/"),
        f"{base}<int:pk>/inline/<str:field>/": Page(
            writers, lambda p: f"/{base}{target(p).pk}/inline/stage/"
        ),
    }


PAGES: dict[str, Page] = {
    "": Page(PAGE_READ, lambda p: "/"),
    "login/": Page(PUBLIC, lambda p: "/login/"),
    "logout/": Page(expect(SIGNED_IN, anonymous=302), lambda p: "/logout/", "POST"),
    "account/": Page(PAGE_READ, lambda p: "/account/"),
    "account/password/": Page(PAGE_READ, lambda p: "/account/password/"),
    "account/tokens/": Page(
        PAGE_READ, lambda p: "/account/tokens/", "POST", lambda p: {"name": "t"}
    ),
    "account/tokens/<int:pk>/revoke/": Page(
        # Revoking a token that is not yours answers 404: its existence is not confirmed.
        expect({"admin"}, denied=404, anonymous=302),
        lambda p: f"/account/tokens/{_admins_token(p)}/revoke/",
        "POST",
    ),
    "portfolio/": Page(PAGE_READ, lambda p: "/portfolio/"),
    "people/": Page(PAGE_READ, lambda p: "/people/"),
    "people/org-chart/": Page(PAGE_READ, lambda p: "/people/org-chart/"),
    "people/<int:pk>/": Page(PAGE_READ, lambda p: f"/people/{p.people['mia'].pk}/"),
    "people/<int:pk>/edit/": Page(PAGE_MIA, lambda p: f"/people/{p.people['mia'].pk}/edit/"),
    "teams/": Page(PAGE_READ, lambda p: "/teams/"),
    "teams/<int:pk>/": Page(PAGE_READ, lambda p: f"/teams/{p.team.pk}/"),
    "teams/new/": Page(PAGE_TEAMS, lambda p: "/teams/new/"),
    "teams/<int:pk>/edit/": Page(PAGE_TEAMS, lambda p: f"/teams/{p.team.pk}/edit/"),
    "admin-tools/audit/": Page(PAGE_ADMIN, lambda p: "/admin-tools/audit/"),
    "admin-tools/users/": Page(PAGE_ADMIN, lambda p: "/admin-tools/users/"),
    "transfer/": Page(PAGE_LEADERS, lambda p: "/transfer/"),
    "transfer/export/": Page(PAGE_LEADERS, lambda p: "/transfer/export/?format=json"),
    # The report of the user's own last import; without one, a clear 404.
    "transfer/report/": Page(
        expect({"admin", "leader"}, denied=403, anonymous=302) | {"admin": 404, "leader": 404},
        lambda p: "/transfer/report/",
    ),
    "sources/": Page(PAGE_SOURCES, lambda p: "/sources/"),
    "sources/new/": Page(PAGE_LEADERS, lambda p: "/sources/new/"),
    "sources/<int:pk>/": Page(PAGE_SOURCES, lambda p: f"/sources/{_source(p)}/"),
    "sources/<int:pk>/edit/": Page(PAGE_LEADERS, lambda p: f"/sources/{_source(p)}/edit/"),
    "sources/<int:pk>/revoke/": Page(
        PAGE_LEADERS, lambda p: f"/sources/{_source(p)}/revoke/", "POST"
    ),
    "sources/<int:pk>/new-key/": Page(
        PAGE_LEADERS, lambda p: f"/sources/{_source(p)}/new-key/", "POST"
    ),
    "portfolio/products/<int:pk>/tracking/": Page(
        PAGE_ATLAS, lambda p: f"/portfolio/products/{p.atlas.pk}/tracking/"
    ),
    "portfolio/features/<int:pk>/usage/": Page(
        PAGE_ATLAS, lambda p: f"/portfolio/features/{p.search.pk}/usage/"
    ),
    # Analytics pages: members and up; changing a saved insight: its owner (Mia), leaders, admins.
    "analytics/": Page(PAGE_ANALYTICS, lambda p: "/analytics/"),
    "analytics/products/<int:pk>/": Page(
        PAGE_ANALYTICS, lambda p: f"/analytics/products/{_tracked_atlas(p)}/"
    ),
    "analytics/products/<int:pk>/charts/<int:index>/": Page(
        PAGE_ANALYTICS, lambda p: f"/analytics/products/{_tracked_atlas(p)}/charts/0/"
    ),
    "analytics/export/": Page(
        PAGE_ANALYTICS,
        lambda p: "/analytics/export/?kind=lifecycle&start=2024-03-01&end=2024-03-07",
    ),
    "analytics/insights/new/": Page(PAGE_ANALYTICS, lambda p: "/analytics/insights/new/"),
    "analytics/insights/preview/": Page(
        PAGE_ANALYTICS, lambda p: "/analytics/insights/preview/?kind=lifecycle&last_days=7"
    ),
    "analytics/insights/features/": Page(
        PAGE_ANALYTICS, lambda p: f"/analytics/insights/features/?product_id={p.atlas.pk}"
    ),
    "analytics/insights/<int:pk>/": Page(
        PAGE_ANALYTICS, lambda p: f"/analytics/insights/{_insight(p)}/"
    ),
    "analytics/insights/<int:pk>/chart/": Page(
        PAGE_ANALYTICS, lambda p: f"/analytics/insights/{_insight(p)}/chart/"
    ),
    "analytics/insights/<int:pk>/delete/": Page(
        PAGE_MIAS_INSIGHT, lambda p: f"/analytics/insights/{_insight(p)}/delete/"
    ),
    "kpis/": Page(PAGE_READ, lambda p: "/kpis/"),
    "kpis/refresh/": Page(PAGE_LEADERS, lambda p: "/kpis/refresh/", "POST"),
    "revenue/": Page(PAGE_REVENUE, lambda p: "/revenue/"),
    # A POST without a file: those allowed get a 400 naming the missing file.
    "revenue/import/": Page(
        expect({"admin", "leader"}, anonymous=302) | {"admin": 400, "leader": 400},
        lambda p: "/revenue/import/",
        "POST",
    ),
    "surveys/": Page(PAGE_READ, lambda p: "/surveys/"),
    "surveys/<int:pk>/": Page(PAGE_READ, lambda p: f"/surveys/{_survey(p)}/"),
    "surveys/<int:pk>/import/": Page(PAGE_ATLAS, lambda p: f"/surveys/{_survey(p)}/import/"),
    # The new-survey form: leaders, admins and whoever may change some product (Otto: Beacon).
    "surveys/new/": Page(PAGE_WRITERS, lambda p: "/surveys/new/"),
    "surveys/<int:pk>/edit/": Page(PAGE_ATLAS, lambda p: f"/surveys/{_survey(p)}/edit/"),
    "surveys/<int:pk>/delete/": Page(PAGE_ATLAS, lambda p: f"/surveys/{_survey(p)}/delete/"),
    # Strategy pages: everyone signed in reads; the vision and pillars are for leaders and admins
    # (signing: the designated CPO, Lena); an outcome of Atlas follows Atlas (Mia and up).
    "strategy/": Page(PAGE_READ, lambda p: "/strategy/"),
    "strategy/vision/edit/": Page(PAGE_LEADERS, lambda p: "/strategy/vision/edit/"),
    "strategy/vision/sign/<str:role>/": Page(
        expect({"leader"}, anonymous=302),
        lambda p: _vision(p) and "/strategy/vision/sign/cpo/",
        "POST",
    ),
    "strategy/pillars/new/": Page(PAGE_LEADERS, lambda p: "/strategy/pillars/new/"),
    "strategy/pillars/<int:pk>/edit/": Page(
        PAGE_LEADERS, lambda p: f"/strategy/pillars/{_pillar(p)}/edit/"
    ),
    "strategy/pillars/<int:pk>/links/": Page(
        PAGE_LEADERS, lambda p: f"/strategy/pillars/{_pillar(p)}/links/", "POST"
    ),
    "strategy/pillars/<int:pk>/delete/": Page(
        PAGE_LEADERS, lambda p: f"/strategy/pillars/{_pillar(p)}/delete/", "POST"
    ),
    "strategy/outcomes/": Page(PAGE_READ, lambda p: "/strategy/outcomes/"),
    "strategy/outcomes/new/": Page(PAGE_WRITERS, lambda p: "/strategy/outcomes/new/"),
    "strategy/outcomes/<int:pk>/": Page(
        PAGE_READ, lambda p: f"/strategy/outcomes/{_atlas_outcome(p)}/"
    ),
    "strategy/outcomes/<int:pk>/edit/": Page(
        PAGE_ATLAS, lambda p: f"/strategy/outcomes/{_atlas_outcome(p)}/edit/"
    ),
    "strategy/outcomes/<int:pk>/delete/": Page(
        PAGE_ATLAS, lambda p: f"/strategy/outcomes/{_atlas_outcome(p)}/delete/"
    ),
    "strategy/outcomes/<int:pk>/check-in/": Page(
        PAGE_ATLAS,
        lambda p: f"/strategy/outcomes/{_atlas_outcome(p)}/check-in/",
        "POST",
        lambda p: {"health": "on_track"},
    ),
    "strategy/outcomes/<int:pk>/key-results/new/": Page(
        PAGE_ATLAS, lambda p: f"/strategy/outcomes/{_atlas_outcome(p)}/key-results/new/"
    ),
    "strategy/key-results/<int:pk>/edit/": Page(
        PAGE_ATLAS, lambda p: f"/strategy/key-results/{_atlas_kr(p)}/edit/"
    ),
    "strategy/key-results/<int:pk>/delete/": Page(
        PAGE_ATLAS, lambda p: f"/strategy/key-results/{_atlas_kr(p)}/delete/"
    ),
    "strategy/key-results/<int:pk>/check-in/": Page(
        PAGE_ATLAS,
        lambda p: f"/strategy/key-results/{_atlas_kr(p)}/check-in/",
        "POST",
        lambda p: {f"kr{_atlas_kr(p)}-day": "2026-10-15", f"kr{_atlas_kr(p)}-value": "12"},
    ),
    "strategy/alignment/": Page(PAGE_READ, lambda p: "/strategy/alignment/"),
    "strategy/scorecards/": Page(PAGE_READ, lambda p: "/strategy/scorecards/"),
    "strategy/scorecards/scorecard.csv": Page(
        PAGE_READ, lambda p: "/strategy/scorecards/scorecard.csv"
    ),
    "strategy/scorecards/scorecard.png": Page(
        PAGE_READ, lambda p: "/strategy/scorecards/scorecard.png"
    ),
    **_item_pages("line", "lines", lambda p: p.platform, PAGE_PLATFORM),
    **_item_pages("product", "products", lambda p: p.atlas, PAGE_ATLAS),
    **_item_pages("feature", "features", lambda p: p.search, PAGE_ATLAS),
    # Feedback pages: everyone signed in reads; all but viewers add; the write roles (members and
    # up, Otto included) triage; a portal's settings follow its line (Max's Platform).
    "feedback/": Page(PAGE_READ, lambda p: "/feedback/"),
    "feedback/add/": Page(
        PAGE_ADDERS, lambda p: "/feedback/add/", "POST", lambda p: {"text": "Faster exports"}
    ),
    "feedback/<int:pk>/": Page(PAGE_READ, lambda p: f"/feedback/{_fb_item(p)}/"),
    "feedback/<int:pk>/edit/": Page(PAGE_WRITERS, lambda p: f"/feedback/{_fb_item(p)}/edit/"),
    "feedback/<int:pk>/close/": Page(
        PAGE_WRITERS, lambda p: f"/feedback/{_fb_item(p)}/close/", "POST"
    ),
    "feedback/<int:pk>/links/new/": Page(
        PAGE_WRITERS,
        lambda p: f"/feedback/{_fb_item(p)}/links/new/",
        "POST",
        lambda p: {"feature_id": p.search.pk, "importance": "critical"},
    ),
    "feedback/links/<int:pk>/accept/": Page(
        PAGE_WRITERS, lambda p: f"/feedback/links/{_fb_link(p)}/accept/", "POST"
    ),
    "feedback/links/<int:pk>/reject/": Page(
        PAGE_WRITERS, lambda p: f"/feedback/links/{_fb_link(p)}/reject/", "POST"
    ),
    "feedback/links/<int:pk>/importance/": Page(
        PAGE_WRITERS,
        lambda p: f"/feedback/links/{_fb_link(p)}/importance/",
        "POST",
        lambda p: {"importance": "nice_to_have"},
    ),
    "feedback/links/<int:pk>/delete/": Page(
        PAGE_WRITERS, lambda p: f"/feedback/links/{_fb_link(p)}/delete/", "POST"
    ),
    "feedback/duplicates/<int:pk>/merge/": Page(
        PAGE_WRITERS, lambda p: f"/feedback/duplicates/{_fb_candidate(p)}/merge/", "POST"
    ),
    "feedback/duplicates/<int:pk>/dismiss/": Page(
        PAGE_WRITERS, lambda p: f"/feedback/duplicates/{_fb_candidate(p)}/dismiss/", "POST"
    ),
    "feedback/import/": Page(PAGE_WRITERS, lambda p: "/feedback/import/"),
    "feedback/import/surveys/": Page(PAGE_WRITERS, lambda p: "/feedback/import/surveys/", "POST"),
    "feedback/themes/": Page(PAGE_READ, lambda p: "/feedback/themes/"),
    "feedback/themes/recluster/": Page(
        PAGE_WRITERS, lambda p: "/feedback/themes/recluster/", "POST"
    ),
    "feedback/themes/merge/": Page(
        PAGE_WRITERS,
        lambda p: "/feedback/themes/merge/",
        "POST",
        lambda p: {"themes": _fb_themes(p)},
    ),
    "feedback/themes/<int:pk>/": Page(PAGE_READ, lambda p: f"/feedback/themes/{_fb_themes(p)[0]}/"),
    "feedback/themes/<int:pk>/rename/": Page(
        PAGE_WRITERS,
        lambda p: f"/feedback/themes/{_fb_themes(p)[0]}/rename/",
        "POST",
        lambda p: {"name": "Named"},
    ),
    "feedback/themes/<int:pk>/split/": Page(
        PAGE_WRITERS, lambda p: f"/feedback/themes/{_fb_themes(p)[0]}/split/", "POST"
    ),
    "feedback/demand/": Page(PAGE_READ, lambda p: "/feedback/demand/"),
    "feedback/demand.csv": Page(PAGE_READ, lambda p: "/feedback/demand.csv"),
    "feedback/features/<int:pk>/loop/": Page(
        PAGE_READ, lambda p: f"/feedback/features/{_fb_launched(p)}/loop/"
    ),
    "feedback/portals/": Page(PAGE_READ, lambda p: "/feedback/portals/"),
    "feedback/portals/lines/<int:pk>/": Page(
        PAGE_PLATFORM, lambda p: f"/feedback/portals/lines/{p.platform.pk}/"
    ),
    # A public portal: anyone reads, submits and votes (anonymous visitors give an e-mail).
    "portal/<slug:slug>/": Page(PUBLIC, lambda p: f"/portal/{_fb_portal(p)}/"),
    "portal/<slug:slug>/submit/": Page(
        PUBLIC,
        lambda p: f"/portal/{_fb_portal(p)}/submit/",
        "POST",
        lambda p: {"text": "Dark mode", "email": "ann@customer.test"},
    ),
    "portal/<slug:slug>/ideas/<int:pk>/vote/": Page(
        PUBLIC,
        lambda p: f"/portal/{_fb_portal(p)}/ideas/{_fb_idea(p)}/vote/",
        "POST",
        lambda p: {"email": "bo@customer.test"},
    ),
}


def _fb_candidate(p: Personas) -> int:
    """A later item flagged as a near-duplicate of the matrix's feedback item."""
    from quarterdeck.feedback.models import DuplicateCandidate, FeedbackItem

    later, _ = FeedbackItem.objects.get_or_create(text="Find invoices by their number")
    found, _ = DuplicateCandidate.objects.get_or_create(
        item=later, original_id=_fb_item(p), defaults={"score": 0.95}
    )
    return found.pk


def _fb_portal(p: Personas) -> str:
    """The public portal of the Platform line."""
    from quarterdeck.feedback.models import Portal

    Portal.objects.get_or_create(
        line=p.platform, defaults={"slug": "platform", "title": "Ideas", "visibility": "public"}
    )
    return "platform"


def _fb_idea(p: Personas) -> int:
    """A public idea on that portal."""
    from quarterdeck.feedback.models import FeedbackItem

    idea, _ = FeedbackItem.objects.get_or_create(
        text="Dark mode", defaults={"line": p.platform, "public": True}
    )
    return idea.pk


def _admins_token(p: Personas) -> int:
    from quarterdeck.accounts.services import token_create

    token, _ = token_create(actor=p.admin, user=p.admin, name="admin's")
    return token.pk


def _routes(resolver: URLResolver, prefix: str = "") -> set[str]:
    from quarterdeck.metrics.urls import INGESTION_ROUTES

    found: set[str] = set()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        # Event ingestion (Segment /v1/…, PostHog /batch/ …) is not a session page: it
        # authenticates by write key. Its auth is tested in tests/metrics/ingest/.
        if str(entry.pattern) in INGESTION_ROUTES:
            continue
        if isinstance(entry, URLResolver):
            if not route.startswith(("api/", "admin/")):
                found |= _routes(entry, route)
        elif isinstance(entry, URLPattern) and not route.startswith(("api/", "admin/", "static")):
            found.add(route)
    return found


PAGES.update(extra.PAGES)


def test_every_route_has_a_row() -> None:
    operations = _api_operations()
    missing_api = operations - set(API_ROWS) - set(API_ELSEWHERE)
    assert not missing_api, f"API operations without a row in the permission matrix: {missing_api}"
    assert set(API_ROWS) <= operations, set(API_ROWS) - operations
    pages = _routes(get_resolver())
    assert not pages - set(PAGES), f"pages without a row in the matrix: {pages - set(PAGES)}"
    assert set(PAGES) <= pages, set(PAGES) - pages


@pytest.mark.parametrize(("route", "role"), [(k, r) for k in PAGES for r in ROLES], ids=str)
def test_page_permission(personas: Personas, route: str, role: str) -> None:
    page = PAGES[route]
    client = Client()
    if role != "anonymous":
        client.force_login(personas.by_role()[role])
    path = page.path(personas)
    get = page.method == "GET"
    response = client.get(path) if get else client.post(path, page.data(personas))
    expected = page.expected[role]
    ok = 200 <= response.status_code < 400 if expected == OK else response.status_code == expected
    if role == "anonymous" and expected == 302:
        ok = ok and "/login/" in response.headers.get("Location", "")
    assert ok, f"{page.method} {path} as {role}: got {response.status_code}, expected {expected}"
