"""The audit trail: every record model keeps its history, pages show it, the support team searches it."""

import html
import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gmg_portal.celery import app as celery_app
from groups.models import Agency, Person
from kit import audit
from meetings.models import AgendaItem
from tests.factories import make_activity, make_agency, make_group, make_meeting, make_person, make_workplan
from workplans.models import WorkPlanVersion

# Models that keep no history, each with the reason. Everything else in the portal's apps must have one.
WITHOUT_HISTORY = {
    "reminders.Reminder": "the log of reminders sent: written once by the sweep, never edited by a person",
    "reminders.Digest": "the log of digests sent: written once by the sweep",
    "reminders.Notice": "a person's notification inbox, not part of the record",
    "reminders.CalendarToken": "a secret feed address; copying it into history would spread the secret",
    "api.ApiToken": "a credential (its key's hash), not part of the record",
    "workplans.WorkPlanImport": "an uploaded workbook kept between preview and confirmation; what it changes is "
    "kept in the history of the plan's rows",
    "kit.RecordChange": "how far the record has changed, written by the database's triggers, not the record",
    "kit.RecordPartVersion": "the counts each part's changes are folded into, not the record",
    "register.RegisterEntry": "the deadline register's stored copy, rewritten from the record whenever its sources "
    "change; the history of those sources is the history",
}


def test_every_record_model_keeps_its_history():
    from simple_history.models import registered_models

    registered = {model._meta.label for model in registered_models.values()}
    missing = [
        model._meta.label
        for model in audit.every_record_model()
        if model._meta.label not in registered and model._meta.label not in WITHOUT_HISTORY
    ]
    assert not missing, (
        f"{', '.join(sorted(missing))} keep no history of changes. Give each `history = audited()` "
        "(from kit.audit import audited; m2m_fields=[...] for its many-to-many fields) and run "
        "makemigrations; or, if it is not part of the record (a log, a token), add it to WITHOUT_HISTORY in "
        "tests/kit/test_audit.py with the reason."
    )
    stale = [label for label in WITHOUT_HISTORY if label in registered]
    assert not stale, f"{stale} now keep a history: remove them from WITHOUT_HISTORY."


@pytest.fixture
def support(db):
    return make_person("keeper", role=Person.Role.SUPPORT, first_name="Kim", last_name="Keeper")


def test_a_change_through_a_page_shows_in_the_history_with_who_and_when(client, support):
    meeting = make_meeting(date(2015, 6, 15), title="Principals' meeting")
    client.force_login(support)
    response = client.post(
        reverse("meetings:minutes_edit", args=[meeting.pk]), {"minutes": "We agreed on X.", "revision": 1}
    )
    assert response.status_code == 302

    page = client.get(meeting.get_absolute_url()).content.decode()
    history = page[page.index('id="history-title"') :]
    assert "Meeting “Principals&#x27; meeting” changed by Kim Keeper" in history
    assert timezone.localtime().strftime("%-d %b %Y") in history
    assert "We agreed on X." in history.split("<ins>")[1]
    assert "created by the system" in history


def test_rows_that_belong_to_a_record_show_in_its_history_removals_included(client, support):
    meeting = make_meeting(date(2015, 6, 15))
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Chair's report")
    item._history_user = support
    item.delete()
    client.force_login(support)
    history = client.get(meeting.get_absolute_url()).content.decode().split('id="history-title"')[1]
    assert "Agenda item “Chair&#x27;s report” removed by Kim Keeper" in history


def test_the_history_panel_reads_in_a_fixed_number_of_queries(client, support):
    meeting = make_meeting(date(2015, 6, 15))
    client.force_login(support)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(meeting.get_absolute_url()).status_code == 200
        return len(captured)

    def change(n):
        meeting.venue = f"Room {n}"
        meeting.save()
        item = AgendaItem.objects.create(meeting=meeting, position=n + 1, title=f"Item {n}")
        item.notes = "changed"
        item.save()

    change(0)
    small = queries()
    for n in range(1, 13):
        change(n)
    assert queries() == small


@celery_app.task(name="tests.rename_agency")
def rename_agency(pk: int, name: str) -> None:
    agency = Agency.objects.get(pk=pk)
    agency.name = name
    agency.save()


def test_a_background_task_records_itself_as_the_actor(db):
    agency = make_agency("IOM")
    rename_agency.apply(args=[agency.pk, "International Organization for Migration"])
    record = agency.history.order_by("-history_id").first()
    assert (record.history_user, record.history_actor) == (None, "task tests.rename_agency")
    entry = audit.record_history(agency.history.all())[0]
    assert entry.who == "task tests.rename_agency"
    # Outside the task, no actor lingers.
    agency.save()
    assert agency.history.order_by("-history_id").first().history_actor == ""


def test_the_record_loader_names_itself(db):
    from django.core.management import call_command

    call_command("load_gmg_data", verbosity=0)
    assert Agency.history.exclude(history_actor="the record loader (load_gmg_data)").count() == 0


def test_only_the_support_team_reads_the_audit_trail(client, support):
    client.force_login(make_person("viewer"))
    response = client.get(reverse("audit"))
    assert response.status_code == 403
    client.force_login(support)
    assert client.get(reverse("audit")).status_code == 200


def test_the_audit_trail_is_searched_by_person_and_date_range_a_page_at_a_time(client, support):
    other = make_person("other", role=Person.Role.SUPPORT, first_name="Olga", last_name="Other")
    agency = make_agency("UNHCR")
    today = timezone.localdate()
    for n in range(55):
        agency.note = f"note {n}"
        agency._history_user = support
        agency.save()
    agency.note = "by the other"
    agency._history_user = other
    agency.save()
    client.force_login(support)

    first = client.get(reverse("audit"), {"person": support.pk})
    page = first.content.decode()
    assert page.count("by the other") == 0
    assert page.count("<tr>") == 1 + 50  # the header and a page of 50
    assert "note 54" in page and "Older" in page
    older = client.get(reverse("audit"), {"person": support.pk, "page": 2}).content.decode()
    assert "note 0" in older and "note 54" not in older and "Newer" in older

    theirs = client.get(reverse("audit"), {"person": other.pk}).content.decode()
    assert "by the other" in theirs and "note 3" not in theirs

    yesterday = (today - timedelta(days=1)).isoformat()
    none = client.get(reverse("audit"), {"until": yesterday}).content.decode()
    assert "No change matches." in none
    bad = client.get(reverse("audit"), {"since": today.isoformat(), "until": yesterday})
    assert bad.status_code == 400
    assert "The end of the range comes before its start." in bad.content.decode()


def test_the_audit_page_reads_in_a_fixed_number_of_queries(client, support):
    """The same queries for one change of one kind of record as for many changes of many kinds."""
    agency = make_agency("ILO")
    client.force_login(support)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("audit")).status_code == 200
        return len(captured)

    agency.save()
    small = queries()
    for n in range(70):
        agency.note = str(n)
        agency.save()
    meeting = make_meeting(date(2015, 6, 15), title="Principals' meeting")
    for n in range(5):
        meeting.venue = f"Room {n}"
        meeting.save()
        AgendaItem.objects.create(meeting=meeting, position=n + 1, title=f"Item {n}").delete()
    make_workplan(slug="mawp").delete()
    make_group(slug="tf-dw")
    assert queries() == small


def test_the_newest_changes_of_every_kind_of_record_come_first(client, support):
    client.force_login(support)
    moments = [datetime(2015, 6, 15, 9, minute, tzinfo=UTC) for minute in range(5)]
    with time_machine.travel(moments[0], tick=False):
        agency = make_agency("IOM")
        meeting = make_meeting(date(2015, 6, 15), title="Principals' meeting")
        item = AgendaItem.objects.create(meeting=meeting, position=1, title="Chair's report")
    with time_machine.travel(moments[1], tick=False):
        meeting.venue = "Geneva"
        meeting.save()
    with time_machine.travel(moments[2], tick=False):
        agency.name = "International Organization for Migration"
        agency.save()
    with time_machine.travel(moments[3], tick=False):
        item.delete()
    with time_machine.travel(moments[4], tick=False):
        meeting.venue = "New York"
        meeting.save()

    page = client.get(reverse("audit")).content.decode()
    newest_first = [
        "Meeting “Principals&#x27; meeting” changed",  # 09:04, New York
        "Agenda item “Chair&#x27;s report” removed",  # 09:03
        "Agency “International Organization for Migration” changed",  # 09:02
        "Meeting “Principals&#x27; meeting” changed",  # 09:01, Geneva
    ]
    places, start = [], 0
    for text in newest_first:
        start = page.index(text, start) + 1
        places.append(start)
    assert places == sorted(places)
    assert page.index("<ins>New York</ins>") < page.index("<ins>International") < page.index("<ins>Geneva</ins>")
    assert "<del>Geneva</del>" in page


def test_the_audit_page_reads_each_change_as_the_record_pages_history_does(client, support):
    """Each row is read back from its texts (the kinds differ in their columns): numbers, days, times, yes/no,
    links and many-to-many fields come out as the ORM reads them for the History panels."""
    iom, ilo = make_agency("IOM"), make_agency("ILO")
    group = make_group(slug="tf-dw", short_name="TF-DW")
    meeting = make_meeting(date(2015, 6, 15), title="Principals' meeting")
    meeting._history_user = support
    meeting.start_time, meeting.group = time(9, 30), group
    meeting.save()
    meeting.attendees.set([iom, ilo])
    meeting.starts_on, meeting.ends_on = date(2015, 6, 16), date(2015, 6, 17)
    meeting.save()
    activity = make_activity(lead_agencies=[iom], estimated_cost=Decimal("1000.50"), currency="USD")
    activity.estimated_cost = Decimal("2500.00")
    activity.save()
    activity.partners.set([ilo])
    iom.declines_to_chair = True
    iom.save()
    plan = activity.output.stream.workplan
    version = WorkPlanVersion.objects.create(workplan=plan, label="Draft", snapshot={"a": 1.5})
    version.snapshot = {"a": 2.25, "streams": [{"title": "Data"}]}
    version.save()
    AgendaItem.objects.create(meeting=meeting, position=1, title="Chair's report").delete()

    everything = [history_model.objects.all() for history_model in audit.history_models()]
    panels = audit.record_history(*everything, limit=None)
    entries, more = audit.audit_entries(size=len(panels))
    assert (entries, more) == (panels, False)
    changed = {(entry.what, name): (before, after) for entry in entries for name, before, after in entry.changes}
    assert changed[("activity", "estimated cost")] == ("1000.50", "2500.00")
    assert changed[("activity", "partners")] == ("", "ILO")
    assert changed[("meeting", "attendees")] == ("", "ILO, IOM")
    assert changed[("meeting", "group")] == ("", "TF-DW")
    assert changed[("meeting", "start time")] == ("", "09:30:00")
    assert changed[("agency", "declines to chair")][1] == "True"
    assert changed[("work plan version", "snapshot")] == ("{'a': 1.5}", "{'a': 2.25, 'streams': [{'title': 'Data'}]}")
    client.force_login(support)
    page = client.get(reverse("audit"), {"person": support.pk}).content.decode()
    assert "<ins>TF-DW</ins>" in page and "Kim Keeper" in page


def test_the_older_and_newer_links_keep_the_person_and_the_dates(client, support):
    agency = make_agency("UNHCR")
    for n in range(120):
        agency.note = f"note {n}"
        agency._history_user = support
        agency.save()
    client.force_login(support)
    today = timezone.localdate().isoformat()
    filters = {"person": support.pk, "since": today, "until": today}

    def link(page: str, label: str) -> str:
        return html.unescape(re.search(rf'href="([^"]+)">{label}</a>', page)[1])

    first = client.get(reverse("audit"), filters).content.decode()
    older = link(first, "Older")
    assert f"person={support.pk}" in older and f"since={today}" in older and "page=2" in older
    second = client.get(older).content.decode()
    assert "<ins>note 69</ins>" in second and "<ins>note 70</ins>" not in second and "<ins>note 19</ins>" not in second
    third = client.get(link(second, "Older")).content.decode()
    assert "<ins>note 0</ins>" in third and "Older" not in third
    newer = link(second, "Newer")
    assert f"person={support.pk}" in newer and "page=1" in newer


def test_the_person_filter_names_each_person_as_the_portal_does(client, support):
    unhcr = make_agency("UNHCR")
    people = [
        make_person("named", first_name="Nadia", last_name="Named", agency=unhcr),
        make_person("unnamed", agency=unhcr),
        make_person("alone", first_name="Ali"),
    ]
    client.force_login(support)
    page = client.get(reverse("audit"), {"person": people[0].pk}).content.decode()
    assert f'<option value="{people[0].pk}" selected>Nadia Named (UNHCR)</option>' in page
    for person in [*people, support]:
        assert f'<option value="{person.pk}"' in page
        assert f">{str(person)}</option>" in page


def test_changes_written_by_conditional_updates_keep_their_history_with_the_person(client, support):
    """The editors save with `filter(revision=...).update()`, which simple-history does not hear by itself."""
    from tests.factories import make_stream, make_workplan
    from workplans.forms import WorkStreamEditForm

    plan = make_workplan(slug="mawp", title="MAWP")
    stream = make_stream(plan, title="Data")
    client.force_login(support)
    form = WorkStreamEditForm(instance=stream, prefix=f"stream-{stream.pk}")
    data = {form[name].html_name: form[name].value() for name in form.fields}
    data = {key: value for key, value in data.items() if value not in (None, False)}
    data[form["title"].html_name] = "Data and evidence"
    response = client.post(reverse("workplans:stream_edit", args=[stream.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    record = stream.history.order_by("-history_id").first()
    assert (record.history_type, record.history_user, record.title) == ("~", support, "Data and evidence")
    page = client.get(plan.get_absolute_url()).content.decode().split('id="history-title"')[1]
    assert "Work stream “Data and evidence” changed by Kim Keeper" in page
    assert "<del>Data</del>" in page


def test_signing_in_adds_no_empty_change_to_the_persons_history(client, support):
    support.set_password("a long passphrase")
    support.save()
    before = support.history.count()
    assert client.post(reverse("login"), {"username": "keeper", "password": "a long passphrase"}).status_code == 302
    support.refresh_from_db()
    assert support.last_login is not None
    assert support.history.count() == before


def test_a_page_past_the_last_the_trail_shows_is_refused_with_a_reason(client, support):
    client.force_login(support)
    for page, reason in (("1000000000000000000", "is not a page number"), ("1001", "choose the dates or the person")):
        response = client.get(reverse("audit"), {"page": page})
        assert response.status_code == 400
        assert reason in response.content.decode()
    assert client.get(reverse("audit"), {"page": "1000"}).status_code == 200
