"""The groups' rules: minimum meetings, reviews and the annual rotation of a chair (seeds 000 Annexes IIIA-C, 004).

Each rule reads the terms of reference version in force, so a revised ToR changes the obligations from its
adoption on (the Decent Work task force: three meetings a year under the 2013 ToR, two under the ToR as at
24 March 2016, and a review every two years).

The functions take a group whose `co_chair_links` and `terms_of_reference` may be prefetched (the deadline
register does, to read every group in a fixed number of queries), as may `evaluations`; without a prefetch
they query as needed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count
from django.db.models.functions import ExtractYear

from groups.models import Agency, Group, TermsOfReference
from meetings.models import Meeting


def _tors(group: Group) -> list[TermsOfReference]:
    return sorted(group.terms_of_reference.all(), key=lambda tor: tor.adopted_on)


def tor_in_force(group: Group, day: date) -> TermsOfReference | None:
    """The ToR version in force on a day: the latest adopted on or before it."""
    return next((tor for tor in reversed(_tors(group)) if tor.adopted_on <= day), None)


def co_chairs_in_order(group: Group) -> list[Agency]:
    return [link.agency for link in sorted(group.co_chair_links.all(), key=lambda link: link.position)]


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


def meetings_held(group: Group, year: int) -> int:
    """The group's meetings the record marks as held in a calendar year."""
    return group.meetings.filter(status=Meeting.Status.HELD, starts_on__year=year).count()


def held_meeting_counts(first_year: int, last_year: int) -> Counter:
    """Held group meetings per (group id, year), in one query."""
    rows = (
        Meeting.objects.filter(
            group__isnull=False,
            status=Meeting.Status.HELD,
            starts_on__year__gte=first_year,
            starts_on__year__lte=last_year,
        )
        .annotate(year=ExtractYear("starts_on"))
        .values("group_id", "year")
        .annotate(held=Count("id"))
    )
    return Counter({(row["group_id"], row["year"]): row["held"] for row in rows})


def meetings_short_of_minimum(year: int) -> list[tuple[Group, int, int]]:
    """Groups that held fewer meetings in the year than their ToR asks: (group, held, minimum), by group."""
    counts = held_meeting_counts(year, year)
    short = []
    for group in Group.objects.prefetch_related("terms_of_reference").order_by("kind", "name"):
        minimum = minimum_meetings(group, year)
        if minimum is not None and counts[(group.pk, year)] < minimum:
            short.append((group, counts[(group.pk, year)], minimum))
    return short


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

    The co-chairs take turns in their order (GroupCoChair.position), one calendar year each, handing over on
    1 January. The record does not say when the first turn began: the first co-chair serves from the group's
    establishment through the first full calendar year (settings
    GMG_GROUP_CHAIR_FIRST_TURN_YEARS_AFTER_ESTABLISHMENT years after the year of establishment), so the WG on
    Migration, Human Rights and Gender, established on 3 July 2013, is chaired by OHCHR in 2013 and 2014,
    UN Women in 2015, UNICEF in 2016, OHCHR again in 2017. None for a group whose chair does not rotate,
    before establishment, or without co-chairs.
    """
    first = first_turn_year(group)
    co_chairs = co_chairs_in_order(group)
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
