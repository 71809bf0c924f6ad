"""The reminder sweep: which reminders fall due now, to whom, and the sent-log rows that make them go once.

DOMAIN.md, Deadline and reminder: reminders go to the people responsible, ahead of time and when overdue,
exactly once each. The sweep reads the deadline register (`register.reading.obligations`, the one place due
dates are computed) and decides, per open obligation, the occasion that has come:

- "before:N" - N days ahead of the due date, for each N of the staff's offsets (14, 7, 1 by default). A sweep
  that did not run on the day (a server down) sends the nearest offset reached, once; never the earlier ones.
- "day_of" - a meeting, on its first day.
- "overdue:N" - the Nth week (ReminderSettings.overdue_every_days) an obligation is overdue, until
  overdue_for_weeks; a meeting past and not marked held reminds the support team only.

Every occasion is keyed with the due date: a meeting moved to another day has new occasions, and those of the
old day never fire (the sweep drops unsent rows whose obligation is done, gone or moved).

Who receives it (active people with an e-mail address): the responsible agency's focal points; for the chair's
obligations the chairing agency's focal points and principal; for a group's, its co-chairs' focal points; for a
meeting, the attending agencies' focal points (the responsible agencies' when no attendee is recorded); the
support team for decision reviews, in copy on every overdue item, and in place of an agency nobody in the
portal speaks for.

Exactly once is the database's job: a row per (obligation, occasion, due date, recipient) under a unique
constraint, inserted with ON CONFLICT DO NOTHING; a PostgreSQL advisory lock keeps two sweeps (two beats by
mistake) from working at the same time, and the constraint holds even without it. Deliveries claim their row
before sending (`reminders.delivery`).

At scale the sweep works through the register GMG_REMINDER_BATCH_SIZE obligations at a time (rows written and
dropped per batch, not held for the whole register), and what it hands to the workers is ordered by person, so
one person's reminders of a sweep go in one mail (`reminders.tasks.enqueue` never splits a person).

Rows that should go and have not are the outbox (`outbox`): a save that changes a meeting writes its notices
and returns, and the relay (and every sweep) hands them to the workers once the broker answers.
`delivery_health` says how delivery stands: failed rows, stuck rows, the oldest unsent.
"""

from __future__ import annotations

import logging
import uuid
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import batched

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from groups import services as groups
from groups.models import Person
from kit.languages import in_language_of, weekday_and_day
from meetings.models import Meeting
from register import deadlines, reading, stored
from register.deadlines import Obligation, State
from register.models import RegisterEntry
from reminders.models import Digest, Notice, Reminder, ReminderSettings, stale_before

logger = logging.getLogger(__name__)

# The advisory lock the sweep holds for its transaction ("GMG reminder sweep" as a 63-bit number).
SWEEP_LOCK_ID = 0x474D47_5357_4550

DAY_OF = "day_of"
CHANGE_OCCASIONS = ("update:", "cancel:")
# A progress update filed, returned or accepted (workplans.services): news like a meeting change, never dropped.
REVIEW_OCCASIONS = ("filed:", "returned:", "accepted:")
NEWS_OCCASIONS = CHANGE_OCCASIONS + REVIEW_OCCASIONS


def news_rows() -> Q:
    """Rows of news (meeting changes, the review loop): sent at once, and no sweep drops them."""
    found = Q()
    for prefix in NEWS_OCCASIONS:
        found |= Q(occasion__startswith=prefix)
    return found


@dataclass(frozen=True)
class DueReminder:
    """One reminder the sweep wants sent: an obligation's occasion, to one person."""

    obligation: Obligation
    occasion: str
    recipient: Person
    in_copy: bool = False

    @property
    def identity(self) -> tuple[str, str, date, int]:
        return (self.obligation.key, self.occasion, self.obligation.due, self.recipient.pk)


class ReminderRows:
    """The reminders a sweep made, held as their ids and read from the database a batch at a time when
    iterated: a big sweep does not keep tens of thousands of rows in memory. Compares equal to a list of the
    same reminders."""

    def __init__(self, ids=()):
        self.ids = array("q", ids)

    def extend(self, ids) -> None:
        self.ids.extend(ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __bool__(self) -> bool:
        return bool(self.ids)

    def count(self, *conditions: Q) -> int:
        """How many of the rows meet the conditions, counted by the database a batch at a time."""
        return sum(
            Reminder.objects.filter(*conditions, pk__in=list(chunk)).count()
            for chunk in batched(self.ids, settings.GMG_REMINDER_BATCH_SIZE)
        )

    def __iter__(self):
        for chunk in batched(self.ids, settings.GMG_REMINDER_BATCH_SIZE):
            rows = Reminder.objects.in_bulk(list(chunk))
            yield from (rows[pk] for pk in chunk if pk in rows)

    def __eq__(self, other) -> bool:
        if isinstance(other, ReminderRows):
            return list(self.ids) == list(other.ids)
        return list(self) == list(other)

    def __repr__(self) -> str:
        return f"ReminderRows({list(self.ids)[:10]}{'...' if len(self.ids) > 10 else ''})"


@dataclass
class SweepResult:
    now: datetime
    locked_out: bool = False
    due: list[DueReminder] = field(default_factory=list)  # a dry run's (a sweep that writes keeps only `created`)
    created: ReminderRows = field(default_factory=ReminderRows)
    dropped: int = 0
    to_deliver: list[int] = field(default_factory=list)
    digests: list[int] = field(default_factory=list)


# -- the occasion ---------------------------------------------------------------------------------------------


def occasion_for(obligation: Obligation, today: date, rules: ReminderSettings) -> str | None:
    """The occasion that has come for an open obligation on `today`, or None."""
    if obligation.state == State.DONE:
        return None
    days_left = (obligation.due - today).days
    if days_left == 0 and obligation.kind == deadlines.MEETING and rules.on_meeting_day:
        return DAY_OF
    if days_left >= 0:
        reached = [offset for offset in rules.offsets() if offset >= days_left]
        return f"before:{min(reached)}" if reached else None
    if rules.overdue_every_days == 0:
        return None
    days_late = -days_left
    if rules.overdue_for_weeks and days_late > rules.overdue_for_weeks * 7:
        return None
    return f"overdue:{(days_late - 1) // rules.overdue_every_days + 1}"


def describe(obligation: Obligation, occasion: str, today: date) -> str:
    """The sentence a reminder opens with: when the obligation is due, as seen on `today`."""
    day = weekday_and_day(obligation.due)
    days_left = (obligation.due - today).days
    if occasion == DAY_OF or days_left == 0:
        return _("Today, %(day)s.") % {"day": day}
    if days_left == 1:
        return _("Due tomorrow, %(day)s.") % {"day": day}
    if days_left > 1:
        return _("Due in %(count)s days, on %(day)s.") % {"count": days_left, "day": day}
    late = -days_left
    weeks = late // 7
    if obligation.kind == deadlines.MEETING:
        if weeks:
            return ngettext(
                "This meeting was on %(day)s and is not yet marked as held (%(weeks)s week): record it and share "
                "the minutes.",
                "This meeting was on %(day)s and is not yet marked as held (%(weeks)s weeks): record it and share "
                "the minutes.",
                weeks,
            ) % {"day": day, "weeks": weeks}
        return _("This meeting was on %(day)s and is not yet marked as held: record it and share the minutes.") % {
            "day": day
        }
    if weeks:
        return ngettext(
            "Overdue since %(day)s, %(count)s days ago (%(weeks)s week).",
            "Overdue since %(day)s, %(count)s days ago (%(weeks)s weeks).",
            weeks,
        ) % {"day": day, "count": late, "weeks": weeks}
    return ngettext("Overdue since %(day)s, %(count)s day ago.", "Overdue since %(day)s, %(count)s days ago.", late) % {
        "day": day,
        "count": late,
    }


# -- the people -----------------------------------------------------------------------------------------------


class People:
    """The active people with an e-mail address, by agency and role, read once per sweep; with a day, also who
    stands in for whom that day (a person away has their reminders go to their alternate)."""

    def __init__(self, on: date | None = None) -> None:
        self.day = on
        self.stand_ins = groups.stand_ins_on(on) if on else {}
        self.focal_points: dict[int, list[Person]] = defaultdict(list)
        self.principals: dict[int, list[Person]] = defaultdict(list)
        self.support: list[Person] = []
        reachable = Person.objects.filter(is_active=True).exclude(email="").order_by("pk")
        for person in reachable:
            if person.role == Person.Role.SUPPORT:
                self.support.append(person)
            elif person.agency_id and person.role == Person.Role.FOCAL_POINT:
                self.focal_points[person.agency_id].append(person)
            elif person.agency_id and person.role == Person.Role.PRINCIPAL:
                self.principals[person.agency_id].append(person)

    def receiving(self, person: Person) -> Person:
        """Who receives `person`'s reminders on the sweep's day (groups.services.reminder_recipient)."""
        return groups.reminder_recipient(person, self.day, self.stand_ins) if self.day else person

    def of_agencies(self, agency_ids, *, principals: bool = False) -> list[Person]:
        found = []
        for agency_id in agency_ids:
            found += self.focal_points[agency_id]
            if principals:
                found += self.principals[agency_id]
        return found


def responsible_agency_ids(obligation: Obligation) -> list[int]:
    agencies = obligation.agencies or ((obligation.agency,) if obligation.agency else ())
    return list(dict.fromkeys(agency.pk for agency in agencies))


def recipients_for(
    obligation: Obligation, occasion: str, people: People, attendees: dict[int, list[int]]
) -> list[tuple[Person, bool]]:
    """(person, in copy) pairs for one occasion of an obligation; each person once."""
    overdue = occasion.startswith("overdue:")
    audience = obligation.audience
    if obligation.kind == deadlines.MEETING and overdue:
        direct = list(people.support)  # a past meeting not marked held is the record's business
    elif audience == "support":
        direct = list(people.support)
    elif audience == "chair":
        term_agency = obligation.chair_term.agency_id if obligation.chair_term else None
        direct = people.of_agencies(
            [term_agency] if term_agency else responsible_agency_ids(obligation), principals=True
        )
    elif audience == "attendees":
        agency_ids = attendees.get(obligation.subject.pk)
        if agency_ids:
            direct = people.of_agencies(agency_ids)
        else:  # no attendance recorded: the group's co-chairs, or for a GMG meeting the chair who convenes it
            direct = people.of_agencies(responsible_agency_ids(obligation), principals=obligation.group is None)
    else:  # "agency", "group_co_chairs"
        direct = people.of_agencies(responsible_agency_ids(obligation))
    if not direct:
        direct = list(people.support)  # nobody in the portal speaks for the agency: the support team follows up
    chosen: dict[int, tuple[Person, bool]] = {}
    for person in map(people.receiving, direct):
        chosen.setdefault(person.pk, (person, False))
    if overdue:
        for person in people.support:
            chosen.setdefault(person.pk, (person, True))
    return list(chosen.values())


# -- what is due ----------------------------------------------------------------------------------------------


def open_obligations(today: date, rules: ReminderSettings) -> list[Obligation]:
    """The register's open obligations a reminder may concern: overdue ones, and those due within the offsets."""
    horizon = max(rules.offsets(), default=0)
    found = reading.obligations(first=today, last=today + timedelta(days=horizon), today=today, include_overdue=True)
    return [o for o in found if o.state != State.DONE]


def _open_rows(today: date, rules: ReminderSettings):
    """`open_obligations` as a filter on the stored register (register.stored), for reading it in batches."""
    horizon = max(rules.offsets(), default=0)
    window = stored.window(
        first=today,
        last=today + timedelta(days=horizon),
        today=today,
        include_overdue=True,
        kinds=deadlines.KINDS,
    )
    return window & stored.in_state("open", today)


def open_obligation_batches(today: date, rules: ReminderSettings, size: int):
    """`open_obligations` read from the stored register `size` at a time (by id): what the sweep holds at once
    does not grow with the register."""
    return stored.batches(_open_rows(today, rules), today=today, size=size)


def due_reminders(
    today: date,
    *,
    rules: ReminderSettings | None = None,
    found: list[Obligation] | None = None,
    people: People | None = None,
):
    """Every reminder whose occasion has come on `today`, before the sent-log is consulted."""
    rules = rules or ReminderSettings.current()
    found = open_obligations(today, rules) if found is None else found
    people = people or People(on=today)
    meeting_ids = [o.subject.pk for o in found if o.kind == deadlines.MEETING]
    attendees: dict[int, list[int]] = defaultdict(list)
    for meeting_id, agency_id in Meeting.attendees.through.objects.filter(meeting_id__in=meeting_ids).values_list(
        "meeting_id", "agency_id"
    ):
        attendees[meeting_id].append(agency_id)
    due = []
    for obligation in found:
        occasion = occasion_for(obligation, today, rules)
        if occasion is None:
            continue
        for person, in_copy in recipients_for(obligation, occasion, people, attendees):
            due.append(DueReminder(obligation, occasion, person, in_copy))
    return due


def _delivery_for(person: Person) -> str:
    if person.reminder_delivery in {Reminder.Delivery.DAILY, Reminder.Delivery.WEEKLY}:
        return person.reminder_delivery
    return Reminder.Delivery.IMMEDIATE


def _row_values(item: DueReminder, today: date, bodies: dict[tuple, str]) -> dict:
    """The values of one reminder row, written in its recipient's language (their own page's choice). Its
    opening sentence is the same for everyone an obligation concerns on one occasion in one language, so it is
    written once per obligation, occasion and language (`bodies`), not once per person."""
    with in_language_of(item.recipient):
        return _row_values_in_language(item, today, bodies)


def _row_values_in_language(item: DueReminder, today: date, bodies: dict[tuple, str]) -> dict:
    obligation = item.obligation
    meeting = obligation.subject if obligation.kind == deadlines.MEETING else None
    said = (obligation.key, obligation.due, item.occasion, get_language())
    if said not in bodies:
        bodies[said] = _("%(kind)s. %(when)s") % {
            "kind": obligation.kind_label,
            "when": describe(obligation, item.occasion, today),
        }
    copy_note = "\n\n" + _("You receive this in copy, for the support team's follow-up.") if item.in_copy else ""
    return {
        "obligation_key": obligation.key,
        "kind": obligation.kind,
        "occasion": item.occasion,
        "due": obligation.due,
        "recipient_id": item.recipient.pk,
        "in_copy": item.in_copy,
        "title": obligation.title[:400],
        "body": bodies[said] + copy_note,
        "url": obligation.url,
        "meeting_id": meeting.pk if meeting else None,
        "sequence": meeting.sequence if meeting else 0,
        "delivery": _delivery_for(item.recipient),
    }


# -- the sweep ------------------------------------------------------------------------------------------------


def _take_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # the embedded SQLite database has one writer at a time anyway
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SWEEP_LOCK_ID])
        return bool(cursor.fetchone()[0])


def sweep(*, now: datetime | None = None, dry_run: bool = False, lock: bool = True) -> SweepResult:
    """Insert the reminders that fell due, drop those overtaken, and list what is to be delivered.

    The caller delivers `to_deliver` and `digests` (the Celery task enqueues them on commit; the command and
    the in-process sweep send them at once). A dry run writes nothing and lists only what is not yet logged.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    rules = ReminderSettings.current()
    result = SweepResult(now=now)
    with transaction.atomic():
        if lock and not dry_run and not _take_lock():
            logger.info("Another reminder sweep is running; this one stops.")
            result.locked_out = True
            return result
        people = People(on=today)
        batch = uuid.uuid4()
        for chunk in open_obligation_batches(today, rules, settings.GMG_REMINDER_BATCH_SIZE):
            _sweep_chunk(chunk, today, rules, people, batch, result, dry_run=dry_run)
        if dry_run:
            return result
        result.dropped = _drop_overtaken(today, rules, now)
        result.to_deliver = _claimable_deliveries(now)
        result.digests = _digests_due(now, today, rules)
    logger.info(
        "Reminder sweep at %s: %d new, %d dropped, %d to deliver, %d digests.",
        now.isoformat(),
        len(result.created),
        result.dropped,
        len(result.to_deliver),
        len(result.digests),
    )
    return result


def _sweep_chunk(chunk, today, rules, people, batch, result: SweepResult, *, dry_run: bool) -> None:
    """One batch of the register: what fell due, less what is logged already, written with its notices.

    One obligation can concern dozens of people, so the rows are written GMG_REMINDER_BATCH_SIZE at a time:
    what the sweep holds at once is bounded by that, not by how many people a batch of obligations reaches."""
    due = due_reminders(today, rules=rules, found=chunk, people=people)
    if not due:
        return
    logged = set(
        Reminder.objects.filter(obligation_key__in={d.obligation.key for d in due}).values_list(
            "obligation_key", "occasion", "due", "recipient_id"
        )
    )
    new = [d for d in due if d.identity not in logged]
    del due, logged
    if dry_run:
        result.due += new
        return
    for part in batched(new, settings.GMG_REMINDER_BATCH_SIZE):
        _write_reminders(part, today, batch, result)


def _write_reminders(part, today: date, batch: uuid.UUID, result: SweepResult) -> None:
    """Insert one batch of due reminders (a row logged meanwhile by another sweep is skipped) and their notices."""
    bodies: dict[tuple, str] = {}
    rows = [_row_values(d, today, bodies) for d in part]
    if connection.vendor == "postgresql":
        result.created.extend(_insert_with_notices(rows, batch))
        return
    # The embedded SQLite database of `make run`: the same rows through the ORM.
    Reminder.objects.bulk_create([Reminder(**row, batch=batch) for row in rows], ignore_conflicts=True)
    # Found again by the unique key's index: the rows of this batch that this sweep inserted.
    created = list(
        Reminder.objects.filter(
            obligation_key__in={row["obligation_key"] for row in rows}, batch=batch, notice__isnull=True
        )
        .order_by("pk")
        .values_list("pk", "recipient_id", "title", "body", "url")
    )
    Notice.objects.bulk_create(
        [
            Notice(recipient_id=recipient_id, title=title, body=body, url=url, reminder_id=pk)
            for pk, recipient_id, title, body, url in created
        ],
        ignore_conflicts=True,
    )
    result.created.extend(pk for pk, *_ in created)


# The columns a sweep writes for each reminder, with their PostgreSQL array types (`_insert_with_notices`).
_REMINDER_ARRAYS = {
    "obligation_key": "varchar",
    "kind": "varchar",
    "occasion": "varchar",
    "due": "date",
    "recipient_id": "bigint",
    "in_copy": "boolean",
    "title": "varchar",
    "body": "text",
    "url": "varchar",
    "meeting_id": "bigint",
    "sequence": "integer",
    "delivery": "varchar",
}


def _insert_with_notices(rows: list[dict], batch: uuid.UUID) -> list[int]:
    """Insert the rows and a notice for each row inserted, in one statement; return the new reminders' ids.

    A row whose occasion another sweep logged meanwhile is skipped by the unique key (ON CONFLICT DO NOTHING), and
    only the rows inserted here get a notice (RETURNING). The values go as one array per column: the ORM's
    bulk_create spent most of the 100x sweep's writing time preparing each value of each row in Python."""
    reminder, notice = Reminder._meta, Notice._meta
    columns = ", ".join(reminder.get_field(name.removesuffix("_id")).column for name in _REMINDER_ARRAYS)
    arrays = ", ".join(f"%s::{kind}[]" for kind in _REMINDER_ARRAYS.values())
    sql = f"""
        WITH inserted AS (
            INSERT INTO {reminder.db_table} ({columns}, batch, created_at, attempts, last_error)
            SELECT given.*, %s::uuid, %s, 0, '' FROM unnest({arrays}) AS given
            ON CONFLICT DO NOTHING
            RETURNING id, recipient_id, title, body, url
        ), noticed AS (
            INSERT INTO {notice.db_table} (recipient_id, title, body, url, created_at, reminder_id)
            SELECT recipient_id, title, body, url, %s, id FROM inserted
        )
        SELECT id FROM inserted ORDER BY id
    """
    now = timezone.now()
    params = [str(batch), now, *([row[name] for row in rows] for name in _REMINDER_ARRAYS), now]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [pk for (pk,) in cursor.fetchall()]


def _drop_overtaken(today: date, rules: ReminderSettings, now: datetime) -> int:
    """Unsent reminders whose obligation is no longer open on that due date: done, cancelled, moved or gone.

    The unsent reminders are checked a batch at a time against the stored register (the obligations the sweep
    read, `_open_rows`)."""
    still_open = _open_rows(today, rules)
    pending = Reminder.objects.unsent().exclude(news_rows()).values_list("pk", "obligation_key", "due")
    dropped = 0
    for chunk in batched(pending.iterator(chunk_size=2000), settings.GMG_REMINDER_BATCH_SIZE):
        keys = {key for _, key, _ in chunk}
        open_due = set(RegisterEntry.objects.filter(still_open, key__in=keys).values_list("key", "due"))
        gone = [pk for pk, key, due in chunk if (key, due) not in open_due]
        if gone:
            dropped += Reminder.objects.filter(pk__in=gone, sent_at__isnull=True).update(dropped_at=now)
    return dropped


def _claimable_deliveries(now: datetime) -> list[int]:
    """Unsent immediate reminders nobody holds: new ones, failed ones, and those whose worker died.

    Ordered by person, so that one person's reminders travel in one task and one mail. Rows another relay or
    sweep is marking at this moment are skipped (SKIP LOCKED), not waited for.
    """
    stale = stale_before(now)
    pending = Reminder.objects.unsent().filter(
        Q(delivery=Reminder.Delivery.IMMEDIATE) | news_rows(),
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale),
        digest__isnull=True,
    )
    with transaction.atomic():
        locked = pending.order_by("recipient_id", "pk").select_for_update(skip_locked=True)
        ids = list(locked.values_list("pk", flat=True))
        for chunk in batched(ids, settings.GMG_REMINDER_BATCH_SIZE):
            Reminder.objects.filter(pk__in=chunk).update(enqueued_at=now)
    return ids


def outbox(now: datetime | None = None) -> list[int]:
    """The reminders that should go now and are with no worker, marked as handed over; the caller enqueues them
    after commit (`reminders.tasks.relay_outbox`)."""
    return _claimable_deliveries(now or timezone.now())


def delivery_health(now: datetime | None = None) -> dict:
    """How delivery stands, for the support page and /healthz: failed for good, stuck, the oldest unsent.

    Stuck: a reminder (or digest) that should have gone - not one waiting for its daily or weekly digest - and
    is still unsent GMG_REMINDER_STUCK_MINUTES after it was made. `ok` is False while anything is stuck.
    """
    now = now or timezone.now()
    stuck_before = now - timedelta(minutes=settings.GMG_REMINDER_STUCK_MINUTES)
    should_have_gone = Reminder.objects.unsent().filter(
        Q(delivery=Reminder.Delivery.IMMEDIATE) | news_rows() | Q(digest__isnull=False)
    )
    digests = Digest.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
    oldest = min(
        (
            moment
            for moment in (
                should_have_gone.aggregate(oldest=Min("created_at"))["oldest"],
                digests.aggregate(oldest=Min("created_at"))["oldest"],
            )
            if moment is not None
        ),
        default=None,
    )
    stuck = should_have_gone.filter(created_at__lt=stuck_before).count()
    stuck += digests.filter(created_at__lt=stuck_before).count()
    failed = Reminder.objects.failed().count() + Digest.objects.filter(failed_at__isnull=False).count()
    return {
        "ok": stuck == 0,
        "failed": failed,
        "stuck": stuck,
        "oldest_unsent": oldest.isoformat() if oldest else None,
        "oldest_unsent_seconds": int((now - oldest).total_seconds()) if oldest else None,
    }


def delivery_problems(limit: int = 50) -> dict:
    """The support page's lists: the latest failed reminders and digests, and the oldest stuck reminders."""
    stuck_before = timezone.now() - timedelta(minutes=settings.GMG_REMINDER_STUCK_MINUTES)
    should_have_gone = Reminder.objects.unsent().filter(
        Q(delivery=Reminder.Delivery.IMMEDIATE) | news_rows() | Q(digest__isnull=False)
    )
    return {
        "failed": list(Reminder.objects.failed().select_related("recipient").order_by("-failed_at", "-pk")[:limit]),
        "failed_digests": list(
            Digest.objects.filter(failed_at__isnull=False, sent_at__isnull=True)
            .select_related("recipient")
            .order_by("-failed_at", "-pk")[:limit]
        ),
        "stuck": list(
            should_have_gone.filter(created_at__lt=stuck_before)
            .select_related("recipient")
            .order_by("created_at", "pk")[:limit]
        ),
    }


def digest_periods(now: datetime, rules: ReminderSettings) -> list[tuple[str, date]]:
    """The digests whose hour has come: the day's, and on the staff's weekday the week's."""
    local = timezone.localtime(now)
    if local.hour < rules.digest_hour:
        return []
    periods = [(Reminder.Delivery.DAILY, local.date())]
    if local.weekday() == rules.weekly_digest_weekday:
        periods.append((Reminder.Delivery.WEEKLY, local.date()))
    return periods


def _digests_due(now: datetime, today: date, rules: ReminderSettings) -> list[int]:
    for period, start in digest_periods(now, rules):
        waiting = (
            Reminder.objects.unsent()
            .filter(delivery=period, digest__isnull=True)
            .values_list("recipient_id", flat=True)
            .distinct()
        )
        Digest.objects.bulk_create(
            [Digest(recipient_id=pk, period=period, period_start=start) for pk in waiting], ignore_conflicts=True
        )
    stale = stale_before(now)
    pending = Digest.objects.filter(
        Q(sent_at__isnull=True),
        Q(failed_at__isnull=True),
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale),
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale),
    )
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    Digest.objects.filter(pk__in=ids).update(enqueued_at=now)
    return ids
