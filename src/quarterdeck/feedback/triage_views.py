"""The triage actions — accept or reject a suggestion, set an accepted link's importance, merge
or dismiss a duplicate, close an item. Each is one POST: from an inbox row (htmx, the keys
a/x/1/2/3/m/c) it answers with the re-rendered row, so the selection and focus stay where they
were; from the item page (a plain form) it redirects back to the item."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from quarterdeck.feedback import duplicates, links, pages, selectors, services
from quarterdeck.feedback.models import DuplicateCandidate, FeedbackLink, Importance, Status
from quarterdeck.feedback.views import status_tabs_context
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.web.views.common import user_of


def _answer(request: HttpRequest, item_id: int, done: str) -> HttpResponse:
    if request.POST.get("from") == "row":
        row = pages.one_row(user_of(request), item_id)
        context = {"row": row, "may_triage": True, "selected": True, "done": done, "oob": True}
        context |= status_tabs_context(request, _inbox_params(request))
        return render(request, "feedback/_triaged.html", context)
    messages.success(request, done)
    return redirect("feedback:item", item_id)


def _inbox_params(request: HttpRequest) -> QueryDict:
    """The inbox's filters, from the page the row is on (htmx sends its URL)."""
    url = request.headers.get("HX-Current-URL", "")
    return QueryDict(urlsplit(url).query)


def _link(request: HttpRequest, pk: int) -> FeedbackLink:
    return links.access_link(user_of(request), pk, for_write=True)


def _candidate(request: HttpRequest, pk: int) -> DuplicateCandidate:
    return selectors.access_candidate(user_of(request), pk, for_write=True)


def _importance(request: HttpRequest) -> str | None:
    value = request.POST.get("importance") or None
    if value is not None and value not in Importance.values:
        choices = ", ".join(Importance.values)
        raise InvalidInput(f"Importance must be one of {choices}.", fields={"importance": [value]})
    return value


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    links.link_accept(actor=user_of(request), link=link, importance=_importance(request))
    return _answer(request, link.item_id, f"Linked to {link.feature.name}.")


@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    links.link_reject(actor=user_of(request), link=link)
    return _answer(request, link.item_id, f"Suggestion {link.feature.name} rejected.")


@require_POST
def importance(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    value = _importance(request)
    if value is None:
        raise InvalidInput("Choose an importance.", fields={"importance": ["required"]})
    links.link_update(actor=user_of(request), link=link, data={"importance": value})
    label = Importance(value).label
    return _answer(request, link.item_id, f"{link.feature.name}: importance {label}.")


@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    link = _link(request, pk)
    links.link_delete(actor=user_of(request), link=link)
    return _answer(request, link.item_id, f"Link to {link.feature.name} removed.")


@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    duplicates.duplicate_merge(actor=user_of(request), candidate_or_items=candidate)
    return _answer(request, candidate.item_id, "Merged into the earlier item.")


@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = _candidate(request, pk)
    duplicates.duplicate_dismiss(actor=user_of(request), candidate=candidate)
    return _answer(request, candidate.item_id, "Marked as not a duplicate.")


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    item = selectors.access_feedback(user, pk, for_write=True)
    data = {"status": Status.CLOSED}
    services.feedback_update(actor=user, item=item, data=data, expected_version=item.version)
    return _answer(request, pk, "Closed.")
