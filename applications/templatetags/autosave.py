"""Template tags of the step pages' autosave (see `applications.drafts`)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from applications.autosave_views import AUTOSAVE_STEPS
from applications.drafts import DRAFT_TOKEN_FIELD, draft_token_make

register = template.Library()


@register.simple_tag(takes_context=True)
def autosave_attributes(context, application, step):
    """The `data-` attributes that switch on static/js/autosave.js for a step form."""
    if step not in AUTOSAVE_STEPS:
        return ""
    return format_html(
        'data-autosave-url="{}" data-autosave-interval="{}" data-session-age="{}" '
        'data-session-warning="{}" data-keepalive-url="{}" data-login-url="{}?next={}"',
        reverse("applications:step_autosave", args=[application.pk, step]),
        settings.AUTOSAVE_INTERVAL_SECONDS, settings.SESSION_COOKIE_AGE,
        settings.SESSION_WARNING_SECONDS, reverse("session_keepalive"),
        reverse(settings.LOGIN_URL), reverse("applications:step", args=[application.pk, step]),
    )


@register.simple_tag(takes_context=True)
def draft_token(context, application, step):
    """The hidden field that lets a save arriving after the session ended keep its text."""
    user = context["request"].user
    if not user.is_authenticated:
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', DRAFT_TOKEN_FIELD,
                       draft_token_make(user_id=user.pk, application_id=application.pk,
                                        step=step))
