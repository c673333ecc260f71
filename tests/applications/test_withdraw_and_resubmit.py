"""A way back after a mistake: withdraw, correct and submit again while the call is open."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.enums import ApplicationStatus
from applications.models import Application, Call
from core.models import AuditEvent, Notification
from core.transitions import status_history

from ..factories import applicant

pytestmark = pytest.mark.django_db


def _close_window(call):
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))


def test_withdraw_correct_and_submit_again_within_the_window(submitted_a, applicant_a,
                                                              role_client):
    client = role_client("applicant")
    number = submitted_a.receipt_number
    client.post(reverse("applications:withdraw", args=[submitted_a.pk]),
                {"reason": "申报单位主动撤回"})
    page = client.get(reverse("applications:detail", args=[submitted_a.pk])).content.decode()
    assert "重新编辑" in page and "继续填写" not in page

    response = client.post(reverse("applications:reopen", args=[submitted_a.pk]))
    reopened = Application.objects.get(pk=submitted_a.pk)
    assert reopened.status == ApplicationStatus.DRAFT
    assert response["Location"] == reverse("applications:step",
                                           args=[reopened.pk, reopened.current_step])
    # Everything written is still there: correct one field, keep the rest.
    assert reopened.center_name and reopened.attachments.count() == 2
    client.post(reverse("applications:step", args=[reopened.pk, "center"]),
                {"center_name": "青岛市智能家电产业数字化转型赋能中心（更正）",
                 "industry_field": reopened.industry_field_id,
                 **{f"{p}_{f}": getattr(reopened, f"{p}_{f}")
                    for p in ("director", "tech_lead", "service_lead")
                    for f in ("name", "title", "phone", "email")},
                 "next": "1"})
    assert Application.objects.get(pk=reopened.pk).center_name.endswith("（更正）")

    response = client.post(reverse("applications:submit", args=[reopened.pk]), {"confirm": "1"})
    assert response["Location"] == reverse("applications:receipt", args=[reopened.pk])
    resubmitted = Application.objects.get(pk=reopened.pk)
    assert resubmitted.status == ApplicationStatus.SUBMITTED
    assert resubmitted.receipt_number == number  # kept across withdrawal and resubmission
    assert [c.transition for c in status_history(resubmitted)] == [
        "submit", "withdraw", "reopen", "submit"]


def test_withdrawn_after_the_window_cannot_be_reopened_and_says_so(submitted_a, applicant_a,
                                                                    role_client):
    services.application_withdraw(application=submitted_a, actor=applicant_a, reason="撤回")
    _close_window(submitted_a.call)
    with pytest.raises(services.ApplicationError, match="截止"):
        services.application_reopen(application=submitted_a, actor=applicant_a)
    client = role_client("applicant")
    page = client.get(reverse("applications:detail", args=[submitted_a.pk])).content.decode()
    assert "重新编辑" not in page and "继续填写" not in page
    assert "受理期已结束，不能再重新提交" in page
    call_page = client.get(reverse("applications:call_detail",
                                   args=[submitted_a.call_id])).content.decode()
    assert "不能再重新提交" in call_page


def test_starting_again_points_to_the_withdrawn_application_and_its_way_back(submitted_a,
                                                                            applicant_a, org_a):
    services.application_withdraw(application=submitted_a, actor=applicant_a, reason="撤回")
    with pytest.raises(services.ApplicationExists) as refused:
        services.application_start(call=submitted_a.call, organisation=org_a, actor=applicant_a)
    assert "重新编辑" in str(refused.value) and "继续填写" not in str(refused.value)


def test_the_district_and_the_members_are_told_of_a_withdrawal(submitted_a, applicant_a, org_a,
                                                               official_laoshan,
                                                               django_capture_on_commit_callbacks):
    colleague = applicant(org_a, is_administrator=False, username="colleague")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_withdraw(application=submitted_a, actor=applicant_a,
                                      reason="材料有误")
    for user in (official_laoshan, applicant_a, colleague):
        notice = Notification.objects.get(recipient=user, purpose="application_withdrawn")
        assert submitted_a.receipt_number in notice.title and "材料有误" in notice.body
    assert "重新编辑" in Notification.objects.get(recipient=applicant_a,
                                              purpose="application_withdrawn").body
    assert "重新编辑" not in Notification.objects.get(recipient=official_laoshan,
                                                  purpose="application_withdrawn").body


def test_only_members_reopen_and_the_move_is_audited(submitted_a, applicant_a, commission_staff):
    from django.core.exceptions import PermissionDenied

    services.application_withdraw(application=submitted_a, actor=applicant_a, reason="撤回")
    with pytest.raises(PermissionDenied):
        services.application_reopen(application=submitted_a, actor=commission_staff)
    services.application_reopen(application=submitted_a, actor=applicant_a)
    assert AuditEvent.objects.filter(action="application.reopen", actor=applicant_a).exists()


def test_a_reopened_application_offers_no_receipt_until_submitted_again(submitted_a, role_client):
    # The 站内通知 of the first submission links to the receipt; once the unit reopened its
    # application for correction that page must not claim a submission that is no longer there.
    client = role_client("applicant")
    client.post(reverse("applications:withdraw", args=[submitted_a.pk]), {"reason": "更正数据"})
    client.post(reverse("applications:reopen", args=[submitted_a.pk]))
    detail = reverse("applications:detail", args=[submitted_a.pk])

    for name in ("applications:receipt", "applications:receipt_pdf"):
        response = client.get(reverse(name, args=[submitted_a.pk]), follow=True)
        assert response.redirect_chain and response.redirect_chain[-1][0] == detail
        assert "重新提交后" in response.content.decode()
