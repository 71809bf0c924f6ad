"""Who may open and change what of the public website: one table of role x page x method, checked on the server.

Everyone reads what is published, signed in or not; only support staff open the desk, publish, preview, take off
and write articles (website/access.py).
"""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from groups.models import Person
from tests.access_rules import assert_rules_allow
from tests.factories import make_agency, make_person, register_kept_once
from website.access import can_keep_website
from website.models import Article, Publication

ROLES = ["anonymous", "focal_point", "principal", "viewer", "support", "deactivated"]


def KEEPERS(person, w):  # noqa: N802 - read like the role sets they replace
    return can_keep_website(person)


@pytest.fixture
@register_kept_once
def world(db):
    ilo = make_agency("ILO")
    article = Article.objects.create(slug="gfmd", title="The GMG at the GFMD", summary="At the GFMD.", body="Text")
    people = {
        "focal_point": make_person("fp-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
        "principal": make_person("principal-ilo", role=Person.Role.PRINCIPAL, agency=ilo),
        "viewer": make_person("viewer-ilo", role=Person.Role.VIEWER, agency=ilo),
        "support": make_person("support", role=Person.Role.SUPPORT),
        "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
    }
    return {"ilo": ilo, "article": article, "people": people}


def article_post(w, **extra):
    data = {"kind": "news", "title": "News", "slug": f"news-{uuid.uuid4().hex[:8]}", "summary": "One line."}
    return {**data, "dated": "2015-06-15", "body": "## Heading\n\nText.", "token": str(uuid.uuid4()), **extra}


def item_url(w, name="desk:item"):
    return reverse(name, args=["agency", w["ilo"].pk])


PAGES = [
    ("desk", "get", lambda w: reverse("desk:desk"), None, KEEPERS),
    ("item_page", "get", item_url, None, KEEPERS),
    ("publish", "post", item_url, lambda w: {"when": "now"}, KEEPERS),
    ("preview", "get", lambda w: item_url(w, "desk:preview"), None, KEEPERS),
    ("article_new_form", "get", lambda w: reverse("desk:article_new"), None, KEEPERS),
    ("article_new", "post", lambda w: reverse("desk:article_new"), article_post, KEEPERS),
    ("article_form", "get", lambda w: reverse("desk:article_desk", args=[w["article"].pk]), None, KEEPERS),
    (
        "article_edit",
        "post",
        lambda w: reverse("desk:article_desk", args=[w["article"].pk]),
        lambda w: {**article_post(w, slug="gfmd", title="The GMG at the GFMD (2)"), "revision": 1},
        KEEPERS,
    ),
]
CASES = [(page, role) for page in PAGES for role in ROLES]


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p[0]}-{r}" for p, r in CASES])
def test_each_role_may_do_what_it_should_and_nothing_more(client, world, page, role):
    name, method, url_for, data_for, rule = page
    if role != "anonymous":
        client.force_login(world["people"][role])
    url = url_for(world)
    before = snapshot()
    response = client.get(url) if method == "get" else client.post(url, data_for(world))
    if role in ("anonymous", "deactivated"):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert snapshot() == before
    elif rule(world["people"][role], world):
        assert response.status_code == (200 if method == "get" else 302), response.content[:2000]
        if method == "post":
            assert snapshot() != before, "an allowed write changed nothing"
    else:
        assert response.status_code == 403
        assert "kept by the support team" in response.text
        assert snapshot() == before, "a refused write changed the record"


def test_taking_off_is_the_support_teams_alone(client, world):
    url = reverse("desk:take_off", args=["agency", world["ilo"].pk])
    Publication.objects.create(kind="agency", object_id=world["ilo"].pk, public_from=date(2015, 1, 1))
    for role in ("focal_point", "principal", "viewer"):
        client.force_login(world["people"][role])
        assert client.post(url).status_code == 403
    assert Publication.objects.get().public_from is not None
    client.force_login(world["people"]["support"])
    assert client.post(url).status_code == 302
    assert Publication.objects.get().public_from is None


def test_the_rules_give_each_role_what_the_gmg_decided(world):
    """Decision 2 of 3 July 2013 gives the website to the support team: only it keeps the public website."""
    assert_rules_allow({KEEPERS: {"support"}}, PAGES, ROLES, world)


def snapshot():
    return (
        list(Article.objects.order_by("pk").values_list("pk", "title", "slug", "revision")),
        list(Publication.objects.order_by("pk").values_list("pk", "kind", "object_id", "public_from", "version")),
    )
