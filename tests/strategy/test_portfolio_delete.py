"""A product or line that outcomes are set for cannot be deleted: a 400 that names them, not
a 500 from the database's protection, and nothing is deleted."""

from __future__ import annotations

import pytest

from quarterdeck.portfolio.models import Product
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def test_deleting_a_product_with_outcomes_is_refused_with_the_reason(personas: Personas) -> None:
    leader = Api(personas.leader)
    outcome = leader.post(
        "/outcomes",
        {
            "title": "Atlas activation",
            "level": "product",
            "product_id": personas.atlas.pk,
            "period": "2026-Q4",
        },
    )
    assert outcome.status_code == 201, outcome.content
    for feature in personas.atlas.features.all():  # the features would block it first
        feature.children.all().delete()
        feature.delete()
    atlas = Product.objects.get(pk=personas.atlas.pk)

    response = leader.delete(f"/products/{atlas.pk}", if_match=atlas.version)

    assert response.status_code == 400, response.content
    assert "1 outcome(s) (“Atlas activation”)" in str(response.json()), response.json()
    assert Product.objects.filter(pk=atlas.pk).exists()
