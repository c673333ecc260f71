"""第八条: the department sends its recommendations as one batch with a 推荐函; sending locks
its decisions, the units learn of 推荐 / 不予推荐 only then, the commission sends a batch back;
the timers around the district deadline."""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from core.models import AuditEvent, Notification
from core.sweep import run_deadline_sweep
from reviews import batches, services
from reviews.enums import BatchStatus, LetterStatus, ReviewOutcome
from reviews.models import RecommendationBatch
from tests.factories import ApplicationFactory

from .conftest import decide, draft

pytestmark = pytest.mark.usefixtures("celery_eager")


def _submitted(call, receipt, name):
    return ApplicationFactory(submitted=True, call=call, receipt_number=receipt,
                              center_name=name)


def _department_id(official):
    from accounts.selectors import user_department_ids

    return next(iter(user_department_ids(official, "district_official")))


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    global _on_commit
    _on_commit = django_capture_on_commit_callbacks


def submit(call, official, **kwargs):
    """Sends as the page does; what the commit queues (the 推荐函, mails) runs as it would."""
    with _on_commit(execute=True):
        return batches.batch_submit(department_id=_department_id(official), call=call,
                                    actor=official, **kwargs)


# --- the 推荐函 ------------------------------------------------------------------------------


def test_letter_lists_recommendations_in_rank_order(open_call, official_laoshan, tmp_path):
    first = _submitted(open_call, "QD2026-LS-001", "青岛海洋装备数字化赋能中心")
    second = _submitted(open_call, "QD2026-LS-002", "崂山软件信息服务赋能中心")
    declined = _submitted(open_call, "QD2026-LS-003", "不予推荐的中心")
    decide(first, official_laoshan, ReviewOutcome.RECOMMENDED, opinion="技术领先，同意推荐。")
    second_review = decide(second, official_laoshan, ReviewOutcome.RECOMMENDED,
                           opinion="服务案例丰富，同意推荐。")
    decide(declined, official_laoshan, ReviewOutcome.NOT_RECOMMENDED)
    # The second becomes the first.
    services.recommendation_move(review=second_review, actor=official_laoshan, direction="up")

    batch = submit(open_call, official_laoshan)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED
    assert batch.letter_status == LetterStatus.READY, batch.letter_error
    path = tmp_path / "letter.pdf"
    path.write_bytes(batch.letter_file.read())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout
    squeezed = "".join(text.split())
    assert "推荐函" in squeezed and "崂山区" in squeezed and open_call.title in squeezed
    assert squeezed.index("QD2026-LS-002") < squeezed.index("QD2026-LS-001")
    assert "QD2026-LS-003" not in squeezed
    # A cell's text wraps within its column: its first line is read whole.
    assert "服务案例丰富" in squeezed and "盖章处" in squeezed
    assert f"{timezone.localdate():%Y年%m月%d日}" in squeezed


# --- the lock --------------------------------------------------------------------------------


def test_sending_locks_decisions_ranks_and_returns(open_call, official_laoshan):
    recommended = [_submitted(open_call, f"R{i}", f"中心{i}") for i in range(2)]
    reviews = [decide(a, official_laoshan, ReviewOutcome.RECOMMENDED) for a in recommended]
    pending = _submitted(open_call, "P1", "待审中心")
    draft(pending, official_laoshan)

    submit(open_call, official_laoshan, acknowledged_undecided={pending.pk})

    with pytest.raises(batches.BatchError, match="已锁定"):
        services.recommendation_move(review=reviews[1], actor=official_laoshan,
                                     direction="up")
    for outcome in ReviewOutcome:
        with pytest.raises(services.ReviewError, match="已锁定"):
            decide(pending, official_laoshan, outcome)
    with pytest.raises(services.ReviewError, match="已锁定"):
        draft(pending, official_laoshan, opinion="改一改")
    assert Application.objects.get(pk=pending.pk).status == ApplicationStatus.SUBMITTED
    outcomes = services.reviews_return_many(applications=[pending], actor=official_laoshan)
    assert outcomes[0][1] and "已锁定" in outcomes[0][1]


def test_sending_twice_is_refused_and_creates_nothing_twice(open_call, official_laoshan,
                                                            commission_staff, role_client):
    application = _submitted(open_call, "R1", "中心")
    decide(application, official_laoshan, ReviewOutcome.RECOMMENDED)
    client = role_client("district_official")
    url = reverse("reviews:batch_submit", args=[open_call.pk])
    data = {"form_token": "a" * 32, "undecided": ""}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert RecommendationBatch.objects.get().submission_count == 1
    assert AuditEvent.objects.filter(action="recommendationbatch.submit").count() == 1
    assert Notification.objects.filter(recipient=commission_staff,
                                       purpose="recommendation_batch_received").count() == 1
    with pytest.raises(batches.BatchError, match="不能重复报送"):
        submit(open_call, official_laoshan)


def test_undecided_applications_must_be_confirmed(open_call, official_laoshan, role_client):
    pending = _submitted(open_call, "P1", "待审中心")
    with pytest.raises(batches.BatchError, match="P1"):
        submit(open_call, official_laoshan)
    client = role_client("district_official")
    page = client.get(reverse("reviews:batch", args=[open_call.pk]))
    assert "P1" in page.content.decode() and "尚未作出初审结论" in page.content.decode()
    # Without the tick: nothing sent.
    client.post(reverse("reviews:batch_submit", args=[open_call.pk]),
                {"undecided": str(pending.pk)})
    assert not RecommendationBatch.objects.filter(status=BatchStatus.SUBMITTED).exists()
    client.post(reverse("reviews:batch_submit", args=[open_call.pk]),
                {"undecided": str(pending.pk), "confirm_undecided": "on"})
    batch = RecommendationBatch.objects.get()
    assert batch.status == BatchStatus.SUBMITTED
    assert batch.letter_content["undecided"] == ["P1"]


def test_a_decision_taken_after_the_page_was_read_is_caught(open_call, official_laoshan):
    """The confirmation names the undecided ones seen; one more arriving is not sent unseen."""
    seen = _submitted(open_call, "P1", "中心一")
    _submitted(open_call, "P2", "中心二")
    with pytest.raises(batches.BatchError, match="P2"):
        submit(open_call, official_laoshan, acknowledged_undecided={seen.pk})


def test_deadline_boundary_second(open_call, official_laoshan, clock):
    open_call.district_review_deadline = datetime.date(2026, 12, 10)
    open_call.save(update_fields=["district_review_deadline"])
    end = timezone.make_aware(datetime.datetime(2026, 12, 11, 0, 0, 0))
    clock(end)
    with pytest.raises(batches.BatchError, match="截止日期"):
        submit(open_call, official_laoshan)
    clock(end - datetime.timedelta(seconds=1))
    batch = submit(open_call, official_laoshan)
    assert batch.status == BatchStatus.SUBMITTED
    assert timezone.localtime(batch.first_submitted_at).strftime("%H:%M:%S") == "23:59:59"


# --- the commission sends a batch back -------------------------------------------------------


def test_reopen_is_logged_told_and_opens_the_decisions(open_call, official_laoshan,
                                                       commission_staff, clock):
    application = _submitted(open_call, "R1", "中心")
    review = decide(application, official_laoshan, ReviewOutcome.RECOMMENDED)
    other = _submitted(open_call, "R2", "中心二")
    decide(other, official_laoshan, ReviewOutcome.RECOMMENDED)
    batch = submit(open_call, official_laoshan)

    with pytest.raises(batches.BatchError, match="理由"):
        batches.batch_reopen(batch=batch, actor=commission_staff, reason=" ")
    with pytest.raises(Exception):
        batches.batch_reopen(batch=batch, actor=official_laoshan, reason="自己退回")
    reopened = batches.batch_reopen(batch=batch, actor=commission_staff,
                                    reason="推荐意见过于简略，请补充。")
    assert reopened.status == BatchStatus.REOPENED
    event = AuditEvent.objects.get(action="recommendationbatch.reopen")
    assert event.actor == commission_staff and "推荐意见过于简略" in event.note
    notice = Notification.objects.get(recipient=official_laoshan,
                                       purpose="recommendation_batch_reopened")
    assert "推荐意见过于简略，请补充。" in notice.body
    # Open again: the rank moves, and the department sends anew, even after the deadline.
    services.recommendation_move(review=review, actor=official_laoshan, direction="down")
    clock(batches.district_deadline_end(open_call) + datetime.timedelta(days=2))
    again = submit(open_call, official_laoshan)
    assert again.submission_count == 2
    assert [r["receipt_number"] for r in again.letter_content["recommended"]] == ["R2", "R1"]


def test_admin_reopen_action_calls_the_same_service(open_call, official_laoshan,
                                                    commission_admin, client):
    decide(_submitted(open_call, "R1", "中心"), official_laoshan, ReviewOutcome.RECOMMENDED)
    batch = submit(open_call, official_laoshan)
    client.force_login(commission_admin)
    url = reverse("admin:reviews_recommendationbatch_changelist")
    assert "推荐报送批次" in client.get(reverse("admin:index")).content.decode()
    listing = client.get(url, {"status__exact": "submitted", "call__id__exact": open_call.pk})
    assert listing.status_code == 200 and "崂山区" in listing.content.decode()
    assert client.get(reverse("admin:reviews_recommendationbatch_change",
                              args=[batch.pk])).status_code == 200
    confirm = client.post(url, {"action": "reopen_batches", "_selected_action": [batch.pk]})
    assert confirm.status_code == 200 and "确认退回" in confirm.content.decode()
    client.post(url, {"action": "reopen_batches", "_selected_action": [batch.pk],
                      "apply": "1", "reason": "请补充材料。"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REOPENED and batch.reopen_reason == "请补充材料。"
    assert Notification.objects.filter(purpose="recommendation_batch_reopened").exists()


# --- what the unit reads ---------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [ReviewOutcome.RECOMMENDED, ReviewOutcome.NOT_RECOMMENDED])
def test_applicant_learns_the_outcome_only_when_the_batch_is_sent(
        submitted_a, official_laoshan, applicant_a, role_client, outcome):
    decide(submitted_a, official_laoshan, outcome, applicant_reasons="服务能力不足，不予推荐。"
           if outcome == ReviewOutcome.NOT_RECOMMENDED else "")
    applicant = role_client("applicant")
    hidden_words = ("已推荐", "不予推荐", "服务能力不足")
    pages = [reverse("applications:detail", args=[submitted_a.pk]),
             reverse("applications:mine"), reverse("dashboard"),
             reverse("applications:call_detail", args=[submitted_a.call_id]),
             reverse("applications:receipt", args=[submitted_a.pk])]
    for url in pages:
        response = applicant.get(url, follow=True)
        assert response.status_code == 200
        # The status filter offers every status by name: only what is shown of the unit's own.
        text = re.sub(r"<select.*?</select>", "", response.content.decode(), flags=re.S)
        assert not any(word in text for word in hidden_words), url
    detail = applicant.get(pages[0]).content.decode()
    assert "已提交" in detail
    # The status filter reads it as 已提交 too.
    listed = applicant.get(reverse("applications:mine"), {"status": "submitted"})
    assert submitted_a.center_name in listed.content.decode()
    listed = applicant.get(reverse("applications:mine"), {"status": outcome_status(outcome)})
    assert submitted_a.center_name not in listed.content.decode()
    assert not Notification.objects.filter(recipient=applicant_a,
                                           purpose="application_outcome").exists()

    submit(submitted_a.call, official_laoshan)
    notice = Notification.objects.get(recipient=applicant_a, purpose="application_outcome")
    detail = applicant.get(pages[0]).content.decode()
    if outcome == ReviewOutcome.RECOMMENDED:
        assert "已推荐" in detail and "推荐" in notice.title
    else:
        assert "不予推荐" in detail and "服务能力不足，不予推荐。" in notice.body
        assert "服务能力不足" in detail  # the timeline's reason
    listed = applicant.get(reverse("applications:mine"), {"status": outcome_status(outcome)})
    assert submitted_a.center_name in listed.content.decode()


def outcome_status(outcome):
    return (ApplicationStatus.RECOMMENDED if outcome == ReviewOutcome.RECOMMENDED
            else ApplicationStatus.NOT_RECOMMENDED)


# --- timers ----------------------------------------------------------------------------------


def _deadline(call, day):
    call.district_review_deadline = day
    call.save(update_fields=["district_review_deadline"])
    return batches.district_deadline_end(call)


def test_reminders_three_and_one_day_before_once_each(open_call, official_laoshan):
    _submitted(open_call, "P1", "待审中心")
    end = _deadline(open_call, timezone.localdate() + datetime.timedelta(days=20))

    def reminders():
        return list(Notification.objects.filter(recipient=official_laoshan,
                                                purpose="district_deadline_reminder")
                    .order_by("pk").values_list("title", flat=True))

    run_deadline_sweep(end - datetime.timedelta(days=4))
    assert reminders() == []
    run_deadline_sweep(end - datetime.timedelta(days=3))
    run_deadline_sweep(end - datetime.timedelta(days=2, hours=12))
    assert len(reminders()) == 1 and "3天" in reminders()[0]
    run_deadline_sweep(end - datetime.timedelta(hours=23))
    run_deadline_sweep(end - datetime.timedelta(hours=2))
    assert len(reminders()) == 2 and "1天" in reminders()[1]
    # A moved deadline arms them again.
    end = _deadline(open_call, open_call.district_review_deadline + datetime.timedelta(days=7))
    run_deadline_sweep(end - datetime.timedelta(days=2))
    run_deadline_sweep(end - datetime.timedelta(days=2))
    assert len(reminders()) == 3


def test_no_reminder_when_everything_is_decided(open_call, official_laoshan):
    decide(_submitted(open_call, "R1", "中心"), official_laoshan, ReviewOutcome.RECOMMENDED)
    end = _deadline(open_call, timezone.localdate() + datetime.timedelta(days=20))
    run_deadline_sweep(end - datetime.timedelta(hours=5))
    assert not Notification.objects.filter(purpose="district_deadline_reminder").exists()


def test_late_batch_told_to_the_commission_exactly_once(open_call, official_laoshan,
                                                        official_jimo, commission_staff,
                                                        submitted_b):
    decide(_submitted(open_call, "R1", "中心"), official_laoshan, ReviewOutcome.RECOMMENDED)
    submit(open_call, official_laoshan)  # 崂山区 on time; 即墨区 never
    end = batches.district_deadline_end(open_call)
    run_deadline_sweep(end - datetime.timedelta(seconds=1))
    assert not Notification.objects.filter(purpose="recommendation_batch_late").exists()
    run_deadline_sweep(end)
    run_deadline_sweep(end + datetime.timedelta(hours=1))
    late = Notification.objects.filter(recipient=commission_staff,
                                       purpose="recommendation_batch_late")
    assert late.count() == 1 and "即墨区" in late.get().title


def test_commission_told_when_a_batch_arrives(open_call, official_laoshan, commission_staff):
    decide(_submitted(open_call, "R1", "中心"), official_laoshan, ReviewOutcome.RECOMMENDED)
    submit(open_call, official_laoshan)
    notice = Notification.objects.get(recipient=commission_staff,
                                      purpose="recommendation_batch_received")
    assert "崂山区" in notice.title and "共推荐 1 项" in notice.body


# --- pages -----------------------------------------------------------------------------------


def test_commission_list_and_letter_download_audited(open_call, official_laoshan,
                                                     commission_staff, role_client,
                                                     submitted_b):
    decide(_submitted(open_call, "R1", "中心"), official_laoshan, ReviewOutcome.RECOMMENDED)
    batch = submit(open_call, official_laoshan)
    client = role_client("commission_staff")
    page = client.get(reverse("reviews:commission_batches"), {"call": open_call.pk})
    text = page.content.decode()
    assert "崂山区" in text and "按期报送" in text and "即墨区" in text and "尚未报送" in text
    response = client.get(reverse("reviews:commission_batch_letter", args=[batch.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="recommendation_batch.letter_download",
                                     actor=commission_staff).count() == 1


def test_other_district_gets_404_for_the_batch_and_letter(open_call, official_laoshan,
                                                          role_client):
    decide(_submitted(open_call, "R1", "中心"), official_laoshan, ReviewOutcome.RECOMMENDED)
    submit(open_call, official_laoshan)
    other = role_client("district_official_b")
    assert other.get(reverse("reviews:batch", args=[open_call.pk])).status_code == 404
    assert other.get(reverse("reviews:batch_letter", args=[open_call.pk])).status_code == 404
    own = role_client("district_official")
    assert own.get(reverse("reviews:batch_letter", args=[open_call.pk])).status_code == 200


def test_pages_read_only_after_sending(open_call, official_laoshan, role_client):
    application = _submitted(open_call, "R1", "中心")
    decide(application, official_laoshan, ReviewOutcome.RECOMMENDED)
    pending = _submitted(open_call, "P1", "待审")
    submit(open_call, official_laoshan, acknowledged_undecided={pending.pk})
    client = role_client("district_official")
    ranking = client.get(reverse("reviews:ranking", args=[open_call.pk])).content.decode()
    assert "已锁定" in ranking and "ranking_move" not in ranking and "上移" not in ranking
    review = client.get(reverse("reviews:review", args=[pending.pk])).content.decode()
    assert 'id="review-form"' not in review and "已锁定" in review


@pytest.mark.parametrize("n", [1, 30])
def test_commission_list_queries_fixed(n, open_call, official_laoshan, role_client,
                                       django_assert_max_num_queries):
    from tests.factories import DepartmentFactory, OrganisationFactory

    for i in range(n):
        department = DepartmentFactory(name=f"功能区{i}", kind="district")
        organisation = OrganisationFactory(competent_department=department)
        ApplicationFactory(submitted=True, call=open_call, organisation=organisation)
    client = role_client("commission_staff")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reviews:commission_batches"), {"call": open_call.pk})
    assert response.status_code == 200


def test_demo_has_a_batch_sent_by_laoshan(db, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command
    from django.test import override_settings

    from reviews.demo import SENT_CALL_TITLE

    with override_settings(DEBUG=True), django_capture_on_commit_callbacks(execute=False):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())  # idempotent
    batch = RecommendationBatch.objects.get(department__short_name="崂山区",
                                            call__title=SENT_CALL_TITLE)
    assert batch.status == BatchStatus.SUBMITTED and batch.submission_count == 1
    assert batch.first_submitted_at < batches.district_deadline_end(batch.call)
    assert len(batch.letter_content["recommended"]) == 2
    # What the worker does once the seeding commits.
    assert batches.letter_render(batch_id=batch.pk).letter_status == LetterStatus.READY
    released = Application.objects.filter(call=batch.call).exclude(outcome_released_at=None)
    assert released.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_officials_sending_at_once_send_once(official_laoshan):
    """Two officials of one department press 报送 at the same moment: one batch, one sending,
    one notice to each unit; the other reads that it was sent already."""
    import threading

    from django.db import connection, connections

    from accounts.enums import Role
    from tests.factories import CallFactory, department, staff

    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; CI runs this on PostgreSQL")
    colleague = staff(Role.DISTRICT_OFFICIAL, department("崂山区"), username="official_laoshan2")
    call = CallFactory()
    application = ApplicationFactory(submitted=True, call=call, receipt_number="R1")
    decide(application, official_laoshan, ReviewOutcome.RECOMMENDED)
    barrier = threading.Barrier(2)
    results = []

    def send(actor):
        try:
            barrier.wait()
            batches.batch_submit(department_id=application.routed_department_id, call=call,
                                 actor=actor)
            results.append("sent")
        except batches.BatchError as error:
            results.append(str(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(user,))
               for user in (official_laoshan, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("sent") == 1 and any("不能重复报送" in r for r in results), results
    batch = RecommendationBatch.objects.get()
    assert batch.submission_count == 1
    assert AuditEvent.objects.filter(action="recommendationbatch.submit").count() == 1
    assert Notification.objects.filter(purpose="application_outcome").count() == len(
        set(Notification.objects.filter(purpose="application_outcome")
            .values_list("recipient_id", flat=True)))


@pytest.mark.parametrize("n", [1, 30])
def test_department_batch_page_queries_fixed(n, open_call, official_laoshan, role_client,
                                             django_assert_max_num_queries):
    for i in range(n):
        decide(_submitted(open_call, f"R{i}", f"中心{i}"), official_laoshan,
               ReviewOutcome.RECOMMENDED)
        _submitted(open_call, f"P{i}", f"待审{i}")
    client = role_client("district_official")
    with django_assert_max_num_queries(11):
        response = client.get(reverse("reviews:batch", args=[open_call.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("第") >= n


def test_inbox_shows_the_batch_was_sent(open_call, official_laoshan, role_client):
    decide(_submitted(open_call, "R1", "中心"), official_laoshan, ReviewOutcome.RECOMMENDED)
    client = role_client("district_official")
    assert "batch-sent" not in client.get(reverse("reviews:inbox")).content.decode()
    submit(open_call, official_laoshan)
    assert "batch-sent" in client.get(reverse("reviews:inbox")).content.decode()
