"""The GMG's real record for the tests that ask for it (the `gmg_record` fixture), loaded once per test session.

Loading the record from data/gmg/ (`load_gmg_record`) writes thousands of rows through the ORM and costs seconds;
well over a hundred tests start from it. So the session loads it once, inside a transaction, copies the rows it
wrote out of PostgreSQL (COPY, binary: every value as stored), and rolls back. A test that asks for the record
gets those rows copied back into its own empty database (milliseconds), inside the test's transaction: rolled
back after it like anything else the test writes, or flushed after a transactional test.

What a test sees is what `load_gmg_record()` would have written: the same rows with the same values (a second
load on top finds every row as it is: tests/record/test_load_gmg_data.py), and the tables' statement
triggers fire as they do for any write, so the record's version (kit.record_version) moves as after a
load. Where the database is not empty of the record when the test asks (a fixture made an agency first), the
record is loaded the ordinary way instead, so the answer never depends on the shortcut.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

# Tables the copy leaves alone: the migrations' bookkeeping, and the record version's change log, which the
# tables' own triggers write when the rows are copied back.
NOT_COPIED = {"django_migrations", "gmg_record_change", "gmg_record_part_version"}


@dataclass
class Snapshot:
    report: object  # the LoadReport of the session's load
    tables: dict[str, bytes]  # table -> its rows as written by the load (COPY binary)
    sequences: dict[str, tuple[str, str]]  # table -> (column, its sequence) for each column with one
    content_types: dict[int, tuple[str, str]]  # id -> (app label, model) when the copy was made
    content_type_columns: list[tuple[str, str]]  # (table, column) of the copied rows that name a content type

    @property
    def empty_check(self) -> str:
        return "SELECT " + " OR ".join(f'EXISTS (SELECT 1 FROM "{table}")' for table in self.tables)


# How often a test got the copy and how often the record was loaded after all (see tests/test_record_snapshot.py).
USES = {"copied": 0, "loaded": 0}


def _public_tables(cursor) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [name for (name,) in cursor.fetchall() if name not in NOT_COPIED]


def _counts(cursor, tables: list[str]) -> dict[str, int]:
    if not tables:
        return {}
    cursor.execute(" UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables))
    return dict(cursor.fetchall())


def take() -> Snapshot:
    """Load the record in a transaction, copy out what the load wrote, and roll the load back."""
    from django.db import connection, transaction

    from record.loader import load_gmg_record

    with transaction.atomic():
        with connection.cursor() as cursor:
            tables = _public_tables(cursor)
            before = _counts(cursor, tables)
        report = load_gmg_record()
        # A load into a database without the record creates every row (many-to-many links count as updates).
        if sum(report.unchanged.values()) or any(n for name, n in report.updated.items() if "(" not in name):
            raise RuntimeError("The GMG record was already (partly) in the database when the session's copy was made.")
        copied: dict[str, bytes] = {}
        with connection.cursor() as cursor:
            after = _counts(cursor, tables)
            for table in tables:
                if after[table] == before[table]:
                    continue
                if before[table]:
                    # Rows the migrations put there (content types, permissions) would be copied twice.
                    raise RuntimeError(
                        f"Loading the GMG record added rows to {table}, which already had {before[table]} before it: "
                        "tests/record_snapshot.py copies only tables that the load alone fills."
                    )
                buffer = io.BytesIO()
                cursor.copy_expert(f'COPY "{table}" TO STDOUT WITH (FORMAT binary)', buffer)
                copied[table] = buffer.getvalue()
            cursor.execute(
                "SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname) "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                "WHERE n.nspname = 'public' AND c.relname = ANY(%s) "
                "AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL",
                [list(copied)],
            )
            sequences = {table: (column, sequence) for table, column, sequence in cursor.fetchall()}
            # The copied rows may point at rows the load did not write only where these stay as they are - but
            # content types get new ids when a transactional test's flush makes them anew: restore() maps them.
            cursor.execute(
                "SELECT t.relname, a.attname, r.relname FROM pg_constraint c "
                "JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                "WHERE c.contype = 'f' AND t.relname = ANY(%s) AND NOT r.relname = ANY(%s)",
                [list(copied), list(copied)],
            )
            content_type_columns = []
            for table, column, target in cursor.fetchall():
                if target == "django_content_type":
                    content_type_columns.append((table, column))
                    continue
                cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NOT NULL')
                if cursor.fetchone()[0]:
                    raise RuntimeError(
                        f"The GMG record's {table}.{column} points at rows of {target} that the load did not write: "
                        "tests/record_snapshot.py cannot copy it."
                    )
            cursor.execute("SELECT id, app_label, model FROM django_content_type")
            content_types = {pk: (app, model) for pk, app, model in cursor.fetchall()}
        transaction.set_rollback(True)
    return Snapshot(
        report=report,
        tables=copied,
        sequences=sequences,
        content_types=content_types,
        content_type_columns=content_type_columns,
    )


def _content_type_moves(cursor, snapshot: Snapshot) -> dict[int, int] | None:
    """Old id -> new id of the content types that have other ids now (None: one is gone)."""
    cursor.execute("SELECT app_label, model, id FROM django_content_type")
    now = {(app, model): pk for app, model, pk in cursor.fetchall()}
    moves = {}
    for old, key in snapshot.content_types.items():
        if key not in now:
            return None
        if now[key] != old:
            moves[old] = now[key]
    return moves


def restore(snapshot: Snapshot):
    """Copy the record into the (empty) database; load it the ordinary way where it is not empty. The load's
    report either way."""
    from django.db import connection, transaction

    from record.loader import load_gmg_record

    # One transaction in a transactional test too: the foreign keys are checked at its end.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(snapshot.empty_check)
        (occupied,) = cursor.fetchone()
        moves = _content_type_moves(cursor, snapshot)
        if not occupied and moves is not None:
            for table, rows in snapshot.tables.items():
                cursor.copy_expert(f'COPY "{table}" FROM STDIN WITH (FORMAT binary)', io.BytesIO(rows))
            if moves:
                cases = " ".join(f"WHEN {old} THEN {new}" for old, new in moves.items())
                for table, column in snapshot.content_type_columns:
                    cursor.execute(
                        f'UPDATE "{table}" SET "{column}" = CASE "{column}" {cases} ELSE "{column}" END '
                        f'WHERE "{column}" IN ({", ".join(map(str, moves))})'
                    )
            # Ids are never handed out twice: each sequence moves past the ids copied in (sequences are not
            # rolled back, so they are usually past them already).
            if snapshot.sequences:
                cursor.execute(
                    "SELECT "
                    + ", ".join(
                        f'setval(\'{sequence}\', greatest((SELECT max("{column}") FROM "{table}"), '
                        f"(SELECT last_value FROM {sequence})))"
                        for table, (column, sequence) in snapshot.sequences.items()
                    )
                )
            USES["copied"] += 1
            return snapshot.report
    USES["loaded"] += 1
    return load_gmg_record()
