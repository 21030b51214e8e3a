"""`quarterdeck launches plans | plan create / show / launched | task done | calendar`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from quarterdeck.cli import cli
from quarterdeck.launches.models import LaunchPlan, LaunchStatus, LaunchTask
from tests.personas import Personas

pytestmark = pytest.mark.django_db
ENV = {"COLUMNS": "200"}


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env=ENV)
    assert result.exit_code == 0, result.output
    return result.output


def test_create_show_done_and_list(personas: Personas) -> None:
    made = _run(
        "launches",
        "plan",
        "create",
        "Atlas/Atlas Search",
        "--template",
        "Feature launch",
        "--date",
        "2027-02-15",
    )
    plan = LaunchPlan.objects.get()
    assert f"Created launch plan {plan.pk} “Atlas Search launch” for 2027-02-15 with 14" in made
    shown = _run("launches", "plan", "show", str(plan.pk))
    assert "QA complete" in shown
    assert "2027-02-01" in shown
    assert "◆ Launch" in shown
    spec = plan.tasks.get(title="Spec sign-off")
    assert "done" in _run("launches", "task", "done", str(spec.pk)).lower()
    assert LaunchTask.objects.get(pk=spec.pk).status == "done"
    rows = json.loads(_run("launches", "plans", "--from", "2027-02-01", "--format", "json"))
    assert rows[0]["name"] == "Atlas Search launch"
    assert rows[0]["done"] == 1
    assert json.loads(_run("launches", "plans", "--to", "2027-01-31", "--format", "json")) == []
    table = _run("launches", "plans")
    assert "Atlas Search launch" in table
    assert "1/14" in table
    detail = json.loads(_run("launches", "plan", "show", str(plan.pk), "--format", "json"))
    assert len(detail["tasks"]) == 14


def test_calendar_and_launched(personas: Personas) -> None:
    _run("launches", "plan", "create", str(personas.search.pk), "--date", "2027-02-15")
    plan = LaunchPlan.objects.get()
    month = _run("launches", "calendar", "--month", "2027-02")
    assert "February 2027" in month
    assert "Launch: Atlas Search launch" in month
    events = json.loads(_run("launches", "calendar", "--month", "2027-02", "--format", "json"))
    assert [e["kind"] for e in events] == ["launch"]  # the "Launch" milestone is the launch
    march = json.loads(_run("launches", "calendar", "--month", "2027-03", "--format", "json"))
    assert [(e["kind"], e["on"]) for e in march] == [("milestone", "2027-03-17")]
    ics = _run("launches", "calendar", "--month", "2027-02", "--format", "ics")
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "DTSTART;VALUE=DATE:20270215" in ics
    _run("launches", "plan", "launched", str(plan.pk), "--on", "2027-02-16")
    plan.refresh_from_db()
    assert plan.status == LaunchStatus.LAUNCHED
    assert str(plan.launched_on) == "2027-02-16"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["launches", "plan", "create", "Nope", "--date", "2027-01-01"], "There is no feature"),
        (["launches", "plan", "create", "Atlas Search", "--date", "soon"], "is not a date"),
        (
            [
                "launches",
                "plan",
                "create",
                "Atlas Search",
                "--date",
                "2027-01-01",
                "--template",
                "Nope",
            ],
            "no template named",
        ),
        (["launches", "calendar", "--month", "Feb"], "is not a month"),
        (["launches", "plans", "--from", "x"], "is not a date"),
        (["launches", "task", "done", "999"], "no launch task"),
        (["launches", "plan", "show", "999"], "no launch plan"),
    ],
)
def test_bad_input_is_one_red_line(personas: Personas, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args, env=ENV)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
