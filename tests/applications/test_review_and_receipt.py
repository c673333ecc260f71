"""The final review, the 申报编号 and the 回执 (page, PDF, notice and e-mail)."""

import re
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import reverse

from applications import services
from applications.enums import ApplicationStatus
from applications.models import Application, ReceiptCounter
from core.models import Notification

from ..factories import ApplicationFactory, CallFactory, OrganisationFactory, applicant
from .test_documents import pdftotext

pytestmark = pytest.mark.django_db

RECEIPT_FORMAT = re.compile(r"^(\d{4})-([\u4e00-\u9fff]+)-(\d{4})$")


def test_the_review_shows_everything_read_only_and_the_one_submit(complete_a, role_client):
    page = role_client("applicant").get(reverse("applications:review", args=[complete_a.pk]))
    body = page.content.decode()
    attachment = complete_a.attachments.first()
    for text in (complete_a.center_name, "高新技术企业", "公司成立于2015年，研发人员300余人。",
                 attachment.served_name,
                 "崂山区发展和改革局", "提交申报", 'name="confirm"'):
        assert text in body
    assert "<textarea" not in body and 'name="center_name"' not in body


def test_the_review_lists_the_problems_and_offers_no_submit(draft_a, role_client):
    body = role_client("applicant").get(
        reverse("applications:review", args=[draft_a.pk])).content.decode()
    assert "尚不能提交" in body and "赋能中心名称" in body
    assert 'id="confirm-submit"' not in body


def test_a_submit_without_the_confirmation_submits_nothing(complete_a, role_client):
    response = role_client("applicant").post(reverse("applications:submit", args=[complete_a.pk]))
    assert response["Location"] == reverse("applications:review", args=[complete_a.pk])
    assert Application.objects.get(pk=complete_a.pk).status == ApplicationStatus.DRAFT


def test_receipt_number_format_per_destination(commission_staff, complete_a, applicant_a,
                                               org_b, applicant_b):
    first = services.application_submit(application=complete_a, actor=applicant_a)
    assert first.receipt_number == "2026-崂山-0001"
    org_b.is_city_level = True
    org_b.competent_department = None
    org_b.save()
    # 第八条: a 市直 claim counts once the commission has confirmed it.
    from accounts.services import organisation_route_confirm
    organisation_route_confirm(organisation=org_b, actor=commission_staff)
    second = ApplicationFactory(complete=True, call=complete_a.call, organisation=org_b,
                                created_by=applicant_b)
    second = services.application_submit(application=second, actor=applicant_b)
    assert second.receipt_number == "2026-市直-0002"
    assert RECEIPT_FORMAT.match(second.receipt_number)


def test_the_sequence_runs_across_the_calls_of_a_year(commission_staff, complete_a, applicant_a,
                                                       org_b, applicant_b, laoshan):
    """A 第二批 of the same year goes on counting: counting per call would give its first
    崂山 submission the number the first call already gave (a unique-number violation)."""
    assert services.application_submit(application=complete_a,
                                       actor=applicant_a).receipt_number == "2026-崂山-0001"
    second_batch = CallFactory(title="第二批")
    other = ApplicationFactory(complete=True, call=second_batch, organisation=org_b,
                               created_by=applicant_b)
    assert services.application_submit(application=other,
                                       actor=applicant_b).receipt_number == "2026-即墨-0002"
    organisation = OrganisationFactory(competent_department=laoshan)
    third = ApplicationFactory(complete=True, call=second_batch, organisation=organisation,
                               created_by=applicant(organisation, username="laoshan2"))
    assert services.application_submit(
        application=third, actor=third.created_by).receipt_number == "2026-崂山-0003"
    next_year = ApplicationFactory(complete=True, call=CallFactory(year=2027, title="2027年度"),
                                   organisation=OrganisationFactory(competent_department=laoshan))
    next_year.created_by = applicant(next_year.organisation, username="laoshan2027")
    next_year.save(update_fields=["created_by"])
    assert services.application_submit(
        application=next_year, actor=next_year.created_by).receipt_number == "2027-崂山-0001"


def test_a_return_and_resubmission_keeps_the_number(submitted_a, applicant_a, official_laoshan):
    number = submitted_a.receipt_number
    services.application_return(application=submitted_a, actor=official_laoshan, reason="补充")
    again = services.application_submit(application=Application.objects.get(pk=submitted_a.pk),
                                        actor=applicant_a)
    assert again.receipt_number == number
    assert ReceiptCounter.objects.get(year=submitted_a.call.year).last_sequence == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_submissions_get_distinct_numbers(commission_staff, laoshan):
    """Eight units submit at once. On PostgreSQL they race in threads against the locked
    counter row; SQLite serialises writers, so there the same submissions run one after
    another and the test checks the numbering alone."""
    call = CallFactory()
    pairs = []
    for n in range(8):
        organisation = OrganisationFactory(competent_department=laoshan)
        user = applicant(organisation, username=f"racer{n}")
        application = ApplicationFactory(complete=True, call=call, organisation=organisation,
                                         created_by=user)
        pairs.append((application.pk, user))
    outcomes = []

    def submit(pk, user, barrier=None):
        try:
            if barrier is not None:
                barrier.wait()
            outcomes.append(services.application_submit(
                application=Application.objects.get(pk=pk), actor=user).receipt_number)
        except Exception as error:  # noqa: BLE001 - the assertion below shows it
            outcomes.append(repr(error))
        finally:
            if barrier is not None:
                connections.close_all()

    if connection.vendor == "postgresql":
        barrier = threading.Barrier(len(pairs))
        threads = [threading.Thread(target=submit, args=(pk, user, barrier))
                   for pk, user in pairs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    else:
        for pk, user in pairs:
            submit(pk, user)
    assert sorted(outcomes) == [f"2026-崂山-{n:04d}" for n in range(1, 9)]
    assert ReceiptCounter.objects.get(year=call.year).last_sequence == 8


def test_the_receipt_page_and_the_members_notice(complete_a, applicant_a, org_a, role_client,
                                                 celery_eager,
                                                 django_capture_on_commit_callbacks):
    colleague = applicant(org_a, is_administrator=False, username="colleague",
                          email="colleague@haizhi.example")
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.application_submit(application=complete_a, actor=applicant_a)
    body = role_client("applicant").get(
        reverse("applications:receipt", args=[submitted.pk])).content.decode()
    for text in (submitted.receipt_number, org_a.name, org_a.uscc, submitted.center_name,
                 "崂山区发展和改革局", "第八条", "打印回执", "下载回执 PDF"):
        assert text in body
    assert f"{submitted.submitted_at.astimezone():%Y年%m月%d日}" in body
    for user in (applicant_a, colleague):
        notice = Notification.objects.get(recipient=user, purpose="application_submitted")
        assert submitted.receipt_number in notice.title
        assert notice.link == reverse("applications:receipt", args=[submitted.pk])
    receipts = [m for m in mail.outbox if submitted.receipt_number in m.subject]
    assert {m.to[0] for m in receipts} == {applicant_a.email, colleague.email}
    assert "&quot;" not in receipts[0].body and "报送至：崂山区发展和改革局" in receipts[0].body


def test_the_receipt_pdf_text(submitted_a, role_client):
    response = role_client("applicant").get(reverse("applications:receipt_pdf",
                                                    args=[submitted_a.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdftotext(response.content)
    for expected in ("申报回执", submitted_a.receipt_number, "青岛海智工业互联网有限公司",
                     "崂山区发展和改革局", "第八条", submitted_a.center_name):
        assert expected in text


def test_a_draft_has_no_receipt(draft_a, role_client):
    assert role_client("applicant").get(
        reverse("applications:receipt", args=[draft_a.pk])).status_code == 404


def test_the_review_shows_no_joint_unit_block_when_there_is_none(complete_a, role_client):
    # A unit that first chose 有联合承建主体 (a joint row is kept) and then 无: the review page
    # must not show an empty 联合承建主体 block headed （未填写单位名称） above 无联合承建主体.
    from applications.enums import UnitRole
    from applications.models import ApplicationUnit

    ApplicationUnit.objects.get_or_create(application=complete_a, role=UnitRole.JOINT)
    complete_a.has_joint_unit = False
    complete_a.save(update_fields=["has_joint_unit"])
    body = role_client("applicant").get(
        reverse("applications:review", args=[complete_a.pk])).content.decode()
    assert "无联合承建主体" in body
    assert "（未填写单位名称）" not in body
    assert "（赋能中心联合承建主体）" not in body
