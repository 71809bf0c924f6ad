"""The search's stored vectors and trigram indexes, as SQL and as migration operations (the apps' migrations add
them to the searched tables; `overview.search` reads them)."""

WEIGHTS = ("A", "B", "C", "D")


def stored_vector_sql(table: str, fields: tuple[str, ...]) -> list[str]:
    """PostgreSQL statements that keep `table.search_vector` as `SearchVector` would compute it from `fields`.

    The first field weighs A, the next B and C, the rest D, with the English configuration - as `_matching`
    ranks them. A trigger sets it on every insert and update (bulk inserts and queryset updates too), a GIN
    index serves the search, and the existing rows are filled once.
    """
    function = f"{table}_search_vector"
    return [
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"NEW.search_vector := {weighted_vector_sql([f'NEW.{name}' for name in fields])}; RETURN NEW; END $$",
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"CREATE TRIGGER {function} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
        f"UPDATE {table} SET search_vector = NULL",
        f"CREATE INDEX IF NOT EXISTS {table}_search_gin ON {table} USING gin (search_vector)",
    ]


def weighted_vector_sql(columns: list[str]) -> str:
    """The SQL of `computed_vector` over these columns: the first weighs A, the next B and C, the rest D."""
    return " || ".join(
        f"setweight(to_tsvector('english'::regconfig, COALESCE({column}::text, '')), '{WEIGHTS[min(i, 3)]}')"
        for i, column in enumerate(columns)
    )


def drop_stored_vector_sql(table: str) -> list[str]:
    function = f"{table}_search_vector"
    return [
        f"DROP INDEX IF EXISTS {table}_search_gin",
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"DROP FUNCTION IF EXISTS {function}()",
    ]


def trigram_index_sql(table: str, field_name: str) -> str:
    """A trigram index for `icontains` on a name (Django matches it as UPPER(field::text) LIKE UPPER(...))."""
    return (
        f"CREATE INDEX IF NOT EXISTS {table}_{field_name}_trgm ON {table} "
        f"USING gin ((UPPER({field_name}::text)) gin_trgm_ops)"
    )


def search_indexes_operation(searched: dict[str, tuple[str, ...]], trigrams: list[tuple[str, str]]):
    """The migration operation that adds (and on reversal drops) the stored vectors and the trigram indexes."""
    from django.db import migrations

    def add(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return  # the embedded SQLite database of `make run` searches without them
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table, fields in searched.items():
            for statement in stored_vector_sql(table, fields):
                schema_editor.execute(statement)
        for table, field_name in trigrams:
            schema_editor.execute(trigram_index_sql(table, field_name))

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, field_name in trigrams:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{field_name}_trgm")
        for table in searched:
            for statement in drop_stored_vector_sql(table):
                schema_editor.execute(statement)

    return migrations.RunPython(add, drop)


def gin_at_once_operation(indexes: list[str]):
    """The migration operation that has these GIN indexes take each change at once, and merges in what they hold
    back now (on reversal they hold changes back again).

    A GIN index keeps new entries in a pending list by default, which every search reads through until a vacuum
    merges it: after the hundred-fold record was loaded (and with autovacuum off), a rare word's search read
    megabytes of it, and the planner scanned whole tables instead. The record is written by people, a row at a
    time: each change costs a little more to write, every search less.
    """
    from django.db import migrations

    def at_once(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for index in indexes:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {index} SET (fastupdate = off)")
            schema_editor.execute(f"SELECT gin_clean_pending_list(to_regclass('{index}'))")

    def held_back(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for index in indexes:
            schema_editor.execute(f"ALTER INDEX IF EXISTS {index} RESET (fastupdate)")

    return migrations.RunPython(at_once, held_back)
