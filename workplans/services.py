"""Writes to work plans: the editor, versions, progress updates and reporting rounds.

Every save of a plan, stream, output or activity by a person is a conditional update on the revision the
person's form was built from (`filter(pk=..., revision=seen).update(..., revision=F("revision") + 1)`): when no
row changes, someone else saved first and the caller is told, so nothing is overwritten unseen (issue 5, no
lost updates). Rows created from a form carry the form's token, unique in the database, so a form posted twice
creates one row. Background work writes only the fields it owns, under the same conditional update.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from groups.models import Agency
from kit.audit import record_change
from kit.forms_flow import EditConflict, create_once, save_if_unchanged
from workplans import plan_order
from workplans.models import (
    Activity,
    ActivityUpdate,
    Output,
    ReportingRound,
    UpdateAttachment,
    WorkPlan,
    WorkPlanVersion,
    WorkStream,
)
from workplans.signals import update_reviewed
from workplans.timeframes import read_timeframe

# The fields of an activity that a version's snapshot keeps and a comparison of two versions reports on.
SNAPSHOT_FIELDS = (
    "number",
    "description",
    "timeframe",
    "starts_on",
    "ends_on",
    "lead",
    "lead_agencies",
    "partners",
    "funding_source",
    "estimated_cost",
    "currency",
    "status",
)
FIELD_LABELS = {
    "output": "output",
    "number": "number",
    "description": "description",
    "timeframe": "timeframe",
    "starts_on": "start date",
    "ends_on": "end date",
    "lead": "lead as written",
    "lead_agencies": "lead agencies",
    "partners": "partners",
    "funding_source": "funding source",
    "estimated_cost": "estimated cost",
    "currency": "currency",
    "status": "status",
}


class ReviewConflict(Exception):
    """The update was reviewed or changed by someone else first."""


# -- the conditional update, shared by every editor ---------------------------------------------------------------


def _record_history(activity: Activity, *, user=None, reason: str = "") -> None:
    """One history row for a change made by conditional updates (simple-history only listens to save())."""
    if user is not None:
        activity._history_user = user
    if reason:
        activity._change_reason = reason
    activity.save(update_fields=["updated_at"])


def _last_saved_by(activity: Activity) -> tuple[str, datetime | None]:
    # The latest row written (ids grow with each write; clocks may not).
    record = activity.history.select_related("history_user").order_by("-history_id").first()
    if record is None:
        return "", activity.updated_at
    user = record.history_user
    name = (user.get_full_name() or user.username) if user is not None else "an automatic update"
    return name, record.history_date


def _next_position(siblings: models.QuerySet) -> int:
    return (siblings.aggregate(top=Max("position"))["top"] or 0) + 1


def next_position_in(output: Output) -> int:
    """The position after an output's last activity (an activity moved in joins at the end)."""
    return _next_position(output.activities.all())


def _move(obj: models.Model, siblings: models.QuerySet, direction: str) -> bool:
    """Swap an item with its neighbour above or below; positions stay unique at every step."""
    if direction not in {"up", "down"}:
        raise ValueError("direction must be up or down")
    with transaction.atomic():
        siblings = siblings.select_for_update()
        list(siblings)  # lock the siblings while positions change
        obj = siblings.get(pk=obj.pk)
        if direction == "up":
            neighbour = siblings.filter(position__lt=obj.position).order_by("-position").first()
        else:
            neighbour = siblings.filter(position__gt=obj.position).order_by("position").first()
        if neighbour is None:
            return False
        parking = _next_position(siblings)
        model = type(obj)
        model.objects.filter(pk=obj.pk).update(position=parking)
        model.objects.filter(pk=neighbour.pk).update(position=obj.position)
        model.objects.filter(pk=obj.pk).update(position=neighbour.position)
        for part in (obj, neighbour):
            plan_order.refresh_for(part)
        if hasattr(model, "history"):
            for moved in model.objects.filter(pk__in=[obj.pk, neighbour.pk]):
                record_change(moved, reason=gettext_noop("Moved"))
        return True


# -- plans --------------------------------------------------------------------------------------------------------


def workplan_create(*, values: dict[str, Any], token: uuid.UUID | None = None) -> tuple[WorkPlan, bool]:
    return create_once(WorkPlan, token=token, **values)


def workplan_update(*, plan: WorkPlan, revision: int, values: dict[str, Any]) -> WorkPlan:
    if not save_if_unchanged(WorkPlan, pk=plan.pk, revision=revision, values=values):
        raise EditConflict(WorkPlan.objects.get(pk=plan.pk))
    if plan_order.KEY_FIELDS["WorkPlan"] & values.keys():
        plan_order.refresh_for(plan)
    plan = WorkPlan.objects.get(pk=plan.pk)
    record_change(plan)
    return plan


# A year, optionally followed by a two-digit end year ("2016-18").
_YEAR = re.compile(r"\b((?:19|20)\d{2})(?:(\s*[-–]\s*)(\d{2})(?!\d))?\b")


def shift_years_in_text(text: str, years: int) -> str:
    """'April-October 2013' three years on is 'April-October 2016'; '2016-18' becomes '2019-21'."""
    if not years:
        return text

    def shifted(m: re.Match[str]) -> str:
        moved = str(int(m[1]) + years)
        if m[3] is None:
            return moved
        return f"{moved}{m[2]}{(int(m[3]) + years) % 100:02d}"

    return _YEAR.sub(shifted, text)


@transaction.atomic
def workplan_copy_for_next_cycle(
    *, source: WorkPlan, slug: str, title: str, starts_on: date, ends_on: date, token: uuid.UUID | None = None
) -> tuple[WorkPlan, bool]:
    """Start the next cycle from a plan: its streams, outputs and activities, moved to the new years.

    Outputs move by the number of years between the two plans' starts; each timeframe keeps its wording with its
    years moved ("Spring 2014" -> "Spring 2017") and is read again into dates; statuses go back to planned, and
    neither updates nor versions are copied (DOMAIN.md: a work plan is a living document, one per cycle).
    """
    plan, created = create_once(
        WorkPlan,
        token=token,
        slug=slug,
        title=title,
        kind=source.kind,
        status=WorkPlan.Status.DRAFT,
        starts_on=starts_on,
        ends_on=ends_on,
        group=source.group,
        chair_term=None if source.kind == WorkPlan.Kind.CHAIR_ANNUAL else source.chair_term,
        summary=source.summary,
        note=f"Copied from {source.title} to start the next cycle.",
    )
    if not created:
        return plan, False
    years = starts_on.year - source.starts_on.year
    streams = source.streams.prefetch_related("outputs__activities__lead_agencies", "outputs__activities__partners")
    for stream in streams:
        new_stream = WorkStream.objects.create(
            workplan=plan,
            position=stream.position,
            title=stream.title,
            kind=stream.kind,
            lead_group=stream.lead_group,
            led_by_chair=stream.led_by_chair,
            function=stream.function,
            objectives=stream.objectives,
            expected_results=stream.expected_results,
            key_outputs=stream.key_outputs,
            estimated_cost=stream.estimated_cost,
            currency=stream.currency,
        )
        for output in stream.outputs.all():
            new_output = Output.objects.create(
                stream=new_stream,
                year=output.year + years if output.year else None,
                position=output.position,
                number=output.number,
                title=output.title,
                description=output.description,
            )
            for activity in output.activities.all():
                values = activity_dates_from_timeframe(
                    shift_years_in_text(activity.timeframe, years), year=new_output.year
                )
                if values["timeframe_unread"] or not values["timeframe"]:
                    values["starts_on"] = (
                        activity.starts_on + relativedelta(years=years) if activity.starts_on else None
                    )
                    values["ends_on"] = activity.ends_on + relativedelta(years=years) if activity.ends_on else None
                new_activity = Activity.objects.create(
                    output=new_output,
                    position=activity.position,
                    number=activity.number,
                    description=activity.description,
                    lead=activity.lead,
                    funding_source=activity.funding_source,
                    estimated_cost=activity.estimated_cost,
                    currency=activity.currency,
                    cost_as_written=activity.cost_as_written,
                    status=Activity.Status.PLANNED,
                    **values,
                )
                new_activity.skip_history_when_saving = True
                new_activity.lead_agencies.set(activity.lead_agencies.all())
                new_activity.partners.set(activity.partners.all())
                del new_activity.skip_history_when_saving
                _record_history(new_activity, reason=f"Copied from {source.title}")
    return plan, True


# -- streams and outputs ------------------------------------------------------------------------------------------


def stream_create(*, plan: WorkPlan, values: dict[str, Any], token: uuid.UUID | None = None):
    with transaction.atomic():
        WorkPlan.objects.select_for_update().filter(pk=plan.pk).first()
        return create_once(
            WorkStream, token=token, workplan=plan, position=_next_position(plan.streams.all()), **values
        )


def stream_update(*, stream: WorkStream, revision: int, values: dict[str, Any]) -> WorkStream:
    if not save_if_unchanged(WorkStream, pk=stream.pk, revision=revision, values=values):
        raise EditConflict(WorkStream.objects.get(pk=stream.pk))
    if plan_order.KEY_FIELDS["WorkStream"] & values.keys():
        plan_order.refresh_for(stream)
    stream = WorkStream.objects.get(pk=stream.pk)
    record_change(stream)
    return stream


def stream_move(*, stream: WorkStream, direction: str) -> bool:
    return _move(stream, WorkStream.objects.filter(workplan_id=stream.workplan_id), direction)


def stream_remove(*, stream: WorkStream) -> None:
    stream.delete()


def output_create(*, stream: WorkStream, values: dict[str, Any], token: uuid.UUID | None = None):
    with transaction.atomic():
        WorkStream.objects.select_for_update().filter(pk=stream.pk).first()
        siblings = stream.outputs.filter(year=values.get("year"))
        return create_once(Output, token=token, stream=stream, position=_next_position(siblings), **values)


def output_update(*, output: Output, revision: int, values: dict[str, Any]) -> Output:
    current = Output.objects.get(pk=output.pk)
    if values.get("year") != current.year and current.revision == revision:
        # A new year puts the output last among that year's outputs.
        values = {**values, "position": _next_position(current.stream.outputs.filter(year=values.get("year")))}
    if not save_if_unchanged(Output, pk=output.pk, revision=revision, values=values):
        raise EditConflict(Output.objects.get(pk=output.pk))
    if plan_order.KEY_FIELDS["Output"] & values.keys():
        plan_order.refresh_for(output)
    output = Output.objects.get(pk=output.pk)
    record_change(output)
    return output


def output_move(*, output: Output, direction: str) -> bool:
    return _move(output, Output.objects.filter(stream_id=output.stream_id, year=output.year), direction)


def output_remove(*, output: Output) -> None:
    output.delete()


# -- activities ---------------------------------------------------------------------------------------------------


def activity_dates_from_timeframe(
    text: str, *, year: int | None, starts_on: date | None = None, ends_on: date | None = None
) -> dict[str, Any]:
    """The timeframe as written and its reading; dates typed by hand count only where the text cannot be read."""
    text = (text or "").strip()
    if not text:
        return {
            "timeframe": "",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "timeframe_unread": False,
            "timeframe_tentative": False,
        }
    reading = read_timeframe(text, default_year=year)
    if not reading.readable:
        return {
            "timeframe": text,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "timeframe_unread": starts_on is None and ends_on is None,
            "timeframe_tentative": reading.tentative,
        }
    return {
        "timeframe": text,
        "starts_on": reading.starts_on,
        "ends_on": reading.ends_on,
        "timeframe_unread": False,
        "timeframe_tentative": reading.tentative,
    }


@transaction.atomic
def activity_create(
    *,
    output: Output,
    values: dict[str, Any],
    lead_agencies: list[Agency],
    partners: list[Agency],
    user=None,
    token: uuid.UUID | None = None,
) -> tuple[Activity, bool]:
    Output.objects.select_for_update().filter(pk=output.pk).first()
    if token is not None and (existing := Activity.objects.filter(token=token).first()) is not None:
        return existing, False
    activity = Activity(output=output, position=_next_position(output.activities.all()), token=token, **values)
    activity.skip_history_when_saving = True
    try:
        with transaction.atomic():
            activity.save()
    except IntegrityError:
        existing = Activity.objects.filter(token=token).first() if token is not None else None
        if existing is None:
            raise
        return existing, False
    activity.lead_agencies.set(lead_agencies)
    activity.partners.set(partners)
    del activity.skip_history_when_saving
    activity._history_user = user
    activity.save(update_fields=["updated_at"])
    Activity.history.filter(id=activity.pk).update(history_type="+")
    return activity, True


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    revision: int,
    values: dict[str, Any],
    lead_agencies: list[Agency],
    partners: list[Agency],
    user=None,
) -> Activity:
    """Save a person's edit of an activity if nobody saved it since their form was built; else EditConflict."""
    if not save_if_unchanged(
        Activity, pk=activity.pk, revision=revision, values={**values, "updated_at": timezone.now()}
    ):
        current = Activity.objects.get(pk=activity.pk)
        saved_by, saved_at = _last_saved_by(current)
        raise EditConflict(current, saved_by, saved_at)
    if plan_order.KEY_FIELDS["Activity"] & values.keys():
        plan_order.refresh_for(activity)
    activity = Activity.objects.get(pk=activity.pk)
    activity.skip_history_when_saving = True
    activity.lead_agencies.set(lead_agencies)
    activity.partners.set(partners)
    del activity.skip_history_when_saving
    _record_history(activity, user=user)
    return activity


def activity_move(*, activity: Activity, direction: str) -> bool:
    return _move(activity, Activity.objects.filter(output_id=activity.output_id), direction)


@transaction.atomic
def output_renumber(*, output: Output, user=None) -> int:
    """Number an output's activities 1.1, 1.2, ... 1.n in plan order (their positions), after moves and removals.

    Each changed activity is written like any edit: a conditional update that raises its revision, with a
    history row, so a person whose form was built before the renumbering is told on saving and loses nothing.
    The rows are locked while numbers change. Renumbering twice changes nothing the second time. Returns how
    many activities changed number.
    """
    Output.objects.select_for_update().filter(pk=output.pk).first()
    if not output.number_leaves_room():
        # Kept from before the forms checked it (or typed in the admin): say so rather than overflow the column.
        raise ValidationError(
            _(
                "The output's number “%(number)s” is too long to number its activities from: shorten it to "
                "%(prefix)s characters after “Output ” first. Nothing was renumbered."
            )
            % {"number": output.number[:40], "prefix": Output.longest_prefix()},
            code="number_too_long",
        )
    activities = list(Activity.objects.select_for_update().filter(output_id=output.pk).order_by("position"))
    changed = 0
    for place, activity in enumerate(activities, start=1):
        number = output.activity_number(place)
        if activity.number == number:
            continue
        values = {"number": number, "updated_at": timezone.now()}
        if save_if_unchanged(Activity, pk=activity.pk, revision=activity.revision, values=values):
            renumbered = gettext_noop("Renumbered in plan order")
            _record_history(Activity.objects.get(pk=activity.pk), user=user, reason=renumbered)
            changed += 1
    return changed


def activity_remove(*, activity: Activity, user=None) -> None:
    activity._history_user = user
    activity.delete()


def activity_status_write(*, activity_id: int, status: str, seen_revision: int) -> bool:
    """Set an activity's status if the activity is still as it was read; only the status changes."""
    with transaction.atomic():
        if not save_if_unchanged(
            Activity,
            pk=activity_id,
            revision=seen_revision,
            values={"status": status, "updated_at": timezone.now()},
        ):
            return False
        activity = Activity.objects.get(pk=activity_id)
        activity._history_user = None
        _record_history(activity, reason=gettext_noop("Status taken from an accepted progress update"))
    return True


def activity_set_status_from_updates(*, activity_id: int, attempts: int = 3) -> bool:
    """Bring an activity's status in line with its latest accepted update (DOMAIN.md: progress rolls up).

    Background work: it writes the status only, and only if nobody saved the activity since it was read; a
    person's edit in between makes it read again (up to `attempts` times), so the edit is never overwritten.
    Returns True when it changed the status.
    """
    for _attempt in range(attempts):
        latest = (
            ActivityUpdate.objects.filter(activity_id=activity_id, review=ActivityUpdate.Review.ACCEPTED)
            .order_by("-reported_on", "-created_at")
            .values_list("status", flat=True)
            .first()
        )
        seen = Activity.objects.filter(pk=activity_id).values("status", "revision").first()
        if latest is None or seen is None or seen["status"] == latest:
            return False
        if activity_status_write(activity_id=activity_id, status=latest, seen_revision=seen["revision"]):
            return True
    return False


# -- versions -----------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def workplan_snapshot(plan: WorkPlan) -> dict[str, Any]:
    """The plan as it stands: its streams and outputs, and each activity's fields (a version keeps this)."""
    streams = (
        WorkStream.objects.filter(workplan=plan)
        .select_related("lead_group")
        .prefetch_related("outputs__activities__lead_agencies", "outputs__activities__partners")
    )
    snapshot: dict[str, Any] = {
        "plan": {"title": plan.title, "starts_on": _plain(plan.starts_on), "ends_on": _plain(plan.ends_on)},
        "streams": [],
        "activities": [],
    }
    for stream in streams:
        outputs = []
        for output in stream.outputs.all():
            outputs.append({"id": output.pk, "year": output.year, "number": output.number, "title": output.title})
            for activity in output.activities.all():
                row = {"id": activity.pk, "stream": stream.title, "output": str(output), "year": output.year}
                for name in SNAPSHOT_FIELDS:
                    if name in {"lead_agencies", "partners"}:
                        row[name] = sorted(a.acronym for a in getattr(activity, name).all())
                    else:
                        row[name] = _plain(getattr(activity, name))
                snapshot["activities"].append(row)
        snapshot["streams"].append(
            {"id": stream.pk, "position": stream.position, "title": stream.title, "outputs": outputs}
        )
    return snapshot


def version_publish(
    *, plan: WorkPlan, label: str, dated: date | None, user=None, token: uuid.UUID | None = None
) -> tuple[WorkPlanVersion, bool]:
    """Publish a named version of the plan ("adopted 3 July 2013") with a snapshot of the plan as it stands."""
    return create_once(
        WorkPlanVersion,
        token=token,
        workplan=plan,
        label=label,
        dated=dated,
        snapshot=workplan_snapshot(plan),
        published_by=user,
    )


def _shown(value: Any, name: str = "") -> str:
    """A snapshot's value as people read it: 25,000.00 not 25000.00, 3 July 2013 not 2013-07-03, On track."""
    if isinstance(value, list):
        value = ", ".join(value)
    if value in (None, ""):
        return _("(empty)")
    if name in {"starts_on", "ends_on"}:
        try:
            return date_format(date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    if name == "estimated_cost":
        try:
            return f"{Decimal(str(value)):,.2f}"
        except ArithmeticError:
            return str(value)
    if name == "status" and value in Activity.Status.values:
        return Activity.Status(value).label
    return str(value)


@dataclass
class FieldChange:
    name: str
    label: str
    before: Any
    after: Any

    @property
    def before_text(self) -> str:
        return _shown(self.before, self.name)

    @property
    def after_text(self) -> str:
        return _shown(self.after, self.name)


@dataclass
class ActivityChange:
    id: int
    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[FieldChange] = field(default_factory=list)


@dataclass
class VersionComparison:
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[ActivityChange]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def versions_compare(before: dict[str, Any], after: dict[str, Any]) -> VersionComparison:
    """What changed between two snapshots: activities added, removed, and changed field by field."""
    old = {row["id"]: row for row in (before or {}).get("activities", [])}
    new = {row["id"]: row for row in (after or {}).get("activities", [])}
    added = [new[key] for key in new if key not in old]
    removed = [old[key] for key in old if key not in new]
    changed = []
    for key in new:
        if key not in old:
            continue
        fields = [
            FieldChange(name, FIELD_LABELS[name], old[key].get(name), new[key].get(name))
            for name in ("output", *SNAPSHOT_FIELDS)
            if old[key].get(name) != new[key].get(name)
        ]
        if fields:
            changed.append(ActivityChange(key, old[key], new[key], fields))
    return VersionComparison(added, removed, changed)


# -- progress updates ---------------------------------------------------------------------------------------------


def _attach(update: ActivityUpdate, links: list[str], files: list[UploadedFile]) -> None:
    for url in links:
        UpdateAttachment.objects.create(update=update, url=url)
    for upload in files:
        UpdateAttachment.objects.create(update=update, file=upload, file_name=upload.name[:255], file_size=upload.size)


def activity_update_submit(
    *,
    activity: Activity,
    author,
    agency: Agency,
    status: str,
    narrative: str,
    links: list[str] = (),
    files: list[UploadedFile] = (),
    token: uuid.UUID | None = None,
    reported_on: date | None = None,
) -> tuple[ActivityUpdate, bool]:
    """File a progress update for an agency (DOMAIN.md: Activity update); the form's token makes it one row.

    The support team hears of it (a notice and a mail), once: a second post of the form tells no one again.
    """
    with transaction.atomic():
        update, created = create_once(
            ActivityUpdate,
            token=token,
            activity=activity,
            agency=agency,
            author=author,
            reported_on=reported_on or timezone.localdate(),
            status=status,
            narrative=narrative,
        )
        if created:
            _attach(update, list(links), list(files))
            update_reviewed.send(sender=ActivityUpdate, update=update, event="filed")
    return update, created


def activity_update_resubmit(
    *,
    update: ActivityUpdate,
    author,
    status: str,
    narrative: str,
    links: list[str] = (),
    files: list[UploadedFile] = (),
) -> ActivityUpdate:
    """A focal point answers a returned update; it goes back to the support team for review."""
    with transaction.atomic():
        changed = ActivityUpdate.objects.filter(pk=update.pk, review=ActivityUpdate.Review.RETURNED).update(
            status=status,
            narrative=narrative,
            author=author,
            reported_on=timezone.localdate(),
            review=ActivityUpdate.Review.SUBMITTED,
        )
        if not changed:
            raise ReviewConflict(_("This update is no longer returned for changes; it was resubmitted or reviewed."))
        record_change(ActivityUpdate.objects.get(pk=update.pk), reason=gettext_noop("Resubmitted"))
        _attach(update, list(links), list(files))
        update_reviewed.send(sender=ActivityUpdate, update=update, event="resubmitted")
    return ActivityUpdate.objects.get(pk=update.pk)


def activity_update_review(*, update: ActivityUpdate, accept: bool, comment: str, reviewer) -> ActivityUpdate:
    """Staff accept a submitted update, or return it with a comment the focal point sees and answers.

    An accepted update's status becomes the activity's status, written after the review commits. The focal point
    who filed it hears of the review (a notice and a mail).
    """
    review = ActivityUpdate.Review.ACCEPTED if accept else ActivityUpdate.Review.RETURNED
    with transaction.atomic():
        changed = ActivityUpdate.objects.filter(pk=update.pk, review=ActivityUpdate.Review.SUBMITTED).update(
            review=review, review_comment=comment, reviewed_by=reviewer, reviewed_at=timezone.now()
        )
        if not changed:
            raise ReviewConflict(
                _("Someone else reviewed this update first, or it was changed; see its current state.")
            )
        reason = gettext_noop("Accepted") if accept else gettext_noop("Returned")
        record_change(ActivityUpdate.objects.get(pk=update.pk), reason=reason)
        update_reviewed.send(sender=ActivityUpdate, update=update, event="accepted" if accept else "returned")
        if accept:
            activity_id = update.activity_id
            transaction.on_commit(lambda: activity_set_status_from_updates(activity_id=activity_id))
    return ActivityUpdate.objects.get(pk=update.pk)


# -- reporting rounds ---------------------------------------------------------------------------------------------


def reporting_round_open(
    *,
    title: str,
    period_starts_on: date,
    period_ends_on: date,
    due_on: date,
    workplan: WorkPlan | None = None,
    user=None,
    token: uuid.UUID | None = None,
) -> tuple[ReportingRound, bool]:
    """Open a reporting round; the form's token makes a double post open one round (and says so: False)."""
    return create_once(
        ReportingRound,
        token=token,
        title=title,
        workplan=workplan,
        period_starts_on=period_starts_on,
        period_ends_on=period_ends_on,
        due_on=due_on,
        opened_by=user,
    )


def reporting_round_scope(round: ReportingRound) -> Q:
    """The activities a round asks about: those whose dates meet its period, and the on-going ones.

    Cancelled activities and activities whose timeframe could not be read into dates are left out. This is the
    one statement of the rule: the round's page and the deadline register both filter with it.
    """
    plans = [round.workplan_id] if round.workplan_id else None
    return reporting_period_scope(round.period_starts_on, round.period_ends_on, plans=plans)


def reporting_period_scope(starts_on: date, ends_on: date, *, plans: list[int] | None = None) -> Q:
    """The activities of rounds over this period (`reporting_round_scope`), of these plans' ids (None: all)."""
    dated = Q(starts_on__lte=ends_on) | Q(starts_on__isnull=True, ends_on__isnull=False)
    dated &= Q(ends_on__gte=starts_on) | Q(ends_on__isnull=True, starts_on__isnull=False)
    ongoing = Q(starts_on__isnull=True, ends_on__isnull=True, timeframe_unread=False) & ~Q(timeframe="")
    scope = (dated | ongoing) & ~Q(status=Activity.Status.CANCELLED)
    if plans is not None:
        scope &= Q(output__stream__workplan_id__in=plans)
    return scope


def reporting_round_answer(round: ReportingRound) -> Q:
    """An update answers a round when it is dated from the round's period start on and was not returned."""
    return reporting_period_answer(round.period_starts_on)


def reporting_period_answer(starts_on: date) -> Q:
    """An update answers the rounds of a period starting on `starts_on` (`reporting_round_answer`)."""
    return Q(reported_on__gte=starts_on) & ~Q(review=ActivityUpdate.Review.RETURNED)


def reporting_round_activities(round: ReportingRound) -> models.QuerySet:
    return Activity.objects.filter(reporting_round_scope(round))


def reporting_round_reports(round: ReportingRound, activity_ids) -> models.QuerySet:
    """Updates that answer a round."""
    return ActivityUpdate.objects.filter(reporting_round_answer(round), activity_id__in=activity_ids)


def reporting_round_missing(round: ReportingRound) -> list[tuple[Agency, list[Activity]]]:
    """Who has not reported in a round: each lead agency with the activities it leads and has not reported on.

    For reminders: agencies in rotation order, their activities in plan order.
    """
    activities = list(
        reporting_round_activities(round)
        .select_related("output__stream__workplan")
        .prefetch_related("lead_agencies")
        .in_plan_order()
    )
    reported = set(reporting_round_reports(round, [a.pk for a in activities]).values_list("activity_id", "agency_id"))
    missing: dict[int, tuple[Agency, list[Activity]]] = {}
    for activity in activities:
        for agency in activity.lead_agencies.all():
            if (activity.pk, agency.pk) not in reported:
                missing.setdefault(agency.pk, (agency, []))[1].append(activity)
    return sorted(missing.values(), key=lambda pair: (pair[0].sort_name, pair[0].acronym))
