"""What the work plan editor's views share: who may do what on the rows of a plan, the parts of the editor drawn
again for htmx, and the editor's three ways to write - a form, a move button, a removal asked first.

Every write in the editor happens in a part of the plan (its streams, a stream, an output) and answers with
that part drawn again: in place under htmx, the whole page without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import reswap, retarget

from groups.access import is_support
from groups.models import Person
from kit.forms_flow import command_flow, finished, form_flow
from workplans import selectors
from workplans.access import can_edit_stream, can_edit_workplan
from workplans.forms import MoveForm, RemoveForm
from workplans.models import Output, WorkPlan, WorkStream
from workplans.timeframes import read_timeframe

EDIT_REFUSED = gettext_lazy(
    "Only the support team, the chair for its annual plan and a group's co-chairs for their part edit it."
)

# -- what the person may do on each row, from prefetched rows (no query per row) ----------------------------------


def _reporting_agency_id(person) -> int | None:
    """The agency a person reports for on their own: a focal point's (support staff report for any)."""
    return person.agency_id if person.role == Person.Role.FOCAL_POINT else None


def plan_reader(person, can_edit_plan: bool) -> tuple:
    """What plan_tree_flags and a plan's page read of the person, as one value: everyone with the same sees the
    same page. Whether they edit the plan, are support staff, for which agency they report and, for a focal point
    who does not edit the whole plan, the groups their agency co-chairs (whose streams they edit)."""
    groups = () if can_edit_plan else selectors.co_chaired_groups(person)
    return (can_edit_plan, is_support(person), _reporting_agency_id(person), groups)


def plan_tree_flags(request, plan: WorkPlan, *, editing: bool = True) -> None:
    """Mark what the person may do on each stream and activity, from prefetched rows (no query per row). Read, not
    `editing`, a plan shows no way into its editors (only a focal point's Report), and a stream whose rows offer
    nothing has no column for it (`columns`).

    A stream left closed (`stream.closed`, on the big plan page) only gets its own flag: its outputs are not read.
    """
    editable = selectors.streams_editable_by(request.user, plan) if editing else set()
    agency_id = _reporting_agency_id(request.user)
    support = is_support(request.user)
    for stream in plan.streams.all():
        if getattr(stream, "closed", False):
            stream.editable = stream.pk in editable
        else:
            _stream_flags(stream, editable, agency_id, support)


def _stream_flags(stream: WorkStream, editable: set[int], agency_id: int | None, support: bool) -> None:
    stream.editable = stream.pk in editable
    outputs = stream.outputs.all()
    for output in outputs:
        _output_flags(output, stream.editable, agency_id, support)
    stream.columns = max((output.columns for output in outputs), default=9)
    for output in outputs:
        output.columns = stream.columns


def _output_flags(output: Output, editable: bool, agency_id: int | None, support: bool) -> None:
    output.editable = editable
    reports = False
    for activity in output.activities.all():
        activity.editable = editable
        agencies = {a.pk for a in activity.lead_agencies.all()} | {a.pk for a in activity.partners.all()}
        activity.can_report = support or (agency_id is not None and agency_id in agencies)
        activity.report_in_row = activity.can_report and not support  # support staff report from the editor
        reports = reports or activity.report_in_row
    output.columns = 10 if (editable or reports) else 9


def editor_tools(request, thing: WorkStream | Output, *, label: str) -> dict:
    """What a stream's or an output's editor offers beside its form: its moves and its removal (for a stream,
    to the plan's editors only), an output's renumbering."""
    if isinstance(thing, WorkStream):
        if not can_edit_workplan(request.user, thing.workplan):
            return {}
        return {
            "kind": "stream",
            "pk": thing.pk,
            "label": label,
            "move_url": reverse("workplans:stream_move", args=[thing.pk]),
            "move_target": "streams",
            "remove_url": reverse("workplans:stream_remove", args=[thing.pk]),
            "remove_target": f"#stream-{thing.pk}-editor",
            "remove_swap": "innerHTML",
        }
    count = thing.activities.count()
    prefix = thing.activity_prefix
    return {
        "kind": "output",
        "pk": thing.pk,
        "label": label,
        "move_url": reverse("workplans:output_move", args=[thing.pk]),
        "move_target": "stream",
        "move_target_pk": thing.stream_id,
        "remove_url": reverse("workplans:output_remove", args=[thing.pk]),
        "remove_target": f"#output-{thing.pk}-editor",
        "remove_swap": "innerHTML",
        "renumber_url": reverse("workplans:output_renumber", args=[thing.pk]) if count > 1 else "",
        "renumber_label": _("Renumber %(prefix)s.1–%(prefix)s.%(count)s in the order shown")
        % {"prefix": prefix, "count": count},
    }


# -- the parts of the editor, drawn for htmx ----------------------------------------------------------------------


def render_output(request, output_pk: int, status: int = 200) -> HttpResponse:
    output = selectors.output_for_partial(output_pk)
    stream = output.stream
    editable = can_edit_stream(request.user, stream)
    _output_flags(output, editable, _reporting_agency_id(request.user), is_support(request.user))
    return render(
        request,
        "workplans/_output.html",
        {"output": output, "plan": stream.workplan, "oob_messages": True},
        status=status,
    )


def render_stream(request, stream_pk: int) -> HttpResponse:
    """A stream drawn again: after a write, or opened on a big plan's page (GET, `?edit=1` while editing)."""
    stream = selectors.stream_for_partial(stream_pk)
    editing = request.method != "GET" or request.GET.get("edit") == "1"
    editable = {stream.pk} if editing and can_edit_stream(request.user, stream) else set()
    _stream_flags(stream, editable, _reporting_agency_id(request.user), is_support(request.user))
    context = {
        "stream": stream,
        "plan": stream.workplan,
        "can_edit_plan": can_edit_workplan(request.user, stream.workplan),
        "editing": editing,
        "oob_messages": True,
    }
    return render(request, "workplans/_stream.html", context)


def _render_streams(request, plan: WorkPlan) -> HttpResponse:
    plan = selectors.workplan_for_page(plan.slug)
    plan_tree_flags(request, plan)
    return render(
        request,
        "workplans/_streams.html",
        {"plan": plan, "can_edit_plan": can_edit_workplan(request.user, plan), "editing": True, "oob_messages": True},
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


def typed_timeframe(text: str, year: int | None):
    """How an activity's timeframe reads as typed (None when nothing is typed)."""
    text = (text or "").strip()
    return read_timeframe(text, default_year=year) if text else None


# -- the editor's one way to write: in a part of the plan (its streams, a stream, an output), redrawn in place ----


def may_edit(request, part: WorkPlan | WorkStream | Output) -> tuple[bool, str]:
    """Who writes in a part: the plan's editors in its streams; whoever keeps a stream in its outputs and activities."""
    if isinstance(part, WorkPlan):
        return can_edit_workplan(request.user, part), EDIT_REFUSED
    return can_edit_stream(request.user, part if isinstance(part, WorkStream) else part.stream), EDIT_REFUSED


def redraw(request, part: WorkPlan | WorkStream | Output) -> HttpResponse:
    """The part of the editor a write changed, drawn again for htmx to swap in place."""
    if isinstance(part, WorkPlan):
        return _render_streams(request, part)
    return (render_stream if isinstance(part, WorkStream) else render_output)(request, part.pk)


def _part(part: WorkPlan | WorkStream | Output) -> dict:
    """Where an editor's form sits (its target) and what its Cancel draws again."""
    if isinstance(part, WorkPlan):
        return {"hx_target": "#streams", "plan": part, "cancel_url": part.get_absolute_url()}
    kind = "stream" if isinstance(part, WorkStream) else "output"
    plan = part.workplan if kind == "stream" else part.stream.workplan
    cancel_hx = reverse(f"workplans:{kind}_partial", args=[part.pk]) + "?edit=1"
    return {
        "hx_target": f"#{kind}-{part.pk}",
        "cancel_hx": cancel_hx,
        "cancel_url": part.get_absolute_url(),
        "plan": plan,
    }


def editor_form(
    request, *, part, page_title: str, context: dict, save, timeframe_year: int | None = None, **flow
) -> HttpResponse:
    """An editor's form through the one form flow, in `part`: the form alone in place under htmx, a whole page
    without. `save(form)` writes through the service and gives (where to land, the message).

    An activity's form (`timeframe_year`) shows how its timeframe reads, as it does while typed.
    """

    def render_form(page: dict, status: int) -> HttpResponse:
        if timeframe_year is not None:  # an activity's form: its fields in their own layout
            page["activity_form"] = True
            page["reading"] = typed_timeframe(page["form"]["timeframe"].value(), timeframe_year)
        return _form_response(request, page, status=status, page_title=page_title)

    return form_flow(
        request,
        access=may_edit(request, part),
        context={**_part(part), **context},
        render_form=render_form,
        save=lambda form: finished(request, *save(form), partial=lambda: redraw(request, part)),
        **flow,
    )


def editor_move(request, *, part, label: str, move, to) -> HttpResponse:
    """A move button of the editor: one step up or down among its siblings in `part`, then `part` drawn again."""

    def run(form):
        direction = form.cleaned_data["direction"]
        partial = lambda: redraw(request, part)  # noqa: E731
        if move(direction):
            moved = _("%(label)s moved up.") if direction == "up" else _("%(label)s moved down.")
            return finished(request, to, moved % {"label": label}, partial=partial)
        end = _("%(label)s is already the first.") if direction == "up" else _("%(label)s is already the last.")
        return finished(request, to, end % {"label": label}, level=messages.INFO, partial=partial)

    return command_flow(request, access=may_edit(request, part), form_class=MoveForm, run=run)


def editor_remove(request, *, part, what: str, on_confirm, to, **context) -> HttpResponse:
    """Ask first (a form to submit), remove on the confirmed POST, then `part` drawn again; in place under htmx."""

    def save(form):
        on_confirm()
        return finished(
            request, to, _("Removed %(what)s.") % {"what": what.split(",")[0]}, partial=lambda: redraw(request, part)
        )

    context = {**_part(part), **context}
    context.setdefault("cancel_target", context["hx_target"])
    if request.method != "GET":
        context.pop("row_id", None)  # the confirmation opens in the row; a refused one is swapped for itself
    return form_flow(
        request,
        access=may_edit(request, part),
        form_class=RemoveForm,
        context={**context, "what": what},
        render_form=lambda page, status: _form_response(
            request, page, status=status, templates=("_remove_confirm.html", "remove_page.html")
        ),
        save=save,
    )
