"""The demo company: a realistic portfolio, one sign-in per role, and loading twice is a no-op."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from django.test import Client
from django.utils import timezone

from quarterdeck.accounts.models import Role, User
from quarterdeck.audit.models import AuditEntry
from quarterdeck.cli import cli
from quarterdeck.demo.company import DEMO_PASSWORD, LOGINS, Login
from quarterdeck.people.models import Level, Person
from quarterdeck.portfolio.models import Feature, Product, ProductLine, Stage, StageChange
from tests.transfer.helpers import counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    # The product events have their own tests (test_events.py); here only the company.
    result = CliRunner().invoke(cli, ["demo", "--no-events"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_the_demo_company_has_a_realistic_portfolio(demo: None) -> None:
    assert ProductLine.objects.count() == 4
    assert ProductLine.objects.filter(parent__isnull=False).count() == 1
    assert 9 <= Product.objects.count() <= 12
    assert 55 <= Feature.objects.count() <= 65
    assert Feature.objects.filter(parent__isnull=False).exists()
    assert set(Feature.objects.values_list("stage", flat=True)) == set(Stage.values)
    for model in (ProductLine, Product, Feature):
        assert not model.objects.filter(owner__isnull=True).exists()


def test_the_demo_company_has_a_product_org(demo: None) -> None:
    levels = list(Person.objects.values_list("level", flat=True))
    assert levels.count(Level.CPO) == 1
    assert levels.count(Level.HEAD_OF_PRODUCT) == 1
    assert levels.count(Level.DIRECTOR) == 2
    assert levels.count(Level.GROUP_PM) == 3
    pms = [Level.ASSOCIATE_PM, Level.PM, Level.SENIOR_PM, Level.PRINCIPAL_PM]
    assert sum(levels.count(level) for level in pms) == 12
    assert all(levels.count(level) >= 2 for level in pms)
    assert set(Person.objects.exclude(function="product").values_list("function", flat=True)) == {
        "cto",
        "engineering",
        "design",
        "marketing",
        "data",
        "sales",
        "support",
    }
    assert Person.objects.get(email="dana.reyes@harborline.example").reports.count() == 2


def test_stage_histories_span_the_last_year_with_reasons(demo: None) -> None:
    now = timezone.now()
    moments = list(StageChange.objects.values_list("at", flat=True))
    assert min(moments) >= now - dt.timedelta(days=366)
    assert max(moments) <= now
    assert max(moments) - min(moments) > dt.timedelta(days=270)
    assert not StageChange.objects.filter(reason="").exists()
    sunset = Feature.objects.filter(stage=Stage.SUNSET).first()
    assert sunset is not None
    history = StageChange.objects.filter(item_type="feature", item_id=sunset.pk).order_by("at")
    stages = [h.to_stage for h in history]
    assert stages[0] == Stage.IDEA
    assert stages[-1] == Stage.SUNSET


def test_loading_twice_changes_nothing(demo: None) -> None:
    before = counts()
    before_audit = AuditEntry.objects.count()

    result = CliRunner().invoke(cli, ["demo", "--no-events"], catch_exceptions=False)

    assert result.exit_code == 0
    assert "already loaded" in result.output
    assert counts() == before
    assert AuditEntry.objects.count() == before_audit


def test_the_load_is_audited_as_system(demo: None) -> None:
    entries = AuditEntry.objects.filter(object_type="feature", action="create")
    assert entries.count() == Feature.objects.count()
    assert set(entries.values_list("actor_label", flat=True)) == {"system"}


@pytest.mark.parametrize("login", LOGINS, ids=[login.role for login in LOGINS])
def test_every_role_can_sign_in(demo: None, login: Login) -> None:
    assert User.objects.get(email=login.email).role == login.role
    assert Client().login(email=login.email, password=DEMO_PASSWORD)
    assert not Client().login(email=login.email, password="wrong password")


def test_one_sign_in_per_role_and_the_right_people(demo: None) -> None:
    assert sorted(login.role for login in LOGINS) == sorted(Role.values)
    member = User.objects.get(role=Role.MEMBER)
    assert Product.objects.filter(owner__user=member).exists()
    manager = Person.objects.get(user__role=Role.MANAGER)
    assert manager.level == Level.GROUP_PM
    by_role = {login.role: login.email for login in LOGINS}
    assert Person.objects.get(user__email=by_role["leader"]).level == Level.HEAD_OF_PRODUCT
    assert Person.objects.get(user__email=by_role["contributor"]).function == "sales"
