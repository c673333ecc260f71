"""宣传推介 (第十五条、第十九条): the commission's news and announcements (`Article`) and the
centers' 典型案例 (`CaseStudy`).

Both carry HTML written in a simple editor (static/js/editor.js) or typed as plain text. Whatever
arrives, `sanitise` cleans it with nh3 against an explicit allow-list before it is stored, on
every save, by the services below; the templates mark only that stored body safe.

News and announcements: commission staff write them in Django admin and publish or withdraw
them (`ARTICLE_WORKFLOW`). 典型案例: the center's unit writes a case (autosaved, guarded by
`CaseStudy.version`), submits it; the commission approves it for the public page or returns it
with a reason; the unit may withdraw a published case and, after a return or a withdrawal,
edit and submit it again (`CASE_WORKFLOW`). Every write leaves an audit row; every move a
`StatusChange` too (core.transitions).
"""

import html
import re

import nh3
import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from accounts.rules import is_commission_staff, is_district_official
from accounts.selectors import user_department_ids
from applications.services import organisation_members
from core.audit import audit_record
from core.notifications import notify
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition

from .enums import ArticleKind, ArticleStatus, CaseStudyStatus, CenterStatus
from .models import Article, CaseStudy, Center
from .rules import is_member_of_center_unit

A = ArticleStatus
C = CaseStudyStatus

TITLE_MAX_CHARS = 200
SUMMARY_MAX_CHARS = 300
BODY_MAX_CHARS = 50_000

# --- the sanitiser ------------------------------------------------------------------------------

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "u", "h3", "h4", "ul", "ol", "li",
                          "blockquote", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Removed with everything inside them (the others lose their tags and keep their text).
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template",
                                  "noscript", "textarea", "select", "svg", "math", "title"})
_SCHEME = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_URL_SCHEMES), url_relative="deny",
    clean_content_tags=set(DROPPED_WITH_CONTENT), strip_comments=True,
    link_rel="noopener noreferrer",
    attribute_filter=lambda tag, name, value: (
        value if name != "href" or _SCHEME.match(value.strip()) else None),
)


_TAG = re.compile(r"<[A-Za-z/!?]")
_EMPTY_PARAGRAPH = re.compile(r"<p>(\s|<br>)*</p>")


def text_to_html(text: str) -> str:
    """Plain text (typed where the editor did not load: no tag in it) → paragraphs: a blank line
    starts a new `<p>`, a single line break is a `<br>`. The text stays HTML text (a typed
    `&amp;` is an entity, a lone `<` or `&` is text): `sanitise` parses and escapes the result.
    "" → ""."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))]
    return "".join("<p>" + "<br>".join(p.split("\n")) + "</p>" for p in paragraphs if p)


def sanitise(value: str) -> str:
    """The HTML that may be stored and shown: nh3 with an explicit allow-list — p, br, strong,
    em, b, i, u, h3, h4, ul, ol, li, blockquote and a (only `href`, only http, https or mailto,
    given rel="noopener noreferrer"); every other tag is stripped (script, style, iframe and
    the like with their content), every other attribute (on*, style, class, id) removed, and
    comments dropped. Text of several lines without any tag is taken as plain text
    (`text_to_html`).

    `value`: str (None → ""). Returns str, whitespace-trimmed. Never raises. 第十九条."""
    value = (value or "").strip()
    if not value:
        return ""
    if "\n" in value and not _TAG.search(value):
        value = text_to_html(value)
    # An editor leaves empty paragraphs behind (Enter at the end); they carry nothing.
    return _EMPTY_PARAGRAPH.sub("", _CLEANER.clean(value)).strip()


def plain_length(value: str) -> int:
    """How many characters of text (tags aside) sanitised HTML holds: the measure of "empty"."""
    return len(html.unescape(re.sub(r"<[^>]*>", "", value or "")).strip())


# --- who may do what ------------------------------------------------------------------------------

@rules.predicate
def is_member_of_case_unit(user, case):
    """The applicant users of the unit whose center wrote `case`."""
    return case is not None and is_member_of_center_unit(user, case.center)


@rules.predicate
def case_center_active(user, case):
    return case is not None and case.center.status == CenterStatus.ACTIVE


@rules.predicate
def is_member_of_active_center(user, center):
    return (center is not None and center.status == CenterStatus.ACTIVE
            and is_member_of_center_unit(user, center))


# 第十九条: a center's own unit reads its cases, drafts included (nobody else reads a draft).
rules.add_perm("centers.view_own_cases", is_member_of_center_unit)
# 第十五条: the commission publishes news and announcements.
rules.add_perm("centers.publish_article", is_commission_staff)
# 第十九条: a center in operation writes its 典型案例 (checked against the center) …
rules.add_perm("centers.write_case", is_member_of_active_center)
# … edits and submits it (checked against the case) …
rules.add_perm("centers.submit_case", is_member_of_case_unit & case_center_active)
# … the commission approves or returns it …
rules.add_perm("centers.review_case", is_commission_staff)
# … and the unit (or the commission) takes a published case off the public page.
rules.add_perm("centers.withdraw_case", is_member_of_case_unit | is_commission_staff)
# 第十一条: the 主管部门 supervises its centers, so it reads their cases once sent to the
# commission (never a draft: the unit's own), read-only; `cases_for_district` scopes every read
# to the official's own department.
rules.add_perm("centers.view_district_cases", is_district_official)

ARTICLE_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("publish", (A.DRAFT, A.WITHDRAWN), A.PUBLISHED, "centers.publish_article", "发布"),
        Move("withdraw", (A.PUBLISHED,), A.WITHDRAWN, "centers.publish_article", "撤回"),
    ),
)

CASE_WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("submit", (C.DRAFT, C.RETURNED, C.WITHDRAWN), C.SUBMITTED, "centers.submit_case",
             "提交审核"),
        Move("approve", (C.SUBMITTED,), C.PUBLISHED, "centers.review_case", "审核通过并发布"),
        Move("return", (C.SUBMITTED,), C.RETURNED, "centers.review_case", "退回修改",
             reason_required=True),
        Move("withdraw", (C.PUBLISHED,), C.WITHDRAWN, "centers.withdraw_case", "撤回"),
    ),
)
# The unit may change a case's text while it is not with the commission nor public.
CASE_EDITABLE = (C.DRAFT, C.RETURNED, C.WITHDRAWN)

STALE_MESSAGE = ("该案例已在其他页面或窗口中保存过，本页的内容未保存。请复制您刚填写的内容，"
                 "刷新页面后再修改。")


class PublicityError(Exception):
    """A news item or case the rules refuse; the message is Chinese and shown as is."""


class StaleCase(PublicityError):
    """Another save of the case came first (its `version` moved on)."""


def _text_fields(*, title: str, summary: str, body: str, body_required: bool) -> dict:
    title, summary = (title or "").strip(), (summary or "").strip()
    body = sanitise(body)
    problems = []
    if not title:
        problems.append("请填写标题。")
    elif len(title) > TITLE_MAX_CHARS:
        problems.append(f"标题不超过{TITLE_MAX_CHARS}字。")
    if len(summary) > SUMMARY_MAX_CHARS:
        problems.append(f"摘要不超过{SUMMARY_MAX_CHARS}字。")
    if len(body) > BODY_MAX_CHARS:
        problems.append(f"正文过长（不超过{BODY_MAX_CHARS}个字符，含格式）。")
    if body_required and plain_length(body) == 0:
        problems.append("请填写正文。")
    if problems:
        raise PublicityError("".join(problems))
    return {"title": title, "summary": summary, "body": body}


# --- news and announcements -------------------------------------------------------------------

def article_save(*, actor, article: Article | None = None, kind: str, title: str, summary: str,
                 body: str) -> Article:
    """Creates (article None) or updates a news item or announcement, its `body` sanitised.

    `kind`: an ArticleKind value. A published article may be corrected; it stays published.
    Raises PermissionDenied (not commission staff), PublicityError (no title or body, too long,
    unknown kind). Audited (`article.create` / `article.update`). 第十五条."""
    if not actor.has_perm("centers.publish_article"):
        raise PermissionDenied("只有市发展改革委工作人员可以撰写新闻公告。")
    if kind not in ArticleKind.values:
        raise PublicityError("请选择栏目。")
    fields = {"kind": kind, **_text_fields(title=title, summary=summary, body=body,
                                           body_required=True)}
    with transaction.atomic():
        if article is None or article.pk is None:
            article = Article.objects.create(created_by=actor, **fields)
            audit_record(action="article.create", actor=actor, target=article,
                         after={"kind": kind, "title": fields["title"]})
            return article
        locked = Article.objects.select_for_update().get(pk=article.pk)
        before = {name: getattr(locked, name) for name in fields}
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=[*fields, "updated_at"])
        audit_record(action="article.update", actor=actor, target=locked,
                     before={k: v for k, v in before.items() if k != "body"},
                     after={k: v for k, v in fields.items() if k != "body"},
                     note="正文已修改" if before["body"] != fields["body"] else "")
    return locked


def article_publish(*, article: Article, actor) -> Article:
    """草稿 or 已撤回 → 已发布: shown on /news/ from now on (published_at = now).
    Raises PermissionDenied, PublicityError (already published). Audited (`article.publish`)."""
    try:
        return perform_transition(workflow=ARTICLE_WORKFLOW, obj=article, move_name="publish",
                                  actor=actor, changes={"published_at": timezone.now()})
    except TransitionNotAllowed as error:
        raise PublicityError(str(error)) from None


def article_withdraw(*, article: Article, actor, reason: str = "") -> Article:
    """已发布 → 已撤回: off the public pages (its address answers 404). Raises
    PermissionDenied, PublicityError (not published). Audited (`article.withdraw`)."""
    try:
        return perform_transition(workflow=ARTICLE_WORKFLOW, obj=article, move_name="withdraw",
                                  actor=actor, reason=reason)
    except TransitionNotAllowed as error:
        raise PublicityError(str(error)) from None


# --- 典型案例 -------------------------------------------------------------------------------------

def case_create(*, center: Center, actor, title: str, summary: str = "",
                body: str = "") -> CaseStudy:
    """A new 典型案例 draft of `center`, written by its unit (`body` sanitised; may be empty
    while a draft). Raises PermissionDenied (not the center's unit, center not in operation),
    PublicityError (no title, too long). Audited (`casestudy.create`). 第十九条."""
    if not actor.has_perm("centers.write_case", center):
        raise PermissionDenied("只有赋能中心所在单位可以填报典型案例。")
    fields = _text_fields(title=title, summary=summary, body=body, body_required=False)
    with transaction.atomic():
        case = CaseStudy.objects.create(center=center, created_by=actor, **fields)
        audit_record(action="casestudy.create", actor=actor, target=case,
                     after={"title": fields["title"], "center": center.pk})
    return case


def case_save(*, case: CaseStudy, actor, title: str, summary: str, body: str,
              expected_version: int | None = None) -> CaseStudy:
    """Saves the unit's text of a case (保存, autosave): `body` sanitised, `version` moved on
    by one. `expected_version`: the version the page was based on (None: no guard).

    Raises PermissionDenied (not its unit), PublicityError (submitted or published: not
    editable; no title; too long), StaleCase (another save came first). Audited
    (`casestudy.save`). 第十九条."""
    if not actor.has_perm("centers.submit_case", case):
        raise PermissionDenied("只有赋能中心所在单位可以修改典型案例。")
    fields = _text_fields(title=title, summary=summary, body=body, body_required=False)
    with transaction.atomic():
        locked = CaseStudy.objects.select_for_update().get(pk=case.pk)
        if locked.status not in CASE_EDITABLE:
            raise PublicityError(f"案例{locked.get_status_display()}，不能修改。")
        if expected_version is not None and locked.version != expected_version:
            raise StaleCase(STALE_MESSAGE)
        CaseStudy.objects.filter(pk=locked.pk).update(version=F("version") + 1,
                                                      updated_at=timezone.now(), **fields)
        locked.refresh_from_db()
        audit_record(action="casestudy.save", actor=actor, target=locked,
                     after={"version": locked.version, "title": locked.title})
    return locked


def case_submit(*, case: CaseStudy, actor) -> CaseStudy:
    """草稿、退回修改 or 已撤回 → 待审核 by the commission. The text must be complete (title and
    body). Raises PermissionDenied, PublicityError (not in a submittable state, no body).
    Audited (`casestudy.submit`)."""
    current = CaseStudy.objects.only("title", "body").get(pk=case.pk)
    if plain_length(current.body) == 0:
        raise PublicityError("请填写案例正文后再提交。")
    try:
        return perform_transition(workflow=CASE_WORKFLOW, obj=case, move_name="submit",
                                  actor=actor, changes={"submitted_at": timezone.now(),
                                                        "return_reason": ""})
    except TransitionNotAllowed as error:
        raise PublicityError(str(error)) from None


def case_approve(*, case: CaseStudy, actor) -> CaseStudy:
    """待审核 → 已发布 on /cases/ (published_at = now, decided_by = actor); once committed, the
    center's unit is told (站内通知 and mail `case_published`). Raises
    PermissionDenied (not commission staff), PublicityError (not awaiting approval; its center
    no longer in operation: a case sent before the revocation is not published as a designated
    center's; a case not awaiting approval is refused for its state, as any other). Audited
    (`casestudy.approve`). 第十九条."""
    try:
        with transaction.atomic():
            # The center's row is locked as center_revoke locks it: a revocation committed
            # while the case is approved is seen here, not after the case went public.
            center_status = (Center.objects.select_for_update().filter(pk=case.center_id)
                             .values_list("status", flat=True).first())
            if center_status != CenterStatus.ACTIVE:
                status = (CaseStudy.objects.filter(pk=case.pk)
                          .values_list("status", flat=True).first())
                if status != C.SUBMITTED:
                    # Refused for its state, as any case: "可退回" would send the commission
                    # after a move a published or returned case cannot take.
                    raise PublicityError(f"当前状态“{C(status).label}”下不能执行“审核通过并发布”。")
                raise PublicityError(
                    "该赋能中心已不在运行中（已撤销认定），其典型案例不能审核发布，可退回。")
            return perform_transition(workflow=CASE_WORKFLOW, obj=case, move_name="approve",
                                      actor=actor, changes={"published_at": timezone.now(),
                                                            "decided_by": actor},
                                      on_commit=[lambda: _tell_unit(case.pk, "case_published")])
    except TransitionNotAllowed as error:
        raise PublicityError(str(error)) from None


def case_return(*, case: CaseStudy, actor, reason: str) -> CaseStudy:
    """待审核 → 退回修改 with `reason` (required, shown to the unit); once committed, the
    center's unit is told, the reason included (站内通知 and mail `case_returned`). Raises
    PermissionDenied, PublicityError (no reason, not awaiting approval). Audited
    (`casestudy.return`)."""
    reason = (reason or "").strip()
    try:
        return perform_transition(workflow=CASE_WORKFLOW, obj=case, move_name="return",
                                  actor=actor, reason=reason,
                                  changes={"return_reason": reason, "decided_by": actor},
                                  on_commit=[lambda: _tell_unit(case.pk, "case_returned")])
    except TransitionNotAllowed as error:
        raise PublicityError(str(error)) from None


def _tell_unit(case_id: int, purpose: str) -> None:
    """The commission's decision on a case, to every active user of the center's unit, linked
    to the case's page in the unit's workspace. Run after commit: a decision rolled back tells
    nobody."""
    case = CaseStudy.objects.select_related("center__application").get(pk=case_id)
    link = reverse("centers:case_edit", args=[case.center_id, case.pk])
    for user in organisation_members(case.center.application.organisation_id):
        notify(recipient=user, purpose=purpose, link=link,
               context={"case": case, "center": case.center})


def case_withdraw(*, case: CaseStudy, actor, reason: str = "") -> CaseStudy:
    """已发布 → 已撤回, by its unit or the commission: off /cases/ at once (404). The unit may
    edit and submit it again. Raises PermissionDenied, PublicityError (not published).
    Audited (`casestudy.withdraw`)."""
    try:
        return perform_transition(workflow=CASE_WORKFLOW, obj=case, move_name="withdraw",
                                  actor=actor, reason=reason)
    except TransitionNotAllowed as error:
        raise PublicityError(str(error)) from None


# --- reads --------------------------------------------------------------------------------------

ARTICLE_LIST_FIELDS = ("pk", "kind", "title", "summary", "published_at")
CASE_LIST_FIELDS = ("pk", "title", "summary", "status", "published_at", "submitted_at",
                    "updated_at", "center_id", "center__name")


def articles_published(kind: str | None = None):
    """Published news and announcements, newest first; `kind` an ArticleKind value or None."""
    rows = Article.objects.filter(status=A.PUBLISHED).only(*ARTICLE_LIST_FIELDS) \
        .order_by("-published_at", "-id")
    if kind in ArticleKind.values:
        rows = rows.filter(kind=kind)
    return rows


PUBLIC_CASE_FIELDS = (*CASE_LIST_FIELDS, "center__status", "center__revoked_on")
# 第十七条、第十九条: ?scope= of the public list.
CASE_SCOPES = (("current", "现有赋能中心的案例"), ("revoked", "已撤销赋能中心的案例"))


def cases_published(scope: str | None = None):
    """Published 典型案例 with their center's name, status and revocation date (two queries a
    page with the count). The cases of centers in operation come first, newest first; then
    those of centers revoked since (第十七条): they stay in the public record, marked, but are
    not offered as current examples. `scope`: "current" (active centers only), "revoked"
    (revoked centers only) or None (both)."""
    rows = (CaseStudy.objects.filter(status=C.PUBLISHED).select_related("center")
            .only(*PUBLIC_CASE_FIELDS))
    if scope == "current":
        rows = rows.filter(center__status=CenterStatus.ACTIVE)
    elif scope == "revoked":
        rows = rows.exclude(center__status=CenterStatus.ACTIVE)
    return rows.annotate(center_gone=Case(
        When(center__status=CenterStatus.ACTIVE, then=Value(0)), default=Value(1),
        output_field=IntegerField())).order_by("center_gone", "-published_at", "-id")


def case_published_get(pk: int) -> CaseStudy:
    """One published case with what its public page shows (its center's name, status and
    revocation date). Raises CaseStudy.DoesNotExist for anything not published."""
    return (CaseStudy.objects.select_related("center")
            .only("pk", "title", "summary", "body", "status", "published_at", "center_id",
                  "center__name", "center__status", "center__revoked_on")
            .get(pk=pk, status=C.PUBLISHED))


def cases_of_center(center: Center):
    """Every case of `center`, drafts included: for its own unit only."""
    return center.case_studies.select_related("center").only(*CASE_LIST_FIELDS) \
        .order_by("-updated_at", "-id")


def cases_for_commission(status: str | None = None):
    """The commission's queue: the cases sent to it (never a draft), oldest waiting first for
    待审核, otherwise newest first; `status` a CaseStudyStatus value other than draft, or None
    for all of them."""
    rows = (CaseStudy.objects.exclude(status=C.DRAFT).select_related("center")
            .only(*CASE_LIST_FIELDS))
    if status in C.values and status != C.DRAFT:
        rows = rows.filter(status=status)
    if status == C.SUBMITTED:
        return rows.order_by("submitted_at", "id")
    return rows.order_by("-submitted_at", "-id")


def cases_for_district(user, status: str | None = None):
    """The cases of the centers supervised by `user`'s own 主管部门 (the departments of their
    district-official roles; none for anyone else), in every state but a draft (the unit's
    own), newest sent first; `status` a CaseStudyStatus value other than draft, or None for
    all. With the center's status and revocation date. 第十一条、第十九条."""
    ids = user_department_ids(user, Role.DISTRICT_OFFICIAL)
    rows = (CaseStudy.objects.filter(center__department_id__in=ids).exclude(status=C.DRAFT)
            .select_related("center").only(*PUBLIC_CASE_FIELDS))
    if status in C.values and status != C.DRAFT:
        rows = rows.filter(status=status)
    return rows.order_by("-submitted_at", "-id")


def case_for_district(*, user, pk: int) -> CaseStudy:
    """One case of a center of `user`'s 主管部门, read-only, for its detail page; a read of a
    case not (or no longer) public leaves an audit row (`casestudy.district_read`): it is
    another organisation's unpublished text. Raises CaseStudy.DoesNotExist (a draft, another
    department's case, an unknown one)."""
    case = cases_for_district(user).select_related("center__department").only(
        *PUBLIC_CASE_FIELDS, "body", "return_reason", "center__department__name").get(pk=pk)
    if case.status != C.PUBLISHED:
        audit_record(action="casestudy.district_read", actor=user, target=case,
                     after={"status": case.status, "center": case.center_id})
    return case


def case_history(case: CaseStudy) -> list[dict]:
    """The case's moves, oldest first: [{"at": datetime, "label": Chinese move name,
    "reason": str}] (one query). The actor is not shown: the unit reads it too."""
    from core.transitions import status_history

    labels = {m.name: m.label for m in CASE_WORKFLOW.moves}
    return [{"at": h.occurred_at, "label": labels.get(h.transition, "状态变更"),
             "reason": h.reason} for h in status_history(case)]
