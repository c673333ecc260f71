import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from core.audit import audit_record
from core.models import AuditEvent, StatusChange
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(org_a, commission_staff):
    return audit_record(action="organisation.update", actor=commission_staff, target=org_a,
                        before={"name": "旧名称"}, after={"name": org_a.name}, note="核对营业执照")


def test_audit_record_keeps_actor_object_change_and_address(org_a, commission_staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # the production proxy appends the client's address
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="10.1.2.3",
                                   REMOTE_ADDR="172.16.0.1")

    event = audit_record(action="organisation.update", actor=commission_staff, target=org_a,
                         before={"name": "旧名称"}, after={"name": org_a.name}, request=request)

    event.refresh_from_db()
    assert event.actor == commission_staff
    assert event.actor_label == "commission_staff"
    assert event.content_type == ContentType.objects.get_for_model(org_a)
    assert event.object_id == str(org_a.pk)
    assert event.object_repr == org_a.name
    assert event.before == {"name": "旧名称"} and event.after == {"name": org_a.name}
    assert event.ip_address == "10.1.2.3"  # the client, not the proxy
    assert event.occurred_at is not None


def test_anonymous_actor_is_recorded_by_label_only(db):
    event = audit_record(action="auth.login_failed", actor=AnonymousUser(),
                         actor_label="someone")

    assert event.actor is None and event.actor_label == "someone"


# Append-only through the ORM ---------------------------------------------------------------

def test_a_saved_event_cannot_be_changed(event):
    event.note = "篡改"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(note="篡改")
    with pytest.raises(PermissionDenied), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["note"])
    assert AuditEvent.objects.get(pk=event.pk).note == "核对营业执照"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_status_changes_are_append_only_too(org_a, commission_staff):
    change = StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(org_a), object_id=str(org_a.pk),
        transition="submit", from_status="draft", to_status="submitted", actor=commission_staff)
    change.to_status = "accepted"
    with pytest.raises(PermissionDenied):
        change.save()
    with pytest.raises(PermissionDenied):
        change.delete()
    with pytest.raises(PermissionDenied):
        StatusChange.objects.update(to_status="accepted")
    assert StatusChange.objects.get().to_status == "submitted"


# Read-only in admin, for a superuser too ---------------------------------------------------

@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root_admin", is_staff=True, is_superuser=True))
    return client


def admin_url(name, *args):
    return reverse(f"admin:core_auditevent_{name}", args=args)


def test_admin_lists_events_without_add_or_delete(superuser_client, event):
    response = superuser_client.get(admin_url("changelist"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "organisation.update" in page
    assert admin_url("add") not in page
    assert "delete_selected" not in page


def test_admin_change_page_is_read_only(superuser_client, event):
    response = superuser_client.get(admin_url("change", event.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert "核对营业执照" in page
    assert 'name="note"' not in page and 'name="action"' not in page
    assert 'name="_save"' not in page
    assert admin_url("delete", event.pk) not in page


def test_admin_refuses_to_save_a_change(superuser_client, event):
    response = superuser_client.post(admin_url("change", event.pk), {
        "action": "organisation.delete", "note": "篡改", "actor_label": "x", "_save": "保存"})

    assert response.status_code == 403
    event.refresh_from_db()
    assert (event.action, event.note) == ("organisation.update", "核对营业执照")


def test_admin_delete_view_is_forbidden(superuser_client, event):
    assert superuser_client.get(admin_url("delete", event.pk)).status_code == 403
    assert superuser_client.post(admin_url("delete", event.pk), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_bulk_delete_action_does_nothing(superuser_client, event):
    superuser_client.post(admin_url("changelist"), {
        "action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_admin_add_view_is_forbidden(superuser_client, db):
    assert superuser_client.get(admin_url("add")).status_code == 403
    before = AuditEvent.objects.count()
    response = superuser_client.post(admin_url("add"), {"action": "forged", "actor_label": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


def test_status_change_admin_allows_no_additions_either(superuser_client, db):
    response = superuser_client.get(reverse("admin:core_statuschange_add"))
    assert response.status_code == 403
