"""The step pages' autosave, and what happens to a save that arrives after the session ended.

See `drafts` for the why. The autosave saves every valid field exactly as the step's own save
does (`services.application_save_step`), but never moves the applicant on: the current step
stays where it is (the step being typed in, when something is not valid yet), and nothing of
保存并下一步 runs.
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.forms import CheckboxInput, CheckboxSelectMultiple
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.views.decorators.http import require_POST

from . import services
from .drafts import (
    EXPIRED_MESSAGE,
    HELD_MESSAGE,
    NOT_HELD_MESSAGE,
    draft_token_make,
    held_draft_hold_and_warn,
    held_draft_keep,
)
from .enums import UnitRole
from .steps import step_forms

# The steps made of typed fields; attachments and the commitment have nothing to autosave.
AUTOSAVE_STEPS = ("lead", "joint", "center", "service", "goals", "plan")


def _login_url(pk: int, step: str) -> str:
    step_url = reverse("applications:step", args=[pk, step])
    return f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': step_url})}"


def keep_text_when_signed_out(view):
    """For the step view: a save posted after the session ended keeps its text (held for the
    user the form's draft token names) and goes to the login page, which says so; after
    signing in the user is back on the step with the text in the form."""

    @wraps(view)
    def wrapper(request, pk, step, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            held_draft_hold_and_warn(request, application_id=pk, step=step)
            return redirect(_login_url(pk, step))
        return view(request, pk, step, *args, **kwargs)

    return wrapper


def _expired(request, pk: int, step: str) -> JsonResponse:
    held = held_draft_keep(application_id=pk, step=step, post=request.POST)
    return JsonResponse({
        "expired": True,
        "held": held is not None,
        "message": HELD_MESSAGE if held else NOT_HELD_MESSAGE,
        "title": EXPIRED_MESSAGE,
        "login_url": _login_url(pk, step),
    }, status=401)


def _only_posted(form, data):
    """Narrows a bound form to the fields the request carries, so that an autosave never
    blanks a field it did not send. A box left unticked sends nothing: those always count."""
    for name in list(form.fields):
        field = form.fields[name]
        if form.add_prefix(name) not in data and not isinstance(
                field.widget, (CheckboxInput, CheckboxSelectMultiple)):
            del form.fields[name]
    return form


def _forms_to_save(step, application, data):
    forms = {key: _only_posted(form, data)
             for key, form in step_forms(step, application, data).items()}
    if step != "joint":
        return list(forms.values())
    # The joint unit's fields only: choosing 有/无联合承建主体 is a decision for the save
    # buttons (it clears a commitment), not for a timer.
    if not application.has_joint_unit:
        return []
    joint = next((u for u in application.units.all() if u.role == UnitRole.JOINT), None)
    if joint is None:
        return []
    forms["unit"].instance = joint
    return [forms["unit"]]


@require_POST
def step_autosave(request, pk, step):
    """Saves the valid fields of a step form while the user types. JSON: `saved_at` (hh:mm),
    the labels of fields not saved because they are not valid yet, and a fresh draft token.
    401 with the text held when the session has ended; 409 when the application may not be
    changed any more (the message says why)."""
    from .views import _visible_application

    if step not in AUTOSAVE_STEPS:
        raise Http404
    if not request.user.is_authenticated:
        return _expired(request, pk, step)
    application = _visible_application(request, pk)
    if not request.user.has_perm("applications.edit_application", application):
        raise PermissionDenied("您无权修改此申报。")
    forms = _forms_to_save(step, application, request.POST)
    try:
        # next_step is where the applicant already is: an autosave (possibly the one sent as
        # the page is left, arriving after the next page was opened) never moves them.
        services.application_save_step(application=application, actor=request.user, step=step,
                                       forms=forms, next_step=application.current_step)
    except services.ApplicationError as error:
        return JsonResponse({"message": str(error)}, status=409)
    # Labels of required fields carry the asterisk's markup (steps._mark_required).
    invalid = [strip_tags(str(form.fields[name].label or name)).rstrip("*") for form in forms
               for name in form.errors if name in form.fields]
    return JsonResponse({
        "saved_at": f"{timezone.localtime():%H:%M}",
        "invalid": invalid,
        "token": draft_token_make(user_id=request.user.pk, application_id=application.pk,
                                  step=step),
    })
