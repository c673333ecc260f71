"""Reference data the commission edits in admin: key industry fields and the measures."""

import datetime

from django.db import migrations

INDUSTRY_FIELDS = [
    "智能家电", "轨道交通装备", "新能源汽车", "高端化工", "食品饮料", "纺织服装",
    "集成电路", "新型显示", "人工智能", "生物医药", "海洋装备", "新材料",
]


def seed(apps, schema_editor):
    IndustryField = apps.get_model("applications", "IndustryField")
    PolicyDocument = apps.get_model("applications", "PolicyDocument")
    for order, name in enumerate(INDUSTRY_FIELDS, start=1):
        IndustryField.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    PolicyDocument.objects.get_or_create(
        title="青岛市重点产业数字化转型赋能中心管理办法（试行）",
        defaults={
            "effective_from": datetime.date(2021, 11, 19),
            "effective_until": datetime.date(2023, 11, 18),
            "summary": "第二十条：本办法自2021年11月19日起施行，有效期至2023年11月18日。",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
