"""The launch calendar: month grid, agenda, filters, the JSON calendar and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client

from quarterdeck.launches import plans
from quarterdeck.launches.models import LaunchPlan
from quarterdeck.launches.plans_calendar import fold
from tests.api.client import Api
from tests.personas import Personas


def _plans(p: Personas) -> tuple[LaunchPlan, LaunchPlan]:
    search = plans.plan_create(
        actor=None,
        data={"feature_id": p.search.pk, "template": "Feature launch", "launch_on": "2027-02-15"},
    )
    beacon = plans.plan_create(
        actor=None,
        data={
            "product_id": p.beacon.pk,
            "template": "Major product launch",
            "launch_on": "2027-02-24",
            "name": "Beacon 2.0",
        },
    )
    return search, beacon


def _client(p: Personas) -> Client:
    client = Client()
    client.force_login(p.viewer)
    return client


def test_month_grid_and_agenda(personas: Personas) -> None:
    _plans(personas)
    html = _client(personas).get("/launches/", {"month": "2027-02"}).content.decode()
    assert "February 2027" in html
    assert "Atlas Search launch" in html
    assert "Beacon 2.0" in html
    assert 'role="grid"' in html
    assert html.count('tabindex="0"') >= 1
    assert "?month=2027-01" in html
    assert "?month=2027-03" in html
    assert "Spec sign-off" not in html  # a milestone due on 4 Jan: another month


def test_filters_keep_the_matching_launches(personas: Personas) -> None:
    _plans(personas)
    client = _client(personas)
    growth = client.get("/launches/", {"month": "2027-02", "line_id": str(personas.growth.pk)})
    html = growth.content.decode()
    assert "Beacon 2.0" in html
    assert "Atlas Search launch" not in html
    bad = client.get("/launches/", {"month": "Feb"})
    assert bad.status_code == 400
    assert "is not a month" in bad.content.decode()
    far = client.get("/launches/", {"month": "9999-12"})
    assert far.status_code == 400
    assert "too far away" in far.content.decode()
    partial = client.get("/launches/", {"month": "2027-02"}, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="lp-month">')


def test_calendar_api_lists_launches_and_milestones(personas: Personas) -> None:
    _plans(personas)
    api = Api(personas.contributor)
    events = api.get("/launch-calendar", start="2027-02-01", end="2027-02-28").json()
    kinds = {(e["kind"], e["title"]) for e in events}
    assert ("launch", "Launch: Atlas Search launch") in kinds
    assert ("launch", "Launch: Beacon 2.0") in kinds
    assert ("milestone", "Launch readiness review (Beacon 2.0)") in kinds
    days = [e["on"] for e in events]
    assert days == sorted(days)
    sales = api.get("/launch-calendar", start="2027-02-01", end="2027-02-28", function="sales")
    assert all(e["kind"] == "launch" or e["function"] == "sales" for e in sales.json())
    bad = api.get("/launch-calendar", start="2027-03-01", end="2027-02-01")
    assert bad.status_code == 400
    assert "end" in bad.json()["fields"]


def test_launched_plans_sit_on_their_actual_day(personas: Personas) -> None:
    search, _ = _plans(personas)
    plans.plan_mark_launched(actor=None, plan_id=search.pk, on=dt.date(2027, 3, 2))
    api = Api(personas.viewer)
    march = api.get("/launch-calendar", start="2027-03-01", end="2027-03-31").json()
    assert [e["title"] for e in march if e["kind"] == "launch"] == ["Launch: Atlas Search launch"]


def test_ical_feed_is_rfc5545(personas: Personas, settings: object) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    plans.plan_create(
        actor=None,
        data={
            "feature_id": personas.search.pk,
            "template": "Feature launch",
            "launch_on": today + dt.timedelta(days=30),
            "name": "Search, with a very long name; to make the summary line fold " * 2,
        },
    )
    response = _client(personas).get("/launches/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    lines = body.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == body.count("END:VEVENT") >= 3
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Launch: Search\\, with a very long name\\; to make" in unfolded
    launch_day = (today + dt.timedelta(days=30)).strftime("%Y%m%d")
    assert f"DTSTART;VALUE=DATE:{launch_day}" in unfolded
    assert re.search(r"DTSTAMP:\d{8}T\d{6}Z", body)
    assert Client().get("/launches/calendar.ics").status_code == 302  # sign in first


def test_fold_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 80
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line
