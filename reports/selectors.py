"""The annual reports, drafted from the record: a chair term's (Annex I: "no later than two months after the end of
the chairmanship") and a group's year, with what was done, what is overdue and the obligations of the period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Prefetch, Q, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chairs.models import ChairTerm
from chairs.services import annual_report_due
from groups.models import Agency


@dataclass
class OutputProgress:
    """An output of the term's years with its activities by status and how many are overdue on the report's day."""

    output: object
    counts: Counter
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def cells(self) -> list[int]:
        """The counts in the order of the activity statuses (the table's columns)."""
        from workplans.models import Activity

        return [self.counts[status] for status in Activity.Status.values]


@dataclass
class StreamReport:
    stream: object
    label: str
    outputs: list[OutputProgress]
    progress: object  # overview.views.Progress: the stream's counts, as the dashboard's chart reads them


@dataclass(frozen=True)
class ActivityLine:
    activity: object
    latest: object | None  # the latest update reported by the report's day (returned ones aside), or None


@dataclass(frozen=True)
class GroupYear:
    """A group's calendar year: meetings held against its ToR's minimum (groups.services), and its outputs."""

    group: object
    year: int
    held: int
    minimum: int | None
    outputs: tuple

    @property
    def short(self) -> bool:
        return self.minimum is not None and self.held < self.minimum


@dataclass
class AnnualReport:
    """The annual report of a chair term (Annex I, working level ix): what the record says of the term, with the
    chair's introduction and highlights (the latest `ChairReportVersion`); or the same of a group's calendar
    year (`group`, `year`, without a text of its own).

    Everything is read as of `as_of`: the day the report is due, or today if that is earlier - the record is
    historic, and the ILO's 2014 report shows 2014 as its chair saw it in February 2015.
    """

    term: ChairTerm | None
    as_of: date
    due: date | None
    text: object | None
    plans: list
    streams: list[StreamReport]
    chart: dict
    completed: list[ActivityLine]
    ongoing: list[ActivityLine]
    cancelled: int
    meetings: list
    decisions: list
    group_years: list[GroupYear]
    outstanding: list
    statuses: list = field(default_factory=list)
    group: object | None = None
    year: int | None = None

    @property
    def starts_on(self) -> date:
        return self.term.starts_on if self.term else date(self.year, 1, 1)

    @property
    def ends_on(self) -> date:
        return self.term.ends_on if self.term else date(self.year, 12, 31)

    @property
    def title(self) -> str:
        if self.group is not None:
            return _("Annual report of the %(group)s, %(year)s") % {"group": self.group.name, "year": self.year}
        return _("Annual report of the Chair of the Global Migration Group, %(period)s") % {
            "period": self.term.period_label
        }

    @property
    def subtitle(self) -> str:
        if self.group is not None:
            from groups.services import co_chairs_in_order

            co_chairs = ", ".join(a.acronym for a in co_chairs_in_order(self.group))
            if co_chairs:
                return _("%(kind)s, co-chaired by %(names)s") % {
                    "kind": self.group.get_kind_display(),
                    "names": co_chairs,
                }
            return str(self.group.get_kind_display())
        return f"{self.term.agency.name} ({self.term.agency.acronym})"

    @property
    def period(self) -> str:
        return f"{date_format(self.starts_on, "DATE_FORMAT")} - {date_format(self.ends_on, "DATE_FORMAT")}"

    @property
    def scope(self) -> str:
        """The report's first sentence: whose year it covers."""
        first, last = date_format(self.starts_on, "DATE_FORMAT"), date_format(self.ends_on, "DATE_FORMAT")
        if self.group is not None:
            return _("This report covers the work of the %(group)s from %(first)s to %(last)s.") % {
                "group": self.group.name,
                "first": first,
                "last": last,
            }
        words = {"agency": self.term.agency.name, "first": first, "last": last, "co_chair": self.term.co_chair}
        if self.term.co_chair_id:
            return (
                _(
                    "This report covers the term of %(agency)s as Chair of the Global Migration Group "
                    "from %(first)s to %(last)s, with %(co_chair)s as co-chair."
                )
                % words
            )
        return (
            _(
                "This report covers the term of %(agency)s as Chair of the Global Migration Group "
                "from %(first)s to %(last)s."
            )
            % words
        )

    @property
    def submitted_on(self) -> date | None:
        return self.term.annual_report_submitted_on if self.term else None

    @property
    def file_name(self) -> str:
        if self.group is not None:
            return f"gmg-annual-report-{self.group.slug}-{self.year}"
        return f"gmg-annual-report-{self.term.agency.acronym}-{self.term.period_label}"

    @property
    def sections(self) -> list[tuple[str, str]]:
        """(anchor, heading) of the report's sections, in order: the contents of the page, the PDF and Word."""
        return [
            ("introduction", _("Introduction")),
            *([] if self.group is not None else [("highlights", _("Highlights"))]),
            ("progress", _("Progress of the work plan")),
            ("activities", _("Activities")),
            ("meetings", _("Meetings and decisions")),
            ("groups", _("The group's year") if self.group is not None else _("The groups' year")),
            ("outstanding", _("Outstanding")),
        ]


def find_term(text: str) -> ChairTerm | None:
    """A term by its id ("7") or by its agency and year ("ILO-2014", "UN Women-2015", "UNESCAP-2013").

    Several terms may match an agency and year (the planned and the actual term for 2014, the two semesters of
    2013 of different agencies): the actual term is preferred, then the earliest.
    """
    text = text.strip()
    if text.isdigit():
        return ChairTerm.objects.select_related("agency", "co_chair").filter(pk=int(text)).first()
    agency, _dash, year = text.rpartition("-")
    if not agency or not year.isdigit():
        return None
    return (
        ChairTerm.objects.select_related("agency", "co_chair")
        .filter(agency__acronym__iexact=agency.strip(), starts_on__year=int(year))
        .order_by(Case(When(kind=ChairTerm.Kind.ACTUAL, then=0), default=1), "starts_on")
        .first()
    )


def annual_report(term: ChairTerm, *, today: date | None = None) -> AnnualReport:
    """Draft a term's annual report from the record (see `_draft`); read as of the day it is due, or today."""
    today = timezone.localdate() if today is None else today
    due = annual_report_due(term)
    return _draft(
        term=term,
        first=term.starts_on,
        last=term.ends_on,
        as_of=min(today, due),
        due=due,
        text=term.report_versions.select_related("saved_by").order_by("-revision").first(),
    )


def group_year_report(group, year: int, *, today: date | None = None) -> AnnualReport:
    """Draft a group's report of a calendar year: its streams, meetings, minimum and what is outstanding (see
    `_draft`); read as of the end of February after the year, as a chair's report would be, or today."""
    from dateutil.relativedelta import relativedelta

    today = timezone.localdate() if today is None else today
    as_of = min(today, date(year, 12, 31) + relativedelta(months=2, day=31))
    return _draft(term=None, first=date(year, 1, 1), last=date(year, 12, 31), as_of=as_of, group=group, year=year)


def _draft(*, term, first: date, last: date, as_of: date, due=None, text=None, group=None, year=None):
    """Draft a report of a period from the record - a chair's term, or with `group` a group's year (its own streams,
    meetings and obligations only) - in a fixed number of queries however large the record.

    - Progress of the work plan: the plans in force during the term, their streams and the outputs of the
      term's years (outputs without a year too), activities counted by status, overdue as of the report's day.
    - Activities: those of these outputs, completed or ongoing, each with its latest update by the report's day.
    - Meetings held during the term, and the decisions taken at them.
    - Each group's year: meetings held against the minimum of its ToR (`groups.services.minimum_meetings`).
    - Outstanding: the register's obligations due during the term that are still open on the report's day.
    """
    from groups import services as group_rules
    from groups.models import Group
    from meetings.models import ActionPoint, Decision, Meeting
    from meetings.selectors import held_meeting_counts
    from register.reading import obligations
    from reports.progress import STATUSES, Progress, chart_data
    from workplans.models import Activity, ActivityUpdate, Output, WorkPlan, WorkStream

    years = list(range(first.year, last.year + 1))

    plans = list(
        WorkPlan.objects.filter(starts_on__lte=last, ends_on__gte=first)
        .select_related("group")
        .order_by("kind", "starts_on", "title")
    )
    activities = Activity.objects.order_by("position").prefetch_related(
        Prefetch("lead_agencies", queryset=Agency.objects.order_by("acronym"))
    )
    outputs = (
        Output.objects.filter(Q(year__in=years) | Q(year__isnull=True))
        .order_by("year", "position")
        .prefetch_related(Prefetch("activities", queryset=activities))
    )
    streams = WorkStream.objects.filter(workplan__in=plans)
    if group is not None:
        # A group's streams: those it leads, and those of its own plans.
        streams = streams.filter(Q(lead_group=group) | Q(workplan__group=group))
        plans = [plan for plan in plans if plan.pk in set(streams.values_list("workplan_id", flat=True))]
    streams = list(
        streams.select_related("workplan", "lead_group")
        .order_by("workplan__kind", "workplan__starts_on", "position")
        .prefetch_related(Prefetch("outputs", queryset=outputs))
    )
    stream_reports, in_scope = [], []
    for stream in streams:
        label = f"{stream.position}. {stream.title}" if len(plans) == 1 else f"{stream.workplan.title}: {stream.title}"
        progress = Progress(label=label, url=stream.get_absolute_url(), day=as_of, stream_id=stream.pk)
        output_rows = []
        for output in stream.outputs.all():
            row = OutputProgress(output=output, counts=Counter(), overdue=0)
            for activity in output.activities.all():
                row.counts[activity.status] += 1
                row.overdue += activity.is_overdue_on(as_of)
                in_scope.append(activity)
            progress.counts.update(row.counts)
            progress.overdue += row.overdue
            output_rows.append(row)
        stream_reports.append(StreamReport(stream=stream, label=label, outputs=output_rows, progress=progress))

    latest: dict[int, ActivityUpdate] = {}
    for update in (
        ActivityUpdate.objects.filter(activity__in=[a.pk for a in in_scope], reported_on__lte=as_of)
        .exclude(review=ActivityUpdate.Review.RETURNED)
        .select_related("agency")
        .order_by("activity_id", "-reported_on", "-created_at", "-pk")
    ):
        latest.setdefault(update.activity_id, update)
    lines = [ActivityLine(activity, latest.get(activity.pk)) for activity in in_scope]
    completed = [line for line in lines if line.activity.status == Activity.Status.COMPLETED]
    cancelled = sum(1 for line in lines if line.activity.status == Activity.Status.CANCELLED)
    ongoing = [
        line for line in lines if line.activity.status not in (Activity.Status.COMPLETED, Activity.Status.CANCELLED)
    ]

    meetings = list(
        Meeting.objects.between(first, last)
        .filter(status=Meeting.Status.HELD, **({"group": group} if group is not None else {}))
        .select_related("group")
        .order_by("starts_on", "start_time", "title")
    )
    decisions = list(
        Decision.objects.filter(meeting__in=[m.pk for m in meetings])
        .select_related("meeting")
        .order_by("meeting__starts_on", "number")
    )

    held = held_meeting_counts(years[0], years[-1])
    outputs_of_group: dict[tuple[int, int | None], list] = {}
    for report in stream_reports:
        if report.stream.lead_group_id:
            for row in report.outputs:
                outputs_of_group.setdefault((report.stream.lead_group_id, row.output.year), []).append(row.output)
    group_years = []
    groups = Group.objects.prefetch_related("terms_of_reference", "co_chair_links__agency").order_by("kind", "name")
    for one in groups.filter(pk=group.pk) if group is not None else groups:
        for each_year in years:
            minimum = group_rules.minimum_meetings(one, each_year)
            count = held[(one.pk, each_year)]
            if minimum is None and not count and group is None:
                continue
            group_outputs = outputs_of_group.get((one.pk, each_year), []) + outputs_of_group.get((one.pk, None), [])
            group_years.append(GroupYear(one, each_year, count, minimum, tuple(group_outputs)))
        if group is not None:
            group = one  # with its co-chairs prefetched, for the title page

    outstanding = [o for o in obligations(first=first, last=last, today=as_of) if o.is_open]
    if group is not None:
        activity_ids = {activity.pk for activity in in_scope}
        outstanding = [
            o
            for o in outstanding
            if (o.group is not None and o.group.pk == group.pk)
            or (isinstance(o.subject, Activity) and o.subject.pk in activity_ids)
            or (isinstance(o.subject, ActionPoint) and o.subject.meeting.group_id == group.pk)
        ]

    return AnnualReport(
        term=term,
        as_of=as_of,
        due=due,
        text=text,
        plans=plans,
        streams=stream_reports,
        chart=chart_data([report.progress for report in stream_reports]),
        completed=completed,
        ongoing=ongoing,
        cancelled=cancelled,
        meetings=meetings,
        decisions=decisions,
        group_years=group_years,
        outstanding=outstanding,
        statuses=STATUSES,
        group=group,
        year=year,
    )
