"""Excel import of service records: the template, a bad row reported with its row number and
nothing saved, the sample row refused, a good file saved whole."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accounts.validators import uscc_check_character
from centers.models import RecordYearClosure, ServiceRecord
from centers.record_import import COLUMNS, EXAMPLE_TITLE, import_parse, import_template_bytes
from core.models import AuditEvent
from tests.factories import applicant

HEADERS = [h for h, _ in COLUMNS]
TODAY = datetime.date.today().isoformat()


def uscc(serial: int) -> str:
    first17 = f"91370200{serial:09d}"
    return first17 + uscc_check_character(first17)


def row(kind="数字化转型培训", date=TODAY, title="工业互联网培训", enterprises=None, hours=4,
        participants=50, provided_to="", amount="", status="", accepted_on="", patent=""):
    enterprises = f"青岛甲公司|{uscc(1)}；青岛乙公司|{uscc(2)}" if enterprises is None else enterprises
    return [kind, date, title, "", "", enterprises, hours, participants, provided_to, amount,
            status, accepted_on, patent]


def workbook_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "服务记录"
    sheet.append(HEADERS)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def center(designated_centers):
    return designated_centers[0]


@pytest.fixture
def keeper(center):
    return applicant(center.application.organisation, username="center-user",
                     real_name="中心填报人")


def _post(client, center, data: bytes):
    url = reverse("centers:record_import", args=[center.pk])
    return client.post(url, {"workbook": SimpleUploadedFile(
        "服务记录.xlsx", data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})


def test_the_template_downloads_with_its_sample_row(client, center, keeper):
    client.force_login(keeper)
    response = client.get(reverse("centers:record_import_template", args=[center.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["服务记录"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet["C2"].value == EXAMPLE_TITLE
    parsed = import_parse(import_template_bytes())
    assert [(e.row, "示例行" in e.message) for e in parsed.errors] == [(2, True)]


def test_a_bad_row_reports_its_row_number_and_nothing_is_saved(client, center, keeper):
    client.force_login(keeper)
    data = workbook_bytes([
        row(),
        row(kind="数字化诊断书", title="诊断书", enterprises="", hours="", participants=""),
        row(kind="相关有效专利", title="专利", enterprises="", hours="", participants="",
            patent="ZL200310102344.6"),
        row(title="坏代码", enterprises="青岛丙公司|913702001234567880"),
    ])
    response = _post(client, center, data)
    page = response.content.decode()
    assert response.status_code == 200 and not ServiceRecord.objects.exists()
    assert "第3行" in page and "至少一个服务对象" in page
    assert "第4行" in page and "校验位不正确" in page
    assert "第5行" in page and "第2行" not in page
    assert not AuditEvent.objects.filter(action="service_record.import").exists()


def test_a_row_in_a_closed_year_is_refused(center, commission_staff):
    RecordYearClosure.objects.create(year=datetime.date.today().year, closed_by=commission_staff)
    parsed = import_parse(workbook_bytes([row()]))
    assert [e.row for e in parsed.errors] == [2] and "评价已关闭" in parsed.errors[0].message


def test_a_good_file_is_saved_whole(client, center, keeper):
    client.force_login(keeper)
    data = workbook_bytes([
        row(),
        row(kind="数字化转型项目", title="智能仓储项目", hours="", participants="",
            enterprises=f"青岛甲公司|{uscc(1)}", amount="128.5", status="已验收",
            accepted_on=TODAY),
        row(kind="相关有效专利", title="专利", enterprises="", hours="", participants="",
            patent="zl 201710601862.3"),
        row(kind="行业数字化诊断咨询报告", title="行业报告", enterprises="", hours="",
            participants="", provided_to="市发展改革委"),
    ])
    response = _post(client, center, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert ServiceRecord.objects.filter(center=center).count() == 4
    project = ServiceRecord.objects.get(kind="project")
    assert str(project.amount) == "128.50" and project.accepted_on == datetime.date.today()
    assert ServiceRecord.objects.get(kind="patent").patent_number == "ZL201710601862.3"
    assert ServiceRecord.objects.get(kind="training").enterprises.count() == 2
    audit = AuditEvent.objects.get(action="service_record.import")
    assert audit.after["records"] == 4


def test_a_file_that_is_not_a_workbook_is_refused(client, center, keeper):
    client.force_login(keeper)
    response = _post(client, center, b"%PDF-1.4\n%%EOF\n")
    assert response.status_code == 200 and "不是 Excel 工作簿" in response.content.decode()


def test_a_row_before_the_designation_is_refused_with_its_row_number(client, center, keeper):
    """The progress page counts from the designation date: an earlier row would be listed but
    never counted, so the file is refused at that row."""
    client.force_login(keeper)
    before = (center.designated_on - datetime.timedelta(days=1)).isoformat()
    response = _post(client, center, workbook_bytes([row(), row(date=before)]))
    page = response.content.decode()
    assert response.status_code == 200 and not ServiceRecord.objects.exists()
    assert "第3行" in page and "不能早于赋能中心认定日期" in page and "第2行" not in page
