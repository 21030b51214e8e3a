"""The strategy pages as the named personas: every page renders for a leader, a member and a
viewer; viewers see no edit controls and are refused writes; Mia creates an outcome and a key
result on her product Atlas through the forms and is refused on Otto's Beacon; form errors
keep what was typed; the key result's history chart carries its values and target."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from quarterdeck.strategy import selectors, services
from quarterdeck.strategy.models import KeyResult, KeyResultPoint, Outcome, Pillar
from tests.personas import Personas

pytestmark = pytest.mark.django_db


def quarter(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@pytest.fixture
def plan(personas: Personas) -> dict[str, Any]:
    """A pillar, a company outcome, Atlas's product outcome under it with a manual key result
    (with values), all in the current quarter."""
    p, today = personas, timezone.localdate()
    period = quarter(today)
    pillar = services.pillar_create(actor=p.leader, data={"name": "Win mid-market"})
    company = services.outcome_create(
        actor=p.leader,
        data={"title": "Grow the business", "level": "company", "period": period,
              "pillar_ids": [pillar.pk]},
    )  # fmt: skip
    atlas = services.outcome_create(
        actor=p.member,
        data={"title": "Atlas becomes a habit", "level": "product", "product_id": p.atlas.pk,
              "parent_id": company.pk, "period": period, "owner_id": p.people["mia"].pk},
    )  # fmt: skip
    kr = services.key_result_create(
        actor=p.member,
        outcome_id=atlas.pk,
        data={"title": "Weekly searches", "source": "manual", "baseline": 100, "target": 200,
              "unit": "searches"},
    )  # fmt: skip
    start = kr.start
    KeyResultPoint.objects.bulk_create(
        [
            KeyResultPoint(key_result=kr, day=start, value=100.0),
            KeyResultPoint(key_result=kr, day=start + dt.timedelta(days=7), value=123.5),
        ]
    )
    KeyResult.objects.filter(pk=kr.pk).update(
        current=123.5, forecast=160.0, progress=0.235, forecast_progress=0.6, status="off_track"
    )
    return {"pillar": pillar, "company": company, "atlas": atlas, "kr": kr, "period": period}


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def pages(plan: dict[str, Any]) -> list[str]:
    return [
        "/strategy/",
        "/strategy/outcomes/",
        "/strategy/outcomes/?period=all&level=product&status=no_data",
        f"/strategy/outcomes/{plan['atlas'].pk}/",
        f"/strategy/outcomes/{plan['company'].pk}/",
        "/strategy/alignment/",
    ]


@pytest.mark.parametrize("role", ["leader", "member", "viewer"])
def test_every_page_renders(personas: Personas, plan: dict[str, Any], role: str) -> None:
    c = client(personas.by_role()[role])
    for path in pages(plan):
        response = c.get(path)
        assert response.status_code == 200, (path, response.status_code)
    outcomes = c.get("/strategy/outcomes/").content.decode()
    assert "Atlas becomes a habit" in outcomes
    assert "Grow the business" in outcomes


def test_the_tree_nests_and_the_filters_narrow(personas: Personas, plan: dict[str, Any]) -> None:
    c = client(personas.viewer)
    html = c.get("/strategy/outcomes/").content.decode()
    assert html.index("Grow the business") < html.index("Atlas becomes a habit")
    assert 'class="outcome-title indent-1"' in html  # Atlas's outcome sits under the company's
    next_quarter = selectors.periods(timezone.localdate())[1]
    other = c.get(f"/strategy/outcomes/?period={next_quarter}").content.decode()
    assert "Atlas becomes a habit" not in other
    by_line = c.get(f"/strategy/outcomes/?line={personas.growth.pk}").content.decode()
    assert "No outcome matches these filters." in by_line
    odd = c.get("/strategy/outcomes/?level=galaxy&status=off_track")
    assert odd.status_code == 400
    assert "Some filters were not understood" in odd.content.decode()
    assert "No outcome matches these filters." in odd.content.decode()  # the status still applies


def test_viewer_sees_no_edit_controls_and_is_refused_writes(
    personas: Personas, plan: dict[str, Any]
) -> None:
    c, atlas = client(personas.viewer), plan["atlas"]
    detail = c.get(f"/strategy/outcomes/{atlas.pk}/").content.decode()
    for control in ("Add key result", "Add check-in", "Record value", ">Edit<", "Delete"):
        assert control not in detail, control
    assert "New outcome" not in c.get("/strategy/outcomes/").content.decode()
    assert "Edit vision" not in c.get("/strategy/").content.decode()
    writes = {
        "/strategy/outcomes/new/": {"title": "x"},
        f"/strategy/outcomes/{atlas.pk}/edit/": {"title": "x"},
        f"/strategy/outcomes/{atlas.pk}/check-in/": {"health": "on_track"},
        f"/strategy/outcomes/{atlas.pk}/key-results/new/": {"title": "x"},
        f"/strategy/key-results/{plan['kr'].pk}/check-in/": {"kr1-value": "3"},
        "/strategy/vision/edit/": {"statement": "x"},
        "/strategy/pillars/new/": {"name": "x"},
    }
    for path, data in writes.items():
        assert c.post(path, data).status_code == 403, path


def outcome_form(p: Personas, product_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Search that finds",
        "level": "product",
        "product_id": str(product_id),
        "period": quarter(timezone.localdate()),
        "weight": "1",
        **extra,
    }


def test_member_creates_an_outcome_and_key_result_on_atlas(personas: Personas) -> None:
    p, c = personas, client(personas.member)
    assert c.get("/strategy/outcomes/new/").status_code == 200
    response = c.post("/strategy/outcomes/new/", outcome_form(p, p.atlas.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Outcome.objects.get(title="Search that finds")
    assert (created.level, created.product_id) == ("product", p.atlas.pk)
    new_kr = f"/strategy/outcomes/{created.pk}/key-results/new/"
    assert c.get(new_kr).status_code == 200
    kr = {"title": "Searches a week", "source": "manual", "baseline": "10", "target": "50",
          "weight": "1"}  # fmt: skip
    assert c.post(new_kr, kr).status_code == 302
    assert created.key_results.get().title == "Searches a week"
    page = c.get(f"/strategy/outcomes/{created.pk}/").content.decode()
    assert "Searches a week" in page
    assert "Record value" in page


def test_member_is_refused_on_beacon(personas: Personas) -> None:
    p, c = personas, client(personas.member)
    response = c.post("/strategy/outcomes/new/", outcome_form(p, p.beacon.pk))
    assert response.status_code == 403
    assert not Outcome.objects.filter(title="Search that finds").exists()


def test_form_errors_are_shown_with_the_typed_values_kept(personas: Personas) -> None:
    p, c = personas, client(personas.member)
    data = outcome_form(p, p.atlas.pk, title="Keep me typed", period="custom", start="2026-03-01")
    response = c.post("/strategy/outcomes/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Keep me typed"' in html
    assert "A custom period needs a start and an end date." in html  # the service's message


def test_binding_errors_land_on_the_metric_fields(personas: Personas, plan: dict[str, Any]) -> None:
    c = client(personas.member)
    data = {"title": "Satisfied", "source": "survey", "baseline": "10", "target": "40",
            "weight": "1", "survey_window": "90"}  # fmt: skip
    response = c.post(f"/strategy/outcomes/{plan['atlas'].pk}/key-results/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Satisfied"' in html
    assert "Required: the id of the survey to follow." in html


def test_kr_check_in_by_form(personas: Personas, plan: dict[str, Any]) -> None:
    kr, c = plan["kr"], client(personas.member)
    day = kr.start.isoformat()
    data = {f"kr{kr.pk}-day": day, f"kr{kr.pk}-value": "140", f"kr{kr.pk}-note": "good week"}
    response = c.post(f"/strategy/key-results/{kr.pk}/check-in/", data)
    assert response.status_code == 302
    assert kr.check_ins.get().value == 140.0
    bad = c.post(f"/strategy/key-results/{kr.pk}/check-in/", {f"kr{kr.pk}-day": day})
    assert bad.status_code == 400
    assert "needs the value" in bad.content.decode()


def test_outcome_check_in(personas: Personas, plan: dict[str, Any]) -> None:
    atlas, c = plan["atlas"], client(personas.member)
    data = {"health": "at_risk", "note": "Search index late"}
    assert c.post(f"/strategy/outcomes/{atlas.pk}/check-in/", data).status_code == 302
    page = c.get(f"/strategy/outcomes/{atlas.pk}/").content.decode()
    assert "Search index late" in page
    assert "At risk" in page


def chart_spec(html: str, kr: KeyResult) -> dict[str, Any]:
    marker = f'<script id="kr-chart-{kr.pk}" type="application/json">'
    start = html.index(marker) + len(marker)
    return dict(json.loads(html[start : html.index("</script>", start)]))


def test_history_chart_has_the_points_and_the_target_rule(
    personas: Personas, plan: dict[str, Any]
) -> None:
    kr = plan["kr"]
    html = client(personas.viewer).get(f"/strategy/outcomes/{plan['atlas'].pk}/").content.decode()
    spec = chart_spec(html, kr)
    layers = json.dumps(spec["layer"])
    assert '{"day": "%s", "value": 123.5}' % (kr.start + dt.timedelta(days=7)) in layers
    assert '{"rule": "Target", "value": 200.0}' in layers
    forecast = [layer for layer in spec["layer"] if layer.get("mark", {}).get("strokeDash")]
    assert forecast
    assert forecast[0]["data"]["values"][-1] == {
        "day": kr.end.isoformat(),
        "value": 160.0,
        "what": "Forecast at end",
    }
    assert f'data-chart="kr-chart-{kr.pk}"' in html
    assert f"Forecast 60 % of target by {kr.end.day} {kr.end:%b}: off track" in html
    assert "123.5" in html  # the current value, as typed: no trailing zeros


def test_vision_sign_off_only_by_the_designated_person(personas: Personas) -> None:
    p = personas
    services.vision_update(
        actor=p.leader,
        data={"statement": "Be the deck", "cpo_id": p.people["lena"].pk,
              "cto_id": p.people["ada"].pk},
        expected_version=None,
    )  # fmt: skip
    assert "Sign off as CPO" in client(p.leader).get("/strategy/").content.decode()
    assert "Sign off as" not in client(p.member).get("/strategy/").content.decode()
    assert client(p.member).post("/strategy/vision/sign/cpo/").status_code == 403
    assert client(p.leader).post("/strategy/vision/sign/cpo/").status_code == 302
    assert "Signed" in client(p.viewer).get("/strategy/").content.decode()
    version = selectors.vision(p.leader).version
    edit = {"statement": "Be the best deck", "version": version, "cpo_id": p.people["lena"].pk}
    assert client(p.leader).post("/strategy/vision/edit/", edit).status_code == 302
    assert "the vision changed since" in client(p.viewer).get("/strategy/").content.decode()
    late = client(p.leader).post("/strategy/vision/edit/", edit | {"statement": "Mine"})
    assert late.status_code == 409  # edited from the old version: kept, not saved
    assert "Someone else changed the vision" in late.content.decode()
    assert "\nMine</textarea>" in late.content.decode()


def test_pillar_form_and_links(personas: Personas) -> None:
    c = client(personas.leader)
    assert c.post("/strategy/pillars/new/", {"name": "Trust", "position": "0"}).status_code == 302
    pillar = Pillar.objects.get(name="Trust")
    links = {"links-line_ids": [personas.platform.pk], "links-product_ids": [personas.atlas.pk],
             "links-version": pillar.version}  # fmt: skip
    assert c.post(f"/strategy/pillars/{pillar.pk}/links/", links).status_code == 302
    assert list(pillar.lines.all()) == [personas.platform]
    index = c.get("/strategy/").content.decode()
    assert "Trust" in index
    assert "Atlas" in index
    taken = c.post("/strategy/pillars/new/", {"name": "Trust", "position": "0"})
    assert taken.status_code == 400
    assert "Already used" in taken.content.decode()


def test_alignment_puts_atlas_under_its_company_outcome(
    personas: Personas, plan: dict[str, Any]
) -> None:
    html = client(personas.viewer).get("/strategy/alignment/").content.decode()
    section = html[html.index('id="pillar-') : html.index('id="unaligned"')]
    assert "Grow the business" in section
    assert "Atlas becomes a habit" in section
    assert 'class="title indent-1"' in section


def test_product_page_shows_its_outcomes(personas: Personas, plan: dict[str, Any]) -> None:
    page = client(personas.member).get(f"/portfolio/products/{personas.atlas.pk}/")
    html = page.content.decode()
    assert "Outcomes now" in html
    assert "Atlas becomes a habit" in html
    assert f"/strategy/outcomes/new/?product={personas.atlas.pk}" in html
    viewer = client(personas.viewer).get(f"/portfolio/products/{personas.atlas.pk}/")
    assert "/strategy/outcomes/new/" not in viewer.content.decode()
    form = client(personas.member).get(f"/strategy/outcomes/new/?product={personas.atlas.pk}")
    assert 'value="product" required id="id_level_2" checked' in form.content.decode()


def test_an_outcome_edited_meanwhile_shows_the_conflict(
    personas: Personas, plan: dict[str, Any]
) -> None:
    atlas, c = plan["atlas"], client(personas.member)
    old = atlas.version
    services.outcome_update(
        actor=personas.leader, outcome_id=atlas.pk, data={"title": "Renamed by Lena"},
        expected_version=old,
    )  # fmt: skip
    data = outcome_form(personas, personas.atlas.pk, title="Mia's title", version=str(old),
                        parent_id=str(plan["company"].pk))  # fmt: skip
    response = c.post(f"/strategy/outcomes/{atlas.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this" in html
    assert "Renamed by Lena" in html
    assert 'value="Mia&#x27;s title"' in html
    again = c.post(f"/strategy/outcomes/{atlas.pk}/edit/", data | {"version": str(old + 1)})
    assert again.status_code == 302
    assert Outcome.objects.get(pk=atlas.pk).title == "Mia's title"


def test_analytics_binding_errors_land_on_the_analytics_fields(
    personas: Personas, plan: dict[str, Any]
) -> None:
    data = {"title": "Habit", "source": "analytics", "analytics_kind": "active-users",
            "analytics_measure": "mau", "analytics_days": "30", "analytics_series": "",
            "analytics_feature": str(personas.search.pk), "baseline": "1", "target": "2",
            "weight": "1"}  # fmt: skip
    response = client(personas.member).post(
        f"/strategy/outcomes/{plan['atlas'].pk}/key-results/new/", data
    )
    html = response.content.decode()
    assert response.status_code == 400, html[:500]
    assert 'value="Habit"' in html
    # parse_query's error on the feature (no product given) shows on the Feature select
    assert 'id="id_analytics_feature_error"><li>Features are read within a product' in html


def test_vision_written_from_scratch_through_the_form(personas: Personas) -> None:
    c = client(personas.leader)
    form = c.get("/strategy/vision/edit/").content.decode()
    assert 'name="version" value="1"' in form
    data = {"statement": "One deck", "horizon": "2026-2028", "version": "1"}
    assert c.post("/strategy/vision/edit/", data).status_code == 302
    index = client(personas.viewer).get("/strategy/").content.decode()
    assert "One deck" in index
    assert "Nobody designated yet." in index


def test_a_bound_key_result_is_edited_with_its_binding_shown(
    personas: Personas, plan: dict[str, Any]
) -> None:
    from quarterdeck.surveys.models import Survey

    survey = Survey.objects.create(
        name="Atlas NPS", kind="nps", scale_min=0, scale_max=10, product=personas.atlas
    )
    kr = services.key_result_create(
        actor=personas.member,
        outcome_id=plan["atlas"].pk,
        data={"title": "NPS", "source": "survey", "baseline": 10, "target": 30,
              "metric": {"survey_id": survey.pk, "window_days": 60}},
    )  # fmt: skip
    c = client(personas.member)
    form = c.get(f"/strategy/key-results/{kr.pk}/edit/").content.decode()
    assert f'<option value="{survey.pk}" selected>' in form
    assert 'name="survey_window" value="60"' in form
    assert 'value="survey" required id="id_source_1" checked' in form
    data = {"title": "NPS", "source": "survey", "survey_id": survey.pk, "survey_window": "45",
            "baseline": "10", "target": "35", "weight": "1", "version": kr.version}  # fmt: skip
    assert c.post(f"/strategy/key-results/{kr.pk}/edit/", data).status_code == 302
    kr.refresh_from_db()
    assert (kr.target, kr.metric) == (35.0, {"survey_id": survey.pk, "window_days": 45})
    page = c.get(f"/strategy/outcomes/{plan['atlas'].pk}/").content.decode()
    assert "Atlas NPS" in page  # the binding's description
    assert f'href="/surveys/{survey.pk}/"' in page  # its trace link


def test_the_filter_answers_htmx_with_the_tree_alone(
    personas: Personas, plan: dict[str, Any]
) -> None:
    response = client(personas.viewer).get(
        "/strategy/outcomes/?period=all&level=company", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="outcome-tree">')
    assert "Grow the business" in html
    assert "Atlas becomes a habit" not in html  # below the company outcome, not a product match
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(1040646.92, "1,040,647"), (123.45, "123.5"), (4.6, "4.6"), (33.333, "33.33"), (50.0, "50"),
     (-0.001, "0"), (0.25, "0.25")],
)  # fmt: skip
def test_numbers_are_shown_as_people_write_them(value: float, shown: str) -> None:
    from quarterdeck.strategy.charts import format_number

    assert format_number(value) == shown
