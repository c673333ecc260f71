"""The audit trail of an application's content: what changed in each save, and who read files.

Every save of a step records the fields it changed, before and after; long text is recorded by
its length and a short hash, so the log shows that a paragraph changed without copying it.
Reads of an application's files and PDFs by anyone outside the applicant unit are recorded too,
so the auditor sees who read what (MLPS 2.0 audit).
"""

import datetime
import hashlib
from decimal import Decimal

from django.db.models import Model

from core.audit import audit_record

from .rules import is_member_of_applicant_organisation

# Up to this many characters a value is recorded as it is; longer text as length and hash.
SHORT_TEXT = 60


def shown_value(value):
    """A field's value as the audit row keeps it (JSON: text, number, bool, None, or a dict
    `{"length": n, "sha256": first 16 hex digits}` for long text)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (Decimal, datetime.date, datetime.datetime)):
        return str(value)
    text = str(value)
    if len(text) <= SHORT_TEXT:
        return text
    return {"length": len(text), "sha256": hashlib.sha256(text.encode()).hexdigest()[:16]}


def form_model_fields(form) -> list[str]:
    """The model fields a model form may write."""
    concrete = {f.name for f in form.instance._meta.concrete_fields}
    return [name for name in form.fields if name in concrete]


def _key(instance: Model, name: str) -> str:
    role = getattr(instance, "role", None)
    return f"{role}_unit.{name}" if role else name


def content_snapshot(watched: list[tuple[Model, list[str]]]) -> dict:
    """The stored values of `watched` (instance, field names) pairs, read from the database,
    keyed `field` (the application) or `lead_unit.field` / `joint_unit.field` (its units)."""
    snapshot = {}
    for instance, names in watched:
        if instance.pk is None or not names:
            continue
        row = type(instance)._default_manager.filter(pk=instance.pk).values(*names).first()
        for name, value in (row or {}).items():
            snapshot[_key(instance, name)] = shown_value(value)
    return snapshot


# Keys that are not model fields, as the auditor reads them.
EXTRA_LABELS = {
    "has_joint_unit": "有无联合承建主体",
    "lead_commitment": "承建单位意见（承诺）",
    "joint_commitment": "联合申报单位意见（承诺）",
}
UNIT_LABELS = {"lead": "承建主体", "joint": "联合承建主体"}


def content_labels(watched: list[tuple[Model, list[str]]]) -> dict:
    """The Chinese name of each key `content_snapshot` gives for `watched`."""
    labels = {}
    for instance, names in watched:
        role = getattr(instance, "role", None)
        for name in names:
            label = str(instance._meta.get_field(name).verbose_name)
            if role:
                label = f"{UNIT_LABELS.get(role, role)}·{label}"
            labels[_key(instance, name)] = label
    return labels


def content_change_record(*, application, actor, action: str, before: dict, after: dict,
                          labels: dict | None = None) -> None:
    """One audit row with the keys whose value differs between `before` and `after` (their
    Chinese names in the note, from `labels`); none when nothing changed."""
    changed = sorted(key for key in before.keys() | after.keys()
                     if before.get(key) != after.get(key))
    if not changed:
        return
    names = {**EXTRA_LABELS, **(labels or {})}
    audit_record(action=action, actor=actor, target=application,
                 before={key: before.get(key) for key in changed},
                 after={key: after.get(key) for key in changed},
                 note="修改：" + "、".join(names.get(key, key) for key in changed))


def application_read_record(*, application, reader, what: str, detail: dict,
                            request=None) -> None:
    """Records that `reader` downloaded one of the application's files or PDFs (`what`:
    `attachment` or `document`), unless the reader belongs to the applicant unit."""
    if is_member_of_applicant_organisation(reader, application):
        return
    audit_record(action=f"application.{what}_download", actor=reader, target=application,
                 after=detail, request=request)
