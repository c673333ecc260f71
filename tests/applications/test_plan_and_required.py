"""The 建设方案 under each heading of its outline, the full text as a file, required fields marked on
every step, and an incomplete step said plainly when leaving it."""

import re

import pytest
from django.urls import reverse

from applications import samples, services
from applications.completeness import required_fields, step_problems
from applications.enums import AttachmentKind
from applications.models import Application
from applications.plan import PLAN_FIELDS, PLAN_HEADINGS, PLAN_SECTIONS
from applications.selectors import application_with_details
from applications.steps import STEP_KEYS, step_forms

from .conftest import upload

pytestmark = pytest.mark.django_db


def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


@pytest.fixture
def client_a(role_client):
    return role_client("applicant")


def loaded(application):
    return application_with_details(Application.objects.all()).get(pk=application.pk)


def test_the_outline_has_each_heading_of_the_measures_annex():
    assert [s.heading for s in PLAN_SECTIONS] == [
        "一、基础条件", "二、建设内容", "三、运行架构", "四、实施方案", "五、其它需说明的问题"]
    assert [len(s.items) for s in PLAN_SECTIONS] == [4, 3, 4, 3, 1]
    assert len(set(PLAN_FIELDS)) == len(PLAN_FIELDS) == 15
    assert all(f in {f.name for f in Application._meta.get_fields()} for f in PLAN_FIELDS)


def test_each_heading_has_its_own_text_area_under_its_section(client_a, draft_a):
    body = client_a.get(step_url(draft_a, "plan")).content.decode()
    for section in PLAN_SECTIONS:
        assert section.heading in body
    for item in PLAN_HEADINGS:
        assert f'name="{item.field}"' in body
        if item.heading:
            assert item.heading in body
    # in the order of the outline
    positions = [body.index(f'name="{f}"') for f in PLAN_FIELDS]
    assert positions == sorted(positions)


def test_plan_headings_save_separately_and_each_missing_one_is_named(client_a, draft_a):
    posted = {item.field: f"{item.short}：已填写。" for item in PLAN_HEADINGS}
    posted.pop("plan_funding")
    posted["next"] = "1"
    response = client_a.post(step_url(draft_a, "plan"), posted)
    assert response.status_code == 302
    draft_a.refresh_from_db()
    assert draft_a.plan_team == "三（二）技术带头人、管理人员及技术队伍概况：已填写。"
    assert step_problems(loaded(draft_a))["plan"] == ["请填写建设方案四（二）资金来源与预算方案。"]


def test_the_full_text_can_be_uploaded_from_the_plan_step(client_a, draft_a):
    response = client_a.post(step_url(draft_a, "attachments"), {
        "kind": AttachmentKind.PLAN_FULL_TEXT, "return_to": "plan", "upload": "1",
        "file": upload("建设方案.wps", samples.sample_doc())})
    assert response["Location"] == step_url(draft_a, "plan")
    attachment = draft_a.attachments.get()
    assert attachment.kind == AttachmentKind.PLAN_FULL_TEXT
    assert attachment.served_name == "建设方案.wps"
    body = client_a.get(step_url(draft_a, "plan")).content.decode()
    assert "建设方案（全文）" in body and "已上传" in body and "建设方案.wps" in body


@pytest.mark.parametrize("step", [k for k in STEP_KEYS if k != "attachments"])
def test_required_fields_are_marked_on_every_step_with_a_legend(client_a, draft_a, step):
    body = client_a.get(step_url(draft_a, step)).content.decode()
    assert 'id="required-legend"' in body and "为必填项" in body
    forms = step_forms(step, draft_a)
    for form_key, names in required_fields(step, draft_a).items():
        for name in names:
            bound = forms[form_key][name]
            label = re.search(rf'<label[^>]*for="{bound.id_for_label}"[^>]*>(.*?)</label>', body,
                              re.S)
            if label is None:  # a radio group is a fieldset with a legend
                label = re.search(rf'id="div_id_{bound.html_name}".*?<legend[^>]*>(.*?)</legend>',
                                  body, re.S)
            assert label and 'class="asteriskField"' in label.group(1), (step, name)
    # no asterisk on a field the checklist does not require
    if step == "goals":
        note = re.search(r'<label[^>]*for="id_goal_other"[^>]*>(.*?)</label>', body, re.S)
        assert "asteriskField" not in note.group(1)


@pytest.mark.parametrize("step", ["lead", "center", "service", "goals", "plan"])
def test_every_marked_field_is_one_the_checklist_requires(complete_a, step):
    application = loaded(complete_a)
    assert step_problems(application)[step] == []
    forms = step_forms(step, application)
    for form_key, names in required_fields(step, application).items():
        target = forms[form_key].instance
        for name in names:
            if forms[form_key].fields[name].disabled:
                continue
            original = getattr(target, name)
            setattr(target, name, None if not isinstance(original, str) else "")
            assert step_problems(application)[step], (step, name)
            setattr(target, name, original)


def test_an_empty_save_and_next_says_what_is_missing(client_a, draft_a):
    response = client_a.post(step_url(draft_a, "center"), {"next": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == step_url(draft_a, "service")
    body = response.content.decode()
    assert "尚未填写完整" in body
    assert "赋能中心名称" in body and "提交前须补齐" in body


def test_a_complete_step_moves_on_without_warning(client_a, complete_a):
    from applications.plan import PLAN_HEADINGS as headings

    posted = {item.field: getattr(complete_a, item.field) for item in headings}
    response = client_a.post(step_url(complete_a, "plan"), {**posted, "next": "1"}, follow=True)
    assert "尚未填写完整" not in response.content.decode()


def test_joint_step_is_not_complete_until_the_applicant_chooses(client_a, draft_a):
    assert draft_a.has_joint_unit is None
    assert step_problems(loaded(draft_a))["joint"] == ["请选择有无联合承建主体。"]
    body = client_a.get(step_url(draft_a, "joint")).content.decode()
    assert re.search(r'id="joint-unit-fields"[^>]*\shidden', body)
    assert re.search(r'name="choice-has_joint_unit"', body)
    assert not re.search(r'<input[^>]*name="choice-has_joint_unit"[^>]*checked', body)

    response = client_a.post(step_url(draft_a, "joint"), {"next": "1"})
    assert response.status_code == 200  # nothing chosen: asked, not moved on

    client_a.post(step_url(draft_a, "joint"), {"choice-has_joint_unit": "0", "next": "1"})
    draft_a.refresh_from_db()
    assert draft_a.has_joint_unit is False
    assert step_problems(loaded(draft_a))["joint"] == []
    body = client_a.get(step_url(draft_a, "joint")).content.decode()
    assert re.search(r'id="joint-unit-fields"[^>]*\shidden', body)

    client_a.post(step_url(draft_a, "joint"), {"choice-has_joint_unit": "1", "next": "1"})
    body = client_a.get(step_url(draft_a, "joint")).content.decode()
    assert not re.search(r'id="joint-unit-fields"[^>]*\shidden', body)


def test_the_first_submit_button_of_a_step_saves_and_goes_forward(client_a, draft_a):
    for step in ("lead", "joint", "center", "service", "goals", "plan"):
        body = client_a.get(step_url(draft_a, step)).content.decode()
        form = body[body.index('id="step-form"'):]
        first = re.search(r'<button[^>]*type="submit"[^>]*>', form).group(0)
        assert 'name="next"' in first, step
    body = client_a.get(step_url(draft_a, "commitment")).content.decode()
    form = body[body.index('id="commitment-form"'):]
    assert 'name="save_and_stay"' in re.search(r'<button[^>]*type="submit"[^>]*>', form).group(0)


def test_vertical_tab_pasted_into_a_plan_section_is_a_line_break(client_a, draft_a):
    pasted = "单位概况第一行\x0b第二行\x0c第三页\x1b[0m\x00结束\r\n下一段"
    client_a.post(step_url(draft_a, "plan"), {"plan_unit_overview": pasted,
                                              "plan_team": "队伍\x07情况", "next": "1"})
    draft_a.refresh_from_db()
    assert draft_a.plan_unit_overview == "单位概况第一行\n第二行\n第三页[0m结束\n下一段"
    assert draft_a.plan_team == "队伍情况"


def test_admin_shows_each_plan_heading_and_the_served_file_name(complete_a, commission_staff,
                                                               client, applicant_a):
    services.attachment_add(application=complete_a, actor=applicant_a,
                            kind=AttachmentKind.PLAN_FULL_TEXT,
                            uploaded_file=upload("方案全文.html", samples.sample_docx()))
    commission_staff.is_staff = commission_staff.is_superuser = True
    commission_staff.save()
    client.force_login(commission_staff)
    body = client.get(reverse("admin:applications_application_change",
                              args=[complete_a.pk])).content.decode()
    for field in PLAN_FIELDS:
        assert str(Application._meta.get_field(field).verbose_name) in body
    assert "建设方案（全文）" in body and "方案全文.docx" in body
