"""The support team's desk for the public website: every item that can be published with its state, the publish
step (preview, publish now or at a moment, the version shown, take off), and the articles' editor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kit.access import require
from kit.audit import record_history
from kit.forms_flow import create_form_once, finished, form_flow, save_form_if_unchanged
from kit.pagination import paginate

from . import services, views
from .access import KEEPERS_ONLY, can_keep_website
from .forms import ArticleCreateForm, ArticleEditForm, PublishForm
from .models import Article, Publication
from .publishable import KINDS, of

STATES = [
    ("", gettext_lazy("Every state")),
    ("public", gettext_lazy("Public")),
    ("scheduled", gettext_lazy("Scheduled")),
    ("not", gettext_lazy("Not public")),
]


def _support(request) -> None:
    require(can_keep_website(request.user), KEEPERS_ONLY)


def _item(kind: str, pk: int):
    if kind not in KINDS:
        raise Http404(gettext("No such kind of item."))
    return get_object_or_404(of(kind).rows(), pk=pk)


@login_required
@require_GET
def desk(request):
    """Every item of one kind with its state on the public website."""
    _support(request)
    kind = request.GET.get("kind") or Publication.Kind.ARTICLE
    if kind not in KINDS:
        kind = Publication.Kind.ARTICLE
    state = request.GET.get("state", "")
    query = " ".join(request.GET.get("q", "").split())[:100]
    publishable = of(kind)
    rows = publishable.rows()
    if query:
        rows = rows.filter(**{publishable.search: query})
    now = timezone.now()
    publications = {p.object_id: p for p in Publication.objects.filter(kind=kind)}
    public_ids = [pk for pk, p in publications.items() if p.is_public(now)]
    scheduled_ids = [pk for pk, p in publications.items() if p.is_scheduled(now)]
    if state == "public":
        rows = rows.filter(pk__in=public_ids)
    elif state == "scheduled":
        rows = rows.filter(pk__in=scheduled_ids)
    elif state == "not":
        rows = rows.exclude(pk__in=public_ids + scheduled_ids)
    page = paginate(request, rows, per_page=50)
    lines = [
        {
            "obj": obj,
            "name": publishable.name(obj),
            "publication": publications.get(obj.pk),
            "public": obj.pk in public_ids,
            "scheduled": obj.pk in scheduled_ids,
        }
        for obj in page.rows
    ]
    return render(
        request,
        "website/desk.html",
        {
            "kinds": [(k, p.label) for k, p in KINDS.items()],
            "kind": kind,
            "kind_label": publishable.label,
            "state": state,
            "states": STATES,
            "query": query,
            "lines": lines,
            "listing": page,
        },
    )


def _item_context(request, kind: str, obj, form=None) -> dict:
    publishable = of(kind)
    publication = services.publication_of(kind, obj)
    history = record_history(
        Publication.history.filter(kind=kind, object_id=obj.pk).select_related("history_user"),
        obj.history.all(),
    )
    versions = publishable.versions(obj) if publishable.versions else None
    if form is None:
        initial = {"version": publication.version} if publication and publication.version else {}
        form = PublishForm(versions=versions, initial=initial)
    return {
        "kind": kind,
        "kind_label": Publication.Kind(kind).label,
        "obj": obj,
        "name": publishable.name(obj),
        "publication": publication,
        "public": bool(publication and publication.is_public()),
        "scheduled": bool(publication and publication.is_scheduled()),
        "public_url": publishable.public_url(obj),
        "record_url": publishable.record_url(obj),
        "refusal": publishable.refusal(obj),
        "versions": versions,
        "publish_form": form,
        "history": history,
    }


@login_required
@require_http_methods(["GET", "POST"])
def item(request, kind: str, pk: int):
    """One item's state on the public website, its preview, and the publish step."""
    _support(request)
    obj = _item(kind, pk)
    if request.method == "GET":
        context = _item_context(request, kind, obj)
        return render(request, "website/item.html", {**context, "form": context["publish_form"]})
    versions = of(kind).versions(obj) if of(kind).versions else None
    form = PublishForm(request.POST, versions=versions)
    if not form.is_valid():
        return _refused(request, kind, obj, form)
    try:
        publication = services.publish(
            kind=kind, obj=obj, at=form.moment(), version=form.cleaned_data.get("version"), by=request.user
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _refused(request, kind, obj, form)
    when = date_format(timezone.localtime(publication.public_from), "DATETIME_FORMAT")
    if publication.is_scheduled():
        text = gettext("Scheduled: public from %(when)s.") % {"when": when}
    else:
        text = gettext("Published: visitors see it now.")
    return finished(request, request.path, text)


def _refused(request, kind: str, obj, form) -> HttpResponse:
    """The item's page again, the publish form with its errors (400)."""
    return render(request, "website/item.html", {**_item_context(request, kind, obj, form), "form": form}, status=400)


@login_required
@require_POST
def take_off(request, kind: str, pk: int):
    _support(request)
    obj = _item(kind, pk)
    if services.unpublish(kind=kind, obj=obj, by=request.user):
        messages.success(request, gettext("Taken off the public website."))
    else:
        messages.info(request, gettext("It was not on the public website."))
    return redirect("desk:item", kind=kind, pk=pk)


@login_required
@require_GET
def preview(request, kind: str, pk: int):
    """The item's public page exactly as a visitor will see it once published (the chosen `?version=`)."""
    _support(request)
    obj = _item(kind, pk)
    versions = of(kind).versions(obj) if of(kind).versions else None
    version = None
    if versions:
        asked = request.GET.get("version", "")
        numbers = [n for n, _ in versions]
        version = int(asked) if asked.isdigit() and int(asked) in numbers else numbers[0]
    return views.preview_response(request, kind, obj, version)


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request):
    def save(form):
        article, _ = create_form_once(form, **form.rendered_html())
        article.images.set(form.rendered_images())
        return finished(request, article, gettext("Saved. It is not public until you publish it."))

    return form_flow(
        request,
        form_class=ArticleCreateForm,
        save=save,
        template="website/article_form.html",
        context={"title": gettext("New news item, statement or page"), "images": _images()},
        access=(can_keep_website(request.user), KEEPERS_ONLY),
    )


@login_required
@require_http_methods(["GET", "POST"])
def article_desk(request, pk: int):
    article = get_object_or_404(Article, pk=pk)

    def save(form):
        def after(instance):
            Article.objects.filter(pk=instance.pk).update(**form.rendered_html())
            instance.images.set(form.rendered_images())

        save_form_if_unchanged(form, after=after)
        return finished(request, article, gettext("Saved."))

    return form_flow(
        request,
        form_class=ArticleEditForm,
        save=save,
        template="website/article_form.html",
        context={
            "title": gettext("Edit: %(title)s") % {"title": article.title},
            "article": article,
            "images": _images(),
            **_item_context(request, Publication.Kind.ARTICLE, article),
        },
        form_kwargs={"instance": article},
        access=(can_keep_website(request.user), KEEPERS_ONLY),
    )


def _images():
    """The archive's images an article may show: (reference, title)."""
    from archive.models import DocumentVersion

    from .richtext import IMAGE_TYPES

    found = []
    versions = DocumentVersion.objects.exclude(file="").select_related("document").defer("text", "document__text")
    for version in versions.order_by("document__title", "-number"):
        suffix = "." + version.file_name.rsplit(".", 1)[-1].lower() if "." in version.file_name else ""
        if suffix in IMAGE_TYPES and all(ref != version.document_id for ref, _ in found):
            found.append((version.document_id, version.document.title))
    return [(f"archive:{pk}", title) for pk, title in found]
