"""第八条: who reviews a submission first does not rest on what the applicant ticks.

Org A is registered in 崂山区 (its 统一社会信用代码 says 370212). What it declares (市直,
中央、省驻青, its 主管部门) counts only once the commission has confirmed it; until then the
submission goes to the district its code names, or to the commission's intake when the code
names none, where staff send it on.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Organisation
from accounts.services import organisation_route_confirm
from applications import services
from applications.enums import RoutingBasis
from applications.routing import application_reroute
from core.models import AuditEvent, Notification

from ..factories import department, make_uscc

pytestmark = pytest.mark.django_db

CITY_LEVEL_CODE = make_uscc(4242, area="370200")  # registered with the city, no district


def _declare(organisation, *, city=False, central=False, district="崂山区", uscc=None):
    organisation.is_city_level = city
    organisation.is_central_or_provincial = central
    organisation.competent_department = department(district) if district else None
    if uscc:
        organisation.uscc = uscc
    organisation.save()


CASES = [
    # (what the unit declares, confirmed by the commission?) -> (where it goes, on which basis)
    pytest.param({"city": True}, False, "崂山区", RoutingBasis.LOCATION,
                 id="self-declared 市直 goes to its district"),
    pytest.param({"central": True}, False, "崂山区", RoutingBasis.LOCATION,
                 id="self-declared 驻青 goes to its district"),
    pytest.param({"city": True, "district": None}, False, "崂山区", RoutingBasis.LOCATION,
                 id="self-declared 市直 without a 主管部门 goes to its district"),
    pytest.param({"district": "即墨区"}, False, "崂山区", RoutingBasis.LOCATION,
                 id="a self-declared other 主管部门 does not count"),
    pytest.param({"city": True, "uscc": CITY_LEVEL_CODE}, False, None, RoutingBasis.INTAKE,
                 id="self-declared 市直 with a city-level code goes to intake"),
    pytest.param({"district": "即墨区", "uscc": CITY_LEVEL_CODE}, False, None,
                 RoutingBasis.INTAKE, id="unconfirmed 主管部门 and no district in the code"),
    pytest.param({"city": True}, True, None, RoutingBasis.CONFIRMED,
                 id="confirmed 市直 goes direct"),
    pytest.param({"central": True, "district": None}, True, None, RoutingBasis.CONFIRMED,
                 id="confirmed 驻青 goes direct"),
    pytest.param({"district": "即墨区"}, True, "即墨区", RoutingBasis.CONFIRMED,
                 id="a confirmed 主管部门 counts"),
    pytest.param({}, False, "崂山区", RoutingBasis.LOCATION,
                 id="the declared district matches the code"),
]


@pytest.mark.parametrize(("declared", "confirmed", "district", "basis"), CASES)
def test_submission_goes_where_the_confirmed_facts_say(declared, confirmed, district, basis,
                                                       complete_a, applicant_a, org_a,
                                                       commission_staff):
    _declare(org_a, **declared)
    if confirmed:
        organisation_route_confirm(organisation=org_a, actor=commission_staff)

    submitted = services.application_submit(application=complete_a, actor=applicant_a)

    assert submitted.routing_basis == basis
    if district is None:
        assert submitted.routed_to_commission and submitted.routed_department is None
    else:
        assert not submitted.routed_to_commission
        assert submitted.routed_department == department(district)


def test_a_change_after_confirmation_is_self_declared_again(complete_a, applicant_a, org_a,
                                                            commission_staff):
    _declare(org_a, district="崂山区")
    organisation_route_confirm(organisation=org_a, actor=commission_staff)
    org_a.refresh_from_db()
    assert org_a.route_is_confirmed
    _declare(org_a, city=True)  # ticked after the commission looked

    org_a.refresh_from_db()
    assert not org_a.route_is_confirmed
    submitted = services.application_submit(application=complete_a, actor=applicant_a)
    assert submitted.routed_department == department("崂山区")
    assert not submitted.routed_to_commission


@pytest.mark.parametrize(("declared", "confirmed", "expected"), [
    ({"city": True}, False, ["崂山区发展和改革局", "“市直单位”尚待市发展改革委确认", "注册地"]),
    ({"city": True}, True, ["市发展改革委（市新旧动能办）", "已经市发展改革委确认，直接报送"]),
    ({"city": True, "uscc": CITY_LEVEL_CODE}, False, ["受理登记", "尚待市发展改革委确认"]),
    ({}, False, ["崂山区发展和改革局", "与统一社会信用代码所示注册地一致"]),
])
def test_the_commitment_step_says_where_it_goes_and_why(declared, confirmed, expected, draft_a,
                                                        org_a, commission_staff, role_client):
    _declare(org_a, **declared)
    if confirmed:
        organisation_route_confirm(organisation=org_a, actor=commission_staff)

    page = role_client("applicant").get(
        reverse("applications:step", args=[draft_a.pk, "commitment"])).content.decode()

    destination = page[page.index('id="destination"'):]
    destination = destination[:destination.index("</p>")]
    for text in expected:
        assert text in destination, (text, destination)


def test_confirmation_is_the_commission_s_and_is_audited(org_a, commission_staff,
                                                         official_laoshan, applicant_a):
    for someone in (official_laoshan, applicant_a):
        with pytest.raises(PermissionDenied):
            organisation_route_confirm(organisation=org_a, actor=someone)

    organisation_route_confirm(organisation=org_a, actor=commission_staff)

    org_a.refresh_from_db()
    assert org_a.route_confirmed_by == commission_staff and org_a.route_confirmed_at
    event = AuditEvent.objects.get(action="organisation.route_confirm")
    assert event.actor == commission_staff and event.object_id == str(org_a.pk)
    assert event.after["is_city_level"] is False


def _submitted_to_intake(complete_a, applicant_a, org_a):
    _declare(org_a, city=True, uscc=CITY_LEVEL_CODE)
    return services.application_submit(application=complete_a, actor=applicant_a)


def test_the_commission_reroutes_an_intake_submission_to_a_district(
        complete_a, applicant_a, org_a, commission_staff, official_laoshan, role_client):
    application = _submitted_to_intake(complete_a, applicant_a, org_a)
    assert role_client("district_official").get(
        reverse("applications:detail", args=[application.pk])).status_code == 404

    application_reroute(application=application, department=department("崂山区"),
                        actor=commission_staff, reason="营业执照住所在崂山区，非市直单位。")

    application.refresh_from_db()
    assert application.routed_department == department("崂山区")
    assert not application.routed_to_commission
    assert application.routing_basis == RoutingBasis.REROUTED
    event = AuditEvent.objects.get(action="application.reroute")
    assert event.actor == commission_staff and "非市直单位" in event.note
    assert event.before["routing_basis"] == RoutingBasis.INTAKE
    assert Notification.objects.filter(recipient=official_laoshan,
                                       purpose="application_rerouted").exists()
    assert Notification.objects.filter(recipient=applicant_a,
                                       purpose="application_rerouted_applicant").exists()
    assert role_client("district_official").get(
        reverse("applications:detail", args=[application.pk])).status_code == 200


def test_only_the_commission_reroutes_and_only_submitted_applications(
        complete_a, draft_b, applicant_a, org_a, commission_staff, official_laoshan):
    application = _submitted_to_intake(complete_a, applicant_a, org_a)
    for someone in (official_laoshan, applicant_a):
        with pytest.raises(PermissionDenied):
            application_reroute(application=application, department=department("崂山区"),
                                actor=someone, reason="理由")
    with pytest.raises(services.ApplicationError, match="只有已提交"):
        application_reroute(application=draft_b, department=department("即墨区"),
                            actor=commission_staff, reason="理由")
    with pytest.raises(services.ApplicationError, match="改派理由"):
        application_reroute(application=application, department=department("崂山区"),
                            actor=commission_staff, reason=" ")
    assert not AuditEvent.objects.filter(action="application.reroute").exists()


# In Django admin, where the commission works ------------------------------------------------

def test_admin_shows_the_route_status_and_confirms_it(org_a, commission_admin, client):
    _declare(org_a, city=True)
    client.force_login(commission_admin)
    changelist = reverse("admin:accounts_organisation_changelist")

    pending = client.get(changelist, {"route": "pending"}).content.decode()
    assert org_a.name in pending and "待确认：单位自报（市直单位" in pending
    response = client.post(changelist, {"action": "confirm_routes",
                                        "_selected_action": [org_a.pk]}, follow=True)

    assert "已确认" in response.content.decode()
    assert Organisation.objects.get(pk=org_a.pk).route_is_confirmed
    assert org_a.name not in client.get(changelist, {"route": "pending"}).content.decode()
    assert org_a.name in client.get(changelist, {"route": "confirmed"}).content.decode()
    assert AuditEvent.objects.filter(action="organisation.route_confirm",
                                     actor=commission_admin).exists()


def test_admin_reroutes_through_a_form_that_asks_where_and_why(
        complete_a, applicant_a, org_a, commission_admin, client):
    application = _submitted_to_intake(complete_a, applicant_a, org_a)
    client.force_login(commission_admin)
    changelist = reverse("admin:applications_application_changelist")
    chosen = {"action": "reroute_applications", "_selected_action": [application.pk]}

    form = client.post(changelist, chosen).content.decode()
    assert "改派理由" in form and "崂山区发展和改革局" in form
    response = client.post(changelist, chosen | {
        "apply": "1", "department": department("崂山区").pk, "reason": "住所在崂山区。"},
        follow=True)

    assert "已改派至崂山区发展和改革局" in response.content.decode()
    application.refresh_from_db()
    assert application.routed_department == department("崂山区")


def test_the_commission_sees_intake_submissions_marked_on_its_dashboard(
        complete_a, applicant_a, org_a, commission_staff, role_client):
    application = _submitted_to_intake(complete_a, applicant_a, org_a)

    page = role_client("commission_staff").get(reverse("dashboard_commission")).content.decode()

    assert reverse("applications:detail", args=[application.pk]) in page
    assert "待确定主管部门" in page
    detail = role_client("applicant").get(
        reverse("applications:detail", args=[application.pk])).content.decode()
    assert "受理登记" in detail and "尚待确认" in detail


def test_registration_says_the_route_counts_once_confirmed(client):
    page = client.get(reverse("register")).content.decode()

    assert "经市发展改革委核实确认后生效" in page
