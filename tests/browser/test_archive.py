"""A support officer uploads the minutes of a meeting in headless Chromium, without the admin, and finds them
again by a word inside the PDF through the search box."""

from datetime import date

import pytest
from playwright.sync_api import expect

from archive.models import Document
from groups.models import Person
from tests.archive.files import make_pdf
from tests.factories import make_meeting, make_person

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_meeting(date(2013, 2, 18), title="Working-level meeting of 18 February 2013")
    return make_person("support-officer", role=Person.Role.SUPPORT, first_name="Sofia", last_name="Support")


def test_a_support_officer_uploads_minutes_to_a_meeting_and_finds_them_by_a_word_inside(
    page, live_server, sign_in, officer
):
    minutes = make_pdf("Minutes of the working-level meeting", "The members agreed to map the remittance corridors.")
    sign_in(officer)
    page.get_by_role("link", name="Meetings").first.click()
    page.get_by_role("link", name="Working-level meeting of 18 February 2013").click()
    documents = page.get_by_role("region", name="Documents")
    expect(documents).to_contain_text("No document in the archive is linked to this record yet.")
    documents.get_by_role("link", name="Add a document").click()

    # The meeting the officer came from is already chosen.
    expect(page.get_by_label("Meetings")).to_have_values([str(_meeting_pk())])
    page.locator("#id_title").fill("Minutes of the working-level meeting of 18 February 2013")
    page.get_by_label("Kind").select_option(label="Minutes")
    page.get_by_label("Date", exact=True).fill("2013-02-18")
    # A file that is not what its name says is refused next to the field, and what was typed stays.
    page.get_by_label("File").set_input_files({"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": b"MZ"})
    page.get_by_role("button", name="Add to the archive").click()
    expect(page.locator("main")).to_contain_text("minutes.pdf is not a real .pdf file")
    expect(page.locator("#id_title")).to_have_value("Minutes of the working-level meeting of 18 February 2013")
    page.get_by_label("File").set_input_files(
        {"name": "minutes-2013-02-18.pdf", "mimeType": "application/pdf", "buffer": minutes}
    )
    page.get_by_role("button", name="Add to the archive").click()
    expect(page.get_by_role("status")).to_contain_text("added to the archive")
    expect(page.get_by_role("list", name="Linked records")).to_contain_text("Working-level meeting of 18 February 2013")
    expect(page.get_by_role("list", name="Versions, latest first")).to_contain_text("minutes-2013-02-18.pdf")

    # The search box finds the minutes by a word only the PDF holds, and leads to the document's page.
    page.get_by_label("Search the record").fill("remittance corridors")
    page.get_by_label("Search the record").press("Enter")
    results = page.get_by_role("region", name="Documents in the archive")
    expect(results).to_contain_text("remittance corridors")
    results.get_by_role("link", name="Minutes of the working-level meeting of 18 February 2013").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Minutes of the working-level meeting of 18 February 2013"
    )

    # And the meeting's page now lists them.
    page.get_by_role("list", name="Linked records").get_by_role("link").first.click()
    expect(page.get_by_role("region", name="Documents")).to_contain_text(
        "Minutes of the working-level meeting of 18 February 2013"
    )
    assert Document.objects.get().versions.get().file_name == "minutes-2013-02-18.pdf"


def _meeting_pk() -> int:
    from meetings.models import Meeting

    return Meeting.objects.get().pk
