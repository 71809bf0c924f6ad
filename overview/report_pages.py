"""The annual reports as pages and files: a chair term's and a group's year, drafted from the record
(`reports.selectors`). Their addresses stay in the chairs and groups namespaces (gmg_portal/urls.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chairs import services
from chairs.access import can_edit_chair_report
from chairs.forms import ReportSubmittedForm
from chairs.models import ChairTerm
from groups.models import Group
from groups.selectors import CO_CHAIRS
from kit import documents
from kit.as_of import as_of_day
from kit.languages import written_in
from reports.documents import report_context, report_docx, report_html, report_pdf
from reports.selectors import annual_report, group_year_report


def _term(pk: int) -> ChairTerm:
    return get_object_or_404(ChairTerm.objects.select_related("agency", "co_chair"), pk=pk)


def _files(name: str, *args) -> list[tuple[str, str]]:
    """The report's files (label, address), offered in the other languages beside the page's own."""
    formats = (("pdf", "PDF"), ("docx", "Word"), ("html", "HTML"))
    return [(label, reverse(name, args=[*args, fmt])) for fmt, label in formats]


@login_required
@require_GET
def report(request, pk: int):
    """The term's annual report, drafted from the record, with the chair's introduction and highlights."""
    term = _term(pk)
    drafted = annual_report(term, today=as_of_day(request))
    may_edit = can_edit_chair_report(request.user, term)
    return render(
        request,
        "chairs/annual_report.html",
        {
            **report_context(drafted),
            "term": term,
            "files": _files("chairs:report_download", term.pk),
            "may_edit": may_edit,
            "carries_report": services.carries_annual_report(term),
            "submit_form": ReportSubmittedForm() if may_edit and not term.annual_report_submitted_on else None,
        },
    )


@login_required
@require_GET
def report_download(request, pk: int, fmt: str):
    """The report as a PDF, a Word file or a standalone HTML file."""
    makers = {documents.PDF: report_pdf, documents.DOCX: report_docx, documents.HTML: report_html}
    if fmt not in makers:
        raise Http404(_("The report is made as pdf, docx or html."))
    with written_in(request):  # the fixed words and headings in the language asked for (?language=)
        drafted = annual_report(_term(pk), today=as_of_day(request))
        return documents.document_response(makers[fmt](drafted), fmt=fmt, name=drafted.file_name)


def _group_year_report(request, slug: str, year: int):
    group = get_object_or_404(Group.objects.prefetch_related(CO_CHAIRS), slug=slug)
    if not 1990 <= year <= 2100:
        raise Http404(_("No such year."))
    return group, group_year_report(group, year, today=as_of_day(request))


@login_required
@require_GET
def group_report(request, slug: str, year: int):
    """A group's year drafted from the record, as the chair's annual report is: streams, meetings, minimum."""
    group, report = _group_year_report(request, slug, year)
    files = _files("groups:group_report_download", group.slug, report.year)
    return render(request, "groups/group_report.html", {**report_context(report), "group": group, "files": files})


@login_required
@require_GET
def group_report_download(request, slug: str, year: int, fmt: str):
    """The group's year as a PDF, a Word file or a standalone HTML file."""
    makers = {documents.PDF: report_pdf, documents.DOCX: report_docx, documents.HTML: report_html}
    if fmt not in makers:
        raise Http404(_("The report is made as pdf, docx or html."))
    with written_in(request):
        _group, report = _group_year_report(request, slug, year)
        return documents.document_response(makers[fmt](report), fmt=fmt, name=report.file_name)
