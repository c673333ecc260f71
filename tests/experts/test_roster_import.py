"""Importing experts from Excel (第四条): the template, row-by-row errors in Chinese, nothing
half imported, a file checked by its content, one import per form."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.formtokens import FIELD, form_token_new
from core.models import AuditEvent
from experts.enums import MembershipStatus
from experts.models import CommitteeMembership, Expert, ExpertTie
from experts.roster_import import EXPERT_COLUMNS, TIE_COLUMNS, import_parse
from experts.selectors import expert_is_active
from tests.factories import make_uscc

from .conftest import make_expert

pytestmark = pytest.mark.django_db

HEADERS = [c[0] for c in EXPERT_COLUMNS]
TIE_HEADERS = [c[0] for c in TIE_COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def expert_row(name="钱磊", employer="青岛大学", uscc="", title="教授", fields="人工智能、智能家电",
               mobile="13905320001", email="ql@example.cn", start="2026-01-01",
               end="2028-12-31"):
    return [name, employer, uscc, title, fields, mobile, email, start, end]


def workbook_bytes(rows, ties=()) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "专家名单"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    tie_sheet = book.create_sheet("关联关系")
    tie_sheet.append(TIE_HEADERS)
    for row in ties:
        tie_sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="专家名单.xlsx", token=None):
    return client.post(reverse("experts:roster_import"), {
        "file": SimpleUploadedFile(name, data, content_type=XLSX),
        FIELD: token or form_token_new()})


def test_the_template_has_the_chinese_headers(role_client):
    response = role_client("commission_staff").get(reverse("experts:roster_import_template"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["专家名单"][1]] == HEADERS
    assert [c.value for c in book["关联关系"][1]] == TIE_HEADERS
    assert "填写说明" in book.sheetnames


def test_the_template_unchanged_is_refused_and_filled_in_imports(role_client):
    """Its sample row would add a person who does not exist: refused as such, nothing saved."""
    client = role_client("commission_staff")
    template = client.get(reverse("experts:roster_import_template")).content
    refused = upload(client, template)
    assert "这是导入模板中的示例行" in refused.content.decode()
    assert not Expert.objects.exists()
    book = load_workbook(io.BytesIO(template))
    for sheet in (book["专家名单"], book["关联关系"]):
        sheet["A2"], sheet["B2"] = "钱磊", "青岛大学"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client, buffer.getvalue())
    assert response.status_code == 302
    assert Expert.objects.filter(name="钱磊").exists()


def test_a_good_file_imports_experts_ties_and_memberships(role_client, commission_staff):
    data = workbook_bytes(
        [expert_row(uscc=make_uscc(500_001).lower()),
         expert_row("孙悦", "中国海洋大学", "", "教授", "海洋装备", "139 0532 0002", "",
                    datetime.datetime(2026, 1, 1), None)],
        ties=[["钱磊", "青岛大学", "青岛某科技有限公司", "", "咨询、顾问或兼职", "2024-01-01",
               "2025-06-30", "技术顾问"],
              ["孙悦", "中国海洋大学", "青岛海洋装备有限公司", make_uscc(500_002), "任职",
               "2020/1/1", "", ""]])
    response = upload(role_client("commission_staff"), data)
    assert response.status_code == 302 and response["Location"] == reverse("experts:roster_list")
    qian = Expert.objects.get(name="钱磊")
    assert qian.employer_uscc == make_uscc(500_001)  # lower case normalised, not refused
    assert sorted(qian.fields.values_list("name", flat=True)) == ["人工智能", "智能家电"]
    assert qian.mobile == "13905320001"
    assert Expert.objects.get(name="孙悦").mobile == "13905320002"
    membership = CommitteeMembership.objects.get(expert=qian)
    assert membership.status == MembershipStatus.ACTIVE and membership.term_end == \
        datetime.date(2028, 12, 31) and membership.changed_by == commission_staff
    assert expert_is_active(qian, on=datetime.date(2026, 6, 1))
    assert ExpertTie.objects.get(expert__name="孙悦").started_on == datetime.date(2020, 1, 1)
    assert ExpertTie.objects.get(expert=qian).kind == "consulting"
    event = AuditEvent.objects.get(action="expert.import")
    assert event.after["experts"] == 2 and event.after["ties"] == 2


def test_full_width_codes_are_normalised():
    code = make_uscc(500_003)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    parsed = import_parse(workbook_bytes([expert_row(uscc=full_width)]))
    assert parsed.errors == [] and parsed.experts[0]["employer_uscc"] == code


def test_bad_rows_are_each_named_and_nothing_is_saved(role_client):
    make_expert("李航", employer_name="青岛科技大学", mobile="13905329999")
    bad_code = make_uscc(500_004)[:-1] + "0" if not make_uscc(500_004).endswith("0") \
        else make_uscc(500_004)[:-1] + "1"
    data = workbook_bytes(
        [expert_row(),  # good
         expert_row("孙悦", "中国海洋大学", bad_code, fields="海洋装备、量子计算",
                    mobile="12345", email="not-mail", start="2026-13-01"),
         expert_row("李航", " 青岛科技大学 ", mobile="13905320003", email=""),
         expert_row("周涛", "山东大学", mobile="13905329999", email=""),
         expert_row("钱磊", "青岛大学", mobile="13905320004", email=""),
         expert_row("吴桐", "", fields="", start="", mobile="", email="")],
        ties=[["无此人", "某单位", "青岛某公司", "", "同学", "2024-01-01", "2023-01-01", ""]])
    response = upload(role_client("commission_staff"), data)
    assert response.status_code == 200
    errors = {(e.sheet, e.row, e.column) for e in response.context["errors"]}
    assert {
        ("专家名单", 3, "工作单位统一社会信用代码"),
        ("专家名单", 3, "专业领域"),
        ("专家名单", 3, "手机号码"),
        ("专家名单", 3, "电子邮箱"),
        ("专家名单", 3, "聘期开始"),
        ("专家名单", 4, "姓名"),          # already in the roster (name + employer)
        ("专家名单", 5, "手机号码"),      # mobile already in the roster
        ("专家名单", 6, "姓名"),          # same as row 2
        ("专家名单", 7, "工作单位"),
        ("专家名单", 7, "专业领域"),
        ("专家名单", 7, "聘期开始"),
        ("关联关系", 2, "姓名"),
        ("关联关系", 2, "关系类型"),
        ("关联关系", 2, "结束日期"),
    } <= errors
    page = response.content.decode()
    assert "未导入任何专家" in page and "第3行" in page and "量子计算" in page
    assert "校验位" in page and "专家库中已有" in page
    assert Expert.objects.count() == 1 and not AuditEvent.objects.filter(
        action="expert.import").exists()


def test_one_bad_row_among_good_ones_saves_nothing(role_client):
    rows = [expert_row(f"专家{n}", f"单位{n}", mobile=f"139053210{n:02d}") for n in range(10)]
    rows.append(expert_row("坏行", "单位X", fields="不存在的领域", mobile=""))
    response = upload(role_client("commission_staff"), workbook_bytes(rows))
    assert response.status_code == 200 and len(response.context["errors"]) == 1
    assert Expert.objects.count() == 0 and CommitteeMembership.objects.count() == 0


def test_a_missing_column_is_reported(role_client):
    book = Workbook()
    book.active.title = "专家名单"
    book.active.append(["姓名", "工作单位"])
    book.active.append(["钱磊", "青岛大学"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(role_client("commission_staff"), buffer.getvalue())
    assert "缺少此列" in response.content.decode() and Expert.objects.count() == 0


def test_a_hostile_file_is_refused_by_its_content(role_client):
    html = b"<html><body><script>alert(1)</script></body></html>"
    response = upload(role_client("commission_staff"), html, name="专家名单.xlsx")
    assert response.status_code == 200
    assert "只能上传 Excel（XLSX）格式" in response.content.decode()
    assert Expert.objects.count() == 0


def test_a_pdf_renamed_xlsx_is_refused(role_client):
    from tests.factories import sample_pdf

    response = upload(role_client("commission_staff"), sample_pdf(), name="名单.xlsx")
    assert "只能上传 Excel（XLSX）格式" in response.content.decode()


def test_a_double_click_imports_once(role_client):
    client = role_client("commission_staff")
    token = form_token_new()
    data = workbook_bytes([expert_row()])
    first = upload(client, data, token=token)
    second = upload(client, data, token=token)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("experts:roster_list")
    assert Expert.objects.count() == 1


def test_only_the_secretariat_imports(role_client):
    response = upload(role_client("industry_staff"), workbook_bytes([expert_row()]))
    assert response.status_code == 403 and Expert.objects.count() == 0
