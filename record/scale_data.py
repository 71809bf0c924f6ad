"""Synthetic records in the GMG's shape, to measure the portal at many times the size of its record.

One unit of data is a multi-annual plan of 7 streams, 28 outputs and 196 activities with 10 updates each, 50
meetings with agenda items, attendees, 2 action points each and a decision every fifth meeting, 20 people, a
reporting round, a future chair term; every tenth unit a group with its terms of reference, and up to 22 more
member entities (the UN Network on Migration has 38). `--factor 100` makes 100 units: 19,600 activities over 100
plans, 196,000 updates, 5,000 meetings, 10,000 action points, 2,000 people.

Rows are inserted in bulk (`bulk_create`), drawn from a seeded random generator: the same factor and seed give
the same records. Every row is marked - slugs, keys and usernames start with `scale-`, acronyms with `SCALE-` -
so `remove_scale_data` deletes exactly them and nothing of the GMG's record.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from chairs.models import ChairTerm
from groups.models import Absence, Agency, Group, GroupCoChair, Membership, Person, TermsOfReference
from meetings.models import ActionPoint, AgendaItem, Decision, Meeting
from register import stored
from register.models import RegisterEntry
from workplans import plan_order
from workplans.models import Activity, ActivityUpdate, Output, ReportingRound, WorkPlan, WorkStream

PREFIX = "scale-"
AGENCY_PREFIX = "SCALE-"
EXTRA_AGENCIES = 22
STREAMS_PER_PLAN = 7
OUTPUTS_PER_STREAM = 4
ACTIVITIES_PER_OUTPUT = 7
UPDATES_PER_ACTIVITY = 10
MEETINGS_PER_UNIT = 50
AGENDA_ITEMS_PER_MEETING = 3
ACTION_POINTS_PER_MEETING = 2
PEOPLE_PER_UNIT = 20
BATCH = 5000

WORDS = (  # noqa: SIM905 - a paragraph reads better than a list of 60 words
    "migration migrants labour mobility remittances diaspora development planning data research human rights "
    "gender equality decent work capacity development training workshop report guidance policy national "
    "regional global forum dialogue partners coordination advocacy review survey indicators statistics "
    "children youth women protection integration return reintegration recruitment skills health education "
    "climate displacement trafficking smuggling borders governance evidence toolkit handbook consultation"
).split()
VERBS = ("Prepare", "Hold", "Publish", "Organise", "Draft", "Review", "Support", "Convene", "Develop", "Map")
NARRATIVE_OPENINGS = (
    "The consultation took place as planned",
    "A first draft was circulated to the members",
    "Work was delayed by the recruitment of a consultant",
    "The partners agreed on the outline",
    "The event gathered participants from the regions",
    "Funding was confirmed for the next phase",
)
TIMEFRAMES = ("{m1}-{m2} {y}", "By {m2} {y}", "Spring {y}", "{m1} {y} (precise date TBC)", "On-going", "{y}")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October")
STATUS_WEIGHTS = (
    (Activity.Status.PLANNED, 3),
    (Activity.Status.ON_TRACK, 4),
    (Activity.Status.DELAYED, 2),
    (Activity.Status.COMPLETED, 4),
    (Activity.Status.CANCELLED, 1),
)
MEETING_KINDS = (
    Meeting.Kind.WORKING_LEVEL,
    Meeting.Kind.GROUP,
    Meeting.Kind.GROUP,
    Meeting.Kind.EXPERT,
    Meeting.Kind.WORKSHOP,
    Meeting.Kind.SIDE_EVENT,
    Meeting.Kind.PRINCIPALS,
)


@dataclass
class Made:
    """How many rows of each kind were made or removed."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number

    def __str__(self) -> str:
        return ", ".join(f"{number:,} {name}" for name, number in self.counts.items())


class _Maker:
    def __init__(self, rng: random.Random, made: Made):
        self.rng = rng
        self.made = made

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def sentence(self) -> str:
        return f"{self.rng.choice(VERBS)} a {self.words(3, 9)} on migration and {self.rng.choice(WORDS)}"

    def status(self) -> str:
        statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
        return self.rng.choices(statuses, weights)[0]

    def bulk(self, model, rows: list) -> list:
        model.objects.bulk_create(rows, batch_size=BATCH)
        self.made.add(model._meta.verbose_name_plural, len(rows))
        return rows

    def through(self, relation, pairs: list[tuple[int, int]], left: str, right: str) -> None:
        through = relation.through
        rows = [through(**{left: a, right: b}) for a, b in sorted(set(pairs))]
        through.objects.bulk_create(rows, batch_size=BATCH)


def generate_scale_data(*, factor: int, seed: int = 2015) -> Made:
    """Add `factor` units of synthetic records (see the module's docstring); refuses if some are there already."""
    if factor < 1:
        raise ValueError("The factor is a whole number from 1.")
    if has_scale_data():
        raise ValueError("Synthetic records are there already: remove them first (--remove).")
    rng = random.Random(seed)
    made = Made()
    maker = _Maker(rng, made)
    with transaction.atomic():
        agencies = _agencies(maker, factor)
        groups = list(Group.objects.order_by("pk")) + _groups(maker, factor, agencies)
        people = _people(maker, factor, agencies)
        _chair_terms(maker, factor, agencies)
        activities = _workplans(maker, factor, agencies, groups)
        _updates(maker, activities, people)
        _meetings(maker, factor, agencies, groups, people)
        stored.rebuild()  # the rows went in bulk, past the register's upkeep
    with connection.cursor() as cursor:
        # Every table, the many-to-many links too: with stale statistics the planner expects 184 of an agency's
        # 8,000 activities and picks plans for that. Vacuumed too where it may be (not inside a transaction), as
        # autovacuum keeps a live database: a count then reads an index, not every row of the freshly made table.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return made


def has_scale_data() -> bool:
    return (
        WorkPlan.objects.filter(slug__startswith=PREFIX).exists()
        or Person.objects.filter(username__startswith=PREFIX).exists()
    )


def _agencies(maker: _Maker, factor: int) -> list[Agency]:
    existing = list(Agency.objects.order_by("pk"))
    extra = [
        Agency(
            acronym=f"{AGENCY_PREFIX}{index + 1:02d}",
            name=f"Synthetic member entity {index + 1} of the network on migration",
            sort_name=f"Synthetic member entity {index + 1:02d}",
            source="Synthetic scale data",
        )
        for index in range(min(factor, EXTRA_AGENCIES))
    ]
    maker.bulk(Agency, extra)
    maker.bulk(Membership, [Membership(agency=agency, joined=date(2016, 1, 1)) for agency in extra])
    return existing + extra


def _groups(maker: _Maker, factor: int, agencies: list[Agency]) -> list[Group]:
    rng = maker.rng
    groups = [
        Group(
            slug=f"{PREFIX}group-{index + 1:02d}",
            name=f"Synthetic task force {index + 1} on {maker.words(2, 3)}",
            short_name=f"STF {index + 1}",
            kind=Group.Kind.TASK_FORCE if index % 2 else Group.Kind.WORKING_GROUP,
            established_on=date(2010 + index % 6, 3, 1),
            note=maker.sentence(),
        )
        for index in range(max(1, factor // 10))
    ]
    maker.bulk(Group, groups)
    links, tors = [], []
    for group in groups:
        for position, agency in enumerate(rng.sample(agencies, 2), start=1):
            links.append(GroupCoChair(group=group, agency=agency, position=position))
        tors.append(
            TermsOfReference(
                group=group,
                version="Synthetic terms of reference",
                adopted_on=group.established_on,
                min_meetings_per_year=3,
                review_after_months=12,
                review_every_months=24,
            )
        )
    maker.bulk(GroupCoChair, links)
    maker.bulk(TermsOfReference, tors)
    maker.through(
        Group.participating, [(g.pk, a.pk) for g in groups for a in rng.sample(agencies, 6)], "group_id", "agency_id"
    )
    return groups


def _people(maker: _Maker, factor: int, agencies: list[Agency]) -> list[Person]:
    rng = maker.rng
    password = make_password(None)  # unusable: synthetic people never sign in
    roles = [Person.Role.FOCAL_POINT] * 14 + [Person.Role.PRINCIPAL] * 2 + [Person.Role.VIEWER] * 3
    roles += [Person.Role.SUPPORT]
    people = []
    for unit in range(factor):
        for index in range(PEOPLE_PER_UNIT):
            agency = agencies[(unit * PEOPLE_PER_UNIT + index) % len(agencies)]
            role = roles[index]
            people.append(
                Person(
                    username=f"{PREFIX}{unit:03d}-{index:02d}",
                    first_name=rng.choice(("Amina", "Carlos", "Li", "Olga", "Kofi", "Sara", "Ravi", "Ines")),
                    last_name=f"Synthetic {unit:03d}-{index:02d}",
                    email=f"{PREFIX}{unit:03d}-{index:02d}@example.org",
                    password=password,
                    agency=None if role == Person.Role.SUPPORT else agency,
                    role=role,
                    job_title="Focal point" if role == Person.Role.FOCAL_POINT else "",
                )
            )
    return maker.bulk(Person, people)


def _chair_terms(maker: _Maker, factor: int, agencies: list[Agency]) -> None:
    # Planned terms after the record ends (2019 on), so the troika of the record's years stays the GMG's own.
    terms = [
        ChairTerm(
            key=f"{PREFIX}term-{unit:03d}",
            kind=ChairTerm.Kind.PLANNED,
            agency=agencies[unit % len(agencies)],
            starts_on=date(2019 + unit, 1, 1),
            ends_on=date(2019 + unit, 12, 31),
        )
        for unit in range(factor)
    ]
    maker.bulk(ChairTerm, terms)


def _workplans(maker: _Maker, factor: int, agencies: list[Agency], groups: list[Group]) -> list[Activity]:
    rng = maker.rng
    iom = next((a for a in agencies if a.acronym == "IOM"), agencies[0])
    plans = []
    for unit in range(factor):
        first_year = 2009 + unit % 8
        plans.append(
            WorkPlan(
                slug=f"{PREFIX}plan-{unit:03d}",
                title=f"Synthetic multi-annual work plan {unit + 1} ({first_year}-{first_year + 2})",
                kind=WorkPlan.Kind.MULTI_ANNUAL,
                status=WorkPlan.Status.ADOPTED,
                starts_on=date(first_year, 1, 1),
                ends_on=date(first_year + 2, 12, 31),
                adopted_on=date(first_year, 1, 15),
                summary=maker.sentence(),
            )
        )
    maker.bulk(WorkPlan, plans)
    streams = []
    for plan in plans:
        for position in range(1, STREAMS_PER_PLAN + 1):
            overarching = position <= 2
            streams.append(
                WorkStream(
                    workplan=plan,
                    position=position,
                    title=f"Stream {position}: {maker.words(3, 6)}",
                    kind=WorkStream.Kind.OVERARCHING if overarching else WorkStream.Kind.THEMATIC,
                    led_by_chair=overarching,
                    lead_group=None if overarching else rng.choice(groups),
                    objectives=maker.sentence(),
                )
            )
    maker.bulk(WorkStream, streams)
    outputs = []
    for stream in streams:
        first_year = stream.workplan.starts_on.year
        for index in range(OUTPUTS_PER_STREAM):
            year = first_year + index % 3
            outputs.append(
                Output(
                    stream=stream,
                    year=year,
                    position=index // 3 + 1,
                    number=f"Output {index + 1}",
                    title=maker.sentence(),
                    description=maker.words(10, 30),
                )
            )
    maker.bulk(Output, outputs)
    activities, leads, partners = [], [], []
    for output in outputs:
        for position in range(1, ACTIVITIES_PER_OUTPUT + 1):
            start = date(output.year, rng.randint(1, 9), rng.randint(1, 28))
            end = start + timedelta(days=rng.randint(20, 300))
            month1, month2 = MONTHS[start.month - 1], MONTHS[min(start.month + 2, 10) - 1]
            activities.append(
                Activity(
                    output=output,
                    position=position,
                    number=f"{output.position}.{position}",
                    description=maker.sentence(),
                    timeframe=rng.choice(TIMEFRAMES).format(m1=month1, m2=month2, y=output.year),
                    starts_on=start,
                    ends_on=end,
                    funding_source=rng.choice(("", "", "KNOMAD funded", "ILO", "Member contributions")),
                    status=maker.status(),
                    note=maker.words(0, 12),
                    # Given here: rows inserted in bulk pass no signal, and an update after would leave each
                    # activity's row twice in the table until a vacuum.
                    plan_order=plan_order.key_of(
                        starts_on=output.stream.workplan.starts_on,
                        plan_id=output.stream.workplan_id,
                        stream_position=output.stream.position,
                        year=output.year,
                        output_position=output.position,
                        position=position,
                    ),
                )
            )
    maker.bulk(Activity, activities)
    for activity in activities:
        lead = [iom] if rng.random() < 0.4 else []
        lead += rng.sample(agencies, rng.randint(1, 2))
        leads += [(activity.pk, agency.pk) for agency in lead]
        activity.lead_ids = sorted({agency.pk for agency in lead})
        others = rng.sample(agencies, rng.randint(0, 2))
        if rng.random() < 0.15:
            others.append(iom)
        partners += [(activity.pk, agency.pk) for agency in others if agency not in lead]
    maker.through(Activity.lead_agencies, leads, "activity_id", "agency_id")
    maker.through(Activity.partners, partners, "activity_id", "agency_id")
    rounds = [
        ReportingRound(
            title=f"Synthetic reporting round {plan.starts_on.year + 1} of plan {index + 1}",
            workplan=plan,
            period_starts_on=date(plan.starts_on.year + 1, 1, 1),
            period_ends_on=date(plan.starts_on.year + 1, 6, 30),
            due_on=date(plan.starts_on.year + 1, 7, 15),
        )
        for index, plan in enumerate(plans)
    ]
    maker.bulk(ReportingRound, rounds)
    return activities


def _updates(maker: _Maker, activities: list[Activity], people: list[Person]) -> None:
    """Ten updates per activity, written with PostgreSQL's COPY (the one table where bulk_create is too slow)."""
    rng = maker.rng
    by_agency: dict[int, list[int]] = {}
    for person in people:
        if person.role == Person.Role.FOCAL_POINT and person.agency_id:
            by_agency.setdefault(person.agency_id, []).append(person.pk)
    reviews = [ActivityUpdate.Review.ACCEPTED] * 17 + [ActivityUpdate.Review.SUBMITTED] * 2
    reviews += [ActivityUpdate.Review.RETURNED]
    created = timezone.now().isoformat()
    columns = (
        "activity_id",
        "agency_id",
        "author_id",
        "reported_on",
        "status",
        "narrative",
        "review",
        "review_comment",
        "created_at",
    )
    buffer = io.StringIO()
    count = 0
    for activity in activities:
        span = max(1, (activity.ends_on - activity.starts_on).days)
        for index in range(UPDATES_PER_ACTIVITY):
            agency_id = rng.choice(activity.lead_ids)
            authors = by_agency.get(agency_id)
            status = activity.status if index == UPDATES_PER_ACTIVITY - 1 else Activity.Status.ON_TRACK
            reported_on = activity.starts_on + timedelta(days=span * index // UPDATES_PER_ACTIVITY)
            narrative = f"{rng.choice(NARRATIVE_OPENINGS)}; {maker.words(12, 40)}."
            author = str(rng.choice(authors)) if authors else "\\N"
            row = (
                str(activity.pk),
                str(agency_id),
                author,
                reported_on.isoformat(),
                status,
                narrative,
                rng.choice(reviews),
                "",
                created,
            )
            buffer.write("\t".join(row) + "\n")
            count += 1
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {ActivityUpdate._meta.db_table} ({', '.join(columns)}) FROM STDIN", buffer)
    maker.made.add(ActivityUpdate._meta.verbose_name_plural, count)


def _meetings(maker: _Maker, factor: int, agencies: list[Agency], groups: list[Group], people) -> None:
    rng = maker.rng
    meetings = []
    for unit in range(factor):
        for index in range(MEETINGS_PER_UNIT):
            kind = rng.choice(MEETING_KINDS)
            day = date(2009, 1, 1) + timedelta(days=rng.randint(0, 3650))
            meetings.append(
                Meeting(
                    key=f"{PREFIX}{unit:03d}-{index:02d}",
                    title=f"{Meeting.Kind(kind).label}: {maker.words(2, 5)}",
                    kind=kind,
                    group=rng.choice(groups) if kind == Meeting.Kind.GROUP else None,
                    starts_on=day,
                    ends_on=day + timedelta(days=rng.choice((0, 0, 0, 1, 2))),
                    venue=rng.choice(("Geneva", "New York", "Vienna", "Bangkok", "Remote")),
                    status=Meeting.Status.HELD if day < date(2018, 6, 1) else Meeting.Status.PLANNED,
                    minutes=maker.words(30, 80),
                    minutes_shared_on=day + timedelta(days=14),
                    note=maker.words(0, 10),
                )
            )
    maker.bulk(Meeting, meetings)
    items, points, decisions, attendees = [], [], [], []
    owners_by_agency: dict[int, list[int]] = {}
    for person in people:
        if person.agency_id:
            owners_by_agency.setdefault(person.agency_id, []).append(person.pk)
    for index, meeting in enumerate(meetings):
        for position in range(1, AGENDA_ITEMS_PER_MEETING + 1):
            items.append(AgendaItem(meeting=meeting, position=position, title=maker.words(3, 7)))
        for _ in range(ACTION_POINTS_PER_MEETING):
            agency = rng.choice(agencies)
            due = meeting.starts_on + timedelta(days=rng.randint(14, 120))
            status = rng.choices(
                (ActionPoint.Status.OPEN, ActionPoint.Status.DONE, ActionPoint.Status.DROPPED), (5, 4, 1)
            )[0]
            owners = owners_by_agency.get(agency.pk)
            points.append(
                ActionPoint(
                    meeting=meeting,
                    text=f"{rng.choice(VERBS)} {maker.words(4, 12)}",
                    owner_agency=agency,
                    owner_id=rng.choice(owners) if owners and rng.random() < 0.7 else None,
                    due_on=due,
                    status=status,
                    done_on=due if status == ActionPoint.Status.DONE else None,
                )
            )
        if index % 5 == 0:
            trial = rng.random() < 0.2
            decisions.append(
                Decision(
                    meeting=meeting,
                    number="1",
                    title=maker.sentence()[:300],
                    text=maker.words(20, 60),
                    trial_months=12 if trial else None,
                    review_on=meeting.starts_on + timedelta(days=365) if trial else None,
                )
            )
        attendees += [(meeting.pk, agency.pk) for agency in rng.sample(agencies, 5)]
    maker.bulk(AgendaItem, items)
    maker.bulk(ActionPoint, points)
    maker.bulk(Decision, decisions)
    maker.through(Meeting.attendees, attendees, "meeting_id", "agency_id")


def remove_scale_data() -> Made:
    """Delete every synthetic row (marked by its prefix), and nothing else."""
    made = Made()
    plans = f"SELECT id FROM {WorkPlan._meta.db_table} WHERE slug LIKE '{PREFIX}%%'"
    streams = f"SELECT id FROM {WorkStream._meta.db_table} WHERE workplan_id IN ({plans})"
    outputs = f"SELECT id FROM {Output._meta.db_table} WHERE stream_id IN ({streams})"
    activities = f"SELECT id FROM {Activity._meta.db_table} WHERE output_id IN ({outputs})"
    meetings = f"SELECT id FROM {Meeting._meta.db_table} WHERE key LIKE '{PREFIX}%%'"
    people = f"SELECT id FROM {Person._meta.db_table} WHERE username LIKE '{PREFIX}%%'"
    updates = f"SELECT id FROM {ActivityUpdate._meta.db_table} WHERE activity_id IN ({activities})"
    from reminders.models import CalendarToken, Digest, Notice, Reminder
    from workplans.models import UpdateAttachment

    reminders = (
        f"SELECT id FROM {Reminder._meta.db_table} WHERE recipient_id IN ({people}) OR meeting_id IN ({meetings})"
    )
    statements = [
        (None, f"DELETE FROM {RegisterEntry._meta.db_table}"),  # rebuilt below from what is left
        ("attachments", f"DELETE FROM {UpdateAttachment._meta.db_table} WHERE update_id IN ({updates})"),
        ("updates", f"DELETE FROM {ActivityUpdate._meta.db_table} WHERE activity_id IN ({activities})"),
        (None, f"DELETE FROM {Activity.lead_agencies.through._meta.db_table} WHERE activity_id IN ({activities})"),
        (None, f"DELETE FROM {Activity.partners.through._meta.db_table} WHERE activity_id IN ({activities})"),
        (None, f"DELETE FROM {Notice._meta.db_table} WHERE reminder_id IN ({reminders}) OR recipient_id IN ({people})"),
        ("reminders", f"DELETE FROM {Reminder._meta.db_table} WHERE id IN ({reminders})"),
        (None, f"DELETE FROM {Digest._meta.db_table} WHERE recipient_id IN ({people})"),
        (None, f"DELETE FROM {CalendarToken._meta.db_table} WHERE person_id IN ({people})"),
        ("reporting rounds", f"DELETE FROM {ReportingRound._meta.db_table} WHERE workplan_id IN ({plans})"),
        ("activities", f"DELETE FROM {Activity._meta.db_table} WHERE id IN ({activities})"),
        (None, f"DELETE FROM {Activity.history.model._meta.db_table} WHERE output_id IN ({outputs})"),
        ("outputs", f"DELETE FROM {Output._meta.db_table} WHERE id IN ({outputs})"),
        ("work streams", f"DELETE FROM {WorkStream._meta.db_table} WHERE id IN ({streams})"),
        ("work plans", f"DELETE FROM {WorkPlan._meta.db_table} WHERE id IN ({plans})"),
        ("agenda items", f"DELETE FROM {AgendaItem._meta.db_table} WHERE meeting_id IN ({meetings})"),
        ("action points", f"DELETE FROM {ActionPoint._meta.db_table} WHERE meeting_id IN ({meetings})"),
        ("decisions", f"DELETE FROM {Decision._meta.db_table} WHERE meeting_id IN ({meetings})"),
        (None, f"DELETE FROM {Meeting.attendees.through._meta.db_table} WHERE meeting_id IN ({meetings})"),
        ("meetings", f"DELETE FROM {Meeting._meta.db_table} WHERE id IN ({meetings})"),
        ("chair terms", f"DELETE FROM {ChairTerm._meta.db_table} WHERE key LIKE '{PREFIX}%%'"),
    ]
    groups = f"SELECT id FROM {Group._meta.db_table} WHERE slug LIKE '{PREFIX}%%'"
    statements += [
        (None, f"DELETE FROM {GroupCoChair._meta.db_table} WHERE group_id IN ({groups})"),
        (None, f"DELETE FROM {Group.participating.through._meta.db_table} WHERE group_id IN ({groups})"),
        (None, f"DELETE FROM {TermsOfReference._meta.db_table} WHERE group_id IN ({groups})"),
        ("groups", f"DELETE FROM {Group._meta.db_table} WHERE id IN ({groups})"),
        (None, f"DELETE FROM {Person.groups.through._meta.db_table} WHERE person_id IN ({people})"),
        (None, f"DELETE FROM {Person.user_permissions.through._meta.db_table} WHERE person_id IN ({people})"),
        (None, f"DELETE FROM {Absence._meta.db_table} WHERE person_id IN ({people})"),
        (None, f"UPDATE {Person._meta.db_table} SET alternate_id = NULL WHERE alternate_id IN ({people})"),
        ("people", f"DELETE FROM {Person._meta.db_table} WHERE id IN ({people})"),
        (
            None,
            f"DELETE FROM {Membership._meta.db_table} WHERE agency_id IN "
            f"(SELECT id FROM {Agency._meta.db_table} WHERE acronym LIKE '{AGENCY_PREFIX}%%')",
        ),
        ("agencies", f"DELETE FROM {Agency._meta.db_table} WHERE acronym LIKE '{AGENCY_PREFIX}%%'"),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for name, sql in statements:
            cursor.execute(sql)
            if name:
                made.add(name, cursor.rowcount)
        stored.rebuild()
    return made
