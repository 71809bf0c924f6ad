"""A group's co-chair keeps its group's meeting in headless Chromium: edits it, is told of a mistake next to the
field, adds an action point with an owner and a due date, and finds it on the meeting page."""

from datetime import date

import pytest
from playwright.sync_api import expect

from groups.models import Person
from meetings.models import ActionPoint, Meeting
from tests.factories import make_agency, make_group, make_meeting, make_person

pytestmark = pytest.mark.browser


@pytest.fixture
def co_chair(transactional_db):
    ilo, iom = make_agency("ILO"), make_agency("IOM")
    group = make_group(co_chairs=[ilo, iom], slug="tf-decent-work", name="TF on Migration and Decent Work")
    meeting = make_meeting(date(2016, 3, 24), title="TF meeting", kind=Meeting.Kind.GROUP, group=group, venue="Geneva")
    person = make_person("ilo-fp", role=Person.Role.FOCAL_POINT, agency=ilo, first_name="Ines", last_name="Labour")
    return {"person": person, "meeting": meeting, "ilo": ilo}


def test_a_co_chair_moves_its_meeting_and_adds_an_action_point(page, live_server, sign_in, co_chair):
    meeting = co_chair["meeting"]
    sign_in(co_chair["person"])
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    page.get_by_role("link", name="Edit the meeting").click()
    page.get_by_label("Last day").fill("2016-03-20")
    page.get_by_role("button", name="Save the meeting").click()
    # The mistake is told next to the field, and nothing is saved.
    error = page.locator("#id_ends_on ~ .invalid-feedback, #error_1_id_ends_on").first
    expect(error).to_contain_text("The last day cannot come before the first day.")
    page.get_by_label("Last day").fill("")
    page.get_by_label("Venue").fill("Turin, ITC-ILO")
    page.get_by_role("button", name="Save the meeting").click()
    expect(page.get_by_role("status")).to_contain_text("Meeting “TF meeting” saved.")
    expect(page.locator("main")).to_contain_text("Turin, ITC-ILO")
    meeting.refresh_from_db()
    assert meeting.venue == "Turin, ITC-ILO" and meeting.sequence == 1

    page.get_by_role("link", name="Add an action point").click()
    page.get_by_label("Action").fill("Circulate the revised terms of reference")
    page.get_by_label("Owner agency").select_option(label="ILO")
    page.get_by_label("Owner (person)").select_option(label=str(co_chair["person"]))
    page.get_by_label("Due date").fill("2016-04-15")
    page.get_by_role("button", name="Save the action point").click()
    expect(page.get_by_role("status")).to_contain_text("Action point for ILO, due 15 April 2016 saved.")
    point = ActionPoint.objects.get()
    row = page.locator(f"#action-{point.pk}")
    expect(row).to_contain_text("Circulate the revised terms of reference")
    expect(row).to_contain_text("Ines Labour")
    expect(row).to_contain_text("15 Apr 2016")


def test_a_focal_point_of_another_agency_sees_no_edit_button_and_is_refused_in_plain_words(
    page, live_server, sign_in, co_chair
):
    other = make_person("unodc-fp", role=Person.Role.FOCAL_POINT, agency=make_agency("UNODC"))
    meeting = co_chair["meeting"]
    sign_in(other)
    page.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_role("heading", name="TF meeting")).to_be_visible()
    expect(page.get_by_role("link", name="Edit the meeting")).to_have_count(0)
    response = page.goto(f"{live_server.url}/meetings/{meeting.pk}/edit/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("Only the support team and the co-chairs of the meeting's group")
