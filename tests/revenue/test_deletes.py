"""Deleting subscriptions and customers entered by mistake: API (rules, If-Match, audit), the
guard on customers with subscriptions, revenue key results following, and the CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import CliRunner

from quarterdeck.audit.models import AuditEntry
from quarterdeck.cli import cli
from quarterdeck.lib.dates import workspace_today
from quarterdeck.revenue.models import Customer, Subscription, SubscriptionItem
from quarterdeck.strategy.bindings import check_binding
from quarterdeck.strategy.refresh import refresh_outcomes
from tests.api.client import Api
from tests.personas import Personas
from tests.strategy.numbers_data import key_result, outcome, subscription

pytestmark = pytest.mark.django_db


def _customer(api: Api, external_id: str = "cus_1") -> int:
    response = api.post("/revenue/customers", {"external_id": external_id, "name": "Acme"})
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def _subscription(api: Api, customer: int, p: Personas, external_id: str = "sub_1") -> int:
    body = {
        "external_id": external_id,
        "customer_id": customer,
        "currency": "USD",
        "started_at": "2024-01-01",
        "items": [{"product_id": p.atlas.pk, "amount": "100", "quantity": 1}],
    }
    response = api.post("/revenue/subscriptions", body)
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_leader_deletes_a_subscription_with_if_match_and_audit(personas: Personas) -> None:
    leader = Api(personas.leader)
    sub = _subscription(leader, _customer(leader), personas)
    path = f"/revenue/subscriptions/{sub}"
    assert leader.delete(path).status_code == 428
    assert leader.patch(path, {"status": "past_due"}, if_match=1).status_code == 200
    stale = leader.delete(path, if_match=1)
    assert stale.status_code == 412
    assert Subscription.objects.filter(pk=sub).exists()
    assert leader.delete(path, if_match=2).status_code == 204
    assert leader.get(path).status_code == 404
    assert not SubscriptionItem.objects.filter(subscription_id=sub).exists()
    entry = AuditEntry.objects.get(object_type="subscription", action="delete")
    assert (entry.object_id, entry.actor) == (str(sub), personas.leader)
    assert entry.changes["status"][0] == "past_due"
    assert entry.changes["items"][0] == [[personas.atlas.pk, "100.0000", 1]]


def test_only_leaders_and_admins_delete(personas: Personas) -> None:
    admin = Api(personas.admin)
    customer = _customer(admin)
    sub = _subscription(admin, customer, personas)
    for user in (personas.viewer, personas.member, personas.manager):
        refused = Api(user).delete(f"/revenue/subscriptions/{sub}", if_match=1)
        assert refused.status_code == 403, user
        assert Api(user).delete(f"/revenue/customers/{customer}", if_match=1).status_code == 403
    assert Subscription.objects.filter(pk=sub).exists()
    assert admin.delete(f"/revenue/subscriptions/{sub}", if_match=1).status_code == 204
    assert admin.delete("/revenue/subscriptions/999999", if_match=1).status_code == 404


def test_a_customer_with_subscriptions_is_refused_with_the_count(personas: Personas) -> None:
    leader = Api(personas.leader)
    customer = _customer(leader)
    first = _subscription(leader, customer, personas, "sub_1")
    second = _subscription(leader, customer, personas, "sub_2")
    path = f"/revenue/customers/{customer}"
    refused = leader.delete(path, if_match=1)
    assert refused.status_code == 400
    assert "2 subscription(s)" in refused.json()["message"]
    assert "delete them or move them" in refused.json()["message"]
    assert Subscription.objects.filter(customer_id=customer).count() == 2
    assert "subscriptions" in refused.json()["fields"]
    assert not AuditEntry.objects.filter(action="delete").exists()
    # Moving one away and deleting the other frees the customer.
    other = _customer(leader, "cus_2")
    moved = leader.patch(f"/revenue/subscriptions/{first}", {"customer_id": other}, if_match=1)
    assert moved.status_code == 200, moved.content
    assert leader.delete(f"/revenue/subscriptions/{second}", if_match=1).status_code == 204
    assert leader.delete(path).status_code == 428
    assert leader.delete(path, if_match=1).status_code == 204
    assert not Customer.objects.filter(pk=customer).exists()
    entry = AuditEntry.objects.get(object_type="customer", action="delete")
    assert entry.changes["external_id"] == ["cus_1", None]


def test_deleting_a_subscription_updates_the_revenue_key_result(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # as if each commits on its own
        subscription(personas, "acme", 1000, dt.date(2024, 1, 1))
        subscription(personas, "bolt", 1200, dt.date(2024, 1, 1))
    today = workspace_today()
    goal = outcome(personas, today - dt.timedelta(days=30), today + dt.timedelta(days=60))
    binding = check_binding("revenue", {"metric": "mrr", "product_id": personas.atlas.pk})
    kr = key_result(goal, "revenue", binding, baseline=1000, target=3000, unit="USD")
    refresh_outcomes(key_result_ids=[kr.pk])
    kr.refresh_from_db()
    assert kr.current == 2200.0
    bolt = Subscription.objects.get(external_id="sub-bolt")
    with django_capture_on_commit_callbacks(execute=True):
        deleted = Api(personas.leader).delete(f"/revenue/subscriptions/{bolt.pk}", if_match=1)
    assert deleted.status_code == 204
    kr.refresh_from_db()
    assert kr.current == 1000.0


def test_cli_deletes_as_the_operator_with_clear_errors(personas: Personas) -> None:
    leader = Api(personas.leader)
    customer = _customer(leader)
    sub = _subscription(leader, customer, personas)
    refused = CliRunner().invoke(cli, ["revenue", "delete-customer", str(customer)])
    assert refused.exit_code == 1
    assert "1 subscription(s)" in refused.output
    done = CliRunner().invoke(cli, ["revenue", "delete-subscription", str(sub)])
    assert done.exit_code == 0, done.output
    assert f"Deleted subscription {sub}." in done.output
    assert AuditEntry.objects.get(object_type="subscription", action="delete").actor_label == (
        "system"
    )
    missing = CliRunner().invoke(cli, ["revenue", "delete-subscription", str(sub)])
    assert missing.exit_code == 1
    assert f"no subscription with id {sub}" in missing.output
    assert CliRunner().invoke(cli, ["revenue", "delete-customer", "abc"]).exit_code == 2
    assert CliRunner().invoke(cli, ["revenue", "delete-customer", str(customer)]).exit_code == 0
    assert not Customer.objects.exists()
