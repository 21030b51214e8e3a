"""Close the loop: when a feature launches, tell everyone who asked for it.

Recipients are the submitters of the items accepted for the feature, the submitters of the
duplicates merged into those items, and everyone who voted for them on a portal — one e-mail per
address, naming the items that person wrote. Mail goes through Django's default mailer
(``MAILERS``: SMTP from QUARTERDECK_SMTP_URL, the console in development).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from string import Template

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.feedback.models import FeedbackItem, FeedbackLink, LinkState, LoopNotice, Vote
from quarterdeck.lib.errors import InvalidInput, NotAllowed
from quarterdeck.portfolio.models import Feature, Stage
from quarterdeck.portfolio.selectors import may_change_item

STAGES = list(Stage.values)
DEFAULT_SUBJECT = "You asked, we built it: $feature"
DEFAULT_BODY = """Hello $name,

you told us what you needed, and we listened: $feature is now live in $product.

What you wrote:
$items

Thank you for taking the time to tell us — keep it coming.
"""


@dataclass
class Recipient:
    email: str
    name: str
    items: list[int] = field(default_factory=list)  # the items they wrote or voted for


@dataclass(frozen=True)
class Message:
    email: str
    subject: str
    body: str


@dataclass(frozen=True)
class LoopPreview:
    feature: Feature
    subject: str
    body: str  # the template, with $name, $feature, $product and $items
    recipients: list[Recipient]
    messages: list[Message]  # every recipient's rendered mail
    launched: bool  # the stage is launch or later: sending is possible
    last_sent: LoopNotice | None


def launched(feature: Feature) -> bool:
    return STAGES.index(feature.stage) >= STAGES.index(Stage.LAUNCH)


def _add(found: dict[str, Recipient], email: str, name: str, item_id: int) -> None:
    key = email.strip().lower()
    if not key:
        return
    recipient = found.setdefault(key, Recipient(email.strip(), name.strip()))
    recipient.name = recipient.name or name.strip()
    if item_id not in recipient.items:
        recipient.items.append(item_id)


def loop_recipients(feature: Feature) -> list[Recipient]:
    """Everyone who asked for the feature, deduplicated by e-mail (case-insensitive)."""
    asked = set(
        FeedbackLink.objects.filter(feature=feature, state=LinkState.ACCEPTED).values_list(
            "item_id", flat=True
        )
    )
    found: dict[str, Recipient] = {}
    items = FeedbackItem.objects.filter(pk__in=asked) | FeedbackItem.objects.filter(
        duplicate_of_id__in=asked
    )
    for item in items.order_by("received_at", "pk"):
        _add(found, item.submitter_email, item.submitter_name, item.duplicate_of_id or item.pk)
    for vote in Vote.objects.filter(item_id__in=asked).order_by("created_at", "pk"):
        _add(found, vote.voter_email, vote.voter_name, vote.item_id)
    return sorted(found.values(), key=lambda r: r.email.lower())


def _quoted(item_ids: list[int], texts: dict[int, str]) -> str:
    lines = []
    for pk in item_ids:
        text = " ".join(texts.get(pk, "").split())
        lines.append(f"  > {text[:300]}{'…' if len(text) > 300 else ''}")
    return "\n".join(lines)


def _render(template: str, feature: Feature, recipient: Recipient, texts: dict[int, str]) -> str:
    values = {
        "name": recipient.name or "there",
        "feature": feature.name,
        "product": feature.product.name,
        "items": _quoted(recipient.items, texts),
    }
    return Template(template).safe_substitute(values)


def loop_preview(
    *, feature: Feature, subject: str | None = None, body: str | None = None
) -> LoopPreview:
    """The mail each recipient would get, rendered with their name and the items they wrote."""
    subject = (subject or "").strip() or DEFAULT_SUBJECT
    body = body if body and body.strip() else DEFAULT_BODY
    recipients = loop_recipients(feature)
    ids = {pk for r in recipients for pk in r.items}
    texts = dict(FeedbackItem.objects.filter(pk__in=ids).values_list("pk", "text"))
    messages = [
        Message(
            r.email,
            " ".join(_render(subject, feature, r, texts).split())[:200],
            _render(body, feature, r, texts),
        )
        for r in recipients
    ]
    last = LoopNotice.objects.filter(feature=feature).first()
    return LoopPreview(feature, subject, body, recipients, messages, launched(feature), last)


def _check_send(actor: User | None, preview: LoopPreview, force: bool) -> None:
    feature = preview.feature
    if actor is not None and not may_change_item(actor, feature):
        raise NotAllowed(
            f"You may not send news of the feature “{feature.name}”: it is not yours to change."
        )
    if not preview.launched:
        label = Stage(feature.stage).label
        message = f"“{feature.name}” is at {label}; tell people once it reaches Launch."
        raise InvalidInput(f"stage: {message}", fields={"stage": [message]})
    if not preview.recipients:
        message = "Nobody to tell: no accepted feedback with an e-mail address is linked to it."
        raise InvalidInput(message, fields={"recipients": [message]})
    if preview.last_sent is not None and not force:
        when = timezone.localtime(preview.last_sent.sent_at).strftime("%Y-%m-%d %H:%M")
        message = f"Already sent on {when}; send again only on purpose (force)."
        raise InvalidInput(f"force: {message}", fields={"force": [message]})


def loop_send(
    *,
    actor: User | None,
    feature: Feature,
    subject: str | None = None,
    body: str | None = None,
    force: bool = False,
) -> LoopNotice:
    """Mail every recipient (one mail each) and record the notice. Only at launch or later;
    a second send needs ``force``. ``actor`` None is the operator at the command line."""
    preview = loop_preview(feature=feature, subject=subject, body=body)
    _check_send(actor, preview, force)
    mails = [
        EmailMessage(m.subject, m.body, settings.DEFAULT_FROM_EMAIL, [m.email])
        for m in preview.messages
    ]
    with transaction.atomic():
        notice = LoopNotice.objects.create(
            feature=feature,
            subject=preview.subject[:200],
            body=preview.body,
            recipients=[
                {"email": r.email, "name": r.name, "items": r.items} for r in preview.recipients
            ],
            sent_by=actor if actor is not None and actor.pk else None,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=notice,
            after=snapshot(notice),
            object_type="loop_notice",
        )
        mailers.default.send_messages(mails)
    return notice


def loop_preview_for(
    user: User, feature: Feature, *, subject: str | None = None, body: str | None = None
) -> LoopPreview:
    """The preview, for those who see customers' contacts (members and up)."""
    from quarterdeck.feedback.selectors import may_triage

    if not may_triage(user):
        raise NotAllowed("The preview shows customers' e-mail addresses: members and up only.")
    return loop_preview(feature=feature, subject=subject, body=body)
