"""Rows of the permission table for the evaluation cycles, grades and 通报 (第十七条, see
tests/permission_table.py): the cycle pages are the commission's; the published results are
public (nothing before publication); a 通报 downloads for the commission, the center's own
unit and its 主管部门 only (the other unit and district never)."""

from django.core.files.base import ContentFile

from ..centers.permission_rows_designation import _center
from ..permission_table import LOGIN, Row, answers, everyone, only, redirect


def _evaluation(world, *, status="published", grade="fail"):
    import datetime

    from django.utils import timezone

    from accounts.enums import Role
    from accounts.selectors import user_department_ids
    from centers.models import Center
    from evaluations.indicators import table_install_default
    from evaluations.models import Bulletin, Evaluation, EvaluationCycle

    center_pk = _center(world)["center"]
    department = next(iter(user_department_ids(world.user("district_official"),
                                               Role.DISTRICT_OFFICIAL)))
    Center.objects.filter(pk=center_pk).update(department_id=department)
    commission = world.user("commission_staff")
    now = timezone.now()
    cycle = EvaluationCycle.objects.create(
        year=2027, title="2027年度赋能中心运行评估评价", window_start=datetime.date(2026, 1, 1),
        window_end=datetime.date(2026, 12, 31), table=table_install_default(actor=commission),
        materials_due=now - datetime.timedelta(days=30),
        district_due=now - datetime.timedelta(days=10), status=status, opened_at=now,
        created_by=commission)
    evaluation = Evaluation.objects.create(cycle=cycle, center_id=center_pk,
                                           department_id=department, status="forwarded",
                                           computed_grade=grade, grade=grade)
    bulletin = Bulletin.objects.create(evaluation=evaluation, number="青赋能评通〔2027〕1号",
                                       reasons="评价不合格。", issued_by=commission)
    bulletin.pdf.save("bulletin.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    world.objects.update(cycle=cycle, evaluation=evaluation, bulletin=bulletin)
    return {"cycle": cycle.pk, "evaluation": evaluation.pk, "bulletin": bulletin.pk,
            "year": cycle.year}


def _cycle_detail(world):
    return f"/commission/evaluations/{world.objects['cycle'].pk}/"


COMMISSION_ONLY = only("commission_staff")

ROWS = [
    Row("evaluations:cycle_list", COMMISSION_ONLY),
    Row("evaluations:cycle_detail", COMMISSION_ONLY,
        kwargs=lambda w: {"pk": _evaluation(w, status="scoring")["cycle"]}, state="scoring"),
    Row("evaluations:cycle_detail",
        answers(403, anonymous=LOGIN, commission_staff=redirect(_cycle_detail)), method="post",
        kwargs=lambda w: {"pk": _evaluation(w, status="scoring")["cycle"]},
        data={"intent": "compute"}, state="compute grades: the commission only"),
    Row("evaluations:evaluation_grade", COMMISSION_ONLY,
        kwargs=lambda w: {"pk": _evaluation(w, status="scoring")["evaluation"]}),
    Row("evaluations:evaluation_grade",
        answers(403, anonymous=LOGIN,
                commission_staff=redirect(lambda w: f"/commission/evaluations/grades/"
                                                    f"{w.objects['evaluation'].pk}/")),
        method="post", kwargs=lambda w: {"pk": _evaluation(w, status="scoring")["evaluation"]},
        data={"intent": "confirm", "grade": "fail", "note": ""},
        state="confirm the computed grade: the commission only"),
    Row("evaluations:results_list", everyone(200)),
    Row("evaluations:results_cycle", everyone(200),
        kwargs=lambda w: {"year": _evaluation(w)["year"]}, state="published"),
    Row("evaluations:results_cycle", everyone(404),
        kwargs=lambda w: {"year": _evaluation(w, status="confirmed")["year"]},
        state="not yet published"),
    Row("evaluations:bulletin_pdf",
        only("commission_staff", "applicant", "district_official")
        | {"applicant_b": 403, "district_official_b": 403},
        kwargs=lambda w: {"pk": _evaluation(w)["bulletin"]}),
]
