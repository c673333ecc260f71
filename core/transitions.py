"""Status workflows: a table of allowed moves and the one service that performs a move.

A workflow names the model's status field and its moves. `perform_transition` locks the row,
checks the move and the actor's permission, saves only the changed fields, records a
`StatusChange` and an audit row, and runs side effects after the transaction commits.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction

from .audit import audit_record
from .models import StatusChange


class TransitionNotAllowed(Exception):
    """The object's current status does not allow the requested move."""


@dataclass(frozen=True)
class Move:
    name: str
    sources: tuple[str, ...]
    target: str
    permission: str  # a django-rules permission checked against the object
    label: str = ""
    reason_required: bool = False


@dataclass(frozen=True)
class Workflow:
    status_field: str
    moves: tuple[Move, ...]
    labels: dict = field(default_factory=dict)

    def move(self, name: str) -> Move:
        for move in self.moves:
            if move.name == name:
                return move
        raise KeyError(name)

    def moves_from(self, status: str) -> list[Move]:
        return [m for m in self.moves if status in m.sources]

    def available_moves(self, obj, user) -> list[Move]:
        status = getattr(obj, self.status_field)
        return [m for m in self.moves_from(status) if user.has_perm(m.permission, obj)]


def perform_transition(
    *,
    workflow: Workflow,
    obj,
    move_name: str,
    actor,
    reason: str = "",
    changes: dict | None = None,
    on_commit: Iterable[Callable[[], None]] = (),
    check_permission: bool = True,
):
    """Move `obj` along `workflow`; returns the freshly locked and saved object.

    `changes` are extra field values saved in the same update (a timestamp, a routing
    decision). `on_commit` callables run only once the whole transaction has committed.
    """
    move = workflow.move(move_name)
    model = type(obj)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        current = getattr(locked, workflow.status_field)
        if current not in move.sources:
            raise TransitionNotAllowed(
                f"当前状态“{_label(locked, workflow, current)}”下不能执行“{move.label or move.name}”。"
            )
        if check_permission and not actor.has_perm(move.permission, locked):
            raise PermissionDenied("您没有执行此操作的权限。")
        if move.reason_required and not reason.strip():
            raise TransitionNotAllowed("请填写理由。")

        setattr(locked, workflow.status_field, move.target)
        update_fields = [workflow.status_field]
        for name, value in (changes or {}).items():
            setattr(locked, name, value)
            update_fields.append(name)
        locked.save(update_fields=update_fields)

        StatusChange.objects.create(
            content_type=ContentType.objects.get_for_model(model),
            object_id=str(locked.pk),
            transition=move.name,
            from_status=current,
            to_status=move.target,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason,
        )
        audit_record(
            action=f"{model._meta.model_name}.{move.name}",
            actor=actor,
            target=locked,
            before={workflow.status_field: current},
            after={workflow.status_field: move.target},
            note=reason,
        )
        for callback in on_commit:
            transaction.on_commit(callback)
    return locked


def status_history(obj):
    return (
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
        )
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


def _label(obj, workflow, status):
    choices = dict(obj._meta.get_field(workflow.status_field).choices or [])
    return choices.get(status, status)
