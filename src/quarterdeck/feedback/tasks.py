"""Background work of the feedback inbox: processing the items an import or a survey sync added."""

from __future__ import annotations

from typing import Any

from django.tasks import task

from quarterdeck.feedback.pipeline import process_items


@task()
def process_feedback(item_ids: list[int]) -> dict[str, Any]:
    """Embed, deduplicate, theme and suggest links for the items (see feedback.pipeline)."""
    return process_items(item_ids).as_dict()
