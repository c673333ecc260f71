import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.enums import OrganisationKind, Role
from accounts.models import Organisation, RoleAssignment, User
from core.models import AuditEvent, OutgoingMail
from tests.factories import OrganisationFactory, applicant
from tests.utils import password_login

pytestmark = pytest.mark.django_db

REGISTER = reverse("register")


@pytest.fixture
def form_data(laoshan):
    return {
        "name": "青岛云帆智能制造有限公司",
        "uscc": "９１３７０２００１２３４５６７８８６",  # full-width, as pasted from some IMEs
        "kind": OrganisationKind.ENTERPRISE,
        "registered_in_qingdao": "on",
        "located_in_qingdao": "on",
        "competent_department": str(laoshan.pk),
        "real_name": "王晓云",
        "mobile": "13912345678",
        "email": "wangxy@yunfan.example",
        "username": "yunfan_admin",
        "password1": "Haibin!8848",
        "password2": "Haibin!8848",
    }


def confirmation_path(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/register/confirm/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_registration_creates_organisation_and_inactive_administrator(
    client, form_data, laoshan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, form_data)

    assert response.status_code == 302
    assert response.url == reverse("register_done")
    organisation = Organisation.objects.get(name="青岛云帆智能制造有限公司")
    assert organisation.uscc == "913702001234567886"
    assert organisation.competent_department == laoshan
    user = User.objects.get(username="yunfan_admin")
    assert not user.is_active
    assert (user.real_name, user.mobile, user.email) == (
        "王晓云", "13912345678", "wangxy@yunfan.example")
    assert user.check_password("Haibin!8848")
    membership = RoleAssignment.objects.get(user=user)
    assert (membership.role, membership.organisation, membership.is_administrator) == (
        Role.APPLICANT, organisation, True)
    assert AuditEvent.objects.filter(action="organisation.register",
                                     object_id=str(organisation.pk)).exists()


def test_confirmation_mail_leaves_only_after_commit(
    client, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(REGISTER, form_data)
    # Inside the transaction the mail is recorded as queued and nothing is sent yet.
    assert mail.outbox == []
    queued = OutgoingMail.objects.get(to_address="wangxy@yunfan.example")
    assert queued.status == OutgoingMail.Status.QUEUED
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wangxy@yunfan.example"]
    assert "注册邮箱" in message.subject
    assert "青岛云帆智能制造有限公司" in message.body
    assert "yunfan_admin" in message.body
    confirmation_path(message.body)
    queued.refresh_from_db()
    assert queued.status == OutgoingMail.Status.SENT


def test_confirmation_link_activates_the_account(
    client, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, form_data)
    path = confirmation_path(mail.outbox[0].body)

    # Before confirmation the account cannot log in.
    assert not password_login(client, "yunfan_admin", "Haibin!8848")

    response = client.get(path)

    assert response.status_code == 302
    assert response.url == reverse("login")
    user = User.objects.get(username="yunfan_admin")
    assert user.is_active
    assert AuditEvent.objects.filter(action="user.confirm_email", actor=user).exists()
    assert password_login(client, "yunfan_admin", "Haibin!8848")


def test_a_forged_confirmation_link_activates_nothing(
    client, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(REGISTER, form_data)
    path = confirmation_path(mail.outbox[0].body)
    forged = re.sub(r"/[^/]+/$", "/abc-0123456789abcdef/", path)

    response = client.get(forged)

    assert response.status_code == 400
    assert not User.objects.get(username="yunfan_admin").is_active


def test_second_registration_of_the_same_uscc_names_the_existing_administrator(
    client, form_data, laoshan, django_capture_on_commit_callbacks
):
    existing = OrganisationFactory(name="青岛云帆科技集团", uscc="913702001234567886",
                                   competent_department=laoshan)
    applicant(existing, username="yunfan_first", real_name="李先注",
              email="li@yunfan.example")
    form_data["uscc"] = "91370200 1234567886"  # the same code, typed differently

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, form_data)

    assert response.status_code == 200
    errors = response.context["form"].errors["uscc"]
    assert any("已由“青岛云帆科技集团”注册" in e and "账号管理员" in e for e in errors), errors
    page = response.content.decode()
    # The administrator is recognisable but the contact cannot be harvested by anyone who
    # types a public credit code.
    assert "李**（l***@yunfan.example）" in page
    assert "李先注" not in page and "li@yunfan.example" not in page
    assert not User.objects.filter(username="yunfan_admin").exists()
    assert Organisation.objects.filter(uscc="913702001234567886").count() == 1
    assert mail.outbox == []


def test_wrong_uscc_is_refused_and_typed_values_are_kept(client, form_data, laoshan):
    form_data["uscc"] = "913702001234567887"

    response = client.post(REGISTER, form_data)

    assert response.status_code == 200
    assert "校验位不正确" in " ".join(response.context["form"].errors["uscc"])
    page = response.content.decode()
    for typed in ("青岛云帆智能制造有限公司", "913702001234567887", "王晓云", "13912345678",
                  "wangxy@yunfan.example", "yunfan_admin"):
        assert f'value="{typed}"' in page, typed
    assert re.search(rf'<option value="{laoshan.pk}"[^>]* selected', page)
    assert "Haibin!8848" not in page  # passwords are never echoed back
    assert not Organisation.objects.exists()


def test_neither_department_nor_direct_route_is_an_error(client, form_data):
    form_data["competent_department"] = ""

    response = client.post(REGISTER, form_data)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["competent_department"])
    assert "请选择所在地主管部门" in errors and "市直" in errors
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("flag", ["is_city_level", "is_central_or_provincial"])
def test_city_level_and_stationed_units_need_no_department(
    client, form_data, flag, django_capture_on_commit_callbacks
):
    form_data["competent_department"] = ""
    form_data[flag] = "on"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REGISTER, form_data)

    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.competent_department is None
    assert organisation.submits_directly_to_commission


def test_unit_neither_registered_nor_operating_in_qingdao_is_refused(client, form_data):
    del form_data["registered_in_qingdao"]
    del form_data["located_in_qingdao"]

    response = client.post(REGISTER, form_data)

    assert response.status_code == 200
    assert "第七条第一项" in " ".join(response.context["form"].errors["located_in_qingdao"])
    assert not Organisation.objects.exists()


def test_weak_password_and_mismatch_are_refused(client, form_data):
    form_data["password1"] = form_data["password2"] = "yunfanportal"

    response = client.post(REGISTER, form_data)

    assert "至少三类" in " ".join(response.context["form"].errors["password1"])

    form_data["password1"], form_data["password2"] = "Haibin!8848", "Haibin!8849"
    response = client.post(REGISTER, form_data)
    assert "两次输入的密码不一致" in " ".join(response.context["form"].errors["password2"])
    assert not User.objects.filter(username="yunfan_admin").exists()


def test_taken_username_is_refused(client, form_data, applicant_a):
    form_data["username"] = applicant_a.username.upper()

    response = client.post(REGISTER, form_data)

    assert "该用户名不可用" in " ".join(response.context["form"].errors["username"])


def test_signed_in_users_are_sent_to_their_dashboard(client, applicant_a):
    client.force_login(applicant_a)

    response = client.get(REGISTER)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")
