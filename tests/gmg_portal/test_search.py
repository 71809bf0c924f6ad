"""Search across the record: each kind of record found, grouped by kind, each result linking to its record."""

from datetime import date

import pytest
from django.urls import reverse

from gmg_portal.search import search_record, snippet
from groups.models import Agency, Group, Person
from meetings.models import Decision, Meeting
from tests.factories import make_person
from workplans.models import Activity


@pytest.fixture
def reader(client, db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(make_person("reader", role=Person.Role.VIEWER))
    return client


def kinds_of(groups):
    return {group.key: group for group in groups}


def test_a_word_finds_records_of_every_kind_that_holds_it_grouped_by_kind(gmg_record):
    found = kinds_of(search_record("decent work"))
    assert set(found) >= {"groups", "activities"}
    assert any(r.url == Group.objects.get(slug="tf-decent-work").get_absolute_url() for r in found["groups"].results)


def test_stemming_finds_the_singular_from_the_plural(gmg_record):
    found = kinds_of(search_record("migrants"))
    assert found, "nothing found for 'migrants'"
    texts = " ".join(r.title + r.snippet for g in found.values() for r in g.results).casefold()
    assert "migrant" in texts


def test_part_of_an_acronym_finds_the_agency(gmg_record):
    found = kinds_of(search_record("UNOD"))
    assert [r.title for r in found["agencies"].results] == ["UNODC"]
    assert found["agencies"].results[0].url == Agency.objects.get(acronym="UNODC").get_absolute_url()


def test_a_decision_is_found_by_the_words_of_its_text(gmg_record):
    decision = Decision.objects.filter(trial_months=18).get()
    word = "support"
    assert word in (decision.title + decision.text).casefold()
    found = kinds_of(search_record("support team"))
    assert decision.get_absolute_url() in [r.url for r in found["decisions"].results]


def test_a_meeting_is_found_by_its_title_and_an_output_by_its_title(gmg_record):
    meeting = Meeting.objects.get(title__startswith="Knowledge Workshop")
    found = kinds_of(search_record("knowledge workshop"))
    assert meeting.get_absolute_url() in [r.url for r in found["meetings"].results]
    assert "outputs" in kinds_of(search_record("advocacy events"))


def test_an_activity_is_found_by_its_number_and_shows_its_plan(gmg_record):
    activity = Activity.objects.filter(description__icontains="side event").first()
    found = kinds_of(search_record("side event"))
    result = next(r for r in found["activities"].results if r.url == activity.get_absolute_url())
    assert activity.output.stream.workplan.title in result.context


def test_nothing_is_found_for_words_not_in_the_record(gmg_record):
    assert search_record("xylophone quartet") == []


def test_a_kind_with_more_results_than_shown_says_so(gmg_record):
    found = kinds_of(search_record("migration", per_kind=3))
    assert len(found["activities"].results) == 3
    assert found["activities"].more


def test_the_search_page_lists_results_by_kind_with_links(reader, gmg_record):
    response = reader.get(reverse("search"), {"q": "decent work"})
    assert response.status_code == 200
    page = response.text
    assert 'id="results-groups"' in page and 'id="results-activities"' in page
    assert Group.objects.get(slug="tf-decent-work").get_absolute_url() in page
    assert "result" in page


def test_a_query_too_short_is_told_next_to_the_field(reader, db):
    response = reader.get(reverse("search"), {"q": "a"})
    assert response.status_code == 200
    assert "Type at least 2 characters." in response.text


def test_a_query_with_only_punctuation_or_quotes_does_not_break_the_search(reader, gmg_record):
    for query in ['"', "-", "!!!", "'); drop table", "or or"]:
        assert reader.get(reverse("search"), {"q": query}).status_code == 200


def test_a_snippet_is_the_passage_around_the_first_word_found():
    text = "A " * 200 + "the GMG Principals adopted the work plan " + "B " * 200
    passage = snippet(text, "principals")
    assert "Principals adopted" in passage and passage.startswith("…") and passage.endswith("…")
    assert snippet("short text", "x") == "short text"


def test_search_falls_back_to_words_in_any_field_on_sqlite(monkeypatch, db):
    """The embedded SQLite database of `make run` has no full-text search: every word must be in some field."""
    from django.db import connection

    from tests.factories import make_meeting

    make_meeting(date(2016, 2, 8), title="Working-level meeting", venue="Geneva")
    make_meeting(date(2016, 3, 8), title="Working-level meeting", venue="New York")
    monkeypatch.setattr(connection, "vendor", "sqlite")
    found = kinds_of(search_record("working geneva"))
    assert [r.title for r in found["meetings"].results] == ["Working-level meeting (8 Feb 2016)"]
