"""An applicant unit's administrator opens accounts for colleagues."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import RoleAssignment, User
from core.models import AuditEvent
from tests.factories import applicant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

MEMBERS = reverse("organisation_members")
NEW_MEMBER = {"real_name": "王晓", "username": "wangxiao", "email": "wx@haizhi.example",
              "mobile": "13812345678"}


def test_administrator_adds_a_colleague_who_sets_a_password_and_logs_in(
        role_client, org_a, applicant_a, django_capture_on_commit_callbacks, client):
    with django_capture_on_commit_callbacks(execute=True):
        response = role_client("applicant").post(MEMBERS, NEW_MEMBER)
    assert response["Location"] == MEMBERS
    member = User.objects.get(username="wangxiao")
    assignment = RoleAssignment.objects.get(user=member)
    assert assignment.organisation == org_a and not assignment.is_administrator
    assert not member.has_usable_password()
    assert AuditEvent.objects.filter(action="organisation.member_add", actor=applicant_a).exists()

    [message] = mail.outbox
    assert message.to == ["wx@haizhi.example"] and org_a.name in message.subject
    link = re.search(r"http\S+/accounts/reset/\S+", message.body).group(0)
    path = link.split("testserver", 1)[-1]
    form_page = client.get(path, follow=True)
    client.post(form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
                {"new_password1": "Haizhi#2026x", "new_password2": "Haizhi#2026x"})
    member.refresh_from_db()
    assert member.check_password("Haizhi#2026x")


def test_members_see_their_colleagues_but_only_the_administrator_adds(role_client, org_a,
                                                                     org_b, applicant_b):
    colleague = applicant(org_a, is_administrator=False, username="colleague_a")
    other = role_client("applicant_b")
    body = other.get(MEMBERS).content.decode()
    assert "applicant_b" in body and "colleague_a" not in body  # org B sees only org B

    from django.test import Client

    plain_member = Client()
    plain_member.force_login(colleague)
    page = plain_member.get(MEMBERS)
    assert page.status_code == 200 and "member-form" not in page.content.decode()
    assert plain_member.post(MEMBERS, NEW_MEMBER).status_code == 403
    assert not User.objects.filter(username="wangxiao").exists()


def test_a_taken_username_is_refused_and_input_kept(role_client, applicant_a):
    response = role_client("applicant").post(MEMBERS, {**NEW_MEMBER, "username": "applicant_a"})
    body = response.content.decode()
    assert response.status_code == 200 and "该用户名不可用" in body
    assert 'value="wx@haizhi.example"' in body
