"""Search across the GMG's record: agencies, groups, meetings, decisions, activities, outputs and the archive's
documents (their title, note and the text read from their latest version).

On PostgreSQL it is a full-text search (English stemming: "migrants" finds "migrant", and a search may use
quotes, "or" and a leading minus as on a web search engine), ranked, plus a plain substring match on each
record's name so that part of an acronym ("UNOD") or a number ("1.1") finds its record. On the embedded SQLite
database of `make run`, every word must occur in one of the record's fields (case aside).

The search page shows the best few of each kind with how many there are, and links to the rest of a kind a page at
a time: each kind is one query for its best rows and their count, whatever the size of the record, and a page of
one kind two (the count, the page). The queries are written here rather than through the ORM: building seven
ranked, counted and joined querysets cost more than running them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchVector
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from archive.models import Document
from groups.models import Agency, Group
from kit.pagination import url_for_each
from kit.search_indexes import WEIGHTS, weighted_vector_sql
from meetings.models import Decision, Meeting
from workplans.models import Activity, Output

MIN_QUERY_LENGTH = 2
# The search page shows the best of each kind (a common word matches thousands) and links to the rest of a kind,
# shown a page at a time.
RESULTS_PER_KIND = 5
RESULTS_PER_PAGE = 20
# A common word matches nearly every activity and meeting at a hundred times the record: a big table's matches are
# ranked among its latest this many (see _matching), and the search page counts a kind's up to this many (its own
# pages count them all).
RANKED_AMONG = 1000
SNIPPET_LENGTH = 180


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type[Model]
    # Fields searched; the first ones weigh most in the ranking.
    fields: tuple[str, ...]
    # Fields also matched as substrings on PostgreSQL (names, acronyms, numbers).
    name_fields: tuple[str, ...]
    # The field a snippet is taken from.
    text_field: str
    # The record's own fields a result reads (its title, snippet, context and link); the others are not read.
    shown: tuple[str, ...]
    # Whether the table keeps its vector of `fields` in `search_vector` (the big tables; see stored_vector_sql).
    stored: bool = False
    # The URL name of a record's page by its id, when it has one: the links are built without a reverse each.
    url_name: str = ""
    # Where the record (`t`) sits, read in the same query: SQL joins and the columns they give (`... AS name`).
    joins: str = ""
    context: str = ""


# A decision's title names its meeting's day (Decision.__str__): these of its meeting are read with it.
_MEETING_DAY = ("title", "starts_on", "ends_on", "start_time", "date_as_written", "date_tentative", "date_precision")
# An activity's and an output's plan and stream, by title.
_PLAN_OF_STREAM = "JOIN workplans_workplan w ON w.id = s.workplan_id"
_PLAN_COLUMNS = "w.title AS plan_title, s.title AS stream_title"

KINDS = (
    Kind(
        "agencies",
        _("Agencies"),
        Agency,
        ("acronym", "name", "note"),
        ("acronym", "name"),
        "name",
        shown=("acronym", "name"),
    ),
    Kind(
        "groups",
        _("Working groups and task forces"),
        Group,
        ("name", "short_name", "note"),
        ("name", "short_name"),
        "note",
        shown=("slug", "name", "short_name", "note"),
    ),
    Kind(
        "meetings",
        _("Meetings"),
        Meeting,
        ("title", "venue", "date_as_written", "minutes", "note"),
        ("title",),
        "note",
        shown=("title", "kind", *_MEETING_DAY[1:], "note"),
        stored=True,
        url_name="meetings:meeting_detail",
    ),
    Kind(
        "decisions",
        _("Decisions"),
        Decision,
        ("title", "number", "text"),
        ("title",),
        "text",
        shown=("meeting", "number", "title", "text"),
        stored=True,
        url_name="meetings:decision_detail",
        joins="JOIN meetings_meeting mt ON mt.id = t.meeting_id",
        context=", ".join(f"mt.{name} AS meeting_{name}" for name in _MEETING_DAY),
    ),
    Kind(
        "activities",
        _("Activities"),
        Activity,
        ("description", "number", "lead", "funding_source", "timeframe", "note"),
        ("number", "lead"),
        "description",
        shown=("number", "description"),
        stored=True,
        url_name="workplans:activity_detail",
        joins="JOIN workplans_output o ON o.id = t.output_id JOIN workplans_workstream s ON s.id = o.stream_id "
        + _PLAN_OF_STREAM,
        context=_PLAN_COLUMNS,
    ),
    Kind(
        "outputs",
        _("Outputs"),
        Output,
        ("title", "number", "description", "note"),
        ("number",),
        "description",
        shown=("number", "title", "description"),
        stored=True,
        # An output is shown in its plan's page (Output.get_absolute_url): the link is built from the plan's slug.
        url_name="workplans:workplan_detail",
        joins="JOIN workplans_workstream s ON s.id = t.stream_id " + _PLAN_OF_STREAM,
        context=f"{_PLAN_COLUMNS}, w.slug AS plan_slug",
    ),
    Kind(
        "documents",
        _("Documents in the archive"),
        Document,
        ("title", "note", "text"),
        ("title",),
        "text",
        shown=("title", "kind", "dated", "date_as_written", "text"),
        stored=True,
        url_name="archive:document_detail",
    ),
)


def kinds() -> tuple[Kind, ...]:
    return KINDS


def kind_keys() -> set[str]:
    return {kind.key for kind in KINDS}


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
    count: int = 0  # the records of the kind that match, shown or not
    counted_all: bool = True  # False when there are more than `count`

    @property
    def more(self) -> bool:
        return self.count > len(self.results) or not self.counted_all


def search_record(query: str, *, per_kind: int = RESULTS_PER_KIND) -> list[ResultGroup]:
    """The records matching a query, grouped by kind (kinds without a match left out): the best of each, counted."""
    query = " ".join(query.split())
    if len(query) < MIN_QUERY_LENGTH:
        return []
    found = []
    for kind in KINDS:
        rows = _matching(kind, query, limit=per_kind, counted=True)
        if rows:
            group = _group(kind, query, rows, count=min(rows[0].found, RANKED_AMONG))
            group.counted_all = rows[0].found <= RANKED_AMONG
            found.append(group)
    return found


def search_kind(query: str, key: str, page_number=1, *, per_page: int = RESULTS_PER_PAGE) -> tuple[ResultGroup, Page]:
    """One page of the records of one kind (a key of `kind_keys()`) matching a query, best first, and their count."""
    query = " ".join(query.split())
    kind = next(kind for kind in KINDS if kind.key == key)
    page = Paginator(_RankedMatches(kind, query), per_page).get_page(page_number)
    return _group(kind, query, page.object_list, count=page.paginator.count), page


class _RankedMatches:
    """The matches of a kind as the paginator reads them: their count, then only the page's rows."""

    def __init__(self, kind: Kind, query: str):
        self.kind, self.query = kind, query

    def count(self) -> int:
        sql = _search_sql(self.kind, self.query)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {sql.rows} m WHERE {sql.match('m')}", sql.params)
            return cursor.fetchone()[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, cut: slice) -> list:
        return _matching(self.kind, self.query, limit=cut.stop - cut.start, offset=cut.start)


def _group(kind: Kind, query: str, rows: list, *, count: int) -> ResultGroup:
    url = url_for_each(kind.url_name) if kind.url_name else None
    return ResultGroup(
        key=kind.key, label=kind.label, results=[_result(row, kind, query, url) for row in rows], count=count
    )


def _matching(kind: Kind, query: str, *, limit: int | None = None, offset: int = 0, counted: bool = False) -> list:
    """The records of a kind matching the query, best first, with their `rank`: `limit` of them from `offset` when
    given, each with the number of them all as `found` when `counted` (one more than RANKED_AMONG when there are
    more; only for a cut within the latest RANKED_AMONG).

    A kind's matches are ranked among its latest RANKED_AMONG (all of them, at the GMG's size): a common word
    matches nearly every activity, and ranking them all costs more than the rest of the page, while the latest are
    read backwards on the primary key, as its index gives them, and stop early. When a word matches more, the
    older ones follow, ranked too. They are ranked and cut in the kind's own table, and only the rows shown are
    then read with where they sit.
    """
    sql = _search_sql(kind, query)
    meta = kind.model._meta
    table, pk, quote = meta.db_table, meta.pk.column, connection.ops.quote_name
    columns = [f"t.{quote(column)}" for column in (pk, *(meta.get_field(name).column for name in kind.shown))]
    if kind.context:
        columns.append(kind.context)
    columns.append("best.rank AS rank")
    cut = " LIMIT %(limit)s OFFSET %(offset)s" if limit is not None else ""
    if limit is not None and offset + limit <= RANKED_AMONG:
        # The latest matches and one more, read in one pass whether the word is common or rare: the one more
        # tells that there are more than are ranked, and is left out.
        latest = (
            f"SELECT m.{pk} AS pk, {sql.rank('m')} AS rank FROM {sql.rows} m WHERE {sql.match('m')} "
            f"ORDER BY m.{pk} DESC LIMIT %(ranked_among)s + 1"
        )
        best = (
            "SELECT pk, rank, found FROM (SELECT pk, rank, COUNT(*) OVER () AS found, "
            f"ROW_NUMBER() OVER (ORDER BY pk DESC) AS recency FROM ({latest}) latest) counted "
            f"WHERE recency <= %(ranked_among)s ORDER BY rank DESC, pk{cut}"
        )
        order = f"best.rank DESC, t.{pk}"
        if counted:
            columns.append("best.found AS found")
    else:
        assert not counted, "only the latest matches are counted with the best"
        oldest_ranked = (
            f"COALESCE((SELECT l.{pk} FROM {sql.rows} l WHERE {sql.match('l')} ORDER BY l.{pk} DESC "
            "LIMIT 1 OFFSET %(ranked_among)s - 1), 0)"
        )
        best = (
            f"SELECT m.{pk} AS pk, {sql.rank('m')} AS rank, CASE WHEN m.{pk} >= {oldest_ranked} THEN 1 ELSE 0 END "
            f"AS latest FROM {sql.rows} m WHERE {sql.match('m')} ORDER BY latest DESC, rank DESC, pk{cut}"
        )
        order = f"best.latest DESC, best.rank DESC, t.{pk}"
    statement = (
        f"SELECT {', '.join(columns)} FROM ({best}) best JOIN {table} t ON t.{pk} = best.pk {kind.joins} "
        f"ORDER BY {order}"
    )
    params = sql.params | {"limit": limit, "offset": offset, "ranked_among": RANKED_AMONG}
    return list(kind.model.objects.raw(statement, params))


@dataclass(frozen=True)
class _SearchSql:
    rows: str  # the kind's rows to search, as SQL of a FROM clause
    match: Callable[[str], str]  # the SQL that a row (by its alias) matches the query
    rank: Callable[[str], str]  # the SQL of a row's rank
    params: dict


def _search_sql(kind: Kind, query: str) -> _SearchSql:
    meta = kind.model._meta
    table, quote = meta.db_table, connection.ops.quote_name
    columns = [quote(meta.get_field(name).column) for name in kind.fields]
    if connection.vendor == "postgresql":
        # As Django's SearchQuery, SearchRank and `icontains` write them (see computed_vector).
        tsquery = "websearch_to_tsquery('english'::regconfig, %(words)s)"
        names = [quote(meta.get_field(name).column) for name in kind.name_fields]
        rows = table
        if not kind.stored:
            # A small table's vector is computed once per row, not once for the match and again for the rank.
            vector = weighted_vector_sql([f"r.{column}" for column in columns])
            rows = f"(SELECT r.*, {vector} AS search_vector FROM {table} r OFFSET 0)"

        def match(alias: str) -> str:
            by_name = "".join(f" OR UPPER({alias}.{name}::text) LIKE UPPER(%(part)s)" for name in names)
            return f"({alias}.search_vector @@ {tsquery}{by_name})"

        return _SearchSql(
            rows=rows,
            match=match,
            rank=lambda alias: f"ts_rank({alias}.search_vector, {tsquery})",
            params={"words": query, "part": f"%{connection.ops.prep_for_like_query(query)}%"},
        )
    words = {f"w{i}": f"%{connection.ops.prep_for_like_query(word)}%" for i, word in enumerate(query.split())}

    def every_word(alias: str) -> str:
        return " AND ".join(
            "(" + " OR ".join(f"UPPER({alias}.{c}) LIKE UPPER(%({w})s) ESCAPE '\\'" for c in columns) + ")"
            for w in words
        )

    return _SearchSql(rows=table, match=every_word, rank=lambda alias: "0", params=words)


def computed_vector(fields: tuple[str, ...]) -> SearchVector:
    """The weighted vector of the fields as Django computes it at query time (what the search and the stored
    vectors compute in SQL)."""
    vector = SearchVector(fields[0], weight=WEIGHTS[0], config="english")
    for index, name in enumerate(fields[1:], start=1):
        vector = vector + SearchVector(name, weight=WEIGHTS[min(index, 3)], config="english")
    return vector


def _result(row, kind: Kind, query: str, url=None) -> Result:
    context = ""
    if isinstance(row, Activity | Output):
        context = f"{row.plan_title} · {row.stream_title}"
    elif isinstance(row, Decision):
        # Its title names its meeting's day: the meeting is made of what the query read of it.
        day = {name: getattr(row, f"meeting_{name}") for name in _MEETING_DAY}
        row.meeting = Meeting(pk=row.meeting_id, **{n: Meeting._meta.get_field(n).to_python(v) for n, v in day.items()})
        context = row.meeting.title
    elif isinstance(row, Meeting):
        context = f"{row.get_kind_display()}, {row.when}"
    elif isinstance(row, Agency):
        context = row.name
    elif isinstance(row, Document):
        context = f"{row.get_kind_display()}, {row.when}"
    title = row.acronym if isinstance(row, Agency) else str(row)
    if isinstance(row, Output):
        link = f"{url(row.plan_slug)}#output-{row.pk}"
    else:
        link = url(row.pk) if url else row.get_absolute_url()
    return Result(title=title, url=link, snippet=snippet(getattr(row, kind.text_field), query), context=context)


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
