"""A work plan's activities as IATI 2.03 activity XML that IATI accepts: valid against the official schema and
passing IATI's own rules (IATI-Rulesets' standard ruleset and the codelists, vendored in kit/iati_vendor/),
as the IATI Validator checks them. What the record lacks is said instead of a file the Validator would reject.

The GMG record is loaded once for the module (inside a transaction rolled back at the end); each test's changes
are rolled back after it.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from groups.models import Agency, Person
from tests.factories import make_person, make_update
from workplans import iati, iati_rules
from workplans.models import Activity, WorkPlan

SCHEMA = etree.XMLSchema(etree.parse(str(iati.SCHEMA)))
PLANS = ["mawp-2013-2015", "gmg-work-plan-2010", "decent-work-tf-2016-2018"]


@pytest.fixture(scope="module")
def record(django_db_setup, django_db_blocker):
    from record.loader import load_gmg_record

    with django_db_blocker.unblock(), transaction.atomic():
        load_gmg_record()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def gmg(record, db):
    """The record, for one test: its changes are undone after it."""


def parse(xml: bytes):
    return etree.fromstring(xml)


def child_of(document, identifier: str):
    return next(a for a in document.findall("iati-activity") if a.findtext("iati-identifier") == identifier)


def rules_of(failures) -> set[str]:
    return {failure.rule for failure in failures}


def test_every_plan_of_the_record_passes_the_schema_and_iatis_rules(gmg):
    plans = list(WorkPlan.objects.order_by("slug"))
    assert {p.slug for p in plans} >= set(PLANS)
    for plan in plans:
        document = parse(iati.export_iati(plan))
        assert SCHEMA.validate(document), (plan.slug, SCHEMA.error_log)
        assert [str(f) for f in iati_rules.failures(document)] == [], plan.slug
        activities = document.findall("iati-activity")
        assert len(activities) == 1 + Activity.objects.filter(output__stream__workplan=plan).count()
        for activity in activities:
            assert activity.find("sector").attrib == {"code": "15190", "vocabulary": "1"}
            assert activity.find("recipient-region").attrib == {"code": "998", "vocabulary": "1"}
            assert all(org.get("ref") for org in activity.findall("participating-org[@type='40']"))
        reporting = {a.find("reporting-org").get("ref") for a in activities}
        assert len(reporting) == 1 and reporting.pop().startswith("XM-DAC-")


def test_every_agency_of_the_record_has_a_registered_iati_identifier(gmg):
    identifiers = dict(Agency.objects.values_list("acronym", "iati_identifier"))
    assert identifiers["ILO"] == "XM-DAC-41302"
    assert all(iati.organisation_identifier_problem(ref) == "" for ref in identifiers.values()), identifiers


def test_work_that_ended_before_the_export_is_closed_not_pipeline(gmg):
    plan = WorkPlan.objects.get(slug="mawp-2013-2015")
    activities = Activity.objects.filter(output__stream__workplan=plan, status=Activity.Status.PLANNED)
    past = activities.filter(ends_on__year=2013).first()
    future, started, cancelled = activities.exclude(pk=past.pk)[:3]
    today = timezone.localdate()
    Activity.objects.filter(pk=future.pk).update(starts_on=today + timedelta(days=30), ends_on=today + timedelta(60))
    Activity.objects.filter(pk=started.pk).update(starts_on=today - timedelta(days=30), ends_on=today + timedelta(60))
    Activity.objects.filter(pk=cancelled.pk).update(status=Activity.Status.CANCELLED)
    document = parse(iati.export_iati(plan))
    ref = iati.reporting_org_ref(plan)

    def status(activity):
        return child_of(document, iati.activity_identifier(plan, activity, ref)).find("activity-status").get("code")

    assert [status(past), status(future), status(started), status(cancelled)] == ["4", "1", "2", "5"]
    assert document.find("iati-activity[@hierarchy='1']/activity-status").get("code") == "4"
    assert not iati_rules.failures(document)


def test_a_budget_over_a_year_is_split_by_calendar_year_pro_rata(gmg):
    plan = WorkPlan.objects.get(slug="mawp-2013-2015")
    activity = Activity.objects.filter(output__stream__workplan=plan).first()
    Activity.objects.filter(pk=activity.pk).update(
        estimated_cost=Decimal("100000"), currency="USD", starts_on=date(2013, 7, 1), ends_on=date(2015, 6, 30)
    )
    document = parse(iati.export_iati(plan))
    child = child_of(document, iati.activity_identifier(plan, activity))
    budgets = [
        (b.find("period-start").get("iso-date"), b.find("period-end").get("iso-date"), b.findtext("value"))
        for b in child.findall("budget")
    ]
    assert budgets == [  # 184, 365 and 181 of 730 days
        ("2013-07-01", "2013-12-31", "25205.48"),
        ("2014-01-01", "2014-12-31", "50000.00"),
        ("2015-01-01", "2015-06-30", "24794.52"),
    ]
    assert not iati_rules.failures(document)
    thirds = iati.budget_periods(date(2014, 1, 1), date(2016, 12, 31), Decimal("100"))
    assert [part for *_, part in thirds] == [Decimal("33.30"), Decimal("33.30"), Decimal("33.40")]


def test_the_checker_fails_a_broken_export(gmg):
    """The guard fails when what it guards is broken: no sector, an unknown organisation prefix, a budget over a
    year, each in a copy of a real export."""
    plan = WorkPlan.objects.get(slug="mawp-2013-2015")
    good = iati.export_iati(plan)
    assert iati_rules.failures(parse(good)) == []

    no_sector = parse(good)
    first = no_sector.find("iati-activity[@hierarchy='2']")
    first.remove(first.find("sector"))
    assert "6.2.2" in rules_of(iati_rules.failures(no_sector))

    unknown_prefix = parse(good)
    unknown_prefix.find("iati-activity/reporting-org").set("ref", "XI-GMG")
    failures = iati_rules.failures(unknown_prefix)
    assert {"1.14.8", "1.1.21", "codelist"} <= rules_of(failures)
    assert any("'XI-GMG'" in str(f) for f in failures)

    unknown_partner = parse(good)
    unknown_partner.find("iati-activity/participating-org").set("ref", "XX-NOWHERE-1")
    assert "codelist" in rules_of(iati_rules.failures(unknown_partner))

    long_budget = parse(good)
    activity = long_budget.find("iati-activity[@hierarchy='2']")
    budget = etree.SubElement(activity, "budget", type="1", status="1")
    etree.SubElement(budget, "period-start", **{"iso-date": "2013-01-01"})
    etree.SubElement(budget, "period-end", **{"iso-date": "2015-12-31"})
    etree.SubElement(budget, "value", currency="USD", **{"value-date": "2013-01-01"}).text = "1000"
    assert "7.5.3" in rules_of(iati_rules.failures(long_budget))

    wrong_code = parse(good)
    wrong_code.find("iati-activity/sector").set("code", "99999")
    assert "codelist" in rules_of(iati_rules.failures(wrong_code))


def test_what_the_record_lacks_is_listed_not_written(gmg, client, tmp_path):
    plan = WorkPlan.objects.get(slug="mawp-2013-2015")
    Agency.objects.filter(acronym="UNDP").update(iati_identifier="")
    with pytest.raises(iati.IatiProblems) as refused:
        iati.export_iati(plan)
    assert any(p.startswith("UNDP has no valid IATI organisation identifier") for p in refused.value.problems)

    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    response = client.get(reverse("workplans:workplan_iati", args=[plan.slug]))
    assert response.status_code == 409 and response["Content-Type"].startswith("text/html")
    assert "UNDP has no valid IATI organisation identifier" in response.content.decode()

    out = tmp_path / "plan.xml"
    with pytest.raises(CommandError, match="UNDP has no valid IATI organisation identifier"):
        call_command("export_iati", plan.slug, "--output", str(out))
    assert not out.exists()


def test_the_support_team_may_name_the_reporting_organisation(gmg, settings):
    plan = WorkPlan.objects.get(slug="gmg-work-plan-2010")
    settings.GMG_IATI_ORGANISATION_REF = "XI-GMG"
    with pytest.raises(iati.IatiProblems, match="GMG_IATI_ORGANISATION_REF"):
        iati.export_iati(plan)
    settings.GMG_IATI_ORGANISATION_REF, settings.GMG_IATI_ORGANISATION_NAME = "XM-DAC-47066", "IOM for the GMG"
    document = parse(iati.export_iati(plan))
    assert {a.findtext("iati-identifier").split("-gmg-work-plan-2010")[0] for a in document} == {"XM-DAC-47066"}


def test_the_hierarchy_the_organisations_dates_budgets_and_results(gmg):
    plan = WorkPlan.objects.get(slug="mawp-2013-2015")
    activity = Activity.objects.filter(output__stream__workplan=plan, lead_agencies__isnull=False).first()
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
    child = child_of(document, iati.activity_identifier(plan, activity))
    assert child.find("related-activity").attrib == {"ref": parent_id, "type": "1"}
    assert {r.get("ref") for r in parent.findall("related-activity[@type='2']")} == {
        c.findtext("iati-identifier") for c in children
    }
    roles = {(o.get("role"), o.get("ref"), o.findtext("narrative")) for o in child.findall("participating-org")}
    assert ("2", lead.iati_identifier, lead.name) in roles and ("4", lead.iati_identifier, lead.name) in roles
    dates = {d.get("type"): d.get("iso-date") for d in child.findall("activity-date")}
    assert dates == {"1": "2013-04-01", "3": "2013-10-31"}
    value = child.find("budget/value")
    assert (value.text, value.get("currency")) == ("75000.00", "USD")
    assert child.findtext("result/description/narrative") == "The side event was held on 2 October."


def test_an_activity_without_dates_takes_its_outputs_year_and_says_so(gmg):
    plan = WorkPlan.objects.get(slug="mawp-2013-2015")
    activity = Activity.objects.filter(output__stream__workplan=plan, output__year__isnull=False).first()
    Activity.objects.filter(pk=activity.pk).update(starts_on=None, ends_on=None)
    document = parse(iati.export_iati(plan))
    child = child_of(document, iati.activity_identifier(plan, activity))
    start = child.find("activity-date[@type='1']")
    assert start.get("iso-date") == f"{activity.output.year}-01-01"
    assert "output's year" in start.findtext("narrative")


def test_an_invalid_document_is_caught_before_it_is_served():
    with pytest.raises(iati.InvalidIati):
        iati.validate(b'<iati-activities version="2.03"><iati-activity/></iati-activities>')


def test_the_page_and_the_command_give_the_xml(gmg, client, tmp_path):
    client.force_login(make_person("reader", role=Person.Role.VIEWER))
    response = client.get(reverse("workplans:workplan_iati", args=["gmg-work-plan-2010"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert SCHEMA.validate(parse(response.content))
    out = tmp_path / "plan.xml"
    call_command("export_iati", "gmg-work-plan-2010", "--output", str(out))
    assert SCHEMA.validate(parse(out.read_bytes()))
    client.logout()
    assert client.get(reverse("workplans:workplan_iati", args=["gmg-work-plan-2010"])).status_code == 302
