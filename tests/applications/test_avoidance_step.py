"""回避申请 in the application form: an optional step of up to three experts, confidential
between the unit and the commission (never in the 申报表 PDF, never on a district's page)."""

import datetime
import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from applications import documents, services
from applications.drafts import DRAFT_TOKEN_FIELD
from applications.enums import ApplicationStatus, DocumentVariant
from applications.models import AVOIDANCE_REQUEST_LIMIT, Application, AvoidanceRequest, Call
from applications.steps import STEP_KEYS, next_step
from core.models import AuditEvent
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

SECRET_NAME = "欧阳保密"
SECRET_EMPLOYER = "青岛竞争对手研究院"


def step_url(application, step="avoidance"):
    return reverse("applications:step", args=[application.pk, step])


def rows(*filled, total=3):
    """The formset's POST: `filled` rows of (name, employer, reason), the rest empty."""
    data = {"avoid-TOTAL_FORMS": str(total), "avoid-INITIAL_FORMS": "0",
            "avoid-MIN_NUM_FORMS": "0", "avoid-MAX_NUM_FORMS": "3"}
    for index in range(total):
        name, employer, reason = filled[index] if index < len(filled) else ("", "", "")
        data |= {f"avoid-{index}-expert_name": name, f"avoid-{index}-expert_employer": employer,
                 f"avoid-{index}-reason": reason}
    return data


@pytest.fixture
def client_a(role_client):
    return role_client("applicant")


def test_the_step_is_optional_and_sits_before_the_commitment(client_a, draft_a):
    assert next_step("attachments") == "avoidance" and next_step("avoidance") == "commitment"
    assert AVOIDANCE_REQUEST_LIMIT == 3
    page = client_a.get(step_url(draft_a)).content.decode()
    assert "回避申请（可选）" in page and page.count('class="border rounded p-3 mb-3 avoidance-row"') == 3
    response = client_a.post(step_url(draft_a), rows() | {"next": "1"})
    assert response["Location"] == step_url(draft_a, "commitment")
    assert not AvoidanceRequest.objects.exists()
    assert "avoidance" in STEP_KEYS


def test_up_to_three_requests_are_saved_and_shown_again(client_a, draft_a):
    posted = rows((SECRET_NAME, SECRET_EMPLOYER, "竞争关系。"), ("李四", "青岛甲公司", "师生关系。"))
    response = client_a.post(step_url(draft_a), posted | {"save_and_stay": "1"})
    assert response["Location"] == step_url(draft_a)
    saved = list(draft_a.avoidance_requests.order_by("id").values_list("expert_name", flat=True))
    assert saved == [SECRET_NAME, "李四"]
    review = client_a.get(reverse("applications:review", args=[draft_a.pk])).content.decode()
    assert 'id="review-avoidance"' in review and SECRET_NAME in review
    page = client_a.get(step_url(draft_a)).content.decode()
    assert SECRET_NAME in page and "青岛甲公司" in page
    # Emptying the first row and editing the second keeps one request, rewritten in place.
    first_id = draft_a.avoidance_requests.order_by("id").first().pk
    client_a.post(step_url(draft_a), rows(("王五", "青岛乙公司", "利益关系。")) | {"next": "1"})
    assert list(draft_a.avoidance_requests.values_list("pk", "expert_name")) == [
        (first_id, "王五")]
    assert AuditEvent.objects.filter(action="application.avoidance_requests_save").count() == 2


def test_a_fourth_request_is_refused_with_the_typing_kept(client_a, draft_a):
    four = [(f"专家{n}", f"单位{n}", f"理由{n}") for n in range(4)]
    response = client_a.post(step_url(draft_a), rows(*four, total=4) | {"next": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "回避申请最多可以填写3名专家" in page
    assert all(f"专家{n}" in page for n in range(4))
    assert not AvoidanceRequest.objects.exists()


def test_the_same_expert_twice_is_refused_with_the_typing_kept(client_a, draft_a):
    twice = [("赵敏", "青岛海川咨询有限公司", "竞争关系"), ("赵敏 ", "青岛海川咨询有限公司", "同上")]
    response = client_a.post(step_url(draft_a), rows(*twice) | {"next": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "同一位专家只需申请一次回避" in page and "同上" in page
    assert not AvoidanceRequest.objects.exists()


def test_the_service_refuses_a_fourth_even_without_the_form(draft_a, applicant_a):
    four = [{"expert_name": f"专家{n}", "expert_employer": "单位", "reason": "理由"}
            for n in range(4)]
    with pytest.raises(services.ApplicationError, match="最多可以填写3名"):
        services.avoidance_requests_save(application=draft_a, actor=applicant_a, rows=four)
    with pytest.raises(services.ApplicationError, match="须填写专家姓名"):
        services.avoidance_requests_save(application=draft_a, actor=applicant_a, rows=[
            {"expert_name": "张三", "expert_employer": "", "reason": "理由"}])
    assert not AvoidanceRequest.objects.exists()


def test_every_field_of_a_begun_row_is_required(client_a, draft_a):
    response = client_a.post(step_url(draft_a), rows(("张三", "", "")) | {"next": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写该专家的工作单位。" in page and "请填写回避理由。" in page
    assert 'value="张三"' in page
    assert not AvoidanceRequest.objects.exists()


def test_editable_only_while_the_application_is(client_a, draft_a, clock):
    submitted = Application.objects.filter(pk=draft_a.pk)
    submitted.update(status=ApplicationStatus.SUBMITTED)
    response = client_a.post(step_url(draft_a), rows(("张三", "单位", "理由")) | {"next": "1"})
    assert response.status_code == 302 and not AvoidanceRequest.objects.exists()
    submitted.update(status=ApplicationStatus.DRAFT)
    closes_at = timezone.now() + datetime.timedelta(minutes=10)  # within the session's life
    Call.objects.filter(pk=draft_a.call_id).update(closes_at=closes_at)
    clock(closes_at - datetime.timedelta(seconds=1))  # the window's last second
    client_a.post(step_url(draft_a), rows(("张三", "单位", "理由")) | {"next": "1"})
    assert AvoidanceRequest.objects.count() == 1
    clock(closes_at)  # closed
    response = client_a.post(step_url(draft_a), rows() | {"next": "1"})
    assert response.status_code == 302 and AvoidanceRequest.objects.count() == 1
    page = client_a.get(reverse("applications:detail", args=[draft_a.pk])).content.decode()
    assert "申报受理已于" in page


def test_a_save_after_the_session_ended_comes_back_in_the_rows(client_a, draft_a, applicant_a):
    page = client_a.get(step_url(draft_a)).content.decode()
    token = re.search(rf'name="{DRAFT_TOKEN_FIELD}" value="([^"]+)"', page).group(1)
    Session.objects.filter(session_key=client_a.session.session_key).delete()
    client_a.post(step_url(draft_a), rows(("晚到的专家", "某单位", "某理由"))
                  | {"next": "1", DRAFT_TOKEN_FIELD: token})
    assert not AvoidanceRequest.objects.exists()
    client_a.force_login(applicant_a)
    restored = client_a.get(step_url(draft_a)).content.decode()
    assert "已恢复您在登录超时前填写" in restored and 'value="晚到的专家"' in restored


def _submitted_with_request(applicant):
    application = ApplicationFactory(
        submitted=True, organisation=applicant.role_assignments.first().organisation,
        created_by=applicant)
    AvoidanceRequest.objects.create(application=application, expert_name=SECRET_NAME,
                                    expert_employer=SECRET_EMPLOYER, reason="竞争关系。")
    return application


def test_the_unit_sees_its_requests_the_district_and_others_never(
        role_client, applicant_a, official_laoshan, commission_staff):
    application = _submitted_with_request(applicant_a)
    own = role_client("applicant").get(reverse("applications:detail", args=[application.pk]))
    assert SECRET_NAME in own.content.decode() and "待审核" in own.content.decode()
    district = role_client("district_official")
    for url in (reverse("applications:detail", args=[application.pk]),
                reverse("reviews:review", args=[application.pk])):
        response = district.get(url)
        assert response.status_code == 200, url
        assert SECRET_NAME not in response.content.decode()
        assert SECRET_EMPLOYER not in response.content.decode()
    commission_page = role_client("commission_staff").get(
        reverse("applications:detail", args=[application.pk])).content.decode()
    assert SECRET_NAME not in commission_page  # the commission rules on its own page
    expert = role_client("expert").get(reverse("applications:detail", args=[application.pk]))
    assert expert.status_code == 404


@pytest.mark.parametrize("variant", [DocumentVariant.FORM, DocumentVariant.PACKAGE])
def test_the_pdf_never_carries_the_requests(applicant_a, variant):
    application = _submitted_with_request(applicant_a)
    content = documents.document_content(application, variant)
    html = documents.document_html(content, documents.document_content_hash(application,
                                                                            variant))
    assert application.center_name in html
    assert SECRET_NAME not in html and SECRET_EMPLOYER not in html
    assert SECRET_NAME not in str(content)
