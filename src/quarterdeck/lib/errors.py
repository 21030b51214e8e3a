"""Domain errors raised by services and selectors; the web and API edges turn them into 4xx."""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(DomainError):
    """Input that breaks a rule; ``fields`` maps field names to what is wrong with each."""

    status = 400


class NotAllowed(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class VersionConflict(DomainError):
    """Somebody else changed the object since the caller read it."""

    status = 412

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


def check_version(current: int, expected: int | None, what: str) -> None:
    """Raise VersionConflict when the caller edited an older version of ``what`` (e.g. "The
    launch plan “Beta”"); ``expected`` None means the caller sent no version (not checked)."""
    if expected is not None and current != expected:
        raise VersionConflict(
            f"{what} was changed by someone else (now version {current}, you edited version "
            f"{expected}). Reload it and apply your change again.",
            current_version=current,
        )


class VersionRequired(DomainError):
    status = 428
