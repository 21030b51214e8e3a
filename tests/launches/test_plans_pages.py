"""Launch plan pages: new plan from the feature page, the plan page, edits, tasks, templates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from quarterdeck.launches import plans
from quarterdeck.launches.models import LaunchPlan, LaunchStatus, LaunchTask, LaunchTemplate
from tests.personas import Personas


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _plan(p: Personas, launch_on: dt.date | None = None) -> LaunchPlan:
    day = launch_on or timezone.localdate() + dt.timedelta(days=20)
    data = {"feature_id": p.search.pk, "template": "Feature launch", "launch_on": day}
    return plans.plan_create(actor=None, data=data)


def test_feature_page_card_offers_a_new_plan_to_writers_only(personas: Personas) -> None:
    _plan(personas)
    url = f"/portfolio/features/{personas.search.pk}/"
    mine = _client(personas.member).get(url).content.decode()
    assert "Launch plans" in mine
    assert "Atlas Search launch" in mine
    assert f"/launches/plans/new/?feature={personas.search.pk}" in mine
    theirs = _client(personas.viewer).get(url).content.decode()
    assert "Atlas Search launch" in theirs
    assert "/launches/plans/new/" not in theirs


def test_product_page_card_lists_its_features_plans(personas: Personas) -> None:
    _plan(personas)
    html = _client(personas.member).get(f"/portfolio/products/{personas.atlas.pk}/").content
    page = html.decode()
    assert "Atlas Search launch" in page
    assert f"/launches/plans/new/?product={personas.atlas.pk}" in page


def test_new_plan_form_creates_from_a_template(personas: Personas) -> None:
    client = _client(personas.member)
    url = f"/launches/plans/new/?feature={personas.search.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Feature launch" in page.content.decode()
    template = LaunchTemplate.objects.get(name="Beta programme")
    bad = client.post(url, {"template_id": template.pk, "launch_on": ""})
    assert bad.status_code == 400
    assert "This field is required" in bad.content.decode()
    made = client.post(url, {"template_id": template.pk, "launch_on": "2027-05-03"})
    assert made.status_code == 302
    plan = LaunchPlan.objects.get()
    assert made["Location"] == f"/launches/plans/{plan.pk}/"
    assert plan.tasks.count() == len(template.tasks)
    assert _client(personas.outsider).get(url).status_code == 403


def test_plan_page_shows_phases_waiting_overdue_and_progress(personas: Personas) -> None:
    plan = _plan(personas)  # launch in 20 days: "Spec sign-off" (-42) is overdue
    html = _client(personas.viewer).get(f"/launches/plans/{plan.pk}/").content.decode()
    assert 'class="lp-timeline"' in html
    for text in ("Prepare", "Beta", "Follow-up", "Spec sign-off", "overdue", "waiting for"):
        assert text in html, text
    assert "Mark launched" not in html
    assert 'name="status"' not in html
    mine = _client(personas.member).get(f"/launches/plans/{plan.pk}/").content.decode()
    assert "Mark launched" in mine
    assert 'name="status"' in mine
    assert "Add a task" in mine


def test_status_select_answers_the_row_for_htmx(personas: Personas) -> None:
    plan = _plan(personas)
    task = plan.tasks.get(title="Spec sign-off")
    response = _client(personas.member).post(
        f"/launches/tasks/{task.pk}/status/",
        {"status": "done", "version": task.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.strip().startswith("<tr")
    assert 'value="done" selected' in html
    stale = _client(personas.member).post(
        f"/launches/tasks/{task.pk}/status/",
        {"status": "todo", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.content.decode()


def test_a_task_owner_sets_the_status_from_the_page(personas: Personas) -> None:
    plan = _plan(personas)
    task = plan.tasks.get(title="Sales enablement (deck, demo script)")
    LaunchTask.objects.filter(pk=task.pk).update(owner=personas.people["carl"])
    client = _client(personas.contributor)
    html = client.get(f"/launches/plans/{plan.pk}/").content.decode()
    assert f'id="status-{task.pk}"' in html
    assert html.count('name="status"') == 1  # only the task Carl owns
    done = client.post(f"/launches/tasks/{task.pk}/status/", {"status": "done", "version": 1})
    assert done.status_code == 302
    assert LaunchTask.objects.get(pk=task.pk).status == "done"
    assert client.get(f"/launches/tasks/{task.pk}/edit/").status_code == 403


def test_edit_moves_open_tasks_unless_unticked(personas: Personas) -> None:
    plan = _plan(personas, dt.date(2027, 2, 15))
    client = _client(personas.member)
    url = f"/launches/plans/{plan.pk}/edit/"
    assert client.get(url).status_code == 200
    form = {
        "name": "Search GA",
        "launch_on": "2027-02-22",
        "owner_id": "",
        "status": "planned",
        "notes": "",
        "version": 1,
        "shift_tasks": "on",
    }
    assert client.post(url, form).status_code == 302
    assert plan.tasks.get(title="Launch").due_on == dt.date(2027, 2, 22)
    form.update(launch_on="2027-03-01", version=2, shift_tasks="")
    assert client.post(url, form).status_code == 302
    assert plan.tasks.get(title="Launch").due_on == dt.date(2027, 2, 22)
    stale = client.post(url, {**form, "name": "Old", "version": 1})
    assert stale.status_code == 409
    assert "Someone else changed this plan" in stale.content.decode()


def test_task_add_edit_move_delete_pages(personas: Personas) -> None:
    plan = _plan(personas)
    client = _client(personas.member)
    added = client.post(
        f"/launches/plans/{plan.pk}/tasks/",
        {
            "title": "Partner newsletter",
            "phase": "Launch",
            "function": "marketing",
            "status": "todo",
        },
    )
    assert added.status_code == 302, added.content
    task = plan.tasks.get(title="Partner newsletter")
    bad = client.post(f"/launches/plans/{plan.pk}/tasks/", {"title": "", "phase": "Launch"})
    assert bad.status_code == 400
    edit = f"/launches/tasks/{task.pk}/edit/"
    assert client.get(edit).status_code == 200
    launch = plan.tasks.get(title="Launch")
    saved = client.post(
        edit,
        {
            "title": "Partner newsletter",
            "phase": "Launch",
            "function": "marketing",
            "status": "doing",
            "depends_on": [launch.pk],
            "version": 1,
        },
    )
    assert saved.status_code == 302
    assert list(LaunchTask.objects.get(pk=task.pk).depends_on.all()) == [launch]
    before = LaunchTask.objects.get(pk=task.pk).position
    client.post(f"/launches/tasks/{task.pk}/move/", {"direction": "up"})
    assert LaunchTask.objects.get(pk=task.pk).position == before - 1
    assert client.post(f"/launches/tasks/{task.pk}/delete/", {"version": 3}).status_code == 302
    assert not LaunchTask.objects.filter(pk=task.pk).exists()


def test_mark_launched_and_delete_from_the_page(personas: Personas) -> None:
    plan = _plan(personas)
    client = _client(personas.member)
    done = client.post(f"/launches/plans/{plan.pk}/launched/", {"on": "2027-01-10", "version": 1})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.status == LaunchStatus.LAUNCHED
    assert plan.launched_on == dt.date(2027, 1, 10)
    gone = client.post(f"/launches/plans/{plan.pk}/delete/", {"version": plan.version})
    assert gone.status_code == 302
    assert gone["Location"] == f"/portfolio/features/{personas.search.pk}/"


def test_templates_pages(personas: Personas) -> None:
    viewer = _client(personas.viewer)
    listing = viewer.get("/launches/templates/").content.decode()
    assert "Major product launch" in listing
    assert "New template" not in listing
    template = LaunchTemplate.objects.get(name="Feature launch")
    page = viewer.get(f"/launches/templates/{template.pk}/").content.decode()
    assert "Support training" in page
    assert "42 days before" in page
    leader = _client(personas.leader)
    assert leader.get("/launches/templates/new/").status_code == 200
    bad = leader.post("/launches/templates/new/", {"name": "T", "phases": "Go", "tasks": "[{"})
    assert bad.status_code == 400
    assert "Not valid JSON" in bad.content.decode()
    cyc = leader.post(
        "/launches/templates/new/",
        {
            "name": "T",
            "phases": "Go",
            "tasks": (
                '[{"key": "a", "phase": "Go", "title": "A", "function": "sales", '
                '"depends_on": ["a"]}]'
            ),
        },
    )
    assert cyc.status_code == 400
    assert "cycle: a → a" in cyc.content.decode()
    ok = leader.post("/launches/templates/new/", {"name": "T", "phases": "Go", "tasks": "[]"})
    assert ok.status_code == 302
    assert _client(personas.manager).get("/launches/templates/new/").status_code == 403
