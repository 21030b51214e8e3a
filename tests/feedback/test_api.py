"""The feedback API by persona: who reads, adds, triages, and sees the submitters' contacts."""

from __future__ import annotations

import pytest

from quarterdeck.feedback.models import FeedbackItem
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db

BODY = {
    "text": "Exports time out for our big ledgers",
    "submitter_name": "Pat Customer",
    "submitter_email": "pat@northwind.example",
    "account": "acc_9",
    "account_name": "Northwind",
}
CONTACTS = ("submitter_name", "submitter_email", "account", "account_name")


def _item(personas: Personas) -> FeedbackItem:
    from quarterdeck.feedback.services import feedback_create

    return feedback_create(actor=personas.member, data=BODY, process=False)


def test_viewer_reads_but_cannot_add(personas: Personas) -> None:
    item = _item(personas)
    viewer = Api(personas.viewer)
    assert viewer.get("/feedback").json()["count"] == 1
    assert viewer.get(f"/feedback/{item.pk}").status_code == 200
    assert viewer.post("/feedback", {"text": "x"}).status_code == 403
    assert Api(None).get("/feedback").status_code == 401


def test_contributor_adds_but_cannot_triage(personas: Personas) -> None:
    api = Api(personas.contributor)
    mine = api.post("/feedback", {"text": "Bulk edit please", "submitter_email": "c@x.example"})
    assert mine.status_code == 201
    own = mine.json()
    assert own["submitter_email"] == "c@x.example"  # they see contacts on what they added
    triage = api.patch(f"/feedback/{own['id']}", {"status": "triaged"}, if_match=1)
    assert triage.status_code == 403
    assert "triage" in triage.json()["message"]
    fix = api.patch(f"/feedback/{own['id']}", {"text": "Bulk edit of invoices"}, if_match=1)
    assert fix.status_code == 200
    other = _item(personas)
    assert api.patch(f"/feedback/{other.pk}", {"status": "triaged"}, if_match=1).status_code == 403
    assert api.delete(f"/feedback/{other.pk}", if_match=1).status_code == 403


def test_member_triages(personas: Personas) -> None:
    item = _item(personas)
    api = Api(personas.member)
    assert api.patch(f"/feedback/{item.pk}", {"status": "triaged"}).status_code == 428
    done = api.patch(f"/feedback/{item.pk}", {"status": "triaged", "public": True}, if_match=1)
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["public"], done.json()["version"]) == (
        "triaged", True, 2,
    )  # fmt: skip
    assert Api(personas.outsider).delete(f"/feedback/{item.pk}", if_match=2).status_code == 204
    assert not FeedbackItem.objects.exists()


@pytest.mark.parametrize("role", ["viewer", "contributor"])
def test_contacts_are_hidden_from_viewers_and_others_contributors(
    personas: Personas, role: str
) -> None:
    item = _item(personas)
    api = Api(personas.by_role()[role])
    single = api.get(f"/feedback/{item.pk}").json()
    listed = api.get("/feedback").json()["items"][0]
    for out in (single, listed):
        assert all(out[name] is None for name in CONTACTS), out
        assert out["text"] == BODY["text"]
    member = Api(personas.member).get(f"/feedback/{item.pk}").json()
    assert [member[name] for name in CONTACTS] == [BODY[name] for name in CONTACTS]


def test_list_filters(personas: Personas) -> None:
    from quarterdeck.feedback.services import feedback_create

    feedback_create(actor=None, process=False, data={
        "text": "Search is slow", "product_id": personas.atlas.pk, "tags": ["speed"],
        "source": "support", "status": "triaged",
    })  # fmt: skip
    feedback_create(actor=None, process=False, data={
        "text": "Beacon alerts are noisy", "product_id": personas.beacon.pk,
        "received_at": "2024-01-05T10:00:00Z",
    })  # fmt: skip
    api = Api(personas.viewer)

    def texts(**query: object) -> list[str]:
        response = api.get("/feedback", **query)
        assert response.status_code == 200, response.content
        return [i["text"] for i in response.json()["items"]]

    assert texts() == ["Search is slow", "Beacon alerts are noisy"]
    assert texts(line_id=personas.platform.pk) == ["Search is slow"]
    assert texts(product_id=personas.beacon.pk) == ["Beacon alerts are noisy"]
    assert texts(tag="speed") == texts(source="support") == texts(status="triaged")
    assert texts(q="NOISY") == ["Beacon alerts are noisy"]
    assert texts(until="2024-12-31T00:00:00Z") == ["Beacon alerts are noisy"]
    assert api.get("/feedback", status="nonsense").status_code == 422


def test_hidden_accounts_cannot_be_found_by_name(personas: Personas) -> None:
    """Search and the account filter read accounts only for those who may see them."""
    _item(personas)
    for role, found in (("viewer", 0), ("contributor", 0), ("member", 1)):
        api = Api(personas.by_role()[role])
        for query in ({"q": "Northwind"}, {"account": "acc_9"}):
            items = api.get("/feedback", **query).json()["items"]
            assert len(items) == found, (role, query, items)
        assert len(api.get("/feedback", q="ledgers").json()["items"]) == 1  # the text: anyone
