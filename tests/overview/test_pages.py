"""The record as pages: what each page shows of the GMG's record, the meeting forms, their errors and messages."""

import uuid
from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from groups.models import Agency, Group, Person
from meetings.models import ActionPoint, AgendaItem, Decision, Meeting
from tests.factories import make_action_point, make_agency, make_group, make_meeting, make_person


@pytest.fixture
def support(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return make_person("support", role=Person.Role.SUPPORT)


@pytest.fixture
def reader(client, support):
    client.force_login(support)
    return client


# -- the record's pages --------------------------------------------------------------------------------------


def test_the_chair_terms_page_shows_the_planned_and_the_actual_chair_of_2015_side_by_side(reader, gmg_record):
    response = reader.get(reverse("chairs:term_list"))
    assert response.status_code == 200
    page = response.text
    row = page[page.index("1 Jan 2015 - 31 Dec 2015") :][:1200]
    assert "UN Women" in row.split('data-side="actual"')[0]
    assert "World Bank" in row.split('data-side="actual"')[1]
    assert "differs from the plan" in row


def test_a_chair_term_page_lists_its_obligations_with_the_annual_report_due_two_months_after(reader, gmg_record):
    from chairs.models import ChairTerm

    term = ChairTerm.objects.get(kind="actual", agency__acronym="World Bank", starts_on=date(2015, 1, 1))
    response = reader.get(term.get_absolute_url())
    assert response.status_code == 200
    assert "annual report on the 2015 term" in response.text
    assert "29 Feb 2016" in response.text
    assert "UN Women" in response.text  # the planned chair of that year, beside the actual one


def test_the_agency_page_shows_membership_chair_terms_groups_and_activities_led(reader, gmg_record):
    ilo = Agency.objects.get(acronym="ILO")
    make_person("ilo-fp", role=Person.Role.FOCAL_POINT, agency=ilo, first_name="Ines", last_name="Labour")
    response = reader.get(ilo.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    assert "Ines Labour" in page
    assert "TF on Migration and Decent Work" in page or "Migration and Decent Work" in page
    led = ilo.led_activities.count()
    assert led > 0
    assert f"Activities led ({led})" in page


def test_an_agency_with_a_space_in_its_acronym_has_a_page(reader, gmg_record):
    response = reader.get(reverse("groups:agency_detail", args=["World Bank"]))
    assert response.status_code == 200
    assert "2015" in response.text


def test_the_decent_work_task_force_shows_both_terms_of_reference_and_the_later_minimum(reader, gmg_record):
    group = Group.objects.get(slug="tf-decent-work")
    response = reader.get(group.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    versions = list(group.terms_of_reference.order_by("adopted_on"))
    assert len(versions) == 2
    for tor in versions:
        assert f"Version {tor.version}" in page
    assert "Meets at least 2 times a year" in page
    assert "Meets at least 3 times a year" in page
    assert "ILO" in page and "IOM" in page


def test_the_groups_list_names_each_group_and_its_co_chairs(reader, gmg_record):
    response = reader.get(reverse("groups:group_list"))
    for group in Group.objects.all():
        assert group.name in response.text
    assert "UNITAR" in response.text


def test_the_decisions_of_3_july_2013_are_listed_with_their_trials(reader, gmg_record):
    response = reader.get(reverse("meetings:decision_list"))
    assert response.status_code == 200
    assert "18 months" in response.text
    assert "36 months" in response.text


def test_a_decision_on_trial_shows_its_review_date(reader, gmg_record):
    decision = Decision.objects.filter(trial_months=18).get()
    response = reader.get(decision.get_absolute_url())
    assert "On trial for 18 months" in response.text
    assert decision.review_on.strftime("%-d %B %Y") in response.text


def test_the_meetings_list_filters_by_kind_group_year_and_status(reader, gmg_record):
    url = reverse("meetings:meeting_list")
    principals = reader.get(url, {"kind": "principals"}).context["listing"].count
    assert principals == Meeting.objects.filter(kind="principals").count() > 0
    in_2013 = reader.get(url, {"year": 2013}).context["listing"].rows
    assert {m.starts_on.year for m in in_2013} == {2013}
    group = Group.objects.get(slug="tf-capacity-development")
    by_group = list(reader.get(url, {"group": group.slug}).context["listing"].rows)
    assert by_group and all(m.group_id == group.pk for m in by_group)
    held = reader.get(url, {"status": "held"}).context["listing"].count
    assert held == Meeting.objects.filter(status="held").count()


def test_a_filter_that_cannot_be_read_says_so_next_to_the_field(reader, gmg_record):
    response = reader.get(reverse("meetings:meeting_list"), {"year": "twenty", "kind": "picnic"})
    assert response.status_code == 200
    assert "Enter a whole number." in response.text
    assert "Select a valid choice. picnic is not one of the available choices." in response.text
    assert response.context["listing"].count == 0


def test_the_calendar_shows_a_month_of_meetings(reader, gmg_record):
    meeting = Meeting.objects.get(title__startswith="Knowledge Workshop", starts_on=date(2013, 11, 13))
    response = reader.get(reverse("register:meeting_calendar_month", args=[2013, 11]))
    assert response.status_code == 200
    assert meeting.get_absolute_url() in response.text
    assert "November 2013" in response.text


def test_a_meeting_over_several_days_shows_on_each_day_of_the_calendar(reader):
    meeting = make_meeting(date(2016, 3, 30), ends_on=date(2016, 4, 1), title="Retreat in Turin")
    march = reader.get(reverse("register:meeting_calendar_month", args=[2016, 3])).text
    assert march.count(meeting.get_absolute_url()) == 3  # 30 and 31 March, and 1 April shown after the month
    april = reader.get(reverse("register:meeting_calendar_month", args=[2016, 4])).text
    assert april.count(meeting.get_absolute_url()) == 3


def test_a_month_that_does_not_exist_is_not_found(reader):
    assert reader.get(reverse("register:meeting_calendar_month", args=[2016, 13])).status_code == 404


def test_the_meeting_page_shows_agenda_minutes_decisions_action_points_and_attendance(reader, gmg_record):
    meeting = Decision.objects.filter(trial_months=18).get().meeting
    ilo, iom = Agency.objects.get(acronym="ILO"), Agency.objects.get(acronym="IOM")
    meeting.attendees.set([ilo, iom])
    meeting.minutes = "The Principals adopted the MAWP."
    meeting.save()
    AgendaItem.objects.create(meeting=meeting, position=1, title="Adoption of the MAWP")
    owner = make_person("iom-fp", role=Person.Role.FOCAL_POINT, agency=iom, first_name="Omar", last_name="Migr")
    make_action_point(meeting, iom, text="Circulate the adopted MAWP", owner=owner, due_on=date(2013, 7, 31))
    with time_machine.travel(date(2013, 8, 15), tick=False):
        response = reader.get(meeting.get_absolute_url())
    page = response.text
    for text in ("Adoption of the MAWP", "The Principals adopted the MAWP.", "Circulate the adopted MAWP", "Omar Migr"):
        assert text in page
    assert "31 Jul 2013" in page and "overdue" in page
    assert ilo.get_absolute_url() in page and iom.get_absolute_url() in page
    for decision in meeting.decisions.all():
        assert decision.get_absolute_url() in page


# -- meeting forms -------------------------------------------------------------------------------------------


def meeting_data(**changes):
    data = {
        "title": "Working-level meeting",
        "kind": Meeting.Kind.WORKING_LEVEL,
        "status": Meeting.Status.PLANNED,
        "starts_on": "2016-02-08",
        "start_time": "10:00",
        "end_time": "12:00",
        "venue": "Geneva, Palais des Nations",
        "token": str(uuid.uuid4()),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_support_staff_add_a_meeting_and_are_told_it_was_saved(reader):
    ilo = make_agency("ILO")
    response = reader.post(reverse("meetings:meeting_create"), meeting_data(attendees=[ilo.pk]), follow=True)
    meeting = Meeting.objects.get(title="Working-level meeting")
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    assert "Meeting “Working-level meeting” added." in response.text
    assert meeting.start_time == time(10, 0)
    assert list(meeting.attendees.all()) == [ilo]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2016-02-01"}, "ends_on", "The last day cannot come before the first day."),
        ({"end_time": "09:00"}, "end_time", "The meeting ends after it starts."),
        ({"kind": Meeting.Kind.GROUP}, "group", "A group meeting names its group."),
        ({"starts_on": None, "start_time": None, "end_time": None}, "starts_on", "what is known of it"),
        ({"starts_on": "8 Feb"}, "starts_on", "Enter a valid date."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_a_meeting_form_with_a_mistake_is_refused_with_the_reason_next_to_the_field(reader, changes, field, message):
    response = reader.post(reverse("meetings:meeting_create"), meeting_data(**changes))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="error_1_id_{field}"' in response.text or f"id_{field}" in response.text
    assert not Meeting.objects.exists()


def test_moving_a_meeting_raises_its_sequence_and_says_the_invitees_are_told(reader):
    meeting = make_meeting(date(2016, 2, 8), title="Working-level meeting", venue="Geneva")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    form = reader.get(url).context["form"]
    data = meeting_data(starts_on="2016-02-15", revision=form["revision"].value())
    response = reader.post(url, data, follow=True)
    meeting.refresh_from_db()
    assert meeting.starts_on == date(2016, 2, 15)
    assert meeting.sequence == 1
    assert "sent to the invitees" in response.text


def test_renaming_a_meeting_keeps_its_sequence(reader):
    meeting = make_meeting(
        date(2016, 2, 8), title="WL meeting", venue="Geneva, Palais des Nations", start_time=time(10), end_time=time(12)
    )
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    revision = reader.get(url).context["form"]["revision"].value()
    reader.post(url, meeting_data(revision=revision))
    meeting.refresh_from_db()
    assert meeting.title == "Working-level meeting"
    assert meeting.sequence == 0


def test_the_second_of_two_people_editing_a_meeting_is_told_and_loses_nothing(reader, support):
    meeting = make_meeting(date(2016, 2, 8), title="Working-level meeting", venue="Geneva")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    revision = reader.get(url).context["form"]["revision"].value()
    # Someone else moves the meeting meanwhile, through the same form.
    assert reader.post(url, meeting_data(venue="New York", revision=revision)).status_code == 302
    response = reader.post(url, meeting_data(venue="Bangkok", revision=revision))
    assert response.status_code == 409
    assert "Someone else saved this meeting" in response.text
    assert "New York" in response.text  # their version is shown
    assert 'value="Bangkok"' in response.text  # and the person's own change is kept in the form
    meeting.refresh_from_db()
    assert meeting.venue == "New York"
    # Saving again, having seen their version, goes through.
    again = response.context["form"].data.copy()
    assert reader.post(url, again).status_code == 302
    meeting.refresh_from_db()
    assert meeting.venue == "Bangkok"


def test_a_meeting_edit_without_its_revision_is_refused_not_saved_unchecked(reader):
    meeting = make_meeting(date(2016, 2, 8), title="Working-level meeting", venue="Geneva")
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    response = reader.post(url, meeting_data(venue="Bangkok"))
    assert response.status_code == 400
    assert "sent without the version of the record it was opened from" in response.text
    meeting.refresh_from_db()
    assert meeting.venue == "Geneva"


def test_minutes_are_saved_with_a_message_and_cannot_be_shared_before_the_meeting(reader):
    meeting = make_meeting(date(2016, 2, 8))
    url = reverse("meetings:minutes_edit", args=[meeting.pk])
    refused = reader.post(url, {"minutes": "We met.", "minutes_shared_on": "2016-02-01", "revision": 1})
    assert refused.status_code == 400
    assert "Minutes are shared after the meeting starts" in refused.text
    response = reader.post(url, {"minutes": "We met.", "minutes_shared_on": "2016-02-10", "revision": 1}, follow=True)
    assert "Minutes saved." in response.text
    meeting.refresh_from_db()
    assert meeting.minutes_shared_on == date(2016, 2, 10)


def test_an_agenda_item_number_already_taken_is_refused_in_plain_words(reader):
    meeting = make_meeting(date(2016, 2, 8))
    AgendaItem.objects.create(meeting=meeting, position=1, title="Welcome")
    url = reverse("meetings:agenda_item_create", args=[meeting.pk])
    assert reader.get(url).context["form"]["position"].initial == 2
    refused = reader.post(url, {"position": 1, "title": "Work plan", "token": str(uuid.uuid4())})
    assert refused.status_code == 400
    assert "Item 1 is already on the agenda" in refused.text
    reader.post(url, {"position": 2, "title": "Work plan", "token": str(uuid.uuid4())})
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Welcome", "Work plan"]


def test_an_action_point_names_an_owner_of_its_own_agency_and_a_done_date_when_done(reader):
    meeting = make_meeting(date(2016, 2, 8))
    ilo, iom = make_agency("ILO"), make_agency("IOM")
    iom_person = make_person("iom-fp", role=Person.Role.FOCAL_POINT, agency=iom)
    url = reverse("meetings:action_point_create", args=[meeting.pk])
    token = str(uuid.uuid4())
    refused = reader.post(
        url, {"text": "Draft", "owner_agency": ilo.pk, "owner": iom_person.pk, "status": "done", "token": token}
    )
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert "is not a person of ILO" in errors["owner"][0]
    assert errors["done_on"] == ["Say when the action was done."]
    response = reader.post(
        url,
        {
            "text": "Draft",
            "owner_agency": iom.pk,
            "owner": iom_person.pk,
            "status": "open",
            "due_on": "2016-03-01",
            "token": token,
        },
        follow=True,
    )
    point = ActionPoint.objects.get()
    assert point.owner == iom_person and point.due_on == date(2016, 3, 1)
    assert "Action point for IOM, due 1 March 2016 saved." in response.text


def test_a_co_chair_adds_a_meeting_of_its_group_from_the_group_page(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ilo = make_agency("ILO")
    group = make_group(co_chairs=[ilo], slug="tf-dw")
    client.force_login(make_person("ilo-fp", role=Person.Role.FOCAL_POINT, agency=ilo))
    page = client.get(group.get_absolute_url()).text
    link = f"{reverse('meetings:meeting_create')}?group={group.slug}"
    assert link in page
    form = client.get(link).context["form"]
    assert list(form.fields["group"].queryset) == [group]
    response = client.post(link, meeting_data(kind=Meeting.Kind.GROUP, group=group.pk, title="TF meeting"))
    assert response.status_code == 302
    assert Meeting.objects.get(title="TF meeting").group == group


# -- layout, errors and sign-in ------------------------------------------------------------------------------


def test_every_page_has_a_skip_link_landmarks_and_the_csp_header(reader):
    response = reader.get(reverse("meetings:meeting_list"))
    page = response.text
    assert '<a class="visually-hidden-focusable skip-link" href="#main">Skip to content</a>' in page
    assert '<main id="main"' in page and 'aria-label="Main"' in page and "<header" in page and "<footer" in page
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "<script>" not in page and ' style="' not in page and " onclick=" not in page


def test_a_page_that_does_not_exist_says_so_plainly(reader):
    response = reader.get("/meetings/999999/")
    assert response.status_code == 404
    assert "This page does not exist" in response.text


def test_the_login_page_labels_its_fields_and_a_wrong_password_is_told(client, support):
    page = client.get(reverse("login")).text
    assert 'for="id_username"' in page and 'for="id_password"' in page
    response = client.post(reverse("login"), {"username": "support", "password": "wrong"})
    assert response.status_code == 400
    assert "Please enter a correct e-mail address and password" in response.text


def test_a_signed_out_visitor_is_sent_to_sign_in_and_comes_back(client, support):
    response = client.get(reverse("meetings:meeting_list"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={reverse('meetings:meeting_list')}"
