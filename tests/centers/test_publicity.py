"""宣传推介 (第十五条、第十九条): news and announcements published and withdrawn by the commission,
典型案例 written by a center's unit (autosave with a version guard, text held when the session
ends), submitted, approved or returned by the commission and withdrawn; nobody but its unit
sees a draft; a second click creates nothing; the admin's actions call the same services; the
lists read a fixed number of queries."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from applications.drafts import DRAFT_TOKEN_FIELD, draft_token_make
from centers import publicity
from centers.enums import ArticleStatus, CaseStudyStatus, CenterStatus
from centers.models import Article, CaseStudy, Center
from centers.publicity_views import held_step
from core.audit import action_label
from core.models import AuditEvent, StatusChange
from core.transitions import TransitionNotAllowed
from tests.factories import applicant

pytestmark = pytest.mark.django_db
C = CaseStudyStatus
A = ArticleStatus


@pytest.fixture
def center(designated_centers):
    return designated_centers[0]


@pytest.fixture
def other_center(designated_centers):
    return designated_centers[1]


def unit_user(center, username="case-writer"):
    return applicant(center.application.organisation, username=username, real_name="案例填报人")


@pytest.fixture
def writer(center):
    return unit_user(center)


@pytest.fixture
def other_writer(other_center):
    return unit_user(other_center, "other-writer")


def _case(center, writer, **fields):
    return publicity.case_create(center=center, actor=writer,
                                 title=fields.pop("title", "注塑企业质量在线检测"),
                                 summary=fields.pop("summary", "摘要"),
                                 body=fields.pop("body", "<p>正文</p>"))


def _article(actor, **fields):
    return publicity.article_save(actor=actor, kind=fields.get("kind", "news"),
                                  title=fields.get("title", "赋能中心建设推进会召开"), summary="",
                                  body=fields.get("body", "<p>会议要求……</p>"))


# --- news and announcements ---------------------------------------------------------------------

def test_the_commission_writes_publishes_and_withdraws_news(commission_staff, client):
    article = _article(commission_staff, body='<p onclick="x()">会议<script>alert(1)</script></p>')
    assert article.body == "<p>会议</p>" and article.status == A.DRAFT
    url = reverse("centers:news_detail", args=[article.pk])
    assert client.get(url).status_code == 404
    assert "赋能中心建设推进会召开" not in client.get(reverse("centers:news_list")).content.decode()

    publicity.article_publish(article=article, actor=commission_staff)
    page = client.get(url).content.decode()
    assert "<p>会议</p>" in page and "alert(1)" not in page
    assert "赋能中心建设推进会召开" in client.get(reverse("centers:news_list")).content.decode()
    with pytest.raises(publicity.PublicityError, match="不能执行“发布”"):
        publicity.article_publish(article=article, actor=commission_staff)

    publicity.article_withdraw(article=article, actor=commission_staff)
    assert client.get(url).status_code == 404
    with pytest.raises(publicity.PublicityError):
        publicity.article_withdraw(article=article, actor=commission_staff)
    # Withdrawn, it may be published again.
    publicity.article_publish(article=article, actor=commission_staff)
    moves = list(StatusChange.objects.filter(object_id=str(article.pk),
                                             content_type__model="article")
                 .values_list("transition", flat=True))
    assert moves == ["publish", "withdraw", "publish"]
    assert set(AuditEvent.objects.filter(object_id=str(article.pk)).values_list(
        "action", flat=True)) == {"article.create", "article.publish", "article.withdraw"}


def test_only_the_commission_writes_and_publishes_news(commission_staff, applicant_a,
                                                       official_laoshan, superuser_no_role):
    article = _article(commission_staff)
    for outsider in (applicant_a, official_laoshan, superuser_no_role):
        with pytest.raises(PermissionDenied):
            _article(outsider)
        with pytest.raises(PermissionDenied):
            publicity.article_publish(article=article, actor=outsider)
    with pytest.raises(publicity.PublicityError, match="请填写正文"):
        _article(commission_staff, body="<script>alert(1)</script>")


def test_the_news_list_filters_by_kind(commission_staff, client):
    news = _article(commission_staff, title="新闻一则")
    notice = _article(commission_staff, kind="announcement", title="通知一则")
    for article in (news, notice):
        publicity.article_publish(article=article, actor=commission_staff)
    page = client.get(reverse("centers:news_list"), {"kind": "announcement"}).content.decode()
    assert "通知一则" in page and "新闻一则" not in page
    page = client.get(reverse("centers:news_list"), {"kind": "bogus"}).content.decode()
    assert "通知一则" in page and "新闻一则" in page


# --- 典型案例: the workflow -----------------------------------------------------------------------

def test_each_move_of_a_case(center, writer, commission_staff, client):
    case = _case(center, writer, body='<p>成效</p><img src=x onerror="alert(1)">')
    assert case.body == "<p>成效</p>" and case.status == C.DRAFT
    # Approving or returning a draft is refused; so is withdrawing it.
    with pytest.raises(publicity.PublicityError):
        publicity.case_approve(case=case, actor=commission_staff)
    with pytest.raises(publicity.PublicityError):
        publicity.case_withdraw(case=case, actor=writer)

    case = publicity.case_submit(case=case, actor=writer)
    assert case.status == C.SUBMITTED and case.submitted_at is not None
    with pytest.raises(publicity.PublicityError, match="不能修改"):
        publicity.case_save(case=case, actor=writer, title="改", summary="", body="x")
    with pytest.raises(publicity.PublicityError):
        publicity.case_submit(case=case, actor=writer)
    with pytest.raises((publicity.PublicityError, TransitionNotAllowed), match="理由"):
        publicity.case_return(case=case, actor=commission_staff, reason="  ")

    case = publicity.case_return(case=case, actor=commission_staff, reason="请补充服务成效数据。")
    assert case.status == C.RETURNED and case.return_reason == "请补充服务成效数据。"
    page = client.get(reverse("centers:case_public_detail", args=[case.pk]))
    assert page.status_code == 404

    case = publicity.case_save(case=case, actor=writer, title=case.title, summary="",
                               body="<p>成效：良品率提升3个百分点。</p>",
                               expected_version=case.version)
    case = publicity.case_submit(case=case, actor=writer)
    assert case.return_reason == ""
    case = publicity.case_approve(case=case, actor=commission_staff)
    assert case.status == C.PUBLISHED and case.decided_by == commission_staff
    page = client.get(reverse("centers:case_public_detail", args=[case.pk])).content.decode()
    assert "良品率提升3个百分点" in page and center.name in page
    assert case.title in client.get(reverse("centers:case_public_list")).content.decode()

    case = publicity.case_withdraw(case=case, actor=writer)
    assert case.status == C.WITHDRAWN
    assert client.get(reverse("centers:case_public_detail", args=[case.pk])).status_code == 404
    # Withdrawn, the unit may edit and submit it again.
    case = publicity.case_save(case=case, actor=writer, title="改后的案例", summary="", body="<p>新</p>")
    assert publicity.case_submit(case=case, actor=writer).status == C.SUBMITTED

    moves = list(StatusChange.objects.filter(object_id=str(case.pk),
                                             content_type__model="casestudy")
                 .values_list("transition", flat=True))
    assert moves == ["submit", "return", "submit", "approve", "withdraw", "submit"]
    actions = set(AuditEvent.objects.filter(object_id=str(case.pk), content_type__model="casestudy")
                  .values_list("action", flat=True))
    assert actions == {"casestudy.create", "casestudy.save", "casestudy.submit",
                       "casestudy.return", "casestudy.approve", "casestudy.withdraw"}
    assert all(action_label(a) != action_label("nonexistent.code") for a in actions)


def test_who_may_move_a_case(center, writer, other_writer, commission_staff, official_laoshan,
                             applicant_a):
    case = _case(center, writer)
    for outsider in (other_writer, commission_staff, official_laoshan, applicant_a):
        with pytest.raises(PermissionDenied):
            publicity.case_save(case=case, actor=outsider, title="改", summary="", body="x")
        with pytest.raises(PermissionDenied):
            publicity.case_submit(case=case, actor=outsider)
    with pytest.raises(PermissionDenied):
        publicity.case_create(center=center, actor=other_writer, title="冒名")
    case = publicity.case_submit(case=case, actor=writer)
    for outsider in (writer, other_writer, official_laoshan):
        with pytest.raises(PermissionDenied):
            publicity.case_approve(case=case, actor=outsider)
    case = publicity.case_approve(case=case, actor=commission_staff)
    for outsider in (other_writer, official_laoshan):
        with pytest.raises(PermissionDenied):
            publicity.case_withdraw(case=case, actor=outsider)
    # The commission may take a published case down too.
    assert publicity.case_withdraw(case=case, actor=commission_staff).status == C.WITHDRAWN


def test_a_revoked_center_writes_no_case(center, writer):
    Center.objects.filter(pk=center.pk).update(status=CenterStatus.REVOKED)
    center.refresh_from_db()
    with pytest.raises(PermissionDenied):
        publicity.case_create(center=center, actor=writer, title="撤销后")


def test_no_case_of_a_revoked_center_is_published(center, writer, commission_staff,
                                                  commission_admin, client):
    waiting = publicity.case_submit(case=_case(center, writer, title="撤销前报送"), actor=writer)
    Center.objects.filter(pk=center.pk).update(status=CenterStatus.REVOKED)
    with pytest.raises(publicity.PublicityError, match="已撤销认定"):
        publicity.case_approve(case=waiting, actor=commission_staff)
    client.force_login(commission_staff)
    page = client.post(reverse("centers:case_review", args=[waiting.pk]),
                       {"intent": "approve"}, follow=True).content.decode()
    assert "已撤销认定" in page
    client.force_login(commission_admin)
    client.post(reverse("admin:centers_casestudy_changelist"),
                {"action": "approve_cases", ACTION_CHECKBOX_NAME: [waiting.pk]})
    waiting.refresh_from_db()
    assert waiting.status == C.SUBMITTED
    assert client.get(reverse("centers:case_public_detail", args=[waiting.pk])).status_code == 404
    publicity.case_return(case=waiting, actor=commission_staff, reason="中心已撤销认定。")


def test_approving_a_revoked_centers_case_that_waits_for_nothing_says_its_state(
        center, writer, commission_staff, commission_admin, client):
    # The revoked-center refusal ends "可退回": said of a case already published (or
    # returned) it sends the commission after a move that case cannot take. The state is
    # what stops the approval there, as for a case of a center in operation.
    published = publicity.case_submit(case=_case(center, writer, title="撤销前发布"),
                                      actor=writer)
    publicity.case_approve(case=published, actor=commission_staff)
    returned = publicity.case_submit(case=_case(center, writer, title="撤销前退回"),
                                     actor=writer)
    publicity.case_return(case=returned, actor=commission_staff, reason="请补充数据。")
    Center.objects.filter(pk=center.pk).update(status=CenterStatus.REVOKED)
    for case, label in ((published, "已发布"), (returned, "退回修改")):
        with pytest.raises(publicity.PublicityError) as refused:
            publicity.case_approve(case=case, actor=commission_staff)
        assert f"当前状态“{label}”" in str(refused.value)
        assert "可退回" not in str(refused.value)
    client.force_login(commission_admin)
    page = client.post(reverse("admin:centers_casestudy_changelist"),
                       {"action": "approve_cases", ACTION_CHECKBOX_NAME: [published.pk]},
                       follow=True).content.decode()
    assert "当前状态“已发布”" in page and "可退回" not in page
    published.refresh_from_db()
    assert published.status == C.PUBLISHED


def test_the_review_page_marks_a_revoked_centers_case_and_offers_no_approval(
        center, writer, commission_staff, client):
    # Its approval is always refused (已撤销认定): the page said nothing of the revocation
    # and offered the button that fails; 退回修改 stays, as the refusal says.
    waiting = publicity.case_submit(case=_case(center, writer, title="撤销前报送"), actor=writer)
    _revoke(center, commission_staff)
    client.force_login(commission_staff)
    page = client.get(reverse("centers:case_review", args=[waiting.pk])).content.decode()
    assert "被撤销认定资格" in page
    assert 'id="case-approve"' not in page and 'id="case-return"' in page


def test_a_submission_needs_a_body(center, writer):
    case = _case(center, writer, body="")
    with pytest.raises(publicity.PublicityError, match="正文"):
        publicity.case_submit(case=case, actor=writer)


# --- 典型案例: isolation --------------------------------------------------------------------------

def test_nobody_but_its_unit_sees_a_draft(center, other_center, writer, other_writer,
                                          commission_staff, official_laoshan, official_jimo,
                                          client):
    case = _case(center, writer, title="尚未提交的草稿案例")
    edit = reverse("centers:case_edit", args=[center.pk, case.pk])
    listed = reverse("centers:case_list", args=[center.pk])
    public = reverse("centers:case_public_detail", args=[case.pk])
    review = reverse("centers:case_review", args=[case.pk])
    assert client.get(public).status_code == 404
    assert "尚未提交的草稿案例" not in client.get(reverse("centers:case_public_list")).content.decode()
    for outsider in (other_writer, official_laoshan, official_jimo, commission_staff):
        client.force_login(outsider)
        assert client.get(edit).status_code == 403
        assert client.get(listed).status_code == 403
        assert client.post(reverse("centers:case_autosave", args=[center.pk, case.pk]),
                           {"title": "篡改", "version": "0"}).status_code == 403
    client.force_login(commission_staff)
    assert client.get(review).status_code == 404
    assert "尚未提交的草稿案例" not in client.get(reverse("centers:case_queue"),
                                           {"status": "all"}).content.decode()
    # A case of another center is not reachable under this center's address either.
    client.force_login(other_writer)
    other = _case(other_center, other_writer)
    assert client.get(reverse("centers:case_edit", args=[center.pk, other.pk])).status_code == 403
    client.force_login(writer)
    assert client.get(reverse("centers:case_edit", args=[center.pk, other.pk])).status_code == 404
    assert "尚未提交的草稿案例" in client.get(listed).content.decode()
    CaseStudy.objects.filter(pk=case.pk).update(title="已改")
    assert client.get(edit).status_code == 200


# --- 典型案例: the pages --------------------------------------------------------------------------

def test_the_unit_creates_once_edits_and_submits(center, writer, client):
    client.force_login(writer)
    new = reverse("centers:case_new", args=[center.pk])
    page = client.get(new).content.decode()
    assert 'data-editor' in page and "js/editor.js" in page
    bad = client.post(new, {"title": "", "summary": "保留的摘要", "body": "<p>保留的正文</p>"})
    assert bad.status_code == 200 and "保留的摘要" in bad.content.decode()
    assert "请填写" in bad.content.decode() or "这个字段是必填项" in bad.content.decode()
    data = {"title": "设备联网改造案例", "summary": "", "body": "<p>正文</p>",
            "form_token": "k" * 32}
    first = client.post(new, data)
    second = client.post(new, data)
    assert CaseStudy.objects.filter(center=center).count() == 1
    case = CaseStudy.objects.get(center=center)
    edit = reverse("centers:case_edit", args=[center.pk, case.pk])
    assert first.url == edit and second.url == edit

    page = client.get(edit).content.decode()
    assert "data-autosave-url" in page and f'name="version" value="{case.version}"' in page
    submit = {"intent": "submit", "title": "设备联网改造案例", "summary": "",
              "body": "<p>完整正文</p>", "version": str(case.version), "form_token": "s" * 32}
    assert client.post(edit, submit).status_code == 302
    assert client.post(edit, submit).status_code == 302
    case.refresh_from_db()
    assert case.status == C.SUBMITTED and case.body == "<p>完整正文</p>"
    assert StatusChange.objects.filter(object_id=str(case.pk), transition="submit").count() == 1
    page = client.get(edit).content.decode()
    assert "审核期间不能修改" in page and "data-autosave-url" not in page


def test_autosave_guards_the_version(center, writer, client):
    case = _case(center, writer)
    client.force_login(writer)
    url = reverse("centers:case_autosave", args=[center.pk, case.pk])
    saved = client.post(url, {"title": case.title, "summary": "", "body": "<p>自动保存</p>",
                              "version": str(case.version)})
    assert saved.status_code == 200 and saved.json()["fields"] == {"version": case.version + 1}
    # An empty title is not saved by a timer: the stored one stays.
    blank = client.post(url, {"title": "", "body": "<p>再改</p>", "version": str(case.version + 1)})
    assert blank.status_code == 200 and blank.json()["invalid"] == ["案例名称"]
    case.refresh_from_db()
    assert case.title == "注塑企业质量在线检测" and case.body == "<p>再改</p>"
    stale = client.post(url, {"title": "另一页面", "body": "x", "version": "0"})
    assert stale.status_code == 409
    # The page's own save with a stale version keeps what was typed on the page.
    edit = reverse("centers:case_edit", args=[center.pk, case.pk])
    page = client.post(edit, {"intent": "save", "title": "旧页面的标题", "summary": "",
                              "body": "<p>旧页面的正文</p>", "version": "0"}).content.decode()
    assert "已在其他页面或窗口中保存过" in page and "旧页面的标题" in page
    case.refresh_from_db()
    assert case.title == "注塑企业质量在线检测"


def test_text_posted_after_the_session_ended_is_held_and_restored(center, writer, client):
    case = _case(center, writer)
    token = draft_token_make(user_id=writer.pk, application_id=center.application_id,
                             step=held_step(case.pk))
    edit = reverse("centers:case_edit", args=[center.pk, case.pk])
    response = client.post(edit, {"intent": "save", "title": case.title, "summary": "",
                                  "body": "<p>超时前写的正文</p>", "version": "1",
                                  DRAFT_TOKEN_FIELD: token})
    assert response.status_code == 302 and reverse("login") in response.url
    autosave = client.post(reverse("centers:case_autosave", args=[center.pk, case.pk]),
                           {"title": case.title, "body": "<p>超时前写的正文</p>", "version": "1",
                            DRAFT_TOKEN_FIELD: token})
    assert autosave.status_code == 401 and autosave.json()["held"] is True
    client.force_login(writer)
    page = client.get(edit).content.decode()
    assert "超时前写的正文" in page
    case.refresh_from_db()
    assert "超时前" not in case.body  # held, not written


def test_the_commission_reviews_in_the_portal_once(center, writer, commission_staff, client):
    case = publicity.case_submit(case=_case(center, writer), actor=writer)
    client.force_login(commission_staff)
    queue = client.get(reverse("centers:case_queue")).content.decode()
    assert case.title in queue
    review = reverse("centers:case_review", args=[case.pk])
    empty = client.post(review, {"intent": "return", "reason": ""})
    assert empty.status_code == 200 and case.title in empty.content.decode()
    data = {"intent": "return", "reason": "请补充企业名称。", "form_token": "r" * 32}
    assert client.post(review, data).status_code == 302
    assert client.post(review, data).status_code == 302
    case.refresh_from_db()
    assert case.status == C.RETURNED
    assert StatusChange.objects.filter(object_id=str(case.pk), transition="return").count() == 1
    client.force_login(writer)
    page = client.get(reverse("centers:case_edit", args=[center.pk, case.pk])).content.decode()
    assert "请补充企业名称。" in page and "退回修改" in page

    publicity.case_submit(case=case, actor=writer)
    client.force_login(commission_staff)
    approve = {"intent": "approve", "form_token": "a" * 32}
    client.post(review, approve)
    client.post(review, approve)
    case.refresh_from_db()
    assert case.status == C.PUBLISHED
    assert StatusChange.objects.filter(object_id=str(case.pk), transition="approve").count() == 1


def test_the_unit_withdraws_a_published_case(center, writer, commission_staff, client):
    case = publicity.case_submit(case=_case(center, writer), actor=writer)
    publicity.case_approve(case=case, actor=commission_staff)
    client.force_login(writer)
    edit = reverse("centers:case_edit", args=[center.pk, case.pk])
    assert "撤回案例" in client.get(edit).content.decode()
    client.post(edit, {"intent": "withdraw"})
    case.refresh_from_db()
    assert case.status == C.WITHDRAWN
    assert client.get(reverse("centers:case_public_detail", args=[case.pk])).status_code == 404


def test_the_workspace_links_the_cases_for_its_unit_only(center, writer, commission_staff,
                                                        client):
    url = reverse("centers:workspace", args=[center.pk])
    client.force_login(writer)
    assert reverse("centers:case_list", args=[center.pk]) in client.get(url).content.decode()
    client.force_login(commission_staff)
    assert reverse("centers:case_list", args=[center.pk]) not in client.get(url).content.decode()


# --- admin -------------------------------------------------------------------------------------

def test_every_publicity_act_has_its_admin_action():
    from django.contrib import admin as django_admin

    def names(model):
        return {getattr(a, "__name__", a) for a in django_admin.site._registry[model].actions}

    assert {"publish_articles", "withdraw_articles"} <= names(Article)
    assert {"approve_cases", "return_cases", "withdraw_cases"} <= names(CaseStudy)


def test_the_commission_writes_and_publishes_news_in_admin(commission_admin, client):
    client.force_login(commission_admin)
    add = client.get(reverse("admin:centers_article_add")).content.decode()
    assert "data-editor" in add and "js/editor.js" in add
    response = client.post(reverse("admin:centers_article_add"), {
        "kind": "announcement", "title": "关于报送典型案例的通知", "summary": "",
        "body": '<h3>一、报送范围</h3><p style="x" onclick="y">已认定的赋能中心</p>'
                '<a href="javascript:alert(1)">链接</a>'})
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.body == ('<h3>一、报送范围</h3><p>已认定的赋能中心</p>'
                            '<a rel="noopener noreferrer">链接</a>')
    assert article.created_by == commission_admin
    assert AuditEvent.objects.filter(action="article.create", object_id=str(article.pk)).exists()
    empty = client.post(reverse("admin:centers_article_change", args=[article.pk]), {
        "kind": "announcement", "title": "关于报送典型案例的通知", "summary": "",
        "body": "<script>alert(1)</script>"})
    assert empty.status_code == 200 and "请填写正文" in empty.content.decode()
    changelist = reverse("admin:centers_article_changelist")
    client.post(changelist, {"action": "publish_articles", ACTION_CHECKBOX_NAME: [article.pk]})
    article.refresh_from_db()
    assert article.status == A.PUBLISHED and article.published_at is not None
    client.post(changelist, {"action": "withdraw_articles", ACTION_CHECKBOX_NAME: [article.pk]})
    article.refresh_from_db()
    assert article.status == A.WITHDRAWN
    assert client.post(reverse("admin:centers_article_delete", args=[article.pk])) \
        .status_code == 403


def test_the_commission_reviews_cases_in_admin(center, writer, commission_admin, client):
    draft = _case(center, writer, title="草稿不列出")
    waiting = publicity.case_submit(case=_case(center, writer, title="待审核的案例"), actor=writer)
    other = publicity.case_submit(case=_case(center, writer, title="另一件"), actor=writer)
    client.force_login(commission_admin)
    changelist = reverse("admin:centers_casestudy_changelist")
    listed = client.get(changelist).content.decode()
    assert "待审核的案例" in listed and "草稿不列出" not in listed
    assert client.get(reverse("admin:centers_casestudy_change", args=[draft.pk])) \
        .status_code in (302, 404)
    client.post(changelist, {"action": "approve_cases", ACTION_CHECKBOX_NAME: [waiting.pk]})
    waiting.refresh_from_db()
    assert waiting.status == C.PUBLISHED
    asked = client.post(changelist, {"action": "return_cases", ACTION_CHECKBOX_NAME: [other.pk]})
    assert "退回理由" in asked.content.decode()
    client.post(changelist, {"action": "return_cases", ACTION_CHECKBOX_NAME: [other.pk],
                             "apply": "1", "reason": "请补充成效数据。"})
    other.refresh_from_db()
    assert other.status == C.RETURNED and other.return_reason == "请补充成效数据。"
    client.post(changelist, {"action": "withdraw_cases", ACTION_CHECKBOX_NAME: [waiting.pk]})
    waiting.refresh_from_db()
    assert waiting.status == C.WITHDRAWN


def test_no_role_no_publicity_admin(superuser_no_role, client):
    client.force_login(superuser_no_role)
    assert client.get(reverse("admin:centers_article_changelist")).status_code == 403
    assert client.get(reverse("admin:centers_casestudy_changelist")).status_code == 403


# --- query counts ------------------------------------------------------------------------------

def _many_articles(actor, n):
    Article.objects.bulk_create([Article(kind="news", title=f"新闻{i}", body="<p>x</p>",
                                         status=A.PUBLISHED, published_at=timezone.now(),
                                         created_by=actor) for i in range(n)])


def _many_cases(center, actor, n, status):
    CaseStudy.objects.bulk_create([CaseStudy(
        center=center, title=f"案例{i}", body="<p>x</p>", status=status, created_by=actor,
        submitted_at=timezone.now(),
        published_at=timezone.now() if status == C.PUBLISHED else None) for i in range(n)])


@pytest.mark.parametrize("url_name", ["centers:news_list", "centers:case_public_list",
                                      "centers:case_list", "centers:case_queue"])
def test_the_lists_read_a_fixed_number_of_queries(center, other_center, writer, commission_staff,
                                                  client, django_assert_max_num_queries,
                                                  url_name):
    def add(n):
        if url_name == "centers:news_list":
            _many_articles(commission_staff, n)
        elif url_name == "centers:case_queue":
            _many_cases(center, writer, n // 2, C.SUBMITTED)
            _many_cases(other_center, writer, n - n // 2, C.SUBMITTED)
        else:
            _many_cases(center, writer, n, C.PUBLISHED)

    url = reverse(url_name, args=[center.pk]) if url_name == "centers:case_list" \
        else reverse(url_name)
    client.force_login({"centers:case_list": writer,
                        "centers:case_queue": commission_staff}.get(url_name, writer))
    add(1)
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        assert client.get(url).status_code == 200
    add(29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("案例") + page.count("新闻") >= 20  # a full page (public: 20 a page)


# --- 典型案例 of a center revoked after publication (第十七条、第十九条) ---------------------------

def _revoke(center, commission_staff, on=None):
    import datetime

    from centers.designation import center_revoke

    return center_revoke(center=center, on=on or datetime.date(2026, 8, 3),
                         ground_label="赋能中心所在单位主动申请撤销", actor=commission_staff)


def test_a_case_of_a_center_revoked_since_stays_public_marked_and_last(
        center, other_center, writer, other_writer, commission_staff, client):
    old = publicity.case_approve(case=publicity.case_submit(
        case=_case(center, writer, title="撤销前发布的案例"), actor=writer), actor=commission_staff)
    current = publicity.case_approve(case=publicity.case_submit(
        case=_case(other_center, other_writer, title="现有中心的案例"), actor=other_writer),
        actor=commission_staff)
    # The revoked center's case was published later: by date alone it would come first.
    CaseStudy.objects.filter(pk=current.pk).update(
        published_at=old.published_at - timezone.timedelta(days=1))
    listed = reverse("centers:case_public_list")
    page = client.get(listed).content.decode()
    assert "被撤销认定资格" not in page
    assert page.index("撤销前发布的案例") < page.index("现有中心的案例")

    _revoke(center, commission_staff)
    detail = client.get(reverse("centers:case_public_detail", args=[old.pk]))
    assert detail.status_code == 200
    assert "该赋能中心已于2026年8月3日被撤销认定资格" in detail.content.decode()
    assert "被撤销认定资格" not in client.get(
        reverse("centers:case_public_detail", args=[current.pk])).content.decode()
    page = client.get(listed).content.decode()
    assert "该赋能中心已于2026年8月3日被撤销认定资格" in page
    assert page.index("现有中心的案例") < page.index("撤销前发布的案例")
    only_current = client.get(listed, {"scope": "current"}).content.decode()
    assert "现有中心的案例" in only_current and "撤销前发布的案例" not in only_current
    only_revoked = client.get(listed, {"scope": "revoked"}).content.decode()
    assert "撤销前发布的案例" in only_revoked and "现有中心的案例" not in only_revoked


def test_the_public_list_stays_fixed_in_queries_with_revoked_centers(
        center, other_center, writer, commission_staff, client, django_assert_max_num_queries):
    _revoke(center, commission_staff)
    url = reverse("centers:case_public_list")
    _many_cases(center, writer, 1, C.PUBLISHED)
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        assert client.get(url).status_code == 200
    _many_cases(center, writer, 15, C.PUBLISHED)
    _many_cases(other_center, writer, 14, C.PUBLISHED)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("被撤销认定资格") >= 5


# --- 典型案例: the unit is told the commission's decision ----------------------------------------

def test_the_unit_is_told_when_its_case_is_published_or_returned(
        center, writer, commission_staff, django_capture_on_commit_callbacks):
    from core.models import Notification

    published = publicity.case_submit(case=_case(center, writer, title="通过的案例"), actor=writer)
    returned = publicity.case_submit(case=_case(center, writer, title="退回的案例"), actor=writer)
    with django_capture_on_commit_callbacks(execute=True):
        publicity.case_approve(case=published, actor=commission_staff)
        publicity.case_return(case=returned, actor=commission_staff, reason="请补充服务企业名称和成效数据。")
    told = {n.purpose: n for n in Notification.objects.filter(recipient=writer)}
    assert set(told) == {"case_published", "case_returned"}
    assert "通过的案例" in told["case_published"].title and "审核通过" in told["case_published"].body
    assert told["case_published"].link == reverse("centers:case_edit",
                                                  args=[center.pk, published.pk])
    assert "退回的案例" in told["case_returned"].title
    assert "请补充服务企业名称和成效数据。" in told["case_returned"].body
    # Every user of the unit, nobody else (not the commission, not another unit).
    from applications.services import organisation_members

    members = {u.pk for u in organisation_members(center.application.organisation_id)}
    assert set(Notification.objects.filter(purpose="case_returned")
               .values_list("recipient_id", flat=True)) == members


def test_a_refused_decision_tells_nobody(center, writer, commission_staff,
                                         django_capture_on_commit_callbacks):
    from core.models import Notification

    waiting = publicity.case_submit(case=_case(center, writer), actor=writer)
    Center.objects.filter(pk=center.pk).update(status=CenterStatus.REVOKED)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(publicity.PublicityError):
            publicity.case_approve(case=waiting, actor=commission_staff)
        with pytest.raises(publicity.PublicityError):
            publicity.case_return(case=waiting, actor=commission_staff, reason="")
    assert not Notification.objects.filter(purpose__startswith="case_").exists()


def test_the_unit_is_told_of_decisions_taken_in_the_portal_and_in_admin(
        center, writer, commission_admin, client, django_capture_on_commit_callbacks):
    from core.models import Notification

    in_page = publicity.case_submit(case=_case(center, writer, title="页面审核的案例"), actor=writer)
    approved = publicity.case_submit(case=_case(center, writer, title="后台通过的案例"), actor=writer)
    returned = publicity.case_submit(case=_case(center, writer, title="后台退回的案例"), actor=writer)
    client.force_login(commission_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("centers:case_review", args=[in_page.pk]),
                    {"intent": "return", "reason": "页面上写的退回理由。"})
    changelist = reverse("admin:centers_casestudy_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "approve_cases", ACTION_CHECKBOX_NAME: [approved.pk]})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(changelist, {"action": "return_cases", ACTION_CHECKBOX_NAME: [returned.pk],
                                 "apply": "1", "reason": "后台写的退回理由。"})
    told = list(Notification.objects.filter(recipient=writer).order_by("pk"))
    assert [(n.purpose, n.title.split("“")[1].split("”")[0]) for n in told] == [
        ("case_returned", "页面审核的案例"), ("case_published", "后台通过的案例"),
        ("case_returned", "后台退回的案例")]
    assert "页面上写的退回理由。" in told[0].body and "后台写的退回理由。" in told[2].body
    client.force_login(writer)
    inbox = client.get(reverse("notification_list")).content.decode()
    assert "后台通过的案例" in inbox and "后台退回的案例" in inbox


# --- 典型案例: the 主管部门 reads its own centers' cases (第十一条) ----------------------------------

@pytest.fixture
def district_cases(center, other_center, writer, other_writer, commission_staff, laoshan, jimo):
    """center → 崂山区, other_center → 即墨区; a draft, a case awaiting approval, a returned one
    and a published one of 崂山区's center, one awaiting approval of 即墨区's."""
    Center.objects.filter(pk=center.pk).update(department=laoshan)
    Center.objects.filter(pk=other_center.pk).update(department=jimo)
    center.refresh_from_db()
    other_center.refresh_from_db()
    draft = _case(center, writer, title="崂山草稿案例")
    waiting = publicity.case_submit(case=_case(center, writer, title="崂山待审核案例"), actor=writer)
    returned = publicity.case_return(case=publicity.case_submit(
        case=_case(center, writer, title="崂山退回案例"), actor=writer), actor=commission_staff,
        reason="请补充数据。")
    published = publicity.case_approve(case=publicity.case_submit(
        case=_case(center, writer, title="崂山已发布案例"), actor=writer), actor=commission_staff)
    jimo_case = publicity.case_submit(case=_case(other_center, other_writer, title="即墨待审核案例"),
                                      actor=other_writer)
    return {"draft": draft, "waiting": waiting, "returned": returned, "published": published,
            "jimo": jimo_case}


def test_a_district_reads_its_own_centers_cases_in_every_state_but_a_draft(
        district_cases, official_laoshan, official_jimo, client):
    client.force_login(official_laoshan)
    listed = reverse("centers:district_case_list")
    page = client.get(listed).content.decode()
    for title, state in (("崂山待审核案例", "待审核"), ("崂山退回案例", "退回修改"),
                         ("崂山已发布案例", "已发布")):
        assert title in page and state in page
    assert "崂山草稿案例" not in page and "即墨待审核案例" not in page
    page = client.get(listed, {"status": "returned"}).content.decode()
    assert "崂山退回案例" in page and "崂山待审核案例" not in page

    detail = client.get(reverse("centers:district_case_detail",
                                args=[district_cases["returned"].pk])).content.decode()
    assert "请补充数据。" in detail and "退回修改" in detail and "<p>正文</p>" in detail
    # Read-only: no form of any kind on the page.
    assert 'method="post"' not in detail.split('id="case-body"')[1]
    assert client.get(reverse("centers:district_case_detail",
                              args=[district_cases["draft"].pk])).status_code == 404
    assert client.get(reverse("centers:district_case_detail",
                              args=[district_cases["jimo"].pk])).status_code == 404

    # Another district sees nothing of 崂山区's.
    client.force_login(official_jimo)
    page = client.get(listed).content.decode()
    assert "即墨待审核案例" in page and "崂山" not in page.split('id="case-rows"')[1]
    for key in ("waiting", "returned", "published", "draft"):
        assert client.get(reverse("centers:district_case_detail",
                                  args=[district_cases[key].pk])).status_code == 404
    assert set(publicity.cases_for_district(official_jimo)) == {district_cases["jimo"]}


def test_a_district_official_without_a_department_sees_no_case(district_cases, client):
    from accounts.enums import Role
    from accounts.models import RoleAssignment
    from tests.factories import UserFactory

    loose = UserFactory(username="official-without-department")
    RoleAssignment.objects.create(user=loose, role=Role.DISTRICT_OFFICIAL)
    assert not publicity.cases_for_district(loose).exists()
    client.force_login(loose)
    assert "崂山" not in client.get(reverse("centers:district_case_list")).content.decode() \
        .split('id="case-rows"')[1]


def test_a_districts_read_of_an_unpublished_case_is_audited(district_cases, official_laoshan,
                                                           client):
    client.force_login(official_laoshan)
    for key in ("waiting", "returned", "published"):
        assert client.get(reverse("centers:district_case_detail",
                                  args=[district_cases[key].pk])).status_code == 200
    reads = AuditEvent.objects.filter(action="casestudy.district_read")
    assert {(e.object_id, e.actor_id) for e in reads} == {
        (str(district_cases["waiting"].pk), official_laoshan.pk),
        (str(district_cases["returned"].pk), official_laoshan.pk)}
    assert action_label("casestudy.district_read") != action_label("nonexistent.code")
    # The list itself shows titles and states only: no read of a case's text, no audit row.
    client.get(reverse("centers:district_case_list"))
    assert reads.count() == 2


def test_the_district_dashboard_links_its_cases(official_laoshan, client):
    client.force_login(official_laoshan)
    page = client.get(reverse("dashboard_district")).content.decode()
    assert reverse("centers:district_case_list") in page


def test_the_district_list_reads_a_fixed_number_of_queries(
        center, other_center, writer, official_laoshan, laoshan, client,
        django_assert_max_num_queries):
    Center.objects.filter(pk__in=[center.pk, other_center.pk]).update(department=laoshan)
    Center.objects.filter(pk=other_center.pk).update(status=CenterStatus.REVOKED)
    url = reverse("centers:district_case_list")
    client.force_login(official_laoshan)
    _many_cases(center, writer, 1, C.SUBMITTED)
    client.get(url)
    with django_assert_max_num_queries(20) as one:
        assert client.get(url).status_code == 200
    for status in (C.SUBMITTED, C.RETURNED, C.PUBLISHED):
        _many_cases(center, writer, 5, status)
        _many_cases(other_center, writer, 5, status)
    _many_cases(center, writer, 1, C.WITHDRAWN)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('href="/district/cases/') == 30
