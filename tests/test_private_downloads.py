"""Files behind a permission are never kept by a browser or proxy cache: every view that serves
one answers with `Cache-Control: private, no-store` (core.downloads.private_download)."""

import inspect

import pytest
from django.urls import reverse

from applications import services
from core.downloads import PRIVATE_CACHE_CONTROL

from .applications.conftest import (  # noqa: F401  (fixtures)
    draft_a,
    open_call,
    pdf_bytes,
    upload,
)
from .accounts.factories import claim_of
from .test_permission_gate import EXEMPT_PREFIXES


def _callbacks(patterns=None, namespace=""):
    """(full name, view callable) of every named URL pattern, admin and static excluded."""
    from django.urls import URLPattern, URLResolver, get_resolver

    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(EXEMPT_PREFIXES):
                continue
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from _callbacks(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join(n for n in (namespace, pattern.name) if n), pattern.callback


def file_serving_views():
    """Every URL whose view returns a FileResponse (found in the view's source)."""
    found = []
    for name, view in _callbacks():
        target = getattr(view, "view_class", None) or inspect.unwrap(view)
        try:
            source = inspect.getsource(target)
        except OSError:  # a class made with type() (the role dashboards): no file of its own
            source = ""
        if "FileResponse" in source:
            found.append((name, view))
    return found


def test_every_file_serving_view_is_marked_private():
    views = file_serving_views()
    names = {name for name, _ in views}
    assert {"applications:attachment_download", "applications:document_download",
            "applications:export_download", "organisation_claim_licence"} <= names, names
    unmarked = [name for name, view in views if not getattr(view, "private_download", False)
                and not _wrapped_private(view) and not getattr(view, "public_download", False)]
    # Public by design, and marked so: only the open data (第七条（八）).
    public = {name for name, view in views if getattr(view, "public_download", False)}
    assert public <= {"open_data_xlsx"}, public
    assert not unmarked, f"file downloads without Cache-Control: private, no-store: {unmarked}"


def _wrapped_private(view):
    while view is not None:
        if getattr(view, "private_download", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


@pytest.mark.django_db
def test_an_attachment_download_is_not_cached(draft_a, applicant_a, role_client):  # noqa: F811
    attachment = services.attachment_add(application=draft_a, actor=applicant_a, kind="case",
                                         uploaded_file=upload("案例.pdf", pdf_bytes()))
    response = role_client("applicant").get(
        reverse("applications:attachment_download", args=[draft_a.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL


@pytest.mark.django_db
def test_a_business_licence_download_is_not_cached_and_is_audited(org_b, role_client):
    from core.models import AuditEvent

    claim = claim_of(org_b)
    response = role_client("commission_staff").get(
        reverse("organisation_claim_licence", args=[claim.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE_CACHE_CONTROL
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="organisation.claim_licence_read",
                                     object_id=str(claim.pk)).exists()


@pytest.mark.django_db
def test_the_admin_excel_export_is_not_cached(client, commission_staff, org_a, applicant_a):
    from .factories import ApplicationFactory, CallFactory

    application = ApplicationFactory(submitted=True, call=CallFactory(closed=True),
                                     organisation=org_a, created_by=applicant_a)
    commission_staff.is_staff = True
    commission_staff.save(update_fields=["is_staff"])
    client.force_login(commission_staff)

    response = client.post(reverse("admin:applications_application_changelist"), {
        "action": "export_applications", "_selected_action": [application.pk]})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    # The admin's own never_cache adds no-cache and max-age=0 on top.
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
