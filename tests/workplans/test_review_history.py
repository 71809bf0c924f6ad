"""A reviewed update reads right on the activity's page: who returned it is the reviewer, not its author, and the
History panel gives the review's moment as the page gives every time (the portal's time zone, to the minute)."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import make_update
from workplans.models import ActivityUpdate

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(client, cast, settings):
    settings.TIME_ZONE = "Europe/Zurich"
    update = make_update(cast.activity, cast.owner, author=cast.focal_owner)
    client.force_login(cast.support)
    with time_machine.travel(datetime(2026, 12, 6, 22, 29, 0, 966780, tzinfo=UTC), tick=False):
        answer = client.post(
            reverse("workplans:update_review", args=[update.pk]), {"decision": "return", "comment": "Add the dates"}
        )
    assert answer.status_code == 302
    assert ActivityUpdate.objects.get(pk=update.pk).review == ActivityUpdate.Review.RETURNED
    return client.get(cast.activity.get_absolute_url()).content.decode()


def test_a_returned_update_names_its_author_and_the_reviewer_who_returned_it(returned):
    text = " ".join(re.sub(r"<[^>]+>", " ", returned).split())
    assert "reported by Olga Owner" in text
    assert "Returned for changes by Sam Support" in text
    assert "Returned for changes by Olga Owner" not in text


def test_the_history_gives_the_moment_of_the_review_in_the_portals_time_zone(returned):
    assert "2026-12-06 22:29:00" not in returned and "+00:00" not in returned
    assert re.search(r"Reviewed at: <del>\(empty\)</del> → <ins>6 Dec 2026, 23:29</ins>", returned, re.I), returned
