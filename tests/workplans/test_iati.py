"""A work plan's activities as IATI 2.03 activity XML, valid against the official schema vendored in the repo."""

from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from lxml import etree

from groups.models import Person
from tests.factories import make_person, make_update
from workplans import iati
from workplans.models import Activity, WorkPlan

SCHEMA = etree.XMLSchema(etree.parse(str(iati.SCHEMA)))


def parse(xml: bytes):
    return etree.fromstring(xml)


@pytest.mark.parametrize("slug", ["mawp-2013-2015", "gmg-work-plan-2010", "decent-work-tf-2016-2018"])
def test_each_plan_of_the_record_validates_against_the_iati_203_schema(gmg_record, slug):
    plan = WorkPlan.objects.get(slug=slug)
    document = parse(iati.export_iati(plan))
    assert SCHEMA.validate(document), SCHEMA.error_log
    assert document.get("version") == "2.03"
    activities = document.findall("iati-activity")
    assert len(activities) == 1 + Activity.objects.filter(output__stream__workplan=plan).count()


def test_the_hierarchy_the_organisations_dates_budgets_and_results(gmg_record):
    plan = WorkPlan.objects.get(slug="mawp-2013-2015")
    activity = Activity.objects.filter(output__stream__workplan=plan, estimated_cost__isnull=False).first()
    activity = activity or Activity.objects.filter(output__stream__workplan=plan).first()
    Activity.objects.filter(pk=activity.pk).update(
        estimated_cost=75000, currency="USD", starts_on=date(2013, 4, 1), ends_on=date(2013, 10, 31)
    )
    lead = activity.lead_agencies.first()
    make_update(activity, lead, review="accepted", narrative="The side event was held on 2 October.")
    document = parse(iati.export_iati(plan))
    assert SCHEMA.validate(document), SCHEMA.error_log
    parent, *children = document.findall("iati-activity")
    assert parent.get("hierarchy") == "1" and {c.get("hierarchy") for c in children} == {"2"}
    parent_id = parent.findtext("iati-identifier")
    child = next(c for c in children if c.findtext("iati-identifier") == iati.activity_identifier(plan, activity))
    assert child.find("related-activity").attrib == {"ref": parent_id, "type": "1"}
    assert {r.get("ref") for r in parent.findall("related-activity[@type='2']")} == {
        c.findtext("iati-identifier") for c in children
    }
    roles = {(o.get("role"), o.findtext("narrative")) for o in child.findall("participating-org")}
    assert ("2", lead.name) in roles and ("4", lead.name) in roles
    dates = {d.get("type"): d.get("iso-date") for d in child.findall("activity-date")}
    assert dates == {"1": "2013-04-01", "3": "2013-10-31"}
    value = child.find("budget/value")
    assert (value.text, value.get("currency")) == ("75000.00", "USD")
    assert child.findtext("result/description/narrative") == "The side event was held on 2 October."


def test_an_activity_without_dates_takes_its_outputs_year_and_says_so(gmg_record):
    plan = WorkPlan.objects.get(slug="mawp-2013-2015")
    activity = Activity.objects.filter(output__stream__workplan=plan, output__year__isnull=False).first()
    Activity.objects.filter(pk=activity.pk).update(starts_on=None, ends_on=None)
    document = parse(iati.export_iati(plan))
    child = next(
        c for c in document.findall("iati-activity") if c.findtext("iati-identifier").endswith(f"-{activity.pk}")
    )
    start = child.find("activity-date[@type='1']")
    assert start.get("iso-date") == f"{activity.output.year}-01-01"
    assert "output's year" in start.findtext("narrative")


def test_an_invalid_document_is_caught_before_it_is_served():
    with pytest.raises(iati.InvalidIati):
        iati.validate(b'<iati-activities version="2.03"><iati-activity/></iati-activities>')


def test_the_page_and_the_command_give_the_xml(client, gmg_record, tmp_path):
    client.force_login(make_person("reader", role=Person.Role.VIEWER))
    response = client.get(reverse("workplans:workplan_iati", args=["gmg-work-plan-2010"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert SCHEMA.validate(parse(response.content))
    out = tmp_path / "plan.xml"
    call_command("export_iati", "gmg-work-plan-2010", "--output", str(out))
    assert SCHEMA.validate(parse(out.read_bytes()))
    client.logout()
    assert client.get(reverse("workplans:workplan_iati", args=["gmg-work-plan-2010"])).status_code == 302
