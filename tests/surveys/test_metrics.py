"""METRICS_SPEC §6: vector V6 exactly, the generalised scales, and properties of the formulas."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quarterdeck.surveys.metrics import (
    Scale,
    ces_easy_share,
    csat,
    distribution,
    mean,
    nps,
    score_group,
    summarize,
)

NPS_SCALE = Scale(0, 10)
CSAT_SCALE = Scale(1, 5)
CES_SCALE = Scale(1, 7)


def test_v6_nps() -> None:
    answers = [10, 9, 9, 8, 7, 7, 6, 5, 3, 10]
    assert nps(answers) == 10.0
    summary = summarize("nps", NPS_SCALE, answers)
    assert (summary.value, summary.positive, summary.neutral, summary.negative) == (10.0, 4, 3, 3)


def test_v6_csat() -> None:
    answers = [5, 4, 4, 3, 2, 5, 1, 4]
    assert csat(answers, CSAT_SCALE) == 0.625
    assert mean(answers) == 3.5
    summary = summarize("csat", CSAT_SCALE, answers)
    assert (summary.value, summary.mean, summary.negative) == (0.625, 3.5, 2)


def test_v6_ces() -> None:
    answers = [7, 6, 5, 7, 3]
    assert mean(answers) == pytest.approx(5.6)
    assert ces_easy_share(answers, CES_SCALE) == pytest.approx(0.8)
    summary = summarize("ces", CES_SCALE, answers)
    assert summary.value == pytest.approx(5.6)
    assert summary.share_positive == pytest.approx(0.8)


def test_csat_top_two_follows_the_stored_scale() -> None:
    # On 1-10, the top-2 box is 9-10: an 8 is not in it.
    assert csat([10, 9, 8, 1], Scale(1, 10)) == 0.5
    assert score_group("csat", Scale(1, 10), 8) == "neutral"
    assert score_group("csat", Scale(1, 10), 2) == "negative"


def test_ces_easy_share_generalises_to_other_scales() -> None:
    assert ces_easy_share([5, 4, 3], Scale(1, 5)) == pytest.approx(2 / 3)  # 4-5 easy
    assert ces_easy_share([7, 6, 10], Scale(1, 10)) == pytest.approx(2 / 3)  # 7-10 easy
    assert [score_group("ces", CES_SCALE, s) for s in (3, 4, 5)] == [
        "negative",
        "neutral",
        "positive",
    ]


def test_no_answers_give_no_value() -> None:
    assert nps([]) is None
    assert csat([], CSAT_SCALE) is None
    assert summarize("ces", CES_SCALE, []).value is None


def test_distribution_lists_every_point() -> None:
    assert distribution(CSAT_SCALE, [5, 5, 1]) == [(1, 1), (2, 0), (3, 0), (4, 0), (5, 2)]


@given(st.lists(st.integers(0, 10), min_size=1))
def test_nps_is_between_minus_100_and_100(scores: list[int]) -> None:
    value = nps(scores)
    assert value is not None
    assert -100 <= value <= 100
    summary = summarize("nps", NPS_SCALE, scores)
    assert summary.positive + summary.neutral + summary.negative == len(scores)


@given(st.lists(st.integers(0, 10), min_size=1))
def test_nps_does_not_depend_on_order_or_repetition(scores: list[int]) -> None:
    assert nps(list(reversed(scores))) == pytest.approx(nps(scores))
    assert nps(scores * 3) == pytest.approx(nps(scores))


@given(
    st.integers(-5, 5).flatmap(
        lambda low: st.tuples(st.just(low), st.integers(low + 2, low + 12)).flatmap(
            lambda b: st.tuples(st.just(b), st.lists(st.integers(b[0], b[1]), min_size=1))
        )
    )
)
def test_shares_and_means_stay_on_the_scale(case: tuple[tuple[int, int], list[int]]) -> None:
    (low, high), scores = case
    scale = Scale(low, high)
    for value in (csat(scores, scale), ces_easy_share(scores, scale)):
        assert value is not None
        assert 0 <= value <= 1
    average = mean(scores)
    assert average is not None
    assert low <= average <= high
    # Adding a top answer never lowers the top-2 share.
    share = csat(scores, scale)
    raised = csat([*scores, high], scale)
    assert share is not None
    assert raised is not None
    assert raised >= share
