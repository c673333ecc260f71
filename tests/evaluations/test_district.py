"""The 主管部门's 初审 (第十八条): an opinion per center, one return for correction before its
deadline, the 审查意见 forwarded as one batch (every submitted evaluation with an opinion; late
after the deadline, to the second) with a real PDF; isolation between districts and from the
center."""

import datetime
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from centers.models import Center
from core.models import AuditEvent, Notification
from evaluations import district, materials
from evaluations.enums import EvaluationStatus
from evaluations.errors import EvaluationError
from evaluations.models import DistrictForwarding, Evaluation, EvaluationCycle

from .conftest import fill_materials

pytestmark = pytest.mark.usefixtures("celery_eager")
S = EvaluationStatus
# The other center of 崂山区 never submits: its batch goes once the materials are due.
AFTER_MATERIALS_DUE = datetime.timedelta(seconds=1)


@pytest.fixture
def both_submitted(designated_centers, evaluation_of, unit_user_of):
    out = []
    for center in designated_centers[:2]:
        evaluation = evaluation_of(center)
        fill_materials(evaluation, unit_user_of(center))
        out.append(materials.materials_submit(evaluation=evaluation,
                                              actor=unit_user_of(center)))
    return out


def test_the_centers_are_under_laoshan(both_submitted, laoshan):
    assert {e.department_id for e in both_submitted} == {laoshan.pk}


def test_opinion_by_the_department_only(submitted_evaluation, official_laoshan, official_jimo):
    with pytest.raises(PermissionDenied):
        district.opinion_save(evaluation=submitted_evaluation, actor=official_jimo,
                              opinion="同意")
    with pytest.raises(EvaluationError, match="请填写初审意见"):
        district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                              opinion="  ")
    saved = district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                                  opinion="材料齐全，同意报送。")
    assert saved.district_opinion == "材料齐全，同意报送。"


def test_return_once_then_resubmit_until_district_due(
        submitted_evaluation, official_laoshan, unit_user_of, django_capture_on_commit_callbacks):
    evaluation = submitted_evaluation
    user = unit_user_of(evaluation.center)
    with pytest.raises(EvaluationError, match="理由"):
        district.materials_return(evaluation=evaluation, actor=official_laoshan, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        returned = district.materials_return(evaluation=evaluation, actor=official_laoshan,
                                             reason="请补充培训签到表。")
    assert returned.status == S.RETURNED and returned.return_reason == "请补充培训签到表。"
    assert Notification.objects.filter(recipient=user, purpose="evaluation_returned").exists()

    # Past the materials deadline, a returned evaluation is still corrected and resubmitted.
    after_materials = evaluation.cycle.materials_due + datetime.timedelta(days=1)
    materials.materials_save(evaluation=returned, actor=user, report="已补充。", scores={
        s.indicator_id: {"value": s.value, "note": s.note} for s in returned.self_scores.all()},
        now=after_materials)
    again = materials.materials_submit(evaluation=returned, actor=user, now=after_materials)
    assert again.status == S.SUBMITTED

    with pytest.raises(EvaluationError, match="只能退回|已退回修改过一次"):
        district.materials_return(evaluation=again, actor=official_laoshan, reason="再改")
    assert Evaluation.objects.get(pk=evaluation.pk).status == S.SUBMITTED


def test_resubmission_after_district_due_refused(submitted_evaluation, official_laoshan,
                                                 unit_user_of):
    returned = district.materials_return(evaluation=submitted_evaluation,
                                         actor=official_laoshan, reason="请补充。")
    due = returned.cycle.district_due
    user = unit_user_of(returned.center)
    assert materials.materials_submit(evaluation=returned, actor=user, now=due).status \
        == S.SUBMITTED
    returned = Evaluation.objects.get(pk=returned.pk)
    Evaluation.objects.filter(pk=returned.pk).update(status=S.RETURNED)
    with pytest.raises(EvaluationError, match="截止"):
        materials.materials_submit(evaluation=returned, actor=user,
                                   now=due + datetime.timedelta(seconds=1))


def test_return_after_district_due_refused(submitted_evaluation, official_laoshan):
    late = submitted_evaluation.cycle.district_due + datetime.timedelta(seconds=1)
    with pytest.raises(EvaluationError, match="初审已截止"):
        district.materials_return(evaluation=submitted_evaluation, actor=official_laoshan,
                                  reason="请补充。", now=late)


def test_forward_needs_every_opinion_then_moves_the_batch(
        both_submitted, official_laoshan, laoshan, commission_staff,
        django_capture_on_commit_callbacks):
    first, second = both_submitted
    cycle = first.cycle
    district.opinion_save(evaluation=first, actor=official_laoshan, opinion="同意报送。")
    with pytest.raises(EvaluationError, match=second.center.name):
        district.review_forward(cycle=cycle, department=laoshan, actor=official_laoshan)
    district.opinion_save(evaluation=second, actor=official_laoshan, opinion="建议评为良好。")

    with django_capture_on_commit_callbacks(execute=True):
        forwarding = district.review_forward(cycle=cycle, department=laoshan,
                                             actor=official_laoshan, summary="总体良好。",
                                             now=cycle.district_due)

    assert not forwarding.late
    assert set(Evaluation.objects.filter(forwarding=forwarding).values_list("status",
                                                                            flat=True)) == {
        S.FORWARDED}
    forwarding.refresh_from_db()
    assert forwarding.pdf.read(5) == b"%PDF-"
    text = subprocess.run(["pdftotext", forwarding.pdf.path, "-"], capture_output=True,
                          text=True, check=True).stdout
    assert first.center.name in text.replace("\n", "") or first.center.name[:8] in text
    assert "建议评为良好" in text and "总体良好" in text
    assert Notification.objects.filter(recipient=commission_staff,
                                       purpose="evaluation_review_forwarded").exists()
    with pytest.raises(EvaluationError, match="已报送"):
        district.review_forward(cycle=cycle, department=laoshan, actor=official_laoshan)


def test_forward_a_second_after_district_due_is_accepted_and_marked_late(
        submitted_evaluation, official_laoshan, laoshan):
    district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                          opinion="同意。")
    cycle = submitted_evaluation.cycle
    forwarding = district.review_forward(
        cycle=cycle, department=laoshan, actor=official_laoshan,
        now=cycle.district_due + datetime.timedelta(seconds=1))
    assert forwarding.late


def test_forward_by_another_district_refused(submitted_evaluation, official_jimo, laoshan):
    with pytest.raises(PermissionDenied):
        district.review_forward(cycle=submitted_evaluation.cycle, department=laoshan,
                                actor=official_jimo)


def test_a_returned_evaluation_left_out_cannot_be_resubmitted_after_forwarding(
        both_submitted, official_laoshan, laoshan, unit_user_of):
    first, second = both_submitted
    district.materials_return(evaluation=second, actor=official_laoshan, reason="请补充。")
    district.opinion_save(evaluation=first, actor=official_laoshan, opinion="同意。")
    forwarding = district.review_forward(cycle=first.cycle, department=laoshan,
                                         actor=official_laoshan)
    assert list(Evaluation.objects.filter(forwarding=forwarding)) == [first]
    with pytest.raises(EvaluationError, match="已向市发展改革委报送"):
        materials.materials_submit(evaluation=second, actor=unit_user_of(second.center))


def test_pdf_download_by_the_department_and_the_commission_only(
        client, submitted_evaluation, official_laoshan, official_jimo, commission_staff,
        laoshan, unit_user_of, django_capture_on_commit_callbacks):
    district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                          opinion="同意。")
    with django_capture_on_commit_callbacks(execute=True):
        forwarding = district.review_forward(
            cycle=submitted_evaluation.cycle, department=laoshan, actor=official_laoshan,
            now=submitted_evaluation.cycle.materials_due + AFTER_MATERIALS_DUE)
    url = reverse("evaluations:forwarding_pdf", args=[forwarding.pk])
    for user, status in ((official_laoshan, 200), (commission_staff, 200), (official_jimo, 403),
                         (unit_user_of(submitted_evaluation.center), 403)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    assert AuditEvent.objects.filter(action="district_forwarding.pdf_download",
                                     actor=commission_staff).count() == 1


def test_the_center_sees_the_status_and_return_reason_never_the_opinion(
        client, submitted_evaluation, official_laoshan, unit_user_of):
    district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                          opinion="内部意见：数据偏高")
    district.materials_return(evaluation=submitted_evaluation, actor=official_laoshan,
                              reason="请补充项目验收证明。")
    client.force_login(unit_user_of(submitted_evaluation.center))
    page = client.get(reverse("evaluations:materials",
                              args=[submitted_evaluation.pk])).content.decode()
    assert "请补充项目验收证明。" in page and "退回修改" in page
    assert "内部意见：数据偏高" not in page
    client.force_login(official_laoshan)
    page = client.get(reverse("evaluations:district_review",
                              args=[submitted_evaluation.pk])).content.decode()
    assert "内部意见：数据偏高" in page


def test_the_pages_keep_the_districts_apart(client, submitted_evaluation, official_jimo,
                                            official_laoshan):
    client.force_login(official_jimo)
    assert client.get(reverse("evaluations:district_review",
                              args=[submitted_evaluation.pk])).status_code == 403
    assert client.get(reverse("evaluations:materials",
                              args=[submitted_evaluation.pk])).status_code == 403
    page = client.get(reverse("evaluations:district_evaluations")).content.decode()
    assert submitted_evaluation.center.name not in page
    client.force_login(official_laoshan)
    page = client.get(reverse("evaluations:district_evaluations")).content.decode()
    assert submitted_evaluation.center.name in page


def test_the_review_page_return_keeps_the_text_on_refusal(client, submitted_evaluation,
                                                          official_laoshan):
    Evaluation.objects.filter(pk=submitted_evaluation.pk).update(
        returned_at=submitted_evaluation.submitted_at)  # returned once already
    EvaluationCycle.objects.filter(pk=submitted_evaluation.cycle_id).update(  # the other center
        materials_due=timezone.now() - AFTER_MATERIALS_DUE)  # of 崂山区 never submitted
    client.force_login(official_laoshan)
    url = reverse("evaluations:district_review", args=[submitted_evaluation.pk])
    response = client.post(url, {"intent": "opinion", "opinion": "初审意见正文"})
    assert response.status_code == 302
    response = client.post(reverse("evaluations:district_forward"), {
        "department": submitted_evaluation.department_id, "cycle": submitted_evaluation.cycle_id,
        "summary": "我的总体意见", "form_token": "f" * 32})
    assert response.status_code == 302
    assert DistrictForwarding.objects.count() == 1
    again = client.post(reverse("evaluations:district_forward"), {
        "department": submitted_evaluation.department_id, "cycle": submitted_evaluation.cycle_id,
        "summary": "第二次", "form_token": "g" * 32})
    assert again.status_code == 200
    assert "第二次" in again.content.decode() and "已报送" in again.content.decode()


def _centers(n, template_center, department_id, cycle, start=0):
    from tests.factories import ApplicationFactory

    for i in range(start, start + n):
        application = ApplicationFactory(call=template_center.application.call)
        center = Center.objects.create(
            application=application, notice=template_center.notice,
            name=f"青岛市测试{i:02d}赋能中心", lead_unit_name="测试单位",
            department_id=department_id, designated_on=template_center.designated_on)
        Evaluation.objects.create(cycle=cycle, center=center, department_id=department_id,
                                  status=S.SUBMITTED, submitted_at=cycle.opened_at,
                                  district_opinion="同意" if i % 2 else "")


def test_district_list_reads_the_same_queries_for_1_and_30_rows(
        client, open_cycle, designated_centers, official_laoshan, laoshan,
        django_assert_max_num_queries):
    Evaluation.objects.filter(cycle=open_cycle).delete()
    _centers(1, designated_centers[0], laoshan.pk, open_cycle)
    client.force_login(official_laoshan)
    url = reverse("evaluations:district_evaluations")
    client.get(url)
    with django_assert_max_num_queries(16) as one:
        assert client.get(url).status_code == 200
    Evaluation.objects.filter(cycle=open_cycle).delete()
    _centers(30, designated_centers[0], laoshan.pk, open_cycle, start=1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("青岛市测试") == 30


def test_the_commission_reads_everything_in_admin_and_renders_a_pdf_again(
        client, submitted_evaluation, official_laoshan, laoshan, commission_admin,
        django_capture_on_commit_callbacks):
    district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                          opinion="同意。")
    with django_capture_on_commit_callbacks(execute=True):
        forwarding = district.review_forward(
            cycle=submitted_evaluation.cycle, department=laoshan, actor=official_laoshan,
            now=submitted_evaluation.cycle.materials_due + AFTER_MATERIALS_DUE)
    forwarding.refresh_from_db()
    first_name = forwarding.pdf.name
    client.force_login(commission_admin)
    for model in ("evaluation", "selfscore", "evaluationfile", "districtforwarding"):
        listing = client.get(reverse(f"admin:evaluations_{model}_changelist"))
        assert listing.status_code == 200, model
    assert client.get(reverse("admin:evaluations_evaluation_change",
                              args=[submitted_evaluation.pk])).status_code == 200
    assert client.get(reverse("admin:evaluations_districtforwarding_change",
                              args=[forwarding.pk])).status_code == 200
    assert client.post(reverse("admin:evaluations_evaluation_change",
                               args=[submitted_evaluation.pk]),
                       {"report": "改"}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:evaluations_districtforwarding_changelist"),
                    {"action": "rerender_pdf", "_selected_action": [forwarding.pk]})
    forwarding.refresh_from_db()
    assert forwarding.pdf.name != first_name and forwarding.pdf.read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(action="district_forwarding.pdf_rerender").count() == 1


def test_a_missing_pdf_is_rendered_by_the_requeue_sweep(submitted_evaluation, official_laoshan,
                                                        laoshan):
    district.opinion_save(evaluation=submitted_evaluation, actor=official_laoshan,
                          opinion="同意。")
    forwarding = district.review_forward(  # the commit never came
        cycle=submitted_evaluation.cycle, department=laoshan, actor=official_laoshan,
        now=submitted_evaluation.cycle.materials_due + AFTER_MATERIALS_DUE)
    assert not DistrictForwarding.objects.get(pk=forwarding.pk).pdf
    assert district.requeue_missing_forwarding_pdfs(timezone.now()) == 0  # too soon
    later = timezone.now() + district.PDF_STALE_AFTER + datetime.timedelta(seconds=1)
    assert district.requeue_missing_forwarding_pdfs(later) == 1
    assert DistrictForwarding.objects.get(pk=forwarding.pk).pdf.read(5) == b"%PDF-"
