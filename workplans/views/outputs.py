"""A stream's outputs in the editor: one drawn for htmx, added, edited, moved, renumbered and removed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kit.forms_flow import command_flow, finished, form_values
from workplans import services
from workplans.forms import OutputCreateForm, OutputEditForm
from workplans.models import Output, WorkStream
from workplans.views.common import (
    editor_form,
    editor_move,
    editor_remove,
    editor_tools,
    may_edit,
    redraw,
    render_output,
)


@login_required
@require_GET
def output_partial(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    if not request.htmx:
        return redirect(output.get_absolute_url())
    return render_output(request, output.pk)


@login_required
@require_http_methods(["GET", "POST"])
def output_add(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)

    def save(form):
        output, created = services.output_create(
            stream=stream, values=form_values(form), token=form.cleaned_data["token"]
        )
        return output, (
            _("Output “%(output)s” added.") % {"output": output} if created else _("This output was already added.")
        )

    return editor_form(
        request,
        part=stream,
        form_class=OutputCreateForm,
        form_kwargs={"plan": stream.workplan, "prefix": f"new-output-{stream.pk}"},
        page_title=_("New output in %(stream)s") % {"stream": stream},
        context={
            "form_id": f"stream-{stream.pk}-new-output-form",
            "form_title": _("New output in “%(stream)s”") % {"stream": stream},
            "submit_label": _("Add the output"),
        },
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def output_edit(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)

    def save(form):
        services.output_update(output=output, revision=form.cleaned_data["revision"], values=form_values(form))
        return output, _("The output is saved.")

    return editor_form(
        request,
        part=output.stream,
        form_class=OutputEditForm,
        form_kwargs={"instance": output, "plan": output.stream.workplan, "prefix": f"output-{output.pk}"},
        page_title=_("Edit an output"),
        context={
            "form_id": f"output-{output.pk}-form",
            "form_title": _("Edit “%(output)s”") % {"output": output},
            "submit_label": _("Save the output"),
            "cancel_url": output.get_absolute_url(),
            "tools": editor_tools(request, output, label=(_("output %(number)s") % {"number": output.number}).strip()),
        },
        save=save,
    )


@login_required
@require_POST
def output_move(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    move = lambda direction: services.output_move(output=output, direction=direction)  # noqa: E731
    return editor_move(request, part=output.stream, label=_("“%(output)s”") % {"output": output}, move=move, to=output)


@login_required
@require_POST
def output_renumber(request, pk: int):
    """Number the output's activities 1.1 .. 1.n in the order the plan shows them."""
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)

    def run(form):
        try:
            changed = services.output_renumber(output=output, user=request.user)
        except ValidationError as refused:
            return render(request, "400.html", {"reason": " ".join(refused.messages)}, status=400)
        message = ngettext(
            "Renumbered %(count)s activity of “%(output)s”.",
            "Renumbered %(count)s activities of “%(output)s”.",
            changed,
        ) % {"count": changed, "output": output}
        if not changed:
            message = _("The activities of “%(output)s” are already numbered in order.") % {"output": output}
        level = messages.SUCCESS if changed else messages.INFO
        return finished(request, output, message, level=level, partial=lambda: redraw(request, output))

    return command_flow(request, access=may_edit(request, output), run=run)


@login_required
@require_http_methods(["GET", "POST"])
def output_remove(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    return editor_remove(
        request,
        part=output.stream,
        what=_("the output “%(output)s”, with its %(count)s activity(ies)")
        % {"output": output, "count": output.activities.count()},
        on_confirm=lambda: services.output_remove(output=output),
        to=output.stream,
        cancel_url=output.get_absolute_url(),
        form_id=f"output-{output.pk}-remove",
    )
