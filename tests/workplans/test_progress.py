"""Progress reporting: a focal point's updates, their files and links, the review, and reporting rounds."""

import uuid
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_activity, make_agency, make_output, make_stream, make_update, make_workplan
from workplans import services
from workplans.models import Activity, ActivityUpdate, ReportingRound

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def report(client, target, **fields):
    data = {"token": str(uuid.uuid4()), "status": "on_track", "narrative": "Paper launched in Geneva.", "links": ""}
    data.update(fields)
    return client.post(reverse("workplans:activity_report", args=[target.pk]), data)


@time_machine.travel("2014-05-12 10:00 +02:00")
def test_a_focal_point_files_an_update_with_links_and_files_for_its_own_agency(client, cast):
    client.force_login(cast.focal_partner)
    response = report(
        client,
        cast.activity,
        status="completed",
        links="https://example.org/paper\nhttp://example.org/event",
        files=[SimpleUploadedFile("paper.pdf", PDF), SimpleUploadedFile("figures.csv", b"year,count\n2014,3\n")],
    )
    update = ActivityUpdate.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#update-{update.pk}")
    assert (update.agency, update.author, update.reported_on) == (cast.partner, cast.focal_partner, date(2014, 5, 12))
    assert (update.status, update.review) == ("completed", "submitted")
    assert sorted(a.url for a in update.attachments.all() if a.url) == [
        "http://example.org/event",
        "https://example.org/paper",
    ]
    files = sorted((a.file_name, a.file_size) for a in update.attachments.all() if not a.url)
    assert files == [("figures.csv", 18), ("paper.pdf", len(PDF))]
    page = client.get(cast.activity.get_absolute_url()).content.decode()
    assert "Paper launched in Geneva." in page and "paper.pdf" in page
    attachment = update.attachments.get(file_name="paper.pdf")
    download = client.get(reverse("workplans:attachment_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    # The activity's status follows only once the support team accepts the update.
    assert Activity.objects.get(pk=cast.activity.pk).status == "planned"


def test_a_link_attachment_opens_through_a_page_that_shows_the_address(client, cast):
    from workplans.models import UpdateAttachment

    update = make_update(cast.activity, cast.partner, author=cast.focal_partner)
    link = UpdateAttachment.objects.create(update=update, url="https://example.org/report?id=7")
    odd = UpdateAttachment.objects.create(update=update, url="ftp://example.org/file")
    client.force_login(cast.viewer)
    activity_page = client.get(cast.activity.get_absolute_url()).content.decode()
    via = reverse("workplans:attachment_download", args=[link.pk])
    assert f'href="{via}"' in activity_page
    assert 'href="https://example.org/report' not in activity_page

    response = client.get(via)
    assert response.status_code == 200  # a page, not a redirect
    page = response.content.decode()
    assert "You are leaving the GMG Portal" in page
    assert 'href="https://example.org/report?id=7" rel="noopener noreferrer nofollow"' in page
    other = client.get(reverse("workplans:attachment_download", args=[odd.pk])).content.decode()
    assert "ftp://example.org/file" in other and 'href="ftp:' not in other


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "this type of file cannot be attached"),
        ("paper.pdf", b"<html>not a pdf</html>", "is not a real .pdf file"),
        ("slides.pptx", b"%PDF-1.4", "is not a real .pptx file"),
        ("notes.txt", b"\x00\x01binary", "is not a plain text file"),
        ("empty.png", b"", "is empty"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_with_a_clear_message(client, cast, name, content, message):
    client.force_login(cast.focal_owner)
    response = report(client, cast.activity, files=[SimpleUploadedFile(name, content)])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActivityUpdate.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, cast, settings):
    settings.GMG_UPDATE_FILE_MAX_MB = 1
    client.force_login(cast.focal_owner)
    big = SimpleUploadedFile("report.pdf", PDF + b"0" * (1024 * 1024))
    response = report(client, cast.activity, files=[big])
    assert response.status_code == 400
    assert "files can be at most 1 MB" in response.content.decode()
    response = report(client, cast.activity, files=[SimpleUploadedFile("report.pdf", PDF + b"0" * 1000)])
    assert response.status_code == 302


def test_links_that_are_not_web_addresses_are_named_in_the_error(client, cast):
    client.force_login(cast.focal_owner)
    response = report(client, cast.activity, links="https://example.org/ok\njavascript:alert(1)\nsee the annex")
    page = response.content.decode()
    assert response.status_code == 400
    assert "These are not web addresses" in page and "see the annex" in page


def test_a_focal_point_cannot_post_on_another_agencys_activity_by_changing_the_address(client, cast):
    ilo_activity = make_activity(output=cast.output, description="Employers' handbook", lead_agencies=[cast.other])
    client.force_login(cast.focal_owner)
    response = report(client, ilo_activity)
    assert response.status_code == 403
    assert not ActivityUpdate.objects.exists()


def test_staff_only_and_foreign_fields_in_a_tampered_form_are_ignored(client, cast):
    ilo_activity = make_activity(output=cast.output, description="Employers' handbook", lead_agencies=[cast.other])
    client.force_login(cast.focal_owner)
    response = report(
        client,
        cast.activity,
        review="accepted",
        review_comment="fine",
        agency=cast.other.pk,
        activity=ilo_activity.pk,
        author=cast.support.pk,
        reported_on="2001-01-01",
    )
    assert response.status_code == 302
    update = ActivityUpdate.objects.get()
    assert (update.activity, update.agency, update.author) == (cast.activity, cast.owner, cast.focal_owner)
    assert (update.review, update.review_comment) == ("submitted", "")
    assert update.reported_on != date(2001, 1, 1)


def test_support_staff_file_for_one_of_the_activitys_agencies(client, cast):
    client.force_login(cast.support)
    response = report(client, cast.activity, agency=cast.other.pk)
    assert response.status_code == 400  # ILO takes no part in it
    assert "Select a valid choice" in response.content.decode()
    report(client, cast.activity, agency=cast.partner.pk)
    assert ActivityUpdate.objects.get().agency == cast.partner


def test_a_returned_update_shows_the_comment_and_its_agency_resubmits_it(client, cast):
    update = make_update(cast.activity, cast.owner, author=cast.focal_owner)
    client.force_login(cast.support)
    response = client.post(reverse("workplans:update_review", args=[update.pk]), {"decision": "return"})
    assert response.status_code == 400
    assert "Say what the focal point should change" in response.content.decode()
    client.post(
        reverse("workplans:update_review", args=[update.pk]),
        {"decision": "return", "comment": "Add the link to the paper."},
    )
    update.refresh_from_db()
    assert (update.review, update.reviewed_by) == ("returned", cast.support)

    client.force_login(cast.focal_owner)
    page = client.get(cast.activity.get_absolute_url()).content.decode()
    assert "Add the link to the paper." in page and "Answer and resubmit" in page
    url = reverse("workplans:update_resubmit", args=[update.pk])
    response = client.post(url, {"status": "completed", "narrative": "Paper launched.", "links": "https://x.org/p"})
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.review, update.status, update.narrative) == ("submitted", "completed", "Paper launched.")
    assert [a.url for a in update.attachments.all()] == ["https://x.org/p"]
    # Another agency's focal point may not answer it.
    client.force_login(cast.focal_other)
    assert client.get(url).status_code == 403


def test_an_update_is_reviewed_once(client, cast):
    update = make_update(cast.activity, cast.owner)
    services.activity_update_review(update=update, accept=True, comment="", reviewer=cast.support)
    with pytest.raises(services.ReviewConflict):
        services.activity_update_review(update=update, accept=False, comment="late", reviewer=cast.support)
    assert ActivityUpdate.objects.get(pk=update.pk).review == "accepted"


# -- "My agency's activities" -----------------------------------------------------------------------------------


@time_machine.travel("2014-07-01 09:00 +02:00")
def test_my_agencys_activities_lists_what_it_leads_or_joins_and_filters_them(client, cast):
    overdue = cast.activity  # ended 31 May 2014, still planned
    done = make_activity(
        output=cast.output, description="Translate the messages", ends_on=date(2014, 4, 30), status="completed"
    )
    done.partners.set([cast.owner])
    later = make_activity(
        output=make_output(cast.stream, year=2015), description="Publish indicators", lead_agencies=[cast.owner]
    )
    make_activity(output=cast.output, description="Someone else's work", lead_agencies=[cast.other])
    other_plan_stream = make_stream(make_workplan(), title="Elsewhere")
    elsewhere = make_activity(
        output=make_output(other_plan_stream), description="In another plan", lead_agencies=[cast.owner]
    )
    client.force_login(cast.focal_owner)
    url = reverse("workplans:my_activities")

    def listed(query=None):
        page = client.get(url, query or {}).content.decode()
        names = [overdue.description, done.description, later.description, elsewhere.description]
        return {name for name in [*names, "Someone else's work"] if name in page}

    assert listed() == {overdue.description, done.description, later.description, elsewhere.description}
    assert listed({"overdue": "yes"}) == {overdue.description}
    assert listed({"overdue": "no", "plan": cast.plan.pk}) == {done.description, later.description}
    assert listed({"year": "2015"}) == {later.description}
    assert listed({"status": "completed"}) == {done.description}
    assert listed({"stream": other_plan_stream.pk}) == {elsewhere.description}
    response = client.get(url, {"year": "soon"})
    assert response.status_code == 200 and "Enter a number." in response.content.decode()


def test_a_person_without_an_agency_is_told_why_the_list_is_empty(client, cast):
    client.force_login(cast.support)
    page = client.get(reverse("workplans:my_activities")).content.decode()
    assert "Your account is not linked to an agency" in page


# -- reporting rounds -------------------------------------------------------------------------------------------


def test_a_round_lists_who_has_and_has_not_reported_in_its_period(client, cast):
    wfp = make_agency("WFP")
    second = make_activity(
        output=cast.output,
        description="Human rights indicators",
        starts_on=date(2014, 1, 1),
        ends_on=date(2014, 12, 31),
        lead_agencies=[cast.owner, wfp],
    )
    make_activity(
        output=cast.output,
        description="Out of the period",
        starts_on=date(2015, 1, 1),
        ends_on=date(2015, 3, 31),
        lead_agencies=[wfp],
    )
    make_activity(output=cast.output, description="Ongoing coordination", timeframe="On-going", lead_agencies=[wfp])
    make_activity(
        output=cast.output,
        description="Cancelled",
        starts_on=date(2014, 2, 1),
        ends_on=date(2014, 2, 28),
        status="cancelled",
        lead_agencies=[wfp],
    )
    round_, _ = services.reporting_round_open(
        title="First half of 2014",
        workplan=cast.plan,
        period_starts_on=date(2014, 1, 1),
        period_ends_on=date(2014, 6, 30),
        due_on=date(2014, 7, 15),
    )
    make_update(cast.activity, cast.owner, reported_on=date(2014, 6, 20))
    make_update(second, cast.owner, reported_on=date(2013, 12, 20))  # before the period: does not count
    make_update(second, wfp, reported_on=date(2014, 7, 1), review=ActivityUpdate.Review.RETURNED)  # returned

    missing = services.reporting_round_missing(round_)
    assert [(agency.acronym, [a.description for a in activities]) for agency, activities in missing] == [
        ("UNODC", ["Human rights indicators"]),
        ("WFP", ["Human rights indicators", "Ongoing coordination"]),
    ]
    client.force_login(cast.support)
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "Not yet reported (2 agencies)" in page
    assert "Out of the period" not in page and ">Cancelled<" not in page
    assert "Updates to review (1)" in page


def test_staff_open_a_round_with_its_due_date_and_bad_dates_are_refused(client, cast):
    client.force_login(cast.support)
    url = reverse("workplans:round_create")
    response = client.post(
        url, {"title": "Q1", "period_starts_on": "2014-03-31", "period_ends_on": "2014-01-01", "due_on": "2014-01-01"}
    )
    assert response.status_code == 400
    assert "The period cannot end before it starts." in response.content.decode()
    response = client.post(
        url,
        {
            "token": str(uuid.uuid4()),
            "title": "Q1 2014",
            "workplan": cast.plan.pk,
            "period_starts_on": "2014-01-01",
            "period_ends_on": "2014-03-31",
            "due_on": "2014-04-15",
        },
        follow=True,
    )
    assert "updates are due on 15 April 2014" in response.content.decode()
    assert ReportingRound.objects.get().due_on == date(2014, 4, 15)
