"""The public website: the GMG as visitors see it, without signing in. Every page shows only what is published
(`selectors`), and is kept whole until the public record changes or a scheduled publication comes due
(`kept_page`): a visitor's page costs a cache read. The same pages, written to files, are the static copy
(`build_site`); a request made for it carries `STATIC_COPY_HEADER` and gets no link to the portal and a search that
runs in the visitor's browser."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from archive.models import Document, DocumentVersion
from chairs.models import ChairFunction, ChairTerm
from events.models import ExternalEvent
from groups.access import is_support
from groups.models import Agency, Group, TermsOfReference
from groups.services import co_chairs_in_order
from kit import record_version
from meetings.models import Meeting
from reports.documents import report_context, report_html, report_pdf
from reports.selectors import annual_report
from workplans.models import Activity, ActivityUpdate, WorkPlan

from . import selectors
from .models import Article, Publication
from .publishable import agency_slug, report_slug, short_slug

Kind = Publication.Kind
STATIC_COPY_HEADER = "HTTP_X_GMG_STATIC_COPY"
# The query parameters a public page reads; any other is ignored (and not kept as a page of its own).
PARAMETERS = ("q",)
STATUS_ORDER = [s for s, _ in Activity.Status.choices]


def static_copy(request) -> bool:
    return request.META.get(STATIC_COPY_HEADER) == "1"


def _context(request, **values) -> dict:
    return {
        "static_copy": static_copy(request),
        "site_url": settings.SITE_URL,
        "canonical": settings.SITE_URL + request.path,
        "path": request.path_info,  # the page's versions in the other languages are worked out from it
        "today": timezone.localdate(),
        **values,
    }


def _render(request, template: str, values: dict) -> str:
    return render_to_string(template, _context(request, **values), request=None)


def kept_page(request, name: str, make) -> HttpResponse:
    """The page `make()` renders, kept until the public record changes or something becomes public. A kept page
    costs one query: the versions of the website's part of the record and of all it shows, read together."""
    site, public = record_version.versions([("website",), selectors.PUBLIC_READS]) or (None, None)
    parts = (
        request.path,
        tuple((key, request.GET.get(key, "")) for key in PARAMETERS),
        static_copy(request),
        selectors.publication_moment(version=site),
        timezone.localdate().isoformat(),
    )
    html = record_version.kept(f"website:{name}", parts, make, reads=selectors.PUBLIC_READS, version=public)
    return HttpResponse(html)


def _preview(request, template: str, values: dict) -> HttpResponse:
    return HttpResponse(_render(request, template, {**values, "preview": True}))


# -- the GMG ------------------------------------------------------------------------------------------------------


@require_GET
def home(request):
    def make():
        today = timezone.localdate()
        news = selectors.articles(Article.Kind.NEWS, Article.Kind.STATEMENT)[:4]
        meetings, events = selectors.meetings(), selectors.events()
        coming = sorted(
            [m for m in meetings if m.starts_on and m.last_day >= today] + [e for e in events if e.last_day >= today],
            key=lambda x: x.starts_on,
        )[:4]
        return _render(
            request,
            "website/home.html",
            {
                "troika": selectors.troika(today),
                "news": news,
                "coming": coming,
                "members_count": len(selectors.members()),
                "groups": selectors.groups(),
                "workplans": selectors.workplans()[:3],
                "about": selectors.public_article("about", page=True),
                "description": gettext(
                    "The Global Migration Group: UN entities working together on international migration."
                ),
            },
        )

    return kept_page(request, "home", make)


@require_GET
def about(request):
    def make():
        functions = list(ChairFunction.objects.order_by("level", "position"))
        return _render(
            request,
            "website/about.html",
            {
                "about": selectors.public_article("about", page=True),
                "functions": functions,
                "description": gettext("What the Global Migration Group is, its mandate and how it works."),
            },
        )

    return kept_page(request, "about", make)


def _page_values(article: Article) -> dict:
    return {"article": article, "description": article.summary, "og_type": "article"}


@require_GET
def page(request, slug: str):
    article = selectors.public_article(slug, page=True)
    if article is None:
        raise Http404(gettext("No such page."))
    return kept_page(request, "page", lambda: _render(request, "website/article.html", _page_values(article)))


# -- members and chairs -------------------------------------------------------------------------------------------


@require_GET
def members(request):
    def make():
        return _render(
            request,
            "website/members.html",
            {"members": selectors.members(), "description": gettext("The UN entities that are members of the GMG.")},
        )

    return kept_page(request, "members", make)


def _member_values(agency: Agency) -> dict:
    terms = list(agency.chair_terms.filter(kind=ChairTerm.Kind.ACTUAL).order_by("starts_on"))
    public_groups = selectors.public_ids(Kind.GROUP)
    groups = list(Group.objects.filter(co_chair_links__agency=agency, pk__in=public_groups).distinct().order_by("name"))
    return {
        "agency": agency,
        "memberships": list(agency.memberships.order_by("joined")),
        "terms": terms,
        "groups": groups,
        "activities": selectors.lead_activities(agency),
        "description": f"{agency.name} ({agency.acronym}) in the Global Migration Group.",
    }


def _agency_by_slug(slug: str) -> Agency:
    for agency in Agency.objects.all():
        if agency_slug(agency) == slug:
            return agency
    raise Http404(gettext("No such member."))


@require_GET
def member(request, slug: str):
    agency = _agency_by_slug(slug)
    if selectors.public_one(Kind.AGENCY, agency.pk) is None:
        raise Http404(gettext("No such member."))
    return kept_page(request, "member", lambda: _render(request, "website/member.html", _member_values(agency)))


@require_GET
def chair(request):
    def make():
        public_agencies = selectors.public_ids(Kind.AGENCY)
        return _render(
            request,
            "website/chair.html",
            {
                "troika": selectors.troika(timezone.localdate()),
                "terms": selectors.chairs_since_2009(),
                "public_agencies": public_agencies,
                "description": gettext(
                    "The Chair of the Global Migration Group today, the troika, and every Chair since 2009."
                ),
            },
        )

    return kept_page(request, "chair", make)


# -- groups -------------------------------------------------------------------------------------------------------


@require_GET
def groups(request):
    def make():
        return _render(
            request,
            "website/groups.html",
            {
                "groups": selectors.groups(),
                "description": gettext("The GMG's working groups and task forces, their co-chairs and mandates."),
            },
        )

    return kept_page(request, "groups", make)


def _group_values(group: Group) -> dict:
    tors = selectors.group_tors(group)
    plans = [p for p in selectors.workplans() if p.group_id == group.pk]
    meetings = [m for m in selectors.meetings() if m.group_id == group.pk]
    return {
        "group": group,
        "co_chairs": co_chairs_in_order(group),
        "participating": list(group.participating.order_by("sort_name")),
        "tors": tors,
        "mandate": tors[0] if tors else None,
        "plans": plans,
        "meetings": meetings,
        "description": gettext("The GMG's %(name)s: co-chairs, mandate and work.") % {"name": group.name},
    }


@require_GET
def group(request, slug: str):
    found = get_object_or_404(Group, slug=slug)
    if selectors.public_one(Kind.GROUP, found.pk) is None:
        raise Http404(gettext("No such group."))
    return kept_page(request, "group", lambda: _render(request, "website/group.html", _group_values(found)))


def _tor_values(tor: TermsOfReference) -> dict:
    return {
        "tor": tor,
        "group": tor.group,
        "group_public": selectors.public_one(Kind.GROUP, tor.group_id) is not None,
        "description": gettext("Terms of reference of the GMG's %(name)s, %(version)s.")
        % {"name": tor.group.name, "version": tor.version},
    }


@require_GET
def tor(request, slug: str, pk: int):
    found = get_object_or_404(TermsOfReference.objects.select_related("group"), pk=pk, group__slug=slug)
    if selectors.public_one(Kind.TOR, found.pk) is None:
        raise Http404(gettext("No such terms of reference."))
    return kept_page(request, "tor", lambda: _render(request, "website/tor.html", _tor_values(found)))


# -- work plans ---------------------------------------------------------------------------------------------------


@require_GET
def workplans(request):
    def make():
        return _render(
            request,
            "website/workplans.html",
            {
                "plans": selectors.workplans(),
                "description": gettext("The GMG's work plans: what it does, who leads, by when."),
            },
        )

    return kept_page(request, "workplans", make)


def _workplan_values(plan: WorkPlan) -> dict:
    streams = selectors.workplan_streams(plan)
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for stream in streams:
        for output in stream.outputs.all():
            for activity in output.activities.all():
                counts[activity.status] += 1
    total = sum(counts.values())
    labels = dict(Activity.Status.choices)
    return {
        "plan": plan,
        "streams": streams,
        "status_counts": _status_parts(counts, labels, total),
        "total": total,
        "description": plan.summary[:200] if plan.summary else f"{plan.title}: streams, outputs and activities.",
    }


def _status_parts(counts: dict, labels: dict, total: int) -> list[tuple]:
    """(status, label, count, percent, offset) of each status the plan's activities have: the sentence and the bar
    (each part coloured by its status, not by its place)."""
    parts, offset = [], 0.0
    for status, count in counts.items():
        if count:
            share = 100 * count / total
            parts.append((status, labels[status], count, round(share), f"{offset:.2f}"))
            offset += share
    return parts


@require_GET
def workplan(request, slug: str):
    def make():
        # Inside the kept page: a plan taken off or not yet public changes the page's key, and a 404 is not kept.
        plan = get_object_or_404(WorkPlan.objects.select_related("group"), slug=slug)
        if selectors.public_one(Kind.WORKPLAN, plan.pk) is None:
            raise Http404(gettext("No such work plan."))
        return _render(request, "website/workplan.html", _workplan_values(plan))

    return kept_page(request, "workplan", make)


# -- meetings and events ------------------------------------------------------------------------------------------


@require_GET
def whats_on(request):
    def make():
        return _render(
            request,
            "website/whats_on.html",
            {
                "meetings": selectors.meetings(),
                "events": selectors.events(),
                "description": gettext("The GMG's public meetings and the events it takes part in."),
            },
        )

    return kept_page(request, "whats_on", make)


def _check_slug(request, obj, title: str, slug: str):
    wanted = short_slug(title)
    if slug != wanted:
        return HttpResponsePermanentRedirect(request.path.replace(f"-{slug}/", f"-{wanted}/", 1))
    return None


@require_GET
def meeting(request, pk: int, slug: str):
    found = get_object_or_404(Meeting.objects.select_related("group"), pk=pk)
    if selectors.public_one(Kind.MEETING, pk) is None:
        raise Http404(gettext("No such meeting."))
    moved = _check_slug(request, found, found.title, slug)
    if moved:
        return moved
    return kept_page(request, "meeting", lambda: _render(request, "website/meeting.html", _meeting_values(found)))


def _meeting_values(found: Meeting) -> dict:
    documents = [d for d, _ in selectors.documents(meeting=found)]
    return {"meeting": found, "documents": documents, "description": f"{found.get_kind_display()}: {found}"}


@require_GET
def event(request, pk: int, slug: str):
    found = get_object_or_404(ExternalEvent, pk=pk)
    if selectors.public_one(Kind.EVENT, pk) is None:
        raise Http404(gettext("No such event."))
    moved = _check_slug(request, found, found.name, slug)
    if moved:
        return moved
    values = {"event": found, "description": f"{found.name}, {found.place}".strip(", ")}
    return kept_page(request, "event", lambda: _render(request, "website/event.html", values))


@require_GET
def whats_on_ics(request):
    from .calendar import public_calendar

    body = record_version.kept(
        "website:ics", (selectors.publication_moment(),), public_calendar, reads=selectors.PUBLIC_READS
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="gmg-meetings-and-events.ics"'
    return response


# -- news and publications ----------------------------------------------------------------------------------------


@require_GET
def news(request):
    def make():
        return _render(
            request,
            "website/news.html",
            {
                "articles": selectors.articles(Article.Kind.NEWS, Article.Kind.STATEMENT),
                "description": gettext("News and statements of the Global Migration Group."),
            },
        )

    return kept_page(request, "news", make)


@require_GET
def news_item(request, slug: str):
    article = selectors.public_article(slug, page=False)
    if article is None:
        raise Http404(gettext("No such news item."))
    return kept_page(request, "news_item", lambda: _render(request, "website/article.html", _page_values(article)))


@require_GET
def image(request, pk: int, name: str):
    version = selectors.public_image(pk)
    if version is None and is_support(request.user):
        # The support team's preview of an article not yet public shows its images too.
        version = DocumentVersion.objects.filter(pk=pk, articles__isnull=False).defer("text").first()
    if version is None or not version.file or name != (version.file_name or "image"):
        raise Http404(gettext("No such image."))
    return _file_response(version.file, version.file_name, attachment=False)


def _file_response(field, name: str, *, attachment: bool) -> FileResponse:
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404(gettext("This file is no longer stored.")) from None
    response = FileResponse(handle, as_attachment=attachment, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def publications(request):
    def make():
        return _render(
            request,
            "website/publications.html",
            {
                "documents": selectors.documents(),
                "reports": selectors.reports(),
                "tors": selectors.tors(),
                "description": gettext(
                    "Position papers, terms of reference, joint statements and annual reports of the GMG."
                ),
            },
        )

    return kept_page(request, "publications", make)


def _publication_values(document: Document, publication: Publication) -> dict:
    version = selectors.document_version(document, publication)
    file_url = ""
    if version is not None and version.file:
        file_url = reverse(
            "website:publication_file", args=[document.pk, short_slug(document.title), version.file_name]
        )
    return {
        "document": document,
        "version": version,
        "file_url": file_url,
        "description": f"{document.get_kind_display()}: {document.shown_title}",
        "og_type": "article",
    }


@require_GET
def publication(request, pk: int, slug: str):
    document = get_object_or_404(Document.objects.defer("text", "search_vector"), pk=pk)
    chosen = selectors.public_one(Kind.DOCUMENT, pk)
    if chosen is None:
        raise Http404(gettext("No such publication."))
    moved = _check_slug(request, document, document.title, slug)
    if moved:
        return moved
    values = _publication_values(document, chosen)
    return kept_page(request, "publication", lambda: _render(request, "website/publication.html", values))


@require_GET
def publication_file(request, pk: int, slug: str, name: str):
    document = get_object_or_404(Document.objects.defer("text", "search_vector"), pk=pk)
    chosen = selectors.public_one(Kind.DOCUMENT, pk)
    version = selectors.document_version(document, chosen) if chosen else None
    if version is None or not version.file or name != version.file_name:
        raise Http404(gettext("No such file."))
    return _file_response(version.file, version.file_name, attachment=True)


def _term_by_slug(slug: str) -> ChairTerm:
    pk = slug.split("-", 1)[0]
    if not pk.isdigit():
        raise Http404(gettext("No such report."))
    term = get_object_or_404(ChairTerm.objects.select_related("agency", "co_chair"), pk=int(pk))
    if report_slug(term) != slug:
        raise Http404(gettext("No such report."))
    return term


def _report_of(term: ChairTerm, publication: Publication):
    text = term.report_versions.filter(revision=publication.version).first()
    drafted = annual_report(term, today=term.annual_report_submitted_on or timezone.localdate())
    drafted.text = text
    drafted.completed = _accepted_updates(drafted.completed, drafted.as_of)
    drafted.ongoing = _accepted_updates(drafted.ongoing, drafted.as_of)
    return drafted


def _accepted_updates(lines: list, as_of) -> list:
    """The report's activities, each with its latest update the support team accepted by the report's day: an
    update under review is not public (the portal's report shows it)."""
    ids = [line.activity.pk for line in lines if line.latest is not None]
    accepted: dict[int, ActivityUpdate] = {}
    for update in (
        ActivityUpdate.objects.filter(activity__in=ids, review=ActivityUpdate.Review.ACCEPTED, reported_on__lte=as_of)
        .select_related("agency")
        .order_by("activity_id", "-reported_on", "-created_at", "-pk")
    ):
        accepted.setdefault(update.activity_id, update)
    return [replace(line, latest=accepted.get(line.activity.pk)) for line in lines]


def _report_values(term: ChairTerm, publication: Publication) -> dict:
    drafted = _report_of(term, publication)
    return {
        **report_context(drafted),
        "for_print": True,  # the report's links lead into the portal; the public copy has none
        "term": term,
        "pdf_url": reverse("website:report_file", args=[report_slug(term), "pdf"]),
        "description": drafted.title,
        "og_type": "article",
    }


@require_GET
def report(request, slug: str):
    term = _term_by_slug(slug)
    chosen = selectors.public_one(Kind.REPORT, term.pk)
    if chosen is None:
        raise Http404(gettext("No such report."))
    return kept_page(request, "report", lambda: _render(request, "website/report.html", _report_values(term, chosen)))


@require_GET
def report_file(request, slug: str, fmt: str):
    term = _term_by_slug(slug)
    chosen = selectors.public_one(Kind.REPORT, term.pk)
    if chosen is None or fmt not in ("pdf", "html"):
        raise Http404(gettext("No such report."))
    drafted = _report_of(term, chosen)
    if fmt == "pdf":
        body = record_version.kept(
            "website:report-pdf", (term.pk, chosen.version), lambda: report_pdf(drafted), reads=selectors.PUBLIC_READS
        )
        response = HttpResponse(body, content_type="application/pdf")
    else:
        response = HttpResponse(report_html(drafted), content_type="text/html; charset=utf-8")
    # The PDF opens in the browser; the HTML file is a standalone document with its own inline styles, which the
    # site's Content-Security-Policy would block if it opened as a page: it is downloaded, as from the portal.
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{drafted.file_name}.{fmt}"'
    return response


# -- search, sitemap, robots --------------------------------------------------------------------------------------


@require_GET
def find(request):
    from .search import hits

    query = " ".join(request.GET.get("q", "").split())[:200]

    def make():
        return _render(
            request,
            "website/find.html",
            {
                "query": query,
                "hits": hits(query) if len(query) >= 2 and not static_copy(request) else [],
                "too_short": 0 < len(query) < 2,
                "description": gettext("Search what the Global Migration Group publishes."),
            },
        )

    return kept_page(request, "find", make)


@require_GET
def search_index(request):
    """Everything public as one JSON list: the static copy's search reads it in the visitor's browser."""
    from .search import index

    body = record_version.kept("website:index", (selectors.publication_moment(),), index, reads=selectors.PUBLIC_READS)
    return HttpResponse(body, content_type="application/json")


# The search index as a script, for the static copy opened from the disk: a browser reads no file:// address by
# fetch(), but runs a script the page names. build_site rewrites the addresses in it as in the JSON.
SCRIPT_INDEX = ("window.gmgSearchIndex = ", ";\n")


@require_GET
def search_index_script(request):
    from .search import index

    body = record_version.kept("website:index", (selectors.publication_moment(),), index, reads=selectors.PUBLIC_READS)
    return HttpResponse(body.join(SCRIPT_INDEX), content_type="text/javascript; charset=utf-8")


@require_GET
def robots(request):
    lines = ["User-agent: *", "Disallow: /accounts/", "Disallow: /admin/", "Disallow: /api/", "Disallow: /website/"]
    lines.append(f"Sitemap: {settings.SITE_URL}/sitemap.xml")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# -- the support team's preview: the page exactly as a visitor will see it, before it is public -------------------

PREVIEWS = {
    Kind.ARTICLE: ("website/article.html", lambda a: _page_values(a)),
    Kind.AGENCY: ("website/member.html", _member_values),
    Kind.GROUP: ("website/group.html", _group_values),
    Kind.TOR: ("website/tor.html", _tor_values),
    Kind.WORKPLAN: ("website/workplan.html", _workplan_values),
    Kind.MEETING: ("website/meeting.html", _meeting_values),
    Kind.EVENT: ("website/event.html", lambda e: {"event": e, "description": e.name}),
}


def preview_response(request, kind: str, obj, version: int | None) -> HttpResponse:
    """The item's public page as a visitor will see it once published (with `version` where it has versions)."""
    if kind == Kind.DOCUMENT:
        return _preview(request, "website/publication.html", _publication_values(obj, Publication(version=version)))
    if kind == Kind.REPORT:
        return _preview(request, "website/report.html", _report_values(obj, Publication(version=version)))
    template, values = PREVIEWS[kind]
    return _preview(request, template, values(obj))
