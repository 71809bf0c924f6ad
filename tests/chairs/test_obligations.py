"""A chair term's obligations and their due dates (decision 1 of 3 July 2013, Annex I)."""

from datetime import date

import pytest
from django.test import override_settings

from chairs.models import ChairTerm
from chairs.services import annual_report_due, chair_obligations, letter_of_commitment_due
from meetings.models import Meeting
from meetings.selectors import held_principals_meetings
from tests.factories import make_agency, make_meeting, make_term

pytestmark = pytest.mark.django_db


def obligations_of(term):
    return chair_obligations(term, principals_meetings=held_principals_meetings())


def duties_of(term):
    return {duty.kind: duty for duty in obligations_of(term)}


@pytest.mark.parametrize(
    ("ends_on", "due"),
    [
        (date(2014, 12, 31), date(2015, 2, 28)),
        (date(2015, 12, 31), date(2016, 2, 29)),  # leap year
        (date(2015, 8, 31), date(2015, 10, 31)),
        (date(2013, 6, 30), date(2013, 8, 31)),  # a month end stays a month end
        (date(2016, 3, 15), date(2016, 5, 15)),  # a term cut short mid-month
        (date(2015, 10, 31), date(2015, 12, 31)),
    ],
)
def test_annual_report_is_due_two_months_after_term_end(ends_on, due):
    term = ChairTerm(agency=make_agency(), starts_on=date(ends_on.year, 1, 1), ends_on=ends_on)
    assert annual_report_due(term) == due


@override_settings(GMG_ANNUAL_REPORT_DUE_MONTHS=3)
def test_the_report_delay_follows_the_setting():
    term = ChairTerm(agency=make_agency(), starts_on=date(2014, 1, 1), ends_on=date(2014, 12, 31))
    assert annual_report_due(term) == date(2015, 3, 31)


def test_letter_of_commitment_is_due_ninety_days_before_the_term_starts():
    term = ChairTerm(agency=make_agency(), starts_on=date(2015, 1, 1), ends_on=date(2015, 12, 31))
    assert letter_of_commitment_due(term) == date(2014, 10, 3)
    with override_settings(GMG_LETTER_OF_COMMITMENT_LEAD_DAYS=180):
        assert letter_of_commitment_due(term) == date(2014, 7, 5)


def test_an_actual_term_has_the_four_obligations_with_their_due_dates():
    term = make_term(make_agency("ILO"), date(2014, 1, 1), date(2014, 12, 31))
    duties = duties_of(term)
    assert {kind: duty.due for kind, duty in duties.items()} == {
        "letter_of_commitment": date(2013, 10, 3),
        "annual_workplan": date(2014, 1, 1),
        "principals_meeting": date(2014, 12, 31),
        "annual_report": date(2015, 2, 28),
    }
    assert duties["annual_report"].title == "ILO: annual report on the 2014 term"
    assert all(duty.done_on is None for duty in duties.values())


def test_filled_in_dates_mark_the_obligations_done():
    term = make_term(
        make_agency(),
        date(2014, 1, 1),
        date(2014, 12, 31),
        letter_of_commitment_received_on=date(2013, 9, 1),
        workplan_endorsed_on=date(2014, 2, 10),
        annual_report_submitted_on=date(2015, 2, 20),
    )
    duties = duties_of(term)
    assert duties["letter_of_commitment"].done_on == date(2013, 9, 1)
    assert duties["annual_workplan"].done_on == date(2014, 2, 10)
    assert duties["annual_report"].done_on == date(2015, 2, 20)


def test_only_a_principals_meeting_held_within_the_term_fulfils_the_obligation():
    term = make_term(make_agency(), date(2014, 1, 1), date(2014, 12, 31))
    make_meeting(date(2013, 12, 1), kind=Meeting.Kind.PRINCIPALS, status=Meeting.Status.HELD)
    make_meeting(date(2014, 3, 1), kind=Meeting.Kind.PRINCIPALS, status=Meeting.Status.PLANNED)
    make_meeting(date(2014, 4, 1), kind=Meeting.Kind.WORKING_LEVEL, status=Meeting.Status.HELD)
    assert duties_of(term)["principals_meeting"].done_on is None

    make_meeting(date(2014, 11, 5), kind=Meeting.Kind.PRINCIPALS, status=Meeting.Status.HELD)
    make_meeting(date(2014, 6, 5), kind=Meeting.Kind.PRINCIPALS, status=Meeting.Status.HELD)
    assert duties_of(term)["principals_meeting"].done_on == date(2014, 6, 5)


def test_a_future_planned_term_carries_the_letter_and_work_plan_only():
    term = make_term(make_agency(), date(2027, 1, 1), date(2027, 12, 31), kind=ChairTerm.Kind.PLANNED)
    assert set(duties_of(term)) == {"letter_of_commitment", "annual_workplan"}


def test_a_planned_term_an_actual_term_overlaps_carries_nothing():
    planned_agency, actual_agency = make_agency(), make_agency()
    planned = make_term(planned_agency, date(2015, 1, 1), date(2015, 12, 31), kind=ChairTerm.Kind.PLANNED)
    make_term(actual_agency, date(2015, 1, 1), date(2015, 12, 31))
    assert obligations_of(planned) == []


def test_an_actual_term_takes_the_letter_recorded_on_its_planned_term():
    agency = make_agency()
    make_term(
        agency,
        date(2016, 1, 1),
        date(2016, 12, 31),
        kind=ChairTerm.Kind.PLANNED,
        letter_of_commitment_received_on=date(2015, 9, 1),
    )
    actual = make_term(agency, date(2016, 1, 1), date(2016, 12, 31))
    assert duties_of(actual)["letter_of_commitment"].done_on == date(2015, 9, 1)


def test_ilos_2014_annual_report_is_due_on_28_february_2015(gmg_record):
    term = ChairTerm.objects.get(kind=ChairTerm.Kind.ACTUAL, agency__acronym="ILO", starts_on=date(2014, 1, 1))
    report = duties_of(term)["annual_report"]
    assert report.due == date(2015, 2, 28)
    assert report.title == "ILO: annual report on the 2014 term"


def test_the_world_banks_2016_plan_was_overtaken_by_its_2015_chairmanship(gmg_record):
    planned_2016 = ChairTerm.objects.get(kind=ChairTerm.Kind.PLANNED, starts_on=date(2016, 1, 1))
    assert planned_2016.agency.acronym == "World Bank"
    assert obligations_of(planned_2016) == []
    planned_2017 = ChairTerm.objects.get(kind=ChairTerm.Kind.PLANNED, starts_on=date(2017, 1, 1))
    assert {duty.kind: duty.due for duty in obligations_of(planned_2017)} == {
        "letter_of_commitment": date(2016, 10, 3),
        "annual_workplan": date(2017, 1, 1),
    }
