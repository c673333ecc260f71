"""Rows of the permission table for the change reports (第十三条, see tests/permission_table.py):
a center's reports are read by its unit, the official of its 主管部门 and the commission (the
other district and the public never); its unit alone reports and reads its drafts; the
主管部门's list is its officials'; the overview and the decision page are the commission's."""

from django.core.files.base import ContentFile

from ..permission_table import LOGIN, Row, answers, only, redirect
from .permission_rows_designation import _center

READERS = ("applicant", "district_official", "commission_staff")
# The other unit and the other district's official are refused too.
OTHERS = {"applicant_b": 403, "district_official_b": 403}


def _change(world, status="submitted"):
    import datetime

    from accounts.enums import Role
    from accounts.selectors import user_department_ids
    from centers.models import Center, ChangeReport, ChangeReportFile

    center_pk = _center(world)["center"]
    department = next(iter(user_department_ids(world.user("district_official"),
                                               Role.DISTRICT_OFFICIAL)))
    Center.objects.filter(pk=center_pk).update(department_id=department)
    report = ChangeReport.objects.create(
        center_id=center_pk, department_id=department, kind="entity", entity_change="equity",
        licence_changed_on=datetime.date(2026, 10, 9), due_on=datetime.date(2026, 11, 20),
        summary="股权变更。", status=status, created_by=world.user("applicant"))
    evidence = ChangeReportFile(report=report, original_name="营业执照.pdf", size=20)
    evidence.file.save("e.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    world.objects["change"] = report
    return {"pk": center_pk, "report_pk": report.pk, "file_pk": evidence.pk}


def _center_with_department(world):
    kwargs = _change(world)
    return {"pk": kwargs["pk"]}


def _report_only(world):
    return {"pk": _change(world, "forwarded")["report_pk"]}


def _draft(world):
    kwargs = _change(world, "draft")
    return {"pk": kwargs["pk"], "report_pk": kwargs["report_pk"]}


def _submitted(world):
    kwargs = _change(world)
    return {"pk": kwargs["pk"], "report_pk": kwargs["report_pk"]}


def _forwarded_detail(world):
    report = world.objects["change"]
    return f"/center/{report.center_id}/changes/{report.pk}/"


ROWS = [
    Row("centers:change_list", only(*READERS) | OTHERS,
        kwargs=_center_with_department),
    Row("centers:change_new", only("applicant") | OTHERS,
        kwargs=_center_with_department),
    Row("centers:change_detail", only(*READERS) | OTHERS,
        kwargs=_submitted, state="sent to the 主管部门"),
    Row("centers:change_detail",
        answers(403, anonymous=LOGIN, applicant=200, district_official=404,
                commission_staff=404),
        kwargs=_draft, state="a draft is the center's own"),
    Row("centers:change_detail",
        answers(403, anonymous=LOGIN, district_official=redirect(_forwarded_detail)),
        method="post", kwargs=_submitted, data={"intent": "forward", "opinion": "同意报送。"},
        state="the 主管部门 forwards; nobody else may"),
    Row("centers:change_file", only(*READERS) | OTHERS, kwargs=_change),
    Row("centers:change_district_list", only("district_official", "district_official_b")),
    Row("centers:change_overview", only("commission_staff")),
    Row("centers:change_decide", only("commission_staff"), kwargs=_report_only,
        state="forwarded"),
]
