"""通报 (第十七条: 对评价不合格的给予通报): numbered, with reasons, a PDF rendered by Celery
naming the center, queued again by the sweep when missing; downloaded by the commission, the
center's unit and its 主管部门; the public results page says it was issued."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Notification
from evaluations import bulletins, grades
from evaluations.enums import Grade
from evaluations.errors import EvaluationError
from evaluations.models import Bulletin

from .conftest import DISTRICT_DUE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
AFTER = DISTRICT_DUE + datetime.timedelta(days=1)


@pytest.fixture
def confirmed_cycle(scoring_cycle, commission_staff):
    """Both centers confirmed: the first 不合格 (50 points), the second 优秀 (95)."""
    failing, excellent = scoring_cycle.evaluations.order_by("pk")
    grades.grades_compute(cycle=scoring_cycle, scores={failing.pk: Decimal("50"),
                                                       excellent.pk: Decimal("95")}, now=AFTER)
    for evaluation in (failing, excellent):
        grades.grade_confirm(evaluation=evaluation, actor=commission_staff)
    return grades.cycle_confirm(cycle=scoring_cycle, actor=commission_staff)


def _pair(cycle):
    return list(cycle.evaluations.select_related("center").order_by("pk"))


def test_a_bulletin_is_issued_for_a_confirmed_fail_only(scoring_cycle, commission_staff,
                                                        official_laoshan):
    failing, excellent = _pair(scoring_cycle)
    grades.grades_compute(cycle=scoring_cycle, scores={failing.pk: Decimal("50"),
                                                       excellent.pk: Decimal("95")}, now=AFTER)
    grades.grade_confirm(evaluation=failing, actor=commission_staff)
    with pytest.raises(EvaluationError, match="确认后"):
        bulletins.bulletin_issue(evaluation=failing, actor=commission_staff, reasons="不合格。")
    grades.grade_confirm(evaluation=excellent, actor=commission_staff)
    grades.cycle_confirm(cycle=scoring_cycle, actor=commission_staff)
    with pytest.raises(PermissionDenied):
        bulletins.bulletin_issue(evaluation=failing, actor=official_laoshan, reasons="不合格。")
    with pytest.raises(EvaluationError, match="通报事由"):
        bulletins.bulletin_issue(evaluation=failing, actor=commission_staff, reasons="  ")
    with pytest.raises(EvaluationError, match="不合格的赋能中心"):
        bulletins.bulletin_issue(evaluation=excellent, actor=commission_staff, reasons="无。")
    issued = bulletins.bulletin_issue(evaluation=failing, actor=commission_staff,
                                      reasons="评价得分50分，低于合格线。")
    assert issued.number == "青赋能评通〔2027〕1号"
    with pytest.raises(EvaluationError, match="已发布"):
        bulletins.bulletin_issue(evaluation=failing, actor=commission_staff, reasons="再次。")
    assert AuditEvent.objects.filter(action="bulletin.issue").count() == 1
    assert Notification.objects.filter(purpose="evaluation_bulletin_issued").exists()


def test_the_pdf_names_the_center_and_the_reasons(confirmed_cycle, commission_staff, tmp_path,
                                                 django_capture_on_commit_callbacks):
    failing, _ = _pair(confirmed_cycle)
    with django_capture_on_commit_callbacks(execute=True):
        issued = bulletins.bulletin_issue(evaluation=failing, actor=commission_staff,
                                          reasons="服务企业数量未达建设目标。")
    issued.refresh_from_db()
    assert issued.pdf and issued.pdf_rendered_at
    data = issued.pdf.read()
    assert data.startswith(b"%PDF")
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout.replace(" ", "")
    assert failing.center.name in text and issued.number in text
    assert "服务企业数量未达建设目标" in text and "不合格" in text


def test_the_sweep_renders_a_missing_pdf_once_stale(confirmed_cycle, commission_staff,
                                                    django_capture_on_commit_callbacks):
    failing, _ = _pair(confirmed_cycle)
    with django_capture_on_commit_callbacks(execute=False):
        issued = bulletins.bulletin_issue(evaluation=failing, actor=commission_staff,
                                          reasons="不合格。")
    assert not Bulletin.objects.get(pk=issued.pk).pdf
    issued_at = Bulletin.objects.get(pk=issued.pk).issued_at
    assert bulletins.requeue_missing_bulletins(issued_at + bulletins.PDF_STALE_AFTER) == 0
    assert bulletins.requeue_missing_bulletins(
        issued_at + bulletins.PDF_STALE_AFTER + datetime.timedelta(seconds=1)) == 1
    assert Bulletin.objects.get(pk=issued.pk).pdf
    assert bulletins.requeue_missing_bulletins(timezone.now() + datetime.timedelta(hours=1)) == 0


def test_the_pdf_downloads_for_the_commission_the_unit_and_its_department(
        confirmed_cycle, commission_staff, client, official_jimo, applicant_b,
        django_capture_on_commit_callbacks):
    from accounts.enums import Role
    from applications.services import organisation_members
    from tests.factories import staff

    failing, excellent = _pair(confirmed_cycle)
    with django_capture_on_commit_callbacks(execute=True):
        issued = bulletins.bulletin_issue(evaluation=failing, actor=commission_staff,
                                          reasons="不合格。")
    url = reverse("evaluations:bulletin_pdf", args=[issued.pk])
    member = organisation_members(failing.center.application.organisation_id)[0]
    other_member = organisation_members(excellent.center.application.organisation_id)[0]
    official = staff(Role.DISTRICT_OFFICIAL, failing.department, username="official_x")
    for user in (commission_staff, member, official):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="bulletin.download").count() == 3
    for user in (other_member, applicant_b, official_jimo):
        client.force_login(user)
        assert client.get(url).status_code == 403


def test_the_public_results_page_lists_grades_support_and_bulletins(
        confirmed_cycle, commission_staff, client, django_capture_on_commit_callbacks):
    failing, excellent = _pair(confirmed_cycle)
    url = reverse("evaluations:results_cycle", args=[confirmed_cycle.year])
    assert client.get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        bulletins.bulletin_issue(evaluation=failing, actor=commission_staff, reasons="不合格。")
    grades.cycle_publish(cycle=confirmed_cycle, actor=commission_staff)
    body = client.get(url).content.decode()
    supported = body.split('id="supported-centers"')[1].split("</ul>")[0]
    assert excellent.center.lead_unit_name in supported
    assert failing.center.lead_unit_name not in supported
    rows = body.split('id="result-rows"')[1]
    assert "已通报" in rows and "不合格" in rows and "优秀" in rows
    listing = client.get(reverse("evaluations:results_list")).content.decode()
    assert confirmed_cycle.title in listing
    assert Grade.FAIL.label in rows
