"""The GMG record of the `gmg_record` fixture is loaded once for the session and copied into each test that asks
for it (tests/record_snapshot.py): each test gets the record as loaded, whatever a test before it changed, in a
rolled-back test and in a transactional one alike (pytest-django runs the transactional ones last; their flush
makes the content types anew, with other ids, which the copied register's rows point at)."""

import pytest

from record.loader import load_gmg_record
from tests import record_snapshot

# The turns below run in order, in one process (under xdist, on one worker).
pytestmark = pytest.mark.xdist_group("record-snapshot")

FIRST_SEEN: dict[str, dict] = {}


def the_record() -> dict:
    from collections import Counter

    from archive.models import Document
    from groups.models import Agency
    from meetings.models import Meeting
    from register.models import RegisterEntry
    from workplans.models import Activity

    return {
        "agencies": sorted(Agency.objects.values_list("acronym", "name")),
        "activities": Activity.objects.count(),
        "meetings": sorted(Meeting.objects.values_list("key", "venue")),
        "documents": Document.objects.count(),
        "ilo leads": Activity.objects.filter(lead_agencies__acronym="ILO").count(),
        "register": sorted(
            Counter(
                f"{e.title}: {e.subject_type.get_object_for_this_type(pk=e.subject_id)!r}"
                for e in RegisterEntry.objects.select_related("subject_type")
            ).items()
        ),
        "register kinds": sorted(Counter(RegisterEntry.objects.values_list("subject_type__model", flat=True)).items()),
    }


def change_the_record(turn: str) -> None:
    from groups.models import Agency
    from meetings.models import Meeting
    from tests.factories import make_agency
    from workplans.models import Activity

    Agency.objects.filter(acronym="ILO").update(name=f"Renamed by {turn}")
    Meeting.objects.filter(pk=Meeting.objects.order_by("pk").first().pk).delete()
    Activity.objects.filter(lead_agencies__acronym="ILO").first().lead_agencies.clear()
    make_agency(f"NEW-{turn}")


def check_then_change(turn: str) -> None:
    seen = the_record()
    assert seen["activities"] and seen["meetings"] and seen["documents"] and seen["ilo leads"] and seen["register"]
    assert ("ILO", "International Labour Organization") in seen["agencies"]
    first = FIRST_SEEN.setdefault("record", seen)
    assert seen == first, f"turn {turn} did not start from the record as loaded"
    change_the_record(turn)
    assert the_record() != first


def test_turn_1_changes_the_record_in_a_rolled_back_test(gmg_record):
    check_then_change("1")


def test_turn_2_finds_it_unchanged_and_changes_it_again(gmg_record):
    check_then_change("2")


@pytest.mark.django_db(transaction=True)
def test_turn_3_finds_it_unchanged_in_a_transactional_test_and_changes_it_for_good(gmg_record):
    check_then_change("3")


@pytest.mark.django_db(transaction=True)
def test_turn_4_finds_it_unchanged_after_the_flush_and_content_types_made_anew(gmg_record):
    check_then_change("4")


def test_the_copy_is_the_load_a_second_load_finds_every_row_as_it_is(gmg_record):
    copied = record_snapshot.USES["copied"]
    report = load_gmg_record()
    assert not report.changed, report.lines()
    assert sum(report.unchanged.values()) == sum(gmg_record.created.values()) > 300
    assert record_snapshot.USES["copied"] == copied  # and nothing was copied by the load itself


@pytest.fixture
def ilo_made_first(db):
    from tests.factories import make_agency

    return make_agency("ILO", name="Made by the test")


def test_where_the_test_made_part_of_the_record_first_it_is_loaded_around_it(ilo_made_first, gmg_record):
    from groups.models import Agency

    loaded = record_snapshot.USES["loaded"]
    ilo = Agency.objects.get(acronym="ILO")
    assert ilo.pk == ilo_made_first.pk and ilo.name == "International Labour Organization"
    assert loaded >= 1 and gmg_record.updated["agencies"] == 1
