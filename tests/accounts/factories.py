"""Builders for the accounts app's own records: claims of a registered unit."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts import services
from accounts.models import Organisation, OrganisationClaim

# The smallest PNG a licence check accepts (signature + IHDR), and a PDF with a BOM in front.
PNG_LICENCE = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
PDF_LICENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def licence_upload(content: bytes = PNG_LICENCE, name: str = "营业执照.png"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def claim_of(organisation: Organisation, *, username: str = "claimant_admin",
             email: str = "claim@yunfan.example") -> OrganisationClaim:
    """A pending claim of `organisation` as the claim page would record it."""
    return services.organisation_claim_submit(
        uscc=organisation.uscc, organisation_name="青岛云帆智能制造有限公司",
        licence=licence_upload(), licence_extension="png", real_name="王晓云",
        mobile="13912345678", email=email, username=username, password="Haibin!8848",
        note="本单位从未注册。",
    )
