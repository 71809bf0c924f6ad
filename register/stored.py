"""The stored deadline register: one row per obligation (`RegisterEntry`), read by `reading.obligations()`.

The rules stay in `register.deadlines` (the register computed from the record); this module stores what they
give and keeps it current, so a page or the reminder sweep costs what is due in its window, not what exists:

- `rebuild()` computes the whole register and writes it (the `rebuild_register` command; after `migrate` when
  the register is empty; after the scale data is made or removed);
- `changed(model, pks)` recomputes the obligations a saved or deleted record is a source of. The writes call
  it: `forms_flow.save_if_unchanged` (the one guarded write of every form) and the services that write with
  `update()`; Django's signals call it for every other save, delete and change of lead agencies or attendees
  (the admin, the factories, cascades), since those go through no service;
- `read()` turns rows back into `Obligation`s, the state set from the day it is read on. The record each is
  about (`subject`) is loaded when first asked for, all of one kind in one query.

The stored register runs to `HORIZON`; `obligations()` computes what lies beyond it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Collate
from django.utils import translation

from register import deadlines
from register.deadlines import Obligation, obligation_state
from register.models import RegisterEntry

HORIZON = date(2100, 12, 31)
# The register's order (`obligations()` sorts so): by due date, then title and key as Python compares them.
class CodePointOrder(Collate):
    """Order by code point, as Python compares strings: PostgreSQL's collation "C", SQLite's BINARY (`make run`)."""

    def __init__(self, expression):
        super().__init__(expression, "C")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, collation=connection.ops.quote_name("BINARY"), **extra_context)


ORDER = ("due", CodePointOrder("title"), CodePointOrder("key"))
WRITE_BATCH = 2000
_FIELDS = [
    "kind",
    "title",
    "due",
    "done_on",
    "done_when_due",
    "url",
    "audience",
    "agency",
    "agency_ids",
    "group",
    "chair_term",
    "subject_type",
    "subject_id",
]


# -- reading ----------------------------------------------------------------------------------------------------


def window(*, first: date, last: date, today: date, include_overdue: bool, kinds: Iterable[str], agency=None) -> Q:
    """The rows `obligations()` returns for these arguments (see its docstring), as one filter."""
    found = Q(due__gte=first, due__lte=last)
    if include_overdue:
        found |= Q(due__lt=min(first, today), done_on__isnull=True, done_when_due=False)
    found &= Q(kind__in=sorted(kinds))
    if agency is not None:
        found &= Q(agency_ids__contains=[agency.pk])
    return found


def open_on(today: date) -> Q:
    """Rows not done on `today` (the state is the day's, so is this)."""
    return Q(done_on__isnull=True) & ~Q(done_when_due=True, due__lte=today)


class StoredObligation(Obligation):
    """An obligation read from the stored register; its record is loaded when first asked for."""

    @property
    def subject(self):
        value = self.__dict__["_subject"]
        if isinstance(value, _Ref):
            value = value.load()
            self.__dict__["_subject"] = value
        return value

    @subject.setter
    def subject(self, value) -> None:
        self.__dict__["_subject"] = value


class _Ref:
    __slots__ = ("loader", "type_id", "pk")

    def __init__(self, loader: _Subjects, type_id: int, pk: int):
        self.loader, self.type_id, self.pk = loader, type_id, pk

    def load(self):
        return self.loader.get(self.type_id, self.pk)


class _Subjects:
    """The records a batch of rows is about, one query per kind of record, on first use."""

    RELATED = {("meetings", "actionpoint"): ("meeting", "owner_agency"), ("meetings", "decision"): ("meeting",)}

    def __init__(self) -> None:
        self.wanted: dict[int, set[int]] = defaultdict(set)
        self.loaded: dict[int, dict[int, object]] = {}

    def ref(self, type_id: int, pk: int) -> _Ref:
        self.wanted[type_id].add(pk)
        return _Ref(self, type_id, pk)

    def get(self, type_id: int, pk: int):
        if type_id not in self.loaded:
            content_type = ContentType.objects.get_for_id(type_id)
            model = content_type.model_class()
            queryset = model._default_manager.all()
            related = self.RELATED.get((content_type.app_label, content_type.model))
            if related:
                queryset = queryset.select_related(*related)
            self.loaded[type_id] = queryset.in_bulk(sorted(self.wanted[type_id]))
        return self.loaded[type_id].get(pk)


def read(where: Q, *, today: date) -> list[Obligation]:
    """The stored obligations matching `where`, their states on `today`, unsorted."""
    return rows_to_obligations(
        list(RegisterEntry.objects.filter(where).select_related("group", "chair_term")), today=today
    )


def rows_to_obligations(rows: list[RegisterEntry], *, today: date) -> list[Obligation]:
    from groups.models import Agency

    if not rows:
        return []
    agencies = Agency.objects.in_bulk(
        sorted({pk for row in rows for pk in row.agency_ids} | {row.agency_id for row in rows if row.agency_id})
    )
    subjects = _Subjects()
    found = []
    for row in rows:
        done_on = row.due if row.done_when_due and row.due <= today else row.done_on
        found.append(
            StoredObligation(
                key=row.key,
                kind=row.kind,
                title=row.title,
                due=row.due,
                state=obligation_state(row.due, done_on, today),
                url=row.url,
                subject=subjects.ref(row.subject_type_id, row.subject_id),
                agency=agencies.get(row.agency_id) if row.agency_id else None,
                audience=row.audience,
                group=row.group,
                chair_term=row.chair_term,
                done_on=done_on,
                agencies=tuple(agencies[pk] for pk in row.agency_ids if pk in agencies),
            )
        )
    return found


def batches(where: Q, *, today: date, size: int) -> Iterator[list[Obligation]]:
    """The stored obligations matching `where` in batches of `size`, by id (keyset): memory stays flat."""
    last_id = 0
    while True:
        rows = list(
            RegisterEntry.objects.filter(where, pk__gt=last_id)
            .select_related("group", "chair_term")
            .order_by("pk")[:size]
        )
        if not rows:
            return
        last_id = rows[-1].pk
        yield rows_to_obligations(rows, today=today)


# -- writing ----------------------------------------------------------------------------------------------------


def _entry(obligation: Obligation) -> RegisterEntry:
    agencies = obligation.agencies or ((obligation.agency,) if obligation.agency else ())
    rotation = obligation.kind == deadlines.GROUP_CHAIR_ROTATION
    return RegisterEntry(
        key=obligation.key,
        kind=obligation.kind,
        title=obligation.title,
        due=obligation.due,
        done_on=None if rotation else obligation.done_on,
        done_when_due=rotation,
        url=obligation.url,
        audience=obligation.audience,
        agency_id=obligation.agency.pk if obligation.agency else None,
        agency_ids=[a.pk for a in agencies if a is not None],
        group_id=obligation.group.pk if obligation.group else None,
        chair_term_id=obligation.chair_term.pk if obligation.chair_term else None,
        subject_type=ContentType.objects.get_for_model(obligation.subject),
        subject_id=obligation.subject.pk,
    )


def _values(entry: RegisterEntry) -> tuple:
    return tuple(
        getattr(
            entry,
            f
            if f in ("kind", "title", "due", "done_on", "done_when_due", "url", "audience", "agency_ids", "subject_id")
            else f + "_id",
        )
        for f in _FIELDS
    )


_COLUMNS = [
    f
    if f in ("kind", "title", "due", "done_on", "done_when_due", "url", "audience", "agency_ids", "subject_id")
    else f + "_id"
    for f in _FIELDS
]


def _write(found: list[Obligation], scope: Q) -> None:
    """Make the stored rows in `scope` exactly `found` (each of which is in scope); rows as they are stay."""
    entries = {o.key: _entry(o) for o in found}
    with transaction.atomic():
        stored = RegisterEntry.objects.filter(scope).values_list("pk", "key", *_COLUMNS)
        gone, same = [], set()
        for pk, key, *values in stored.iterator(chunk_size=WRITE_BATCH):
            entry = entries.get(key)
            if entry is None:
                gone.append(pk)
            elif _values(entry) == tuple(values):
                same.add(key)
        for start in range(0, len(gone), WRITE_BATCH):
            RegisterEntry.objects.filter(pk__in=gone[start : start + WRITE_BATCH]).delete()
        fresh = [entry for key, entry in entries.items() if key not in same]
        for start in range(0, len(fresh), WRITE_BATCH):
            RegisterEntry.objects.bulk_create(
                fresh[start : start + WRITE_BATCH],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=_FIELDS,
            )


def refresh(
    kinds: Iterable[str],
    *,
    where: dict[str, Q] | None = None,
    scope: Q | None = None,
    round_agencies: set[int] | None = None,
) -> None:
    """Recompute `kinds` (narrowed by `where`/`round_agencies`, see `deadlines.everything`) and store them in
    place of the rows in `scope` (default: every row of those kinds)."""
    kinds = set(kinds)
    if not kinds:
        return
    # The stored titles are the record's, in its language, whoever's save (in whatever language) recomputes them.
    with translation.override(settings.LANGUAGE_CODE):
        found = deadlines.everything(kinds, last=HORIZON, where=where, round_agencies=round_agencies)
    _write(found, Q(kind__in=sorted(kinds)) & (scope or Q()))


def rebuild() -> int:
    """The whole register computed again and stored; the number of rows."""
    with translation.override(settings.LANGUAGE_CODE):
        found = deadlines.everything(set(deadlines.KINDS), last=HORIZON)
    with transaction.atomic():
        _write(found, Q())
    return len(found)


def _type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def changed(model, pks: Iterable[int] = ()) -> None:
    """Bring the register in line after records of `model` (these `pks`) were saved, changed or deleted."""
    from chairs.models import ChairTerm
    from events.models import Contribution, ExternalEvent, InputRequest
    from groups.models import Agency, Evaluation, Group, GroupCoChair, TermsOfReference
    from meetings.models import ActionPoint, Decision, Meeting
    from workplans.models import Activity, ActivityUpdate, ReportingRound

    if _paused:
        return
    pks = sorted(set(pks))
    d = deadlines
    if model is Agency:  # its name is in the titles of what it answers for
        refresh(d.CHAIR_KINDS | d.GROUP_KINDS)
        refresh(
            {d.ACTIVITY_END, d.ACTION_POINT, d.INPUT_REQUEST},
            where={
                d.ACTIVITY_END: Q(lead_agencies__in=pks),
                d.ACTION_POINT: Q(owner_agency__in=pks),
                d.INPUT_REQUEST: Q(agencies__in=pks),
            },
            scope=(Q(kind=d.ACTIVITY_END) & _subjects(Activity, Activity.objects.filter(lead_agencies__in=pks)))
            | (Q(kind=d.ACTION_POINT) & _subjects(ActionPoint, ActionPoint.objects.filter(owner_agency__in=pks)))
            | (Q(kind=d.INPUT_REQUEST) & _subjects(InputRequest, InputRequest.objects.filter(agencies__in=pks))),
        )
        rounds_changed(pks)
    elif model is ChairTerm:
        refresh(d.CHAIR_KINDS | {d.DECISION_REVIEW, d.MEETING, d.ACTIVITY_END})  # the chair on a day
    elif model in (Group, GroupCoChair, TermsOfReference, Evaluation):
        refresh(d.GROUP_KINDS | {d.MEETING})
    elif model is Meeting:
        refresh(
            {d.MEETING, d.ACTION_POINT},
            where={d.MEETING: Q(pk__in=pks), d.ACTION_POINT: Q(meeting_id__in=pks)},
            scope=_subjects(Meeting, pks) | _subjects(ActionPoint, ActionPoint.objects.filter(meeting_id__in=pks)),
        )
        refresh(d.CHAIR_KINDS | {d.GROUP_MIN_MEETINGS})
    elif model is Decision:
        refresh({d.DECISION_REVIEW}, where={d.DECISION_REVIEW: Q(pk__in=pks)}, scope=_subjects(Decision, pks))
    elif model is ActionPoint:
        refresh({d.ACTION_POINT}, where={d.ACTION_POINT: Q(pk__in=pks)}, scope=_subjects(ActionPoint, pks))
    elif model is Activity:
        refresh({d.ACTIVITY_END}, where={d.ACTIVITY_END: Q(pk__in=pks)}, scope=_subjects(Activity, pks))
    elif model is ActivityUpdate:
        pass  # the caller names the agencies: `rounds_changed`
    elif model is ReportingRound:
        refresh({d.REPORTING_ROUND}, where={d.REPORTING_ROUND: Q(pk__in=pks)}, scope=_subjects(ReportingRound, pks))
    elif model in (InputRequest, Contribution, ExternalEvent):
        if model is Contribution:
            pks = sorted(set(Contribution.objects.filter(pk__in=pks).values_list("request_id", flat=True)))
        elif model is ExternalEvent:  # its name is in the requests' titles
            pks = sorted(InputRequest.objects.filter(event_id__in=pks).values_list("pk", flat=True))
        refresh({d.INPUT_REQUEST}, where={d.INPUT_REQUEST: Q(pk__in=pks)}, scope=_subjects(InputRequest, pks))


def _subjects(model, pks) -> Q:
    if not isinstance(pks, list | tuple | set):
        pks = list(pks.values_list("pk", flat=True))
    return Q(subject_type=_type(model), subject_id__in=list(pks))


def rounds_changed(agency_ids: Iterable[int], activity_ids: Iterable[int] | None = None) -> None:
    """Reporting rounds' obligations of these agencies, after their activities or updates changed: of the rounds
    that can ask about those activities (their plans' rounds and the rounds over every plan) when they are named,
    else of every round."""
    from workplans.models import Activity, ReportingRound

    agency_ids = set(agency_ids)
    if _paused or not agency_ids:
        return
    where, scope = None, Q(agency_id__in=sorted(agency_ids))
    if activity_ids is not None:
        plans = Activity.objects.filter(pk__in=list(activity_ids)).values("output__stream__workplan_id")
        rounds = Q(workplan_id__in=plans) | Q(workplan__isnull=True)
        where = {deadlines.REPORTING_ROUND: rounds}
        scope &= _subjects(ReportingRound, ReportingRound.objects.filter(rounds))
    refresh({deadlines.REPORTING_ROUND}, where=where, round_agencies=agency_ids, scope=scope)


_paused = False


class paused:
    """Writes in bulk without keeping the register current row by row; `rebuild()` after."""

    def __enter__(self):
        global _paused
        self.before, _paused = _paused, True
        return self

    def __exit__(self, *exc):
        global _paused
        _paused = self.before
        return False


# -- keeping it current -----------------------------------------------------------------------------------------


def _leads(activity_ids: Iterable[int]) -> set[int]:
    from workplans.models import Activity

    through = Activity.lead_agencies.through.objects.filter(activity_id__in=list(activity_ids))
    return set(through.values_list("agency_id", flat=True))


def saved(model, pk: int | None, *, leads: Iterable[int] = ()) -> None:
    """A record of `model` was saved or deleted (`pk`; None: some of them): its obligations follow.

    `leads`: for an activity, the lead agencies it had before (their reporting rounds change too)."""
    from workplans.models import Activity, ActivityUpdate

    if _paused:
        return
    pks = [pk] if pk is not None else []
    if model is Activity:
        changed(Activity, pks)
        rounds_changed(_leads(pks) | set(leads), pks if pks else None)
    elif model is ActivityUpdate:
        activity_ids = list(ActivityUpdate.objects.filter(pk__in=pks).values_list("activity_id", flat=True))
        activity_ids += list(leads)  # for a deleted update, the caller names its activity
        changed(Activity, activity_ids)
        rounds_changed(_leads(activity_ids), activity_ids if pks else None)
    else:
        changed(model, pks)


def _on_row_updated(sender, pk: int | None = None, **kwargs) -> None:
    saved(sender, pk)


def _sources():
    from chairs.models import ChairTerm
    from events.models import ExternalEvent, InputRequest
    from groups.models import Agency, Evaluation, Group, GroupCoChair, TermsOfReference
    from meetings.models import ActionPoint, Decision, Meeting
    from workplans.models import Activity, ActivityUpdate, ReportingRound

    return [
        ChairTerm,
        Agency,
        Evaluation,
        Group,
        GroupCoChair,
        TermsOfReference,
        ActionPoint,
        Decision,
        Meeting,
        Activity,
        ActivityUpdate,
        ReportingRound,
        ExternalEvent,
        InputRequest,
    ]


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        saved(sender, instance.pk)


def _before_delete(sender, instance, **kwargs) -> None:
    from workplans.models import Activity

    if sender is Activity:
        instance._register_leads = _leads([instance.pk])


def _on_delete(sender, instance, **kwargs) -> None:
    from events.models import Contribution, InputRequest
    from workplans.models import Activity, ActivityUpdate

    if sender is Activity:
        saved(Activity, instance.pk, leads=getattr(instance, "_register_leads", ()))
    elif sender is ActivityUpdate:
        saved(Activity, instance.activity_id)
    elif sender is Contribution:
        saved(InputRequest, instance.request_id)
    else:
        saved(sender, instance.pk)


def _on_contribution(sender, instance, raw=False, **kwargs) -> None:
    from events.models import InputRequest

    if not raw:
        saved(InputRequest, instance.request_id)


def _on_agencies_asked(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    from events.models import InputRequest

    if action in ("post_add", "post_remove", "post_clear"):
        if reverse:  # agency.input_requests.add(...)
            changed(InputRequest, pk_set or InputRequest.objects.filter(agencies=instance).values_list("pk", flat=True))
        else:
            changed(InputRequest, [instance.pk])


def _on_leads(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    from workplans.models import Activity

    if _paused:
        return
    if action == "pre_clear":
        instance._register_leads = (
            _leads([instance.pk])
            if not reverse
            else set(Activity.objects.filter(lead_agencies=instance).values_list("pk", flat=True))
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    before = set(getattr(instance, "_register_leads", ())) if action == "post_clear" else set()
    if reverse:  # agency.led_activities.add(...)
        activity_ids = set(pk_set or ()) | before
        changed(Activity, activity_ids)
        rounds_changed({instance.pk}, activity_ids)
    else:
        changed(Activity, [instance.pk])
        rounds_changed(_leads([instance.pk]) | set(pk_set or ()) | before, [instance.pk])


def connect() -> None:
    """Keep the register current on every save and delete of its sources (called from the app's `ready`)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

    from events.models import Contribution, InputRequest
    from kit.signals import row_updated
    from workplans.models import Activity

    row_updated.connect(_on_row_updated, dispatch_uid="register-row-updated")
    for model in _sources():
        post_save.connect(_on_save, sender=model, dispatch_uid=f"register-save-{model._meta.label}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"register-delete-{model._meta.label}")
    pre_delete.connect(_before_delete, sender=Activity, dispatch_uid="register-before-delete-activity")
    m2m_changed.connect(_on_leads, sender=Activity.lead_agencies.through, dispatch_uid="register-leads")
    post_save.connect(_on_contribution, sender=Contribution, dispatch_uid="register-save-contribution")
    post_delete.connect(_on_delete, sender=Contribution, dispatch_uid="register-delete-contribution")
    m2m_changed.connect(_on_agencies_asked, sender=InputRequest.agencies.through, dispatch_uid="register-asked")


def _after_migrate(sender, **kwargs) -> None:
    """After `migrate`: a register still empty while the record has obligations is built."""
    using = kwargs.get("using", "default")
    if using != "default" or RegisterEntry.objects.exists():
        return
    rebuild()


def in_state(state: str, on: date) -> Q:
    """Rows in `state` on the day `on`, as `deadlines.obligation_state` sets it ("open": not done)."""
    from datetime import timedelta

    from django.conf import settings

    done = Q(done_on__isnull=False) | Q(done_when_due=True, due__lte=on)
    soon = on + timedelta(days=settings.GMG_DUE_SOON_DAYS)
    return {
        "open": ~done,
        "done": done,
        "overdue": ~done & Q(due__lt=on),
        "due": ~done & Q(due__gte=on, due__lte=soon),
        "upcoming": ~done & Q(due__gt=soon),
    }[state]
