"""Search across the record: each kind of record found, grouped by kind, each result linking to its record."""

import re
from datetime import date

import pytest
from django.urls import reverse

from groups.models import Agency, Group, Person
from meetings.models import Decision, Meeting
from overview.search import RESULTS_PER_KIND, RESULTS_PER_PAGE, search_record, snippet
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
    meeting = Meeting.objects.get(title__startswith="Knowledge Workshop", starts_on=date(2013, 11, 13))
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


def test_each_result_links_to_its_record_s_page(gmg_record):
    """The links of meetings, decisions and activities are built from one reversed address: the same pages."""
    from overview.search import kinds

    for kind in kinds():
        for group in search_record("migration"):
            if group.key == kind.key:
                pages = {row.get_absolute_url() for row in kind.model.objects.all()}
                assert group.results and {r.url for r in group.results} <= pages, kind.key


def test_a_kind_with_more_results_than_shown_says_so_and_how_many_there_are(gmg_record):
    from overview.search import _matching, kinds

    found = kinds_of(search_record("migration", per_kind=3))
    assert len(found["activities"].results) == 3
    assert found["activities"].more
    for kind in kinds():
        if kind.key in found:
            assert found[kind.key].count == len(_matching(kind, "migration")), kind.key


def test_the_search_page_shows_the_best_of_each_kind_counted_with_a_link_to_the_rest(reader, gmg_record):
    found = kinds_of(search_record("migration"))
    activities = found["activities"]
    assert len(activities.results) == RESULTS_PER_KIND < activities.count
    page = reader.get(reverse("search"), {"q": "migration"}).text
    assert page.count('data-kind="activities"') == RESULTS_PER_KIND
    assert f"Activities ({activities.count})" in page
    link = '<a class="search-more" href="?q=migration&amp;kind=activities">'
    assert f"{link}Show all {activities.count} activities</a>" in page
    assert f"{sum(group.count for group in found.values())} results for “migration”" in page


def test_the_rest_of_a_kind_is_shown_a_page_at_a_time_keeping_the_words_searched(reader, gmg_record):
    from overview.search import _matching, kinds

    kind = next(kind for kind in kinds() if kind.key == "activities")
    ranked = [row.get_absolute_url() for row in _matching(kind, "migration")]
    assert len(ranked) > RESULTS_PER_PAGE
    first = reader.get(reverse("search"), {"q": "migration", "kind": "activities"}).text
    assert f"{len(ranked)} results for “migration” among activities" in first
    assert 'data-kind="meetings"' not in first and first.count('data-kind="activities"') == RESULTS_PER_PAGE
    assert 'href="?q=migration&amp;kind=activities&amp;page=2"' in first
    assert 'href="?q=migration">Show every kind of record</a>' in first
    second = reader.get(reverse("search"), {"q": "migration", "kind": "activities", "page": "2"}).text
    links = r'data-kind="activities">\s*<a href="([^"]+)"'
    shown = [url for page in (first, second) for url in re.findall(links, page)]
    assert shown == ranked[: len(shown)] and len(shown) == min(len(ranked), 2 * RESULTS_PER_PAGE)
    # The best of the kind on the search page are the first of its pages.
    best = [result.url for result in kinds_of(search_record("migration"))["activities"].results]
    assert best == ranked[:RESULTS_PER_KIND]


def test_a_kind_the_search_does_not_know_shows_every_kind(reader, gmg_record):
    page = reader.get(reverse("search"), {"q": "migration", "kind": "nonsense"}).text
    assert 'id="results-activities"' in page and 'id="results-meetings"' in page


def test_a_word_matching_more_records_than_are_ranked_shows_the_best_of_the_latest_then_every_other_one(
    gmg_record, monkeypatch
):
    """A common word at a hundred times the record ranks only a big table's latest matches for the search page;
    the kind's pages still list every match once, the latest first."""
    from overview import search
    from overview.search import _matching, kinds

    kind = next(kind for kind in kinds() if kind.key == "activities")
    every = [row.pk for row in _matching(kind, "migration")]
    ranked = {row.pk: row.rank for row in _matching(kind, "migration")}
    monkeypatch.setattr(search, "RANKED_AMONG", 10)
    latest = sorted(every, reverse=True)[:10]
    best = [row.pk for row in _matching(kind, "migration", limit=3)]
    assert best == sorted(latest, key=lambda pk: (-ranked[pk], pk))[:3]
    pages = [row.pk for start in range(0, len(every), 7) for row in _matching(kind, "migration", limit=7, offset=start)]
    assert sorted(pages) == sorted(every) and set(pages[:10]) == set(latest)
    assert pages[10:] == sorted(pages[10:], key=lambda pk: (-ranked[pk], pk))


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


@pytest.mark.parametrize("query", ["migration", "decent work", "migrants -data", '"human rights"', "ILO", "1.1", "HLD"])
def test_the_search_finds_and_ranks_as_django_s_vectors_computed_at_query_time(gmg_record, query):
    """The search writes its own SQL and reads each big table's stored vector; it finds and ranks every kind as
    Django's search over the vector computed per row does."""
    from django.contrib.postgres.search import SearchQuery, SearchRank
    from django.db.models import Q

    from overview.search import _matching, computed_vector, kinds

    for kind in kinds():
        search_query = SearchQuery(query, search_type="websearch", config="english")
        vector = computed_vector(kind.fields)
        by_name = Q()
        for name in kind.name_fields:
            by_name |= Q(**{f"{name}__icontains": query})
        before = list(
            kind.model.objects.annotate(search=vector, rank=SearchRank(vector, search_query))
            .filter(Q(search=search_query) | by_name)
            .order_by("-rank", "pk")
            .values_list("pk", flat=True)
        )
        assert [row.pk for row in _matching(kind, query)] == before, (kind.key, query)
        # The page's cut (ranked in the kind's own table before the join, among the latest of a big table: all of
        # them at the GMG's size) keeps the same best rows in order.
        assert [row.pk for row in _matching(kind, query, limit=3)] == before[:3], (kind.key, query)


def test_a_saved_change_is_found_at_once_by_its_new_words(gmg_record):
    activity = Activity.objects.order_by("pk").first()
    assert not search_record("zanzibarian")
    activity.description = "A zanzibarian symposium on remittances"
    activity.save()
    Meeting.objects.filter(pk=Meeting.objects.order_by("pk").first().pk).update(note="Held in a zanzibarian venue")
    found = kinds_of(search_record("zanzibarian"))
    assert [r.url for r in found["activities"].results] == [activity.get_absolute_url()]
    assert len(found["meetings"].results) == 1
