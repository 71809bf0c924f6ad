"""The support team's delivery page: failed and stuck reminders with attempts and last error, the oldest unsent;
support staff only, in a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import Person
from reminders.models import Reminder
from tests.factories import make_agency, make_person

pytestmark = pytest.mark.django_db

URL = "/calendar/delivery/"


def make_rows(recipient, count: int, *, failed: bool) -> None:
    hour_ago = timezone.now() - timedelta(hours=1)
    for n in range(count):
        row = Reminder.objects.create(
            obligation_key=f"action_point:actionpoint:{n}{'f' if failed else 's'}",
            kind="action_point",
            occasion="before:7",
            due=date(2030, 3, 1),
            recipient=recipient,
            title=f"{'Failed' if failed else 'Stuck'} item {n}",
            attempts=8 if failed else 2,
            last_error="SMTPRecipientsRefused: 550 No such user" if failed else "ConnectionRefusedError: refused",
            failed_at=timezone.now() if failed else None,
        )
        Reminder.objects.filter(pk=row.pk).update(created_at=hour_ago)


@pytest.fixture
def world():
    ilo = make_agency("ILO")
    return {
        "support": make_person("support", role=Person.Role.SUPPORT),
        "focal": make_person("ilo_fp", role=Person.Role.FOCAL_POINT, agency=ilo),
        "viewer": make_person("viewer", role=Person.Role.VIEWER, agency=ilo),
    }


def test_the_url_is_named():
    assert reverse("reminders:delivery") == URL


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("focal", 403), ("viewer", 403), ("support", 200)])
def test_only_the_support_team_sees_the_delivery_page(client, world, role, status):
    if role != "anonymous":
        client.force_login(world[role])
    assert client.get(URL).status_code == status
    assert client.post(URL).status_code in {302, 403, 405}


def test_failed_and_stuck_reminders_show_with_attempts_and_last_error(client, world):
    make_rows(world["focal"], 1, failed=True)
    make_rows(world["focal"], 1, failed=False)
    client.force_login(world["support"])
    page = client.get(URL).content.decode()
    assert 'id="failed-count">1<' in page and 'id="stuck-count">1<' in page
    assert "Failed item 0" in page and "SMTPRecipientsRefused: 550 No such user" in page
    assert "Stuck item 0" in page and "ConnectionRefusedError: refused" in page
    assert "ilo_fp@example.org" in page
    assert "1\xa0hour ago" in page or "1 hour ago" in page or "59\xa0minutes" in page


def test_an_empty_page_says_so(client, world):
    client.force_login(world["support"])
    page = client.get(URL).content.decode()
    assert "No failed reminders." in page and "Nothing stuck." in page and 'id="oldest-unsent">none<' in page


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_rows(client, world):
    client.force_login(world["support"])
    counts = []
    for size in (1, 6):
        Reminder.objects.all().delete()
        people = [make_person(f"p{size}-{n}", role=Person.Role.FOCAL_POINT) for n in range(size)]
        for person in people:
            make_rows(person, 1, failed=True)
            make_rows(person, 1, failed=False)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
