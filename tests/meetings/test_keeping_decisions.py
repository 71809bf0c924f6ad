"""The support team records a meeting's decisions in the portal (number, text, trial period, review date, what
it establishes or adopts) and a review's outcome as a decision of its own, linked to the first."""

from datetime import date

import pytest
from django.urls import reverse

from groups.models import Person
from meetings.models import Decision
from tests.factories import make_agency, make_decision, make_group, make_meeting, make_person

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "viewer", "focal_point", "co_chair", "support", "deactivated"]
TOKEN = "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f"


@pytest.fixture
def world():
    ilo = make_agency("ILO")
    group = make_group(
        co_chairs=[ilo], slug="tf-decent-work", name="TF on Migration and Decent Work", tor_adopted_on=None
    )
    principals = make_meeting(date(2013, 7, 3), title="Principals meeting")
    later = make_meeting(date(2016, 7, 5), title="Principals retreat")
    rotation = make_decision(
        principals, "1", title="Alphabetical rotation", trial_months=36, review_on=date(2016, 7, 3)
    )
    return {
        "group": group,
        "principals": principals,
        "later": later,
        "rotation": rotation,
        "people": {
            "viewer": make_person("viewer"),
            "focal_point": make_person("fp", role=Person.Role.FOCAL_POINT, agency=make_agency("UNHCR")),
            "co_chair": make_person("ilo-fp", role=Person.Role.FOCAL_POINT, agency=ilo),
            "support": make_person("support", role=Person.Role.SUPPORT),
            "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
        },
    }


def new_decision(w, **extra):
    return {
        "number": "4",
        "title": "Working groups and task forces",
        "text": "The GMG establishes the task force on migration and decent work.",
        "trial_months": "",
        "review_on": "",
        "source": "",
        "establishes": [w["group"].pk],
        "token": TOKEN,
        **extra,
    }


def edit_decision(decision, **extra):
    return {
        "number": decision.number,
        "title": decision.title,
        "text": decision.text,
        "trial_months": decision.trial_months or "",
        "review_on": decision.review_on.isoformat() if decision.review_on else "",
        "source": "",
        "revision": decision.revision,
        **extra,
    }


def review(w, **extra):
    return {
        "meeting": w["later"].pk,
        "outcome": "extended",
        "number": "2",
        "title": "Review of the rotation",
        "text": "The rotation is extended for three more years.",
        "trial_months": "36",
        "review_on": "2019-07-05",
        "source": "",
        "token": "5d6e7f8a-9b0c-4d1e-8f2a-3b4c5d6e7f80",
        **extra,
    }


WRITES = [
    ("decision_create", lambda w: reverse("meetings:decision_create", args=[w["principals"].pk]), new_decision),
    (
        "decision_edit",
        lambda w: reverse("meetings:decision_edit", args=[w["rotation"].pk]),
        lambda w: edit_decision(w["rotation"], title="Rotation by alphabetical order"),
    ),
    ("decision_review", lambda w: reverse("meetings:decision_review", args=[w["rotation"].pk]), review),
]
CASES = [(write, role, method) for write in WRITES for role in ROLES for method in ("get", "post")]


def snapshot():
    return list(Decision.objects.order_by("pk").values_list("pk", "number", "title", "reviewed_on", "revision"))


@pytest.mark.parametrize(("write", "role", "method"), CASES, ids=[f"{w[0]}-{r}-{m}" for w, r, m in CASES])
def test_only_support_staff_record_decisions(client, world, write, role, method):
    name, url_for, data_for = write
    if role != "anonymous":
        client.force_login(world["people"][role])
    before = snapshot()
    url = url_for(world)
    response = client.get(url) if method == "get" else client.post(url, data_for(world))
    if role in ("anonymous", "deactivated"):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    elif role == "support":
        assert response.status_code == (200 if method == "get" else 302), response.content[-3000:]
        if method == "post":
            assert snapshot() != before
        return
    else:
        assert response.status_code == 403
    assert snapshot() == before


def test_a_decision_is_recorded_once_with_what_it_establishes(client, world):
    client.force_login(world["people"]["support"])
    url = reverse("meetings:decision_create", args=[world["principals"].pk])
    assert client.post(url, new_decision(world)).status_code == 302
    assert client.post(url, new_decision(world)).status_code == 302
    decision = Decision.objects.get(number="4")
    world["group"].refresh_from_db()
    assert world["group"].establishing_decision == decision
    clash = client.post(url, new_decision(world, token="6e7f8a9b-0c1d-4e2f-9a3b-4c5d6e7f8091"))
    assert clash.status_code == 400 and "This meeting already has a decision 4" in clash.text
    trial = client.post(
        url, new_decision(world, number="5", trial_months="18", token="7f8a9b0c-1d2e-4f3a-8b4c-5d6e7f809102")
    )
    assert trial.status_code == 400 and "A decision on trial has a review date." in trial.text
    assert Decision.objects.count() == 2


def test_two_people_editing_a_decision_do_not_overwrite_each_other_unseen(client, world):
    rotation = world["rotation"]
    client.force_login(world["people"]["support"])
    url = reverse("meetings:decision_edit", args=[rotation.pk])
    stale = edit_decision(rotation)
    assert client.post(url, {**stale, "title": "First"}).status_code == 302
    response = client.post(url, {**stale, "title": "Second"})
    assert response.status_code == 409 and "Someone else saved this decision" in response.text
    rotation.refresh_from_db()
    assert rotation.title == "First"


def test_a_review_is_a_decision_of_its_own_that_settles_the_first(client, world):
    rotation = world["rotation"]
    client.force_login(world["people"]["support"])
    url = reverse("meetings:decision_review", args=[rotation.pk])
    assert client.post(url, review(world)).status_code == 302
    assert client.post(url, review(world)).status_code == 302  # posted twice: one review
    outcome = Decision.objects.get(reviews=rotation)
    assert (outcome.meeting, outcome.outcome) == (world["later"], "extended")
    rotation.refresh_from_db()
    assert rotation.reviewed_on == date(2016, 7, 5)
    page = client.get(rotation.get_absolute_url())
    assert "Reviewed by" in page.text and "extended" in page.text
    assert "Alphabetical rotation" in client.get(outcome.get_absolute_url()).text
