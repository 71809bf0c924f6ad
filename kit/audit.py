"""The audit trail: every change to every record, with who made it, when, and the fields before and after.

Each record model declares `history = audited()` (django-simple-history). The person comes from the request
(simple-history's HistoryRequestMiddleware); work done without a request (a Celery task, a management command)
names itself with `acting_as(...)`, kept in `history_actor`. Reads for the "History" panel of each record page
(`record_history`) and for the support team's audit page (`audit_entries`) are here, in a fixed number of
queries whatever the length of the history (the audit page: whatever the number of record models too).
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models import OuterRef, Subquery, prefetch_related_objects
from django.dispatch import receiver
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

_actor: contextvars.ContextVar[str] = contextvars.ContextVar("history_actor", default="")

# The bookkeeping fields of a record that say nothing to a reader of its history.
HIDDEN_FIELDS = {"id", "revision", "token", "updated_at", "sequence", "password", "last_login"}
KINDS = {
    "+": pgettext_lazy("history", "created"),
    "~": pgettext_lazy("history", "changed"),
    "-": pgettext_lazy("history", "removed"),
}
# How many entries the History panel of a page shows (the audit page has them all).
PANEL_ENTRIES = 30


class HistoryActor(models.Model):
    """What made a change when no person did: a background task or a command."""

    history_actor = models.CharField(max_length=120, blank=True)

    class Meta:
        abstract = True


_histories: list[HistoricalRecords] = []


class AuditedRecords(HistoricalRecords):
    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return  # a save of fields the history leaves out (a sign-in's last_login) changes nothing it shows
        super().post_save(instance, created, using=using, **kwargs)


def audited(**options) -> HistoricalRecords:
    """The history of a record model: `history = audited()` (with simple-history's options, e.g. m2m_fields)."""
    records = AuditedRecords(bases=[HistoryActor], **options)
    _histories.append(records)
    return records


def record_change(obj: models.Model, *, reason: str = "") -> None:
    """One history row for a change written by a conditional `update()` (simple-history hears only save()).

    The person is the request's, as for a save(); `obj` is the row as it now is in the database.
    """
    records = next((r for r in _histories if getattr(r, "cls", None) is type(obj)), None)
    if records is None:
        raise ValueError(f"{type(obj).__name__} keeps no history (give it `history = audited()`).")
    if reason:
        obj._change_reason = reason
    records.create_historical_record(obj, "~")


@contextmanager
def acting_as(actor: str):
    """Changes made inside are recorded as made by `actor` (e.g. "task reminders.tasks.sweep_reminders")."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


@receiver(pre_create_historical_record)
def _name_the_actor(sender, history_instance, **kwargs):
    history_instance.history_actor = _actor.get()[:120]


def _task_started(task=None, **kwargs):
    if task is not None:
        task.request.gmg_history_actor = _actor.set(f"task {task.name}")


def _task_ended(task=None, **kwargs):
    token = getattr(getattr(task, "request", None), "gmg_history_actor", None)
    if token is not None:
        _actor.reset(token)


def connect_task_actor() -> None:
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(_task_started, weak=False, dispatch_uid="gmg_history_actor_start")
    task_postrun.connect(_task_ended, weak=False, dispatch_uid="gmg_history_actor_end")


@cache
def history_models() -> tuple[type[models.Model], ...]:
    """The historical models of the portal's own record models (kept: simple-history builds a manager per look)."""
    return tuple(
        getattr(model, model._meta.simple_history_manager_attribute).model
        for model in every_record_model()
        if getattr(model._meta, "simple_history_manager_attribute", None)
    )


def portal_apps() -> list:
    """The portal's own apps (those in its folder), not the libraries'."""
    from django.conf import settings

    base = Path(settings.BASE_DIR).resolve()
    venv = base / ".venv"
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(base) and not Path(config.path).resolve().is_relative_to(venv)
    ]


# -- reading the history -----------------------------------------------------------------------------------------


@dataclass
class Entry:
    when: datetime
    who: str
    kind: str
    what: str
    record_label: str
    reason: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)


@cache
def _tracked_fields(history_model) -> tuple:
    original = history_model.instance_type
    names = {f.name for f in original._meta.concrete_fields}
    return tuple(
        f
        for f in history_model._meta.concrete_fields
        if f.name in names and f.name not in HIDDEN_FIELDS and not f.name.startswith("history_")
    )


@cache
def _m2m_fields(history_model) -> tuple[tuple[str, str, str, type], ...]:
    """Each many-to-many field kept in the history: (name, accessor of its rows, target id column, target model)."""
    return tuple(
        (f.name, f"{history_model._meta.model_name}_{f.name}_set", f.m2m_reverse_name(), f.related_model)
        for f in getattr(history_model, "_history_m2m_fields", [])
    )


def _linked(version, accessor: str, column: str) -> list:
    """The ids a version's many-to-many field held: read with the row on the audit page, prefetched on a panel."""
    linked = getattr(version, "linked", None)
    if linked is not None:
        return linked[accessor]
    return [getattr(row, column) for row in getattr(version, accessor).all()]


def _want_labels(history_model, records: list, previous_of: dict, wanted: dict[type, set]) -> None:
    """Add to `wanted` the records that the changed foreign keys and many-to-many fields of `records` point to."""

    def want(model, ids):
        ids = set(ids) - {None}
        if ids:
            wanted.setdefault(model, set()).update(ids)

    fields = _tracked_fields(history_model)
    for record in records:
        previous = previous_of.get(record.history_id)
        if previous is None:
            continue
        for f in fields:
            if f.is_relation and f.related_model is not None:
                before, after = getattr(previous, f.attname), getattr(record, f.attname)
                if before != after:
                    want(f.related_model, [before, after])
        for _, accessor, column, target in _m2m_fields(history_model):
            before, after = set(_linked(previous, accessor, column)), set(_linked(record, accessor, column))
            if before != after:
                want(target, before | after)


def _labels(wanted: dict[type, set]) -> dict[tuple[str, object], str]:
    """The names of the wanted records: one query per target model, not per row.

    Their own foreign keys come in the same query, as many names read one (a chair term is named by its agency).
    """
    labels = {}
    for model, ids in wanted.items():
        rows = model._default_manager.filter(pk__in=ids)
        if links := [f.name for f in model._meta.concrete_fields if f.many_to_one]:
            rows = rows.select_related(*links)
        for obj in rows:
            labels[(model._meta.label, obj.pk)] = str(obj)
    return labels


def _labels_for(history_model, records: list, previous_of: dict) -> dict[tuple[str, object], str]:
    """The names of the records that changed foreign keys point to: one query per target model, not per row."""
    wanted: dict[type, set] = {}
    _want_labels(history_model, records, previous_of, wanted)
    return _labels(wanted)


def _shown(f, value, labels) -> str:
    if value is None or value == "":
        return ""
    if f.is_relation and f.related_model is not None:
        return labels.get((f.related_model._meta.label, value), f"#{value}")
    if f.flatchoices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime):
        # As the panel writes its own times: in the portal's time zone, to the minute.
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
    return str(value)


def _entries(history_model, records: list, labels: dict, previous_of: dict) -> list[Entry]:
    fields = _tracked_fields(history_model)
    m2m = _m2m_fields(history_model)
    verbose = str(history_model.instance_type._meta.verbose_name)
    entries = []
    for record in records:
        previous = previous_of.get(record.history_id)
        changes = []
        if previous is not None and record.history_type == "~":
            for f in fields:
                before, after = getattr(previous, f.attname), getattr(record, f.attname)
                if before != after:
                    changes.append((str(f.verbose_name), _shown(f, before, labels), _shown(f, after, labels)))
            for name, accessor, column, target in m2m:
                before, after = (
                    sorted(labels.get((target._meta.label, pk), "?") for pk in _linked(version, accessor, column))
                    for version in (previous, record)
                )
                if before != after:
                    changes.append((name.replace("_", " "), ", ".join(before), ", ".join(after)))
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else (record.history_actor or gettext("the system"))
        label = _record_label(record)
        entries.append(
            Entry(
                when=record.history_date,
                who=who,
                kind=KINDS.get(record.history_type, record.history_type),
                what=verbose,
                record_label=label[:120],
                # A reason the portal writes is stored in English and read in the reader's language (the
                # catalogues hold them: gettext_noop where they are written); one a person wrote stays as written.
                reason=gettext(record.history_change_reason) if record.history_change_reason else "",
                changes=changes,
            )
        )
    return entries


# A record is named in its history by the first of these it has (its str() may read other rows: a query per row).
LABEL_FIELDS = ("title", "number", "name", "short_name", "acronym", "label", "username", "version", "description")


def _record_label(record) -> str:
    for name in LABEL_FIELDS:
        value = getattr(record, name, None)
        if value:
            return str(value)
    return f"#{record.id}"


def _read(querysets: Iterable[models.QuerySet], limit: int | None) -> list[Entry]:
    """Entries from querysets of history rows, newest first: per queryset a fixed number of queries once it
    has rows (the rows, the versions just before them, one per many-to-many field, one per changed target)."""
    entries: list[Entry] = []
    for queryset in querysets:
        history_model = queryset.model
        before = history_model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        rows = (
            queryset.select_related("history_user")
            .annotate(previous_history_id=Subquery(before.order_by("-history_id").values("history_id")[:1]))
            .order_by("-history_date", "-history_id")
        )
        records = list(rows[:limit] if limit else rows)
        if not records:
            continue
        wanted = {r.previous_history_id for r in records} - {None}
        # Asked even when no row has an earlier version, so the count of queries does not depend on the data.
        previous = {row.history_id: row for row in history_model.objects.filter(history_id__in=wanted or [0])}
        m2m = [accessor for _, accessor, _, _ in _m2m_fields(history_model)]
        if m2m:
            prefetch_related_objects(records + list(previous.values()), *m2m)
        previous_of = {
            r.history_id: previous[r.previous_history_id] for r in records if r.previous_history_id in previous
        }
        labels = _labels_for(history_model, records, previous_of)
        entries.extend(_entries(history_model, records, labels, previous_of))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit] if limit else entries


def record_history(*querysets: models.QuerySet, limit: int = PANEL_ENTRIES) -> list[Entry]:
    """The History panel of a record page: the latest changes of the record and of the rows that belong to it.

    Each argument is a queryset of history rows, e.g. `meeting.history.all()` and
    `AgendaItem.history.filter(meeting_id=meeting.pk)`; a fixed number of queries per argument.
    """
    return _read(querysets, limit)


def audit_entries(*, person=None, since=None, until=None, offset: int = 0, size: int = 50) -> tuple[list[Entry], bool]:
    """The support team's audit page: every change by a person and/or in a date range, newest first.

    Returns one page of entries and whether there are more. Two queries whatever the number of record models
    and the length of their history (the page of changes with their people, then its rows with the versions
    just before them), and one per kind of record whose links changed on the page, to name them.
    """
    kinds = history_models()
    page = _newest(kinds, person=person, since=since, until=until, offset=offset, size=size)
    more = len(page) > size
    page = page[:size]
    versions = _versions(kinds, [key for key, _ in page]) if page else {}
    page = [(key, user) for key, user in page if key in versions]  # a row removed meanwhile (scale data) is left out
    records: dict[int, list] = {}
    previous_of: dict[int, dict] = {}
    for (kind, history_id), user in page:
        record = versions[(kind, history_id)]
        record.history_user = user
        records.setdefault(kind, []).append(record)
        previous = versions.get((kind, record.previous_history_id))
        if previous is not None:
            previous_of.setdefault(kind, {})[history_id] = previous
    wanted: dict[type, set] = {}
    for kind, rows in records.items():
        _want_labels(kinds[kind], rows, previous_of.get(kind, {}), wanted)
    labels = _labels(wanted)
    entries = {}
    for kind, rows in records.items():
        for record, entry in zip(rows, _entries(kinds[kind], rows, labels, previous_of.get(kind, {})), strict=True):
            entries[(kind, record.history_id)] = entry
    return [entries[key] for key, _ in page], more


# The audit page's two queries are written by hand. Built with the ORM, a union over every history table with the
# fields of each took 30 to 50 ms to compile per page at a hundred times the record, more than the database
# took to answer. They run on PostgreSQL and on the embedded SQLite alike.

# The columns every history table has, read as text with the fields of its own (see _table).
SHARED_FIELDS = ("history_type", "history_date", "history_change_reason", "history_actor")


@cache
def _row_fields(history_model) -> tuple:
    """The fields of a history row the audit page reads besides the shared ones: those shown, and those named by."""
    shown = _tracked_fields(history_model)
    names = {f.name for f in shown}
    return shown + tuple(
        f for f in history_model._meta.concrete_fields if f.name in (*LABEL_FIELDS, "id") and f.name not in names
    )


@cache
def _table(history_model) -> SimpleNamespace:
    """A history table as the audit page's SQL reads it: its name, its fields, and the texts of its columns.

    Each row comes as its kind, its history_id, the history_id of the version before it, then the texts of its
    fields and of the ids of each many-to-many field, padded to the width of the widest table (a union has
    one width), each read back with its field's own conversion (`_from_text`).
    """
    qn = connection.ops.quote_name
    fields = tuple(history_model._meta.get_field(name) for name in SHARED_FIELDS) + _row_fields(history_model)
    texts = [f"CAST(h.{qn(f.column)} AS text)" for f in fields]
    together = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    for _, accessor, column, _ in _m2m_fields(history_model):
        link = getattr(history_model, accessor).field
        texts.append(
            f"(SELECT {together}(CAST(m.{qn(column)} AS text), ',') FROM {qn(link.model._meta.db_table)} AS m "
            f"WHERE m.{qn(link.column)} = h.history_id)"
        )
    return SimpleNamespace(name=qn(history_model._meta.db_table), fields=fields, texts=texts)


@cache
def _width() -> int:
    return max(len(_table(history_model).texts) for history_model in history_models())


def _newest(kinds: tuple, *, person, since, until, offset: int, size: int) -> list[tuple[tuple[int, int], object]]:
    """The (kind, history_id) of a page of changes and the one after it, newest first, each with its person.

    Each history table gives only its newest `offset + size + 1` rows, read backwards along its history_date
    index, so a page costs the same however long the history. A kind is the place of the model in `kinds`,
    which also orders changes made at the same moment, as the page always has.
    """
    conditions, values = [], []
    if person is not None:
        conditions.append("history_user_id = %s")
        values.append(person.pk)
    if since is not None:
        conditions.append("history_date >= %s")
        values.append(connection.ops.adapt_datetimefield_value(since))
    if until is not None:
        conditions.append("history_date < %s")
        values.append(connection.ops.adapt_datetimefield_value(until))
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    wanted = offset + size + 1
    # SQLite limits the parts of a union only inside a subquery of their own.
    parts = [
        f"SELECT * FROM (SELECT {kind} AS history_kind, history_id, history_date, history_user_id "
        f"FROM {_table(history_model).name} {where} ORDER BY history_date DESC, history_id DESC LIMIT %s) AS k{kind}"
        for kind, history_model in enumerate(kinds)
    ]
    user_model = get_user_model()
    qn = connection.ops.quote_name
    names = ("first_name", "last_name", "username")
    columns = ", ".join(f"person.{qn(user_model._meta.get_field(name).column)}" for name in names)
    sql = (
        f"SELECT page.history_kind, page.history_id, page.history_user_id, {columns} "
        f"FROM (SELECT * FROM ({' UNION ALL '.join(parts)}) AS newest "
        f"ORDER BY history_date DESC, history_kind, history_id DESC LIMIT %s OFFSET %s) AS page "
        f"LEFT JOIN {qn(user_model._meta.db_table)} AS person ON person.{qn(user_model._meta.pk.column)} = "
        f"page.history_user_id ORDER BY page.history_date DESC, page.history_kind, page.history_id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, wanted] * len(kinds) + [size + 1, offset])
        rows = cursor.fetchall()
    # One instance per person (a page has 50 rows and few people; building one takes 25 µs).
    people = {}
    for _, _, user_id, first_name, last_name, username in rows:
        if username is not None and user_id not in people:
            people[user_id] = user_model(pk=user_id, first_name=first_name, last_name=last_name, username=username)
    return [((kind, history_id), people.get(user_id)) for kind, history_id, user_id, *_ in rows]


def _versions(kinds: tuple, page: list[tuple[int, int]]) -> dict[tuple[int, int], SimpleNamespace]:
    """The rows of a page and, for its changes, the versions just before them, of every kind in one query."""
    ids: dict[int, list] = {}
    for kind, history_id in page:
        ids.setdefault(kind, []).append(history_id)
    parts, values = [], []
    for kind, history_ids in ids.items():
        table = _table(kinds[kind])
        texts = ", ".join(table.texts + ["NULL"] * (_width() - len(table.texts)))
        marks = ", ".join(["%s"] * len(history_ids))
        before = (
            f"SELECT p.history_id FROM {table.name} AS p WHERE p.id = {{0}}.id AND p.history_id < {{0}}.history_id "
            "ORDER BY p.history_id DESC LIMIT 1"
        )
        # The rows and the versions before their changes (an OR of the two would read the whole table).
        parts.append(
            f"SELECT {kind}, h.history_id, CASE WHEN h.history_type = '~' THEN ({before.format('h')}) END, {texts} "
            f"FROM {table.name} AS h WHERE h.history_id IN (SELECT c.history_id FROM {table.name} AS c "
            f"WHERE c.history_id IN ({marks}) UNION ALL SELECT ({before.format('c')}) FROM {table.name} AS c "
            f"WHERE c.history_id IN ({marks}) AND c.history_type = '~')"
        )
        values.extend(history_ids * 2)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), values)
        rows = cursor.fetchall()
    versions = {}
    for kind, history_id, previous_history_id, *texts in rows:
        history_model = kinds[kind]
        table = _table(history_model)
        version = SimpleNamespace(history_id=history_id, previous_history_id=previous_history_id, linked={})
        for f, text in zip(table.fields, texts, strict=False):
            setattr(version, f.attname, _from_text(f, text))
        linked = texts[len(table.fields) :]
        for (_, accessor, _, target), text in zip(_m2m_fields(history_model), linked, strict=False):
            version.linked[accessor] = [target._meta.pk.to_python(pk) for pk in text.split(",")] if text else []
        versions[(kind, history_id)] = version
    return versions


def _from_text(f, text):
    """A field's value from its text in the database, as the ORM would have read it."""
    if text is None:
        return None
    if isinstance(f, models.BooleanField):
        return text in ("t", "true", "1")  # PostgreSQL writes true, SQLite 1
    if isinstance(f, models.JSONField):
        return json.loads(text, cls=f.decoder)
    value = f.to_python(text)
    if isinstance(f, models.DecimalField):
        return value.quantize(Decimal(1).scaleb(-f.decimal_places))  # SQLite drops the trailing zeros
    if isinstance(value, datetime) and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)  # SQLite keeps UTC without its offset
    return value


def every_record_model() -> list[type[models.Model]]:
    """The concrete models of the portal's own apps (the audit test walks them)."""
    return [
        model
        for app in portal_apps()
        for model in app.get_models()
        if not model.__name__.startswith("Historical") and not model._meta.auto_created
    ]
