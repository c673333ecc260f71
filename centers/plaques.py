"""Plaques of the designated centers (授牌, 第九条（四）): the printed number, the random token of
the verification link, and the certificate PDF with its QR code.

The number is `青数赋-<year>-<NNN>`, taken from the year's PlaqueCounter under a row lock, so
numbers are unique and gapless per year even when two notices are finalised at once. The
token is `secrets.token_urlsafe(24)` (192 bits), never derived from the number: the number is
printed, the token is only in the QR code.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from core.queue import enqueue, enqueue_on_commit
from core.sweep import deadline_check

from .models import Center, Plaque, PlaqueCounter

logger = logging.getLogger(__name__)

ISSUER = "青岛市发展和改革委员会"
PREFIX = "青数赋"
CERTIFICATE_TEMPLATE = "centers/pdf/plaque_certificate.html"
# A certificate not rendered this long after its plaque was issued is queued again by the sweep
# (the broker was down at finalising, or a worker died or failed on it).
CERTIFICATE_STALE_AFTER = datetime.timedelta(minutes=5)
REQUEUE_BATCH = 200


def plaque_number_take(year: int) -> str:
    """The next plaque number of `year` (青数赋-2026-001). Must run inside a transaction: the
    counter row stays locked until it commits, so a second finaliser waits and takes the next
    number; a rolled-back transaction gives its numbers back (gapless)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("plaque_number_take needs a transaction")
    PlaqueCounter.objects.bulk_create([PlaqueCounter(year=year)], ignore_conflicts=True)
    counter = PlaqueCounter.objects.select_for_update().get(year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence"])
    return f"{PREFIX}-{year}-{counter.last_sequence:03d}"


def plaque_token() -> str:
    """A fresh verification token: 24 random bytes (192 bits), URL-safe."""
    return secrets.token_urlsafe(24)


def plaque_issue(*, center: Center, issued_on, number: str = "") -> Plaque:
    """A plaque for `center` (a new number of the designation year unless `number` is given)
    and its certificate queued for rendering (tasks.render_plaque_certificate)."""
    from .tasks import render_plaque_certificate

    plaque = Plaque.objects.create(
        center=center, number=number or plaque_number_take(issued_on.year),
        token=plaque_token(), issued_on=issued_on)
    enqueue_on_commit(render_plaque_certificate, plaque.pk)
    return plaque


def verification_url(plaque: Plaque) -> str:
    """The absolute address of the plaque's public verification page (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + reverse("centers:verify_token", args=[plaque.token])


def qr_svg(text: str) -> str:
    """A QR code of `text` as inline SVG markup (segno; medium error correction)."""
    import segno

    return segno.make(text, error="m", micro=False).svg_inline(scale=5, border=4)


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"external resources are not loaded: {url}")


def certificate_pdf(plaque: Plaque) -> bytes:
    """The 授牌证书 PDF bytes of `plaque`: the center, its units, the number, the date, the
    issuer and a QR code of its verification URL."""
    from weasyprint import HTML  # heavy import; only renderers need it

    center = plaque.center
    html = render_to_string(CERTIFICATE_TEMPLATE, {
        "plaque": plaque, "center": center, "issuer": ISSUER,
        "qr": qr_svg(verification_url(plaque))})
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def certificate_render(*, plaque_id: int) -> Plaque:
    """For the worker: renders and stores the plaque's certificate (idempotent: a plaque with
    a certificate is left as is)."""
    plaque = Plaque.objects.select_related("center").get(pk=plaque_id)
    if plaque.certificate:
        return plaque
    pdf = certificate_pdf(plaque)
    storage = plaque.certificate.storage
    name = storage.save(plaque.certificate.field.generate_filename(plaque, "certificate.pdf"),
                        ContentFile(pdf))
    if not Plaque.objects.filter(pk=plaque_id, certificate="").update(certificate=name):
        storage.delete(name)
    plaque.refresh_from_db()
    return plaque


def plaque_reissue(*, center: Center, actor, reason: str = "") -> Plaque:
    """换发: a new plaque of `center` with the same printed number and a new token (and a new
    certificate); the current one is marked replaced, so its old QR code says so. Raises
    PermissionDenied (not commission staff). Audited (`plaque.reissue`)."""
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from core.audit import audit_record

    if not actor.has_perm("centers.publish_notice"):
        raise PermissionDenied("只有市发展改革委工作人员可以换发牌匾。")
    with transaction.atomic():
        current = (Plaque.objects.select_for_update().filter(center=center,
                                                            replaced_at__isnull=True)
                   .order_by("-created_at", "-id").first())
        if current is not None:
            Plaque.objects.filter(pk=current.pk).update(replaced_at=timezone.now())
        plaque = plaque_issue(center=center, issued_on=timezone.localdate(),
                              number=current.number if current else "")
        audit_record(action="plaque.reissue", actor=actor, target=plaque, note=reason,
                     before={"plaque": current.pk if current else None},
                     after={"plaque": plaque.pk, "number": plaque.number})
    return plaque


@deadline_check
def requeue_missing_certificates(now) -> int:
    """授牌证书 still missing CERTIFICATE_STALE_AFTER after their plaque was issued (the render
    failed or never ran: Redis down when the notice was finalised) are queued again, each
    plaque once per run, at most REQUEUE_BATCH, oldest first; replaced plaques are left alone.
    The task is idempotent, so a render that was only slow does no harm. Returns how many
    were handed to the broker (or rendered, without one)."""
    from .tasks import render_plaque_certificate

    missing = (Plaque.objects.filter(certificate="", replaced_at__isnull=True,
                                     created_at__lt=now - CERTIFICATE_STALE_AFTER)
               .order_by("pk").values_list("pk", flat=True)[:REQUEUE_BATCH])
    return sum(enqueue(render_plaque_certificate, pk) for pk in list(missing))
