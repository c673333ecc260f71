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


def bundle_of_submitted(world) -> dict:
    """A ZIP of the submitted application's files, built for 崂山区's official."""
    from reviews import bulk
    from reviews.bundle_models import BundleKind, ReviewBundle

    application = _submitted(world)
    bundle = ReviewBundle.objects.create(
        kind=BundleKind.FILES, requested_by=world.user("district_official"),
        department_id=application.routed_department_id, application_ids=[application.pk])
    bulk.bundle_build(bundle_id=bundle.pk)
    return {"pk": bundle.pk}


def _latest_bundle(world):
    from reviews.bundle_models import ReviewBundle

    return reverse("reviews:bundle_detail", args=[ReviewBundle.objects.latest("pk").pk])


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
    Row("reviews:attachment_inline", OFFICIAL_ONLY, kwargs=attachment_of_submitted),
    Row("reviews:bundle_files",
        only("district_official", ok=redirect(_latest_bundle))
        | {"district_official_b": redirect("reviews:inbox")},
        method="post", data=lambda world: {"application": [_submitted(world).pk]},
        state="another district's ticked application is left out: nothing is made for it"),
    Row("reviews:bundle_files", everyone(405), state="GET"),
    Row("reviews:bundle_list",
        only("district_official", "district_official_b", ok=redirect(_latest_bundle)),
        method="post", data={"status": "submitted"},
        state="each department's own list"),
    Row("reviews:bundle_list", everyone(405), state="GET"),
    Row("reviews:bundle_detail", OFFICIAL_ONLY, kwargs=bundle_of_submitted),
    Row("reviews:bundle_download", OFFICIAL_ONLY, kwargs=bundle_of_submitted),
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


# --- the commission's intake (第八条) ---------------------------------------------------------

def _direct_submitted(world):
    """A 市直 unit's submission (route confirmed), at the commission for its 形式审查."""
    from tests.factories import ApplicationFactory

    if "direct" not in world.objects:
        world.objects["direct"] = ApplicationFactory(submitted=True, direct=True,
                                                     call=_call(world))
    return world.objects["direct"]


def direct_application(world) -> dict:
    return {"pk": _direct_submitted(world).pk}


def _recommended(world):
    """崂山区 recommended org A's application: ready for the expert review."""
    if "review" not in world.objects:
        recommended_review(world)
    return world.objects["review"].application


def recommended_one(world) -> dict:
    return {"one": str(_recommended(world).pk)}


def overdue_mark(world) -> dict:
    """Org A's application undecided by 崂山区 after the call's district deadline, marked by
    the sweep."""
    import datetime

    from django.utils import timezone

    from applications.models import Call
    from reviews.intake import mark_overdue_reviews
    from reviews.models import OverdueReview

    application = _submitted(world)
    Call.objects.filter(pk=application.call_id).update(
        district_review_deadline=timezone.localdate() - datetime.timedelta(days=1))
    mark_overdue_reviews(timezone.now())
    mark = OverdueReview.objects.get(application=application)
    world.objects["mark"] = mark
    return {"pk": mark.pk}


def _in_days(days: int) -> str:
    import datetime

    from django.utils import timezone

    return str(timezone.localdate() + datetime.timedelta(days=days))


def _latest_export(world):
    from applications.models import ApplicationExport

    return reverse("applications:export_detail",
                   args=[ApplicationExport.objects.latest("pk").pk])


def _formal_review_page(world):
    return reverse("reviews:formal_review", args=[_direct_submitted(world).pk])


def _taken_over_page(world):
    return reverse("reviews:formal_review", args=[world.objects["mark"].application_id])


def _with_recommended(world) -> dict:
    _recommended(world)
    return {}


COMMISSION_ONLY = only("commission_staff")

ROWS += [
    Row("reviews:intake", COMMISSION_ONLY, state="nothing arrived"),
    Row("reviews:intake", COMMISSION_ONLY, kwargs=_with_recommended,
        state="one recommended, ready for the expert review"),
    Row("reviews:intake", COMMISSION_ONLY, kwargs=lambda world: overdue_mark(world) and {},
        data={"stage": "overdue"}, state="one overdue"),
    Row("reviews:intake_export", only("commission_staff", ok=redirect(_latest_export)),
        method="post", kwargs=_with_recommended, state="the ready list as Excel"),
    Row("reviews:intake_export", only("commission_staff", ok=redirect("reviews:intake")),
        method="post", data={"q": "不存在的中心"}, state="nothing matches"),
    Row("reviews:intake_export", everyone(405), state="GET"),
    Row("reviews:intake_expert_review", only("commission_staff", ok=redirect("reviews:intake")),
        method="post", data=recommended_one),
    Row("reviews:intake_expert_review", everyone(405), state="GET"),
    Row("reviews:formal_review", COMMISSION_ONLY, kwargs=direct_application,
        state="a direct submission"),
    Row("reviews:formal_review", only("commission_staff", ok=404), kwargs=submitted_application,
        state="a submission routed to 崂山区 is not the commission's to check"),
    Row("reviews:formal_review",
        only("commission_staff", ok=redirect(_formal_review_page)), method="post",
        kwargs=direct_application, data={"intent": "draft", **CHECKLIST},
        state="saving the checklist as a draft"),
    Row("reviews:overdue_extend", only("commission_staff", ok=redirect("reviews:intake")),
        method="post", kwargs=overdue_mark,
        data=lambda world: {"until": _in_days(3)}),
    Row("reviews:overdue_extend", everyone(405), kwargs=overdue_mark, state="GET"),
    Row("reviews:overdue_take_over", only("commission_staff", ok=redirect(_taken_over_page)),
        method="post", kwargs=overdue_mark),
    Row("reviews:overdue_take_over", everyone(405), kwargs=overdue_mark, state="GET"),
]
