"""The website's reads: what is public now, and the record as visitors see it (never an internal field: notes,
costs, updates, minutes, people who have not agreed to be named, or anything not published)."""

from __future__ import annotations

import bisect
from datetime import date, datetime

from django.db.models import Prefetch, Q
from django.utils import timezone, translation

from archive.models import Document, DocumentVersion
from chairs.models import ChairTerm
from chairs.services import troika_on
from events.models import ExternalEvent
from groups.models import Agency, Group, GroupCoChair, Membership, TermsOfReference
from kit import record_version
from meetings.models import Meeting
from workplans.models import Activity, Output, WorkPlan, WorkStream

from .models import Article, Publication
from .publishable import of

Kind = Publication.Kind
# What the public pages read: a change to any of these may change a public page.
PUBLIC_READS = ("website", "groups", "chairs", "workplans", "meetings", "events", "archive")


def publication_moment(now: datetime | None = None, *, version: str | None = None) -> str:
    """The latest moment at which something became public, up to now: a page kept before it is made afresh after
    it, so a publication scheduled for 09:00 is on every page at 09:00 and on none before. `version`: the website
    part's version of the record, when the caller has read it already."""
    moments = record_version.kept(
        "website:moments",
        (),
        lambda: sorted(
            {t.isoformat() for t in Publication.objects.exclude(public_from=None).values_list("public_from", flat=True)}
        ),
        reads=("website",),
        version=version,
    )
    now_text = (now or timezone.now()).isoformat()
    index = bisect.bisect_right(moments, now_text)
    return moments[index - 1] if index else ""


def public(kind: str, now: datetime | None = None) -> dict[int, Publication]:
    """The items of a kind public now: object id -> its publication."""
    rows = Publication.objects.filter(kind=kind, public_from__lte=now or timezone.now())
    return {p.object_id: p for p in rows}


def public_ids(kind: str, now: datetime | None = None) -> set[int]:
    return set(
        Publication.objects.filter(kind=kind, public_from__lte=now or timezone.now()).values_list(
            "object_id", flat=True
        )
    )


def public_one(kind: str, pk: int, now: datetime | None = None) -> Publication | None:
    return Publication.objects.filter(kind=kind, object_id=pk, public_from__lte=now or timezone.now()).first()


# -- the record as visitors see it -------------------------------------------------------------------------------


def _with_urls(kind: str, rows):
    """The rows, each with the address of its public page (`public_url`)."""
    rows = list(rows)
    for row in rows:
        row.public_url = of(kind).public_url(row)
    return rows


def members() -> list[Agency]:
    """The public member agencies with their memberships (joined, left)."""
    ids = public_ids(Kind.AGENCY)
    return _with_urls(
        Kind.AGENCY,
        Agency.objects.filter(pk__in=ids)
        .prefetch_related(Prefetch("memberships", queryset=Membership.objects.order_by("joined")))
        .order_by("sort_name"),
    )


def chairs_since_2009() -> list[ChairTerm]:
    """The chairs that took office, oldest first, as the record has them."""
    return list(
        ChairTerm.objects.filter(kind=ChairTerm.Kind.ACTUAL).select_related("agency", "co_chair").order_by("starts_on")
    )


def troika(day: date):
    return troika_on(day)


def groups() -> list[Group]:
    ids = public_ids(Kind.GROUP)
    return _with_urls(
        Kind.GROUP,
        Group.objects.filter(pk__in=ids)
        .prefetch_related(
            Prefetch("co_chair_links", queryset=GroupCoChair.objects.select_related("agency").order_by("position"))
        )
        .order_by("kind", "name"),
    )


def group_tors(group: Group) -> list[TermsOfReference]:
    ids = public_ids(Kind.TOR)
    return _with_urls(
        Kind.TOR, group.terms_of_reference.filter(pk__in=ids).select_related("group").order_by("-adopted_on")
    )


def tors() -> list[TermsOfReference]:
    """Every public terms of reference, by group, the latest first."""
    ids = public_ids(Kind.TOR)
    rows = TermsOfReference.objects.filter(pk__in=ids).select_related("group").order_by("group__name", "-adopted_on")
    return _with_urls(Kind.TOR, rows)


def workplans() -> list[WorkPlan]:
    ids = public_ids(Kind.WORKPLAN)
    return _with_urls(
        Kind.WORKPLAN,
        WorkPlan.objects.filter(pk__in=ids).select_related("group", "chair_term__agency").order_by("-starts_on"),
    )


def workplan_streams(plan: WorkPlan) -> list[WorkStream]:
    """The plan's streams, outputs and activities with their lead agencies: what the public page shows."""
    activities = Activity.objects.defer("note", "estimated_cost", "cost_as_written", "funding_source").prefetch_related(
        "lead_agencies"
    )
    return list(
        plan.streams.select_related("lead_group")
        .defer("estimated_cost", "currency")
        .prefetch_related(
            Prefetch(
                "outputs",
                queryset=Output.objects.defer("note").prefetch_related(Prefetch("activities", queryset=activities)),
            )
        )
        .order_by("position")
    )


def meetings() -> list[Meeting]:
    ids = public_ids(Kind.MEETING)
    return _with_urls(Kind.MEETING, Meeting.objects.filter(pk__in=ids).select_related("group").order_by("-starts_on"))


def events() -> list[ExternalEvent]:
    ids = public_ids(Kind.EVENT)
    return _with_urls(Kind.EVENT, ExternalEvent.objects.filter(pk__in=ids).order_by("-starts_on"))


def documents(meeting: Meeting | None = None) -> list[tuple[Document, DocumentVersion | None]]:
    """The public documents (those of `meeting` only, when given) with the version each shows."""
    chosen = public(Kind.DOCUMENT)
    rows = Document.objects.filter(pk__in=chosen)
    if meeting is not None:
        rows = rows.filter(meetings=meeting)
    docs = _with_urls(Kind.DOCUMENT, rows.defer("text", "search_vector").order_by("-dated", "title"))
    versions = {
        (v.document_id, v.number): v for v in DocumentVersion.objects.filter(document_id__in=chosen).defer("text")
    }
    return [(d, versions.get((d.pk, chosen[d.pk].version))) for d in docs]


def document_version(document: Document, publication: Publication) -> DocumentVersion | None:
    return document.versions.filter(number=publication.version).first()


def reports() -> list[tuple[ChairTerm, Publication]]:
    chosen = public(Kind.REPORT)
    terms = _with_urls(
        Kind.REPORT, ChairTerm.objects.filter(pk__in=chosen).select_related("agency").order_by("-starts_on")
    )
    return [(t, chosen[t.pk]) for t in terms]


def articles(*kinds: str) -> list[Article]:
    ids = public_ids(Kind.ARTICLE)
    rows = Article.objects.filter(pk__in=ids)
    if kinds:
        rows = rows.filter(kind__in=kinds)
    language = translation.get_language()
    return [article.in_language(language) for article in rows.order_by("-dated", "-pk")]


def public_article(slug: str, *, page: bool) -> Article | None:
    kinds = [Article.Kind.PAGE] if page else [Article.Kind.NEWS, Article.Kind.STATEMENT]
    article = Article.objects.filter(slug=slug, kind__in=kinds).first()
    if article is None or public_one(Kind.ARTICLE, article.pk) is None:
        return None
    return article.in_language(translation.get_language())


def public_image(pk: int) -> DocumentVersion | None:
    """An image of the archive, when a public article shows it."""
    ids = public_ids(Kind.ARTICLE)
    return DocumentVersion.objects.filter(pk=pk, articles__in=ids).distinct().first()


def lead_activities(agency: Agency) -> list[Activity]:
    ids = public_ids(Kind.WORKPLAN)
    return list(
        Activity.objects.filter(lead_agencies=agency, output__stream__workplan_id__in=ids)
        .defer("note", "estimated_cost", "cost_as_written", "funding_source")
        .select_related("output__stream__workplan")
        .order_by("output__stream__workplan__starts_on", "plan_order")
    )


def any_text(query: str):
    return Q(title__icontains=query) | Q(summary__icontains=query) | Q(body__icontains=query)
