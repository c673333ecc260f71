"""The step-by-step 申报表: limits, errors that keep what was typed, resuming."""

import pytest
from django.urls import reverse

from applications.completeness import char_count, checklist
from applications.models import Application

pytestmark = pytest.mark.django_db


def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


@pytest.fixture
def client_a(role_client):
    return role_client("applicant")


def test_500_chinese_characters_are_accepted(client_a, draft_a):
    text = "数" * 500
    response = client_a.post(step_url(draft_a, "service"),
                             {"service_summary": text, "construction_content": text, "next": "1"})
    assert response.status_code == 302
    assert response["Location"] == step_url(draft_a, "goals")
    draft_a.refresh_from_db()
    assert draft_a.service_summary == text and draft_a.construction_content == text


def test_501_characters_are_refused_and_the_rest_of_the_page_is_kept(client_a, draft_a):
    too_long = "数字化转型，" * 83 + "诊断服务"  # 6 * 83 + 4 = 502 characters
    too_long = too_long[:501]
    assert char_count(too_long) == 501
    response = client_a.post(step_url(draft_a, "service"),
                             {"service_summary": too_long, "construction_content": "建设内容",
                              "next": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "不能超过500字" in body and "当前501字" in body
    assert too_long in body  # what was typed is still in the box
    draft_a.refresh_from_db()
    assert draft_a.service_summary == ""  # the wrong field is not saved …
    assert draft_a.construction_content == "建设内容"  # … the valid one is


def test_characters_count_as_the_reader_sees_them():
    assert char_count("汉字，abc。1") == 8
    assert char_count("第一行\r\n第二行") == 7


def test_wrong_phone_and_negative_goal_get_chinese_errors_and_keep_input(client_a, draft_a):
    response = client_a.post(step_url(draft_a, "center"), {
        "center_name": "青岛市赋能中心", "director_name": "张三", "director_phone": "12345",
        "next": "1",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "请填写有效的联系电话" in body and 'value="12345"' in body
    draft_a.refresh_from_db()
    assert draft_a.center_name == "青岛市赋能中心" and draft_a.director_phone == ""

    response = client_a.post(step_url(draft_a, "goals"), {"goal_key_technologies": "-1",
                                                          "goal_scenarios": "2", "next": "1"})
    assert "请填写不小于0的整数" in response.content.decode()
    draft_a.refresh_from_db()
    assert draft_a.goal_key_technologies is None and draft_a.goal_scenarios == 2


def test_industry_field_must_be_one_the_call_offers(client_a, draft_a):
    from applications.models import IndustryField

    foreign = IndustryField.objects.get(name="生物医药")
    response = client_a.post(step_url(draft_a, "center"),
                             {"industry_field": foreign.pk, "next": "1"})
    assert response.status_code == 200
    assert "industry_field" in response.context["forms"]["form"].errors


def test_lead_unit_is_prefilled_and_its_identity_cannot_be_changed(client_a, draft_a, org_a):
    response = client_a.get(step_url(draft_a, "lead"))
    assert org_a.name in response.content.decode()
    client_a.post(step_url(draft_a, "lead"), {
        "lead-name": "别的公司", "lead-uscc": "91310115591693856A",
        "lead-registered_capital": "100", "lead-phone": "0532-88886666", "next": "1",
    })
    lead = draft_a.units.get(role="lead")
    assert lead.name == org_a.name and lead.uscc == org_a.uscc
    assert lead.registered_capital == 100


def test_rd_ratio_is_computed_from_the_two_figures(client_a, draft_a):
    client_a.post(step_url(draft_a, "lead"), {"lead-revenue_last_year": "2",
                                              "lead-rd_investment_last_year": "1000",
                                              "next": "1"})
    lead = draft_a.units.get(role="lead")
    assert str(lead.rd_ratio_percent) == "5.00"  # 1000万元 / 2亿元 = 5%
    assert "5.00%" in client_a.get(step_url(draft_a, "lead")).content.decode()


def test_joint_unit_step_saves_the_joint_unit(client_a, draft_a):
    response = client_a.post(step_url(draft_a, "joint"), {
        "choice-has_joint_unit": "1", "joint-name": "青岛联合科技有限公司",
        "joint-uscc": "９１３７０２００１２３４５６７８８６", "joint-kind": "enterprise",
        "joint-registered_in_qingdao": "on", "next": "1",
    })
    assert response.status_code == 302
    draft_a.refresh_from_db()
    joint = draft_a.joint_unit
    assert joint.name == "青岛联合科技有限公司"
    assert joint.uscc == "913702001234567886"  # full-width normalised


def test_leaving_and_coming_back_resumes_at_the_last_step(client_a, draft_a):
    client_a.post(step_url(draft_a, "center"), {"center_name": "中心", "next": "1"})
    draft_a.refresh_from_db()
    assert draft_a.current_step == "service"
    detail = client_a.get(reverse("applications:detail", args=[draft_a.pk]))
    assert step_url(draft_a, "service") in detail.content.decode()


def test_checklist_marks_complete_steps(complete_a):
    application = Application.objects.get(pk=complete_a.pk)
    assert all(item["done"] for item in checklist(application))
    application.center_name = ""
    application.save()
    items = {i["key"]: i for i in checklist(Application.objects.get(pk=complete_a.pk))}
    assert not items["center"]["done"]
    assert "赋能中心名称" in items["center"]["problems"][0]
