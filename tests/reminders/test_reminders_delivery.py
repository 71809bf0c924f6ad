"""Delivery at scale and under faults: one mail per person per sweep, bounded attempts with a final failed state,
a row that cannot go never holds back the others, a mail that left is recorded on a fresh connection and never
sent again, superseded change notices, and the health the support team and /healthz read."""

import smtplib
from datetime import date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import psycopg2
import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection

from groups.models import Person
from meetings.models import Meeting
from meetings.services import meeting_update
from reminders import delivery, sweep, tasks
from reminders.models import Reminder
from tests.factories import make_action_point, make_agency, make_meeting, make_person

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZURICH)


def run(day: date, hour: int = 9):
    with time_machine.travel(at(day, hour), tick=False):
        result = sweep.sweep()
        tasks.deliver_now(reminder_ids=result.to_deliver, digest_ids=result.digests)
    return result


@pytest.fixture
def people():
    ilo, undp = make_agency("ILO"), make_agency("UNDP")
    return {
        "ilo": ilo,
        "undp": undp,
        "ilo_fp": make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo),
        "undp_fp": make_person("undp_fp", role=Person.Role.FOCAL_POINT, agency=undp),
        "support": make_person("support", role=Person.Role.SUPPORT),
    }


@pytest.fixture
def busy_day(people):
    """20 February 2030: the ILO owes five action points and a meeting, the UNDP one action point."""
    held = make_meeting(date(2030, 1, 5), status=Meeting.Status.HELD)
    for n in range(5):
        make_action_point(held, people["ilo"], due_on=date(2030, 2, 21), text=f"ILO point {n}")
    make_action_point(held, people["undp"], due_on=date(2030, 2, 21), text="UNDP point")
    meeting = make_meeting(date(2030, 2, 21), title="Working level meeting")
    meeting.attendees.add(people["ilo"])
    return meeting


def test_one_mail_per_person_per_sweep_each_item_in_exactly_one_mail(people, busy_day):
    result = run(date(2030, 2, 20))
    assert len(result.created) == 7
    by_person = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_person) == ["ilo_fp@example.org", "undp_fp@example.org"]
    ilo = by_person["ilo_fp@example.org"]
    assert ilo.subject == "[GMG] 6 reminders"
    for n in range(5):
        assert ilo.body.count(f"ILO point {n}") == 1
    assert "Working level meeting" in ilo.body
    assert [a[0] for a in ilo.attachments] == [f"invitation-{busy_day.pk}.ics"]
    assert by_person["undp_fp@example.org"].subject.startswith("[GMG] Reminder: ")
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 7
    # A second sweep the same day: nothing new, no mail.
    run(date(2030, 2, 20), hour=15)
    assert len(mail.outbox) == 2


def test_the_sweep_works_in_batches_and_a_task_never_splits_a_person(people, busy_day, settings):
    settings.GMG_REMINDER_BATCH_SIZE = 2  # seven obligations: four batches
    with time_machine.travel(at(date(2030, 2, 20)), tick=False):
        result = sweep.sweep()
    assert len(result.created) == 7 and len({r.pk for r in result.created}) == 7
    chunks = tasks.by_person(result.to_deliver, per_task=1)
    assert len(chunks) == 2 and sorted(map(len, chunks)) == [1, 6]
    assert tasks.deliver_now(reminder_ids=result.to_deliver) == 2


def test_an_obligation_reaching_more_people_than_a_batch_is_written_a_batch_at_a_time_each_row_once(
    people, settings
):
    """The rows are written GMG_REMINDER_BATCH_SIZE at a time, not a batch of obligations' worth at once: one
    action point owed by an agency of five focal points makes five rows over three writes, each with its notice."""
    settings.GMG_REMINDER_BATCH_SIZE = 2
    for n in range(4):
        make_person(f"ilo_fp{n}", role=Person.Role.FOCAL_POINT, agency=people["ilo"])
    held = make_meeting(date(2030, 1, 5), status=Meeting.Status.HELD)
    make_action_point(held, people["ilo"], due_on=date(2030, 2, 21), text="ILO point")
    with time_machine.travel(at(date(2030, 2, 20)), tick=False), mock.patch.object(
        sweep, "_write_reminders", wraps=sweep._write_reminders
    ) as write:
        result = sweep.sweep()
    assert [len(call.args[0]) for call in write.call_args_list] == [2, 2, 1]
    rows = Reminder.objects.filter(pk__in=list(result.created.ids))
    assert rows.count() == 5 == len({r.recipient_id for r in rows})
    assert all(row.notice for row in rows)
    assert tasks.deliver_now(reminder_ids=result.to_deliver) == 5


def test_nothing_is_lost_when_the_mail_fails_and_it_goes_once_later(people, busy_day):
    down = mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=smtplib.SMTPServerDisconnected("down"))
    with down:
        result = run(date(2030, 2, 20))
    assert mail.outbox == []
    assert Reminder.objects.unsent().count() == 7
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}
    assert all("SMTPServerDisconnected: down" in e for e in Reminder.objects.values_list("last_error", flat=True))
    # The task retries (here: deliver again); each item goes once, in one mail per person.
    outcome = delivery.deliver_reminders(result.to_deliver)
    assert outcome.mails == 2 and len(outcome.sent) == 7
    assert delivery.deliver_reminders(result.to_deliver).mails == 0
    assert len(mail.outbox) == 2


def test_a_delivery_fails_for_good_after_the_attempts_allowed_with_its_reason(people, busy_day, settings):
    settings.GMG_REMINDER_MAX_ATTEMPTS = 3
    with time_machine.travel(at(date(2030, 2, 20)), tick=False):
        ids = sweep.sweep().to_deliver
    down = mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=ConnectionRefusedError("refused"))
    with down:
        for attempt in range(3):
            outcome = delivery.deliver_reminders(ids)
            assert len(outcome.retry) == (7 if attempt < 2 else 0)
    assert outcome.failed and len(outcome.failed) == 7
    assert Reminder.objects.failed().count() == 7 and Reminder.objects.unsent().count() == 0
    row = Reminder.objects.first()
    assert row.attempts == 3 and "ConnectionRefusedError: refused" in row.last_error
    # Failed rows are not handed out again, and nothing more is sent.
    with time_machine.travel(at(date(2030, 2, 20), 15), tick=False):
        assert sweep.sweep().to_deliver == []
    assert delivery.deliver_reminders(ids).mails == 0 and mail.outbox == []


def test_a_meeting_title_with_a_line_break_saved_before_forms_refused_it_still_goes_on_one_line(people, busy_day):
    Meeting.objects.filter(pk=busy_day.pk).update(title="Working level\nmeeting")  # saved before forms refused it
    run(date(2030, 2, 20))
    assert not Reminder.objects.failed().exists()
    by_person = {m.to[0]: m for m in mail.outbox}
    assert by_person["ilo_fp@example.org"].subject == "[GMG] 6 reminders"
    invitation = by_person["ilo_fp@example.org"].attachments[0][1]
    invitation = invitation.decode() if isinstance(invitation, bytes) else invitation
    assert "SUMMARY:Working level meeting" in invitation  # the calendar file gets the title on one line
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 7


def test_an_address_the_server_refuses_fails_for_good_at_once_and_others_still_go(people, busy_day):
    real_send = locmem.EmailBackend.send_messages

    def refuse_ilo(self, messages):
        if messages[0].to == ["ilo_fp@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"ilo_fp@example.org": (550, b"No such user")})
        return real_send(self, messages)

    with mock.patch.object(locmem.EmailBackend, "send_messages", refuse_ilo):
        run(date(2030, 2, 20))
    assert [m.to for m in mail.outbox] == [["undp_fp@example.org"]]
    failed = Reminder.objects.failed()
    assert failed.count() == 6 and set(failed.values_list("recipient__username", flat=True)) == {"ilo_fp"}
    assert all(r.attempts == 1 and "SMTPRecipientsRefused" in r.last_error for r in failed)


def test_a_newer_change_to_a_meeting_supersedes_its_unsent_change_mails(people):
    meeting = make_meeting(date(2030, 3, 10), title="Working level meeting")
    meeting.attendees.add(people["ilo"], people["undp"])
    for venue in ("Geneva", "New York", "Vienna"):
        meeting_update(meeting=meeting, by=people["support"], venue=venue)  # the mails wait: on_commit never ran
    assert sorted(Reminder.objects.unsent().values_list("occasion", flat=True)) == ["update:3", "update:3"]
    tasks.deliver_now(reminder_ids=sweep.outbox())
    assert len(mail.outbox) == 2 and all("Vienna" in m.body for m in mail.outbox)


def test_a_claimed_change_mail_is_not_superseded_under_its_worker(people):
    meeting = make_meeting(date(2030, 3, 10), title="Working level meeting")
    meeting.attendees.add(people["ilo"])
    meeting_update(meeting=meeting, by=people["support"], venue="Geneva")
    Reminder.objects.update(claimed_at=datetime.now(tz=ZURICH), claimed_by="00000000-0000-0000-0000-000000000001")
    meeting_update(meeting=meeting, by=people["support"], venue="Vienna")
    assert Reminder.objects.filter(occasion="update:1", dropped_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_mail_that_left_is_recorded_on_a_fresh_connection_and_never_sent_twice(people, busy_day):
    with time_machine.travel(at(date(2030, 2, 20)), tick=False):
        ids = sweep.sweep().to_deliver
    real_send = locmem.EmailBackend.send_messages
    db = connection.settings_dict

    def send_then_lose_the_database(self, messages):
        sent = real_send(self, messages)
        # The database restarts right after the mail left: this process's connection is cut.
        pid = connection.connection.info.backend_pid
        other = psycopg2.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]
        )
        other.autocommit = True
        other.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
        other.close()
        return sent

    with mock.patch.object(locmem.EmailBackend, "send_messages", send_then_lose_the_database):
        outcome = delivery.deliver_reminders(ids)
    assert outcome.mails == 2 and len(outcome.sent) == 7
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 7
    assert Reminder.objects.filter(claimed_by__isnull=False, sent_at__isnull=True).count() == 0
    assert delivery.deliver_reminders(ids).mails == 0
    assert len(mail.outbox) == 2


def test_delivery_health_counts_failed_and_stuck_and_names_the_oldest_unsent(people, busy_day, settings):
    settings.GMG_REMINDER_STUCK_MINUTES = 30
    with time_machine.travel(at(date(2030, 2, 20)), tick=False):
        result = sweep.sweep()
        assert sweep.delivery_health() == {
            "ok": True,
            "failed": 0,
            "stuck": 0,
            "oldest_unsent": "2030-02-20T08:00:00+00:00",
            "oldest_unsent_seconds": 0,
        }
    Reminder.objects.filter(pk=result.to_deliver[0]).update(failed_at=at(date(2030, 2, 20)), last_error="x")
    with time_machine.travel(at(date(2030, 2, 20)) + timedelta(hours=1), tick=False):
        health = sweep.delivery_health()
    assert health["ok"] is False and health["failed"] == 1 and health["stuck"] == 6
    assert health["oldest_unsent_seconds"] == 3600


def test_retry_back_off_stays_well_under_the_brokers_visibility_timeout(settings):
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert tasks.RETRY["retry_backoff_max"] <= visibility // 2
    assert tasks.deliver_reminders.max_retries == settings.GMG_REMINDER_MAX_ATTEMPTS - 1


def test_healthz_fails_on_stuck_reminders_and_names_them(client, people, busy_day, settings):
    settings.CELERY_BROKER_URL = ""  # the broker's own check is not what is tested here
    with time_machine.travel(at(date(2030, 2, 20)), tick=False):
        sweep.sweep()
        assert client.get("/healthz").json()["checks"]["reminders"]["status"] == "ok"
    with time_machine.travel(at(date(2030, 2, 20)) + timedelta(hours=1), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    check = response.json()["checks"]["reminders"]
    assert check["status"] == "failing"
    assert check["reason"] == (
        "7 reminder(s) stuck, the oldest unsent since 2030-02-20T08:00:00+00:00; 0 failed for good"
    )


def test_an_address_that_cannot_be_written_fails_at_once_and_others_still_go(people, busy_day):
    Person.objects.filter(pk=people["undp_fp"].pk).update(email="undp fp@example.org\nBcc: everyone@example.org")
    run(date(2030, 2, 20))
    assert [m.to for m in mail.outbox] == [["ilo_fp@example.org"]]
    failed = Reminder.objects.failed().get()
    assert failed.recipient_id == people["undp_fp"].pk and failed.attempts == 1 and failed.last_error


def test_rows_another_sweep_logged_meanwhile_are_skipped_and_get_no_second_notice(people, busy_day):
    """The sweep writes a batch and its notices in one statement; a row whose occasion is logged already (by a
    sweep that ran meanwhile) is left out by the unique key, and so is its notice."""
    from reminders.models import Notice

    with time_machine.travel(at(date(2030, 2, 20)), tick=False):
        due = sweep.due_reminders(date(2030, 2, 20), rules=sweep.ReminderSettings.current())
        rows = [sweep._row_values(d, date(2030, 2, 20), {}) for d in due]
        first = sweep._insert_with_notices(rows, sweep.uuid.uuid4())
        again = sweep._insert_with_notices(rows, sweep.uuid.uuid4())
    assert len(first) == len(rows) > 0 and again == []
    assert Reminder.objects.count() == len(rows) == Notice.objects.filter(reminder__isnull=False).count()
    written = Reminder.objects.get(pk=first[0])
    assert written.attempts == 0 and written.last_error == "" and written.created_at is not None
    assert written.notice.body == written.body and written.notice.recipient_id == written.recipient_id


def test_a_mail_is_encoded_once_for_the_smtp_server_however_often_it_is_asked_for(people, busy_day):
    import email.policy

    run(date(2030, 2, 20))
    reminder = Reminder.objects.filter(recipient=people["ilo_fp"]).first()
    message = delivery._made_once(delivery.reminder_message(reminder))
    made = message.message(policy=email.policy.SMTP)
    assert message.message(policy=email.policy.SMTP) is made
    assert message.message() is not made  # another form (the locmem backend's) is made when asked for
    assert made["To"] == people["ilo_fp"].email
