"""How far the record has changed, part by part, and the parts of pages kept while what they read has not.

The dashboard's panels and a work plan's page cost what they show (tens of queries and a hundred kilobytes of
HTML at a hundred times the GMG's record), yet the record changes a few times an hour and those pages are read all
day. So what a page computes from the record alone is kept in the cache under the version of the parts of the
record it reads, and made afresh once one of them changes - and only then: a save in one plan does not redraw
another plan's page, nor the dashboard's panels that do not show it.

The version is PostgreSQL's to keep, not Python's. Every record table carries a statement-level trigger that
adds a row to `gmg_record_change` naming the table (installed after every `migrate`, so a new model is covered
without anyone remembering it), whatever made the change - a form, a queryset's update(), a bulk load, the admin,
a raw statement. An app may also name a model that owns a share of the record (`record_owner`: the work plans'
WorkPlan): every table of the app with a path of foreign keys to it gets triggers that add a row naming the owner
of each changed row ("workplan:12"), and "workplan:*" when a table is emptied at once (TRUNCATE).

A version is how many such rows there are for the parts read (those folded into `gmg_record_part_version`
included) and the highest id among them. Rows are only ever added and ids are never reused, so two different
states of those parts - committed, or seen from inside a transaction that has written and may still roll back -
never share a version. It is read before the page reads the record, so what is kept under it is never older than
it says.

The embedded SQLite database of `make run` has no version: nothing is kept there. A cache that does not answer
(Redis down) costs the page its speed, never the page.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import translation

logger = logging.getLogger(__name__)

# The apps whose tables are the record say so in their AppConfig (`holds_the_record = True`), and name there the
# models of theirs that are not (`not_the_record`: the reminders' logs and a person's notices change all day and
# no page kept here shows them) and the columns of a model that are not (`not_the_record_columns`), and the model
# whose rows own a share of the record (`record_owner`).

TRIGGER = "gmg_record_changed"
OWNER_TRIGGER = "gmg_owner_changed"
FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO gmg_record_change (part) VALUES (TG_TABLE_NAME);
    RETURN NULL;
END
$$
"""
EVERY = """
SELECT coalesce((SELECT sum(changes) FROM gmg_record_part_version), 0)
       + (SELECT count(*) FROM gmg_record_change),
       greatest(coalesce((SELECT max(top) FROM gmg_record_part_version), 0),
                coalesce((SELECT max(id) FROM gmg_record_change), 0))
"""
SOME = """
SELECT coalesce((SELECT sum(changes) FROM gmg_record_part_version WHERE part = ANY(%(parts)s)), 0)
       + (SELECT count(*) FROM gmg_record_change WHERE part = ANY(%(parts)s)),
       greatest(coalesce((SELECT max(top) FROM gmg_record_part_version WHERE part = ANY(%(parts)s)), 0),
                coalesce((SELECT max(id) FROM gmg_record_change WHERE part = ANY(%(parts)s)), 0))
"""
BY_PART = """
SELECT part, count(*), max(id) FROM gmg_record_change WHERE part = ANY(%(parts)s) GROUP BY part
UNION ALL
SELECT part, changes, top FROM gmg_record_part_version WHERE part = ANY(%(parts)s)
"""
FOLD = """
WITH gone AS (DELETE FROM gmg_record_change RETURNING id, part)
INSERT INTO gmg_record_part_version (part, changes, top)
SELECT part, count(*), max(id) FROM gone GROUP BY part
ON CONFLICT (part) DO UPDATE SET changes = gmg_record_part_version.changes + excluded.changes,
                                 top = greatest(gmg_record_part_version.top, excluded.top)
"""


def record_tables() -> list[str]:
    """The tables whose changes change the version: every concrete table of the record apps, their many-to-many
    and history tables included (the audit trail is kept too), less the models each names as not the record."""
    tables = []
    for config in apps.get_app_configs():
        if not getattr(config, "holds_the_record", False):
            continue
        not_the_record = set(getattr(config, "not_the_record", ()))
        for model in config.get_models(include_auto_created=True):
            meta = model._meta
            if meta.proxy or not meta.managed or meta.object_name in not_the_record:
                continue
            tables.append(meta.db_table)
    return sorted(set(tables))


def columns_not_the_record() -> dict[str, list[str]]:
    """The record tables an app names columns of that are not the record (`not_the_record_columns`, e.g. a
    person's last sign-in, written at every sign-in and shown on no kept page), with the columns that are: an
    UPDATE that sets only the others leaves the version where it was."""
    found = {}
    for config in apps.get_app_configs():
        for name, columns in getattr(config, "not_the_record_columns", {}).items():
            meta = config.get_model(name)._meta
            left_out = {meta.get_field(column).column for column in columns}
            found[meta.db_table] = [f.column for f in meta.concrete_fields if f.column not in left_out]
    return found


def owner_paths() -> dict[str, tuple[str, list]]:
    """For each table with a share owned by a `record_owner`: the owner's part prefix ("workplan") and the
    foreign keys that lead from the table to the owner (empty for the owner's own table), the shortest way."""
    found = {}
    for config in apps.get_app_configs():
        owner_name = getattr(config, "record_owner", "")
        if not (getattr(config, "holds_the_record", False) and owner_name):
            continue
        owner = config.get_model(owner_name)
        models = [m for m in config.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]
        paths = {owner: []}
        while True:
            grown = False
            for model in models:
                if model in paths:
                    continue
                for field in model._meta.concrete_fields:
                    if field.many_to_one or field.one_to_one:
                        target = field.related_model
                        if target in paths and (model not in paths or len(paths[target]) + 1 < len(paths[model])):
                            paths[model] = [field, *paths[target]]
                            grown = True
            if not grown:
                break
        tables = set(record_tables())
        for model, path in paths.items():
            if model._meta.db_table in tables:
                found[model._meta.db_table] = (owner._meta.model_name, path)
    return found


def _owner_select(prefix: str, path: list, rows: str, model_pk: str) -> str:
    """SQL naming the owner part of each row of the transition table `rows`."""
    if not path:
        return f"SELECT DISTINCT '{prefix}:' || c.\"{model_pk}\" FROM {rows} c"
    joins, column = [], f'c."{path[0].column}"'
    for step, field in enumerate(path[1:], start=1):
        table = field.model._meta.db_table
        joins.append(f'JOIN "{table}" t{step} ON t{step}."{field.model._meta.pk.column}" = {column}')
        column = f't{step}."{field.column}"'
    return (
        f"SELECT DISTINCT '{prefix}:' || {column} FROM {rows} c {' '.join(joins)} WHERE {column} IS NOT NULL"
    )


def _owner_triggers(cursor, table: str, prefix: str, path: list) -> None:
    """The triggers that name the owner of every row a statement adds, changes or removes in `table`."""
    model_pk = next(
        m._meta.pk.column for m in apps.get_models(include_auto_created=True) if m._meta.db_table == table
    )
    stem = "gmg_owner_" + hashlib.sha256(table.encode()).hexdigest()[:16]
    writes = {
        "INSERT": ("REFERENCING NEW TABLE AS changed", [_owner_select(prefix, path, "changed", model_pk)]),
        "UPDATE": (
            "REFERENCING OLD TABLE AS gone NEW TABLE AS changed",
            [_owner_select(prefix, path, rows, model_pk) for rows in ("gone", "changed")],
        ),
        "DELETE": ("REFERENCING OLD TABLE AS gone", [_owner_select(prefix, path, "gone", model_pk)]),
    }
    for op, (referencing, selects) in writes.items():
        function = f"{stem}_{op.lower()}"
        body = " UNION ".join(selects)
        cursor.execute(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO gmg_record_change (part) {body}; RETURN NULL; END $$"
        )
        cursor.execute(f'DROP TRIGGER IF EXISTS {OWNER_TRIGGER}_{op.lower()} ON "{table}"')
        cursor.execute(
            f'CREATE TRIGGER {OWNER_TRIGGER}_{op.lower()} AFTER {op} ON "{table}" {referencing} '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )
    function = f"{stem}_truncate"
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"INSERT INTO gmg_record_change (part) VALUES ('{prefix}:*'); RETURN NULL; END $$"
    )
    cursor.execute(f'DROP TRIGGER IF EXISTS {OWNER_TRIGGER}_truncate ON "{table}"')
    cursor.execute(
        f'CREATE TRIGGER {OWNER_TRIGGER}_truncate AFTER TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
    )


def install(using: str = "default") -> None:
    """Put the triggers on every record table (and take them off a table that is no longer the record's)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    watched = set(record_tables())
    owned = owner_paths()
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s", [TRIGGER]
        )
        have = {name for (name,) in cursor.fetchall()}
        for table in sorted(have - watched):
            cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
            cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER}_update ON "{table}"')
        partly = columns_not_the_record()
        for table in sorted(watched - have) + sorted(partly):
            cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
            cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER}_update ON "{table}"')
            if table not in partly:
                cursor.execute(
                    f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
                )
                continue
            cursor.execute(
                f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR TRUNCATE ON "{table}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )
            columns = ", ".join(f'"{column}"' for column in partly[table])
            cursor.execute(
                f'CREATE TRIGGER {TRIGGER}_update AFTER UPDATE OF {columns} ON "{table}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE %s",
            [f"{OWNER_TRIGGER}%"],
        )
        for (table,) in cursor.fetchall():
            if table not in owned:
                for op in ("insert", "update", "delete", "truncate"):
                    cursor.execute(f'DROP TRIGGER IF EXISTS {OWNER_TRIGGER}_{op} ON "{table}"')
        for table, (prefix, path) in sorted(owned.items()):
            _owner_triggers(cursor, table, prefix, path)


@functools.lru_cache(maxsize=4096)
def parts_read(reads: tuple[str, ...]) -> list[str]:
    """The parts a page reads, from what it names: an app's label stands for every record table of that app, an
    owner's part ("workplan:12") for itself and for the whole of its tables emptied at once ("workplan:*")."""
    tables = set(record_tables())
    found = set()
    for name in reads:
        if ":" in name:
            found |= {name, name.split(":", 1)[0] + ":*"}
            continue
        try:
            config = apps.get_app_config(name)
        except LookupError:
            found.add(name)  # a table named by itself
            continue
        found |= {m._meta.db_table for m in config.get_models(include_auto_created=True)} & tables
    return sorted(found)


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    install(using)


def current(reads: Iterable[str] | None = None, using: str = "default") -> str | None:
    """The version of the parts of the record named in `reads` (see parts_read; all of it when None) as seen by
    this connection now, or None where there is none (SQLite)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        if reads is None:
            cursor.execute(EVERY)
        else:
            cursor.execute(SOME, {"parts": parts_read(tuple(reads))})
        changes, top = cursor.fetchone()
    return f"{changes}.{top}"


def versions(read_sets: list[tuple[str, ...]], using: str = "default") -> list[str] | None:
    """The version of each set of parts (as `current` gives it for one), read together in one query."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    wanted = [parts_read(tuple(reads)) for reads in read_sets]
    with connection.cursor() as cursor:
        cursor.execute(BY_PART, {"parts": sorted(set().union(*wanted))})
        by_part: dict[str, tuple[int, int]] = {}
        for part, changes, top in cursor.fetchall():
            had = by_part.get(part, (0, 0))
            by_part[part] = (had[0] + changes, max(had[1], top or 0))
    found = []
    for parts in wanted:
        seen = [by_part.get(part, (0, 0)) for part in parts]
        found.append(f"{sum(n for n, _ in seen)}.{max((top for _, top in seen), default=0)}")
    return found


def fold(using: str = "default") -> None:
    """Fold the change rows into their count, so that reading the version stays one small query. The version
    itself does not move. Run with the periodic sweep."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(FOLD)


# Where a kept page's forms carry their CSRF token: the page is kept with this in its place, and each answer fills
# in the reader's own (`with_csrf`). Made of letters only, so that escaping leaves it as it is.
CSRF_SLOT = "gmgkeptcsrftokenslot"


def with_csrf(html: str, request) -> str:
    """A kept page with the reader's CSRF token where its forms carry one."""
    from django.middleware.csrf import get_token

    return html.replace(CSRF_SLOT, get_token(request)) if CSRF_SLOT in html else html


def hash_of(reads: tuple) -> str:
    return hashlib.sha256(repr(sorted(reads)).encode()).hexdigest()[:8] + "."


def _digest(parts: tuple) -> str:
    """What a kept piece depends on besides the record: its `parts` and the language it is written in."""
    return hashlib.sha256(repr((translation.get_language(), parts)).encode()).hexdigest()[:32]


def kept[T](
    name: str, parts: tuple, make: Callable[[], T], *, reads: Iterable[str] | None = None, version: str | None = None
) -> T:
    """`make()`, kept in the cache under the version of the parts of the record it `reads` (all of it when None;
    see parts_read), `name` and `parts` (everything besides the record that the result depends on: the day, the
    options of the page, the kind of reader) for GMG_RECORD_CACHE_SECONDS. What is kept must not depend on who
    reads it beyond what `parts` says (no form with a CSRF token), and `reads` must name every part `make` reads.
    `version`: the version of `reads` when the caller has read it already (with others in one query: versions())."""
    seconds = settings.GMG_RECORD_CACHE_SECONDS
    reads = None if reads is None else tuple(reads)
    if version is None and seconds:
        version = current(reads)
    if version is None or not seconds:
        return make()
    digest = _digest(parts)
    key = f"record:{name}:{version}:{digest}" if reads is None else f"record:{name}:{hash_of(reads)}{version}:{digest}"
    try:
        found = cache.get(key)
    except Exception:  # the cache is not answering: the page is made as if nothing were kept
        logger.warning("The cache did not answer; %s is made afresh.", name, exc_info=True)
        return make()
    if found is not None:
        return found
    found = make()
    try:
        cache.set(key, found, seconds)
    except Exception:
        logger.warning("The cache did not answer; %s is not kept.", name, exc_info=True)
    return found


def kept_together(pieces: list[tuple[str, tuple, Callable[[], str], tuple[str, ...]]]) -> list[str]:
    """Several pieces of a page, each as `kept` keeps it ((name, parts, make, reads)), their versions read in one
    query and the kept ones fetched in one round trip to the cache: a piece is made afresh only when a part of the
    record it reads has changed."""
    seconds = settings.GMG_RECORD_CACHE_SECONDS
    found = versions([reads for *_, reads in pieces]) if seconds else None
    if found is None:
        return [make() for _, _, make, _ in pieces]
    keys = [
        f"record:{name}:{hash_of(tuple(reads))}{version}:{_digest(parts)}"
        for (name, parts, _, reads), version in zip(pieces, found, strict=True)
    ]
    try:
        have = cache.get_many(keys)
    except Exception:
        logger.warning("The cache did not answer; the pieces are made afresh.", exc_info=True)
        return [make() for _, _, make, _ in pieces]
    made = {key: make() for key, (_, _, make, _) in zip(keys, pieces, strict=True) if key not in have}
    if made:
        try:
            cache.set_many(made, seconds)
        except Exception:
            logger.warning("The cache did not answer; the pieces are not kept.", exc_info=True)
    return [have[key] if key in have else made[key] for key in keys]
