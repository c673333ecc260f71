"""Nothing typed is lost: the step pages' autosave and the text of a session that ended.

Writing the 建设方案 takes longer than the 30-minute idle timeout. The step page therefore
autosaves (see `autosave_views`), and each step form carries a signed *draft token* naming the
user, the application and the step. A save that arrives after the session ended cannot write to
the application (nobody is signed in), but the token proves whose text it is: the posted fields
are held in `HeldDraft` for that user. After they sign in again, the step page puts the held
text back into the form, as unsaved typing: from there it takes the same single path into the
application as anything typed (autosave, 保存草稿), under a live session, with that path's
checks (the window, the permission, the audit trail). A held draft is shown once and kept a
week for support, then the sweep deletes it.
"""

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from core.sweep import deadline_check

from .models import HeldDraft

DRAFT_TOKEN_FIELD = "draft_token"
DRAFT_TOKEN_SALT = "applications.held-draft"
# A page left open this long still has its text held when the session is gone; every
# autosave hands the page a fresh token, so only a page idle this long loses the guarantee.
DRAFT_TOKEN_MAX_AGE = datetime.timedelta(hours=24)
HELD_DRAFT_KEEP_FOR = datetime.timedelta(days=7)
# Fields that are the form's machinery, not what the user typed.
_NOT_TYPED = {"csrfmiddlewaretoken", DRAFT_TOKEN_FIELD, "form_token", "save_and_stay", "next",
              "previous", "return_to"}
_MAX_HELD_CHARS = 1_000_000

EXPIRED_MESSAGE = "登录已超时，请重新登录。"
UPLOAD_EXPIRED_MESSAGE = "登录已超时，请重新登录。所选文件未上传，登录后请重新选择文件上传。"
HELD_MESSAGE = "登录已超时，请重新登录。您刚才填写的内容已为您保留，登录后将自动恢复到表单中。"
NOT_HELD_MESSAGE = ("登录已超时，请重新登录。本次提交的内容未能保留（页面已打开过久），"
                    "登录后请重新填写未保存的部分。")
RESTORED_MESSAGE = ("已恢复您在登录超时前填写、尚未保存的内容（{time}），请核对后保存；"
                    "离开本页前系统也会自动保存。")


def draft_token_make(*, user_id: int, application_id: int, step: str) -> str:
    """The signed token a step form carries: user, application and step, timestamped."""
    return signing.dumps({"u": user_id, "a": application_id, "s": step}, salt=DRAFT_TOKEN_SALT)


def draft_token_user_id(token: str, *, application_id: int, step: str) -> int | None:
    """The user a token was issued to, if it is genuine, younger than `DRAFT_TOKEN_MAX_AGE`
    and issued for this application and step; otherwise None."""
    try:
        payload = signing.loads(token or "", salt=DRAFT_TOKEN_SALT,
                                max_age=DRAFT_TOKEN_MAX_AGE.total_seconds())
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if payload.get("a") != application_id or payload.get("s") != step:
        return None
    return payload.get("u")


def _typed_fields(post) -> dict[str, list[str]]:
    data = {name: values for name, values in post.lists() if name not in _NOT_TYPED}
    if sum(len(v) for values in data.values() for v in values) > _MAX_HELD_CHARS:
        raise ValueError("held draft too large")
    return data


def held_draft_keep(*, application_id: int, step: str, post) -> HeldDraft | None:
    """Holds what was posted to `step` by a signed-out browser, for the user its draft token
    names. Returns the held draft, or None when the token does not vouch for anyone."""
    from .models import Application

    user_id = draft_token_user_id(post.get(DRAFT_TOKEN_FIELD, ""), application_id=application_id,
                                  step=step)
    if user_id is None or not Application.objects.filter(pk=application_id).exists():
        return None
    try:
        data = _typed_fields(post)
    except ValueError:
        return None
    held, _ = HeldDraft.objects.update_or_create(
        user_id=user_id, application_id=application_id, step=step,
        defaults={"data": data, "held_at": timezone.now(), "restored_at": None},
    )
    return held


def held_draft_hold_and_warn(request, *, application_id: int, step: str) -> bool:
    """For a post that arrived signed out: hold its text and leave the plain message the login
    page shows. True when the text was held."""
    if DRAFT_TOKEN_FIELD not in request.POST:  # an upload, the commitment: nothing typed
        # A file cannot be held; say so, or the unit believes it is in.
        messages.warning(request, UPLOAD_EXPIRED_MESSAGE if request.FILES else EXPIRED_MESSAGE)
        return False
    held = held_draft_keep(application_id=application_id, step=step, post=request.POST)
    messages.warning(request, HELD_MESSAGE if held else NOT_HELD_MESSAGE)
    return held is not None


def hold_when_signed_out(*, application_id_of, step_of, page_of):
    """A view decorator: a POST that arrives after the session ended is not acted on; its text
    is held (`held_draft_hold_and_warn`) under the application `application_id_of(*args)`
    names (None: nothing to hold it under, the plain expiry message) and the step
    `step_of(*args)`, and the user goes to the login page, which says so, then back to
    `page_of(*args)`, where the page puts the text back. `args` are the view's URL arguments."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not request.user.is_authenticated:
                application_id = application_id_of(*args, **kwargs)
                if application_id is not None:
                    held_draft_hold_and_warn(request, application_id=application_id,
                                             step=step_of(*args, **kwargs))
                else:
                    messages.warning(request, EXPIRED_MESSAGE)
                login = reverse(settings.LOGIN_URL)
                return redirect(f"{login}?{urlencode({'next': page_of(*args, **kwargs)})}")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def held_draft_take(*, user, application, step: str) -> HeldDraft | None:
    """The text held for this user and step that was not put back yet; marks it put back."""
    with transaction.atomic():
        held = (HeldDraft.objects.select_for_update()
                .filter(user=user, application=application, step=step, restored_at=None)
                .first())
        if held is not None:
            held.restored_at = timezone.now()
            held.save(update_fields=["restored_at"])
    return held


def held_draft_restore(request, *, application, step: str) -> dict | None:
    """For the step page: the held fields to put back into the form (with a message saying
    so), or None. Only on GET, for a signed-in user."""
    if request.method != "GET" or not request.user.is_authenticated:
        return None
    held = held_draft_take(user=request.user, application=application, step=step)
    if held is None:
        return None
    messages.info(request, RESTORED_MESSAGE.format(
        time=f"{timezone.localtime(held.held_at):%m月%d日 %H:%M}"))
    return held.data


@deadline_check
def held_drafts_expire(now) -> int:
    """Held text is kept a week after it was held, then deleted."""
    deleted, _ = HeldDraft.objects.filter(held_at__lt=now - HELD_DRAFT_KEEP_FOR).delete()
    return deleted
