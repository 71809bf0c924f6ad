"""The reminder sweep's choices: which reminders fall due on a day, to whom, and that each goes once."""

from datetime import date, datetime, time, timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import CommandError, call_command
from icalendar import Calendar

from chairs.models import ChairTerm
from groups.models import Person
from meetings.models import ActionPoint, Meeting
from meetings.services import meeting_cancel, meeting_update
from reminders import delivery, sweep
from reminders.models import Digest, Notice, Reminder, ReminderSettings
from reminders.tasks import deliver_now
from tests.factories import make_action_point, make_agency, make_group, make_meeting, make_person, make_term

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZURICH)


def run(day: date, hour: int = 9):
    """A sweep at a moment, its deliveries sent in-process, as `send_reminders` does."""
    with time_machine.travel(at(day, hour), tick=False):
        result = sweep.sweep()
        deliver_now(reminder_ids=result.to_deliver, digest_ids=result.digests)
    return result


def sent(result) -> set[tuple[str, str, str]]:
    return {(r.obligation_key, r.occasion, r.recipient.username) for r in result.created}


def held_meeting():
    """The meeting an action point comes from, held and so owing nothing itself."""
    return make_meeting(date(2030, 1, 5), status=Meeting.Status.HELD)


@pytest.fixture
def people():
    ilo, undp, iom = make_agency("ILO"), make_agency("UNDP"), make_agency("IOM")
    return {
        "ilo": ilo,
        "undp": undp,
        "iom": iom,
        "ilo_fp": make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo),
        "ilo_principal": make_person("ilo_principal", role=Person.Role.PRINCIPAL, agency=ilo),
        "ilo_viewer": make_person("ilo_viewer", role=Person.Role.VIEWER, agency=ilo),
        "undp_fp": make_person("undp_fp", role=Person.Role.FOCAL_POINT, agency=undp),
        "iom_fp": make_person("iom_fp", role=Person.Role.FOCAL_POINT, agency=iom),
        "support": make_person("support", role=Person.Role.SUPPORT),
    }


@pytest.fixture
def meeting(people):
    meeting = make_meeting(date(2030, 3, 10), title="Working level meeting")
    meeting.attendees.add(people["ilo"], people["undp"])
    return meeting


def test_a_meeting_is_reminded_14_7_and_1_days_before_and_on_the_day_to_its_attendees(people, meeting):
    key = f"meeting:{meeting.pk}"
    seen = {}
    for day in (date(2030, 2, 23), date(2030, 2, 24), date(2030, 3, 3), date(2030, 3, 9), date(2030, 3, 10)):
        seen[day] = sent(run(day))
    assert seen[date(2030, 2, 23)] == set()
    assert seen[date(2030, 2, 24)] == {(key, "before:14", "ilo_fp"), (key, "before:14", "undp_fp")}
    assert seen[date(2030, 3, 3)] == {(key, "before:7", "ilo_fp"), (key, "before:7", "undp_fp")}
    assert seen[date(2030, 3, 9)] == {(key, "before:1", "ilo_fp"), (key, "before:1", "undp_fp")}
    assert seen[date(2030, 3, 10)] == {(key, "day_of", "ilo_fp"), (key, "day_of", "undp_fp")}
    assert len(mail.outbox) == 8
    assert Notice.objects.filter(recipient=people["ilo_fp"]).count() == 4


def test_a_second_sweep_the_same_day_sends_nothing(people, meeting):
    first = run(date(2030, 3, 3), hour=9)
    again = run(date(2030, 3, 3), hour=15)
    assert len(first.created) == 2
    assert again.created == [] and again.to_deliver == []
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2


def test_a_sweep_that_missed_days_sends_the_nearest_offset_once_and_not_the_earlier_ones(people, meeting):
    assert {occasion for _, occasion, _ in sent(run(date(2030, 3, 5)))} == {"before:7"}
    assert sent(run(date(2030, 3, 6))) == set()


def test_only_active_people_with_an_e_mail_address_and_a_responsible_role_are_reminded(people, meeting):
    people["undp_fp"].is_active = False
    people["undp_fp"].save()
    make_person("ilo_fp_no_mail", role=Person.Role.FOCAL_POINT, agency=people["ilo"], email="")
    assert {who for _, _, who in sent(run(date(2030, 3, 3)))} == {"ilo_fp"}


def test_a_meeting_without_attendees_reminds_the_chairs_people(people):
    make_term(people["ilo"], date(2030, 1, 1), date(2030, 12, 31))
    meeting = make_meeting(date(2030, 3, 10))
    found = sent(run(date(2030, 3, 9)))
    assert {who for key, _, who in found if key == f"meeting:{meeting.pk}"} == {"ilo_fp", "ilo_principal"}


def test_the_annual_report_reminds_the_chairs_focal_points_and_principal_then_weekly_while_overdue(people):
    term = make_term(people["ilo"], date(2029, 1, 1), date(2029, 12, 31))
    key = f"annual_report:chairterm:{term.pk}"
    # Annex I, working level ix: due two months after the term ends, 28 February 2030.
    assert {(k, o, w) for k, o, w in sent(run(date(2030, 2, 14))) if k == key} == {
        (key, "before:14", "ilo_fp"),
        (key, "before:14", "ilo_principal"),
    }
    overdue = {(k, o, w) for k, o, w in sent(run(date(2030, 3, 1))) if k == key}
    assert overdue == {(key, "overdue:1", "ilo_fp"), (key, "overdue:1", "ilo_principal"), (key, "overdue:1", "support")}
    assert Reminder.objects.get(obligation_key=key, occasion="overdue:1", recipient=people["support"]).in_copy
    assert {k for k, _, _ in sent(run(date(2030, 3, 7)))} & {key} == set()
    assert {(k, o) for k, o, _ in sent(run(date(2030, 3, 8)))} >= {(key, "overdue:2")}


def test_overdue_reminders_stop_after_the_weeks_staff_set(people):
    ReminderSettings.objects.create(overdue_for_weeks=2, overdue_every_days=7)
    point = make_action_point(held_meeting(), people["undp"], due_on=date(2030, 2, 1))
    key = f"action_point:actionpoint:{point.pk}"
    assert (key, "overdue:2", "undp_fp") in sent(run(date(2030, 2, 9)))
    assert not {k for k, _, _ in sent(run(date(2030, 2, 16)))} & {key}


def test_staff_offsets_change_the_days_reminders_fall_on(people, meeting):
    ReminderSettings.objects.create(days_before="3", on_meeting_day=False)
    assert sent(run(date(2030, 3, 3))) == set()
    assert {o for _, o, _ in sent(run(date(2030, 3, 7)))} == {"before:3"}
    assert sent(run(date(2030, 3, 10))) == set()


def test_a_bad_offset_is_refused_with_the_value_named():
    rules = ReminderSettings(days_before="14, seven")
    with pytest.raises(Exception, match="'seven' is not a number of days"):
        rules.full_clean()


def test_a_group_obligation_reminds_the_co_chairs_focal_points(people):
    group = make_group(co_chairs=[people["undp"], people["iom"]], min_meetings=3, tor_adopted_on=date(2029, 1, 1))
    key = f"group_min_meetings:group:{group.pk}:2030"
    found = {(o, w) for k, o, w in sent(run(date(2030, 12, 24))) if k == key}
    assert found == {("before:7", "undp_fp"), ("before:7", "iom_fp")}


def test_an_agency_nobody_speaks_for_is_followed_up_by_the_support_team(people):
    who = make_agency("WHO")
    point = make_action_point(held_meeting(), who, due_on=date(2030, 2, 1))
    found = {w for k, _, w in sent(run(date(2030, 1, 31))) if k == f"action_point:actionpoint:{point.pk}"}
    assert found == {"support"}


def test_an_obligation_done_gets_no_further_reminders(people):
    point = make_action_point(held_meeting(), people["undp"], due_on=date(2030, 2, 1))
    assert run(date(2030, 1, 25)).created
    point.status, point.done_on = ActionPoint.Status.DONE, date(2030, 1, 26)
    point.save()
    assert run(date(2030, 1, 31)).created == []
    assert run(date(2030, 2, 2)).created == []


def test_a_reminder_waiting_for_a_digest_is_dropped_when_its_obligation_is_done(people):
    people["undp_fp"].reminder_delivery = Person.Delivery.WEEKLY
    people["undp_fp"].save()
    point = make_action_point(held_meeting(), people["undp"], due_on=date(2030, 2, 1))
    run(date(2030, 1, 25))  # a Friday: the weekly digest waits for Monday
    point.status, point.done_on = ActionPoint.Status.DONE, date(2030, 1, 26)
    point.save()
    run(date(2030, 1, 28))
    row = Reminder.objects.get(obligation_key=f"action_point:actionpoint:{point.pk}")
    assert row.dropped_at is not None and row.sent_at is None
    assert mail.outbox == []


def test_a_moved_meeting_sends_an_update_and_never_the_reminders_of_its_old_day(
    people, meeting, django_capture_on_commit_callbacks
):
    run(date(2030, 2, 24))
    mail.outbox.clear()
    with time_machine.travel(at(date(2030, 2, 25)), tick=False), django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=meeting, by=people["support"], starts_on=date(2030, 3, 20), venue="Geneva")
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["ilo_fp@example.org", "undp_fp@example.org"]
    assert "now 20 Mar 2030" in mail.outbox[0].subject
    invitation = Calendar.from_ical(mail.outbox[0].attachments[0].content)
    event = invitation.walk("VEVENT")[0]
    assert (invitation["METHOD"], event["UID"], event["SEQUENCE"]) == ("REQUEST", f"meeting-{meeting.pk}@gmg-portal", 1)
    assert (event.decoded("DTSTART"), str(event["LOCATION"])) == (date(2030, 3, 20), "Geneva")
    mail.outbox.clear()
    assert sent(run(date(2030, 3, 3))) == set()  # the old day's "before:7"
    assert {o for _, o, _ in sent(run(date(2030, 3, 13)))} == {"before:7"}
    assert Reminder.objects.filter(occasion="before:7", due=date(2030, 3, 20)).count() == 2


def test_a_cancelled_meeting_sends_a_cancellation_and_no_more_reminders(
    people, meeting, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(date(2030, 3, 1)), tick=False), django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, by=people["support"])
    assert len(mail.outbox) == 2
    invitation = Calendar.from_ical(mail.outbox[0].attachments[0].content)
    event = invitation.walk("VEVENT")[0]
    assert (invitation["METHOD"], event["STATUS"], event["SEQUENCE"]) == ("CANCEL", "CANCELLED", 1)
    assert event["UID"] == f"meeting-{meeting.pk}@gmg-portal"
    assert mail.outbox[0].subject.startswith("[GMG] Cancelled:")
    assert sent(run(date(2030, 3, 9))) == set()


def test_a_meeting_marked_held_raises_its_sequence_but_sends_nothing(people, meeting):
    meeting_update(meeting=meeting, by=people["support"], status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and mail.outbox == []


def test_only_the_meetings_keepers_may_change_it(people, meeting):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        meeting_update(meeting=meeting, by=people["ilo_fp"], venue="Elsewhere")
    meeting.refresh_from_db()
    assert meeting.venue == "" and meeting.sequence == 0


def test_the_reminder_mail_has_text_and_html_parts_and_an_absolute_link(people, settings):
    settings.SITE_URL = "https://gmg.example.org"
    make_term(people["ilo"], date(2029, 1, 1), date(2029, 12, 31))
    run(date(2030, 2, 14))
    message = next(m for m in mail.outbox if "Annual report" in m.body)
    assert message.subject.startswith("[GMG] ")  # one mail per person: a single reminder, or a list of them
    assert "Due in 14 days, on Thursday 28 February 2030." in message.body
    assert "https://gmg.example.org/chairs/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and 'href="https://gmg.example.org/chairs/' in html
    assert message.attachments == []


def test_a_daily_digest_collects_the_days_reminders_into_one_mail_exactly_once(people, meeting):
    for person in (people["ilo_fp"],):
        person.reminder_delivery = Person.Delivery.DAILY
        person.save()
    make_action_point(held_meeting(), people["ilo"], due_on=date(2030, 3, 4))
    run(date(2030, 3, 3), hour=6)  # before the digest hour: nothing for ilo_fp yet
    assert [m.to for m in mail.outbox] == [["undp_fp@example.org"]]
    assert Notice.objects.filter(recipient=people["ilo_fp"]).count() == 2  # in-app at once
    run(date(2030, 3, 3), hour=8)
    run(date(2030, 3, 3), hour=9)
    digests = [m for m in mail.outbox if m.to == ["ilo_fp@example.org"]]
    assert len(digests) == 1
    assert digests[0].subject == "[GMG] Your daily digest: 2 reminders"
    assert Digest.objects.get().sent_at is not None
    assert Reminder.objects.filter(recipient=people["ilo_fp"], sent_at__isnull=True).count() == 0


def test_a_failed_send_stays_unsent_and_goes_once_on_the_next_try(people, meeting):
    with mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=SMTPServerDisconnected("down")):
        result = run(date(2030, 3, 3))
    assert len(result.to_deliver) == 2
    assert Reminder.objects.unsent().count() == 2
    assert "SMTPServerDisconnected" in Reminder.objects.first().last_error
    row = Reminder.objects.first()
    assert delivery.deliver_reminder(row.pk) is True
    assert delivery.deliver_reminder(row.pk) is False
    assert len(mail.outbox) == 1


def test_a_claim_whose_worker_died_is_taken_over_once_it_is_stale(people, meeting, settings):
    settings.GMG_REMINDER_CLAIM_STALE_MINUTES = 15
    killed = mock.patch.object(locmem.EmailBackend, "send_messages", side_effect=SystemExit("killed"))
    with killed, time_machine.travel(at(date(2030, 3, 3), 9), tick=False):
        result = sweep.sweep()
        with pytest.raises(SystemExit):  # the worker dies between its claim and the send
            delivery.deliver_reminder(result.to_deliver[0])
    orphan = Reminder.objects.get(pk=result.to_deliver[0])
    assert orphan.claimed_by is not None and orphan.sent_at is None
    with time_machine.travel(at(date(2030, 3, 3), 9) + timedelta(minutes=5), tick=False):
        assert delivery.deliver_reminder(orphan.pk) is False  # still held: not sent twice
        assert orphan.pk not in sweep.sweep().to_deliver
    later = run(date(2030, 3, 3), hour=10)
    assert orphan.pk in later.to_deliver
    assert sorted(m.to[0] for m in mail.outbox) == ["ilo_fp@example.org", "undp_fp@example.org"]
    assert Reminder.objects.unsent().count() == 0


def test_send_reminders_lists_what_it_would_send_and_then_sends_it_once(people, meeting, capsys):
    call_command("send_reminders", "--now", "2030-03-03T09:00", "--dry-run")
    out = capsys.readouterr().out
    assert "would send before:7" in out and "ilo_fp@example.org" in out and "2 reminder(s) due on 2030-03-03" in out
    assert Reminder.objects.count() == 0 and mail.outbox == []
    call_command("send_reminders", "--now", "2030-03-03T09:00")
    out = capsys.readouterr().out
    assert out.count("sent before:7") == 2 and "2 mail(s) sent" in out
    call_command("send_reminders", "--now", "2030-03-03")
    assert "0 new reminder(s)" in capsys.readouterr().out
    assert len(mail.outbox) == 2


def test_send_reminders_refuses_a_moment_it_cannot_read():
    with pytest.raises(CommandError, match="is not a date"):
        call_command("send_reminders", "--now", "next tuesday")


def test_the_term_of_a_planned_chair_is_not_confused_with_the_actual_one(people):
    make_term(people["ilo"], date(2029, 1, 1), date(2029, 12, 31), kind=ChairTerm.Kind.ACTUAL)
    found = run(date(2030, 2, 14))
    assert all(r.recipient.agency_id == people["ilo"].pk for r in found.created if r.kind == "annual_report")


def test_a_meeting_already_saved_by_a_form_is_followed_up_from_its_previous_schedule(
    people, meeting, django_capture_on_commit_callbacks
):
    before = {"starts_on": meeting.starts_on, "venue": meeting.venue, "status": meeting.status}
    meeting.venue = "Palais des Nations"
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=meeting, before=before, by=people["support"])
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert {m.to[0] for m in mail.outbox} == {"ilo_fp@example.org", "undp_fp@example.org"}


@pytest.mark.django_db(transaction=True)
def test_run_portal_sweeps_in_process_without_a_broker(people, meeting):
    import threading

    from reminders.management.commands.run_portal import sweep_forever

    stop = threading.Event()
    with time_machine.travel(at(date(2030, 3, 3)), tick=False):
        sweeper = threading.Thread(target=sweep_forever, args=(0.05, stop), daemon=True)
        sweeper.start()
        for _ in range(200):
            if len(mail.outbox) >= 2:
                break
            stop.wait(0.05)
        stop.set()
        sweeper.join(timeout=10)
    assert sorted(m.to[0] for m in mail.outbox) == ["ilo_fp@example.org", "undp_fp@example.org"]
