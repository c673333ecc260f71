"""Every form of the portal normalises text once, as it arrives (core/forms.py, core/text.py)."""

import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory

from core.forms import NormalisedTextMixin, PortalForm
from core.text import clean_text

PROJECT_APPS = [a.name for a in apps.get_app_configs()
                if a.path.startswith(str(settings.BASE_DIR)) and ".venv" not in a.path]


def _project_form_classes():
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            importlib.import_module(info.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.split(".")[0] in PROJECT_APPS]


@pytest.mark.parametrize("raw, clean", [
    ("第一段\r\n第二段", "第一段\n第二段"),
    ("旧式\r换行", "旧式\n换行"),
    ("软回车\x0b换行", "软回车\n换行"),     # Word's manual line break
    ("分页\x0c之后", "分页\n之后"),
    ("制表\t保留", "制表\t保留"),
    ("转义\x1b[0m字符", "转义[0m字符"),
    ("空\x00字节\x7f删除\x9b", "空字节删除"),
    ("非字符\ufffe\uffff\ufdd0", "非字符"),
    ("段落\u2029分隔", "段落\n分隔"),
    ("家庭👨\u200d👩\u200d👧", "家庭👨\u200d👩\u200d👧"),  # the joiner is not a control
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean
    assert clean_text(clean) == clean


def test_every_form_class_of_the_portal_normalises_text():
    classes = _project_form_classes()
    assert len(classes) > 5
    missing = sorted(f"{c.__module__}.{c.__qualname__}" for c in classes
                     if not issubclass(c, NormalisedTextMixin))
    assert missing == []


@pytest.mark.django_db
def test_every_admin_page_and_inline_normalises_text(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    missing = []
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request)
        if not issubclass(form, NormalisedTextMixin):
            missing.append(f"{model.__name__} admin")
        if hasattr(model_admin, "add_form") and not issubclass(model_admin.add_form,
                                                                NormalisedTextMixin):
            missing.append(f"{model.__name__} admin add form")
        for inline in model_admin.get_inline_instances(request):
            if not issubclass(inline.form, NormalisedTextMixin):
                missing.append(f"{model.__name__} inline {type(inline).__name__}")
    assert missing == []


def test_a_form_cleans_before_its_fields_see_the_text_but_keeps_passwords():
    class Example(PortalForm):
        note = forms.CharField(widget=forms.Textarea)
        secret = forms.CharField(widget=forms.PasswordInput)

        def clean_note(self):
            assert "\x0b" not in self.cleaned_data["note"]
            return self.cleaned_data["note"]

    form = Example({"note": "甲\x0b乙\x1b", "secret": "pa\x0bss"})
    assert form.is_valid()
    assert form.cleaned_data == {"note": "甲\n乙", "secret": "pa\x0bss"}


class _NameAndNoteForm(PortalForm):
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea)


def test_a_single_line_field_keeps_no_line_break():
    # Word's manual line break (a vertical tab) pasted into a unit's name would otherwise be
    # stored as "\n" in a one-line field and split the name on receipts and PDFs; a text area
    # keeps its line breaks.
    form = _NameAndNoteForm({"name": "青岛即墨测试\x0b科技有限公司\r\n", "note": "第一行\x0b第二行"})
    assert form.is_valid()
    assert form.cleaned_data["name"] == "青岛即墨测试科技有限公司"
    assert form.cleaned_data["note"] == "第一行\n第二行"
