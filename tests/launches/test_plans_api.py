"""Launch plans through the API: templates, plans from templates, tasks, permissions, versions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from quarterdeck.launches.models import LaunchPlan, LaunchStatus, LaunchTask
from quarterdeck.people.models import Function, Person
from tests.api.client import Api
from tests.personas import Personas

LAUNCH = dt.date(2027, 2, 15)


def _create(p: Personas, user: Any = None, **extra: Any) -> dict[str, Any]:
    body = {"feature_id": p.search.pk, "template": "Feature launch", "launch_on": "2027-02-15"}
    response = Api(user or p.member).post("/launch-plans", {**body, **extra})
    assert response.status_code == 201, response.content
    return dict(response.json())


def _task(plan: dict[str, Any], title: str) -> dict[str, Any]:
    return next(t for t in plan["tasks"] if t["title"] == title)


def test_plan_from_template_has_due_dates_dependencies_and_owners(personas: Personas) -> None:
    engineer = Person.objects.create(name="Erin Engineer", function=Function.ENGINEERING)
    engineer.teams.add(personas.team)  # Mia (the feature's owner) is in this team
    plan = _create(personas)
    assert plan["name"] == "Atlas Search launch"
    assert plan["phases"] == ["Prepare", "Beta", "Launch", "Follow-up"]
    qa, spec = _task(plan, "QA complete"), _task(plan, "Spec sign-off")
    assert qa["due_on"] == str(LAUNCH - dt.timedelta(days=14))
    assert spec["due_on"] == str(LAUNCH - dt.timedelta(days=42))
    assert qa["owner"] == {"id": engineer.pk, "name": "Erin Engineer"}
    assert spec["owner"]["id"] == personas.people["mia"].pk  # product tasks: the item's owner
    assert _task(plan, "Help-centre docs")["owner"] is None  # no support person in the team
    beta = _task(plan, "Beta with design partners")
    assert qa["depends_on"] == [beta["id"]]
    assert qa["waiting_for"] == ["Beta with design partners"]
    launch = _task(plan, "Launch")
    assert launch["milestone"]
    assert launch["due_on"] == "2027-02-15"
    assert plan["next_milestone"]["title"] == "Spec sign-off"
    assert plan["progress"] == {"name": "all", "done": 0, "total": len(plan["tasks"])}


def test_moving_the_launch_day_shifts_open_tasks_only(personas: Personas) -> None:
    plan = _create(personas)
    spec = _task(plan, "Spec sign-off")
    api = Api(personas.member)
    done = api.patch(f"/launch-tasks/{spec['id']}", {"status": "done"}, if_match=spec["version"])
    assert done.status_code == 200, done.content
    moved = api.patch(f"/launch-plans/{plan['id']}", {"launch_on": "2027-03-01"}, if_match=1)
    assert moved.status_code == 200, moved.content
    after = moved.json()
    assert _task(after, "QA complete")["due_on"] == "2027-02-15"  # 14 days later than before
    assert _task(after, "Spec sign-off")["due_on"] == spec["due_on"]  # done: stays
    kept = api.patch(
        f"/launch-plans/{plan['id']}?shift_tasks=false", {"launch_on": "2027-04-01"}, if_match=2
    )
    assert _task(kept.json(), "QA complete")["due_on"] == "2027-02-15"


def test_versions_are_checked(personas: Personas) -> None:
    plan = _create(personas)
    api = Api(personas.member)
    assert api.patch(f"/launch-plans/{plan['id']}", {"name": "X"}).status_code == 428
    stale = api.patch(f"/launch-plans/{plan['id']}", {"name": "X"}, if_match=7)
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 1
    task = plan["tasks"][0]
    stale_task = api.patch(f"/launch-tasks/{task['id']}", {"title": "Y"}, if_match=9)
    assert stale_task.status_code == 412


def test_who_may_change_plans_and_tasks(personas: Personas) -> None:
    plan = _create(personas)
    task = _task(plan, "Sales enablement (deck, demo script)")
    for user in (personas.outsider, personas.viewer, personas.contributor):
        api = Api(user)
        assert api.get(f"/launch-plans/{plan['id']}").status_code == 200
        denied = api.patch(f"/launch-plans/{plan['id']}", {"name": "Mine"}, if_match=1)
        assert denied.status_code == 403, user
        status = api.patch(f"/launch-tasks/{task['id']}", {"status": "done"}, if_match=1)
        assert status.status_code == 403, user
    assert (
        Api(personas.outsider)
        .post("/launch-plans", {"feature_id": personas.search.pk, "launch_on": "2027-01-01"})
        .status_code
        == 403
    )


def test_a_task_owner_sets_the_status_of_their_task_only(personas: Personas) -> None:
    plan = _create(personas)
    task = _task(plan, "Sales enablement (deck, demo script)")
    carl = personas.people["carl"]
    LaunchTask.objects.filter(pk=task["id"]).update(owner=carl)
    api = Api(personas.contributor)
    ok = api.patch(f"/launch-tasks/{task['id']}", {"status": "doing"}, if_match=1)
    assert ok.status_code == 200
    assert ok.json()["status"] == "doing"
    title = api.patch(f"/launch-tasks/{task['id']}", {"title": "Mine"}, if_match=2)
    assert title.status_code == 403
    other = _task(plan, "QA complete")
    assert (
        api.patch(f"/launch-tasks/{other['id']}", {"status": "done"}, if_match=1).status_code == 403
    )


def test_tasks_add_edit_reorder_delete(personas: Personas) -> None:
    plan = _create(personas)
    api = Api(personas.member)
    added = api.post(
        f"/launch-plans/{plan['id']}/tasks",
        {
            "title": "Partner webinar",
            "function": "marketing",
            "phase": "Launch",
            "due_on": "2027-02-20",
            "depends_on": [_task(plan, "Launch")["id"]],
        },
    )
    assert added.status_code == 201, added.content
    new = added.json()
    assert new["waiting_for"] == ["Launch"]
    bad_phase = api.post(
        f"/launch-plans/{plan['id']}/tasks", {"title": "X", "function": "sales", "phase": "Nope"}
    )
    assert bad_phase.status_code == 400
    assert "phase" in bad_phase.json()["fields"]
    cycle = api.patch(
        f"/launch-tasks/{_task(plan, 'Launch')['id']}",
        {"depends_on": [new["id"]]},
        if_match=1,
    )
    assert cycle.status_code == 400
    assert "cycle" in cycle.json()["fields"]["depends_on"][0]
    ids = [t["id"] for t in plan["tasks"]] + [new["id"]]
    order = api.put(f"/launch-plans/{plan['id']}/task-order", {"order": ids[::-1]})
    assert order.status_code == 200
    assert order.json()[0]["id"] == new["id"]
    assert api.put(f"/launch-plans/{plan['id']}/task-order", {"order": ids[:3]}).status_code == 400
    assert api.delete(f"/launch-tasks/{new['id']}", if_match=2).status_code == 204
    assert not LaunchTask.objects.filter(pk=new["id"]).exists()


def test_bad_input_is_a_400_naming_the_field(personas: Personas) -> None:
    api = Api(personas.member)
    missing = api.post("/launch-plans", {"launch_on": "2027-01-01"})
    assert missing.status_code == 400
    assert "feature_id" in missing.json()["fields"]
    template = api.post(
        "/launch-plans",
        {"feature_id": personas.search.pk, "template": "Nope", "launch_on": "2027-01-01"},
    )
    assert template.status_code == 400
    assert "template" in template.json()["fields"]
    assert (
        api.post(
            "/launch-plans", {"feature_id": personas.search.pk, "launch_on": "soon"}
        ).status_code
        == 422
    )


def test_templates_are_edited_by_leaders_with_checked_json(personas: Personas) -> None:
    listed = Api(personas.viewer).get("/launch-templates").json()
    assert {t["name"] for t in listed} >= {
        "Feature launch",
        "Major product launch",
        "Beta programme",
    }
    body: dict[str, Any] = {
        "name": "Tiny",
        "phases": ["Go"],
        "tasks": [
            {
                "key": "a",
                "phase": "Go",
                "title": "A",
                "function": "product",
                "offset_days": -1,
                "depends_on": ["b"],
            },
            {"key": "b", "phase": "Go", "title": "B", "function": "product", "depends_on": ["a"]},
        ],
    }
    assert Api(personas.manager).post("/launch-templates", body).status_code == 403
    cyclic = Api(personas.leader).post("/launch-templates", body)
    assert cyclic.status_code == 400
    assert "cycle: a → b → a" in cyclic.json()["fields"]["tasks"][0]
    body["tasks"][1]["depends_on"] = ["zzz"]
    unknown = Api(personas.leader).post("/launch-templates", body)
    assert "tasks[1].depends_on: unknown task key “zzz”" in unknown.json()["fields"]["tasks"][0]
    body["tasks"][1]["depends_on"] = []
    made = Api(personas.leader).post("/launch-templates", body)
    assert made.status_code == 201, made.content
    renamed = Api(personas.leader).patch(
        f"/launch-templates/{made.json()['id']}", {"name": "Small"}, if_match=1
    )
    assert renamed.status_code == 200
    assert renamed.json()["version"] == 2


def test_mark_launched_and_cancel(personas: Personas) -> None:
    plan = _create(personas)
    api = Api(personas.member)
    launched = api.post(f"/launch-plans/{plan['id']}/launched", {"on": "2027-02-16"})
    assert launched.status_code == 428
    launched = api.send(
        "POST", f"/launch-plans/{plan['id']}/launched", {"on": "2027-02-16"}, if_match=1
    )
    assert launched.status_code == 200, launched.content
    assert launched.json()["status"] == "launched"
    assert launched.json()["launched_on"] == "2027-02-16"
    back = api.patch(f"/launch-plans/{plan['id']}", {"status": "planned"}, if_match=2)
    assert back.json()["launched_on"] is None
    refused = api.patch(f"/launch-plans/{plan['id']}", {"status": "launched"}, if_match=3)
    assert refused.status_code == 422  # only planned / cancelled through PATCH


@pytest.mark.parametrize("role", ["viewer", "contributor", "outsider"])
def test_lists_are_read_by_every_signed_in_user(personas: Personas, role: str) -> None:
    _create(personas)
    listed = Api(personas.by_role()[role]).get(
        "/launch-plans", start="2027-02-01", end="2027-02-28"
    )
    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    none = Api(personas.by_role()[role]).get("/launch-plans", start="2027-03-01")
    assert none.json()["count"] == 0
    assert Api(None).get("/launch-plans").status_code == 401


def test_plan_delete(personas: Personas) -> None:
    plan = _create(personas)
    assert (
        Api(personas.outsider).delete(f"/launch-plans/{plan['id']}", if_match=1).status_code == 403
    )
    assert (
        Api(personas.manager).delete(f"/launch-plans/{plan['id']}", if_match=1).status_code == 204
    )
    assert not LaunchPlan.objects.filter(status=LaunchStatus.PLANNED).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("leader", 200),
        ("manager", 200),
        ("member", 200),
        ("contributor", 403),
        ("viewer", 403),
        ("outsider", 403),
        ("anonymous", 401),
    ],
)
def test_mark_launched_by_role(personas: Personas, role: str, expected: int) -> None:
    plan = _create(personas)
    user = None if role == "anonymous" else personas.by_role()[role]
    response = Api(user).send(
        "POST", f"/launch-plans/{plan['id']}/launched", {"on": "2027-02-16"}, if_match=1
    )
    assert response.status_code == expected, response.content
