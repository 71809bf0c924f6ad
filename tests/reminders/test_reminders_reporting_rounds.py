"""The portal reminds the agencies that have not reported in a round, and stops once they have."""

from datetime import date

import pytest
from django.core import mail

from groups.models import Person
from tests.factories import make_activity, make_agency, make_person, make_update
from tests.reminders.test_reminders import run, sent
from workplans.models import ReportingRound

pytestmark = pytest.mark.django_db


def test_only_the_agencies_that_have_not_reported_are_reminded_before_the_round_is_due():
    unodc, ilo = make_agency("UNODC"), make_agency("ILO")
    make_person("unodc_fp", role=Person.Role.FOCAL_POINT, agency=unodc)
    make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo)
    unodc_activity = make_activity(starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31), lead_agencies=[unodc])
    make_activity(
        output=unodc_activity.output, starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31), lead_agencies=[ilo]
    )
    rnd = ReportingRound.objects.create(
        title="First half of 2030",
        period_starts_on=date(2030, 1, 1),
        period_ends_on=date(2030, 6, 30),
        due_on=date(2030, 7, 15),
    )
    make_update(unodc_activity, unodc, reported_on=date(2030, 7, 1))

    result = run(date(2030, 7, 8))

    ilo_key = f"reporting_round:round:{rnd.pk}:agency:{ilo.pk}"
    assert sent(result) == {(ilo_key, "before:7", "ilo_fp")}
    assert "First half of 2030" in mail.outbox[0].subject + mail.outbox[0].body
    assert rnd.get_absolute_url() in mail.outbox[0].body
    assert sent(run(date(2030, 7, 8))) == set()
