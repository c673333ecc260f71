"""One-time form tokens: a form that creates something is acted on once, however often it is
sent (a double click on 注册, a reload after a slow upload).

Each rendering of such a form carries a fresh random token in a hidden field. The view wraps
the creating call in `form_once(request, purpose=…)`: the token is claimed in the same
transaction as the creation, so a failure releases it, and a second request with the same
token waits for the first to commit (the unique row) and is then sent where the first one led
(`DuplicateSubmissionMiddleware`), never creating twice and never answering 500.

A request without a token (an old page, a script) is served as before, unguarded.
"""

import datetime
import re
import secrets
from contextlib import contextmanager
from types import SimpleNamespace

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect

from .models import FormSubmission
from .sweep import deadline_check

FIELD = "form_token"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
KEEP_FOR = datetime.timedelta(days=2)


def form_token_new() -> str:
    """A fresh token for one rendering of a form."""
    return secrets.token_urlsafe(24)


def form_token_attach(form):
    """Adds the hidden token to a crispy form (its layout, or its inputs) and marks the form for
    the disable-on-submit script; returns the form."""
    from crispy_forms.layout import Hidden

    form.helper.attrs = {**form.helper.attrs, "data-once": ""}  # portal.js: one click
    hidden = Hidden(FIELD, form_token_new())
    if form.helper.layout is not None:
        form.helper.layout.append(hidden)
    else:
        form.helper.add_input(hidden)
    return form


class DuplicateSubmission(Exception):
    """The form was already acted on; `result_url` is where the first submission led."""

    def __init__(self, result_url: str):
        self.result_url = result_url
        super().__init__(result_url)


def _repeat_target(request, token: str, purpose: str | None,
                   fallback_url: str) -> str | None:
    first = FormSubmission.objects.filter(token=token).first()
    if first is None:
        return None
    user_id = request.user.pk if request.user.is_authenticated else None
    if first.purpose == (purpose or first.purpose) and first.user_id == user_id \
            and first.result_url:
        return first.result_url
    return fallback_url


def form_token_check(request, *, purpose: str | None, fallback_url: str = "/") -> None:
    """Raises `DuplicateSubmission` if the posted form was acted on already (for `purpose`, or
    any purpose when None: a view with several creating forms). Call it before validating: the
    first submission may have made the form invalid (a username now taken, a status moved)."""
    token = request.POST.get(FIELD, "")
    if request.method == "POST" and _TOKEN.match(token):
        target = _repeat_target(request, token, purpose, fallback_url)
        if target is not None:
            raise DuplicateSubmission(target)


@contextmanager
def form_once(request, *, purpose: str, fallback_url: str = "/"):
    """Runs the block in one transaction with the form's token claimed. Set `.result_url` on
    the yielded object to where the user goes next; a repeat is sent there. Raises
    `DuplicateSubmission` when the token was used already (by the same user)."""
    token = request.POST.get(FIELD, "")
    user = request.user if request.user.is_authenticated else None
    outcome = SimpleNamespace(result_url="")
    with transaction.atomic():
        claim = None
        if _TOKEN.match(token):
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(token=token, purpose=purpose,
                                                          user=user)
            except IntegrityError:
                raise DuplicateSubmission(
                    _repeat_target(request, token, purpose, fallback_url) or fallback_url
                ) from None
        yield outcome
        if claim is not None and outcome.result_url:
            claim.result_url = outcome.result_url[:300]
            claim.save(update_fields=["result_url"])


class DuplicateSubmissionMiddleware:
    """Answers a repeated submission with a redirect to where the first one led."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DuplicateSubmission):
            return None
        messages.info(request, "该表单已提交过一次，未重复处理。")
        return redirect(exception.result_url)


@deadline_check
def form_tokens_expire(now) -> int:
    """Used tokens are kept two days: long enough for any resent request."""
    deleted, _ = FormSubmission.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    return deleted
