"""本单位信息: the administrator keeps the unit's profile, members read it, the commission alone
changes name and credit code, and the next application's lead unit starts from it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts import services
from accounts.models import Organisation
from applications import services as application_services
from core.models import AuditEvent

from ..factories import CallFactory
from ..factories import applicant

pytestmark = pytest.mark.django_db

PROFILE = {
    "legal_representative": "王海", "registered_capital": "6000",
    "registered_on": "2015-06-18", "enterprise_qualification": "高新技术企业",
    "industry_qualification": "信息系统建设和服务能力评估CS3级",
    "phone": "0532-88886666", "address": "青岛市崂山区海尔路1号",
    "contact_name": "张明", "contact_email": "zm@haizhi.example",
}


def test_the_administrator_edits_and_every_change_is_audited(org_a, applicant_a, client):
    client.force_login(applicant_a)
    response = client.post(reverse("organisation_profile"), PROFILE)
    assert response["Location"] == reverse("organisation_profile")
    org_a.refresh_from_db()
    assert org_a.registered_capital == Decimal("6000")
    assert org_a.industry_qualification == "信息系统建设和服务能力评估CS3级"
    event = AuditEvent.objects.get(action="organisation.profile_update")
    assert event.actor == applicant_a
    assert event.after["contact_name"] == "张明" and "name" not in event.after


def test_identity_fields_cannot_be_posted(org_a, applicant_a, client):
    client.force_login(applicant_a)
    client.post(reverse("organisation_profile"), {**PROFILE, "name": "冒名公司",
                                                  "uscc": "91370200MA00000000"})
    org_a.refresh_from_db()
    assert org_a.name == "青岛海智工业互联网有限公司"
    with pytest.raises(PermissionDenied):
        services.organisation_update_profile(organisation=org_a, actor=applicant_a,
                                             values={"name": "冒名公司"})


def test_members_read_only(org_a, client):
    member = applicant(org_a, is_administrator=False, username="member")
    client.force_login(member)
    page = client.get(reverse("organisation_profile")).content.decode()
    assert "由本单位的账号管理员维护" in page and "保存本单位信息" not in page
    assert "disabled" in page
    assert client.post(reverse("organisation_profile"), PROFILE).status_code == 403


def test_errors_keep_what_was_typed(org_a, applicant_a, client):
    client.force_login(applicant_a)
    page = client.post(reverse("organisation_profile"),
                       {**PROFILE, "contact_email": "不是邮箱", "address": "保留的地址"})
    body = page.content.decode()
    assert page.status_code == 200 and "保留的地址" in body
    org_a.refresh_from_db()
    assert org_a.address == ""


def test_the_profile_prefills_the_next_application(org_a, applicant_a, commission_staff):
    org_a = services.organisation_update_profile(
        organisation=org_a, actor=applicant_a,
        values={"enterprise_qualification": "专精特新“小巨人”企业",
                "industry_qualification": "CS3级", "legal_representative": "李新",
                "registered_capital": Decimal("8000"),
                "registered_on": datetime.date(2016, 1, 2)})
    call = CallFactory()
    application = application_services.application_start(call=call, organisation=org_a,
                                                         actor=applicant_a)
    lead = application.lead_unit
    assert (lead.enterprise_qualification, lead.industry_qualification,
            lead.legal_representative, lead.registered_capital, lead.registered_on) == (
        "专精特新“小巨人”企业", "CS3级", "李新", Decimal("8000"), datetime.date(2016, 1, 2))


def test_the_commission_changes_identity_in_admin_with_an_audit_row(org_a, commission_staff,
                                                                    client):
    commission_staff.is_staff = commission_staff.is_superuser = True
    commission_staff.save()
    client.force_login(commission_staff)
    url = reverse("admin:accounts_organisation_change", args=[org_a.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() if form[name].value() is not None else ""
            for name in form.fields}
    data = {k: v for k, v in data.items() if v is not False}
    data["name"] = "青岛海智工业互联网股份有限公司"
    inline = page.context["inline_admin_formsets"][0].formset
    data.update({f"{inline.prefix}-TOTAL_FORMS": "0", f"{inline.prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Organisation.objects.get(pk=org_a.pk).name == "青岛海智工业互联网股份有限公司"
    event = AuditEvent.objects.get(action="organisation.identity_change")
    assert event.before == {"name": "青岛海智工业互联网有限公司"}
    assert event.after == {"name": "青岛海智工业互联网股份有限公司"}
    assert event.actor == commission_staff
