"""Pages of the archive: the list of documents, a document's page (its versions, its text and the records it
belongs to), and the support team's forms to upload a document, change its details and links, add a version.

Every signed-in person reads; every write checks `archive.access.can_keep_archive` on the server.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from archive.access import can_keep_archive
from kit import record_version
from kit.forms_flow import finished, form_flow, save_form_if_unchanged
from kit.pagination import paginate

from . import selectors
from .forms import LINKS, DocumentCreateForm, DocumentEditForm, VersionForm
from .models import Document, DocumentVersion
from .services import document_create as create_document
from .services import version_add

KEEPERS = gettext_lazy("Only the support team keeps the archive (seed 000: “maintaining archives of GMG information”).")
CRUMBS = [("Archive", "archive:document_list")]
# A record's page links to the upload form with the record chosen: ?meeting=3 (the field's name, singular).
PRESET = {
    "meeting": "meetings",
    "group": "groups",
    "chair_term": "chair_terms",
    "decision": "decisions",
    "activity": "activities",
}


def _page(title: str, *, submit: str, cancel_url: str, crumbs: list, intro: str = "") -> dict:
    return {"page_title": title, "submit_label": submit, "cancel_url": cancel_url, "crumbs": crumbs, "intro": intro}


@login_required
@require_GET
def document_list(request):
    kind = request.GET.get("kind", "")
    if kind not in Document.Kind.values:
        kind = ""

    def make_listing() -> str:
        listing = paginate(request, selectors.document_list(kind))
        context = {"documents": listing.rows, "listing": listing, "kinds": Document.Kind.choices, "kind": kind}
        return render_to_string("archive/_document_listing.html", context)

    # The filter and the page of documents are the same for every reader: kept while the record does not change
    # (kit.record_version). Only the "Add a document" button is the reader's own.
    listing = record_version.kept("document_list", (sorted(request.GET.lists()),), make_listing)
    return render(
        request,
        "archive/document_list.html",
        {"listing_html": mark_safe(listing), "can_keep": can_keep_archive(request.user)},  # the listing's output
    )


@login_required
@require_GET
def document_detail(request, pk: int):
    try:
        document = selectors.document_with_links(pk)
    except Document.DoesNotExist:
        raise Http404(_("No such document in the archive.")) from None
    versions = list(document.versions.all())
    return render(
        request,
        "archive/document_detail.html",
        {
            "document": document,
            "versions": versions,
            "latest": versions[0] if versions else None,
            "can_keep": can_keep_archive(request.user),
        },
    )


def _preset(request) -> dict:
    """The records a record page's "add a document" link chose (unknown ids are left for the form to refuse)."""
    initial = {}
    for parameter, field_name in PRESET.items():
        value = request.GET.get(parameter, "")
        if value.isdigit():
            initial[field_name] = [int(value)]
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request):
    def save(form):
        document, created = create_document(form, upload=form.cleaned_data["file"], read=form.read, author=request.user)
        return finished(
            request,
            document,
            _("%(document)s added to the archive.") % {"document": document} if created else _("Already added."),
        )

    return form_flow(
        request,
        form_class=DocumentCreateForm,
        form_kwargs={"initial": _preset(request)},
        access=(can_keep_archive(request.user), KEEPERS),
        template="groups/record_form.html",
        context=_page(
            _("New document"),
            submit=_("Add to the archive"),
            cancel_url=reverse("archive:document_list"),
            crumbs=CRUMBS,
            intro=_("A document the GMG produces or receives, uploaded once and linked to the records it belongs to."),
        ),
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    document = get_object_or_404(Document.objects.defer("search_vector"), pk=pk)

    def save(form):
        saved = save_form_if_unchanged(form)
        return finished(request, saved, _("%(document)s saved.") % {"document": saved})

    return form_flow(
        request,
        form_class=DocumentEditForm,
        form_kwargs={"instance": document},
        access=(can_keep_archive(request.user), KEEPERS),
        template="groups/record_form.html",
        context=_page(
            _("Edit %(document)s") % {"document": document},
            submit=_("Save the document"),
            cancel_url=document.get_absolute_url(),
            crumbs=[*CRUMBS, (str(document), document.get_absolute_url())],
        ),
        save=save,
        conflict_fields=["title", "kind", "dated", "date_as_written", "language", "note", *LINKS],
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_create(request, pk: int):
    document = get_object_or_404(Document.objects.defer("search_vector", "text"), pk=pk)

    def save(form):
        version, created = version_add(
            document,
            upload=form.cleaned_data["file"],
            read=form.read,
            author=request.user,
            note=form.cleaned_data["note"],
            token=form.cleaned_data["token"],
        )
        message = (
            _("Version %(number)s of %(document)s added.") % {"number": version.number, "document": document}
            if created
            else _("This version was already added.")
        )
        return finished(request, document, message)

    return form_flow(
        request,
        form_class=VersionForm,
        access=(can_keep_archive(request.user), KEEPERS),
        template="groups/record_form.html",
        context=_page(
            _("New version of %(document)s") % {"document": document},
            submit=_("Add the version"),
            cancel_url=document.get_absolute_url(),
            crumbs=[*CRUMBS, (str(document), document.get_absolute_url())],
            intro=_("The earlier versions are kept and can still be opened; the search reads the new one."),
        ),
        save=save,
    )


@login_required
@require_GET
def version_file(request, pk: int):
    version = get_object_or_404(DocumentVersion.objects.defer("text"), pk=pk)
    if not version.file:
        raise Http404(_("This version has its text only, no file."))
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("This file is no longer stored.")) from None
    return FileResponse(handle, as_attachment=True, filename=version.file_name or version.file.name)
