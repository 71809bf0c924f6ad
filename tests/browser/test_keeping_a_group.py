"""A support officer keeps a group in headless Chromium, without the admin: changes the WG on Migration, Human
Rights and Gender's co-chairs for next year, adds a ToR version with its signed PDF, and sees both versions side
by side."""

from datetime import date

import pytest
from playwright.sync_api import expect

from groups import services as rules
from groups.models import Group, Person
from tests.factories import make_agency, make_group, make_person

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def officer(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ohchr, un_women, unicef = make_agency("OHCHR"), make_agency("UN Women"), make_agency("UNICEF")
    group = make_group(
        co_chairs=[ohchr, un_women, unicef],
        slug="wg-human-rights-gender",
        name="WG on Migration, Human Rights and Gender",
        established_on=date(2013, 7, 3),
        chair_rotates_annually=True,
    )
    tor = group.terms_of_reference.get()
    tor.version = "of 3 July 2013"
    tor.text = "The working group meets at least three times a year.\nThe chair rotates each year."
    tor.save()
    return make_person("support-officer", role=Person.Role.SUPPORT, first_name="Sofia", last_name="Support")


def test_a_support_officer_changes_the_wgs_co_chair_for_next_year_and_adds_a_tor_version(
    page, live_server, sign_in, officer
):
    sign_in(officer)
    page.goto(f"{live_server.url}/groups/wg-human-rights-gender/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("WG on Migration, Human Rights and Gender")
    expect(page.locator("main")).to_contain_text("OHCHR chairs in 2026, UN Women in 2027")

    page.get_by_role("link", name="Change the co-chairs").click()
    expect(page.get_by_label("From")).to_have_value("2027-01-01")
    page.get_by_label("Co-chair 2").select_option("UNICEF")
    page.get_by_label("Co-chair 3").select_option("UN Women")
    page.get_by_role("button", name="Change the co-chairs").click()
    expect(page.get_by_role("status")).to_contain_text("From 01 January 2027")
    expect(page.locator("main")).to_contain_text("OHCHR chairs in 2026, UNICEF in 2027")
    co_chairs = page.get_by_role("list", name="Co-chairs over time")
    expect(co_chairs).to_contain_text("UN Women (rotation 2): since the record starts until 31 December 2026")
    expect(co_chairs).to_contain_text("UNICEF (rotation 2): from 1 January 2027")

    page.get_by_role("link", name="Add a ToR version").click()
    page.get_by_label("Version").fill("as at 1 January 2027")
    page.get_by_label("In force from").fill("2027-01-01")
    page.get_by_label("Minimum meetings a year").fill("2")
    page.get_by_label("Review every months").fill("24")
    page.get_by_label("Text").fill("The working group meets at least twice a year.\nThe chair rotates each year.")
    page.get_by_label("Signed PDF").set_input_files(
        files=[{"name": "not-a-pdf.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" * 20}]
    )
    page.get_by_role("button", name="Add the version").click()
    expect(page.get_by_text("is not a real .pdf file")).to_be_visible()
    expect(page.get_by_label("Version")).to_have_value("as at 1 January 2027")
    page.get_by_label("Signed PDF").set_input_files(
        files=[{"name": "tor-2027-signed.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Add the version").click()
    expect(page.get_by_role("status")).to_contain_text("ToR version as at 1 January 2027 added")
    group = Group.objects.get(slug="wg-human-rights-gender")
    assert rules.minimum_meetings(group, 2027) == 2 and rules.minimum_meetings(group, 2026) == 3

    page.get_by_role("link", name="Compare the versions side by side").click()
    fields = page.locator("#tor-fields")
    expect(fields.get_by_role("row", name="Minimum meetings a year")).to_contain_text("3")
    expect(fields.get_by_role("row", name="Minimum meetings a year")).to_contain_text("2")
    expect(page.locator("del")).to_have_text("The working group meets at least three times a year.")
    expect(page.locator("ins")).to_have_text("The working group meets at least twice a year.")
