"""异议 (第九条（四）): filed by a named member of the public while the notice is open, looked
up with its acknowledgement number and phone, handled by the commission (investigation, an
explanation asked of the applicant, a decision).

The objector's identity (name, organisation, phone, e-mail) stays with the commission: the
applicant's explanation request, the applicant's notice of an upheld objection and every
audit row written here carry the objection's number and the question or reason only.
"""

import datetime
import secrets

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.validators import normalize_phone, parse_phone
from applications.services import organisation_members
from core.audit import audit_record
from core.notifications import mail_queue, notify, render_text
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition

from .enums import DECIDED_OBJECTION_STATUSES, ObjectionStatus
from .evidence import EvidenceError, evidence_check, evidence_save
from .models import ExplanationRequest, NoticeEntry, Objection, ObjectionFile, PublicNotice
from .notices import notice_is_open

S = ObjectionStatus
OBJECTION_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("investigate", (S.RECEIVED,), S.INVESTIGATING, "centers.handle_objection",
             "调查核实"),
        Move("uphold", (S.RECEIVED, S.INVESTIGATING), S.UPHELD, "centers.handle_objection",
             "认定异议成立", reason_required=True),
        Move("dismiss", (S.RECEIVED, S.INVESTIGATING), S.DISMISSED, "centers.handle_objection",
             "认定异议不成立", reason_required=True),
    ),
)

# Rate limits of the public form (第九条（四）: rate-limited per address and per phone).
PER_ADDRESS_PER_HOUR = 5
PER_PHONE_PER_NOTICE = 3
# The status lookup: tries per address in LOOKUP_WINDOW (the cache; Redis down lets it pass).
LOOKUP_LIMIT = 10
LOOKUP_WINDOW = datetime.timedelta(minutes=10)
FACTS_MIN_CHARS = 20
# Of which letters or digits at least (the rest may be punctuation, never all of it).
FACTS_MIN_LETTERS = 10
# The random tail of an acknowledgement number: digits only, read out and typed on a phone
# without doubt (10⁸ per notice, and a lookup needs the phone too).
NUMBER_DIGITS = 8


class ObjectionError(Exception):
    """An objection or an act on it the rules refuse; the message is Chinese and shown."""


# --- filing ------------------------------------------------------------------------------------

def objection_number_new(notice: PublicNotice, now=None) -> str:
    """`YY-<notice pk>-NNNNNNNN`: the year, the notice, NUMBER_DIGITS random digits (so a
    number cannot be guessed from another)."""
    year = timezone.localtime(now or timezone.now()).year % 100
    tail = "".join(secrets.choice("0123456789") for _ in range(NUMBER_DIGITS))
    return f"{year:02d}-{notice.pk}-{tail}"


def objection_number_normalise(value: str) -> str:
    """What a person types (full-width, lower case, spaces) → the stored form."""
    import unicodedata
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def facts_too_thin(facts: str) -> bool:
    """True when `facts` are under FACTS_MIN_CHARS characters, or say too little in them:
    fewer than FACTS_MIN_LETTERS letters (汉字 included) and digits, so twenty full stops, or
    有问题 padded with them, are no facts."""
    facts = facts or ""
    return (len(facts) < FACTS_MIN_CHARS
            or sum(1 for char in facts if char.isalnum()) < FACTS_MIN_LETTERS)


def objection_rate_problem(*, notice: PublicNotice, ip_address: str | None, phone: str,
                           now=None) -> str:
    """The Chinese refusal when the address filed PER_ADDRESS_PER_HOUR objections in the last
    hour or the phone PER_PHONE_PER_NOTICE on this notice; "" otherwise. Counted from the
    stored objections, so it holds with Redis down."""
    now = now or timezone.now()
    if ip_address and Objection.objects.filter(
            ip_address=ip_address,
            submitted_at__gte=now - datetime.timedelta(hours=1)).count() >= PER_ADDRESS_PER_HOUR:
        return "同一网络地址一小时内提交的异议过多，请稍后再试；如有更多情况，可在一份异议中一并写明。"
    if phone and Objection.objects.filter(
            notice=notice, phone=normalize_phone(phone)).count() >= PER_PHONE_PER_NOTICE:
        return (f"同一联系电话对本次公示最多可提交{PER_PHONE_PER_NOTICE}份异议；"
                "补充情况请联系公示所列联系人。")
    return ""


def objection_file(*, notice: PublicNotice, entry_ids: list[int], real_name: str,
                   phone: str, facts: str, truthful: bool, organisation: str = "",
                   email: str = "", files=(), ip_address: str | None = None,
                   now=None) -> Objection:
    """Files an 异议 against `entry_ids` (listed, not removed entries of `notice`) with its
    evidence. Refused (ObjectionError, Chinese) outside the notice's window to the second,
    without a real name or a valid phone (anonymous), without facts of FACTS_MIN_CHARS
    characters saying something (`facts_too_thin`), without the truthful statement, over
    the rate limits, or with a bad file.
    Returns the objection, status 已受理, with its acknowledgement number. Audited
    (`objection.file`, without the objector's identity)."""
    now = now or timezone.now()
    if not notice_is_open(notice, now=now):
        raise ObjectionError("当前不在公示期内，不受理异议（公示期截至最后一日23时59分59秒）。")
    real_name, phone, facts = (real_name or "").strip(), (phone or "").strip(), \
        (facts or "").strip()
    if not real_name or not phone:
        raise ObjectionError("异议须实名提出：请填写真实姓名和联系电话，匿名异议不予受理。")
    if parse_phone(phone) is None:
        raise ObjectionError("请填写有效的联系电话（手机号或区号+固定电话）。")
    if facts_too_thin(facts):
        raise ObjectionError(f"请写明异议的具体事实和理由（不少于{FACTS_MIN_CHARS}字），"
                             "无具体事实的异议不予受理。")
    if not truthful:
        raise ObjectionError("请承诺所反映情况真实。")
    entries = list(NoticeEntry.objects.filter(notice=notice, pk__in=entry_ids or [],
                                              removed_at__isnull=True))
    if not entries or len(entries) != len(set(entry_ids)):
        raise ObjectionError("请选择公示名单中的异议对象。")
    try:
        checked = evidence_check(files)
    except EvidenceError as error:
        raise ObjectionError(str(error)) from None
    if problem := objection_rate_problem(notice=notice, ip_address=ip_address, phone=phone,
                                         now=now):
        raise ObjectionError(problem)
    with transaction.atomic():
        for _ in range(5):
            try:
                with transaction.atomic():
                    objection = Objection.objects.create(
                        notice=notice, number=objection_number_new(notice, now),
                        real_name=real_name, organisation=(organisation or "").strip(),
                        phone=normalize_phone(phone), email=(email or "").strip(),
                        facts=facts, truthful=True, ip_address=ip_address)
                break
            except IntegrityError:
                continue  # the random number was taken: draw again
        else:
            raise ObjectionError("系统繁忙，请稍后再试。")
        objection.entries.set(entries)
        for uploaded, detected in checked:
            evidence_save(ObjectionFile(objection=objection), uploaded, detected)
        audit_record(action="objection.file", actor=None, target=objection,
                     after={"number": objection.number, "entries": [e.pk for e in entries],
                            "files": len(checked)})
    return objection


# --- the objector's lookup ---------------------------------------------------------------------

def lookup_allowed(ip_address: str | None) -> bool:
    """False once the address made LOOKUP_LIMIT lookups in LOOKUP_WINDOW. Counted in the
    cache; when the cache is down the lookup is served (a lookup reveals nothing without the
    right phone)."""
    key = f"objection-lookup:{ip_address or '-'}"
    try:
        added = cache.add(key, 1, timeout=int(LOOKUP_WINDOW.total_seconds()))
        count = 1 if added else cache.incr(key)
    except Exception:  # noqa: BLE001 — Redis down must never fail the request
        return True
    return count <= LOOKUP_LIMIT


def objection_lookup(*, number: str, phone: str) -> Objection | None:
    """The objection with this number filed with this phone, or None: a wrong number and a
    wrong phone are answered alike."""
    normalised = objection_number_normalise(number)
    if not normalised or parse_phone(phone or "") is None:
        return None
    return (Objection.objects.filter(number=normalised, phone=normalize_phone(phone))
            .only("pk", "number", "status", "decision_reason", "decided_at", "submitted_at",
                  "notice_id").select_related(None).first())


# --- the commission's handling -----------------------------------------------------------------

def _allowed(actor, objection):
    if not actor.has_perm("centers.handle_objection", objection):
        raise PermissionDenied("只有市发展改革委工作人员可以办理异议。")


def objection_investigate(*, objection: Objection, actor, investigation: str) -> Objection:
    """Records the investigation (调查核实情况). The first record moves 已受理 → 调查核实中;
    later ones update the text (audited `objection.investigation`). Raises ObjectionError for
    an empty text or a decided objection, PermissionDenied."""
    _allowed(actor, objection)
    text = (investigation or "").strip()
    if not text:
        raise ObjectionError("请填写调查核实情况。")
    if objection.status in DECIDED_OBJECTION_STATUSES:
        raise ObjectionError("该异议已办结。")
    if objection.status == S.RECEIVED:
        try:
            return perform_transition(workflow=OBJECTION_WORKFLOW, obj=objection,
                                      move_name="investigate", actor=actor,
                                      changes={"investigation": text})
        except TransitionNotAllowed as error:
            raise ObjectionError(str(error)) from None
    with transaction.atomic():
        before = objection.investigation
        Objection.objects.filter(pk=objection.pk).update(investigation=text)
        audit_record(action="objection.investigation", actor=actor, target=objection,
                     before={"investigation": before}, after={"investigation": text})
    objection.investigation = text
    return objection


def explanation_ask(*, objection: Objection, entry: NoticeEntry, actor,
                    question: str) -> ExplanationRequest:
    """Asks the applicant of a targeted entry to explain (情况说明), without naming the
    objector; its members are told. An objection still 已受理 moves to 调查核实中. Raises
    ObjectionError (no question, entry not targeted, decided), PermissionDenied."""
    _allowed(actor, objection)
    question = (question or "").strip()
    if not question:
        raise ObjectionError("请填写需申报单位说明的问题。")
    if objection.status in DECIDED_OBJECTION_STATUSES:
        raise ObjectionError("该异议已办结。")
    if not objection.entries.filter(pk=entry.pk).exists():
        raise ObjectionError("只能请异议所涉申报单位说明情况。")
    with transaction.atomic():
        if objection.status == S.RECEIVED:
            perform_transition(workflow=OBJECTION_WORKFLOW, obj=objection,
                               move_name="investigate", actor=actor)
        request = ExplanationRequest.objects.create(
            objection=objection, application=entry.application, question=question,
            asked_by=actor)
        audit_record(action="explanation.ask", actor=actor, target=entry.application,
                     after={"explanation": request.pk, "question": question})
        application = entry.application
        link = reverse("centers:explanations", args=[application.pk])
        for user in organisation_members(application.organisation_id):
            notify(recipient=user, purpose="objection_explanation_asked", link=link,
                   context={"entry": entry, "question": question})
    return request


def explanation_answer(*, explanation: ExplanationRequest, actor,
                       answer: str) -> ExplanationRequest:
    """The applicant's answer, once. Raises ObjectionError (empty, answered already, the
    objection decided), PermissionDenied (not a member of the applicant)."""
    if not actor.has_perm("centers.answer_explanation", explanation.application):
        raise PermissionDenied("只有申报单位可以说明情况。")
    answer = (answer or "").strip()
    if not answer:
        raise ObjectionError("请填写情况说明。")
    with transaction.atomic():
        locked = ExplanationRequest.objects.select_for_update().select_related(
            "objection").get(pk=explanation.pk)
        if locked.answered_at is not None:
            raise ObjectionError("该问题已说明，不能重复提交。")
        if locked.objection.status in DECIDED_OBJECTION_STATUSES:
            raise ObjectionError("该事项已办结，无需再说明。")
        locked.answer, locked.answered_at = answer, timezone.now()
        locked.save(update_fields=["answer", "answered_at"])
        audit_record(action="explanation.answer", actor=actor, target=locked.application,
                     after={"explanation": locked.pk})
    return locked


def objection_decide(*, objection: Objection, actor, upheld: bool, reason: str) -> Objection:
    """异议成立 or 不成立, with the reason (required). Upheld: each targeted entry leaves the
    list (removed_at, removal_reason) and its applicant's members are told the reason. The
    objector is told the outcome by e-mail when they gave one. Raises ObjectionError (no
    reason, decided already), PermissionDenied."""
    _allowed(actor, objection)
    reason = (reason or "").strip()
    if not reason:
        raise ObjectionError("请填写处理结论的理由。")
    now = timezone.now()
    with transaction.atomic():
        try:
            decided = perform_transition(
                workflow=OBJECTION_WORKFLOW, obj=objection,
                move_name="uphold" if upheld else "dismiss", actor=actor, reason=reason,
                changes={"decision_reason": reason, "decided_at": now, "decided_by": actor})
        except TransitionNotAllowed as error:
            raise ObjectionError(str(error)) from None
        if upheld:
            entries = list(decided.entries.select_related("application", "notice")
                           .filter(removed_at__isnull=True).order_by("position"))
            NoticeEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
                removed_at=now, removal_reason=reason)
            for entry in entries:
                audit_record(action="notice_entry.remove", actor=actor, target=entry,
                             after={"objection": decided.number, "reason": reason})
                link = reverse("applications:detail", args=[entry.application_id])
                for user in organisation_members(entry.application.organisation_id):
                    notify(recipient=user, purpose="objection_upheld_applicant", link=link,
                           context={"entry": entry, "reason": reason})
        if decided.email:
            context = {"objection": decided, "upheld": upheld, "reason": reason,
                       "link": reverse("centers:objection_lookup")}
            subject = " ".join(render_text("notifications/objection_decided/subject.txt",
                                           context).split())
            mail_queue(to_address=decided.email, purpose="objection_decided", subject=subject,
                       body=render_text("notifications/objection_decided/body.txt",
                                        context).strip())
    return decided
