"""A meeting whose date is only proposed or approximate keeps its date as written, is shown as not fixed, and
sets no deadline: the 2010 plan's "Proposed date: 6 October" and the MAWP's dated events that only give a month
(the second Knowledge Workshop, February 2014, "Geneva or Washington"; the HLD regional preparatory meetings of
July 2013; the high-level public event on human rights and migration, September 2013; the Labour Migration
Academies)."""

from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from groups.models import Person
from meetings.models import Meeting
from register.reading import obligations
from reminders.calendar import meeting_event
from tests.factories import form_as_opened, make_meeting, make_person
from workplans.timeframes import read_timeframe

SEEDS = Path("/work/shared/seeds")


def seed_text(name: str) -> str:
    """The seed's text with its extraction markup dropped, so a phrase is found as a person reads it."""
    path = next(SEEDS.glob(f"{name}_*.txt"))
    text = path.read_text(encoding="utf-8")
    for tag in ("<p>", "</p>", "<i>", "</i>"):
        text = text.replace(tag, " ")
    return " ".join(text.split())


# key -> (seed, the text the seed gives for the date, the place as written, group slug or None)
DATED_EVENTS = {
    "knowledge-workshop-2014-02": ("000", "February 2014", "Geneva or Washington", "tf-capacity-development"),
    "hld-regional-prep-africa-2013-07": ("000", "July 2013", "Africa", None),
    "hld-regional-prep-latin-america-2013-07": ("000", "July 2013", "Latin America", None),
    "hr-migration-public-event-2013-09": ("000", "September 2013", "Geneva", None),
    "labour-migration-academy-2014-07": ("000", "July 2014 (precise date TBC)", "Turin", "tf-decent-work"),
    "labour-migration-academy-2016": ("004", "Africa 2016", "Africa", "tf-decent-work"),
    "labour-migration-academy-2017": ("004", "Turin 2017", "Turin", "tf-decent-work"),
}


def test_the_2010_plans_proposed_date_of_6_october_is_kept_tentative_as_written(gmg_record):
    meeting = Meeting.objects.get(key="expert-2010-10-06")
    assert meeting.date_as_written == "Proposed date: 6 October"
    assert "Proposed date: 6 October" in seed_text("001")
    assert meeting.date_tentative
    assert meeting.when == "Proposed date: 6 October (date not fixed)"


def test_every_proposed_date_of_the_record_is_not_fixed(gmg_record):
    proposed = Meeting.objects.filter(date_as_written__startswith="Proposed date")
    assert proposed.count() == 3
    assert not proposed.filter(date_tentative=False).exists()


def test_the_mawps_dated_events_are_records_with_their_dates_and_places_as_the_seeds_write_them(gmg_record):
    for key, (seed, written, venue, group) in DATED_EVENTS.items():
        meeting = Meeting.objects.select_related("group").get(key=key)
        text = seed_text(seed)
        assert meeting.date_as_written == written and written in text, key
        assert meeting.venue == venue and venue in text, key
        assert (meeting.group.slug if meeting.group else None) == group, key
        assert meeting.date_tentative and meeting.status == Meeting.Status.PLANNED, key
        assert meeting.when == f"{written} (date not fixed)"
        # The first day is the one the timeframes reader gives for the wording (a month: its first day); a year
        # alone leaves the first day empty, as the data files' rule says.
        reading = read_timeframe(written)
        assert reading.readable, key
        if meeting.starts_on is not None:
            assert meeting.starts_on == reading.starts_on, key
    seed_000 = seed_text("000")
    assert "Output 2: One Knowledge Workshop in Geneva or Washington" in seed_000
    assert "regional preparatory meetings for the HLD in Africa and Latin America July 2013" in seed_000
    assert "High-level public event on human rights and migration, held in Geneva in advance of the HLD" in seed_000
    assert Meeting.objects.get(key="hr-migration-public-event-2013-09").title in seed_000


def test_the_register_sets_no_deadline_on_a_date_not_fixed(gmg_record):
    found = obligations(first=date(2010, 1, 1), last=date(2017, 12, 31), today=date(2018, 1, 1), kinds=["meeting"])
    keys = {o.subject.key for o in found}
    assert "wl-2010-12-15" in keys  # a firm date is a deadline
    assert keys.isdisjoint({"expert-2010-10-06", *DATED_EVENTS})


def test_fixing_the_date_makes_it_a_deadline(db):
    meeting = make_meeting(date(2016, 10, 6), date_as_written="Proposed date: 6 October", date_tentative=True)
    window = {"first": date(2016, 1, 1), "last": date(2016, 12, 31), "today": date(2016, 6, 1), "kinds": ["meeting"]}
    assert obligations(**window) == []
    meeting.date_tentative = False
    meeting.save()
    assert [o.subject for o in obligations(**window)] == [meeting]


def test_the_meeting_page_and_its_calendar_entry_say_the_date_is_not_fixed(client, gmg_record):
    client.force_login(make_person("reader"))
    meeting = Meeting.objects.get(key="knowledge-workshop-2014-02")
    page = client.get(meeting.get_absolute_url())
    assert "February 2014 (date not fixed)" in page.text
    assert "Geneva or Washington" in page.text
    assert str(meeting_event(meeting)["status"]) == "TENTATIVE"
    assert str(meeting_event(Meeting.objects.get(key="wl-2010-12-15"))["status"]) == "CONFIRMED"


@pytest.fixture
def keeper(client, db):
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    return client


def test_a_date_marked_not_fixed_needs_the_date_as_written(keeper):
    url = reverse("meetings:meeting_create")
    data = {
        **form_as_opened(keeper, url),
        "title": "Expert meeting",
        "kind": Meeting.Kind.EXPERT,
        "status": Meeting.Status.PLANNED,
        "starts_on": "2016-10-06",
        "date_tentative": "on",
    }
    response = keeper.post(url, data)
    assert response.status_code == 400
    assert "Say in &#x27;date as written&#x27; what is proposed" in response.text
    assert not Meeting.objects.exists()
    assert keeper.post(url, {**data, "date_as_written": "Proposed date: 6 October"}).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.date_tentative and meeting.when == "Proposed date: 6 October (date not fixed)"
