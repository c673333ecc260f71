"""Revocation (第十七条) as a hostile user tries it: what the center never was told stays the
commission's working file, a decision clicked twice is taken once, and a 陈述申辩 typed when
the session ended comes back after signing in again."""

import re

import pytest
from django.urls import reverse

from accounts.enums import Role
from core.models import Notification
from evaluations import revocations
from evaluations.enums import RevocationGround, RevocationStatus
from tests.evaluations.revocation_helpers import member, pdf
from tests.factories import staff

pytestmark = pytest.mark.django_db

G = RevocationGround
R = RevocationStatus


@pytest.fixture
def center(designated_centers):
    return designated_centers[0]


def _proposal(center, actor):
    return revocations.revocation_propose(center=center, ground=G.SERIOUS_VIOLATION,
                                          facts="经市场监管部门认定，存在严重违法失信行为。",
                                          actor=actor, files=[pdf("认定书.pdf")])


def test_a_proposal_dropped_before_it_was_told_stays_the_commissions(center, commission_staff,
                                                                    client):
    proposal = _proposal(center, commission_staff)
    revocations.revocation_decide(revocation=proposal, actor=commission_staff, revoke=False,
                                  reason="认定文书已被撤销。")
    unit = member(center)
    assert not Notification.objects.filter(recipient=unit,
                                           purpose="revocation_decided").exists()
    official = staff(Role.DISTRICT_OFFICIAL, center.department, username="official_dropped")
    detail = reverse("evaluations:revocation_detail", args=[center.pk, proposal.pk])
    evidence = reverse("evaluations:revocation_file", args=[proposal.pk, proposal.files.get().pk])
    for user, listing in ((unit, reverse("evaluations:revocation_center_list", args=[center.pk])),
                          (official, reverse("evaluations:revocation_district_list"))):
        client.force_login(user)
        assert "严重违法失信" not in client.get(listing).content.decode()
        assert client.get(detail).status_code == 404
        assert client.get(evidence).status_code == 404


def test_a_told_proposal_dropped_is_shown_and_told(center, commission_staff, client):
    told = revocations.revocation_notify(revocation=_proposal(center, commission_staff),
                                         actor=commission_staff)
    revocations.revocation_decide(revocation=told, actor=commission_staff, revoke=False,
                                  reason="已整改到位。")
    unit = member(center)
    assert Notification.objects.filter(recipient=unit, purpose="revocation_decided").exists()
    client.force_login(unit)
    page = client.get(reverse("evaluations:revocation_detail", args=[center.pk, told.pk]))
    assert "已整改到位。" in page.content.decode()


def test_telling_and_deciding_clicked_twice_act_once_without_an_error(center, commission_staff,
                                                                      client):
    proposal = _proposal(center, commission_staff)
    client.force_login(commission_staff)
    manage = reverse("evaluations:revocation_manage", args=[proposal.pk])
    assert client.get(manage).content.decode().count('name="form_token"') == 2
    notify = {"intent": "notify", "form_token": "n" * 30}
    first, second = client.post(manage, notify), client.post(manage, notify)
    assert first.status_code == second.status_code == 302 and second.url == manage
    decide = {"intent": "decide", "outcome": "drop", "reason": "已整改到位。",
              "form_token": "d" * 30}
    first, second = client.post(manage, decide), client.post(manage, decide)
    assert first.status_code == second.status_code == 302 and second.url == manage
    proposal.refresh_from_db()
    assert proposal.status == R.DROPPED
    page = client.get(manage).content.decode()
    assert "该表单已提交过一次" in page and "不能执行" not in page


def test_a_refused_decision_can_be_sent_again_with_the_same_form(center, commission_staff,
                                                                 client):
    told = revocations.revocation_notify(revocation=_proposal(center, commission_staff),
                                         actor=commission_staff)
    client.force_login(commission_staff)
    manage = reverse("evaluations:revocation_manage", args=[told.pk])
    typed = {"intent": "decide", "outcome": "revoke", "reason": "认定属实。",
             "form_token": "e" * 30}
    early = client.post(manage, typed)  # the 陈述申辩 window is still open
    assert early.status_code == 200 and "认定属实。" in early.content.decode()
    dropped = client.post(manage, {**typed, "outcome": "drop"})
    assert dropped.status_code == 302
    told.refresh_from_db()
    assert told.status == R.DROPPED


def test_a_statement_sent_after_the_session_ended_comes_back_after_signing_in(
        center, commission_staff, client):
    told = revocations.revocation_notify(revocation=_proposal(center, commission_staff),
                                         actor=commission_staff)
    unit = member(center)
    client.force_login(unit)
    url = reverse("evaluations:revocation_detail", args=[center.pk, told.pk])
    page = client.get(url).content.decode()
    token = re.search(r'name="draft_token" value="([^"]+)"', page).group(1)
    client.logout()  # the session ended while the unit was typing
    sent = client.post(url, {"statement": "数据为统计口径差异，附说明。", "draft_token": token,
                             "form_token": "h" * 30}, follow=True)
    assert "已为您保留" in sent.content.decode()
    told.refresh_from_db()
    assert told.status == R.NOTIFIED
    client.force_login(unit)
    restored = client.get(url).content.decode()
    assert "数据为统计口径差异，附说明。" in restored and "已恢复" in restored
    assert "自动保存" not in restored  # the statement form has no autosave to promise
    # Put back once: the next visit shows an empty form.
    assert "数据为统计口径差异，附说明。" not in client.get(url).content.decode()


def test_a_forged_draft_token_holds_nothing(center, commission_staff, client):
    told = revocations.revocation_notify(revocation=_proposal(center, commission_staff),
                                         actor=commission_staff)
    url = reverse("evaluations:revocation_detail", args=[center.pk, told.pk])
    sent = client.post(url, {"statement": "冒名陈述。", "draft_token": "forged"})
    assert sent.status_code == 302 and sent.url.startswith(reverse("login"))
    client.force_login(member(center))
    assert "冒名陈述。" not in client.get(url).content.decode()


def test_the_signed_letter_is_marked_required_and_asked_for_in_chinese(center, client):
    client.force_login(member(center))
    url = reverse("evaluations:revocation_request", args=[center.pk])
    page = client.get(url).content.decode()
    label = re.search(r'<label[^>]*for="id_letter"[^>]*>(.*?)</label>', page, re.S)
    assert "asteriskField" in label.group(1)
    sent = client.post(url, {"legal_representative": "王强", "reason": "不再运营。"})
    assert sent.status_code == 200
    assert "请上传法定代表人签字的撤销申请。" in sent.content.decode()
