"""The record's version moves with every change to the record, however made, and what is kept under it (the
dashboard's panels) is made afresh once the record changes: never stale, never lost with the cache."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import Agency, Person
from kit import record_version
from reminders.models import Notice, Reminder
from tests.factories import make_activity, make_agency, make_meeting, make_person, make_update, make_workplan
from workplans.models import Activity, WorkPlan

ON = date(2014, 6, 15)


def dashboard(client, on=ON):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"), {"on": on.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index('<div class="row g-3">') :], len(queries)


@pytest.fixture
def record(db):
    plan = make_workplan(slug="mawp", starts_on=date(2014, 1, 1), ends_on=date(2014, 12, 31))
    iom = make_agency("IOM")
    activity = make_activity(
        description="Hold the knowledge workshop", ends_on=date(2014, 3, 31), lead_agencies=[iom]
    )
    activity.output.stream.workplan = plan
    activity.output.stream.save()
    return {"plan": plan, "iom": iom, "activity": activity}


@pytest.fixture
def reader(client, db):
    client.force_login(make_person("reader", role=Person.Role.VIEWER))
    return client


def test_every_record_table_and_its_history_carries_the_trigger_and_the_logs_do_not(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            [record_version.TRIGGER],
        )
        watched = {name for (name,) in cursor.fetchall()}
    assert watched == set(record_version.record_tables())
    for table in (
        "workplans_activity",
        "workplans_activity_lead_agencies",  # a many-to-many table
        "meetings_registerentry",
        "groups_agency",
        "chairs_chairterm",
        "archive_document",
        "events_externalevent",
        "workplans_historicalactivity",  # the audit trail reads the histories
    ):
        assert table in watched, table
    for table in ("meetings_reminder", "meetings_notice", "meetings_digest", "django_session"):
        assert table not in watched, table


def test_the_version_moves_with_every_kind_of_write_and_not_with_a_read(record):
    activity = record["activity"]
    seen = [record_version.current()]

    def moved():
        now = record_version.current()
        assert now not in seen
        seen.append(now)

    Activity.objects.get(pk=activity.pk)
    assert record_version.current() == seen[-1]  # a read changes nothing
    activity.status = Activity.Status.DELAYED
    activity.save()
    moved()
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.COMPLETED)
    moved()
    Agency.objects.bulk_create([Agency(acronym="UNU", name="United Nations University", sort_name="UNU")])
    moved()
    activity.lead_agencies.add(Agency.objects.get(acronym="UNU"))
    moved()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workplans_activity SET description = 'Raw' WHERE id = %s", [activity.pk])
    moved()
    Agency.objects.filter(acronym="UNU").delete()
    moved()


def test_a_sign_in_does_not_move_the_version(client, record):
    person = make_person("reader", role=Person.Role.VIEWER)
    before = record_version.current()
    client.force_login(person)  # writes the person's last sign-in
    assert record_version.current() == before
    Person.objects.filter(pk=person.pk).update(first_name="Rae")
    assert record_version.current() != before


def test_the_reminders_logs_do_not_move_the_version(record):
    person = make_person("fp", role=Person.Role.FOCAL_POINT, agency=record["iom"])
    before = record_version.current()
    reminder = Reminder.objects.create(
        obligation_key="k", kind="action_point", occasion="before:7", due=ON, recipient=person, title="T"
    )
    Notice.objects.create(recipient=person, title="T", reminder=reminder)
    Reminder.objects.filter(pk=reminder.pk).update(attempts=1)
    assert record_version.current() == before


def test_folding_the_changes_keeps_the_version_and_empties_the_change_rows(record):
    make_meeting(date(2014, 5, 5), title="Working-level meeting")
    before = record_version.current()
    record_version.fold()
    assert record_version.current() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM gmg_record_change")
        assert cursor.fetchone()[0] == 0
    make_meeting(date(2014, 5, 6), title="Another meeting")
    assert record_version.current() != before


def test_the_dashboard_is_kept_while_the_record_does_not_change_and_made_afresh_when_it_does(reader, record):
    first, made = dashboard(reader)
    again, kept = dashboard(reader)
    assert again == first
    assert kept < made and kept <= 5  # the session, the person, the version, the notices' bell (and a spare)
    assert "Hold the knowledge workshop" in first  # overdue on 15 June 2014
    Activity.objects.filter(pk=record["activity"].pk).update(status=Activity.Status.COMPLETED)  # no save(), no signal
    after, _ = dashboard(reader)
    assert "Hold the knowledge workshop" not in after


def test_each_day_has_its_own_panels(reader, record):
    june, _ = dashboard(reader, on=ON)
    january, _ = dashboard(reader, on=date(2014, 1, 15))
    assert "Hold the knowledge workshop" in june
    assert "Hold the knowledge workshop" not in january  # not yet ended on 15 January


@pytest.mark.django_db(transaction=True)
def test_panels_made_inside_a_transaction_that_rolls_back_are_never_shown_afterwards(client):
    client.force_login(make_person("reader", role=Person.Role.VIEWER))
    plan = make_workplan(slug="mawp", starts_on=date(2014, 1, 1), ends_on=date(2014, 12, 31))
    activity = make_activity(description="Hold the knowledge workshop", ends_on=date(2014, 9, 30))
    activity.output.stream.workplan = plan
    activity.output.stream.save()
    iom = make_agency("IOM")
    with pytest.raises(RuntimeError), transaction.atomic():
        make_update(activity, iom, narrative="Rolled back", reported_on=date(2014, 6, 1))
        inside, _ = dashboard(client)
        assert "Hold the knowledge workshop" in inside[inside.index("updates-heading") :]
        raise RuntimeError("the save failed after the page was made")
    after, _ = dashboard(client)
    assert "Hold the knowledge workshop" not in after[after.index("updates-heading") :]
    Activity.objects.filter(pk=activity.pk).update(description="Hold the knowledge workshop in Geneva")
    later, _ = dashboard(client)
    assert "No update was reported by this day" in later


def test_with_the_cache_not_answering_the_dashboard_is_still_made(reader, record, settings, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    page, _ = dashboard(reader)
    assert "Hold the knowledge workshop" in page
    assert "The cache did not answer" in caplog.text
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()


def test_with_keeping_turned_off_every_dashboard_is_made_afresh(reader, record, settings):
    settings.GMG_RECORD_CACHE_SECONDS = 0
    _, first = dashboard(reader)
    _, second = dashboard(reader)
    assert first == second > 5


def get(client, path, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")], len(queries)  # the page's own part


def test_the_action_points_list_is_kept_until_a_point_changes(reader, record):
    from meetings.models import ActionPoint
    from tests.factories import make_action_point

    meeting = make_meeting(date(2014, 5, 5), title="Working-level meeting")
    point = make_action_point(meeting, record["iom"], text="Circulate the draft", due_on=date(2014, 6, 1))
    path = reverse("meetings:action_point_list")
    first, made = get(reader, path)
    again, kept = get(reader, path)
    assert again == first and kept < made
    assert "Circulate the draft" in first
    ActionPoint.objects.filter(pk=point.pk).update(text="Circulate the final text")
    after, _ = get(reader, path)
    assert "Circulate the final text" in after and "Circulate the draft" not in after
    done, _ = get(reader, path, status="done")  # its own filters, its own page
    assert "Circulate the final text" not in done


def test_the_audit_trail_is_kept_until_the_next_change_which_shows_at_once(client, record):
    support = make_person("keeper", role=Person.Role.SUPPORT, first_name="Kim", last_name="Keeper")
    client.force_login(support)
    path = reverse("audit")
    first, made = get(client, path)
    again, kept = get(client, path)
    assert again == first and kept < made
    activity = record["activity"]
    activity.description = "Hold the second knowledge workshop"
    activity.save()
    after, _ = get(client, path)
    assert "Hold the second knowledge workshop" in after


def test_an_agencys_activities_are_kept_for_its_people_and_made_afresh_after_an_update(client, record):
    focal_point = make_person("iom-fp", role=Person.Role.FOCAL_POINT, agency=record["iom"])
    other = make_person("ilo-fp", role=Person.Role.FOCAL_POINT, agency=make_agency("ILO"))
    path = reverse("workplans:my_activities")
    client.force_login(focal_point)
    first, made = get(client, path)
    again, kept = get(client, path)
    assert again == first and kept < made
    assert "Hold the knowledge workshop" in first and "Report" in first
    client.force_login(other)
    theirs, _ = get(client, path)
    assert "Hold the knowledge workshop" not in theirs  # another agency's list, not the one kept for IOM
    client.force_login(focal_point)
    make_update(record["activity"], record["iom"], author=focal_point, reported_on=date(2014, 6, 1))
    after, _ = get(client, path)
    assert after != first and "1 Jun 2014" in after


def test_a_rounds_overview_is_kept_and_its_queue_is_made_for_each_reader(client, record):
    from workplans import services

    round_ = services.reporting_round_open(
        title="First half of 2014",
        workplan=record["plan"],
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )[0]
    support = make_person("keeper", role=Person.Role.SUPPORT)
    client.force_login(support)
    first, made = get(client, round_.get_absolute_url())
    again, kept = get(client, round_.get_absolute_url())
    assert kept < made and "IOM</a> – 1 activity" in again  # not yet reported
    focal_point = make_person("iom-fp", role=Person.Role.FOCAL_POINT, agency=record["iom"])
    services.activity_update_submit(
        activity=record["activity"],
        author=focal_point,
        agency=record["iom"],
        status="on_track",
        narrative="The workshop is planned.",
        reported_on=date(2014, 6, 1),
    )
    after, _ = get(client, round_.get_absolute_url())
    assert "Every lead agency has reported." in after and "Updates to review (1)" in after
    assert 'name="csrfmiddlewaretoken"' in after  # the reviewer's own form, not a kept one


def test_what_a_search_finds_is_kept_until_the_record_changes(reader, record):
    path = reverse("search")
    first, made = get(reader, path, q="knowledge workshop")
    again, kept = get(reader, path, q="knowledge workshop")
    assert again == first and kept < made and "Hold the knowledge workshop" in first
    record["activity"].description = "Hold the learning workshop"
    record["activity"].save()
    after, _ = get(reader, path, q="knowledge workshop")
    assert "Hold the knowledge workshop" not in after


def test_the_work_plans_list_is_kept_until_a_plan_or_its_activities_change(reader, record):
    path = reverse("workplans:workplan_list")
    first, made = get(reader, path)
    again, kept = get(reader, path)
    assert again == first and kept < made
    assert record["plan"].title in first
    make_activity(output=record["activity"].output, description="Another activity")  # the plan's count moves
    WorkPlan.objects.filter(pk=record["plan"].pk).update(title="The renamed plan")
    after, _ = get(reader, path)
    assert "The renamed plan" in after and record["plan"].title not in after
    assert '<td class="text-end">2</td>' in after  # two activities now


def test_the_kept_work_plans_list_offers_a_new_plan_only_to_those_who_may_create_one(client, record):
    path = reverse("workplans:workplan_list")
    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    assert "New work plan" not in client.get(path).content.decode()
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    assert "New work plan" in client.get(path).content.decode()


def test_a_plan_is_a_part_of_its_own_a_change_in_another_plan_or_app_leaves_its_version(record):
    from tests.factories import make_update

    plan = record["plan"]
    other = make_activity(description="Another plan's activity")  # in a plan of its own
    mine = [f"workplan:{plan.pk}", "groups"]
    before = record_version.current(mine)
    other.status = Activity.Status.DELAYED
    other.save()
    other.lead_agencies.add(record["iom"])
    make_update(other, record["iom"], reported_on=ON)
    make_meeting(date(2014, 5, 5), title="Working-level meeting")  # the meetings are not read here
    assert record_version.current(mine) == before
    for write in (
        lambda: record["activity"].lead_agencies.add(make_agency("ILO")),  # an agency is added (groups) and linked
        lambda: Activity.objects.filter(pk=record["activity"].pk).update(description="Raw"),
        lambda: make_update(record["activity"], record["iom"], reported_on=ON),
        lambda: Agency.objects.filter(acronym="IOM").update(name="International Organization for Migration"),
        lambda: record["activity"].output.delete(),  # its activities go with it
    ):
        write()
        now = record_version.current(mine)
        assert now != before
        before = now
    assert record_version.current([f"workplan:{other.output.stream.workplan_id}"]) != "0.0"


def test_emptying_a_plan_table_at_once_moves_every_plans_version(record):
    reads = [f"workplan:{record['plan'].pk}"]
    before = record_version.current(reads)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE workplans_activity_partners")
    assert record_version.current(reads) != before


def test_folding_keeps_each_parts_version(record):
    reads = [f"workplan:{record['plan'].pk}", "meetings"]
    make_meeting(date(2014, 5, 5), title="Working-level meeting")
    before, every = record_version.current(reads), record_version.current()
    record_version.fold()
    assert (record_version.current(reads), record_version.current()) == (before, every)
    record["activity"].save()
    assert record_version.current(reads) != before


def test_a_plans_page_is_kept_for_each_kind_of_reader_until_its_plan_changes(client, record):
    from meetings.models import Meeting
    from workplans.models import Output

    plan, activity = record["plan"], record["activity"]
    support = make_person("keeper", role=Person.Role.SUPPORT)
    focal_point = make_person("iom-fp", role=Person.Role.FOCAL_POINT, agency=record["iom"])
    path = plan.get_absolute_url()
    meeting = Meeting.objects.create(title="Plenary", starts_on=ON)
    client.force_login(support)
    first, made = get(client, path)
    again, kept = get(client, path)
    assert again == first and kept < made
    assert "Hold the knowledge workshop" in first and "Edit<span" not in first  # read: no way into the editors
    editing, _ = get(client, path, edit="1")
    assert f'href="/workplans/activities/{activity.pk}/edit/" data-in="row"' in editing
    client.force_login(focal_point)
    theirs, _ = get(client, path)
    assert f"/workplans/activities/{activity.pk}/report/" in theirs and "edit/" not in theirs.split("History")[0]
    # A save in another plan, or in a part of the record the page does not show, leaves it kept.
    client.force_login(support)
    other = make_activity(description="Another plan's activity")
    other.description = "Another plan's activity, renamed"
    other.save()
    from tests.factories import make_action_point

    make_action_point(meeting, record["iom"], text="Circulate it")
    _, still = get(client, path)
    assert still == kept
    # A save in this plan, however made, shows at once.
    Output.objects.filter(pk=activity.output_id).update(title="Knowledge and data")
    after, _ = get(client, path)
    assert "Knowledge and data" in after


def test_the_dashboard_stays_kept_through_a_save_in_a_plan_it_does_not_show(reader, record):
    first, made = dashboard(reader)
    other = make_activity(description="An activity of a plan of 2020")  # its plan runs 2013-2015 but...
    WorkPlan.objects.filter(pk=other.output.stream.workplan_id).update(
        starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31)
    )
    first, made = dashboard(reader)  # ...is not in force on 15 June 2014
    other.description = "Renamed"
    other.save()
    again, kept = dashboard(reader)
    assert again == first and kept < made
    record["activity"].description = "Hold the data workshop"
    record["activity"].save()  # in the plan in force: shown at once
    after, _ = dashboard(reader)
    assert "Hold the data workshop" in after


def test_a_change_redraws_the_dashboards_panels_that_show_it_and_keeps_the_others(reader, record):
    from meetings.models import ActionPoint
    from tests.factories import make_action_point

    point = make_action_point(make_meeting(date(2014, 5, 5)), record["iom"], text="Circulate the draft", due_on=ON)
    _, made = dashboard(reader, on=date(2014, 6, 20))
    _, kept = dashboard(reader, on=date(2014, 6, 20))
    ActionPoint.objects.filter(pk=point.pk).update(text="Circulate the final text")
    page, one_panel = dashboard(reader, on=date(2014, 6, 20))
    assert "Circulate the final text" in page
    assert kept < one_panel < made  # the action points' panel made afresh, the others kept


def test_the_meetings_list_is_kept_until_a_meeting_changes_and_each_filter_has_its_own(reader, record):
    from meetings.models import Meeting

    meeting = make_meeting(date(2014, 5, 5), title="Knowledge exchange", venue="Geneva")
    path = reverse("meetings:meeting_list")
    first, made = get(reader, path)
    again, kept = get(reader, path)
    assert again == first and kept < made and "Knowledge exchange" in first
    Meeting.objects.filter(pk=meeting.pk).update(title="Budget talks", venue="Vienna")
    after, _ = get(reader, path)
    assert "Budget talks" in after and "Vienna" in after and "Knowledge exchange" not in after
    in_2013, _ = get(reader, path, year="2013")
    assert "Budget talks" not in in_2013 and "0 meetings match the filters" in in_2013
    assert f'href="{path}">Clear</a>' in in_2013 and "Clear</a>" not in after


def test_the_kept_meetings_list_offers_a_new_meeting_only_to_those_who_may_add_one(client, record):
    make_meeting(date(2014, 5, 5), title="Working-level meeting")
    path = reverse("meetings:meeting_list")
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    assert "Add a meeting" in client.get(path).content.decode()
    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    page = client.get(path).content.decode()
    assert "Add a meeting" not in page and "Working-level meeting" in page


def test_the_decisions_list_is_kept_for_its_day_and_made_afresh_after_a_review(reader, record):
    from meetings.models import Decision
    from tests.factories import make_decision

    meeting = make_meeting(date(2013, 7, 3), title="Principals' meeting")
    decision = make_decision(meeting, "2", title="Try the troika", trial_months=18, review_on=date(2015, 1, 3))
    path = reverse("meetings:decision_list")
    before_review, _ = get(reader, path, on="2014-06-01")
    overdue, _ = get(reader, path, on="2015-06-01")
    assert "review overdue" not in before_review and "review overdue" in overdue
    again, kept = get(reader, path, on="2015-06-01")
    assert again == overdue and kept <= 4
    Decision.objects.filter(pk=decision.pk).update(reviewed_on=date(2015, 2, 1))
    after, _ = get(reader, path, on="2015-06-01")
    assert "review overdue" not in after and "reviewed 1 Feb 2015" in after


def test_the_agencies_and_groups_lists_are_kept_until_the_record_changes(client, record):
    from groups.models import Group
    from tests.factories import make_group

    group = make_group(co_chairs=[record["iom"]], slug="tf-dw", name="Task force on decent work")
    support = make_person("support", role=Person.Role.SUPPORT)
    client.force_login(support)
    agencies, made = get(client, reverse("groups:agency_list"))
    again, kept = get(client, reverse("groups:agency_list"))
    assert again == agencies and kept < made and "Add an agency" in agencies
    make_person("iom-fp", role=Person.Role.FOCAL_POINT, agency=record["iom"])  # one more focal point of IOM
    after, _ = get(client, reverse("groups:agency_list"))
    assert after != agencies
    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    theirs, _ = get(client, reverse("groups:agency_list"))
    assert "Add an agency" not in theirs and "IOM" in theirs
    groups, _ = get(client, reverse("groups:group_list"))
    assert "Task force on decent work" in groups
    Group.objects.filter(pk=group.pk).update(name="Task force on migration and decent work")
    renamed, _ = get(client, reverse("groups:group_list"))
    assert "Task force on migration and decent work" in renamed


def test_the_people_list_is_kept_for_the_support_team_alone(client, record):
    path = reverse("groups:person_list")
    client.force_login(make_person("support", role=Person.Role.SUPPORT, first_name="Kim", last_name="Keeper"))
    first, _ = get(client, path)
    assert "Kim Keeper" in first
    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    assert client.get(path).status_code == 403  # kept or not, a viewer is refused before anything is read
    person = make_person("iom-fp", role=Person.Role.FOCAL_POINT, agency=record["iom"], first_name="Ines")
    client.force_login(Person.objects.get(username="support"))
    Person.objects.filter(pk=person.pk).update(last_name="Ortega")
    after, _ = get(client, path)
    assert "Ines Ortega" in after
    of_iom, _ = get(client, path, agency="IOM")
    assert "Ines Ortega" in of_iom and "Kim Keeper" not in of_iom


def test_the_calendar_and_the_register_are_kept_until_a_meeting_changes(reader, record):
    from meetings.models import Meeting

    meeting = make_meeting(date(2014, 6, 10), title="Working-level meeting")
    month = reverse("register:meeting_calendar_month", args=[2014, 6])
    register = reverse("register:deadline_register")
    first, _ = get(reader, month)
    again, kept = get(reader, month)
    assert again == first and kept <= 4 and "Working-level meeting" in first
    listed, _ = get(reader, register, on="2014-06-01", state="all")
    assert "Working-level meeting" in listed
    Meeting.objects.filter(pk=meeting.pk).update(title="Principals' meeting")
    moved, _ = get(reader, month)
    assert "Principals&#x27; meeting" in moved and "Working-level meeting" not in moved
    meeting.title = "Principals' meeting"
    meeting.save()  # the stored register follows the meeting's save
    relisted, _ = get(reader, register, on="2014-06-01", state="all")
    assert "Principals&#x27; meeting" in relisted and "Working-level meeting" not in relisted


JSON = "application/json"


def test_an_api_list_is_kept_for_its_address_and_still_asks_who_reads(client, record, settings):
    from meetings.models import Meeting

    meeting = make_meeting(date(2014, 5, 5), title="Working-level meeting")
    make_meeting(date(2013, 5, 5), title="Earlier meeting")
    path = reverse("api:meeting-list")
    assert client.get(path, HTTP_ACCEPT=JSON).status_code in (401, 403)
    client.force_login(make_person("reader", role=Person.Role.VIEWER))
    first = client.get(path, HTTP_ACCEPT=JSON).json()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(path, HTTP_ACCEPT=JSON).json()
    assert again == first and len(queries) <= 3
    assert [m["title"] for m in first["results"]] == ["Working-level meeting", "Earlier meeting"]
    assert first["results"][0]["page"].startswith("http://testserver/")
    of_2013 = client.get(path, {"year": 2013}, HTTP_ACCEPT=JSON).json()
    assert [m["title"] for m in of_2013["results"]] == ["Earlier meeting"]
    assert client.get(path, {"page_size": "500"}, HTTP_ACCEPT=JSON).status_code == 400  # refused, never kept
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "portal.example.org"]
    elsewhere = client.get(path, HTTP_HOST="portal.example.org", HTTP_ACCEPT=JSON).json()
    assert elsewhere["results"][0]["page"].startswith("http://portal.example.org/")
    Meeting.objects.filter(pk=meeting.pk).update(title="Principals' meeting")
    after = client.get(path, HTTP_ACCEPT=JSON).json()
    assert after["results"][0]["title"] == "Principals' meeting"
    client.logout()
    assert client.get(path, HTTP_ACCEPT=JSON).status_code in (401, 403)


def test_the_reporting_rounds_list_is_kept_until_a_round_is_opened(client, record):
    from workplans import services

    path = reverse("workplans:round_list")
    client.force_login(make_person("viewer", role=Person.Role.VIEWER))
    first, made = get(client, path)
    again, kept = get(client, path)
    assert again == first and kept < made and "No reporting round yet." in first
    assert "Open a reporting round" not in first
    services.reporting_round_open(
        title="First half of 2014",
        workplan=record["plan"],
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    after, _ = get(client, path)
    assert "First half of 2014" in after and "Open a reporting round" in after


def test_what_is_kept_is_kept_once_per_language(record):
    """The same part of a page for the same reader is kept in each language apart: a French reader never gets
    the English copy the same parts made (the key holds the language, whoever calls `kept`)."""
    from django.utils import translation
    from django.utils.translation import gettext

    made = []

    def make():
        made.append(translation.get_language())
        return gettext("Dashboard")

    with translation.override("en-gb"):
        english = record_version.kept("language-check", ("same parts",), make)
    with translation.override("fr"):
        french = record_version.kept("language-check", ("same parts",), make)
        again = record_version.kept("language-check", ("same parts",), make)
    assert (english, french, again) == ("Dashboard", "Tableau de bord", "Tableau de bord")
    assert made == ["en-gb", "fr"]  # each language made once, then kept
