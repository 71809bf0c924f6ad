"""The groups' obligations: minimum meetings, reviews, the annual rotation of a chair (Annexes IIIA-C, seed 004)."""

from datetime import date

import pytest
from django.test import override_settings

from groups.models import Group, TermsOfReference
from groups.services import (
    chair_handovers,
    group_chair_for_year,
    minimum_meetings,
    next_review_due,
    review_dates,
)
from meetings.models import Meeting
from meetings.selectors import meetings_held, meetings_short_of_minimum
from tests.factories import make_agency, make_group, make_meeting

pytestmark = pytest.mark.django_db


def group_meeting(group, day, status=Meeting.Status.HELD):
    return make_meeting(day, kind=Meeting.Kind.GROUP, group=group, status=status)


def test_decent_work_task_force_owes_three_meetings_a_year_then_two_from_2016(gmg_record):
    task_force = Group.objects.get(slug="tf-decent-work")
    assert minimum_meetings(task_force, 2013) is None  # established 3 July 2013: the first full year is 2014
    assert minimum_meetings(task_force, 2014) == 3
    assert minimum_meetings(task_force, 2015) == 3
    assert minimum_meetings(task_force, 2016) == 2  # the ToR as at 24 March 2016
    assert minimum_meetings(task_force, 2017) == 2


def test_groups_short_of_meetings_in_2014_on_the_gmg_record(gmg_record):
    # The record shows no group meeting held in 2014; the two older working groups have no ToR in the seeds.
    short = {group.slug: (held, minimum) for group, held, minimum in meetings_short_of_minimum(2014)}
    assert short == {
        "wg-human-rights-gender": (0, 3),
        "tf-capacity-development": (0, 3),
        "tf-decent-work": (0, 3),
    }
    assert {group.slug: minimum for group, _, minimum in meetings_short_of_minimum(2016)}["tf-decent-work"] == 2


def test_only_meetings_held_in_the_year_count():
    group = make_group(min_meetings=3, established_on=date(2013, 7, 3))
    group_meeting(group, date(2014, 2, 1))
    group_meeting(group, date(2014, 5, 1))
    group_meeting(group, date(2014, 9, 1), status=Meeting.Status.PLANNED)
    group_meeting(group, date(2014, 10, 1), status=Meeting.Status.CANCELLED)
    group_meeting(group, date(2015, 1, 10))
    assert meetings_held(group, 2014) == 2
    assert meetings_short_of_minimum(2014) == [(group, 2, 3)]

    group_meeting(group, date(2014, 12, 31))
    assert meetings_held(group, 2014) == 3
    assert meetings_short_of_minimum(2014) == []


def test_a_closed_group_and_a_group_without_terms_of_reference_owe_no_minimum():
    closed = make_group(status=Group.Status.CLOSED, established_on=date(2013, 1, 1))
    no_tor = make_group(tor_adopted_on=None, established_on=date(2013, 1, 1))
    assert minimum_meetings(closed, 2014) is None
    assert minimum_meetings(no_tor, 2014) is None
    assert meetings_short_of_minimum(2014) == []


def test_a_group_established_on_1_january_owes_its_minimum_that_year():
    group = make_group(established_on=date(2014, 1, 1), tor_adopted_on=date(2014, 1, 1))
    assert minimum_meetings(group, 2014) == 3


def test_the_task_forces_are_first_reviewed_one_year_after_establishment(gmg_record):
    for slug in ("tf-capacity-development", "tf-decent-work"):
        group = Group.objects.get(slug=slug)
        assert next_review_due(group, date(2014, 1, 1)) == date(2014, 7, 3)


def test_decent_work_task_force_is_reviewed_every_two_years_under_its_2016_tor(gmg_record):
    task_force = Group.objects.get(slug="tf-decent-work")
    assert [review.due for review in review_dates(task_force, until=date(2020, 12, 31))] == [
        date(2014, 7, 3),
        date(2018, 3, 24),
        date(2020, 3, 24),
    ]
    assert next_review_due(task_force, date(2016, 6, 1)) == date(2018, 3, 24)
    assert next_review_due(task_force, date(2018, 3, 24)) == date(2018, 3, 24)


def test_a_group_whose_tor_asks_for_no_review_has_no_review_due(gmg_record):
    working_group = Group.objects.get(slug="wg-human-rights-gender")
    assert next_review_due(working_group, date(2014, 1, 1)) is None


def test_a_recurring_review_stops_when_a_newer_tor_is_adopted():
    group = make_group(established_on=date(2013, 1, 1), tor_adopted_on=None)
    TermsOfReference.objects.create(
        group=group, version="first", adopted_on=date(2013, 1, 1), review_after_months=12, review_every_months=12
    )
    TermsOfReference.objects.create(group=group, version="second", adopted_on=date(2015, 6, 1))
    assert [review.due for review in review_dates(group, until=date(2020, 1, 1))] == [
        date(2014, 1, 1),
        date(2015, 1, 1),
    ]
    keys = [review.key for review in review_dates(group, until=date(2020, 1, 1))]
    assert len(set(keys)) == 2


def test_the_human_rights_working_group_chair_rotates_between_ohchr_un_women_and_unicef(gmg_record):
    working_group = Group.objects.get(slug="wg-human-rights-gender")
    chairs = {year: group_chair_for_year(working_group, year).acronym for year in range(2013, 2018)}
    assert chairs == {2013: "OHCHR", 2014: "OHCHR", 2015: "UN Women", 2016: "UNICEF", 2017: "OHCHR"}
    assert group_chair_for_year(working_group, 2012) is None
    handovers = [(h.due, h.outgoing.acronym, h.incoming.acronym) for h in chair_handovers(working_group, 2013, 2017)]
    assert handovers == [
        (date(2015, 1, 1), "OHCHR", "UN Women"),
        (date(2016, 1, 1), "UN Women", "UNICEF"),
        (date(2017, 1, 1), "UNICEF", "OHCHR"),
    ]


@override_settings(GMG_GROUP_CHAIR_FIRST_TURN_YEARS_AFTER_ESTABLISHMENT=0)
def test_the_first_turn_can_start_in_the_year_of_establishment():
    first, second = make_agency(), make_agency()
    group = make_group(co_chairs=[first, second], chair_rotates_annually=True, established_on=date(2013, 7, 3))
    assert [group_chair_for_year(group, year) for year in (2013, 2014, 2015)] == [first, second, first]


def test_a_group_whose_chair_does_not_rotate_has_no_rotating_chair(gmg_record):
    task_force = Group.objects.get(slug="tf-decent-work")
    assert group_chair_for_year(task_force, 2015) is None
    assert chair_handovers(task_force, 2013, 2020) == []


def test_a_held_evaluation_settles_the_review_it_answers_and_no_other(gmg_record):
    from groups.models import Evaluation
    from register.deadlines import State
    from register.reading import obligations

    task_force = Group.objects.get(slug="tf-decent-work")

    def review_states():
        found = obligations(
            first=date(2014, 1, 1), last=date(2018, 12, 31), today=date(2018, 6, 1), kinds={"group_review"}
        )
        return [(o.due, o.state) for o in found if o.group == task_force]

    assert review_states() == [(date(2014, 7, 3), State.OVERDUE), (date(2018, 3, 24), State.OVERDUE)]
    Evaluation.objects.create(group=task_force, held_on=date(2014, 9, 15), outcome="Work plan adjusted")
    assert review_states() == [(date(2014, 7, 3), State.DONE), (date(2018, 3, 24), State.OVERDUE)]
    [first, second] = review_dates(task_force, until=date(2018, 12, 31))
    assert (first.done_on, second.done_on) == (date(2014, 9, 15), None)
