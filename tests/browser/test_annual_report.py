"""The chair's people write their annual report in headless Chromium: they open it from the term, see the chart
drawn from the record, write the introduction and highlights, and mark the report submitted."""

from datetime import date

import pytest
from playwright.sync_api import expect

from chairs.models import ChairReportVersion
from groups.models import Person
from tests.browser.checks import console_errors, journey_problems
from tests.factories import make_activity, make_agency, make_output, make_person, make_stream, make_term, make_workplan

pytestmark = pytest.mark.browser


@pytest.fixture
def chair(transactional_db):
    ilo = make_agency("ILO", name="International Labour Organization")
    term = make_term(ilo, date(2014, 1, 1), date(2014, 12, 31))
    plan = make_workplan(slug="mawp", title="Multi-Annual Work Plan 2013-2015")
    stream = make_stream(plan, title="GMG coordination and visibility")
    output = make_output(stream, year=2014, title="Coordinated inputs to the GFMD")
    make_activity(output=output, lead_agencies=[ilo], description="GMG input to the 2014 GFMD", status="completed")
    make_activity(output=output, lead_agencies=[ilo], description="Side event at the GFMD", status="delayed")
    person = make_person("ilo-fp", role=Person.Role.FOCAL_POINT, agency=ilo, first_name="Ines", last_name="Labour")
    return {"term": term, "person": person}


def test_the_chair_writes_its_report_and_marks_it_submitted(page, live_server, sign_in, chair):
    term = chair["term"]
    console = console_errors(page)
    sign_in(chair["person"])
    page.goto(f"{live_server.url}{term.get_absolute_url()}")
    page.get_by_role("link", name="The term's annual report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Annual report of the Chair of the Global Migration Group, 2014"
    )
    chart = page.get_by_role("img", name="Activities by status per work stream")
    expect(chart).to_be_visible()
    assert chart.evaluate("img => img.naturalWidth") > 500, "the chart image did not load"
    expect(page.locator("#progress")).to_contain_text("1. GMG coordination and visibility")
    expect(page.locator("#activities")).to_contain_text("GMG input to the 2014 GFMD")
    expect(page.get_by_role("link", name="PDF", exact=True)).to_have_attribute("href", f"/chairs/{term.pk}/report.pdf")
    problems = journey_problems(page, "the annual report")

    page.get_by_role("link", name="Write the introduction and highlights").click()
    page.get_by_label("Introduction").fill("In 2014 the ILO chaired the GMG for its first one-year term.")
    page.get_by_label("Highlights").fill("- Coordinated GMG input to the GFMD in Stockholm")
    page.get_by_role("button", name="Save a new version").click()
    expect(page.get_by_role("status")).to_contain_text("Saved version 1 of the report's text.")
    expect(page.locator("#introduction")).to_contain_text("first one-year term")
    expect(page.locator("#highlights")).to_contain_text("GFMD in Stockholm")

    page.get_by_role("link", name="Write the introduction and highlights").click()
    expect(page.get_by_label("Introduction")).to_have_value(
        "In 2014 the ILO chaired the GMG for its first one-year term."
    )
    expect(page.get_by_role("table", name="Saved versions of the report's text, newest first")).to_contain_text(
        "Ines Labour"
    )
    problems += journey_problems(page, "the report's text form")
    page.get_by_role("link", name="Cancel").click()
    assert problems == [] and console == [], problems + console

    page.get_by_label("Submitted on").fill("2015-02-18")
    page.get_by_role("button", name="Mark the report submitted").click()
    expect(page.get_by_role("status")).to_contain_text("marked submitted on 18 February 2015")
    term.refresh_from_db()
    assert term.annual_report_submitted_on == date(2015, 2, 18)
    assert ChairReportVersion.objects.filter(term=term).count() == 1
