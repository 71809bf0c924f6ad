"""The chair's focal point goes through the functions of the Chair on their term's page in headless Chromium:
they tick one done, and see the annual report function linked to its obligation in the register."""

from datetime import date

import pytest
from playwright.sync_api import expect

from chairs.models import ChairFunction, ChairFunctionTick
from chairs.services import ANNUAL_REPORT
from groups.models import Person
from tests.factories import make_agency, make_person, make_term

pytestmark = pytest.mark.browser


@pytest.fixture
def chair(transactional_db):
    ilo = make_agency("ILO", name="International Labour Organization")
    term = make_term(ilo, date(2014, 1, 1), date(2014, 12, 31))
    represent = ChairFunction.objects.create(
        level="principals", number="v", position=5, text="Represent the GMG at external meetings, briefings and events;"
    )
    ChairFunction.objects.create(
        level="working",
        number="ix",
        position=9,
        text=(
            "Prepare a brief annual report on activities undertaken no later than two months after end of Chairmanship."
        ),
        obligation_kind=ANNUAL_REPORT,
    )
    person = make_person("ilo-fp", role=Person.Role.FOCAL_POINT, agency=ilo, first_name="Ines", last_name="Labour")
    return {"term": term, "person": person, "represent": represent}


def test_the_chairs_focal_point_ticks_a_function_and_sees_the_report_linked_to_its_obligation(
    page, live_server, sign_in, chair
):
    term = chair["term"]
    sign_in(chair["person"])
    page.goto(f"{live_server.url}{term.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Functions of the Chair")).to_be_visible()

    row = page.locator(f"#function-{chair['represent'].pk}")
    row.get_by_label("Done on (At Principals level v)").fill("2014-09-30")
    row.get_by_label("Note (At Principals level v)").fill("HLD follow-up briefing, New York")
    row.get_by_role("button", name="Tick as done").click()
    expect(page.get_by_role("status")).to_contain_text("ticked as done on 30 September 2014")
    row = page.locator(f"#function-{chair['represent'].pk}")
    expect(row).to_contain_text("ticked by Ines Labour")
    expect(row).to_contain_text("HLD follow-up briefing, New York")
    expect(row.get_by_role("button", name="Tick as done")).to_have_count(0)

    report = page.get_by_role("row").filter(has_text="Prepare a brief annual report")
    expect(report).to_contain_text("Overdue")  # due two months after the term, not yet submitted
    expect(report.get_by_role("button")).to_have_count(0)
    report.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Annual report of the Chair of the Global Migration Group, 2014"
    )
    tick = ChairFunctionTick.objects.get()
    assert (tick.done_on, tick.ticked_by) == (date(2014, 9, 30), chair["person"])
