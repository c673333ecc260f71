"""What the commission does with a closed round's results (第九条（三）): resolves a
disagreement flag with a note, decides and freezes the proposed list (拟评定名单), and asks for
the 专家评分汇总表 PDF. The figures themselves come from experts.scoring only."""

import hashlib
import json
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.services import APPLICATION_WORKFLOW
from core.audit import audit_record
from core.queue import enqueue_on_commit
from core.sweep import deadline_check
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition

from .enums import ProposedListStatus, RoundStatus
from .models import ProposedList, ProposedListEntry, ResultsDocument, ReviewRound, RoundEntry
from .results_selectors import entries_ordered, sheets_of
from .subjects import makes_proposed_list

logger = logging.getLogger(__name__)

P = ProposedListStatus

PROPOSED_LIST_WORKFLOW = Workflow(
    status_field="status",
    moves=(Move("freeze", (P.DRAFT,), P.FROZEN, "experts.decide_proposed_list",
                "确定拟评定名单"),),
    labels=dict(ProposedListStatus.choices),
)
PDF_TEMPLATE = "experts/pdf/results_summary.html"


class ResultsError(Exception):
    """A results action refused (Chinese message)."""


# --- disagreement ------------------------------------------------------------------------------


def entry_resolve(*, entry: RoundEntry, actor, note: str) -> RoundEntry:
    """Records the commission's resolution of a flagged entry's disagreement (a note); the
    scores stay as they are. Refused on an unflagged entry, without a note, or once the
    call's proposed list is frozen. Audited (`round_entry.resolve`). Raises PermissionDenied,
    ResultsError."""
    if not actor.has_perm("experts.resolve_disagreement", entry.round):
        raise PermissionDenied("只有市发展改革委工作人员可以处理评分分歧。")
    note = (note or "").strip()
    if not note:
        raise ResultsError("请填写分歧处理意见。")
    with transaction.atomic():
        locked = RoundEntry.objects.select_for_update().select_related("round").get(pk=entry.pk)
        if not locked.flagged:
            raise ResultsError("该申报的评分没有分歧标记，无需处理。")
        if _frozen_list_exists(locked.round):
            raise ResultsError("拟评定名单已确定，评审结果不能再修改。")
        before = locked.resolution_note
        locked.resolution_note, locked.resolved_by, locked.resolved_at = (
            note, actor, timezone.now())
        locked.save(update_fields=["resolution_note", "resolved_by", "resolved_at"])
        audit_record(action="round_entry.resolve", actor=actor, target=locked,
                     before={"resolution_note": before}, after={"resolution_note": note},
                     note=locked.flag_reason)
    return locked


def _frozen_list_exists(round_: ReviewRound) -> bool:
    return ProposedList.objects.filter(call_id=round_.call_id, status=P.FROZEN).exists()


# --- the proposed list -------------------------------------------------------------------------


def proposed_list_save(*, round: ReviewRound, actor, chosen: list[dict],  # noqa: A002
                       note: str = "") -> ProposedList:
    """Saves the draft 拟评定名单 of the round's call from the closed round's results:
    `chosen` is [{"application_id": int, "note": str}], kept in the order of the ranking. A
    flagged entry without a resolution note cannot be chosen; an application outside the
    round cannot. Refused once the list is frozen. Audited (`proposed_list.save`). Raises
    PermissionDenied, ResultsError."""
    if not actor.has_perm("experts.decide_proposed_list", round):
        raise PermissionDenied("只有市发展改革委工作人员可以确定拟评定名单。")
    if not makes_proposed_list(round):
        raise ResultsError("运行评价的专家评分不形成拟评定名单，其结果用于评定等级。")
    with transaction.atomic():
        locked_round = ReviewRound.objects.select_for_update().get(pk=round.pk)
        if locked_round.status != RoundStatus.CLOSED:
            raise ResultsError("评审结束后才能拟定拟评定名单。")
        proposed, _ = ProposedList.objects.get_or_create(
            call_id=locked_round.call_id, defaults={"round": locked_round})
        proposed = ProposedList.objects.select_for_update().get(pk=proposed.pk)
        if proposed.status == P.FROZEN:
            raise ResultsError("拟评定名单已确定，不能再修改。")
        notes = {int(c["application_id"]): (c.get("note") or "").strip() for c in chosen}
        entries = {e.application_id: e for e in entries_ordered(locked_round)}
        unknown = set(notes) - set(entries)
        if unknown:
            raise ResultsError("所选申报不在本轮评审中。")
        blocked = [str(entries[pk].application) for pk in notes if entries[pk].flag_open]
        if blocked:
            raise ResultsError("以下申报存在未处理的评分分歧，须先填写分歧处理意见："
                               + "、".join(blocked))
        proposed.entries.all().delete()
        ordered = [e for e in entries.values() if e.application_id in notes]
        ProposedListEntry.objects.bulk_create(
            ProposedListEntry(proposed_list=proposed, application_id=e.application_id,
                              aggregate=e.aggregate, position=i, note=notes[e.application_id])
            for i, e in enumerate(ordered, 1))
        proposed.round, proposed.note = locked_round, (note or "").strip()
        proposed.save(update_fields=["round", "note"])
        audit_record(action="proposed_list.save", actor=actor, target=proposed,
                     after={"applications": [e.application_id for e in ordered]})
    return proposed


def results_snapshot(round_: ReviewRound, proposed_ids=()) -> dict:
    """The round's results as they stand, for the frozen list and the PDF: the method, the
    criteria, and per entry its figures, flag, resolution and every sheet's total."""
    criteria = list(round_.criteria.order_by("order"))
    entries = list(entries_ordered(round_))
    sheets = sheets_of(round_, [e.application_id for e in entries], criteria)
    proposed_ids = set(proposed_ids)
    return {
        "round": round_.title,
        "call": round_.call.title if round_.call_id else round_.get_purpose_display(),
        "kind": round_.get_kind_display(),
        "method": round_.aggregation, "method_label": round_.get_aggregation_display(),
        "threshold": str(round_.disagreement_threshold),
        "closed_at": timezone.localtime(round_.closed_at).strftime("%Y-%m-%d %H:%M")
        if round_.closed_at else "",
        "criteria": [{"name": c.name, "max_score": str(c.max_score), "weight": str(c.weight)}
                     for c in criteria],
        "entries": [{
            "application_id": e.application_id,
            "receipt_number": e.application.receipt_number or "",
            "center_name": e.application.center_name,
            "organisation": e.application.organisation.name,
            "field": e.application.industry_field.name if e.application.industry_field else "",
            "aggregate": None if e.aggregate is None else str(e.aggregate),
            "sheet_count": e.sheet_count, "rank_in_call": e.rank_in_call,
            "rank_in_field": e.rank_in_field, "flagged": e.flagged,
            "flag_reason": e.flag_reason, "resolution_note": e.resolution_note,
            "proposed": e.application_id in proposed_ids,
            "sheets": [{"expert": s["expert"], "state": s["state"], "counted": s["counted"],
                        "total": None if s["total"] is None else str(s["total"])}
                       for s in sheets.get(e.application_id, [])],
        } for e in entries],
    }


def proposed_list_freeze(*, proposed_list: ProposedList, actor) -> ProposedList:
    """Freezes the 拟评定名单 with the round's results (`results_snapshot`): each chosen
    application moves `propose` (列入拟评定名单), every other application of the round still
    in 专家评审 moves `not_propose`, through the application workflow. A second freeze (a
    double click) is refused. Nothing of the list or the round's results changes afterwards.
    Raises PermissionDenied, ResultsError."""
    with transaction.atomic():
        # Only the list's row is locked: the round's call is nullable since an evaluation round
        # has none, and PostgreSQL locks no row on the nullable side of an outer join.
        locked = ProposedList.objects.select_for_update(of=("self",)).select_related(
            "round__call").get(pk=proposed_list.pk)
        if locked.status == P.FROZEN:
            raise ResultsError("拟评定名单已确定。")
        round_ = locked.round
        chosen = list(locked.entries.values_list("application_id", flat=True))
        if not chosen:
            raise ResultsError("拟评定名单中尚无申报。")
        open_flags = RoundEntry.objects.filter(round=round_, application_id__in=chosen,
                                               flagged=True, resolution_note="")
        if open_flags.exists():
            raise ResultsError("名单中有存在未处理评分分歧的申报，须先填写分歧处理意见。")
        snapshot = results_snapshot(round_, chosen)
        try:
            frozen = perform_transition(
                workflow=PROPOSED_LIST_WORKFLOW, obj=locked, move_name="freeze", actor=actor,
                changes={"frozen_at": timezone.now(), "frozen_by": actor,
                         "results_snapshot": snapshot})
            for application in Application.objects.filter(
                    pk__in=round_.entries.values("application_id"),
                    status=ApplicationStatus.EXPERT_REVIEW).order_by("pk"):
                perform_transition(
                    workflow=APPLICATION_WORKFLOW, obj=application, actor=actor,
                    move_name="propose" if application.pk in chosen else "not_propose")
        except TransitionNotAllowed as error:
            raise ResultsError(str(error)) from None
    return frozen


# --- the 专家评分汇总表 PDF ------------------------------------------------------------------


def experts_present(round_: ReviewRound) -> list[str]:
    """The names of the experts with a counted sheet in the round (signature lines)."""
    from .enums import ACTIVE_ASSIGNMENT_STATUSES, SheetStatus
    from .models import Expert

    return list(Expert.objects.filter(
        assignments__round=round_, assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES,
        assignments__sheet__status=SheetStatus.SUBMITTED).distinct().order_by(
        "name", "pk").values_list("name", flat=True))


def results_pdf_request(*, round: ReviewRound, actor) -> ResultsDocument:  # noqa: A002
    """Records a 专家评分汇总表 of the closed round's results as they stand and queues its
    rendering (tasks.render_results_summary). Audited (`review_round.results_pdf_request`).
    Raises PermissionDenied, ResultsError."""
    if not actor.has_perm("experts.view_results", round):
        raise PermissionDenied("只有市发展改革委工作人员可以导出评审结果。")
    if round.status != RoundStatus.CLOSED:
        raise ResultsError("评审结束后才能生成专家评分汇总表。")
    from .tasks import render_results_summary

    content = results_snapshot(round)
    content["experts"] = experts_present(round)
    content["generated_at"] = timezone.localtime().strftime("%Y年%m月%d日")
    with transaction.atomic():
        document = ResultsDocument.objects.create(round=round, content=content,
                                                  requested_by=actor)
        audit_record(action="review_round.results_pdf_request", actor=actor, target=round)
        enqueue_on_commit(render_results_summary, document.pk)
    return document


def _refuse_fetch(url, *args, **kwargs):
    raise ValueError(f"external resources are not loaded: {url}")


def results_pdf(content: dict) -> bytes:
    """The 专家评分汇总表's PDF bytes for `content` (results_pdf_request's record)."""
    from weasyprint import HTML  # heavy import; only renderers need it

    digest = hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True)
                            .encode()).hexdigest()
    html = render_to_string(PDF_TEMPLATE, {"doc": content, "content_hash": digest})
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def results_pdf_render(*, document_id: int) -> ResultsDocument:
    """For the worker: renders a pending 专家评分汇总表 and stores it; idempotent; a failure
    is recorded on the row (failed) and shown."""
    document = ResultsDocument.objects.get(pk=document_id)
    if document.status != ResultsDocument.Status.PENDING:
        return document
    try:
        pdf = results_pdf(document.content)
    except Exception as error:  # noqa: BLE001 - recorded on the row and shown
        logger.exception("rendering results summary %s failed", document_id)
        ResultsDocument.objects.filter(pk=document_id).update(
            status=ResultsDocument.Status.FAILED, error=f"{type(error).__name__}: {error}")
        document.refresh_from_db()
        return document
    storage = document.file.storage
    name = storage.save(document.file.field.generate_filename(document, "summary.pdf"),
                        ContentFile(pdf))
    if not ResultsDocument.objects.filter(pk=document_id,
                                          status=ResultsDocument.Status.PENDING).update(
            status=ResultsDocument.Status.READY, file=name, rendered_at=timezone.now()):
        storage.delete(name)
    document.refresh_from_db()
    return document


@deadline_check
def requeue_pending_documents(now) -> int:
    """Queues again the summaries still pending (a broker that was down); for the sweep."""
    from .tasks import render_results_summary

    ids = list(ResultsDocument.objects.filter(status=ResultsDocument.Status.PENDING)
               .values_list("pk", flat=True)[:100])
    for pk in ids:
        enqueue_on_commit(render_results_summary, pk)
    return len(ids)
