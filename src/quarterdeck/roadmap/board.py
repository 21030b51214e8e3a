"""Writes to the roadmap: placing initiatives in the now / next / later lanes (order and dates),
saved roadmap views, and their signed share links. Each write runs in a transaction, goes
through the access_* doors, checks the caller's version and is audited.

``actor`` None is the system (command line, demo, applying a scenario from the CLI): no
permission checks, recorded as "system" in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    check_version,
)
from quarterdeck.portfolio.models import Feature
from quarterdeck.portfolio.selectors import access_feature
from quarterdeck.roadmap import board_selectors, sharing
from quarterdeck.roadmap.board_validation import clean_view
from quarterdeck.roadmap.models import Lane, RoadmapEntry, RoadmapView, Scenario, ShareLink

MAX_LINK_DAYS = 366


def _check_version(obj: RoadmapEntry | RoadmapView, expected: int | None, label: str) -> None:
    check_version(obj.version, expected, label)


def _feature(actor: User | None, feature_id: int) -> Feature:
    if actor is not None:
        return access_feature(actor, feature_id, for_write=True)
    feature = Feature.objects.filter(pk=feature_id).first()
    if feature is None:
        raise NotFound(f"There is no feature with id {feature_id}.")
    return feature


def _clean_place(lane: str, position: int | None, start: Any, end: Any) -> None:
    errors: dict[str, list[str]] = {}
    if lane not in Lane.values:
        errors["lane"] = [f"Unknown lane {lane!r}; use {', '.join(Lane.values)}."]
    if position is not None and (not isinstance(position, int) or position < 0):
        errors["position"] = ["Expected a whole number ≥ 0."]
    for name, value in (("start", start), ("end", end)):
        if value is not None and not isinstance(value, dt.date):
            errors[name] = ["Expected a date (YYYY-MM-DD)."]
    if not errors and start is not None and end is not None and end < start:
        errors["end"] = ["The end is before the start."]
    if errors:
        raise InvalidInput("The roadmap placement is not valid.", fields=errors)


def _close_gap(lane: str, position: int) -> None:
    RoadmapEntry.objects.filter(lane=lane, position__gt=position).update(position=F("position") - 1)


def _insert_at(entry: RoadmapEntry, lane: str, position: int | None) -> None:
    """Put the entry at ``position`` in ``lane`` (the end when None), shifting the others; the
    others keep their version: their order changed, not what anybody edited."""
    others = RoadmapEntry.objects.filter(lane=lane).exclude(pk=entry.pk)
    size = others.count()
    target = size if position is None else min(position, size)
    others.filter(position__gte=target).update(position=F("position") + 1)
    entry.lane, entry.position = lane, target


def entry_place(
    *,
    actor: User | None,
    feature_id: int,
    lane: str,
    position: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    scenario: Scenario | int | None = None,
    expected_version: int | None = None,
    keep_dates: bool = True,
    before_feature_id: int | None = None,
) -> RoadmapEntry:
    """Place an initiative on the roadmap (or move it): ``lane`` now/next/later, ``position`` in
    the lane (None: keep it when the lane does not change, else the end). With ``keep_dates``
    (the default) start/end None keep the entry's dates; with keep_dates=False they are set as
    given (None clears). ``before_feature_id`` (drag and drop on a filtered board, where the
    visible index is not the lane's) puts it just before that initiative, when in the lane."""
    _clean_place(lane, position, start, end)
    with transaction.atomic():
        feature = _feature(actor, feature_id)
        entry = RoadmapEntry.objects.select_for_update().filter(feature=feature).first()
        creating = entry is None
        if entry is None:
            entry = RoadmapEntry(feature=feature, lane=lane, position=0)
        else:
            _check_version(entry, expected_version, f"The roadmap place of “{feature.name}”")
        before = {} if creating else snapshot(entry)
        _move(entry, creating, lane, position, before_feature_id)
        if not keep_dates or start is not None or end is not None:
            entry.start = start if (start is not None or not keep_dates) else entry.start
            entry.end = end if (end is not None or not keep_dates) else entry.end
            if entry.start and entry.end and entry.end < entry.start:
                raise InvalidInput(
                    "The end would be before the start.",
                    fields={"end": ["The end is before the start."]},
                )
        if scenario is not None:
            entry.scenario_id = scenario if isinstance(scenario, int) else scenario.pk
        return _save_entry(actor, entry, before, creating)


def _move(
    entry: RoadmapEntry, creating: bool, lane: str, position: int | None, before: int | None
) -> None:
    if not creating and entry.lane == lane and position is None and before is None:
        return
    if not creating:
        _close_gap(entry.lane, entry.position)
        entry.position = -1  # out of the way while the lane makes room
    if before is not None and before != entry.feature_id:
        others = RoadmapEntry.objects.filter(lane=lane, feature_id=before).exclude(pk=entry.pk)
        position = others.values_list("position", flat=True).first()
    _insert_at(entry, lane, position)


def _save_entry(
    actor: User | None, entry: RoadmapEntry, before: dict[str, Any], creating: bool
) -> RoadmapEntry:
    after = snapshot(entry)
    if not creating and after == before:
        return entry
    if not creating:
        entry.version += 1
    entry.updated_by = actor if actor is not None and actor.pk else None
    entry.updated_at = timezone.now()
    entry.save()
    action = Action.CREATE if creating else Action.UPDATE
    audit_record(
        actor=actor, action=action, obj=entry, before=before, after=after,
        object_type="roadmap_entry",
    )  # fmt: skip
    return entry


MOVES = {"up": -1, "down": 1}


def entry_move(
    *, actor: User | None, feature_id: int, to: str, expected_version: int | None = None
) -> RoadmapEntry:
    """A keyboard move: ``to`` a lane (now/next/later, to its end) or "up"/"down" in its lane."""
    if to not in MOVES:
        return entry_place(
            actor=actor, feature_id=feature_id, lane=to, expected_version=expected_version
        )
    entry = board_selectors.entry_for_feature(feature_id)
    return entry_place(
        actor=actor, feature_id=feature_id, lane=entry.lane,
        position=max(0, entry.position + MOVES[to]), expected_version=expected_version,
    )  # fmt: skip


def entry_dates_set(
    *,
    actor: User | None,
    feature_id: int,
    start: dt.date | None,
    end: dt.date | None,
    expected_version: int | None = None,
) -> RoadmapEntry:
    """Set (or clear, with None) the planned dates of an initiative already on the roadmap."""
    entry = board_selectors.entry_for_feature(feature_id)
    return entry_place(
        actor=actor, feature_id=feature_id, lane=entry.lane, start=start, end=end,
        expected_version=expected_version, keep_dates=False,
    )  # fmt: skip


def entry_remove(*, actor: User | None, feature_id: int, expected_version: int | None) -> None:
    """Take an initiative off the roadmap (back to the unplaced tray)."""
    with transaction.atomic():
        feature = _feature(actor, feature_id)
        entry = RoadmapEntry.objects.select_for_update().filter(feature=feature).first()
        if entry is None:
            raise NotFound(f"“{feature.name}” is not on the roadmap.")
        _check_version(entry, expected_version, f"The roadmap place of “{feature.name}”")
        before, pk = snapshot(entry), entry.pk
        entry.delete()
        _close_gap(entry.lane, entry.position)
        entry.pk = pk
        audit_record(
            actor=actor, action=Action.DELETE, obj=entry, before=before,
            object_type="roadmap_entry",
        )  # fmt: skip


# Saved views ----------------------------------------------------------------------------------


def view_create(*, actor: User | None, data: Mapping[str, Any]) -> RoadmapView:
    if actor is not None and not rules.may_write_portfolio(actor):
        raise NotAllowed("Your role reads roadmaps and shared views but does not save views.")
    clean = clean_view(data, partial=False)
    with transaction.atomic():
        view = RoadmapView.objects.create(owner=actor, **clean)
        audit_record(
            actor=actor, action=Action.CREATE, obj=view, after=snapshot(view),
            object_type="roadmap_view",
        )  # fmt: skip
    return view


def _locked_view(actor: User | None, view_id: int) -> RoadmapView:
    if actor is not None:
        board_selectors.access_roadmap_view(actor, view_id, for_write=True)
    view = RoadmapView.objects.select_for_update().filter(pk=view_id).first()
    if view is None:
        raise NotFound(f"There is no roadmap view with id {view_id}.")
    return view


def view_update(
    *, actor: User | None, view_id: int, data: Mapping[str, Any], expected_version: int | None
) -> RoadmapView:
    clean = clean_view(data, partial=True)
    with transaction.atomic():
        view = _locked_view(actor, view_id)
        _check_version(view, expected_version, f"The view “{view.name}”")
        before = snapshot(view)
        for name, value in clean.items():
            setattr(view, name, value)
        after = snapshot(view)
        if after == before:
            return view
        view.version += 1
        view.updated_at = timezone.now()
        view.save()
        audit_record(
            actor=actor, action=Action.UPDATE, obj=view, before=before, after=after,
            object_type="roadmap_view",
        )  # fmt: skip
    return view


def view_delete(*, actor: User | None, view_id: int, expected_version: int | None) -> None:
    """Its share links go with it (they stop working at once)."""
    with transaction.atomic():
        view = _locked_view(actor, view_id)
        _check_version(view, expected_version, f"The view “{view.name}”")
        before, pk = snapshot(view), view.pk
        view.delete()
        view.pk = pk
        audit_record(
            actor=actor, action=Action.DELETE, obj=view, before=before,
            object_type="roadmap_view",
        )  # fmt: skip


# Share links ----------------------------------------------------------------------------------


def _clean_link(label: Any, expires_days: Any) -> tuple[str, dt.datetime | None]:
    errors: dict[str, list[str]] = {}
    if not isinstance(label, str) or len(label) > 200:
        errors["label"] = ["Expected a text of at most 200 characters."]
    ok_days = isinstance(expires_days, int) and not isinstance(expires_days, bool)
    if expires_days is not None and not (ok_days and 1 <= expires_days <= MAX_LINK_DAYS):
        errors["expires_days"] = [f"Expected a whole number of days from 1 to {MAX_LINK_DAYS}."]
    if errors:
        raise InvalidInput("The share link is not valid.", fields=errors)
    expires = None if expires_days is None else timezone.now() + dt.timedelta(days=expires_days)
    return str(label).strip(), expires


def link_create(
    *, actor: User | None, view_id: int, label: str = "", expires_days: int | None = None
) -> tuple[ShareLink, str]:
    """A new signed link to the view; returns it and its token (shown once, never stored)."""
    clean_label, expires = _clean_link(label, expires_days)
    with transaction.atomic():
        view = _locked_view(actor, view_id)
        link, token = sharing.link_new(view, clean_label, expires, actor)
        audit_record(
            actor=actor, action=Action.CREATE, obj=link, after=snapshot(link),
            object_type="share_link",
        )  # fmt: skip
    return link, token


def link_revoke(*, actor: User | None, link_id: int) -> ShareLink:
    with transaction.atomic():
        if actor is not None:
            board_selectors.access_share_link(actor, link_id, for_write=True)
        link = ShareLink.objects.select_for_update().filter(pk=link_id).first()
        if link is None:
            raise NotFound(f"There is no share link with id {link_id}.")
        if link.revoked_at is not None:
            return link
        before = snapshot(link)
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action=Action.UPDATE, obj=link, before=before, after=snapshot(link),
            object_type="share_link",
        )  # fmt: skip
    return link
