"""Shared by the transfer tests: files to upload, and an emptied database."""

from __future__ import annotations

import io
import zipfile

from quarterdeck.audit.models import AuditEntry
from quarterdeck.people.models import Person, Team
from quarterdeck.portfolio.models import Feature, Product, ProductLine, StageChange


def csv_zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def counts() -> dict[str, int]:
    return {
        "teams": Team.objects.count(),
        "people": Person.objects.count(),
        "lines": ProductLine.objects.count(),
        "products": Product.objects.count(),
        "features": Feature.objects.count(),
        "stage_changes": StageChange.objects.count(),
        # Tokens made to call the API are audited too; they are not what an import writes.
        "audit": AuditEntry.objects.exclude(object_type="apitoken").count(),
    }


def wipe() -> None:
    """Empty the portfolio and the people, children before parents, as a fresh instance (the
    outcomes set for lines and products first: an export does not carry the strategy)."""
    from quarterdeck.feedback.models import FeedbackItem
    from quarterdeck.strategy.models import Outcome

    FeedbackItem.objects.all().delete()  # nor the feedback
    while Outcome.objects.exists():
        Outcome.objects.filter(children__isnull=True).delete()
    StageChange.objects.all().delete()
    while Feature.objects.exists():
        Feature.objects.filter(children__isnull=True).delete()
    Product.objects.all().delete()
    while ProductLine.objects.exists():
        ProductLine.objects.filter(children__isnull=True).delete()
    Person.objects.all().delete()
    Team.objects.all().delete()
