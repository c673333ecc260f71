"""The commission's intake (第八条、第九条（二）): its 形式审查 of direct submissions, the per
department counts, the ready list with its export and its move to 专家评审, and 未按期审查."""

import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.enums import ApplicationStatus, DocumentStatus, RoutingBasis
from applications.models import Application, ApplicationExport, Call
from core.models import AuditEvent, Notification, StatusChange
from reviews import batches, intake
from reviews.enums import OverdueResolution, ReviewOutcome
from reviews.models import DistrictReview, OverdueReview
from reviews.services import ReviewError
from tests.factories import ApplicationFactory

from .conftest import CHECKLIST, decide

pytestmark = pytest.mark.usefixtures("celery_eager")

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")
S = ApplicationStatus


@pytest.fixture
def direct_a(open_call, applicant_a):
    """A 市直 unit's complete application, submitted through the service: the route is
    confirmed, so it goes straight to the commission (第八条)."""
    application = ApplicationFactory(complete=True, direct=True, call=open_call,
                                     center_name="青岛市数字经济赋能中心")
    return application_services.application_submit(application=application,
                                                   actor=application.created_by)


def _check(application, staff, outcome, **fields):
    data = {**CHECKLIST, "resubmit_by": timezone.localdate() + datetime.timedelta(days=2),
            **fields}
    intake.commission_review_save_draft(application=application, actor=staff, data=data)
    return intake.commission_review_decide(application=application, actor=staff,
                                           outcome=outcome)


# --- 形式审查 of direct submissions ------------------------------------------------------------


def test_direct_submission_passes_the_commissions_checklist(direct_a, commission_staff,
                                                            commission):
    assert direct_a.routed_to_commission and direct_a.routing_basis == RoutingBasis.CONFIRMED
    review = _check(direct_a, commission_staff, ReviewOutcome.PASSED)
    assert review.department == commission and review.rank is None
    assert review.outcome == ReviewOutcome.PASSED and review.snapshot_sha256
    assert Application.objects.get(pk=direct_a.pk).status == S.FORMAL_PASSED
    assert AuditEvent.objects.filter(action="application.pass_formal").count() == 1
    assert AuditEvent.objects.filter(action="districtreview.pass").count() == 1


def test_direct_submission_returned_with_a_date_and_the_unit_told(direct_a, commission_staff):
    _check(direct_a, commission_staff, ReviewOutcome.RETURNED,
           applicant_reasons="请补充服务案例。")
    application = Application.objects.get(pk=direct_a.pk)
    assert application.status == S.RETURNED and application.resubmit_by
    notice = Notification.objects.get(purpose="application_returned")
    assert "请补充服务案例" in notice.body and "市发展改革委" in notice.body


def test_direct_submission_declined_and_passing_needs_every_check(direct_a, commission_staff):
    with pytest.raises(ReviewError, match="不能通过形式审查"):
        _check(direct_a, commission_staff, ReviewOutcome.PASSED, accuracy="failed")
    _check(direct_a, commission_staff, ReviewOutcome.NOT_RECOMMENDED,
           applicant_reasons="不符合申报条件。")
    assert Application.objects.get(pk=direct_a.pk).status == S.NOT_RECOMMENDED


def test_no_rank_outcome_for_the_commission(direct_a, commission_staff):
    with pytest.raises(ReviewError):
        _check(direct_a, commission_staff, ReviewOutcome.RECOMMENDED)


def test_district_routed_application_is_not_the_commissions_to_check(submitted_a,
                                                                    commission_staff):
    with pytest.raises(ReviewError, match="由主管部门初审"):
        intake.commission_review_save_draft(application=submitted_a, actor=commission_staff,
                                            data=CHECKLIST)


def test_district_officials_never_see_direct_submissions(direct_a, official_laoshan,
                                                         role_client):
    with pytest.raises(PermissionDenied):
        intake.commission_review_save_draft(application=direct_a, actor=official_laoshan,
                                            data=CHECKLIST)
    client = role_client("district_official")
    assert client.get(reverse("reviews:review", args=[direct_a.pk])).status_code == 404
    assert direct_a.receipt_number not in client.get(reverse("reviews:inbox")).content.decode()
    assert client.get(reverse("reviews:formal_review", args=[direct_a.pk])).status_code == 403


def test_the_formal_review_page_decides(direct_a, role_client):
    client = role_client("commission_staff")
    url = reverse("reviews:formal_review", args=[direct_a.pk])
    page = client.get(url).content.decode()
    assert "形式审查通过" in page and direct_a.center_name in page
    response = client.post(url, {**CHECKLIST, "intent": "passed",
                                 "resubmit_by": str(timezone.localdate())})
    assert response.status_code == 302
    assert Application.objects.get(pk=direct_a.pk).status == S.FORMAL_PASSED


# --- the intake page ---------------------------------------------------------------------------


def test_counts_per_department_and_the_ready_list(open_call, submitted_a, official_laoshan,
                                                  direct_a, commission_staff, role_client):
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    _check(direct_a, commission_staff, ReviewOutcome.PASSED)
    ApplicationFactory(submitted=True, call=open_call, center_name="尚未初审的中心")
    ApplicationFactory(returned=True, call=open_call)
    page = role_client("commission_staff").get(reverse("reviews:intake"),
                                               {"call": open_call.pk}).content.decode()
    table = page[page.index('id="department-counts"'):page.index('id="filter-form"')]
    laoshan = table[table.index("崂山区"):]
    laoshan = laoshan[:laoshan.index("</tr>")]
    cells = [c.split(">")[-1] for c in laoshan.split("</td>")[1:-1]]
    # received, recommended, returned, not recommended, undecided, overdue, the batch
    assert cells == ["3", "1", "1", "0", "1", "0", "尚未报送"]
    listing = page[page.index('id="intake-list"'):]
    assert submitted_a.receipt_number in listing and direct_a.receipt_number in listing
    assert "尚未初审的中心" not in listing
    assert "第1位" in listing


def test_filters_narrow_the_list(open_call, submitted_a, official_laoshan, direct_a,
                                 commission_staff, role_client):
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    _check(direct_a, commission_staff, ReviewOutcome.PASSED)
    client = role_client("commission_staff")

    def listing(**params):
        page = client.get(reverse("reviews:intake"), params).content.decode()
        return page[page.index('id="intake-list"'):]

    only_direct = listing(department="direct")
    assert direct_a.receipt_number in only_direct
    assert submitted_a.receipt_number not in only_direct
    by_text = listing(q=submitted_a.receipt_number)
    assert submitted_a.receipt_number in by_text and direct_a.receipt_number not in by_text


@pytest.mark.parametrize("rows", [1, 30])
def test_the_intake_page_reads_a_fixed_number_of_queries(rows, open_call, commission_staff,
                                                         role_client,
                                                         django_assert_max_num_queries):
    for i in range(rows):
        status = S.RECOMMENDED if i % 2 else S.FORMAL_PASSED
        ApplicationFactory(submitted=True, direct=not i % 2, call=open_call, status=status)
    client = role_client("commission_staff")
    client.get(reverse("reviews:intake"))  # the session and the user's roles are cached warm
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reviews:intake"), {"call": open_call.pk})
    assert response.status_code == 200
    assert response.content.decode().count('name="one"') == rows


def test_export_holds_the_filtered_ready_list(open_call, submitted_a, official_laoshan,
                                              direct_a, role_client,
                                              django_capture_on_commit_callbacks):
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    client = role_client("commission_staff")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:intake_export"), {"call": open_call.pk})
    export = ApplicationExport.objects.get()
    assert response.url == reverse("applications:export_detail", args=[export.pk])
    assert export.status == DocumentStatus.READY and export.row_count == 1
    sheet = openpyxl.load_workbook(io.BytesIO(export.file.read())).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = values[0]
    assert values[1][header.index("申报编号")] == submitted_a.receipt_number
    assert submitted_a.center_name in values[1]
    assert direct_a.center_name not in [v for row in values for v in row]


# --- 转入专家评审 ------------------------------------------------------------------------------


def test_move_to_expert_review_is_audited_once_and_idempotent(open_call, submitted_a,
                                                              official_laoshan, role_client):
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    client = role_client("commission_staff")
    url = reverse("reviews:intake_expert_review")
    for _ in range(2):  # two clicks of two renderings: the second finds it moved already
        assert client.post(url, {"one": submitted_a.pk}).status_code == 302
    assert Application.objects.get(pk=submitted_a.pk).status == S.EXPERT_REVIEW
    assert AuditEvent.objects.filter(action="application.start_expert_review").count() == 1
    assert StatusChange.objects.filter(transition="start_expert_review").count() == 1


def test_double_click_with_one_token_moves_once(open_call, submitted_a, official_laoshan,
                                                role_client):
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    client = role_client("commission_staff")
    data = {"application": [submitted_a.pk], "form_token": "t" * 32}
    url = reverse("reviews:intake_expert_review")
    client.post(url, data)
    assert client.post(url, data).status_code == 302
    assert StatusChange.objects.filter(transition="start_expert_review").count() == 1


def test_only_ready_applications_move(submitted_a, commission_staff, official_laoshan):
    with pytest.raises(application_services.ApplicationError):
        application_services.application_start_expert_review(application=submitted_a,
                                                             actor=commission_staff)
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    with pytest.raises(PermissionDenied):
        application_services.application_start_expert_review(application=submitted_a,
                                                             actor=official_laoshan)


def test_the_admin_action_calls_the_same_service(submitted_a, official_laoshan,
                                                 commission_staff):
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    model_admin = site._registry[Application]
    request = RequestFactory().post("/")
    request.user = commission_staff
    request._messages = _Messages()
    for _ in range(2):
        model_admin.get_actions(request)["start_expert_review"][0](
            model_admin, request, Application.objects.filter(pk=submitted_a.pk))
    assert Application.objects.get(pk=submitted_a.pk).status == S.EXPERT_REVIEW
    assert AuditEvent.objects.filter(action="application.start_expert_review").count() == 1


class _Messages:
    def add(self, *args, **kwargs):
        pass


# --- 未按期审查 ----------------------------------------------------------------------------------


def _at(day: datetime.date, hour, minute, second):
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=BEIJING)


def test_sweep_marks_exactly_once_from_the_first_second_after_the_deadline_day(
        submitted_a, official_laoshan):
    deadline = submitted_a.call.district_review_deadline
    assert intake.mark_overdue_reviews(_at(deadline, 23, 59, 59)) == 0
    assert intake.mark_overdue_reviews(_at(deadline + datetime.timedelta(days=1), 0, 0, 0)) == 1
    assert intake.mark_overdue_reviews(_at(deadline + datetime.timedelta(days=1), 0, 15, 0)) == 0
    mark = OverdueReview.objects.get()
    assert (mark.application_id, mark.deadline) == (submitted_a.pk, deadline)
    assert mark.resolution == OverdueResolution.PENDING


def test_the_sweep_runs_it(submitted_a):
    from core.sweep import run_deadline_sweep

    deadline = submitted_a.call.district_review_deadline
    result = run_deadline_sweep(_at(deadline + datetime.timedelta(days=1), 0, 0, 0))
    assert result["reviews.intake.mark_overdue_reviews"] == 1


def test_decided_and_direct_applications_are_never_marked(submitted_a, official_laoshan,
                                                          direct_a):
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    later = _at(submitted_a.call.district_review_deadline + datetime.timedelta(days=3), 9, 0, 0)
    assert intake.mark_overdue_reviews(later) == 0


def test_extension_and_a_second_mark_after_it(submitted_a, commission_staff, official_laoshan,
                                              clock):
    deadline = submitted_a.call.district_review_deadline
    intake.mark_overdue_reviews(_at(deadline + datetime.timedelta(days=1), 0, 0, 0))
    mark = OverdueReview.objects.get()
    until = deadline + datetime.timedelta(days=5)
    clock(_at(deadline + datetime.timedelta(days=1), 9, 0, 0))
    intake.overdue_extend(mark=mark, actor=commission_staff, until=until, reason="系统故障")
    assert Notification.objects.filter(recipient=official_laoshan,
                                       purpose="district_review_extended").exists()
    assert AuditEvent.objects.filter(action="overdue_review.extend").count() == 1
    with pytest.raises(ReviewError):
        intake.overdue_extend(mark=mark, actor=commission_staff, until=until)
    assert intake.mark_overdue_reviews(_at(until, 23, 59, 59)) == 0
    assert intake.mark_overdue_reviews(_at(until + datetime.timedelta(days=1), 0, 0, 0)) == 1
    assert OverdueReview.objects.filter(deadline=until).exists()
    # The district may still decide: the mark blocks nothing.
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)


def test_take_over_moves_it_to_the_commissions_formal_review(submitted_a, commission_staff,
                                                             official_laoshan, role_client):
    Call.objects.filter(pk=submitted_a.call_id).update(
        district_review_deadline=timezone.localdate() - datetime.timedelta(days=1))
    intake.mark_overdue_reviews(timezone.now())
    mark = OverdueReview.objects.get()
    client = role_client("commission_staff")
    page = client.get(reverse("reviews:intake"), {"stage": "overdue"}).content.decode()
    assert "未按期审查" in page and submitted_a.receipt_number in page
    response = client.post(reverse("reviews:overdue_take_over", args=[mark.pk]))
    assert response.url == reverse("reviews:formal_review", args=[submitted_a.pk])
    application = Application.objects.get(pk=submitted_a.pk)
    assert application.routed_to_commission and application.routed_department is None
    assert OverdueReview.objects.get().resolution == OverdueResolution.TAKEN_OVER
    assert role_client("district_official").get(
        reverse("reviews:review", args=[submitted_a.pk])).status_code == 404
    _check(application, commission_staff, ReviewOutcome.PASSED)
    assert Application.objects.get(pk=submitted_a.pk).status == S.FORMAL_PASSED
    assert DistrictReview.objects.get().department.short_name == "市发展改革委"


def test_overdue_admin_lists_filters_and_takes_over(submitted_a, commission_admin, client):
    Call.objects.filter(pk=submitted_a.call_id).update(
        district_review_deadline=timezone.localdate() - datetime.timedelta(days=1))
    intake.mark_overdue_reviews(timezone.now())
    mark = OverdueReview.objects.get()
    client.force_login(commission_admin)
    url = reverse("admin:reviews_overduereview_changelist")
    page = client.get(url, {"resolution__exact": "pending"})
    assert page.status_code == 200 and str(submitted_a) in page.content.decode()
    assert str(submitted_a) not in client.get(
        url, {"resolution__exact": "extended"}).content.decode()
    client.post(url, {"action": "take_over_overdue", "_selected_action": [mark.pk]})
    assert OverdueReview.objects.get().resolution == OverdueResolution.TAKEN_OVER
    assert Application.objects.get(pk=submitted_a.pk).routed_to_commission


def test_the_department_row_says_whether_its_batch_arrived(open_call, submitted_a,
                                                           official_laoshan, role_client,
                                                           django_capture_on_commit_callbacks):
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    with django_capture_on_commit_callbacks(execute=True):
        batches.batch_submit(department_id=submitted_a.routed_department_id, call=open_call,
                             actor=official_laoshan)
    page = role_client("commission_staff").get(reverse("reviews:intake"),
                                               {"call": open_call.pk}).content.decode()
    table = page[page.index('id="department-counts"'):page.index('id="filter-form"')]
    laoshan = table[table.index("崂山区"):]
    assert "按期报送" in laoshan[:laoshan.index("</tr>")]
    jimo = table[table.index("即墨区"):]
    assert "尚未报送" in jimo[:jimo.index("</tr>")]


def test_overdue_admin_extends_with_a_date_through_the_same_service(submitted_a,
                                                                    commission_admin, client):
    Call.objects.filter(pk=submitted_a.call_id).update(
        district_review_deadline=timezone.localdate() - datetime.timedelta(days=1))
    intake.mark_overdue_reviews(timezone.now())
    mark = OverdueReview.objects.get()
    client.force_login(commission_admin)
    url = reverse("admin:reviews_overduereview_changelist")
    asked = client.post(url, {"action": "extend_overdue", "_selected_action": [mark.pk]})
    assert "补审期限" in asked.content.decode()
    assert OverdueReview.objects.get().resolution == OverdueResolution.PENDING
    past = client.post(url, {"action": "extend_overdue", "_selected_action": [mark.pk],
                             "apply": "1", "until": "2020-01-01", "reason": ""})
    assert OverdueReview.objects.get().resolution == OverdueResolution.PENDING
    assert "补审期限不能早于今天" in str(list(past.wsgi_request._messages))
    until = timezone.localdate() + datetime.timedelta(days=3)
    client.post(url, {"action": "extend_overdue", "_selected_action": [mark.pk], "apply": "1",
                      "until": until.isoformat(), "reason": "系统故障"})
    extended = OverdueReview.objects.get()
    assert extended.resolution == OverdueResolution.EXTENDED and extended.extended_until == until
    assert AuditEvent.objects.filter(action="overdue_review.extend").count() == 1


def test_the_admin_decides_a_saved_formal_review_draft_through_the_same_service(
        direct_a, commission_admin, client):
    intake.commission_review_save_draft(application=direct_a, actor=commission_admin,
                                        data={**CHECKLIST, "opinion": "材料齐全。"})
    draft = DistrictReview.objects.get(application=direct_a)
    client.force_login(commission_admin)
    url = reverse("admin:reviews_districtreview_changelist")
    client.post(url, {"action": "formal_review_passed", "_selected_action": [draft.pk]})
    assert Application.objects.get(pk=direct_a.pk).status == S.FORMAL_PASSED
    assert DistrictReview.objects.get(pk=draft.pk).outcome == ReviewOutcome.PASSED
    again = client.post(url, {"action": "formal_review_passed", "_selected_action": [draft.pk]},
                        follow=True)
    assert "该审查已作出结论" in again.content.decode()
    assert StatusChange.objects.filter(to_status=S.FORMAL_PASSED).count() == 1


def test_an_act_returns_to_the_list_as_filtered_and_carries_nothing_else(open_call, submitted_a,
                                                                        official_laoshan,
                                                                        role_client):
    decide(submitted_a, official_laoshan, ReviewOutcome.RECOMMENDED)
    response = role_client("commission_staff").post(reverse("reviews:intake_expert_review"), {
        "one": submitted_a.pk,
        "back": f"call={open_call.pk}&q=青岛&http://evil.example/&next=//evil.example&page=2"})
    assert response.url == (reverse("reviews:intake")
                            + f"?call={open_call.pk}&q=%E9%9D%92%E5%B2%9B&page=2")
