"""Who reads which language, as they meet it: a visitor by their browser and the switcher, at the public website's
/fr/ and /es/ addresses; a signed-in person by the choice on their own page, on every page and in every mail; an
article in the visitor's language or, without a version in it, in English with a note; dates, amounts and date
inputs as each language writes them."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from groups.models import Person
from reminders import sweep
from reminders.models import Notice
from reminders.tasks import deliver_now
from tests.factories import (
    make_activity,
    make_agency,
    make_meeting,
    make_output,
    make_person,
    make_stream,
    make_workplan,
)
from website import services
from website.models import Article, Publication

pytestmark = pytest.mark.django_db

SITE = settings.SITE_URL.rstrip("/")
FRENCH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "fr-CH,fr;q=0.9,en;q=0.5"}


def _publish(obj, kind: str) -> None:
    services.publish(kind=kind, obj=obj, by=None, at=timezone.now())


def _article(**fields) -> Article:
    article = services.article_save(
        article=Article(
            slug="gfmd-2015",
            title="The GMG at the GFMD",
            summary="One voice at the GFMD.",
            body="The **GMG** spoke as one.",
            **fields,
        )
    )
    _publish(article, Publication.Kind.ARTICLE)
    return article


# -- a visitor -----------------------------------------------------------------------------------------------------


def test_a_visitor_whose_browser_asks_for_french_arrives_at_the_french_page(client):
    arrived = client.get("/about/?from=search", **FRENCH_BROWSER)
    assert arrived.status_code == 302 and arrived["Location"] == "/fr/about/?from=search"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in arrived["Vary"].split(",")}
    page = client.get("/fr/about/", **FRENCH_BROWSER)
    assert page.status_code == 200 and page["Content-Language"] == "fr"
    assert '<html lang="fr">' in page.content.decode()
    # A browser that asks for a language the website does not speak reads English where it arrives.
    assert client.get("/about/", HTTP_ACCEPT_LANGUAGE="de-DE,de").status_code == 200


def test_a_visitor_who_chooses_english_with_the_switcher_keeps_it(client):
    french = client.get("/fr/about/", **FRENCH_BROWSER).content.decode()
    assert 'href="/about/" hreflang="en-gb" lang="en-gb">English</a>' in french
    assert '<span aria-current="true" lang="fr">Français</span>' in french
    chose = client.get("/about/", HTTP_REFERER="http://testserver/fr/about/", **FRENCH_BROWSER)
    assert chose.status_code == 200 and '<html lang="en-gb">' in chose.content.decode()
    assert chose.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"
    # Coming back later from elsewhere: the choice holds over the browser's language.
    assert client.get("/news/", **FRENCH_BROWSER).status_code == 200


def test_the_website_files_are_never_sent_to_another_address(client):
    for path in ("/sitemap.xml", "/robots.txt", "/news.atom", "/publications.atom", "/whats-on.ics"):
        assert client.get(path, **FRENCH_BROWSER).status_code == 200, path


def test_each_public_page_names_its_versions_in_the_three_languages(client):
    page = client.get("/es/members/").content.decode()
    for code, path in (
        ("en-gb", "/members/"),
        ("fr", "/fr/members/"),
        ("es", "/es/members/"),
        ("x-default", "/members/"),
    ):
        assert f'<link rel="alternate" hreflang="{code}" href="{SITE}{path}">' in page
    assert f'<link rel="canonical" href="{SITE}/es/members/">' in page


def test_the_sitemap_names_each_page_in_each_language(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>{SITE}/fr/about/</loc>" in sitemap and f"<loc>{SITE}/es/about/</loc>" in sitemap
    assert f'<xhtml:link rel="alternate" hreflang="es" href="{SITE}/es/about/"/>' in sitemap


def test_an_article_reads_in_the_visitors_language_or_in_english_with_a_note(client):
    _article(title_fr="Le GMG au FMMD", summary_fr="Une seule voix au FMMD.", body_fr="Le **GMG** a parlé d'une voix.")
    french = client.get("/fr/news/gfmd-2015/").content.decode()
    assert "Le GMG au FMMD" in french and "<strong>GMG</strong> a parlé d'une voix" in french
    assert 'lang="en"' not in french.split("<main", 1)[1]
    spanish = client.get("/es/news/gfmd-2015/").content.decode()
    assert '<article lang="en">' in spanish and "The GMG at the GFMD" in spanish
    assert "Este texto aún no está disponible en este idioma" in spanish
    # Each language's list shows each visitor their version.
    assert "Le GMG au FMMD" in client.get("/fr/news/").content.decode()
    assert "Le GMG au FMMD" not in client.get("/news/").content.decode()
    assert "Le GMG au FMMD" in client.get("/fr/find/?q=voix").content.decode()


def test_a_kept_public_page_is_kept_once_per_language(client):
    english = client.get("/chair/").content.decode()
    french = client.get("/fr/chair/").content.decode()
    again = client.get("/chair/").content.decode()
    assert '<html lang="en-gb">' in english and '<html lang="fr">' in french and again == english


# -- a signed-in person ----------------------------------------------------------------------------------------------


def test_a_person_reads_the_portal_in_the_language_of_their_own_page(client):
    person = make_person("eclac-fp", role=Person.Role.FOCAL_POINT, agency=make_agency("ECLAC"), language="es")
    client.force_login(person)
    page = client.get(reverse("dashboard"))
    assert page["Content-Language"] == "es" and '<html lang="es">' in page.content.decode()
    saved = client.post(
        reverse("groups:my_reminders"), {"language": "fr", "reminder_delivery": "immediate"}, follow=True
    )
    person.refresh_from_db()
    assert person.language == "fr"
    assert '<html lang="fr">' in saved.content.decode()
    # The address is the same whatever the language: a portal page has no prefix.
    assert client.get("/fr/dashboard/").status_code == 404


def test_before_signing_in_the_browser_chooses(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="es-CL,es;q=0.9")
    assert page["Content-Language"] == "es" and '<html lang="es">' in page.content.decode()


def test_dates_amounts_and_date_inputs_in_the_readers_language(client):
    support = make_person("support", role=Person.Role.SUPPORT, is_staff=True, language="fr")
    plan = make_workplan(slug="mawp")
    stream = make_stream(plan, title="Human rights")
    activity = make_activity(
        output=make_output(stream),
        starts_on=date(2015, 6, 15),
        ends_on=date(2015, 7, 31),
        estimated_cost=Decimal("25000"),
        currency="USD",
    )
    client.force_login(support)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "25\u00a0000,00\u00a0USD" in page
    assert "15 juin 2015" in page or "15 juin 2015" in page.replace("\u00a0", " ")
    form = client.get(reverse("workplans:activity_edit", args=[activity.pk])).content.decode()
    assert 'value="2015-06-15"' in form  # a date input's value is ISO in every language
    assert 'value="25000,00"' in form and 'inputmode="decimal"' in form


# -- the whole of it, as the issue asks -------------------------------------------------------------------------------


def test_a_focal_point_who_chose_spanish_works_and_is_reminded_in_spanish(client, mailoutbox):
    """Signs in, reads the dashboard, files an update and receives the reminder mail in Spanish, with the dates
    and the amount as Spanish writes them; an English colleague's mail of the same meeting stays English."""
    eclac, ilo = make_agency("ECLAC"), make_agency("ILO")
    person = make_person(
        "eclac-fp", role=Person.Role.FOCAL_POINT, agency=eclac, language="es", email="fp@eclac.example.org"
    )
    person.set_password("una-clave-larga-2026")
    person.save()
    colleague = make_person("ilo-fp", role=Person.Role.FOCAL_POINT, agency=ilo, email="fp@ilo.example.org")
    plan = make_workplan(slug="mawp", starts_on=date(2013, 1, 1), ends_on=date(2015, 12, 31))
    activity = make_activity(
        output=make_output(make_stream(plan, title="Human rights")),
        lead_agencies=[eclac],
        starts_on=date(2015, 3, 1),
        ends_on=date(2015, 6, 15),
        estimated_cost=Decimal("25000"),
        currency="USD",
    )
    signed_in = client.post(reverse("login"), {"username": "eclac-fp", "password": "una-clave-larga-2026"})
    assert signed_in.status_code == 302
    dashboard = client.get(signed_in["Location"], follow=True)
    assert '<html lang="es">' in dashboard.content.decode() and "Panel" in dashboard.content.decode()
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "25\u00a0000,00\u00a0USD" in page and "15 de junio de 2015" in page
    filed = client.post(
        reverse("workplans:activity_report", args=[activity.pk]),
        {"token": str(uuid.uuid4()), "status": "on_track", "narrative": "Informe presentado en Santiago.", "links": ""},
        follow=True,
    )
    assert filed.status_code == 200 and activity.updates.filter(agency=eclac).exists()
    assert '<html lang="es">' in filed.content.decode()

    meeting = make_meeting(date(2030, 3, 10), title="Working level meeting")
    meeting.attendees.add(eclac, ilo)
    with time_machine.travel(datetime(2030, 3, 3, 9, tzinfo=ZoneInfo(settings.TIME_ZONE)), tick=False):
        result = sweep.sweep()
        deliver_now(reminder_ids=result.to_deliver, digest_ids=result.digests)
    mails = {m.to[0]: m for m in mailoutbox}
    spanish, english = mails["fp@eclac.example.org"], mails["fp@ilo.example.org"]
    spanish_text = spanish.subject + spanish.body + spanish.alternatives[0][0]
    assert "domingo 10 de marzo de 2030" in spanish_text
    assert "March" not in spanish_text and "Reminder" not in spanish.subject
    assert "March 2030" in english.body + english.subject
    assert Notice.objects.get(recipient=person).body != Notice.objects.get(recipient=colleague).body
