"""The support team's own page: its twelve tasks in decision 2 of 3 July 2013's words, each with the portal's
pages where it is done (data/gmg/support_team_tasks.yaml), the decision itself and the team's people."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml
from django.urls import reverse
from django.utils.translation import gettext_noop

from groups.models import Person
from meetings.models import Decision
from record.loader import DATA_DIR

TASKS_FILE = "support_team_tasks.yaml"
# The words of the tasks file that are the portal's (the labels of its pages, the notes), here so that the
# catalogues hold them; the page translates them as it shows them. The tasks' own words are the decision's and
# stay as written. tests/overview/test_support_team.py keeps this list and the file together.
PORTAL_WORDS = (
    gettext_noop("Meetings"),
    gettext_noop("Events outside the GMG"),
    gettext_noop("The document numbers this first task 'xii.'; it is the first of twelve."),
    gettext_noop("Add a meeting"),
    gettext_noop("Meetings calendar"),
    gettext_noop("Groups and their co-chairs"),
    gettext_noop("People"),
    gettext_noop("Agencies"),
    gettext_noop("Meetings (minutes on each meeting's page)"),
    gettext_noop("Decisions"),
    gettext_noop("Action points"),
    gettext_noop("Work plans"),
    gettext_noop("Reporting rounds"),
    gettext_noop("Dashboard"),
    gettext_noop("The public website's desk"),
    gettext_noop("Search the record"),
    gettext_noop("Chair terms and the troika"),
    gettext_noop("Chair terms (each term's annual report)"),
    gettext_noop("An information session is recorded as a meeting."),
    gettext_noop("Events outside the GMG and input requests"),
)
# The decision that establishes the team (meetings.yaml: the Principals meeting of 3 July 2013, decision 2).
DECISION = {"meeting__key": "principals-2013-07-03", "number": "2"}


@dataclass(frozen=True)
class Task:
    number: str
    text: str
    where: tuple[tuple[str, str], ...]  # (label, address) of the pages where the task is done
    note: str


@cache
def tasks() -> tuple[Task, ...]:
    rows = yaml.safe_load((DATA_DIR / TASKS_FILE).read_text(encoding="utf-8"))
    return tuple(
        Task(
            number=row["number"],
            text=row["text"],
            where=tuple((link["label"], reverse(link["url"])) for link in row.get("where") or ()),
            note=row.get("note") or "",
        )
        for row in rows
    )


def page_context() -> dict:
    """Two queries: the establishing decision, the team's active people."""
    return {
        "tasks": tasks(),
        "decision": Decision.objects.filter(**DECISION).select_related("meeting").first(),
        "people": Person.objects.filter(role=Person.Role.SUPPORT, is_active=True)
        .select_related("agency")
        .order_by("last_name", "first_name", "username"),
    }
