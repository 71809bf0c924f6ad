"""Steps of the fault drills that need the portal's code, run as `python -m tests.drills.driver STEP ...` against
the private stack (DATABASE_URL, CELERY_BROKER_URL from the environment); each prints one JSON line."""

import json
import os
import sys
import time
from datetime import date

import django


def seed(people: str) -> dict:
    """N agencies with a focal point each, a meeting all attend on 10 March 2030 and two action points each due
    that day: a sweep on 3 March 2030 owes each person three reminders. And one support account, who signs in."""
    from groups.models import Agency, Person
    from meetings.models import ActionPoint, Meeting
    from tests.factories import PASSWORD, make_meeting, make_person

    held = make_meeting(date(2030, 1, 5), status=Meeting.Status.HELD, title="Earlier meeting")
    meeting = make_meeting(date(2030, 3, 10), title="Working level meeting")
    agencies = Agency.objects.bulk_create(
        [Agency(acronym=f"A{n:03d}", name=f"Agency {n:03d}", sort_name=f"Agency {n:03d}") for n in range(int(people))]
    )
    Person.objects.bulk_create(
        [
            Person(
                username=f"fp{n:03d}",
                email=f"fp{n:03d}@example.org",
                role=Person.Role.FOCAL_POINT,
                agency=agency,
                password="!",  # nobody signs in as them
            )
            for n, agency in enumerate(agencies)
        ]
    )
    meeting.attendees.add(*agencies)
    ActionPoint.objects.bulk_create(
        [
            ActionPoint(meeting=held, owner_agency=a, due_on=date(2030, 3, 10), text=f"Point {k} of {a.acronym}")
            for a in agencies
            for k in range(2)
        ]
    )
    from register import stored

    stored.rebuild()  # the action points went in bulk
    make_person("support", role=Person.Role.SUPPORT)
    return {"meeting": meeting.pk, "password": PASSWORD}


def save(meeting_id: str, times: str) -> dict:
    """Change a meeting's venue TIMES times through the service, as the meeting form does; how long each took
    (after one untimed save first, as a web process that has served requests already)."""
    from groups.models import Person
    from meetings.models import Meeting
    from meetings.services import meeting_update

    support = Person.objects.get(username="support")
    took = []
    for n in range(int(times) + 1):
        meeting = Meeting.objects.get(pk=int(meeting_id))
        started = time.monotonic()
        meeting_update(meeting=meeting, by=support, venue=f"Room {n}")
        took.append(time.monotonic() - started)
    return {"seconds": took[1:]}


def health() -> dict:
    from reminders.sweep import delivery_health

    return delivery_health()


STEPS = {"seed": seed, "save": save, "health": health}

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gmg_portal.settings")
    django.setup()
    step, *args = sys.argv[1:]
    print(json.dumps(STEPS[step](*args), default=str))
