"""What can be published, kind by kind, in one place: each kind's rows, how the desk names them, where the public
website shows them, which versions may be chosen, and why one may not be published yet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from archive.models import Document
from chairs.models import ChairTerm
from events.models import ExternalEvent
from groups.models import Agency, Group, TermsOfReference
from meetings.models import Meeting
from workplans.models import WorkPlan

from .models import Article, Publication

Kind = Publication.Kind


def short_slug(text: str) -> str:
    return slugify(text)[:60].strip("-") or "item"


def agency_slug(agency: Agency) -> str:
    return slugify(agency.acronym) or str(agency.pk)


def report_slug(term: ChairTerm) -> str:
    return f"{term.pk}-{slugify(term.agency.acronym)}-{slugify(term.period_label)}"


def document_version_choices(document: Document) -> list[tuple[int, str]]:
    return [
        (
            v.number,
            (gettext("Version %(number)s: %(note)s, %(day)s") if v.note else gettext("Version %(number)s, %(day)s"))
            % {"number": v.number, "note": v.note, "day": date_format(v.uploaded_at, "DATE_FORMAT")},
        )
        for v in document.versions.all()
    ]


def report_version_choices(term: ChairTerm) -> list[tuple[int, str]]:
    return [
        (
            v.revision,
            gettext("Text version %(number)s, saved %(moment)s")
            % {"number": v.revision, "moment": date_format(v.saved_at, "DATETIME_FORMAT")},
        )
        for v in term.report_versions.order_by("-revision")
    ]


def _document_refusal(document: Document) -> str:
    if not document.versions.exists():
        return gettext("The document has no version to show: upload one first.")
    return ""


def _report_refusal(term: ChairTerm) -> str:
    if term.kind != ChairTerm.Kind.ACTUAL:
        return gettext("Only the annual report of a term that took place can be published.")
    if not term.annual_report_submitted_on:
        return gettext(
            "The annual report is published once it is submitted: mark it submitted on the report's page first."
        )
    if not term.report_versions.exists():
        return gettext(
            "The annual report has no text yet: write its introduction and highlights on the report's page first."
        )
    return ""


@dataclass(frozen=True)
class Publishable:
    kind: str
    label: str  # plural, for the desk's filter
    rows: Callable[[], QuerySet]
    name: Callable[[Model], str]
    public_url: Callable[[Model], str]
    record_url: Callable[[Model], str]
    versions: Callable[[Model], list[tuple[int, str]]] | None = None
    refusal: Callable[[Model], str] = lambda obj: ""
    search: str = "title__icontains"


KINDS: dict[str, Publishable] = {
    p.kind: p
    for p in (
        Publishable(
            Kind.ARTICLE,
            gettext_lazy("News, statements and pages"),
            lambda: Article.objects.all(),
            lambda a: f"{a.get_kind_display()}: {a.title}",
            lambda a: a.public_url(),
            lambda a: reverse("desk:article_desk", args=[a.pk]),
        ),
        Publishable(
            Kind.AGENCY,
            gettext_lazy("Member agencies"),
            lambda: Agency.objects.order_by("sort_name"),
            lambda a: f"{a.acronym} - {a.name}",
            lambda a: reverse("website:member", args=[agency_slug(a)]),
            lambda a: reverse("groups:agency_detail", args=[a.acronym]),
            search="name__icontains",
        ),
        Publishable(
            Kind.GROUP,
            gettext_lazy("Working groups and task forces"),
            lambda: Group.objects.order_by("name"),
            lambda g: g.name,
            lambda g: reverse("website:group", args=[g.slug]),
            lambda g: reverse("groups:group_detail", args=[g.slug]),
            search="name__icontains",
        ),
        Publishable(
            Kind.TOR,
            gettext_lazy("Terms of reference"),
            lambda: TermsOfReference.objects.select_related("group").order_by("group__name", "-adopted_on"),
            lambda t: (
                gettext("%(group)s: terms of reference %(version)s") % {"group": t.group.name, "version": t.version}
            ),
            lambda t: reverse("website:tor", args=[t.group.slug, t.pk]),
            lambda t: reverse("groups:group_detail", args=[t.group.slug]),
            search="group__name__icontains",
        ),
        Publishable(
            Kind.WORKPLAN,
            gettext_lazy("Work plans"),
            lambda: WorkPlan.objects.order_by("-starts_on"),
            lambda w: w.title,
            lambda w: reverse("website:workplan", args=[w.slug]),
            lambda w: reverse("workplans:workplan_detail", args=[w.slug]),
        ),
        Publishable(
            Kind.MEETING,
            gettext_lazy("Meetings"),
            lambda: Meeting.objects.order_by("-starts_on"),
            lambda m: str(m),
            lambda m: reverse("website:meeting", args=[m.pk, short_slug(m.title)]),
            lambda m: m.get_absolute_url(),
        ),
        Publishable(
            Kind.EVENT,
            gettext_lazy("Events"),
            lambda: ExternalEvent.objects.order_by("-starts_on"),
            lambda e: f"{e.name} ({date_format(e.starts_on, "DATE_FORMAT")})",
            lambda e: reverse("website:event", args=[e.pk, short_slug(e.name)]),
            lambda e: e.get_absolute_url(),
            search="name__icontains",
        ),
        Publishable(
            Kind.DOCUMENT,
            gettext_lazy("Documents of the archive"),
            lambda: Document.objects.defer("text", "search_vector").order_by("-dated", "title"),
            lambda d: d.title,
            lambda d: reverse("website:publication", args=[d.pk, short_slug(d.title)]),
            lambda d: d.get_absolute_url(),
            versions=document_version_choices,
            refusal=_document_refusal,
        ),
        Publishable(
            Kind.REPORT,
            gettext_lazy("Chair's annual reports"),
            lambda: (
                ChairTerm.objects.filter(kind=ChairTerm.Kind.ACTUAL).select_related("agency").order_by("-starts_on")
            ),
            lambda t: (
                gettext("Annual report of the Chair, %(agency)s, %(period)s")
                % {"agency": t.agency.acronym, "period": t.period_label}
            ),
            lambda t: reverse("website:report", args=[report_slug(t)]),
            lambda t: reverse("chairs:report", args=[t.pk]),
            versions=report_version_choices,
            refusal=_report_refusal,
            search="agency__acronym__icontains",
        ),
    )
}


def of(kind: str) -> Publishable:
    return KINDS[kind]
