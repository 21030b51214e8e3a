"""The ML core on small real-text corpora: themes, placement, duplicates, linking, sentiment."""

from __future__ import annotations

import numpy as np
import pytest

from quarterdeck.feedback.ml import linking, themes
from quarterdeck.feedback.ml.dedup import DUPLICATE_THRESHOLD, near_duplicates
from quarterdeck.feedback.ml.encoder import embed
from quarterdeck.feedback.ml.sentiment import sentiment
from quarterdeck.feedback.ml.vectors import normalise

GROUPS = {
    "export": [
        "Please let us export reports to Excel",
        "I need to export my dashboard to a spreadsheet",
        "Export to CSV would save me hours every week",
        "Can reports be exported as Excel files?",
        "We want to download the data as a CSV export",
        "Exporting charts to Excel is a must for our finance team",
    ],
    "login": [
        "I can't log in, the password reset email never arrives",
        "Login fails after I reset my password",
        "The sign in page keeps rejecting my password",
        "Password reset link is expired when I click it",
        "I get locked out of my account at every login",
        "Forgot password email does not come through",
    ],
    "mobile": [
        "The iPhone app crashes when I open it",
        "Android app freezes on startup",
        "The mobile app is very slow on my phone",
        "App crashes on my Samsung phone after the update",
        "The phone app drains the battery",
        "Mobile app keeps closing itself on iOS",
    ],
}


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], list[str], np.ndarray]:
    texts = [t for group in GROUPS.values() for t in group]
    truth = [name for name, group in GROUPS.items() for _ in group]
    return texts, truth, embed(texts).vectors


def test_cluster_finds_planted_groups_without_being_told_how_many(corpus) -> None:  # type: ignore[no-untyped-def]
    _texts, truth, X = corpus
    labels = themes.cluster(X)
    found = {name: {int(labels[i]) for i, t in enumerate(truth) if t == name} for name in GROUPS}
    assert all(len(ids) == 1 and -1 not in ids for ids in found.values()), found
    assert len({next(iter(ids)) for ids in found.values()}) == 3
    assert sorted(set(labels.tolist())) == [0, 1, 2]


def test_describe_gives_readable_labels_and_typical_members(corpus) -> None:  # type: ignore[no-untyped-def]
    texts, truth, X = corpus
    labels = themes.cluster(X)
    summaries = themes.describe(texts, labels, vectors=X)
    by_truth = {truth[s.representatives[0]]: s for s in summaries.values()}
    assert set(by_truth) == set(GROUPS)
    assert "export" in by_truth["export"].label
    assert any(w in by_truth["login"].label for w in ("password", "login"))
    assert " · " in by_truth["mobile"].label
    for name, summary in by_truth.items():
        assert len(summary.representatives) == 3
        assert all(truth[i] == name for i in summary.representatives)


def test_place_puts_new_feedback_in_its_theme_and_refuses_strangers(corpus) -> None:  # type: ignore[no-untyped-def]
    _texts, truth, X = corpus
    labels = themes.cluster(X)
    cents = themes.centroids(X, labels)
    C = np.stack([cents[t] for t in sorted(cents)])
    new = embed(["Our CFO wants the numbers exported to Excel", "What is the capital of Peru?"])
    row, score = themes.place(new.vectors[0], C)
    assert row is not None
    assert score >= themes.PLACE_THRESHOLD
    assert truth[int(np.flatnonzero(labels == row)[0])] == "export"
    assert themes.place(new.vectors[1], C)[0] is None


def test_near_duplicates_flag_rewordings_not_neighbours(corpus) -> None:  # type: ignore[no-untyped-def]
    texts, _, X = corpus
    new = embed(
        [
            "The iPhone app crashes when I open it!",
            "The mobile app crashes when I open it on my iPhone",
            "Android app is slow on startup",
        ]
    ).vectors
    assert near_duplicates(new[0], X)[0][0] == texts.index("The iPhone app crashes when I open it")
    assert all(score >= DUPLICATE_THRESHOLD for _, score in near_duplicates(new[1], X))
    assert near_duplicates(new[2], X) == []
    assert near_duplicates(new[0], X[:0]) == []


def _profile(key: int, text: np.ndarray, accepted: list[np.ndarray]) -> linking.Profile:
    centroid = normalise(np.mean(accepted, axis=0)) if accepted else None
    return linking.Profile(key, text, centroid, len(accepted), None, 0)


def test_rank_learns_from_accepted_links() -> None:
    features = embed(
        [
            linking.feature_text("Project Falcon", "", "Reports"),  # a vague code name
            linking.feature_text("Dark mode", "A dark colour theme for the app", "Reports"),
            linking.feature_text("Single sign-on", "Log in with Okta or Azure AD", "Reports"),
        ]
    ).vectors
    accepted = embed(
        [
            "Export my dashboard to Excel please",
            "We need CSV exports of every report",
            "Download the table as a spreadsheet",
        ]
    ).vectors
    item = embed(["Can I get the monthly numbers as an Excel file?"]).vectors[0]
    cold = [_profile(k, features[k], []) for k in range(3)]
    assert linking.rank(item, cold)[0][0] != 0  # the name alone says nothing of exports
    warm = [_profile(0, features[0], list(accepted)), *cold[1:]]
    ranked = linking.rank(item, warm, top=2)
    assert ranked[0][0] == 0
    assert ranked[0][1] >= linking.SUGGEST_THRESHOLD
    assert len(ranked) == 2


def test_rejections_push_a_profile_away() -> None:
    text, rejected, item = embed(
        ["Reporting", "Slow reports page", "The reports page is slow"]
    ).vectors
    plain = linking.Profile(1, text, None, 0, None, 0)
    pushed = linking.Profile(1, text, None, 0, rejected, 3)
    assert linking.rank(item, [pushed])[0][1] < linking.rank(item, [plain])[0][1] - 0.1


def test_sentiment_labels_with_vader_thresholds() -> None:
    result = sentiment(
        [
            "I love the new roadmap view, great work!",
            "The export is broken and I hate it",
            "The meeting is on Tuesday",
            "",
        ]
    )
    assert [label for label, _ in result] == ["positive", "negative", "neutral", "neutral"]
    assert result[0][1] >= 0.05
    assert result[1][1] <= -0.05
    assert all(-1 <= score <= 1 for _, score in result)
