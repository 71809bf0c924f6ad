"""A support officer keeps the record in headless Chromium, without the admin: adds an agency with the day it
joined, records that it left and came back, and finds it in the list of agencies."""

from datetime import date

import pytest
from playwright.sync_api import expect

from groups.models import Agency, Person
from tests.browser.checks import console_errors, journey_problems
from tests.factories import make_agency, make_person

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db):
    make_agency("ILO", name="International Labour Organization")
    return make_person("support-officer", role=Person.Role.SUPPORT, first_name="Sofia", last_name="Support")


def test_a_support_officer_adds_an_agency_and_its_membership_periods(page, live_server, sign_in, officer):
    console = console_errors(page)
    sign_in(officer)
    page.get_by_role("link", name="Agencies").first.click()
    page.get_by_role("link", name="Add an agency").click()
    page.get_by_label("Acronym").fill("ILO")
    page.get_by_label("Full name").fill("United Nations University")
    page.get_by_label("Rotation sort name").fill("United Nations University")
    page.get_by_label("Member since").fill("2014-06-01")
    page.get_by_role("button", name="Add the agency").click()
    # The clash is told next to the field, and what was typed stays.
    expect(page.get_by_text("There is already an agency ILO in the record.")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("United Nations University")
    page.get_by_label("Acronym").fill("UNU")
    page.get_by_role("button", name="Add the agency").click()
    expect(page.get_by_role("status")).to_contain_text("Agency UNU added.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("UNU")
    periods = page.get_by_role("list", name="Membership periods")
    expect(periods).to_contain_text("From 1 June 2014, still a member")
    problems = journey_problems(page, "the new agency's page")

    periods.get_by_role("link", name="change this period").click()
    page.get_by_label("Left on").fill("2015-12-31")
    page.get_by_role("button", name="Save the period").click()
    page.get_by_role("link", name="Add a membership period").click()
    page.get_by_label("Joined on").fill("2015-06-01")
    page.get_by_role("button", name="Save the period").click()
    expect(page.get_by_role("alert")).to_contain_text("This period overlaps another one of UNU")
    page.get_by_label("Joined on").fill("2017-01-01")
    page.get_by_label("Note").fill("Rejoined by letter of the Rector")
    page.get_by_role("button", name="Save the period").click()
    expect(periods).to_contain_text("From 1 June 2014 until 31 December 2015")
    expect(periods).to_contain_text("From 1 January 2017, still a member (Rejoined by letter of the Rector)")
    unu = Agency.objects.prefetch_related("memberships").get(acronym="UNU")
    assert not unu.is_member_on(date(2016, 6, 1)) and unu.is_member_on(date(2017, 6, 1))

    page.get_by_role("link", name="Edit the agency").click()
    page.get_by_label("Rotation sort name").fill("University, United Nations")
    page.get_by_role("button", name="Save the agency").click()
    expect(page.get_by_role("status")).to_contain_text("Agency UNU saved.")
    expect(page.locator("main")).to_contain_text("University, United Nations")
    problems += journey_problems(page, "the agency's page after the edit")
    assert problems == [] and console == [], problems + console


def test_a_support_officer_invites_a_focal_point_names_an_alternate_and_hands_over_when_they_leave(
    page, live_server, sign_in, officer
):
    from django.core import mail

    from meetings.models import ActionPoint
    from tests.factories import make_action_point, make_meeting

    ilo = Agency.objects.get(acronym="ILO")
    colleague = make_person("carl", role=Person.Role.FOCAL_POINT, agency=ilo, first_name="Carl", last_name="Coll")
    sign_in(officer)
    page.goto(f"{live_server.url}{ilo.get_absolute_url()}")
    page.get_by_role("link", name="Invite a person of ILO").click()
    page.get_by_label("First name").fill("Una")
    page.get_by_label("Last name").fill("Newcomer")
    page.get_by_label("E-mail address").fill("una@ilo.org")
    page.get_by_label("Role").select_option(label="Focal point")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text("Una Newcomer is invited: an e-mail to una@ilo.org")
    una = Person.objects.get(email="una@ilo.org")
    assert una.agency == ilo and len(mail.outbox) == 1

    page.get_by_label("Alternate").select_option(label=str(colleague))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Una Newcomer saved.")
    page.get_by_label("Away from").fill("2015-07-01")
    page.get_by_label("Away until").fill("2015-07-31")
    page.get_by_role("button", name="Record the absence").click()
    expect(page.get_by_role("status")).to_contain_text("reminders go to Carl Coll (ILO)")

    point = make_action_point(make_meeting(date(2015, 5, 4)), ilo, owner=una, text="Send the ILO's comments")
    page.get_by_role("link", name="Deactivate and hand over their work").click()
    expect(page.locator("#pending-work")).to_contain_text("Send the ILO's comments")
    page.get_by_label("Hand the pending work to").select_option(label=str(colleague))
    page.get_by_role("button", name="Deactivate and hand over").click()
    expect(page.get_by_role("status")).to_contain_text("Una Newcomer (ILO) is deactivated. Their pending work is now")
    assert ActionPoint.objects.get(pk=point.pk).owner == colleague
    una.refresh_from_db()
    assert not una.is_active


def test_a_support_officer_records_a_decision_and_its_review(page, live_server, sign_in, officer):
    from meetings.models import Decision
    from tests.factories import make_meeting

    principals = make_meeting(date(2013, 7, 3), title="Principals meeting")
    make_meeting(date(2016, 7, 5), title="Principals retreat")
    sign_in(officer)
    page.goto(f"{live_server.url}{principals.get_absolute_url()}")
    page.get_by_role("link", name="Record a decision").click()
    page.get_by_label("Number").fill("1")
    page.get_by_label("Title").fill("Alphabetical rotation of the chair")
    page.get_by_label("Text").fill("The chair rotates by alphabetical order, on trial for three years.")
    page.get_by_label("Trial period (months)").fill("36")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("A decision on trial has a review date.")).to_be_visible()
    page.get_by_label("Review date").fill("2016-07-03")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("Decision 1 recorded.")

    page.get_by_role("link", name="Record its review").click()
    page.get_by_label("Reviewed at the meeting").select_option(label="Principals retreat (5 Jul 2016)")
    page.get_by_label("Extended").check()
    page.get_by_label("Number").fill("2")
    page.get_by_label("Title").fill("Review of the rotation")
    page.get_by_label("Text").fill("The rotation is extended.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_role("status")).to_contain_text("The review is recorded: decision 1 extended.")
    first = Decision.objects.get(number="1")
    assert first.reviewed_on == date(2016, 7, 5)
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    expect(page.locator("main")).to_contain_text("Reviewed by")
