"""The 申报表 PDF as the official form prints it, read back with pdftotext."""

import re
import shutil
import subprocess

import pytest
from django.urls import reverse

from applications.documents import document_content, document_pdf
from applications.texts import JOINT_COMMITMENT

from tests.factories import ApplicationFactory
from .test_documents import loaded, pdftotext

pytestmark = pytest.mark.django_db

SECTION_HEADINGS = ["一、单位基本情况", "二、赋能中心基本情况", "三、赋能中心行业服务情况",
                    "四、赋能中心建设内容（三年内）", "五、赋能中心建设目标（三年内）"]
LABELS = ["单位名称", "产业数字化诊断服务、应用场景及解决方案", "（一）关键技术突破",
          "承建单位意见", "联合申报单位意见"]


def pages(data: bytes) -> list[str]:
    """The text of each page, blanks removed."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is required"
    out = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data,
                         capture_output=True, check=True).stdout.decode()
    return [re.sub(r"\s+", "", page) for page in out.split("\f") if page.strip()]


def form_pdf(application) -> bytes:
    return document_pdf(document_content(loaded(application), "form"))


def test_without_a_joint_unit_its_block_and_opinion_are_printed_blank(org_a, applicant_a):
    application = ApplicationFactory(complete=True, organisation=org_a, created_by=applicant_a)
    text = pdftotext(form_pdf(application))
    joint_block = text[text.index("（赋能中心联合承建主体）"):text.index("二、赋能中心基本情况")]
    for label in ("统一社会信用代码", "注册时间", "法人代表", "联系电话"):
        assert label in joint_block
    lead = application.lead_unit
    assert lead.name not in joint_block and lead.uscc not in joint_block
    assert "联合申报单位意见" in text
    opinion = text[text.index("联合申报单位意见"):]
    assert re.sub(r"\s+", "", JOINT_COMMITMENT) not in opinion


def test_the_role_note_is_under_the_label_not_in_the_value(org_a, applicant_a):
    application = ApplicationFactory(complete=True, joint=True, organisation=org_a,
                                     created_by=applicant_a)
    text = pdftotext(form_pdf(application))
    lead, joint = application.lead_unit.name, application.joint_unit.name
    assert f"单位名称（赋能中心承建主体）{lead}" in text
    assert f"单位名称（赋能中心联合承建主体）{joint}" in text
    assert f"{lead}（赋能中心承建主体）" not in text


@pytest.mark.parametrize("chars", range(0, 501, 50))
def test_a_section_heading_is_never_left_alone_at_the_foot_of_a_page(org_a, applicant_a, chars):
    application = ApplicationFactory(
        complete=True, joint=True, organisation=org_a, created_by=applicant_a,
        service_summary="诊" * chars, construction_content="建" * (chars // 2),
        goal_other="培训" * (chars // 4))
    for page in pages(form_pdf(application))[:-1]:
        page = re.sub(r"第\d+页共\d+页|校验码[0-9a-f]{12}", "", page)
        for heading in SECTION_HEADINGS + LABELS:
            assert not page.endswith(heading), (heading, page[-80:])


def test_the_page_says_what_the_watermark_means(role_client, complete_a):
    body = role_client("applicant").get(
        reverse("applications:step", args=[complete_a.pk, "commitment"])).content.decode()
    assert "提交前生成的文档带有“草稿”水印" not in body
    assert "填写完整后生成的 PDF 不带水印" in body and "签字盖章" in body
