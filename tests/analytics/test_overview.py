"""The default charts of a product page: the funnel goes through live features first."""

from __future__ import annotations

import pytest

from quarterdeck.analytics.selectors import overview_queries
from quarterdeck.metrics.models import FeatureUsage
from quarterdeck.portfolio.models import Feature, Stage
from tests.analytics.conftest import Store

pytestmark = pytest.mark.django_db


def test_the_default_funnel_prefers_launched_features(store: Store) -> None:
    atlas = store.personas.atlas
    live = []
    for name, event in (("Zoned Routing", "Zone Set"), ("Yard View", "Yard Opened")):
        feature = Feature.objects.create(name=name, product=atlas, stage=Stage.GROWTH)
        FeatureUsage.objects.create(feature=feature, event=event)
        live.append(feature.pk)
    funnel = dict(overview_queries(atlas))["Funnel"]
    steps = list(funnel.options["features"])
    # "Atlas Maps" and "Atlas Search" (not launched) come first by name, but not first here.
    assert steps[:2] == sorted(live, key=lambda pk: Feature.objects.get(pk=pk).name)
    assert len(steps) == 3
