"""The chair's rules (seed 000: decision 1 of 3 July 2013 and Annex I, Functions of the Chair).

- The rotation: chairs follow the alphabetical order of the agencies' sort names, continuing after the last
  actual chair; the portal proposes, the support team confirms (a planned term) or overrides.
- The troika: the previous, current and next chair on any day, derived from the terms, never stored.
- A term's obligations: the letter of commitment, the annual work plan, a Principals meeting, the annual report.

Which terms count. Actual terms are what happened. A planned term governs its period until an actual term
overlaps it (the actual one then governs). A planned term that starts the day after the same agency's actual
term ends was overtaken: the 2013 plan named the World Bank for 2016, but it chaired 2015 (seeds 000, 003), and
a chair does not succeed itself. Overtaken planned terms are kept and shown, but name no next chair and carry
no obligations.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chairs.access import can_edit_chair_report
from chairs.models import ChairReportVersion, ChairTerm
from groups.access import can_keep_record
from groups.models import Agency
from kit.access import require
from kit.audit import record_change
from kit.signals import row_updated

ROTATION_SOURCE = "Alphabetical rotation (decision 1 of 3 July 2013)"

LETTER_OF_COMMITMENT = "letter_of_commitment"
ANNUAL_WORKPLAN = "annual_workplan"
PRINCIPALS_MEETING = "principals_meeting"
ANNUAL_REPORT = "annual_report"


# -- which terms govern --------------------------------------------------------------------------------------


def _register_saved(pk: int | None) -> None:
    """Chair terms written with `update()` (past Django's signals): the deadline register follows."""
    row_updated.send(sender=ChairTerm, pk=pk)


def all_terms() -> list[ChairTerm]:
    return list(ChairTerm.objects.select_related("agency", "co_chair").order_by("starts_on", "kind"))


def is_overtaken(term: ChairTerm, terms: Sequence[ChairTerm]) -> bool:
    """A planned term an actual term overlaps, one that starts the day after its agency's own actual term, or
    one a newer plan replaced."""
    if term.kind != ChairTerm.Kind.PLANNED:
        return False
    if term.replaced_on is not None:
        return True
    for other in terms:
        if other.kind != ChairTerm.Kind.ACTUAL:
            continue
        if other.starts_on <= term.ends_on and other.ends_on >= term.starts_on:
            return True
        if other.agency_id == term.agency_id and other.ends_on + timedelta(days=1) == term.starts_on:
            return True
    return False


def governing_terms(terms: Sequence[ChairTerm] | None = None) -> list[ChairTerm]:
    """The actual terms and the planned terms no actual term has overtaken, in date order."""
    terms = all_terms() if terms is None else list(terms)
    return sorted(
        (t for t in terms if not is_overtaken(t, terms)),
        key=lambda t: (t.starts_on, t.kind != ChairTerm.Kind.ACTUAL),
    )


def actual_chair_on(day: date, terms: Sequence[ChairTerm] | None = None) -> ChairTerm | None:
    """The actual term covering a day (actual terms never overlap), or None in a gap."""
    terms = all_terms() if terms is None else terms
    return next((t for t in terms if t.kind == ChairTerm.Kind.ACTUAL and t.covers(day)), None)


# -- the rotation --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A chair the alphabetical rotation proposes for a period; staff confirm it or override it."""

    agency: Agency
    starts_on: date
    ends_on: date
    passed_over: tuple[tuple[Agency, str], ...] = field(default=())
    # The period ended before the day the rotation was asked about: nobody can be confirmed for it any more,
    # and the record does not say who chaired (staff record the actual term when they know).
    lapsed: bool = False

    @property
    def period_label(self) -> str:
        if self.starts_on == date(self.starts_on.year, 1, 1) and self.ends_on == date(self.starts_on.year, 12, 31):
            return str(self.starts_on.year)
        return f"{format_date(self.starts_on, 'j M Y')} - {format_date(self.ends_on, 'j M Y')}"

    def __str__(self) -> str:
        return f"{self.agency} (proposed, {self.period_label})"


def rotation_order(agencies: Iterable[Agency]) -> list[Agency]:
    """The alphabetical order of decision 1: by the name each agency sorts under, case and accents aside."""
    return sorted(agencies, key=lambda a: (a.sort_name.casefold(), a.acronym.casefold()))


def propose_rotation(
    *,
    after: ChairTerm | None = None,
    count: int = 3,
    skip_recent_terms: int | None = None,
    starting: date | None = None,
    terms: Sequence[ChairTerm] | None = None,
) -> list[Proposal]:
    """The next `count` chairs by alphabetical rotation (decision 1 of 3 July 2013, a three-year trial).

    Continues after `after` (by default the latest actual term): each following period that no actual or
    planned term governs gets a proposal, an annual term (1 January - 31 December; after a term cut short, the
    rest of that year). Periods a term already governs are kept, and the rotation continues after that term's
    agency. An agency is passed over when it is not a member on the term's first and last day, has declined to
    chair, chaired (or is proposed) within the last `skip_recent_terms` terms (settings
    GMG_ROTATION_SKIP_RECENT_TERMS), or already has a planned term later on. `starting` (a day) lets no proposal
    start before it, for a troika asked about a day long after the last term.
    """
    if count < 1:
        return []
    skip_recent = settings.GMG_ROTATION_SKIP_RECENT_TERMS if skip_recent_terms is None else skip_recent_terms
    terms = all_terms() if terms is None else list(terms)
    governing = governing_terms(terms)
    if after is None:
        after = next((t for t in reversed(governing) if t.kind == ChairTerm.Kind.ACTUAL), None)
    order = rotation_order(Agency.objects.prefetch_related("memberships"))
    if not order:
        return []

    if after is not None:
        history = [t.agency for t in governing if t.starts_on <= after.starts_on]
        period_start = after.ends_on + timedelta(days=1)
    else:
        history = []
        period_start = _first_january_from(starting or timezone.localdate() + timedelta(days=1))
    if starting is not None and starting > period_start:
        period_start = _first_january_from(starting)
    later_terms = [t for t in governing if after is None or t.starts_on > after.starts_on]

    proposals: list[Proposal] = []
    # Enough periods to find `count` free ones past every term already in the record.
    for _step in range(count + len(later_terms) + 1):
        taken = next((t for t in later_terms if t.covers(period_start)), None)
        if taken is not None:
            history.append(taken.agency)
            period_start = taken.ends_on + timedelta(days=1)
            continue
        # A proposal ends with its year, or the day before a term already in the record starts.
        period_end = min(
            [date(period_start.year, 12, 31)]
            + [t.starts_on - timedelta(days=1) for t in later_terms if t.starts_on > period_start]
        )
        booked_later = {t.agency_id: t for t in later_terms if t.starts_on > period_start}
        proposal = _next_in_rotation(order, history, period_start, period_end, skip_recent, booked_later)
        if proposal is None:
            break
        proposals.append(proposal)
        if len(proposals) == count:
            break
        history.append(proposal.agency)
        period_start = period_end + timedelta(days=1)
    return proposals


def _first_january_from(day: date) -> date:
    return day if (day.month, day.day) == (1, 1) else date(day.year + 1, 1, 1)


def _next_in_rotation(
    order: list[Agency],
    history: list[Agency],
    starts_on: date,
    ends_on: date,
    skip_recent: int,
    booked_later: dict[int, ChairTerm],
) -> Proposal | None:
    last = history[-1] if history else None
    start = (next((i for i, a in enumerate(order) if a.pk == last.pk), -1) + 1) if last else 0
    recent = {a.pk for a in history[-skip_recent:]} if skip_recent > 0 else set()
    passed_over: list[tuple[Agency, str]] = []
    for step in range(len(order)):
        agency = order[(start + step) % len(order)]
        if not (agency.is_member_on(starts_on) and agency.is_member_on(ends_on)):
            reason = _("not a member for the whole term")
        elif agency.declines_to_chair:
            reason = _("declined to chair")
        elif agency.pk in recent:
            reason = _("chaired within the last %(n)s terms") % {"n": skip_recent}
        elif agency.pk in booked_later:
            reason = _("planned to chair %(period)s") % {"period": booked_later[agency.pk].period_label}
        else:
            return Proposal(agency=agency, starts_on=starts_on, ends_on=ends_on, passed_over=tuple(passed_over))
        passed_over.append((agency, reason))
    return None


def _save_planned_term(agency: Agency, proposal: Proposal, note: str) -> ChairTerm:
    if not (agency.is_member_on(proposal.starts_on) and agency.is_member_on(proposal.ends_on)):
        raise ValidationError(
            {
                "agency": _("%(agency)s is not a GMG member for the whole term (%(period)s).")
                % {"agency": agency, "period": proposal.period_label}
            }
        )
    # Chair terms are few: lock them all, so two people acting on the same proposal are served one at a time.
    terms = list(ChairTerm.objects.select_for_update().select_related("agency"))
    overlapping = [t for t in terms if t.starts_on <= proposal.ends_on and t.ends_on >= proposal.starts_on]
    if any(not is_overtaken(t, terms) for t in overlapping):
        raise ValidationError(
            {"starts_on": _("There is already a planned term starting that day; reload the rotation.")}
        )
    # What is left in the period is a plan overtaken by events (the 2013 plan's World Bank 2016): it stays as
    # history, marked replaced, so the new plan may start the same day.
    replaced = [t.pk for t in overlapping if t.kind == ChairTerm.Kind.PLANNED and t.replaced_on is None]
    ChairTerm.objects.filter(pk__in=replaced).update(replaced_on=timezone.localdate())
    _register_saved(None)
    for term in ChairTerm.objects.filter(pk__in=replaced):
        record_change(term, reason=gettext_noop("Replaced by a newer plan"))
    term = ChairTerm(
        kind=ChairTerm.Kind.PLANNED,
        agency=agency,
        starts_on=proposal.starts_on,
        ends_on=proposal.ends_on,
        note=note,
        source=ROTATION_SOURCE,
    )
    term.full_clean(exclude=["key"])
    try:
        with transaction.atomic():
            term.save()
    except IntegrityError:
        # Another person confirmed a term for the same start in the meantime.
        raise ValidationError(
            {"starts_on": _("There is already a planned term starting that day; reload the rotation.")}
        ) from None
    return term


@transaction.atomic
def confirm_proposal(proposal: Proposal, *, by) -> ChairTerm:
    """Staff confirm a proposed chair: it becomes a planned term (the actual term is recorded when it happens)."""
    require(can_keep_record(by), _("Only the support team confirms the chair rotation."))
    if proposal.agency.declines_to_chair:
        raise ValidationError({"agency": _("%(agency)s has declined to chair.") % {"agency": proposal.agency}})
    return _save_planned_term(
        proposal.agency,
        proposal,
        f"Proposed by the alphabetical rotation; confirmed by {by} on {timezone.localdate():%Y-%m-%d}.",
    )


@transaction.atomic
def override_proposal(proposal: Proposal, *, agency: Agency, by, reason: str = "") -> ChairTerm:
    """Staff plan another agency than the rotation proposed for the period (the 2013 plan itself did so)."""
    require(can_keep_record(by), _("Only the support team overrides the chair rotation."))
    note = f"The rotation proposed {proposal.agency}; {by} planned {agency} instead on {timezone.localdate():%Y-%m-%d}."
    if reason.strip():
        note += f" Reason: {reason.strip()}"
    return _save_planned_term(agency, proposal, note)


# -- who chairs after the record: the one answer ------------------------------------------------------------

# How far past the last actual term the rotation is followed, at most (a day centuries ahead proposes no one).
SUCCESSION_MAX_YEARS = 100


@dataclass(frozen=True)
class Succession:
    """Who chairs, period by period, as seen on a day: the one answer the troika, the rotation page and the
    chair's obligations read.

    `governing`: the actual terms and the planned terms no actual term overtook (they carry the obligations,
    `chair_obligations`). `periods`: those terms, and after the last actual term, in each period no term governs,
    the rotation's proposal; a proposal whose period ended before the day is lapsed, never pending.
    """

    day: date
    governing: list[ChairTerm]
    periods: list[ChairTerm | Proposal]

    @property
    def pending(self) -> list[Proposal]:
        return [p for p in self.periods if isinstance(p, Proposal) and not p.lapsed]

    @property
    def lapsed(self) -> list[Proposal]:
        return [p for p in self.periods if isinstance(p, Proposal) and p.lapsed]

    def first_after(self, day: date) -> ChairTerm | Proposal | None:
        """The chair of the first period that starts after a day: a term of the record, or a pending proposal."""
        return next((p for p in self.periods if p.starts_on > day and not getattr(p, "lapsed", False)), None)


def chair_succession(day: date, *, pending: int = 3) -> Succession:
    """The chairs after the last actual term as seen on `day`, with `pending` proposals still to be confirmed.

    The rotation continues after the last actual chair (decision 1 of 3 July 2013), keeping the planned terms
    that still govern their period: on the GMG record the World Bank chaired 2015, its planned 2016 term was
    overtaken, WHO is planned for 2017, so 2016 is the rotation's to fill (OHCHR) and the chair after the World
    Bank is that proposal, not WHO. Proposals for periods over by `day` are lapsed.
    """
    terms = all_terms()
    governing = governing_terms(terms)
    last = next((t for t in reversed(governing) if t.kind == ChairTerm.Kind.ACTUAL), None)
    recorded = [t for t in governing if last is None or t.starts_on <= last.starts_on]
    later = [t for t in governing if last is not None and t.starts_on > last.starts_on]
    if last is None:
        proposals = propose_rotation(count=pending, starting=day, terms=terms)
    else:
        years_past = min(max(day.year - last.ends_on.year, 0), SUCCESSION_MAX_YEARS)
        proposals = propose_rotation(after=last, count=pending + years_past + 1, terms=terms)
    proposals = [replace(p, lapsed=True) if p.ends_on < day else p for p in proposals]
    kept = [p for p in proposals if p.lapsed][:SUCCESSION_MAX_YEARS] + [p for p in proposals if not p.lapsed][:pending]
    periods = sorted([*recorded, *later, *kept], key=lambda p: p.starts_on)
    return Succession(day=day, governing=governing, periods=periods)


# -- the troika ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Troika:
    """Previous, current and next chair on a day (decision 1: the troika ensures a smooth transition)."""

    day: date
    previous: ChairTerm | None
    current: ChairTerm | None
    next: ChairTerm | Proposal | None
    next_is_proposed: bool

    @property
    def next_agency(self) -> Agency | None:
        return self.next.agency if self.next is not None else None


def troika_on(day: date) -> Troika:
    """The troika on a day, from the chair terms; semester terms (until 2013) and annual ones alike.

    previous: the last actual term that ended before the current one started (before the day, in a gap).
    current: the actual term covering the day, or None when no one chairs (a gap in the record).
    next: the chair of the first period after the current term (after the day, in a gap), from
    `chair_succession`: a term of the record, or where the rotation fills a period, its proposal, marked.
    """
    succession = chair_succession(day, pending=2)
    actual = [t for t in succession.governing if t.kind == ChairTerm.Kind.ACTUAL]
    current = next((t for t in actual if t.covers(day)), None)
    boundary = current.starts_on if current else day
    previous = max((t for t in actual if t.ends_on < boundary), key=lambda t: t.ends_on, default=None)
    following = succession.first_after(current.ends_on if current else day)
    return Troika(day, previous, current, following, next_is_proposed=isinstance(following, Proposal))


# -- a term's obligations -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChairDuty:
    """One of a chair term's obligations: what, when it is due, and when the record shows it done."""

    kind: str
    title: str
    due: date
    done_on: date | None


def letter_of_commitment_due(term: ChairTerm) -> date:
    """Decision 1: the incoming chair's principal commits "well in advance" (GMG_LETTER_OF_COMMITMENT_LEAD_DAYS)."""
    return term.starts_on - timedelta(days=settings.GMG_LETTER_OF_COMMITMENT_LEAD_DAYS)


def annual_workplan_due(term: ChairTerm) -> date:
    """Annex I: the chair presents its annual work plan for endorsement at the beginning of the chairing period."""
    return term.starts_on


def annual_report_due(term: ChairTerm) -> date:
    """Annex I, working level ix: the annual report, no later than two months after the chairmanship ends.

    Month ends stay month ends: a term ending 31 December 2014 reports by 28 February 2015, one ending
    31 December 2015 by 29 February 2016, one ending 30 June by 31 August (not 30 August).
    """
    months = relativedelta(months=settings.GMG_ANNUAL_REPORT_DUE_MONTHS)
    due = term.ends_on + months
    if (term.ends_on + timedelta(days=1)).day == 1:
        due = due + relativedelta(day=31)
    return due


def principals_meeting_held(term: ChairTerm, principals_meetings: Iterable) -> date | None:
    """The first Principals meeting held within the term (Annex I iii: at least one a year), of the Principals
    meetings the record marks as held (`meetings.selectors.held_principals_meetings`): a planned one in the past
    may not have taken place, and staff mark it held once it has."""
    days = [m.starts_on for m in principals_meetings if m.starts_on is not None and term.covers(m.starts_on)]
    return min(days, default=None)


def chair_obligations(
    term: ChairTerm,
    *,
    principals_meetings: Iterable,
    terms: Sequence[ChairTerm] | None = None,
) -> list[ChairDuty]:
    """A term's obligations with their due dates, and the day the record shows each done.

    Actual terms carry all four. A planned term that still governs its period (no actual term yet: a future
    term, or one the record has not caught up with) carries what precedes the term, the letter of commitment
    and the annual work plan; the Principals meeting and the report belong to whoever actually chairs.
    Overtaken planned terms carry none. An actual term takes the letter and work plan dates staff recorded on
    the same agency's planned term for the same start, when its own are empty.
    `principals_meetings`: the Principals meetings the record marks as held
    (`meetings.selectors.held_principals_meetings`); `terms` may be passed in already loaded (the register does,
    to stay at a fixed number of queries).
    """
    terms = all_terms() if terms is None else terms
    if is_overtaken(term, terms):
        return []
    # The duties' titles are stored in the deadline register's rows (register.stored): they stay in English.
    name = f"{term.agency}"
    period = f"the {term.period_label} term"
    letter_on, workplan_on = term.letter_of_commitment_received_on, term.workplan_endorsed_on
    if term.kind == ChairTerm.Kind.ACTUAL:
        plan = next(
            (
                t
                for t in terms
                if t.kind == ChairTerm.Kind.PLANNED and t.agency_id == term.agency_id and t.starts_on == term.starts_on
            ),
            None,
        )
        if plan is not None:
            letter_on = letter_on or plan.letter_of_commitment_received_on
            workplan_on = workplan_on or plan.workplan_endorsed_on
    duties = [
        ChairDuty(
            LETTER_OF_COMMITMENT,
            f"{name}: letter of commitment for {period}",
            letter_of_commitment_due(term),
            letter_on,
        ),
        ChairDuty(
            ANNUAL_WORKPLAN,
            f"{name}: annual work plan for {period}, for endorsement",
            annual_workplan_due(term),
            workplan_on,
        ),
    ]
    if term.kind == ChairTerm.Kind.ACTUAL:
        duties += [
            ChairDuty(
                PRINCIPALS_MEETING,
                f"{name}: at least one Principals meeting in {period}",
                term.ends_on,
                principals_meeting_held(term, principals_meetings),
            ),
            ChairDuty(
                ANNUAL_REPORT,
                f"{name}: annual report on {period}",
                annual_report_due(term),
                term.annual_report_submitted_on,
            ),
        ]
    return duties


# -- the annual report ----------------------------------------------------------------------------------------


def carries_annual_report(term: ChairTerm, terms: Sequence[ChairTerm] | None = None) -> bool:
    """Whether the term owes the annual report: the one whose obligations include it (the actual term)."""
    return any(duty.kind == ANNUAL_REPORT for duty in chair_obligations(term, terms=terms, principals_meetings=()))


class ReportConflict(Exception):
    """Someone saved the report's text since the editor's copy was made: their version is kept, not overwritten."""

    def __init__(self, current: ChairReportVersion | None):
        super().__init__(_("The report's text was changed since this page was opened."))
        self.current = current


def report_text_current(term: ChairTerm) -> ChairReportVersion | None:
    return term.report_versions.select_related("saved_by").order_by("-revision").first()


def report_text_save(
    *, term: ChairTerm, introduction: str, highlights: str, revision: int, token: uuid.UUID, by
) -> tuple[ChairReportVersion, bool]:
    """A new version of the chair's introduction and highlights; (version, created).

    The chair's people and the support team write it (DOMAIN.md: the chair drafts its annual report, with the
    support team). `revision` is the version the editor started from (0 before the first): if another has been
    saved since, ReportConflict carries it and nothing is saved. A token already used returns its version.
    """
    require(
        can_edit_chair_report(by, term),
        _("Only %(agency)s's focal points and principal, with the support team, write this term's report.")
        % {"agency": term.agency},
    )
    existing = ChairReportVersion.objects.filter(token=token).first()
    if existing is not None:
        return existing, False
    current = report_text_current(term)
    if (current.revision if current else 0) != revision:
        raise ReportConflict(current)
    if current is not None and (current.introduction, current.highlights) == (introduction, highlights):
        return current, False
    try:
        with transaction.atomic():
            version = ChairReportVersion.objects.create(
                term=term,
                revision=revision + 1,
                introduction=introduction,
                highlights=highlights,
                saved_by=by,
                token=token,
            )
    except IntegrityError:
        # The same form posted twice at once, or another editor's save in the same instant.
        existing = ChairReportVersion.objects.filter(token=token).first()
        if existing is not None:
            return existing, False
        raise ReportConflict(report_text_current(term)) from None
    return version, True


def record_day_problem(term: ChairTerm, field: str, day: date) -> str | None:
    """Why `day` cannot go into the term's record as `field` (letter, plan endorsement, report), or None.

    The record keeps what has happened: no day still to come, and no report submitted before its term began.
    The record form and the report's "mark submitted" both ask here.
    """
    if day > timezone.localdate():
        return _("This is a day still to come: record it once it has happened.")
    if field == "annual_report_submitted_on" and day < term.starts_on:
        return _("The report cannot be submitted before the term starts (%(day)s).") % {
            "day": date_format(term.starts_on, "d F Y")
        }
    return None


def annual_report_mark_submitted(*, term: ChairTerm, on: date, by) -> bool:
    """Record the day the term's annual report was submitted; True if this call recorded it.

    Annex I, working level ix: the chair submits a brief annual report within two months of the term's end. The
    day goes into the term's `annual_report_submitted_on`, the one field the register reads for the
    obligation, so marking it closes the obligation and stops its reminders. A day already recorded is kept
    (a second click, or two people at once, record one day); staff correct it on the term's record form.
    """
    require(
        can_edit_chair_report(by, term),
        _("Only %(agency)s's focal points and principal, with the support team, submit this term's report.")
        % {"agency": term.agency},
    )
    if not carries_annual_report(term):
        raise ValidationError(_("This planned term owes no annual report: the agency that actually chaired does."))
    problem = record_day_problem(term, "annual_report_submitted_on", on)
    if problem:
        raise ValidationError(problem)
    changed = ChairTerm.objects.filter(pk=term.pk, annual_report_submitted_on__isnull=True).update(
        annual_report_submitted_on=on
    )
    if changed:
        _register_saved(term.pk)
    term.refresh_from_db(fields=["annual_report_submitted_on"])
    return bool(changed)
