"""The commission's Excel export streams: rows read in chunks, written by a write-only workbook
into a temporary file, progress saved after every chunk and shown on the export's page."""

import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from applications import exporters, services
from applications.enums import ApplicationStatus, AttachmentKind, DocumentStatus
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


def _in_list_size(sql: str) -> int:
    match = re.search(r"IN \(([^)]*)\)", sql)
    return len(match.group(1).split(",")) if match else 0


def test_the_export_streams_chunks_into_a_write_only_workbook(export, workbooks, monkeypatch):
    monkeypatch.setattr(exporters, "EXPORT_CHUNK_SIZE", CHUNK)

    with CaptureQueriesContext(connection) as captured:
        services.application_export_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == DocumentStatus.READY, export.error
    [workbook] = workbooks
    assert workbook.write_only
    assert all(isinstance(sheet, WriteOnlyWorksheet) for sheet in workbook.worksheets)

    # PostgreSQL reads through a server-side cursor: "DECLARE … CURSOR … FOR SELECT …".
    sql = [re.sub(r"^DECLARE .*? FOR ", "", query["sql"]) for query in captured.captured_queries]
    unit_table = ApplicationUnit._meta.db_table
    application_table = Application._meta.db_table
    reads = [s for s in sql if s.startswith("SELECT") and f'FROM "{application_table}"' in s
             and not s.startswith("SELECT COUNT(*)")]
    assert len(reads) == 1, reads  # one cursor, fetched a chunk at a time
    unit_reads = [i for i, s in enumerate(sql)
                  if s.startswith("SELECT") and f'FROM "{unit_table}"' in s]
    # The units are prefetched per chunk, never in one IN list of every application.
    assert [_in_list_size(sql[i]) for i in unit_reads] == [100, 100, 50]
    progress = [i for i, s in enumerate(sql)
                if s.startswith("UPDATE") and ApplicationExport._meta.db_table in s
                and '"rows_done"' in s]
    # Rows are read, written and reported chunk after chunk, not loaded whole first.
    assert unit_reads[0] < progress[1] < unit_reads[1] < progress[2] < unit_reads[2]

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
