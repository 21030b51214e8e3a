"""Small pure helpers of the pages: chart geometry, readable history, navigation registry."""

from __future__ import annotations

import datetime as dt

import pytest

from quarterdeck.audit.models import AuditEntry
from quarterdeck.portfolio.models import Stage
from quarterdeck.web import nav
from quarterdeck.web.charts import stacked_bars
from quarterdeck.web.feed import change_summary, relative_time
from quarterdeck.web.forms.portfolio import links_text, parse_links
from quarterdeck.web.history import history_row
from quarterdeck.web.nav import ADMIN, MAIN, TEAM, NavItem, links_for, register
from quarterdeck.web.people_readers import wrap_lines
from tests.personas import Personas


def test_stacked_bars_fill_the_width_in_stage_order() -> None:
    chart = stacked_bars(
        [("Products", {"build": 1, "idea": 3}), ("Lines", {})],
        Stage.choices,
        width=500,
        label_width=100,
    )
    products, lines = chart.rows
    assert [s.key for s in products.segments] == ["idea", "build"]
    assert [s.width for s in products.segments] == [300, 100]
    assert products.segments[1].x == 400
    assert products.total == 4
    assert lines.segments == []
    assert lines.total == 0


def test_history_rows_read_like_a_person_would_say_it() -> None:
    entry = AuditEntry(
        at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        actor_label="lena@example.com",
        action="update",
        object_type="product",
        object_id="7",
        object_repr="Atlas",
        changes={
            "stage": ["build", "launch"],
            "owner": [3, None],
            "line": [1, 2],
            "target_segments": [[], ["SMB", "EU"]],
            "links": [[], [{"label": "Spec", "url": "https://x.test"}]],
            "version": [1, 2],
        },
    )
    row = history_row(entry, {"person": {3: "Mia Member"}, "line": {1: "Platform"}})
    changes = {c.field: (c.before, c.after) for c in row.changes}
    assert changes == {
        "Stage": ("Build", "Launch"),
        "Owner": ("Mia Member", "—"),
        "Product line": ("Platform", "#2 (deleted)"),
        "Target segments": ("—", "SMB, EU"),
        "Links": ("—", "Spec (https://x.test)"),
    }
    assert row.action_label == "Updated"


def update(changes: dict[str, list[object]]) -> AuditEntry:
    return AuditEntry(
        at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        action="update",
        object_type="product",
        object_id="7",
        object_repr="Atlas",
        changes=changes,
    )


def test_change_summaries_quote_short_values_and_name_the_rest() -> None:
    people = {"person": {3: "Mia Member", 4: "Max Manager"}}
    summary = change_summary(
        history_row(update({"description": ["a", "b" * 40], "stage": ["build", "launch"]}), people)
    )
    assert summary == "stage Build → Launch; description changed"
    owner_first = update({"name": ["A", "B"], "owner": [3, 4], "stage": ["idea", "build"]})
    assert change_summary(history_row(owner_first, people)) == (
        "stage Idea → Build; owner Mia Member → Max Manager; name changed"
    )
    assert change_summary(history_row(update({"owner": [None, 3]}), people)) == (
        "owner set to Mia Member"
    )
    assert change_summary(history_row(update({"owner": [3, None]}), people)) == "owner cleared"
    created = update({"name": [None, "Atlas"]})
    created.action = "create"
    assert change_summary(history_row(created, people)) == ""


def test_team_members_in_the_history_read_as_names() -> None:
    entry = update({"members": [[3], [3, 4, 9]]})
    entry.object_type = "team"
    row = history_row(entry, {"person": {3: "Mia Member", 4: "Max Manager"}})
    assert [(c.before, c.after) for c in row.changes] == [
        ("Mia Member", "Mia Member, Max Manager, #9 (deleted)")
    ]


def test_relative_times_are_short() -> None:
    now = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
    ago = [
        dt.timedelta(seconds=5),
        dt.timedelta(minutes=5),
        dt.timedelta(hours=3),
        dt.timedelta(hours=30),
        dt.timedelta(days=4),
        dt.timedelta(days=20),
        dt.timedelta(days=400),
    ]
    assert [relative_time(now - delta, now) for delta in ago] == [
        "just now",
        "5 min ago",
        "3 h ago",
        "yesterday",
        "4 days ago",
        "18 Feb",
        "3 Feb 2025",
    ]


def test_titles_wrap_onto_two_lines_at_most() -> None:
    assert wrap_lines("Head of Data", 24) == ["Head of Data"]
    assert wrap_lines("Group PM, Fleet Operations", 24) == ["Group PM,", "Fleet Operations"]
    assert wrap_lines("Engineering Manager of the Warehouse", 24) == [
        "Engineering Manager of",
        "the Warehouse",
    ]
    assert wrap_lines("A very long title that goes on and on and on", 16) == [
        "A very long",
        "title that goes…",
    ]
    assert wrap_lines("Supercalifragilisticexpialidocious", 10) == ["Supercali…"]


def test_links_round_trip_through_the_textarea() -> None:
    links = parse_links("Spec https://a.test/spec\n\nhttps://b.test\n  Design doc  https://c.test ")
    assert links == [
        {"label": "Spec", "url": "https://a.test/spec"},
        {"label": "https://b.test", "url": "https://b.test"},
        {"label": "Design doc", "url": "https://c.test"},
    ]
    assert parse_links(links_text(links)) == links


@pytest.mark.django_db
def test_nav_shows_registered_pages_that_exist_and_marks_the_current_one(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(nav, "_registry", dict(nav._registry))
    register(NavItem("Reviews", "reviews_home_that_does_not_exist", order=40))
    main = links_for(personas.viewer, "/people/org-chart/", MAIN)
    labels = [link.label for link in main]
    assert labels[:2] == ["Home", "Portfolio"]
    assert "Reviews" not in labels  # its page does not exist (yet)
    assert "Roadmap" in labels
    team = links_for(personas.viewer, "/people/org-chart/", TEAM)
    assert [link.label for link in team] == ["People", "Org chart", "Teams"]
    assert [link.label for link in team if link.current] == ["Org chart"]
    assert not any(link.current for link in main)
    assert links_for(personas.viewer, "/", ADMIN) == []
    assert [link.label for link in links_for(personas.admin, "/", ADMIN)] == [
        "Audit log",
        "Users",
        "Django admin",
    ]
