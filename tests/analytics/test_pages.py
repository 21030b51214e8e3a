"""The analytics pages through the Django test client: the list, a product's page and its lazily
loaded charts (the numbers in each chart are the service's and the API's), CSV downloads, the
insight builder (preview, save, save as, conflicts, errors next to the fields) and deletion."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from quarterdeck.analytics.export import rows_csv
from quarterdeck.analytics.models import SavedInsight
from quarterdeck.analytics.queries import parse_query
from quarterdeck.analytics.selectors import product_overview
from quarterdeck.analytics.services import insight_create, insight_run, insight_update
from quarterdeck.audit.models import AuditEntry
from quarterdeck.portfolio.models import Product
from tests.analytics.conftest import RANGE, Store
from tests.analytics.pages_data import Tracked, track_atlas
from tests.api.client import Api
from tests.personas import Personas

SPEC = re.compile(r'<script id="([\w-]+)-spec" type="application/json">(.*?)</script>', re.S)


@pytest.fixture
def recent(personas: Personas, events_dir: Path) -> Tracked:
    """Atlas with events over the last 100 days (the product page shows recent days)."""
    return track_atlas(personas, events_dir, dt.datetime.now(dt.UTC).date())


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def chart_rows(html: str) -> list[dict[str, Any]]:
    """The rows inlined in the one chart of a card."""
    found = SPEC.findall(html)
    assert len(found) == 1, html[:500]
    rows: list[dict[str, Any]] = json.loads(found[0][1])["data"]["values"]
    return rows


def as_json(rows: Any) -> Any:
    return json.loads(json.dumps(rows, default=str))


# The list and the product page ---------------------------------------------------------------


def test_index_lists_tracked_products_and_saved_insights(store: Store) -> None:
    p = store.personas
    insight_create(p.member, {"name": "Mia's funnel", "query": {"kind": "lifecycle", **RANGE}})
    insight_create(p.leader, {"name": "Lena's retention", "query": {"kind": "retention", **RANGE}})
    Product.objects.create(name="Untracked", line=p.platform)
    html = login(p.member).get("/analytics/").content.decode()
    mine, others = html.split("Shared by others")
    assert f'href="/analytics/products/{p.atlas.pk}/"' in html
    assert "Untracked" not in html
    assert "Mia&#x27;s funnel" in mine
    assert "Lena" not in mine
    assert "Lena&#x27;s retention" in others


def test_nav_shows_analytics_to_members_only(store: Store) -> None:
    p = store.personas
    assert 'href="/analytics/"' in login(p.member).get("/").content.decode()
    assert 'href="/analytics/"' not in login(p.viewer).get("/").content.decode()
    assert login(p.viewer).get("/analytics/").status_code == 403


def test_product_page_loads_its_five_charts_lazily(recent: Tracked, personas: Personas) -> None:
    response = login(personas.member).get(f"/analytics/products/{personas.atlas.pk}/?days=90")
    html = response.content.decode()
    assert response.status_code == 200
    urls = re.findall(r'hx-get="([^"]+)" hx-trigger="load"', html)
    assert urls == [
        f"/analytics/products/{personas.atlas.pk}/charts/{i}/?days=90" for i in range(5)
    ]
    assert "Computing…" in html
    assert SPEC.findall(html) == []  # nothing computed before the page shows
    assert 'aria-current="true">90 days' in html


def test_every_chart_shows_the_numbers_of_the_service_and_the_api(
    recent: Tracked, personas: Personas
) -> None:
    p, client = personas, login(personas.member)
    overview = product_overview(p.member, p.atlas.pk)
    api = Api(p.member).get(f"/products/{p.atlas.pk}/analytics").json()["charts"]
    assert [title for title, _ in overview] == [chart["title"] for chart in api]
    for index, (title, query) in enumerate(overview):
        html = client.get(f"/analytics/products/{p.atlas.pk}/charts/{index}/").content.decode()
        rows = insight_run(p.member, query).rows
        assert rows, title
        assert chart_rows(html) == as_json(rows), title
        assert api[index]["rows"] == as_json(rows), title
        ran = Api(p.member).post("/metrics/run", query.to_data()).json()["rows"]
        assert ran == as_json(rows), title
        # The table under the chart has one line per row.
        table = html.split("<tbody>")[1].split("</tbody>")[0]
        assert table.count("<tr>") == len(rows), title


def test_a_range_applies_to_every_chart(recent: Tracked, personas: Personas) -> None:
    p = personas
    html = login(p.member).get(f"/analytics/products/{p.atlas.pk}/charts/1/?days=180")
    query = parse_query(
        {**product_overview(p.member, p.atlas.pk)[1][1].to_data(), "last_days": 180}
    )
    assert chart_rows(html.content.decode()) == as_json(insight_run(p.member, query).rows)
    assert "the last 180 days" in html.content.decode()


@pytest.mark.parametrize("days", ["7", "abc", "-30"])
def test_a_range_not_offered_is_a_clear_400(store: Store, days: str) -> None:
    p = store.personas
    response = login(p.member).get(f"/analytics/products/{p.atlas.pk}/charts/0/?days={days}")
    assert response.status_code == 400
    assert "days: use one of 30, 90, 180" in response.content.decode()


def test_past_the_last_chart_is_404(store: Store) -> None:
    p = store.personas
    assert login(p.member).get(f"/analytics/products/{p.atlas.pk}/charts/9/").status_code == 404


def test_untracked_product_says_where_to_set_it_up(store: Store) -> None:
    p = store.personas
    nova = Product.objects.create(name="Nova", line=p.platform)
    html = login(p.member).get(f"/analytics/products/{nova.pk}/").content.decode()
    assert "Nova has no event sources or property condition yet" in html
    assert "hx-get" not in html.split('id="main"')[1]


def test_pinned_insights_load_below_the_charts(store: Store) -> None:
    p = store.personas
    data = {"kind": "lifecycle", "product_id": p.atlas.pk, **RANGE}
    pinned = insight_create(p.member, {"name": "Pinned one", "query": data, "pinned": True})
    insight_create(p.member, {"name": "Not pinned", "query": data})
    html = login(p.manager).get(f"/analytics/products/{p.atlas.pk}/").content.decode()
    assert "Pinned one" in html
    assert "Not pinned" not in html
    card = login(p.manager).get(f"/analytics/insights/{pinned.pk}/chart/").content.decode()
    assert chart_rows(card) == as_json(insight_run(p.manager, parse_query(data)).rows)
    assert f'href="/analytics/insights/{pinned.pk}/"' in card  # "Open in builder"


def test_kpi_cards_show_the_last_snapshot_and_the_weekly_change(store: Store) -> None:
    from quarterdeck.kpis.models import KpiRefreshState, KpiSnapshot
    from quarterdeck.lib.dates import workspace_today

    p = store.personas
    day = workspace_today() - dt.timedelta(days=1)
    KpiRefreshState.objects.create(product=p.atlas, first_day=day, last_day=day)
    week_ago = day - dt.timedelta(days=7)
    for when, dau, stickiness in ((day, 120.0, 0.25), (week_ago, 100.0, 0.25)):
        KpiSnapshot.objects.create(product=p.atlas, day=when, metric="dau", value=dau)
        KpiSnapshot.objects.create(product=p.atlas, day=when, metric="stickiness", value=stickiness)
    html = login(p.member).get(f"/analytics/products/{p.atlas.pk}/").content.decode()
    kpis = html.split('class="kpi-row"')[1].split("</section>")[0]
    assert re.search(r"Daily active users</p>\s*<p class=\"kpi-value\">120</p>", kpis)
    assert "+20% vs a week before" in kpis
    assert "25.0%" in kpis
    assert "—" in kpis  # WAU and MAU were not computed


def test_no_kpi_cards_without_snapshots(store: Store) -> None:
    p = store.personas
    assert (
        "kpi-row" not in login(p.member).get(f"/analytics/products/{p.atlas.pk}/").content.decode()
    )


def test_the_product_page_links_from_the_portfolio(store: Store) -> None:
    p = store.personas
    html = login(p.member).get(f"/portfolio/products/{p.atlas.pk}/").content.decode()
    assert f'href="/analytics/products/{p.atlas.pk}/"' in html
    viewer = login(p.viewer).get(f"/portfolio/products/{p.atlas.pk}/").content.decode()
    assert "/analytics/" not in viewer


# CSV -------------------------------------------------------------------------------------------


def test_csv_download_is_the_api_csv(store: Store) -> None:
    p = store.personas
    data: dict[str, Any] = {"kind": "retention", "product_id": p.atlas.pk, **RANGE, "periods": 3}
    card = (
        login(p.member)
        .get("/analytics/insights/preview/", {**data, "retention_mode": "on"})
        .content.decode()
    )
    csv_url = re.search(r'href="([^"]+)" download', card)
    assert csv_url is not None
    response = login(p.member).get(csv_url.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="atlas-retention.csv"' in response["Content-Disposition"]
    expected = rows_csv(insight_run(p.member, parse_query(data)).rows)
    assert response.content.decode() == expected
    api = Api(p.member).post("/metrics/run?format=csv", data)
    assert api.content.decode() == expected


def test_a_chart_of_only_zeros_is_said_in_words(store: Store) -> None:
    p = store.personas
    data = form_data(kind="funnel", product_id=p.atlas.pk, events="Never Sent\nSearched")
    html = login(p.member).get("/analytics/insights/preview/", data).content.decode()
    assert SPEC.findall(html) == []
    assert "every number in this range is zero" in html
    assert "<td>Never Sent</td>" in html  # the table still has the rows


def test_csv_of_a_bad_query_is_400_naming_the_field(store: Store) -> None:
    response = login(store.personas.member).get("/analytics/export/?kind=funnel&last_days=7")
    assert response.status_code == 400
    assert "funnel needs at least two steps" in response.content.decode()


# The builder -----------------------------------------------------------------------------------


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": "lifecycle",
        "last_days": "",
        **RANGE,
        "grain": "day",
        "actor": "user",
        "retention_mode": "on",
        "cohort_type": "first_time",
        "periods": "3",
        "funnel_mode": "ordered",
        "window_days": "14",
        "denominator": "active",
        "min_uses": "1",
        "time_zone": "UTC",
        "name": "",
        "description": "",
        "action": "save",
    }
    return {**data, **changes}


def test_builder_offers_the_chosen_products_features(store: Store) -> None:
    p = store.personas
    html = login(p.member).get(f"/analytics/insights/new/?product_id={p.atlas.pk}").content.decode()
    assert f'<option value="{p.atlas.pk}" selected>Atlas</option>' in html
    assert "Atlas Search" in html
    assert "Atlas Maps" in html
    part = login(p.member).get(f"/analytics/insights/features/?product_id={p.beacon.pk}")
    assert "no feature with a usage definition" in part.content.decode()
    assert part["HX-Trigger-After-Settle"] == "builder-changed"


def test_open_in_builder_carries_the_query(recent: Tracked, personas: Personas) -> None:
    p = personas
    html = login(p.member).get(f"/analytics/products/{p.atlas.pk}/charts/3/").content.decode()
    link = re.search(r'href="(/analytics/insights/new/\?[^"]+)">Open in builder', html)
    assert link is not None
    builder = login(p.member).get(link.group(1).replace("&amp;", "&")).content.decode()
    assert '<option value="funnel" selected>' in builder
    for feature in recent.features:
        assert re.search(rf'value="{feature.pk}"[^>]*checked', builder), feature.name


def test_a_bad_linked_query_starts_from_the_defaults(store: Store) -> None:
    html = login(store.personas.member).get("/analytics/insights/new/?kind=bogus").content.decode()
    assert "The linked query was not usable" in html
    assert '<option value="active-users" selected>' in html


def test_saving_garbage_is_a_400_with_the_fields_named(store: Store) -> None:
    data = form_data(kind="nope", periods="many", start="yesterday", product_id="x", name="G")
    response = login(store.personas.member).post("/analytics/insights/new/", data)
    html = response.content.decode()
    assert response.status_code == 400
    for name in ("kind", "periods", "start", "product_id"):
        errors = re.search(rf'<div id="id_{name}_errors">(.*?)</div>', html, re.S)
        assert errors is not None
        assert "errorlist" in errors.group(1), name
    assert not SavedInsight.objects.exists()


def test_preview_draws_what_the_form_says(store: Store) -> None:
    p = store.personas
    data = form_data(kind="funnel", product_id=p.atlas.pk, features=[p.search.pk, store.maps.pk])
    html = login(p.member).get("/analytics/insights/preview/", data).content.decode()
    query = {"kind": "funnel", "product_id": p.atlas.pk, **RANGE}
    query |= {"features": [p.search.pk, store.maps.pk], "mode": "ordered", "window_days": 14}
    assert chart_rows(html) == as_json(insight_run(p.member, parse_query(query)).rows)
    assert "Open in builder" not in html


def test_preview_puts_errors_next_to_the_fields(store: Store) -> None:
    p = store.personas
    data = form_data(kind="funnel", product_id=p.atlas.pk, events="Searched", start="2024-03-09")
    html = login(p.member).get("/analytics/insights/preview/", data).content.decode()
    assert "This query cannot run yet" in html
    events = re.search(r'<div id="id_events_errors" hx-swap-oob="true">(.*?)</div>', html, re.S)
    assert events is not None
    assert "at least two steps" in events.group(1)
    end = re.search(r'<div id="id_end_errors" hx-swap-oob="true">(.*?)</div>', html, re.S)
    assert end is not None
    assert "before start" in end.group(1)
    name = re.search(r'<div id="id_name_errors" hx-swap-oob="true">(.*?)</div>', html, re.S)
    assert name is not None
    assert name.group(1) == ""


def test_preview_of_garbage_is_form_errors_not_a_500(store: Store) -> None:
    p = store.personas
    data = form_data(kind="nope", periods="many", start="yesterday", product_id="x")
    response = login(p.member).get("/analytics/insights/preview/", data)
    assert response.status_code == 200
    assert "This query cannot run yet" in response.content.decode()


def test_save_a_new_insight(store: Store) -> None:
    p = store.personas
    data = form_data(kind="retention", product_id=p.atlas.pk, name="Weekly", periods="2")
    response = login(p.member).post("/analytics/insights/new/", data)
    insight = SavedInsight.objects.get(name="Weekly")
    assert response.status_code == 302
    assert response["Location"] == f"/analytics/insights/{insight.pk}/"
    assert insight.owner == p.member
    assert insight.product == p.atlas
    assert insight.query == {"kind": "retention", "product_id": p.atlas.pk, **RANGE,
                             "actor": "user", "cohort_type": "first_time", "grain": "day",
                             "mode": "on", "periods": 2, "time_zone": "UTC"}  # fmt: skip
    assert AuditEntry.objects.filter(object_type="saved_insight", object_id=insight.pk).exists()
    page = login(p.member).get(response["Location"]).content.decode()
    assert 'value="Weekly"' in page
    assert "Save changes" in page


def test_saving_needs_a_name_and_a_valid_query(store: Store) -> None:
    p = store.personas
    response = login(p.member).post("/analytics/insights/new/", form_data(kind="funnel"))
    html = response.content.decode()
    assert response.status_code == 400
    name = re.search(r'<div id="id_name_errors">(.*?)</div>', html, re.S)
    assert name is not None
    assert "Required" in name.group(1)
    assert not SavedInsight.objects.exists()
    response = login(p.member).post(
        "/analytics/insights/new/", form_data(kind="funnel", name="One step", events="Searched")
    )
    events = re.search(r'<div id="id_events_errors">(.*?)</div>', response.content.decode(), re.S)
    assert response.status_code == 400
    assert events is not None
    assert "at least two steps" in events.group(1)


def _mias(store: Store) -> SavedInsight:
    data = {"kind": "lifecycle", "product_id": store.personas.atlas.pk, **RANGE}
    return insight_create(store.personas.member, {"name": "Mia's", "query": data})


def test_save_changes_and_save_as(store: Store) -> None:
    p, insight = store.personas, _mias(store)
    url = f"/analytics/insights/{insight.pk}/"
    data = form_data(product_id=p.atlas.pk, name="Renamed", version=insight.version)
    assert login(p.member).post(url, data).status_code == 302
    insight.refresh_from_db()
    assert (insight.name, insight.version) == ("Renamed", 2)
    copy = form_data(product_id=p.atlas.pk, name="Copy", version=2, action="save_as")
    response = login(p.manager).post(url, copy)  # anyone who reads it may copy it
    assert response.status_code == 302
    assert SavedInsight.objects.get(name="Copy").owner == p.manager


def test_only_its_owner_leaders_and_admins_save_changes(store: Store) -> None:
    p, insight = store.personas, _mias(store)
    url = f"/analytics/insights/{insight.pk}/"
    page = login(p.manager).get(url).content.decode()
    assert "Save changes" not in page
    assert "Save as new" in page
    data = form_data(product_id=p.atlas.pk, name="Hijacked", version=insight.version)
    assert login(p.manager).post(url, data).status_code == 403
    assert login(p.leader).post(url, data).status_code == 302


def test_a_conflict_keeps_what_was_built_and_shows_what_changed(store: Store) -> None:
    p, insight = store.personas, _mias(store)
    insight_update(p.leader, insight.pk, {"name": "Lena's name"}, insight.version)
    data = form_data(product_id=p.atlas.pk, name="Mia's name", version=insight.version)
    response = login(p.member).post(f"/analytics/insights/{insight.pk}/", data)
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this insight" in html
    assert "Lena&#x27;s name" in html
    assert 'value="Mia&#x27;s name"' in html
    assert 'name="version" value="2"' in html  # saving again applies Mia's on top
    assert login(p.member).post(f"/analytics/insights/{insight.pk}/", {**data, "version": 2})
    insight.refresh_from_db()
    assert insight.name == "Mia's name"


def test_delete_asks_then_deletes_checking_the_version(store: Store) -> None:
    p, insight = store.personas, _mias(store)
    url = f"/analytics/insights/{insight.pk}/delete/"
    assert "Delete the insight" in login(p.member).get(url).content.decode()
    stale = login(p.member).post(url, {"version": insight.version + 1})
    assert stale.status_code == 409
    assert login(p.member).post(url, {"version": "x"}).status_code == 400
    done = login(p.member).post(url, {"version": insight.version})
    assert done.status_code == 302
    assert done["Location"] == "/analytics/"
    assert not SavedInsight.objects.filter(pk=insight.pk).exists()
