"""Django's auth forms with Bootstrap layout (crispy) and the portal's text normalisation."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.contrib.auth import forms as auth_forms

from core.forms import NormalisedTextMixin


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class PortalAuthenticationForm(NormalisedTextMixin, auth_forms.AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("登录")


class PortalPasswordChangeForm(NormalisedTextMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("修改密码")


class PortalPasswordResetForm(NormalisedTextMixin, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("发送重置邮件")


class PortalSetPasswordForm(NormalisedTextMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("设置新密码")
