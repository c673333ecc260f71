"""The one way services write to the audit log, and the Chinese names of its actions.

An audit row stores its action as a stable code (`call.publish`); staff read it as a Chinese
label (发布申报通知). Core imports no domain app, so each app registers the labels of its own
actions from its `AppConfig.ready()` with `register_action_labels`. An action nobody registered
still reads in Chinese (`UNKNOWN_ACTION_LABEL`), never as its code.
"""

from collections.abc import Mapping
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType

from .client_address import client_ip
from .models import AuditEvent

UNKNOWN_ACTION_LABEL = "其他操作"

# The request being served, so that a service that writes an audit row without being handed the
# request (a step save, a transition) still records the client's address.
_current_request: ContextVar = ContextVar("audit_current_request", default=None)


class AuditRequestMiddleware:
    """Makes the request being served known to `audit_record` for the time of the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)

_ACTION_LABELS: dict[str, str] = {
    "auth.login": "登录",
    "auth.logout": "退出登录",
    "auth.login_failed": "登录失败",
    "workday_year.enter": "录入年度节假日安排",
    "workday_year.confirm": "确认年度节假日安排",
    "workday_year.reopen": "撤销年度节假日安排的确认",
    "holiday_override.save": "保存节假日调整",
    "holiday_override.delete": "删除节假日调整",
}


def register_action_labels(labels: Mapping[str, str]) -> None:
    """Adds `{action code: Chinese label}` pairs; call it from an app's `ready()`.

    Registering a code twice with another label raises `ValueError`: two apps would otherwise
    silently disagree on what a row of the log means.
    """
    for code, label in labels.items():
        if not label or label.isascii():
            raise ValueError(f"audit action {code!r} needs a Chinese label, got {label!r}")
        known = _ACTION_LABELS.get(code)
        if known is not None and known != label:
            raise ValueError(f"audit action {code!r} is already labelled {known!r}")
        _ACTION_LABELS[code] = label


def action_label(code: str) -> str:
    """The Chinese label of an audit action code; `UNKNOWN_ACTION_LABEL` when unregistered."""
    return _ACTION_LABELS.get(code, UNKNOWN_ACTION_LABEL)


def action_labels() -> dict[str, str]:
    """Every registered `{code: label}`, for filters and tests (a copy)."""
    return dict(_ACTION_LABELS)


def action_codes_matching(text: str) -> list[str]:
    """Codes whose Chinese label contains `text`, so staff can search the log by what they read."""
    return [code for code, label in _ACTION_LABELS.items() if text and text in label]


def audit_record(
    *,
    action: str,
    actor=None,
    target=None,
    before: dict | None = None,
    after: dict | None = None,
    request=None,
    note: str = "",
    actor_label: str = "",
) -> AuditEvent:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.get_username() if actor else "系统"),
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        before=before,
        after=after,
        ip_address=client_ip(request if request is not None else _current_request.get()),
        note=note,
    )
