"""Django's auth forms with Bootstrap layout (crispy) and the portal's text normalisation; the
login form tells an account awaiting its e-mail confirmation what to do, the reset mail names the
portal."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from core.forms import NormalisedTextMixin


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class PortalAuthenticationForm(NormalisedTextMixin, auth_forms.AuthenticationForm):
    """Signing in. The right password of an account still awaiting its e-mail confirmation is
    answered with where the mail went and a resend button (`awaiting_user` is set), and is not a
    failed login: django-axes counts only what reaches `authenticate()` and fails there, and a
    locked-out name and address are refused first as before."""

    awaiting_user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("登录")

    def clean(self):
        from axes.handlers.proxy import AxesProxyHandler

        from .selectors import mask_email
        from .services import user_awaiting_confirmation, user_registration_lapsed

        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password and self.request is not None:
            user = user_awaiting_confirmation(username=username, password=password)
            if user is not None and AxesProxyHandler.is_allowed(
                    self.request, {"username": username}):
                if user_registration_lapsed(user):
                    raise ValidationError(
                        "该账号注册后未在期限内确认邮箱，注册已失效，请重新注册。",
                        code="registration_lapsed")
                self.awaiting_user = user
                raise ValidationError(
                    "该账号尚未确认邮箱：确认邮件已发送至 %(email)s，请打开邮件中的链接激活账号后再登录。",
                    code="awaiting_confirmation", params={"email": mask_email(user.email)})
        return super().clean()


class PortalPasswordChangeForm(NormalisedTextMixin, auth_forms.PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("修改密码")


class PortalPasswordResetForm(NormalisedTextMixin, auth_forms.PasswordResetForm):
    """The reset mail names the portal (`core.context_processors.SITE_NAME`), not the host."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("发送重置邮件")


class PortalSetPasswordForm(NormalisedTextMixin, auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("设置新密码")
