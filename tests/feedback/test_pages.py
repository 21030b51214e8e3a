"""The feedback pages: every page renders for the personas, forms answer with field errors, and
the htmx triage endpoints (the keyboard's a/x/1/2/3/m/c) change the item and answer its row."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from quarterdeck.feedback import services
from quarterdeck.feedback.models import (
    DuplicateCandidate,
    DuplicateState,
    FeedbackItem,
    FeedbackLink,
    LinkState,
    Theme,
)
from quarterdeck.portfolio.models import Feature, Stage
from tests.personas import Personas

HTMX = {"HX-Request": "true"}
SEARCH_TEXT = "Atlas search cannot find invoices by their number, please make search smarter."


@pytest.fixture
def inbox(personas: Personas) -> dict[str, Any]:
    """Atlas with two features, three items (two of them near-duplicates), processed for real:
    suggestions, duplicate candidates and sentiment come from the model."""
    p = personas
    Feature.objects.create(
        name="Offline maps", product=p.atlas, owner=p.people["mia"], stage=Stage.BUILD,
        description="Download maps to use them without a connection.",
    )  # fmt: skip
    p.search.description = "Search across invoices, customers and documents by number or name."
    p.search.save()
    first = services.feedback_create(
        actor=p.member,
        data={"text": SEARCH_TEXT, "product_id": p.atlas.pk, "account": "acme",
              "account_name": "Acme Corp", "submitter_email": "jo@acme.test", "source": "form"},
    )  # fmt: skip
    second = services.feedback_create(
        actor=p.member,
        data={"text": SEARCH_TEXT.replace("please", "please,"), "product_id": p.atlas.pk},
    )
    maps = services.feedback_create(
        actor=p.contributor,
        data={"text": "I love the maps but I need them offline on the plane.", "tags": ["mobile"]},
    )
    return {"first": first, "second": second, "maps": maps}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _top(item: FeedbackItem) -> FeedbackLink:
    link = item.links.filter(state=LinkState.SUGGESTED).order_by("-score").first()
    assert link is not None, "the model suggested nothing for the item"
    return link


# Rendering ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "leader", "manager", "member", "contributor", "viewer"])
def test_inbox_renders_for_every_role(personas: Personas, inbox: dict[str, Any], role: str) -> None:
    response = _client(personas.by_role()[role]).get("/feedback/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme Corp" in html or role in ("contributor", "viewer")
    assert f'id="fb-row-{inbox["first"].pk}"' in html
    triage = 'data-key="a"' in html
    assert triage == (role in ("admin", "leader", "manager", "member"))
    assert ("Add feedback" in html) == (role != "viewer")


def test_contacts_are_hidden_from_contributors_except_on_their_own_items(
    personas: Personas, inbox: dict[str, Any]
) -> None:
    client = _client(personas.contributor)
    other = client.get(f"/feedback/{inbox['first'].pk}/").content.decode()
    assert "jo@acme.test" not in other
    assert "Acme Corp" not in other
    assert "hidden" in other
    assert (
        "jo@acme.test"
        in _client(personas.member).get(f"/feedback/{inbox['first'].pk}/").content.decode()
    )


def test_status_tabs_count_under_the_other_filters(
    personas: Personas, inbox: dict[str, Any]
) -> None:
    html = _client(personas.leader).get(f"/feedback/?product={personas.atlas.pk}").content.decode()
    tabs = re.search(r'<nav class="fb-status-tabs".*?</nav>', html, re.S)
    assert tabs is not None
    assert re.search(r"All <span class=\"count\">2</span>", tabs.group(0))
    assert re.search(r"New <span class=\"count\">2</span>", tabs.group(0))


def test_filters_narrow_the_list_and_bad_ones_are_reported(
    personas: Personas, inbox: dict[str, Any]
) -> None:
    client = _client(personas.leader)
    html = client.get("/feedback/?q=offline").content.decode()
    assert f"fb-row-{inbox['maps'].pk}" in html
    assert f"fb-row-{inbox['first'].pk}" not in html
    bad = client.get("/feedback/?status=nonsense&q=offline")
    assert bad.status_code == 200
    assert "were not understood" in bad.content.decode()
    assert f"fb-row-{inbox['maps'].pk}" in bad.content.decode()
    partial = client.get("/feedback/?q=invoices", headers=HTMX).content.decode()
    assert partial.startswith('\n<div id="inbox-results">') or partial.lstrip().startswith(
        '<div id="inbox-results">'
    )


def test_item_page_shows_suggestions_duplicates_and_truncation(
    personas: Personas, inbox: dict[str, Any]
) -> None:
    long = services.feedback_create(actor=personas.leader, data={"text": "search " * 2000})
    client = _client(personas.member)
    html = client.get(f"/feedback/{inbox['second'].pk}/").content.decode()
    assert "Atlas Search" in html
    assert "/feedback/duplicates/" in html
    assert "Merge" in html
    assert "model read only its beginning" in client.get(f"/feedback/{long.pk}/").content.decode()
    assert "model read only its beginning" not in html


@pytest.mark.parametrize(
    "path",
    ["/feedback/themes/", "/feedback/demand/", "/feedback/demand/?tab=themes", "/feedback/import/",
     "/feedback/portals/"],
)  # fmt: skip
def test_other_pages_render(personas: Personas, inbox: dict[str, Any], path: str) -> None:
    assert _client(personas.leader).get(path).status_code == 200


def test_the_feature_page_shows_its_evidence(personas: Personas, inbox: dict[str, Any]) -> None:
    link = _top(inbox["first"])
    _client(personas.member).post(f"/feedback/links/{link.pk}/accept/", {"importance": "critical"})
    feature = link.feature
    html = _client(personas.viewer).get(f"/portfolio/features/{feature.pk}/").content.decode()
    assert "Customer evidence" in html
    assert "Critical" in html
    assert f"/feedback/features/{feature.pk}/loop/" in html
    listed = _client(personas.viewer).get(f"/feedback/?feature={feature.pk}").content.decode()
    assert f"fb-row-{inbox['first'].pk}" in listed
    assert f"fb-row-{inbox['maps'].pk}" not in listed


# Forms ----------------------------------------------------------------------------------------


def test_quick_add_processes_and_shows_suggestions(
    personas: Personas, inbox: dict[str, Any]
) -> None:
    client = _client(personas.contributor)
    response = client.post(
        "/feedback/add/",
        {"text": "Search should find customers by invoice number", "product_id": personas.atlas.pk,
         "tags": "search, billing"},
    )  # fmt: skip
    assert response.status_code == 302
    item = FeedbackItem.objects.get(text__startswith="Search should find customers")
    assert item.processed_at is not None
    assert item.source == "form"
    assert item.tags == ["search", "billing"]
    page = client.get(response["Location"]).content.decode()
    assert "Atlas Search" in page


def test_quick_add_names_the_bad_fields(personas: Personas) -> None:
    response = _client(personas.member).post(
        "/feedback/add/", {"text": "  ", "submitter_email": "not-an-address"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required" in html
    assert "Enter a valid email address" in html
    assert FeedbackItem.objects.count() == 0


def test_viewers_may_not_add(personas: Personas) -> None:
    assert _client(personas.viewer).post("/feedback/add/", {"text": "x"}).status_code == 403


def test_edit_keeps_the_users_values_on_a_lost_update(
    personas: Personas, inbox: dict[str, Any]
) -> None:
    item = inbox["first"]
    client = _client(personas.member)
    stale = item.version
    services.feedback_update(
        actor=personas.leader, item=item, data={"account_name": "Acme Inc"}, expected_version=stale
    )
    response = client.post(
        f"/feedback/{item.pk}/edit/",
        {"text": SEARCH_TEXT, "account_name": "ACME (typed)", "version": stale},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this" in html
    assert "Acme Inc" in html
    assert "ACME (typed)" in html
    item.refresh_from_db()
    assert item.account_name == "Acme Inc"
    again = client.post(
        f"/feedback/{item.pk}/edit/",
        {"text": SEARCH_TEXT, "account_name": "ACME (typed)", "version": item.version},
    )
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.account_name == "ACME (typed)"


def test_a_passage_is_linked_with_its_offsets(personas: Personas, inbox: dict[str, Any]) -> None:
    item = inbox["first"]
    start = SEARCH_TEXT.index("find invoices")
    end = start + len("find invoices by their number")
    response = _client(personas.member).post(
        f"/feedback/{item.pk}/links/new/",
        {"feature_id": personas.search.pk, "importance": "important", "passage_start": start,
         "passage_end": end},
    )  # fmt: skip
    assert response.status_code == 302
    link = FeedbackLink.objects.get(item=item, feature=personas.search, state=LinkState.ACCEPTED)
    assert link.passage == "find invoices by their number"


def test_a_half_passage_is_refused(personas: Personas, inbox: dict[str, Any]) -> None:
    response = _client(personas.member).post(
        f"/feedback/{inbox['first'].pk}/links/new/",
        {"feature_id": personas.search.pk, "importance": "important", "passage_start": 4},
    )
    assert response.status_code == 400
    assert "Select a passage" in response.content.decode()


def test_import_maps_columns_and_rejects_bad_rows_whole(personas: Personas) -> None:
    client = _client(personas.leader)
    good = b"Comment,Product,When\nFaster search please,Atlas,2026-01-05\n"
    step1 = client.post("/feedback/import/", {"file": _upload(good), "date_format": "iso"})
    assert step1.status_code == 200
    html = step1.content.decode()
    assert 'name="map_text"' in html
    assert '<option value="Comment" selected>' in html
    bad = b"Comment,Product\nFine,Atlas\nAlso fine,Nowhere\n"
    rejected = client.post(
        "/feedback/import/",
        {
            "file": _upload(bad),
            "date_format": "auto",
            "map_text": "Comment",
            "map_product": "Product",
        },
    )
    assert rejected.status_code == 400
    assert "Nowhere" in rejected.content.decode()
    assert "nothing was imported" in rejected.content.decode()
    assert FeedbackItem.objects.count() == 0
    step2 = client.post(
        "/feedback/import/",
        {"date_format": "iso", "map_text": "Comment", "map_product": "Product",
         "map_received_at": "When"},
    )  # fmt: skip
    assert step2.status_code == 302
    assert FeedbackItem.objects.get().text == "Faster search please"


def test_import_refuses_a_file_that_is_not_utf8(personas: Personas) -> None:
    response = _client(personas.leader).post(
        "/feedback/import/", {"file": _upload("Text\nCafé crème\n".encode("cp1252"))}
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("feedback.csv", content, content_type="text/csv")


# Triage (htmx) --------------------------------------------------------------------------------


def test_accept_then_importance_answer_the_row(personas: Personas, inbox: dict[str, Any]) -> None:
    client = _client(personas.member)
    link = _top(inbox["first"])
    row = client.post(f"/feedback/links/{link.pk}/accept/", {"from": "row"}, headers=HTMX)
    assert row.status_code == 200
    html = row.content.decode()
    assert html.startswith("<tr")
    assert f'id="fb-row-{inbox["first"].pk}"' in html
    assert "data-done=" in html
    assert 'data-key="2"' in html
    link.refresh_from_db()
    assert link.state == LinkState.ACCEPTED
    client.post(
        f"/feedback/links/{link.pk}/importance/",
        {"from": "row", "importance": "critical"},
        headers=HTMX,
    )
    link.refresh_from_db()
    assert link.importance == "critical"
    inbox["first"].refresh_from_db()
    assert inbox["first"].status == "linked"


def test_reject_merge_and_close(personas: Personas, inbox: dict[str, Any]) -> None:
    client = _client(personas.leader)
    link = _top(inbox["maps"])
    client.post(f"/feedback/links/{link.pk}/reject/", {"from": "row"}, headers=HTMX)
    link.refresh_from_db()
    assert link.state == LinkState.REJECTED
    candidate = DuplicateCandidate.objects.get(item=inbox["second"])
    response = client.post(
        f"/feedback/duplicates/{candidate.pk}/merge/", {"from": "row"}, headers=HTMX
    )
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.state == DuplicateState.MERGED
    inbox["second"].refresh_from_db()
    assert inbox["second"].duplicate_of_id == inbox["first"].pk
    closed = client.post(f"/feedback/{inbox['maps'].pk}/close/")
    assert closed.status_code == 302
    inbox["maps"].refresh_from_db()
    assert inbox["maps"].status == "closed"


def test_triage_is_refused_to_contributors_and_bad_importance_is_a_400(
    personas: Personas, inbox: dict[str, Any]
) -> None:
    link = _top(inbox["first"])
    refused = _client(personas.contributor).post(
        f"/feedback/links/{link.pk}/accept/", {"from": "row"}, headers=HTMX
    )
    assert refused.status_code == 403
    bad = _client(personas.member).post(
        f"/feedback/links/{link.pk}/importance/", {"importance": "huge"}
    )
    assert bad.status_code == 400


def test_themes_merge_and_rename(personas: Personas, inbox: dict[str, Any]) -> None:
    client = _client(personas.leader)
    assert client.post("/feedback/themes/recluster/").status_code == 302
    a = Theme.objects.create(name="Search", size=1)
    b = Theme.objects.create(name="Invoices", size=1)
    response = client.post(
        "/feedback/themes/merge/", {"themes": [a.pk, b.pk], "name": "Finding things"}
    )
    assert response.status_code == 302
    merged = Theme.objects.get(name="Finding things")
    client.post(
        f"/feedback/themes/{merged.pk}/rename/",
        {"name": "Find invoices", "version": merged.version},
    )
    merged.refresh_from_db()
    assert merged.name == "Find invoices"
    assert merged.renamed
    detail = client.get(f"/feedback/themes/{merged.pk}/")
    assert detail.status_code == 200
    assert "Find invoices" in detail.content.decode()


def test_loop_send_is_disabled_before_launch(personas: Personas, inbox: dict[str, Any]) -> None:
    link = _top(inbox["first"])
    client = _client(personas.member)
    client.post(f"/feedback/links/{link.pk}/accept/")
    feature = link.feature
    page = client.get(f"/feedback/features/{feature.pk}/loop/").content.decode()
    assert "disabled" in page
    assert "reaches Launch" in page
    refused = client.post(
        f"/feedback/features/{feature.pk}/loop/",
        {"subject": "It shipped", "body": "Hi $name", "send": "1"},
    )
    assert refused.status_code == 400
    assert mail.outbox == []
    Feature.objects.filter(pk=feature.pk).update(stage=Stage.LAUNCH)
    sent = client.post(
        f"/feedback/features/{feature.pk}/loop/",
        {"subject": "It shipped", "body": "Hi $name", "send": "1"},
    )
    assert sent.status_code == 302
    assert [m.to for m in mail.outbox] == [["jo@acme.test"]]


def test_demand_export_is_csv(personas: Personas, inbox: dict[str, Any]) -> None:
    link = _top(inbox["first"])
    client = _client(personas.leader)
    client.post(f"/feedback/links/{link.pk}/accept/")
    response = client.get("/feedback/demand.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert link.feature.name in response.content.decode()
    page = client.get("/feedback/demand/").content.decode()
    assert link.feature.name in page
    assert 'data-chart="demand-top"' in page
