"""The register as the portal reads it: every obligation due in a window, with its state on a day. The dashboards,
reminders, calendar feeds, reports, the API and the `deadlines` command all read `obligations()`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone

from groups.models import Agency
from register import stored
from register.deadlines import Obligation, computed_obligations, wanted_kinds


def obligations(
    *,
    first: date,
    last: date,
    today: date | None = None,
    agency: Agency | None = None,
    kinds: Iterable[str] | None = None,
    include_overdue: bool = False,
) -> list[Obligation]:
    """Every obligation due in [first, last], sorted by due date then title.

    `today` (default: today in the GMG's time zone) sets the states. `agency` keeps the obligations it is
    responsible for (any of an activity's lead agencies, any of a group's co-chairs). `kinds` keeps those
    kinds. With `include_overdue`, obligations due before `first` that are still open and overdue on `today`
    come too (a reminder run or a dashboard wants what is late, however old).

    It reads the stored register (`register.stored`, kept current from these rules), in a fixed number of
    queries whatever the record's size; beyond the stored horizon it computes from the record.
    """
    today = timezone.localdate() if today is None else today
    wanted = wanted_kinds(kinds)
    if last < first:
        return []
    found = stored.read(
        stored.window(
            first=first, last=last, today=today, include_overdue=include_overdue, kinds=wanted, agency=agency
        ),
        today=today,
    )
    if last > stored.HORIZON:
        beyond = computed_obligations(
            first=max(first, stored.HORIZON + timedelta(days=1)), last=last, today=today, agency=agency, kinds=wanted
        )
        found += beyond
    return sorted(found, key=lambda o: (o.due, o.title, o.key))
