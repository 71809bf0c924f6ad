"""Invariants that always hold are database constraints too: a write that bypasses forms still cannot break them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from chairs.models import ChairTerm
from meetings.models import Meeting
from tests.factories import make_activity, make_agency, make_group, make_meeting, make_term, make_workplan
from workplans.models import Activity, Output, WorkStream

pytestmark = pytest.mark.django_db


def refused(callable_, *args, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)
    return True


def test_a_chair_term_must_end_after_it_starts():
    ilo = make_agency("ILO")
    assert refused(make_term, ilo, date(2014, 12, 31), date(2014, 1, 1))
    assert refused(make_term, ilo, date(2014, 1, 1), date(2014, 1, 1))


def test_actual_chair_terms_never_overlap_in_the_database():
    ilo, wb = make_agency("ILO"), make_agency("World Bank")
    make_term(ilo, date(2014, 1, 1), date(2014, 12, 31))
    assert refused(make_term, wb, date(2014, 12, 31), date(2015, 12, 31))
    make_term(wb, date(2015, 1, 1), date(2015, 12, 31))
    assert ChairTerm.objects.actual().count() == 2


def test_a_planned_term_may_overlap_an_actual_one():
    """The 2013 plan named UN Women for 2015; the World Bank chaired. Both are kept."""
    unwomen, wb = make_agency("UN Women"), make_agency("World Bank")
    make_term(wb, date(2015, 1, 1), date(2015, 12, 31), kind=ChairTerm.Kind.ACTUAL)
    make_term(unwomen, date(2015, 1, 1), date(2015, 12, 31), kind=ChairTerm.Kind.PLANNED)
    assert ChairTerm.objects.covering(date(2015, 6, 1)).count() == 2


def test_an_overlapping_actual_term_is_refused_with_a_clear_message_before_saving():
    ilo, wb = make_agency("ILO"), make_agency("World Bank")
    make_term(ilo, date(2014, 1, 1), date(2014, 12, 31))
    term = ChairTerm(agency=wb, kind=ChairTerm.Kind.ACTUAL, starts_on=date(2014, 7, 1), ends_on=date(2015, 6, 30))
    with pytest.raises(ValidationError) as error:
        term.full_clean()
    assert "ILO actually chairs from 1 January 2014 to 31 December 2014" in str(error.value)


def test_the_co_chair_of_a_term_is_another_agency():
    ilo = make_agency("ILO")
    assert refused(make_term, ilo, date(2014, 1, 1), date(2014, 12, 31), co_chair=ilo)


def test_an_activity_position_is_unique_within_its_output_but_its_number_may_repeat():
    first = make_activity(number="3.2")
    second = make_activity(output=first.output, number="3.2")
    assert {first.number, second.number} == {"3.2"}
    assert refused(Activity.objects.create, output=first.output, position=first.position, description="again")


def test_an_activity_cannot_end_before_it_starts_nor_cost_less_than_nothing():
    activity = make_activity()
    assert refused(Activity.objects.filter(pk=activity.pk).update, starts_on=date(2014, 5, 1), ends_on=date(2014, 4, 1))
    assert refused(Activity.objects.filter(pk=activity.pk).update, estimated_cost=-1, currency="USD")
    assert refused(Activity.objects.filter(pk=activity.pk).update, estimated_cost=75000, currency="")


def test_stream_and_output_positions_are_unique_in_their_parent():
    plan = make_workplan()
    stream = WorkStream.objects.create(workplan=plan, position=1, title="Data and research")
    assert refused(WorkStream.objects.create, workplan=plan, position=1, title="Again")
    Output.objects.create(stream=stream, year=2014, position=1, title="Guide")
    assert refused(Output.objects.create, stream=stream, year=2014, position=1, title="Again")
    Output.objects.create(stream=stream, year=None, position=1, title="Undated")
    assert refused(Output.objects.create, stream=stream, year=None, position=1, title="Undated again")


def test_a_meeting_ends_on_or_after_its_first_day_and_a_group_meeting_names_its_group():
    assert refused(make_meeting, date(2013, 11, 29), ends_on=date(2013, 11, 26))
    assert refused(make_meeting, date(2013, 11, 26), kind=Meeting.Kind.GROUP)
    group = make_group()
    assert make_meeting(date(2013, 11, 26), kind=Meeting.Kind.GROUP, group=group).group == group


def test_a_decision_on_trial_has_a_review_date():
    from tests.factories import make_decision

    meeting = make_meeting(date(2013, 7, 3), kind=Meeting.Kind.PRINCIPALS)
    assert refused(make_decision, meeting, "2", trial_months=18)
    assert make_decision(meeting, "2", trial_months=18, review_on=date(2015, 1, 3)).review_on == date(2015, 1, 3)
