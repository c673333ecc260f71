"""The sweep removes superseded PDF renders and old export files (applications.retention)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection, models
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone

from applications import retention
from applications.enums import DocumentStatus
from applications.models import Application, ApplicationDocument, ApplicationExport
from core.models import AuditEvent
from core.sweep import run_deadline_sweep
from tests.factories import ApplicationFactory

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


def render(application, requested_at, *, content_hash, status=DocumentStatus.READY):
    """A render of `application`'s 申报表 requested at `requested_at`, its file in storage."""
    document = ApplicationDocument.objects.create(application=application, variant="form",
                                                  content_hash=content_hash, status=status,
                                                  is_draft=False)
    if status == DocumentStatus.READY:
        document.file.save("document.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    ApplicationDocument.objects.filter(pk=document.pk).update(
        requested_at=requested_at, file=document.file.name)
    document.refresh_from_db()
    return document


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """`sweep(check, now)`: runs a retention check as the sweep does, outside the test's
    transaction: the files go once each deleting transaction commits."""
    def run(check, now):
        with django_capture_on_commit_callbacks(execute=True):
            return check(now)
    return run


def stored(field_file) -> bool:
    return bool(field_file.name) and field_file.storage.exists(field_file.name)


@pytest.fixture
def renders(db, settings):
    """An old render superseded at T0 + 1 day by a newer one."""
    settings.DOCUMENT_RETENTION_DAYS = 30
    application = ApplicationFactory(complete=True)
    old = render(application, T0, content_hash="a" * 64)
    new = render(application, T0 + DAY, content_hash="b" * 64)
    return old, new


def test_a_render_is_kept_until_superseded_for_the_retention_period(renders, sweep):
    old, new = renders
    superseded_at = new.requested_at
    assert sweep(retention.documents_expire, superseded_at + 30 * DAY - SECOND) == 0
    assert ApplicationDocument.objects.filter(pk=old.pk).exists() and stored(old.file)

    assert sweep(retention.documents_expire, superseded_at + 30 * DAY) == 1
    assert not ApplicationDocument.objects.filter(pk=old.pk).exists()
    assert not stored(old.file)                        # the file is gone from storage
    assert ApplicationDocument.objects.filter(pk=new.pk).exists() and stored(new.file)


def test_the_newest_render_is_never_removed_however_old(renders, sweep):
    _old, new = renders
    sweep(retention.documents_expire, T0 + 1000 * DAY)
    assert list(ApplicationDocument.objects.values_list("pk", flat=True)) == [new.pk]


def test_the_sweep_removes_once_and_audits_once(renders, sweep):
    old, _new = renders
    later = T0 + 60 * DAY
    assert sweep(run_deadline_sweep, later)["applications.retention.documents_expire"] == 1
    assert sweep(run_deadline_sweep, later)["applications.retention.documents_expire"] == 0
    [event] = AuditEvent.objects.filter(action="application.documents_expire")
    assert event.actor is None and event.actor_label == "系统"
    assert event.after["removed"] == [{"document": old.pk, "application": old.application_id}]


def test_a_render_whose_file_is_already_missing_goes_without_error(renders, sweep):
    old, _new = renders
    old.file.storage.delete(old.file.name)
    assert sweep(retention.documents_expire, T0 + 60 * DAY) == 1
    assert not ApplicationDocument.objects.filter(pk=old.pk).exists()


def test_a_failed_render_without_file_is_removed_too(db, settings, sweep):
    application = ApplicationFactory(complete=True)
    failed = render(application, T0, content_hash="c" * 64, status=DocumentStatus.FAILED)
    render(application, T0 + DAY, content_hash="d" * 64)
    assert sweep(retention.documents_expire, T0 + 60 * DAY) == 1
    assert not ApplicationDocument.objects.filter(pk=failed.pk).exists()


def test_the_render_a_submission_refers_to_is_kept(complete_a, applicant_a, settings, sweep,
                                                  django_capture_on_commit_callbacks,
                                                  celery_eager):
    from applications import services

    settings.DOCUMENT_RETENTION_DAYS = 30
    with django_capture_on_commit_callbacks(execute=True):  # the render runs on commit
        services.application_submit(application=complete_a, actor=applicant_a)
    complete_a.refresh_from_db()
    submitted = complete_a.submitted_document
    assert submitted is not None and submitted.variant == "form"
    assert submitted.status == DocumentStatus.READY and stored(submitted.file)
    # A newer render of the same application and variant long ago (e.g. after a return).
    render(complete_a, submitted.requested_at + DAY, content_hash="e" * 64)

    assert sweep(retention.documents_expire, timezone.now() + 400 * DAY) == 0
    assert ApplicationDocument.objects.filter(pk=submitted.pk).exists()
    assert stored(submitted.file)


def test_a_render_shown_again_after_an_edit_is_undone_counts_as_current(db, sweep):
    """Content A, then B, then A again: A's render is current, B's is the superseded one."""
    from applications.documents import _document_for_current_content, document_content_hash

    application = ApplicationFactory(complete=True)
    current_hash = document_content_hash(application, "form")
    a = render(application, T0, content_hash=current_hash)
    b = render(application, T0 + DAY, content_hash="f" * 64)
    document, queue = _document_for_current_content(application, "form")
    assert document.pk == a.pk and not queue
    assert sweep(retention.documents_expire, timezone.now() + 60 * DAY) == 1
    assert list(ApplicationDocument.objects.values_list("pk", flat=True)) == [a.pk]
    assert not ApplicationDocument.objects.filter(pk=b.pk).exists()


# --- a reference declared by another app -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
@isolate_apps("tests")
def test_a_registered_reference_keeps_the_render(monkeypatch, sweep):
    """A later app (district review) declares that its decisions refer to a render."""

    class ReviewDecision(models.Model):
        document = models.ForeignKey(ApplicationDocument, on_delete=models.RESTRICT,
                                     related_name="+")

        class Meta:
            app_label = "tests"

    monkeypatch.setattr(retention, "_references", list(retention._references))
    retention.register_document_reference(ReviewDecision, "document")
    retention.register_document_reference(ReviewDecision, "document")  # twice: no harm
    assert retention.document_references().count((ReviewDecision, "document")) == 1
    with pytest.raises(ValueError):
        retention.register_document_reference(Application, "call")

    with connection.schema_editor() as editor:
        editor.create_model(ReviewDecision)
    try:
        application = ApplicationFactory(complete=True)
        decided_on = render(application, T0, content_hash="1" * 64)
        other = render(application, T0 + DAY, content_hash="2" * 64)
        render(application, T0 + 2 * DAY, content_hash="3" * 64)
        ReviewDecision.objects.create(document=decided_on)

        assert sweep(retention.documents_expire, T0 + 60 * DAY) == 1
        assert ApplicationDocument.objects.filter(pk=decided_on.pk).exists()
        assert not ApplicationDocument.objects.filter(pk=other.pk).exists()
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(ReviewDecision)


# --- exports ---------------------------------------------------------------------------------


@pytest.fixture
def finished_export(role_user, settings):
    settings.EXPORT_RETENTION_DAYS = 7
    export = ApplicationExport.objects.create(requested_by=role_user("commission_staff"),
                                              params={}, status=DocumentStatus.READY,
                                              row_count=0, finished_at=T0)
    export.file.save("export.xlsx", ContentFile(b"PK test"), save=True)
    return export


def test_an_export_file_is_kept_for_the_retention_period_then_expires(finished_export,
                                                                      sweep):
    export = finished_export
    name = export.file.name
    assert sweep(retention.exports_expire, T0 + 7 * DAY - SECOND) == 0
    assert export.file.storage.exists(name)

    assert sweep(retention.exports_expire, T0 + 7 * DAY) == 1
    export.refresh_from_db()
    assert export.status == DocumentStatus.EXPIRED and not export.file
    assert not export.file.storage.exists(name)
    assert sweep(retention.exports_expire, T0 + 8 * DAY) == 0           # once
    [event] = AuditEvent.objects.filter(action="application.exports_expire")
    assert event.after["exports"] == [export.pk]


def test_a_failed_export_expires_and_a_missing_file_is_no_error(finished_export, role_user,
                                                                sweep):
    export = finished_export
    export.file.storage.delete(export.file.name)
    failed = ApplicationExport.objects.create(requested_by=role_user("commission_staff"),
                                              status=DocumentStatus.FAILED, finished_at=T0,
                                              error="boom")
    pending = ApplicationExport.objects.create(requested_by=role_user("commission_staff"))
    assert sweep(retention.exports_expire, T0 + 30 * DAY) == 2
    statuses = dict(ApplicationExport.objects.values_list("pk", "status"))
    assert statuses == {export.pk: DocumentStatus.EXPIRED, failed.pk: DocumentStatus.EXPIRED,
                        pending.pk: DocumentStatus.PENDING}


def test_the_page_of_an_expired_export_says_so_and_offers_no_file(finished_export,
                                                                  role_client, sweep):
    sweep(retention.exports_expire, T0 + 7 * DAY)
    client = role_client("commission_staff")
    page = client.get(reverse("applications:export_detail", args=[finished_export.pk]))
    text = page.content.decode()
    assert "已过期，请重新导出" in text and 'id="download"' not in text
    download = client.get(reverse("applications:export_download",
                                  args=[finished_export.pk]))
    assert download.status_code == 404
