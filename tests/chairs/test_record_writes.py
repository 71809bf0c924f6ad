"""A chair term's record keeps every date: two people saving it at once - the second is told, and the date the
first recorded is not wiped by the other's save."""

from datetime import date

import pytest
from django.urls import reverse

from chairs.models import ChairTerm
from groups.models import Person
from tests.factories import make_agency, make_person, make_term


@pytest.fixture
def term(db):
    return make_term(make_agency("ILO"), date(2014, 1, 1), date(2014, 12, 31))


@pytest.fixture
def keeper(client, db):
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    return client


def test_a_letter_date_saved_by_one_is_not_wiped_by_the_others_endorsement_date(keeper, term):
    url = reverse("chairs:term_record", args=[term.pk])
    revision = keeper.get(url).context["form"]["revision"].value()
    # Both opened the form on the same revision; the first records the letter of commitment.
    assert keeper.post(url, {"revision": revision, "letter_of_commitment_received_on": "2013-10-01"}).status_code == 302
    response = keeper.post(url, {"revision": revision, "workplan_endorsed_on": "2014-02-15"})
    assert response.status_code == 409
    assert "Someone else saved this chair term" in response.text
    assert "1 October 2013" in response.text or "2013-10-01" in response.text
    assert 'value="2014-02-15"' in response.text
    term.refresh_from_db()
    assert term.letter_of_commitment_received_on == date(2013, 10, 1)
    assert term.workplan_endorsed_on is None


def test_the_record_posted_without_its_revision_is_refused(keeper, term):
    response = keeper.post(reverse("chairs:term_record", args=[term.pk]), {"workplan_endorsed_on": "2014-02-15"})
    assert response.status_code == 400
    assert "sent without the version of the record" in response.text
    assert ChairTerm.objects.get(pk=term.pk).workplan_endorsed_on is None
