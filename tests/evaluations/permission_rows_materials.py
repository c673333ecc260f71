"""Rows of the permission table for the center's evaluation materials and the 主管部门's 初审
(第十八条, see tests/permission_table.py): a center's materials are its unit's (a draft its
unit's only), read once sent by its 主管部门 and the commission; the other unit and the other
district are refused; the 初审 pages are the 主管部门's, its batch PDF its and the
commission's."""

from django.core.files.base import ContentFile

from ..centers.permission_rows_designation import _center
from ..permission_table import LOGIN, Row, answers, only, redirect

READERS = ("applicant", "district_official", "commission_staff")
OTHERS = {"applicant_b": 403, "district_official_b": 403}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evaluation(world, status="pending", opinion=""):
    import datetime

    from django.utils import timezone

    from accounts.enums import Role
    from accounts.selectors import user_department_ids
    from centers.models import Center
    from evaluations.indicators import table_install_default
    from evaluations.models import Evaluation, EvaluationCycle, EvaluationFile

    center_pk = _center(world)["center"]
    department = next(iter(user_department_ids(world.user("district_official"),
                                               Role.DISTRICT_OFFICIAL)))
    Center.objects.filter(pk=center_pk).update(department_id=department)
    commission = world.user("commission_staff")
    table = table_install_default(actor=commission)
    now = timezone.now()
    cycle = EvaluationCycle.objects.create(
        year=2026, title="2026年度赋能中心运行评估评价",
        window_start=datetime.date(2025, 1, 1), window_end=datetime.date(2025, 12, 31),
        table=table, materials_due=now + datetime.timedelta(days=10),
        district_due=now + datetime.timedelta(days=20), status="open", opened_at=now,
        created_by=commission)
    evaluation = Evaluation.objects.create(
        cycle=cycle, center_id=center_pk, department_id=department, status=status,
        submitted_at=None if status == "pending" else now, district_opinion=opinion)
    evidence = EvaluationFile(evaluation=evaluation, uploaded_by=world.user("applicant"),
                              original_name="签到表.pdf", size=len(PDF))
    evidence.file.save("e.pdf", ContentFile(PDF), save=True)
    world.objects["evaluation"] = evaluation
    return {"pk": evaluation.pk, "file_pk": evidence.pk, "center": center_pk,
            "cycle": cycle.pk, "department": department}


def _pending(world):
    return {"pk": _evaluation(world)["pk"]}


def _submitted(world):
    return {"pk": _evaluation(world, "submitted")["pk"]}


def _center_only(world):
    return {"pk": _evaluation(world)["center"]}


def _file_pending(world):
    built = _evaluation(world)
    return {"pk": built["pk"], "file_pk": built["file_pk"]}


def _file_submitted(world):
    built = _evaluation(world, "submitted")
    return {"pk": built["pk"], "file_pk": built["file_pk"]}


def _forward_data(world):
    built = _evaluation(world, "submitted", opinion="同意报送。")
    return {"department": built["department"], "cycle": built["cycle"], "summary": "总体良好。"}


def _forwarding(world):
    from evaluations.models import DistrictForwarding

    built = _evaluation(world, "forwarded", opinion="同意报送。")
    forwarding = DistrictForwarding.objects.create(
        cycle_id=built["cycle"], department_id=built["department"],
        forwarded_by=world.user("district_official"))
    forwarding.pdf.save("f.pdf", ContentFile(PDF), save=True)
    return {"pk": forwarding.pk}


def _materials_url(world):
    return f"/evaluations/{world.objects['evaluation'].pk}/materials/"


def _district_list_url(world):
    return "/district/evaluations/"


def _review_url(world):
    return f"/district/evaluations/{world.objects['evaluation'].pk}/"


# A draft is its unit's own: the readers who would see it once sent get 404.
DRAFT = answers(403, anonymous=LOGIN, applicant=200, district_official=404,
                commission_staff=404)

ROWS = [
    Row("evaluations:center_evaluations", only(*READERS) | OTHERS, kwargs=_center_only),
    Row("evaluations:materials", DRAFT, kwargs=_pending, state="a draft"),
    Row("evaluations:materials", only(*READERS) | OTHERS, kwargs=_submitted,
        state="sent to the 主管部门"),
    Row("evaluations:materials",
        answers(403, anonymous=LOGIN, applicant=redirect(_materials_url), district_official=404,
                commission_staff=404),
        method="post", kwargs=_pending, data={"intent": "save", "version": "0",
                                              "report": "报告正文"},
        state="the unit saves its draft"),
    Row("evaluations:materials_autosave",
        answers(403, anonymous=401, applicant=200, district_official=404, commission_staff=404),
        method="post", kwargs=_pending, data={"version": "0", "report": "草稿"}),
    Row("evaluations:materials_file_add",
        answers(403, anonymous=LOGIN, applicant=redirect(_materials_url), district_official=404,
                commission_staff=404),
        method="post", kwargs=_pending, state="no file chosen"),
    Row("evaluations:materials_file", DRAFT, kwargs=_file_pending, state="a draft"),
    Row("evaluations:materials_file", only(*READERS) | OTHERS, kwargs=_file_submitted,
        state="sent"),
    Row("evaluations:materials_file_remove",
        answers(403, anonymous=LOGIN, applicant=redirect(_materials_url), district_official=404,
                commission_staff=404),
        method="post", kwargs=_file_pending),
    Row("evaluations:district_evaluations", only("district_official", "district_official_b")),
    Row("evaluations:district_review", only("district_official"), kwargs=_submitted),
    Row("evaluations:district_review",
        answers(403, anonymous=LOGIN, district_official=redirect(_review_url)),
        method="post", kwargs=_submitted, data={"intent": "opinion", "opinion": "同意。"},
        state="the 主管部门 writes its opinion"),
    Row("evaluations:district_forward",
        answers(403, anonymous=LOGIN, district_official=redirect(_district_list_url),
                district_official_b=404),
        method="post", data=_forward_data),
    Row("evaluations:forwarding_pdf", only("district_official", "commission_staff"),
        kwargs=_forwarding),
]
