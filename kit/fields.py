"""Model fields every app may use."""

import json

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Lookup
from django.db.models.lookups import FieldGetDbPrepValueMixin


class IdList(ArrayField):
    """A list of ids: an integer array on PostgreSQL, JSON text on SQLite (the embedded `make run`).

    `ids__contains=[1, 2]` means "holds all of these" on both (PostgreSQL's `@>`, with the GIN index).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("base_field", models.IntegerField())
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.contrib.postgres.fields.ArrayField", args, kwargs

    def get_db_prep_value(self, value, connection, prepared=False):
        if connection.vendor != "postgresql":
            return None if value is None else json.dumps([int(v) for v in value])
        return super().get_db_prep_value(value, connection, prepared)

    def get_db_prep_save(self, value, connection):
        if connection.vendor != "postgresql":
            return self.get_db_prep_value(value, connection)
        return super().get_db_prep_save(value, connection)

    def get_placeholder_sql(self, value, compiler, connection):
        if connection.vendor != "postgresql":
            if hasattr(value, "as_sql"):
                return compiler.compile(value)
            return "%s", (value,)
        return super().get_placeholder_sql(value, compiler, connection)

    def from_db_value(self, value, expression, connection):
        return json.loads(value) if isinstance(value, str) else value


@IdList.register_lookup
class IdListHoldsAll(FieldGetDbPrepValueMixin, Lookup):
    lookup_name = "contains"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @> {rhs}::integer[]", (*lhs_params, *rhs_params)

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        sql = (
            f"NOT EXISTS (SELECT 1 FROM json_each({rhs}) AS wanted"
            f" WHERE wanted.value NOT IN (SELECT held.value FROM json_each({lhs}) AS held))"
        )
        return sql, (*rhs_params, *lhs_params)
