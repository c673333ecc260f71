"""Reference departments (第三条). Functional zones are data: the commission edits them in admin."""

from django.db import migrations

DEPARTMENTS = [
    # (name, short name, kind, region code)
    ("市南区发展和改革局", "市南区", "district", "370202"),
    ("市北区发展和改革局", "市北区", "district", "370203"),
    ("黄岛区（青岛西海岸新区）发展和改革局", "黄岛区（西海岸新区）", "district", "370211"),
    ("崂山区发展和改革局", "崂山区", "district", "370212"),
    ("李沧区发展和改革局", "李沧区", "district", "370213"),
    ("城阳区发展和改革局", "城阳区", "district", "370214"),
    ("即墨区发展和改革局", "即墨区", "district", "370215"),
    ("胶州市发展和改革局", "胶州市", "district", "370281"),
    ("平度市发展和改革局", "平度市", "district", "370283"),
    ("莱西市发展和改革局", "莱西市", "district", "370285"),
    ("青岛高新技术产业开发区经济发展部门", "青岛高新区", "functional_zone", ""),
    ("青岛市发展和改革委员会（青岛市新旧动能转换综合试验区建设办公室）", "市发展改革委", "commission", "370200"),
]


def seed(apps, schema_editor):
    Department = apps.get_model("accounts", "Department")
    for order, (name, short, kind, code) in enumerate(DEPARTMENTS, start=1):
        Department.objects.get_or_create(
            name=name,
            defaults={"short_name": short, "kind": kind, "region_code": code, "sort_order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
