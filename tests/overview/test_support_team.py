"""The support team's own page: the twelve tasks of decision 2 of 3 July 2013 in the decision's words, each with
the portal's pages where it is done, the decision and the team's people."""

import re
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from groups.models import Person
from overview.support_team import PORTAL_WORDS, tasks
from tests.factories import make_person

SEED_000 = next(Path("/work/shared/seeds").glob("000_*.txt"))
NUMBERS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def seed_tasks() -> list[str]:
    lines = SEED_000.read_text(encoding="utf-8").splitlines()
    start = lines.index("Under the Direction of the Chair:")
    found = []
    for line in lines[start + 1 :]:
        if match := re.match(r"- [ivx]+\. (.+)$", line):
            found.append(match.group(1))
        elif found and line.strip():
            break
    return found


def test_the_twelve_tasks_are_decision_2s_words_numbered_i_to_xii():
    assert [t.text for t in tasks()] == seed_tasks()
    assert [t.number for t in tasks()] == NUMBERS  # the seed's "xii." for the first is an extraction slip


def test_the_page_shows_each_task_with_its_pages_and_the_decision(client, gmg_record):
    client.force_login(make_person("support", role=Person.Role.SUPPORT, first_name="Sam", last_name="Support"))
    page = client.get(reverse("support_team"))
    assert page.status_code == 200
    text = page.content.decode()
    for task in tasks():
        row = re.search(rf'<tr id="task-{task.number}">.*?</tr>', text, re.S).group(0)
        assert escape(task.text) in row
        for label, url in task.where:
            assert f'href="{url}"' in row and escape(label) in row
    assert re.search(r'<tr id="task-vi">.*?href="/website/"', text, re.S)  # the public website's desk
    assert "decision 2 of 3 July 2013" in text and "on trial for 18 months" in text
    assert "Sam Support" in text


def test_every_page_a_task_links_to_opens_for_the_support_team(client, db):
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    urls = {url for task in tasks() for _, url in task.where}
    assert len(urls) >= 10
    for url in sorted(urls):
        assert client.get(url).status_code == 200, url


def test_the_page_reads_in_the_same_queries_for_one_or_twenty_people(client, db):
    client.force_login(make_person("support", role=Person.Role.SUPPORT))
    client.get(reverse("support_team"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("support_team"))
    for n in range(20):
        make_person(f"staff-{n}", role=Person.Role.SUPPORT)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("support_team"))
    assert len(many) == len(few)


def test_the_portals_words_of_the_tasks_file_are_in_the_catalogues_and_shown_translated(client, gmg_record):
    """The labels of the pages and the notes are the portal's words (PORTAL_WORDS marks them for the catalogues);
    the tasks themselves are the decision's, shown as written and marked as English."""
    words = {label for task in tasks() for label, _ in task.where} | {task.note for task in tasks() if task.note}
    assert words == set(PORTAL_WORDS)
    client.force_login(make_person("support", role=Person.Role.SUPPORT, language="fr"))
    text = client.get(reverse("support_team")).content.decode()
    assert "Calendrier des réunions" in text and ">Meetings calendar<" not in text
    assert f'<span lang="en">{escape(tasks()[0].text)}</span>' in text
