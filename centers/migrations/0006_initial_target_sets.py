from django.db import migrations


def copy_targets(apps, schema_editor):
    Center = apps.get_model("centers", "Center")
    TargetSet = apps.get_model("centers", "TargetSet")
    for center in Center.objects.filter(target_sets__isnull=True):
        TargetSet.objects.create(
            center=center, effective_from=center.designated_on,
            key_technologies=center.goal_key_technologies, scenarios=center.goal_scenarios,
            solutions=center.goal_solutions, patents=center.goal_patents,
            other=center.goal_other)


class Migration(migrations.Migration):
    dependencies = [("centers", "0005_operation_records")]
    operations = [migrations.RunPython(copy_targets, migrations.RunPython.noop)]
