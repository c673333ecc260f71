"""Rows of the permission table for calls and applications (see tests/permission_table.py).

Applications belong to organisation A (the `applicant` role, 崂山区); `applicant_b` is the other
organisation and `district_official_b` the other district: both must get 404, never a hint that
the application exists.
"""

from django.urls import reverse

from accounts.selectors import user_primary_organisation
from applications import services
from applications.enums import AttachmentKind

from ..factories import ApplicationFactory, CallFactory
from ..permission_table import ANONYMOUS, LOGIN, Row, answers, everyone, only, redirect
from .conftest import pdf_bytes, upload


def _call(world):
    if "call" not in world.objects:
        world.objects["call"] = services.call_publish(call=CallFactory(unpublished=True),
                                                      actor=world.user("commission_staff"))
    return world.objects["call"]


def published_call(world) -> dict:
    return {"pk": _call(world).pk}


def call_to_apply_to(world) -> dict:
    return {"call_pk": _call(world).pk}


def _draft(world, **traits):
    """Organisation A's application of the call (one per world), in the state `traits` name."""
    if "draft" not in world.objects:
        user = world.user("applicant")
        world.objects["draft"] = ApplicationFactory(
            call=_call(world), organisation=user_primary_organisation(user), created_by=user,
            **traits)
    return world.objects["draft"]


def draft_of_applicant(world) -> dict:
    return {"pk": _draft(world).pk}


def with_draft_of_applicant(world) -> dict:
    """Organisation A holds a draft; the URL takes no arguments."""
    _draft(world)
    return {}


def draft_step(world) -> dict:
    return {"pk": _draft(world).pk, "step": "lead"}


def draft_plan_step(world) -> dict:
    return {"pk": _draft(world).pk, "step": "plan"}


def complete_draft(world) -> dict:
    return {"pk": _draft(world, complete=True).pk}


def submitted_of_applicant(world) -> dict:
    application = _draft(world, complete=True)
    world.objects["submitted"] = services.application_submit(application=application,
                                                             actor=world.user("applicant"))
    return {"pk": application.pk}


def withdrawn_of_applicant(world) -> dict:
    kwargs = submitted_of_applicant(world)
    services.application_withdraw(application=world.objects["submitted"],
                                  actor=world.user("applicant"), reason="需要更正")
    return kwargs


def _review(world):
    return reverse("applications:review", args=[_draft(world).pk])


def _receipt(world):
    return reverse("applications:receipt", args=[_draft(world).pk])


def _reopened_step(world):
    from applications.models import Application

    application = Application.objects.get(pk=_draft(world).pk)
    return reverse("applications:step", args=[application.pk, application.current_step])


def attachment_of_draft(world) -> dict:
    application = _draft(world)
    attachment = services.attachment_add(application=application, actor=world.user("applicant"),
                                         kind=AttachmentKind.CASE,
                                         uploaded_file=upload("案例.pdf", pdf_bytes()))
    return {"pk": application.pk, "attachment_pk": attachment.pk}


def _detail(world):
    return reverse("applications:detail", args=[_draft(world).pk])


def started_application_step(world):
    from applications.models import Application

    return reverse("applications:step", args=[Application.objects.get().pk, "lead"])


OWNER_AND_COMMISSION = answers(404, **{ANONYMOUS: LOGIN, "applicant": 200,
                                      "commission_staff": 200, "applicant_b": 404,
                                      "district_official_b": 404})

ROWS = [
    Row("applications:call_detail", everyone(200), kwargs=published_call),
    # 我的申报: each applicant sees the list of their own unit's applications, nobody else
    Row("applications:mine", only("applicant", "applicant_b")),
    Row("applications:mine", only("applicant", "applicant_b"), kwargs=with_draft_of_applicant,
        data={"status": "draft"}, state="filtered by status, organisation A holding a draft"),
    Row("applications:mine", everyone(405), method="post", state="POST"),
    Row("applications:start",
        answers(403, **{ANONYMOUS: LOGIN, "applicant": redirect(started_application_step)}),
        method="post", kwargs=call_to_apply_to, state="open call"),
    Row("applications:start", answers(405, **{ANONYMOUS: LOGIN}), kwargs=call_to_apply_to,
        state="GET"),
    Row("applications:detail", OWNER_AND_COMMISSION, kwargs=draft_of_applicant, state="draft"),
    Row("applications:detail", OWNER_AND_COMMISSION | {"district_official": 200},
        kwargs=submitted_of_applicant, state="submitted to 崂山区"),
    Row("applications:step", OWNER_AND_COMMISSION | {"commission_staff": 403},
        kwargs=draft_step, state="draft: only its organisation edits"),
    Row("applications:step_autosave",
        OWNER_AND_COMMISSION | {ANONYMOUS: 401, "commission_staff": 403},
        method="post", kwargs=draft_plan_step, data={"plan_other": "其它说明。"},
        state="draft: its organisation autosaves; signed out is told so (401)"),
    Row("applications:review", OWNER_AND_COMMISSION | {"commission_staff": 403},
        kwargs=complete_draft, state="complete draft: only its organisation submits"),
    Row("applications:submit",
        OWNER_AND_COMMISSION | {"applicant": redirect(_review), "commission_staff": 403},
        method="post", kwargs=complete_draft, state="complete draft, not confirmed"),
    Row("applications:submit",
        OWNER_AND_COMMISSION | {"applicant": redirect(_receipt), "commission_staff": 403},
        method="post", kwargs=complete_draft, data={"confirm": "1"},
        state="complete draft, confirmed on the review page"),
    Row("applications:receipt", OWNER_AND_COMMISSION | {"district_official": 200},
        kwargs=submitted_of_applicant, state="submitted to 崂山区"),
    Row("applications:receipt", answers(404, **{ANONYMOUS: LOGIN}), kwargs=draft_of_applicant,
        state="draft: no receipt yet"),
    Row("applications:receipt_pdf", OWNER_AND_COMMISSION | {"district_official": 200},
        kwargs=submitted_of_applicant, state="submitted to 崂山区"),
    Row("applications:reopen",
        OWNER_AND_COMMISSION | {"applicant": redirect(_reopened_step), "commission_staff": 403,
                                "district_official": 403},
        method="post", kwargs=withdrawn_of_applicant, state="withdrawn, window open"),
    Row("applications:withdraw",
        OWNER_AND_COMMISSION | {"applicant": redirect(_detail), "commission_staff": 403,
                                "district_official": 403},
        method="post", kwargs=submitted_of_applicant, state="submitted"),
    Row("applications:attachment_download", OWNER_AND_COMMISSION, kwargs=attachment_of_draft),
    Row("applications:attachment_delete",
        OWNER_AND_COMMISSION | {"applicant": redirect(lambda w: reverse(
            "applications:step", args=[_draft(w).pk, "attachments"])), "commission_staff": 403},
        method="post", kwargs=attachment_of_draft),
]


# The commission's list of all applications and its Excel export ----------------------------

def _latest_export_detail(world):
    from applications.models import ApplicationExport

    return reverse("applications:export_detail", args=[ApplicationExport.objects.latest("pk").pk])


def ready_export(world) -> dict:
    """An export the commission asked for, built: its page and its file."""
    _draft(world)
    export = services.application_export_request(actor=world.user("commission_staff"),
                                                 params={})
    services.application_export_build(export_id=export.pk)
    return {"pk": export.pk}


ROWS += [
    Row("applications:staff_list", only("commission_staff")),
    Row("applications:staff_export",
        only("commission_staff", ok=redirect(_latest_export_detail)), method="post"),
    Row("applications:staff_export", everyone(405), state="GET"),
    Row("applications:export_detail", only("commission_staff"), kwargs=ready_export),
    Row("applications:export_download", only("commission_staff"), kwargs=ready_export),
]


# The PDFs of an application (申报表, full package) -------------------------------------------

def document_of_draft(world) -> dict:
    return {"pk": _draft(world).pk, "variant": "form"}


def document_of_submitted(world) -> dict:
    return submitted_of_applicant(world) | {"variant": "form"}


def ready_document_of_draft(world) -> dict:
    from django.core.files.base import ContentFile

    from applications.enums import DocumentStatus
    from applications.models import ApplicationDocument

    document = ApplicationDocument.objects.create(
        application=_draft(world), variant="form", content_hash="0" * 64,
        status=DocumentStatus.READY, file=ContentFile(pdf_bytes(), name="form.pdf"))
    return {"pk": document.application_id, "variant": "form", "document_pk": document.pk}


ROWS += [
    Row("applications:document", OWNER_AND_COMMISSION, kwargs=document_of_draft, state="draft"),
    Row("applications:document", OWNER_AND_COMMISSION | {"district_official": 200},
        kwargs=document_of_submitted, state="submitted to 崂山区"),
    Row("applications:document_download", OWNER_AND_COMMISSION, kwargs=ready_document_of_draft),
]
