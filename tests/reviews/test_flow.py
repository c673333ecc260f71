"""第九条（二）: return → edit → resubmit → the changes shown → recommend; the return's date."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.enums import ApplicationStatus, AttachmentKind
from applications.models import Application
from core.models import AuditEvent, Notification, OutgoingMail
from core.transitions import status_history
from core.workdays import WorkingDayDataMissing, add_working_days
from reviews import services
from reviews.enums import ReviewOutcome, ReviewStatus
from reviews.models import DistrictReview
from tests.applications.conftest import pdf_bytes, upload
from tests.factories import ApplicationFactory

from .conftest import CHECKLIST, decide, draft

pytestmark = pytest.mark.usefixtures("celery_eager")

BEIJING = ZoneInfo("Asia/Shanghai")


def _center_post(application, **changes):
    data = {"center_name": application.center_name,
            "industry_field": application.industry_field_id,
            **{f"{p}_{f}": getattr(application, f"{p}_{f}")
               for p in ("director", "tech_lead", "service_lead")
               for f in ("name", "title", "phone", "email")},
            "next": "1"}
    return data | changes


def _review_post(client, application, intent, **fields):
    data = {k: v for k, v in CHECKLIST.items()}
    data |= {"intent": intent,
             "resubmit_by": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}
    data |= fields
    return client.post(reverse("reviews:review", args=[application.pk]), data)


def test_return_edit_resubmit_see_changes_then_recommend(submitted_a, official_laoshan,
                                                         applicant_a, role_client):
    official = role_client("district_official")
    applicant = role_client("applicant")
    page = official.get(reverse("reviews:review", args=[submitted_a.pk]))
    assert page.status_code == 200
    assert submitted_a.center_name in page.content.decode()

    response = _review_post(official, submitted_a, "returned",
                            applicant_reasons="请补充近三年的服务案例。",
                            internal_note="内部：该单位去年曾被约谈。")
    assert response.status_code == 302
    returned = Application.objects.get(pk=submitted_a.pk)
    assert returned.status == ApplicationStatus.RETURNED
    assert returned.resubmit_by == timezone.localdate() + datetime.timedelta(days=3)
    first = DistrictReview.objects.get(application=returned)
    assert (first.status, first.outcome, first.round) == (ReviewStatus.DECIDED,
                                                          ReviewOutcome.RETURNED, 1)
    # The decision names what it was made on.
    assert first.snapshot["fields"]["center_name"]["value"] == submitted_a.center_name
    assert len(first.snapshot_sha256) == 64 and len(first.package_hash) == 64
    assert {a["sha256"] for a in first.snapshot["attachments"]} == set(
        submitted_a.attachments.values_list("sha256", flat=True))

    # The unit is told at once, with its reasons and date, never the internal note.
    notice = Notification.objects.get(recipient=applicant_a, purpose="application_returned")
    assert "请补充近三年的服务案例。" in notice.body and "内部" not in notice.body
    queued = OutgoingMail.objects.get(recipient=applicant_a, purpose="application_returned")
    assert "请补充近三年的服务案例" in queued.body and "约谈" not in queued.body

    # The applicant corrects one field and adds a file, then resubmits.
    applicant.post(reverse("applications:step", args=[returned.pk, "center"]),
                   _center_post(returned, center_name="青岛市智能家电赋能中心（修改后）"))
    application_services.attachment_add(application=returned, actor=applicant_a,
                                        kind=AttachmentKind.CASE,
                                        uploaded_file=upload("服务案例.pdf", pdf_bytes("案例")))
    detail = applicant.get(reverse("applications:detail", args=[returned.pk])).content.decode()
    assert "约谈" not in detail and "请补充近三年的服务案例。" in detail
    response = applicant.post(reverse("applications:submit", args=[returned.pk]),
                              {"confirm": "1"})
    assert response["Location"] == reverse("applications:receipt", args=[returned.pk])

    page = official.get(reverse("reviews:review", args=[returned.pk])).content.decode()
    changes = page[page.index('id="resubmission-changes"'):page.index("一、单位基本情况")]
    assert "赋能中心名称" in changes and "青岛市智能家电赋能中心（修改后）" in changes
    assert submitted_a.center_name in changes  # the returned version beside the new one
    assert "新增附件：案例 · 服务案例.pdf" in changes
    assert "赋能中心负责人姓名" not in changes  # unchanged fields are not listed

    response = _review_post(official, returned, "recommended")
    assert response.status_code == 302
    second = DistrictReview.objects.get(application=returned, round=2)
    assert (second.outcome, second.rank) == (ReviewOutcome.RECOMMENDED, 1)
    assert Application.objects.get(pk=returned.pk).status == ApplicationStatus.RECOMMENDED
    assert [c.transition for c in status_history(returned)] == [
        "submit", "return", "resubmit", "recommend"]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"district_review.save_draft", "districtreview.return",
            "districtreview.recommend", "application.recommend"} <= actions


def test_resubmission_is_refused_from_the_first_second_after_the_date(
        submitted_a, official_laoshan, applicant_a, clock):
    day = timezone.localdate() + datetime.timedelta(days=2)
    decide(submitted_a, official_laoshan, ReviewOutcome.RETURNED, resubmit_by=day)
    returned = Application.objects.get(pk=submitted_a.pk)

    last_second = datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=BEIJING)
    clock(last_second)
    assert application_services.application_edit_refusal(returned) is None
    clock(last_second + datetime.timedelta(seconds=1))
    refusal = application_services.application_edit_refusal(returned)
    assert refusal and "已过" in refusal
    with pytest.raises(application_services.ApplicationError, match="已过"):
        application_services.application_submit(application=returned, actor=applicant_a)
    assert Application.objects.get(pk=returned.pk).status == ApplicationStatus.RETURNED

    clock(last_second)
    resubmitted = application_services.application_submit(application=returned,
                                                           actor=applicant_a)
    assert resubmitted.status == ApplicationStatus.SUBMITTED


def test_the_date_is_never_past_the_district_deadline(submitted_a, official_laoshan):
    call = submitted_a.call
    with pytest.raises(services.ReviewError, match="不能晚于主管部门初审报送截止日期"):
        decide(submitted_a, official_laoshan, ReviewOutcome.RETURNED,
               resubmit_by=call.district_review_deadline + datetime.timedelta(days=1))
    # The refused decision kept what was typed.
    kept = DistrictReview.objects.get(application=submitted_a)
    assert kept.status == ReviewStatus.DRAFT and kept.applicant_reasons
    assert Application.objects.get(pk=submitted_a.pk).status == ApplicationStatus.SUBMITTED


def test_the_default_date_counts_working_days_and_stops_at_the_deadline(open_call):
    today = timezone.localdate()
    try:
        expected = add_working_days(today, open_call.resubmit_working_days)
    except WorkingDayDataMissing:
        expected = open_call.district_review_deadline
    assert services.resubmit_default_date(open_call, today) == min(
        expected, open_call.district_review_deadline)
    open_call.district_review_deadline = today + datetime.timedelta(days=1)
    assert services.resubmit_default_date(open_call, today) == today + datetime.timedelta(days=1)


def test_a_refused_decision_keeps_the_draft_on_the_page(submitted_a, role_client):
    official = role_client("district_official")
    response = _review_post(official, submitted_a, "recommended", opinion="",
                            internal_note="先记下：需电话核实。")
    assert response.status_code == 302
    page = official.get(response["Location"]).content.decode()
    assert "推荐须填写审查推荐意见" in page
    assert "先记下：需电话核实。" in page  # the draft is back in the form
    assert Application.objects.get(pk=submitted_a.pk).status == ApplicationStatus.SUBMITTED


def test_recommending_needs_every_check_passed(submitted_a, official_laoshan):
    with pytest.raises(services.ReviewError, match="真实性审查未通过"):
        decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED,
               authenticity="failed")


def test_decline_with_a_reason(submitted_a, official_laoshan):
    review = decide(submitted_a, official_laoshan, ReviewOutcome.NOT_RECOMMENDED,
                    applicant_reasons="建设内容与所选领域不符。")
    assert review.outcome == ReviewOutcome.NOT_RECOMMENDED and review.rank is None
    assert Application.objects.get(pk=submitted_a.pk).status == ApplicationStatus.NOT_RECOMMENDED
    with pytest.raises(services.ReviewError):
        decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)


def test_returning_several_at_once_tells_each_unit_its_own_reasons(open_call, official_laoshan,
                                                                   role_client):
    first, second = (ApplicationFactory(submitted=True, call=open_call) for _ in range(2))
    draft(first, official_laoshan, applicant_reasons="甲单位：补充营业执照。")
    draft(second, official_laoshan, applicant_reasons="乙单位：补充专利证书。")
    response = role_client("district_official").post(
        reverse("reviews:return_many"), {"application": [first.pk, second.pk]})
    assert response.status_code == 302
    for application, own, other in ((first, "甲单位", "乙单位"), (second, "乙单位", "甲单位")):
        assert Application.objects.get(pk=application.pk).status == ApplicationStatus.RETURNED
        bodies = " ".join(Notification.objects.filter(
            recipient__role_assignments__organisation=application.organisation,
            purpose="application_returned").values_list("body", flat=True))
        assert own in bodies and other not in bodies


def test_a_decision_on_content_changed_since_the_page_was_read_is_refused(
        submitted_a, official_laoshan):
    draft(submitted_a, official_laoshan)
    with pytest.raises(services.ReviewError, match="发生了变化"):
        services.review_decide(application=submitted_a, actor=official_laoshan,
                               outcome=ReviewOutcome.RECOMMENDED, seen_digest="0" * 64)


def test_the_returned_hint_names_the_date(submitted_a, official_laoshan):
    day = timezone.localdate() + datetime.timedelta(days=2)
    decide(submitted_a, official_laoshan, ReviewOutcome.RETURNED, resubmit_by=day)
    hint = application_services.application_next_step_hint(
        Application.objects.get(pk=submitted_a.pk))
    assert re.search(f"{day:%Y年%m月%d日}", hint)
