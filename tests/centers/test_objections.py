"""异议 (第九条（四））: filed online during the period only, by a named person with facts,
rate-limited; looked up with number and phone; the objector's identity seen by the commission
only; handled with investigation, explanation and decision."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from centers import notices, objections
from centers.enums import ObjectionStatus
from centers.models import ExplanationRequest, NoticeEntry, Objection
from core.models import AuditEvent, Notification, OutgoingMail
from tests.factories import applicant, staff

pytestmark = pytest.mark.django_db

BEIJING = datetime.timezone(datetime.timedelta(hours=8))
IN_PERIOD = datetime.datetime(2026, 6, 3, 10, 0, tzinfo=BEIJING)
LAST_SECOND = datetime.datetime(2026, 6, 5, 23, 59, 59, tzinfo=BEIJING)
NAME = "欧阳秘密甲"
FACTS = "该单位申报材料中所列的应用场景落地数量与实际情况明显不符，有合同为证，请核实。"


@pytest.fixture(autouse=True)
def _fresh_lookup_counts():
    # The lookup limit counts in the cache, which outlives a test's database.
    cache.clear()


def _at(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def notice(make_notice, commission_staff, monkeypatch):
    """2026-06-01 to 06-05, published; the clock stands at IN_PERIOD."""
    _at(monkeypatch, datetime.datetime(2026, 5, 29, 10, 0, tzinfo=BEIJING))
    published = notices.notice_publish(notice=make_notice(), actor=commission_staff)
    _at(monkeypatch, IN_PERIOD)
    return published


def _post(notice, **overrides):
    entry = notice.entries.order_by("position").first()
    return {"entries": [entry.pk], "real_name": NAME, "organisation": "青岛某某科技有限公司",
            "phone": "13912345678", "email": "yiyi@example.com", "facts": FACTS,
            "truthful": "on", **overrides}


def _file(notice, **overrides):
    fields = {"notice": notice, "entry_ids": [notice.entries.order_by("position")[0].pk],
              "real_name": NAME, "phone": "13912345678", "facts": FACTS, "truthful": True,
              "email": "yiyi@example.com", "ip_address": "10.0.0.9", **overrides}
    return objections.objection_file(**fields)


def _pdf():
    return SimpleUploadedFile("合同.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                              content_type="application/pdf")


# --- filing ------------------------------------------------------------------------------------

def test_the_notice_page_links_to_the_form_while_open(notice, client, monkeypatch):
    page = client.get(reverse("centers:notice_detail", args=[notice.pk])).content.decode()
    assert reverse("centers:objection_new", args=[notice.pk]) in page
    _at(monkeypatch, LAST_SECOND + datetime.timedelta(seconds=1))
    page = client.get(reverse("centers:notice_detail", args=[notice.pk])).content.decode()
    assert reverse("centers:objection_new", args=[notice.pk]) not in page


def test_an_objection_is_filed_and_numbered(notice, client):
    response = client.post(reverse("centers:objection_new", args=[notice.pk]), _post(notice))
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert objection.status == ObjectionStatus.RECEIVED and objection.ip_address == "127.0.0.1"
    tail = objection.number.removeprefix(f"26-{notice.pk}-")
    assert tail.isdigit() and len(tail) == objections.NUMBER_DIGITS
    page = client.get(response.url).content.decode()
    assert objection.number in page
    assert AuditEvent.objects.filter(action="objection.file").exists()


def test_the_last_second_is_in_and_the_next_out(notice, client, monkeypatch):
    url = reverse("centers:objection_new", args=[notice.pk])
    _at(monkeypatch, LAST_SECOND)
    assert client.post(url, _post(notice)).status_code == 302
    _at(monkeypatch, LAST_SECOND + datetime.timedelta(seconds=1))
    response = client.post(url, _post(notice, phone="13800000001"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "当前不在公示期内" in page and FACTS in page  # refused, what was typed kept
    assert Objection.objects.count() == 1


def test_a_refused_objection_says_its_chosen_files_must_be_chosen_again(notice, client):
    url = reverse("centers:objection_new", args=[notice.pk])
    page = client.post(url, {**_post(notice, truthful=""), "files": _pdf()}).content.decode()
    assert "真实性承诺" in page and "已选择的证明材料未保存，请重新选择" in page
    page = client.post(url, _post(notice, truthful="")).content.decode()
    assert "已选择的证明材料未保存" not in page
    assert not Objection.objects.exists()


def test_before_the_first_second_it_is_refused(notice, monkeypatch):
    _at(monkeypatch, datetime.datetime(2026, 5, 31, 23, 59, 59, tzinfo=BEIJING))
    with pytest.raises(objections.ObjectionError, match="公示期"):
        _file(notice)


def test_anonymous_and_factless_objections_are_refused(notice, client):
    url = reverse("centers:objection_new", args=[notice.pk])
    page = client.post(url, _post(notice, real_name="", phone="")).content.decode()
    assert "异议须实名提出" in page and "请填写联系电话" in page and FACTS in page
    page = client.post(url, _post(notice, facts="")).content.decode()
    assert "无具体事实的异议不予受理" in page and NAME in page
    page = client.post(url, _post(notice, facts="有问题")).content.decode()
    assert "不少于20字" in page
    # Padding is no facts: punctuation and spaces do not count.
    page = client.post(url, _post(notice, facts="有问题" + "。" * 30 + "！ " * 10)).content.decode()
    assert "不少于20字" in page
    page = client.post(url, _post(notice, phone="12345")).content.decode()
    assert "有效的联系电话" in page
    page = client.post(url, _post(notice, truthful="")).content.decode()
    assert "真实性承诺" in page
    assert not Objection.objects.exists()
    # The service refuses the same, whatever the form let through.
    with pytest.raises(objections.ObjectionError, match="实名"):
        _file(notice, real_name=" ")
    with pytest.raises(objections.ObjectionError, match="具体事实"):
        _file(notice, facts="短")
    with pytest.raises(objections.ObjectionError, match="具体事实"):
        _file(notice, facts="。" * 25)


def test_a_removed_entry_cannot_be_objected_to(notice):
    entry = notice.entries.order_by("position")[0]
    NoticeEntry.objects.filter(pk=entry.pk).update(removed_at=timezone.now())
    with pytest.raises(objections.ObjectionError, match="异议对象"):
        _file(notice)


def test_several_entries_and_evidence_with_random_stored_names(notice, client, settings,
                                                               tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ids = list(notice.entries.values_list("pk", flat=True))
    response = client.post(reverse("centers:objection_new", args=[notice.pk]),
                           {**_post(notice), "entries": ids, "files": [_pdf()]})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert set(objection.entries.values_list("pk", flat=True)) == set(ids)
    evidence = objection.files.get()
    assert evidence.original_name == "合同.pdf" and "合同" not in evidence.file.name
    assert evidence.file.name.endswith(".pdf")


def test_a_file_that_is_not_one_of_ours_is_refused(notice, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = client.post(reverse("centers:objection_new", args=[notice.pk]),
                       {**_post(notice), "files": [fake]}).content.decode()
    assert "不是允许的格式" in page and not Objection.objects.exists()


def test_a_double_click_files_once(notice, client):
    url = reverse("centers:objection_new", args=[notice.pk])
    data = {**_post(notice), "form_token": "t" * 32}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Objection.objects.count() == 1


def test_rate_limits_per_address_and_per_phone(notice, client):
    for i in range(objections.PER_PHONE_PER_NOTICE):
        _file(notice, ip_address=f"10.0.1.{i}")
    with pytest.raises(objections.ObjectionError, match="同一联系电话"):
        _file(notice, ip_address="10.0.2.1")
    for i in range(objections.PER_ADDRESS_PER_HOUR):
        _file(notice, phone=f"1380000{i:04d}", ip_address="10.0.3.3")
    with pytest.raises(objections.ObjectionError, match="同一网络地址"):
        _file(notice, phone="13700000000", ip_address="10.0.3.3")
    # The address is the connection's: a forged header changes nothing.
    url = reverse("centers:objection_new", args=[notice.pk])
    for i in range(objections.PER_ADDRESS_PER_HOUR):
        assert client.post(url, _post(notice, phone=f"1360000{i:04d}"),
                           HTTP_X_FORWARDED_FOR=f"8.8.8.{i}").status_code == 302
    page = client.post(url, _post(notice, phone="13500000000"),
                       HTTP_X_FORWARDED_FOR="9.9.9.9").content.decode()
    assert "同一网络地址一小时内提交的异议过多" in page


# --- lookup ------------------------------------------------------------------------------------

def test_lookup_by_number_and_phone_answers_a_wrong_pair_alike(notice, client,
                                                               commission_staff):
    objection = _file(notice)
    url = reverse("centers:objection_lookup")
    page = client.post(url, {"number": objection.number.lower(),
                             "phone": "139 1234 5678"}).content.decode()
    assert "已受理" in page and objection.number in page
    wrong_phone = client.post(url, {"number": objection.number, "phone": "13900000000"})
    unknown = client.post(url, {"number": "26-1-99999999", "phone": "13912345678"})
    answer = "未找到与该受理编号和联系电话相符的异议"
    assert answer in wrong_phone.content.decode() and answer in unknown.content.decode()
    for answer_page in (wrong_phone.content.decode(), unknown.content.decode()):
        result = answer_page[answer_page.index('id="lookup-result"'):]
        assert result.startswith('id="lookup-result">' + answer) and "办理状态" not in result
    objections.objection_decide(objection=objection, actor=commission_staff, upheld=False,
                                reason="经核实，所反映情况与事实不符。")
    page = client.post(url, {"number": objection.number, "phone": "13912345678"}
                       ).content.decode()
    assert "异议不成立" in page and "所反映情况与事实不符" in page


def test_lookups_are_limited_per_address(notice, client):
    url = reverse("centers:objection_lookup")
    for _ in range(objections.LOOKUP_LIMIT):
        client.post(url, {"number": "26-1-00000000", "phone": "13912345678"},
                    REMOTE_ADDR="10.9.9.9")
    page = client.post(url, {"number": "26-1-00000000", "phone": "13912345678"},
                       REMOTE_ADDR="10.9.9.9").content.decode()
    assert "查询过于频繁" in page


# --- handling ----------------------------------------------------------------------------------

def _members(application):
    return applicant(application.organisation, username=f"m{application.pk}",
                     real_name="申报联系人")


def test_the_commission_investigates_asks_and_upholds(notice, commission_staff, settings,
                                                     tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objection = _file(notice)
    entry = objection.entries.get()
    member = _members(entry.application)
    objections.objection_investigate(objection=objection, actor=commission_staff,
                                     investigation="已调取合同原件。")
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.INVESTIGATING
    asked = objections.explanation_ask(objection=objection, entry=entry,
                                       actor=commission_staff, question="请说明场景数量依据。")
    told = Notification.objects.get(recipient=member, purpose="objection_explanation_asked")
    assert "请说明场景数量依据" in told.body and NAME not in told.body
    answered = objections.explanation_answer(explanation=asked, actor=member, answer="见附件。")
    assert answered.answered_at is not None
    with pytest.raises(objections.ObjectionError, match="不能重复"):
        objections.explanation_answer(explanation=asked, actor=member, answer="再说一次")
    with pytest.raises(objections.ObjectionError, match="理由"):
        objections.objection_decide(objection=objection, actor=commission_staff, upheld=True,
                                    reason=" ")
    decided = objections.objection_decide(objection=objection, actor=commission_staff,
                                          upheld=True, reason="场景数量虚报。")
    assert decided.status == ObjectionStatus.UPHELD and decided.decided_by == commission_staff
    entry.refresh_from_db()
    assert entry.removed_at is not None and entry.removal_reason == "场景数量虚报。"
    told = Notification.objects.get(recipient=member, purpose="objection_upheld_applicant")
    assert "场景数量虚报" in told.body and NAME not in told.body
    mail = OutgoingMail.objects.get(purpose="objection_decided")
    assert mail.to_address == "yiyi@example.com" and "异议成立" in mail.body
    assert AuditEvent.objects.filter(action="objection.uphold").exists()
    with pytest.raises(objections.ObjectionError):
        objections.objection_decide(objection=decided, actor=commission_staff, upheld=False,
                                    reason="再次")


def test_a_dismissed_objection_leaves_the_list_alone(notice, commission_staff):
    objection = _file(notice, email="")
    objections.objection_decide(objection=objection, actor=commission_staff, upheld=False,
                                reason="不属实。")
    assert not NoticeEntry.objects.filter(removed_at__isnull=False).exists()
    assert not OutgoingMail.objects.filter(purpose="objection_decided").exists()


def test_only_the_commission_handles(notice, superuser_no_role, official_laoshan):
    objection = _file(notice)
    for someone in (superuser_no_role, official_laoshan):
        with pytest.raises(PermissionDenied):
            objections.objection_decide(objection=objection, actor=someone, upheld=True,
                                        reason="x")


def test_the_handling_page_acts_through_the_services(notice, role_client, commission_staff):
    objection = _file(notice)
    entry = objection.entries.get()
    client = role_client("commission_staff")
    url = reverse("centers:objection_handle", args=[objection.pk])
    page = client.get(url).content.decode()
    assert NAME in page and "13912345678" in page
    client.post(url, {"intent": "investigate", "investigation": "已核实。"})
    client.post(url, {"intent": "ask", "entry": entry.pk, "question": "请说明。",
                      "form_token": "a" * 30})
    client.post(url, {"intent": "ask", "entry": entry.pk, "question": "请说明。",
                      "form_token": "a" * 30})
    assert ExplanationRequest.objects.count() == 1
    page = client.post(url, {"intent": "decide", "outcome": "dismissed", "reason": ""}
                       ).content.decode()
    assert "请填写处理结论的理由" in page
    client.post(url, {"intent": "decide", "outcome": "dismissed", "reason": "不属实。"})
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED


# --- identity ----------------------------------------------------------------------------------

def test_the_objectors_identity_reaches_the_commission_only(notice, commission_staff,
                                                            settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objection = _file(notice, organisation="保密单位乙")
    entry = objection.entries.get()
    application = entry.application
    member = _members(application)
    official = staff(Role.DISTRICT_OFFICIAL, application.routed_department,
                     username="official_x", real_name="区官员")
    asked = objections.explanation_ask(objection=objection, entry=entry,
                                       actor=commission_staff, question="请说明。")
    objections.explanation_answer(explanation=asked, actor=member, answer="已说明。")
    objections.objection_decide(objection=objection, actor=commission_staff, upheld=True,
                                reason="属实。")
    secrets = (NAME, "保密单位乙", "13912345678", "yiyi@example.com")

    def pages(user, urls):
        client = Client()
        if user is not None:
            client.force_login(user)
        return "".join(client.get(u, follow=True).content.decode() for u in urls)

    public = pages(None, [reverse("centers:notice_detail", args=[notice.pk]),
                          reverse("centers:notice_list"), reverse("home")])
    own = pages(member, [reverse("applications:detail", args=[application.pk]),
                         reverse("centers:explanations", args=[application.pk]),
                         reverse("applications:mine"), reverse("notification_list")])
    district = pages(official, [reverse("applications:detail", args=[application.pk]),
                                reverse("centers:notice_detail", args=[notice.pk])])
    for text in secrets:
        assert text not in public and text not in own and text not in district
    assert "请说明。" in own
    for note in Notification.objects.exclude(recipient=commission_staff):
        assert all(s not in note.body + note.title for s in secrets)
    for sent in OutgoingMail.objects.exclude(to_address="yiyi@example.com"):
        assert all(s not in sent.body + sent.subject for s in secrets)
    staff_page = pages(commission_staff, [reverse("centers:objection_handle",
                                                  args=[objection.pk])])
    assert all(s in staff_page for s in secrets)


def test_others_cannot_answer_or_read_explanations(notice, commission_staff, applicant_b):
    objection = _file(notice)
    entry = objection.entries.get()
    asked = objections.explanation_ask(objection=objection, entry=entry,
                                       actor=commission_staff, question="请说明。")
    with pytest.raises(PermissionDenied):
        objections.explanation_answer(explanation=asked, actor=applicant_b, answer="x")
    client = Client()
    client.force_login(applicant_b)
    assert client.get(reverse("centers:explanations",
                              args=[entry.application_id])).status_code == 404


# --- the commission's list ---------------------------------------------------------------------

def test_the_list_reads_a_fixed_number_of_queries(notice, role_client,
                                                  django_assert_max_num_queries):
    client = role_client("commission_staff")
    url = reverse("centers:objection_list")
    _file(notice, ip_address=None)
    client.get(url)
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for i in range(29):
        _file(notice, ip_address=None, phone=f"1350000{i:04d}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("26-") >= 30
    filtered = client.get(url, {"status": "upheld"}).content.decode()
    assert "暂无异议" in filtered


def test_the_applicant_answers_once_on_its_page(notice, commission_staff):
    objection = _file(notice)
    entry = objection.entries.get()
    member = _members(entry.application)
    objections.explanation_ask(objection=objection, entry=entry, actor=commission_staff,
                               question="请说明合同签订时间。")
    client = Client()
    client.force_login(member)
    url = reverse("centers:explanations", args=[entry.application_id])
    asked = ExplanationRequest.objects.get()
    page = client.get(url).content.decode()
    assert "请说明合同签订时间" in page and NAME not in page and FACTS not in page
    assert "请填写情况说明" in client.post(url, {"request": asked.pk, "answer": ""}
                                      ).content.decode()
    assert client.post(url, {"request": asked.pk, "answer": "合同于申报前签订。"}).status_code == 302
    page = client.get(url).content.decode()
    assert "合同于申报前签订" in page and 'name="answer"' not in page


def test_a_decision_sent_after_the_session_ended_is_not_dropped_silently(notice,
                                                                          commission_staff):
    objection = _file(notice)
    client = Client()
    client.force_login(commission_staff)
    client.logout()
    sent = client.post(reverse("centers:objection_handle", args=[objection.pk]),
                       {"intent": "decide", "outcome": "dismissed", "reason": "不属实。"},
                       follow=True)
    assert "本次提交未处理" in sent.content.decode()
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.RECEIVED


def test_an_answer_sent_after_the_session_ended_comes_back_after_login(notice, commission_staff):
    """Nothing typed is lost: the login redirect used to drop the answer without a word."""
    import re

    from django.contrib.sessions.models import Session

    objection = _file(notice)
    entry = objection.entries.get()
    member = _members(entry.application)
    objections.explanation_ask(objection=objection, entry=entry, actor=commission_staff,
                               question="请说明合同签订时间。")
    asked = ExplanationRequest.objects.get()
    client = Client()
    client.force_login(member)
    url = reverse("centers:explanations", args=[entry.application_id])
    page = client.get(url).content.decode()
    token = re.search(r'name="draft_token" value="([^"]+)"', page).group(1)
    Session.objects.all().delete()  # 30 idle minutes
    answer = "合同于2026年3月签订，早于申报截止日期。"
    sent = client.post(url, {"request": asked.pk, "answer": answer, "draft_token": token},
                       follow=True)
    assert "已为您保留" in sent.content.decode()
    client.force_login(member)
    page = client.get(url).content.decode()
    assert answer in page and "已恢复您在登录超时前填写" in page
    asked.refresh_from_db()
    assert asked.answered_at is None  # put back to be sent, not sent behind the user's back


def test_the_applicants_page_and_dashboard_show_the_question_and_lead_to_the_answer(
        notice, commission_staff):
    objection = _file(notice, organisation="保密单位丙")
    entry = objection.entries.get()
    member = _members(entry.application)
    objections.explanation_ask(objection=objection, entry=entry, actor=commission_staff,
                               question="请说明应用场景的合同签订主体。")
    client = Client()
    client.force_login(member)
    answer_url = reverse("centers:explanations", args=[entry.application_id])
    secrets = (NAME, "保密单位丙", "13912345678", "yiyi@example.com", FACTS)
    detail_url = reverse("applications:detail", args=[entry.application_id])
    detail = client.get(detail_url).content.decode()
    dashboard = client.get(reverse("dashboard_applicant")).content.decode()
    for page in (detail, dashboard):
        assert f'href="{answer_url}"' in page and "填写情况说明" in page
        assert all(s not in page for s in secrets)
    assert "请说明应用场景的合同签订主体" in detail and "待说明" in detail
    assert entry.application.center_name in dashboard
    asked = ExplanationRequest.objects.get()
    client.post(answer_url, {"request": asked.pk, "answer": "由本单位签订。"})
    detail = client.get(detail_url).content.decode()
    assert "已说明" in detail and "待说明" not in detail
    assert "dashboard-explanations" not in client.get(
        reverse("dashboard_applicant")).content.decode()


def test_others_do_not_see_the_question_on_the_application_page(notice, commission_staff,
                                                                 role_client):
    objection = _file(notice)
    entry = objection.entries.get()
    objections.explanation_ask(objection=objection, entry=entry, actor=commission_staff,
                               question="请说明合同签订时间。")
    page = role_client("commission_staff").get(
        reverse("applications:detail", args=[entry.application_id])).content.decode()
    assert "explanation-requests" not in page


def test_reading_the_evidence_leaves_an_audit_row(notice, role_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    objection = _file(notice, files=[_pdf()])
    evidence = objection.files.get()
    response = role_client("commission_staff").get(
        reverse("centers:objection_file", args=[objection.pk, evidence.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="objection_file.download").exists()
