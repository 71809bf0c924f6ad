"""Date fields open with their day shown in headless Chromium and save as they open: the chair's people tick a
function of the Chair and mark the annual report submitted on the day the form proposes (today), without typing it.

A date input's value must be YYYY-MM-DD: given the en-gb "06/12/2026", Chromium shows an empty field and refuses to
send the form ("Please fill out this field")."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chairs.models import ChairFunction, ChairFunctionTick
from groups.models import Person
from tests.factories import make_agency, make_person, make_term

pytestmark = pytest.mark.browser


@pytest.fixture
def chair(transactional_db):
    last_year = timezone.localdate().year - 1
    ilo = make_agency("ILO", name="International Labour Organization")
    term = make_term(ilo, date(last_year, 1, 1), date(last_year, 12, 31))
    represent = ChairFunction.objects.create(
        level="principals", number="v", position=5, text="Represent the GMG at external meetings, briefings and events;"
    )
    person = make_person("ilo-fp", role=Person.Role.FOCAL_POINT, agency=ilo, first_name="Ines", last_name="Labour")
    return {"term": term, "person": person, "represent": represent}


def test_the_chair_ticks_a_function_and_marks_the_report_submitted_on_the_day_the_forms_propose(
    page, live_server, sign_in, chair
):
    today = timezone.localdate()
    term = chair["term"]
    sign_in(chair["person"])
    page.goto(f"{live_server.url}{term.get_absolute_url()}")
    row = page.locator(f"#function-{chair['represent'].pk}")
    expect(row.get_by_label("Done on (At Principals level v)")).to_have_value(today.isoformat())
    row.get_by_role("button", name="Tick as done").click()
    expect(page.get_by_role("status")).to_contain_text(f"ticked as done on {today:%-d %B %Y}")
    assert ChairFunctionTick.objects.get().done_on == today

    page.goto(f"{live_server.url}/chairs/{term.pk}/report/")
    expect(page.get_by_label("Submitted on")).to_have_value(today.isoformat())
    page.get_by_role("button", name="Mark the report submitted").click()
    expect(page.get_by_role("status")).to_contain_text(f"marked submitted on {today:%-d %B %Y}")
    term.refresh_from_db()
    assert term.annual_report_submitted_on == today
