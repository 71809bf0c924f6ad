"""Every mail the portal sends says it was sent by a machine, so out-of-office replies do not come back to it.

Each kind of mail is made the way the portal makes it (a sweep's single reminder and list of reminders, a digest,
a meeting change with its .ics, an invitation, a password reset), and the source is read for any other place
that makes a mail: there is one, kit.mail.
"""

import re
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from groups.models import Person
from groups.services import person_invite
from meetings.services import meeting_update
from reminders import sweep as reminder_sweep
from reminders.tasks import deliver_now
from tests.factories import make_action_point, make_agency, make_meeting, make_person

pytestmark = pytest.mark.django_db

ZURICH = ZoneInfo("Europe/Zurich")
ROOT = Path(__file__).resolve().parents[2]
# Ways of making or sending a mail; only kit/mail.py may use them.
MAKES_MAIL = re.compile(
    r"(?<!def )\b(EmailMessage|EmailMultiAlternatives|send_mail|send_mass_mail|mail_admins|mail_managers)\("
)


def sweep(day: date, hour: int = 9):
    with time_machine.travel(datetime.combine(day, time(hour), tzinfo=ZURICH), tick=False):
        result = reminder_sweep.sweep()
        deliver_now(reminder_ids=result.to_deliver, digest_ids=result.digests)


def mails_of_every_kind(client, django_capture_on_commit_callbacks) -> dict[str, mail.EmailMessage]:
    ilo, undp = make_agency("ILO"), make_agency("UNDP")
    ilo_fp = make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo)
    undp_fp = make_person("undp_fp", role=Person.Role.FOCAL_POINT, agency=undp)
    digested = make_person("digested", role=Person.Role.FOCAL_POINT, agency=undp, reminder_delivery="daily")
    support = make_person("support", role=Person.Role.SUPPORT)
    held = make_meeting(date(2030, 1, 5), status="held")
    make_action_point(held, ilo, due_on=date(2030, 2, 21), text="ILO point")
    make_action_point(held, undp, due_on=date(2030, 2, 21), text="UNDP point")
    meeting = make_meeting(date(2030, 2, 21), title="Working level meeting")
    meeting.attendees.add(ilo)
    sweep(date(2030, 2, 20), hour=6)  # ilo_fp: a list; undp_fp: one reminder; digested: waits for the digest
    sweep(date(2030, 2, 20), hour=9)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=meeting, by=support, venue="Geneva, Palais des Nations")
    with django_capture_on_commit_callbacks(execute=True):
        person_invite(values={"email": "una.newcomer@ilo.org", "first_name": "Una", "role": "viewer"})
    client.post(reverse("password_reset"), {"email": undp_fp.email})
    kinds = {}
    for message in mail.outbox:
        to = message.to[0]
        if message.subject.startswith("[GMG] Changed"):
            kinds["meeting change"] = message
        elif "digest" in message.subject:
            kinds["digest"] = message
        elif to == ilo_fp.email and "reminders" in message.subject:
            kinds["list of reminders"] = message
        elif to == undp_fp.email and message.subject.startswith("[GMG] Reminder"):
            kinds["one reminder"] = message
        elif to == "una.newcomer@ilo.org":
            kinds["invitation"] = message
        elif to == undp_fp.email and "/accounts/reset/" in message.body:
            kinds["password reset"] = message
    assert digested.email in {m.to[0] for m in mail.outbox}
    return kinds


def test_every_kind_of_mail_says_it_was_sent_by_a_machine(client, django_capture_on_commit_callbacks):
    kinds = mails_of_every_kind(client, django_capture_on_commit_callbacks)
    assert sorted(kinds) == sorted(
        ["one reminder", "list of reminders", "digest", "meeting change", "invitation", "password reset"]
    )
    for kind, message in kinds.items():
        headers = message.message()
        assert headers["Auto-Submitted"] == "auto-generated", kind
        assert headers["X-Auto-Response-Suppress"] == "OOF, AutoReply", kind
    for kind in ("one reminder", "list of reminders", "digest", "meeting change"):
        assert kinds[kind].message()["Precedence"] == "bulk", kind
    for kind in ("invitation", "password reset"):  # a person waits for these: not routed away as bulk
        assert kinds[kind].message()["Precedence"] is None, kind


def test_mails_are_made_in_one_place():
    makers = []
    for path in ROOT.glob("**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in {".venv", "tests", "node_modules"} or relative == Path("kit/mail.py"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if MAKES_MAIL.search(line):
                makers.append(f"{relative}:{number}: {line.strip()}")
    assert makers == [], "mails made outside kit.mail (without its headers)"
