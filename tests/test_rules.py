from __future__ import annotations

import pytest

from quarterdeck.accounts import rules
from quarterdeck.lib.errors import NotAllowed, NotFound
from quarterdeck.people.selectors import access_person, access_person_data
from quarterdeck.portfolio.selectors import may_change_item
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_portfolio_write_rules_follow_ownership_and_reporting_line(personas: Personas) -> None:
    p = personas
    assert may_change_item(p.leader, p.beacon)
    assert may_change_item(p.admin, p.search)
    assert may_change_item(p.manager, p.atlas)  # his line
    assert may_change_item(p.manager, p.search)  # below his line
    assert not may_change_item(p.manager, p.beacon)  # another group
    assert may_change_item(p.member, p.atlas)
    assert may_change_item(p.member, p.search)
    assert not may_change_item(p.member, p.platform)  # the line above her product
    assert not may_change_item(p.outsider, p.atlas)
    assert not may_change_item(p.contributor, p.atlas)
    assert not may_change_item(p.viewer, p.atlas)


def test_people_data_is_visible_to_the_reporting_line_and_admins_only(personas: Personas) -> None:
    p = personas
    mia = p.people["mia"]
    assert access_person_data(p.admin, mia.pk) == mia
    assert access_person_data(p.manager, mia.pk) == mia  # her manager
    assert access_person_data(p.leader, mia.pk) == mia  # her manager's manager
    for peer_or_other in (p.outsider, p.other_manager, p.contributor, p.viewer, p.member):
        with pytest.raises(NotFound):
            access_person_data(peer_or_other, mia.pk)


def test_manager_changes_only_people_below_them(personas: Personas) -> None:
    p = personas
    assert rules.may_change_person(p.manager, p.people["mia"])
    assert not rules.may_change_person(p.manager, p.people["otto"])
    assert not rules.may_change_person(p.manager, p.people["max"])
    assert not rules.may_change_person(p.member, p.people["mia"])
    with pytest.raises(NotAllowed):
        access_person(p.member, p.people["otto"].pk, for_write=True)
