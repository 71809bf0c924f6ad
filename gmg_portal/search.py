"""Search across the GMG's record: agencies, groups, meetings, decisions, activities and outputs.

On PostgreSQL it is a full-text search (English stemming: "migrants" finds "migrant", and a search may use
quotes, "or" and a leading minus as on a web search engine), ranked, plus a plain substring match on each
record's name so that part of an acronym ("UNOD") or a number ("1.1") finds its record. On the embedded SQLite
database of `make run`, every word must occur in one of the record's fields (case aside). Each kind of record is
one query, whatever the size of the record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from groups.models import Agency, Group
from meetings.models import Decision, Meeting
from workplans.models import Activity, Output

MIN_QUERY_LENGTH = 2
RESULTS_PER_KIND = 20
SNIPPET_LENGTH = 180


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    queryset: QuerySet
    # Fields searched; the first ones weigh most in the ranking.
    fields: tuple[str, ...]
    # Fields also matched as substrings on PostgreSQL (names, acronyms, numbers).
    name_fields: tuple[str, ...]
    # The field a snippet is taken from.
    text_field: str


def kinds() -> list[Kind]:
    return [
        Kind("agencies", "Agencies", Agency.objects.all(), ("acronym", "name", "note"), ("acronym", "name"), "name"),
        Kind(
            "groups",
            "Working groups and task forces",
            Group.objects.all(),
            ("name", "short_name", "note"),
            ("name", "short_name"),
            "note",
        ),
        Kind(
            "meetings",
            "Meetings",
            Meeting.objects.select_related("group"),
            ("title", "venue", "date_as_written", "minutes", "note"),
            ("title",),
            "note",
        ),
        Kind(
            "decisions",
            "Decisions",
            Decision.objects.select_related("meeting"),
            ("title", "number", "text"),
            ("title",),
            "text",
        ),
        Kind(
            "activities",
            "Activities",
            Activity.objects.select_related("output__stream__workplan"),
            ("description", "number", "lead", "funding_source", "timeframe", "note"),
            ("number", "lead"),
            "description",
        ),
        Kind(
            "outputs",
            "Outputs",
            Output.objects.select_related("stream__workplan"),
            ("title", "number", "description", "note"),
            ("number",),
            "description",
        ),
    ]


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    snippet: str
    context: str  # where the record sits: the plan of an activity, the meeting of a decision


@dataclass
class ResultGroup:
    key: str
    label: str
    results: list[Result] = field(default_factory=list)
    more: bool = False


def search_record(query: str, *, per_kind: int = RESULTS_PER_KIND) -> list[ResultGroup]:
    """The records matching a query, grouped by kind (kinds without a match left out), best first."""
    query = " ".join(query.split())
    if len(query) < MIN_QUERY_LENGTH:
        return []
    found = []
    for kind in kinds():
        rows = list(_matching(kind, query)[: per_kind + 1])
        if rows:
            found.append(
                ResultGroup(
                    key=kind.key,
                    label=kind.label,
                    results=[_result(row, kind, query) for row in rows[:per_kind]],
                    more=len(rows) > per_kind,
                )
            )
    return found


def _matching(kind: Kind, query: str) -> QuerySet:
    if connection.vendor == "postgresql":
        weights = ["A", "B", "C", "D"]
        vector = SearchVector(*kind.fields[:1], weight="A", config="english")
        for index, name in enumerate(kind.fields[1:], start=1):
            vector = vector + SearchVector(name, weight=weights[min(index, 3)], config="english")
        search_query = SearchQuery(query, search_type="websearch", config="english")
        by_name = Q()
        for name in kind.name_fields:
            by_name |= Q(**{f"{name}__icontains": query})
        return (
            kind.queryset.annotate(search=vector, rank=SearchRank(vector, search_query))
            .filter(Q(search=search_query) | by_name)
            .order_by("-rank", "pk")
        )
    matches = Q()
    for word in query.split():
        any_field = Q()
        for name in kind.fields:
            any_field |= Q(**{f"{name}__icontains": word})
        matches &= any_field
    return kind.queryset.filter(matches).order_by("pk")


def _result(row, kind: Kind, query: str) -> Result:
    context = ""
    if isinstance(row, Activity):
        context = f"{row.output.stream.workplan} · {row.output.stream}"
    elif isinstance(row, Output):
        context = f"{row.stream.workplan} · {row.stream}"
    elif isinstance(row, Decision):
        context = row.meeting.title
    elif isinstance(row, Meeting):
        context = f"{row.get_kind_display()}, {row.when}"
    elif isinstance(row, Agency):
        context = row.name
    title = row.acronym if isinstance(row, Agency) else str(row)
    return Result(
        title=title, url=row.get_absolute_url(), snippet=snippet(getattr(row, kind.text_field), query), context=context
    )


def snippet(text: str, query: str, length: int = SNIPPET_LENGTH) -> str:
    """A short passage of the text around the first word of the query it contains (or its start)."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    words = [w for w in re.findall(r"\w+", query.casefold()) if len(w) >= MIN_QUERY_LENGTH]
    folded = text.casefold()
    hits = [folded.find(w) for w in words if folded.find(w) >= 0]
    start = max(0, min(hits) - length // 3) if hits else 0
    passage = text[start : start + length]
    return ("…" if start > 0 else "") + passage + ("…" if start + length < len(text) else "")
