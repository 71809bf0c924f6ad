"""The portal reminds the agencies asked for input to an event that have not answered, and stops once they have."""

from datetime import date

import pytest
from django.core import mail

from events.models import Contribution, ExternalEvent, InputRequest
from groups.models import Person
from tests.factories import make_agency, make_person
from tests.reminders.test_reminders import run, sent

pytestmark = pytest.mark.django_db


def test_only_the_asked_agencies_that_have_not_answered_are_reminded_and_an_answer_stops_them():
    ilo, iom, unhcr = make_agency("ILO"), make_agency("IOM"), make_agency("UNHCR")
    make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo)
    make_person("iom_fp", role=Person.Role.FOCAL_POINT, agency=iom)
    make_person("unhcr_fp", role=Person.Role.FOCAL_POINT, agency=unhcr)
    gfmd = ExternalEvent.objects.create(name="GFMD 2030", kind="gfmd", starts_on=date(2030, 7, 20))
    asked = InputRequest.objects.create(event=gfmd, asked="Key messages for the roundtable", due_on=date(2030, 7, 15))
    asked.agencies.set([ilo, iom])
    Contribution.objects.create(request=asked, agency=ilo, text="Ours.", submitted_on=date(2030, 7, 1))

    result = run(date(2030, 7, 8))

    iom_key = f"input_request:request:{asked.pk}:agency:{iom.pk}"
    assert sent(result) == {(iom_key, "before:7", "iom_fp")}
    assert "GFMD 2030" in mail.outbox[0].subject + mail.outbox[0].body
    assert asked.get_absolute_url() in mail.outbox[0].body
    assert sent(run(date(2030, 7, 8))) == set()

    Contribution.objects.create(request=asked, agency=iom, text="Ours too.", submitted_on=date(2030, 7, 10))
    assert {key for key, _, _ in sent(run(date(2030, 7, 14)))} == set()
