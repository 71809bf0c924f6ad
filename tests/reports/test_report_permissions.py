"""Who may open and change the chair's annual report: one table of role x page x method, checked on the server.

Everyone signed in reads the report and downloads it; the chair's people (the chairing agency's focal points and
principal) and the support team write its text and mark it submitted; nobody else does, and a refused write
changes nothing.
"""

import uuid
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from chairs.models import ChairReportVersion, ChairTerm
from groups.models import Person
from tests.factories import make_agency, make_group, make_person, make_term, register_kept_once

ROLES = [
    "anonymous",
    "viewer",
    "focal_other",
    "chair_viewer",
    "chair_focal",
    "chair_principal",
    "support",
    "deactivated",
]
READERS = {"viewer", "focal_other", "chair_viewer", "chair_focal", "chair_principal", "support"}
WRITERS = {"chair_focal", "chair_principal", "support"}


@pytest.fixture
@register_kept_once
def world(db):
    ilo, unhcr = make_agency("ILO"), make_agency("UNHCR")
    term = make_term(ilo, date(2014, 1, 1), date(2014, 12, 31))
    make_group(co_chairs=[ilo], slug="tf-decent-work", name="TF on Migration and Decent Work")
    people = {
        "viewer": make_person("viewer", role=Person.Role.VIEWER),
        "focal_other": make_person("focal-unhcr", role=Person.Role.FOCAL_POINT, agency=unhcr),
        "chair_viewer": make_person("viewer-ilo", role=Person.Role.VIEWER, agency=ilo),
        "chair_focal": make_person("focal-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
        "chair_principal": make_person("principal-ilo", role=Person.Role.PRINCIPAL, agency=ilo),
        "support": make_person("support", role=Person.Role.SUPPORT),
        "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
    }
    return {"term": term, "people": people}


def text_post(world):
    return {"introduction": "The ILO chaired.", "highlights": "- GFMD", "revision": 0, "token": str(uuid.uuid4())}


PAGES = [
    ("report", "get", lambda w: reverse("chairs:report", args=[w["term"].pk]), None, READERS),
    ("report_pdf", "get", lambda w: reverse("chairs:report_download", args=[w["term"].pk, "pdf"]), None, READERS),
    ("report_docx", "get", lambda w: reverse("chairs:report_download", args=[w["term"].pk, "docx"]), None, READERS),
    ("report_html", "get", lambda w: reverse("chairs:report_download", args=[w["term"].pk, "html"]), None, READERS),
    ("group_report", "get", lambda w: reverse("groups:group_report", args=["tf-decent-work", 2014]), None, READERS),
    (
        "group_report_pdf",
        "get",
        lambda w: reverse("groups:group_report_download", args=["tf-decent-work", 2014, "pdf"]),
        None,
        READERS,
    ),
    (
        "group_report_docx",
        "get",
        lambda w: reverse("groups:group_report_download", args=["tf-decent-work", 2014, "docx"]),
        None,
        READERS,
    ),
    ("report_edit_form", "get", lambda w: reverse("chairs:report_edit", args=[w["term"].pk]), None, WRITERS),
    ("report_edit", "post", lambda w: reverse("chairs:report_edit", args=[w["term"].pk]), text_post, WRITERS),
    (
        "report_submit",
        "post",
        lambda w: reverse("chairs:report_submit", args=[w["term"].pk]),
        lambda w: {"submitted_on": "2015-02-18"},
        WRITERS,
    ),
]
CASES = [(page, role) for page in PAGES for role in ROLES]


def snapshot():
    return (
        list(ChairReportVersion.objects.order_by("pk").values_list("pk", "revision", "introduction")),
        list(ChairTerm.objects.order_by("pk").values_list("pk", "annual_report_submitted_on")),
    )


@pytest.mark.parametrize(("page", "role"), CASES, ids=[f"{p[0]}-{r}" for p, r in CASES])
@time_machine.travel(date(2015, 2, 20), tick=False)
def test_each_role_may_do_what_it_should_and_nothing_more(client, world, page, role):
    name, method, url_for, data_for, allowed = page
    if role != "anonymous":
        client.force_login(world["people"][role])
    url = url_for(world)
    before = snapshot()
    response = client.get(url) if method == "get" else client.post(url, data_for(world))
    if role in ("anonymous", "deactivated"):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert snapshot() == before
    elif role in allowed:
        assert response.status_code == (200 if method == "get" else 302), response.content[:2000]
        if method == "post":
            assert snapshot() != before, "an allowed write changed nothing"
    else:
        assert response.status_code == 403
        assert snapshot() == before, "a refused write changed the record"


@time_machine.travel(date(2015, 2, 20), tick=False)
def test_a_refusal_names_who_may_write_the_report(client, world):
    client.force_login(world["people"]["focal_other"])
    response = client.post(reverse("chairs:report_edit", args=[world["term"].pk]), text_post(world))
    assert response.status_code == 403
    assert "Only ILO&#x27;s focal points and principal, with the support team, write this term&#x27;s report." in (
        response.text
    )


def test_marking_submitted_needs_a_post(client, world):
    client.force_login(world["people"]["support"])
    assert client.get(reverse("chairs:report_submit", args=[world["term"].pk])).status_code == 405
