"""How far the record has changed, and the parts of pages kept while it has not.

The dashboard's panels cost what the record holds (tens of queries and a hundred kilobytes of HTML at a hundred
times the GMG's record), yet the record changes a few times an hour and the dashboard is read all day. So what a
page computes from the record alone is kept in the cache under the record's version, and made afresh once the
record changes.

The version is PostgreSQL's to keep, not Python's: every record table carries a statement-level trigger that
adds a row to `gmg_record_change` (installed after every `migrate`, so a new model is covered without anyone
remembering it), whatever made the change - a form, a queryset's update(), a bulk load, the admin, a raw
statement. The version is how many such rows there are (those folded into `gmg_record_version` included) and the
highest id among them. Rows are only ever added and ids are never reused, so two different states of the record
- committed, or seen from inside a transaction that has written and may still roll back - never share a version.
It is read before the page reads the record, so what is kept under it is never older than it says.

The embedded SQLite database of `make run` has no version: nothing is kept there. A cache that does not answer
(Redis down) costs the page its speed, never the page.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections

logger = logging.getLogger(__name__)

# The apps whose tables are the record say so in their AppConfig (`holds_the_record = True`), and name there the
# models of theirs that are not (`not_the_record`: the reminders' logs and a person's notices change all day and
# no page kept here shows them).

TRIGGER = "gmg_record_changed"
FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO gmg_record_change DEFAULT VALUES;
    RETURN NULL;
END
$$
"""
VERSION = """
SELECT coalesce((SELECT changes FROM gmg_record_version WHERE id = 1), 0)
       + (SELECT count(*) FROM gmg_record_change),
       greatest(coalesce((SELECT top FROM gmg_record_version WHERE id = 1), 0),
                coalesce((SELECT max(id) FROM gmg_record_change), 0))
"""
FOLD = """
WITH gone AS (DELETE FROM gmg_record_change RETURNING id)
INSERT INTO gmg_record_version (id, changes, top)
SELECT 1, count(*), coalesce(max(id), 0) FROM gone
ON CONFLICT (id) DO UPDATE SET changes = gmg_record_version.changes + excluded.changes,
                               top = greatest(gmg_record_version.top, excluded.top)
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


def install(using: str = "default") -> None:
    """Put the trigger on every record table (and take it off a table that is no longer the record's)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    watched = set(record_tables())
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s", [TRIGGER]
        )
        have = {name for (name,) in cursor.fetchall()}
        for table in sorted(have - watched):
            cursor.execute(f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"')
        for table in sorted(watched - have):
            cursor.execute(
                f'CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
            )


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    install(using)


def current(using: str = "default") -> str | None:
    """The record's version as seen by this connection now, or None where there is none (SQLite)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(VERSION)
        changes, top = cursor.fetchone()
    return f"{changes}.{top}"


def fold(using: str = "default") -> None:
    """Fold the change rows into their count, so that reading the version stays one small query. The version
    itself does not move. Run with the periodic sweep."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(FOLD)


def kept[T](name: str, parts: tuple, make: Callable[[], T]) -> T:
    """`make()`, kept in the cache under the record's version, `name` and `parts` (everything besides the record
    that the result depends on: the day, the options of the page) for GMG_RECORD_CACHE_SECONDS. What is kept must
    not depend on who reads it (no form with a CSRF token, no link only some may follow)."""
    seconds = settings.GMG_RECORD_CACHE_SECONDS
    version = current() if seconds else None
    if version is None:
        return make()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"record:{name}:{version}:{digest}"
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
