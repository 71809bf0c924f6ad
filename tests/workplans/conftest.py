"""The standing cast of the work plan tests: a plan with a group-led stream, and one person per role."""

from dataclasses import dataclass
from datetime import date

import pytest

from groups.models import Agency, Person
from tests.factories import (
    make_activity,
    make_agency,
    make_group,
    make_output,
    make_person,
    make_stream,
    make_term,
    make_workplan,
    register_kept_once,
)
from workplans.models import Activity, Output, WorkPlan, WorkStream


@dataclass
class Cast:
    owner: Agency  # leads the activity
    partner: Agency  # takes part in it
    other: Agency  # has nothing to do with it
    co_chair_agency: Agency
    chair_agency: Agency
    plan: WorkPlan
    stream: WorkStream
    output: Output
    activity: Activity
    chair_plan: WorkPlan
    chair_activity: Activity
    support: Person
    focal_owner: Person
    focal_partner: Person
    focal_other: Person
    co_chair: Person
    chair: Person
    principal: Person
    viewer: Person
    deactivated: Person


@pytest.fixture
@register_kept_once
def cast(db) -> Cast:
    owner = make_agency("UNODC", name="United Nations Office on Drugs and Crime")
    partner = make_agency("UNICEF", name="United Nations Children's Fund")
    other = make_agency("ILO", name="International Labour Organization")
    co_chair_agency = make_agency("OHCHR", name="Office of the High Commissioner for Human Rights")
    chair_agency = make_agency("WB", name="World Bank")
    group = make_group(co_chairs=[co_chair_agency], name="WG on Migration, Human Rights and Gender")
    plan = make_workplan(slug="mawp-test", title="Test MAWP 2013-2015")
    stream = make_stream(plan, title="Human rights and gender equality", lead_group=group)
    output = make_output(stream, year=2014, title="Key messages on human rights at borders")
    activity = make_activity(
        output=output,
        description="Launch the key messages",
        timeframe="Spring 2014",
        starts_on=date(2014, 3, 1),
        ends_on=date(2014, 5, 31),
        lead_agencies=[owner],
        partners=[partner],
    )
    term = make_term(chair_agency, date(2015, 1, 1), date(2015, 12, 31))
    chair_plan = make_workplan(
        slug="chair-2015",
        title="World Bank annual work plan 2015",
        kind=WorkPlan.Kind.CHAIR_ANNUAL,
        chair_term=term,
        starts_on=date(2015, 1, 1),
        ends_on=date(2015, 12, 31),
    )
    chair_stream = make_stream(chair_plan, title="GMG coordination and visibility", led_by_chair=True)
    chair_activity = make_activity(
        output=make_output(chair_stream, year=2015), description="Convene the Principals", lead_agencies=[chair_agency]
    )
    focal = Person.Role.FOCAL_POINT
    return Cast(
        owner=owner,
        partner=partner,
        other=other,
        co_chair_agency=co_chair_agency,
        chair_agency=chair_agency,
        plan=plan,
        stream=stream,
        output=output,
        activity=activity,
        chair_plan=chair_plan,
        chair_activity=chair_activity,
        support=make_person("support", role=Person.Role.SUPPORT, first_name="Sam", last_name="Support"),
        focal_owner=make_person("unodc-fp", role=focal, agency=owner, first_name="Olga", last_name="Owner"),
        focal_partner=make_person("unicef-fp", role=focal, agency=partner),
        focal_other=make_person("ilo-fp", role=focal, agency=other),
        co_chair=make_person("ohchr-fp", role=focal, agency=co_chair_agency),
        chair=make_person("wb-fp", role=focal, agency=chair_agency),
        principal=make_person("wb-principal", role=Person.Role.PRINCIPAL, agency=chair_agency),
        viewer=make_person("viewer", role=Person.Role.VIEWER, agency=other),
        deactivated=make_person("gone", role=Person.Role.SUPPORT, is_active=False),
    )
