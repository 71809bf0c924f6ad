"""The support team's own page: its twelve tasks in decision 2 of 3 July 2013's words, each with the portal's
pages where it is done (data/gmg/support_team_tasks.yaml), the decision itself and the team's people."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import yaml
from django.urls import reverse

from groups.models import Person
from meetings.models import Decision
from record.loader import DATA_DIR

TASKS_FILE = "support_team_tasks.yaml"
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
