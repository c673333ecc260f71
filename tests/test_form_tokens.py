"""A form that creates something is acted on once, however often it is sent.

Each case takes the token from the page as rendered, posts the form twice with it (the second
click arriving after the first finished), and finds one thing created and the second answer a
redirect to where the first one led. Concurrent double clicks on a real server are in
`tests/test_sqlite_concurrency.py`.
"""

import re

import pytest
from django.urls import reverse

from accounts.models import Organisation, RoleAssignment, User
from applications.enums import ApplicationStatus
from applications.models import Application, ApplicationExport, Attachment
from core.formtokens import FIELD
from core.models import FormSubmission
from tests.accounts.test_registration import form_data  # noqa: F401  (fixture)
from tests.applications.conftest import (  # noqa: F401  (fixtures)
    complete_a,
    draft_a,
    open_call,
    pdf_bytes,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def token_in(response, form_id: str | None = None) -> str:
    html = response.content.decode()
    if form_id is not None:
        start = html.index(f'id="{form_id}"')
        html = html[html.rindex("<form", 0, start):]
        html = html[:html.index("</form>")]
    match = re.search(rf'name="{FIELD}"\s+value="([^"]+)"', html)
    assert match, f"no one-time token in the form {form_id or ''}"
    return match.group(1)


def post_twice(client, url, data):
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302, first.status_code
    assert second.status_code == 302, second.status_code
    assert second.url == first.url, (first.url, second.url)
    return first, second


def test_registration_twice_with_one_token_registers_once(client, form_data):  # noqa: F811
    token = token_in(client.get(reverse("register")), "registration-form")
    post_twice(client, reverse("register"), {**form_data, FIELD: token})

    assert Organisation.objects.filter(name=form_data["name"]).count() == 1
    assert User.objects.filter(username=form_data["username"]).count() == 1
    assert FormSubmission.objects.get(token=token).result_url == reverse("register_done")


def test_a_fresh_page_is_a_new_submission(client, form_data):  # noqa: F811
    """Tokens are per rendering: the form shown again after an error can be sent."""
    bad = {**form_data, "password2": "不一致"}
    page = client.post(reverse("register"), {**bad, FIELD: token_in(client.get(
        reverse("register")))})
    assert page.status_code == 200
    again = client.post(reverse("register"), {**form_data, FIELD: token_in(page)})
    assert again.status_code == 302 and again.url == reverse("register_done")
    assert User.objects.filter(username=form_data["username"]).exists()


def test_apply_now_twice_starts_one_application(role_client, open_call, org_a):  # noqa: F811
    client = role_client("applicant")
    token = token_in(client.get(reverse("applications:call_detail", args=[open_call.pk])))
    first, _ = post_twice(client, reverse("applications:start", args=[open_call.pk]),
                          {FIELD: token})
    application = Application.objects.get(call=open_call, organisation=org_a)
    assert first.url == reverse("applications:step", args=[application.pk, "lead"])


def test_upload_twice_stores_one_attachment(role_client, draft_a):  # noqa: F811
    client = role_client("applicant")
    url = reverse("applications:step", args=[draft_a.pk, "attachments"])
    token = token_in(client.get(url), "upload-form")
    data = {"kind": "case", "upload": "1", FIELD: token}
    first = client.post(url, {**data, "file": upload("案例.pdf", pdf_bytes())})
    second = client.post(url, {**data, "file": upload("案例.pdf", pdf_bytes())})

    assert (first.status_code, second.status_code) == (302, 302)
    assert first.url == second.url == url
    assert Attachment.objects.filter(application=draft_a).count() == 1
    page = client.get(url).content.decode()
    assert "已上传“案例.pdf”" in page or "未重复处理" in page


def test_adding_a_colleague_twice_opens_one_account(role_client, applicant_a):
    client = role_client("applicant")
    url = reverse("organisation_members")
    token = token_in(client.get(url), "member-form")
    post_twice(client, url, {"real_name": "王晓", "username": "wangxiao",
                             "email": "wx@haizhi.example", "mobile": "13812345678",
                             FIELD: token})
    assert RoleAssignment.objects.filter(user__username="wangxiao").count() == 1


def test_export_twice_builds_one_file(role_client):
    client = role_client("commission_staff")
    token = token_in(client.get(reverse("applications:staff_list")), "export-form")
    first, _ = post_twice(client, reverse("applications:staff_export"), {FIELD: token})
    export = ApplicationExport.objects.get()
    assert first.url == reverse("applications:export_detail", args=[export.pk])


def test_submit_twice_submits_once_and_shows_the_submission(role_client, complete_a):  # noqa: F811
    client = role_client("applicant")
    review = client.get(reverse("applications:review", args=[complete_a.pk]))
    token = token_in(review, "submit-form")
    url = reverse("applications:submit", args=[complete_a.pk])
    first, second = post_twice(client, url, {"confirm": "1", FIELD: token})

    assert first.url == reverse("applications:receipt", args=[complete_a.pk])
    complete_a.refresh_from_db()
    assert complete_a.status == ApplicationStatus.SUBMITTED
    page = client.get(second.url).content.decode()
    assert "不能修改" not in page  # the repeat is not refused as an edit of a submitted one


def test_another_users_token_leads_nowhere_of_theirs(role_client, open_call):  # noqa: F811
    """A token replayed by someone else is not a door to the first user's result page."""
    client = role_client("applicant")
    token = token_in(client.get(reverse("applications:call_detail", args=[open_call.pk])))
    client.post(reverse("applications:start", args=[open_call.pk]), {FIELD: token})

    other = role_client("applicant_b").post(reverse("applications:start", args=[open_call.pk]),
                                            {FIELD: token})
    assert other.status_code == 302
    assert other.url == reverse("applications:call_detail", args=[open_call.pk])
    assert Application.objects.filter(call=open_call).count() == 1


def test_used_tokens_expire_with_the_sweep():
    import datetime

    from django.utils import timezone

    from core.sweep import run_deadline_sweep

    FormSubmission.objects.create(token="x" * 32, purpose="register")
    result = run_deadline_sweep(now=timezone.now() + datetime.timedelta(days=3))
    assert result["core.formtokens.form_tokens_expire"] == 1
    assert not FormSubmission.objects.exists()
