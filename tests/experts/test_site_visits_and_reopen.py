"""现场考察 records and files (commission or the round's agency), the commission's page and
admin action reopening a sheet, and the demo hook's sheets in every state."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent, Notification, StatusChange
from experts import site_visits, sheets
from experts.demo_sheets import seed_sheets
from experts.enums import AssignmentStatus, RoundKind, SheetStatus
from experts.models import ScoreSheet, SiteVisitFile

from ..applications.conftest import pdf_bytes, png_bytes
from .conftest import make_expert
from .scoring import assign, entries_at, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit_round(review_round, third_party_agency):
    return open_round(review_round, kind=RoundKind.SITE_VISIT, agency=third_party_agency)


@pytest.fixture
def present(visit_round, expert_review_apps, expert_record, commission_staff):
    return assign(visit_round, expert_review_apps[0], expert_record, commission_staff,
                  committed=True)


def _record(round_, app, actor, expert_ids, **extra):
    return site_visits.site_visit_record(
        round_=round_, application=app, actor=actor, visited_on=datetime.date(2026, 6, 1),
        expert_ids=expert_ids, findings=extra.get("findings", "场地、团队与申报一致。"),
        verdict=extra.get("verdict", "pass"))


def test_the_agency_records_a_visit_with_only_the_applications_experts(
        visit_round, present, expert_review_apps, third_party_staff, commission_staff):
    app = expert_review_apps[0]
    stranger = make_expert("路人专家")
    with pytest.raises(site_visits.SiteVisitError, match="评审专家"):
        _record(visit_round, app, third_party_staff, [stranger.pk])
    with pytest.raises(site_visits.SiteVisitError, match="考察结论"):
        _record(visit_round, app, third_party_staff, [present.expert_id], verdict="maybe")
    visit = _record(visit_round, app, third_party_staff, [present.expert_id])
    assert list(visit.experts_present.all()) == [present.expert]
    corrected = _record(visit_round, app, commission_staff, [present.expert_id],
                        verdict="conditional")
    assert corrected.pk == visit.pk and corrected.verdict == "conditional"
    assert AuditEvent.objects.filter(action="site_visit.record").count() == 2


def test_another_agency_and_a_material_round_are_refused(review_round, expert_review_apps,
                                                         third_party_staff, commission_staff,
                                                         present, visit_round):
    from django.core.exceptions import PermissionDenied

    from accounts.models import Department

    visit_round.agency = Department.objects.create(name="另一家评估机构", kind="third_party")
    visit_round.save(update_fields=["agency"])
    with pytest.raises(PermissionDenied):
        _record(visit_round, expert_review_apps[0], third_party_staff, [present.expert_id])


def test_visit_files_follow_the_upload_rules_and_are_served_privately_with_a_log(
        visit_round, present, expert_review_apps, third_party_staff, role_client):
    app = expert_review_apps[0]
    visit = _record(visit_round, app, third_party_staff, [present.expert_id])
    with pytest.raises(site_visits.SiteVisitError, match="不是有效的"):
        site_visits.site_visit_file_add(visit=visit, actor=third_party_staff,
                                        uploaded_file=SimpleUploadedFile("照片.jpg", b"<html>"))
    photo = site_visits.site_visit_file_add(
        visit=visit, actor=third_party_staff,
        uploaded_file=SimpleUploadedFile("现场照片.jpg", png_bytes(), "image/jpeg"))
    assert photo.file.name.endswith(".png") and "现场照片" not in photo.file.name
    client = role_client("third_party_staff")
    response = client.get(reverse("experts:site_visit_file", args=[photo.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/png"
    assert AuditEvent.objects.filter(action="site_visit.file_download").count() == 1
    assert role_client("expert").get(
        reverse("experts:site_visit_file", args=[photo.pk])).status_code == 403


def test_the_site_visit_page_records_and_uploads(visit_round, present, expert_review_apps,
                                                 role_client, settings):
    app = expert_review_apps[0]
    client = role_client("commission_staff")
    url = reverse("experts:site_visit", args=[visit_round.pk, app.pk])
    page = client.get(url).content.decode()
    assert present.expert.name in page
    bad = client.post(url, {"visited_on": "2026-06-01", "findings": "我写的考察情况",
                            "verdict": "", "experts": [present.expert_id]})
    assert "请选择考察结论" in bad.content.decode() and "我写的考察情况" in bad.content.decode()
    done = client.post(url, {"visited_on": "2026-06-01", "findings": "情况属实",
                             "verdict": "pass", "experts": [present.expert_id]})
    assert done.url == url
    upload = client.post(reverse("experts:site_visit_upload", args=[visit_round.pk, app.pk]),
                         {"files": [SimpleUploadedFile("报告.pdf", pdf_bytes("考察"))]})
    assert upload.url == url and SiteVisitFile.objects.count() == 1
    settings.UPLOAD_MAX_FILE_BYTES = 10
    client.post(reverse("experts:site_visit_upload", args=[visit_round.pk, app.pk]),
                {"files": [SimpleUploadedFile("大.pdf", pdf_bytes("大"))]})
    assert SiteVisitFile.objects.count() == 1


# --- reopening ------------------------------------------------------------------------------

@pytest.fixture
def submitted(review_round, expert_review_apps, expert_record, expert, commission_staff):
    open_round(review_round)
    item = assign(review_round, expert_review_apps[0], expert_record, commission_staff,
                  committed=True)
    sheet = sheets.sheet_open(assignment=item, actor=expert)
    return sheets.sheet_save(sheet=sheet, actor=expert, version=0, overall_comment="总体",
                             entries=entries_at(sheets.round_criteria(review_round)),
                             submit=True)


def test_the_commission_page_reopens_with_a_reason(submitted, role_client):
    client = role_client("commission_staff")
    url = reverse("experts:sheet_reopen", args=[submitted.pk])
    assert "重新开放理由" in client.get(url).content.decode()
    refused = client.post(url, {"reason": ""})
    assert "请填写理由" in refused.content.decode()
    assert client.post(url, {"reason": "第二项说明不充分。"}).url == url
    submitted.refresh_from_db()
    assert submitted.status == SheetStatus.DRAFT


def test_the_admin_lists_sheets_read_only_and_reopens_with_a_reason(
        submitted, commission_admin, client, expert):
    client.force_login(commission_admin)
    changelist = reverse("admin:experts_scoresheet_changelist")
    page = client.get(changelist, {"status": "submitted"})
    assert page.status_code == 200 and "赵敏" in page.content.decode()
    ask = client.post(changelist, {"action": "reopen_sheets", "_selected_action": [submitted.pk]})
    assert "重新开放理由" in ask.content.decode()
    client.post(changelist, {"action": "reopen_sheets", "_selected_action": [submitted.pk],
                             "apply": "1", "reason": "请复核。"})
    submitted.refresh_from_db()
    assert submitted.status == SheetStatus.DRAFT
    assert StatusChange.objects.get(transition="reopen").reason == "请复核。"
    change = client.get(reverse("admin:experts_scoresheet_change", args=[submitted.pk]))
    assert "重新开放评分表（请复核。）" in change.content.decode()
    assert client.post(reverse("admin:experts_scoresheet_delete",
                               args=[submitted.pk])).status_code == 403


# --- the demo hook --------------------------------------------------------------------------

def test_seed_sheets_puts_the_round_in_every_state(review_round, expert_review_apps,
                                                   commission_staff,
                                                   django_capture_on_commit_callbacks):
    open_round(review_round)
    experts = [make_expert(f"演示专家{i}", login=True) for i in range(6)]
    for i, expert in enumerate(experts):
        assign(review_round, expert_review_apps[i % 3], expert, commission_staff)
    with django_capture_on_commit_callbacks(execute=True):
        done = seed_sheets(review_round)
    assert done == dict.fromkeys(("unopened", "committed", "draft", "submitted", "reopened",
                                  "recused"), 1)
    statuses = sorted(review_round.assignments.values_list("status", flat=True))
    assert statuses.count(AssignmentStatus.RECUSED) == 1
    assert statuses.count(AssignmentStatus.ASSIGNED) == 1
    sheets_ = ScoreSheet.objects.filter(assignment__round=review_round)
    assert sorted(sheets_.values_list("status", flat=True)) == ["draft", "draft", "submitted"]
    assert StatusChange.objects.filter(transition="reopen").count() == 1
    assert Notification.objects.filter(purpose="score_sheet_reopened").count() == 1
    assert seed_sheets(review_round)["unopened"] == 1  # idempotent: the rest moved on


def test_a_closed_rounds_sheet_is_not_reopened(submitted, commission_staff, role_client):
    """The results of a closed round are stored (and may be on a frozen proposed list): its
    sheets stay as submitted."""
    from core.transitions import TransitionNotAllowed
    from experts.enums import RoundStatus
    from experts.models import ReviewRound

    ReviewRound.objects.filter(pk=submitted.assignment.round_id).update(
        status=RoundStatus.CLOSED)
    with pytest.raises(TransitionNotAllowed):
        sheets.sheet_reopen(sheet=submitted, actor=commission_staff, reason="复核")
    page = role_client("commission_staff").post(
        reverse("experts:sheet_reopen", args=[submitted.pk]), {"reason": "复核"})
    assert "评审轮次已结束" in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == SheetStatus.SUBMITTED


def test_the_results_page_links_a_submitted_sheet_to_its_reopening(submitted, role_client):
    page = role_client("commission_staff").get(
        reverse("experts:round_results", args=[submitted.assignment.round_id])).content.decode()
    assert reverse("experts:sheet_reopen", args=[submitted.pk]) in page


def test_the_expert_reads_why_the_sheet_was_reopened(submitted, commission_staff, expert,
                                                     client):
    sheets.sheet_reopen(sheet=submitted, actor=commission_staff, reason="第二项说明不充分")
    client.force_login(expert)
    page = client.get(reverse("experts:sheet", args=[submitted.assignment_id])).content.decode()
    assert "重新开放本评分表" in page and "第二项说明不充分" in page


def test_the_agency_finds_each_site_visit_from_its_assignments_page(visit_round, present,
                                                                    expert_review_apps,
                                                                    role_client):
    page = role_client("third_party_staff").get(
        reverse("experts:assignments", args=[visit_round.pk])).content.decode()
    assert reverse("experts:site_visit", args=[visit_round.pk, expert_review_apps[0].pk]) in page
