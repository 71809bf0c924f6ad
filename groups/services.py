"""The groups' rules: minimum meetings, reviews and the annual rotation of a chair (seeds 000 Annexes IIIA-C, 004).

Each rule reads the terms of reference version in force, so a revised ToR changes the obligations from its
adoption on (the Decent Work task force: three meetings a year under the 2013 ToR, two under the ToR as at
24 March 2016, and a review every two years).

The functions take a group whose `co_chair_links` and `terms_of_reference` may be prefetched (the deadline
register does, to read every group in a fixed number of queries), as may `evaluations`; without a prefetch
they query as needed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import Absence, Agency, Group, GroupCoChair, Membership, Person, TermsOfReference
from groups.signals import pending_work_asked, person_leaves
from kit.forms_flow import EditConflict, save_if_unchanged
from kit.forms_flow import create_once as _create_once
from kit.mail import automatic_mail


def _tors(group: Group) -> list[TermsOfReference]:
    return sorted(group.terms_of_reference.all(), key=lambda tor: tor.adopted_on)


def tor_in_force(group: Group, day: date) -> TermsOfReference | None:
    """The ToR version in force on a day: the latest adopted on or before it."""
    return next((tor for tor in reversed(_tors(group)) if tor.adopted_on <= day), None)


def co_chairs_in_order(group: Group, on: date | None = None) -> list[Agency]:
    """The group's co-chairs on a day (today by default), in their rotation order."""
    day = on or timezone.localdate()
    links = [link for link in group.co_chair_links.all() if link.covers(day)]
    return [link.agency for link in sorted(links, key=lambda link: link.position)]


# -- meetings against the minimum ----------------------------------------------------------------------------


def minimum_meetings(group: Group, year: int) -> int | None:
    """The ToR's "at least N times a year" for a calendar year, or None where no minimum applies that year.

    The version in force at the year's end sets the year's minimum (the Decent Work ToR of 24 March 2016
    asks for two meetings in 2016). The minimum applies from the first full calendar year of the group (or,
    for a group the record does not date, of its first ToR): groups established on 3 July 2013 owe three
    meetings from 2014 on. A closed group owes none; a group without ToR has no stated minimum.
    """
    if group.status == Group.Status.CLOSED:
        return None
    tors = _tors(group)
    if not tors:
        return None
    start = group.established_on or tors[0].adopted_on
    if date(year, 1, 1) < start:
        return None
    tor = tor_in_force(group, date(year, 12, 31))
    return tor.min_meetings_per_year if tor else None


# -- reviews -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupReview:
    """A review of a group's work its ToR asks for; `key` names it independently of its date."""

    key: str
    due: date
    tor: TermsOfReference
    done_on: date | None = None


def review_dates(group: Group, *, until: date) -> list[GroupReview]:
    """The reviews the ToR versions ask for, up to a day, in date order.

    The first review comes `review_after_months` after establishment (Annexes IIIB and IIIC: "after a
    one-year period in 2014"); a version with `review_every_months` then asks for a review at that interval,
    counted from that first review or, for a later version, from its adoption (seed 004: "every two years"),
    until a newer version is adopted.
    """
    if group.status == Group.Status.CLOSED:
        return []
    tors = _tors(group)
    reviews: list[GroupReview] = []
    start = group.established_on or (tors[0].adopted_on if tors else None)
    first_tor = tor_in_force(group, start) if start else None
    if first_tor is not None and first_tor.review_after_months:
        due = start + relativedelta(months=first_tor.review_after_months)
        if due <= until:
            reviews.append(GroupReview(f"group_review:group:{group.pk}:first", due, first_tor))
    for index, tor in enumerate(tors):
        if not tor.review_every_months:
            continue
        replaced_on = tors[index + 1].adopted_on if index + 1 < len(tors) else None
        anchor = reviews[0].due if (reviews and first_tor is not None and tor.pk == first_tor.pk) else tor.adopted_on
        step = 1
        while True:
            due = anchor + relativedelta(months=tor.review_every_months * step)
            if due > until or (replaced_on is not None and due >= replaced_on):
                break
            reviews.append(GroupReview(f"group_review:group:{group.pk}:tor:{tor.pk}:{step}", due, tor))
            step += 1
    return _settle_with_evaluations(group, sorted(reviews, key=lambda review: review.due))


def _settle_with_evaluations(group: Group, reviews: list[GroupReview]) -> list[GroupReview]:
    """Each held evaluation settles the earliest review still open on its day (held early or late alike):
    reviews are taken in order, and an evaluation held before the next review's due date counts for this one."""
    held = sorted(evaluation.held_on for evaluation in group.evaluations.all())
    settled = []
    for index, review in enumerate(reviews):
        next_due = reviews[index + 1].due if index + 1 < len(reviews) else None
        done_on = None
        if held and (next_due is None or held[0] < next_due):
            done_on = held.pop(0)
        settled.append(GroupReview(review.key, review.due, review.tor, done_on))
    return settled


def next_review_due(group: Group, today: date) -> date | None:
    """The first review on or after today, or None if the ToR asks for no further review (an earlier review
    not held shows in the register as overdue)."""
    horizon = today + relativedelta(years=10)
    return next((review.due for review in review_dates(group, until=horizon) if review.due >= today), None)


# -- the annual rotation of a group's chair ------------------------------------------------------------------


def first_turn_year(group: Group) -> int | None:
    if not group.chair_rotates_annually or group.established_on is None:
        return None
    return group.established_on.year + settings.GMG_GROUP_CHAIR_FIRST_TURN_YEARS_AFTER_ESTABLISHMENT


def group_chair_for_year(group: Group, year: int) -> Agency | None:
    """Who chairs a group whose chair rotates annually among its co-chairs (Annex IIIA, modality 5).

    The co-chairs in force on 1 January of the year take turns in their order (GroupCoChair.position), one
    calendar year each, handing over on 1 January; a change of co-chairs dated 1 January takes effect with that
    year's turn. The record does not say when the first turn began: the first co-chair serves from the group's
    establishment through the first full calendar year (settings
    GMG_GROUP_CHAIR_FIRST_TURN_YEARS_AFTER_ESTABLISHMENT years after the year of establishment), so the WG on
    Migration, Human Rights and Gender, established on 3 July 2013, is chaired by OHCHR in 2013 and 2014,
    UN Women in 2015, UNICEF in 2016, OHCHR again in 2017. None for a group whose chair does not rotate,
    before establishment, or without co-chairs.
    """
    first = first_turn_year(group)
    co_chairs = co_chairs_in_order(group, date(year, 1, 1))
    if first is None or not co_chairs or year < group.established_on.year:
        return None
    return co_chairs[max(0, year - first) % len(co_chairs)]


@dataclass(frozen=True)
class ChairHandover:
    year: int
    outgoing: Agency
    incoming: Agency

    @property
    def due(self) -> date:
        return date(self.year, 1, 1)


def chair_handovers(group: Group, first_year: int, last_year: int) -> list[ChairHandover]:
    """The 1 January handovers of a rotating group's chair in a span of years."""
    first = first_turn_year(group)
    if first is None or group.status == Group.Status.CLOSED:
        return []
    handovers = []
    for year in range(max(first + 1, first_year), last_year + 1):
        outgoing, incoming = group_chair_for_year(group, year - 1), group_chair_for_year(group, year)
        if outgoing is not None and incoming is not None and outgoing != incoming:
            handovers.append(ChairHandover(year, outgoing, incoming))
    return handovers


# -- keeping the record: agencies and their membership periods (issue 12) ------------------------------------
#
# The support team keeps agencies in the portal. Every save by a person is a conditional update on the revision
# their form was built from, and every row created from a form carries the form's one-time token, as in the work
# plan editor (`workplans.services`): nothing is overwritten unseen and a form posted twice creates one row.


def _saved(model, pk: int):
    """The row after a conditional update, saved once more so that its audit history records the change
    (simple-history listens to save(), not to update())."""
    row = model.objects.get(pk=pk)
    row.save(update_fields=["revision"])
    return row


def agency_create(*, values: dict, joined: date | None, token: uuid.UUID | None = None) -> tuple[Agency, bool]:
    """Add a member agency with its first membership period (joined on `joined`, or before the record)."""
    with transaction.atomic():
        agency, created = _create_once(Agency, token=token, **values)
        if created:
            Membership.objects.create(agency=agency, joined=joined)
    return agency, created


def agency_update(*, agency: Agency, revision: int, values: dict) -> Agency:
    if not save_if_unchanged(Agency, pk=agency.pk, revision=revision, values=values):
        raise EditConflict(Agency.objects.get(pk=agency.pk))
    return _saved(Agency, agency.pk)


def membership_save(
    *,
    agency: Agency,
    values: dict,
    period: Membership | None = None,
    revision: int | None = None,
    token: uuid.UUID | None = None,
) -> tuple[Membership, bool]:
    """Add a membership period to an agency, or change one; the periods of an agency never overlap.

    An agency that leaves and joins again has two periods; the rotation (`chairs.services`) and every list of
    members read them through `Agency.is_member_on` and `Agency.objects.members_on`. The agency's row is locked
    while its periods are checked, so two people adding periods at once are served one after the other.
    """
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        if token is not None and (existing := Membership.objects.filter(token=token).first()) is not None:
            return existing, False
        candidate = Membership(agency=agency, **values)
        others = Membership.objects.filter(agency=agency)
        if period is not None:
            others = others.exclude(pk=period.pk)
        clash = next((other for other in others if candidate.overlaps(other)), None)
        if clash is not None:
            raise ValidationError(
                {
                    "joined": _("This period overlaps another one of %(agency)s: %(clash)s.")
                    % {"agency": agency, "clash": clash}
                }
            )
        if period is None:
            return Membership.objects.create(agency=agency, token=token, **values), True
        if not save_if_unchanged(Membership, pk=period.pk, revision=revision, values=values):
            raise EditConflict(Membership.objects.get(pk=period.pk))
        return _saved(Membership, period.pk), False


# -- people: invitations, alternates, turnover (issue 12) -----------------------------------------------------


def person_invite(*, values: dict, token: uuid.UUID | None = None) -> tuple[Person, bool]:
    """Give a person an account and e-mail them a one-time link to set their own password.

    The link is Django's password reset token (`default_token_generator`): it is bound to the account's password
    and last sign-in, so it works once - setting the password, or signing in, spends it - and expires after
    PASSWORD_RESET_TIMEOUT. The account's username is the e-mail address.
    """
    with transaction.atomic():
        values = {**values, "email": values["email"].strip().lower()}
        person, created = _create_once(
            Person, token=token, username=values["email"], password=make_password(None), **values
        )
        if created:
            transaction.on_commit(lambda: send_invitation(person))
    return person, created


def invitation_link(person: Person) -> str:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    path = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(person)])
    return f"{settings.SITE_URL}{path}"


def send_invitation(person: Person) -> None:
    words = {
        "name": person.get_full_name() or person.email,
        "role": person.get_role_display().lower(),
        "link": invitation_link(person),
        "email": person.email,
    }
    if person.agency_id:
        opened = _(
            "The GMG support team has opened an account for you on the GMG Portal for %(agency)s, as %(role)s."
        ) % {**words, "agency": person.agency.name}
    else:
        opened = _("The GMG support team has opened an account for you on the GMG Portal, as %(role)s.") % words
    automatic_mail(
        subject=_("Your account on the GMG Portal"),
        body=(
            _("Dear %(name)s,") % words
            + "\n\n"
            + opened
            + "\n\n"
            + _("Choose your password here (the link works once):\n%(link)s") % words
            + "\n\n"
            + _("Then sign in with your e-mail address, %(email)s.") % words
            + "\n"
        ),
        to=[person.email],
    ).send()


def person_update(*, person: Person, revision: int, values: dict) -> Person:
    if not save_if_unchanged(Person, pk=person.pk, revision=revision, values=values):
        raise EditConflict(Person.objects.get(pk=person.pk))
    return _saved(Person, person.pk)


def absence_add(*, person: Person, starts_on: date, ends_on: date, token: uuid.UUID | None = None) -> Absence:
    """Record that a person is away; append-only (a row per form, its token making a double post one row)."""
    absence, _created = _create_once(Absence, token=token, person=person, starts_on=starts_on, ends_on=ends_on)
    return absence


def stand_ins_on(day: date) -> dict[int, Person]:
    """Who receives whose reminders on a day: {away person's id: their alternate}, in one query.

    A person away on the day (an Absence covers it) whose alternate is an active colleague with an e-mail address
    has their reminders go to the alternate instead.
    """
    absences = (
        Absence.objects.filter(
            starts_on__lte=day,
            ends_on__gte=day,
            person__alternate__isnull=False,
            person__alternate__is_active=True,
        )
        .exclude(person__alternate__email="")
        .select_related("person__alternate")
    )
    return {absence.person_id: absence.person.alternate for absence in absences}


def reminder_recipient(person: Person, day: date, stand_ins: dict[int, Person] | None = None) -> Person:
    """The one rule of who receives a person's reminders on a day: the person, or their alternate while away."""
    stand_ins = stand_ins_on(day) if stand_ins is None else stand_ins
    return stand_ins.get(person.pk, person)


def cannot_take_over(person: Person, hand_to: Person) -> str:
    """Why `hand_to` cannot take over `person`'s work (not in `colleagues_of`)."""
    if not hand_to.is_active:
        return _("%(person)s is deactivated: choose an active colleague.") % {"person": hand_to}
    if not hand_to.password or not hand_to.has_usable_password():
        return _("%(person)s has not yet accepted their invitation and cannot sign in: choose a colleague who can.") % {
            "person": hand_to
        }
    return _("%(colleague)s is not a colleague of %(person)s: choose someone of the same agency.") % {
        "colleague": hand_to,
        "person": person,
    }


def colleagues_of(person: Person):
    """Who may take over a person's work: the people of the same agency (the support team, for staff) who can act
    on it - active, and able to sign in: an invited person who has not yet chosen a password (their account's
    password is unusable until they follow the invitation) would receive work they cannot reach."""
    others = (
        Person.objects.filter(is_active=True)
        .exclude(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        .exclude(password="")
        .exclude(pk=person.pk)
    )
    if person.agency_id:
        return others.filter(agency_id=person.agency_id)
    return others.filter(role=Person.Role.SUPPORT)


@dataclass
class PendingWork:
    """What a person leaves behind: shown to the support team before the person is deactivated. The apps above
    fill in their own part (`groups.signals.pending_work_asked`): open action points, updates not yet accepted,
    the reporting rounds the person's agency still owes."""

    action_points: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    rounds: list = field(default_factory=list)
    alternate_for: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.action_points or self.updates or self.rounds or self.alternate_for)


def pending_work(person: Person) -> PendingWork:
    work = PendingWork(alternate_for=list(Person.objects.filter(alternate=person, is_active=True)))
    for _receiver, part in pending_work_asked.send(sender=Person, person=person):
        for name, items in (part or {}).items():
            getattr(work, name).extend(items)
    return work


def person_deactivate(*, person: Person, revision: int, hand_to: Person | None) -> PendingWork:
    """Deactivate a person who leaves and hand their pending work to a colleague in one step.

    Their open action points, their updates not yet accepted (submitted or returned for changes) and the people
    whose alternate they were pass to `hand_to`, who must be an active colleague (`colleagues_of`); their unsent
    reminders are dropped, so the next sweep reminds who is responsible now. The agency's open reporting rounds
    stay the agency's: the colleague, as its focal point, is reminded of them. Nothing is handed when there is
    nothing pending; with pending work a colleague is required. Each app hands over its own part
    (`groups.signals.person_leaves`), in the same transaction.
    """
    with transaction.atomic():
        work = pending_work(person)
        if hand_to is not None and not colleagues_of(person).filter(pk=hand_to.pk).exists():
            raise ValidationError({"hand_to": cannot_take_over(person, hand_to)})
        if hand_to is None and not work.is_empty:
            raise ValidationError({"hand_to": _("Choose the colleague who takes over the pending work.")})
        if not save_if_unchanged(Person, pk=person.pk, revision=revision, values={"is_active": False}):
            raise EditConflict(Person.objects.get(pk=person.pk))
        _saved(Person, person.pk)
        if hand_to is not None:
            # Row by row, so that each handed item's history names the change (simple-history listens to save()).
            for deputy_of in Person.objects.filter(alternate=person):
                deputy_of.alternate = hand_to
                deputy_of.save(update_fields=["alternate"])
        person_leaves.send(sender=Person, person=person, hand_to=hand_to, work=work)
    return work


# -- keeping the record: a group's terms of reference (issue 12) ----------------------------------------------


def tor_add(*, group: Group, values: dict, token: uuid.UUID | None = None) -> tuple[TermsOfReference, bool]:
    """Add a ToR version to a group; from its in-force day the group's rules (minimum meetings, reviews) read it
    (`tor_in_force`). A form posted twice adds one version."""
    return _create_once(TermsOfReference, token=token, group=group, **values)


TOR_COMPARED_FIELDS = [
    "version",
    "adopted_on",
    "min_meetings_per_year",
    "review_after_months",
    "review_every_months",
    "minutes_shared_after_each_meeting",
]
TOR_COMPARED_TEXTS = ["objectives", "working_modalities", "text"]
# The compared fields' names as the page shows them (the model's own verbose names, in the reader's language).
TOR_LABELS = {
    "version": gettext_lazy("version"),
    "adopted_on": gettext_lazy("adopted on"),
    "review_after_months": gettext_lazy("review after months"),
    "review_every_months": gettext_lazy("review every months"),
    "minutes_shared_after_each_meeting": gettext_lazy("minutes shared after each meeting"),
    "objectives": gettext_lazy("objectives"),
    "working_modalities": gettext_lazy("working modalities"),
    "text": gettext_lazy("text"),
}


def tor_compare(older: TermsOfReference, newer: TermsOfReference) -> dict:
    """Two ToR versions side by side: each field with both values (and whether it changed), and each text as
    aligned rows of a line diff (tag, the older line, the newer line)."""
    import difflib

    fields = []
    for name in TOR_COMPARED_FIELDS:
        field = TermsOfReference._meta.get_field(name)
        old, new = getattr(older, name), getattr(newer, name)
        fields.append(
            {"label": TOR_LABELS.get(name, field.verbose_name), "old": old, "new": new, "changed": old != new}
        )
    texts = []
    for name in TOR_COMPARED_TEXTS:
        old_lines, new_lines = getattr(older, name).splitlines(), getattr(newer, name).splitlines()
        if not old_lines and not new_lines:
            continue
        rows = []
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for tag, a1, a2, b1, b2 in matcher.get_opcodes():
            olds, news = old_lines[a1:a2], new_lines[b1:b2]
            for index in range(max(len(olds), len(news))):
                rows.append(
                    {
                        "tag": tag,
                        "old": olds[index] if index < len(olds) else None,
                        "new": news[index] if index < len(news) else None,
                    }
                )
        label = TOR_LABELS.get(name, TermsOfReference._meta.get_field(name).verbose_name)
        texts.append({"label": label, "rows": rows, "changed": old_lines != new_lines})
    return {"fields": fields, "texts": texts}


# -- keeping the record: a group's co-chairs, agencies and status (issue 12) -----------------------------------


def _touch_group(group: Group, revision: int, values: dict | None = None) -> None:
    if not save_if_unchanged(Group, pk=group.pk, revision=revision, values=values or {}):
        raise EditConflict(Group.objects.get(pk=group.pk))


def co_chairs_change(*, group: Group, revision: int, starts_on: date, agencies: list[Agency]) -> Group:
    """From a day on, the group is co-chaired by these agencies, in this rotation order.

    The co-chairs in force the day before end then; a change already recorded from that day or later is
    replaced. The chair's annual rotation reads the co-chairs in force on each 1 January (`group_chair_for_year`).
    """
    with transaction.atomic():
        _touch_group(group, revision)
        links = GroupCoChair.objects.select_for_update().filter(group=group)
        links.filter(starts_on__gte=starts_on).delete()
        for link in links.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)):
            link.ends_on = starts_on - relativedelta(days=1)
            link.save()
        for position, agency in enumerate(agencies, start=1):
            GroupCoChair.objects.create(group=group, agency=agency, position=position, starts_on=starts_on)
        return _saved(Group, group.pk)


def group_update(*, group: Group, revision: int, status: str, participating: list[Agency], note: str) -> Group:
    """The group's status and participating agencies (added or removed), as one change."""
    with transaction.atomic():
        _touch_group(group, revision, {"status": status, "note": note})
        saved = _saved(Group, group.pk)
        saved.participating.set(participating)
        return saved
