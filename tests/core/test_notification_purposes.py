"""Staff read the purpose of a notice or mail in admin by its Chinese name, never its code."""

import pathlib
import re

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import Notification, OutgoingMail
from core.notifications import UNKNOWN_PURPOSE_LABEL, notify, purpose_label
from tests.factories import UserFactory

NOTIFICATION_TEMPLATES = pathlib.Path(settings.BASE_DIR) / "templates" / "notifications"


def _visible(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("purpose", sorted(p.name for p in NOTIFICATION_TEMPLATES.iterdir()
                                           if p.is_dir()))
def test_every_purpose_has_a_chinese_name(purpose):
    label = purpose_label(purpose)
    assert label != UNKNOWN_PURPOSE_LABEL
    assert re.search(r"[A-Za-z]", label) is None


def test_a_purpose_without_a_name_reads_as_a_generic_chinese_one():
    assert purpose_label("mystery_notice") == UNKNOWN_PURPOSE_LABEL == "其他通知"


@pytest.mark.django_db
def test_admin_lists_filters_and_shows_purposes_by_name(client):
    recipient = UserFactory(email="someone@haizhi.example.cn")
    notify(recipient=recipient, purpose="account_confirm",
           context={"confirm_url": "https://portal.example.cn/confirm"})
    client.force_login(UserFactory(username="platform_admin", is_staff=True, is_superuser=True))

    for model in (Notification, OutgoingMail):
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        text = _visible(client.get(changelist).content.decode())
        assert text.count("注册邮箱确认") == 2, model  # the row and the filter
        assert "account_confirm" not in text
        filtered = _visible(client.get(changelist, {"purpose": "account_invited"})
                            .content.decode())
        assert "请确认您在青岛市赋能中心管理平台的注册邮箱" not in filtered

        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change",
                         args=[model.objects.get().pk])
        text = _visible(client.get(change).content.decode())
        assert "注册邮箱确认" in text and "account_confirm" not in text
