"""Rows of the permission table for the experts' own pages, the reopening of a sheet and the
site visits (see tests/permission_table.py).

The `expert` user's roster record has assignments in an open round: a live one of their own
(assigned, or committed) and one of another expert. Every expert page is the 403 page for a
role that is not an expert; for the expert, anything not their own live assignment is 404.
The site-visit round is entrusted to the `third_party_staff` user's agency.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.selectors import user_department_ids
from experts import sheets
from experts.enums import AssignmentStatus, RoundKind, RoundStatus
from experts.models import Assignment, ReviewRound, RoundEntry
from experts.rubrics import rubric_install_default
from tests.factories import CallFactory

from ..permission_table import ANONYMOUS, Row, answers, only, redirect
from .conftest import expert_review_application, make_expert


def _round(world, kind=RoundKind.MATERIAL, agency=None):
    key = f"round_{kind}_{agency}"
    if key not in world.objects:
        if "call" not in world.objects:
            world.objects["call"] = CallFactory(closed=True)
            world.objects["app"] = expert_review_application(world.objects["call"])
        round_ = ReviewRound.objects.create(
            call=world.objects["call"], title="权限表评审轮次", kind=kind,
            deadline=timezone.now() + datetime.timedelta(days=5),
            created_by=world.user("commission_staff"), status=RoundStatus.OPEN, agency=agency)
        rubric_install_default(round_)
        RoundEntry.objects.create(round=round_, application=world.objects["app"])
        world.objects[key] = round_
    return world.objects[key]


def _mine(world):
    if "expert_record" not in world.objects:
        world.objects["expert_record"] = make_expert("赵敏", user=world.user("expert"))
    return world.objects["expert_record"]


def _assignment(world, *, committed):
    key = f"assignment_{committed}"
    if key not in world.objects:
        world.objects[key] = Assignment.objects.create(
            round=_round(world), application=world.objects["app"], expert=_mine(world),
            assigned_by=world.user("commission_staff"),
            status=AssignmentStatus.COMMITTED if committed else AssignmentStatus.ASSIGNED,
            committed_at=timezone.now() if committed else None)
    return world.objects[key]


def assigned(world) -> dict:
    return {"pk": _assignment(world, committed=False).pk}


def committed(world) -> dict:
    return {"pk": _assignment(world, committed=True).pk}


def committed_with_sheet(world) -> dict:
    item = _assignment(world, committed=True)
    sheets.sheet_open(assignment=item, actor=world.user("expert"))
    return {"pk": item.pk}


def committed_attachment(world) -> dict:
    item = _assignment(world, committed=True)
    return {"pk": item.pk, "attachment_pk": item.application.attachments.first().pk}


def others(world) -> dict:
    _round(world)
    item = Assignment.objects.create(
        round=_round(world), application=world.objects["app"], expert=make_expert("钱伟"),
        assigned_by=world.user("commission_staff"), status=AssignmentStatus.COMMITTED)
    return {"pk": item.pk}


def recused(world) -> dict:
    item = _assignment(world, committed=True)
    Assignment.objects.filter(pk=item.pk).update(status=AssignmentStatus.RECUSED)
    return {"pk": item.pk}


def submitted_sheet(world) -> dict:
    item = _assignment(world, committed=True)
    expert = world.user("expert")
    sheet = sheets.sheet_open(assignment=item, actor=expert)
    criteria = sheets.round_criteria(item.round)
    entries = {c.pk: {"value": str(c.max_score * 8 / 10), "comment": "说明"} for c in criteria}
    sheet = sheets.sheet_save(sheet=sheet, actor=expert, entries=entries, overall_comment="总体",
                              version=sheet.version, submit=True)
    world.objects["sheet"] = sheet
    return {"pk": sheet.pk}


def _agency(world):
    staff = world.user("third_party_staff")
    from accounts.models import Department

    return Department.objects.get(pk=next(iter(user_department_ids(staff,
                                                                  Role.THIRD_PARTY_STAFF))))


def entrusted_visit(world) -> dict:
    round_ = _round(world, RoundKind.SITE_VISIT, _agency(world))
    return {"round_pk": round_.pk, "application_pk": world.objects["app"].pk}


def not_entrusted_visit(world) -> dict:
    round_ = _round(world, RoundKind.SITE_VISIT)
    return {"round_pk": round_.pk, "application_pk": world.objects["app"].pk}


def visit_file(world) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from experts import site_visits

    from ..applications.conftest import png_bytes

    kwargs = entrusted_visit(world)
    round_ = ReviewRound.objects.get(pk=kwargs["round_pk"])
    commission = world.user("commission_staff")
    item = _assignment_in(world, round_)
    visit = site_visits.site_visit_record(
        round_=round_, application=world.objects["app"], actor=commission,
        visited_on=datetime.date(2026, 5, 1), expert_ids=[item.expert_id], findings="情况属实。",
        verdict="pass")
    file = site_visits.site_visit_file_add(
        visit=visit, actor=commission,
        uploaded_file=SimpleUploadedFile("现场.png", png_bytes(), "image/png"))
    return {"pk": file.pk}


def _assignment_in(world, round_):
    return Assignment.objects.create(round=round_, application=world.objects["app"],
                                     expert=_mine(world),
                                     assigned_by=world.user("commission_staff"),
                                     status=AssignmentStatus.COMMITTED)


def _sheet_url(world):
    return reverse("experts:sheet", args=[world.objects["assignment_True"].pk])


def _assignment_url(world):
    return reverse("experts:assignment", args=[world.objects["assignment_False"].pk])


def _reopen_url(world):
    return reverse("experts:sheet_reopen", args=[world.objects["sheet"].pk])


def _visit_url(world):
    round_ = world.objects[f"round_{RoundKind.SITE_VISIT}_{_agency(world)}"]
    return reverse("experts:site_visit", args=[round_.pk, world.objects["app"].pk])


EXPERT = only("expert")
NOT_FOUND = only("expert", ok=404)
COMMISSION_OR_AGENCY = only("commission_staff", "third_party_staff")


def _draft(world):
    item = _assignment(world, committed=True)
    return {"version": "0", "intent": "draft", "overall_comment": "草稿",
            **{f"score_{c.pk}": "" for c in sheets.round_criteria(item.round)}}


ROWS = [
    Row("experts:my_assignments", EXPERT),
    Row("experts:assignment", EXPERT, kwargs=assigned, state="own, before the commitment"),
    Row("experts:assignment", only("expert", ok=redirect(_sheet_url)), kwargs=committed,
        state="own, committed: on to the sheet"),
    Row("experts:assignment", NOT_FOUND, kwargs=others, state="another expert's"),
    Row("experts:assignment", NOT_FOUND, kwargs=recused, state="own but recused"),
    Row("experts:commit", only("expert", ok=redirect(_sheet_url)), method="post",
        kwargs=committed, state="already committed"),
    Row("experts:commit", EXPERT, method="post", kwargs=assigned,
        state="box not ticked: the page again"),
    Row("experts:commit", NOT_FOUND, method="post", kwargs=others, state="another expert's"),
    Row("experts:recuse", EXPERT, kwargs=assigned),
    Row("experts:recuse", only("expert", ok=redirect("experts:my_assignments")),
        method="post", kwargs=assigned, data={"kind": "recuse", "reason": "曾任职。"},
        state="recusing with a reason"),
    Row("experts:recuse", NOT_FOUND, method="post", kwargs=others,
        data={"kind": "recuse", "reason": "x"}, state="another expert's"),
    Row("experts:application", EXPERT, kwargs=committed),
    Row("experts:application", only("expert", ok=redirect(_assignment_url)), kwargs=assigned,
        state="before the commitment"),
    Row("experts:application", NOT_FOUND, kwargs=others, state="another expert's"),
    Row("experts:attachment", EXPERT, kwargs=committed_attachment),
    Row("experts:sheet", EXPERT, kwargs=committed),
    Row("experts:sheet", NOT_FOUND, kwargs=others, state="another expert's"),
    Row("experts:sheet", only("expert", ok=redirect(_sheet_url)), method="post",
        kwargs=committed, data=_draft, state="saving a draft"),
    Row("experts:sheet_autosave", answers(403, **{ANONYMOUS: 401, "expert": 200}),
        method="post", kwargs=committed_with_sheet, data=_draft),
    Row("experts:sheet_autosave", answers(403, **{ANONYMOUS: 401, "expert": 404}),
        method="post", kwargs=others, data={"version": "0"}, state="another expert's"),
    Row("experts:sheet_reopen", only("commission_staff"), kwargs=submitted_sheet),
    Row("experts:sheet_reopen", only("commission_staff", ok=redirect(_reopen_url)),
        method="post", kwargs=submitted_sheet, data={"reason": "请复核。"},
        state="reopening with a reason"),
    Row("experts:site_visit", COMMISSION_OR_AGENCY, kwargs=entrusted_visit,
        state="a round entrusted to the agency"),
    Row("experts:site_visit", only("commission_staff") | {"third_party_staff": 404},
        kwargs=not_entrusted_visit, state="a round not entrusted: the agency sees nothing"),
    Row("experts:site_visit", COMMISSION_OR_AGENCY, method="post", kwargs=entrusted_visit,
        data={"visited_on": "2026-05-01"}, state="an incomplete record: the page again"),
    Row("experts:site_visit_upload", only("commission_staff", "third_party_staff",
                                          ok=redirect(_visit_url)),
        method="post", kwargs=entrusted_visit, state="nothing chosen"),
    Row("experts:site_visit_file", COMMISSION_OR_AGENCY, kwargs=visit_file),
]
