"""Reporting rounds in the register: each lead agency owes its updates by the round's due date."""

from datetime import date

import pytest

from register.deadlines import REPORTING_ROUND, State
from register.reading import obligations
from tests.factories import make_activity, make_agency, make_output, make_stream, make_update, make_workplan
from workplans.models import ActivityUpdate, ReportingRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_2014():
    unodc, ilo = make_agency("UNODC"), make_agency("ILO")
    plan = make_workplan(slug="mawp")
    output = make_output(make_stream(plan), year=2014)
    in_scope = make_activity(
        output=output, starts_on=date(2014, 1, 1), ends_on=date(2014, 6, 30), lead_agencies=[unodc]
    )
    ilo_activity = make_activity(
        output=output, starts_on=date(2014, 3, 1), ends_on=date(2014, 9, 30), lead_agencies=[ilo]
    )
    make_activity(output=output, starts_on=date(2015, 1, 1), ends_on=date(2015, 3, 1), lead_agencies=[ilo])  # later
    rnd = ReportingRound.objects.create(
        title="First half of 2014",
        workplan=plan,
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )
    return {"round": rnd, "unodc": unodc, "ilo": ilo, "unodc_activity": in_scope, "ilo_activity": ilo_activity}


def round_obligations(today):
    return {
        o.agency.acronym: o
        for o in obligations(first=date(2014, 7, 1), last=date(2014, 7, 31), today=today, kinds={REPORTING_ROUND})
    }


def test_every_lead_agency_in_scope_owes_a_report_by_the_due_date(round_2014):
    found = round_obligations(date(2014, 7, 10))
    assert set(found) == {"UNODC", "ILO"}
    assert found["ILO"].state == State.DUE
    assert found["ILO"].due == date(2014, 7, 15)
    assert found["ILO"].url == round_2014["round"].get_absolute_url()
    assert "1 of 1 activities still to report" in found["ILO"].title


def test_an_agency_that_reported_is_done_and_a_returned_update_does_not_count(round_2014):
    make_update(round_2014["unodc_activity"], round_2014["unodc"], reported_on=date(2014, 7, 2))
    make_update(
        round_2014["ilo_activity"],
        round_2014["ilo"],
        reported_on=date(2014, 7, 3),
        review=ActivityUpdate.Review.RETURNED,
    )
    found = round_obligations(date(2014, 7, 20))
    assert (found["UNODC"].state, found["UNODC"].done_on) == (State.DONE, date(2014, 7, 2))
    assert found["ILO"].state == State.OVERDUE


def test_an_update_older_than_the_period_does_not_answer_the_round(round_2014):
    make_update(round_2014["unodc_activity"], round_2014["unodc"], reported_on=date(2013, 12, 20))
    assert round_obligations(date(2014, 7, 20))["UNODC"].state == State.OVERDUE


def test_rounds_are_read_in_a_fixed_number_of_queries(round_2014, django_assert_num_queries):
    with django_assert_num_queries(2):  # the stored register: its rows and their agencies
        round_obligations(date(2014, 7, 10))
    for month in (1, 2, 3):
        ReportingRound.objects.create(
            title=f"Round {month}",
            period_starts_on=date(2014, month, 1),
            period_ends_on=date(2014, month, 28),
            due_on=date(2014, 7, month + 10),
        )
    with django_assert_num_queries(2):  # the stored register: its rows and their agencies
        found = obligations(
            first=date(2014, 7, 1), last=date(2014, 7, 31), today=date(2014, 7, 10), kinds={REPORTING_ROUND}
        )
    assert len(found) == 2 + 1 + 1 + 2  # January and February: UNODC; March: UNODC and ILO
