from django.db import migrations, models


def from_published_notices(apps, schema_editor):
    """Calls whose 拟评定名单 notice was already published: the earliest publication."""
    Call = apps.get_model("applications", "Call")
    PublicNotice = apps.get_model("centers", "PublicNotice")
    first = {}
    for call_id, published_at in (PublicNotice.objects.filter(published_at__isnull=False)
                                  .order_by("published_at").values_list("call_id", "published_at")):
        first.setdefault(call_id, published_at)
    for call_id, published_at in first.items():
        Call.objects.filter(pk=call_id).update(list_noticed_at=published_at)


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0019_avoidance_request_and_proposed_status"),
        ("centers", "0008_map_and_publicity"),
    ]

    operations = [
        migrations.AddField(
            model_name="call",
            name="list_noticed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True,
                                       verbose_name="拟评定名单公示发布时间"),
        ),
        migrations.RunPython(from_published_notices, migrations.RunPython.noop),
    ]
