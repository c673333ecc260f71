"""The 主管部门's file pages: an attachment shown inside the review page, and the bulk ZIP and
Excel list of the inbox with their status pages (第八条)."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from applications.enums import DocumentStatus
from applications.models import Attachment
from core.audit import audit_record
from core.downloads import private_download
from core.formtokens import form_once

from . import bulk, selectors
from .files import attachment_inline_type, file_response, not_inline_response
from .forms import InboxFilterForm
from .views import official_only


@require_GET
@official_only
@private_download
def attachment_inline(request, pk, attachment_pk):
    """The attachment for the review page's viewer: inline when its content is a PDF, PNG or
    JPEG (`files.inline_type`); otherwise a plain-text notice in its place (the file is
    downloaded through its own link); 404 outside the department."""
    application = get_object_or_404(selectors.applications_for_review(request.user), pk=pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    detected = attachment_inline_type(attachment)
    audit_record(action="district_review.attachment_view", actor=request.user,
                 target=application, request=request,
                 after={"attachment": attachment.pk, "kind": attachment.kind,
                        "name": attachment.original_name, "sha256": attachment.sha256,
                        "inline": detected is not None})
    if detected is None:
        return not_inline_response()
    return file_response(attachment.file.open("rb"), name=attachment.served_name,
                         detected=detected)


@require_POST
@official_only
def bundle_files(request):
    ids = [int(pk) for pk in request.POST.getlist("application") if pk.isdigit()]
    try:
        with form_once(request, purpose="district_review_bundle",
                       fallback_url=reverse("reviews:inbox")) as once:
            bundle = bulk.bundle_files_request(actor=request.user, application_ids=ids)
            once.result_url = reverse("reviews:bundle_detail", args=[bundle.pk])
    except bulk.BulkError as error:
        messages.error(request, str(error))
        return redirect("reviews:inbox")
    return redirect("reviews:bundle_detail", bundle.pk)


@require_POST
@official_only
def bundle_list(request):
    form = InboxFilterForm(request.POST, calls=list(selectors.review_calls(request.user)),
                           fields=list(selectors.review_industry_fields()))
    if not form.is_valid():
        messages.error(request, "筛选条件无效，请重新筛选后再导出。")
        return redirect("reviews:inbox")
    with form_once(request, purpose="district_review_bundle",
                   fallback_url=reverse("reviews:inbox")) as once:
        bundle = bulk.bundle_list_request(actor=request.user, filters=form.cleaned_data)
        once.result_url = reverse("reviews:bundle_detail", args=[bundle.pk])
    return redirect("reviews:bundle_detail", bundle.pk)


@require_GET
@official_only
def bundle_detail(request, pk):
    bundle = get_object_or_404(bulk.bundles_visible_to(request.user), pk=pk)
    return render(request, "reviews/bundle_detail.html", {
        "bundle": bundle,
        "pending": bundle.status == DocumentStatus.PENDING,
        "retention_days": settings.EXPORT_RETENTION_DAYS,
    })


@require_GET
@official_only
@private_download
def bundle_download(request, pk):
    bundle = get_object_or_404(bulk.bundles_visible_to(request.user), pk=pk)
    if bundle.status != DocumentStatus.READY or not bundle.file:
        raise Http404("文件尚未生成。")
    # The file holds several applications' materials: who took a copy is part of the record.
    audit_record(action="district_review.bundle_download", actor=request.user, target=bundle,
                 request=request, after={"kind": bundle.kind,
                                         "applications": bundle.application_ids})
    content_type = ("application/zip" if bundle.kind == "zip" else
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return FileResponse(bundle.file.open("rb"), as_attachment=True,
                        filename=bundle.download_name, content_type=content_type)
