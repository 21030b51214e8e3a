"""Close the loop: who is told, the preview, sending only at launch, one mail each."""

from __future__ import annotations

from typing import Any

import pytest

from quarterdeck.feedback.duplicates import duplicate_merge
from quarterdeck.feedback.models import FeedbackLink, LoopNotice, Vote
from quarterdeck.portfolio.models import Feature, Stage
from tests.api.client import Api
from tests.feedback.insight_factory import item
from tests.personas import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(personas: Personas) -> Feature:
    """Atlas Search at launch, asked for by Ann and Bob; Cy's duplicate of Ann's ask was merged;
    Dee voted for Ann's ask, and Bob voted too (his address in capitals)."""
    search = personas.search
    ann = item("Search by invoice number please", product=personas.atlas,
               submitter_name="Ann", submitter_email="ann@acme.test")  # fmt: skip
    bob = item("Searching all products at once", product=personas.atlas,
               submitter_name="Bob", submitter_email="bob@globex.test")  # fmt: skip
    cy = item("Please let me search invoices by number", product=personas.atlas,
              submitter_name="Cy", submitter_email="cy@initech.test")  # fmt: skip
    item("Unrelated: dark mode", product=personas.atlas, submitter_email="zed@x.test")
    for it in (ann, bob):
        FeedbackLink.objects.create(item=it, feature=search, state="accepted")
    duplicate_merge(actor=personas.member, candidate_or_items=(cy, ann))
    Vote.objects.create(item=ann, voter_email="dee@acme.test", voter_name="Dee")
    Vote.objects.create(item=ann, voter_email="BOB@globex.test", voter_name="Bob B.")
    search.stage = Stage.LAUNCH
    search.save()
    return search


def _preview(api: Api, feature: Feature, **query: Any) -> dict[str, Any]:
    response = api.get(f"/features/{feature.pk}/loop", **query)
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_recipients_include_merged_duplicates_and_voters_once_each(
    personas: Personas, shipped: Feature
) -> None:
    preview = _preview(Api(personas.member), shipped)
    emails = [r["email"].lower() for r in preview["recipients"]]
    assert emails == ["ann@acme.test", "bob@globex.test", "cy@initech.test", "dee@acme.test"]
    assert preview["launched"] is True
    assert preview["last_sent"] is None


def test_preview_renders_each_name_and_their_own_items(
    personas: Personas, shipped: Feature
) -> None:
    preview = _preview(Api(personas.member), shipped, subject="$feature is here, $name")
    by_email = {m["email"].lower(): m for m in preview["messages"]}
    ann = by_email["ann@acme.test"]
    assert ann["subject"] == "Atlas Search is here, Ann"
    assert "Hello Ann" in ann["body"]
    assert "Search by invoice number please" in ann["body"]
    assert "Searching all products" not in ann["body"]  # Bob's words go to Bob only
    assert "Search by invoice number please" in by_email["cy@initech.test"]["body"]


def test_send_mails_each_recipient_once_and_records_the_notice(
    personas: Personas, shipped: Feature, mailoutbox: list[Any]
) -> None:
    api = Api(personas.member)
    response = api.post(f"/features/{shipped.pk}/loop", {"subject": "Shipped: $feature"})
    assert response.status_code == 201, response.content
    assert response.json()["recipients"] == 4
    assert sorted(m.to[0].lower() for m in mailoutbox) == [
        "ann@acme.test", "bob@globex.test", "cy@initech.test", "dee@acme.test"
    ]  # fmt: skip
    assert all(m.subject == "Shipped: Atlas Search" and len(m.to) == 1 for m in mailoutbox)
    again = api.post(f"/features/{shipped.pk}/loop", {})
    assert again.status_code == 400
    assert "force" in again.json()["fields"]
    assert len(mailoutbox) == 4
    forced = api.post(f"/features/{shipped.pk}/loop", {"force": True})
    assert forced.status_code == 201
    assert len(mailoutbox) == 8
    assert LoopNotice.objects.filter(feature=shipped).count() == 2


def test_nothing_is_sent_before_launch(
    personas: Personas, shipped: Feature, mailoutbox: list[Any]
) -> None:
    shipped.stage = Stage.BUILD
    shipped.save()
    api = Api(personas.member)
    assert _preview(api, shipped)["launched"] is False
    response = api.post(f"/features/{shipped.pk}/loop", {})
    assert response.status_code == 400
    assert "stage" in response.json()["fields"]
    assert mailoutbox == []
    assert not LoopNotice.objects.exists()


def test_only_the_features_owners_send(
    personas: Personas, shipped: Feature, mailoutbox: list[Any]
) -> None:
    for user in (personas.other_manager, personas.outsider, personas.viewer):
        assert Api(user).post(f"/features/{shipped.pk}/loop", {}).status_code == 403
    assert Api(personas.viewer).get(f"/features/{shipped.pk}/loop").status_code == 403
    assert mailoutbox == []


def test_cli_notify_previews_then_sends(shipped: Feature, mailoutbox: list[Any]) -> None:
    from click.testing import CliRunner

    from quarterdeck.cli import cli

    preview = CliRunner().invoke(cli, ["feedback", "notify", "Atlas/Atlas Search"])
    assert preview.exit_code == 0, preview.output
    assert "To: ann@acme.test" in preview.output
    assert "Hello Ann" in preview.output
    assert mailoutbox == []
    sent = CliRunner().invoke(cli, ["feedback", "notify", str(shipped.pk), "--send"])
    assert sent.exit_code == 0, sent.output
    assert "Sent 4 mails" in sent.output
    assert len(mailoutbox) == 4
    again = CliRunner().invoke(cli, ["feedback", "notify", str(shipped.pk), "--send"])
    assert again.exit_code == 1
    assert "force" in again.output
    unknown = CliRunner().invoke(cli, ["feedback", "notify", "Nope"])
    assert unknown.exit_code == 1
    assert "no feature 'Nope'" in unknown.output
