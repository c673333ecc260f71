"""The PDFs of an application: the 申报表 and the full package, rendered for real.

Nothing is mocked: WeasyPrint renders, the task runs through Celery (in-process, eagerly, as it
does without a broker) after the transaction commits, and the PDF is read back with `pdftotext`.
"""

import os
import re
import shutil
import subprocess
from urllib.parse import unquote

import pytest
from celery.signals import task_prerun
from django.urls import reverse

from applications import documents, services
from applications.documents import (
    document_content_hash,
    document_current,
    document_request,
)
from applications.enums import ApplicationStatus, AttachmentKind, DocumentStatus
from applications.models import Application, ApplicationDocument
from applications.plan import PLAN_FIELDS, PLAN_SECTIONS
from applications.selectors import application_with_details
from applications.texts import FORM_TITLE, JOINT_COMMITMENT, LEAD_COMMITMENT, PLAN_TITLE

from tests.factories import ApplicationFactory, AttachmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

# Every label of the 申报表, as the official form prints it.
FORM_LABELS = [
    FORM_TITLE,
    "一、单位基本情况",
    "单位名称", "（赋能中心承建主体）", "（赋能中心联合承建主体）",
    "统一社会信用代码", "注册时间", "注册资金（万元）",
    "上一年度主营业务收入（亿元）", "上一年度研发投入及占营业收入比例(万元)",
    "企业资质", "行业资质", "法人代表", "联系电话",
    "二、赋能中心基本情况",
    "赋能中心名称", "产业方向/领域", "赋能中心负责人姓名", "职务/职称", "联系方式", "邮箱",
    "中心技术团队牵头人姓名", "职称", "中心服务团队牵头人姓名",
    "三、赋能中心行业服务情况", "产业数字化诊断服务、应用场景及解决方案",
    "四、赋能中心建设内容（三年内）",
    "五、赋能中心建设目标（三年内）",
    "（一）关键技术突破", "（二）应用场景落地", "（三）行业解决方案", "（四）相关有效专利",
    "（五）其他", "简述：",
    "承建单位意见", "联合申报单位意见",
    "赋能中心负责人（签名）：", "单位负责人（签名）：", "（盖章）", "年月日",
]


def pdftotext(data: bytes) -> str:
    """The PDF's text with every blank removed, so that wrapped lines read as one."""
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is required under CI")
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    # -raw keeps the content stream's order: each table cell's lines, and the rotated
    # watermark's characters, stay together.
    result = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=data,
                            capture_output=True, check=True)
    return re.sub(r"\s+", "", result.stdout.decode())


@pytest.fixture
def render_runs():
    """Names of the render tasks that ran, in order."""
    runs = []

    def record(sender=None, task=None, **kwargs):
        if task.name.startswith("applications.tasks."):
            runs.append(task.name)

    task_prerun.connect(record, weak=False)
    yield runs
    task_prerun.disconnect(record)


@pytest.fixture
def application(org_a, applicant_a):
    return ApplicationFactory(complete=True, joint=True, organisation=org_a,
                              created_by=applicant_a)


def loaded(application) -> Application:
    return application_with_details(Application.objects.all()).get(pk=application.pk)


def open_document(client, django_capture_on_commit_callbacks, application, variant="form"):
    """Opens the document page as the user does; the render runs when the request commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("applications:document", args=[application.pk, variant]))
    assert response.status_code == 200
    return response


def download(client, document) -> bytes:
    response = client.get(reverse("applications:document_download",
                                  args=[document.application_id, document.variant, document.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_form_pdf_shows_every_label_and_every_value(
        client, applicant_a, application, django_capture_on_commit_callbacks, render_runs):
    client.force_login(applicant_a)
    open_document(client, django_capture_on_commit_callbacks, application)

    document = ApplicationDocument.objects.get(application=application, variant="form")
    assert render_runs == ["applications.tasks.render_document"]
    assert document.status == DocumentStatus.READY, document.error
    # The page's refresh now offers the download.
    refreshed = client.get(reverse("applications:document", args=[application.pk, "form"]),
                           {"document": document.pk}).content.decode()
    assert "document-download" in refreshed and 'http-equiv="refresh"' not in refreshed
    text = pdftotext(download(client, document))

    missing = [label for label in FORM_LABELS if label not in text]
    assert not missing, f"labels missing from the PDF: {missing}"
    lead, joint = application.lead_unit, application.joint_unit
    values = [
        lead.name, lead.uscc, "2015年6月18日", "5000", "3.2", "2400", "7.50%",
        "高新技术企业、专精特新“小巨人”企业", "信息系统建设和服务能力评估CS3级", "赵法人",
        "0532-85551234",
        joint.name, joint.uscc, "2012年3月9日", "1200", "0.85", "680", "8.00%", "科技型中小企业",
        "ITSS运维三级", "陈联", "0532-86667777",
        application.center_name, "智能家电",
        "张明远", "总经理/正高级工程师", "13800000001", "director@haizhi.example.cn",
        "李技成", "高级工程师", "13800000002", "tech@haizhi.example.cn",
        "王服务", "服务总监", "0532-88886666", "service@haizhi.example.cn",
        application.service_summary, application.construction_content,
        "6项", "工业视觉质检与设备预测性维护。", "21个", "在家电企业落地数字孪生产线。",
        "9个", "覆盖研发、生产、供应链的行业方案。", "14个", "申请发明专利与软件著作权。",
        "培训数字化人才1000人次。",
        LEAD_COMMITMENT, JOINT_COMMITMENT,
    ]
    missing = [value for value in values if re.sub(r"\s+", "", value) not in text]
    assert not missing, f"values missing from the PDF: {missing}"
    assert re.search(r"第1页共\d页", text)
    assert "草稿" not in text  # a finished form is the copy the units sign and seal


def test_a_draft_is_watermarked_a_submitted_application_is_not(
        client, applicant_a, org_a, django_capture_on_commit_callbacks):
    client.force_login(applicant_a)
    draft = ApplicationFactory(complete=True, organisation=org_a, created_by=applicant_a,
                               center_name="")
    open_document(client, django_capture_on_commit_callbacks, draft)
    draft_pdf = ApplicationDocument.objects.get(application=draft)
    assert draft_pdf.is_draft  # the form is unfinished
    assert "草稿" in pdftotext(download(client, draft_pdf))
    disposition = unquote(client.get(reverse(
        "applications:document_download", args=[draft.pk, "form", draft_pdf.pk]
    ))["Content-Disposition"])
    assert "（草稿）.pdf" in disposition

    Application.objects.filter(pk=draft.pk).update(center_name="青岛市赋能中心")
    open_document(client, django_capture_on_commit_callbacks, draft)
    signing_copy = ApplicationDocument.objects.exclude(pk=draft_pdf.pk).get(application=draft)
    assert not signing_copy.is_draft  # finished, not yet submitted: the copy to sign and seal
    assert "草稿" not in pdftotext(download(client, signing_copy))

    Application.objects.filter(pk=draft.pk).update(status=ApplicationStatus.SUBMITTED)
    open_document(client, django_capture_on_commit_callbacks, draft)
    # Submitted unchanged, the final form is the very copy that was signed: nothing re-renders.
    final = document_current(loaded(draft), "form")
    assert final == signing_copy and not final.is_draft
    text = pdftotext(download(client, final))
    assert FORM_TITLE in text and "草稿" not in text


def test_submission_renders_the_final_form_through_the_task(
        complete_a, applicant_a, django_capture_on_commit_callbacks, render_runs):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=complete_a, actor=applicant_a)

    assert "applications.tasks.render_document" in render_runs
    document = document_current(loaded(complete_a), "form")
    assert document is not None and document.status == DocumentStatus.READY, document
    assert not document.is_draft
    with document.file.open("rb") as stored:
        text = pdftotext(stored.read())
    assert "草稿" not in text and complete_a.center_name in text


def test_the_same_content_reuses_its_document_without_rendering_again(
        client, applicant_a, application, django_capture_on_commit_callbacks, render_runs):
    client.force_login(applicant_a)
    open_document(client, django_capture_on_commit_callbacks, application)
    first = ApplicationDocument.objects.get(application=application)

    # Saving without changing anything the PDF shows (updated_at moves) changes nothing.
    Application.objects.get(pk=application.pk).save()
    open_document(client, django_capture_on_commit_callbacks, application)

    assert ApplicationDocument.objects.filter(application=application).count() == 1
    again = ApplicationDocument.objects.get(application=application)
    assert (again.pk, again.file.name, again.rendered_at) == (
        first.pk, first.file.name, first.rendered_at)
    assert render_runs == ["applications.tasks.render_document"]


def test_a_content_change_makes_a_new_hash_and_a_new_render(
        client, applicant_a, application, django_capture_on_commit_callbacks, render_runs):
    client.force_login(applicant_a)
    open_document(client, django_capture_on_commit_callbacks, application)
    before = ApplicationDocument.objects.get(application=application)

    lead = application.lead_unit
    lead.revenue_last_year = "4.8"  # the ratio follows: 2400 万元 / 4.8 亿元 = 5.00%
    lead.save()
    open_document(client, django_capture_on_commit_callbacks, application)

    after = document_current(loaded(application), "form")
    assert after.pk != before.pk and after.content_hash != before.content_hash
    assert after.file.name != before.file.name
    assert render_runs == ["applications.tasks.render_document"] * 2
    text = pdftotext(download(client, after))
    assert "4.8" in text and "5.00%" in text and "7.50%" not in text


def test_the_hash_follows_exactly_what_each_pdf_shows(application, applicant_a):
    form, package = (document_content_hash(loaded(application), v) for v in ("form", "package"))
    assert form != package

    AttachmentFactory(application=application, kind=AttachmentKind.CASE)
    # The attachment index is in the package only.
    assert document_content_hash(loaded(application), "form") == form
    assert document_content_hash(loaded(application), "package") != package

    Application.objects.filter(pk=application.pk).update(plan_other="补充说明。")
    assert document_content_hash(loaded(application), "form") == form

    Application.objects.filter(pk=application.pk).update(goal_other="新增目标。")
    assert document_content_hash(loaded(application), "form") != form


def test_the_package_adds_the_plan_and_the_attachment_index(
        client, applicant_a, application, django_capture_on_commit_callbacks):
    case = AttachmentFactory(application=application, kind=AttachmentKind.CASE,
                             original_name="家电诊断服务案例.pdf")
    client.force_login(applicant_a)
    open_document(client, django_capture_on_commit_callbacks, application, "package")

    document = ApplicationDocument.objects.get(application=application, variant="package")
    assert document.status == DocumentStatus.READY, document.error
    text = pdftotext(download(client, document))
    for expected in [
        FORM_TITLE, "承建单位意见",
        PLAN_TITLE, application.lead_unit.name,
        *[heading for section in PLAN_SECTIONS
          for heading in (section.heading, *(i.heading for i in section.items if i.heading))],
        *[getattr(application, field) for field in PLAN_FIELDS],
        "六、附件", "材料类型", "文件名", "案例", "家电诊断服务案例.pdf", case.sha256[:16],
    ]:
        assert expected in text, expected


def test_the_download_is_an_attachment_named_after_the_center(
        client, applicant_a, application, django_capture_on_commit_callbacks):
    client.force_login(applicant_a)
    open_document(client, django_capture_on_commit_callbacks, application)
    document = ApplicationDocument.objects.get(application=application)

    response = client.get(reverse("applications:document_download",
                                  args=[application.pk, "form", document.pk]))

    assert response["Content-Type"] == "application/pdf"
    disposition = unquote(response["Content-Disposition"])
    assert disposition.startswith("attachment;")
    assert f"申报表-{application.center_name}.pdf" in disposition
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_applicant_gets_404_for_the_page_and_the_download(
        client, applicant_a, applicant_b, application, django_capture_on_commit_callbacks):
    client.force_login(applicant_a)
    open_document(client, django_capture_on_commit_callbacks, application)
    document = ApplicationDocument.objects.get(application=application)

    client.force_login(applicant_b)
    page = reverse("applications:document", args=[application.pk, "form"])
    assert client.get(page).status_code == 404
    assert client.get(page, {"document": document.pk}).status_code == 404
    assert client.get(reverse("applications:document_download",
                              args=[application.pk, "form", document.pk])).status_code == 404
    assert ApplicationDocument.objects.filter(application=application).count() == 1

    client.logout()
    assert client.get(page).status_code == 302


def test_a_document_of_another_application_or_variant_is_not_served(
        client, applicant_a, org_a, application, django_capture_on_commit_callbacks):
    client.force_login(applicant_a)
    open_document(client, django_capture_on_commit_callbacks, application)
    document = ApplicationDocument.objects.get(application=application)
    other = ApplicationFactory(complete=True, organisation=org_a, created_by=applicant_a)

    for args in ([other.pk, "form", document.pk], [application.pk, "package", document.pk]):
        assert client.get(reverse("applications:document_download", args=args)).status_code \
            == 404
    assert client.get(reverse("applications:document",
                              args=[application.pk, "other"])).status_code == 404


def test_while_rendering_the_page_says_so_and_refreshes(client, applicant_a, application):
    content_hash = document_content_hash(loaded(application), "form")
    pending = ApplicationDocument.objects.create(application=application, variant="form",
                                                 content_hash=content_hash)
    client.force_login(applicant_a)

    response = client.get(reverse("applications:document", args=[application.pk, "form"]),
                          {"document": pending.pk})

    html = response.content.decode()
    assert "正在生成" in html
    assert re.search(r'<meta http-equiv="refresh" content="2;url=[^"]*\?document=%d"' % pending.pk,
                     html)
    assert "document-download" not in html


def test_a_failed_render_is_recorded_and_requested_again_by_the_user(
        client, applicant_a, application, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setitem(documents.TEMPLATES, "form", "applications/pdf/no-such-template.html")
    client.force_login(applicant_a)
    open_document(client, django_capture_on_commit_callbacks, application)

    failed = ApplicationDocument.objects.get(application=application)
    assert failed.status == DocumentStatus.FAILED and "no-such-template" in failed.error
    page = client.get(reverse("applications:document", args=[application.pk, "form"]),
                      {"document": failed.pk}).content.decode()
    assert "生成失败" in page and 'http-equiv="refresh"' not in page

    # Looking at the failed document does not queue it again; asking for the PDF does.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("applications:document", args=[application.pk, "form"]),
                   {"document": failed.pk})
    failed.refresh_from_db()
    assert failed.status == DocumentStatus.FAILED
    open_document(client, django_capture_on_commit_callbacks, application)
    failed.refresh_from_db()
    assert failed.status == DocumentStatus.READY and not failed.error


def test_the_request_service_checks_permission(applicant_b, application):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        document_request(application=loaded(application), variant="form", actor=applicant_b)


def test_detail_and_commitment_pages_list_both_documents(
        client, applicant_a, application, django_capture_on_commit_callbacks):
    client.force_login(applicant_a)
    open_document(client, django_capture_on_commit_callbacks, application)
    document = ApplicationDocument.objects.get(application=application)

    for url in (reverse("applications:detail", args=[application.pk]),
                reverse("applications:step", args=[application.pk, "commitment"])):
        html = client.get(url).content.decode()
        assert 'id="documents"' in html, url
        assert reverse("applications:document_download",
                       args=[application.pk, "form", document.pk]) in html
        assert reverse("applications:document", args=[application.pk, "package"]) in html


def test_a_render_lost_on_the_way_is_queued_again_after_a_while(
        client, applicant_a, application, django_capture_on_commit_callbacks, render_runs):
    content_hash = document_content_hash(loaded(application), "form")
    lost = ApplicationDocument.objects.create(application=application, variant="form",
                                              content_hash=content_hash)
    client.force_login(applicant_a)

    open_document(client, django_capture_on_commit_callbacks, application)
    assert render_runs == []  # just requested: the worker may still be on it

    ApplicationDocument.objects.filter(pk=lost.pk).update(
        requested_at=lost.requested_at - documents.RENDER_STALE_AFTER * 2)
    open_document(client, django_capture_on_commit_callbacks, application)
    lost.refresh_from_db()
    assert render_runs == ["applications.tasks.render_document"]
    assert lost.status == DocumentStatus.READY


def test_small_file_sizes_read_in_chinese_as_on_the_other_pages(org_a, applicant_a):
    """The package and the review page say 字节, as Django's filesizeformat does on the step
    pages, not a bare "B"."""
    application = ApplicationFactory(complete=True, organisation=org_a, created_by=applicant_a,
                                     attachments=False)
    AttachmentFactory(application=application, kind=AttachmentKind.CASE,
                      content=b"%PDF-" + b"x" * 298)
    content = documents.document_content(application_with_details(
        Application.objects.filter(pk=application.pk)).get(), "package")
    assert [a["size"] for a in content["plan"]["attachments"]] == ["303 字节"]
