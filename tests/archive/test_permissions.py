"""Who may open and change what in the archive: one table of role x page x method, checked on the server.

The roles: anonymous, a focal point, a principal, a viewer, support staff, and a deactivated support account.
Everyone signed in reads the documents and their files; only support staff upload, edit and add versions.
"""

import uuid
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.access import can_keep_archive
from archive.models import Document, DocumentVersion
from groups.access import can_read
from groups.models import Person
from tests.access_rules import assert_rules_allow
from tests.archive.files import make_pdf
from tests.factories import make_agency, make_meeting, make_person, register_kept_once

ROLES = ["anonymous", "focal_point", "principal", "viewer", "support", "deactivated"]


# The rules the pages ask, as (person, world) -> bool (each app's access.py): who may is not written twice.
def READERS(person, w):  # noqa: N802 - read like the role sets they replace
    return can_read(person)


def KEEPERS(person, w):  # noqa: N802 - read like the role sets they replace
    return can_keep_archive(person)




@pytest.fixture
@register_kept_once
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ilo = make_agency("ILO")
    meeting = make_meeting(date(2013, 2, 18))
    document = Document.objects.create(title="Minutes", kind="minutes", dated=date(2013, 2, 18), text="Minutes")
    document.meetings.set([meeting])
    version = DocumentVersion.objects.create(
        document=document, number=1, file=SimpleUploadedFile("minutes.pdf", make_pdf("Minutes")), file_name="m.pdf"
    )
    people = {
        "focal_point": make_person("fp-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
        "principal": make_person("principal-ilo", role=Person.Role.PRINCIPAL, agency=ilo),
        "viewer": make_person("viewer-ilo", role=Person.Role.VIEWER, agency=ilo),
        "support": make_person("support", role=Person.Role.SUPPORT),
        "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
    }
    return {"document": document, "version": version, "meeting": meeting, "people": people}


def pdf():
    return SimpleUploadedFile("new.pdf", make_pdf("Summary record"), "application/pdf")


def document_post(world, **extra):
    data = {"title": "Summary record", "kind": "summary_record", "dated": "2013-02-18", "language": "en"}
    return {**data, "meetings": [world["meeting"].pk], "token": str(uuid.uuid4()), "revision": 1, **extra}


# (name, method, url builder, post data builder, the rule the page asks).
PAGES = [
    ("document_list", "get", lambda w: reverse("archive:document_list"), None, READERS),
    ("document_detail", "get", lambda w: w["document"].get_absolute_url(), None, READERS),
    ("version_file", "get", lambda w: reverse("archive:version_file", args=[w["version"].pk]), None, READERS),
    ("meeting_with_documents", "get", lambda w: w["meeting"].get_absolute_url(), None, READERS),
    ("document_create_form", "get", lambda w: reverse("archive:document_create"), None, KEEPERS),
    (
        "document_create",
        "post",
        lambda w: reverse("archive:document_create"),
        lambda w: document_post(w, file=pdf()),
        KEEPERS,
    ),
    ("document_edit_form", "get", lambda w: reverse("archive:document_edit", args=[w["document"].pk]), None, KEEPERS),
    (
        "document_edit",
        "post",
        lambda w: reverse("archive:document_edit", args=[w["document"].pk]),
        lambda w: document_post(w, title="Minutes (final)"),
        KEEPERS,
    ),
    ("version_form", "get", lambda w: reverse("archive:version_create", args=[w["document"].pk]), None, KEEPERS),
    (
        "version_create",
        "post",
        lambda w: reverse("archive:version_create", args=[w["document"].pk]),
        lambda w: {"file": pdf(), "note": "signed copy", "token": str(uuid.uuid4())},
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
        assert snapshot() == before, "a refused write changed the record"


def test_the_rules_give_each_role_what_the_gmg_decided(world):
    """What the rules the table asks allow: everyone signed in reads the documents and their files; only support
    staff upload, edit and add versions."""
    expected = {
        READERS: {"focal_point", "principal", "viewer", "support"},
        KEEPERS: {"support"},
    }
    assert_rules_allow(expected, PAGES, ROLES, world)


def snapshot():
    return (
        list(Document.objects.order_by("pk").values_list("pk", "title", "kind", "revision")),
        list(DocumentVersion.objects.order_by("pk").values_list("pk", "document_id", "number", "file_name")),
    )


def test_the_pages_offer_the_upload_only_to_those_who_may_make_it(client, world):
    for role, offered in (("focal_point", False), ("support", True)):
        client.force_login(world["people"][role])
        assert ("Add a new version" in client.get(world["document"].get_absolute_url()).text) is offered
        assert ("Add a document" in client.get(reverse("archive:document_list")).text) is offered
