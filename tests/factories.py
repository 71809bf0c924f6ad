"""Small factories for test data: plain functions with keyword arguments and sensible defaults."""

import functools
from datetime import date
from itertools import count

from chairs.models import ChairTerm
from groups.models import Agency, Group, GroupCoChair, Membership, Person, TermsOfReference
from meetings.models import ActionPoint, Decision, Meeting
from workplans.models import Activity, Output, WorkPlan, WorkStream

_seq = count(1)

PASSWORD = "a-test-password-1"


def register_kept_once(fixture):
    """For a fixture that builds a world of records for tests about something else (who may open what): the
    deadline register is brought up to date once, when the world is built (`register.stored.rebuild`, as a bulk
    load does), instead of after each of its saves - which cost most of the fixture's time. The register is then
    as the saves one by one would have left it; tests/register/test_register.py checks those saves themselves."""

    @functools.wraps(fixture)
    def built(*args, **kwargs):
        from register import stored

        with stored.paused():
            world = fixture(*args, **kwargs)
        stored.rebuild()
        return world

    return built


def make_agency(acronym: str | None = None, *, joined=None, left=None, member=True, **fields) -> Agency:
    """An agency with one membership period (joined/left; by default a member since before the record)."""
    acronym = acronym or f"AG{next(_seq)}"
    fields.setdefault("name", f"{acronym} full name")
    fields.setdefault("sort_name", fields["name"])
    agency = Agency.objects.create(acronym=acronym, **fields)
    if member:
        Membership.objects.create(agency=agency, joined=joined, left=left)
    return agency


def make_person(username: str | None = None, *, role=Person.Role.VIEWER, agency=None, **fields) -> Person:
    username = username or f"person{next(_seq)}"
    fields.setdefault("email", f"{username}@example.org")
    person = Person(username=username, role=role, agency=agency, **fields)
    person.set_password(PASSWORD)
    person.save()
    return person


def make_term(agency: Agency, starts_on: date, ends_on: date, *, kind=ChairTerm.Kind.ACTUAL, **fields) -> ChairTerm:
    return ChairTerm.objects.create(agency=agency, starts_on=starts_on, ends_on=ends_on, kind=kind, **fields)


def make_group(*, co_chairs=(), slug: str | None = None, min_meetings=3, tor_adopted_on=date(2013, 7, 3), **fields):
    slug = slug or f"group-{next(_seq)}"
    fields.setdefault("name", f"Group {slug}")
    fields.setdefault("short_name", fields["name"][:80])
    fields.setdefault("kind", Group.Kind.WORKING_GROUP)
    group = Group.objects.create(slug=slug, **fields)
    for position, agency in enumerate(co_chairs, start=1):
        GroupCoChair.objects.create(group=group, agency=agency, position=position)
    if tor_adopted_on:
        TermsOfReference.objects.create(
            group=group,
            version="test",
            adopted_on=tor_adopted_on,
            min_meetings_per_year=min_meetings,
            review_after_months=12,
        )
    return group


def make_meeting(starts_on: date, *, title=None, kind=Meeting.Kind.WORKING_LEVEL, **fields) -> Meeting:
    return Meeting.objects.create(starts_on=starts_on, title=title or f"Meeting {next(_seq)}", kind=kind, **fields)


def make_decision(meeting: Meeting, number="1", **fields) -> Decision:
    fields.setdefault("title", f"Decision {number}")
    fields.setdefault("text", "The GMG decides.")
    return Decision.objects.create(meeting=meeting, number=number, **fields)


def make_action_point(meeting: Meeting, owner_agency: Agency, **fields) -> ActionPoint:
    fields.setdefault("text", "Circulate the draft")
    return ActionPoint.objects.create(meeting=meeting, owner_agency=owner_agency, **fields)


def make_workplan(*, slug=None, starts_on=date(2013, 1, 1), ends_on=date(2015, 12, 31), **fields) -> WorkPlan:
    slug = slug or f"plan-{next(_seq)}"
    fields.setdefault("title", f"Work plan {slug}")
    fields.setdefault("kind", WorkPlan.Kind.MULTI_ANNUAL)
    return WorkPlan.objects.create(slug=slug, starts_on=starts_on, ends_on=ends_on, **fields)


def make_activity(*, output: Output | None = None, lead_agencies=(), partners=(), position=None, **fields) -> Activity:
    if output is None:
        plan = make_workplan()
        stream = WorkStream.objects.create(workplan=plan, position=1, title="Stream")
        output = Output.objects.create(stream=stream, year=2014, position=1, number="Output 1", title="An output")
    position = position or (output.activities.count() + 1)
    fields.setdefault("description", f"Activity {position}")
    fields.setdefault("number", f"1.{position}")
    activity = Activity.objects.create(output=output, position=position, **fields)
    activity.lead_agencies.set(lead_agencies)
    activity.partners.set(partners)
    return activity


# -- work plan editor and progress reporting --------------------------------------------------------------------


def make_stream(plan: WorkPlan, *, position: int | None = None, **fields) -> WorkStream:
    position = position or (plan.streams.count() + 1)
    fields.setdefault("title", f"Stream {position}")
    return WorkStream.objects.create(workplan=plan, position=position, **fields)


def make_output(stream: WorkStream, *, year: int = 2014, position: int | None = None, **fields) -> Output:
    position = position or (stream.outputs.filter(year=year).count() + 1)
    fields.setdefault("number", f"Output {position}")
    fields.setdefault("title", f"Output {position} of {year}")
    return Output.objects.create(stream=stream, year=year, position=position, **fields)


def make_update(activity: Activity, agency: Agency, *, author=None, reported_on=None, **fields):
    from workplans.models import ActivityUpdate

    fields.setdefault("status", Activity.Status.ON_TRACK)
    fields.setdefault("narrative", "Work goes on.")
    return ActivityUpdate.objects.create(
        activity=activity, agency=agency, author=author, reported_on=reported_on or date(2014, 3, 1), **fields
    )


def form_as_opened(client, url: str, form_key: str = "form") -> dict:
    """What a form page posts back untouched: every field's initial value, the hidden revision or token too."""
    form = client.get(url).context[form_key]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(getattr(v, "pk", v)) for v in value]
        else:
            data[form.add_prefix(name)] = str(value)
    return data
