"""Pages of the work plans: the plans and their editor, versions, progress updates and reporting rounds.

Views parse the request, check the permission in `gmg_portal.access` (a refusal is a 403 page with the reason),
call a service and render. Every form works as a plain POST; with htmx the editor swaps partials in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from gmg_portal import access
from gmg_portal.access import require
from groups.models import Agency, Person
from workplans import selectors, services
from workplans.filters import ActivityFilter
from workplans.forms import (
    ActivityCreateForm,
    ActivityEditForm,
    ActivityUpdateForm,
    ActivityUpdateResubmitForm,
    OutputCreateForm,
    OutputEditForm,
    RemoveForm,
    ReportingRoundForm,
    UpdateReviewForm,
    VersionPublishForm,
    WorkPlanCopyForm,
    WorkPlanCreateForm,
    WorkPlanEditForm,
    WorkStreamCreateForm,
    WorkStreamEditForm,
)
from workplans.models import (
    Activity,
    ActivityUpdate,
    Output,
    ReportingRound,
    UpdateAttachment,
    WorkPlan,
    WorkStream,
)
from workplans.timeframes import read_timeframe

EDIT_REFUSED = "Only the support team, the chair for its annual plan and a group's co-chairs for their part edit it."

# -- small helpers shared by the editor ---------------------------------------------------------------------------


def _plan_tree_flags(request, plan: WorkPlan) -> None:
    """Mark what the person may do on each stream and activity, from prefetched rows (no query per row)."""
    editable = selectors.streams_editable_by(request.user, plan)
    agency_id = request.user.agency_id if request.user.role == Person.Role.FOCAL_POINT else None
    support = access.is_support(request.user)
    for stream in plan.streams.all():
        _stream_flags(stream, editable, agency_id, support)


def _stream_flags(stream: WorkStream, editable: set[int], agency_id: int | None, support: bool) -> None:
    stream.editable = stream.pk in editable
    for output in stream.outputs.all():
        _output_flags(output, stream.editable, agency_id, support)


def _output_flags(output: Output, editable: bool, agency_id: int | None, support: bool) -> None:
    output.editable = editable
    for activity in output.activities.all():
        activity.editable = editable
        agencies = {a.pk for a in activity.lead_agencies.all()} | {a.pk for a in activity.partners.all()}
        activity.can_report = support or (agency_id is not None and agency_id in agencies)


def _render_output(request, output_pk: int, status: int = 200) -> HttpResponse:
    output = selectors.output_for_partial(output_pk)
    stream = output.stream
    editable = access.can_edit_stream(request.user, stream)
    agency_id = request.user.agency_id if request.user.role == Person.Role.FOCAL_POINT else None
    _output_flags(output, editable, agency_id, access.is_support(request.user))
    return render(
        request,
        "workplans/_output.html",
        {"output": output, "plan": stream.workplan, "oob_messages": True},
        status=status,
    )


def _render_stream(request, stream_pk: int) -> HttpResponse:
    stream = selectors.stream_for_partial(stream_pk)
    editable = {stream.pk} if access.can_edit_stream(request.user, stream) else set()
    agency_id = request.user.agency_id if request.user.role == Person.Role.FOCAL_POINT else None
    _stream_flags(stream, editable, agency_id, access.is_support(request.user))
    context = {
        "stream": stream,
        "plan": stream.workplan,
        "can_edit_plan": access.can_edit_workplan(request.user, stream.workplan),
        "oob_messages": True,
    }
    return render(request, "workplans/_stream.html", context)


def _render_streams(request, plan: WorkPlan) -> HttpResponse:
    plan = selectors.workplan_for_page(plan.slug)
    _plan_tree_flags(request, plan)
    return render(
        request,
        "workplans/_streams.html",
        {"plan": plan, "can_edit_plan": access.can_edit_workplan(request.user, plan), "oob_messages": True},
    )


def _form_response(request, context: dict, *, status: int = 200, page_title: str = "") -> HttpResponse:
    """The form alone for htmx (swapped in place of itself on errors), or a whole page without JavaScript."""
    if request.htmx:
        response = render(request, "workplans/_form.html", context, status=status)
        if request.method == "POST":
            retarget(response, f"#{context['form_id']}")
            reswap(response, "outerHTML")
        return response
    return render(request, "workplans/form_page.html", {**context, "page_title": page_title}, status=status)


def _conflict_rows(form, current, names: list[str], mine: dict | None = None) -> list[tuple[str, str, str]]:
    """The fields where the saved record differs from the person's input: (label, theirs, yours).

    `mine` gives the values the person's save would write (an activity's dates come from its timeframe);
    by default the form's cleaned data.
    """
    mine = form.cleaned_data if mine is None else mine
    rows = []
    for name in names:
        field = form.fields.get(name)
        if field is None or name not in mine:
            continue
        theirs, yours = getattr(current, name), mine[name]
        if hasattr(theirs, "all"):
            theirs_text = ", ".join(sorted(a.acronym for a in theirs.all()))
            yours_text = ", ".join(sorted(a.acronym for a in yours))
        elif theirs == yours or (theirs in (None, "") and yours in (None, "")):
            continue
        elif hasattr(current, f"get_{name}_display"):
            theirs_text = getattr(current, f"get_{name}_display")()
            yours_text = str(dict(field.choices).get(yours, yours))
        else:
            theirs_text = "" if theirs in (None, "") else str(theirs)
            yours_text = "" if yours in (None, "") else str(yours)
        if theirs_text != yours_text:
            rows.append((str(field.label), theirs_text or "(empty)", yours_text or "(empty)"))
    return rows


def _rebind_on_conflict(form_class, request, current, **kwargs):
    """The person's own input, rebuilt on the current revision so that saving again keeps it deliberately."""
    data = request.POST.copy()
    prefix = kwargs.get("prefix")
    data[f"{prefix}-revision" if prefix else "revision"] = str(current.revision)
    # A copy of the row for the form: validating a model form writes the person's input onto its instance,
    # and `current` must keep showing what was saved.
    form = form_class(data, instance=type(current).objects.get(pk=current.pk), **kwargs)
    form.is_valid()
    return form


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# -- plans --------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def workplan_list(request):
    return render(
        request,
        "workplans/workplan_list.html",
        {"plans": selectors.workplan_list(), "can_create": access.can_create_workplan(request.user)},
    )


@login_required
@require_GET
def workplan_detail(request, slug: str):
    try:
        plan = selectors.workplan_for_page(slug)
    except WorkPlan.DoesNotExist:
        raise Http404("No work plan has this address.") from None
    _plan_tree_flags(request, plan)
    return render(
        request,
        "workplans/workplan_detail.html",
        {
            "plan": plan,
            "can_edit_plan": access.can_edit_workplan(request.user, plan),
            "can_create": access.can_create_workplan(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def workplan_create(request):
    require(access.can_create_workplan(request.user), "Only the support team creates work plans.")
    form = WorkPlanCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "token"}
        plan, created = services.workplan_create(values=values, token=form.cleaned_data["token"])
        messages.success(request, f"Work plan “{plan}” created." if created else "This work plan was already created.")
        return redirect(plan)
    return render(
        request,
        "workplans/form_page.html",
        {
            "page_title": "New work plan",
            "form": form,
            "form_id": "workplan-form",
            "action": reverse("workplans:workplan_create"),
            "submit_label": "Create the work plan",
            "cancel_url": reverse("workplans:workplan_list"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def workplan_edit(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)
    require(access.can_edit_workplan(request.user, plan), EDIT_REFUSED)
    form = WorkPlanEditForm(request.POST or None, instance=plan)
    context = {
        "page_title": f"Edit {plan}",
        "form_id": "workplan-form",
        "action": reverse("workplans:workplan_edit", args=[plan.slug]),
        "submit_label": "Save the plan",
        "cancel_url": plan.get_absolute_url(),
    }
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        try:
            plan = services.workplan_update(plan=plan, revision=form.cleaned_data["revision"], values=values)
        except services.EditConflict as conflict:
            form = _rebind_on_conflict(WorkPlanEditForm, request, conflict.current)
            context.update(conflict=conflict, conflict_rows=_conflict_rows(form, conflict.current, list(values)))
            return render(request, "workplans/form_page.html", {**context, "form": form}, status=409)
        messages.success(request, "The plan is saved.")
        return redirect(plan)
    return render(request, "workplans/form_page.html", {**context, "form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def workplan_copy(request, slug: str):
    source = get_object_or_404(WorkPlan, slug=slug)
    require(access.can_create_workplan(request.user), "Only the support team starts a new work plan cycle.")
    form = WorkPlanCopyForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan, created = services.workplan_copy_for_next_cycle(
            source=source,
            slug=data["slug"],
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            token=data["token"],
        )
        messages.success(
            request,
            f"“{plan}” starts the next cycle: streams, outputs and activities copied, statuses back to planned."
            if created
            else "This copy was already made.",
        )
        return redirect(plan)
    return render(
        request,
        "workplans/form_page.html",
        {
            "page_title": f"Start the next cycle from {source}",
            "intro": "The new plan gets this plan's streams, outputs and activities, moved to the new years, "
            "with every status back to planned. Updates and versions stay with this plan.",
            "form": form,
            "form_id": "copy-form",
            "action": reverse("workplans:workplan_copy", args=[source.slug]),
            "submit_label": "Copy into a new plan",
            "cancel_url": source.get_absolute_url(),
        },
        status=400 if form.errors else 200,
    )


# -- streams ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def stream_partial(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    if not request.htmx:
        return redirect(stream.get_absolute_url())
    return _render_stream(request, stream.pk)


@login_required
@require_http_methods(["GET", "POST"])
def stream_add(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)
    require(access.can_edit_workplan(request.user, plan), EDIT_REFUSED)
    form = WorkStreamCreateForm(request.POST or None, prefix="new-stream")
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "token"}
        stream, created = services.stream_create(plan=plan, values=values, token=form.cleaned_data["token"])
        messages.success(request, f"Work stream “{stream}” added." if created else "This stream was already added.")
        return _render_streams(request, plan) if request.htmx else redirect(stream.get_absolute_url())
    return _form_response(
        request,
        {
            "form": form,
            "form_id": "new-stream-form",
            "form_title": "New work stream",
            "action": reverse("workplans:stream_add", args=[plan.slug]),
            "hx_target": "#streams",
            "submit_label": "Add the stream",
            "cancel_url": plan.get_absolute_url(),
            "plan": plan,
        },
        status=400 if form.errors else 200,
        page_title=f"New work stream in {plan}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def stream_edit(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    require(access.can_edit_stream(request.user, stream), EDIT_REFUSED)
    prefix = f"stream-{stream.pk}"
    form = WorkStreamEditForm(request.POST or None, instance=stream, prefix=prefix)
    context = {
        "form_id": f"stream-{stream.pk}-form",
        "form_title": f"Edit the stream “{stream}”",
        "action": reverse("workplans:stream_edit", args=[stream.pk]),
        "hx_target": f"#stream-{stream.pk}",
        "submit_label": "Save the stream",
        "cancel_url": stream.get_absolute_url(),
        "cancel_hx": reverse("workplans:stream_partial", args=[stream.pk]),
        "plan": stream.workplan,
    }
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        try:
            services.stream_update(stream=stream, revision=form.cleaned_data["revision"], values=values)
        except services.EditConflict as conflict:
            form = _rebind_on_conflict(WorkStreamEditForm, request, conflict.current, prefix=prefix)
            context.update(conflict=conflict, conflict_rows=_conflict_rows(form, conflict.current, list(values)))
            return _form_response(request, {**context, "form": form}, status=409, page_title="Edit a work stream")
        messages.success(request, "The stream is saved.")
        return _render_stream(request, stream.pk) if request.htmx else redirect(stream.get_absolute_url())
    return _form_response(
        request, {**context, "form": form}, status=400 if form.errors else 200, page_title="Edit a work stream"
    )


def _move_direction(request) -> str | None:
    direction = request.POST.get("direction")
    return direction if direction in {"up", "down"} else None


@login_required
@require_POST
def stream_move(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    require(access.can_edit_workplan(request.user, stream.workplan), "Only the plan's editors reorder its streams.")
    direction = _move_direction(request)
    if direction is None:
        return HttpResponse("Say whether to move the stream up or down.", status=400)
    if services.stream_move(stream=stream, direction=direction):
        messages.success(request, f"“{stream}” moved {direction}.")
    else:
        messages.info(request, f"“{stream}” is already at the {'top' if direction == 'up' else 'bottom'}.")
    return _render_streams(request, stream.workplan) if request.htmx else redirect(stream.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def stream_remove(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    plan = stream.workplan
    require(access.can_edit_workplan(request.user, plan), "Only the plan's editors remove its streams.")
    return _remove(
        request,
        obj=stream,
        what=f"the work stream “{stream}”, its {stream.outputs.count()} output(s) and their activities",
        action=reverse("workplans:stream_remove", args=[stream.pk]),
        cancel_url=stream.get_absolute_url(),
        hx_target="#streams",
        on_confirm=lambda: services.stream_remove(stream=stream),
        after=lambda: _render_streams(request, plan) if request.htmx else redirect(plan),
        form_id=f"stream-{stream.pk}-remove",
        cancel_hx=reverse("workplans:stream_partial", args=[stream.pk]),
        cancel_target=f"#stream-{stream.pk}",
    )


def _remove(
    request,
    *,
    obj,
    what,
    action,
    cancel_url,
    hx_target,
    on_confirm,
    after,
    form_id,
    cancel_hx=None,
    row_id=None,
    cancel_target=None,
):
    """Ask first (a form to submit), remove on the confirmed POST."""
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        on_confirm()
        messages.success(request, f"Removed {what.split(',')[0]}.")
        return after()
    context = {
        "what": what,
        "form": form,
        "form_id": form_id,
        "action": action,
        "hx_target": hx_target,
        "cancel_url": cancel_url,
        "cancel_hx": cancel_hx,
        "cancel_target": cancel_target or hx_target,
        "row_id": row_id if request.method == "GET" else None,
    }
    if request.htmx:
        response = render(request, "workplans/_remove_confirm.html", context)
        if request.method == "POST":
            retarget(response, f"#{form_id}")
            reswap(response, "outerHTML")
        return response
    return render(request, "workplans/remove_page.html", context)


# -- outputs ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def output_partial(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    if not request.htmx:
        return redirect(output.get_absolute_url())
    return _render_output(request, output.pk)


@login_required
@require_http_methods(["GET", "POST"])
def output_add(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    require(access.can_edit_stream(request.user, stream), EDIT_REFUSED)
    form = OutputCreateForm(request.POST or None, plan=stream.workplan, prefix=f"new-output-{stream.pk}")
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "token"}
        output, created = services.output_create(stream=stream, values=values, token=form.cleaned_data["token"])
        messages.success(request, f"Output “{output}” added." if created else "This output was already added.")
        return _render_stream(request, stream.pk) if request.htmx else redirect(output.get_absolute_url())
    return _form_response(
        request,
        {
            "form": form,
            "form_id": f"stream-{stream.pk}-new-output-form",
            "form_title": f"New output in “{stream}”",
            "action": reverse("workplans:output_add", args=[stream.pk]),
            "hx_target": f"#stream-{stream.pk}",
            "submit_label": "Add the output",
            "cancel_url": stream.get_absolute_url(),
            "cancel_hx": reverse("workplans:stream_partial", args=[stream.pk]),
            "plan": stream.workplan,
        },
        status=400 if form.errors else 200,
        page_title=f"New output in {stream}",
    )


@login_required
@require_http_methods(["GET", "POST"])
def output_edit(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    stream = output.stream
    require(access.can_edit_stream(request.user, stream), EDIT_REFUSED)
    prefix = f"output-{output.pk}"
    form = OutputEditForm(request.POST or None, instance=output, plan=stream.workplan, prefix=prefix)
    context = {
        "form_id": f"output-{output.pk}-form",
        "form_title": f"Edit “{output}”",
        "action": reverse("workplans:output_edit", args=[output.pk]),
        "hx_target": f"#stream-{stream.pk}",
        "submit_label": "Save the output",
        "cancel_url": output.get_absolute_url(),
        "cancel_hx": reverse("workplans:stream_partial", args=[stream.pk]),
        "cancel_target": f"#stream-{stream.pk}",
        "plan": stream.workplan,
    }
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        try:
            services.output_update(output=output, revision=form.cleaned_data["revision"], values=values)
        except services.EditConflict as conflict:
            form = _rebind_on_conflict(OutputEditForm, request, conflict.current, plan=stream.workplan, prefix=prefix)
            context.update(conflict=conflict, conflict_rows=_conflict_rows(form, conflict.current, list(values)))
            return _form_response(request, {**context, "form": form}, status=409, page_title="Edit an output")
        messages.success(request, "The output is saved.")
        return _render_stream(request, stream.pk) if request.htmx else redirect(output.get_absolute_url())
    return _form_response(
        request, {**context, "form": form}, status=400 if form.errors else 200, page_title="Edit an output"
    )


@login_required
@require_POST
def output_move(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    require(access.can_edit_stream(request.user, output.stream), EDIT_REFUSED)
    direction = _move_direction(request)
    if direction is None:
        return HttpResponse("Say whether to move the output up or down.", status=400)
    if services.output_move(output=output, direction=direction):
        messages.success(request, f"“{output}” moved {direction}.")
    else:
        messages.info(request, f"“{output}” is already the {'first' if direction == 'up' else 'last'} of its year.")
    return _render_stream(request, output.stream_id) if request.htmx else redirect(output.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def output_remove(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    stream = output.stream
    require(access.can_edit_stream(request.user, stream), EDIT_REFUSED)
    return _remove(
        request,
        obj=output,
        what=f"the output “{output}”, with its {output.activities.count()} activity(ies)",
        action=reverse("workplans:output_remove", args=[output.pk]),
        cancel_url=output.get_absolute_url(),
        hx_target=f"#stream-{stream.pk}",
        on_confirm=lambda: services.output_remove(output=output),
        after=lambda: _render_stream(request, stream.pk) if request.htmx else redirect(stream.get_absolute_url()),
        form_id=f"output-{output.pk}-remove",
        cancel_hx=reverse("workplans:stream_partial", args=[stream.pk]),
    )


# -- activities ---------------------------------------------------------------------------------------------------


def _timeframe_reading(text: str, year: int | None):
    text = (text or "").strip()
    return read_timeframe(text, default_year=year) if text else None


@login_required
@require_GET
def timeframe_reading(request):
    """The reading of a timeframe as it is typed (the editor asks as people type)."""
    text = next((value for key, value in request.GET.items() if key.endswith("timeframe")), "")
    year = request.GET.get("year") or ""
    reading = _timeframe_reading(text[:250], int(year) if year.isdigit() and len(year) == 4 else None)
    return render(request, "workplans/_timeframe_reading.html", {"reading": reading})


@login_required
@require_http_methods(["GET", "POST"])
def activity_add(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    require(access.can_edit_stream(request.user, output.stream), EDIT_REFUSED)
    initial = {"number": f"{output.number.removeprefix('Output ').strip() or '1'}.{output.activities.count() + 1}"}
    form = ActivityCreateForm(request.POST or None, output=output, prefix=f"new-activity-{output.pk}", initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        activity, created = services.activity_create(
            output=output,
            values=form.model_values(),
            lead_agencies=list(data["lead_agencies"]),
            partners=list(data["partners"]),
            user=request.user,
            token=data["token"],
        )
        messages.success(
            request, f"Activity {activity.number} added." if created else "This activity was already added."
        )
        return _render_output(request, output.pk) if request.htmx else redirect(_activity_anchor(activity))
    return _form_response(
        request,
        {
            "form": form,
            "activity_form": True,
            "reading": _timeframe_reading(form["timeframe"].value(), output.year),
            "form_id": f"output-{output.pk}-new-activity-form",
            "form_title": f"New activity in “{output}”",
            "action": reverse("workplans:activity_add", args=[output.pk]),
            "hx_target": f"#output-{output.pk}",
            "submit_label": "Save the activity",
            "cancel_url": output.get_absolute_url(),
            "cancel_hx": reverse("workplans:output_partial", args=[output.pk]),
            "plan": output.stream.workplan,
        },
        status=400 if form.errors else 200,
        page_title=f"New activity in {output}",
    )


def _activity_anchor(activity: Activity) -> str:
    return f"{activity.output.stream.workplan.get_absolute_url()}#activity-{activity.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    output = activity.output
    require(access.can_edit_activity(request.user, activity), EDIT_REFUSED)
    prefix = f"activity-{activity.pk}"
    form = ActivityEditForm(request.POST or None, instance=activity, output=output, prefix=prefix)
    context = {
        "activity_form": True,
        "form_id": f"activity-{activity.pk}-form",
        "form_title": f"Edit activity {activity.number}",
        "action": reverse("workplans:activity_edit", args=[activity.pk]),
        "hx_target": f"#output-{output.pk}",
        "submit_label": "Save the activity",
        "cancel_url": _activity_anchor(activity),
        "cancel_hx": reverse("workplans:output_partial", args=[output.pk]),
        "cancel_target": f"#output-{output.pk}",
        "plan": output.stream.workplan,
        "in_row": request.htmx and request.method == "GET",
        "row_id": f"activity-{activity.pk}",
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_update(
                activity=activity,
                revision=data["revision"],
                values=form.model_values(),
                lead_agencies=list(data["lead_agencies"]),
                partners=list(data["partners"]),
                user=request.user,
            )
        except services.EditConflict as conflict:
            current = conflict.current
            form = _rebind_on_conflict(ActivityEditForm, request, current, output=output, prefix=prefix)
            mine = {**form.model_values(), **{k: form.cleaned_data[k] for k in ("lead_agencies", "partners")}}
            context.update(
                conflict=conflict, conflict_rows=_conflict_rows(form, current, ActivityEditForm.Meta.fields, mine)
            )
            context["reading"] = _timeframe_reading(form["timeframe"].value(), output.year)
            return _form_response(request, {**context, "form": form}, status=409, page_title="Edit an activity")
        messages.success(request, f"Activity {data['number'] or activity.pk} is saved.")
        return _render_output(request, output.pk) if request.htmx else redirect(_activity_anchor(activity))
    context["reading"] = _timeframe_reading(form["timeframe"].value(), output.year)
    return _form_response(
        request, {**context, "form": form}, status=400 if form.errors else 200, page_title="Edit an activity"
    )


@login_required
@require_POST
def activity_move(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    require(access.can_edit_activity(request.user, activity), EDIT_REFUSED)
    direction = _move_direction(request)
    if direction is None:
        return HttpResponse("Say whether to move the activity up or down.", status=400)
    label = activity.number or activity.description[:40]
    if services.activity_move(activity=activity, direction=direction):
        messages.success(request, f"Activity {label} moved {direction}.")
    else:
        messages.info(request, f"Activity {label} is already the {'first' if direction == 'up' else 'last'}.")
    return _render_output(request, activity.output_id) if request.htmx else redirect(_activity_anchor(activity))


@login_required
@require_http_methods(["GET", "POST"])
def activity_remove(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    output = activity.output
    require(access.can_edit_activity(request.user, activity), EDIT_REFUSED)
    return _remove(
        request,
        obj=activity,
        what=f"activity {activity.number} “{activity.description[:80]}”, with its {activity.updates.count()} update(s)",
        action=reverse("workplans:activity_remove", args=[activity.pk]),
        cancel_url=_activity_anchor(activity),
        hx_target=f"#output-{output.pk}",
        on_confirm=lambda: services.activity_remove(activity=activity, user=request.user),
        after=lambda: _render_output(request, output.pk) if request.htmx else redirect(output.get_absolute_url()),
        form_id=f"activity-{activity.pk}-remove",
        cancel_hx=reverse("workplans:output_partial", args=[output.pk]),
        row_id=f"activity-{activity.pk}",
    )


@login_required
@require_GET
def activity_detail(request, pk: int):
    try:
        activity = selectors.activity_for_page(pk)
    except Activity.DoesNotExist:
        raise Http404("No activity has this number.") from None
    return render(
        request,
        "workplans/activity_detail.html",
        {
            "activity": activity,
            "plan": activity.output.stream.workplan,
            "history": selectors.activity_history(activity),
            "can_edit": access.can_edit_activity(request.user, activity),
            "can_report": access.can_report_on(request.user, activity),
            "can_review": access.can_review_updates(request.user),
            "review_form": UpdateReviewForm(),
            "my_agency_id": request.user.agency_id,
            "overdue": activity.is_overdue_on(timezone.localdate()),
        },
    )


# -- progress updates ---------------------------------------------------------------------------------------------

REPORT_REFUSED = (
    "Only a focal point of an agency that leads or takes part in this activity (or the support team) reports on it."
)


@login_required
@require_http_methods(["GET", "POST"])
def activity_report(request, pk: int):
    """A focal point files a progress update; the agency comes from the person, never from the form."""
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    require(access.can_report_on(request.user, activity), REPORT_REFUSED)
    agencies = None
    if access.is_support(request.user):
        agencies = (
            Agency.objects.filter(
                pk__in=[a.pk for a in activity.lead_agencies.all()] + [a.pk for a in activity.partners.all()]
            )
            or Agency.objects.all()
        )
        agencies = agencies.order_by("acronym")
    form = ActivityUpdateForm(
        request.POST or None, request.FILES or None, agencies=agencies, initial={"status": activity.status}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agency = data["agency"] if agencies is not None else request.user.agency
        update, created = services.activity_update_submit(
            activity=activity,
            author=request.user,
            agency=agency,
            status=data["status"],
            narrative=data["narrative"],
            links=data["links"],
            files=data["files"],
            token=data["token"],
        )
        messages.success(
            request,
            "Your update is filed; the support team will review it." if created else "This update was already filed.",
        )
        return redirect(update.get_absolute_url())
    return render(
        request,
        "workplans/update_form.html",
        {
            "activity": activity,
            "form": form,
            "updates": activity.updates.select_related("agency", "author").prefetch_related("attachments"),
            "page_title": f"Report progress on activity {activity.number}",
            "action": reverse("workplans:activity_report", args=[activity.pk]),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_resubmit(request, pk: int):
    update = get_object_or_404(ActivityUpdate.objects.select_related("activity__output__stream__workplan"), pk=pk)
    require(access.can_change_update(request.user, update), "Only the agency that filed this update changes it.")
    if update.review != ActivityUpdate.Review.RETURNED:
        messages.info(request, "This update is not returned for changes; there is nothing to resubmit.")
        return redirect(update.get_absolute_url())
    initial = {
        "status": update.status,
        "narrative": update.narrative,
        "links": "\n".join(a.url for a in update.attachments.all() if a.url),
    }
    form = ActivityUpdateResubmitForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        known = {a.url for a in update.attachments.all() if a.url}
        try:
            services.activity_update_resubmit(
                update=update,
                author=request.user,
                status=data["status"],
                narrative=data["narrative"],
                links=[link for link in data["links"] if link not in known],
                files=data["files"],
            )
        except services.ReviewConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(request, "Your update is resubmitted for review.")
        return redirect(update.get_absolute_url())
    return render(
        request,
        "workplans/update_form.html",
        {
            "activity": update.activity,
            "form": form,
            "returned": update,
            "page_title": f"Answer the returned update on activity {update.activity.number}",
            "action": reverse("workplans:update_resubmit", args=[update.pk]),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_review(request, pk: int):
    update = get_object_or_404(ActivityUpdate.objects.select_related("activity", "agency"), pk=pk)
    require(access.can_review_updates(request.user), "Only the support team accepts or returns updates.")
    form = UpdateReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.activity_update_review(
                update=update, accept=accept, comment=form.cleaned_data["comment"], reviewer=request.user
            )
        except services.ReviewConflict as conflict:
            messages.error(request, str(conflict))
        else:
            messages.success(
                request, f"{update.agency}'s update {'accepted' if accept else 'returned with your comment'}."
            )
        return redirect(_safe_next(request, update.get_absolute_url()))
    return render(
        request,
        "workplans/review_page.html",
        {"update": update, "form": form, "next": _safe_next(request, update.get_absolute_url())},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def attachment_download(request, pk: int):
    attachment = get_object_or_404(UpdateAttachment, pk=pk)
    if attachment.is_link:
        return redirect(attachment.url)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("This file is no longer stored.") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.file_name or attachment.file.name)


@login_required
@require_GET
def my_activities(request):
    """ "My agency's activities": what the person's agency leads or takes part in, filterable."""
    agency = request.user.agency
    if agency is None:
        return render(request, "workplans/my_activities.html", {"agency": None}, status=200)
    involving = Activity.objects.filter(pk__in=Activity.objects.involving(agency).values("pk"))
    activities = selectors.activities_for_tables(involving).order_by(
        "output__stream__workplan__starts_on",
        "output__stream__workplan_id",
        "output__stream__position",
        "output__year",
        "output__position",
        "position",
    )
    activity_filter = ActivityFilter(request.GET or None, queryset=activities)
    rows = list(activity_filter.qs)
    today = timezone.localdate()
    can_report = request.user.role == Person.Role.FOCAL_POINT or access.is_support(request.user)
    for activity in rows:
        activity.led = any(a.pk == agency.pk for a in activity.lead_agencies.all())
        activity.overdue = activity.is_overdue_on(today)
    return render(
        request,
        "workplans/my_activities.html",
        {"agency": agency, "filter": activity_filter, "activities": rows, "can_report": can_report},
    )


# -- versions -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def version_list(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)
    can_publish = access.can_publish_version(request.user, plan)
    form = None
    status = 200
    if request.method == "POST":
        require(can_publish, "Only the plan's editors publish its versions.")
        form = VersionPublishForm(request.POST, plan=plan)
        if form.is_valid():
            version, created = services.version_publish(
                plan=plan,
                label=form.cleaned_data["label"],
                dated=form.cleaned_data["dated"],
                user=request.user,
                token=form.cleaned_data["token"],
            )
            messages.success(
                request, f"Version “{version.label}” published." if created else "This version was already published."
            )
            return redirect("workplans:version_list", slug=plan.slug)
        status = 400
    elif can_publish:
        form = VersionPublishForm(plan=plan, initial={"dated": timezone.localdate().isoformat()})
    versions = plan.versions.select_related("published_by").order_by("-dated", "-published_at")
    return render(
        request,
        "workplans/version_list.html",
        {"plan": plan, "versions": versions, "form": form, "can_publish": can_publish},
        status=status,
    )


def _version_choice(plan: WorkPlan, value: str | None):
    """A version of the plan by id, or the plan as it stands ("current"); None when the choice is not valid."""
    if value == "current":
        return {"label": "The plan as it stands", "snapshot": services.workplan_snapshot(plan)}
    if value and value.isdigit():
        version = plan.versions.filter(pk=int(value)).first()
        if version is not None:
            return {"label": version.label, "snapshot": version.snapshot, "version": version}
    return None


@login_required
@require_GET
def version_compare(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)
    versions = plan.versions.order_by("dated", "published_at")
    before = _version_choice(plan, request.GET.get("before"))
    after = _version_choice(plan, request.GET.get("after"))
    error = ""
    comparison = None
    if before is None or after is None:
        error = "Choose two versions of this plan to compare (or the plan as it stands)."
    else:
        empty = [v["label"] for v in (before, after) if not v["snapshot"].get("activities") and "version" in v]
        if empty:
            error = (
                f"“{empty[0]}” was recorded from the documents without the plan's contents, so it cannot be "
                "compared; compare versions published in the portal."
            )
        else:
            comparison = services.versions_compare(before["snapshot"], after["snapshot"])
    return render(
        request,
        "workplans/version_compare.html",
        {
            "plan": plan,
            "versions": versions,
            "before": before,
            "after": after,
            "selected_before": request.GET.get("before", ""),
            "selected_after": request.GET.get("after", ""),
            "comparison": comparison,
            "error": error,
        },
        status=400 if error and request.GET else 200,
    )


# -- reporting rounds ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request):
    rounds = ReportingRound.objects.select_related("workplan", "opened_by")
    return render(
        request,
        "workplans/round_list.html",
        {"rounds": rounds, "can_open": access.can_open_reporting_round(request.user), "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require(access.can_open_reporting_round(request.user), "Only the support team opens reporting rounds.")
    form = ReportingRoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round = services.reporting_round_open(user=request.user, **form.cleaned_data)
        messages.success(request, f"Reporting round “{round}” opened; updates are due on {round.due_on:%-d %B %Y}.")
        return redirect(round)
    return render(
        request,
        "workplans/form_page.html",
        {
            "page_title": "Open a reporting round",
            "form": form,
            "form_id": "round-form",
            "action": reverse("workplans:round_create"),
            "submit_label": "Open the round",
            "cancel_url": reverse("workplans:round_list"),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def round_detail(request, pk: int):
    round = get_object_or_404(ReportingRound.objects.select_related("workplan"), pk=pk)
    rows = selectors.reporting_round_overview(round)
    missing: dict[int, dict] = {}
    reported = []
    for row in rows:
        for agency, update in row["leads"]:
            if update is None:
                missing.setdefault(agency.pk, {"agency": agency, "activities": []})["activities"].append(
                    row["activity"]
                )
            else:
                reported.append(update)
    pending = [u for u in reported if u.review == ActivityUpdate.Review.SUBMITTED]
    return render(
        request,
        "workplans/round_detail.html",
        {
            "round": round,
            "rows": rows,
            "missing": sorted(missing.values(), key=lambda m: (m["agency"].sort_name, m["agency"].acronym)),
            "pending": pending,
            "can_review": access.can_review_updates(request.user),
            "review_form": UpdateReviewForm(),
            "today": timezone.localdate(),
        },
    )
