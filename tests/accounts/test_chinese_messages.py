"""Chinese everywhere staff and applicants work: Django's e-mail validator message (its own
Chinese catalogue says "Email") and the password-reset mail (it named the host)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from core.context_processors import SITE_NAME

pytestmark = pytest.mark.django_db

MESSAGE = "请输入有效的电子邮箱地址。"


def po_entries(path: Path) -> dict[str, str]:
    entries, msgid = {}, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = line[len("msgid "):].strip('"')
        elif line.startswith("msgstr ") and msgid:
            entries[msgid] = line[len("msgstr "):].strip('"')
    return entries


def test_the_compiled_catalogue_matches_its_source():
    po = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert po.with_suffix(".mo").exists(), "run msgfmt -o django.mo django.po"
    with translation.override("zh-hans"):
        for msgid, msgstr in po_entries(po).items():
            assert translation.gettext(msgid) == msgstr, (msgid, "recompile django.mo")


@pytest.mark.parametrize(("url_name", "data"), [
    ("register", {"email": "wang@"}),
    ("password_reset", {"email": "wang@"}),
    ("organisation_claim", {"email": "wang@"}),
])
def test_a_bad_address_is_refused_in_chinese_on_public_forms(client, url_name, data):
    page = client.post(reverse(url_name), data).content.decode()
    assert MESSAGE in page and "Email" not in page


def test_the_members_form_and_the_admin_say_it_in_chinese_too(role_client, commission_staff):
    page = role_client("applicant").post(reverse("organisation_members"), {
        "real_name": "王晓", "username": "wangxiao", "email": "wx@", "mobile": "13812345678"
    }).content.decode()
    assert MESSAGE in page and "Email" not in page

    commission_staff.is_staff = commission_staff.is_superuser = True
    commission_staff.save()
    admin = Client()
    admin.force_login(commission_staff)
    page = admin.post(reverse("admin:accounts_user_change", args=[commission_staff.pk]),
                      {"username": commission_staff.username, "email": "bad@"}).content.decode()
    assert MESSAGE in page


def test_the_password_reset_mail_names_the_portal_not_the_host(client, applicant_a):
    client.post(reverse("password_reset"), {"email": applicant_a.email})

    message = mail.outbox[0]
    assert SITE_NAME in message.subject and SITE_NAME in message.body
    assert "testserver" not in message.subject
    assert "重置" in message.subject and applicant_a.username in message.body
    assert "/accounts/reset/" in message.body
    assert not any(word in message.subject + message.body
                   for word in ("Password reset", "Your username", "Thanks"))
