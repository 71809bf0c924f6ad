"""The review loop tells people: a filed update reaches the support team, a review reaches whoever filed it."""

import uuid
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from reminders import sweep
from reminders.models import Notice, Reminder
from tests.factories import make_person
from workplans import services
from workplans.models import ActivityUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def mail_sent_in_process():
    """Deliveries run in this process (as without a broker, `make run`), so the mail reaches the outbox."""
    from gmg_portal.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def file_update(client, cast, **fields):
    data = {"token": str(uuid.uuid4()), "status": "on_track", "narrative": "Paper launched in Geneva.", "links": ""}
    data.update(fields)
    return client.post(reverse("workplans:activity_report", args=[cast.activity.pk]), data)


def notices_of(person) -> list[Notice]:
    return list(Notice.objects.filter(recipient=person).order_by("pk"))


def test_filing_an_update_tells_the_support_team_by_notice_and_mail_once(
    client, cast, django_capture_on_commit_callbacks
):
    second_staff = make_person("staff2", role=cast.support.Role.SUPPORT)
    client.force_login(cast.focal_owner)
    token = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        file_update(client, cast, token=token)
        file_update(client, cast, token=token)  # the same form posted twice
    update = ActivityUpdate.objects.get()
    for staff in (cast.support, second_staff):
        [notice] = notices_of(staff)
        assert notice.title == "UNODC filed an update on 1.1 Launch the key messages"
        assert notice.url == update.get_absolute_url()
    assert notices_of(cast.focal_owner) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.support.email, second_staff.email])
    assert mail.outbox[0].subject == "[GMG] Filed: UNODC filed an update on 1.1 Launch the key messages"
    assert update.get_absolute_url() in mail.outbox[0].body


def test_returning_an_update_tells_the_focal_point_who_filed_it_and_resubmitting_tells_the_team(
    client, cast, django_capture_on_commit_callbacks
):
    colleague = make_person("colleague", role=cast.focal_owner.Role.FOCAL_POINT, agency=cast.owner)
    update = services.activity_update_submit(
        activity=cast.activity, author=cast.focal_owner, agency=cast.owner, status="on_track", narrative="Started."
    )[0]
    mail.outbox.clear()
    client.force_login(cast.support)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workplans:update_review", args=[update.pk]),
            {"decision": "return", "comment": "Add the link to the paper."},
        )
    [notice] = notices_of(cast.focal_owner)
    assert notice.title == "Your update on 1.1 Launch the key messages was returned for changes"
    assert "Add the link to the paper." in notice.body
    assert notice.url == reverse("workplans:update_resubmit", args=[update.pk])
    assert notices_of(colleague) == []  # the one who filed it, not the whole agency
    [message] = mail.outbox
    assert message.to == [cast.focal_owner.email] and message.subject.startswith("[GMG] Returned:")
    assert "Add the link to the paper." in message.body
    assert "because you filed this progress update" in message.body

    mail.outbox.clear()
    client.force_login(cast.focal_owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("workplans:update_resubmit", args=[update.pk]),
            {"status": "completed", "narrative": "Paper launched.", "links": "https://x.org/p"},
        )
    resubmitted = "UNODC resubmitted its update on 1.1 Launch the key messages"
    assert [n.title for n in notices_of(cast.support)][-1] == resubmitted
    assert [m.to for m in mail.outbox] == [[cast.support.email]]

    mail.outbox.clear()
    client.force_login(cast.support)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workplans:update_review", args=[update.pk]), {"decision": "accept"})
    assert notices_of(cast.focal_owner)[-1].title == "Your update on 1.1 Launch the key messages was accepted"
    accepted = "Your update on 1.1 Launch the key messages was accepted"
    assert [m.subject for m in mail.outbox] == [f"[GMG] Accepted: {accepted}"]


def test_a_review_of_an_update_filed_by_the_support_team_reaches_the_agencys_focal_points(
    cast, django_capture_on_commit_callbacks
):
    update = services.activity_update_submit(
        activity=cast.activity, author=cast.support, agency=cast.owner, status="on_track", narrative="By phone."
    )[0]
    assert notices_of(cast.support) == []  # who filed it is not told of it
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_update_review(update=update, accept=True, comment="", reviewer=cast.support)
    accepted = "Your update on 1.1 Launch the key messages was accepted"
    assert [n.title for n in notices_of(cast.focal_owner)] == [accepted]


def test_the_sweep_never_drops_the_news_of_a_review(cast):
    with time_machine.travel("2030-03-01 09:00 +01:00", tick=False):
        services.activity_update_submit(
            activity=cast.activity, author=cast.focal_owner, agency=cast.owner, status="on_track", narrative="Go."
        )
        sweep.sweep()
    row = Reminder.objects.get(recipient=cast.support, kind="activity_update")
    assert row.dropped_at is None and row.occasion == "filed:1"


def test_a_round_queues_every_update_an_agency_filed_and_each_can_be_reviewed(client, cast):
    round_ = services.reporting_round_open(
        title="First half of 2014",
        workplan=cast.plan,
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )[0]
    first, second, from_partner = (
        services.activity_update_submit(
            activity=cast.activity, author=author, agency=agency, status="on_track", narrative=text, reported_on=day
        )[0]
        for author, agency, text, day in (
            (cast.focal_owner, cast.owner, "First news of the launch.", date(2014, 5, 2)),
            (cast.focal_owner, cast.owner, "Second news of the launch.", date(2014, 6, 2)),
            (cast.focal_partner, cast.partner, "The partner's news.", date(2014, 6, 3)),
        )
    )
    client.force_login(cast.support)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Updates to review (3)" in page
    for update in (first, second, from_partner):
        assert f'action="{reverse("workplans:update_review", args=[update.pk])}"' in page
    client.post(
        reverse("workplans:update_review", args=[first.pk]),
        {"decision": "accept", "next": round_.get_absolute_url()},
    )
    client.post(
        reverse("workplans:update_review", args=[second.pk]),
        {"decision": "return", "comment": "Merge it with the first.", "next": round_.get_absolute_url()},
    )
    reviews = dict(ActivityUpdate.objects.values_list("pk", "review"))
    assert (reviews[first.pk], reviews[second.pk], reviews[from_partner.pk]) == ("accepted", "returned", "submitted")
    assert "Updates to review (1)" in client.get(round_.get_absolute_url()).content.decode()


def test_a_round_counts_every_answer_waiting_for_review_two_from_one_agency_too_and_no_other(client, cast):
    """The queue's length is counted from the round's answers, the ones its page shows whole a page at a time."""
    from datetime import date

    from tests.factories import make_update
    from workplans.models import ActivityUpdate, ReportingRound

    round_ = ReportingRound.objects.create(
        title="First half of 2014",
        workplan=cast.plan,
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )
    waiting = ActivityUpdate.Review.SUBMITTED
    make_update(cast.activity, cast.owner, reported_on=date(2014, 3, 1), review=waiting)
    make_update(cast.activity, cast.owner, reported_on=date(2014, 4, 1), review=waiting)
    make_update(cast.activity, cast.partner, reported_on=date(2014, 4, 2), review=waiting)
    make_update(cast.activity, cast.owner, reported_on=date(2014, 5, 1), review=ActivityUpdate.Review.ACCEPTED)
    make_update(cast.activity, cast.owner, reported_on=date(2014, 5, 2), review=ActivityUpdate.Review.RETURNED)
    make_update(cast.activity, cast.owner, reported_on=date(2013, 12, 1), review=waiting)  # before the period
    client.force_login(cast.support)
    page = client.get(round_.get_absolute_url())
    assert page.context["pending"].count == 3 == len(page.context["pending"].rows)
    assert "Updates to review (3)" in page.content.decode()


def test_a_rounds_kept_page_carries_each_readers_own_csrf_token_and_its_reviews_go_through(cast):
    """The round's page is kept for every reviewer alike; its forms' token is filled in for each, and checked."""
    import re
    from datetime import date

    from django.test import Client

    round_ = services.reporting_round_open(
        title="First half of 2014",
        workplan=cast.plan,
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )[0]
    update = services.activity_update_submit(
        activity=cast.activity, author=cast.focal_owner, agency=cast.owner, status="on_track", narrative="News."
    )[0]
    tokens = []
    for _ in range(2):  # two reviewers' browsers: the second reads the page as kept for the first
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(cast.support)
        page = browser.get(round_.get_absolute_url()).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert "gmgkeptcsrftokenslot" not in page
        tokens.append(token)
    response = browser.post(
        reverse("workplans:update_review", args=[update.pk]),
        {"csrfmiddlewaretoken": tokens[-1], "decision": "accept", "next": round_.get_absolute_url()},
    )
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.review == "accepted"
    assert "Nothing waits for review." in browser.get(round_.get_absolute_url()).content.decode()
