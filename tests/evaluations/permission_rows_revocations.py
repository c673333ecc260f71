"""Rows of the permission table for revocation (第十七条, see tests/permission_table.py): a
center's told proposals are read by its unit, the official of its 主管部门 and the commission
(the other unit and the other district never; a proposal not yet told is the commission's
alone); its unit alone requests revocation and states its case; the 主管部门's list is its
officials'; the commission's list, proposal form and decision page are the commission's."""

from django.core.files.base import ContentFile

from ..centers.permission_rows_designation import _center
from ..permission_table import LOGIN, Row, answers, only, redirect

READERS = ("applicant", "district_official", "commission_staff")
OTHERS = {"applicant_b": 403, "district_official_b": 403}


def _revocation(world, status="notified"):
    import datetime

    from django.utils import timezone

    from accounts.enums import Role
    from accounts.selectors import user_department_ids
    from centers.models import Center
    from evaluations.models import Revocation, RevocationFile

    center_pk = _center(world)["center"]
    department = next(iter(user_department_ids(world.user("district_official"),
                                               Role.DISTRICT_OFFICIAL)))
    Center.objects.filter(pk=center_pk).update(department_id=department)
    told = status != "proposed"
    revocation = Revocation.objects.create(
        center_id=center_pk, ground="false_materials", status=status,
        facts="经核查，报送的服务企业数据与实际不符。",
        notified_at=timezone.now() if told else None,
        statement_due=timezone.localdate() + datetime.timedelta(days=14) if told else None)
    evidence = RevocationFile(revocation=revocation, original_name="核查报告.pdf", size=20)
    evidence.file.save("e.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    world.objects["revocation"] = revocation
    return {"pk": center_pk, "revocation_pk": revocation.pk, "file_pk": evidence.pk}


def _center_only(world):
    return {"pk": _revocation(world)["pk"]}


def _proposed(world):
    kwargs = _revocation(world, "proposed")
    return {"pk": kwargs["pk"], "revocation_pk": kwargs["revocation_pk"]}


def _told(world):
    kwargs = _revocation(world)
    return {"pk": kwargs["pk"], "revocation_pk": kwargs["revocation_pk"]}


def _file(world):
    kwargs = _revocation(world)
    return {"pk": kwargs["revocation_pk"], "file_pk": kwargs["file_pk"]}


def _manage(world):
    return {"pk": _revocation(world, "proposed")["revocation_pk"]}


def _detail_path(world):
    revocation = world.objects["revocation"]
    return f"/center/{revocation.center_id}/revocations/{revocation.pk}/"


ROWS = [
    Row("evaluations:revocation_center_list", only(*READERS) | OTHERS, kwargs=_center_only),
    Row("evaluations:revocation_request", only("applicant") | {"applicant_b": 403},
        kwargs=_center_only),
    Row("evaluations:revocation_detail", only(*READERS) | OTHERS, kwargs=_told,
        state="told to the center"),
    Row("evaluations:revocation_detail",
        answers(403, anonymous=LOGIN, applicant=404, district_official=404,
                commission_staff=200), kwargs=_proposed,
        state="not yet told: the commission's alone"),
    Row("evaluations:revocation_detail",
        answers(403, anonymous=LOGIN, applicant=redirect(_detail_path)), method="post",
        kwargs=_told, data={"statement": "数据为统计口径差异。"},
        state="the unit states its case; nobody else may"),
    Row("evaluations:revocation_file", only(*READERS) | OTHERS, kwargs=_file),
    Row("evaluations:revocation_district_list",
        only("district_official", "district_official_b")),
    Row("evaluations:revocation_list", only("commission_staff")),
    Row("evaluations:revocation_new", only("commission_staff")),
    Row("evaluations:revocation_manage", only("commission_staff"), kwargs=_manage),
]
