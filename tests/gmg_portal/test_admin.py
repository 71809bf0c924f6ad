"""The Django admin of the portal's apps renders on the GMG's record, and its searches find records."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import make_action_point, make_activity, make_person

# Every app whose tables are the record (its AppConfig says so), a new one included.
APPS = {config.label for config in apps.get_app_configs() if getattr(config, "holds_the_record", False)}
REGISTERED = [model for model in admin.site._registry if model._meta.app_label in APPS]
# Rows the portal writes itself (the reminders' sent-log, digests, notices, feed tokens, the one settings row):
# staff read and edit them, but the admin adds none by hand.
WRITTEN_BY_THE_PORTAL = {
    "reminders.Reminder",
    "reminders.Digest",
    "reminders.Notice",
    "reminders.CalendarToken",
    "reminders.ReminderSettings",
    # Published and taken off on the website's desk, which writes the item's history.
    "website.Publication",
}


@pytest.fixture
def superuser(db):
    return make_person("root", is_superuser=True, is_staff=True)


def test_every_model_of_the_portals_apps_is_in_the_admin():
    from archive.models import DocumentVersion
    from chairs.models import ChairFunctionTick, ChairReportVersion
    from groups.models import Absence, GroupCoChair
    from register.models import RegisterEntry
    from workplans.models import UpdateAttachment, WorkPlanImport

    models = {
        m for label in APPS for m in apps.get_app_config(label).get_models() if not m.__name__.startswith("Historical")
    }
    # Kept in their group's, update's, person's, term's, plan's and document's pages.
    inline_only = {
        GroupCoChair,
        UpdateAttachment,
        Absence,
        ChairReportVersion,
        ChairFunctionTick,
        WorkPlanImport,
        DocumentVersion,
    }
    # Rebuilt from the record, never edited: the deadline register page shows it.
    derived = {RegisterEntry}
    assert models - inline_only - derived <= set(REGISTERED)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_render_on_the_record(client, gmg_record, superuser, model):
    add_what_the_record_lacks()
    client.force_login(superuser)
    opts = model._meta
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code == 200
    add_status = 403 if opts.label in WRITTEN_BY_THE_PORTAL else 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == add_status
    first = model.objects.first()
    assert first is not None, f"the record has no {opts.verbose_name}"
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
    assert client.get(change).status_code == 200


def add_what_the_record_lacks():
    """The record holds no agenda items, action points or updates yet: one of each, so every change page opens."""
    from datetime import date

    from groups.models import Agency, Evaluation, Group
    from meetings.models import AgendaItem
    from workplans.models import ActivityUpdate, ReportingRound

    meeting = model_meeting()
    AgendaItem.objects.create(meeting=meeting, position=1, title="Work plan 2010")
    make_action_point(meeting, Agency.objects.get(acronym="ILO"), text="Send the ToR")
    unodc = Agency.objects.get(acronym="UNODC")
    activity = make_activity(lead_agencies=[unodc])
    ActivityUpdate.objects.create(
        activity=activity, agency=unodc, reported_on=date(2014, 3, 1), status="on_track", narrative="Going well."
    )
    Evaluation.objects.create(group=Group.objects.get(slug="tf-decent-work"), held_on=date(2016, 3, 24))
    ReportingRound.objects.create(
        title="First quarter 2014",
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 3, 31),
        due_on=date(2014, 4, 15),
    )
    add_reminder_rows(meeting)
    add_input_request_rows()


def add_input_request_rows():
    """An input request for the 2013 HLD (an event of the record) and ILO's answer."""
    from datetime import date

    from events.models import Contribution, ExternalEvent, InputRequest
    from groups.models import Agency

    ilo = Agency.objects.get(acronym="ILO")
    hld = ExternalEvent.objects.get(key="hld-2013")
    asked = InputRequest.objects.create(event=hld, asked="Key messages for the HLD", due_on=date(2013, 9, 15))
    asked.agencies.set([ilo])
    Contribution.objects.create(request=asked, agency=ilo, text="Decent work.", submitted_on=date(2013, 9, 10))


def add_reminder_rows(meeting):
    """One reminder, digest, notice, feed token and the reminder settings, as the sweep and the pages write them."""
    from datetime import date

    from reminders.models import CalendarToken, Digest, Notice, Reminder, ReminderSettings

    person = make_person("reminded")
    ReminderSettings.objects.create()
    reminder = Reminder.objects.create(
        obligation_key=f"meeting:{meeting.pk}",
        kind="meeting",
        occasion="before:7",
        due=meeting.starts_on,
        recipient=person,
        title=meeting.title,
        meeting=meeting,
    )
    Notice.objects.create(recipient=person, title=meeting.title, reminder=reminder)
    Digest.objects.create(recipient=person, period="daily", period_start=date(2010, 2, 1))
    CalendarToken.objects.create(person=person, token="a-test-token")


def model_meeting():
    from meetings.models import Meeting

    return Meeting.objects.get(key="wl-2010-02-08")


def test_admin_search_finds_a_meeting_by_its_title(client, gmg_record, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:meetings_meeting_changelist"), {"q": "Knowledge Workshop"})
    assert response.status_code == 200
    assert "Knowledge Workshop on effective learning" in response.text
    assert "First GMG working level meeting of 2010" not in response.text


def test_admin_search_finds_an_agency_by_its_acronym(client, gmg_record, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:groups_agency_changelist"), {"q": "UNODC"})
    assert "United Nations Office on Drugs and Crime" in response.text
    assert "1 agency" in response.text or "1 result" in response.text


def test_activity_history_page_renders(client, gmg_record, superuser):
    from workplans.models import Activity

    client.force_login(superuser)
    activity = Activity.objects.first()
    response = client.get(reverse("admin:workplans_activity_history", args=[activity.pk]))
    assert response.status_code == 200


def test_the_meeting_sequence_cannot_be_typed_in_the_admin(client, gmg_record, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:meetings_meeting_change", args=[model_meeting().pk]))
    assert 'name="sequence"' not in response.text
    assert "Sequence" in response.text
