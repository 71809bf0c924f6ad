"""Reads of the calendar of events: the events of a window, who has answered an input request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q

from groups.models import Agency

from .models import Contribution, ExternalEvent, InputRequest


def events_between(first: date, last: date):
    """The events with a day in [first, last] (an event over several days meets the window on any of them)."""
    return ExternalEvent.objects.filter(starts_on__lte=last).filter(
        Q(ends_on__gte=first) | Q(ends_on__isnull=True, starts_on__gte=first)
    )


def event_list():
    """Every event with its number of input requests, in date order."""
    return ExternalEvent.objects.annotate(request_count=Count("input_requests")).order_by("starts_on", "name")


@dataclass(frozen=True)
class Answer:
    agency: Agency
    contributions: list[Contribution]

    @property
    def answered(self) -> bool:
        return bool(self.contributions)


def request_answers(input_request: InputRequest) -> list[Answer]:
    """Each asked agency, in rotation order, with its contributions (none: not answered yet). Two queries."""
    agencies = list(input_request.agencies.order_by("sort_name"))
    by_agency: dict[int, list[Contribution]] = {a.pk: [] for a in agencies}
    for contribution in input_request.contributions.select_related("author").order_by("submitted_at"):
        by_agency.setdefault(contribution.agency_id, []).append(contribution)
    return [Answer(agency=a, contributions=by_agency[a.pk]) for a in agencies]


def event_with_requests(pk: int) -> ExternalEvent:
    requests = InputRequest.objects.prefetch_related("agencies", "contributions").order_by("due_on", "pk")
    return ExternalEvent.objects.prefetch_related(Prefetch("input_requests", queryset=requests)).get(pk=pk)
