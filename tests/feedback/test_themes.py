"""Themes: re-clustering a planted corpus, names kept across runs, merge, split, trend."""

from __future__ import annotations

from collections import Counter

import pytest

from quarterdeck.feedback.models import FeedbackItem, Theme, ThemeRun
from tests.api.client import Api
from tests.feedback.insight_factory import days_ago, item, items
from tests.personas import Personas

pytestmark = pytest.mark.django_db

PLANTED = {
    "login": [
        "I can't log in, the password reset e-mail never arrives",
        "Login fails every morning and I have to reset my password",
        "The sign-in page rejects my password although it is correct",
        "Password reset link expired before I could log in",
        "Two-factor login code never arrives so I cannot sign in",
        "Locked out of my account again after the login error",
    ],
    "export": [
        "Please let me export my reports to Excel",
        "We need a CSV export of all invoices",
        "Exporting data to a spreadsheet would save us hours",
        "Add a download button to export the table as CSV",
        "I want to export the monthly report to Excel for my boss",
        "Export of customer lists to CSV is missing",
    ],
    "mobile": [
        "The iPhone app crashes when I open a photo",
        "Android app keeps crashing on startup",
        "The mobile app freezes and crashes after the update",
        "App crashes on my phone whenever I rotate the screen",
        "Since the last update the Android app crashes constantly",
        "The mobile app on my tablet crashes when uploading pictures",
    ],
}


@pytest.fixture
def planted(personas: Personas) -> dict[str, list[FeedbackItem]]:
    texts = [t for group in PLANTED.values() for t in group]
    made = items(texts, product=personas.atlas)
    it = iter(made)
    return {topic: [next(it) for _ in group] for topic, group in PLANTED.items()}


def _recluster(personas: Personas) -> dict[str, object]:
    response = Api(personas.member).post("/themes/recluster", {})
    assert response.status_code == 201, response.content
    body: dict[str, object] = response.json()
    return body


def _theme_of(items_: list[FeedbackItem]) -> Counter[int | None]:
    return Counter(FeedbackItem.objects.get(pk=i.pk).theme_id for i in items_)


def test_recluster_finds_the_planted_themes(
    personas: Personas, planted: dict[str, list[FeedbackItem]]
) -> None:
    run = _recluster(personas)
    assert run["items"] == 18
    assert run["themes"] == 3
    seen = set()
    for topic, members in planted.items():
        (theme_id, count), *_ = _theme_of(members).most_common(1)
        assert theme_id is not None, topic
        assert count >= 5, (topic, _theme_of(members))
        seen.add(theme_id)
    assert len(seen) == 3  # three different themes
    listed = Api(personas.viewer).get("/themes").json()
    assert len(listed) == 3
    labels = " ".join(t["name"].lower() + " " + " ".join(t["keywords"]) for t in listed)
    for word in ("export", "crash"):
        assert word in labels
    detail = Api(personas.viewer).get(f"/themes/{listed[0]['id']}").json()
    assert len(detail["examples"]) >= 3
    assert ThemeRun.objects.get().themes == 3


def test_a_renamed_theme_keeps_its_name_across_recluster(
    personas: Personas, planted: dict[str, list[FeedbackItem]]
) -> None:
    _recluster(personas)
    theme = FeedbackItem.objects.get(pk=planted["export"][0].pk).theme
    assert theme is not None
    api = Api(personas.member)
    missing = api.patch(f"/themes/{theme.pk}", {"name": "Data out"})
    assert missing.status_code == 428
    response = api.patch(f"/themes/{theme.pk}", {"name": "Data out"}, if_match=theme.version)
    assert response.status_code == 200, response.content
    assert response.json()["renamed"] is True
    item("Export everything to CSV in one click", product=personas.atlas)
    _recluster(personas)
    renamed = FeedbackItem.objects.get(pk=planted["export"][0].pk).theme
    assert renamed is not None
    assert renamed.name == "Data out"
    assert renamed.pk == theme.pk
    assert Theme.objects.filter(name="Data out").count() == 1


def test_merge_and_split(personas: Personas, planted: dict[str, list[FeedbackItem]]) -> None:
    _recluster(personas)
    login = FeedbackItem.objects.get(pk=planted["login"][0].pk).theme
    mobile = FeedbackItem.objects.get(pk=planted["mobile"][0].pk).theme
    assert login is not None
    assert mobile is not None
    api = Api(personas.member)
    old_centroid = bytes(login.centroid or b"")
    merged = api.post("/themes/merge", {"theme_ids": [login.pk, mobile.pk], "name": "Broken"})
    assert merged.status_code == 200, merged.content
    assert merged.json()["name"] == "Broken"
    assert merged.json()["size"] == 12
    assert Theme.objects.count() == 2
    target = Theme.objects.get(pk=merged.json()["id"])
    assert bytes(target.centroid or b"") != old_centroid  # recomputed over both
    one = api.post("/themes/merge", {"theme_ids": [login.pk, login.pk]})
    assert one.status_code in {400, 404}
    split = api.post(f"/themes/{target.pk}/split", {})
    assert split.status_code == 200, split.content
    parts = split.json()
    assert len(parts) >= 2
    assert sum(p["size"] for p in parts) == 12
    login_part = _theme_of(planted["login"]).most_common(1)[0][0]
    mobile_part = _theme_of(planted["mobile"]).most_common(1)[0][0]
    assert login_part != mobile_part


def test_a_tight_theme_is_still_split_in_two(personas: Personas) -> None:
    made = items(PLANTED["export"][:4], product=personas.atlas)
    theme = Theme.objects.create(name="Exports", size=4)
    FeedbackItem.objects.filter(pk__in=[i.pk for i in made]).update(theme=theme)
    parts = Api(personas.member).post(f"/themes/{theme.pk}/split", {}).json()
    assert len(parts) == 2
    assert sorted(p["size"] for p in parts) in ([1, 3], [2, 2])


def test_trend_counts_items_per_iso_week(personas: Personas) -> None:
    theme = Theme.objects.create(name="Exports")
    for age in (0, 0, 8, 30):
        item("Export to CSV please", product=personas.atlas, received_at=days_ago(age), theme=theme)
    item("Very old export ask", product=personas.atlas, received_at=days_ago(400), theme=theme)
    response = Api(personas.viewer).get(f"/themes/{theme.pk}/trend", weeks=6)
    assert response.status_code == 200
    weeks = response.json()
    assert len(weeks) == 6
    assert weeks[-1]["count"] == 2
    assert sum(w["count"] for w in weeks) == 4  # the 400-day-old one is outside
    assert [w["week"] for w in weeks] == sorted(w["week"] for w in weeks)
    assert Api(personas.viewer).get(f"/themes/{theme.pk}/trend", weeks=0).status_code == 422


def test_new_items_are_placed_in_a_theme(
    personas: Personas, planted: dict[str, list[FeedbackItem]]
) -> None:
    from quarterdeck.feedback.ml.vectors import from_bytes
    from quarterdeck.feedback.themes import theme_place

    _recluster(personas)
    crash = item("My Android phone app crashes when I open it", product=personas.atlas)
    placed = theme_place(crash, from_bytes(bytes(crash.embedding or b"")))
    expected = FeedbackItem.objects.get(pk=planted["mobile"][0].pk).theme
    assert placed == expected
    assert FeedbackItem.objects.get(pk=crash.pk).theme == expected


def test_viewers_read_themes_but_do_not_change_them(
    personas: Personas, planted: dict[str, list[FeedbackItem]]
) -> None:
    _recluster(personas)
    theme = Theme.objects.first()
    assert theme is not None
    viewer = Api(personas.viewer)
    assert viewer.get(f"/themes/{theme.pk}").status_code == 200
    assert (
        viewer.patch(f"/themes/{theme.pk}", {"name": "x"}, if_match=theme.version).status_code
        == 403
    )
    assert viewer.post("/themes/recluster", {}).status_code == 403
    assert viewer.post(f"/themes/{theme.pk}/split", {}).status_code == 403


def test_cli_themes(personas: Personas, planted: dict[str, list[FeedbackItem]]) -> None:
    from click.testing import CliRunner

    from quarterdeck.cli import cli

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["feedback", "themes", *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "18 items in 3 themes" in run("recluster")
    first, second = Theme.objects.order_by("pk")[:2]
    assert "Account access" in run("rename", str(first.pk), "Account access")
    assert "Account access" in run("list")
    merged = run("merge", str(first.pk), str(second.pk), "--name", "Both")
    assert "Both" in merged
    assert "12 items" in merged
    assert "Split into" in run("split", str(Theme.objects.get(name="Both").pk))
    missing = CliRunner().invoke(cli, ["feedback", "themes", "rename", "999999", "x"])
    assert missing.exit_code == 1
    assert "no theme with id 999999" in missing.output
