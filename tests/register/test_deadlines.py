"""The register of every dated obligation (register.deadlines): due dates, states, responsibility, and speed."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from chairs.models import ChairTerm
from events.models import ExternalEvent, InputRequest
from meetings.models import ActionPoint, Decision, Meeting
from register.deadlines import KINDS, State, computed_obligations, obligation_state
from register.reading import obligations
from tests.factories import (
    make_action_point,
    make_activity,
    make_agency,
    make_decision,
    make_group,
    make_meeting,
    make_term,
)
from workplans.models import Activity, ActivityUpdate, ReportingRound
from workplans.selectors import overdue_activities

pytestmark = pytest.mark.django_db

YEAR_2014 = {"first": date(2014, 1, 1), "last": date(2014, 12, 31)}


def save(model, instance, **values):
    """Change a record the way the portal does (a model save), so the stored register follows."""
    row = model.objects.get(pk=instance.pk)
    for name, value in values.items():
        setattr(row, name, value)
    row.save()


def by_key(found):
    return {o.key: o for o in found}


@pytest.fixture
def record():
    """One obligation of every kind, around the ILO's 2014 chairmanship."""
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
    ReportingRound.objects.create(
        title="2014 progress",
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 12, 31),
        due_on=date(2015, 1, 15),
    )
    hrc = ExternalEvent.objects.create(name="Human Rights Council session", kind="hrc", starts_on=date(2014, 12, 8))
    InputRequest.objects.create(event=hrc, asked="Key messages", due_on=date(2014, 12, 1)).agencies.set([ohchr])
    return {
        "term": term,
        "group": group,
        "meeting": meeting,
        "decision": decision,
        "point": point,
        "activity": activity,
        "agencies": {"ILO": ilo, "OHCHR": ohchr, "UNICEF": unicef, "UNDP": undp, "WHO": who},
    }


@override_settings(GMG_DUE_SOON_DAYS=14)
def test_obligation_state_is_done_overdue_due_or_upcoming():
    today = date(2015, 2, 1)
    assert obligation_state(date(2015, 1, 1), date(2015, 3, 1), today) == State.DONE
    assert obligation_state(date(2015, 1, 31), None, today) == State.OVERDUE
    assert obligation_state(date(2015, 2, 1), None, today) == State.DUE
    assert obligation_state(date(2015, 2, 15), None, today) == State.DUE
    assert obligation_state(date(2015, 2, 16), None, today) == State.UPCOMING


def test_every_kind_of_obligation_is_in_the_register(record):
    found = obligations(first=date(2013, 1, 1), last=date(2015, 12, 31), today=date(2014, 6, 1))
    assert {o.kind for o in found} == set(KINDS)
    keys = [o.key for o in found]
    assert len(keys) == len(set(keys))
    assert [o.due for o in found] == sorted(o.due for o in found)


def test_each_obligation_names_its_record_and_who_is_responsible(record):
    found = by_key(obligations(first=date(2013, 1, 1), last=date(2015, 12, 31), today=date(2014, 6, 1)))
    term, group, meeting = record["term"], record["group"], record["meeting"]
    report = found[f"annual_report:chairterm:{term.pk}"]
    assert (report.due, report.agency.acronym, report.audience, report.url) == (
        date(2015, 2, 28),
        "ILO",
        "chair",
        f"/chairs/{term.pk}/",
    )
    assert report.subject == term and report.chair_term == term
    minimum = found[f"group_min_meetings:group:{group.pk}:2014"]
    assert (minimum.due, minimum.agency.acronym, minimum.audience, minimum.group) == (
        date(2014, 12, 31),
        "OHCHR",
        "group_co_chairs",
        group,
    )
    rotation = found[f"group_chair_rotation:group:{group.pk}:2015"]
    assert (rotation.due, rotation.agency.acronym) == (date(2015, 1, 1), "UNICEF")
    review = found[f"decision_review:decision:{record['decision'].pk}"]
    assert (review.due, review.agency.acronym, review.audience) == (date(2014, 9, 10), "ILO", "support")
    point = found[f"action_point:actionpoint:{record['point'].pk}"]
    assert (point.due, point.agency.acronym, point.audience) == (date(2014, 4, 30), "UNDP", "agency")
    activity = found[f"activity_end:activity:{record['activity'].pk}"]
    assert (activity.due, activity.agency.acronym, activity.url) == (
        date(2014, 10, 31),
        "UNDP",  # the first of its lead agencies in the rotation's order
        f"/workplans/activities/{record['activity'].pk}/",
    )
    held = found[f"meeting:{meeting.pk}"]
    assert (held.due, held.agency.acronym, held.audience, held.url) == (
        date(2014, 3, 10),
        "ILO",
        "attendees",
        f"/meetings/{meeting.pk}/",
    )


def test_the_register_keeps_the_date_range_and_sorts_by_due_date_then_title(record):
    found = obligations(first=date(2014, 4, 1), last=date(2014, 9, 30), today=date(2014, 6, 1))
    assert [(o.due, o.kind) for o in found] == [
        (date(2014, 4, 30), "action_point"),
        (date(2014, 7, 3), "group_review"),
        (date(2014, 9, 10), "decision_review"),
    ]


def test_overdue_items_from_before_the_range_come_only_when_asked(record):
    window = {"first": date(2014, 9, 1), "last": date(2014, 9, 30), "today": date(2014, 9, 15)}
    assert "action_point" not in {o.kind for o in obligations(**window)}
    with_overdue = obligations(**window, include_overdue=True)
    overdue = [o for o in with_overdue if o.due < window["first"]]
    assert overdue and all(o.state == State.OVERDUE for o in overdue)
    assert {"action_point", "meeting", "annual_workplan", "letter_of_commitment"} <= {o.kind for o in overdue}
    # Done items stay out, however old.
    point = record["point"]
    point.status, point.done_on = ActionPoint.Status.DONE, date(2014, 5, 2)
    point.save()
    assert "action_point" not in {o.kind for o in obligations(**window, include_overdue=True)}


def test_the_agency_filter_keeps_what_that_agency_is_responsible_for(record):
    undp = record["agencies"]["UNDP"]
    found = obligations(first=date(2013, 1, 1), last=date(2015, 12, 31), today=date(2014, 6, 1), agency=undp)
    # The action point it owns, the activity it co-leads, and its report on that activity in the 2014 round.
    assert {o.kind for o in found} == {"action_point", "activity_end", "reporting_round"}
    who = record["agencies"]["WHO"]  # the activity's second lead agency
    found = obligations(first=date(2013, 1, 1), last=date(2015, 12, 31), today=date(2014, 6, 1), agency=who)
    assert [o.kind for o in found] == ["activity_end", "reporting_round"]
    ilo = record["agencies"]["ILO"]
    ilo_kinds = {o.kind for o in obligations(**YEAR_2014, today=date(2014, 6, 1), agency=ilo)}
    assert ilo_kinds == {"annual_workplan", "principals_meeting", "meeting", "decision_review"}


def test_the_kinds_filter_keeps_those_kinds_and_refuses_unknown_ones(record):
    found = obligations(first=date(2013, 1, 1), last=date(2015, 12, 31), kinds={"annual_report", "meeting"})
    assert {o.kind for o in found} == {"annual_report", "meeting"}
    with pytest.raises(ValueError, match="Unknown kinds of obligation: reports"):
        obligations(**YEAR_2014, kinds={"reports"})


def test_submitting_the_report_marks_it_done_at_once(record):
    term = record["term"]
    key = f"annual_report:chairterm:{term.pk}"
    window = {"first": date(2015, 1, 1), "last": date(2015, 3, 31), "today": date(2015, 3, 5)}
    assert by_key(obligations(**window))[key].state == State.OVERDUE
    save(ChairTerm, term, annual_report_submitted_on=date(2015, 3, 4))
    report = by_key(obligations(**window))[key]
    assert (report.state, report.done_on) == (State.DONE, date(2015, 3, 4))


def test_moving_a_terms_end_moves_its_obligations_at_once_and_keeps_their_keys(record):
    term = record["term"]
    window = {"first": date(2014, 1, 1), "last": date(2015, 12, 31), "today": date(2014, 6, 1)}
    before = by_key(obligations(**window))[f"annual_report:chairterm:{term.pk}"]
    term.ends_on = date(2014, 6, 30)  # a term cut short
    term.save()
    after = by_key(obligations(**window))
    assert before.due == date(2015, 2, 28)
    assert after[f"annual_report:chairterm:{term.pk}"].due == date(2014, 8, 31)
    assert after[f"principals_meeting:chairterm:{term.pk}"].due == date(2014, 6, 30)


def test_holding_meetings_marks_them_done_and_fulfils_the_groups_minimum(record):
    group, meeting = record["group"], record["meeting"]
    key = f"group_min_meetings:group:{group.pk}:2014"
    window = {**YEAR_2014, "today": date(2014, 11, 1)}
    assert by_key(obligations(**window))[f"meeting:{meeting.pk}"].state == State.OVERDUE
    save(Meeting, meeting, status=Meeting.Status.HELD)
    assert by_key(obligations(**window))[f"meeting:{meeting.pk}"].state == State.DONE

    for day in (date(2014, 2, 1), date(2014, 6, 1)):
        make_meeting(day, kind=Meeting.Kind.GROUP, group=group, status=Meeting.Status.HELD)
    minimum = by_key(obligations(**window))[key]
    assert (minimum.state, minimum.done_on) == (State.UPCOMING, None)
    assert minimum.title.endswith("at least 3 meetings in 2014 (2 held)")
    make_meeting(date(2014, 10, 1), kind=Meeting.Kind.GROUP, group=group, status=Meeting.Status.HELD)
    minimum = by_key(obligations(**window))[key]
    assert (minimum.state, minimum.done_on) == (State.DONE, date(2014, 10, 1))


def test_holding_a_principals_meeting_fulfils_the_chairs_obligation(record):
    term = record["term"]
    key = f"principals_meeting:chairterm:{term.pk}"
    window = {**YEAR_2014, "today": date(2015, 1, 5)}
    assert by_key(obligations(**window))[key].state == State.OVERDUE
    make_meeting(date(2014, 11, 20), kind=Meeting.Kind.PRINCIPALS, status=Meeting.Status.HELD)
    assert by_key(obligations(**window))[key].done_on == date(2014, 11, 20)


def test_reviewing_a_decision_marks_its_review_done(record):
    decision = record["decision"]
    key = f"decision_review:decision:{decision.pk}"
    window = {**YEAR_2014, "today": date(2014, 9, 1)}
    assert by_key(obligations(**window))[key].state == State.DUE
    save(Decision, decision, reviewed_on=date(2014, 9, 12))
    assert by_key(obligations(**window))[key].state == State.DONE


def test_an_activity_is_done_when_completed_and_leaves_the_register_when_cancelled(record):
    activity = record["activity"]
    key = f"activity_end:activity:{activity.pk}"
    window = {**YEAR_2014, "today": date(2014, 11, 15)}
    assert by_key(obligations(**window))[key].state == State.OVERDUE
    ActivityUpdate.objects.create(
        activity=activity,
        agency=record["agencies"]["UNICEF"],
        reported_on=date(2014, 11, 10),
        status=Activity.Status.COMPLETED,
        narrative="Published.",
    )
    save(Activity, activity, status=Activity.Status.COMPLETED)
    done = by_key(obligations(**window))[key]
    assert (done.state, done.done_on) == (State.DONE, date(2014, 11, 10))
    save(Activity, activity, status=Activity.Status.CANCELLED)
    assert key not in by_key(obligations(**window))


def test_dropped_action_points_and_cancelled_meetings_are_not_obligations(record):
    save(ActionPoint, record["point"], status=ActionPoint.Status.DROPPED)
    save(Meeting, record["meeting"], status=Meeting.Status.CANCELLED)
    kinds = {o.kind for o in obligations(**YEAR_2014, today=date(2014, 6, 1))}
    assert "action_point" not in kinds and "meeting" not in kinds


def test_an_activity_the_plan_gives_to_the_gmg_chair_falls_to_the_chair_when_it_ends(record):
    activity = make_activity(lead="GMG Chair/support unit", ends_on=date(2014, 5, 31))
    found = by_key(obligations(**YEAR_2014, today=date(2014, 6, 1)))[f"activity_end:activity:{activity.pk}"]
    assert found.agency.acronym == "ILO"
    assert found.title.startswith("GMG Chair/support unit: activity")


def count_queries(**kwargs) -> int:
    with CaptureQueriesContext(connection) as context:
        obligations(**kwargs)
    return len(context.captured_queries)


def test_the_register_reads_the_record_in_a_fixed_number_of_queries(record, django_assert_num_queries):
    """Stored, the register is read in two queries (its rows, their agencies); computed from the record (the
    rebuild's source), in nineteen. Neither grows with the record."""
    window = {"first": date(2010, 1, 1), "last": date(2020, 12, 31), "today": date(2014, 6, 1)}
    with django_assert_num_queries(2):
        small = obligations(**window)
    with django_assert_num_queries(19):
        computed_obligations(**window)
    agencies = list(record["agencies"].values())
    for year in range(2015, 2020):
        make_term(agencies[year % 4], date(year, 1, 1), date(year, 12, 31))
        group = make_group(co_chairs=agencies[:2], chair_rotates_annually=True, established_on=date(2013, 1, 1))
        meeting = make_meeting(date(year, 3, 1), kind=Meeting.Kind.GROUP, group=group, status=Meeting.Status.HELD)
        make_decision(meeting, "1", trial_months=12, review_on=date(year + 1, 3, 1))
        make_action_point(meeting, agencies[0], due_on=date(year, 6, 1))
        make_activity(lead_agencies=agencies[:3], ends_on=date(year, 9, 30))
    with django_assert_num_queries(2):
        large = obligations(**window)
    assert len(large) > 2 * len(small)
    assert count_queries(**window, include_overdue=True) == 2
    with django_assert_num_queries(19):
        computed_obligations(**window)


def test_the_support_teams_trial_is_reviewed_on_3_january_2015(gmg_record):
    found = obligations(
        first=date(2015, 1, 1), last=date(2015, 1, 31), today=date(2014, 12, 22), kinds={"decision_review"}
    )
    assert [(o.due, o.state, o.title) for o in found] == [
        (
            date(2015, 1, 3),
            State.DUE,
            "Review of Decision 2 of 3 July 2013: Support team established (trial of 18 months)",
        )
    ]
    assert found[0].agency.acronym == "World Bank"  # the chair on the day of the review


def test_the_gmg_record_gives_the_ilos_2014_report_and_the_groups_short_of_meetings(gmg_record):
    found = obligations(first=date(2014, 12, 1), last=date(2015, 3, 31), today=date(2015, 3, 2))
    reports = [o for o in found if o.kind == "annual_report"]
    assert [(o.title, o.due, o.state) for o in reports] == [
        ("ILO: annual report on the 2014 term", date(2015, 2, 28), State.OVERDUE)
    ]
    short = sorted(o.group.slug for o in found if o.kind == "group_min_meetings")
    assert short == ["tf-capacity-development", "tf-decent-work", "wg-human-rights-gender"]
    rotation = [o for o in found if o.kind == "group_chair_rotation"]
    assert [(o.due, o.agency.acronym) for o in rotation] == [(date(2015, 1, 1), "UN Women")]


def test_the_gmg_record_lists_each_chair_obligation_of_the_2015_term_and_the_planned_2017_one(gmg_record):
    found = obligations(
        first=date(2014, 9, 1),
        last=date(2017, 12, 31),
        today=date(2015, 7, 1),
        kinds=set(KINDS) - {"meeting", "activity_end"},
    )
    chair = [(o.kind, o.agency.acronym, o.due) for o in found if o.chair_term is not None]
    assert ("letter_of_commitment", "World Bank", date(2014, 10, 3)) in chair
    assert ("annual_workplan", "World Bank", date(2015, 1, 1)) in chair
    assert ("principals_meeting", "World Bank", date(2015, 12, 31)) in chair
    assert ("annual_report", "World Bank", date(2016, 2, 29)) in chair
    assert ("letter_of_commitment", "WHO", date(2016, 10, 3)) in chair
    assert ("annual_workplan", "WHO", date(2017, 1, 1)) in chair
    # The World Bank's planned 2016 term was overtaken: it owes nothing.
    assert not [
        item for item in chair if item[1] == "World Bank" and item[2].year == 2016 and item[0] != "annual_report"
    ]
    reviews = [(o.group.slug, o.due) for o in found if o.kind == "group_review"]
    assert reviews == []  # the task forces' first reviews fell in July 2014, the next one in March 2018


@time_machine.travel(datetime(2015, 2, 28, 23, 30, tzinfo=UTC), tick=False)
def test_today_is_the_gmgs_day_at_midnight(record):
    # 23:30 UTC on 28 February is already 1 March in Geneva: the ILO's report is overdue there.
    key = f"annual_report:chairterm:{record['term'].pk}"
    window = {"first": date(2015, 2, 1), "last": date(2015, 3, 31)}
    assert by_key(obligations(**window))[key].state == State.OVERDUE
    with override_settings(TIME_ZONE="UTC"):
        assert by_key(obligations(**window))[key].state == State.DUE


def test_overdue_activities_are_past_their_end_and_neither_completed_nor_cancelled(record):
    activity, who = record["activity"], record["agencies"]["WHO"]
    late = make_activity(lead_agencies=[record["agencies"]["ILO"]], partners=[who], ends_on=date(2014, 6, 30))
    make_activity(ends_on=date(2014, 6, 30), status=Activity.Status.COMPLETED)
    make_activity(ends_on=date(2014, 6, 30), status=Activity.Status.CANCELLED)
    make_activity(ends_on=None)
    assert list(overdue_activities(on=date(2014, 11, 1))) == [late, activity]
    assert list(overdue_activities(on=date(2014, 7, 1))) == [late]
    assert list(overdue_activities(on=date(2014, 11, 1), agency=who)) == [late, activity]
    assert list(overdue_activities(on=date(2014, 11, 1), agency=record["agencies"]["OHCHR"])) == []
