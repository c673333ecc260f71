"""The expert's pages (第九条（三）): only their own live assignments, nothing of other experts
(no sheets, names, counts or aggregates), a commitment before the application, a score sheet
that keeps every typed character (errors, stale saves, an ended session)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEvent
from experts import sheets
from experts.enums import AssignmentStatus, SheetStatus
from experts.models import Assignment, ScoreSheet

from .conftest import make_expert
from .scoring import assign, entries_at, open_round, post_data

pytestmark = pytest.mark.django_db

OTHER_NAME = "钱伟"
OTHER_COMMENT = "其他专家的保密评语"


@pytest.fixture
def rnd(review_round):
    return open_round(review_round)


@pytest.fixture
def other_expert(db):
    return make_expert(OTHER_NAME, login=True)


def _submit(assignment, user, share="0.8", comment=OTHER_COMMENT):
    criteria = sheets.round_criteria(assignment.round)
    sheet = sheets.sheet_open(assignment=assignment, actor=user)
    return sheets.sheet_save(sheet=sheet, actor=user, entries=entries_at(criteria, share),
                             overall_comment=comment, version=sheet.version, submit=True)


def _expert_urls(assignment):
    a = assignment
    attachment = a.application.attachments.first()
    return [
        ("get", reverse("experts:assignment", args=[a.pk])),
        ("post", reverse("experts:commit", args=[a.pk])),
        ("get", reverse("experts:recuse", args=[a.pk])),
        ("post", reverse("experts:recuse", args=[a.pk])),
        ("get", reverse("experts:application", args=[a.pk])),
        ("get", reverse("experts:attachment", args=[a.pk, attachment.pk])),
        ("get", reverse("experts:sheet", args=[a.pk])),
        ("post", reverse("experts:sheet", args=[a.pk])),
        ("post", reverse("experts:sheet_autosave", args=[a.pk])),
    ]


# --- isolation ------------------------------------------------------------------------------

def test_an_unassigned_expert_gets_404_on_every_expert_url(
        rnd, expert_review_apps, expert_record, other_expert, commission_staff, role_client):
    theirs = assign(rnd, expert_review_apps[0], other_expert, commission_staff, committed=True)
    _submit(theirs, other_expert.user)
    client = role_client("expert")
    for method, url in _expert_urls(theirs):
        response = getattr(client, method)(url, {"accept": "on", "reason": "x",
                                                 "kind": "recuse", "version": "1"})
        assert response.status_code == 404, (method, url)
        assert "页面不存在" in response.content.decode()
    assert Assignment.objects.get(pk=theirs.pk).status == AssignmentStatus.COMMITTED
    assert OTHER_NAME not in client.get(reverse("experts:my_assignments")).content.decode()


def test_an_expert_user_without_a_roster_record_sees_an_empty_list(rnd, expert, role_client):
    response = role_client("expert").get(reverse("experts:my_assignments"))
    assert response.status_code == 200
    assert "目前没有分配给您的评审任务" in response.content.decode()


@pytest.mark.parametrize("status", ["preparing", "closed"])
def test_an_assignment_of_a_round_not_open_is_not_shown(
        review_round, expert_review_apps, expert_record, commission_staff, role_client, status):
    open_round(review_round, status=status)
    mine = assign(review_round, expert_review_apps[0], expert_record, commission_staff)
    client = role_client("expert")
    assert client.get(reverse("experts:assignment", args=[mine.pk])).status_code == 404
    assert "data-assignment" not in client.get(reverse("experts:my_assignments")).content.decode()


def test_an_assigned_expert_sees_no_other_sheet_name_or_aggregate(
        rnd, expert_review_apps, expert_record, expert, other_expert, commission_staff,
        role_client):
    app = expert_review_apps[0]
    theirs = assign(rnd, app, other_expert, commission_staff, committed=True)
    _submit(theirs, other_expert.user, share="0.9")
    mine = assign(rnd, app, expert_record, commission_staff, committed=True)
    client = role_client("expert")
    pages = [client.get(reverse("experts:my_assignments")),
             client.get(reverse("dashboard_expert")),
             client.get(reverse("experts:application", args=[mine.pk])),
             client.get(reverse("experts:sheet", args=[mine.pk]))]
    for page in pages:
        body = page.content.decode()
        assert page.status_code == 200
        assert OTHER_NAME not in body and OTHER_COMMENT not in body
        assert "90.00" not in body  # the other sheet's total
        assert "汇总" not in body and "平均" not in body and "已提交 1" not in body


def _normalised(response) -> str:
    body = response.content.decode()
    body = re.sub(r'name="(csrfmiddlewaretoken|form_token|draft_token)" value="[^"]*"', "", body)
    return re.sub(r'csrf[^"]*"[^"]{20,}"', "", body)


def test_a_recused_experts_pages_do_not_change_with_the_applications_scores(
        rnd, expert_review_apps, expert_record, expert, other_expert, commission_staff,
        role_client):
    app = expert_review_apps[0]
    mine = assign(rnd, app, expert_record, commission_staff, committed=True)
    sheets.assignment_recuse(assignment=mine, actor=expert, reason="曾任该单位顾问。")
    theirs = assign(rnd, app, other_expert, commission_staff, committed=True)
    client = role_client("expert")

    def snapshot():
        urls = [("get", reverse("experts:my_assignments")), ("get", reverse("dashboard_expert")),
                *_expert_urls(mine)]
        return [(url, getattr(client, method)(url)) for method, url in urls]

    before = snapshot()
    _submit(theirs, other_expert.user, share="0.6")  # the application's scores change
    third = make_expert("孙丽", login=True)
    _submit(assign(rnd, app, third, commission_staff, committed=True), third.user, share="1",
            comment="满分")
    after = snapshot()
    for (url, first), (_, second) in zip(before, after, strict=True):
        assert first.status_code == second.status_code, url
        assert _normalised(first) == _normalised(second), url
    # Every page of the recused assignment is not found; a sheet posted to it gives back only
    # what the expert typed (409), nothing of the application.
    sheet_post = reverse("experts:sheet", args=[mine.pk])
    assert all(r.status_code == (409 if url == sheet_post and r.request["REQUEST_METHOD"] ==
                                 "POST" else 404) for url, r in after[2:])


# --- the list -------------------------------------------------------------------------------

@pytest.mark.parametrize("rows", [1, 30])
def test_the_list_reads_a_fixed_number_of_queries(rows, review_call, expert_record,
                                                  commission_staff, review_round, role_client,
                                                  django_assert_max_num_queries):
    from .conftest import expert_review_application

    open_round(review_round)
    for i in range(rows):
        app = expert_review_application(review_call)
        item = assign(review_round, app, expert_record, commission_staff, committed=i % 2 == 0)
        if i % 3 == 0 and item.status == AssignmentStatus.COMMITTED:
            ScoreSheet.objects.create(assignment=item)
    client = role_client("expert")
    client.get(reverse("experts:my_assignments"))  # the session and roles cached warm
    with django_assert_max_num_queries(10):
        response = client.get(reverse("experts:my_assignments"))
    assert response.content.decode().count("data-assignment=") == rows


def test_the_dashboard_shows_ten_rows_and_links_the_full_list(
        review_call, expert_record, commission_staff, review_round, role_client,
        django_assert_max_num_queries):
    from .conftest import expert_review_application

    open_round(review_round)
    for _ in range(12):
        assign(review_round, expert_review_application(review_call), expert_record,
               commission_staff)
    client = role_client("expert")
    client.get(reverse("dashboard_expert"))
    with django_assert_max_num_queries(11):
        body = client.get(reverse("dashboard_expert")).content.decode()
    assert body.count("data-assignment=") == 10
    assert "共 12 项" in body and reverse("experts:my_assignments") in body


# --- commitment and recusal -----------------------------------------------------------------

def test_the_commitment_comes_before_the_application(rnd, expert_review_apps, expert_record,
                                                     commission_staff, role_client):
    mine = assign(rnd, expert_review_apps[0], expert_record, commission_staff)
    client = role_client("expert")
    assert client.get(reverse("experts:application", args=[mine.pk])).url == reverse(
        "experts:assignment", args=[mine.pk])
    page = client.get(reverse("experts:assignment", args=[mine.pk])).content.decode()
    assert "回避与保密承诺书" in page and "保密" in page
    refused = client.post(reverse("experts:commit", args=[mine.pk]), {})
    assert "请先阅读并勾选" in refused.content.decode()
    done = client.post(reverse("experts:commit", args=[mine.pk]), {"accept": "on"})
    assert done.url == reverse("experts:sheet", args=[mine.pk])
    assert Assignment.objects.get(pk=mine.pk).status == AssignmentStatus.COMMITTED


def test_recusal_from_the_page_keeps_the_reason_typed_on_error(
        rnd, expert_review_apps, expert_record, commission_staff, role_client):
    mine = assign(rnd, expert_review_apps[0], expert_record, commission_staff)
    client = role_client("expert")
    url = reverse("experts:recuse", args=[mine.pk])
    again = client.post(url, {"kind": "recuse", "reason": ""})
    assert "请填写回避理由" in again.content.decode()
    declared = client.post(url, {"kind": "prepared", "reason": "参与了方案编写"})
    assert declared.url == reverse("experts:my_assignments")
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.RECUSED
    assert client.get(reverse("experts:assignment", args=[mine.pk])).status_code == 404


# --- the application ------------------------------------------------------------------------

def test_the_application_page_shows_the_form_and_each_file_read_is_logged(
        rnd, expert_review_apps, expert_record, commission_staff, role_client):
    app = expert_review_apps[0]
    mine = assign(rnd, app, expert_record, commission_staff, committed=True)
    client = role_client("expert")
    page = client.get(reverse("experts:application", args=[mine.pk])).content.decode()
    assert app.center_name in page and "建设方案" in page
    attachment = app.attachments.first()
    assert reverse("experts:attachment", args=[mine.pk, attachment.pk]) in page
    response = client.get(reverse("experts:attachment", args=[mine.pk, attachment.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="expert_review.attachment_download")
    assert event.after["attachment"] == attachment.pk and event.actor == expert_record.user


# --- the sheet ------------------------------------------------------------------------------

@pytest.fixture
def mine(rnd, expert_review_apps, expert_record, commission_staff):
    return assign(rnd, expert_review_apps[0], expert_record, commission_staff, committed=True)


def test_the_sheet_lists_every_criterion_and_saves_a_draft(mine, role_client):
    client = role_client("expert")
    url = reverse("experts:sheet", args=[mine.pk])
    page = client.get(url).content.decode()
    criteria = sheets.round_criteria(mine.round)
    for c in criteria:
        assert c.name in page and f'name="score_{c.pk}"' in page
    assert "保存草稿" in page and "提交" in page
    answer = client.post(url, post_data(criteria, {criteria[0].pk: {"value": "6", "comment": ""}},
                                        version=0, overall=""))
    assert answer.url == url
    sheet = ScoreSheet.objects.get(assignment=mine)
    assert sheet.version == 1 and sheet.scores.get(criterion=criteria[0]).value == Decimal("6")


def test_an_invalid_score_is_refused_with_the_typed_input_kept(mine, role_client):
    client = role_client("expert")
    url = reverse("experts:sheet", args=[mine.pk])
    client.get(url)
    criteria = sheets.round_criteria(mine.round)
    entries = entries_at(criteria)
    entries[criteria[1].pk] = {"value": "12.5", "comment": "我的说明文字"}
    page = client.post(url, post_data(criteria, entries, version=0, overall="我的总体意见",
                                      intent="submit")).content.decode()
    assert "得分须在 0 至 10 分之间" in page
    assert 'value="12.5"' in page and "我的说明文字" in page and "我的总体意见" in page
    assert ScoreSheet.objects.get(assignment=mine).version == 0


def test_submitting_from_the_page_locks_the_sheet(mine, role_client):
    client = role_client("expert")
    url = reverse("experts:sheet", args=[mine.pk])
    client.get(url)
    criteria = sheets.round_criteria(mine.round)
    answer = client.post(url, post_data(criteria, entries_at(criteria), version=0,
                                        intent="submit"))
    assert answer.url == url
    sheet = ScoreSheet.objects.get(assignment=mine)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.total == Decimal("80.00")
    page = client.get(url).content.decode()
    assert 'id="sheet-submitted"' in page and 'name="score_' not in page


def test_a_stale_save_is_refused_and_the_typed_text_stays_on_the_page(mine, role_client,
                                                                      commission_staff):
    client = role_client("expert")
    url = reverse("experts:sheet", args=[mine.pk])
    client.get(url)
    criteria = sheets.round_criteria(mine.round)
    client.post(url, post_data(criteria, entries_at(criteria), version=0, intent="submit"))
    sheet = ScoreSheet.objects.get(assignment=mine)
    sheets.sheet_reopen(sheet=sheet, actor=commission_staff, reason="请复核。")
    # A tab opened before the submission still sends version 0.
    page = client.post(url, post_data(criteria, entries_at(criteria, "0.7", "旧页面的说明"),
                                      version=0, overall="旧页面的意见")).content.decode()
    assert "本次未保存" in page and "旧页面的说明" in page and "旧页面的意见" in page
    sheet.refresh_from_db()
    assert sheet.overall_comment == "总体评价。"
    # The page now carries the stored version: saving again is the expert's informed choice.
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert int(version) == sheet.version


def test_a_sheet_posted_after_the_session_ended_comes_back_after_login(mine, client, expert):
    url = reverse("experts:sheet", args=[mine.pk])
    client.force_login(expert)
    page = client.get(url).content.decode()
    token = re.search(r'name="draft_token" value="([^"]+)"', page).group(1)
    client.logout()
    criteria = sheets.round_criteria(mine.round)
    data = post_data(criteria, entries_at(criteria, "0.7", "登录超时前写的说明"), version=0,
                     overall="超时前的总体意见")
    answer = client.post(url, {**data, "draft_token": token}, follow=True)
    assert answer.redirect_chain[-1][0].startswith(reverse("login"))
    assert "已为您保留" in answer.content.decode()
    assert ScoreSheet.objects.get(assignment=mine).version == 0

    client.force_login(expert)
    page = client.get(url).content.decode()
    assert "登录超时前写的说明" in page and "超时前的总体意见" in page
    assert ScoreSheet.objects.get(assignment=mine).version == 0  # put back, not saved


def test_the_autosave_saves_valid_fields_and_hands_back_the_version(mine, role_client, client,
                                                                    expert):
    expert_client = role_client("expert")
    expert_client.get(reverse("experts:sheet", args=[mine.pk]))
    criteria = sheets.round_criteria(mine.round)
    url = reverse("experts:sheet_autosave", args=[mine.pk])
    entries = {criteria[0].pk: {"value": "7", "comment": "好"},
               criteria[1].pk: {"value": "abc", "comment": ""}}
    answer = expert_client.post(url, post_data(criteria, entries, version=0, overall="自动"))
    body = answer.json()
    assert answer.status_code == 200 and body["fields"] == {"version": 1}
    assert body["invalid"] == [criteria[1].name]
    sheet = ScoreSheet.objects.get(assignment=mine)
    assert sheet.scores.get(criterion=criteria[0]).value == Decimal("7")
    assert sheet.overall_comment == "自动"
    stale = expert_client.post(url, post_data(criteria, entries, version=0, overall="旧"))
    assert stale.status_code == 409 and "本次未保存" in stale.json()["message"]
    signed_out = client.post(url, post_data(criteria, entries, version=1, overall="x"))
    assert signed_out.status_code == 401 and signed_out.json()["expired"]


def test_after_the_deadline_the_page_refuses_and_keeps_the_text(mine, role_client):
    import datetime

    from django.utils import timezone

    client = role_client("expert")
    url = reverse("experts:sheet", args=[mine.pk])
    client.get(url)
    open_round(mine.round, deadline=timezone.now() - datetime.timedelta(seconds=1))
    criteria = sheets.round_criteria(mine.round)
    page = client.post(url, post_data(criteria, entries_at(criteria, "0.8", "截止后写的"),
                                      version=0)).content.decode()
    assert "截止" in page and "截止后写的" in page
    assert ScoreSheet.objects.get(assignment=mine).version == 0
    assert 'id="sheet-closed"' in client.get(url).content.decode()
