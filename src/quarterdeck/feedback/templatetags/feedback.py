"""Template helpers of the feedback pages: sentiment dots and status badges (shape and text,
never colour alone), scores, the passage highlight, and the evidence card of a feature page."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from quarterdeck.accounts.models import User
from quarterdeck.feedback.models import FeedbackLink, Importance, Sentiment, Status

register = template.Library()

SENTIMENT_MARKS = {"positive": "+", "neutral": "·", "negative": "\u2212"}  # a real minus


@register.simple_tag
def sentiment_dot(sentiment: str, score: float | None = None) -> SafeString:
    if sentiment not in Sentiment.values:
        return format_html('<span class="muted">{}</span>', "—")
    title = Sentiment(sentiment).label + ("" if score is None else f" ({score:+.2f})")
    return format_html(
        '<span class="sentiment sentiment-{}" title="{}"><span class="dot" aria-hidden="true">{}'
        '</span><span class="visually-hidden">{}</span></span>',
        sentiment,
        title,
        SENTIMENT_MARKS[sentiment],
        title,
    )


@register.simple_tag
def status_badge(status: str) -> SafeString:
    label = Status(status).label if status in Status.values else status
    return format_html('<span class="badge fb-status fb-status-{}">{}</span>', status, label)


@register.filter
def importance_label(value: str) -> str:
    return str(Importance(value).label) if value in Importance.values else value


@register.filter
def score(value: float | None) -> str:
    """A similarity as a whole percentage, as the pages show every model score."""
    return "—" if value is None else f"{round(100 * value)} %"


@register.simple_tag
def passage_text(link: FeedbackLink) -> str:
    """The linked passage, or the whole item's excerpt when the link is to all of it."""
    text = link.passage or link.item.text
    return text if len(text) <= 240 else text[:239] + "…"


@register.inclusion_tag("feedback/_evidence.html", takes_context=True)
def feedback_evidence(context: dict[str, Any], feature: Any) -> dict[str, Any]:
    """The feature's demand score, accepted feedback and pending suggestions (feature page)."""
    from quarterdeck.feedback.pages import feature_evidence

    user = context.get("user")
    if not isinstance(user, User):
        return {"evidence": None}
    return {"evidence": feature_evidence(user, feature), "user": user}


@register.simple_tag
def importance_options() -> list[tuple[str, str]]:
    """(value, short label) in key order: 1 nice-to-have, 2 important, 3 critical."""
    return [
        (Importance.NICE, "Nice"),
        (Importance.IMPORTANT, "Important"),
        (Importance.CRITICAL, "Critical"),
    ]
