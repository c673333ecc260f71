"""The old 建设方案 sections, once their text has moved (0005)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0005_plan_texts_to_headings"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='application',
            name='plan_construction',
        ),
        migrations.RemoveField(
            model_name='application',
            name='plan_foundation',
        ),
        migrations.RemoveField(
            model_name='application',
            name='plan_implementation',
        ),
        migrations.RemoveField(
            model_name='application',
            name='plan_operation',
        ),
    ]
