from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.selectors import user_primary_organisation

from . import documents, services
from .completeness import checklist
from .content_audit import application_read_record
from .eligibility import eligibility_problems
from .enums import AttachmentKind, DocumentStatus, DocumentVariant, UnitRole
from .forms import (
    AttachmentForm,
    CenterForm,
    CommitmentForm,
    GoalsForm,
    JointUnitChoiceForm,
    LeadUnitForm,
    PlanForm,
    ServiceForm,
    UnitForm,
)
from .models import ApplicationDocument, ApplicationUnit, Attachment
from .selectors import (
    application_of_organisation,
    application_timeline,
    application_with_details,
    applications_visible_to,
    calls_published,
)
from .steps import STEP_KEYS, STEP_TITLES, STEPS, next_step, previous_step
from .texts import JOINT_COMMITMENT, LEAD_COMMITMENT


def call_detail(request, pk):
    call = get_object_or_404(calls_published(), pk=pk)
    existing = None
    organisation = user_primary_organisation(request.user)
    if organisation is not None:
        existing = application_of_organisation(call=call, organisation_ids=[organisation.pk])
    return render(request, "applications/call_detail.html", {
        "call": call,
        "materials": call.materials.all(),
        "existing": existing,
        "window_refusal": services.call_window_refusal(call),
    })


@login_required
@require_POST
def application_start(request, call_pk):
    call = get_object_or_404(calls_published(), pk=call_pk)
    organisation = user_primary_organisation(request.user)
    if organisation is None:
        raise PermissionDenied(services.CANNOT_APPLY)
    try:
        application = services.application_start(call=call, organisation=organisation,
                                                 actor=request.user)
    except services.ApplicationExists as exists:
        messages.info(request, str(exists))
        return redirect("applications:detail", exists.application.pk)
    except services.ApplicationError as error:
        messages.error(request, str(error))
        return redirect("applications:call_detail", call.pk)
    return redirect("applications:step", application.pk, "lead")


def _visible_application(request, pk):
    return get_object_or_404(application_with_details(applications_visible_to(request.user)),
                             pk=pk)


@login_required
def application_detail(request, pk):
    application = _visible_application(request, pk)
    can_edit = request.user.has_perm("applications.edit_application", application)
    return render(request, "applications/detail.html", {
        "application": application,
        "checklist": checklist(application),
        "eligibility_problems": eligibility_problems(application),
        "history": application_timeline(application),
        "can_edit": can_edit,
        "edit_refusal": services.application_edit_refusal(application) if can_edit else None,
        "can_withdraw": any(move.name == "withdraw" for move in
                            services.APPLICATION_WORKFLOW.available_moves(application,
                                                                          request.user)),
        "lead_commitment": LEAD_COMMITMENT,
        "joint_commitment": JOINT_COMMITMENT,
        "documents": documents.documents_overview(application),
    })


def _step_forms(step, application, data=None, files=None):
    """The forms that make up one step, bound to `data` when posted."""
    if step == "lead":
        return {"unit": LeadUnitForm(data, instance=application.lead_unit, prefix="lead")}
    if step == "joint":
        joint = next((u for u in application.units.all() if u.role == UnitRole.JOINT), None)
        choice = JointUnitChoiceForm(data, prefix="choice",
                                     initial={"has_joint_unit": "1" if application.has_joint_unit
                                              else "0"})
        unit = UnitForm(data, instance=joint or ApplicationUnit(application=application,
                                                                role=UnitRole.JOINT),
                        prefix="joint")
        return {"choice": choice, "unit": unit}
    if step == "center":
        return {"form": CenterForm(data, instance=application)}
    if step == "service":
        return {"form": ServiceForm(data, instance=application)}
    if step == "goals":
        return {"form": GoalsForm(data, instance=application)}
    if step == "plan":
        return {"form": PlanForm(data, instance=application)}
    if step == "attachments":
        return {"upload": AttachmentForm(data, files)}
    if step == "commitment":
        return {"form": CommitmentForm(data, initial={
            "lead_commitment": application.lead_commitment_at is not None,
            "joint_commitment": application.joint_commitment_at is not None,
        })}
    raise Http404


def _go_after_save(request, application, step):
    if "save_and_stay" in request.POST:
        messages.success(request, "已保存草稿。")
        return redirect("applications:step", application.pk, step)
    if "previous" in request.POST and previous_step(step):
        return redirect("applications:step", application.pk, previous_step(step))
    return redirect("applications:step", application.pk, next_step(step))


@login_required
@require_http_methods(["GET", "POST"])
def application_step(request, pk, step):
    if step not in STEP_KEYS:
        raise Http404
    application = _visible_application(request, pk)
    if not request.user.has_perm("applications.edit_application", application):
        raise PermissionDenied("您无权修改此申报。")
    refusal = services.application_edit_refusal(application)
    forms = _step_forms(step, application,
                        request.POST if request.method == "POST" else None,
                        request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        if refusal:
            messages.error(request, refusal)
            return redirect("applications:detail", application.pk)
        response = _handle_step_post(request, application, step, forms)
        if response is not None:
            return response
        messages.error(request, "部分内容有误，请按提示修改；其余内容已保存。")
    elif application.current_step != step and refusal is None:
        services.application_remember_step(application=application, actor=request.user,
                                           step=step)
    return render(request, "applications/step.html", {
        "application": application,
        "step": step,
        "step_title": STEP_TITLES[step],
        "steps": STEPS,
        "checklist": checklist(application),
        "can_edit": True,
        "destination": services.destination_preview(application.organisation)
        if step == "commitment" else "",
        "forms": forms,
        "refusal": refusal,
        "previous_step": previous_step(step),
        "lead_commitment": LEAD_COMMITMENT,
        "joint_commitment": JOINT_COMMITMENT,
        "attachment_kinds": AttachmentKind,
        "eligibility_problems": eligibility_problems(application) if step == "commitment" else [],
        "limited_fields": ("service_summary", "construction_content"),
        "upload_limits": services.upload_limits(),
        "documents": documents.documents_overview(application) if step == "commitment" else [],
    })


def _handle_step_post(request, application, step, forms):
    """Returns a redirect when the step saved cleanly; None to show the errors."""
    actor = request.user
    back_to = request.POST.get("return_to")
    back_to = back_to if back_to in STEP_KEYS else step
    try:
        if step == "attachments":
            upload = forms["upload"]
            if "upload" not in request.POST:
                services.application_remember_step(application=application, actor=actor,
                                                   step=next_step(step))
                return _go_after_save(request, application, step)
            if not upload.is_valid():
                if back_to != step:
                    messages.error(request, "；".join(e for errs in upload.errors.values()
                                                      for e in errs))
                    return redirect("applications:step", application.pk, back_to)
                return None
            services.attachment_add(application=application, actor=actor,
                                    kind=upload.cleaned_data["kind"],
                                    uploaded_file=upload.cleaned_data["file"])
            messages.success(request, f"已上传“{upload.cleaned_data['file'].name}”。")
            return redirect("applications:step", application.pk, back_to)
        if step == "commitment":
            form = forms["form"]
            form.is_valid()
            services.application_record_commitments(
                application=application, actor=actor,
                lead=form.cleaned_data.get("lead_commitment", False),
                joint=form.cleaned_data.get("joint_commitment", False),
            )
            if "submit_application" in request.POST:
                services.application_submit(application=application, actor=actor)
                messages.success(request, "申报已提交。")
                return redirect("applications:detail", application.pk)
            messages.success(request, "已保存。")
            return redirect("applications:step", application.pk, step)
        if step == "joint":
            choice = forms["choice"]
            if not choice.is_valid():
                return None
            has_joint = choice.cleaned_data["has_joint_unit"]
            services.application_set_joint_unit(application=application, actor=actor,
                                                has_joint_unit=has_joint)
            if has_joint:
                application = _visible_application(request, application.pk)
                forms["unit"].instance = application.joint_unit
                unit_forms = [forms["unit"]]
            else:
                unit_forms = []
        else:
            unit_forms = list(forms.values())
        all_valid = services.application_save_step(application=application, actor=actor,
                                                   step=step, forms=unit_forms,
                                                   next_step=next_step(step))
    except services.ApplicationError as error:
        messages.error(request, str(error))
        if step in ("attachments", "commitment"):
            return redirect("applications:step", application.pk, back_to)
        return None
    if not all_valid:
        return None
    return _go_after_save(request, application, step)


@login_required
@require_POST
def application_submit(request, pk):
    application = _visible_application(request, pk)
    try:
        services.application_submit(application=application, actor=request.user)
    except services.ApplicationError as error:
        messages.error(request, str(error))
        return redirect("applications:step", application.pk, "commitment")
    messages.success(request, "申报已提交。")
    return redirect("applications:detail", application.pk)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _visible_application(request, pk)
    try:
        services.application_withdraw(application=application, actor=request.user,
                                      reason=request.POST.get("reason", ""))
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "申报已撤回。")
    return redirect("applications:detail", application.pk)


def _visible_attachment(request, pk, attachment_pk):
    application = _visible_application(request, pk)
    return get_object_or_404(Attachment.objects.select_related("application"),
                             pk=attachment_pk, application=application)


@login_required
def attachment_download(request, pk, attachment_pk):
    attachment = _visible_attachment(request, pk, attachment_pk)
    application_read_record(application=attachment.application, reader=request.user,
                            what="attachment", request=request,
                            detail={"attachment": attachment.pk, "kind": attachment.kind,
                                    "name": attachment.original_name})
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    attachment = _visible_attachment(request, pk, attachment_pk)
    try:
        services.attachment_remove(attachment=attachment, actor=request.user)
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"已删除“{attachment.original_name}”。")
    return redirect(reverse("applications:step", args=[pk, "attachments"]))


def _variant(variant: str) -> DocumentVariant:
    try:
        return DocumentVariant(variant)
    except ValueError:
        raise Http404 from None


@login_required
def application_document(request, pk, variant):
    """Requests the PDF of the current content and shows its state until it is ready.

    `?document=<id>` only reports on a document already requested (the page's refresh), so
    that a failed render is re-queued by the user, not by the polling."""
    variant = _variant(variant)
    application = _visible_application(request, pk)
    document_id = request.GET.get("document", "")
    if document_id.isdigit():
        document = get_object_or_404(ApplicationDocument, pk=int(document_id),
                                     application=application, variant=variant)
    else:
        document = documents.document_request(application=application, variant=variant,
                                              actor=request.user)
    return render(request, "applications/document.html", {
        "application": application,
        "variant": variant,
        "document": document,
        "pending": document.status == DocumentStatus.PENDING,
    })


@login_required
def application_document_download(request, pk, variant, document_pk):
    variant = _variant(variant)
    application = _visible_application(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application,
                                 variant=variant, status=DocumentStatus.READY)
    application_read_record(application=application, reader=request.user, what="document",
                            request=request,
                            detail={"document": document.pk, "variant": variant.value})
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=documents.document_filename(application, document),
                        content_type="application/pdf")
