"""授牌 (第九条（四））: the plaque certificate, its QR code, public verification by token or
number, and the public directory of designated centers."""

import datetime
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from centers import designation, plaques
from centers.enums import CenterStatus, NoticeStatus
from centers.models import Center, PublicNotice
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def centers(make_notice, commission_staff, django_capture_on_commit_callbacks, celery_eager):
    notice = make_notice()
    PublicNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.CLOSED)
    notice.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        return designation.notice_finalise(notice=notice, actor=commission_staff)


def _png_of(pdf_path, tmp_path):
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf_path), str(out)],
                   check=True)
    return tmp_path / "page.png"


def test_the_certificate_holds_the_name_and_number_and_its_qr_opens_the_page(
        centers, tmp_path, client, settings):
    import zxingcpp
    from PIL import Image

    plaque = centers[0].plaques.get()
    pdf_path = tmp_path / "plaque.pdf"
    pdf_path.write_bytes(plaque.certificate.read())
    text = subprocess.run(["pdftotext", "-layout", str(pdf_path), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert centers[0].name in text.replace(" ", "")
    assert plaque.number in text
    assert "青岛市发展和改革委员会" in text
    decoded = zxingcpp.read_barcodes(Image.open(_png_of(pdf_path, tmp_path)))
    assert len(decoded) == 1
    url = decoded[0].text
    assert url == plaques.verification_url(plaque)
    assert url.startswith(settings.SITE_URL) and plaque.number not in url
    page = client.get(url.removeprefix(settings.SITE_URL.rstrip("/")))
    assert page.status_code == 200
    body = page.content.decode()
    assert centers[0].name in body and plaque.number in body and "有效" in body


def test_revoked_shows_on_the_next_request(centers, client):
    plaque = centers[0].plaques.get()
    url = reverse("centers:verify_token", args=[plaque.token])
    assert 'id="verify-status">有效' in client.get(url).content.decode()
    Center.objects.filter(pk=centers[0].pk).update(status=CenterStatus.REVOKED,
                                                   revoked_on=timezone.localdate())
    body = client.get(url).content.decode()
    assert "已撤销" in body and f"{timezone.localdate():%Y年%-m月%-d日}" in body


def test_unknown_and_tampered_tokens_answer_exactly_alike(centers, client):
    token = centers[0].plaques.get().token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    unknown = plaques.plaque_token()
    answers = [client.get(reverse("centers:verify_token", args=[t])) for t in (tampered, unknown)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    assert "未找到该牌匾" in answers[0].content.decode()


def test_a_reissued_plaque_gets_a_new_token_and_the_old_one_says_it_was_replaced(
        centers, client, commission_staff, applicant_a):
    old = centers[0].plaques.get()
    with pytest.raises(PermissionDenied):
        plaques.plaque_reissue(center=centers[0], actor=applicant_a)
    new = plaques.plaque_reissue(center=centers[0], actor=commission_staff, reason="牌匾损坏")
    assert new.token != old.token and new.number == old.number
    body = client.get(reverse("centers:verify_token", args=[old.token])).content.decode()
    assert "换发" in body and new.number in body and 'id="verify-status">有效' not in body
    fresh = client.get(reverse("centers:verify_token", args=[new.token])).content.decode()
    assert 'id="verify-status">有效' in fresh
    assert AuditEvent.objects.filter(action="plaque.reissue").exists()
    # The number now finds the new plaque.
    by_number = client.get(reverse("centers:verify"), {"number": new.number}).content.decode()
    assert 'id="verify-status">有效' in by_number


def test_the_number_typed_on_the_page_finds_the_center(centers, client):
    plaque = centers[1].plaques.get()
    body = client.get(reverse("centers:verify"), {"number": plaque.number}).content.decode()
    assert centers[1].lead_unit_name in body and 'id="verify-status">有效' in body
    missing = client.get(reverse("centers:verify"), {"number": "青数赋-1999-999"})
    assert "未找到该牌匾" in missing.content.decode()
    # As a Chinese input method types it: full-width digits and dash, ——, spaces.
    wide = plaque.number.translate(str.maketrans("-0123456789", "－０１２３４５６７８９"))
    for typed in (wide, plaque.number.replace("-", "——"), f" {plaque.number.replace('-', ' - ')} "):
        body = client.get(reverse("centers:verify"), {"number": typed}).content.decode()
        assert centers[1].lead_unit_name in body, typed


def test_the_certificate_downloads_for_the_commission_and_the_unit_only(
        centers, client, commission_staff, applicant_b, official_laoshan):
    from applications.services import organisation_members

    plaque = centers[0].plaques.get()
    url = reverse("centers:certificate_download", args=[plaque.pk])
    member = organisation_members(centers[0].application.organisation_id)[0]
    for user in (commission_staff, member):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="plaque.certificate_download").count() == 2
    for user in (applicant_b, official_laoshan):
        if user.pk == member.pk:
            continue
        client.force_login(user)
        assert client.get(url).status_code == 403


# --- the public directory -----------------------------------------------------------------

def _more_centers(center, count):
    for n in range(count):
        Center.objects.create(
            application=_application_like(center, n), notice=center.notice,
            name=f"赋能中心{n}", lead_unit_name=f"单位{n}", designated_on=center.designated_on,
            industry_field=center.industry_field, department=center.department)


def _application_like(center, n):
    from tests.experts.conftest import expert_review_application

    return expert_review_application(center.application.call)


def test_the_directory_filters_and_lists_revoked_centers_apart(centers, client):
    first, second = centers
    Center.objects.filter(pk=second.pk).update(status=CenterStatus.REVOKED,
                                               revoked_on=timezone.localdate())
    listing = client.get(reverse("centers:center_list")).content.decode()
    assert reverse("centers:center_detail", args=[first.pk]) in listing
    assert reverse("centers:center_detail", args=[second.pk]) not in listing
    revoked = client.get(reverse("centers:revoked_list")).content.decode()
    assert reverse("centers:center_detail", args=[second.pk]) in revoked
    year = first.designated_on.year
    for params, shown in (({"field": first.industry_field_id}, True),
                          ({"year": year}, True), ({"year": year - 1}, False),
                          ({"department": first.department_id or "city"}, True),
                          ({"department": "city" if first.department_id else 999999}, False)):
        body = client.get(reverse("centers:center_list"), params).content.decode()
        assert (reverse("centers:center_detail", args=[first.pk]) in body) is shown, params
    detail = client.get(reverse("centers:center_detail", args=[first.pk])).content.decode()
    assert first.name in detail and first.plaques.get().number in detail
    assert "下载授牌证书" not in detail  # anonymous


@pytest.mark.parametrize("rows", [1, 30])
def test_the_directory_query_count_is_fixed(centers, client, rows,
                                            django_assert_max_num_queries):
    if rows == 1:
        Center.objects.filter(pk=centers[1].pk).update(status=CenterStatus.REVOKED)
    else:
        _more_centers(centers[0], rows - len(centers))
    assert Center.objects.filter(status=CenterStatus.ACTIVE).count() == rows
    with django_assert_max_num_queries(8):
        response = client.get(reverse("centers:center_list"))
    assert response.status_code == 200
    with django_assert_max_num_queries(4):
        client.get(reverse("centers:revoked_list"))


# --- the sweep that renders missing certificates -----------------------------------------

@pytest.fixture
def plaques_without_certificates(make_notice, commission_staff,
                                 django_capture_on_commit_callbacks):
    """Two plaques whose render never ran (the broker was down when the notice was
    finalised: the queued callbacks are dropped)."""
    notice = make_notice()
    PublicNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.CLOSED)
    notice.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False):
        made = designation.notice_finalise(notice=notice, actor=commission_staff)
    return [c.plaques.get() for c in made]


def test_the_sweep_renders_missing_certificates_once_per_plaque_per_run(
        plaques_without_certificates, celery_eager, monkeypatch):
    from centers.models import Plaque
    from centers.tasks import render_plaque_certificate
    from core.sweep import registered_checks, run_deadline_sweep

    assert plaques.requeue_missing_certificates in registered_checks()
    old, fresh = plaques_without_certificates
    assert not old.certificate and not fresh.certificate
    now = timezone.now()
    Plaque.objects.filter(pk=old.pk).update(
        created_at=now - plaques.CERTIFICATE_STALE_AFTER - datetime.timedelta(seconds=1))
    queued = []
    original = render_plaque_certificate.apply_async

    def spy(args=None, **kwargs):
        queued.append(tuple(args))
        return original(args=args, **kwargs)

    monkeypatch.setattr(render_plaque_certificate, "apply_async", spy)
    # A plaque issued a moment ago is still the worker's: only the stale one is queued.
    assert run_deadline_sweep(now)["centers.plaques.requeue_missing_certificates"] == 1
    assert queued == [(old.pk,)]
    old.refresh_from_db(), fresh.refresh_from_db()
    assert old.certificate and not fresh.certificate
    # Rendered: the next run leaves it alone.
    later = now + plaques.CERTIFICATE_STALE_AFTER + datetime.timedelta(seconds=1)
    assert plaques.requeue_missing_certificates(later) == 1
    assert queued == [(old.pk,), (fresh.pk,)]
    fresh.refresh_from_db()
    assert fresh.certificate
    assert plaques.requeue_missing_certificates(later) == 0


def test_redis_down_at_finalising_the_sweep_renders_the_certificates_later(
        make_notice, commission_staff, django_capture_on_commit_callbacks, celery_eager):
    from centers.models import Plaque
    from tests.applications.test_broker_down import broker_down

    notice = make_notice()
    PublicNotice.objects.filter(pk=notice.pk).update(status=NoticeStatus.CLOSED)
    notice.refresh_from_db()
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        made = designation.notice_finalise(notice=notice, actor=commission_staff)
        # Finalising answered; the queueing was dropped, and so is the sweep's while down.
        later = timezone.now() + plaques.CERTIFICATE_STALE_AFTER + datetime.timedelta(minutes=1)
        assert plaques.requeue_missing_certificates(later) == 0
    first, second = (c.plaques.get() for c in made)
    assert not first.certificate and not second.certificate
    # A reissued plaque's predecessor needs no certificate any more.
    Plaque.objects.filter(pk=second.pk).update(replaced_at=timezone.now())
    assert plaques.requeue_missing_certificates(later) == 1
    first.refresh_from_db(), second.refresh_from_db()
    assert first.certificate and not second.certificate
