"""Reads of meetings for their documents: a meeting with its agenda, minutes, decisions and action points, and
the action points across meetings with the open ones carried forward."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.models import Group
from groups.services import minimum_meetings
from meetings.models import ActionPoint, Decision, Meeting


def meeting_for_documents(pk: int) -> Meeting:
    """A meeting with all its documents show: group, agenda, decisions, action points and attendees."""
    return (
        Meeting.objects.select_related("group")
        .prefetch_related(
            "agenda_items",
            "attendees",
            Prefetch("decisions", queryset=Decision.objects.order_by("number")),
            Prefetch("action_points", queryset=ActionPoint.objects.select_related("owner_agency", "owner")),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class ActionPointLine:
    """An action point with the meeting that raised it and how many later meetings of the same body it has been
    carried forward through (held meetings after its own, up to the list's day, while it stayed open)."""

    point: ActionPoint
    carried: int
    overdue: bool

    @property
    def meeting(self) -> Meeting:
        return self.point.meeting


STATUS_CHOICES = {
    "open": _("Open"),
    "all": pgettext_lazy("action points", "All"),
    "done": _("Done"),
    "dropped": _("Dropped"),
}


def action_point_lines(*, on: date, status: str = "open", group: Group | None = None) -> list[ActionPointLine]:
    """Action points across meetings, oldest meeting first, in three queries however many there are.

    A point is carried forward by every later held meeting of the same body - the same group, or for the GMG's
    own meetings, any meeting without a group - until it is done (its done day) or up to `on`. With `status`
    "open", only the points still open; `group` keeps those raised at the group's meetings.
    """
    return action_point_lines_of(list(action_points_listed(status=status, group=group)), on=on)


def action_points_listed(*, status: str = "open", group: Group | None = None):
    """The action points `action_point_lines` lists, oldest meeting first, as a queryset (to show a page of)."""
    points = ActionPoint.objects.select_related("meeting__group", "owner_agency", "owner").defer(
        "meeting__minutes", "meeting__search_vector"
    )
    if status in ("open", "done", "dropped"):
        points = points.filter(status=status)
    if group is not None:
        points = points.filter(meeting__group=group)
    return points.order_by("meeting__starts_on", "meeting__title", "due_on", "pk")


def action_point_lines_of(points: list[ActionPoint], *, on: date) -> list[ActionPointLine]:
    """The lines of some action points (a page of them): how many later meetings carried each, whether it is
    overdue on `on`; one query for the held meetings of their bodies."""
    bodies = {point.meeting.group_id for point in points}
    same_bodies = Q(group_id__in=bodies - {None}) | (Q(group__isnull=True) if None in bodies else Q(pk__in=[]))
    held: dict[int | None, list[date]] = defaultdict(list)
    for group_id, day in (
        Meeting.objects.filter(same_bodies, status=Meeting.Status.HELD, starts_on__isnull=False)
        .order_by("starts_on")
        .values_list("group_id", "starts_on")
    ):
        held[group_id].append(day)
    lines = []
    for point in points:
        raised = point.meeting.starts_on
        until = on
        if point.status == ActionPoint.Status.DONE and point.done_on:
            until = min(on, point.done_on)
        days = held[point.meeting.group_id]
        carried = 0
        if raised is not None:
            carried = max(0, bisect_right(days, until) - bisect_right(days, raised))
        overdue = point.status == ActionPoint.Status.OPEN and point.due_on is not None and point.due_on < on
        lines.append(ActionPointLine(point=point, carried=carried, overdue=overdue))
    return lines


def carried_forward_to(meeting: Meeting) -> list[ActionPoint]:
    """The action points of earlier meetings of the same body still open on the meeting's day: what its
    minutes carry forward (a point done or dropped since stays out; one done after the day is still listed)."""
    if meeting.starts_on is None:
        return []
    same_body = Q(meeting__group=meeting.group) if meeting.group_id else Q(meeting__group__isnull=True)
    still_open = Q(status=ActionPoint.Status.OPEN) | Q(status=ActionPoint.Status.DONE, done_on__gt=meeting.starts_on)
    return list(
        ActionPoint.objects.filter(same_body, still_open, meeting__starts_on__lt=meeting.starts_on)
        .select_related("meeting", "owner_agency", "owner")
        .order_by("meeting__starts_on", "due_on", "pk")
    )


def meetings_held(group: Group, year: int) -> int:
    """The group's meetings the record marks as held in a calendar year."""
    return group.meetings.filter(status=Meeting.Status.HELD, starts_on__year=year).count()


def held_meeting_counts(first_year: int, last_year: int) -> Counter:
    """Held group meetings per (group id, year), in one query."""
    rows = (
        Meeting.objects.filter(
            group__isnull=False,
            status=Meeting.Status.HELD,
            starts_on__year__gte=first_year,
            starts_on__year__lte=last_year,
        )
        .annotate(year=ExtractYear("starts_on"))
        .values("group_id", "year")
        .annotate(held=Count("id"))
    )
    return Counter({(row["group_id"], row["year"]): row["held"] for row in rows})


def meetings_short_of_minimum(year: int) -> list[tuple[Group, int, int]]:
    """Groups that held fewer meetings in the year than their ToR asks: (group, held, minimum), by group."""
    counts = held_meeting_counts(year, year)
    short = []
    for group in Group.objects.prefetch_related("terms_of_reference").order_by("kind", "name"):
        minimum = minimum_meetings(group, year)
        if minimum is not None and counts[(group.pk, year)] < minimum:
            short.append((group, counts[(group.pk, year)], minimum))
    return short


def held_principals_meetings() -> list[Meeting]:
    """The Principals meetings the record marks as held, dated (the chair's obligation: at least one a term)."""
    return list(Meeting.objects.filter(kind=Meeting.Kind.PRINCIPALS, status=Meeting.Status.HELD).dated())
