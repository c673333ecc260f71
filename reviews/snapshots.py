"""What a decision was made on, and what changed since (第九条（二）).

`application_snapshot` keeps every field of the 申报表 and the 建设方案 as the official read it
(with its Chinese name) and the list of files by SHA-256; `snapshot_diff` compares two
snapshots field by field and file by file.
"""

import datetime
import hashlib
import json
from decimal import Decimal

from applications.content_audit import UNIT_LABELS
from applications.models import Application, ApplicationUnit

# The application's content: its fields from 有无联合承建主体 on (the state, routing and
# timestamps before it are not what the applicant wrote).
FIRST_CONTENT_FIELD = "has_joint_unit"
COMMITMENT_FIELDS = {"lead_commitment_at": "承建单位意见（承诺）",
                     "joint_commitment_at": "联合申报单位意见（承诺）"}
UNIT_SKIPPED = {"id", "application", "role"}

SNAPSHOT_VERSION = 1


def _content_fields():
    fields = Application._meta.concrete_fields
    start = [f.name for f in fields].index(FIRST_CONTENT_FIELD)
    return fields[start:]


def _shown(field, value) -> str:
    """A field's value as the official reads it (text)."""
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (datetime.date, Decimal, int)):
        return str(value)
    return str(value)


def application_snapshot(application: Application) -> dict:
    """The content and files of `application` as stored now (read fresh from the database):
    `{"version": 1, "fields": {key: {"label": 中文名, "value": text}},
    "attachments": [{"id", "kind", "kind_label", "name", "size" (bytes), "sha256"}]}`.
    Keys are model field names, `lead_unit.<field>` / `joint_unit.<field>` for the units."""
    fresh = (Application.objects.select_related("industry_field")
             .prefetch_related("units", "attachments").get(pk=application.pk))
    fields = {}
    for field in _content_fields():
        if field.name in COMMITMENT_FIELDS:
            given = getattr(fresh, field.name) is not None
            fields[field.name] = {"label": COMMITMENT_FIELDS[field.name],
                                  "value": "已同意" if given else "尚未同意"}
            continue
        if field.is_relation:
            related = getattr(fresh, field.name)
            value = str(related) if related is not None else ""
        else:
            value = _shown(field, getattr(fresh, field.attname))
        fields[field.name] = {"label": str(field.verbose_name), "value": value}
    units = sorted(fresh.units.all(), key=lambda unit: unit.role)
    for unit in units:
        if unit.role != "lead" and not fresh.has_joint_unit:
            continue
        for field in ApplicationUnit._meta.concrete_fields:
            if field.name in UNIT_SKIPPED:
                continue
            fields[f"{unit.role}_unit.{field.name}"] = {
                "label": f"{UNIT_LABELS.get(unit.role, unit.role)}·{field.verbose_name}",
                "value": _shown(field, getattr(unit, field.attname)),
            }
    attachments = [
        {"id": a.pk, "kind": a.kind, "kind_label": a.get_kind_display(),
         "name": a.original_name, "size": a.size, "sha256": a.sha256}
        for a in sorted(fresh.attachments.all(), key=lambda a: (a.kind, a.sha256, a.pk))
    ]
    return {"version": SNAPSHOT_VERSION, "fields": fields, "attachments": attachments}


def snapshot_digest(snapshot: dict) -> str:
    """SHA-256 (hex) of the snapshot's canonical JSON: equal digests, equal content."""
    canonical = json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def snapshot_diff(before: dict, after: dict) -> dict:
    """What changed from `before` to `after` (two `application_snapshot`s):
    `{"fields": [{"key", "label", "before", "after"}] in the form's order,
    "added": [attachment…], "removed": [attachment…], "unchanged": [attachment…],
    "changed": bool}`. A file is the same file when its kind and SHA-256 are."""
    old_fields, new_fields = before.get("fields", {}), after.get("fields", {})
    keys = list(new_fields) + [k for k in old_fields if k not in new_fields]
    fields = []
    for key in keys:
        old = old_fields.get(key, {}).get("value", "")
        new = new_fields.get(key, {}).get("value", "")
        if old != new:
            label = (new_fields.get(key) or old_fields.get(key))["label"]
            fields.append({"key": key, "label": label, "before": old, "after": new})

    def identity(a):
        return a["kind"], a["sha256"]

    old_files = {identity(a): a for a in before.get("attachments", [])}
    new_files = {identity(a): a for a in after.get("attachments", [])}
    added = [a for key, a in new_files.items() if key not in old_files]
    removed = [a for key, a in old_files.items() if key not in new_files]
    unchanged = [a for key, a in new_files.items() if key in old_files]
    return {"fields": fields, "added": added, "removed": removed, "unchanged": unchanged,
            "changed": bool(fields or added or removed)}
