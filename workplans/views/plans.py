"""The work plans: the list, a plan's page, a new plan, a plan's settings and its copy for the next cycle, and
its versions (published, then compared).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kit import record_version
from kit.forms_flow import finished, form_flow, form_values
from kit.pagination import paginate
from workplans import selectors, services
from workplans.access import can_create_workplan, can_edit_workplan, can_publish_version
from workplans.forms import VersionPublishForm, WorkPlanCopyForm, WorkPlanCreateForm, WorkPlanEditForm
from workplans.models import WorkPlan
from workplans.views.common import EDIT_REFUSED, plan_reader, plan_tree_flags

# -- plans --------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def workplan_list(request):
    def make_listing() -> str:
        listing = paginate(request, selectors.workplan_list().order_by("-starts_on", "title", "pk"))
        return render_to_string("workplans/_workplan_listing.html", {"plans": listing.rows, "listing": listing})

    # The page of plans with their counts is the same for every reader: kept while the plans (and the groups and
    # chairs they name) do not change (kit.record_version); counting activities is what grows with the record.
    listing = record_version.kept(
        "workplan_list",
        (sorted(request.GET.lists()),),
        make_listing,
        reads=("workplans", "groups", "chairs"),
    )
    return render(
        request,
        "workplans/workplan_list.html",
        {
            "listing_html": mark_safe(listing),  # the listing template's own output
            "can_create": can_create_workplan(request.user),
        },
    )


@login_required
@require_GET
def workplan_detail(request, slug: str):
    """A plan with its streams, outputs and activities. A big plan opens stream by stream (`?stream=ID`, or in
    place with htmx); `?all=1` shows it whole, for printing. `?edit=1` draws the way into each row's editor.

    The page is the same for every reader of one kind (who may edit the plan, which streams, for which agency
    they report): kept under the plan's own part of the record and the parts it shows of others (the agencies and
    groups, the chair, the adopting decision), so a save in another plan or another app leaves it kept."""
    plan = WorkPlan.objects.select_related("group", "chair_term").filter(slug=slug).first()
    if plan is None:
        raise Http404(_("No work plan has this address."))
    whole, stream = request.GET.get("all") == "1", request.GET.get("stream", "")
    stream = stream if stream.isdigit() and len(stream) < 12 else ""  # any other value opens no stream
    editing = request.GET.get("edit") == "1"  # the ways into the editors are drawn when asked for
    can_edit_plan = can_edit_workplan(request.user, plan)
    reader = plan_reader(request.user, can_edit_plan)

    def make_page() -> str:
        page = selectors.workplan_page(slug, whole=whole, stream=stream)
        plan_tree_flags(request, page["plan"], editing=editing)
        context = {
            **page,
            "editing": editing,
            "may_edit": can_edit_plan or bool(selectors.streams_editable_by(request.user, page["plan"])),
            "stream_asked": stream,
            "can_edit_plan": can_edit_plan,
            "can_create": can_create_workplan(request.user),
            "history": selectors.workplan_history(page["plan"]),
            "user": request.user,  # what the page shows of the reader is in `reader`
        }
        return render_to_string("workplans/_workplan_page.html", context)

    page = record_version.kept(
        "workplan_page",
        (plan.pk, whole, stream, editing, reader),
        make_page,
        reads=(f"workplan:{plan.pk}", "groups", "chairs", "meetings_decision", "meetings_meeting"),
    )
    return render(
        request,
        "workplans/workplan_detail.html",
        {"plan": plan, "page": mark_safe(page)},  # the page template's own output, kept as it was made
    )


@login_required
@require_http_methods(["GET", "POST"])
def workplan_create(request):
    def save(form):
        plan, created = services.workplan_create(values=form_values(form), token=form.cleaned_data["token"])
        return finished(
            request,
            plan,
            _("Work plan “%(plan)s” created.") % {"plan": plan}
            if created
            else _("This work plan was already created."),
        )

    return form_flow(
        request,
        access=(can_create_workplan(request.user), _("Only the support team creates work plans.")),
        form_class=WorkPlanCreateForm,
        template="workplans/form_page.html",
        context={
            "page_title": _("New work plan"),
            "form_id": "workplan-form",
            "action": reverse("workplans:workplan_create"),
            "submit_label": _("Create the work plan"),
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
        return finished(request, saved, _("The plan is saved."))

    return form_flow(
        request,
        access=(can_edit_workplan(request.user, plan), EDIT_REFUSED),
        form_class=WorkPlanEditForm,
        form_kwargs={"instance": plan},
        template="workplans/form_page.html",
        context={
            "page_title": _("Edit %(plan)s") % {"plan": plan},
            "form_id": "workplan-form",
            "action": reverse("workplans:workplan_edit", args=[plan.slug]),
            "submit_label": _("Save the plan"),
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
            _("“%(plan)s” starts the next cycle: streams, outputs and activities copied, statuses back to planned.")
            % {"plan": plan}
            if created
            else _("This copy was already made.")
        )
        return finished(request, plan, message)

    return form_flow(
        request,
        access=(can_create_workplan(request.user), _("Only the support team starts a new work plan cycle.")),
        form_class=WorkPlanCopyForm,
        form_kwargs={"source": source},
        template="workplans/form_page.html",
        context={
            "page_title": _("Start the next cycle from %(plan)s") % {"plan": source},
            "intro": _(
                "The new plan gets this plan's streams, outputs and activities, moved to the new years, "
                "with every status back to planned. Updates and versions stay with this plan."
            ),
            "form_id": "copy-form",
            "action": reverse("workplans:workplan_copy", args=[source.slug]),
            "submit_label": _("Copy into a new plan"),
            "cancel_url": source.get_absolute_url(),
        },
        save=save,
    )


# -- versions -----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def version_list(request, slug: str):
    plan = get_object_or_404(WorkPlan, slug=slug)
    can_publish = can_publish_version(request.user, plan)

    def save(form):
        version, created = services.version_publish(
            plan=plan,
            label=form.cleaned_data["label"],
            dated=form.cleaned_data["dated"],
            user=request.user,
            token=form.cleaned_data["token"],
        )
        message = (
            _("Version “%(label)s” published.") % {"label": version.label}
            if created
            else _("This version was already published.")
        )
        return finished(request, reverse("workplans:version_list", args=[plan.slug]), message)

    return form_flow(
        request,
        access=(can_publish, _("Only the plan's editors publish its versions.")) if request.method == "POST" else None,
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
