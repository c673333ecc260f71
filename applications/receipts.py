"""The 申报回执: what the applicant keeps as proof that its application was submitted.

The receipt shows the public 申报编号, the time of submission and where the application went
(第八条). It is printed from the page or downloaded as a PDF rendered on request: it is one
page, fixed once submitted, and the applicant needs it at once, so it does not wait for the
document worker that renders the 申报表.
"""

import hashlib
import json

from django.template.loader import render_to_string
from django.utils import timezone

from .documents import _refuse_fetch
from .models import Application


def receipt_content(application: Application) -> dict:
    """Everything the receipt shows, as plain data; the page and the PDF render the same."""
    a = application
    submitted_at = timezone.localtime(a.submitted_at) if a.submitted_at else None
    return {
        "receipt_number": a.receipt_number or "",
        "call_title": a.call.title,
        "organisation": a.organisation.name,
        "uscc": a.organisation.uscc,
        "center_name": a.center_name,
        "industry_field": a.industry_field.name if a.industry_field else "",
        "submitted_at": f"{submitted_at:%Y年%m月%d日 %H:%M:%S}" if submitted_at else "",
        "destination": a.destination_label,
        "routed_to_commission": a.routed_to_commission,
        # The unit's receipt: 推荐 / 不予推荐 only once the 主管部门 sent its batch (第八条).
        "status": a.status_for_applicant_display,
        "attachments": [
            {"kind": x.get_kind_display(), "name": x.original_name, "sha256": x.sha256[:16]}
            for x in a.attachments.all()
        ],
        "district_review_deadline": f"{a.call.district_review_deadline:%Y年%m月%d日}",
    }


def receipt_pdf(application: Application) -> bytes:
    """The receipt as PDF bytes (WeasyPrint, no external resource)."""
    from weasyprint import HTML

    content = receipt_content(application)
    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True)
                            .encode()).hexdigest()
    html = render_to_string("applications/pdf/receipt.html",
                            {"receipt": content, "content_hash": digest})
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def receipt_filename(application: Application) -> str:
    return f"申报回执-{application.receipt_number}.pdf"
