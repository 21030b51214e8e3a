"""The workspace calendar: what "today" is for every figure (settings.TIME_ZONE)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings


def workspace_today() -> date:
    return datetime.now(ZoneInfo(settings.TIME_ZONE)).date()
