"""Rows of the permission table for the 主管部门's supervision (第十一条) and the data duties
(第十四条): the district official sees its own department's centers and reports; the commission
sets periods and reads every report; a center's data pages are read by its unit, its 主管部门
and the commission, kept by its unit alone; the public, experts and admin-only accounts see
none of it."""

import datetime

from django.core.files.base import ContentFile

from ..permission_table import LOGIN, Row, answers, only, redirect
from .permission_rows_designation import _center


def _center_of_laoshan(world):
    """A center of applicant A's unit, supervised by 崂山区 (district_official's department)."""
    from accounts.enums import Role
    from accounts.selectors import user_department_ids

    built = _center(world)
    center = world.objects["center"]
    [department_id] = user_department_ids(world.user("district_official"),
                                          Role.DISTRICT_OFFICIAL)
    center.department_id = department_id
    center.save(update_fields=["department"])
    return built


def _center_pk(world):
    return {"pk": _center_of_laoshan(world)["center"]}


def _agreement(world):
    from centers.models import DataAgreement

    _center_of_laoshan(world)
    center = world.objects["center"]
    agreement = DataAgreement(center=center, title="数据共享协议", counterparty="青岛市大数据发展管理局",
                              signed_on=datetime.date(2026, 7, 1), original_name="协议.pdf", size=20)
    agreement.file.save("a.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {"pk": center.pk, "agreement_pk": agreement.pk}


def _period(world):
    from centers.models import SupervisionPeriod

    period = SupervisionPeriod.objects.create(
        name="2026年下半年", starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 12, 31), due_on=datetime.date(2027, 1, 15),
        created_by=world.user("commission_staff"))
    world.objects["period"] = period
    return {"pk": period.pk}


def _submitted_report(world):
    from centers.models import OperationAssessment, OperationReport

    _center_of_laoshan(world)
    period = _period(world)
    center = world.objects["center"]
    report = OperationReport.objects.create(
        period=world.objects["period"], department_id=center.department_id, summary="运行良好。",
        status="submitted", submitted_by=world.user("district_official"),
        submitted_at=datetime.datetime(2027, 1, 10, tzinfo=datetime.UTC))
    OperationAssessment.objects.create(report=report, center=center, rating="good",
                                       opinion="按计划推进。")
    world.objects["report"] = report
    return period | {"report": report.pk}


DISTRICTS = ("district_official", "district_official_b")
VIEWERS = answers(403, anonymous=LOGIN, applicant=200, district_official=200,
                  commission_staff=200, applicant_b=403, district_official_b=403)
KEEPER = answers(403, anonymous=LOGIN, applicant=200, applicant_b=403)

ROWS = [
    # The district's own centers: each official sees its department's only (tests prove which).
    Row("centers:district_center_list", only(*DISTRICTS)),
    Row("centers:district_supervision", only(*DISTRICTS)),
    Row("centers:district_report", only(*DISTRICTS), kwargs=_period,
        state="a period (each department its own report)"),
    Row("centers:district_report_print",
        answers(403, anonymous=LOGIN, district_official=200, district_official_b=404),
        kwargs=lambda w: {"pk": _submitted_report(w)["pk"]},
        state="崂山区 submitted; 即墨区 has none"),
    # The commission: periods and every report.
    Row("centers:commission_supervision", only("commission_staff")),
    Row("centers:commission_periods", only("commission_staff")),
    Row("centers:commission_period_new", only("commission_staff")),
    Row("centers:commission_period_new",
        answers(403, anonymous=LOGIN,
                commission_staff=redirect("centers:commission_periods")),
        method="post", data={"name": "2027年上半年", "starts_on": "2027-01-01",
                             "ends_on": "2027-06-30", "due_on": "2027-07-15"},
        state="a new period"),
    Row("centers:commission_period_edit", only("commission_staff"), kwargs=_period),
    Row("centers:commission_report", only("commission_staff"),
        kwargs=lambda w: {"pk": _submitted_report(w)["report"]}),
    Row("centers:commission_report_print", only("commission_staff"),
        kwargs=lambda w: {"pk": _submitted_report(w)["report"]}),
    # A center's data duties: its unit, its 主管部门 (not another) and the commission read;
    # its unit alone keeps them.
    Row("centers:center_data", VIEWERS, kwargs=_center_pk),
    Row("centers:center_data_record", KEEPER, kwargs=_center_pk),
    Row("centers:center_data_record",
        answers(403, anonymous=LOGIN,
                applicant=redirect(lambda w: f"/center/{w.objects['center'].pk}/data/")),
        method="post", kwargs=_center_pk,
        data={"responsible_person": "李强", "responsible_title": "信息安全主管",
              "responsible_phone": "13912345678", "shared_data": "服务企业名录"},
        state="the unit keeps its record"),
    Row("centers:center_data_agreement_new", KEEPER, kwargs=_center_pk),
    Row("centers:center_data_self_check_new", KEEPER, kwargs=_center_pk),
    Row("centers:center_data_agreement_file", VIEWERS, kwargs=_agreement),
]
