"""The transition mechanism, on a small workflow of its own.

A throwaway `Dossier` model is registered and its table created for this module only, outside
any test transaction (SQLite cannot create tables inside one), then dropped and unregistered,
so no migration and no other test ever sees it.
"""

import pytest
import rules
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.db.models.signals import pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.rules import is_commission_staff
from core.models import AuditEvent, StatusChange
from core.transitions import Move, TransitionNotAllowed, Workflow, perform_transition, status_history

pytestmark = pytest.mark.django_db

PERMISSIONS = {
    "core.submit_dossier": rules.predicate(
        lambda user, dossier: dossier is not None and dossier.owner_id == user.pk),
    "core.accept_dossier": is_commission_staff,
    "core.return_dossier": is_commission_staff,
}

WORKFLOW = Workflow(
    status_field="status",
    moves=(
        Move("submit", ("draft", "returned"), "submitted", "core.submit_dossier", label="提交"),
        Move("accept", ("submitted",), "accepted", "core.accept_dossier", label="受理"),
        Move("return", ("submitted",), "returned", "core.return_dossier", label="退回",
             reason_required=True),
    ),
)


@pytest.fixture(scope="module")
def Dossier(django_db_setup, django_db_blocker):
    class Dossier(models.Model):
        class Status(models.TextChoices):
            DRAFT = "draft", "草稿"
            SUBMITTED = "submitted", "已提交"
            ACCEPTED = "accepted", "已受理"
            RETURNED = "returned", "已退回"

        owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
        title = models.CharField(max_length=100)
        status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
        submitted_at = models.DateTimeField(null=True, blank=True)
        note = models.CharField(max_length=100, blank=True)

        class Meta:
            app_label = "core"
            db_table = "test_transitions_dossier"

        def __str__(self):
            return self.title

    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Dossier)
        # Committed once, so that ContentType's cache never points at a rolled-back row.
        content_type = ContentType.objects.get_for_model(Dossier)
    for name, predicate in PERMISSIONS.items():
        rules.add_perm(name, predicate)

    yield Dossier

    for name in PERMISSIONS:
        rules.remove_perm(name)
    with django_db_blocker.unblock():
        content_type.delete()
        with connection.schema_editor() as editor:
            editor.delete_model(Dossier)
    ContentType.objects.clear_cache()
    del apps.all_models["core"]["dossier"]
    apps.clear_cache()


@pytest.fixture
def dossier(Dossier, applicant_a):
    return Dossier.objects.create(owner=applicant_a, title="赋能中心申报材料")


def submit(dossier, actor, **kwargs):
    return perform_transition(workflow=WORKFLOW, obj=dossier, move_name="submit", actor=actor,
                              **kwargs)


def test_an_allowed_move_saves_and_records_who_when_from_to(dossier, applicant_a, Dossier):
    now = timezone.now()

    moved = submit(dossier, applicant_a, changes={"submitted_at": now})

    assert moved.status == "submitted"
    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.status, stored.submitted_at) == ("submitted", now)
    change = StatusChange.objects.get()
    assert change.content_type == ContentType.objects.get_for_model(Dossier)
    assert change.object_id == str(dossier.pk)
    assert (change.transition, change.from_status, change.to_status) == (
        "submit", "draft", "submitted")
    assert change.actor == applicant_a
    assert change.occurred_at is not None
    event = AuditEvent.objects.get(action="dossier.submit")
    assert event.actor == applicant_a
    assert event.object_id == str(dossier.pk) and event.object_repr == "赋能中心申报材料"
    assert (event.before, event.after) == ({"status": "draft"}, {"status": "submitted"})


def test_history_lists_every_move_in_order(dossier, applicant_a, commission_staff):
    submit(dossier, applicant_a)
    perform_transition(workflow=WORKFLOW, obj=dossier, move_name="return",
                       actor=commission_staff, reason="缺少营业执照扫描件")
    submit(dossier, applicant_a)

    history = list(status_history(dossier).values_list("from_status", "to_status", "reason"))
    assert history == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "缺少营业执照扫描件"),
        ("returned", "submitted", ""),
    ]
    assert AuditEvent.objects.get(action="dossier.return").note == "缺少营业执照扫描件"


def test_a_move_from_the_wrong_status_is_refused(dossier, commission_staff, Dossier):
    with pytest.raises(TransitionNotAllowed) as excinfo:
        perform_transition(workflow=WORKFLOW, obj=dossier, move_name="accept",
                           actor=commission_staff)

    assert str(excinfo.value) == "当前状态“草稿”下不能执行“受理”。"
    assert Dossier.objects.get(pk=dossier.pk).status == "draft"
    assert not StatusChange.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="dossier.").exists()


def test_a_move_is_refused_without_its_permission(
    dossier, applicant_a, applicant_b, commission_staff, Dossier
):
    for outsider in (applicant_b, commission_staff):  # not the owner
        with pytest.raises(PermissionDenied):
            submit(dossier, outsider)
    submit(dossier, applicant_a)
    with pytest.raises(PermissionDenied):  # the owner may not accept its own dossier
        perform_transition(workflow=WORKFLOW, obj=dossier, move_name="accept", actor=applicant_a)

    assert Dossier.objects.get(pk=dossier.pk).status == "submitted"
    assert StatusChange.objects.count() == 1


def test_a_move_that_needs_a_reason_refuses_a_blank_one(dossier, applicant_a, commission_staff):
    submit(dossier, applicant_a)

    with pytest.raises(TransitionNotAllowed, match="请填写理由"):
        perform_transition(workflow=WORKFLOW, obj=dossier, move_name="return",
                           actor=commission_staff, reason="   ")
    assert StatusChange.objects.count() == 1


def test_side_effects_run_only_after_commit(
    dossier, applicant_a, django_capture_on_commit_callbacks
):
    sent = []

    with django_capture_on_commit_callbacks() as callbacks:
        submit(dossier, applicant_a, on_commit=[lambda: sent.append("通知主管部门")])
        assert sent == []
    assert sent == [] and len(callbacks) == 1

    callbacks[0]()
    assert sent == ["通知主管部门"]


def test_a_rolled_back_move_leaves_nothing_behind(
    dossier, applicant_a, Dossier, django_capture_on_commit_callbacks
):
    sent = []

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            submit(dossier, applicant_a, on_commit=[lambda: sent.append("通知主管部门")])
            raise RuntimeError("a later step of the same action failed")

    assert callbacks == [] and sent == []
    assert Dossier.objects.get(pk=dossier.pk).status == "draft"
    assert not StatusChange.objects.exists()


def test_only_the_moved_fields_are_saved(dossier, applicant_a, Dossier):
    # Another writer changes the note after the row was read for the move; a full save would
    # write the old note back over it.
    def edit_meanwhile(sender, instance, **kwargs):
        Dossier.objects.filter(pk=instance.pk).update(note="联系人已更新")

    pre_save.connect(edit_meanwhile, sender=Dossier)
    try:
        submit(dossier, applicant_a)
    finally:
        pre_save.disconnect(edit_meanwhile, sender=Dossier)

    stored = Dossier.objects.get(pk=dossier.pk)
    assert (stored.status, stored.note) == ("submitted", "联系人已更新")


def test_the_row_is_locked_while_it_moves(dossier, applicant_a):
    if not connection.features.has_select_for_update:
        pytest.skip(f"{connection.vendor} has no row locks; PostgreSQL runs this check")
    with CaptureQueriesContext(connection) as queries:
        submit(dossier, applicant_a)

    reads = [q["sql"] for q in queries if "test_transitions_dossier" in q["sql"]]
    assert "FOR UPDATE" in reads[0]


def test_available_moves_follow_status_and_permission(
    dossier, applicant_a, applicant_b, commission_staff
):
    assert [m.name for m in WORKFLOW.available_moves(dossier, applicant_a)] == ["submit"]
    assert WORKFLOW.available_moves(dossier, applicant_b) == []
    assert WORKFLOW.available_moves(dossier, commission_staff) == []

    dossier = submit(dossier, applicant_a)

    assert WORKFLOW.available_moves(dossier, applicant_a) == []
    assert [m.name for m in WORKFLOW.available_moves(dossier, commission_staff)] == [
        "accept", "return"]


def test_an_unknown_move_is_a_programming_error(dossier, applicant_a):
    with pytest.raises(KeyError):
        perform_transition(workflow=WORKFLOW, obj=dossier, move_name="publish", actor=applicant_a)
