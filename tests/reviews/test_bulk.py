"""The inbox's bulk work (第八条): the selected applications' files as one ZIP and the filtered
list as Excel, built in the background, for the official's own department only."""

import datetime
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.demo import sample_pdf
from applications.enums import DocumentStatus
from core.models import AuditEvent
from reviews import bulk
from reviews.bundle_models import BundleKind, ReviewBundle
from tests.factories import ApplicationFactory, AttachmentFactory

pytestmark = pytest.mark.usefixtures("celery_eager", "run_on_commit")

_capture = None


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """The queued build runs when the request's transaction commits, as in production."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


def _post(client, url, data):
    with _capture(execute=True):
        return client.post(url, data)


def _zip_of(client, bundle):
    response = client.get(reverse("reviews:bundle_download", args=[bundle.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _request_zip(client, ids):
    return _post(client, reverse("reviews:bundle_files"), {"application": ids})


def test_one_folder_per_application_with_its_files(submitted_a, open_call, role_client):
    second = ApplicationFactory(submitted=True, call=open_call, attachments=False)
    second.organisation.name = "../../etc/青岛:某*单位"
    second.organisation.save()
    second.receipt_number = "2026-崂山-0999"
    second.save(update_fields=["receipt_number"])
    for name in ("../../../../etc/passwd.pdf", "..\\..\\boot.pdf", "证明.pdf", "证明.pdf",
                 "证明.PDF", ".pdf"):
        AttachmentFactory(application=second, original_name=name)
    client = role_client("district_official")
    response = _request_zip(client, [submitted_a.pk, second.pk])
    bundle = ReviewBundle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:bundle_detail", args=[bundle.pk])
    assert bundle.status == DocumentStatus.READY and bundle.item_count == 2

    archive = _zip_of(client, bundle)
    names = archive.namelist()
    assert archive.testzip() is None
    for name in names:
        parts = name.split("/")
        assert len(parts) == 2 and ".." not in parts and "\\" not in name
        assert not name.startswith("/")
    folders = {name.split("/")[0] for name in names}
    assert folders == {f"{submitted_a.receipt_number}_{submitted_a.organisation.name}",
                       f"{second.receipt_number}_etc_青岛_某_单位"}
    own = sorted(n.split("/")[1] for n in names if n.startswith(second.receipt_number))
    # Original names with the detected type's extension, each once, nothing outside.
    assert len(own) == len(set(n.casefold() for n in own)) == 6 + (
        1 if second.submitted_document_id else 0)
    assert "证明.pdf" in own and "证明 (2).pdf" in own and "证明 (3).pdf" in own
    first_files = [n for n in names if n.startswith(submitted_a.receipt_number)]
    assert len(first_files) == submitted_a.attachments.count() + (
        1 if submitted_a.submitted_document_id else 0)
    attachment = submitted_a.attachments.first()
    stored = [n for n in first_files if n.endswith(attachment.served_name)]
    with attachment.file.open("rb") as source:
        assert archive.read(stored[0]) == source.read()


def test_the_rendered_form_pdf_is_in_the_folder(submitted_a, role_client):
    from applications.models import ApplicationDocument

    document = ApplicationDocument.objects.create(
        application=submitted_a, variant="form", content_hash="c" * 64, is_draft=False,
        status=DocumentStatus.READY, file=ContentFile(sample_pdf("申报表"), name="form.pdf"))
    submitted_a.submitted_document = document
    submitted_a.save(update_fields=["submitted_document"])
    client = role_client("district_official")
    _request_zip(client, [submitted_a.pk])
    archive = _zip_of(client, ReviewBundle.objects.get())
    assert archive.read(f"{submitted_a.receipt_number}_{submitted_a.organisation.name}/申报表.pdf"
                        ).startswith(b"%PDF-")


def test_another_districts_application_is_silently_left_out(submitted_a, submitted_b,
                                                            role_client):
    client = role_client("district_official")
    _request_zip(client, [submitted_a.pk, submitted_b.pk])
    bundle = ReviewBundle.objects.get()
    assert bundle.application_ids == [submitted_a.pk]
    folders = {n.split("/")[0] for n in _zip_of(client, bundle).namelist()}
    assert not any(submitted_b.receipt_number in f for f in folders)
    assert AuditEvent.objects.filter(action="district_review.bundle_request",
                                     after__applications=[submitted_a.pk]).exists()


def test_a_selection_of_only_other_districts_creates_nothing(submitted_b, role_client):
    response = _request_zip(role_client("district_official"), [submitted_b.pk, 999999])
    assert response.status_code == 302 and response["Location"] == reverse("reviews:inbox")
    assert not ReviewBundle.objects.exists()


def test_another_district_gets_404_for_the_bundle(submitted_a, role_client):
    client = role_client("district_official")
    _request_zip(client, [submitted_a.pk])
    bundle = ReviewBundle.objects.get()
    other = role_client("district_official_b")
    assert other.get(reverse("reviews:bundle_detail", args=[bundle.pk])).status_code == 404
    assert other.get(reverse("reviews:bundle_download", args=[bundle.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="district_review.bundle_download").exists()


def test_download_is_audited(submitted_a, role_client, official_laoshan):
    client = role_client("district_official")
    _request_zip(client, [submitted_a.pk])
    _zip_of(client, ReviewBundle.objects.get())
    assert AuditEvent.objects.filter(action="district_review.bundle_download",
                                     actor=official_laoshan).exists()


def test_the_status_page_shows_progress_then_the_download(submitted_a, official_laoshan,
                                                          role_client):
    bundle = ReviewBundle.objects.create(kind=BundleKind.FILES, requested_by=official_laoshan,
                                         department_id=submitted_a.routed_department_id,
                                         application_ids=[submitted_a.pk], items_total=1)
    client = role_client("district_official")
    page = client.get(reverse("reviews:bundle_detail", args=[bundle.pk])).content.decode()
    assert "正在生成" in page and 'http-equiv="refresh"' in page and "0 / 1" in page
    bulk.bundle_build(bundle_id=bundle.pk)
    page = client.get(reverse("reviews:bundle_detail", args=[bundle.pk])).content.decode()
    assert reverse("reviews:bundle_download", args=[bundle.pk]) in page


def test_the_excel_list_holds_the_filtered_rows_of_the_department(open_call, submitted_a,
                                                                  submitted_b, role_client):
    ApplicationFactory(returned=True, call=open_call, center_name="乙赋能中心")
    client = role_client("district_official")
    response = _post(client, reverse("reviews:bundle_list"), {"status": "submitted"})
    bundle = ReviewBundle.objects.get()
    assert response["Location"] == reverse("reviews:bundle_detail", args=[bundle.pk])
    assert bundle.params == {"status": "submitted"} and bundle.item_count == 1
    download = client.get(reverse("reviews:bundle_download", args=[bundle.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("系统编号", "申报编号") and len(rows) == 2
    # The commission's export's columns.
    assert rows[1][:2] == (submitted_a.pk, submitted_a.receipt_number)
    assert "乙赋能中心" not in str(rows)


def test_the_inbox_offers_both(submitted_a, role_client):
    page = role_client("district_official").get(reverse("reviews:inbox")).content.decode()
    assert reverse("reviews:bundle_files") in page and reverse("reviews:bundle_list") in page


def test_finished_bundles_expire_after_the_exports_retention(submitted_a, official_laoshan,
                                                             settings):
    bundle = ReviewBundle.objects.create(kind=BundleKind.FILES, requested_by=official_laoshan,
                                         department_id=submitted_a.routed_department_id,
                                         application_ids=[submitted_a.pk])
    bulk.bundle_build(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    name = bundle.file.name
    storage = bundle.file.storage
    assert storage.exists(name)
    later = bundle.finished_at + datetime.timedelta(days=settings.EXPORT_RETENTION_DAYS)
    assert bulk.review_bundles_expire(later - datetime.timedelta(seconds=1)) == 0
    with _capture(execute=True):
        assert bulk.review_bundles_expire(later) == 1
    assert bulk.review_bundles_expire(later) == 0
    bundle.refresh_from_db()
    assert bundle.status == DocumentStatus.EXPIRED and not bundle.file
    assert not storage.exists(name)


def test_the_sweep_runs_the_expiry():
    from core.sweep import registered_checks

    assert bulk.review_bundles_expire in registered_checks()


def test_zip_component_is_one_safe_name():
    for raw in ("..", ".", "", "CON", "a/b\\c", "名\x00称", " . "):
        name = bulk.zip_component(raw, "附件")
        assert name not in ("", ".", "..") and "/" not in name and "\\" not in name
        assert "\x00" not in name and name.upper() != "CON"


def test_a_task_delivered_twice_builds_once(submitted_a, official_laoshan):
    bundle = ReviewBundle.objects.create(kind=BundleKind.FILES, requested_by=official_laoshan,
                                         department_id=submitted_a.routed_department_id,
                                         application_ids=[submitted_a.pk])
    first = bulk.bundle_build(bundle_id=bundle.pk)
    second = bulk.bundle_build(bundle_id=bundle.pk)
    assert first.file.name == second.file.name
    assert timezone.now() >= second.finished_at


def test_a_bundle_stuck_pending_is_queued_again_by_the_sweep(submitted_a, official_laoshan):
    bundle = ReviewBundle.objects.create(kind=BundleKind.FILES, requested_by=official_laoshan,
                                         department_id=submitted_a.routed_department_id,
                                         application_ids=[submitted_a.pk])
    now = timezone.now()
    assert bulk.review_bundles_requeue(now) == 0  # just requested: not stale yet
    later = now + bulk.STALE_AFTER + datetime.timedelta(seconds=1)
    assert bulk.review_bundles_requeue(later) == 1
    bundle.refresh_from_db()
    assert bundle.status == DocumentStatus.READY  # the eager queue built it
    assert bulk.review_bundles_requeue(later) == 0
