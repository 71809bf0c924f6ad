"""The stored deadline register (register/stored.py) equals the register computed from the record, on the
GMG's record and after each kind of change the portal makes to the register's sources."""

from datetime import date

import pytest
from django.core.management import call_command

from chairs.models import ChairTerm
from groups.models import Agency, Evaluation, Group, GroupCoChair
from meetings.models import ActionPoint, Decision, Meeting
from register import stored
from register.deadlines import computed_obligations
from register.models import RegisterEntry
from register.reading import obligations
from tests.factories import (
    make_action_point,
    make_activity,
    make_agency,
    make_decision,
    make_group,
    make_meeting,
    make_term,
    make_update,
)
from workplans.models import Activity, ActivityUpdate, ReportingRound

pytestmark = pytest.mark.django_db

EVERYTHING = {"first": date(2000, 1, 1), "last": date(2035, 12, 31)}
DAYS = (date(2014, 6, 1), date(2015, 2, 20), date(2015, 6, 15), date(2031, 1, 1))


def comparable(o) -> tuple:
    return (
        o.key,
        o.kind,
        o.title,
        o.due,
        o.state,
        o.url,
        type(o.subject).__name__,
        o.subject.pk,
        o.agency.pk if o.agency else None,
        o.audience,
        o.group.pk if o.group else None,
        o.chair_term.pk if o.chair_term else None,
        o.done_on,
        tuple(a.pk for a in o.agencies),
    )


def assert_same(**kwargs) -> int:
    """Stored and computed agree, for every day and with or without what is overdue; how many there are."""
    size = 0
    for today in DAYS:
        for include_overdue in (False, True):
            window = {**EVERYTHING, **kwargs, "today": today, "include_overdue": include_overdue}
            stored = [comparable(o) for o in obligations(**window)]
            computed = [comparable(o) for o in computed_obligations(**window)]
            assert stored == computed
            size = max(size, len(stored))
    return size


def test_the_stored_register_is_the_computed_one_on_the_gmg_record(gmg_record):
    assert RegisterEntry.objects.exists()
    assert assert_same() > 100
    assert assert_same(first=date(2015, 2, 1), last=date(2015, 3, 31)) > 0
    for acronym in ("ILO", "IOM", "UNICEF"):
        assert assert_same(agency=Agency.objects.get(acronym=acronym)) > 0
    windows = [
        {"first": date(2015, 1, 1), "last": date(2015, 1, 31)},
        {"first": date(2099, 6, 1), "last": date(2101, 3, 1)},
    ]
    for window in windows:  # a month; across the stored horizon, the rest computed
        assert_same(**window)


def test_a_rebuild_gives_the_same_rows_and_the_command_says_how_many(gmg_record, capsys):
    before = set(RegisterEntry.objects.values_list("key", "due", "title", "done_on"))
    RegisterEntry.objects.all().delete()
    call_command("rebuild_register")
    assert f"holds {len(before)} obligations" in capsys.readouterr().out
    assert set(RegisterEntry.objects.values_list("key", "due", "title", "done_on")) == before


@pytest.fixture
def record():
    ilo, ohchr, unicef, undp = make_agency("ILO"), make_agency("OHCHR"), make_agency("UNICEF"), make_agency("UNDP")
    who = make_agency("WHO")
    term = make_term(ilo, date(2014, 1, 1), date(2014, 12, 31))
    group = make_group(
        co_chairs=[ohchr, unicef], chair_rotates_annually=True, established_on=date(2013, 7, 3), min_meetings=3
    )
    meeting = make_meeting(date(2014, 3, 10), title="Working level meeting", status=Meeting.Status.PLANNED)
    decision = make_decision(meeting, "2", trial_months=6, review_on=date(2014, 9, 10))
    point = make_action_point(meeting, undp, due_on=date(2014, 4, 30), text="Circulate the concept note")
    activity = make_activity(lead_agencies=[who, undp], ends_on=date(2014, 10, 31), number="1.1")
    chair_led = make_activity(lead="GMG Chair", ends_on=date(2015, 3, 31))
    round = ReportingRound.objects.create(
        title="2014 progress",
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 12, 31),
        due_on=date(2015, 1, 15),
    )
    assert_same()
    return locals()


def test_changes_to_chair_terms_keep_it_current(record):
    term = record["term"]
    term.ends_on = date(2014, 6, 30)
    term.save()
    assert_same()
    make_term(record["unicef"], date(2015, 1, 1), date(2015, 12, 31))  # the chair-led activity falls to UNICEF
    assert_same()
    ChairTerm.objects.get(pk=term.pk).delete()
    assert_same()


def test_changes_to_groups_keep_it_current(record):
    group = record["group"]
    GroupCoChair.objects.filter(group=group, agency=record["unicef"]).delete()
    assert_same()
    GroupCoChair.objects.create(group=group, agency=record["who"], position=5)
    assert_same()
    Evaluation.objects.create(group=group, held_on=date(2015, 6, 1), outcome="Reviewed.")
    assert_same()
    make_group(co_chairs=[record["ilo"]], established_on=date(2014, 1, 1))
    assert_same()
    Group.objects.get(pk=group.pk).delete()
    assert_same()


def test_changes_to_meetings_decisions_and_action_points_keep_it_current(record):
    meeting, decision, point = record["meeting"], record["decision"], record["point"]
    meeting.status = Meeting.Status.HELD
    meeting.title = "Working level meeting, renamed"
    meeting.save()
    assert_same()
    make_meeting(date(2014, 11, 20), kind=Meeting.Kind.PRINCIPALS, status=Meeting.Status.HELD)
    for day in (date(2014, 2, 1), date(2014, 6, 1), date(2014, 9, 1)):
        make_meeting(day, kind=Meeting.Kind.GROUP, group=record["group"], status=Meeting.Status.HELD)
    assert_same()
    decision.reviewed_on = date(2014, 9, 12)
    decision.save()
    assert_same()
    point.status, point.done_on = ActionPoint.Status.DONE, date(2014, 5, 2)
    point.save()
    assert_same()
    make_action_point(meeting, record["who"], due_on=date(2015, 1, 10))
    assert_same()
    ActionPoint.objects.get(pk=point.pk).delete()
    Decision.objects.get(pk=decision.pk).delete()
    assert_same()
    Meeting.objects.get(pk=meeting.pk).delete()
    assert_same()
    assert not RegisterEntry.objects.filter(subject_id=meeting.pk, kind="meeting").exists()


def test_changes_to_activities_updates_and_rounds_keep_it_current(record):
    activity, round = record["activity"], record["round"]
    make_update(activity, record["who"], reported_on=date(2014, 11, 10), status=Activity.Status.COMPLETED)
    assert_same()
    activity = Activity.objects.get(pk=activity.pk)
    activity.status = Activity.Status.COMPLETED
    activity.save()
    assert_same()
    activity.lead_agencies.remove(record["undp"])
    assert_same()
    activity.lead_agencies.add(record["ilo"])
    record["ohchr"].led_activities.add(activity)
    assert_same()
    activity.lead_agencies.clear()
    assert_same()
    activity.lead_agencies.set([record["who"], record["unicef"]])
    ActivityUpdate.objects.filter(activity=activity).first().delete()
    assert_same()
    round.due_on = date(2015, 2, 1)
    round.save()
    ReportingRound.objects.create(
        title="2015 progress",
        period_starts_on=date(2015, 1, 1),
        period_ends_on=date(2015, 6, 30),
        due_on=date(2015, 7, 15),
    )
    assert_same()
    Activity.objects.get(pk=activity.pk).delete()
    assert_same()
    round.delete()
    assert_same()


def test_renaming_an_agency_renames_its_obligations(record):
    who = Agency.objects.get(pk=record["who"].pk)
    who.acronym = "WHO-2"
    who.save()
    assert_same()
    assert any("WHO-2" in o.title for o in obligations(**EVERYTHING, agency=who))
    unicef = Agency.objects.get(pk=record["unicef"].pk)
    make_term(unicef, date(2015, 1, 1), date(2015, 12, 31))  # the chair-led activity falls to UNICEF
    unicef.name = "United Nations Children's Fund (renamed)"
    unicef.acronym = "UNICEF-2"
    unicef.save()
    assert_same()
    assert any(o.subject.pk == record["chair_led"].pk for o in obligations(**EVERYTHING, agency=unicef))


def test_writes_through_the_guarded_update_keep_it_current(record):
    from kit.forms_flow import save_if_unchanged

    activity = Activity.objects.get(pk=record["activity"].pk)
    assert save_if_unchanged(Activity, pk=activity.pk, revision=activity.revision, values={"ends_on": date(2015, 5, 1)})
    assert_same()
    decision = Decision.objects.get(pk=record["decision"].pk)
    assert save_if_unchanged(
        Decision, pk=decision.pk, revision=decision.revision, values={"review_on": date(2015, 1, 2)}
    )
    assert_same()


def test_the_sweep_reads_the_register_in_batches_by_id(record):
    everything = [o.key for o in obligations(**EVERYTHING, today=date(2014, 6, 1))]
    seen = []
    for batch in stored.batches(
        stored.window(
            **EVERYTHING, today=date(2014, 6, 1), include_overdue=False, kinds=set(stored.deadlines.KINDS)
        ),
        today=date(2014, 6, 1),
        size=3,
    ):
        assert len(batch) <= 3
        seen += [o.key for o in batch]
    assert sorted(seen) == sorted(everything)


def test_changes_to_input_requests_keep_it_current(record):
    from events.models import Contribution, ExternalEvent, InputRequest

    hrc = ExternalEvent.objects.create(name="Human Rights Council session", kind="hrc", starts_on=date(2014, 12, 8))
    asked = InputRequest.objects.create(event=hrc, asked="Key messages", due_on=date(2014, 12, 1))
    asked.agencies.set([record["ohchr"], record["ilo"]])
    assert_same()
    answer = Contribution.objects.create(
        request=asked, agency=record["ilo"], text="Ours.", submitted_on=date(2014, 11, 20)
    )
    assert_same()
    hrc.name = "Human Rights Council, 28th session"
    hrc.save()
    asked.agencies.remove(record["ohchr"])
    assert_same()
    answer.delete()
    asked.due_on = date(2015, 1, 9)
    asked.save()
    assert_same()
    asked.delete()
    assert_same()


def test_a_save_recomputes_the_rounds_that_can_ask_about_it_and_no_other(record):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_workplan

    activity = record["activity"]
    other_plan = make_workplan(slug="another-plan")
    theirs = ReportingRound.objects.create(
        title="Another plan's round",
        workplan=other_plan,
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 12, 31),
        due_on=date(2015, 1, 31),
    )
    activity = Activity.objects.get(pk=activity.pk)
    activity.status = Activity.Status.DELAYED
    with CaptureQueriesContext(connection) as queries:
        activity.save()
    sql = " ".join(query["sql"] for query in queries)
    assert f"in_round_{theirs.pk}" not in sql  # a round of another plan is not read again
    if activity.output.stream.workplan_id is None or record["round"].workplan_id in (
        None,
        activity.output.stream.workplan_id,
    ):
        assert f"in_round_{record['round'].pk}" in sql  # its own plan's round (or a round over every plan) is
    assert_same()
