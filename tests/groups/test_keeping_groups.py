"""A group's page keeps its terms of reference: a new version with its text and signed PDF, in force from a day,
and the versions compared side by side (issue 12).

Support staff and the group's co-chairs write (groups.access.can_keep_group); the signed PDF is checked as
update files are (type, first bytes, size: workplans.forms.check_update_file); a form posted twice adds one
version; the group's rules read the version in force on the day (groups.services.tor_in_force).
"""

import uuid
from datetime import date

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups import services as rules
from groups.models import Person, TermsOfReference
from tests.factories import make_agency, make_group, make_person

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ROLES = ["anonymous", "viewer", "focal_other", "co_chair", "support", "deactivated"]
KEEPERS = {"co_chair", "support"}


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ilo, unodc = make_agency("ILO"), make_agency("UNODC")
    group = make_group(
        co_chairs=[ilo], slug="tf-decent-work", name="TF on Migration and Decent Work", established_on=date(2013, 7, 3)
    )
    tor = group.terms_of_reference.get()
    tor.text = "The task force meets at least three times a year.\nMinutes are shared after each meeting."
    tor.save()
    return {
        "group": group,
        "tor": tor,
        "people": {
            "viewer": make_person("viewer"),
            "focal_other": make_person("fp-unodc", role=Person.Role.FOCAL_POINT, agency=unodc),
            "co_chair": make_person("fp-ilo", role=Person.Role.FOCAL_POINT, agency=ilo),
            "support": make_person("support", role=Person.Role.SUPPORT),
            "deactivated": make_person("gone", role=Person.Role.SUPPORT, is_active=False),
        },
    }


def pdf(name="tor-2016-signed.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def new_version(token=None, **extra):
    data = {
        "version": "as at 24 March 2016",
        "adopted_on": "2016-03-24",
        "min_meetings_per_year": "2",
        "review_after_months": "",
        "review_every_months": "24",
        "minutes_shared_after_each_meeting": "on",
        "objectives": "",
        "working_modalities": "",
        "text": "The task force meets at least twice a year.\nMinutes are shared after each meeting.",
        "signed_pdf": pdf(),
        "source": "Seed 004",
        "token": token or str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def versions(group):
    return list(group.terms_of_reference.order_by("adopted_on").values_list("version", "min_meetings_per_year"))


def test_a_support_officer_adds_a_version_with_its_signed_pdf_and_the_rules_read_it_from_its_day(client, world):
    group = world["group"]
    client.force_login(world["people"]["support"])
    assert client.get(reverse("groups:tor_add", args=[group.slug])).status_code == 200
    response = client.post(reverse("groups:tor_add", args=[group.slug]), new_version())
    assert response.status_code == 302, response.content[:2000]
    assert response.url == group.get_absolute_url()
    tor = group.terms_of_reference.get(adopted_on=date(2016, 3, 24))
    assert tor.signed_pdf.read() == PDF
    assert tor.review_every_months == 24
    # Three meetings in 2015 under the first version; two from 2016 on, read from the version in force.
    assert rules.minimum_meetings(group, 2015) == 3
    assert rules.minimum_meetings(group, 2016) == 2
    assert rules.tor_in_force(group, date(2016, 3, 23)) == world["tor"]
    assert rules.tor_in_force(group, date(2016, 3, 24)) == tor
    page = client.get(group.get_absolute_url())
    assert "as at 24 March 2016" in page.text
    download = client.get(reverse("groups:tor_pdf", args=[group.slug, tor.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    # The group page's History panel tells who added the version.
    assert "as at 24 March 2016" in page.text and "History" in page.text


def test_a_version_form_posted_twice_adds_one_version(client, world):
    group = world["group"]
    client.force_login(world["people"]["support"])
    token = str(uuid.uuid4())
    first = client.post(reverse("groups:tor_add", args=[group.slug]), new_version(token))
    second = client.post(reverse("groups:tor_add", args=[group.slug]), new_version(token))
    assert first.status_code == second.status_code == 302
    assert versions(group) == [("test", 3), ("as at 24 March 2016", 2)]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf("tor.pdf", b"MZ\x90\x00 not a pdf at all" * 10), "is not a real .pdf file"),
        (lambda: pdf("tor.docx", b"PK\x03\x04" + b"x" * 100), "are kept as a PDF"),
        (lambda: pdf("tor.exe", b"MZ\x90\x00"), "are kept as a PDF"),
        (lambda: pdf("tor.pdf", b""), "The submitted file is empty"),
        (lambda: pdf("tor.pdf", PDF + b"x" * (1024 * 1024 + 1)), "files can be at most 1 MB"),
        (lambda: "", "This field is required"),
    ],
    ids=["wrong first bytes", "a Word file", "a program", "empty", "too large", "missing"],
)
def test_a_signed_pdf_that_is_not_an_acceptable_pdf_is_refused_in_plain_words_and_nothing_is_saved(
    client, world, settings, upload, message
):
    settings.GMG_UPDATE_FILE_MAX_MB = 1
    group = world["group"]
    client.force_login(world["people"]["support"])
    before = versions(group)
    response = client.post(reverse("groups:tor_add", args=[group.slug]), new_version(signed_pdf=upload()))
    assert response.status_code == 400
    assert message in response.text
    # The person's input is kept in the form.
    assert "as at 24 March 2016" in response.text
    assert versions(group) == before


def test_a_second_version_on_the_same_day_is_refused_in_plain_words(client, world):
    group = world["group"]
    client.force_login(world["people"]["support"])
    response = client.post(reverse("groups:tor_add", args=[group.slug]), new_version(adopted_on="2013-07-03"))
    assert response.status_code == 400
    assert "already has a ToR version in force from 03 July 2013" in response.text
    assert versions(group) == [("test", 3)]


@pytest.mark.parametrize("role", ROLES)
def test_only_support_staff_and_the_groups_co_chairs_add_a_version(client, world, role):
    group = world["group"]
    if role != "anonymous":
        client.force_login(world["people"][role])
    url = reverse("groups:tor_add", args=[group.slug])
    before = versions(group)
    form, response = client.get(url), client.post(url, new_version())
    if role in ("anonymous", "deactivated"):
        assert form.status_code == response.status_code == 302
        assert response.url.startswith(reverse("login"))
        assert versions(group) == before
    elif role in KEEPERS:
        assert form.status_code == 200
        assert response.status_code == 302
        assert len(versions(group)) == 2
    else:
        assert form.status_code == response.status_code == 403
        assert "Only the support team and the group&#x27;s co-chairs keep the group&#x27;s page." in response.text
        assert versions(group) == before
    page = client.get(group.get_absolute_url())
    if role not in ("anonymous", "deactivated"):
        assert ("Add a ToR version" in page.text) == (role in KEEPERS)


def test_the_versions_are_compared_side_by_side_fields_and_text(client, world):
    group = world["group"]
    client.force_login(world["people"]["support"])
    client.post(reverse("groups:tor_add", args=[group.slug]), new_version())
    viewer = world["people"]["viewer"]
    client.force_login(viewer)
    response = client.get(reverse("groups:tor_compare", args=[group.slug]))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    fields = {row["label"]: (row["old"], row["new"], row["changed"]) for row in comparison["fields"]}
    assert fields["minimum meetings a year"] == (3, 2, True)
    assert fields["review every months"] == (None, 24, True)
    assert fields["minutes shared after each meeting"] == (True, True, False)
    (text,) = comparison["texts"]
    assert [(row["tag"], row["old"], row["new"]) for row in text["rows"]] == [
        (
            "replace",
            "The task force meets at least three times a year.",
            "The task force meets at least twice a year.",
        ),
        ("equal", "Minutes are shared after each meeting.", "Minutes are shared after each meeting."),
    ]
    assert "<del>The task force meets at least three times a year.</del>" in response.text
    assert "<ins>The task force meets at least twice a year.</ins>" in response.text
    # Chosen the other way round, the older version still stands on the left.
    newer = group.terms_of_reference.get(adopted_on=date(2016, 3, 24))
    swapped = client.get(reverse("groups:tor_compare", args=[group.slug]) + f"?a={newer.pk}&b={world['tor'].pk}")
    assert swapped.context["older"] == world["tor"]
    # Nonsense in the query string falls back to the two latest versions, never a server error.
    assert client.get(reverse("groups:tor_compare", args=[group.slug]) + "?a=x%00&b=-1").status_code == 200


def test_a_group_with_one_version_has_nothing_to_compare(client, world):
    client.force_login(world["people"]["viewer"])
    assert client.get(reverse("groups:tor_compare", args=[world["group"].slug])).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_compare_page_and_the_version_form_read_in_the_same_queries_for_few_and_many_versions(client, world):
    group = world["group"]
    client.force_login(world["people"]["support"])
    client.post(reverse("groups:tor_add", args=[group.slug]), new_version())
    pages = [reverse("groups:tor_compare", args=[group.slug]), reverse("groups:tor_add", args=[group.slug])]
    few = [_queries(client, url) for url in pages]
    for year in range(2017, 2037):
        TermsOfReference.objects.create(
            group=group, version=f"as at {year}", adopted_on=date(year, 1, 1), text=f"Version {year}\n" * 50
        )
    many = [_queries(client, url) for url in pages]
    assert few == many
    assert few == [COMPARE_QUERIES, FORM_QUERIES]


COMPARE_QUERIES = 5
FORM_QUERIES = 4


# The bad-input corpus (tests/test_bad_input.py) posts without files, so the missing PDF refuses every post
# there; here each bad value goes in with a real signed PDF, so the other fields' checks are the ones answering.
def test_bad_input_in_the_version_form_with_a_real_pdf_is_refused_plainly_or_saved_whole(client, world):
    from tests.test_bad_input import CORPUS, _kind

    group = world["group"]
    client.force_login(world["people"]["support"])
    form = client.get(reverse("groups:tor_add", args=[group.slug])).context["form"]
    kinds = {name: _kind(field, name) for name, field in form.fields.items() if name not in ("token", "signed_pdf")}
    failures = []
    for kind, what, value in CORPUS:
        targets = [name for name, k in kinds.items() if k == kind]
        if not targets:
            continue
        before = versions(group)
        data = {**new_version(adopted_on=f"2017-0{len(before) % 9 + 1}-01"), **dict.fromkeys(targets, value)}
        response = client.post(reverse("groups:tor_add", args=[group.slug]), data)
        if response.status_code >= 500:
            failures.append(f"{what} in {targets}: {response.status_code}")
        elif response.status_code == 400:
            if versions(group) != before:
                failures.append(f"{what} in {targets}: refused but a version was saved")
            if "invalid-feedback" not in response.text and "alert-danger" not in response.text:
                failures.append(f"{what} in {targets}: refused without a word")
        elif response.status_code != 302:
            failures.append(f"{what} in {targets}: {response.status_code}")
    assert not failures, "; ".join(failures)


# -- co-chairs, dated; status and participating agencies -----------------------------------------------------


@pytest.fixture
def wg(world):
    ohchr, un_women, unicef = make_agency("OHCHR"), make_agency("UN Women"), make_agency("UNICEF")
    group = make_group(
        co_chairs=[ohchr, un_women, unicef],
        slug="wg-human-rights-gender",
        name="WG on Migration, Human Rights and Gender",
        established_on=date(2013, 7, 3),
        chair_rotates_annually=True,
    )
    return {"group": group, "ohchr": ohchr, "un_women": un_women, "unicef": unicef}


def co_chairs_post(group, *agencies, starts_on="2027-01-01", revision=None):
    data = {"starts_on": starts_on, "revision": revision or group.revision}
    for index, agency in enumerate(agencies, start=1):
        data[f"co_chair_{index}"] = agency.acronym
    return data


@time_machine.travel(date(2026, 12, 2), tick=False)
def test_a_support_officer_changes_the_co_chairs_for_next_year_and_the_rotation_follows_from_1_january(
    client, world, wg
):
    group, ohchr, un_women, unicef = wg["group"], wg["ohchr"], wg["un_women"], wg["unicef"]
    assert [rules.group_chair_for_year(group, year).acronym for year in (2025, 2026, 2027)] == [
        "UNICEF",
        "OHCHR",
        "UN Women",
    ]
    client.force_login(world["people"]["support"])
    url = reverse("groups:co_chairs_change", args=[group.slug])
    form = client.get(url)
    assert form.context["form"].initial["starts_on"] == date(2027, 1, 1)
    response = client.post(url, co_chairs_post(group, ohchr, unicef, un_women))
    assert response.status_code == 302, response.content[:2000]
    group.refresh_from_db()
    # This year is as it was; from 1 January 2027 the rotation reads the new order.
    assert [a.acronym for a in rules.co_chairs_in_order(group, date(2026, 12, 31))] == ["OHCHR", "UN Women", "UNICEF"]
    assert [a.acronym for a in rules.co_chairs_in_order(group, date(2027, 1, 1))] == ["OHCHR", "UNICEF", "UN Women"]
    assert rules.group_chair_for_year(group, 2026) == ohchr
    assert rules.group_chair_for_year(group, 2027) == unicef
    (handover,) = rules.chair_handovers(group, 2027, 2027)
    assert (handover.due, handover.outgoing, handover.incoming) == (date(2027, 1, 1), ohchr, unicef)
    page = client.get(group.get_absolute_url())
    assert "UNICEF in 2027" in page.text
    assert "until 31 December 2026" in page.text and "from 1 January 2027" in page.text
    # Changing again from the same day replaces that change; it does not pile up a second one.
    client.post(url, co_chairs_post(group, un_women, ohchr))
    group.refresh_from_db()
    assert [a.acronym for a in rules.co_chairs_in_order(group, date(2027, 1, 1))] == ["UN Women", "OHCHR"]
    assert [a.acronym for a in rules.co_chairs_in_order(group, date(2026, 6, 1))] == ["OHCHR", "UN Women", "UNICEF"]


@time_machine.travel(date(2026, 12, 2), tick=False)
def test_two_people_changing_the_co_chairs_at_once_do_not_overwrite_each_other_unseen(client, world, wg):
    group = wg["group"]
    client.force_login(world["people"]["support"])
    url = reverse("groups:co_chairs_change", args=[group.slug])
    first = client.post(url, co_chairs_post(group, wg["unicef"], wg["ohchr"]))
    assert first.status_code == 302
    second = client.post(url, co_chairs_post(group, wg["un_women"], wg["ohchr"], revision=group.revision))
    assert second.status_code == 409
    assert "Someone else changed this group while you were editing" in second.text
    assert [a.acronym for a in rules.co_chairs_in_order(group, date(2027, 1, 1))] == ["UNICEF", "OHCHR"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda g, w: co_chairs_post(g, w["ohchr"], w["ohchr"]), "Each agency co-chairs once"),
        (lambda g, w: {"starts_on": "2027-01-01", "revision": g.revision}, "This field is required"),
        (lambda g, w: {**co_chairs_post(g, w["ohchr"]), "co_chair_1": "NOPE"}, "Select a valid choice"),
        (lambda g, w: co_chairs_post(g, w["ohchr"], starts_on="9999-12-31"), "1900"),
        (lambda g, w: {**co_chairs_post(g, w["ohchr"]), "revision": ""}, "sent without the version"),
    ],
    ids=["an agency twice", "no co-chair", "an unknown agency", "a day far out", "no revision"],
)
def test_a_bad_co_chair_change_is_refused_in_plain_words_and_changes_nothing(client, world, wg, data, message):
    group = wg["group"]
    client.force_login(world["people"]["support"])
    before = list(group.co_chair_links.order_by("pk").values_list("pk", "agency_id", "starts_on", "ends_on"))
    response = client.post(reverse("groups:co_chairs_change", args=[group.slug]), data(group, wg))
    assert response.status_code == 400
    assert message in response.text
    assert list(group.co_chair_links.order_by("pk").values_list("pk", "agency_id", "starts_on", "ends_on")) == before


def test_a_co_chair_replaced_yesterday_no_longer_keeps_the_group(client, world):
    group, support, co_chair = world["group"], world["people"]["support"], world["people"]["co_chair"]
    client.force_login(support)
    yesterday = (timezone.localdate() - relativedelta(days=1)).isoformat()
    unodc = world["people"]["focal_other"].agency
    response = client.post(
        reverse("groups:co_chairs_change", args=[group.slug]), co_chairs_post(group, unodc, starts_on=yesterday)
    )
    assert response.status_code == 302
    client.force_login(co_chair)
    assert client.get(reverse("groups:tor_add", args=[group.slug])).status_code == 403
    client.force_login(world["people"]["focal_other"])
    assert client.get(reverse("groups:tor_add", args=[group.slug])).status_code == 200


def group_post(group, *, status="closed", participating=(), note="Closed by decision of the GMG", revision=None):
    return {
        "status": status,
        "participating": [agency.pk for agency in participating],
        "note": note,
        "revision": revision or group.revision,
    }


def test_the_status_and_the_participating_agencies_are_changed_and_the_rules_follow(client, world, wg):
    group = world["group"]
    client.force_login(world["people"]["co_chair"])
    url = reverse("groups:group_edit", args=[group.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, group_post(group, status="active", participating=[wg["ohchr"], wg["unicef"]]))
    assert response.status_code == 302, response.content[:2000]
    assert sorted(group.participating.values_list("acronym", flat=True)) == ["OHCHR", "UNICEF"]
    group.refresh_from_db()
    response = client.post(url, group_post(group, participating=[wg["unicef"]]))
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == "closed"
    assert list(group.participating.values_list("acronym", flat=True)) == ["UNICEF"]
    # A closed group owes no meetings and no reviews.
    assert rules.minimum_meetings(group, 2016) is None
    page = client.get(group.get_absolute_url())
    assert "Closed" in page.text and "Closed by decision of the GMG" in page.text


def test_two_people_editing_a_group_do_not_overwrite_each_other_unseen(client, world):
    group = world["group"]
    client.force_login(world["people"]["support"])
    url = reverse("groups:group_edit", args=[group.slug])
    assert client.post(url, group_post(group, note="First")).status_code == 302
    second = client.post(url, group_post(group, status="active", note="Second", revision=group.revision))
    assert second.status_code == 409
    group.refresh_from_db()
    assert (group.status, group.note) == ("closed", "First")


@pytest.mark.parametrize("role", ROLES)
def test_only_support_staff_and_the_groups_co_chairs_change_its_co_chairs_status_and_agencies(client, world, role):
    group = world["group"]
    if role != "anonymous":
        client.force_login(world["people"][role])
    unodc = world["people"]["focal_other"].agency
    writes = [
        (reverse("groups:group_edit", args=[group.slug]), group_post(group)),
        (reverse("groups:co_chairs_change", args=[group.slug]), co_chairs_post(group, unodc, starts_on="2099-01-01")),
    ]
    for url, data in writes:
        group.refresh_from_db()
        data["revision"] = group.revision
        before = (group.status, list(group.co_chair_links.values_list("pk", "ends_on")))
        form, response = client.get(url), client.post(url, data)
        group.refresh_from_db()
        after = (group.status, list(group.co_chair_links.values_list("pk", "ends_on")))
        if role in ("anonymous", "deactivated"):
            assert form.status_code == response.status_code == 302
            assert response.url.startswith(reverse("login"))
            assert after == before
        elif role in KEEPERS:
            assert form.status_code == 200
            assert response.status_code == 302, response.content[:2000]
            assert after != before
        else:
            assert form.status_code == response.status_code == 403
            assert after == before


def test_the_group_forms_read_in_the_same_queries_for_few_and_many_agencies_and_co_chair_changes(client, world, wg):
    group = wg["group"]
    group.participating.set([wg["unicef"]])
    client.force_login(world["people"]["support"])
    pages = [
        reverse("groups:co_chairs_change", args=[group.slug]),
        reverse("groups:group_edit", args=[group.slug]),
        group.get_absolute_url(),
    ]
    few = [_queries(client, url) for url in pages]
    agencies = [make_agency() for _ in range(20)]
    group.participating.set(agencies)
    for year in range(2030, 2040):
        group.refresh_from_db()
        client.post(pages[0], co_chairs_post(group, agencies[year % 20], wg["ohchr"], starts_on=f"{year}-01-01"))
    many = [_queries(client, url) for url in pages]
    assert few == many
    assert few == GROUP_FORM_QUERIES


GROUP_FORM_QUERIES = [9, 6, 21]
