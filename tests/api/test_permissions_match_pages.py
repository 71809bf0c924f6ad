"""The API allows exactly what the pages allow: one table of role x endpoint x method, each API call checked
against the page that shows or changes the same thing (both ask the apps' access.py).

A page refuses an anonymous or deactivated visitor by sending them to sign in; the API answers 401. A page's
403 is the API's 403. A page that shows (200) or saves and redirects (302) is the API's 200 or 201.
"""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import make_decision, make_meeting, register_kept_once
from workplans.models import ActivityUpdate

ROLES = [
    "anonymous",
    "support",
    "focal_owner",
    "focal_partner",
    "focal_other",
    "co_chair",
    "chair",
    "principal",
    "viewer",
    "deactivated",
]


@pytest.fixture
@register_kept_once
def world(cast):
    meeting = make_meeting(date(2015, 6, 1), title="Working-level meeting", kind=Meeting.Kind.WORKING_LEVEL)
    decision = make_decision(meeting, "1")
    return {"cast": cast, "meeting": meeting, "decision": decision}


def person(world, role):
    return None if role == "anonymous" else getattr(world["cast"], role)


# (name, API url, page url): reads.
READS = [
    ("agencies", lambda w: reverse("api:agency-list"), lambda w: reverse("groups:agency_list")),
    (
        "agency",
        lambda w: reverse("api:agency-detail", args=[w["cast"].owner.pk]),
        lambda w: w["cast"].owner.get_absolute_url(),
    ),
    ("chair_terms", lambda w: reverse("api:chair-term-list"), lambda w: reverse("chairs:term_list")),
    ("troika", lambda w: reverse("api:troika") + "?on=2015-06-15", lambda w: reverse("dashboard")),
    ("groups", lambda w: reverse("api:group-list"), lambda w: reverse("groups:group_list")),
    (
        "group",
        lambda w: reverse("api:group-detail", args=[w["cast"].stream.lead_group.slug]),
        lambda w: w["cast"].stream.lead_group.get_absolute_url(),
    ),
    ("workplans", lambda w: reverse("api:workplan-list"), lambda w: reverse("workplans:workplan_list")),
    (
        "workplan",
        lambda w: reverse("api:workplan-detail", args=[w["cast"].plan.slug]),
        lambda w: w["cast"].plan.get_absolute_url(),
    ),
    ("activities", lambda w: reverse("api:activity-list"), lambda w: reverse("workplans:workplan_list")),
    (
        "activity",
        lambda w: reverse("api:activity-detail", args=[w["cast"].activity.pk]),
        lambda w: w["cast"].activity.get_absolute_url(),
    ),
    (
        "activity_updates",
        lambda w: reverse("api:activity-updates", args=[w["cast"].activity.pk]),
        lambda w: w["cast"].activity.get_absolute_url(),
    ),
    ("meetings", lambda w: reverse("api:meeting-list"), lambda w: reverse("meetings:meeting_list")),
    (
        "meeting",
        lambda w: reverse("api:meeting-detail", args=[w["meeting"].pk]),
        lambda w: w["meeting"].get_absolute_url(),
    ),
    ("decisions", lambda w: reverse("api:decision-list"), lambda w: reverse("meetings:decision_list")),
    (
        "decision",
        lambda w: reverse("api:decision-detail", args=[w["decision"].pk]),
        lambda w: w["decision"].get_absolute_url(),
    ),
    (
        "deadlines",
        lambda w: reverse("api:deadlines") + "?from=2015-01-01&to=2015-12-31",
        lambda w: reverse("dashboard"),
    ),
]

# (name, the activity, who may): writes - a progress update on an activity, by its lead or partner agencies'
# focal points and the support team (DOMAIN.md: Who uses the portal).
WRITES = [
    ("update_on_plan_activity", lambda w: w["cast"].activity, {"support", "focal_owner", "focal_partner"}),
    ("update_on_chair_activity", lambda w: w["cast"].chair_activity, {"support", "chair"}),
]


def page_outcome(response) -> str:
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return "sign in"
    if response.status_code in (200, 302):
        return "allowed"
    if response.status_code == 403:
        return "refused"
    return f"page answered {response.status_code}"


def api_outcome(response) -> str:
    return {200: "allowed", 201: "allowed", 401: "sign in", 403: "refused"}.get(
        response.status_code, f"API answered {response.status_code}"
    )


READ_CASES = [(read, role) for read in READS for role in ROLES]


@pytest.mark.parametrize(("read", "role"), READ_CASES, ids=[f"{r[0]}-{role}" for r, role in READ_CASES])
def test_each_role_reads_through_the_api_what_it_reads_on_the_page(client, api, world, read, role):
    name, api_url, page_url = read
    who = person(world, role)
    if who is not None:
        client.force_login(who)
    page = page_outcome(client.get(page_url(world)))
    client.logout()
    assert api_outcome(api.get(api_url(world), who)) == page


WRITE_CASES = [(write, role) for write in WRITES for role in ROLES]


@pytest.mark.parametrize(("write", "role"), WRITE_CASES, ids=[f"{w[0]}-{role}" for w, role in WRITE_CASES])
def test_each_role_files_updates_through_the_api_where_it_may_on_the_page(client, api, world, write, role):
    name, activity_of, allowed = write
    activity = activity_of(world)
    who = person(world, role)
    agency = activity.lead_agencies.first()
    if who is not None:
        client.force_login(who)
    page_form = {"status": "on_track", "narrative": "From the page.", "token": str(uuid.uuid4()), "agency": agency.pk}
    page_response = client.post(reverse("workplans:activity_report", args=[activity.pk]), page_form)
    page = page_outcome(page_response)
    assert page == ("allowed" if role in allowed else "sign in" if role in {"anonymous", "deactivated"} else "refused")
    client.logout()
    before = ActivityUpdate.objects.count()
    # Each names the agency it reports for: support staff one of the activity's, anyone else their own.
    named = agency if who is None or who.agency is None or role == "support" else who.agency
    body = {"status": "on_track", "narrative": "From a program.", "token": str(uuid.uuid4()), "agency": named.acronym}
    response = api.post(reverse("api:activity-updates", args=[activity.pk]), body, who)
    assert api_outcome(response) == page, response.content[:500]
    assert ActivityUpdate.objects.count() == before + (1 if page == "allowed" else 0)


def test_the_table_covers_every_api_route():
    """A new endpoint without a row in the table above fails here."""
    from api.urls import router

    covered = {"agency", "chair-term", "group", "workplan", "activity", "meeting", "decision"}
    assert {basename for _, _, basename in router.registry} == covered
