"""The demo data shows the access rules: commission staff are not superusers, one superuser
maintains the platform with no role, and a self-declared 市直 claim awaits confirmation."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.admin_access import COMMISSION_ADMIN_GROUP
from accounts.models import Organisation, User
from applications.enums import RoutingBasis
from applications.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())  # idempotent


def test_commission_staff_work_in_admin_without_being_superusers(demo):
    commission = User.objects.get(username="commission")
    assert commission.is_staff and not commission.is_superuser
    assert commission.groups.filter(name=COMMISSION_ADMIN_GROUP).exists()


def test_one_superuser_maintains_the_platform_and_holds_no_role(demo):
    [superuser] = User.objects.filter(is_superuser=True)
    assert superuser.username == "platform_admin"
    assert not superuser.role_assignments.exists()
    assert not superuser.has_perm("applications.start_application")


def test_a_self_declared_city_level_claim_awaits_confirmation_and_went_to_its_district(demo):
    claimant = Organisation.objects.get(uscc="91370212MA3E7H8K2D")
    assert claimant.is_city_level and not claimant.route_is_confirmed
    application = Application.objects.get(organisation=claimant)
    assert application.routed_department.short_name == "崂山区"
    assert application.routing_basis == RoutingBasis.LOCATION

    confirmed = Organisation.objects.get(uscc="12370200MB12345671")
    assert confirmed.route_is_confirmed
    assert Application.objects.get(organisation=confirmed).routed_to_commission


def test_the_commissions_intake_has_a_passed_direct_one_an_overdue_one_and_ready_ones(demo):
    from applications.enums import ApplicationStatus
    from reviews.enums import OverdueResolution
    from reviews.models import OverdueReview

    confirmed = Organisation.objects.get(uscc="12370200MB12345671")
    assert Application.objects.get(organisation=confirmed).status == (
        ApplicationStatus.FORMAL_PASSED)
    # The expert-review demo takes some on (experts.demo); some stay ready for 转入专家评审.
    assert Application.objects.filter(status__in=(ApplicationStatus.RECOMMENDED,
                                                  ApplicationStatus.FORMAL_PASSED)).count() >= 2
    [overdue] = OverdueReview.objects.all()
    assert overdue.resolution == OverdueResolution.PENDING
    assert overdue.application.status == ApplicationStatus.SUBMITTED


def test_the_past_call_went_through_two_departments_and_each_center_has_its_users(demo):
    """The 2024 call's units of 崂山区 and 即墨区 were recommended and sent in time by their
    own 主管部门; each center it designated has a unit account to work in it."""
    from applications.services import organisation_members
    from centers.models import Center
    from reviews.demo import PAST_CALL_TITLE, PAST_UNITS
    from reviews.models import RecommendationBatch

    batches = RecommendationBatch.objects.filter(call__title=PAST_CALL_TITLE)
    assert {b.department.short_name: b.status for b in batches} == {"崂山区": "submitted",
                                                                   "即墨区": "submitted"}
    centers = Center.objects.filter(notice__call__title=PAST_CALL_TITLE)
    assert centers.count() == len(PAST_UNITS) - 1
    for center in centers:
        [member] = organisation_members(center.application.organisation_id)
        assert member.username in {u[3] for u in PAST_UNITS}
        assert center.department == center.application.organisation.competent_department


def test_the_demo_cases_show_a_revoked_centers_case_and_the_districts_cases(demo, client):
    from django.urls import reverse

    from centers.models import CaseStudy

    revoked = CaseStudy.objects.select_related("center").get(title="针织企业订单排产数字化改造")
    assert revoked.status == "published" and revoked.center.status == "revoked"
    assert revoked.published_at.date() < revoked.center.revoked_on
    page = client.get(reverse("centers:case_public_list")).content.decode()
    assert "针织企业订单排产数字化改造" in page and "被撤销认定资格" in page
    assert page.index("注塑件质量在线检测") < page.index("针织企业订单排产数字化改造")
    returned = CaseStudy.objects.get(title="电池包装配线质量追溯系统建设")
    assert returned.status == "returned"
    # The units' 站内通知 are written once seed_demo's transaction commits (not inside a test's).
    client.force_login(User.objects.get(username="official_jimo"))
    page = client.get(reverse("centers:district_case_list")).content.decode()
    assert "电池包装配线质量追溯系统建设" in page and "针织企业订单排产数字化改造" in page
    assert "注塑件质量在线检测" not in page
    client.force_login(User.objects.get(username="official_laoshan"))
    page = client.get(reverse("centers:district_case_list")).content.decode()
    assert "供应链协同平台" in page and "电池包装配线" not in page
