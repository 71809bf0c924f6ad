"""Progress updates filed through the API: the report page's rules (its form checks them), the agency from the
person and never from the body, the same token twice files one update, and a session needs its CSRF token.

An update is a new row each time (append-only), so there is no earlier copy to be overwritten: no revision.
"""

import json
import uuid

from django.test import Client
from django.urls import reverse

from workplans.models import ActivityUpdate


def url(activity):
    return reverse("api:activity-updates", args=[activity.pk])


def body(**extra):
    return {
        "status": "on_track",
        "narrative": "The key messages went to print.",
        "token": str(uuid.uuid4()),
        "agency": "UNODC",
        **extra,
    }


def test_a_focal_point_files_an_update_for_its_own_agency(api, cast):
    response = api.post(
        url(cast.activity), body(agency="unodc", links=["https://example.org/report"]), cast.focal_owner
    )
    assert response.status_code == 201
    update = ActivityUpdate.objects.get()
    assert (update.agency, update.author, update.review) == (cast.owner, cast.focal_owner, "submitted")
    assert response.json()["update"]["links"] == ["https://example.org/report"]
    assert response.json()["created"] is True


def test_a_focal_point_naming_another_agency_is_refused_not_filed_for_its_own(api, cast):
    response = api.post(url(cast.activity), body(agency="UNICEF"), cast.focal_owner)
    assert response.status_code == 403
    assert response.json() == {"detail": "A focal point reports for its own agency (UNODC), not 'UNICEF'."}
    assert not ActivityUpdate.objects.exists()


def test_the_same_token_twice_files_one_update(api, cast):
    sent = body()
    first = api.post(url(cast.activity), sent, cast.focal_owner)
    second = api.post(url(cast.activity), sent, cast.focal_owner)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["created"] is False
    assert first.json()["update"]["id"] == second.json()["update"]["id"]
    assert ActivityUpdate.objects.count() == 1


def test_a_token_of_another_persons_update_is_refused(api, cast):
    sent = body()
    api.post(url(cast.activity), sent, cast.focal_owner)
    response = api.post(url(cast.activity), {**sent, "agency": "UNICEF"}, cast.focal_partner)
    assert response.status_code == 409 and "token" in response.json()
    assert ActivityUpdate.objects.count() == 1


def test_support_staff_name_the_agency_among_the_activitys(api, cast):
    unnamed = {k: v for k, v in body().items() if k != "agency"}
    assert api.post(url(cast.activity), unnamed, cast.support).status_code == 400
    refused = api.post(url(cast.activity), body(agency="ILO"), cast.support)
    assert refused.status_code == 409 and "UNICEF, UNODC" in refused.json()["agency"][0]
    assert api.post(url(cast.activity), body(agency="unicef"), cast.support).status_code == 201
    assert ActivityUpdate.objects.get().agency == cast.partner


def test_the_pages_checks_refuse_bad_input_with_reasons(api, cast):
    cases = [
        (body(links=["not a link"]), "links", "not a web address"),
        (body(status="finished"), "status", ""),
        (body(narrative=""), "narrative", ""),
        (body(narrative=" \u3000\x1c"), "narrative", ""),
        (body(links=["ftp://example.org/report"]), "links", ""),
        (body(links=["https://example.org/" + "a" * 1000]), "links", ""),
        ({k: v for k, v in body().items() if k != "agency"}, "agency", ""),
        ({k: v for k, v in body().items() if k != "token"}, "token", ""),
    ]
    for sent, field, words in cases:
        response = api.post(url(cast.activity), sent, cast.focal_owner)
        assert response.status_code == 400, sent
        assert field in response.json()
        assert words in json.dumps(response.json()[field])
    assert not ActivityUpdate.objects.exists()


def test_an_update_on_no_activity_is_not_found(api, cast):
    response = api.post(reverse("api:activity-updates", args=[999999]), body(), cast.focal_owner)
    assert response.status_code == 404


def test_a_signed_in_session_must_send_its_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.focal_owner)
    response = client.post(url(cast.activity), body(), content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not ActivityUpdate.objects.exists()


def test_writes_have_their_own_rate_limit(api, cast, settings):
    settings.GMG_API_RATE_WRITES = "2/minute"
    codes = [api.post(url(cast.activity), body(), cast.focal_owner).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert ActivityUpdate.objects.count() == 2


def test_reads_are_rate_limited_per_person(client, cast, key_of, settings):
    settings.GMG_API_RATE_PER_PERSON = "3/minute"
    key = key_of(cast.viewer)
    codes = [client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=f"Bearer {key}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = client.get(reverse("api:agency-list"), HTTP_AUTHORIZATION=f"Bearer {key_of(cast.support)}")
    assert other.status_code == 200, "one person's budget is not another's"
