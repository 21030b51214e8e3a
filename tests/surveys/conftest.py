"""Surveys for the tests: an NPS survey of Atlas (Mia's product) with answers across two months,
journey stages and segments, and a CSAT survey without a product (leaders' and admins' only)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from quarterdeck.surveys.models import Response, Source, Survey
from tests.personas import Personas
from tests.shared_data import shared_data

VERBATIMS = shared_data() / "nps-verbatims" / "verbatim.csv"

# (score, day, stage, segment, comment): March has NPS +20, April -50.
ANSWERS = [
    (10, dt.datetime(2024, 3, 4, 9, tzinfo=dt.UTC), "Onboarding", "SMB", "Love it"),
    (9, dt.datetime(2024, 3, 5, 9, tzinfo=dt.UTC), "Onboarding", "Enterprise", "Great"),
    (8, dt.datetime(2024, 3, 6, 9, tzinfo=dt.UTC), "Renewal", "SMB", ""),
    (7, dt.datetime(2024, 3, 7, 9, tzinfo=dt.UTC), "Renewal", "SMB", "Fine"),
    (3, dt.datetime(2024, 3, 8, 9, tzinfo=dt.UTC), "Renewal", "Enterprise", "Too slow"),
    (2, dt.datetime(2024, 4, 2, 9, tzinfo=dt.UTC), "Renewal", "Enterprise", "Outage again"),
    (9, dt.datetime(2024, 4, 3, 9, tzinfo=dt.UTC), "Onboarding", "SMB", "Good support"),
    (0, dt.datetime(2024, 4, 4, 9, tzinfo=dt.UTC), "Renewal", "Enterprise", "Broken"),
    (5, dt.datetime(2024, 4, 5, 9, tzinfo=dt.UTC), "Onboarding", "SMB", ""),
]


@dataclass
class Surveys:
    personas: Personas
    nps: Survey
    csat: Survey


def require_verbatims() -> Path:
    if not VERBATIMS.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{VERBATIMS} is missing; under CI it must be present.")
        pytest.skip(f"{VERBATIMS} is not here (shared data set).")
    return VERBATIMS


@pytest.fixture
def surveys(personas: Personas) -> Surveys:
    nps = Survey.objects.create(
        name="Atlas NPS", kind="nps", scale_min=0, scale_max=10, product=personas.atlas
    )
    csat = Survey.objects.create(name="Support CSAT", kind="csat", scale_min=1, scale_max=5)
    Response.objects.bulk_create(
        Response(
            survey=nps,
            score=score,
            answered_at=at,
            stage=stage,
            segment=segment,
            comment=comment,
            respondent=f"user{i}@example.com",
            account=f"acct-{i % 3}",
            product=personas.atlas,
            source=Source.API,
            external_id=f"seed-{i}",
        )
        for i, (score, at, stage, segment, comment) in enumerate(ANSWERS)
    )
    return Surveys(personas, nps, csat)
