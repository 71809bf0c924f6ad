"""Pages of the work plans: the plans and their editor, versions, progress updates and reporting rounds.

Views parse the request, check the permission in `gmg_portal.access` (a refusal is a 403 page with the reason),
call a service and render. Every form works as a plain POST; with htmx the editor swaps partials in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from gmg_portal import access, record_version
from gmg_portal.access import require
from gmg_portal.as_of import as_of_day, as_of_given
from gmg_portal.audit import record_history
from gmg_portal.forms_flow import command_flow, finished, form_flow, form_values
from gmg_portal.pagination import paginate
from groups.models import Person
from workplans import selectors, services
from workplans.filters import ActivityFilter
from workplans.forms import (
    ActivityCreateForm,
    ActivityEditForm,
    ActivityUpdateForm,
    ActivityUpdateResubmitForm,
    MoveForm,
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


def plan_tree_flags(request, plan: WorkPlan) -> None:
    """Mark what the person may do on each stream and activity, from prefetched rows (no query per row).

    A stream left closed (`stream.closed`, on the big plan page) only gets its own flag: its outputs are not read.
    """
    editable = selectors.streams_editable_by(request.user, plan)
    agency_id = request.user.agency_id if request.user.role == Person.Role.FOCAL_POINT else None
    support = access.is_support(request.user)
    for stream in plan.streams.all():
        if getattr(stream, "closed", False):
            stream.editable = stream.pk in editable
        else:
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
    plan_tree_flags(request, plan)
    return render(
        request,
        "workplans/_streams.html",
        {"plan": plan, "can_edit_plan": access.can_edit_workplan(request.user, plan), "oob_messages": True},
    )


def _form_response(
    request, context: dict, *, status: int = 200, page_title: str = "", templates=("_form.html", "form_page.html")
) -> HttpResponse:
    """The form alone for htmx (swapped in place of itself on errors), or a whole page without JavaScript.

    The form posts back to the address that drew it.
    """
    context = {"action": request.path, **context}
    if request.htmx:
        response = render(request, f"workplans/{templates[0]}", context, status=status)
        if request.method == "POST":
            retarget(response, f"#{context['form_id']}")
            reswap(response, "outerHTML")
        return response
    return render(request, f"workplans/{templates[1]}", {**context, "page_title": page_title}, status=status)


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


# -- the editor's one way to write: in a part of the plan (its streams, a stream, an output), redrawn in place ----


def _may_edit(request, part: WorkPlan | WorkStream | Output) -> tuple[bool, str]:
    """Who writes in a part: the plan's editors in its streams; whoever keeps a stream in its outputs and activities."""
    if isinstance(part, WorkPlan):
        return access.can_edit_workplan(request.user, part), EDIT_REFUSED
    return access.can_edit_stream(request.user, part if isinstance(part, WorkStream) else part.stream), EDIT_REFUSED


def _redraw(request, part: WorkPlan | WorkStream | Output) -> HttpResponse:
    """The part of the editor a write changed, drawn again for htmx to swap in place."""
    if isinstance(part, WorkPlan):
        return _render_streams(request, part)
    return (_render_stream if isinstance(part, WorkStream) else _render_output)(request, part.pk)


def _part(part: WorkPlan | WorkStream | Output) -> dict:
    """Where an editor's form sits (its target) and what its Cancel draws again."""
    if isinstance(part, WorkPlan):
        return {"hx_target": "#streams", "plan": part, "cancel_url": part.get_absolute_url()}
    kind = "stream" if isinstance(part, WorkStream) else "output"
    plan = part.workplan if kind == "stream" else part.stream.workplan
    cancel_hx = reverse(f"workplans:{kind}_partial", args=[part.pk])
    return {
        "hx_target": f"#{kind}-{part.pk}",
        "cancel_hx": cancel_hx,
        "cancel_url": part.get_absolute_url(),
        "plan": plan,
    }


def _editor_form(
    request, *, part, page_title: str, context: dict, save, timeframe_year: int | None = None, **flow
) -> HttpResponse:
    """An editor's form through the one form flow, in `part`: the form alone in place under htmx, a whole page
    without. `save(form)` writes through the service and gives (where to land, the message).

    An activity's form (`timeframe_year`) shows how its timeframe reads, as it does while typed.
    """

    def render_form(page: dict, status: int) -> HttpResponse:
        if timeframe_year is not None:  # an activity's form: its fields in their own layout
            page["activity_form"] = True
            page["reading"] = _timeframe_reading(page["form"]["timeframe"].value(), timeframe_year)
        return _form_response(request, page, status=status, page_title=page_title)

    return form_flow(
        request,
        access=_may_edit(request, part),
        context={**_part(part), **context},
        render_form=render_form,
        save=lambda form: finished(request, *save(form), partial=lambda: _redraw(request, part)),
        **flow,
    )


def _move(request, *, part, label: str, move, to) -> HttpResponse:
    """A move button of the editor: one step up or down among its siblings in `part`, then `part` drawn again."""

    def run(form):
        direction = form.cleaned_data["direction"]
        partial = lambda: _redraw(request, part)  # noqa: E731
        if move(direction):
            return finished(request, to, f"{label} moved {direction}.", partial=partial)
        end = "first" if direction == "up" else "last"
        return finished(request, to, f"{label} is already the {end}.", level=messages.INFO, partial=partial)

    return command_flow(request, access=_may_edit(request, part), form_class=MoveForm, run=run)


def _remove(request, *, part, what: str, on_confirm, to, **context) -> HttpResponse:
    """Ask first (a form to submit), remove on the confirmed POST, then `part` drawn again; in place under htmx."""

    def save(form):
        on_confirm()
        return finished(request, to, f"Removed {what.split(',')[0]}.", partial=lambda: _redraw(request, part))

    context = {**_part(part), **context}
    context.setdefault("cancel_target", context["hx_target"])
    if request.method != "GET":
        context.pop("row_id", None)  # the confirmation opens in the row; a refused one is swapped for itself
    return form_flow(
        request,
        access=_may_edit(request, part),
        form_class=RemoveForm,
        context={**context, "what": what},
        render_form=lambda page, status: _form_response(
            request, page, status=status, templates=("_remove_confirm.html", "remove_page.html")
        ),
        save=save,
    )


# -- plans --------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def workplan_list(request):
    def make_listing() -> str:
        listing = paginate(request, selectors.workplan_list().order_by("-starts_on", "title", "pk"))
        return render_to_string("workplans/_workplan_listing.html", {"plans": listing.rows, "listing": listing})

    # The page of plans with their counts is the same for every reader: kept while the record does not change
    # (gmg_portal.record_version); counting each plan's activities is what grows with the record.
    listing = record_version.kept("workplan_list", (sorted(request.GET.lists()),), make_listing)
    return render(
        request,
        "workplans/workplan_list.html",
        {
            "listing_html": mark_safe(listing),  # the listing template's own output
            "can_create": access.can_create_workplan(request.user),
        },
    )


@login_required
@require_GET
def workplan_detail(request, slug: str):
    """A plan with its streams, outputs and activities. A big plan opens stream by stream (`?stream=ID`, or in
    place with htmx); `?all=1` shows it whole, for printing."""
    try:
        page = selectors.workplan_page(slug, whole=request.GET.get("all") == "1", stream=request.GET.get("stream", ""))
    except WorkPlan.DoesNotExist:
        raise Http404("No work plan has this address.") from None
    plan = page["plan"]
    plan_tree_flags(request, plan)
    return render(
        request,
        "workplans/workplan_detail.html",
        {
            **page,
            "can_edit_plan": access.can_edit_workplan(request.user, plan),
            "can_create": access.can_create_workplan(request.user),
            "history": selectors.workplan_history(plan),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def workplan_create(request):
    def save(form):
        plan, created = services.workplan_create(values=form_values(form), token=form.cleaned_data["token"])
        return finished(
            request, plan, f"Work plan “{plan}” created." if created else "This work plan was already created."
        )

    return form_flow(
        request,
        access=(access.can_create_workplan(request.user), "Only the support team creates work plans."),
        form_class=WorkPlanCreateForm,
        template="workplans/form_page.html",
        context={
            "page_title": "New work plan",
            "form_id": "workplan-form",
            "action": reverse("workplans:workplan_create"),
            "submit_label": "Create the work plan",
            "cancel_url": reverse("workplans:workplan_list"),
        },
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def workplan_edit(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)

    def save(form):
        saved = services.workplan_update(plan=plan, revision=form.cleaned_data["revision"], values=form_values(form))
        return finished(request, saved, "The plan is saved.")

    return form_flow(
        request,
        access=(access.can_edit_workplan(request.user, plan), EDIT_REFUSED),
        form_class=WorkPlanEditForm,
        form_kwargs={"instance": plan},
        template="workplans/form_page.html",
        context={
            "page_title": f"Edit {plan}",
            "form_id": "workplan-form",
            "action": reverse("workplans:workplan_edit", args=[plan.slug]),
            "submit_label": "Save the plan",
            "cancel_url": plan.get_absolute_url(),
        },
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def workplan_copy(request, slug: str):
    source = get_object_or_404(WorkPlan, slug=slug)

    def save(form):
        data = form.cleaned_data
        plan, created = services.workplan_copy_for_next_cycle(
            source=source,
            slug=data["slug"],
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            token=data["token"],
        )
        message = (
            f"“{plan}” starts the next cycle: streams, outputs and activities copied, statuses back to planned."
            if created
            else "This copy was already made."
        )
        return finished(request, plan, message)

    return form_flow(
        request,
        access=(access.can_create_workplan(request.user), "Only the support team starts a new work plan cycle."),
        form_class=WorkPlanCopyForm,
        form_kwargs={"source": source},
        template="workplans/form_page.html",
        context={
            "page_title": f"Start the next cycle from {source}",
            "intro": "The new plan gets this plan's streams, outputs and activities, moved to the new years, "
            "with every status back to planned. Updates and versions stay with this plan.",
            "form_id": "copy-form",
            "action": reverse("workplans:workplan_copy", args=[source.slug]),
            "submit_label": "Copy into a new plan",
            "cancel_url": source.get_absolute_url(),
        },
        save=save,
    )


# -- streams ------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def stream_partial(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    if not request.htmx:
        return redirect(f"{stream.workplan.get_absolute_url()}?stream={stream.pk}#stream-{stream.pk}")
    return _render_stream(request, stream.pk)


@login_required
@require_http_methods(["GET", "POST"])
def stream_add(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)

    def save(form):
        stream, created = services.stream_create(plan=plan, values=form_values(form), token=form.cleaned_data["token"])
        return stream, f"Work stream “{stream}” added." if created else "This stream was already added."

    return _editor_form(
        request,
        part=plan,
        form_class=WorkStreamCreateForm,
        form_kwargs={"prefix": "new-stream"},
        page_title=f"New work stream in {plan}",
        context={"form_id": "new-stream-form", "form_title": "New work stream", "submit_label": "Add the stream"},
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def stream_edit(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)

    def save(form):
        services.stream_update(stream=stream, revision=form.cleaned_data["revision"], values=form_values(form))
        return stream, "The stream is saved."

    return _editor_form(
        request,
        part=stream,
        form_class=WorkStreamEditForm,
        form_kwargs={"instance": stream, "prefix": f"stream-{stream.pk}"},
        page_title="Edit a work stream",
        context={
            "form_id": f"stream-{stream.pk}-form",
            "form_title": f"Edit the stream “{stream}”",
            "submit_label": "Save the stream",
        },
        save=save,
    )


@login_required
@require_POST
def stream_move(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    move = lambda direction: services.stream_move(stream=stream, direction=direction)  # noqa: E731
    return _move(request, part=stream.workplan, label=f"“{stream}”", move=move, to=stream)


@login_required
@require_http_methods(["GET", "POST"])
def stream_remove(request, pk: int):
    stream = get_object_or_404(WorkStream.objects.select_related("workplan"), pk=pk)
    return _remove(
        request,
        part=stream.workplan,
        what=f"the work stream “{stream}”, its {stream.outputs.count()} output(s) and their activities",
        on_confirm=lambda: services.stream_remove(stream=stream),
        to=stream.workplan,
        cancel_url=stream.get_absolute_url(),
        form_id=f"stream-{stream.pk}-remove",
        cancel_hx=reverse("workplans:stream_partial", args=[stream.pk]),
        cancel_target=f"#stream-{stream.pk}",
    )


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

    def save(form):
        output, created = services.output_create(
            stream=stream, values=form_values(form), token=form.cleaned_data["token"]
        )
        return output, f"Output “{output}” added." if created else "This output was already added."

    return _editor_form(
        request,
        part=stream,
        form_class=OutputCreateForm,
        form_kwargs={"plan": stream.workplan, "prefix": f"new-output-{stream.pk}"},
        page_title=f"New output in {stream}",
        context={
            "form_id": f"stream-{stream.pk}-new-output-form",
            "form_title": f"New output in “{stream}”",
            "submit_label": "Add the output",
        },
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def output_edit(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)

    def save(form):
        services.output_update(output=output, revision=form.cleaned_data["revision"], values=form_values(form))
        return output, "The output is saved."

    return _editor_form(
        request,
        part=output.stream,
        form_class=OutputEditForm,
        form_kwargs={"instance": output, "plan": output.stream.workplan, "prefix": f"output-{output.pk}"},
        page_title="Edit an output",
        context={
            "form_id": f"output-{output.pk}-form",
            "form_title": f"Edit “{output}”",
            "submit_label": "Save the output",
            "cancel_url": output.get_absolute_url(),
        },
        save=save,
    )


@login_required
@require_POST
def output_move(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    move = lambda direction: services.output_move(output=output, direction=direction)  # noqa: E731
    return _move(request, part=output.stream, label=f"“{output}”", move=move, to=output)


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
        message = f"Renumbered {changed} activit{'y' if changed == 1 else 'ies'} of “{output}”."
        if not changed:
            message = f"The activities of “{output}” are already numbered in order."
        level = messages.SUCCESS if changed else messages.INFO
        return finished(request, output, message, level=level, partial=lambda: _redraw(request, output))

    return command_flow(request, access=_may_edit(request, output), run=run)


@login_required
@require_http_methods(["GET", "POST"])
def output_remove(request, pk: int):
    output = get_object_or_404(Output.objects.select_related("stream__workplan"), pk=pk)
    return _remove(
        request,
        part=output.stream,
        what=f"the output “{output}”, with its {output.activities.count()} activity(ies)",
        on_confirm=lambda: services.output_remove(output=output),
        to=output.stream,
        cancel_url=output.get_absolute_url(),
        form_id=f"output-{output.pk}-remove",
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
        return _activity_anchor(
            activity
        ), f"Activity {activity.number} added." if created else "This activity was already added."

    return _editor_form(
        request,
        part=output,
        form_class=ActivityCreateForm,
        form_kwargs={
            "output": output,
            "prefix": f"new-activity-{output.pk}",
            "initial": {"number": output.next_activity_number()},
        },
        page_title=f"New activity in {output}",
        timeframe_year=output.year,
        context={
            "form_id": f"output-{output.pk}-new-activity-form",
            "form_title": f"New activity in “{output}”",
            "submit_label": "Save the activity",
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
        return _activity_anchor(activity), f"Activity {data['number'] or activity.pk} is saved."

    return _editor_form(
        request,
        part=output,
        form_class=ActivityEditForm,
        form_kwargs={"instance": activity, "output": output, "prefix": f"activity-{activity.pk}"},
        page_title="Edit an activity",
        timeframe_year=output.year,
        conflict_fields=ActivityEditForm.Meta.fields,
        conflict_values=_activity_values,
        context={
            "form_id": f"activity-{activity.pk}-form",
            "form_title": f"Edit activity {activity.number}",
            "submit_label": "Save the activity",
            "cancel_url": _activity_anchor(activity),
            "in_row": request.htmx and request.method == "GET",
            "row_id": f"activity-{activity.pk}",
        },
        save=save,
    )


@login_required
@require_POST
def activity_move(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    label = f"Activity {activity.number or activity.description[:40]}"
    move = lambda direction: services.activity_move(activity=activity, direction=direction)  # noqa: E731
    return _move(request, part=activity.output, label=label, move=move, to=_activity_anchor(activity))


@login_required
@require_http_methods(["GET", "POST"])
def activity_remove(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("output__stream__workplan"), pk=pk)
    return _remove(
        request,
        part=activity.output,
        what=f"activity {activity.number} “{activity.description[:80]}”, with its {activity.updates.count()} update(s)",
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
            "overdue": activity.is_overdue_on(as_of_day(request)),
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
    agencies = selectors.agencies_reported_for(request.user, activity)

    def save(form):
        data = form.cleaned_data
        update, created = services.activity_update_submit(
            activity=activity,
            author=request.user,
            agency=data["agency"] if agencies is not None else request.user.agency,
            status=data["status"],
            narrative=data["narrative"],
            links=data["links"],
            files=data["files"],
            token=data["token"],
        )
        message = (
            "Your update is filed; the support team will review it." if created else "This update was already filed."
        )
        return finished(request, update, message)

    return form_flow(
        request,
        access=(access.can_report_on(request.user, activity), REPORT_REFUSED),
        form_class=ActivityUpdateForm,
        form_kwargs={"agencies": agencies, "initial": {"status": activity.status}},
        template="workplans/update_form.html",
        context={
            "activity": activity,
            "updates": activity.updates.select_related("agency", "author", "reviewed_by").prefetch_related(
                "attachments"
            ),
            "page_title": f"Report progress on activity {activity.number}",
            "action": reverse("workplans:activity_report", args=[activity.pk]),
            "open_rounds": selectors.reporting_rounds_open_on(as_of_day(request), activity),
        },
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_resubmit(request, pk: int):
    update = get_object_or_404(ActivityUpdate.objects.select_related("activity__output__stream__workplan"), pk=pk)
    require(access.can_change_update(request.user, update), "Only the agency that filed this update changes it.")
    if update.review != ActivityUpdate.Review.RETURNED:
        return finished(
            request,
            update,
            "This update is not returned for changes; there is nothing to resubmit.",
            level=messages.INFO,
        )
    known = [a.url for a in update.attachments.all() if a.url]

    def save(form):
        data = form.cleaned_data
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
            return finished(request, update, str(conflict), level=messages.ERROR)
        return finished(request, update, "Your update is resubmitted for review.")

    return form_flow(
        request,
        form_class=ActivityUpdateResubmitForm,
        form_kwargs={"initial": {"status": update.status, "narrative": update.narrative, "links": "\n".join(known)}},
        template="workplans/update_form.html",
        context={
            "activity": update.activity,
            "returned": update,
            "page_title": f"Answer the returned update on activity {update.activity.number}",
            "action": reverse("workplans:update_resubmit", args=[update.pk]),
            "open_rounds": selectors.reporting_rounds_open_on(as_of_day(request), update.activity),
        },
        save=save,
    )


@login_required
@require_http_methods(["GET", "POST"])
def update_review(request, pk: int):
    update = get_object_or_404(ActivityUpdate.objects.select_related("activity", "agency"), pk=pk)
    back = _safe_next(request, update.get_absolute_url())

    def save(form):
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.activity_update_review(
                update=update, accept=accept, comment=form.cleaned_data["comment"], reviewer=request.user
            )
        except services.ReviewConflict as conflict:
            return finished(request, back, str(conflict), level=messages.ERROR)
        return finished(
            request, back, f"{update.agency}'s update {'accepted' if accept else 'returned with your comment'}."
        )

    return form_flow(
        request,
        access=(access.can_review_updates(request.user), "Only the support team accepts or returns updates."),
        form_class=UpdateReviewForm,
        template="workplans/review_page.html",
        context={"update": update, "next": back},
        save=save,
    )


@login_required
@require_GET
def attachment_download(request, pk: int):
    attachment = get_object_or_404(UpdateAttachment.objects.select_related("update__activity"), pk=pk)
    if attachment.is_link:
        # A focal point typed the address: show it before leaving the portal, never redirect blindly.
        scheme = attachment.url.split(":", 1)[0].lower()
        return render(
            request,
            "workplans/leaving.html",
            {
                "attachment": attachment,
                "followable": scheme in {"http", "https"},
                "activity": attachment.update.activity,
            },
        )
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
    today = as_of_day(request)
    can_report = request.user.role == Person.Role.FOCAL_POINT or access.is_support(request.user)

    def make_listing() -> str:
        activities = Activity.objects.involving(agency).in_plan_order()
        open_rounds = selectors.reporting_rounds_open_on(today)
        activity_filter = ActivityFilter(
            request.GET or None, queryset=activities, day=today, agency=agency, rounds=open_rounds
        )
        # The page's ids come in plan order from the stored key's index; only the rows shown are then read.
        listing = paginate(
            request,
            activity_filter.qs,
            read=lambda pks: selectors.agency_activity_rows(pks, agency=agency, day=today),
            count=None if activity_filter.narrows else lambda: selectors.involving_count(agency),
        )
        context = {
            "agency": agency,
            "filter": activity_filter,
            "activities": listing.rows,
            "listing": listing,
            "can_report": can_report,
            "open_rounds": open_rounds,
            "as_of": as_of_given(request),
        }
        return render_to_string("workplans/_my_activities_listing.html", context)

    # The same for everyone of the agency who may report (the rows, the filters, the rounds open on the day): kept
    # while the record does not change (gmg_portal.record_version).
    parts = (agency.pk, can_report, today, as_of_given(request), sorted(request.GET.lists()))
    listing = record_version.kept("my_activities", parts, make_listing)
    return render(
        request, "workplans/my_activities.html", {"agency": agency, "listing_html": mark_safe(listing)}
    )


# -- versions -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def version_list(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)
    can_publish = access.can_publish_version(request.user, plan)

    def save(form):
        version, created = services.version_publish(
            plan=plan,
            label=form.cleaned_data["label"],
            dated=form.cleaned_data["dated"],
            user=request.user,
            token=form.cleaned_data["token"],
        )
        message = f"Version “{version.label}” published." if created else "This version was already published."
        return finished(request, reverse("workplans:version_list", args=[plan.slug]), message)

    return form_flow(
        request,
        access=(can_publish, "Only the plan's editors publish its versions.") if request.method == "POST" else None,
        form_class=VersionPublishForm,
        form_kwargs={"plan": plan, "initial": {"dated": timezone.localdate().isoformat()}},
        context={
            "plan": plan,
            "versions": plan.versions.select_related("published_by").order_by("-dated", "-published_at"),
            "can_publish": can_publish,
        },
        template="workplans/version_list.html",
        save=save,
    )


@login_required
@require_GET
def version_compare(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)
    compared = selectors.version_comparison(plan, request.GET.get("before"), request.GET.get("after"))
    return render(
        request,
        "workplans/version_compare.html",
        {
            "plan": plan,
            "versions": plan.versions.order_by("dated", "published_at"),
            **compared,
            "selected_before": request.GET.get("before", ""),
            "selected_after": request.GET.get("after", ""),
        },
        status=400 if compared["error"] and request.GET else 200,
    )


# -- reporting rounds ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request):
    listing = paginate(request, ReportingRound.objects.select_related("workplan", "opened_by"))
    return render(
        request,
        "workplans/round_list.html",
        {
            "rounds": listing.rows,
            "listing": listing,
            "can_open": access.can_open_reporting_round(request.user),
            "today": as_of_day(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    def save(form):
        values = form_values(form)
        round, created = services.reporting_round_open(user=request.user, token=form.cleaned_data["token"], **values)
        message = (
            f"Reporting round “{round}” opened; updates are due on {round.due_on:%-d %B %Y}."
            if created
            else "This reporting round was already opened."
        )
        return finished(request, round, message)

    return form_flow(
        request,
        access=(access.can_open_reporting_round(request.user), "Only the support team opens reporting rounds."),
        form_class=ReportingRoundForm,
        template="workplans/form_page.html",
        context={
            "page_title": "Open a reporting round",
            "form_id": "round-form",
            "action": reverse("workplans:round_create"),
            "submit_label": "Open the round",
            "cancel_url": reverse("workplans:round_list"),
        },
        save=save,
    )


@login_required
@require_GET
def round_detail(request, pk: int):
    round = get_object_or_404(ReportingRound.objects.select_related("workplan"), pk=pk)

    def make_overview() -> dict:
        rows, waiting = selectors.reporting_round_overview(round)
        missing_list = selectors.reporting_round_missing_agencies(rows)
        return {
            "activity_pks": [row["activity"]["pk"] for row in rows],
            "waiting": waiting,
            "missing_count": len(missing_list),
            "missing_html": render_to_string("workplans/_round_missing.html", {"missing": missing_list}),
            "scope_html": render_to_string("workplans/_round_scope.html", {"rows": rows}),
        }

    # Who has answered for what in the round depends on the record alone: kept while it does not change
    # (gmg_portal.record_version). The queue below has the reviewer's forms and is made for each reader.
    overview = record_version.kept("round_overview", (round.pk,), make_overview)
    overview = {**overview, "missing_html": mark_safe(overview["missing_html"])}
    overview["scope_html"] = mark_safe(overview["scope_html"])
    # The review queue, a page at a time (each update is shown whole, with its attachments).
    pending = paginate(
        request,
        selectors.reporting_round_to_review(round, overview["activity_pks"]),
        per_page=20,
        count=lambda: overview["waiting"],  # the answers the overview read, those waiting for review
    )
    return render(
        request,
        "workplans/round_detail.html",
        {
            "round": round,
            "overview": overview,
            "pending": pending,
            "can_review": access.can_review_updates(request.user),
            "review_form": UpdateReviewForm(),
            "today": as_of_day(request),
            "history": record_history(round.history.all()),
        },
    )
