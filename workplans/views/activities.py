"""An output's activities: an activity's page, and in the editor added, edited, moved and removed, with the
reading of a timeframe as it is typed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kit.as_of import as_of_day
from workplans import selectors, services
from workplans.access import can_edit_activity, can_report_on, can_review_updates
from workplans.forms import ActivityCreateForm, ActivityEditForm, UpdateReviewForm
from workplans.models import Activity, Output
from workplans.views.common import editor_form, editor_move, editor_remove, typed_timeframe


@login_required
@require_GET
def timeframe_reading(request):
    """The reading of a timeframe as it is typed (the editor asks as people type)."""
    text = next((value for key, value in request.GET.items() if key.endswith("timeframe")), "")
    year = request.GET.get("year") or ""
    reading = typed_timeframe(text[:250], int(year) if year.isdigit() and len(year) == 4 else None)
    return render(request, "workplans/_timeframe_reading.html", {"reading": reading})


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)

    def save(form):
        data = form.cleaned_data
        activity, created = services.activity_create(
            output=output,
            values=form.model_values(),
            lead_agencies=list(data["lead_agencies"]),
            partners=list(data["partners"]),
            user=request.user,
            token=data["token"],
        )
        return _activity_anchor(activity), (
            _("Activity %(number)s added.") % {"number": activity.number}
            if created
            else _("This activity was already added.")
        )

    return editor_form(
        request,
        part=output,
        form_class=ActivityCreateForm,
        form_kwargs={
            "output": output,
            "prefix": f"new-activity-{output.pk}",
            "initial": {"number": output.next_activity_number()},
        },
        page_title=_("New activity in %(output)s") % {"output": output},
        timeframe_year=output.year,
        context={
            "form_id": f"output-{output.pk}-new-activity-form",
            "form_title": _("New activity in “%(output)s”") % {"output": output},
            "submit_label": _("Save the activity"),
        },
        save=save,
    )


def _activity_anchor(activity: Activity) -> str:
    return f"{activity.output.stream.workplan.get_absolute_url()}#activity-{activity.pk}"


def _activity_values(form: ActivityEditForm) -> dict:
    """What an activity's save writes: its fields (dates read from the timeframe) and its agencies."""
    return {**form.model_values(), **{k: form.cleaned_data[k] for k in ("lead_agencies", "partners")}}


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    output = activity.output

    def save(form):
        data = form.cleaned_data
        services.activity_update(
            activity=activity,
            revision=data["revision"],
            values=form.model_values(),
            lead_agencies=list(data["lead_agencies"]),
            partners=list(data["partners"]),
            user=request.user,
        )
        return _activity_anchor(activity), _("Activity %(number)s is saved.") % {
            "number": data["number"] or activity.pk
        }

    return editor_form(
        request,
        part=output,
        form_class=ActivityEditForm,
        form_kwargs={"instance": activity, "output": output, "prefix": f"activity-{activity.pk}"},
        page_title=_("Edit an activity"),
        timeframe_year=output.year,
        conflict_fields=ActivityEditForm.Meta.fields,
        conflict_values=_activity_values,
        context={
            "form_id": f"activity-{activity.pk}-form",
            "form_title": _("Edit activity %(number)s") % {"number": activity.number},
            "submit_label": _("Save the activity"),
            "cancel_url": _activity_anchor(activity),
            "in_row": request.htmx and request.method == "GET",
            "row_id": f"activity-{activity.pk}",
            "tools": {
                "kind": "activity",
                "pk": activity.pk,
                "label": (_("activity %(number)s") % {"number": activity.number}).strip(),
                "move_url": reverse("workplans:activity_move", args=[activity.pk]),
                "move_target": "output",
                "move_target_pk": output.pk,
                "remove_url": reverse("workplans:activity_remove", args=[activity.pk]),
                "remove_target": f"#activity-{activity.pk}",
                "remove_swap": "outerHTML",
                "report_url": reverse("workplans:activity_report", args=[activity.pk])
                if can_report_on(request.user, activity)
                else "",
            },
        },
        save=save,
    )


@login_required
@require_POST
def activity_move(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    label = _("Activity %(number)s") % {"number": activity.number or activity.description[:40]}
    move = lambda direction: services.activity_move(activity=activity, direction=direction)  # noqa: E731
    return editor_move(request, part=activity.output, label=label, move=move, to=_activity_anchor(activity))


@login_required
@require_http_methods(["GET", "POST"])
def activity_remove(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    return editor_remove(
        request,
        part=activity.output,
        what=_("activity %(number)s “%(description)s”, with its %(count)s update(s)")
        % {"number": activity.number, "description": activity.description[:80], "count": activity.updates.count()},
        on_confirm=lambda: services.activity_remove(activity=activity, user=request.user),
        to=activity.output,
        cancel_url=_activity_anchor(activity),
        form_id=f"activity-{activity.pk}-remove",
        row_id=f"activity-{activity.pk}",
    )


@login_required
@require_GET
def activity_detail(request, pk: int):
    try:
        activity = selectors.activity_for_page(pk)
    except Activity.DoesNotExist:
        raise Http404(_("No activity has this number.")) from None
    return render(
        request,
        "workplans/activity_detail.html",
        {
            "activity": activity,
            "plan": activity.output.stream.workplan,
            "history": selectors.activity_history(activity),
            "can_edit": can_edit_activity(request.user, activity),
            "can_report": can_report_on(request.user, activity),
            "can_review": can_review_updates(request.user),
            "review_form": UpdateReviewForm(),
            "my_agency_id": request.user.agency_id,
            "overdue": activity.is_overdue_on(as_of_day(request)),
        },
    )
