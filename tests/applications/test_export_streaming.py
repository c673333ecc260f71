"""The commission's Excel export streams: rows read in chunks, written by a write-only workbook
into a temporary file, progress saved after every chunk and shown on the export's page."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from applications import exporters, services
from applications.enums import ApplicationStatus, AttachmentKind, DocumentStatus
from applications.forms import CenterForm, GoalsForm, PlanForm, ServiceForm, UnitForm
from applications.models import Application, ApplicationExport, ApplicationUnit
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory

ROWS = 250
CHUNK = 100


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def many_applications(db, laoshan, applicant_a):
    """`ROWS` submitted applications with a joint unit each: one built by the factory, the rest
    copied from it in bulk (one per organisation, as the call allows)."""
    call = CallFactory(closed=True)
    template = ApplicationFactory(submitted=True, call=call, joint=True,
                                  organisation=OrganisationFactory(competent_department=laoshan),
                                  created_by=applicant_a, attachments=[AttachmentKind.CASE])
    units = list(template.units.all())
    organisations = OrganisationFactory.create_batch(ROWS - 1, competent_department=laoshan)
    copies = []
    for organisation in organisations:
        copy = Application.objects.get(pk=template.pk)
        copy.pk = copy.id = None
        copy.organisation = organisation
        copy.receipt_number = copy.receipt_sequence = None
        copies.append(copy)
    Application.objects.bulk_create(copies)
    ApplicationUnit.objects.bulk_create([
        ApplicationUnit(**{f.attname: getattr(unit, f.attname) for f in ApplicationUnit._meta.fields
                           if f.attname not in ("id", "application_id")}, application=copy)
        for copy in copies for unit in units])
    assert Application.objects.filter(status=ApplicationStatus.SUBMITTED).count() == ROWS
    return template


@pytest.fixture
def export(many_applications, role_user):
    return ApplicationExport.objects.create(requested_by=role_user("commission_staff"),
                                            params={})


@pytest.fixture
def workbooks(monkeypatch):
    """The workbooks the exporter creates (openpyxl's own class, only watched)."""
    created = []

    class Watched(openpyxl.Workbook):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            created.append(self)

    monkeypatch.setattr(exporters, "Workbook", Watched)
    return created


@pytest.fixture
def events(monkeypatch):
    """What the export's database connection did, in order: ("fetch", rows asked, rows got) for
    each fetch from a chunked (server-side on PostgreSQL) cursor, ("progress", rows_done) for
    each progress saved. The cursor is the database's own, only watched."""
    seen = []

    class WatchedCursor:
        def __init__(self, cursor):
            self._cursor = cursor

        def fetchmany(self, size):
            rows = self._cursor.fetchmany(size)
            seen.append(("fetch", size, len(rows)))
            return rows

        def __getattr__(self, name):
            return getattr(self._cursor, name)

    chunked_cursor = connection.chunked_cursor
    monkeypatch.setattr(connection, "chunked_cursor", lambda: WatchedCursor(chunked_cursor()))

    def watch(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and ApplicationExport._meta.db_table in sql \
                and '"rows_done"' in sql:
            seen.append(("progress", params[sql[:sql.index('"rows_done" = %s')].count("%s")]))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield seen


def test_the_export_streams_chunks_into_a_write_only_workbook(export, workbooks, events,
                                                             monkeypatch):
    monkeypatch.setattr(exporters, "EXPORT_CHUNK_SIZE", CHUNK)

    with CaptureQueriesContext(connection) as captured:
        services.application_export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == DocumentStatus.READY, export.error
    [workbook] = workbooks
    assert workbook.write_only
    assert all(isinstance(sheet, WriteOnlyWorksheet) for sheet in workbook.worksheets)

    # One query reads the applications with both units joined ("DECLARE … CURSOR … FOR
    # SELECT …" on PostgreSQL); no query lists the ids of the selection.
    sql = [re.sub(r"^DECLARE .*? FOR ", "", query["sql"]) for query in captured.captured_queries]
    unit_table = ApplicationUnit._meta.db_table
    assert len([s for s in sql if f'JOIN "{unit_table}"' in s]) == 1
    assert not [s for s in sql if re.search(r"IN \(%s(, %s)+\)|IN \(\d+(, \d+)+\)", s)]
    # That query is fetched a chunk at a time, and each chunk is written and its progress saved
    # before the next one is read: never loaded whole.
    assert events == [("progress", 0),
                      ("fetch", CHUNK, 100), ("progress", 100),
                      ("fetch", CHUNK, 100), ("progress", 200),
                      ("fetch", CHUNK, 50), ("fetch", CHUNK, 0),
                      ("progress", ROWS)]

    assert export.rows_total == export.rows_done == export.row_count == ROWS
    sheet = openpyxl.load_workbook(export.file.path).active
    assert sheet.max_row == ROWS + 1
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    assert sheet.auto_filter.ref.endswith(str(ROWS + 1))


def test_progress_is_saved_after_every_chunk(export, monkeypatch):
    monkeypatch.setattr(exporters, "EXPORT_CHUNK_SIZE", CHUNK)
    seen = []
    save = ApplicationExport.save

    def watched_save(self, *args, **kwargs):
        if "rows_done" in (kwargs.get("update_fields") or ()):
            stored = ApplicationExport.objects.get(pk=self.pk) if self.pk else None
            seen.append((self.rows_done, self.rows_total, stored and stored.status))
        return save(self, *args, **kwargs)

    monkeypatch.setattr(ApplicationExport, "save", watched_save)
    services.application_export_build(export_id=export.pk)

    assert seen == [(0, ROWS, DocumentStatus.PENDING), (100, ROWS, DocumentStatus.PENDING),
                    (200, ROWS, DocumentStatus.PENDING), (ROWS, ROWS, DocumentStatus.PENDING)]
    export.refresh_from_db()
    assert (export.rows_done, export.rows_total, export.status) == (
        ROWS, ROWS, DocumentStatus.READY)


def test_the_export_page_shows_the_rows_done_while_it_is_built(role_client, role_user):
    client = role_client("commission_staff")
    export = ApplicationExport.objects.create(requested_by=role_user("commission_staff"),
                                              params={}, rows_total=10000, rows_done=3500)

    page = client.get(reverse("applications:export_detail", args=[export.pk])).content.decode()

    assert "已导出 3500 / 10000 项申报" in page
    assert '<progress id="export-progress-bar"' in page and 'value="3500"' in page
    assert 'http-equiv="refresh"' in page and "<script>" not in page


# The rows ------------------------------------------------------------------------------------

def _shown(instance, name):
    """A field as the 申报表 shows it, read from the model instance (the export reads rows)."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return None
    if field.choices:
        return getattr(instance, f"get_{name}_display")()
    if field.is_relation:
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _expected_row(application) -> dict:
    expected = {"系统编号": application.pk, "申报编号": application.receipt_number, "申报通知": application.call.title,
                "年度": application.call.year, "报送去向": application.destination_label or None,
                "附件数量": application.attachments.count()}
    for name in ["status", "routed_department", "routed_to_commission", "submitted_at",
                 "created_at", "updated_at", "has_joint_unit", "lead_commitment_at",
                 "joint_commitment_at", *CenterForm.Meta.fields, *ServiceForm.Meta.fields]:
        expected[str(Application._meta.get_field(name).verbose_name)] = _shown(application, name)
    for prefix, form in (("五、建设目标：", GoalsForm), ("建设方案：", PlanForm)):
        for name in form.Meta.fields:
            label = prefix + str(Application._meta.get_field(name).verbose_name)
            expected[label] = _shown(application, name)
    for prefix, unit in (("承建主体：", application.lead_unit),
                         ("联合承建主体：", application.joint_unit)):
        for name in UnitForm.Meta.fields:
            label = prefix + str(ApplicationUnit._meta.get_field(name).verbose_name)
            expected[label] = unit and _shown(unit, name)
        expected[prefix + "研发投入占营业收入比例（%）"] = unit and unit.rd_ratio_percent
    return expected


def test_every_column_reads_what_the_application_holds(laoshan, applicant_a):
    """The rows come from one joined query, not model instances: each cell must still say what
    the application's own fields say (lead and joint unit not mixed up, a joint unit left
    behind after choosing 无 not shown, Beijing times, choice labels, 是/否)."""
    call = CallFactory(closed=True)
    joint = ApplicationFactory(submitted=True, call=call, joint=True, created_by=applicant_a,
                               organisation=OrganisationFactory(competent_department=laoshan),
                               attachments=[AttachmentKind.CASE])
    left_behind = ApplicationFactory(submitted=True, call=call, joint=True,
                                     created_by=applicant_a,
                                     organisation=OrganisationFactory(
                                         competent_department=laoshan))
    Application.objects.filter(pk=left_behind.pk).update(has_joint_unit=False)
    draft = ApplicationFactory(call=call, created_by=applicant_a)

    header, *rows = exporters.application_export_rows(
        Application.objects.filter(pk__in=[joint.pk, left_behind.pk, draft.pk]).order_by("pk"))

    assert header == exporters.application_export_headers()
    for application, row in zip((joint, left_behind, draft), rows, strict=True):
        application = Application.objects.get(pk=application.pk)
        expected = _expected_row(application)
        assert set(header) == set(expected)
        assert dict(zip(header, row, strict=True)) == expected
    assert dict(zip(header, rows[0]))["联合承建主体：单位名称"]
    assert dict(zip(header, rows[1]))["联合承建主体：单位名称"] is None
    assert dict(zip(header, rows[1]))["承建主体：单位名称"]


# The xlsx ------------------------------------------------------------------------------------

_VALUES = ["纯文本", '=HYPERLINK("http://evil.example","点击")', "=", "#N/A", "  前后空格  ",
           " ", "a & b < c > d", "第一行\x0b第二行", "多行\n文本", "长" * 40000, "", None, 0, 7,
           -3, 2.5, 1e20, Decimal("7.50"), Decimal("1234567.8901"),
           datetime.datetime(2026, 11, 29, 9, 30, 15), datetime.date(2015, 6, 18)]


def _cells(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[(cell.value, cell.data_type, cell.number_format) for cell in row]
            for row in sheet.iter_rows(min_row=2)]


def test_the_rows_are_written_as_openpyxl_itself_writes_them():
    """The body rows skip openpyxl's per-cell objects (for speed): the file must read back
    exactly as the same values written through openpyxl's own cells."""
    rows = [["甲", "乙", "丙"], _VALUES, list(reversed(_VALUES)),
            # A value the row writer leaves to openpyxl: the row goes through openpyxl's cells.
            ["=1+1", True, datetime.time(8, 30), None, "文本"]]

    ours = exporters.rows_to_xlsx(rows)

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("申报汇总")
    for row in rows:
        sheet.append([exporters._sheet_value(sheet, value) for value in row])
    own = io.BytesIO()
    workbook.save(own)
    assert _cells(ours) == _cells(own.getvalue())
    read = _cells(ours)
    assert read[0][1] == ('=HYPERLINK("http://evil.example","点击")', "s", "General")
    assert read[0][7][0] == "第一行第二行"
    assert len(read[0][9][0]) == 32767 and read[0][9][0].endswith("……（内容过长，已截断）")
    assert read[0][19] == (datetime.datetime(2026, 11, 29, 9, 30, 15), "d",
                           "yyyy-mm-dd h:mm:ss")
    assert read[2][:2] == [("=1+1", "s", "General"), (True, "b", "General")]
