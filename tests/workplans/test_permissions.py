"""Who may do what on the work plan pages: one table of role x URL x method, each cell a test.

Anonymous people and deactivated accounts are sent to sign in; everyone signed in reads; writes follow
workplans/access.py, and a refusal is a 403 page that says why and changes nothing. Each row names the rule
its page asks; what the rules allow each role is tested once, apart (`test_the_rules_give_each_role_...`).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from groups.access import can_read
from workplans.access import (
    can_create_workplan,
    can_edit_activity,
    can_edit_stream,
    can_edit_workplan,
    can_open_reporting_round,
    can_publish_version,
    can_report_on,
)
from workplans.models import Activity, ActivityUpdate, ReportingRound, WorkPlan, WorkPlanVersion

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "focal_owner", "focal_other", "co_chair", "chair", "support", "deactivated"]
LOGIN = "login"


def activity_form(activity: Activity, **changes) -> dict:
    prefix = f"activity-{activity.pk}"
    data = {
        "revision": activity.revision,
        "number": activity.number,
        "description": activity.description,
        "timeframe": activity.timeframe,
        "starts_on": "",
        "ends_on": "",
        "lead": activity.lead,
        "lead_agencies": [a.pk for a in activity.lead_agencies.all()],
        "partners": [a.pk for a in activity.partners.all()],
        "funding_source": activity.funding_source,
        "estimated_cost": "",
        "currency": "",
        "cost_as_written": "",
        "status": activity.status,
        "note": "",
        **changes,
    }
    return {f"{prefix}-{key}": value for key, value in data.items()}


def update_form(cast) -> dict:
    return {
        "token": str(uuid.uuid4()),
        "status": "on_track",
        "narrative": "Launched in Geneva.",
        "links": "",
        "agency": cast.owner.pk,
    }


# (name, method, url(cast), data(cast) or None, changed(cast) -> bool, the rule the page asks)
# outcome: an HTTP status, or LOGIN for the redirect to the sign-in page.
@dataclass(frozen=True)
class Rule:
    """The access rule a page asks (workplans/access.py, groups/access.py), as (person, cast) -> bool, and the
    status of an allowed request: who may is not written here a second time."""

    allows: Callable
    ok: int

    def outcome(self, role: str, cast):
        if role in ("anonymous", "deactivated"):
            return LOGIN
        return self.ok if self.allows(getattr(cast, role), cast) else 403


ALL_READ = Rule(lambda p, c: can_read(p), 200)
CASES = [
    ("plan list", "get", lambda c: reverse("workplans:workplan_list"), None, None, ALL_READ),
    ("plan page", "get", lambda c: c.plan.get_absolute_url(), None, None, ALL_READ),
    ("activity page", "get", lambda c: c.activity.get_absolute_url(), None, None, ALL_READ),
    ("my agency's activities", "get", lambda c: reverse("workplans:my_activities"), None, None, ALL_READ),
    ("versions", "get", lambda c: reverse("workplans:version_list", args=[c.plan.slug]), None, None, ALL_READ),
    ("rounds", "get", lambda c: reverse("workplans:round_list"), None, None, ALL_READ),
    (
        "edit form of a group stream's activity",
        "get",
        lambda c: reverse("workplans:activity_edit", args=[c.activity.pk]),
        None,
        None,
        Rule(lambda p, c: can_edit_activity(p, c.activity), 200),
    ),
    (
        "save of a group stream's activity",
        "post",
        lambda c: reverse("workplans:activity_edit", args=[c.activity.pk]),
        lambda c: activity_form(c.activity, description="Launch the key messages in Geneva"),
        lambda c: Activity.objects.get(pk=c.activity.pk).description == "Launch the key messages in Geneva",
        Rule(lambda p, c: can_edit_activity(p, c.activity), 302),
    ),
    (
        "save of the chair's annual plan activity",
        "post",
        lambda c: reverse("workplans:activity_edit", args=[c.chair_activity.pk]),
        lambda c: activity_form(c.chair_activity, description="Convene the Principals in Geneva"),
        lambda c: Activity.objects.get(pk=c.chair_activity.pk).description == "Convene the Principals in Geneva",
        Rule(lambda p, c: can_edit_activity(p, c.chair_activity), 302),
    ),
    (
        "move of an activity",
        "post",
        lambda c: reverse("workplans:activity_move", args=[c.activity.pk]),
        lambda c: {"direction": "down"},
        None,
        Rule(lambda p, c: can_edit_activity(p, c.activity), 302),
    ),
    (
        "renumbering an output's activities",
        "post",
        lambda c: reverse("workplans:output_renumber", args=[c.output.pk]),
        # Out of order before the request: a refused renumbering leaves it so.
        lambda c: Activity.objects.filter(pk=c.activity.pk).update(number="9.9") and {},
        lambda c: Activity.objects.get(pk=c.activity.pk).number != "9.9",
        Rule(lambda p, c: can_edit_stream(p, c.output.stream), 302),
    ),
    (
        "removal of an activity",
        "post",
        lambda c: reverse("workplans:activity_remove", args=[c.activity.pk]),
        lambda c: {"confirm": "on"},
        lambda c: not Activity.objects.filter(pk=c.activity.pk).exists(),
        Rule(lambda p, c: can_edit_activity(p, c.activity), 302),
    ),
    (
        "move of a stream (the plan's editors only)",
        "post",
        lambda c: reverse("workplans:stream_move", args=[c.stream.pk]),
        lambda c: {"direction": "up"},
        None,
        Rule(lambda p, c: can_edit_workplan(p, c.stream.workplan), 302),
    ),
    (
        "a progress update on the owner's activity",
        "post",
        lambda c: reverse("workplans:activity_report", args=[c.activity.pk]),
        update_form,
        lambda c: ActivityUpdate.objects.filter(activity=c.activity).exists(),
        Rule(lambda p, c: can_report_on(p, c.activity), 302),
    ),
    (
        "a new work plan",
        "post",
        lambda c: reverse("workplans:workplan_create"),
        lambda c: {
            "token": str(uuid.uuid4()),
            "title": "MAWP 2016-2018",
            "slug": "mawp-2016-2018",
            "kind": "multi_annual",
            "status": "draft",
            "starts_on": "2016-01-01",
            "ends_on": "2018-12-31",
        },
        lambda c: WorkPlan.objects.filter(slug="mawp-2016-2018").exists(),
        Rule(lambda p, c: can_create_workplan(p), 302),
    ),
    (
        "a published version of the MAWP",
        "post",
        lambda c: reverse("workplans:version_list", args=[c.plan.slug]),
        lambda c: {"token": str(uuid.uuid4()), "label": "Adopted", "dated": "2013-07-03"},
        lambda c: WorkPlanVersion.objects.filter(workplan=c.plan, label="Adopted").exists(),
        Rule(lambda p, c: can_publish_version(p, c.plan), 302),
    ),
    (
        "a published version of the chair's annual plan",
        "post",
        lambda c: reverse("workplans:version_list", args=[c.chair_plan.slug]),
        lambda c: {"token": str(uuid.uuid4()), "label": "Presented", "dated": "2015-01-15"},
        lambda c: WorkPlanVersion.objects.filter(workplan=c.chair_plan, label="Presented").exists(),
        Rule(lambda p, c: can_publish_version(p, c.chair_plan), 302),
    ),
    (
        "a reporting round",
        "post",
        lambda c: reverse("workplans:round_create"),
        lambda c: {
            "token": str(uuid.uuid4()),
            "title": "First half of 2014",
            "period_starts_on": "2014-01-01",
            "period_ends_on": "2014-06-30",
            "due_on": "2014-07-15",
        },
        lambda c: ReportingRound.objects.exists(),
        Rule(lambda p, c: can_open_reporting_round(p), 302),
    ),
]


def test_the_rules_give_each_role_what_the_gmg_decided(cast):
    """What the rules the table asks allow each role (DOMAIN.md: Who uses the portal): everyone signed in reads;
    support staff edit every plan; a group's co-chairs its stream; the chair's people its annual plan; a focal
    point reports on its agency's activities; the support team creates plans and opens rounds."""
    expected = {
        "edit form of a group stream's activity": {"support", "co_chair"},
        "save of a group stream's activity": {"support", "co_chair"},
        "save of the chair's annual plan activity": {"support", "chair"},
        "move of an activity": {"support", "co_chair"},
        "renumbering an output's activities": {"support", "co_chair"},
        "removal of an activity": {"support", "co_chair"},
        "move of a stream (the plan's editors only)": {"support"},
        "a progress update on the owner's activity": {"support", "focal_owner"},
        "a new work plan": {"support"},
        "a published version of the MAWP": {"support"},
        "a published version of the chair's annual plan": {"support", "chair"},
        "a reporting round": {"support"},
    }
    roles = ["focal_owner", "focal_other", "co_chair", "chair", "support"]
    for name, _method, _url, _data, _changed, rule in CASES:
        allowed = {role for role in roles if rule.allows(getattr(cast, role), cast)}
        assert allowed == expected.get(name, set(roles)), name


def sign_in_as(client, cast, role: str):
    if role == "anonymous":
        return
    person = getattr(cast, role)
    if role == "deactivated":
        person.is_active = True
        person.save()
        client.force_login(person)
        person.is_active = False  # deactivated after signing in: the next request is no longer theirs
        person.save()
        return
    client.force_login(person)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "data", "changed", "outcome"), CASES, ids=[c[0] for c in CASES])
def test_each_role_may_do_what_it_should_and_nothing_more(
    client, cast, role, name, method, url, data, changed, outcome
):
    sign_in_as(client, cast, role)
    expected = outcome.outcome(role, cast)
    target = url(cast)
    response = getattr(client, method)(target, data(cast) if data else None)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content.decode()[:2000]
    if changed is not None:
        assert changed(cast) is (expected == 302)
    if expected == 403:
        assert "You may not do this" in response.content.decode()


def test_a_refusal_says_why_in_the_page(client, cast):
    client.force_login(cast.focal_other)
    response = client.get(reverse("workplans:activity_report", args=[cast.activity.pk]))
    assert response.status_code == 403
    assert "leads or takes part in this activity" in response.content.decode()


def test_the_chairs_principal_edits_the_annual_plan_and_a_viewer_does_not(client, cast):
    client.force_login(cast.principal)
    response = client.get(reverse("workplans:activity_edit", args=[cast.chair_activity.pk]))
    assert response.status_code == 200
    client.force_login(cast.viewer)
    assert client.get(reverse("workplans:activity_edit", args=[cast.chair_activity.pk])).status_code == 403
