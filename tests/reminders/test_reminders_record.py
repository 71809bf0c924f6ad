"""The sweep on the GMG's real record (data/gmg/, from the seeds), with time set to a given day."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from chairs.models import ChairTerm
from groups.models import Agency, Person
from meetings.models import Decision
from reminders import sweep
from reminders.models import Reminder, ReminderSettings
from reminders.tasks import deliver_now
from tests.factories import make_person

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")


def run(day: date):
    with time_machine.travel(datetime.combine(day, time(9), tzinfo=ZURICH), tick=False):
        result = sweep.sweep()
        deliver_now(reminder_ids=result.to_deliver, digest_ids=result.digests)
    return result


def received(result, person) -> set[tuple[str, str]]:
    return {(r.obligation_key, r.occasion) for r in result.created if r.recipient_id == person.pk}


@pytest.fixture
def ahead_of_time_only():
    """Reminders ahead of the due date only: the record's many items long overdue are left aside here."""
    return ReminderSettings.objects.create(overdue_every_days=0)


def test_the_ilos_2014_annual_report_is_reminded_14_and_7_days_before_28_february_2015(gmg_record, ahead_of_time_only):
    ilo = Agency.objects.get(acronym="ILO")
    focal_point = make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo)
    principal = make_person("ilo_principal", role=Person.Role.PRINCIPAL, agency=ilo)
    term = ChairTerm.objects.get(key="actual-2014")
    key = f"annual_report:chairterm:{term.pk}"  # Annex I, working level ix: term end + 2 months

    first = run(date(2015, 2, 14))
    assert received(first, focal_point) == {(key, "before:14")}
    assert received(first, principal) == {(key, "before:14")}
    assert sorted(m.to[0] for m in mail.outbox) == ["ilo_fp@example.org", "ilo_principal@example.org"]
    assert run(date(2015, 2, 14)).created == []  # a second sweep sends none
    assert run(date(2015, 2, 20)).created == []
    assert received(run(date(2015, 2, 21)), focal_point) == {(key, "before:7")}
    assert received(run(date(2015, 2, 27)), principal) == {(key, "before:1")}
    assert len(mail.outbox) == 6


def test_at_the_turn_of_2015_the_world_bank_and_the_support_team_hear_of_their_own_deadlines(
    gmg_record, ahead_of_time_only
):
    world_bank = Agency.objects.get(acronym="World Bank")
    bank_fp = make_person("bank_fp", role=Person.Role.FOCAL_POINT, agency=world_bank)
    support = make_person("support", role=Person.Role.SUPPORT)
    term_2015 = ChairTerm.objects.get(key="actual-2015")  # the World Bank chaired 2015 (seed 003)
    trial = Decision.objects.get(meeting__key="principals-2013-07-03", number="2")  # support team, 18 months

    result = run(date(2014, 12, 24))
    # The chair's annual work plan is due at the start of its term, 1 January 2015.
    assert received(result, bank_fp) == {(f"annual_workplan:chairterm:{term_2015.pk}", "before:14")}
    # The support team's 18-month trial from 3 July 2013 is reviewed on 3 January 2015.
    assert trial.review_on == date(2015, 1, 3)
    assert (f"decision_review:decision:{trial.pk}", "before:14") in received(result, support)
    assert not Reminder.objects.filter(recipient=support, in_copy=True).exists()
    assert run(date(2014, 12, 24)).created == []


def test_overdue_items_of_the_record_go_weekly_with_the_support_team_in_copy(gmg_record):
    world_bank = Agency.objects.get(acronym="World Bank")
    bank_fp = make_person("bank_fp", role=Person.Role.FOCAL_POINT, agency=world_bank)
    support = make_person("support", role=Person.Role.SUPPORT)
    term_2015 = ChairTerm.objects.get(key="actual-2015")
    key = f"annual_workplan:chairterm:{term_2015.pk}"  # due 1 January 2015; the record shows no endorsement

    assert (key, "overdue:1") in received(run(date(2015, 1, 2)), bank_fp)
    assert Reminder.objects.get(obligation_key=key, occasion="overdue:1", recipient=support).in_copy
    assert not {k for k, _ in received(run(date(2015, 1, 8)), bank_fp)} & {key}
    assert (key, "overdue:2") in received(run(date(2015, 1, 9)), bank_fp)
