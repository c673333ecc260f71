"""A covering index for the counts of a call's applications by status and route: the
commission's dashboard (selectors.call_status_overview) and the intake's counts per 主管部门
(reviews.intake_selectors.intake_department_counts) are read from it alone, an index-only scan
of the call's rows instead of reading a third of the table (15 ms to 2 ms at 10,000).

PostgreSQL only (INCLUDE columns): SQLite keeps `application_call_status`.
"""

from django.db import migrations

NAME = "application_call_counts"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "applications_application" '
        '("call_id", "status") INCLUDE ("routed_department_id", "routed_to_commission", '
        '"routing_basis", "id")')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0017_application_outcome_released_at"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
