"""Rows of the permission table for the district review (see tests/permission_table.py).

The application is org A's, submitted to 崂山区 (`district_official`); 即墨区's official
(`district_official_b`) must get 404 for it and its files, never a hint that it exists; every
other role gets the 403 page of a page that is not theirs.
"""

from django.urls import reverse

from reviews import batches, services
from reviews.enums import ReviewOutcome

from ..applications.permission_rows import _call, submitted_of_applicant
from ..permission_table import Row, everyone, only, redirect
from .conftest import CHECKLIST


def _submitted(world):
    if "submitted" not in world.objects:
        submitted_of_applicant(world)
    return world.objects["submitted"]


def submitted_application(world) -> dict:
    return {"pk": _submitted(world).pk}


def attachment_of_submitted(world) -> dict:
    application = _submitted(world)
    return {"pk": application.pk, "attachment_pk": application.attachments.first().pk}


def recommended_review(world) -> dict:
    application = _submitted(world)
    official = world.user("district_official")
    services.review_save_draft(application=application, actor=official, data=CHECKLIST)
    review = services.review_decide(application=application, actor=official,
                                    outcome=ReviewOutcome.RECOMMENDED)
    world.objects["review"] = review
    return {"review_pk": review.pk}


def resubmitted_after_return(world) -> dict:
    """Returned by 崂山区 with reasons and an internal note, a file added, resubmitted: the
    page shows the decided round and the changes since."""
    from applications import services as application_services
    from applications.enums import AttachmentKind

    from ..applications.conftest import pdf_bytes, upload

    application = _submitted(world)
    official, applicant = world.user("district_official"), world.user("applicant")
    services.review_save_draft(application=application, actor=official,
                               data={**CHECKLIST, "applicant_reasons": "请补充服务案例。",
                                     "internal_note": "内部备注。",
                                     "resubmit_by": application.call.district_review_deadline})
    services.review_decide(application=application, actor=official,
                           outcome=ReviewOutcome.RETURNED)
    application_services.attachment_add(application=application, actor=applicant,
                                        kind=AttachmentKind.CASE,
                                        uploaded_file=upload("服务案例.pdf", pdf_bytes("案例")))
    application_services.application_submit(application=application, actor=applicant)
    return {"pk": application.pk}


def call_of_submitted(world) -> dict:
    _submitted(world)
    return {"call_pk": _call(world).pk}


def _review_page(world):
    return reverse("reviews:review", args=[_submitted(world).pk])


def _ranking(world):
    return reverse("reviews:ranking", args=[_call(world).pk])


def sent_batch(world) -> dict:
    """崂山区 recommended the application and sent its batch; the 推荐函 is rendered."""
    if "batch" not in world.objects:
        recommended_review(world)
        application = _submitted(world)
        batch = batches.batch_submit(department_id=application.routed_department_id,
                                     call=application.call,
                                     actor=world.user("district_official"))
        world.objects["batch"] = batches.letter_render(batch_id=batch.pk)
    return {"pk": world.objects["batch"].pk}


def call_of_sent_batch(world) -> dict:
    sent_batch(world)
    return call_of_submitted(world)


def _batch_page(world):
    return reverse("reviews:batch", args=[_call(world).pk])


def _commission_batch_page(world):
    return reverse("reviews:commission_batch", args=[world.objects["batch"].pk])


OFFICIAL_ONLY = only("district_official") | {"district_official_b": 404}

ROWS = [
    Row("reviews:inbox", only("district_official", "district_official_b")),
    Row("reviews:review", OFFICIAL_ONLY, kwargs=submitted_application,
        state="submitted to 崂山区"),
    Row("reviews:review", OFFICIAL_ONLY, kwargs=resubmitted_after_return,
        state="resubmitted after a return: the round and the changes shown"),
    Row("reviews:review",
        only("district_official", ok=redirect(_review_page)) | {"district_official_b": 404},
        method="post", kwargs=submitted_application, data={"intent": "draft", **CHECKLIST},
        state="saving the checklist as a draft"),
    Row("reviews:attachment_download", OFFICIAL_ONLY, kwargs=attachment_of_submitted),
    Row("reviews:return_many",
        only("district_official", "district_official_b", ok=redirect("reviews:inbox")),
        method="post",
        data=lambda world: {"application": [_submitted(world).pk]},
        state="another district's ticked application is simply not found in its inbox"),
    Row("reviews:return_many", everyone(405), state="GET"),
    Row("reviews:ranking", OFFICIAL_ONLY, kwargs=call_of_submitted, state="none recommended"),
    Row("reviews:ranking", OFFICIAL_ONLY,
        kwargs=lambda world: recommended_review(world) and call_of_submitted(world),
        state="one recommended"),
    Row("reviews:ranking_move",
        only("district_official", ok=redirect(_ranking)) | {"district_official_b": 404},
        method="post", kwargs=recommended_review, data={"direction": "up"}),
    Row("reviews:ranking_move", everyone(405), kwargs=recommended_review,
        state="GET"),
    # 第八条: the batch of recommendations.
    Row("reviews:batch", OFFICIAL_ONLY, kwargs=call_of_submitted, state="not sent, one undecided"),
    Row("reviews:batch", OFFICIAL_ONLY, kwargs=call_of_sent_batch, state="sent"),
    Row("reviews:batch_submit",
        only("district_official", ok=redirect(_batch_page)) | {"district_official_b": 404},
        method="post", kwargs=call_of_submitted,
        data=lambda world: {"undecided": str(_submitted(world).pk), "confirm_undecided": "on"},
        state="sending with the undecided one confirmed"),
    Row("reviews:batch_submit", everyone(405), kwargs=call_of_submitted, state="GET"),
    Row("reviews:batch_letter", OFFICIAL_ONLY, kwargs=call_of_sent_batch),
    Row("reviews:commission_batches", only("commission_staff")),
    Row("reviews:commission_batches", only("commission_staff"),
        kwargs=lambda world: sent_batch(world) and {},
        data=lambda world: {"call": _call(world).pk}, state="one batch sent"),
    Row("reviews:commission_batch", only("commission_staff"), kwargs=sent_batch),
    Row("reviews:commission_batch_reopen",
        only("commission_staff", ok=redirect(_commission_batch_page)), method="post",
        kwargs=sent_batch, data={"reason": "请补充推荐意见。"}),
    Row("reviews:commission_batch_reopen", everyone(405), kwargs=sent_batch, state="GET"),
    Row("reviews:commission_batch_letter", only("commission_staff"), kwargs=sent_batch),
]
