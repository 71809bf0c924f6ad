"""The GMG's record as the website publishes it at load time, with the demo accounts and, beside what is public,
drafts and internal texts that must never reach the public website (each marked by a word found nowhere else)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from archive.models import Document, DocumentVersion
from chairs.models import ChairReportVersion, ChairTerm
from groups.models import Agency
from meetings.models import Meeting
from tests.archive.files import make_pdf
from tests.factories import make_person, make_update
from website import services
from website.models import Article, Publication
from workplans.models import Activity, ActivityUpdate

Kind = Publication.Kind
ACCEPTED_NARRATIVE = "Accepted update: the Saffron fact sheet went out to all members"


def png(colour: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(out, format="PNG")
    return out.getvalue()


@dataclass
class Drafts:
    """What the drafts made: the texts that must not be public, and the files that must or must not be."""

    secrets: list[tuple[str, str]]  # (what it is, a text that must be nowhere on the website)
    published_file: bytes  # the published version of the document with two versions
    image: bytes  # the image a public article shows
    person_email: str


def _article(slug: str, title: str, body: str, *, kind=Article.Kind.NEWS) -> Article:
    return services.article_save(
        article=Article(kind=kind, slug=slug, title=title, summary=f"{title}, in one sentence.", body=body)
    )


def _document(key: str, title: str, *versions: tuple[str, bytes, str]) -> Document:
    document = Document.objects.create(key=key, title=title, kind=Document.Kind.POSITION_PAPER, dated=date(2014, 5, 2))
    for number, (name, content, text) in enumerate(versions, start=1):
        DocumentVersion.objects.create(
            document=document,
            number=number,
            file=SimpleUploadedFile(name, content),
            file_name=name,
            file_size=len(content),
            text=text,
        )
    return document


@pytest.fixture
def drafts(gmg_record, settings, tmp_path) -> Drafts:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True  # create_demo_accounts is for a laptop only
    call_command("create_demo_accounts", stdout=io.StringIO())
    settings.DEBUG = False
    now = timezone.now()
    person = make_person(
        "quillon", first_name="Quillon", last_name="Vantablack", email="quillon.vantablack@example.net"
    )
    secrets = [
        ("unpublished article", "Zephyrine ministers drafted a statement nobody has approved"),
        ("scheduled article", "Marmalade announcement scheduled for tomorrow morning"),
        ("unpublished document's text", "Obsidian paper kept in the archive only"),
        ("unpublished version's text", "Vermilion second draft, never published"),
        ("unpublished report text", "Bismuth draft introduction of the chair, never published"),
        ("meeting minutes", "Minutes: the principals argued about the Xanadu budget line"),
        ("meeting note", "Internal note: the Xanadu venue fell through twice"),
        ("meeting remote link", "https://meet.example.org/room-kestrel-4711"),
        ("activity note", "Activity note: Pumpernickel agency has not paid its share"),
        ("activity cost as written", "USD 987,654 from the Quetzal trust fund"),
        ("activity funding source", "Quetzal trust fund, confidential pledge"),
        ("update narrative under review", "Rhododendron narrative still under review by the support team"),
        ("review comment", "Stalagmite: please rewrite this update before we accept it"),
    ]
    text = dict(secrets)

    _article("zephyrine-draft", "Zephyrine draft", text["unpublished article"])
    scheduled = _article("marmalade-news", "Marmalade news", text["scheduled article"])
    services.publish(kind=Kind.ARTICLE, obj=scheduled, at=now + timedelta(days=1))

    _document(
        "obsidian-paper",
        "Obsidian paper",
        ("obsidian.pdf", make_pdf("Obsidian paper kept in the archive only"), text["unpublished document's text"]),
    )
    published_file = make_pdf("Cerulean paper, version one")
    two_versions = _document(
        "cerulean-paper",
        "Cerulean paper",
        ("cerulean-1.pdf", published_file, "Cerulean paper, the version published on the website."),
        ("cerulean-2.pdf", make_pdf("Vermilion second draft"), text["unpublished version's text"]),
    )
    services.publish(kind=Kind.DOCUMENT, obj=two_versions, version=1)
    image = png("teal")
    _document("teal-picture", "Teal picture", ("teal.png", image, ""))
    pictured = _article(
        "teal-news", "Teal news", "The GMG met.\n\n![A teal square](archive:teal-picture)\n\n[The about page](/about/)"
    )
    services.publish(kind=Kind.ARTICLE, obj=pictured)

    meeting = Meeting.objects.get(key="principals-2013-07-03")
    assert Publication.objects.get(kind=Kind.MEETING, object_id=meeting.pk).is_public()
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes=text["meeting minutes"], note=text["meeting note"], remote_link=text["meeting remote link"]
    )

    activity = (
        Activity.objects.filter(output__stream__workplan__slug="mawp-2013-2015", output__year=2014)
        .order_by("plan_order")
        .first()
    )
    Activity.objects.filter(pk=activity.pk).update(
        note=text["activity note"],
        estimated_cost=Decimal("987654.32"),
        currency="USD",
        cost_as_written=text["activity cost as written"],
        funding_source=text["activity funding source"],
    )
    agency = Agency.objects.get(acronym="ILO")
    make_update(
        activity,
        agency,
        author=person,
        reported_on=date(2014, 11, 3),
        narrative=text["update narrative under review"],
        review=ActivityUpdate.Review.SUBMITTED,
    )
    make_update(
        activity,
        agency,
        author=person,
        reported_on=date(2014, 9, 1),
        narrative=ACCEPTED_NARRATIVE,
        review=ActivityUpdate.Review.ACCEPTED,
    )
    make_update(
        activity,
        agency,
        author=person,
        reported_on=date(2014, 6, 3),
        narrative="Work goes on as planned.",
        review=ActivityUpdate.Review.RETURNED,
        review_comment=text["review comment"],
    )

    # An annual report of the term the activity belongs to: its first text published, its second a draft.
    term = (
        ChairTerm.objects.filter(kind=ChairTerm.Kind.ACTUAL, starts_on__lte=date(2014, 11, 3))
        .order_by("-starts_on")
        .first()
    )
    ChairTerm.objects.filter(pk=term.pk).update(annual_report_submitted_on=term.ends_on + timedelta(days=30))
    term.refresh_from_db()
    ChairReportVersion.objects.create(term=term, revision=1, introduction="Amaranth introduction, as published.")
    ChairReportVersion.objects.create(term=term, revision=2, introduction=text["unpublished report text"])
    services.publish(kind=Kind.REPORT, obj=term, version=1)
    return Drafts(secrets=secrets, published_file=published_file, image=image, person_email=person.email)
