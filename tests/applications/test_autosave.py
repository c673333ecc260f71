"""Nothing typed is lost: autosave, and a save that arrives after the session ended."""

import datetime
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import drafts
from applications.drafts import DRAFT_TOKEN_FIELD, draft_token_make
from applications.models import Application, HeldDraft
from core.sweep import run_deadline_sweep

pytestmark = pytest.mark.django_db


def step_url(application, step):
    return reverse("applications:step", args=[application.pk, step])


def autosave_url(application, step):
    return reverse("applications:step_autosave", args=[application.pk, step])


def token_on_page(client, application, step):
    html = client.get(step_url(application, step)).content.decode()
    match = re.search(rf'name="{DRAFT_TOKEN_FIELD}" value="([^"]+)"', html)
    assert match, "the step form carries no draft token"
    return match.group(1)


def end_session(client):
    """What 30 idle minutes do: the server forgets the session (the browser keeps its cookie)."""
    Session.objects.filter(session_key=client.session.session_key).delete()


@pytest.fixture
def client_a(role_client):
    return role_client("applicant")


def test_autosave_saves_the_valid_fields_and_keeps_the_current_step(client_a, draft_a):
    Application.objects.filter(pk=draft_a.pk).update(current_step="plan")
    response = client_a.post(autosave_url(draft_a, "center"), {
        "center_name": "青岛市智能家电赋能中心", "director_name": "张明",
        "director_phone": "12345",  # not a phone number yet: not saved, the rest is
    })

    assert response.status_code == 200
    body = response.json()
    assert re.fullmatch(r"\d\d:\d\d", body["saved_at"])
    assert body["invalid"] == ["赋能中心负责人联系方式"]
    draft_a.refresh_from_db()
    assert draft_a.center_name == "青岛市智能家电赋能中心"
    assert draft_a.director_name == "张明"
    assert draft_a.director_phone == ""
    assert draft_a.current_step == "center"  # never forward, never the "next" logic
    assert drafts.draft_token_user_id(body["token"], application_id=draft_a.pk,
                                      step="center") == draft_a.created_by_id


def test_autosave_leaves_fields_it_did_not_send_alone(client_a, draft_a):
    Application.objects.filter(pk=draft_a.pk).update(plan_unit_overview="已保存的基础条件。")
    client_a.post(autosave_url(draft_a, "plan"), {"plan_other": "其它说明。"})
    draft_a.refresh_from_db()
    assert (draft_a.plan_unit_overview, draft_a.plan_other) == ("已保存的基础条件。", "其它说明。")


def test_autosave_of_a_complete_step_does_not_move_on(client_a, draft_a):
    Application.objects.filter(pk=draft_a.pk).update(current_step="plan")
    client_a.post(autosave_url(draft_a, "plan"), {"plan_unit_overview": "单位概况。",
                                                  "next": "1"})
    draft_a.refresh_from_db()
    assert draft_a.plan_unit_overview == "单位概况。"
    assert draft_a.current_step == "plan"


def test_autosave_on_leaving_a_step_does_not_move_the_applicant_back(client_a, draft_a):
    """The save sent as the plan page is left may arrive after the next page was opened."""
    Application.objects.filter(pk=draft_a.pk).update(current_step="attachments")
    client_a.post(autosave_url(draft_a, "plan"), {"plan_other": "离开时保存。"})
    draft_a.refresh_from_db()
    assert (draft_a.plan_other, draft_a.current_step) == ("离开时保存。", "attachments")


def test_autosave_is_refused_to_others_and_on_steps_without_typed_fields(
        role_client, client_a, draft_a):
    assert role_client("applicant_b").post(autosave_url(draft_a, "plan"),
                                           {"plan_unit_overview": "x"}).status_code == 404
    assert role_client("commission_staff").post(autosave_url(draft_a, "plan"),
                                                 {"plan_unit_overview": "x"}).status_code == 403
    assert client_a.post(autosave_url(draft_a, "attachments"), {}).status_code == 404
    assert client_a.get(autosave_url(draft_a, "plan")).status_code == 405
    draft_a.refresh_from_db()
    assert draft_a.plan_unit_overview == ""


def test_autosave_after_the_window_closed_says_why(client_a, draft_a):
    draft_a.call.closes_at = timezone.now() - datetime.timedelta(seconds=1)
    draft_a.call.save(update_fields=["closes_at"])
    response = client_a.post(autosave_url(draft_a, "plan"), {"plan_unit_overview": "x"})
    assert response.status_code == 409
    assert "截止" in response.json()["message"]


def test_autosave_after_the_session_ended_holds_the_text(client_a, draft_a, applicant_a):
    token = token_on_page(client_a, draft_a, "plan")
    end_session(client_a)

    response = client_a.post(autosave_url(draft_a, "plan"), {
        "plan_unit_overview": "在会话结束后写下的基础条件。", DRAFT_TOKEN_FIELD: token,
        "csrfmiddlewaretoken": "x"})

    assert response.status_code == 401
    body = response.json()
    assert body["expired"] and body["held"]
    assert body["message"].startswith("登录已超时")
    target = urlparse(body["login_url"])
    assert target.path == reverse("login")
    assert parse_qs(target.query)["next"] == [step_url(draft_a, "plan")]
    held = HeldDraft.objects.get(user=applicant_a, application=draft_a, step="plan")
    assert held.data == {"plan_unit_overview": ["在会话结束后写下的基础条件。"]}
    draft_a.refresh_from_db()
    assert draft_a.plan_unit_overview == ""  # held, not written into the application


def test_a_step_save_after_the_session_ended_is_held_and_restored_after_login(
        client_a, draft_a, applicant_a):
    token = token_on_page(client_a, draft_a, "plan")
    end_session(client_a)

    response = client_a.post(step_url(draft_a, "plan"), {
        "plan_unit_overview": "三个小时写成的基础条件。", "plan_other": "其它说明。",
        "save_and_stay": "1", DRAFT_TOKEN_FIELD: token}, follow=True)

    login_page = response.content.decode()
    assert response.redirect_chain[0][0] == (
        f"{reverse('login')}?next={step_url(draft_a, 'plan').replace('/', '%2F')}")
    assert "登录已超时" in login_page and "已为您保留" in login_page

    client_a.force_login(applicant_a)
    page = client_a.get(step_url(draft_a, "plan")).content.decode()
    assert "已恢复您在登录超时前填写" in page
    restored = json.loads(re.search(
        r'<script id="held-draft" type="application/json">(.*?)</script>', page).group(1))
    assert restored["plan_unit_overview"] == ["三个小时写成的基础条件。"]
    assert "save_and_stay" not in restored and DRAFT_TOKEN_FIELD not in restored
    # Once put back it is not offered again; the application changes only when saved.
    again = client_a.get(step_url(draft_a, "plan")).content.decode()
    assert 'id="held-draft"' not in again
    draft_a.refresh_from_db()
    assert draft_a.plan_unit_overview == ""


def test_a_forged_or_foreign_token_holds_nothing(client, draft_a, draft_b, applicant_b):
    url = step_url(draft_a, "plan")
    for token in ("", "forged",
                  draft_token_make(user_id=applicant_b.pk, application_id=draft_b.pk,
                                   step="plan"),
                  draft_token_make(user_id=applicant_b.pk, application_id=draft_a.pk,
                                   step="center")):
        response = client.post(url, {"plan_unit_overview": "x", DRAFT_TOKEN_FIELD: token})
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not HeldDraft.objects.exists()
    assert "未能保留" in client.get(reverse("login")).content.decode()


def test_an_old_token_holds_nothing(client, draft_a, applicant_a, monkeypatch):
    token = draft_token_make(user_id=applicant_a.pk, application_id=draft_a.pk, step="plan")
    later = datetime.timedelta(hours=25).total_seconds()
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + later)
    response = client.post(autosave_url(draft_a, "plan"), {"plan_unit_overview": "x",
                                                           DRAFT_TOKEN_FIELD: token})
    assert response.status_code == 401 and response.json()["held"] is False


def test_held_drafts_are_deleted_a_week_after(draft_a, applicant_a):
    HeldDraft.objects.create(user=applicant_a, application=draft_a, step="plan",
                             data={"plan_other": ["x"]}, held_at=timezone.now())
    result = run_deadline_sweep(now=timezone.now() + datetime.timedelta(days=8))
    assert result["applications.drafts.held_drafts_expire"] == 1


def test_the_step_page_switches_autosave_on(client_a, draft_a, settings):
    settings.AUTOSAVE_INTERVAL_SECONDS = 30
    html = client_a.get(step_url(draft_a, "plan")).content.decode()
    assert f'data-autosave-url="{autosave_url(draft_a, "plan")}"' in html
    assert 'data-autosave-interval="30"' in html
    assert f'data-session-age="{settings.SESSION_COOKIE_AGE}"' in html
    assert 'src="/static/js/autosave.js"' in html
    assert "<script>" not in html  # no inline script: a strict CSP is coming


def test_keepalive(client_a, client):
    response = client_a.post(reverse("session_keepalive"))
    assert response.status_code == 200 and response.json()["expires_in"] > 0
    expired = client.post(reverse("session_keepalive"))
    assert expired.status_code == 401 and "登录已超时" in expired.json()["message"]


def test_an_upload_after_the_session_ended_says_so_plainly(client_a, draft_a):
    end_session(client_a)
    response = client_a.post(step_url(draft_a, "attachments"), {"kind": "case", "upload": "1"},
                             follow=True)
    page = response.content.decode()
    assert response.redirect_chain[0][0].startswith(reverse("login") + "?next=")
    assert "登录已超时，请重新登录。" in page and "保留" not in page


def test_a_save_writes_only_its_own_fields_over_a_colleagues_save(draft_a, applicant_a):
    """Autosave makes saves frequent: a step saved from a page read earlier must not write back
    the other steps' fields as they were then."""
    from applications import services
    from applications.forms import PlanForm

    read_earlier = Application.objects.get(pk=draft_a.pk)
    Application.objects.filter(pk=draft_a.pk).update(center_name="同事刚保存的中心名称")

    form = PlanForm({"plan_unit_overview": "基础条件。"}, instance=read_earlier)
    services.application_save_step(application=read_earlier, actor=applicant_a, step="plan",
                                   forms=[form], next_step="plan")

    draft_a.refresh_from_db()
    assert (draft_a.center_name, draft_a.plan_unit_overview) == ("同事刚保存的中心名称", "基础条件。")


def test_an_upload_after_the_session_ended_says_the_file_was_not_uploaded(
        client_a, draft_a, applicant_a):
    end_session(client_a)
    response = client_a.post(step_url(draft_a, "attachments"), {
        "kind": "qualification", "file": SimpleUploadedFile("资质.pdf", b"%PDF-1.4\n%%EOF\n")},
        follow=True)

    login_page = response.content.decode()
    assert "登录已超时" in login_page
    assert "文件未上传" in login_page  # otherwise the unit believes its file is in
