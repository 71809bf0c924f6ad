"""A plan's work streams in the editor: one drawn for htmx, added, edited, moved and removed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kit.forms_flow import form_values
from workplans import services
from workplans.forms import WorkStreamCreateForm, WorkStreamEditForm
from workplans.models import WorkPlan, WorkStream
from workplans.views.common import editor_form, editor_move, editor_remove, editor_tools, render_stream


@login_required
@require_GET
def stream_partial(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    if not request.htmx:
        editing = "edit=1&" if request.GET.get("edit") == "1" else ""
        return redirect(f"{stream.workplan.get_absolute_url()}?{editing}stream={stream.pk}#stream-{stream.pk}")
    return render_stream(request, stream.pk)


@login_required
@require_http_methods(["GET", "POST"])
def stream_add(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)

    def save(form):
        stream, created = services.stream_create(plan=plan, values=form_values(form), token=form.cleaned_data["token"])
        return stream, (
            _("Work stream “%(stream)s” added.") % {"stream": stream}
            if created
            else _("This stream was already added.")
        )

    return editor_form(
        request,
        part=plan,
        form_class=WorkStreamCreateForm,
        form_kwargs={"prefix": "new-stream"},
        page_title=_("New work stream in %(plan)s") % {"plan": plan},
        context={"form_id": "new-stream-form", "form_title": _("New work stream"), "submit_label": _("Add the stream")},
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stream_edit(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)

    def save(form):
        services.stream_update(stream=stream, revision=form.cleaned_data["revision"], values=form_values(form))
        return stream, _("The stream is saved.")

    return editor_form(
        request,
        part=stream,
        form_class=WorkStreamEditForm,
        form_kwargs={"instance": stream, "prefix": f"stream-{stream.pk}"},
        page_title=_("Edit a work stream"),
        context={
            "form_id": f"stream-{stream.pk}-form",
            "form_title": _("Edit the stream “%(stream)s”") % {"stream": stream},
            "submit_label": _("Save the stream"),
            "tools": editor_tools(request, stream, label=_("the stream %(title)s") % {"title": stream.title}),
        },
        save=save,
    )


@login_required
@require_POST
def stream_move(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    move = lambda direction: services.stream_move(stream=stream, direction=direction)  # noqa: E731
    return editor_move(
        request, part=stream.workplan, label=_("“%(stream)s”") % {"stream": stream}, move=move, to=stream
    )


@login_required
@require_http_methods(["GET", "POST"])
def stream_remove(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    return editor_remove(
        request,
        part=stream.workplan,
        what=_("the work stream “%(stream)s”, its %(count)s output(s) and their activities")
        % {"stream": stream, "count": stream.outputs.count()},
        on_confirm=lambda: services.stream_remove(stream=stream),
        to=stream.workplan,
        cancel_url=stream.get_absolute_url(),
        form_id=f"stream-{stream.pk}-remove",
        cancel_hx=reverse("workplans:stream_partial", args=[stream.pk]) + "?edit=1",
        cancel_target=f"#stream-{stream.pk}",
    )
