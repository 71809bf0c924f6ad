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


class AddFieldInPlace(migrations.AddField):
    """`AddField` that adds the column where it stands on SQLite too (`ALTER TABLE ... ADD COLUMN`, with the default
    written in), instead of remaking the table: a remake rebuilds every index of the model's state, and SQLite
    cannot build an ordered index with NULLS LAST (the meetings list's). PostgreSQL adds the field as `AddField`
    does; the state is the same everywhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        field = model._meta.get_field(self.name)
        definition, params = schema_editor.column_sql(model, field, include_default=True)
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(model._meta.db_table)} "
            f"ADD COLUMN {schema_editor.quote_name(field.column)} {definition}",
            params or None,
        )
