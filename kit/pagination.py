"""Every list of records is shown a page at a time, with its count and a link to show it whole (for printing).

The links keep the list's filters: they are the request's own parameters with only `page` or `all` changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import cached_property

PER_PAGE = 50


@dataclass
class Listing:
    rows: list
    count: int
    page: Page | None  # None when the whole list is shown
    query: str  # the request's parameters without `page` and `all`, url-encoded
    all_shown: bool

    @property
    def all_url(self) -> str:
        return f"?{self.query}&all=1" if self.query else "?all=1"

    @property
    def pages_url(self) -> str:
        return f"?{self.query}" if self.query else "?"

    def page_url(self, number: int) -> str:
        return f"?{self.query}&page={number}" if self.query else f"?page={number}"

    @property
    def previous_url(self) -> str:
        return self.page_url(self.page.previous_page_number()) if self.page and self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.page_url(self.page.next_page_number()) if self.page and self.page.has_next() else ""


class _Counted(Paginator):
    """A paginator told how to count the rows more cheaply than by counting the rows' own query."""

    def __init__(self, object_list, per_page, *, count: Callable[[], int]):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self) -> int:
        return self._count()


def paginate(
    request,
    rows,
    *,
    per_page: int = PER_PAGE,
    by_pk: bool = False,
    read: Callable[[list], list] | None = None,
    count: Callable[[], int] | None = None,
) -> Listing:
    """One page of `rows` (a queryset or list) as the request asks (`?page=N`), or all of them with `?all=1`.

    With `by_pk` (a queryset sorted across joins, e.g. activities in plan order), the page's ids are sorted and
    cut first and only its rows are then read whole: one more query, but the sort no longer carries every
    matching row's columns. `read(pks)` reads them (in that order) when the page shows other than the rows of
    `rows` themselves, e.g. plain values instead of model instances; it reads by id, without `rows`' filters.
    `count()` gives the number of rows when it is cheaper than counting `rows`.
    """
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("all", None)
    encoded = query.urlencode()
    if request.GET.get("all") == "1":
        shown = read(list(rows.values_list("pk", flat=True))) if read is not None else list(rows)
        return Listing(rows=shown, count=len(shown), page=None, query=encoded, all_shown=True)
    source = rows.values_list("pk", flat=True) if by_pk or read is not None else rows
    paginator = Paginator(source, per_page) if count is None else _Counted(source, per_page, count=count)
    page = paginator.get_page(request.GET.get("page"))
    shown = list(page.object_list)
    if read is not None:
        shown = read(shown)
    elif by_pk:
        shown = rows_in_order(rows, shown)
    return Listing(rows=shown, count=page.paginator.count, page=page, query=encoded, all_shown=False)


def rows_in_order(rows, pks: list) -> list:
    """The rows of a queryset with these primary keys, whole (joins, annotations, prefetches), in their order."""
    found = {row.pk: row for row in rows.order_by().filter(pk__in=pks)}
    return [found[pk] for pk in pks if pk in found]


_URL_PARTS: dict[tuple, tuple[str, str]] = {}


def url_for_each(name: str) -> Callable[[object], str]:
    """`reverse(name, args=[pk])` for the rows of a big table at the cost of one `reverse` for them all (kept per
    URL configuration and script prefix, so the template tag `pk_url` reverses each name once per process)."""
    key = (name, get_urlconf(), get_script_prefix())
    if key not in _URL_PARTS:
        marker = "2147483647"
        _URL_PARTS[key] = tuple(reverse(name, args=[int(marker)]).rsplit(marker, 1))
    head, tail = _URL_PARTS[key]
    return lambda pk: f"{head}{pk}{tail}"


def count_of(rows, field_name: str):
    """How many of `rows` point at the listed record through `field_name`, as an annotation for a list column.

    A counting subquery per column, not a join: joining two kinds of rows multiplies them (decisions x action
    points), and a list's count of its rows need not group them.
    """
    # COUNT(*), not COUNT(id): the count is then read from the index on `field_name` alone (an index-only scan).
    counted = rows.filter(**{field_name: OuterRef("pk")}).order_by().values(field_name).annotate(n=Count("*"))
    return Coalesce(Subquery(counted.values("n")), 0)
