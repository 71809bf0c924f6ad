"""In-app notices: the bell with the unread count, the list, and marking one's own notices read."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from groups.models import Person
from reminders.models import Notice
from tests.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    return make_person("ana", role=Person.Role.FOCAL_POINT)


def notice(person, title="Meeting in 7 days", url="/meetings/1/", **fields):
    return Notice.objects.create(recipient=person, title=title, body="Due in 7 days.", url=url, **fields)


def bell_for(person) -> str:
    request = RequestFactory().get("/")
    request.user = person
    return Template("{% include 'meetings/notices/bell.html' %}").render(Context({"request": request}))


def test_the_bell_shows_the_unread_count(ana):
    notice(ana)
    notice(ana, title="Another")
    notice(make_person("ben"))
    html = bell_for(ana)
    assert '>2<span class="visually-hidden"> unread</span>' in html
    Notice.objects.update(read_at="2030-01-01T00:00Z")
    assert "none unread" in bell_for(ana)


def test_the_list_shows_only_ones_own_notices(client, ana):
    notice(ana, title="For Ana")
    notice(make_person("ben"), title="For Ben")
    client.force_login(ana)
    page = client.get(reverse("reminders:notice_list")).content.decode()
    assert "For Ana" in page and "For Ben" not in page
    assert client.get(reverse("reminders:notice_list"), {"show": "bogus"}).status_code == 400


def test_marking_read_is_a_post_on_ones_own_notice(client, ana):
    mine = notice(ana)
    theirs = notice(make_person("ben"))
    client.force_login(ana)
    assert client.get(reverse("reminders:notice_read", args=[mine.pk])).status_code == 405
    assert client.post(reverse("reminders:notice_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(reverse("reminders:notice_read", args=[mine.pk]), follow=True)
    mine.refresh_from_db()
    assert mine.read_at is not None and "Marked as read" in response.content.decode()


def test_opening_a_notice_marks_it_read_and_goes_to_its_record_but_never_off_site(client, ana):
    mine = notice(ana)
    elsewhere = notice(ana, url="https://evil.example.com/")
    client.force_login(ana)
    response = client.post(reverse("reminders:notice_read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/meetings/1/"
    response = client.post(reverse("reminders:notice_read", args=[elsewhere.pk]), {"open": "1"})
    assert response["Location"].startswith(reverse("reminders:notice_list"))


def test_marking_read_needs_the_csrf_token(ana):
    from django.test import Client

    mine = notice(ana)
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    assert client.post(reverse("reminders:notice_read", args=[mine.pk])).status_code == 403
    mine.refresh_from_db()
    assert mine.read_at is None


def test_mark_all_read_touches_only_ones_own(client, ana):
    notice(ana)
    notice(ana)
    other = notice(make_person("ben"))
    client.force_login(ana)
    response = client.post(reverse("reminders:notice_read_all"), follow=True)
    assert "2 notices marked as read" in response.content.decode()
    assert Notice.objects.filter(recipient=ana, read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None
