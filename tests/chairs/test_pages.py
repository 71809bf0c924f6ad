"""The rotation page and the term's record: the support team confirms or overrides; the chair records its duties."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from chairs.models import ChairTerm
from groups.models import Agency, Person
from register.deadlines import ANNUAL_REPORT, State
from register.reading import obligations
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def support():
    return make_person("support", role=Person.Role.SUPPORT)


def planned_for(proposal):
    """The plan that governs the proposal's period now (an older, overtaken plan may share its start)."""
    return ChairTerm.objects.get(kind="planned", starts_on=proposal.starts_on, replaced_on__isnull=True)


def nothing_planned_since(before: int) -> bool:
    return ChairTerm.objects.planned().count() == before and not ChairTerm.objects.filter(replaced_on__isnull=False)


def first_proposal(client):
    page = client.get(reverse("chairs:rotation"))
    assert page.status_code == 200
    return page.context["proposals"][0][0]


@time_machine.travel("2015-09-01 10:00 +02:00")
def test_the_support_team_confirms_the_proposed_chair_as_a_planned_term(client, gmg_record, support):
    client.force_login(support)
    proposal = first_proposal(client)
    response = client.post(
        reverse("chairs:rotation"),
        {"starts_on": proposal.starts_on.isoformat(), "proposed": proposal.agency.acronym, "confirm": ""},
        follow=True,
    )
    term = planned_for(proposal)
    assert term.agency == proposal.agency
    assert f"{proposal.agency} is now the planned chair" in response.text
    # The 2013 plan's World Bank 2016, overtaken when the World Bank chaired 2015, stays as history.
    replaced = ChairTerm.objects.get(kind="planned", starts_on=date(2016, 1, 1), agency__acronym="World Bank")
    assert replaced.replaced_on is not None


def test_overriding_needs_a_reason_and_keeps_it_in_the_note(client, gmg_record, support):
    client.force_login(support)
    proposal = first_proposal(client)
    form = {"starts_on": proposal.starts_on.isoformat(), "proposed": proposal.agency.acronym, "override": ""}
    before = ChairTerm.objects.planned().count()
    response = client.post(reverse("chairs:rotation"), {**form, "agency": "UNICEF"})
    assert response.status_code == 400
    assert "This field is required" in response.text
    assert nothing_planned_since(before)

    client.post(reverse("chairs:rotation"), {**form, "agency": "UNICEF", "reason": "UNICEF offered to chair"})
    term = planned_for(proposal)
    assert term.agency.acronym == "UNICEF"
    assert "UNICEF offered to chair" in term.note


def test_a_page_older_than_the_rotation_changes_nothing_and_says_so(client, gmg_record, support):
    client.force_login(support)
    proposal = first_proposal(client)
    other = Agency.objects.exclude(pk=proposal.agency.pk).first()
    before = ChairTerm.objects.planned().count()
    response = client.post(
        reverse("chairs:rotation"),
        {"starts_on": proposal.starts_on.isoformat(), "proposed": other.acronym, "confirm": ""},
        follow=True,
    )
    assert "The rotation has changed since this page was shown" in response.text
    assert nothing_planned_since(before)


@pytest.mark.parametrize("role", [Person.Role.FOCAL_POINT, Person.Role.PRINCIPAL, Person.Role.VIEWER])
def test_only_the_support_team_may_confirm_the_rotation(client, gmg_record, role):
    person = make_person(role=role, agency=Agency.objects.get(acronym="WHO"))
    client.force_login(person)
    proposal = first_proposal(client)
    before = ChairTerm.objects.planned().count()
    response = client.post(
        reverse("chairs:rotation"),
        {"starts_on": proposal.starts_on.isoformat(), "proposed": proposal.agency.acronym, "confirm": ""},
    )
    assert response.status_code == 403
    assert "Only the support team" in response.text
    assert nothing_planned_since(before)


def ilo_2014():
    return ChairTerm.objects.get(kind="actual", agency__acronym="ILO", starts_on=date(2014, 1, 1))


def test_the_chairs_focal_point_records_the_annual_report_and_the_register_marks_it_done(client, gmg_record):
    term = ilo_2014()
    client.force_login(make_person(role=Person.Role.FOCAL_POINT, agency=term.agency))
    response = client.post(
        reverse("chairs:term_record", args=[term.pk]),
        {"annual_report_submitted_on": "2015-02-20", "revision": term.revision},
        follow=True,
    )
    assert "Saved the record" in response.text
    [report] = [
        o
        for o in obligations(
            first=date(2015, 2, 1), last=date(2015, 3, 1), today=date(2015, 3, 10), kinds={ANNUAL_REPORT}
        )
        if o.chair_term == term
    ]
    assert (report.due, report.state, report.done_on) == (date(2015, 2, 28), State.DONE, date(2015, 2, 20))


def test_a_date_in_the_future_is_refused_next_to_its_field(client, gmg_record):
    term = ilo_2014()
    client.force_login(make_person(role=Person.Role.PRINCIPAL, agency=term.agency))
    response = client.post(
        reverse("chairs:term_record", args=[term.pk]),
        {"annual_report_submitted_on": "2099-01-01", "revision": term.revision},
    )
    assert response.status_code == 400
    assert "a day still to come" in response.text
    term.refresh_from_db()
    assert term.annual_report_submitted_on is None


def test_another_agencys_focal_point_may_not_keep_the_chairs_record(client, gmg_record):
    term = ilo_2014()
    client.force_login(make_person(role=Person.Role.FOCAL_POINT, agency=Agency.objects.get(acronym="UNODC")))
    response = client.post(reverse("chairs:term_record", args=[term.pk]), {"annual_report_submitted_on": "2015-02-20"})
    assert response.status_code == 403
    assert "focal points and principal, with the support team, keep this term" in response.text
    term.refresh_from_db()
    assert term.annual_report_submitted_on is None


def test_two_confirmations_of_the_same_proposal_make_one_plan(gmg_record, support):
    from chairs import services

    [proposal] = services.propose_rotation(count=1)
    services.confirm_proposal(proposal, by=support)
    with pytest.raises(ValidationError, match="There is already a planned term starting that day"):
        services.override_proposal(proposal, agency=Agency.objects.get(acronym="UNICEF"), by=support, reason="late")
    assert ChairTerm.objects.filter(kind="planned", starts_on=proposal.starts_on, replaced_on__isnull=True).count() == 1


def test_every_field_on_the_rotation_page_has_its_own_label_and_id(client, gmg_record, support):
    import re

    client.force_login(support)
    page = client.get(reverse("chairs:rotation")).text
    ids = re.findall(r'\bid="(id_[^"]+)"', page)
    assert len(ids) == len(set(ids))
    for field_id in re.findall(r'<(?:select|textarea)[^>]*\bid="([^"]+)"', page):
        assert f'for="{field_id}"' in page


def test_proposals_for_periods_already_over_are_lapsed_and_cannot_be_confirmed(client, gmg_record, support):
    with time_machine.travel("2026-12-02 10:00 +01:00"):
        client.force_login(support)  # signed in on the day: a session does not outlive its lifetime
        page = client.get(reverse("chairs:rotation"))
        assert [p.starts_on.year for p, _, _ in page.context["proposals"]] == [2026, 2027, 2028]
        assert "2016: the rotation would have proposed OHCHR" in page.text
        assert "Confirm OHCHR for 2016" not in page.text and "Confirm" in page.text
        before = ChairTerm.objects.planned().count()
        response = client.post(
            reverse("chairs:rotation"), {"starts_on": "2016-01-01", "proposed": "OHCHR", "confirm": ""}, follow=True
        )
    assert "The rotation has changed since this page was shown" in response.text
    assert nothing_planned_since(before)
    with time_machine.travel("2015-09-01 10:00 +02:00"):
        client.force_login(support)
        page = client.get(reverse("chairs:rotation"))
    assert [(p.agency.acronym, p.starts_on.year) for p, _, _ in page.context["proposals"]][0] == ("OHCHR", 2016)
    assert page.context["lapsed"] == []
