"""Customer voice: feedback items, their links to features, themes, duplicates, votes, portals.

An item keeps the text exactly as entered; the model sees at most its first 256 word pieces
(``model_truncated`` says when it saw less). Embeddings are stored with the item (384 float32,
1.5 kB) keyed by the hash of the text they were computed from, so nothing is embedded twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from quarterdeck.portfolio.models import Feature, Product, ProductLine


class Source(models.TextChoices):
    FORM = "form", "Quick-add form"
    API = "api", "API"
    CSV = "csv", "CSV import"
    SURVEY = "survey", "Survey verbatim"
    PORTAL = "portal", "Portal"
    SUPPORT = "support", "Support ticket"
    SALES = "sales", "Sales call"
    EMAIL = "email", "Email"


class Status(models.TextChoices):
    NEW = "new", "New"
    TRIAGED = "triaged", "Triaged"
    LINKED = "linked", "Linked"
    CLOSED = "closed", "Closed"


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class Importance(models.TextChoices):
    NICE = "nice_to_have", "Nice-to-have"
    IMPORTANT = "important", "Important"
    CRITICAL = "critical", "Critical"


class LinkState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class DuplicateState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    MERGED = "merged", "Merged"
    DISMISSED = "dismissed", "Not a duplicate"


class Theme(models.Model):
    """A group of feedback about one thing, found by clustering (or made by a split/merge)."""

    name = models.CharField(max_length=200)
    auto_label = models.CharField(max_length=200, blank=True)
    renamed = models.BooleanField(default=False)  # a person named it: re-clustering keeps the name
    keywords = models.JSONField(default=list, blank=True)
    centroid = models.BinaryField(null=True, blank=True)  # float32[384], L2-normalised
    size = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size", "name"]

    def __str__(self) -> str:
        return self.name


class ThemeRun(models.Model):
    """One clustering of the whole inbox: when, how many items and themes, how long it took."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    items = models.PositiveIntegerField(default=0)
    themes = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Theme run {self.started_at:%Y-%m-%d %H:%M}"


class FeedbackItem(models.Model):
    text = models.TextField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    external_id = models.CharField(
        max_length=200, blank=True
    )  # id in the source; re-imports update
    submitter_name = models.CharField(max_length=200, blank=True)
    submitter_email = models.EmailField(blank=True)
    account = models.CharField(
        max_length=200, blank=True, db_index=True
    )  # revenue/event account id
    account_name = models.CharField(max_length=200, blank=True)
    segment = models.CharField(max_length=100, blank=True)
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    line = models.ForeignKey(  # the portal it came through (or the product's line)
        ProductLine, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    tags = models.JSONField(default=list, blank=True)
    sentiment = models.CharField(max_length=10, choices=Sentiment.choices, blank=True)
    sentiment_score = models.FloatField(null=True, blank=True)  # from -1 to 1
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    theme_score = models.FloatField(null=True, blank=True)  # cosine to the theme's centroid
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    votes = models.PositiveIntegerField(default=0)  # portal votes, merged duplicates' included
    public = models.BooleanField(default=False)  # shown on its line's portal
    survey_response = models.OneToOneField(
        "surveys.Response",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_item",
    )
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    text_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    model_truncated = models.BooleanField(default=False)
    processed_at = models.DateTimeField(null=True, blank=True)  # embedded, checked, themed
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="feedback_unique_external_id",
            )
        ]
        indexes = [models.Index(fields=["status", "-received_at"])]

    def __str__(self) -> str:
        return self.text[:60]


class FeedbackLink(models.Model):
    """Item (or a passage of it) → feature, with an importance. Suggested by the model, or made
    by a person; accepted and rejected suggestions teach later ranking."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="links")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="feedback_links")
    state = models.CharField(max_length=10, choices=LinkState.choices, default=LinkState.SUGGESTED)
    importance = models.CharField(
        max_length=15, choices=Importance.choices, default=Importance.IMPORTANT
    )
    score = models.FloatField(null=True, blank=True)  # the model's similarity when suggested
    passage = models.TextField(blank=True)  # the highlighted part; empty = the whole item
    passage_start = models.PositiveIntegerField(null=True, blank=True)
    passage_end = models.PositiveIntegerField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score", "id"]
        indexes = [models.Index(fields=["feature", "state"])]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.feature_id} ({self.state})"


class FeatureProfile(models.Model):
    """What the linker knows of a feature: its text's embedding and the mean of the feedback
    people accepted for it (rejections pull away). Rebuilt when the feature or a decision
    changes."""

    feature = models.OneToOneField(Feature, on_delete=models.CASCADE, related_name="profile")
    text_hash = models.CharField(max_length=64)
    text_embedding = models.BinaryField()
    accepted_centroid = models.BinaryField(null=True, blank=True)
    accepted_count = models.PositiveIntegerField(default=0)
    rejected_centroid = models.BinaryField(null=True, blank=True)
    rejected_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Profile of feature {self.feature_id}"


class DuplicateCandidate(models.Model):
    """A near-duplicate found on arrival: ``item`` arrived later than ``original``."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="+")
    original = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    state = models.CharField(
        max_length=10, choices=DuplicateState.choices, default=DuplicateState.SUGGESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["item", "original"], name="feedback_unique_duplicate")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} ≈ {self.original_id} ({self.score:.2f})"


class Vote(models.Model):
    """A portal vote: one per person (signed-in user, or e-mail on a public portal) per item."""

    item = models.ForeignKey(FeedbackItem, on_delete=models.CASCADE, related_name="vote_set")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voter_email = models.EmailField()
    voter_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "voter_email"], name="feedback_unique_vote")
        ]

    def __str__(self) -> str:
        return f"{self.voter_email} → {self.item_id}"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public (anyone with the link)"
    SIGNED_IN = "signed_in", "Signed-in users only"


class Portal(models.Model):
    """The idea portal of one product line."""

    line = models.OneToOneField(ProductLine, on_delete=models.CASCADE, related_name="portal")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.SIGNED_IN
    )
    enabled = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class LoopNotice(models.Model):
    """“You asked, we shipped”: the e-mail sent to everyone who asked for a launched feature."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="loop_notices")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    recipients = models.JSONField(default=list)  # [{"email", "name", "items": [ids]}]
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.subject
