"""Demo data of the accounts app for `make run`: a credit code blocked by an unconfirmed
registration, and the real company's claim of it waiting for the commission."""

import datetime
import struct
import zlib

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from .enums import OrganisationKind, Role
from .models import Department, Organisation, OrganisationClaim, RoleAssignment, User

SQUATTED_USCC = "91370203MA3R8D2K5T"


def _png(width: int = 120, height: int = 80) -> bytes:
    """A plain light-grey PNG standing in for a scanned business licence."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\xee\xee\xee" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def seed_pending_claim(password: str) -> None:
    """Idempotent: the squatted unit (its registration lapses 48 hours after each run) and one
    pending claim by 青岛市北云链科技有限公司, for the commission to decide in admin."""
    district = Department.objects.get(short_name="市北区")
    organisation, _ = Organisation.objects.update_or_create(
        uscc=SQUATTED_USCC,
        defaults={"name": "市北云链（未确认注册）", "kind": OrganisationKind.ENTERPRISE,
                  "competent_department": district,
                  "registration_expires_at": timezone.now() + datetime.timedelta(
                      hours=settings.REGISTRATION_CONFIRM_HOURS)},
    )
    squatter, _ = User.objects.update_or_create(
        username="unconfirmed_squatter",
        defaults={"real_name": "未确认注册人", "email": "squatter@demo.qingdao.example",
                  "is_active": False, "awaiting_email_confirmation": True},
    )
    RoleAssignment.objects.get_or_create(user=squatter, role=Role.APPLICANT,
                                         organisation=organisation,
                                         defaults={"is_administrator": True})
    if OrganisationClaim.objects.filter(uscc=SQUATTED_USCC).exists():
        return
    claim = OrganisationClaim(
        organisation=organisation, uscc=SQUATTED_USCC, organisation_name="青岛市北云链科技有限公司",
        licence_extension="png", licence_original_name="营业执照.png", real_name="赵云链",
        mobile="13706391234", email="claim_shibei@demo.qingdao.example",
        username="applicant_shibei", password_hash=make_password(password),
        note="本单位从未在平台注册，注册时发现统一社会信用代码已被占用。",
    )
    claim.licence.save("licence", ContentFile(_png()), save=False)
    claim.save()
