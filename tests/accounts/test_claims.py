"""A company that finds its 统一社会信用代码 taken claims the unit: business licence (PDF, JPG,
PNG by content), the commission transfers it in admin or refuses with a reason; audited, the
claimant told."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.enums import Role
from accounts.models import OrganisationClaim, RoleAssignment, User
from core.models import AuditEvent, Notification, OutgoingMail
from tests.factories import OrganisationFactory, applicant

from .factories import PDF_LICENCE, PNG_LICENCE, claim_of, licence_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

CLAIM = reverse("organisation_claim")
USCC = "913702001234567886"


@pytest.fixture
def squatted(laoshan):
    """A unit registered under the real company's code by someone else."""
    organisation = OrganisationFactory(name="假冒单位", uscc=USCC, competent_department=laoshan)
    squatter = applicant(organisation, username="squatter", real_name="冒名者",
                         email="squatter@example.test")
    return organisation, squatter


def claim_data(**changes):
    return {"uscc": USCC, "organisation_name": "青岛云帆智能制造有限公司",
            "licence": licence_upload(), "note": "本单位从未注册。", "real_name": "王晓云",
            "mobile": "13912345678", "email": "wangxy@yunfan.example",
            "username": "yunfan_admin", "password1": "Haibin!8848",
            "password2": "Haibin!8848", **changes}


@pytest.fixture
def commission_admin(commission_staff):
    commission_staff.is_staff = True
    commission_staff.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(commission_staff)
    return client


def test_the_claim_page_is_prefilled_from_the_registration_error(client, squatted):
    page = client.get(CLAIM, {"uscc": USCC}).content.decode()
    assert "认领已注册的单位" in page and f'value="{USCC}"' in page and "营业执照" in page


@pytest.mark.parametrize(("content", "extension"), [
    (PNG_LICENCE, "png"), (PDF_LICENCE, "pdf"), (b"\xef\xbb\xbf" + PDF_LICENCE, "pdf"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpg"),
], ids=["png", "pdf", "pdf with BOM", "jpeg"])
def test_a_claim_is_recorded_with_the_licence_stored_by_its_detected_type(
        client, squatted, content, extension):
    response = client.post(CLAIM, claim_data(licence=licence_upload(content, "执照.html")))

    assert response.status_code == 302 and response.url == reverse("organisation_claim_done")
    claim = OrganisationClaim.objects.get()
    assert claim.status == OrganisationClaim.Status.PENDING
    assert claim.organisation == squatted[0]
    assert claim.licence.name.endswith(f".{extension}") and claim.licence_extension == extension
    assert claim.password_hash != "Haibin!8848" and claim.password_hash.startswith("md5$")
    assert AuditEvent.objects.filter(action="organisation.claim_submit").exists()


def test_a_licence_that_is_not_pdf_jpg_or_png_is_refused_and_typed_values_kept(client,
                                                                               squatted):
    html = b"<html><script>alert(1)</script></html>"
    response = client.post(CLAIM, claim_data(licence=licence_upload(html, "licence.png")))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["licence"])
    assert "PDF、JPG或PNG" in errors
    page = response.content.decode()
    for typed in ("青岛云帆智能制造有限公司", "王晓云", "wangxy@yunfan.example", "yunfan_admin"):
        assert f'value="{typed}"' in page
    assert not OrganisationClaim.objects.exists()


def test_a_code_nobody_registered_is_sent_to_registration(client, db):
    response = client.post(CLAIM, claim_data())
    assert "请直接注册本单位" in " ".join(response.context["form"].errors["uscc"])


def test_a_pending_claim_holds_its_user_name(client, squatted, laoshan):
    claim_of(squatted[0], username="yunfan_admin")
    response = client.post(reverse("register"), {"username": "yunfan_admin"})
    assert "该用户名不可用" in " ".join(response.context["form"].errors["username"])


# The commission decides ----------------------------------------------------------------------

def test_approval_transfers_the_unit_to_the_claimant(client, squatted, commission_staff,
                                                     django_capture_on_commit_callbacks):
    organisation, squatter = squatted
    claim = claim_of(organisation, username="yunfan_admin", email="wangxy@yunfan.example")

    with django_capture_on_commit_callbacks(execute=True):
        claimant = services.organisation_claim_approve(claim=claim, actor=commission_staff)

    organisation.refresh_from_db()
    assert organisation.name == "青岛云帆智能制造有限公司"
    assert organisation.registration_expires_at is None
    members = RoleAssignment.objects.filter(organisation=organisation)
    assert [(m.user, m.is_administrator) for m in members] == [(claimant, True)]
    assert not RoleAssignment.objects.filter(user=squatter).exists()
    assert not claimant.is_active and claimant.awaiting_email_confirmation
    claim.refresh_from_db()
    assert (claim.status, claim.decided_by, claim.claimant) == (
        OrganisationClaim.Status.APPROVED, commission_staff, claimant)
    event = AuditEvent.objects.get(action="organisation.claim_approve")
    assert event.actor == commission_staff and event.before["members"] == ["squatter"]
    assert event.after["members"] == ["yunfan_admin"]
    assert Notification.objects.filter(recipient=squatter,
                                       purpose="organisation_membership_ended").exists()

    # The claimant confirms the e-mail and signs in as the unit's administrator.
    message = next(m for m in mail.outbox if m.to == ["wangxy@yunfan.example"])
    assert "单位认领已通过" in message.subject
    path = re.search(r"https?://[^/\s]+(/accounts/register/confirm/[^\s]+/)",
                     message.body).group(1)
    assert client.get(path).status_code == 302
    client.post(reverse("login"), {"username": "yunfan_admin", "password": "Haibin!8848"})
    page = client.get(reverse("organisation_members")).content.decode()
    assert "青岛云帆智能制造有限公司" in page and "开通账号" in page


def test_refusal_needs_a_reason_and_tells_the_claimant(squatted, commission_staff,
                                                     django_capture_on_commit_callbacks):
    claim = claim_of(squatted[0])
    with pytest.raises(services.ClaimError, match="理由"):
        services.organisation_claim_refuse(claim=claim, actor=commission_staff, reason=" ")

    with django_capture_on_commit_callbacks(execute=True):
        services.organisation_claim_refuse(claim=claim, actor=commission_staff,
                                           reason="营业执照名称与单位名称不符")

    claim.refresh_from_db()
    assert claim.status == OrganisationClaim.Status.REFUSED
    sent = OutgoingMail.objects.get(purpose="organisation_claim_refused")
    assert sent.to_address == "claim@yunfan.example" and "营业执照名称与单位名称不符" in sent.body
    assert AuditEvent.objects.get(action="organisation.claim_refuse").note == \
        "营业执照名称与单位名称不符"
    assert RoleAssignment.objects.filter(organisation=squatted[0]).count() == 1
    with pytest.raises(services.ClaimError, match="已处理"):
        services.organisation_claim_approve(claim=claim, actor=commission_staff)


@pytest.mark.parametrize("role_key", ["applicant", "district_official", "auditor"])
def test_only_the_commission_decides(squatted, role_user, role_key):
    claim = claim_of(squatted[0])
    with pytest.raises(PermissionDenied):
        services.organisation_claim_approve(claim=claim, actor=role_user(role_key))
    with pytest.raises(PermissionDenied):
        services.organisation_claim_refuse(claim=claim, actor=role_user(role_key), reason="x")


def test_a_superuser_without_the_role_cannot_decide(squatted):
    root = User.objects.create_superuser("root_maintainer", "root@example.test", "Root#20260")
    with pytest.raises(PermissionDenied):
        services.organisation_claim_approve(claim=claim_of(squatted[0]), actor=root)


def test_the_admin_lists_claims_in_chinese_and_its_actions_call_the_services(
        commission_admin, squatted, commission_staff):
    approve_me = claim_of(squatted[0], username="first_claimant")
    refuse_me = claim_of(squatted[0], username="second_claimant", email="c2@yunfan.example")
    url = reverse("admin:accounts_organisationclaim_changelist")

    page = commission_admin.get(url).content.decode()
    assert "单位认领申请" in page and "下载营业执照" in page and "待核实" in page

    commission_admin.post(url, {"action": "refuse", "_selected_action": [refuse_me.pk],
                                "reason": "营业执照模糊，请重新上传"})
    commission_admin.post(url, {"action": "approve", "_selected_action": [approve_me.pk]})

    refuse_me.refresh_from_db()
    approve_me.refresh_from_db()
    assert refuse_me.status == OrganisationClaim.Status.REFUSED
    assert refuse_me.refusal_reason == "营业执照模糊，请重新上传"
    assert approve_me.status == OrganisationClaim.Status.APPROVED
    assert RoleAssignment.objects.get(organisation=squatted[0], role=Role.APPLICANT).user \
        .username == "first_claimant"


def test_a_claim_whose_unit_lapsed_meanwhile_cannot_be_approved(squatted, commission_staff):
    claim = claim_of(squatted[0])
    RoleAssignment.objects.filter(organisation=squatted[0]).delete()
    squatted[0].delete()
    with pytest.raises(services.ClaimError, match="可直接注册"):
        services.organisation_claim_approve(claim=claim, actor=commission_staff)


def test_the_demo_data_holds_a_pending_claim_of_a_squatted_code(settings):
    import io

    from django.core.management import call_command

    from accounts.demo import SQUATTED_USCC
    from accounts.licence import licence_type

    settings.DEBUG = True
    for _ in range(2):  # idempotent
        call_command("seed_demo", stdout=io.StringIO())

    claim = OrganisationClaim.objects.get()
    assert claim.status == OrganisationClaim.Status.PENDING
    assert claim.organisation.uscc == SQUATTED_USCC
    assert claim.organisation.registration_expires_at is not None
    with claim.licence.open("rb") as licence:
        assert licence_type(licence) == "png"


def test_the_commission_dashboard_counts_pending_claims(squatted, role_client):
    claim_of(squatted[0])
    page = role_client("commission_staff").get(reverse("dashboard_commission")).content.decode()
    assert "单位认领申请" in page and "1件待核实" in page
