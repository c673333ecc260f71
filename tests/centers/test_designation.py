"""认定 (第九条（四））: a closed notice with every objection decided is finalised; its remaining
applications become centers with plaques numbered per year without gaps; the others are told."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import organisation_members
from centers import designation, notices
from centers.enums import CenterStatus, NoticeStatus, ObjectionStatus
from centers.models import Center, Objection, Plaque, PlaqueCounter, PublicNotice
from core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def closed(notice):
    """The notice as the sweep leaves it after its period (2026-06-01 to 06-05)."""
    PublicNotice.objects.filter(pk=notice.pk).update(
        status=NoticeStatus.CLOSED, published_at=timezone.now(), closed_at=timezone.now())
    notice.refresh_from_db()
    return notice


def objection(notice, status=ObjectionStatus.RECEIVED, number="YY-1"):
    made = Objection.objects.create(notice=notice, number=number, real_name="李四",
                                    phone="13800000000", facts="事实", truthful=True,
                                    status=status)
    made.entries.add(notice.entries.first())
    return made


def test_finalise_makes_each_application_a_center_with_a_plaque(
        make_notice, commission_staff, django_capture_on_commit_callbacks, celery_eager):
    notice = closed(make_notice())
    with django_capture_on_commit_callbacks(execute=True):
        centers = designation.notice_finalise(notice=notice, actor=commission_staff)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FINALISED and notice.finalised_at
    entries = list(notice.entries.order_by("position"))
    assert [c.application_id for c in centers] == [e.application_id for e in entries]
    first = centers[0]
    application = first.application
    assert first.name == application.center_name
    assert first.lead_unit_name == application.lead_unit.name
    assert first.lead_unit_uscc == application.lead_unit.uscc
    assert first.department_id == application.routed_department_id
    assert first.industry_field_id == application.industry_field_id
    assert first.goal_patents == application.goal_patents
    assert first.designated_on == timezone.localdate()
    assert first.status == CenterStatus.ACTIVE
    year = timezone.localdate().year
    assert [c.plaques.get().number for c in centers] == [
        f"青数赋-{year}-001", f"青数赋-{year}-002"]
    plaque = first.plaques.get()
    assert len(plaque.token) >= 32 and plaque.number not in plaque.token
    assert plaque.certificate  # rendered by the task after commit
    assert AuditEvent.objects.filter(action="publicnotice.finalise").exists()
    assert AuditEvent.objects.filter(action="center.designate").count() == 2
    assert Notification.objects.filter(purpose="center_designated").exists()


def test_finalise_refused_before_the_period_ends(make_notice, commission_staff):
    today = timezone.localdate()
    notice = make_notice(starts_on=today)
    PublicNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.PUBLISHED)
    notice.refresh_from_db()
    with pytest.raises(notices.NoticeError, match="公示期满后"):
        designation.notice_finalise(notice=notice, actor=commission_staff)
    # Even a notice marked closed while its period runs is refused.
    PublicNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.CLOSED)
    notice.refresh_from_db()
    with pytest.raises(notices.NoticeError, match="公示期满后"):
        designation.notice_finalise(notice=notice, actor=commission_staff)
    assert not Center.objects.exists()


@pytest.mark.parametrize("status", [ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING])
def test_finalise_refused_with_an_undecided_objection(make_notice, commission_staff, status):
    notice = closed(make_notice())
    objection(notice, ObjectionStatus.DISMISSED, number="YY-0")
    objection(notice, status)
    with pytest.raises(notices.NoticeError, match="未办结的异议"):
        designation.notice_finalise(notice=notice, actor=commission_staff)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.CLOSED and not Center.objects.exists()
    assert not PlaqueCounter.objects.exists()


def test_only_the_commission_finalises_and_only_once(make_notice, commission_staff,
                                                     superuser_no_role, official_laoshan):
    notice = closed(make_notice())
    for someone in (superuser_no_role, official_laoshan):
        with pytest.raises(PermissionDenied):
            designation.notice_finalise(notice=notice, actor=someone)
    designation.notice_finalise(notice=notice, actor=commission_staff)
    with pytest.raises(notices.NoticeError, match="已确定"):
        designation.notice_finalise(notice=notice, actor=commission_staff)
    assert Center.objects.count() == 2


def test_an_upheld_objection_removes_the_application_from_designation(
        make_notice, commission_staff, client):
    notice = closed(make_notice())
    removed = notice.entries.order_by("position").first()
    objection(notice, ObjectionStatus.UPHELD)
    type(removed).objects.filter(pk=removed.pk).update(removed_at=timezone.now(),
                                                       removal_reason="业绩不实")
    centers = designation.notice_finalise(notice=notice, actor=commission_staff)
    assert len(centers) == 1
    assert not Center.objects.filter(application=removed.application).exists()
    # The plaque sequence has no gap for the removed one.
    assert centers[0].plaques.get().number.endswith("-001")
    # Told: the removed application's unit, and the units of the call's not proposed ones.
    not_designated = [removed.application, *Application.objects.filter(
        call=notice.call, status=ApplicationStatus.NOT_PROPOSED)]
    assert len(not_designated) == 2
    expected = sum(len(organisation_members(a.organisation_id)) for a in not_designated)
    assert expected and Notification.objects.filter(
        purpose="center_not_designated").count() == expected
    page = client.get(reverse("centers:announcement", args=[notice.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert centers[0].lead_unit_name in text and removed.unit_name not in text
    assert centers[0].lead_unit_name != removed.unit_name


def test_the_admin_action_finalises(make_notice, commission_admin, client):
    notice = closed(make_notice())
    client.force_login(commission_admin)
    response = client.post(reverse("admin:centers_publicnotice_changelist"),
                           {"action": "finalise_notices", "_selected_action": [notice.pk]},
                           follow=True)
    assert response.status_code == 200
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.FINALISED
    assert "已确定认定结果" in response.content.decode()


def test_the_announcement_of_an_unfinalised_notice_is_not_found(make_notice, client):
    notice = closed(make_notice())
    assert client.get(reverse("centers:announcement", args=[notice.pk])).status_code == 404


# --- two notices finalised at once (PostgreSQL) -------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_plaque_numbers_are_unique_and_gapless_when_two_notices_finalise_at_once(
        commission_staff, make_notice):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; CI runs this on PostgreSQL")
    from tests.centers.conftest import second_notice

    first = closed(make_notice())
    second = closed(second_notice(commission_staff))
    barrier = threading.Barrier(2)
    errors = []

    def finalise(notice):
        try:
            barrier.wait()
            designation.notice_finalise(notice=notice, actor=commission_staff)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finalise, args=(n,)) for n in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    year = timezone.localdate().year
    numbers = sorted(Plaque.objects.values_list("number", flat=True))
    count = Center.objects.count()
    assert count == 4
    assert numbers == [f"青数赋-{year}-{n:03d}" for n in range(1, count + 1)]
    assert PlaqueCounter.objects.get(year=year).last_sequence == count


def test_the_demo_finalises_a_closed_notice_once(make_notice, commission_staff):
    from centers.demo import seed_designation

    assert seed_designation() == []  # no demo commission user: nothing
    commission_staff.username = "commission"
    commission_staff.save(update_fields=["username"])
    closed(make_notice())
    assert len(seed_designation()) == 2
    assert seed_designation() == []
    assert Center.objects.count() == 2


def test_the_designation_date_is_the_decision_day_after_the_period(make_notice,
                                                                   commission_staff):
    import datetime

    notice = closed(make_notice())  # period 2026-06-01 to 06-05
    for wrong in (notice.ends_on, timezone.localdate() + datetime.timedelta(days=1)):
        with pytest.raises(notices.NoticeError):
            designation.notice_finalise(notice=notice, actor=commission_staff,
                                        designated_on=wrong)
    decided = datetime.date(2026, 6, 12)
    centers = designation.notice_finalise(notice=notice, actor=commission_staff,
                                          designated_on=decided)
    plaque = Plaque.objects.get(center=centers[0])
    assert centers[0].designated_on == decided == plaque.issued_on
    assert plaque.number.startswith("青数赋-2026-")
    assert centers[0].target_sets.get().effective_from == decided
