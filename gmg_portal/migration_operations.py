"""Migration operations for what only PostgreSQL (the portal's database) can hold.

`make run` serves the record from an embedded SQLite database; an index it cannot build (an ordered index with
NULLS LAST) is kept in the models' state everywhere and built only on PostgreSQL.
"""

from django.db import migrations


class AddIndexOnPostgres(migrations.AddIndex):
    """`AddIndex`, built only on PostgreSQL; the state (and so `makemigrations --check`) is the same everywhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
