"""The calendar of events in headless Chromium: a support officer asks ILO and IOM for their input to the 2014
GFMD summit (a dated event of the GMG's record), ILO's focal point answers with a file, and the officer sees who
has answered and who the register still reminds."""

import pytest
from playwright.sync_api import expect

from events.models import Contribution
from groups.models import Agency, Person
from tests.factories import make_person

pytestmark = pytest.mark.browser

EXE = {"name": "ilo.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(gmg_record, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return {
        "officer": make_person("support-officer", role=Person.Role.SUPPORT, first_name="Sofia", last_name="Support"),
        "ilo": make_person(
            "ilo-fp", role=Person.Role.FOCAL_POINT, agency=Agency.objects.get(acronym="ILO"), first_name="Ines"
        ),
    }


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_a_support_officer_asks_for_input_to_the_gfmd_and_sees_who_answered(page, live_server, sign_in, people):
    sign_in(people["officer"])
    page.get_by_role("link", name="Events", exact=True).first.click()
    page.get_by_role("link", name="GFMD summit (2014)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("GFMD summit (2014)")
    page.get_by_role("link", name="Ask agencies for input").click()
    page.get_by_label("What is asked").fill("Key messages on migration and post-2015 for the GMG's roundtable paper")
    page.get_by_label("Due on").fill("2014-06-30")
    page.get_by_label("ILO", exact=True).check()
    page.get_by_label("IOM", exact=True).check()
    page.get_by_role("button", name="Ask the agencies").click()
    # Input due after the event is refused next to the field, and what was typed stays.
    expect(page.locator("main")).to_contain_text("ask for it by then")
    expect(page.get_by_label("ILO", exact=True)).to_be_checked()
    page.get_by_label("Due on").fill("2014-04-30")
    page.get_by_role("button", name="Ask the agencies").click()
    expect(page.get_by_role("status")).to_contain_text("Input asked of ILO, IOM by 30 April 2014.")
    expect(page.locator("main")).to_contain_text("0 of 2 agencies answered.")
    request_url = page.url
    sign_out(page)

    sign_in(people["ilo"])
    page.goto(request_url)
    page.get_by_role("link", name="Send your agency's input").click()
    page.get_by_label("File").set_input_files(EXE)
    page.get_by_role("button", name="Send the input").click()
    expect(page.locator("main")).to_contain_text("ilo.exe: this type of file cannot be attached.")
    page.get_by_label("File").set_input_files({"name": "ilo-input.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.get_by_label("Answer").fill("ILO's key messages on decent work for migrant workers.")
    page.get_by_role("button", name="Send the input").click()
    expect(page.get_by_role("status")).to_contain_text("ILO's input to GFMD summit (2014) received.")
    sign_out(page)

    sign_in(people["officer"])
    page.goto(request_url)
    expect(page.locator("main")).to_contain_text("1 of 2 agencies answered.")
    answers = page.get_by_role("table", name="Who has answered")
    expect(answers.locator("tr[data-agency=ILO]")).to_contain_text("Answered")
    expect(answers.locator("tr[data-agency=ILO]").get_by_role("link", name="ilo-input.pdf")).to_be_visible()
    expect(answers.locator("tr[data-agency=IOM]")).to_contain_text("Not yet")
    contribution = Contribution.objects.get()
    assert (contribution.agency.acronym, contribution.file_name) == ("ILO", "ilo-input.pdf")

    # The calendar of April 2014, with the register's deadlines: IOM's input is still owed.
    page.goto(f"{live_server.url}/meetings/calendar/2014/4/?on=2014-04-20")
    page.get_by_role("button", name="Show deadlines").click()
    calendar = page.get_by_role("table")
    expect(calendar).to_contain_text("IOM: input to GFMD summit (2014)")
    expect(calendar).to_contain_text("ILO: input to GFMD summit (2014)")
