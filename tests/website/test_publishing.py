"""The publish step of the public website: nothing is public by default; the support team previews, publishes now
or at a moment, chooses the version a document or an annual report shows, and takes it off; each publication is
in the item's history with who and when; the public pages show the change at once (the kept pages are made
afresh when the public record changes or a scheduled publication comes due)."""

from __future__ import annotations

import subprocess
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.models import Document, DocumentVersion
from chairs.models import ChairTerm
from chairs.services import annual_report_mark_submitted, report_text_save
from groups.models import Person
from tests.archive.files import make_pdf
from tests.factories import make_agency, make_person
from tests.website.helpers import archive_image
from website import services
from website.models import Article, Publication

ZURICH = ZoneInfo("Europe/Zurich")


@pytest.fixture
def support(db):
    return make_person("officer", role=Person.Role.SUPPORT, first_name="Sam", last_name="Officer")


@pytest.fixture
def officer(client, support):
    client.force_login(support)
    return client


def news(slug="gfmd-2015", **fields) -> Article:
    values = {"title": "The GMG at the GFMD", "summary": "The GMG spoke at the GFMD.", "body": "Text", **fields}
    return Article.objects.create(slug=slug, **values)


def article_form(**extra) -> dict:
    data = {"kind": "news", "title": "The GMG at the GFMD", "slug": "gfmd-2015", "summary": "At the GFMD."}
    return {**data, "dated": "2015-10-14", "body": "## Istanbul\n\nThe GMG spoke.", **extra}


def test_nothing_is_public_until_it_is_published(client, officer, db):
    article = news()
    anonymous = type(client)()
    assert anonymous.get("/news/gfmd-2015/").status_code == 404
    assert "The GMG at the GFMD" not in anonymous.get("/news/").text
    desk = officer.get(reverse("desk:desk"), {"kind": "article"})
    assert "Not public" in desk.text
    response = officer.post(reverse("desk:item", args=["article", article.pk]), {"when": "now"})
    assert response.status_code == 302
    assert anonymous.get("/news/gfmd-2015/").status_code == 200
    assert "The GMG at the GFMD" in anonymous.get("/news/").text
    assert "Public since" in officer.get(reverse("desk:desk"), {"kind": "article", "state": "public"}).text


def test_the_preview_shows_the_page_as_visitors_will_see_it_before_it_is_public(officer, db):
    article = news(body="## Istanbul\n\nThe GMG *spoke*.")
    response = officer.get(reverse("desk:preview", args=["article", article.pk]))
    assert response.status_code == 200
    assert "This is how visitors will see this page once it is published" in response.text
    assert "<h2>Istanbul</h2>" in response.text or "The GMG <em>spoke</em>" not in response.text
    assert Publication.objects.count() == 0


def test_a_publication_at_nine_is_on_every_page_at_nine_and_on_none_before(client, officer, support, db):
    article = news()
    with time_machine.travel(datetime(2026, 12, 7, 15, 0, tzinfo=ZURICH), tick=False):
        officer.force_login(support)  # a session of its own day (sessions end after an hour without a request)
        response = officer.post(
            reverse("desk:item", args=["article", article.pk]), {"when": "at", "day": "2026-12-08", "time": "09:00"}
        )
        assert response.status_code == 302
        assert "Scheduled" in officer.get(reverse("desk:item", args=["article", article.pk])).text
    visitor = type(client)()
    with time_machine.travel(datetime(2026, 12, 8, 8, 59, 59, tzinfo=ZURICH), tick=False):
        # The pages are made and kept before nine...
        assert "The GMG at the GFMD" not in visitor.get("/").text
        assert "The GMG at the GFMD" not in visitor.get("/news/").text
        assert visitor.get("/news/gfmd-2015/").status_code == 404
        assert "The GMG at the GFMD" not in visitor.get("/news.atom").text
    with time_machine.travel(datetime(2026, 12, 8, 9, 0, tzinfo=ZURICH), tick=False):
        # ...and at nine every one shows it, with no save in between.
        assert "The GMG at the GFMD" in visitor.get("/").text
        assert "The GMG at the GFMD" in visitor.get("/news/").text
        assert visitor.get("/news/gfmd-2015/").status_code == 200
        assert "The GMG at the GFMD" in visitor.get("/news.atom").text


def test_each_publication_is_in_the_items_history_with_who_and_when(officer, support, db):
    article = news()
    with time_machine.travel(datetime(2026, 12, 7, 10, 30, tzinfo=ZURICH), tick=False):
        officer.force_login(support)
        officer.post(reverse("desk:item", args=["article", article.pk]), {"when": "now"})
        officer.post(reverse("desk:take_off", args=["article", article.pk]))
    officer.force_login(support)
    page = officer.get(reverse("desk:item", args=["article", article.pk])).text
    assert "Published on the public website from 7 December 2026, 10:30" in page
    assert "Taken off the public website" in page
    reasons = list(article.history.values_list("history_change_reason", "history_user__username"))
    assert ("Published on the public website from 7 December 2026, 10:30", "officer") in reasons
    assert ("Taken off the public website", "officer") in reasons


def test_the_same_publication_posted_twice_writes_one_entry(officer, support, db):
    article = news()
    url = reverse("desk:item", args=["article", article.pk])
    with time_machine.travel(datetime(2026, 12, 7, 15, 0, tzinfo=ZURICH), tick=False):
        officer.force_login(support)
        for _ in range(2):
            assert officer.post(url, {"when": "at", "day": "2026-12-08", "time": "09:00"}).status_code == 302
    assert Publication.objects.count() == 1
    assert Publication.history.count() == 1
    assert article.history.filter(history_change_reason__startswith="Scheduled").count() == 1


def test_taking_off_twice_takes_off_once(officer, db):
    article = news()
    services.publish(kind="article", obj=article)
    url = reverse("desk:take_off", args=["article", article.pk])
    assert officer.post(url).status_code == 302
    second = officer.post(url, follow=True)
    assert "It was not on the public website." in second.text
    assert article.history.filter(history_change_reason="Taken off the public website").count() == 1


def test_a_moment_that_has_passed_or_is_missing_is_told_in_the_page_and_nothing_changes(officer, support, db):
    article = news()
    url = reverse("desk:item", args=["article", article.pk])
    with time_machine.travel(datetime(2026, 12, 7, 15, 0, tzinfo=ZURICH), tick=False):
        officer.force_login(support)
        past = officer.post(url, {"when": "at", "day": "2026-12-01", "time": "09:00"})
        missing = officer.post(url, {"when": "at", "day": "", "time": ""})
        garbled = officer.post(url, {"when": "at", "day": "tomorrow", "time": "nine"})
        unknown = officer.post(url, {"when": "sometime"})
    assert past.status_code == 400 and "That moment has passed" in past.text
    assert missing.status_code == 400 and "Give the day it becomes public." in missing.text
    assert "Give the time it becomes public" in missing.text
    assert garbled.status_code == 400 and "Enter a valid time." in garbled.text
    assert unknown.status_code == 400
    assert Publication.objects.count() == 0


def test_a_documents_public_copy_is_the_version_chosen_not_the_latest_draft(client, officer, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = Document.objects.create(title="GMG fact sheet on migration and decent work", kind="position_paper")
    for number, words in ((1, "The final fact sheet"), (2, "A draft with comments")):
        DocumentVersion.objects.create(
            document=document,
            number=number,
            file=SimpleUploadedFile(f"fact-sheet-v{number}.pdf", make_pdf(words)),
            file_name=f"fact-sheet-v{number}.pdf",
            text=words,
        )
    url = reverse("desk:item", args=["document", document.pk])
    assert officer.post(url, {"when": "now", "version": "1"}).status_code == 302
    visitor = type(client)()
    page = visitor.get("/publications/").text
    assert "GMG fact sheet on migration and decent work" in page
    public = visitor.get(f"/publications/{document.pk}-gmg-fact-sheet-on-migration-and-decent-work/")
    assert "The final fact sheet" in public.text and "A draft with comments" not in public.text
    base = f"/publications/{document.pk}-gmg-fact-sheet-on-migration-and-decent-work"
    file = visitor.get(f"{base}/fact-sheet-v1.pdf")
    assert file.status_code == 200 and file["X-Content-Type-Options"] == "nosniff"
    assert visitor.get(f"{base}/fact-sheet-v2.pdf").status_code == 404
    assert visitor.get(f"/publications/{document.pk}-old-title/").status_code == 301
    history = officer.get(url).text
    assert "version 1" in history


def test_an_annual_report_is_published_once_submitted(client, officer, support, gmg_record):
    term = ChairTerm.objects.get(agency__acronym="ILO", kind="actual", starts_on__year=2014)
    url = reverse("desk:item", args=["report", term.pk])
    refused = officer.post(url, {"when": "now"})
    assert refused.status_code in (200, 400)
    assert "published once it is submitted" in refused.text
    assert not Publication.objects.filter(kind="report").exists()
    annual_report_mark_submitted(term=term, on=date(2015, 2, 27), by=support)
    untold = officer.post(url, {"when": "now"})
    assert "has no text yet" in untold.text and not Publication.objects.filter(kind="report").exists()
    report_text_save(
        term=term,
        introduction="The ILO chaired the GMG in 2014.",
        highlights="A year of follow-up to the High-level Dialogue.",
        revision=0,  # the first text of the report
        token=uuid.uuid4(),
        by=support,
    )
    assert officer.post(url, {"when": "now", "version": "1"}).status_code == 302
    visitor = type(client)()
    listing = visitor.get("/publications/").text
    assert "Annual report of the Chair, ILO, 2014" in listing
    report = visitor.get(f"/publications/annual-reports/{term.pk}-ilo-2014/")
    assert report.status_code == 200
    assert "Submitted on 27 February 2015" in report.text
    assert "/meetings/" not in report.text  # the report's links into the portal are left out
    pdf = visitor.get(f"/publications/annual-reports/{term.pk}-ilo-2014/report.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Opened as a reader opens it: poppler reads the report's title and its submission from the file.
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert "Annual report of the Chair of the Global Migration Group, 2014" in " ".join(text.split())
    assert "Submitted on 27 February 2015" in " ".join(text.split())


def test_the_article_is_sanitised_on_save(officer, db):
    body = (
        '## Headline\n\n<script>alert(1)</script>\n\n<p onclick="steal()">Click</p>\n\n'
        '[a link](javascript:alert(1)) and [GFMD](https://gfmd.org)\n\n<iframe src="https://evil.example"></iframe>'
    )
    response = officer.post(reverse("desk:article_new"), {**article_form(body=body), "token": str(uuid.uuid4())})
    assert response.status_code == 302
    html = Article.objects.get().body_html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html and "<iframe" not in html
    assert "<h3>Headline</h3>" in html
    assert 'href="https://gfmd.org"' in html and 'rel="noopener noreferrer"' in html


def test_an_image_comes_from_the_archive_with_a_description_and_is_public_with_its_article(
    client, officer, db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    image = archive_image()
    form = {**article_form(), "token": str(uuid.uuid4())}
    elsewhere = officer.post(reverse("desk:article_new"), {**form, "body": "![A photo](https://evil.example/x.png)"})
    assert elsewhere.status_code == 400 and "Images come from the archive" in elsewhere.text
    silent = officer.post(reverse("desk:article_new"), {**form, "body": f"![](archive:{image.key})"})
    assert silent.status_code == 400 and "needs a short description" in silent.text
    raw = officer.post(reverse("desk:article_new"), {**form, "body": '<img src="/x.png" alt="x">'})
    assert raw.status_code == 400 and "not as HTML" in raw.text
    not_an_image = Document.objects.create(key="minutes-2015", title="Minutes", kind="minutes")
    wrong = officer.post(reverse("desk:article_new"), {**form, "body": "![Minutes](archive:minutes-2015)"})
    assert wrong.status_code == 400 and "is not an image" in wrong.text
    assert not_an_image.pk and Article.objects.count() == 0
    made = officer.post(
        reverse("desk:article_new"), {**form, "body": f"![Delegates at the GFMD](archive:{image.key})"}
    )
    assert made.status_code == 302
    article = Article.objects.get()
    version = image.versions.get()
    src = reverse("website:image", args=[version.pk, version.file_name])
    assert f'<img alt="Delegates at the GFMD" src="{src}"' in article.body_html or src in article.body_html
    visitor = type(client)()
    assert visitor.get(src).status_code == 404  # not public until its article is
    services.publish(kind="article", obj=article)
    shown = visitor.get(src)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert src in visitor.get("/news/gfmd-2015/").text


def test_a_new_article_posted_twice_is_one_article(officer, db):
    data = {**article_form(), "token": str(uuid.uuid4())}
    first = officer.post(reverse("desk:article_new"), data)
    second = officer.post(reverse("desk:article_new"), data)
    assert first.status_code == second.status_code == 302
    assert Article.objects.count() == 1


def test_two_people_editing_an_article_the_second_is_told_and_loses_nothing(client, officer, db):
    article = news()
    url = reverse("desk:article_desk", args=[article.pk])
    other = type(client)()
    other.force_login(make_person("colleague", role=Person.Role.SUPPORT))
    mine = {**article_form(title="The GMG at GFMD 2015"), "revision": 1}
    theirs = {**article_form(title="The GMG at the GFMD in Istanbul"), "revision": 1}
    assert other.post(url, theirs).status_code == 302
    conflict = officer.post(url, mine)
    assert conflict.status_code == 409
    assert "Someone else saved this article" in conflict.text
    assert "The GMG at GFMD 2015" in conflict.text  # the second person's input is kept in the form
    assert Article.objects.get().title == "The GMG at the GFMD in Istanbul"


def test_a_page_address_the_portal_uses_is_refused(officer, db):
    taken = officer.post(
        reverse("desk:article_new"), {**article_form(kind="page", slug="meetings"), "token": str(uuid.uuid4())}
    )
    assert taken.status_code == 400 and "/meetings/ is already an address of the portal" in taken.text
    made = officer.post(
        reverse("desk:article_new"), {**article_form(kind="page", slug="contact"), "token": str(uuid.uuid4())}
    )
    assert made.status_code == 302


def test_signed_in_people_have_their_dashboard_one_click_away(client, db):
    person = make_person("viewer", agency=make_agency("ILO"))
    client.force_login(person)
    home = client.get("/")
    assert home.status_code == 200
    assert f'href="{reverse("dashboard")}"' in home.text
    assert client.get(reverse("dashboard")).status_code == 200
