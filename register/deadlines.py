"""The register of every dated obligation of the GMG (DOMAIN.md: Deadline and reminder).

This is the one place the portal computes due dates and states: the dashboards, reminders, calendar feeds,
reports and the `deadlines` command all read `register.reading.obligations()`, the stored copy of what
these rules find (`register.stored`). The rules behind the dates live with their
records (`chairs.services`, `groups.services`); the register gathers them, adds the state against today, and
names who is responsible. It reads the record in a fixed number of queries, whatever its size.

What is in it, and when each is done (the record shows it):
- chair terms (`chairs.services.chair_obligations`): letter of commitment, annual work plan, at least one
  Principals meeting in the term, annual report - done when the term's dates are filled in or, for the
  Principals meeting, when a Principals meeting within the term is marked held;
- groups, per calendar year: the minimum number of meetings (due 31 December, done when enough meetings are
  marked held; `done_on` is the day of the meeting that reached the minimum), the reviews the ToR asks for
  (done when an evaluation of the group is recorded: `groups.models.Evaluation`)
  and, for a group whose chair rotates annually, the 1 January handover (done on its day, by the rule);
- decisions on trial reaching their review date (done when `reviewed_on` is filled in);
- activities with an end date, cancelled ones aside (done when completed); the responsible agency is the
  first lead agency or, for an activity the work plan gives to "the GMG Chair", the chair when it ends;
- action points with a due date, dropped ones aside (done when done);
- every meeting not cancelled, on its first day (done when held);
- reporting rounds: each lead agency of an activity in a round's scope owes its progress updates by the round's
  due date (done when it has reported on each of them: `workplans.services.reporting_round_scope` and
  `reporting_round_answer` say which activities and which updates count);
- input requests for external events: each asked agency owes its input by the request's due date (done on the
  day of its first contribution: `events.models.InputRequest`, seed 000, support team task xi).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import reduce

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chairs import services as chairs
from chairs.models import ChairTerm
from events.models import Contribution, InputRequest
from groups import services as groups
from groups.models import Agency, Group, GroupCoChair
from meetings.models import ActionPoint, Decision, Meeting
from meetings.selectors import held_principals_meetings
from workplans.models import Activity, ActivityUpdate, ReportingRound
from workplans.selectors import activities_with_end_dates
from workplans.services import reporting_round_answer, reporting_round_scope


class State(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.value])


STATE_LABELS = {
    "upcoming": pgettext_lazy("obligation", "Upcoming"),
    "due": pgettext_lazy("obligation", "Due"),
    "overdue": pgettext_lazy("obligation", "Overdue"),
    "done": pgettext_lazy("obligation", "Done"),
}

LETTER_OF_COMMITMENT = chairs.LETTER_OF_COMMITMENT
ANNUAL_WORKPLAN = chairs.ANNUAL_WORKPLAN
PRINCIPALS_MEETING = chairs.PRINCIPALS_MEETING
ANNUAL_REPORT = chairs.ANNUAL_REPORT
GROUP_MIN_MEETINGS = "group_min_meetings"
GROUP_REVIEW = "group_review"
GROUP_CHAIR_ROTATION = "group_chair_rotation"
DECISION_REVIEW = "decision_review"
ACTIVITY_END = "activity_end"
ACTION_POINT = "action_point"
MEETING = "meeting"
REPORTING_ROUND = "reporting_round"
INPUT_REQUEST = "input_request"

KINDS = {
    LETTER_OF_COMMITMENT: _("Letter of commitment"),
    ANNUAL_WORKPLAN: _("Annual work plan"),
    PRINCIPALS_MEETING: _("Principals meeting in the term"),
    ANNUAL_REPORT: _("Annual report"),
    GROUP_MIN_MEETINGS: _("Group's minimum meetings"),
    GROUP_REVIEW: _("Group review"),
    GROUP_CHAIR_ROTATION: _("Group chair rotation"),
    DECISION_REVIEW: _("Review of a decision on trial"),
    ACTIVITY_END: _("Activity end"),
    ACTION_POINT: _("Action point"),
    MEETING: _("Meeting"),
    REPORTING_ROUND: _("Progress report for a reporting round"),
    INPUT_REQUEST: _("Input to an external event"),
}
CHAIR_KINDS = {LETTER_OF_COMMITMENT, ANNUAL_WORKPLAN, PRINCIPALS_MEETING, ANNUAL_REPORT}
GROUP_KINDS = {GROUP_MIN_MEETINGS, GROUP_REVIEW, GROUP_CHAIR_ROTATION}

AUDIENCES = {"chair", "group_co_chairs", "agency", "attendees", "support"}


@dataclass(frozen=True)
class Obligation:
    key: str  # stable and unique per obligation, independent of its due date
    kind: str
    title: str
    due: date
    state: State
    url: str  # the record's page
    subject: object  # the model instance it is about
    agency: Agency | None  # the responsible agency
    audience: str  # who is reminded: "chair" | "group_co_chairs" | "agency" | "attendees" | "support"
    group: Group | None = None
    chair_term: ChairTerm | None = None
    done_on: date | None = None
    # Every agency responsible (an activity's lead agencies, a group's co-chairs); `agency` is the first.
    agencies: tuple[Agency, ...] = field(default=(), compare=False)

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def is_open(self) -> bool:
        return self.state != State.DONE

    def concerns(self, agency: Agency) -> bool:
        return any(a.pk == agency.pk for a in (self.agencies or ((self.agency,) if self.agency else ())))


def obligation_state(due: date, done_on: date | None, today: date) -> State:
    """Done when the record shows it; else overdue after its day, due within GMG_DUE_SOON_DAYS, else upcoming."""
    if done_on is not None:
        return State.DONE
    if due < today:
        return State.OVERDUE
    if due <= today + timedelta(days=settings.GMG_DUE_SOON_DAYS):
        return State.DUE
    return State.UPCOMING


def wanted_kinds(kinds: Iterable[str] | None) -> set[str]:
    wanted = set(KINDS) if kinds is None else set(kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"Unknown kinds of obligation: {', '.join(sorted(unknown))}.")
    return wanted


def computed_obligations(
    *,
    first: date,
    last: date,
    today: date | None = None,
    agency: Agency | None = None,
    kinds: Iterable[str] | None = None,
    include_overdue: bool = False,
) -> list[Obligation]:
    """`obligations()` computed from the record rather than read from the stored register: the rules' one
    place, from which the register is built and kept current."""
    today = timezone.localdate() if today is None else today
    wanted = wanted_kinds(kinds)
    if last < first:
        return []
    reader = _Reader(first=first, last=last, today=today, include_overdue=include_overdue)
    found = reader.read(wanted)
    found = [o for o in found if reader.keeps(o)]
    if agency is not None:
        found = [o for o in found if o.concerns(agency)]
    return sorted(found, key=lambda o: (o.due, o.title, o.key))


def everything(
    kinds: Iterable[str], *, last: date, where: dict | None = None, round_agencies: set[int] | None = None
) -> list[Obligation]:
    """Every obligation of `kinds` from the record's beginning to `last`, whatever its state (for the stored
    register). `where` narrows a kind's source records (a Q per kind); `round_agencies` narrows the reporting
    rounds' obligations to those agencies."""
    reader = _Reader(first=date.min, last=last, today=date.min, include_overdue=True)
    reader.earliest = None
    reader.where = where or {}
    reader.round_agencies = round_agencies
    return reader.read(set(kinds))


class _Reader:
    """Reads the record for one call of `obligations()`, each table once."""

    def __init__(self, *, first: date, last: date, today: date, include_overdue: bool):
        self.first, self.last, self.today, self.include_overdue = first, last, today, include_overdue
        # With overdue items, anything due up to `first` (and before today) may come in.
        self.earliest = None if include_overdue else first
        self.terms: list[ChairTerm] = []
        self.groups: dict[int, Group] = {}
        self.where: dict[str, Q] = {}
        self.round_agencies: set[int] | None = None

    def read(self, wanted: set[str]) -> list[Obligation]:
        found: list[Obligation] = []
        if wanted & CHAIR_KINDS or wanted & {DECISION_REVIEW, MEETING, ACTIVITY_END}:
            self.load_terms()
        if wanted & CHAIR_KINDS:
            found += self.chair_obligations()
        if wanted & GROUP_KINDS or MEETING in wanted:
            self.load_groups()
        if wanted & GROUP_KINDS:
            found += self.group_obligations(wanted)
        if DECISION_REVIEW in wanted:
            found += self.decision_reviews()
        if ACTIVITY_END in wanted:
            found += self.activity_ends()
        if ACTION_POINT in wanted:
            found += self.action_points()
        if MEETING in wanted:
            found += self.meetings()
        if REPORTING_ROUND in wanted:
            found += self.reporting_rounds()
        if INPUT_REQUEST in wanted:
            found += self.input_requests()
        return [o for o in found if o.kind in wanted]

    def only(self, kind: str, queryset):
        return queryset.filter(self.where[kind]) if kind in self.where else queryset

    def keeps(self, obligation: Obligation) -> bool:
        if self.first <= obligation.due <= self.last:
            return True
        return self.include_overdue and obligation.due < self.first and obligation.state == State.OVERDUE

    def state(self, due: date, done_on: date | None) -> State:
        return obligation_state(due, done_on, self.today)

    # -- chair terms
    def load_terms(self) -> None:
        if not self.terms:
            self.terms = chairs.all_terms()

    def chair_on(self, day: date) -> Agency | None:
        term = chairs.actual_chair_on(day, self.terms)
        return term.agency if term else None

    def chair_obligations(self) -> list[Obligation]:
        meetings = held_principals_meetings()
        found = []
        for term in self.terms:
            for duty in chairs.chair_obligations(term, terms=self.terms, principals_meetings=meetings):
                found.append(
                    Obligation(
                        key=f"{duty.kind}:chairterm:{term.pk}",
                        kind=duty.kind,
                        title=duty.title,
                        due=duty.due,
                        state=self.state(duty.due, duty.done_on),
                        url=term.get_absolute_url(),
                        subject=term,
                        agency=term.agency,
                        audience="chair",
                        chair_term=term,
                        done_on=duty.done_on,
                        agencies=(term.agency,),
                    )
                )
        return found

    # -- groups
    def load_groups(self) -> None:
        if self.groups:
            return
        queryset = Group.objects.prefetch_related(
            Prefetch("co_chair_links", queryset=GroupCoChair.objects.select_related("agency").order_by("position")),
            "terms_of_reference",
            "evaluations",
        ).order_by("kind", "name")
        self.groups = {group.pk: group for group in queryset}

    def group_obligations(self, wanted: set[str]) -> list[Obligation]:
        found = []
        first_year = self._first_group_year()
        last_year = self.last.year
        if GROUP_MIN_MEETINGS in wanted:
            found += self.group_min_meetings(first_year, last_year)
        for group in self.groups.values():
            co_chairs = tuple(groups.co_chairs_in_order(group))
            lead = co_chairs[0] if co_chairs else None
            if GROUP_REVIEW in wanted:
                for review in groups.review_dates(group, until=self.last):
                    found.append(
                        Obligation(
                            key=review.key,
                            kind=GROUP_REVIEW,
                            title=f"{group}: review of the group's work ({review.tor.version} ToR)",
                            due=review.due,
                            state=self.state(review.due, review.done_on),
                            url=group.get_absolute_url(),
                            subject=group,
                            agency=lead,
                            audience="group_co_chairs",
                            group=group,
                            done_on=review.done_on,
                            agencies=co_chairs,
                        )
                    )
            if GROUP_CHAIR_ROTATION in wanted:
                for handover in groups.chair_handovers(group, first_year, last_year):
                    done_on = handover.due if handover.due <= self.today else None
                    found.append(
                        Obligation(
                            key=f"{GROUP_CHAIR_ROTATION}:group:{group.pk}:{handover.year}",
                            kind=GROUP_CHAIR_ROTATION,
                            title=(
                                f"{group}: the chair passes from {handover.outgoing} to {handover.incoming} "
                                f"for {handover.year}"
                            ),
                            due=handover.due,
                            state=self.state(handover.due, done_on),
                            url=group.get_absolute_url(),
                            subject=group,
                            agency=handover.incoming,
                            audience="group_co_chairs",
                            group=group,
                            done_on=done_on,
                            agencies=(handover.incoming, handover.outgoing),
                        )
                    )
        return found

    def _first_group_year(self) -> int:
        if self.earliest is not None:
            return self.earliest.year
        starts = [g.established_on for g in self.groups.values() if g.established_on]
        starts += [tor.adopted_on for g in self.groups.values() for tor in g.terms_of_reference.all()]
        return min(starts, default=self.first).year

    def group_min_meetings(self, first_year: int, last_year: int) -> list[Obligation]:
        held_days: dict[tuple[int, int], list[date]] = defaultdict(list)
        rows = (
            Meeting.objects.filter(
                group__isnull=False,
                status=Meeting.Status.HELD,
                starts_on__year__gte=first_year,
                starts_on__year__lte=last_year,
            )
            .order_by("starts_on")
            .values_list("group_id", "starts_on")
        )
        for group_id, day in rows:
            held_days[(group_id, day.year)].append(day)
        found = []
        for group in self.groups.values():
            co_chairs = tuple(groups.co_chairs_in_order(group))
            for year in range(first_year, last_year + 1):
                minimum = groups.minimum_meetings(group, year)
                if minimum is None:
                    continue
                days = held_days[(group.pk, year)]
                done_on = days[minimum - 1] if len(days) >= minimum else None
                due = date(year, 12, 31)
                found.append(
                    Obligation(
                        key=f"{GROUP_MIN_MEETINGS}:group:{group.pk}:{year}",
                        kind=GROUP_MIN_MEETINGS,
                        title=f"{group}: at least {minimum} meetings in {year} ({len(days)} held)",
                        due=due,
                        state=self.state(due, done_on),
                        url=group.get_absolute_url(),
                        subject=group,
                        agency=co_chairs[0] if co_chairs else None,
                        audience="group_co_chairs",
                        group=group,
                        done_on=done_on,
                        agencies=co_chairs,
                    )
                )
        return found

    # -- decisions, activities, action points, meetings
    def _in_window(self, queryset, field_name: str):
        queryset = queryset.filter(**{f"{field_name}__lte": self.last})
        if self.earliest is not None:
            queryset = queryset.filter(**{f"{field_name}__gte": self.earliest})
        return queryset

    def decision_reviews(self) -> list[Obligation]:
        decisions = self._in_window(
            self.only(DECISION_REVIEW, Decision.objects.filter(review_on__isnull=False).select_related("meeting")),
            "review_on",
        )
        found = []
        for decision in decisions:
            chair = self.chair_on(decision.review_on)
            found.append(
                Obligation(
                    key=f"{DECISION_REVIEW}:decision:{decision.pk}",
                    kind=DECISION_REVIEW,
                    title=f"Review of {decision}",
                    due=decision.review_on,
                    state=self.state(decision.review_on, decision.reviewed_on),
                    url=decision.get_absolute_url(),
                    subject=decision,
                    agency=chair,
                    audience="support",
                    done_on=decision.reviewed_on,
                    agencies=(chair,) if chair else (),
                )
            )
        return found

    def activity_ends(self) -> list[Obligation]:
        found = []
        for activity in self.only(ACTIVITY_END, activities_with_end_dates(first=self.earliest, last=self.last)):
            leads = tuple(activity.lead_agencies.all())
            if not leads and "chair" in activity.lead.casefold():
                # "GMG Chair", "GMG Chair/support unit": the agency actually chairing when the activity ends.
                chair = self.chair_on(activity.ends_on)
                leads = (chair,) if chair else ()
            done_on = None
            if activity.status == activity.Status.COMPLETED:
                done_on = activity.completed_on or timezone.localdate(activity.updated_at)
            number = f" {activity.number}" if activity.number else ""
            who = ", ".join(str(a) for a in activity.lead_agencies.all()) or _short(activity.lead, 50) or "No lead"
            found.append(
                Obligation(
                    key=f"{ACTIVITY_END}:activity:{activity.pk}",
                    kind=ACTIVITY_END,
                    title=f"{who}: activity{number} ends - {_short(activity.description)}",
                    due=activity.ends_on,
                    state=self.state(activity.ends_on, done_on),
                    url=activity.get_absolute_url(),
                    subject=activity,
                    agency=leads[0] if leads else None,
                    audience="agency",
                    done_on=done_on,
                    agencies=leads,
                )
            )
        return found

    def action_points(self) -> list[Obligation]:
        points = self._in_window(
            self.only(ACTION_POINT, ActionPoint.objects.filter(due_on__isnull=False))
            .exclude(status=ActionPoint.Status.DROPPED)
            .select_related("meeting", "owner_agency"),
            "due_on",
        )
        found = []
        for point in points:
            done_on = (point.done_on or point.due_on) if point.status == ActionPoint.Status.DONE else None
            found.append(
                Obligation(
                    key=f"{ACTION_POINT}:actionpoint:{point.pk}",
                    kind=ACTION_POINT,
                    title=f"{point.owner_agency}: {_short(point.text)} (from {point.meeting.title})",
                    due=point.due_on,
                    state=self.state(point.due_on, done_on),
                    url=point.get_absolute_url(),
                    subject=point,
                    agency=point.owner_agency,
                    audience="agency",
                    group=None,
                    done_on=done_on,
                    agencies=(point.owner_agency,),
                )
            )
        return found

    def meetings(self) -> list[Obligation]:
        meetings = self._in_window(self.only(MEETING, Meeting.objects.not_cancelled().dated().firm()), "starts_on")
        found = []
        for meeting in meetings:
            group = self.groups.get(meeting.group_id) if meeting.group_id else None
            if group is not None:
                responsible = tuple(groups.co_chairs_in_order(group))
            else:
                chair = self.chair_on(meeting.starts_on)
                responsible = (chair,) if chair else ()
            done_on = meeting.last_day if meeting.status == Meeting.Status.HELD else None
            found.append(
                Obligation(
                    key=f"{MEETING}:{meeting.pk}",
                    kind=MEETING,
                    title=f"{meeting.title} ({meeting.when})",
                    due=meeting.starts_on,
                    state=self.state(meeting.starts_on, done_on),
                    url=meeting.get_absolute_url(),
                    subject=meeting,
                    agency=responsible[0] if responsible else None,
                    audience="attendees",
                    group=group,
                    done_on=done_on,
                    agencies=responsible,
                )
            )
        return found

    def reporting_rounds(self) -> list[Obligation]:
        """Three queries for every round in the window together: the rounds, the activities in any round's
        scope (one flag per round) with their lead agencies, and the updates that answer any of them."""
        rounds = list(self._in_window(self.only(REPORTING_ROUND, ReportingRound.objects.all()), "due_on"))
        if not rounds:
            return []
        activities = Activity.objects.filter(reduce(operator.or_, (reporting_round_scope(r) for r in rounds)))
        if self.round_agencies is not None:
            led = Activity.lead_agencies.through.objects.filter(agency_id__in=self.round_agencies)
            activities = activities.filter(pk__in=led.values("activity_id"))
        activities = list(
            activities.annotate(
                **{f"in_round_{r.pk}": ExpressionWrapper(reporting_round_scope(r), BooleanField()) for r in rounds}
            ).prefetch_related("lead_agencies")
        )
        answers = (
            ActivityUpdate.objects.filter(activity__in=[a.pk for a in activities])
            .annotate(
                **{f"answers_{r.pk}": ExpressionWrapper(reporting_round_answer(r), BooleanField()) for r in rounds}
            )
            .values("activity_id", "agency_id", "reported_on", *(f"answers_{r.pk}" for r in rounds))
        )
        answers = list(answers)
        found = []
        for round in rounds:
            owed: dict[int, tuple[Agency, set[int]]] = {}
            for activity in activities:
                if getattr(activity, f"in_round_{round.pk}"):
                    for agency in activity.lead_agencies.all():
                        if self.round_agencies is not None and agency.pk not in self.round_agencies:
                            continue
                        owed.setdefault(agency.pk, (agency, set()))[1].add(activity.pk)
            reported: dict[int, dict[int, date]] = defaultdict(dict)
            for row in answers:
                if row[f"answers_{round.pk}"]:
                    latest = reported[row["agency_id"]].get(row["activity_id"])
                    if latest is None or row["reported_on"] > latest:
                        reported[row["agency_id"]][row["activity_id"]] = row["reported_on"]
            for agency, activity_ids in owed.values():
                answered = reported.get(agency.pk, {})
                done_on = max(answered.values()) if activity_ids <= set(answered) else None
                missing = len(activity_ids - set(answered))
                still = f", {missing} of {len(activity_ids)} activities still to report" if missing else ""
                found.append(
                    Obligation(
                        key=f"{REPORTING_ROUND}:round:{round.pk}:agency:{agency.pk}",
                        kind=REPORTING_ROUND,
                        title=f"{agency}: progress updates for {round.title}{still}",
                        due=round.due_on,
                        state=self.state(round.due_on, done_on),
                        url=round.get_absolute_url(),
                        subject=round,
                        agency=agency,
                        audience="agency",
                        done_on=done_on,
                        agencies=(agency,),
                    )
                )
        return found

    def input_requests(self) -> list[Obligation]:
        """Two queries: the requests in the window (with their event and agencies asked), the first answer of each
        asked agency."""
        requests = list(
            self._in_window(
                self.only(INPUT_REQUEST, InputRequest.objects.select_related("event").prefetch_related("agencies")),
                "due_on",
            )
        )
        first_answers: dict[tuple[int, int], date] = {}
        rows = Contribution.objects.filter(request__in=[r.pk for r in requests]).values_list(
            "request_id", "agency_id", "submitted_on"
        )
        for request_id, agency_id, day in rows:
            key = (request_id, agency_id)
            first_answers[key] = min(day, first_answers.get(key, day))
        found = []
        for asked in requests:
            for agency in asked.agencies.all():
                done_on = first_answers.get((asked.pk, agency.pk))
                found.append(
                    Obligation(
                        key=f"{INPUT_REQUEST}:request:{asked.pk}:agency:{agency.pk}",
                        kind=INPUT_REQUEST,
                        title=f"{agency}: input to {asked.event} - {_short(asked.asked, 60)}",
                        due=asked.due_on,
                        state=self.state(asked.due_on, done_on),
                        url=asked.get_absolute_url(),
                        subject=asked,
                        agency=agency,
                        audience="agency",
                        done_on=done_on,
                        agencies=(agency,),
                    )
                )
        return found


def _short(text: str, length: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
