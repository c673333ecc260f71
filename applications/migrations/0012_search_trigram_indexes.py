"""Trigram indexes for the staff list's search (filters.applications_matching).

GIN indexes with `gin_trgm_ops` over the expressions `core.search.text_contains` compares
(names: each character doubled, upper-cased; codes: upper-cased) answer the search without
reading every row, for Chinese names of two characters or more as for credit codes and their
prefixes. PostgreSQL
only: on SQLite this migration does nothing and the search falls back to plain matching.
"""

from django.db import migrations

from core.search import code_trigram_index_sql, trigram_index_sql

# (index name, table, column, how): the names are asserted in the query-plan test.
SEARCH_INDEXES = (
    ("application_center_name_trgm", "applications_application", "center_name",
     trigram_index_sql),
    ("organisation_name_trgm", "accounts_organisation", "name", trigram_index_sql),
    ("organisation_uscc_trgm", "accounts_organisation", "uscc", code_trigram_index_sql),
    ("applicationunit_name_trgm", "applications_applicationunit", "name", trigram_index_sql),
    ("applicationunit_uscc_trgm", "applications_applicationunit", "uscc",
     code_trigram_index_sql),
)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column, index_sql in SEARCH_INDEXES:
        for statement in index_sql(name, table, column):
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, *_ in SEARCH_INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}_2"')


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_merge_20261129_1803'),
        ('applications', '0011_merge_0009_export_progress_0010_merge_20261129_1853'),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
