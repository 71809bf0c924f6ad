"""A work plan's activities as IATI activity XML, version 2.03 (issue 11, item 5: open data).

The plan is the parent activity (hierarchy 1) and each of its activities a child (hierarchy 2), linked both ways
by related-activity (type 1 parent, 2 child). Lead agencies take part as accountable (role 2) and implementing
(role 4) organisations, partners as implementing, a funding source as funding (role 1). Planned dates come
from the timeframe as read (an activity with none takes its output's year, else the plan's period, and says
so); an estimated cost is an indicative original budget; each output is a result whose narrative is the
latest accepted progress update. The file is checked against the vendored IATI 2.03 schema before it is served.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from lxml import etree

from workplans.models import Activity, ActivityUpdate, Output, WorkPlan

SCHEMA = Path(__file__).resolve().parent / "iati_schemas" / "2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI codelists: ActivityStatus, ActivityDateType, OrganisationRole, OrganisationType, ResultType, IndicatorMeasure.
STATUS_CODES = {
    Activity.Status.PLANNED: "1",  # pipeline / identification
    Activity.Status.ON_TRACK: "2",  # implementation
    Activity.Status.DELAYED: "2",
    Activity.Status.COMPLETED: "4",  # closed
    Activity.Status.CANCELLED: "5",
}
PLAN_STATUS_CODES = {WorkPlan.Status.DRAFT: "1", WorkPlan.Status.ADOPTED: "2", WorkPlan.Status.CLOSED: "4"}
PLANNED_START, PLANNED_END = "1", "3"
FUNDING, ACCOUNTABLE, IMPLEMENTING = "1", "2", "4"
MULTILATERAL = "40"
RESULT_OUTPUT = "1"
QUALITATIVE = "5"


class InvalidIati(Exception):
    """The export does not validate against the IATI 2.03 schema (a fault of the export, never of the data)."""


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate(xml: bytes) -> None:
    schema = _schema()
    document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if not schema.validate(document):
        raise InvalidIati("; ".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:10]))


def reporting_org_ref() -> str:
    return settings.GMG_IATI_ORGANISATION_REF


def plan_identifier(plan: WorkPlan) -> str:
    return f"{reporting_org_ref()}-{plan.slug}"


def activity_identifier(plan: WorkPlan, activity: Activity) -> str:
    return f"{plan_identifier(plan)}-{activity.pk}"


def _narrative(parent, text: str) -> None:
    etree.SubElement(parent, "narrative").text = text


def _text_element(parent, name: str, text: str, **attributes) -> etree._Element:
    element = etree.SubElement(parent, name, **attributes)
    _narrative(element, text)
    return element


def _reporting_org(parent) -> None:
    org = etree.SubElement(parent, "reporting-org", ref=reporting_org_ref(), type=MULTILATERAL)
    _narrative(org, settings.GMG_IATI_ORGANISATION_NAME)


def _date(parent, kind: str, day: date, note: str = "") -> None:
    element = etree.SubElement(parent, "activity-date", type=kind, **{"iso-date": day.isoformat()})
    if note:
        _narrative(element, note)


def _plan_tree(plan: WorkPlan) -> list[Activity]:
    accepted = ActivityUpdate.objects.filter(review=ActivityUpdate.Review.ACCEPTED).order_by(
        "-reported_on", "-created_at", "-pk"
    )
    return list(
        Activity.objects.filter(output__stream__workplan=plan)
        .in_plan_order()
        .select_related("output__stream")
        .prefetch_related("lead_agencies", "partners", Prefetch("updates", queryset=accepted, to_attr="accepted"))
    )


def _period(plan: WorkPlan, activity: Activity) -> tuple[date, date, str]:
    if activity.starts_on or activity.ends_on:
        return activity.starts_on or activity.ends_on, activity.ends_on or activity.starts_on, ""
    year = activity.output.year
    if year:
        return date(year, 1, 1), date(year, 12, 31), f"No dates in the timeframe; the output's year {year}."
    return plan.starts_on, plan.ends_on, "No dates in the timeframe; the work plan's period."


def _result(parent, output: Output, narrative: str) -> None:
    result = etree.SubElement(parent, "result", type=RESULT_OUTPUT)
    _text_element(result, "title", str(output))
    if narrative:
        _text_element(result, "description", narrative)
    indicator = etree.SubElement(result, "indicator", measure=QUALITATIVE)
    _text_element(indicator, "title", f"{output.number or 'Output'} delivered")


def _activity(root, plan: WorkPlan, activity: Activity) -> None:
    element = etree.SubElement(
        root,
        "iati-activity",
        hierarchy="2",
        **{"last-updated-datetime": activity.updated_at.isoformat(timespec="seconds"), XML_LANG: "en"},
    )
    if activity.currency:
        element.set("default-currency", activity.currency)
    etree.SubElement(element, "iati-identifier").text = activity_identifier(plan, activity)
    _reporting_org(element)
    _text_element(element, "title", f"{activity.number} {activity.description}".strip())
    description = activity.description + (f" Timeframe: {activity.timeframe}." if activity.timeframe else "")
    _text_element(element, "description", description, type="1")
    leads = list(activity.lead_agencies.all())
    for agency in leads:
        _text_element(element, "participating-org", agency.name or agency.acronym, role=ACCOUNTABLE, type=MULTILATERAL)
    for agency in [*leads, *activity.partners.all()]:
        _text_element(element, "participating-org", agency.name or agency.acronym, role=IMPLEMENTING, type=MULTILATERAL)
    if activity.funding_source:
        _text_element(element, "participating-org", activity.funding_source, role=FUNDING)
    if not leads and not activity.partners.all() and not activity.funding_source:
        _text_element(element, "participating-org", settings.GMG_IATI_ORGANISATION_NAME, role=IMPLEMENTING)
    etree.SubElement(element, "activity-status", code=STATUS_CODES[activity.status])
    starts_on, ends_on, note = _period(plan, activity)
    _date(element, PLANNED_START, starts_on, note)
    _date(element, PLANNED_END, ends_on, note)
    if activity.estimated_cost is not None:
        budget = etree.SubElement(element, "budget", type="1", status="1")
        etree.SubElement(budget, "period-start", **{"iso-date": starts_on.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": ends_on.isoformat()})
        value = etree.SubElement(budget, "value", currency=activity.currency, **{"value-date": starts_on.isoformat()})
        value.text = f"{activity.estimated_cost:.2f}"
    etree.SubElement(element, "related-activity", ref=plan_identifier(plan), type="1")
    latest = activity.accepted[0].narrative if activity.accepted else ""
    _result(element, activity.output, latest)


def _parent(root, plan: WorkPlan, activities: list[Activity]) -> None:
    element = etree.SubElement(root, "iati-activity", hierarchy="1", **{XML_LANG: "en"})
    etree.SubElement(element, "iati-identifier").text = plan_identifier(plan)
    _reporting_org(element)
    _text_element(element, "title", plan.title)
    _text_element(element, "description", plan.summary or plan.title, type="1")
    _text_element(element, "participating-org", settings.GMG_IATI_ORGANISATION_NAME, role=ACCOUNTABLE)
    etree.SubElement(element, "activity-status", code=PLAN_STATUS_CODES[plan.status])
    _date(element, PLANNED_START, plan.starts_on)
    _date(element, PLANNED_END, plan.ends_on)
    for activity in activities:
        etree.SubElement(element, "related-activity", ref=activity_identifier(plan, activity), type="2")
    outputs = {}
    for activity in activities:
        outputs.setdefault(activity.output.pk, activity.output)
    for output in outputs.values():
        _result(element, output, output.description)


def export_iati(plan: WorkPlan) -> bytes:
    """The plan and its activities as an iati-activities 2.03 document, validated against the schema."""
    activities = _plan_tree(plan)
    root = etree.Element(
        "iati-activities", version="2.03", **{"generated-datetime": timezone.now().isoformat(timespec="seconds")}
    )
    _parent(root, plan, activities)
    for activity in activities:
        _activity(root, plan, activity)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate(xml)
    return xml
