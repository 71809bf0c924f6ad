"""A work plan's activities as IATI activity XML, version 2.03 (issue 11, item 5: open data).

The plan is the parent activity (hierarchy 1) and each of its activities a child (hierarchy 2), linked both ways
by related-activity (type 1 parent, 2 child). Lead agencies take part as accountable (role 2) and implementing
(role 4) organisations, partners as implementing, a funding source as funding (role 1). Planned dates come
from the timeframe as read (an activity with none takes its output's year, else the plan's period, and says
so); an estimated cost is an indicative original budget; each output is a result whose narrative is the
latest accepted progress update.

IATI's own rules hold too (what the IATI Validator runs; `workplans.iati_rules`): every activity carries the DAC
purpose code for migration (sector 15190, "Facilitation of orderly, safe, regular and responsible migration and
mobility") and, the GMG's work being global, the recipient region 998 "Developing countries, unspecified"; every
agency is named by the IATI organisation identifier it publishes under (`Agency.iati_identifier`); the status
follows the record and the dates as of the day of the export (work that ended before it is closed, never
pipeline); a budget over more than a year is split into calendar years, pro rata. The GMG has no registered
identifier of its own: the file is reported by the chair agency of the plan's term (or of its first day; a
group's plan by the group's first co-chair) under that agency's identifier, unless the support team sets one
(GMG_IATI_ORGANISATION_REF and _NAME). Before a file is written it is checked against the vendored XSD, the
standard ruleset and the codelists; if anything is missing or fails, `IatiProblems` lists it instead of a file
the Validator would reject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree

from chairs.models import ChairTerm
from groups.models import Agency
from groups.services import co_chairs_in_order
from kit.iati_codelists import organisation_identifier_problem
from workplans import iati_rules
from workplans.models import Activity, ActivityUpdate, Output, WorkPlan

SCHEMA = Path(__file__).resolve().parent / "iati_schemas" / "2.03" / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI codelists: ActivityStatus, ActivityDateType, OrganisationRole, OrganisationType, ResultType, IndicatorMeasure,
# Sector (DAC 5-digit, vocabulary 1), Region (OECD DAC, vocabulary 1).
PIPELINE, IMPLEMENTATION, CLOSED, CANCELLED = "1", "2", "4", "5"
PLANNED_START, PLANNED_END = "1", "3"
DAC_SECTORS, MIGRATION = "1", "15190"
DAC_REGIONS, DEVELOPING_COUNTRIES_UNSPECIFIED = "1", "998"
FUNDING, ACCOUNTABLE, IMPLEMENTING = "1", "2", "4"
MULTILATERAL = "40"
RESULT_OUTPUT = "1"
QUALITATIVE = "5"


class InvalidIati(Exception):
    """The export does not validate against the IATI 2.03 schema (a fault of the export, never of the data)."""


class IatiProblems(InvalidIati):
    """What keeps a plan from a file IATI's rules accept: missing in the record, or failed by the file."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Reporter:
    ref: str
    name: str


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def validate(xml: bytes) -> None:
    schema = _schema()
    document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if not schema.validate(document):
        raise InvalidIati("; ".join(f"line {e.line}: {e.message}" for e in list(schema.error_log)[:10]))


def reporting_agency(plan: WorkPlan) -> Agency | None:
    """The agency that reports the plan: the chair of the plan's term; for a group's plan, the group's first
    co-chair (in rotation order) on the plan's first day; else the chair on the plan's first day."""
    if plan.chair_term_id:
        return plan.chair_term.agency
    if plan.group_id and (co_chairs := co_chairs_in_order(plan.group, plan.starts_on)):
        return co_chairs[0]
    term = ChairTerm.objects.actual().covering(plan.starts_on).select_related("agency").first()
    return term.agency if term else None


def reporter(plan: WorkPlan) -> Reporter:
    """Who reports the plan to IATI: the identifier the support team set, else the reporting agency's own."""
    if settings.GMG_IATI_ORGANISATION_REF:
        return Reporter(settings.GMG_IATI_ORGANISATION_REF, settings.GMG_IATI_ORGANISATION_NAME)
    agency = reporting_agency(plan)
    return Reporter(agency.iati_identifier, agency.name) if agency else Reporter("", "")


def reporting_org_ref(plan: WorkPlan) -> str:
    return reporter(plan).ref


def plan_identifier(plan: WorkPlan, ref: str | None = None) -> str:
    return f"{reporting_org_ref(plan) if ref is None else ref}-{plan.slug}"


def activity_identifier(plan: WorkPlan, activity: Activity, ref: str | None = None) -> str:
    return f"{plan_identifier(plan, ref)}-{activity.pk}"


def _narrative(parent, text: str) -> None:
    etree.SubElement(parent, "narrative").text = text


def _text_element(parent, name: str, text: str, **attributes) -> etree._Element:
    element = etree.SubElement(parent, name, **attributes)
    _narrative(element, text)
    return element


def _reporting_org(parent, by: Reporter) -> None:
    org = etree.SubElement(parent, "reporting-org", ref=by.ref, type=MULTILATERAL)
    _narrative(org, by.name)


def _agency_org(parent, agency: Agency, role: str) -> None:
    org = etree.SubElement(parent, "participating-org", role=role, type=MULTILATERAL)
    if agency.iati_identifier:
        org.set("ref", agency.iati_identifier)
    _narrative(org, agency.name or agency.acronym)


def _reporter_org(parent, by: Reporter, role: str) -> None:
    org = etree.SubElement(parent, "participating-org", ref=by.ref, role=role, type=MULTILATERAL)
    _narrative(org, by.name)


def _classification(parent) -> None:
    """Where and what: global work (a region, the GMG's work not being for one country) on migration."""
    etree.SubElement(parent, "recipient-region", code=DEVELOPING_COUNTRIES_UNSPECIFIED, vocabulary=DAC_REGIONS)
    etree.SubElement(parent, "sector", code=MIGRATION, vocabulary=DAC_SECTORS)


def status_code(starts_on: date, ends_on: date, recorded: str, today: date) -> str:
    """IATI's activity status from the record and the dates, as of the day of the export."""
    if recorded == Activity.Status.CANCELLED:
        return CANCELLED
    if recorded in (Activity.Status.COMPLETED, WorkPlan.Status.CLOSED) or ends_on < today:
        return CLOSED
    return IMPLEMENTATION if starts_on <= today else PIPELINE


def budget_periods(starts_on: date, ends_on: date, amount: Decimal) -> list[tuple[date, date, Decimal]]:
    """The budget as IATI takes it, no period over a year: a longer one split by calendar year, pro rata by day,
    the cents summing to the amount."""
    if (ends_on - starts_on).days <= 365:
        return [(starts_on, ends_on, amount)]
    periods, start = [], starts_on
    while start <= ends_on:
        end = min(date(start.year, 12, 31), ends_on)
        periods.append((start, end))
        start = end + timedelta(days=1)
    days = (ends_on - starts_on).days + 1
    parts = [
        (amount * ((end - start).days + 1) / days).quantize(Decimal("0.01"), ROUND_HALF_UP) for start, end in periods
    ]
    parts[-1] += amount - sum(parts)
    return [(start, end, part) for (start, end), part in zip(periods, parts, strict=True)]


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


def _activity(root, plan: WorkPlan, activity: Activity, by: Reporter, agencies: dict, today: date) -> None:
    element = etree.SubElement(
        root,
        "iati-activity",
        hierarchy="2",
        **{"last-updated-datetime": activity.updated_at.isoformat(timespec="seconds"), XML_LANG: "en"},
    )
    if activity.currency:
        element.set("default-currency", activity.currency)
    etree.SubElement(element, "iati-identifier").text = activity_identifier(plan, activity, by.ref)
    _reporting_org(element, by)
    _text_element(element, "title", f"{activity.number} {activity.description}".strip())
    description = activity.description + (f" Timeframe: {activity.timeframe}." if activity.timeframe else "")
    _text_element(element, "description", description, type="1")
    leads = list(activity.lead_agencies.all())
    for agency in leads:
        _agency_org(element, agency, ACCOUNTABLE)
    for agency in [*leads, *activity.partners.all()]:
        _agency_org(element, agency, IMPLEMENTING)
    if activity.funding_source:
        funder = agencies.get(activity.funding_source.strip().casefold())
        if funder is not None:
            _agency_org(element, funder, FUNDING)
        else:
            _text_element(element, "participating-org", activity.funding_source, role=FUNDING)
    if not leads and not activity.partners.all():
        _reporter_org(element, by, ACCOUNTABLE)
    starts_on, ends_on, note = _period(plan, activity)
    etree.SubElement(element, "activity-status", code=status_code(starts_on, ends_on, activity.status, today))
    _date(element, PLANNED_START, starts_on, note)
    _date(element, PLANNED_END, ends_on, note)
    _classification(element)
    if activity.estimated_cost is not None:
        for start, end, amount in budget_periods(starts_on, ends_on, activity.estimated_cost):
            budget = etree.SubElement(element, "budget", type="1", status="1")
            etree.SubElement(budget, "period-start", **{"iso-date": start.isoformat()})
            etree.SubElement(budget, "period-end", **{"iso-date": end.isoformat()})
            value = etree.SubElement(budget, "value", currency=activity.currency, **{"value-date": start.isoformat()})
            value.text = f"{amount:.2f}"
    etree.SubElement(element, "related-activity", ref=plan_identifier(plan, by.ref), type="1")
    latest = activity.accepted[0].narrative if activity.accepted else ""
    _result(element, activity.output, latest)


def _parent(root, plan: WorkPlan, activities: list[Activity], by: Reporter, today: date) -> None:
    element = etree.SubElement(root, "iati-activity", hierarchy="1", **{XML_LANG: "en"})
    etree.SubElement(element, "iati-identifier").text = plan_identifier(plan, by.ref)
    _reporting_org(element, by)
    _text_element(element, "title", plan.title)
    _text_element(element, "description", plan.summary or plan.title, type="1")
    _reporter_org(element, by, ACCOUNTABLE)
    recorded = plan.status if plan.status == WorkPlan.Status.CLOSED else ""
    etree.SubElement(element, "activity-status", code=status_code(plan.starts_on, plan.ends_on, recorded, today))
    _date(element, PLANNED_START, plan.starts_on)
    _date(element, PLANNED_END, plan.ends_on)
    _classification(element)
    for activity in activities:
        etree.SubElement(element, "related-activity", ref=activity_identifier(plan, activity, by.ref), type="2")
    outputs = {}
    for activity in activities:
        outputs.setdefault(activity.output.pk, activity.output)
    for output in outputs.values():
        _result(element, output, output.description)


def _agencies_by_name() -> dict[str, Agency]:
    """Agencies by acronym and full name (casefolded): a funding source that names one is that agency."""
    found = {}
    for agency in Agency.objects.all():
        found[agency.name.casefold()] = agency
        found[agency.acronym.casefold()] = agency
    return found


def record_problems(plan: WorkPlan, activities: list[Activity], by: Reporter, agencies: dict) -> list[str]:
    """What the record lacks for an IATI file: who reports it, and the identifiers of the agencies it names."""
    problems = []
    if settings.GMG_IATI_ORGANISATION_REF:
        if problem := organisation_identifier_problem(by.ref):
            problems.append(
                _("The reporting organisation set in GMG_IATI_ORGANISATION_REF (%(ref)r): it %(problem)s.")
                % {"ref": by.ref, "problem": problem}
            )
    elif (agency := reporting_agency(plan)) is None:
        problems.append(
            _(
                "No one to report the plan: no chair term covers %(day)s, the plan's first day, and the plan names no "
                "chair term or group with a co-chair. Record them, or set GMG_IATI_ORGANISATION_REF."
            )
            % {"day": date_format(plan.starts_on, "DATE_FORMAT")}
        )
    elif problem := organisation_identifier_problem(agency.iati_identifier):
        problems.append(
            _(
                "%(agency)s, which reports the plan, has no valid IATI organisation identifier (it %(problem)s): "
                "record it on the agency's page."
            )
            % {"agency": agency.acronym, "problem": problem}
        )
    named: dict[Agency, int] = {}
    for activity in activities:
        funder = agencies.get(activity.funding_source.strip().casefold()) if activity.funding_source else None
        for agency in {*activity.lead_agencies.all(), *activity.partners.all(), *([funder] if funder else [])}:
            named[agency] = named.get(agency, 0) + 1
    for agency, count in sorted(named.items(), key=lambda item: item[0].acronym):
        if problem := organisation_identifier_problem(agency.iati_identifier):
            problems.append(
                ngettext(
                    "%(agency)s has no valid IATI organisation identifier (it %(problem)s); it takes part in "
                    "%(count)s activity of the plan: record it on the agency's page.",
                    "%(agency)s has no valid IATI organisation identifier (it %(problem)s); it takes part in "
                    "%(count)s activities of the plan: record it on the agency's page.",
                    count,
                )
                % {"agency": agency.acronym, "problem": problem, "count": count}
            )
    return problems


def build(plan: WorkPlan, today: date | None = None) -> tuple[bytes, list[str]]:
    """The plan as an iati-activities 2.03 document, with what the record lacks for it (unchecked)."""
    today = today or timezone.localdate()
    activities = _plan_tree(plan)
    by, agencies = reporter(plan), _agencies_by_name()
    root = etree.Element(
        "iati-activities", version="2.03", **{"generated-datetime": timezone.now().isoformat(timespec="seconds")}
    )
    _parent(root, plan, activities, by, today)
    for activity in activities:
        _activity(root, plan, activity, by, agencies, today)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return xml, record_problems(plan, activities, by, agencies)


def check(xml: bytes) -> list[str]:
    """Why IATI would reject the file: the XSD's errors, then the failures of IATI's rules (ruleset, codelists)."""
    try:
        validate(xml)
    except InvalidIati as invalid:
        return [_("Not valid against the IATI 2.03 schema: %(why)s") % {"why": invalid}]
    document = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    return [str(failure) for failure in iati_rules.failures(document)]


def export_iati(plan: WorkPlan, today: date | None = None) -> bytes:
    """The plan and its activities as an iati-activities 2.03 document that passes the XSD and IATI's rules;
    `IatiProblems` says what is missing or failing instead."""
    xml, problems = build(plan, today)
    problems += check(xml)
    if problems:
        raise IatiProblems(problems)
    return xml
