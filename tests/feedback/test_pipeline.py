"""Arrival: embedding, duplicates, theme placement, link suggestions, the embedding cache, and
the worker's processing of an import."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from quarterdeck.feedback.ml.encoder import embed
from quarterdeck.feedback.ml.vectors import from_bytes, to_bytes
from quarterdeck.feedback.models import DuplicateCandidate, FeedbackItem, FeedbackLink, Theme
from quarterdeck.feedback.pipeline import process_items
from quarterdeck.portfolio.models import Feature
from tests.api.client import Api
from tests.personas import Personas

pytestmark = pytest.mark.django_db

FIRST = "When I click the export to CSV button nothing happens at all"
PARAPHRASE = "Nothing happens at all when I click the CSV export button"
UNRELATED = "Please add a dark mode, the white screen hurts my eyes at night"


def _add(personas: Personas, text: str, **more: Any) -> dict[str, Any]:
    response = Api(personas.member).post("/feedback", {"text": text, **more})
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def test_the_embedding_is_stored_and_matches_the_model(personas: Personas) -> None:
    item = FeedbackItem.objects.get(pk=_add(personas, FIRST)["id"])
    stored = from_bytes(bytes(item.embedding or b""))
    assert float(stored @ embed([FIRST]).vectors[0]) > 0.9999
    assert item.text_hash
    assert item.processed_at is not None


def test_a_paraphrase_is_a_duplicate_candidate_and_an_unrelated_text_is_not(
    personas: Personas,
) -> None:
    first = _add(personas, FIRST)["id"]
    _add(personas, UNRELATED)
    later = _add(personas, PARAPHRASE)["id"]
    (candidate,) = DuplicateCandidate.objects.all()
    assert (candidate.item_id, candidate.original_id) == (later, first)
    assert candidate.score >= 0.9
    listed = Api(personas.viewer).get(f"/feedback/{first}/duplicates").json()
    assert [c["item"]["id"] for c in listed] == [later]
    inbox = Api(personas.viewer).get("/feedback", has_duplicates="true").json()
    assert {i["id"] for i in inbox["items"]} == {first, later}


def test_a_new_item_is_placed_in_the_nearest_theme(personas: Personas) -> None:
    vectors = embed(["The CSV export is broken", "Dark mode for the night"]).vectors
    export = Theme.objects.create(name="Export", centroid=to_bytes(vectors[0]))
    Theme.objects.create(name="Dark mode", centroid=to_bytes(vectors[1]))
    out = _add(personas, FIRST)
    assert out["theme"] == {"id": export.pk, "name": "Export"}
    assert out["theme_score"] > 0.5


def test_link_suggestions_are_made_when_features_exist(personas: Personas) -> None:
    assert _add(personas, UNRELATED, product_id=personas.atlas.pk)  # no dark-mode feature yet
    dark = Feature.objects.create(
        name="Dark mode", product=personas.atlas, description="A dark colour scheme for the app"
    )
    item = _add(personas, UNRELATED + "!", product_id=personas.atlas.pk)["id"]
    suggested = FeedbackLink.objects.filter(item_id=item, state="suggested")
    assert dark.pk in set(suggested.values_list("feature_id", flat=True))


def test_identical_text_reuses_the_stored_embedding(personas: Personas) -> None:
    first = FeedbackItem.objects.get(pk=_add(personas, FIRST)["id"])
    twin = FeedbackItem.objects.create(text=FIRST, source="csv")
    other = FeedbackItem.objects.create(text=UNRELATED, source="csv")
    result = process_items([twin.pk, other.pk])
    assert (result.items, result.embedded, result.reused) == (2, 1, 1)
    twin.refresh_from_db()
    assert bytes(twin.embedding or b"") == bytes(first.embedding or b"")
    again = process_items([twin.pk])
    assert (again.embedded, again.reused) == (0, 0)  # unchanged text: nothing to embed


def test_an_import_is_processed_by_the_worker_after_the_commit(
    personas: Personas, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    content = f"Comment\n{FIRST}\n{UNRELATED}\n{PARAPHRASE}\n".encode()
    data = {
        "file": SimpleUploadedFile("f.csv", content, content_type="text/csv"),
        "mapping": json.dumps({"Comment": "text"}),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.member).post("/api/v1/feedback/import", data)
    assert response.status_code == 200, response.content
    assert not FeedbackItem.objects.filter(processed_at__isnull=True).exists()
    vectors = [from_bytes(bytes(i.embedding or b"")) for i in FeedbackItem.objects.all()]
    assert all(np.isclose(np.linalg.norm(v), 1.0, atol=1e-4) for v in vectors)
    assert DuplicateCandidate.objects.count() == 1


def test_a_changed_text_is_searched_as_it_is_now(personas: Personas) -> None:
    """The in-memory vectors follow edits: a paraphrase of the new text finds the item."""
    first = _add(personas, UNRELATED)["id"]
    _add(personas, "Invoices should be sent automatically every month")
    Api(personas.member).patch(f"/feedback/{first}", {"text": FIRST}, if_match=1)
    later = _add(personas, PARAPHRASE)["id"]
    assert DuplicateCandidate.objects.filter(item_id=later, original_id=first).exists()
