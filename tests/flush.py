"""How a transactional test's database is emptied after it: a pytest plugin (loaded by tests/conftest.py).

Django empties every table after a transactional test (the browser tests, the real Celery workers, `make
serve`...) with one TRUNCATE of all of them: on PostgreSQL that makes every table's and index's files anew, over a
hundred tables here, which costs a second or two each time while the tables hold a few rows. DELETE empties
them as well in a fraction of it. The tables are the same, the end the same (every table empty, the sequences
where they were, as Django's flush leaves them without `reset_sequences`); where a test asks for its sequences to
be reset (`reset_sequences=True`) Django's own TRUNCATE ... RESTART IDENTITY is used as before.
"""

from __future__ import annotations


def pytest_configure(config):
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush
    if getattr(truncate, "deletes", False):
        return

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # The foreign keys are checked when the flush's transaction ends, when every table is empty.
        return ["SET CONSTRAINTS ALL DEFERRED"] + [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables
        ]

    sql_flush.deletes = True
    DatabaseOperations.sql_flush = sql_flush
