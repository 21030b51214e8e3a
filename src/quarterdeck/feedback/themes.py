"""Themes: the inbox grouped by meaning, without being told how many groups.

``themes_recluster`` groups every embedded item anew (the ML core's ``cluster`` + ``describe``)
and replaces the themes in one transaction. A new group takes over the row of the old theme it
holds most of (more than half of that theme's items), so ids, and the names people gave, survive
re-clustering. New items are placed on arrival (``theme_place``) by the stored centroids.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.feedback.links import check_triage
from quarterdeck.feedback.ml import themes as ml_themes
from quarterdeck.feedback.ml import vectors
from quarterdeck.feedback.models import FeedbackItem, Theme, ThemeRun
from quarterdeck.feedback.profiles import as_bytes
from quarterdeck.lib.dates import workspace_today
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict

OBJECT_TYPE = "theme"
Progress = Callable[[str], None]
Matrix = npt.NDArray[np.float32]
Placed = tuple[int, float, int]  # (theme id, cosine to its centroid, item id)


@dataclass(frozen=True)
class Group:
    """One group of a clustering: its items (row indexes), centroid and description."""

    rows: list[int]
    centroid: npt.NDArray[np.float32]
    label: str
    keywords: list[str]


def theme_place(item: FeedbackItem, vector: npt.NDArray[np.float32]) -> Theme | None:
    """Put a new item in the nearest theme (None when every theme is too far) and save it."""
    themes = list(Theme.objects.filter(centroid__isnull=False).order_by("pk"))
    if not themes:
        return None
    row, score = ml_themes.place(vector, vectors.stack([as_bytes(t.centroid) for t in themes]))
    theme = None if row is None else themes[row]
    item.theme, item.theme_score = theme, (None if theme is None else float(score))
    FeedbackItem.objects.filter(pk=item.pk).update(theme=theme, theme_score=item.theme_score)
    if theme is not None:
        Theme.objects.filter(pk=theme.pk).update(size=F("size") + 1)
    return theme


def _groups(X: Matrix, texts: Sequence[str], labels: npt.NDArray[Any]) -> list[Group]:
    summaries = ml_themes.describe(texts, labels)
    centres = ml_themes.centroids(X, labels)
    found = []
    for label in sorted(int(v) for v in set(labels.tolist()) if v >= 0):
        rows = [int(i) for i in np.flatnonzero(labels == label)]
        about = summaries.get(label)
        name = about.label if about is not None else f"Theme {label + 1}"
        found.append(Group(rows, centres[label], name[:200], list(about.keywords) if about else []))
    return found


def _inherit(groups: list[Group], ids: list[int], old: dict[int, set[int]]) -> dict[int, int]:
    """Group index → old theme id it takes over: the group holds most of that theme's items."""
    taken: dict[int, int] = {}
    for index, group in enumerate(groups):
        counts = Counter(
            old_id for old_id, members in old.items() for i in group.rows if ids[i] in members
        )
        for old_id, held in counts.most_common():
            if held * 2 > len(old[old_id]) and old_id not in taken.values():
                taken[index] = old_id
                break
    return taken


def _write_group(group: Group, theme: Theme | None) -> Theme:
    theme = theme or Theme()
    if not theme.renamed:
        theme.name = group.label
    theme.auto_label, theme.keywords, theme.size = group.label, group.keywords, len(group.rows)
    theme.centroid = vectors.to_bytes(group.centroid)
    theme.updated_at = timezone.now()
    if theme.pk:
        theme.version += 1
    theme.save()
    return theme


def _place_rows(X: Matrix, ids: list[int], group: Group, theme: Theme) -> list[Placed]:
    scores = X[group.rows] @ group.centroid
    return [(theme.pk, float(s), ids[i]) for i, s in zip(group.rows, scores, strict=True)]


def _write_places(rows: list[Placed]) -> None:
    """Set (theme, score) of many items in one executemany: Django's bulk_update builds a CASE
    expression per row, which takes minutes for 100,000 items."""
    table = FeedbackItem._meta.db_table
    sql = f"UPDATE {table} SET theme_id = %s, theme_score = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def _assign(X: Matrix, ids: list[int], groups: list[Group], themes: list[Theme]) -> None:
    rows = [r for g, t in zip(groups, themes, strict=True) for r in _place_rows(X, ids, g, t)]
    FeedbackItem.objects.update(theme=None, theme_score=None)
    _write_places(rows)


def _replace_themes(X: Matrix, ids: list[int], groups: list[Group]) -> list[Theme]:
    old = {t.pk: t for t in Theme.objects.all()}
    members: dict[int, set[int]] = {pk: set() for pk in old}
    for item_id, theme_id in FeedbackItem.objects.filter(theme__isnull=False).values_list(
        "pk", "theme_id"
    ):
        members[theme_id].add(item_id)
    taken = _inherit(groups, ids, members)
    themes = [
        _write_group(g, old.get(taken[i]) if i in taken else None) for i, g in enumerate(groups)
    ]
    _assign(X, ids, groups, themes)
    Theme.objects.filter(pk__in=set(old) - set(taken.values())).delete()
    return themes


def themes_recluster(*, actor: User | None = None, progress: Progress | None = None) -> ThemeRun:
    """Group every embedded item anew; one transaction, recorded as a ThemeRun."""
    check_triage(actor)
    say = progress or (lambda message: None)
    started, run = (
        time.perf_counter(),
        ThemeRun(actor=actor if actor is not None and actor.pk else None),
    )
    rows = list(
        FeedbackItem.objects.filter(embedding__isnull=False)
        .order_by("pk")
        .values_list("pk", "text", "embedding")
    )
    say(f"Clustering {len(rows)} items")
    ids, texts = [r[0] for r in rows], [r[1] for r in rows]
    X = vectors.stack([as_bytes(r[2]) for r in rows])
    groups = _groups(X, texts, ml_themes.cluster(X)) if rows else []
    say(f"Writing {len(groups)} themes")
    with transaction.atomic():
        _replace_themes(X, ids, groups)
        run.items, run.themes = len(rows), len(groups)
        run.seconds, run.finished_at = time.perf_counter() - started, timezone.now()
        run.save()
    return run


def _snap(theme: Theme) -> dict[str, Any]:
    return snapshot(theme, exclude=("centroid",))  # bytes; the audit keeps JSON


def _check_version(theme: Theme, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != theme.version:
        raise VersionConflict(
            f"The theme “{theme.name}” was changed meanwhile (version {theme.version}); reload it.",
            current_version=theme.version,
        )


def _clean_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise InvalidInput(
            "name: a theme needs a name.", fields={"name": ["Give the theme a name."]}
        )
    if len(cleaned) > 200:
        raise InvalidInput(
            "name: at most 200 characters.", fields={"name": ["At most 200 characters."]}
        )
    return cleaned


def theme_rename(
    *, actor: User | None, theme: Theme, name: str, expected_version: int | None = None
) -> Theme:
    """A person's name for the theme; re-clustering keeps it (see the module docstring)."""
    check_triage(actor)
    cleaned = _clean_name(name)
    with transaction.atomic():
        theme = Theme.objects.select_for_update().get(pk=theme.pk)
        _check_version(theme, expected_version)
        before = _snap(theme)
        theme.name, theme.renamed = cleaned, True
        theme.version += 1
        theme.updated_at = timezone.now()
        theme.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=theme,
            before=before,
            after=_snap(theme),
            object_type=OBJECT_TYPE,
        )
    return theme


def _describe_one(theme: Theme) -> None:
    """Recompute a theme's centroid, size, label and keywords from its items."""
    rows = list(theme.items.filter(embedding__isnull=False).values_list("pk", "text", "embedding"))
    X = vectors.stack([as_bytes(r[2]) for r in rows])
    labels = np.zeros(len(rows), dtype=np.int64)
    (group,) = _groups(X, [r[1] for r in rows], labels) if rows else [None]
    theme.size = theme.items.count()
    if group is not None:
        theme.centroid, theme.auto_label, theme.keywords = (
            vectors.to_bytes(group.centroid),
            group.label,
            group.keywords,
        )
        _write_places(_place_rows(X, [r[0] for r in rows], group, theme))


def theme_merge(*, actor: User | None, themes: Sequence[Theme], name: str = "") -> Theme:
    """Several themes become one (the largest keeps its row); its centroid is recomputed."""
    check_triage(actor)
    unique = sorted({t.pk: t for t in themes}.values(), key=lambda t: (-t.size, t.pk))
    if len(unique) < 2:
        raise InvalidInput(
            "theme_ids: merge needs at least two different themes.",
            fields={"theme_ids": ["Pick two or more themes."]},
        )
    target, others = unique[0], unique[1:]
    with transaction.atomic():
        before = _snap(target)
        FeedbackItem.objects.filter(theme__in=others).update(theme=target)
        for other in others:
            audit_record(
                actor=actor,
                action=Action.DELETE,
                obj=other,
                before=_snap(other),
                object_type=OBJECT_TYPE,
            )
        Theme.objects.filter(pk__in=[t.pk for t in others]).delete()
        _describe_one(target)
        if name.strip():
            target.name, target.renamed = _clean_name(name), True
        elif not target.renamed:
            target.name = target.auto_label or target.name
        target.version += 1
        target.updated_at = timezone.now()
        target.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=target,
            before=before,
            after=_snap(target),
            object_type=OBJECT_TYPE,
        )
    return target


def _two_or_more(X: Matrix) -> npt.NDArray[Any]:
    """The clustering's split of X, forced into at least two parts (KMeans with 2 if the
    clustering sees one group); items it leaves out join their nearest part."""
    labels = np.asarray(ml_themes.cluster(X), dtype=np.int64)
    if len({int(v) for v in labels if v >= 0}) < 2:
        from sklearn.cluster import KMeans

        return np.asarray(
            KMeans(n_clusters=2, n_init=4, random_state=0).fit_predict(X), dtype=np.int64
        )
    if (labels < 0).any():
        centres = ml_themes.centroids(X, labels)
        keys = sorted(centres)
        C = np.stack([centres[k] for k in keys])
        nearest = np.asarray(keys)[np.argmax(X[labels < 0] @ C.T, axis=1)]
        labels[labels < 0] = nearest
    return labels


def theme_split(*, actor: User | None, theme: Theme) -> list[Theme]:
    """Re-cluster one theme's items into two or more themes (the first keeps the row)."""
    check_triage(actor)
    rows = list(
        theme.items.filter(embedding__isnull=False)
        .order_by("pk")
        .values_list("pk", "text", "embedding")
    )
    if len(rows) < 2:
        raise InvalidInput(
            "theme: a theme needs at least two embedded items to split.",
            fields={"theme": ["Too few items to split."]},
        )
    X = vectors.stack([as_bytes(r[2]) for r in rows])
    ids = [r[0] for r in rows]
    groups = _groups(X, [r[1] for r in rows], _two_or_more(X))
    with transaction.atomic():
        before = _snap(theme)
        theme.renamed = False
        parts = [_write_group(g, theme if i == 0 else None) for i, g in enumerate(groups)]
        _write_places(
            [r for g, p in zip(groups, parts, strict=True) for r in _place_rows(X, ids, g, p)]
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=theme,
            before=before,
            after=_snap(theme),
            object_type=OBJECT_TYPE,
        )
        for part in parts[1:]:
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=part,
                after=_snap(part),
                object_type=OBJECT_TYPE,
            )
    return parts


@dataclass(frozen=True)
class WeekCount:
    week: date  # the Monday starting the ISO week
    count: int


def theme_trend(theme: Theme, weeks: int = 12) -> list[WeekCount]:
    """Items received per ISO week over the last ``weeks`` weeks, this one included, oldest
    first; weeks without items count 0."""
    if not 1 <= weeks <= 520:
        raise InvalidInput("weeks: give 1 to 520 weeks.", fields={"weeks": ["From 1 to 520."]})
    today = workspace_today()
    monday = today - timedelta(days=today.weekday())
    starts = [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    counts: Counter[date] = Counter()
    since = timezone.make_aware(datetime.combine(starts[0], clock.min))
    for received in theme.items.filter(received_at__gte=since).values_list(
        "received_at", flat=True
    ):
        day = timezone.localtime(received).date()
        counts[day - timedelta(days=day.weekday())] += 1
    return [WeekCount(start, counts[start]) for start in starts]


def representatives(theme: Theme, count: int = 5) -> list[FeedbackItem]:
    """The items closest to the theme's centre: its most typical examples."""
    return list(
        theme.items.order_by(F("theme_score").desc(nulls_last=True), "-received_at")[:count]
    )


def list_themes(user: User | None) -> list[Theme]:
    """Every theme, largest first (everyone who reads feedback)."""
    from quarterdeck.feedback.selectors import may_read_feedback

    if user is not None and not may_read_feedback(user):
        raise NotAllowed("Sign in to see feedback.")
    return list(Theme.objects.order_by("-size", "name", "pk"))
