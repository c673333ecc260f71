"""The center's 运行自评估报告 (第十七条、第十八条): figures pre-filled from its service records,
self-scores within each indicator's points, evidence, autosave with a version guard, text held
when the session ends, submission until the materials deadline to the second."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.drafts import DRAFT_TOKEN_FIELD, draft_token_make
from centers.enums import ServiceKind
from centers.models import Center, ServiceRecord
from centers.progress import progress_figures
from core.models import AuditEvent, Notification
from evaluations import materials
from evaluations.enums import EvaluationStatus
from evaluations.errors import EvaluationError
from evaluations.material_views import held_step
from evaluations.models import Evaluation, EvaluationFile, Indicator

from .conftest import fill_materials

pytestmark = pytest.mark.usefixtures("celery_eager")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _record(center, user, kind, on):
    return ServiceRecord.objects.create(center=center, kind=kind, occurred_on=on, year=on.year,
                                        title="记录", created_by=user, participants=30
                                        if kind == ServiceKind.TRAINING else None)


def test_prefill_equals_progress_figures_over_the_window(designated_centers, evaluation_of,
                                                         unit_user_of):
    center = designated_centers[0]
    Center.objects.filter(pk=center.pk).update(designated_on=datetime.date(2024, 7, 1))
    user = unit_user_of(center)
    center.refresh_from_db()
    _record(center, user, ServiceKind.TRAINING, datetime.date(2024, 9, 1))  # before the window
    _record(center, user, ServiceKind.TRAINING, datetime.date(2025, 3, 1))
    _record(center, user, ServiceKind.TRAINING, datetime.date(2025, 12, 31))
    _record(center, user, ServiceKind.DIAGNOSIS, datetime.date(2025, 5, 5))
    _record(center, user, ServiceKind.TRAINING, datetime.date(2026, 1, 1))  # after it
    evaluation = evaluation_of(center)

    prefill = materials.materials_prefill(evaluation)

    figures = progress_figures(center, until=datetime.date(2025, 12, 31),
                               services_since=datetime.date(2025, 1, 1))
    assert prefill["services"]["trainings"] == figures.services.trainings == 2
    assert prefill["services"]["participants"] == figures.services.participants == 60
    assert prefill["services"]["diagnoses"] == figures.services.diagnoses == 1
    assert [(t["kind"], t["achieved"], t["promised"]) for t in prefill["targets"]] == [
        (t.kind, t.achieved, t.promised) for t in figures.targets]
    # The targets count from designation, the services over the window only.
    assert (prefill["window_start"], prefill["window_end"]) == ("2025-01-01", "2025-12-31")


def test_save_and_submit_store_the_figures_and_tell_the_department(
        designated_centers, evaluation_of, unit_user_of, official_laoshan,
        django_capture_on_commit_callbacks):
    center = designated_centers[0]
    evaluation = evaluation_of(center)
    user = unit_user_of(center)
    saved = fill_materials(evaluation, user)
    assert saved.version == 1 and saved.self_scores.count() == Indicator.objects.filter(
        table=evaluation.cycle.table).count()

    with django_capture_on_commit_callbacks(execute=True):
        submitted = materials.materials_submit(evaluation=saved, actor=user)

    assert submitted.status == EvaluationStatus.SUBMITTED
    assert submitted.figures == materials.materials_prefill(submitted)
    assert submitted.submitted_by == user
    assert Notification.objects.filter(recipient=official_laoshan,
                                       purpose="evaluation_submitted").count() == 1
    with pytest.raises(EvaluationError, match="已报送"):
        fill_materials(submitted, user)


def test_submit_at_the_due_second_is_allowed_one_second_later_refused(
        designated_centers, evaluation_of, unit_user_of):
    center_a, center_b = designated_centers[:2]
    due = evaluation_of(center_a).cycle.materials_due
    first, second = evaluation_of(center_a), evaluation_of(center_b)
    fill_materials(first, unit_user_of(center_a))
    fill_materials(second, unit_user_of(center_b))

    assert materials.materials_submit(evaluation=first, actor=unit_user_of(center_a),
                                      now=due).status == EvaluationStatus.SUBMITTED
    with pytest.raises(EvaluationError, match="截止"):
        materials.materials_submit(evaluation=second, actor=unit_user_of(center_b),
                                   now=due + datetime.timedelta(seconds=1))
    assert Evaluation.objects.get(pk=second.pk).status == EvaluationStatus.PENDING


def test_submit_needs_every_self_score_and_the_report(designated_centers, evaluation_of,
                                                      unit_user_of):
    center = designated_centers[0]
    evaluation = evaluation_of(center)
    user = unit_user_of(center)
    first = Indicator.objects.filter(table=evaluation.cycle.table).order_by("order").first()
    materials.materials_save(evaluation=evaluation, actor=user, report="",
                             scores={first.pk: {"value": "10", "note": ""}})
    with pytest.raises(EvaluationError) as refused:
        materials.materials_submit(evaluation=evaluation, actor=user)
    assert "请填写运行自评估报告" in str(refused.value)
    assert "请填写自评分" in str(refused.value)


def test_out_of_range_score_refused_in_chinese_with_text_kept(client, designated_centers,
                                                             evaluation_of, unit_user_of):
    center = designated_centers[0]
    evaluation = evaluation_of(center)
    user = unit_user_of(center)
    indicators = list(Indicator.objects.filter(table=evaluation.cycle.table).order_by("order"))
    client.force_login(user)
    data = {"intent": "save", "version": "0", "report": "我们的报告正文：服务企业一百家。"}
    for i in indicators:
        data[f"score_{i.pk}"] = "10"
        data[f"note_{i.pk}"] = f"说明{i.pk}"
    data[f"score_{indicators[0].pk}"] = "26"  # its points are 25

    response = client.post(reverse("evaluations:materials", args=[evaluation.pk]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "自评分须在 0 至 25 分之间" in page
    assert "我们的报告正文：服务企业一百家。" in page
    assert f"说明{indicators[1].pk}" in page and 'value="26"' in page
    evaluation.refresh_from_db()
    assert evaluation.version == 0 and evaluation.report == ""


def test_a_stale_save_is_refused_and_keeps_the_text(client, designated_centers, evaluation_of,
                                                   unit_user_of):
    center = designated_centers[0]
    evaluation = evaluation_of(center)
    user = unit_user_of(center)
    fill_materials(evaluation, user)  # another tab saved: version 1
    with pytest.raises(materials.StaleMaterials):
        materials.materials_save(evaluation=evaluation, actor=user, report="旧页面", scores={},
                                 expected_version=0)
    client.force_login(user)
    response = client.post(reverse("evaluations:materials", args=[evaluation.pk]),
                           {"intent": "save", "version": "0", "report": "旧页面的文字"})
    assert "旧页面的文字" in response.content.decode()
    assert "已在其他页面保存" in response.content.decode()


def test_autosave_moves_the_version_and_keeps_stored_scores_for_bad_typing(
        client, designated_centers, evaluation_of, unit_user_of):
    center = designated_centers[0]
    evaluation = evaluation_of(center)
    user = unit_user_of(center)
    first = Indicator.objects.filter(table=evaluation.cycle.table).order_by("order").first()
    client.force_login(user)
    url = reverse("evaluations:materials_autosave", args=[evaluation.pk])

    saved = client.post(url, {"version": "0", "report": "草稿", f"score_{first.pk}": "12"})
    assert saved.status_code == 200 and saved.json()["fields"] == {"version": 1}
    bad = client.post(url, {"version": "1", "report": "草稿二", f"score_{first.pk}": "abc"})
    assert bad.status_code == 200 and bad.json()["invalid"] == [first.name]
    assert evaluation.self_scores.get(indicator=first).value == Decimal("12")
    stale = client.post(url, {"version": "1", "report": "别的页面"})
    assert stale.status_code == 409


def test_text_posted_after_the_session_ended_is_held_and_restored(
        client, designated_centers, evaluation_of, unit_user_of):
    center = designated_centers[0]
    evaluation = evaluation_of(center)
    user = unit_user_of(center)
    token = draft_token_make(user_id=user.pk, application_id=center.application_id,
                             step=held_step(evaluation.pk))
    response = client.post(reverse("evaluations:materials", args=[evaluation.pk]),
                           {"intent": "save", "version": "0", "report": "超时前写的报告",
                            DRAFT_TOKEN_FIELD: token})
    assert response.status_code == 302 and reverse("login") in response.url

    client.force_login(user)
    page = client.get(reverse("evaluations:materials", args=[evaluation.pk])).content.decode()
    assert "超时前写的报告" in page
    assert Evaluation.objects.get(pk=evaluation.pk).report == ""  # held, not written


def test_double_submit_submits_once(client, designated_centers, evaluation_of, unit_user_of):
    center = designated_centers[0]
    evaluation = evaluation_of(center)
    user = unit_user_of(center)
    fill_materials(evaluation, user)
    client.force_login(user)
    indicators = Indicator.objects.filter(table=evaluation.cycle.table)
    data = {"intent": "submit", "version": "1", "form_token": "t" * 32,
            "report": "本年度运行情况良好，完成各项目标。"}
    for i in indicators:
        data[f"score_{i.pk}"] = str(i.weight)
        data[f"note_{i.pk}"] = "满分"
    url = reverse("evaluations:materials", args=[evaluation.pk])
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert AuditEvent.objects.filter(action="evaluation.submit").count() == 1
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.SUBMITTED


def test_evidence_is_checked_stored_and_its_reading_by_others_audited(
        client, submitted_evaluation, designated_centers, unit_user_of, official_laoshan):
    center = designated_centers[1]
    evaluation = Evaluation.objects.get(cycle=submitted_evaluation.cycle, center=center)
    user = unit_user_of(center)
    indicator = Indicator.objects.filter(table=evaluation.cycle.table).first()
    with pytest.raises(EvaluationError, match="不是允许的格式"):
        materials.evidence_add(evaluation=evaluation, actor=user, indicator=indicator,
                               upload=SimpleUploadedFile("x.pdf", b"not a pdf at all"))
    evidence = materials.evidence_add(evaluation=evaluation, actor=user, indicator=indicator,
                                      upload=SimpleUploadedFile("培训签到表.pdf", PDF))
    assert evidence.original_name == "培训签到表.pdf"

    client.force_login(user)
    url = reverse("evaluations:materials_file", args=[evaluation.pk, evidence.pk])
    assert client.get(url).status_code == 200
    assert not AuditEvent.objects.filter(action="evaluation_file.download").exists()
    # Submitted, the 主管部门 reads it; the read is audited.
    fill_materials(evaluation, user)
    materials.materials_submit(evaluation=evaluation, actor=user)
    client.force_login(official_laoshan)
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(action="evaluation_file.download",
                                     actor=official_laoshan).count() == 1


def test_upload_through_the_page_once(client, designated_centers, evaluation_of, unit_user_of):
    center = designated_centers[0]
    evaluation = evaluation_of(center)
    client.force_login(unit_user_of(center))
    indicator = Indicator.objects.filter(table=evaluation.cycle.table).first()
    url = reverse("evaluations:materials_file_add", args=[evaluation.pk])
    for _ in range(2):
        client.post(url, {"indicator": indicator.pk, "form_token": "u" * 32,
                          "file": SimpleUploadedFile("诊断书.pdf", PDF)})
    assert EvaluationFile.objects.filter(evaluation=evaluation).count() == 1


def test_a_revoked_center_cannot_submit(designated_centers, evaluation_of, unit_user_of):
    from django.core.exceptions import PermissionDenied

    center = designated_centers[0]
    evaluation = evaluation_of(center)
    Center.objects.filter(pk=center.pk).update(status="revoked")
    with pytest.raises(PermissionDenied):
        fill_materials(evaluation, unit_user_of(center))


def test_another_unit_is_refused(client, designated_centers, evaluation_of, applicant_b,
                                 unit_user_of):
    evaluation = evaluation_of(designated_centers[0])
    other = unit_user_of(designated_centers[1])
    for user in (applicant_b, other):
        client.force_login(user)
        assert client.get(reverse("evaluations:materials", args=[evaluation.pk])) \
            .status_code == 403
    with pytest.raises(Exception):
        fill_materials(evaluation, other)


def _earlier_cycles(center, open_cycle, years):
    from evaluations.models import EvaluationCycle

    for year in years:
        cycle = EvaluationCycle.objects.create(
            year=year, title=f"{year}年度", window_start=datetime.date(year - 1, 1, 1),
            window_end=datetime.date(year - 1, 12, 31), table=open_cycle.table,
            materials_due=open_cycle.materials_due, district_due=open_cycle.district_due,
            created_by=open_cycle.created_by)
        Evaluation.objects.create(cycle=cycle, center=center,
                                  department_id=center.department_id)


def test_center_list_reads_the_same_queries_for_1_and_30_rows(
        client, designated_centers, unit_user_of, open_cycle, django_assert_max_num_queries):
    center = designated_centers[0]
    client.force_login(unit_user_of(center))
    url = reverse("evaluations:center_evaluations", args=[center.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        assert client.get(url).status_code == 200
    _earlier_cycles(center, open_cycle, range(1990, 2019))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("年度</td>") + page.count("评估评价</td>") == 30


def test_the_workspace_and_the_dashboard_lead_to_the_materials(client, designated_centers,
                                                               evaluation_of, unit_user_of):
    center = designated_centers[0]
    evaluation = evaluation_of(center)
    client.force_login(unit_user_of(center))
    workspace = client.get(reverse("centers:workspace", args=[center.pk])).content.decode()
    assert reverse("evaluations:center_evaluations", args=[center.pk]) in workspace
    dashboard = client.get(reverse("dashboard"), follow=True).content.decode()
    assert reverse("evaluations:materials", args=[evaluation.pk]) in dashboard


def test_the_list_offers_the_form_only_while_the_materials_may_be_sent(
        client, designated_centers, evaluation_of, unit_user_of):
    from django.utils import timezone

    center = designated_centers[0]
    evaluation = evaluation_of(center)
    client.force_login(unit_user_of(center))
    url = reverse("evaluations:center_evaluations", args=[center.pk])
    assert "填写运行自评估报告" in client.get(url).content.decode()
    type(evaluation.cycle).objects.filter(pk=evaluation.cycle_id).update(
        materials_due=timezone.now() - datetime.timedelta(seconds=1))
    page = client.get(url).content.decode()
    assert "填写运行自评估报告" not in page and "已逾期未报送" in page
